"""The HTTP API over real HTTP: uvicorn on a loopback port, httpx, on FalkorDB and on Neo4j.

Each role's allowed and forbidden calls, revoked tokens, the audit log written and verified,
Cypher writes refused, every example case file uploaded and drawn, a broken case file answered
with its lines, problem+json errors, request limits and security headers.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from support.live_server import EXAMPLES, live_server

ROOT = Path(__file__).resolve().parents[2]
EX001 = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
R001 = "north-worcs-dhr-7"
R000 = "stafford-dhr-s-2011"


#: Accounts beyond the site's own (tests/api/conftest.py): a researcher, and one whose token is revoked.
EXTRA_USERS = {"researcher": ("researcher", []), "leaver": ("analyst", [])}


def _problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in r.text
    return body


# --------------------------------------------------------------------------- credentials


def test_health_needs_no_credential_and_everything_else_does(as_):
    anon = as_(None)
    assert anon.get("/health").json() == {"status": "ok"}
    for path in ("/api/v1/reviews", f"/api/v1/reviews/{R001}", "/api/v1/queries", "/openapi.json", "/docs"):
        body = _problem(anon.get(path), 401)
        assert "Bearer" in body["detail"]
    r = anon.get("/api/v1/reviews", headers={"Authorization": "Bearer dhrkg_not-a-token"})
    _problem(r, 401)


def test_a_revoked_token_is_refused(site, as_):
    client = as_("leaver")
    assert client.get("/api/v1/me").json()["role"] == "analyst"
    site["accounts"].revoke("leaver")
    body = _problem(client.get("/api/v1/me"), 401)
    assert "revoked" in body["detail"]


def test_security_headers_on_every_response(as_):
    for r in (as_(None).get("/health"), as_(None).get("/api/v1/reviews"), as_("admin").get("/api/v1/reviews")):
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert "access-control-allow-origin" not in r.headers  # CORS off unless configured


# --------------------------------------------------------------------------- reviews


def test_upload_each_example_then_its_genogram(as_):
    admin = as_("admin")
    for path in EXAMPLES:
        r = admin.put(f"/api/v1/reviews/{_review_id(path)}", files={"file": (path.name, path.read_bytes(), "application/yaml")})
        assert r.status_code == 200, r.text
        assert r.json()["replaced"] is True
        svg = admin.get(f"/api/v1/reviews/{_review_id(path)}/genogram.svg")
        assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
        assert svg.text.lstrip().startswith("<") and 'data-kind="person"' in svg.text


def _review_id(path: Path) -> str:
    import yaml

    return yaml.safe_load(path.read_text())["review"]["id"]


def test_a_broken_case_file_is_answered_with_its_lines_and_nothing_changes(as_):
    admin = as_("admin")
    before = admin.get(f"/api/v1/reviews/{R001}").json()
    text = EX001.read_text().replace('born: "1993"', 'born: "1993-02-30"', 1).replace("agency: wmp\n", "agency: wmp2\n", 1)
    r = admin.put(f"/api/v1/reviews/{R001}", content=text.encode(), headers={"Content-Type": "application/yaml"})
    body = _problem(r, 422)
    lines = {(e["line"], e["path"].split(".")[-1]) for e in body["errors"]}
    assert (23, "born") in lines and any(p == "agency" for _, p in lines)
    assert all(e["text"].startswith("upload.yaml:") for e in body["errors"])
    assert "nothing was loaded" in body["detail"]
    assert admin.get(f"/api/v1/reviews/{R001}").json() == before


def test_a_replaced_review_is_served_at_once_not_from_the_cache(as_):
    admin = as_("admin")
    assert admin.get(f"/api/v1/reviews/{R001}/persons/Perpetrator").json()["person"]["name"] == "the Perpetrator"
    admin.get(f"/api/v1/reviews/{R001}/genogram.svg")
    renamed = EX001.read_text().replace("name: the Perpetrator", "name: Mr P", 1)
    try:
        assert admin.put(f"/api/v1/reviews/{R001}", content=renamed.encode(),
                         headers={"Content-Type": "application/yaml"}).status_code == 200
        assert admin.get(f"/api/v1/reviews/{R001}/persons/Perpetrator").json()["person"]["name"] == "Mr P"
        assert "Mr P" in admin.get(f"/api/v1/reviews/{R001}/genogram.svg").text
    finally:
        admin.put(f"/api/v1/reviews/{R001}", content=EX001.read_bytes(), headers={"Content-Type": "application/yaml"})


def test_reviews_list_filters_and_pages(as_):
    admin = as_("admin")
    everything = admin.get("/api/v1/reviews").json()
    assert everything["total"] == 3 and {r["id"] for r in everything["items"]} >= {R001, R000}
    west = admin.get("/api/v1/reviews", params={"area": "West Mercia"}).json()
    assert [r["id"] for r in west["items"]] == [R001]
    page = admin.get("/api/v1/reviews", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3 and len(page["items"]) == 1 and page["items"][0] == everything["items"][1]
    assert admin.get("/api/v1/reviews", params={"q": "worcs"}).json()["total"] == 1
    _problem(admin.get("/api/v1/reviews", params={"limit": 0}), 422)


def test_summary_is_that_of_dhrkg_summary(as_):
    from dhrkg.model import load_case
    from dhrkg.model.summary import as_dict, summarise

    def same_order(summary: dict) -> dict:  # the graph gives records back in id order
        return {**summary, "people": sorted(summary["people"], key=lambda p: p["id"]),
                "agencies_by_type": {k: sorted(v) for k, v in sorted(summary["agencies_by_type"].items())}}

    served = as_("chair").get(f"/api/v1/reviews/{R001}").json()
    assert same_order(served) == same_order(as_dict(summarise(load_case(EX001))))


def test_person_with_relationships_households_events_agencies(as_):
    body = as_("chair").get(f"/api/v1/reviews/{R001}/persons/Perpetrator").json()
    assert body["person"]["id"] == "Perpetrator"
    assert any(r["type"] == "partner" for r in body["relationships"])
    assert body["events"] and all("Perpetrator" in e["persons"] for e in body["events"])
    assert {a["id"] for a in body["agencies_seen_by"]} == {e["agency"] for e in body["events"] if e.get("agency")}
    _problem(as_("chair").get(f"/api/v1/reviews/{R001}/persons/nobody"), 404)


def test_events_filters(as_):
    chair = as_("chair")
    all_events = chair.get(f"/api/v1/reviews/{R001}/events", params={"limit": 1000}).json()
    wmp = chair.get(f"/api/v1/reviews/{R001}/events", params={"agency": "wmp", "limit": 1000}).json()
    assert 0 < wmp["total"] < all_events["total"] and all(e["agency"] == "wmp" for e in wmp["items"])
    late = chair.get(f"/api/v1/reviews/{R001}/events", params={"from": "2013", "limit": 1000}).json()
    assert late["total"] and all(e["date"] >= "2013" or e.get("until", "") >= "2013" for e in late["items"])
    _problem(chair.get(f"/api/v1/reviews/{R001}/events", params={"from": "2013-02-30"}), 422)


# --------------------------------------------------------------------------- roles


def test_chair_sees_and_edits_only_granted_reviews(as_):
    chair = as_("chair")
    assert [r["id"] for r in chair.get("/api/v1/reviews").json()["items"]] == [R001]
    _problem(chair.get(f"/api/v1/reviews/{R000}"), 403)
    _problem(chair.get(f"/api/v1/reviews/{R000}/genogram.svg"), 403)
    text = (ROOT / "examples" / "000_758f327280f4e0aa.yaml").read_bytes()
    _problem(chair.put(f"/api/v1/reviews/{R000}", content=text, headers={"Content-Type": "application/yaml"}), 403)
    _problem(chair.delete(f"/api/v1/reviews/{R001}"), 403)
    _problem(chair.post("/api/v1/cypher", json={"query": "MATCH (n) RETURN count(n)"}), 403)
    # a canned query across reviews is not for a chair; one on the granted review is
    _problem(chair.get("/api/v1/queries/prior-partners/run", params={"person": f"{R000}/Perpetrator"}), 403)
    r = chair.get("/api/v1/queries/prior-partners/run", params={"person": f"{R001}/Perpetrator"})
    assert r.status_code == 200, r.text


def test_analyst_runs_queries_and_read_only_cypher_across_reviews(as_):
    analyst = as_("analyst")
    r = analyst.get("/api/v1/queries/prior-partners/run", params={"person": f"{R001}/Perpetrator"})
    assert r.status_code == 200
    rows = r.json()["rows"]
    assert rows and all("partner" in row for row in rows)
    csv = analyst.get("/api/v1/queries/prior-partners/run", params={"person": f"{R001}/Perpetrator", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.splitlines()[0].startswith(r.json()["columns"][0])
    assert len(csv.text.strip().splitlines()) >= len(rows) + 1
    r = analyst.post("/api/v1/cypher", json={"query": "MATCH (r:Review) RETURN r.id AS id ORDER BY id"})
    assert [row["id"] for row in r.json()["rows"]] == sorted([R001, R000, "birmingham-bdhr-2012-13-04"])
    _problem(analyst.delete(f"/api/v1/reviews/{R001}"), 403)
    _problem(analyst.put(f"/api/v1/reviews/{R001}", content=EX001.read_bytes(), headers={"Content-Type": "application/yaml"}), 403)


def test_cypher_writes_are_refused(as_):
    analyst = as_("analyst")
    for text in ("MATCH (p:Person) SET p.name = 'x'", "CREATE (n:Person {id: 'x'})", "MATCH (n) DETACH DELETE n"):
        body = _problem(analyst.post("/api/v1/cypher", json={"query": text}), 403)
        assert body["title"] == "Write refused"
    assert analyst.post("/api/v1/cypher", json={"query": "MATCH (n:Person) RETURN count(n) AS n"}).json()["rows"][0]["n"] > 0


def test_researcher_gets_no_review_or_person(as_):
    researcher = as_("researcher")
    for path in ("/api/v1/reviews", f"/api/v1/reviews/{R001}", f"/api/v1/reviews/{R001}/persons/Victim",
                 f"/api/v1/reviews/{R001}/genogram.svg", f"/api/v1/reviews/{R001}/chronology.xlsx"):
        _problem(researcher.get(path), 403)
    # the canned queries a researcher sees are the aggregate DHRD views only
    names = [q["name"] for q in researcher.get("/api/v1/queries").json()["items"]]
    assert names and all(n.startswith("dhrd-") for n in names)
    _problem(researcher.get("/api/v1/queries/prior-partners/run", params={"person": f"{R001}/Perpetrator"}), 403)
    _problem(researcher.post("/api/v1/cypher", json={"query": "MATCH (n) RETURN n"}), 403)


def test_only_an_admin_deletes(as_, site):
    admin = as_("admin")
    path = ROOT / "examples" / "003_6dddf133ef4ab455.yaml"
    rid = _review_id(path)
    assert admin.delete(f"/api/v1/reviews/{rid}").json()["nodes_deleted"] > 0
    _problem(admin.get(f"/api/v1/reviews/{rid}"), 404)
    _problem(admin.delete(f"/api/v1/reviews/{rid}"), 404)
    assert admin.post("/api/v1/reviews", content=path.read_bytes(), headers={"Content-Type": "application/yaml"}).status_code == 201


# --------------------------------------------------------------------------- audit


def test_reads_queries_and_downloads_are_audited_and_the_chain_verifies(as_, site):
    from dhrkg.api.audit import AuditLog

    chair = as_("chair")
    chair.get(f"/api/v1/reviews/{R001}/persons/Victim")
    chair.get("/api/v1/queries/prior-partners/run", params={"person": f"{R001}/Perpetrator"})
    chair.get(f"/api/v1/reviews/{R001}/genogram.pdf", params={"publication": "true"})
    log = AuditLog(site["data_dir"])
    mine = [e for e in log.entries() if e["user"] == "chair"]
    actions = {(e["action"], e["target"]) for e in mine}
    assert ("read-person", f"{R001}/Victim") in actions
    assert ("run-query", "prior-partners") in actions
    assert ("download", f"{R001}/genogram.pdf") in actions
    run = next(e for e in mine if e["action"] == "run-query")
    assert run["details"]["parameters"] == {"person": f"{R001}/Perpetrator"}
    assert log.verify()[1] == []


def test_audit_verify_detects_an_edited_or_removed_line(tmp_path):
    from dhrkg.api.audit import AuditLog

    log = AuditLog(tmp_path)
    for i in range(4):
        log.record("u", "read-review", f"r{i}")
    assert log.verify() == (4, [])
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join(lines[:1] + lines[2:]) + "\n")  # the second removed
    assert [b.line for b in log.verify()[1]][:1] == [2]
    log.path.write_text("\n".join([lines[0], lines[1].replace("r1", "r9"), *lines[2:]]) + "\n")
    assert any("edited" in b.reason for b in log.verify()[1])
    log.path.write_text("\n".join(lines[:3]) + "\n")  # the last removed
    assert any("end" in b.reason for b in log.verify()[1])


# --------------------------------------------------------------------------- limits


def test_request_limits_and_content_types(engine_store, tmp_path):
    from dhrkg.api.accounts import Accounts

    token = Accounts(tmp_path).add("a", "admin")[1]
    with live_server(tmp_path, engine_store, max_body=1000) as url, httpx.Client(base_url=url) as client:
        auth = {"Authorization": f"Bearer {token}"}
        _problem(client.post("/api/v1/reviews", content=b"x" * 2000, headers={**auth, "Content-Type": "application/yaml"}), 413)
        _problem(client.post("/api/v1/reviews", content=b"<x/>", headers={**auth, "Content-Type": "application/xml"}), 415)
        _problem(client.post("/api/v1/reviews", content=b"\xff\xfe", headers={**auth, "Content-Type": "application/yaml"}), 422)
        _problem(client.get("/api/v1/nothing-here", headers=auth), 404)


def test_no_response_allows_a_remote_origin_or_inline_script(as_):
    """The same strict Content-Security-Policy on every response, /docs and its Swagger UI included."""
    import re

    from dhrkg.api.security import CSP

    admin, anon = as_("admin"), as_(None)
    responses = [anon.get("/health"), anon.get("/signin"), anon.get("/docs"), anon.get("/static/workspace.css"),
                 anon.get("/static/swagger-ui/swagger-ui-bundle.js"), anon.get("/static/swagger-ui/swagger-ui.css"),
                 anon.get("/static/docs.js")]
    responses += [admin.get(p) for p in ("/docs", "/openapi.json", "/reviews", f"/reviews/{R001}", "/queries",
                                         f"/api/v1/reviews/{R001}/genogram.svg", "/api/v1/nothing-here")]
    for r in responses:
        csp = r.headers["content-security-policy"]
        assert csp == CSP, (r.url, csp)
    sources = " ".join(value for part in CSP.split(";") for value in part.split()[1:])
    assert not re.search(r"https?:|\*|unsafe-inline|unsafe-eval|//", sources)
    page = admin.get("/docs").text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # Swagger UI from this site
    assert "<script>" not in page  # no inline start-up script
    bundle = anon.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text


def test_openapi_and_docs_need_a_credential_too(as_):
    _problem(as_(None).get("/openapi.json"), 401)
    _problem(as_(None).get("/docs"), 401)
    spec = as_("researcher").get("/openapi.json").json()
    assert "/api/v1/reviews" in spec["paths"] and "/api/v1/cypher" in spec["paths"]
    assert "swagger-ui" in as_("researcher").get("/docs").text


def test_an_unexpected_error_answers_500_without_data_or_traceback(engine_store, tmp_path):
    def add_failing_route(app):
        @app.get("/api/v1/boom")
        def boom():
            raise RuntimeError("Victim's date of birth 1993-03-01")

    with live_server(tmp_path, engine_store, app_hook=add_failing_route) as url:
        r = httpx.get(url + "/api/v1/boom")
    body = _problem(r, 500)
    assert "1993" not in r.text and "RuntimeError" not in r.text and "boom" not in body["detail"]


def test_cors_is_off_unless_an_origin_is_configured(engine_store, tmp_path):
    from dhrkg.api.accounts import Accounts

    token = Accounts(tmp_path).add("a", "analyst")[1]
    headers = {"Origin": "https://tool.example", "Authorization": f"Bearer {token}"}
    with live_server(tmp_path, engine_store, cors_origins=["https://tool.example"]) as url:
        r = httpx.get(url + "/api/v1/me", headers=headers)
        assert r.headers["access-control-allow-origin"] == "https://tool.example"
        other = httpx.get(url + "/api/v1/me", headers={**headers, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_failed_sign_ins_are_slowed_down_per_client():
    from dhrkg.api.auth import Throttle

    throttle = Throttle()
    delays = []
    for _ in range(6):
        delays.append(throttle.delay("10.0.0.1"))
        throttle.failed("10.0.0.1")
    assert delays == [0.0, 0.25, 0.5, 1.0, 2.0, 4.0]
    assert throttle.delay("10.0.0.2") == 0.0  # another client is not slowed
    throttle.succeeded("10.0.0.1")
    assert throttle.delay("10.0.0.1") == 0.0
