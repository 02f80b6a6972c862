"""GRAPH.BULK's value packing (dhrkg.graph.falkordb.bulk_insert): a list of texts packed in one
go (Person.find_text's pieces, dozens a person) is byte for byte the list packed value by value,
and a NUL character in any of its texts is refused, naming where."""

from __future__ import annotations

import random

import pytest

from dhrkg.graph.falkordb.bulk_insert import ARRAY, BulkInsertError, _LONG, pack_value

ALPHABET = "abcÉéñ’李 '\"\\x<>"


def value_by_value(values: list) -> bytes:
    return _LONG(ARRAY, len(values)) + b"".join(pack_value(v, "w") for v in values)


def test_a_list_of_texts_is_packed_as_its_values_one_by_one():
    rng = random.Random(5)
    lists = [[], [""], ["a"], ["<abc>", "<é’x>"], ["x" * 60] * 3]
    lists += [["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(0, 6))]
              for _ in range(300)]
    for values in lists:
        assert pack_value(values, "w") == value_by_value(values)
        assert pack_value(tuple(values), "w") == value_by_value(values)


@pytest.mark.parametrize("values", [["a\0b"], ["ok", "\0"], ["\0", ""]])
def test_a_nul_in_a_list_of_texts_is_refused(values):
    with pytest.raises(BulkInsertError, match="Person, row 3: a text value holds a NUL character"):
        pack_value(values, "Person, row 3")


# ---- rows: their texts joined and encoded in one go (all texts, or runs of texts between other values)

def _row_value_by_value(props: dict) -> bytes:
    return b"".join(pack_value(v, "w") for v in props.values())


def _random_value(rng: random.Random):
    kind = rng.randrange(7)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6)))
    return [text, text, text, rng.randint(-2 ** 63, 2 ** 63 - 1), rng.random(), rng.random() < 0.5,
            [text, text[::-1]] if rng.random() < 0.5 else [1, 2.5, "x"]][kind]


def test_a_row_is_packed_as_its_values_one_by_one():
    from dhrkg.graph.falkordb.bulk_insert import _pack_props

    rng = random.Random(7)
    rows = [{}, {"a": ""}, {"a": "x", "b": ""}, {"a": 1, "b": "x", "c": "y", "d": [1], "e": "z"}]
    rows += [{f"k{i}": _random_value(rng) for i in range(rng.randint(1, 8))} for _ in range(2000)]
    for row in rows:
        assert _pack_props(row, "w") == _row_value_by_value(row), row


@pytest.mark.parametrize("row", [{"a": "x", "t": "a\0b"}, {"t": "\0", "n": 1}, {"n": 1, "a": "x", "t": "b\0"},
                                 {"n": 1.5, "a": "", "t": "\0", "l": ["x"]}])
def test_a_nul_in_a_row_is_refused_naming_the_property(row):
    from dhrkg.graph.falkordb.bulk_insert import _pack_props

    with pytest.raises(BulkInsertError, match="Person, row 3, t: a text value holds a NUL character"):
        _pack_props(row, "Person, row 3")


def test_a_command_the_engine_refuses_is_raised_and_no_later_one_is_sent(store_falkordb):
    """Commands are sent by a thread while the next is packed: the engine's refusal of one (here
    the first, BEGIN into a graph that exists) still stops the load, and no later command (which
    the engine would take, adding nodes) is sent."""
    from dhrkg.graph.bulk import node_stream

    store = store_falkordb
    store.drop_graph()
    store.bulk_insert([node_stream("Person", [{"key": "there"}])])
    rows = [{"key": f"p{i}", "name": "x" * 50} for i in range(200)]
    with pytest.raises(Exception, match="already exists"):
        store.bulk_insert([node_stream("Person", rows)], max_bytes=1000)
    assert store.query("MATCH (n) RETURN n.key").rows == [["there"]]
