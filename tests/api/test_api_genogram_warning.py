"""The review page warns when its genogram's text would print under 8 pt on the page (a family too
large for one A4 page): a notice beside the drawing with the ways to a readable page (the A3 page,
a person-centred view), and a "warnings" field in the page's JSON twin; over real HTTP, both engines."""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAMILY_300 = ROOT / "tests" / "fixtures" / "genogram" / "family-300.yaml"
R300 = "fixture-family-300"
R001 = "north-worcs-dhr-7"


def _upload_family_300(client) -> None:
    r = client.post("/api/v1/reviews", content=FAMILY_300.read_bytes(), headers={"Content-Type": "application/yaml"})
    assert r.status_code in (200, 201), r.text


def test_a_genogram_too_large_for_a4_is_warned_about_beside_it_and_in_the_twin(as_):
    admin = as_("admin")
    _upload_family_300(admin)
    twin = admin.get(f"/reviews/{R300}.json").json()
    [warning] = twin["warnings"]
    assert warning["drawing"] == "genogram" and warning["page"] == "a4" and warning["smallest_text_pt"] < 8.0
    assert "too large for one A4 page" in warning["message"] and "under 8 pt" in warning["message"]
    hrefs = [w["href"] for w in warning["ways"]]
    assert hrefs == [f"/api/v1/reviews/{R300}/genogram.pdf?page=a3", f"/reviews/{R300}#part-h"]

    page = admin.get(f"/reviews/{R300}").text
    notice = re.search(r'<div class="notice" id="genogram-warning" role="note"[^>]*>(.*?)</div>', page, re.S)
    assert notice, "no notice beside the genogram"
    assert html.escape(warning["message"], quote=False) in notice.group(1)
    assert all(f'href="{html.escape(h)}"' in notice.group(1) for h in hrefs)
    assert '<figure class="drawing" aria-describedby="genogram-warning">' in page
    assert page.index('id="genogram-warning"') < page.index('<figure class="drawing"')  # read before the drawing
    assert '<select id="g-page" name="page">' in page  # the form draws part of the family on A3 too

    a3 = admin.get(f"/api/v1/reviews/{R300}/genogram.svg", params={"page": "a3"})
    assert a3.status_code == 200 and 'data-page="a3"' in a3.text[:600]
    pdf = admin.get(hrefs[0])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"


def test_a_genogram_that_prints_large_enough_has_no_warning(as_):
    chair = as_("chair")
    assert chair.get(f"/reviews/{R001}.json").json()["warnings"] == []
    page = chair.get(f"/reviews/{R001}").text
    assert 'class="notice"' not in page and '<figure class="drawing">' in page


def test_the_page_of_a_genogram_is_checked_and_passed_on_by_the_form(as_):
    chair = as_("chair")
    bad = chair.get(f"/api/v1/reviews/{R001}/genogram.svg", params={"page": "b5"})
    assert bad.status_code == 422
    r = chair.get(f"/reviews/{R001}/genogram", params={"person": "Victim", "page": "a3"}, follow_redirects=False)
    assert r.status_code == 303 and "page=a3" in r.headers["location"] and "person=Victim" in r.headers["location"]
    assert chair.get(f"/reviews/{R001}/genogram", params={"page": "b5"}).status_code == 422
