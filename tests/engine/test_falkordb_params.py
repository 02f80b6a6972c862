"""dhrkg's FalkorDB parameter encoder writes exactly the client's text, for every kind of value,
and is faster (bench: BENCHMARKS.md); a write through it stores the same values."""

from __future__ import annotations

import pytest
from falkordb.helpers import stringify_param_value

from dhrkg.graph.falkordb.params import encode, header

class Text(str):
    pass


VALUES = [
    "", "plain", 'O"Brien', "back\\slash", '\\"', "Zoë – 日本 🙂", "line\nbreak\ttab", "`tick`", "{not: a map}",
    None, 0, -7, 2 ** 62, 5.1, -0.0, 1e300, float("inf"), True, False,
    [], [1, "a", None, 2.5, True], ("tuple", 1), [[1, [2, ["x"]]]],
    {}, {"a": 1, "b": [1, 2], "c": {"d": 'q"\\'}, "with space": None, "@type": "x", b"bytes": "k"},
    [{"key": "r/p1", "name": "A", "aliases": ["5.1", "x"], "n": None}],
    b"raw bytes", Text("subclass"),
    # lists of texts (written at once when plain: find_text's pieces)
    ["<ab>", "<cd>", "<*>"], [""], ["", ""], ["a", 'b"c'], ['"', '"'], ['","'], ["a\\b", "c"], ["x", 1],
    ["x", None], ["x", Text("y")], [Text("y"), "x"], ("t", "u"), [["a", "b"], ["c"]],
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_same_text_as_the_client(value):
    assert encode(value) == stringify_param_value(value)


def test_the_same_header_as_the_client():
    from falkordb.graph import Graph

    params = {"rows": VALUES, "x": 'q"', "n": None}
    assert header(params) == Graph._build_params_header(None, params)


def test_a_list_of_plain_texts_is_written_at_once(monkeypatch):
    """find_text's 60 pieces a person: one join, not a call per piece (BENCHMARKS.md, "FalkorDB
    online node batches")."""
    from dhrkg.graph.falkordb import params

    pieces = ["<ju>", "<jul>", "<p0>", "<*>"]
    monkeypatch.setattr(params, "_text", lambda value: pytest.fail("a piece written on its own"))
    assert encode({"find_text": pieces}) == stringify_param_value({"find_text": pieces})


@pytest.mark.parametrize("key", ["", "a`b"])
def test_keys_the_client_refuses_are_refused(key):
    for fn in (encode, stringify_param_value):
        with pytest.raises(ValueError):
            fn({key: 1})


def test_a_bulk_batch_through_the_encoder_stores_the_values(store_falkordb):
    from dhrkg.graph import StoreError

    rows = [{"key": "p1", "name": 'O"Brien \\ Zoë', "aliases": ["5.1", "x"], "n": 3, "f": 5.5, "b": True},
            {"key": "p2", "name": "B", "nick": None}]
    store_falkordb.write_batch("UNWIND $rows AS row CREATE (n:Person) SET n = row", {"rows": rows})
    got = dict(store_falkordb.query("MATCH (n:Person) RETURN n.key, properties(n)").rows)
    assert got == {"p1": rows[0], "p2": {"key": "p2", "name": "B"}}
    with pytest.raises(StoreError, match="NUL"):
        store_falkordb.write_batch("UNWIND $rows AS row CREATE (n:Person) SET n = row", {"rows": [{"key": "a\0"}]})
