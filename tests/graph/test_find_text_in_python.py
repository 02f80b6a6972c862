"""Person.find_text made in Python where rows are built (dhrkg.graph.summaries.with_substrings)
holds exactly what the engine's own rule makes, on both engines: names with accents,
apostrophes, hyphens, letters of other scripts, aliases, short and missing names. Texts that an
engine lowers its own way (Turkish dotted I, Greek final sigma, scripts past Cyrillic) are left
to the engine's rule, which then runs only for them."""

from __future__ import annotations

import pytest

from dhrkg.graph.schema import case_rows
from dhrkg.graph.summaries import substring_props, summary_steps
from dhrkg.model import CaseFile

NAMES = ["Éloïse O'Brien", "Zoë D’Arcy", "Seán Ó Súilleabháin", "Jean-Luc Müller", "Łukasz Ñuño", "Björn Straße",
         "ǅemal Kovač", "Ана Иванова", "Άννα Παπαδοπούλου", "Nguyễn Văn", "x\u0301y Combining", "Al", "Jo",
         "İSTANBUL Öz", "ΟΔΟΣ Σίσυφος", "Ｆｕｌｌ Width", "李 小龍", "MacDonald (Mac)"]
ALIASES = [["former partner", "Mr O'Neil-Smith"], ["AB", "J."], [], ["back\\slash", "x@y.org"]]
#: lowered alike by Python and both engines: made in Python
IN_PYTHON = {"Éloïse O'Brien", "Zoë D’Arcy", "Ана Иванова", "Άννα Παπαδοπούλου", "ǅemal Kovač", "Nguyễn Văn",
             "李 小龍", "Björn Straße", "x\u0301y Combining", "Al"}
#: lowered by an engine its own way, or past the scripts checked: left to the engine's rule
LEFT_TO_ENGINE = {"İSTANBUL Öz", "ΟΔΟΣ Σίσυφος", "Ｆｕｌｌ Width"}


def case() -> CaseFile:
    persons = [{"id": f"p{i}", "name": name, "roles": ["family"], "aliases": ALIASES[i % len(ALIASES)]}
               for i, name in enumerate(NAMES)]
    persons.append({"id": "p-unnamed", "roles": ["family"]})
    return CaseFile.model_validate({
        "format": "dhr-case/1",
        "review": {"id": "names-py", "title": "Names", "police_force_area": "Kent", "homicide_date": "2020"},
        "persons": persons})


def find_texts(store) -> dict:
    return dict(store.query("MATCH (p:Person {review: 'names-py'}) RETURN p.key, p.find_text").rows)


def test_find_text_made_in_python_is_the_engine_rule_s(store):
    c = case()
    sent = []
    real = store._replace
    store._replace = lambda statements, scope: sent.extend(statements) or real(statements, scope)
    try:
        store.load_case(c)
    finally:
        del store._replace
    loaded = find_texts(store)
    rows = {r["name"]: r for st in sent if st.kind == "node" and st.label == "Person" for r in st.params["rows"]
            if "name" in r}
    assert {n for n in IN_PYTHON if "find_text" in rows[n]} == IN_PYTHON  # made where the rows were built
    assert not {n for n in LEFT_TO_ENGINE if "find_text" in rows[n]}
    assert any("find_text IS NULL" in st.cypher for st in sent)  # the rule did only those left
    store._write_steps(summary_steps("names-py", store.dialect))  # the engine's rule for every person
    assert find_texts(store) == loaded
    assert loaded["names-py/p-unnamed"] is not None and all(v is not None for v in loaded.values())


@pytest.mark.parametrize("dialect_name", ["falkordb", "neo4j"])
def test_texts_lowered_differently_are_not_made_in_python(dialect_name):
    from dhrkg.graph.dialect import FALKORDB, NEO4J

    dialect = {"falkordb": FALKORDB, "neo4j": NEO4J}[dialect_name]
    rows = {r["name"]: r for r in case_rows(case()).nodes["Person"] if "name" in r}
    for name in LEFT_TO_ENGINE:
        assert substring_props("Person", rows[name], dialect) == {}
    assert substring_props("Person", {"name": "Ann", "id": "x1", "review": "r"}, dialect) == (
        {"find_text": ["<an>", "<nn>", "<ann>", "<x1>", "<*>"]} if dialect_name == "falkordb" else {"find_text": "ann\nx1\n"})
    assert substring_props("Person", {"name": "Al", "id": "x1", "review": "r"}, dialect) == (
        {"find_text": ["<al>", "<x1>", "<*>"]} if dialect_name == "falkordb" else {"find_text": "al\nx1\n"})


def test_a_word_s_pieces_are_made_once():
    """Names repeat: a word's pieces are kept and reused (BENCHMARKS.md, "FalkorDB online node
    batches"), and every person still gets a list of their own, the rule's."""
    from dhrkg.graph.dialect import FALKORDB, word_pieces

    assert word_pieces("allen") is word_pieces("allen")
    first, second = FALKORDB.substring_python(["julie allen", "p1"]), FALKORDB.substring_python(["ann allen"])
    assert first[:10] == ["<ju>", "<ul>", "<li>", "<ie>", "<jul>", "<uli>", "<lie>", "<juli>", "<ulie>", "<julie>"]
    assert first[-2:] == ["<p1>", "<*>"] and second[-1] == "<*>" and first is not second
    assert word_pieces("allen") == ["<al>", "<ll>", "<le>", "<en>", "<all>", "<lle>", "<len>", "<alle>", "<llen>", "<allen>"]
