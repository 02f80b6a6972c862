"""Exports and other inputs over real HTTP, on both engines: the RDF export (streamed,
pseudonymised for researchers), the chronology spreadsheet, the DHRD aggregate views, a report
drafted into a case file, and the linkage review queue."""

from __future__ import annotations

import csv
import io
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
R001 = "north-worcs-dhr-7"
R000 = "stafford-dhr-s-2011"


#: Accounts beyond the site's own (tests/api/conftest.py).
EXTRA_USERS = {"researcher": ("researcher", [])}


def before_upload(store) -> None:
    """The DHRD in the graph before the examples are uploaded."""
    from dhrkg.ingest.dhrd import import_dhrd

    import_dhrd(store)


def test_researchers_get_only_the_pseudonymised_rdf_streamed(as_):
    researcher = as_("researcher")
    with researcher.stream("GET", "/api/v1/export/rdf", params={"review": R001}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
        assert "content-length" not in r.headers  # streamed
        text = "".join(r.iter_text())
    assert text.count(" .\n") > 100
    assert "the Perpetrator" not in text and "Perpetrator>" not in text
    assert researcher.get("/api/v1/export/rdf", params={"pseudonymise": "false"}).status_code == 403
    assert as_("chair").get("/api/v1/export/rdf", params={"review": R001, "pseudonymise": "false"}).status_code == 403


def test_an_analyst_exports_the_named_rdf_and_the_same_key_gives_the_same_iris(as_):
    analyst = as_("analyst")
    named = analyst.get("/api/v1/export/rdf", params={"review": R001, "pseudonymise": "false", "format": "ttl"})
    assert named.status_code == 200 and "the Perpetrator" in named.text
    first = as_("researcher").get("/api/v1/export/rdf", params={"review": R001}).text
    second = as_("researcher").get("/api/v1/export/rdf", params={"review": R001}).text
    assert first == second  # the server keeps one research key
    assert analyst.get("/api/v1/export/rdf", params={"review": "nope"}).status_code == 404


def test_chronology_spreadsheet(as_):
    from openpyxl import load_workbook

    r = as_("chair").get(f"/api/v1/reviews/{R001}/chronology.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.max_row - 1 == 119  # the example's events, one a row
    assert as_("chair").get(f"/api/v1/reviews/{R000}/chronology.xlsx").status_code == 403


def test_dhrd_aggregate_views_for_researchers(as_):
    researcher = as_("researcher")
    views = [v["name"] for v in researcher.get("/api/v1/dhrd").json()["items"]]
    assert "dhrd-reviews-by-region" in views
    rows = researcher.get("/api/v1/queries/dhrd-reviews-by-region/run").json()["rows"]
    assert any("London" in str(row.values()) for row in rows)


def test_a_report_becomes_a_draft_case_file_with_provenance(as_):
    import yaml

    report = ROOT / "tests" / "fixtures" / "extract" / "mini_report.txt"
    r = as_("chair").post("/api/v1/reports/extract", files={"file": (report.name, report.read_bytes(), "text/plain")})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/yaml")
    assert r.text.startswith("# Draft case file (dhr-case/1) extracted by dhrkg from mini_report.txt")
    draft = yaml.safe_load(r.text)
    assert draft["persons"] and all(p.get("source") for p in draft["persons"])
    bad = as_("chair").post("/api/v1/reports/extract", files={"file": ("r.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 415
    assert as_("researcher").post("/api/v1/reports/extract", files={"file": (report.name, b"x", "text/plain")}).status_code == 403


def _linkage_state(site) -> Path:
    state = site["data_dir"] / "linkage"
    state.mkdir(exist_ok=True)
    with (state / "records.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "source", "forename", "surname", "date_of_birth", "sex", "postcode_district"])
        for rid, src, fore in (("a1", "wmp", "John"), ("b1", "wmerc", "Jon"), ("a2", "wmp", "Ann"), ("b2", "gp", "Anne")):
            w.writerow([rid, src, fore, "Smith", "1980-01-01", "M", "B1"])
    with (state / "review.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id_l", "record_id_r", "match_probability", "explanation"])
        w.writerow(["a1", "b1", "0.71", "forename similar"])
        w.writerow(["a2", "b2", "0.55", "forename similar"])
    return state


def test_linkage_review_queue(as_, site):
    state = _linkage_state(site)
    analyst = as_("analyst")
    queue = analyst.get("/api/v1/linkage/pairs").json()
    assert queue["total"] == 2 and queue["items"][0]["left"]["forename"] == "John"
    r = analyst.post("/api/v1/linkage/decisions", json={"left": "a1", "right": "b1", "decision": "accept", "note": "same DOB"})
    assert r.status_code == 201, r.text
    assert [p["record_id_l"] for p in analyst.get("/api/v1/linkage/pairs").json()["items"]] == ["a2"]
    assert "accept" in (state / "decisions.csv").read_text()
    bad = analyst.post("/api/v1/linkage/decisions", json={"left": "a1", "right": "zz", "decision": "reject"})
    assert bad.status_code == 422 and "zz" in bad.json()["detail"] and str(state) not in bad.text
    assert as_("chair").get("/api/v1/linkage/pairs").status_code == 403


def test_a_chronology_spreadsheet_adds_events_through_the_api(as_):
    chair = as_("chair")
    sheet = chair.get(f"/api/v1/reviews/{R001}/chronology.xlsx").content
    r = chair.post(f"/api/v1/reviews/{R001}/chronology", data={"replace_events": "true"},
                   files={"file": ("c.xlsx", sheet, "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert r.json()["events"] == 119
    assert chair.get(f"/api/v1/reviews/{R001}/events", params={"limit": 1}).json()["total"] == 119
    bad = chair.post(f"/api/v1/reviews/{R001}/chronology",
                     files={"file": ("c.csv", b"Date,Agency,Summary\n2011-13-01,West Mercia Police,x\n", "text/csv")})
    assert bad.status_code == 422 and bad.json()["errors"] and "row 2" in bad.json()["errors"][0]["message"]
    other = chair.post(f"/api/v1/reviews/{R000}/chronology", files={"file": ("c.xlsx", sheet, "application/octet-stream")})
    assert other.status_code == 403
