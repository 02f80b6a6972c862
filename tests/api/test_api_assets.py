"""Static files may be cached and nothing else may: over real HTTP, the pages load the static
files from versioned URLs kept for good (public, a year, immutable), their plain URLs are kept
but checked each time (a 304 when unchanged), and every data response stays no-store."""

from __future__ import annotations

import re

import httpx
import pytest

from support.live_server import engine_store, live_server, upload_examples  # noqa: F401 (a fixture)

R001 = "north-worcs-dhr-7"


@pytest.fixture(scope="module")
def site(engine_store, tmp_path_factory):
    from dhrkg.api.accounts import Accounts

    data_dir = tmp_path_factory.mktemp("api-assets")
    token = Accounts(data_dir).add("admin", "admin")[1]
    with live_server(data_dir, engine_store) as url:
        upload_examples(url, token)
        with httpx.Client(base_url=url, timeout=120, headers={"Authorization": f"Bearer {token}"}) as client:
            yield client


def linked_assets(page: str) -> list[str]:
    return re.findall(r"""(?:src|href)="(/static/[^"]+)\"""", page)


def test_pages_load_static_files_from_versioned_urls_kept_for_good(site):
    urls = linked_assets(site.get("/docs").text) + linked_assets(site.get("/reviews").text)
    assert any(u.endswith("/swagger-ui-bundle.js") for u in urls) and any(u.endswith("/workspace.css") for u in urls)
    for url in urls:
        assert re.fullmatch(r"/static/v-[0-9a-f]{16}/.+", url), url
        r = site.get(url)
        assert r.status_code == 200, url
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable", url
    bundle = next(u for u in urls if u.endswith("/swagger-ui-bundle.js"))
    assert len(site.get(bundle).content) > 1_000_000  # the 1.5 MB a browser need not fetch again


def test_a_plain_static_url_is_kept_but_checked_each_time(site):
    r = site.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert r.status_code == 200 and r.headers["cache-control"] == "public, no-cache"
    again = site.get("/static/swagger-ui/swagger-ui-bundle.js", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "public, no-cache"
    assert site.get("/static/workspace.css").headers["cache-control"] == "public, no-cache"


@pytest.mark.parametrize("path", ["/docs", "/openapi.json", "/reviews", f"/reviews/{R001}", "/api/v1/reviews",
                                  f"/api/v1/reviews/{R001}", f"/api/v1/reviews/{R001}/genogram.svg",
                                  "/static/v-0000000000000000/workspace.css", "/static/no-such-file.css",
                                  "/api/v1/nothing-here"])
def test_every_data_response_and_error_stays_no_store(site, path):
    r = site.get(path)
    assert r.headers["cache-control"] == "no-store", (path, r.status_code)
