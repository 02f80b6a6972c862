"""The rewrite that makes range comparisons on FalkorDB's indexed texts filters
(dhrkg.graph.falkordb.text_ranges): what it touches and what it leaves alone, and on the real
engine that it keeps the index for equality and the user's own error positions."""

from __future__ import annotations

import pytest

from dhrkg.graph.bulk import bulk_load, node_stream
from dhrkg.graph.falkordb.store import RANGE_GUARD, TEXT_RANGE_UNSAFE
from dhrkg.graph.falkordb.text_ranges import TextRangeGuard
from dhrkg.graph.schema import CASE_INDEXES, RECORD_INDEXES, Index
from dhrkg.graph.syntax_errors import explain_syntax_error

REWRITTEN = [
    ("MATCH (e:Event) WHERE e.key < $b RETURN e", "MATCH (e:Event) WHERE coalesce(e.key) < $b RETURN e"),
    ("MATCH (e) WHERE $b >= e.type RETURN e", "MATCH (e) WHERE $b >= coalesce(e.type) RETURN e"),
    ("MATCH (e) WHERE NOT (e.review>='x') RETURN e", "MATCH (e) WHERE NOT (coalesce(e.review)>='x') RETURN e"),
    ("MATCH (e) WHERE 'x' < ((e.risk_level)) RETURN e", "MATCH (e) WHERE 'x' < ((coalesce(e.risk_level))) RETURN e"),
    ("MATCH (e) WHERE e.`key` <= 'm' RETURN e", "MATCH (e) WHERE coalesce(e.`key`) <= 'm' RETURN e"),
    ("MATCH (e) WHERE `e`.key > 'm' RETURN e", "MATCH (e) WHERE coalesce(`e`.key) > 'm' RETURN e"),
    ("MATCH (e) WHERE e . key > 'm' RETURN e", "MATCH (e) WHERE coalesce(e . key) > 'm' RETURN e"),
    ("MATCH (a), (b) WHERE a.key < b.key RETURN a", "MATCH (a), (b) WHERE coalesce(a.key) < coalesce(b.key) RETURN a"),
    ("MATCH (e) WITH e WHERE e.key > 'a' RETURN e", "MATCH (e) WITH e WHERE coalesce(e.key) > 'a' RETURN e"),
    ("MATCH (e) WHERE e.key /* c */ < 'a' RETURN e", "MATCH (e) WHERE coalesce(e.key) /* c */ < 'a' RETURN e"),
    ("MATCH (r:Record) WHERE r.key < 'a' RETURN r", "MATCH (r:Record) WHERE coalesce(r.key) < 'a' RETURN r"),
    ("RETURN [x IN $l WHERE x.type < 'b' | x]", "RETURN [x IN $l WHERE coalesce(x.type) < 'b' | x]"),
    ("MATCH (p) WHERE EXISTS { MATCH (p)-->(e) WHERE e.key < 'm' } RETURN p",
     "MATCH (p) WHERE EXISTS { MATCH (p)-->(e) WHERE coalesce(e.key) < 'm' } RETURN p"),
]

UNTOUCHED = [
    "MATCH (e:Event {key: $k}) RETURN e",
    "MATCH (e) WHERE e.key = $k OR e.key IN $ks OR e.key STARTS WITH 't/' RETURN e",
    "MATCH (e) WHERE e.key <> 'a' RETURN e",  # not a range
    "MATCH (e) WHERE e.date_from < $b RETURN e",  # not indexed on FalkorDB
    "MATCH (p:Person) WHERE p.abused_partners >= 2 RETURN p",  # a number: its index is right
    "MATCH (e) WHERE e.id = 'e.key < $b' RETURN e",  # a string
    'MATCH (e) WHERE e.id = "x" // e.key < $b\nRETURN e',  # a comment
    "MATCH (e) WHERE e.id = 'x' /* e.key < 'a' */ RETURN e",
    "MATCH (e) WHERE `e.key < 'a'` = 1 RETURN e",  # a backquoted name
    "MATCH (e) RETURN e.key < 'm'",  # a projection: its column keeps its name
    "MATCH (e) WITH e.key < 'm' AS early RETURN early",
    "MATCH (a)<-[:R]-(b)-->(c) WHERE b.key = 'x' RETURN a",  # arrows
    "MATCH (a) WHERE 1 < f.key(1) RETURN a",  # a function named so
    "MATCH (n:Where {where: 1}) RETURN n.where",
]


@pytest.mark.parametrize("cypher,sent", REWRITTEN)
def test_a_range_comparison_on_an_indexed_text_is_rewritten(cypher, sent):
    assert RANGE_GUARD.rewrite(cypher) == sent


@pytest.mark.parametrize("cypher", UNTOUCHED)
def test_everything_else_is_sent_as_written(cypher):
    assert RANGE_GUARD.rewrite(cypher) == cypher


def test_the_guarded_properties_are_the_text_indexes_falkordb_keeps():
    kept = [i for i in CASE_INDEXES + RECORD_INDEXES if i not in TEXT_RANGE_UNSAFE]
    assert RANGE_GUARD.properties == {i.prop for i in kept if i.holds_text}
    assert {"key", "review", "type", "risk_level", "find_text"} <= RANGE_GUARD.properties
    assert not {"abused_partners", "shares", "date_from"} & RANGE_GUARD.properties


def test_a_new_text_index_is_guarded_without_a_list_to_edit():
    guard = TextRangeGuard.of(CASE_INDEXES + (Index("Person", "surname"),))
    assert guard.rewrite("MATCH (p) WHERE p.surname < 'm' RETURN p") == \
        "MATCH (p) WHERE coalesce(p.surname) < 'm' RETURN p"


def test_every_canned_query_survives_the_rewrite_as_cypher():
    """The rewrite only wraps: nothing outside the wraps changes."""
    from dhrkg.graph import canned

    def unwrapped(text: str) -> str:
        return text.replace("coalesce(", "").replace("(", "").replace(")", "")

    for q in canned.load_library(include_user=False):
        text = q.text_for("falkordb")
        sent = RANGE_GUARD.rewrite(text)
        assert unwrapped(sent) == unwrapped(text) and sent.count("(") == sent.count(")"), q.name


def _events(store) -> None:
    rows = [{"key": f"t/{c}", "review": "t", "type": "incident", "id": c} for c in "afmz"]
    bulk_load(store, [node_stream("Event", rows)])


def _plan(store, cypher: str, params: dict) -> str:
    return str(store._graph.explain(RANGE_GUARD.rewrite(cypher), params))


def test_equality_on_key_still_uses_the_index_after_the_rewrite(store_falkordb):
    _events(store_falkordb)
    both = "MATCH (e:Event) WHERE e.key = $k AND e.type < $b RETURN e.id"
    assert "Node By Index Scan" in _plan(store_falkordb, both, {"k": "t/a", "b": "z"})
    assert "Node By Index Scan" in _plan(store_falkordb, "MATCH (e:Event {key: $k}) WHERE e.key < $b RETURN e",
                                         {"k": "t/a", "b": "z"})
    assert "Node By Index Scan" not in _plan(store_falkordb, "MATCH (e:Event) WHERE e.key < $b RETURN e",
                                             {"b": "t/m"})
    assert store_falkordb.query(both, {"k": "t/a", "b": "z"}).rows == [["a"]]


def test_strings_and_comments_that_look_like_comparisons_come_back_as_written(store):
    _events(store)
    cypher = ("MATCH (e:Event) WHERE e.key < $b AND e.id <> \"e.key < 'a'\" // e.key < 'a'\n"
              "RETURN e.id AS id, \"e.key < 'a'\" AS s, e.key < 't/m' ORDER BY id")
    result = store.query(cypher, {"b": "t/m"})
    assert result.rows == [["a", "e.key < 'a'", True], ["f", "e.key < 'a'", True]]
    assert result.columns == ["id", "s", "e.key < 't/m'"]


def test_a_syntax_error_names_the_users_line_and_column(store_falkordb):
    cypher = "MATCH (e:Event) WHERE e.key < 'm' AND e.type < 'x'\nRETUR e"
    with pytest.raises(Exception) as caught:
        store_falkordb.query(cypher)
    assert explain_syntax_error(str(caught.value), cypher).startswith(
        "Cypher syntax error at line 2, column 6: unexpected 'RETUR'")


def test_any_text_is_rewritten_without_error_and_only_wrapped():
    """Random runs of Cypher's pieces (broken ones included): no exception, nothing but wraps."""
    import random

    pieces = ["e.key", "`e`", ".", "`key`", "<", ">", "=", "<=", "-", "->", "<-", "(", ")", "[", "]", "{", "}",
              "WHERE", "RETURN", "WITH", "'t/m'", "$b", "+", "f.key(", "/*", "*/", "//", "\n", "'", "`", "x.type"]
    rng = random.Random(7)
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        sent = RANGE_GUARD.rewrite(text)
        assert sent.replace("coalesce(", "").replace(")", "") == text.replace(")", ""), text


def test_a_backquoted_name_with_a_backquote_in_it_is_still_found():
    cypher = "MATCH (`a``b`) WHERE 'm' > `a``b`.key RETURN 1"
    assert RANGE_GUARD.rewrite(cypher) == "MATCH (`a``b`) WHERE 'm' > coalesce(`a``b`.key) RETURN 1"


def test_a_texts_tokens_and_rewrite_are_kept_together_for_the_last_64_texts():
    """The read path keeps one record per query text (dhrkg.graph.readonly.read_text): the
    read-only check's tokens and the rewrite, forgotten together, no more than 64 texts (in
    memory: a literal may be personal data)."""
    from dhrkg.graph.readonly import check_read_only, read_text

    read_text.cache_clear()
    texts = [f"MATCH (e:Event) WHERE e.key < 'person {i}' RETURN e" for i in range(100)]
    for text in texts:
        check_read_only(text)
        RANGE_GUARD.rewrite(text)
    assert read_text.cache_info().currsize == 64
    last = read_text(texts[-1])
    assert last.tokens and last.derived == {RANGE_GUARD: texts[-1].replace("e.key", "coalesce(e.key)")}
    read_text.cache_clear()  # both go at once
    assert read_text(texts[-1]).derived == {}
