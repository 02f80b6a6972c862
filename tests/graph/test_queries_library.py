"""The canned-query library: file format, folders, engine variants, parameter binding.
(No graph needed here; running the queries is in test_queries_gold.py / test_queries_synthetic.py.)"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dhrkg.graph import canned
from dhrkg.graph.canned import ParameterError, QueryFileInvalid

ISSUE_QUERIES = [
    "prior-partners", "children-across-households", "cross-area-history", "risk-not-shared",
    "agencies-saw-both", "serial-perpetrators", "escalation", "contacts-before-death",
    "find-path", "connecting-network", "linked", "review-summary",
]


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return p


SIMPLE = """
    // name: my-query
    // title: People in a review
    // question: Who is in this review?
    // parameters:
    //   review: {type: review, positional: true, description: the review id}
    //   limit: {type: integer, default: 10}
    // columns:
    //   person: person key
    MATCH (p:Person {review: $review}) RETURN p.key AS person ORDER BY person LIMIT $limit
"""


@pytest.fixture
def no_user_dirs(monkeypatch, tmp_path):
    """Keep the developer's own query folders out of these tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DHRKG_QUERIES_DIR", raising=False)


def test_package_ships_the_issue_queries_and_at_least_25(no_user_dirs):
    lib = canned.load_library()
    assert lib.problems == [], [str(p) for p in lib.problems]
    assert set(ISSUE_QUERIES) <= set(lib.names())
    assert len(lib) >= 25
    for q in lib:
        assert q.origin == "package"
        assert q.title and q.question and q.columns
        for backend in canned.BACKENDS:
            assert q.text_for(backend).strip()


def test_parse_comment_header(tmp_path):
    p = write(tmp_path, "my-query.cypher", SIMPLE)
    q = canned.parse_query_text(p.read_text(), p)
    assert q.name == "my-query" and q.question == "Who is in this review?"
    assert [(x.name, x.type, x.required, x.default, x.positional) for x in q.parameters] == [
        ("review", "review", True, None, True), ("limit", "integer", False, 10, False)]
    assert q.columns == {"person": "person key"}
    assert q.cypher.startswith("MATCH (p:Person")
    assert q.usage() == "my-query REVIEW [--param limit=10]"


def test_parse_yaml_block_header(tmp_path):
    text = textwrap.dedent("""
        ---
        name: yaml-query
        title: T
        question: Q?
        columns: [a, {b: the b}]
        ---
        RETURN 1 AS a, 2 AS b
    """).lstrip()
    q = canned.parse_query_text(text, tmp_path / "yaml-query.cypher")
    assert q.columns == {"a": "", "b": "the b"} and q.parameters == []
    assert q.cypher.strip() == "RETURN 1 AS a, 2 AS b"


@pytest.mark.parametrize("mutate,message", [
    (lambda t: t.replace("// name: my-query\n", ""), "header field 'name' is missing"),
    (lambda t: t.replace("my-query", "other-name", 1), "does not match the file name"),
    (lambda t: t.replace("type: integer", "type: number"), "type 'number' is not one of"),
    (lambda t: t.replace("default: 10", "default: ten"), "default of parameter limit: parameter limit: expected a whole number"),
    (lambda t: t.replace("LIMIT $limit", "LIMIT $lmit"), "uses $lmit, which is not a declared parameter"),
    (lambda t: t.replace("// columns:\n//   person: person key\n", ""), "header field 'columns' is missing"),
    (lambda t: t.replace("// title: People in a review\n", "// title: [unclosed\n"), "header is not valid YAML"),
    (lambda t: t.replace("// question:", "// qestion:"), "unknown header field(s): qestion"),
    (lambda t: t.split("MATCH")[0], "has a header but no Cypher"),
    (lambda t: t.replace("{type: review,", "{type: review, colour: red,"), "unknown field(s) colour"),
])
def test_invalid_files_say_what_is_wrong(tmp_path, mutate, message):
    text = mutate(textwrap.dedent(SIMPLE).lstrip())
    p = write(tmp_path, "my-query.cypher", text)
    with pytest.raises(QueryFileInvalid) as exc:
        canned.parse_query_text(p.read_text(), p)
    assert message in str(exc.value)
    assert str(p) in str(exc.value)


def test_wrong_parameter_reference_names_the_line(tmp_path):
    p = write(tmp_path, "my-query.cypher", SIMPLE.replace("LIMIT $limit", "\n    LIMIT $nope"))
    with pytest.raises(QueryFileInvalid) as exc:
        canned.parse_query_text(p.read_text(), p)
    assert exc.value.line == 2  # second line of the Cypher body


def test_user_folders_add_and_override(tmp_path, monkeypatch, no_user_dirs):
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    cli_dir = tmp_path / "cli"
    cli_dir.mkdir()
    write(env_dir, "my-query.cypher", SIMPLE)
    monkeypatch.setenv("DHRKG_QUERIES_DIR", str(env_dir))
    # an analyst's copy of a packaged query replaces it
    pkg = canned.load_library(include_user=False).get("review-summary")
    override = pkg.path.read_text().replace(pkg.title, "My own summary")
    write(cli_dir, "review-summary.cypher", override)
    lib = canned.load_library([cli_dir])
    assert lib.get("my-query").origin == "DHRKG_QUERIES_DIR"
    mine = lib.get("review-summary")
    assert mine.title == "My own summary" and mine.origin == "--queries-dir" and mine.overrides == pkg.path
    assert len(lib) == len(canned.load_library(include_user=False)) + 1


def test_user_config_folder(tmp_path, monkeypatch, no_user_dirs):
    folder = canned.user_dir()
    assert str(folder).startswith(str(tmp_path / "config"))
    folder.mkdir(parents=True)
    write(folder, "my-query.cypher", SIMPLE)
    assert canned.load_library().get("my-query").origin == "user"


def test_broken_user_file_is_reported_not_fatal(tmp_path, no_user_dirs):
    write(tmp_path, "broken.cypher", "MATCH (n) RETURN n\n")
    write(tmp_path, "bad.name.cypher", SIMPLE)
    lib = canned.load_library([tmp_path])
    assert "prior-partners" in lib.names()
    msgs = sorted(str(p) for p in lib.problems)
    assert any("broken.cypher" in m and "no header" in m for m in msgs)
    assert any("bad.name.cypher" in m and "file name must be" in m for m in msgs)
    with pytest.raises(canned.UnknownQuery, match="cannot be used"):
        lib.get("broken")
    with pytest.raises(canned.UnknownQuery, match="no query named 'nonesuch'"):
        lib.get("nonesuch")


def test_engine_variants_beside_the_query(tmp_path):
    write(tmp_path, "my-query.cypher", SIMPLE)
    write(tmp_path, "my-query.falkordb.cypher", "// FalkorDB form\nMATCH (p:Person) WHERE p.review = $review RETURN p.key AS person LIMIT $limit\n")
    (q,), problems = canned.load_folder(tmp_path)
    assert problems == []
    assert "WHERE p.review" in q.text_for("falkordb")
    assert q.text_for("neo4j") == q.cypher
    write(tmp_path, "my-query.neo4j.cypher", "MATCH (p:Person) RETURN p.key AS person, $oops AS x\n")
    (), problems = canned.load_folder(tmp_path)
    assert "$oops" in str(problems[0]) and "my-query.neo4j.cypher" in str(problems[0])


def test_variants_only(tmp_path):
    header = SIMPLE.split("    MATCH")[0]
    write(tmp_path, "my-query.falkordb.cypher", header + "    RETURN 'f' AS person\n")
    (), problems = canned.load_folder(tmp_path)
    assert "would not run on neo4j" in str(problems[0])
    write(tmp_path, "my-query.neo4j.cypher", "RETURN 'n' AS person\n")
    (q,), problems = canned.load_folder(tmp_path)
    assert q.cypher is None and q.text_for("neo4j").strip() == "RETURN 'n' AS person"


# --------------------------------------------------------------------------- binding


@pytest.fixture
def typed(tmp_path):
    text = """
        // name: typed
        // title: T
        // question: Q?
        // parameters:
        //   a: {type: person, positional: true}
        //   others: {type: list, of: person, positional: true, required: false, default: []}
        //   n: {type: integer, default: 3}
        //   x: {type: float, default: 0.5}
        //   flag: {type: boolean, default: false}
        //   since: {type: date, required: false}
        //   level: {type: string, default: medium, choices: [standard, medium, high]}
        //   r: {type: review, required: false}
        // columns: [a]
        RETURN $a AS a, $others AS o, $n AS n, $x AS x, $flag AS f, $since AS s, $since_from AS sf,
               $since_to AS st, $level AS l, $r AS r
    """
    return canned.parse_query_text(textwrap.dedent(text).lstrip(), tmp_path / "typed.cypher")


def test_bind_types_and_defaults(typed):
    b = canned.bind(typed, {"n": "7", "flag": "yes", "since": "2011-02", "x": "1.25"}, ["rev/A", "rev/B", "rev/C"])
    assert b == {"a": "rev/A", "others": ["rev/B", "rev/C"], "n": 7, "x": 1.25, "flag": True,
                 "since": "2011-02", "since_from": "2011-02-01", "since_to": "2011-02-28",
                 "level": "medium", "r": None}
    b = canned.bind(typed, {"others": "rev/B,rev/C"}, ["rev/A"])
    assert b["others"] == ["rev/B", "rev/C"] and b["since"] is None and b["since_from"] is None


@pytest.mark.parametrize("values,args,message", [
    ({}, [], "needs parameter a (person"),
    ({}, ["Perpetrator"], "expected a person key '<review>/<id>'"),
    ({"n": "three"}, ["r/a"], "parameter n: expected a whole number, got 'three'"),
    ({"flag": "perhaps"}, ["r/a"], "expected true or false"),
    ({"since": "2011-13"}, ["r/a"], "month 13 does not exist"),
    ({"level": "extreme"}, ["r/a"], "'extreme' is not one of standard, medium, high"),
    ({"nope": "1"}, ["r/a"], "has no parameter 'nope'"),
    ({"a": "r/b"}, ["r/a"], "given twice"),
    ({"r": "a/b"}, ["r/a"], "expected a review id"),
])
def test_bind_rejects_bad_values(typed, values, args, message):
    with pytest.raises(ParameterError) as exc:
        canned.bind(typed, values, args)
    assert message in str(exc.value)


def test_too_many_positional(tmp_path):
    p = write(tmp_path, "my-query.cypher", SIMPLE)
    q = canned.parse_query_text(p.read_text(), p)
    with pytest.raises(ParameterError, match="too many arguments"):
        canned.bind(q, {}, ["a", "b"])


def test_every_packaged_query_binds_its_example(no_user_dirs):
    """The example in each header is a real command line that binds."""
    import shlex

    for q in canned.load_library():
        assert q.example, f"{q.name} has no example"
        words = shlex.split(q.example)
        assert words[:3] == ["dhrkg", "run", q.name], q.example
        args, named, i = [], {}, 3
        while i < len(words):
            if words[i] in ("--param", "-p"):
                k, _, v = words[i + 1].partition("=")
                named.setdefault(k, []).append(v)
                i += 2
            elif words[i].startswith("--"):
                i += 2
            else:
                args.append(words[i])
                i += 1
        canned.bind(q, {k: v if len(v) > 1 else v[0] for k, v in named.items()}, args)


def test_docs_reference_is_up_to_date(no_user_dirs):
    """docs/queries.md's generated part matches the query files (python -m dhrkg.graph.canned --write)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "queries.md").read_text(encoding="utf-8")
    generated = doc.split(canned.DOC_BEGIN, 1)[1].split(canned.DOC_END, 1)[0]
    assert generated.strip() == canned.markdown_reference().strip(), "run: python -m dhrkg.graph.canned --write"


def test_docs_example_query_file_is_valid(tmp_path):
    """The example of a user query in docs/queries.md parses as a query file."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "queries.md").read_text(encoding="utf-8")
    block = doc.split("```cypher\n", 1)[1].split("```", 1)[0]
    q = canned.parse_query_text(block, tmp_path / "partners-in-area.cypher", origin="user")
    assert q.name == "partners-in-area" and [p.name for p in q.parameters] == ["person", "area"]
    from dhrkg.graph.lint import lint_cypher

    assert lint_cypher(q.cypher) == []
