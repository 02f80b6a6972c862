"""Which canned queries are national scans (``scope: national``): in the files, in
``dhrkg queries`` (list, one query, JSON) and in docs/queries.md; a wrong value is refused."""

from __future__ import annotations

import json
import textwrap

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.graph import canned
from dhrkg.graph.canned import QueryFileInvalid

NATIONAL = {"serial-perpetrators", "risk-not-shared", "referrals-not-actioned", "incidents-without-risk-assessment",
            "reviews", "linked-serial-perpetrators"}
runner = CliRunner()


@pytest.fixture(autouse=True)
def no_user_dirs(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DHRKG_QUERIES_DIR", raising=False)


def test_national_scans_are_marked():
    lib = canned.load_library(include_user=False)
    national = {q.name for q in lib if q.scope == "national"}
    assert NATIONAL <= national
    assert all(q.name.startswith("dhrd-") for q in lib if q.name in national - NATIONAL)
    assert not {"person-timeline", "prior-partners", "review-summary", "agencies-saw-both"} & national
    assert "find-person" not in national  # found from its text index (Person.find_text)


def test_dhrkg_queries_says_which_are_national_scans():
    r = runner.invoke(app, ["queries"], env={"COLUMNS": "80"})
    assert r.exit_code == 0
    assert "serial-perpetrators *" in r.stdout and "person-timeline *" not in r.stdout
    assert "* national scan" in r.stdout
    one = runner.invoke(app, ["queries", "serial-perpetrators"])
    assert "Scope: national scan" in one.stdout
    assert "find-person *" not in r.stdout and "Scope:" not in runner.invoke(app, ["queries", "find-person"]).stdout
    listed = json.loads(runner.invoke(app, ["queries", "--json"]).stdout)["queries"]
    assert {q["name"] for q in listed if q["scope"] == "national"} >= NATIONAL


def test_the_footnote_names_the_national_scans_a_review_narrows():
    r = runner.invoke(app, ["queries"], env={"COLUMNS": "80"})
    note = " ".join(r.stdout[r.stdout.index("* national scan"):].split())
    assert "narrows incidents-without-risk-assessment, referrals-not-actioned, risk-not-shared." in note
    assert "serial-perpetrators" not in note  # it takes no review: the note must not promise one


def test_a_wrong_scope_names_the_file(tmp_path):
    p = tmp_path / "my-query.cypher"
    p.write_text(textwrap.dedent("""\
        // name: my-query
        // title: Everyone
        // question: Who is there?
        // scope: everywhere
        // columns:
        //   person: person key
        MATCH (p:Person) RETURN p.key AS person
    """), encoding="utf-8")
    with pytest.raises(QueryFileInvalid) as exc:
        canned.parse_query_text(p.read_text(), p)
    assert "scope: 'everywhere' is not one of: national" in str(exc.value) and str(p) in str(exc.value)
