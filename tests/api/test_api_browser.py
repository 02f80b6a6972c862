"""A real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium) uses the
workspace as a chair would: signs in with a token, uploads example 001, opens its review page,
sees the genogram and the timeline, follows a person link, runs prior-partners for the
perpetrator from the query page, and downloads a PDF. On both engines.

With DHRKG_SCREENSHOTS=DIR it also saves the screenshots shown in the README (review page,
person page, query page, upload page with errors).
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from support.live_server import engine_store, live_server  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
EX001 = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
R001 = "north-worcs-dhr-7"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def chrome(tmp_path):
    if not (CHROMIUM and DRIVER):
        if os.environ.get("DHRKG_REQUIRE_BROWSER") == "1":
            pytest.fail("DHRKG_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed")
        pytest.skip("chromium and chromium-driver are not installed (scripts/setup.sh installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=en-GB"):
        options.add_argument(arg)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for CSP violations
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    driver.downloads = downloads
    yield driver
    driver.quit()


def _shoot(driver, name: str) -> None:
    folder = os.environ.get("DHRKG_SCREENSHOTS")
    if not folder:
        return
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 2400)")
    driver.set_window_size(1280, height)
    driver.save_screenshot(str(Path(folder) / f"{name}.png"))
    driver.set_window_size(1280, 1000)


def _replaced(old):
    """A wait condition: ``old`` no longer belongs to the page. Chromium sometimes answers a
    look at a node of the page just left with an inspector error ("Node with given id does not
    belong to the document") instead of a stale-element error; both mean the page was replaced."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def check(_driver) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    return check


def _submit(driver) -> None:
    """Click the page's form button and wait for the next page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "main")
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 30).until(_replaced(old))


def _follow(driver, link) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "main")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    WebDriverWait(driver, 30).until(_replaced(old))


def _wait_for_file(folder: Path, suffix: str, seconds: float = 30) -> Path:
    """The file with ``suffix`` that Chromium downloaded into ``folder``, once it is whole.
    Chromium makes the final name as an empty placeholder at the start and writes into a
    ``.crdownload`` file beside it, renamed over the placeholder at the end (CI once read the
    empty placeholder: SeleniumHQ/selenium#14915 describes the same)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        names = list(folder.iterdir())
        done = [p for p in names if p.suffix == suffix and p.stat().st_size > 0]
        if done and not any(p.suffix in (".crdownload", ".tmp") for p in names):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no whole {suffix} file was downloaded into {folder}: {list(folder.iterdir())}")


def test_a_chair_works_through_the_workspace_in_chromium(chrome, engine_store, tmp_path):
    from selenium.webdriver.common.by import By

    from dhrkg.api.accounts import Accounts

    data_dir = tmp_path / "data"
    token = Accounts(data_dir).add("chair", "chair", [R001])[1]
    with live_server(data_dir, engine_store) as url:
        d = chrome
        d.get(url + "/upload")  # not signed in: sent to the sign-in page
        assert d.find_element(By.TAG_NAME, "h1").text == "Sign in"
        d.find_element(By.ID, "token").send_keys(token)
        _submit(d)
        assert d.find_element(By.TAG_NAME, "h1").text == "Upload a case file"

        # a broken file first: the problems are shown beside their lines
        broken = tmp_path / "broken.yaml"
        broken.write_text(EX001.read_text().replace('born: "1993"', 'born: "1993-02-30"', 1))
        d.find_element(By.ID, "file").send_keys(str(broken))
        _submit(d)
        bad_row = d.find_element(By.CSS_SELECTOR, "tr#L23.bad")
        assert "February 1993 has 28 days" in bad_row.text
        _shoot(d, "upload-errors")

        d.find_element(By.ID, "file").send_keys(str(EX001))
        _submit(d)
        assert d.current_url == f"{url}/reviews/{R001}", d.find_element(By.TAG_NAME, "main").text[:500]
        assert "DHR 7" in d.find_element(By.TAG_NAME, "h1").text

        people = d.find_elements(By.CSS_SELECTOR, "#genogram svg a.person-link")
        assert len(people) >= 10
        timeline = d.find_element(By.CSS_SELECTOR, "#timeline img")
        assert d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", timeline) > 300
        network = d.find_element(By.CSS_SELECTOR, "#network img")
        assert d.execute_script("return arguments[0].naturalWidth", network) > 300
        _shoot(d, "review-page")

        perpetrator = d.find_element(By.CSS_SELECTOR, "#genogram a.person-link[href$='/persons/Perpetrator']")
        _follow(d, perpetrator)
        assert d.current_url.endswith(f"/reviews/{R001}/persons/Perpetrator")
        assert d.find_element(By.TAG_NAME, "h1").text == "the Perpetrator"
        _shoot(d, "person-page")

        d.get(url + "/queries/prior-partners")
        field = d.find_element(By.ID, "p-person")
        field.send_keys(f"{R001}/Perpetrator")
        _submit(d)
        table = d.find_element(By.CSS_SELECTOR, "table.result")
        headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
        assert headers[:2] == ["partner", "name"]
        first = [td.text for td in table.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td")]
        assert first[0] == f"{R001}/PFP" and first[1] == "PFP"
        _shoot(d, "query-page")

        d.get(f"{url}/reviews/{R001}")
        pdf_link = d.find_element(By.CSS_SELECTOR, f"a[href='/api/v1/reviews/{R001}/genogram.pdf?publication=true']")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", pdf_link)
        pdf_link.click()
        pdf = _wait_for_file(d.downloads, ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF")


def test_the_api_docs_work_under_the_strict_content_security_policy(chrome, store_falkordb, tmp_path):
    """/docs runs Swagger UI from the site's own copy with the same CSP as every page: it lists
    the operations and tries one out, and the browser reports no CSP violation. FalkorDB only
    (not an engine matter)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from dhrkg.api.accounts import Accounts

    data_dir = tmp_path / "data"
    token = Accounts(data_dir).add("analyst", "analyst")[1]
    with live_server(data_dir, store_falkordb) as url:
        d = chrome
        d.get(url + "/signin?next=/docs")
        d.find_element(By.ID, "token").send_keys(token)
        d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(d, 60).until(lambda drv: len(drv.find_elements(By.CSS_SELECTOR, ".opblock")) > 20)
        assert d.current_url == url + "/docs"
        assert "dhrkg" in d.find_element(By.CSS_SELECTOR, ".info .title").text
        paths = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")]
        assert "/api/v1/reviews" in paths and "/api/v1/cypher" in paths
        me = d.find_element(By.CSS_SELECTOR, "#operations-default-me_api_v1_me_get, [id$='_api_v1_me_get']")
        me.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
        d.find_element(By.CSS_SELECTOR, "[id$='_api_v1_me_get'] .try-out__btn").click()
        d.find_element(By.CSS_SELECTOR, "[id$='_api_v1_me_get'] .execute").click()
        WebDriverWait(d, 30).until(lambda drv: '"analyst"' in drv.find_element(
            By.CSS_SELECTOR, "[id$='_api_v1_me_get'] .responses-wrapper").text)
        console = [entry["message"] for entry in d.get_log("browser")]
        assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m], console


AXE_IMPACTS = ("serious", "critical")


def _axe_violations(driver) -> list[str]:
    """axe-core (shipped in axe-selenium-python) run on the current page: serious and critical
    violations of WCAG 2 A/AA, as 'rule: target' lines."""
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    result = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    return [f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in result["violations"] if v.get("impact") in AXE_IMPACTS]


def test_pages_have_no_serious_accessibility_violations(chrome, store_falkordb, tmp_path):
    """Accessibility of each kind of page, checked by axe-core in Chromium (labels, contrast,
    headings, names of links and images, landmarks); the pages are rendered as a chair and an
    analyst see them. Not an engine matter: FalkorDB only."""
    pytest.importorskip("axe_selenium_python")
    from selenium.webdriver.common.by import By

    from dhrkg.api.accounts import Accounts
    from support.live_server import upload_examples

    data_dir = tmp_path / "data"
    accounts = Accounts(data_dir)
    admin = accounts.add("admin", "admin")[1]
    with live_server(data_dir, store_falkordb) as url:
        upload_examples(url, admin)
        d = chrome
        d.get(url + "/signin")
        problems = {"/signin": _axe_violations(d)}
        d.find_element(By.ID, "token").send_keys(admin)
        _submit(d)
        broken = tmp_path / "broken.yaml"
        broken.write_text(EX001.read_text().replace('born: "1993"', 'born: "1993-02-30"', 1))
        d.get(url + "/upload")
        d.find_element(By.ID, "file").send_keys(str(broken))
        _submit(d)
        problems["/upload (with errors)"] = _axe_violations(d)
        for path in ("/reviews", f"/reviews/{R001}", f"/reviews/{R001}/persons/Perpetrator", "/queries",
                     f"/queries/prior-partners?person={R001}/Perpetrator&run=1", "/cypher",
                     "/upload/chronology", "/upload/report", "/export", "/nothing-here",
                     f"/reviews/{R001}/genogram?up=", "/queries/prior-partners?person=Perpetrator&run=1"):
            d.get(url + path)
            problems[path] = _axe_violations(d)
        found = {path: v for path, v in problems.items() if v}
        assert not found, "\n".join(f"{path}: {line}" for path, v in found.items() for line in v)


PHONE_WIDTH = 390  # CSS pixels: a phone held upright


@contextmanager
def _signed_in_over_the_examples(chrome, store, tmp_path: Path) -> Iterator[str]:
    """A server over the examples, and Chromium signed in to it as an admin; yields its address."""
    from selenium.webdriver.common.by import By

    from dhrkg.api.accounts import Accounts
    from support.live_server import upload_examples

    data_dir = tmp_path / "data"
    admin = Accounts(data_dir).add("admin", "admin")[1]
    with live_server(data_dir, store) as url:
        upload_examples(url, admin)
        chrome.get(url + "/signin")
        chrome.find_element(By.ID, "token").send_keys(admin)
        _submit(chrome)
        yield url


def test_pages_fit_a_phone_width_without_scrolling_sideways(chrome, store_falkordb, tmp_path):
    """At a phone's width every page fits: the menu wraps (all its links on screen, none cut at
    the edge) and a wide table scrolls inside its own box, so the page itself never scrolls
    sideways and the text beside the tables stays on screen. FalkorDB only."""
    from selenium.webdriver.common.by import By

    with _signed_in_over_the_examples(chrome, store_falkordb, tmp_path) as url:
        d = chrome
        d.set_window_size(PHONE_WIDTH, 800)
        assert d.execute_script("return document.documentElement.clientWidth") <= PHONE_WIDTH
        wide = {}
        for path in ("/reviews", f"/reviews/{R001}", f"/reviews/{R001}/persons/Victim", "/queries",
                     f"/queries/prior-partners?person={R001}/Perpetrator&run=1", "/upload", "/export",
                     "/cypher", "/nothing-here"):
            d.get(url + path)
            page = d.execute_script("var e = document.documentElement; return [e.scrollWidth, e.clientWidth]")
            cut = d.execute_script("""var w = document.documentElement.clientWidth;
                return Array.from(document.querySelectorAll('header a, header button'))
                    .filter(function (e) { var r = e.getBoundingClientRect(); return r.right > w || r.left < 0; })
                    .map(function (e) { return e.textContent.trim(); });""")
            if page[0] > page[1] or cut:
                wide[path] = f"page {page[0]} px wide in {page[1]} px; header items off screen: {cut}"
        assert not wide, "\n".join(f"{p}: {w}" for p, w in wide.items())


def test_a_drawing_for_publication_downloads_under_its_own_name(chrome, store_falkordb, tmp_path):
    """The review page's downloads: the genogram PNG with names and the one for publication are
    saved under different names (``...-genogram.png``, ``...-genogram-publication.png``), not the
    same name twice (Chromium then saved ``... (1).png``, and which was which showed only inside).
    FalkorDB only."""
    from selenium.webdriver.common.by import By

    with _signed_in_over_the_examples(chrome, store_falkordb, tmp_path) as url:
        d = chrome
        d.get(f"{url}/reviews/{R001}")
        for href in (f"/api/v1/reviews/{R001}/genogram.png", f"/api/v1/reviews/{R001}/genogram.png?publication=true"):
            link = d.find_element(By.CSS_SELECTOR, f'#downloads a[href="{href}"]')
            d.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
            before = len(list(d.downloads.iterdir()))
            link.click()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len([p for p in d.downloads.iterdir() if p.suffix == ".png"
                                                       and p.stat().st_size > 0]) <= before:
                time.sleep(0.2)
        _wait_for_file(d.downloads, ".png")
        names = sorted(p.name for p in d.downloads.iterdir())
        assert names == [f"{R001}-genogram-publication.png", f"{R001}-genogram.png"], names


def test_drawings_stay_legible_at_a_phone_width(chrome, store_falkordb, tmp_path):
    """At a phone's width the review page's drawings keep their own size and scroll sideways in
    their box (the page does not), instead of shrinking to the screen: the genogram's names were
    drawn about 3 px high at 390 px. The smallest text of each drawing is at least 9 CSS px, and a
    drawing without links of its own (the contact network, the timeline) can take the keyboard's
    focus, so it can be scrolled without a mouse. FalkorDB only."""
    from selenium.webdriver.common.by import By

    with _signed_in_over_the_examples(chrome, store_falkordb, tmp_path) as url:
        d = chrome
        d.set_window_size(PHONE_WIDTH, 800)
        d.get(f"{url}/reviews/{R001}")
        d.execute_script("return Promise.all(Array.from(document.images).map(function (i) { return i.decode(); }))")
        # the inline genogram: its smallest text as drawn on the screen
        genogram = d.execute_script("""var svg = document.querySelector('#genogram svg');
            var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            var sizes = Array.from(svg.querySelectorAll('text')).map(function (t) {
                return parseFloat(getComputedStyle(t).fontSize); });
            return Math.min.apply(null, sizes) * scale;""")
        assert genogram >= 9, f"the genogram's smallest text is {genogram:.1f} px at {PHONE_WIDTH} px"
        for section in ("network", "timeline"):
            shown = d.execute_script(f"""var img = document.querySelector('#{section} figure img');
                return img.getBoundingClientRect().width / img.naturalWidth;""")
            assert shown >= 0.75, f"the {section} is shown at {shown:.2f} of its size at {PHONE_WIDTH} px"
            figure = d.find_element(By.CSS_SELECTOR, f"#{section} figure")
            assert figure.get_attribute("tabindex") == "0" and figure.get_attribute("aria-labelledby") == f"{section}-h"
        page = d.execute_script("var e = document.documentElement; return [e.scrollWidth, e.clientWidth]")
        assert page[0] <= page[1], page


def test_the_review_pages_contents_links_reach_their_sections(chrome, store_falkordb, tmp_path):
    """The review page's "On this page" links go to their sections: the inline genogram's own
    groups (``<g id="people">``, ``id="genogram"``, ...) shared ids with the page's sections,
    and the first in the page won, so "People" scrolled to the genogram's people, not to the
    table of people. No id is used twice on the page. FalkorDB only."""
    from selenium.webdriver.common.by import By

    with _signed_in_over_the_examples(chrome, store_falkordb, tmp_path) as url:
        d = chrome
        d.get(f"{url}/reviews/{R001}")
        twice = d.execute_script("""var seen = {}, twice = [];
            document.querySelectorAll('[id]').forEach(function (e) {
                if (seen[e.id]) { twice.push(e.id); } seen[e.id] = true; });
            return twice;""")
        assert not twice, f"ids used twice: {twice}"
        for link in d.find_elements(By.CSS_SELECTOR, "nav.toc a"):
            section = link.get_attribute("hash")[1:]
            link.click()
            target = d.execute_script("var t = document.querySelector(':target'); return t && [t.tagName, t.id];")
            assert target == ["SECTION", section], (link.text, target)
        people = d.find_elements(By.CSS_SELECTOR, "#genogram svg a.person-link")
        assert len(people) >= 10  # the genogram's links are still there


def test_a_name_with_a_direction_override_does_not_reverse_the_page_around_it(chrome, store_falkordb, tmp_path):
    """A case file whose victim's name holds a right-to-left override (U+202E, valid in free
    text: names may be written right to left): where the name stands inside a line of the page
    ("family for <name>: Who are this person's parents ..."), the override ran on past the name and
    drew the workspace's own question backwards. Each value shown is isolated, so the text after
    it reads left to right. FalkorDB only."""
    import httpx
    from selenium.webdriver.common.by import By

    from dhrkg.api.accounts import Accounts

    data_dir = tmp_path / "data"
    admin = Accounts(data_dir).add("admin", "admin")[1]
    text = EX001.read_text().replace("name: the Victim", 'name: "the Victim \\u202eevil"', 1)
    with live_server(data_dir, store_falkordb) as url:
        r = httpx.post(f"{url}/api/v1/reviews", content=text.encode(), timeout=60,
                       headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/yaml"})
        assert r.status_code == 201, r.text
        d = chrome
        d.get(url + "/signin")
        d.find_element(By.ID, "token").send_keys(admin)
        _submit(d)
        d.get(f"{url}/reviews/{R001}")
        item = next(li for li in d.find_elements(By.CSS_SELECTOR, "#queries li")
                    if li.find_element(By.TAG_NAME, "a").text == "family" and "\u202e" in li.text)
        question = item.find_element(By.TAG_NAME, "span")
        first, last = d.execute_script("""var t = arguments[0].firstChild, r = document.createRange();
            function left(i) { r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect().left; }
            return [left(0), left(3)];""", question)
        assert first < last, f"the question is drawn right to left: its first letter at {first}, its fourth at {last}"
