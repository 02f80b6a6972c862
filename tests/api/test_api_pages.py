"""The web workspace over real HTTP (no browser): sign-in and session cookie, CSRF, the pages
and their .json twins, upload errors beside their lines, the query and Cypher pages; both engines."""

from __future__ import annotations

import contextlib
import html
import re
from pathlib import Path
from typing import Iterator

import httpx

from support.live_server import live_server

ROOT = Path(__file__).resolve().parents[2]
EX001 = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
R001 = "north-worcs-dhr-7"
R000 = "stafford-dhr-s-2011"


@contextlib.contextmanager
def browser(site, name: str, home: str = "/reviews") -> Iterator[httpx.Client]:
    """A client signed in through the sign-in form, holding the session cookie."""
    with httpx.Client(base_url=site["url"], timeout=60) as client:
        r = client.post("/signin", data={"token": site["tokens"][name], "next": "/reviews"})
        assert r.status_code == 303 and r.headers["location"] == home
        yield client


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def test_pages_redirect_to_sign_in_and_json_twins_answer_401(site):
    with httpx.Client(base_url=site["url"]) as anon:
        r = anon.get(f"/reviews/{R001}")
        assert r.status_code == 303 and r.headers["location"] == f"/signin?next=%2Freviews%2F{R001}"
        assert anon.get(f"/reviews/{R001}.json").status_code == 401
        page = anon.get("/signin")
        assert page.status_code == 200 and '<label for="token">' in page.text


def test_sign_in_sets_a_strict_http_only_cookie_and_bad_tokens_are_refused(site):
    with httpx.Client(base_url=site["url"]) as client:
        bad = client.post("/signin", data={"token": "dhrkg_wrong"})
        assert bad.status_code == 401 and 'role="alert"' in bad.text and "not valid" in bad.text
        r = client.post("/signin", data={"token": site["tokens"]["chair"], "next": "//evil.example/"})
        assert r.headers["location"] == "/reviews"  # only a path on this site
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    from dhrkg.api.audit import AuditLog

    assert any(e["action"] == "sign-in-failed" for e in AuditLog(site["data_dir"]).entries())


def test_cookie_is_secure_behind_tls(engine_store, tmp_path):
    from dhrkg.api.accounts import Accounts

    token = Accounts(tmp_path).add("a", "admin")[1]
    with live_server(tmp_path, engine_store, tls=True) as url, httpx.Client(base_url=url) as client:
        r = client.post("/signin", data={"token": token})
        assert "secure" in r.headers["set-cookie"].lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")


def test_review_page_links_each_person_and_has_drawings_queries_downloads(site):
    with browser(site, "chair") as b:
        page = b.get(f"/reviews/{R001}").text
        assert f'<a href="/reviews/{R001}/persons/Perpetrator" aria-label="' in page
        title = re.search(r'persons/Perpetrator" aria-label="[^"]*" class="person-link"><title>([^<]+)</title>', page).group(1)
        assert "perpetrator" in title and "age" in title and "events:" in title
        assert f'src="/api/v1/reviews/{R001}/timeline.svg"' in page and f'src="/api/v1/reviews/{R001}/network.svg"' in page
        assert f'href="/queries/prior-partners?person={R001}%2FPerpetrator&amp;run=1"' in page
        assert f'/api/v1/reviews/{R001}/genogram.pdf?publication=true' in page
        twin = b.get(f"/reviews/{R001}.json").json()
        assert twin["summary"]["review"] == R001 and twin["queries"] and twin["drawings"]
        img = b.get(f"/api/v1/reviews/{R001}/timeline.svg")  # the cookie is enough for the drawings
        assert img.status_code == 200 and "<svg" in img.text


def test_person_page_and_its_twin(site):
    with browser(site, "chair") as b:
        page = b.get(f"/reviews/{R001}/persons/Perpetrator").text
        assert ">Relationships</h2>" in page and ">Events</h2>" in page and "Agencies that saw them" in page
        assert f"/queries/prior-partners?person={R001}%2FPerpetrator" in page
        twin = b.get(f"/reviews/{R001}/persons/Perpetrator.json").json()
        assert twin["person"]["id"] == "Perpetrator" and twin["events"]


def test_a_chair_gets_a_403_page_for_another_review(site):
    with browser(site, "chair") as b:
        r = b.get(f"/reviews/{R000}")
        assert r.status_code == 403 and "text/html" in r.headers["content-type"] and 'role="alert"' in r.text


def test_upload_needs_the_csrf_token_and_shows_errors_beside_their_lines(site):
    with browser(site, "admin") as b:
        token = csrf(b.get("/upload").text)
        broken = EX001.read_text().replace('born: "1993"', 'born: "1993-02-30"', 1)
        files = {"file": ("broken.yaml", broken.encode(), "application/yaml")}
        assert b.post("/upload", files=files).status_code == 403  # no CSRF token
        r = b.post("/upload", files=files, data={"csrf": token})
        assert r.status_code == 422
        row = re.search(r'<tr id="L23" class="bad">(.*?)</tr>', r.text, re.S).group(1)
        assert "1993-02-30" in row and "February 1993 has 28 days" in row
        ok = b.post("/upload", files={"file": ("001.yaml", EX001.read_bytes(), "application/yaml")}, data={"csrf": token})
        assert ok.status_code == 303 and ok.headers["location"] == f"/reviews/{R001}"


def test_query_page_form_from_parameters_and_results(site):
    with browser(site, "analyst") as b:
        form = b.get("/queries/prior-partners").text
        assert '<label for="p-person">person (required)</label>' in form and 'name="include_current"' in form
        r = b.get("/queries/prior-partners", params={"person": f"{R001}/Perpetrator", "run": "1"})
        assert '<table class="result">' in r.text and "PFP" in r.text
        assert '<th scope="col" title="key of the partner">partner</th>' in r.text  # the one result table
        assert f"/api/v1/queries/prior-partners/run?person={R001}%2FPerpetrator&amp;format=csv" in r.text
        twin = b.get("/queries/prior-partners.json", params={"person": f"{R001}/Perpetrator", "run": "1"}).json()
        assert twin["result"]["total"] >= 1
        assert b.get("/queries.json").json()["queries"]


def test_cypher_page_refuses_writes(site):
    with browser(site, "analyst") as b:
        token = csrf(b.get("/cypher").text)
        r = b.post("/cypher", data={"csrf": token, "query": "MATCH (p:Person) DETACH DELETE p"})
        assert r.status_code == 403 and "Write refused" in r.text
        r = b.post("/cypher", data={"csrf": token, "query": "MATCH (r:Review) RETURN r.id AS id ORDER BY id"})
        assert r.status_code == 200 and R001 in r.text
        assert '<table class="result">' in r.text and '<th scope="col">id</th>' in r.text
    with browser(site, "chair") as chair:
        assert chair.get("/cypher").status_code == 403


def test_sign_out_ends_the_session(site):
    with browser(site, "chair") as b:
        token = csrf(b.get("/reviews").text)
        assert b.post("/signout", data={"csrf": token}).status_code == 303
        assert b.get("/reviews").status_code == 303


def test_report_page_drafts_a_case_file_to_show_or_download(site):
    report = ROOT / "tests" / "fixtures" / "extract" / "mini_report.txt"
    with browser(site, "chair") as b:
        token = csrf(b.get("/upload/report").text)
        files = {"file": (report.name, report.read_bytes(), "text/plain")}
        shown = b.post("/upload/report", files=files, data={"csrf": token, "action": "show"})
        assert shown.status_code == 200
        assert re.search(r'<textarea id="text" name="text"[^>]*># Draft case file \(dhr-case/1\)', shown.text)
        got = b.post("/upload/report", files=files, data={"csrf": token, "action": "download"})
        assert got.headers["content-disposition"] == 'attachment; filename="mini_report-draft.yaml"'
        assert got.text.startswith("# Draft case file")
        bad = b.post("/upload/report", files={"file": ("x.exe", b"MZ", "application/octet-stream")}, data={"csrf": token})
        assert bad.status_code == 415 and 'role="alert"' in bad.text


def test_chronology_page_adds_the_rows_or_names_the_bad_cells(site):
    with browser(site, "chair") as b:
        page = b.get("/upload/chronology").text
        assert f"<option>{R001}</option>" in page and R000 not in page  # only the reviews she may edit
        token = csrf(page)
        sheet = b.get(f"/api/v1/reviews/{R001}/chronology.xlsx").content
        ok = b.post("/upload/chronology", data={"csrf": token, "review": R001, "replace_events": "1"},
                    files={"file": ("chronology.xlsx", sheet, "application/octet-stream")})
        assert ok.status_code == 200 and "119 events added" in ok.text
        broken = b"Date,Agency,Summary\n31/02/2011,West Mercia Police,a call\n"
        bad = b.post("/upload/chronology", data={"csrf": token, "review": R001},
                     files={"file": ("chronology.csv", broken, "text/csv")})
        assert bad.status_code == 422 and "row 2" in bad.text
        assert len(b.get(f"/reviews/{R001}.json").json()["summary"]["people"]) == 22


def test_researcher_export_page_and_aggregate_views(site, engine_store):
    from dhrkg.api.accounts import Accounts

    site["tokens"]["researcher"] = Accounts(site["data_dir"]).add("researcher", "researcher")[1]
    with httpx.Client(base_url=site["url"]) as client:  # signed in, a researcher lands on the exports
        r = client.post("/signin", data={"token": site["tokens"]["researcher"], "next": "/reviews"})
        assert r.headers["location"] == "/export"
    with browser(site, "researcher", home="/export") as b:
        page = b.get("/export").text
        assert "/api/v1/export/rdf?format=nt" in page and "/queries/dhrd-reviews-by-region?run=1" in page
        assert b.get("/queries/dhrd-reviews-by-region", params={"run": "1"}).status_code == 200
        assert b.get("/queries/prior-partners").status_code == 403
        assert b.get("/reviews").status_code == 403


def test_markup_in_case_data_is_escaped_everywhere_on_the_pages(site):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    text = EX001.read_text().replace(f"id: {R001}", "id: xss-test", 1).replace(
        "name: the Perpetrator", f"name: '{evil}'", 1)
    with browser(site, "admin") as b:
        token = csrf(b.get("/upload").text)
        r = b.post("/upload", data={"csrf": token, "text": text})
        assert r.status_code == 303, r.text[:500]
        try:
            for path in ("/reviews/xss-test", "/reviews/xss-test/persons/Perpetrator",
                         "/queries/prior-partners?person=xss-test/Perpetrator&run=1"):
                page = b.get(path).text
                assert "<script>alert" not in page and "<img src=x" not in page, path
                assert "&lt;script&gt;" in page or "queries" in path, path
        finally:
            assert b.delete("/api/v1/reviews/xss-test", headers={"X-CSRF-Token": token}).status_code == 200


def test_a_cookie_alone_cannot_change_anything_through_the_api(site):
    with browser(site, "admin") as b:
        r = b.delete(f"/api/v1/reviews/{R000}")  # the session cookie, no CSRF token
        assert r.status_code == 403 and r.json()["title"] == "CSRF check failed"
        assert b.get(f"/api/v1/reviews/{R000}").status_code == 200


def test_review_page_form_draws_part_of_the_family(site):
    with browser(site, "chair") as b:
        assert 'action="/reviews/north-worcs-dhr-7/genogram"' in b.get(f"/reviews/{R001}").text
        r = b.get(f"/reviews/{R001}/genogram", params={"person": "Perpetrator", "up": "1", "down": "1",
                                                       "format": "pdf", "publication": "1"})
        assert r.status_code == 303
        assert r.headers["location"] == f"/api/v1/reviews/{R001}/genogram.pdf?up=1&down=1&person=Perpetrator&publication=true"
        pdf = b.get(r.headers["location"])
        assert pdf.content.startswith(b"%PDF")
        whole = b.get(f"/api/v1/reviews/{R001}/genogram.svg").text
        part = b.get(f"/api/v1/reviews/{R001}/genogram.svg", params={"person": "Perpetrator", "up": 0, "down": 0}).text
        assert part.count('data-kind="person"') < whole.count('data-kind="person"')


def test_a_bad_form_value_or_unknown_address_gets_a_page_naming_the_field(site):
    """The genogram form with "Generations up" emptied (a number input without a value is sent
    as ``up=``), or letters typed where a number goes, and an address the workspace does not
    have: the browser gets an HTML page in the workspace (a heading, what went wrong naming the
    field, the way back), not the JSON problem the API gives; no traceback, no server path."""
    with browser(site, "chair") as client:
        for path, field in ((f"/reviews/{R001}/genogram?person=&up=&down=2&page=a4&format=svg", "up"),
                            (f"/reviews/{R001}/genogram?up=two", "up"),
                            (f"/reviews/{R001}/genogram?down=-x", "down")):
            r = client.get(path)
            assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), (path, r.text[:200])
            assert "<h1>Invalid input</h1>" in r.text and 'role="alert"' in r.text
            assert f"{field}: not a whole number" in r.text
            assert f'href="/reviews/{R001}"' in r.text and "Traceback" not in r.text and "/work/" not in r.text
        for path in ("/nothing-here", f"/reviews/{R001}/persons"):
            r = client.get(path)
            assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), (path, r.text[:200])
            assert "<h1>Not found</h1>" in r.text and 'href="/reviews"' in r.text
        # the JSON twin and the API keep their problem+json
        r = client.get(f"/reviews/{R001}/genogram.json?up=")
        assert r.headers["content-type"].startswith("application/problem+json")
        assert client.get("/api/v1/nothing").headers["content-type"] == "application/problem+json"


def test_a_query_form_with_a_bad_value_is_shown_again_with_the_error_at_its_field(site):
    """The query page's form run with a value the query refuses (a person not written as
    review/id, a date that is not one): the same page again, status 422, the message naming the
    parameter above the form with a link to its field, the field marked invalid and described by
    the message, and what the chair typed still in the form, not a bare error page that loses it."""
    with browser(site, "chair") as client:
        r = client.get("/queries/prior-partners", params={"person": "Perpetrator", "before": "2013", "run": 1})
        assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
        assert "<h1>prior-partners</h1>" in r.text and 'role="alert"' in r.text
        assert "parameter person: expected a person key" in r.text and 'href="#p-person"' in r.text
        field = re.search(r'<input id="p-person"[^>]*>', r.text).group(0)
        assert 'aria-invalid="true"' in field and 'value="Perpetrator"' in field and "query-error" in field
        assert re.search(r'<input id="p-before"[^>]*value="2013"', r.text)
        r = client.get("/queries/prior-partners", params={"person": f"{R001}/Perpetrator", "before": "2013-13",
                                                          "run": 1})
        assert r.status_code == 422 and "parameter before" in r.text
        assert 'aria-invalid="true"' in re.search(r'<input id="p-before"[^>]*>', r.text).group(0)
        # the JSON twin answers the problem, as before
        r = client.get("/queries/prior-partners.json", params={"person": "Perpetrator", "run": 1})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")


def test_a_refused_cypher_query_is_shown_again_under_its_error(site):
    """An analyst's Cypher with a syntax error, or a write: the Cypher page comes back with the
    engine's or the guard's message above the form and the query still in the box (escaped), to
    be corrected, not a bare error page that lost the text; a role without Cypher is still refused."""
    query = "MATCH (p:Person)\nWHERE p.name = '<b>x</b>'\nRETURN p.name AS name ORDER BY name LIMT 5"
    with browser(site, "analyst") as b:
        token = csrf(b.get("/cypher").text)
        for text, status, words in ((query, 422, "the graph engine refused the query"),
                                    ("MATCH (p:Person) DETACH DELETE p", 403, "DETACH is not allowed here")):
            r = b.post("/cypher", data={"csrf": token, "query": text})
            assert r.status_code == status and r.headers["content-type"].startswith("text/html"), r.text[:300]
            assert "<h1>Your own Cypher</h1>" in r.text and 'role="alert"' in r.text and words in r.text
            box = re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', r.text, re.S)
            assert box and html.unescape(box.group(1)) == text
            assert 'aria-invalid="true"' in box.group(0) and "<b>x</b>" not in r.text
    with browser(site, "chair") as chair:
        assert chair.post("/cypher", data={"csrf": csrf(chair.get("/reviews").text), "query": "RETURN 1"}).status_code == 403


def test_an_upload_over_the_size_limit_gets_a_page_saying_so(engine_store, tmp_path):
    """A file larger than the server takes, sent from the upload page (a chair who chose a video
    or a scanned bundle): the refusal comes before the body is read, and was the API's JSON
    problem, shown raw. The browser now gets the workspace's error page, saying the limit and what
    to do; the API keeps its problem+json."""
    from dhrkg.api.accounts import Accounts

    token = Accounts(tmp_path).add("a", "admin")[1]
    with live_server(tmp_path, engine_store, max_body=200 * 1024) as url, httpx.Client(base_url=url, timeout=60) as b:
        assert b.post("/signin", data={"token": token}).status_code == 303
        files = {"file": ("bundle.yaml", b"x" * 300_000, "application/yaml")}
        r = b.post("/upload", data={"csrf": csrf(b.get("/upload").text)}, files=files)
        assert r.status_code == 413 and r.headers["content-type"].startswith("text/html"), r.text[:200]
        assert "<h1>Too large</h1>" in r.text and 'role="alert"' in r.text
        assert "200 KB" in r.text and "check that you chose the right file" in r.text and 'href="/upload"' in r.text
        api = b.post("/api/v1/reviews", content=b"x" * 300_000, headers={"Content-Type": "application/yaml"})
        assert api.status_code == 413 and api.headers["content-type"] == "application/problem+json"


def test_a_syntax_error_whose_text_says_timeout_is_not_reported_as_a_timeout(site, as_):
    """The engine's syntax error quotes the query; a query holding the word (``DHRKG_IDLE_TIMEOUT``,
    found by schemathesis) was reported as a timeout, 504, a server error. It is the engine's
    refusal, 422, and the page says so."""
    r = as_("analyst").post("/api/v1/cypher", json={"query": "DHRKG_IDLE_TIMEOUT", "timeout_ms": 5000})
    assert r.status_code == 422 and "refused the query" in r.json()["detail"], r.text
    slow = "UNWIND range(1, 300000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
    r = as_("analyst").post("/api/v1/cypher", json={"query": slow, "timeout_ms": 100})
    assert r.status_code == 504, r.text  # a query that does run too long still says so
    with browser(site, "analyst") as b:
        page = b.post("/cypher", data={"csrf": csrf(b.get("/cypher").text), "query": "MATCH (n) RETURN n timeout"})
        assert page.status_code == 422 and "refused the query" in page.text
