"""What keeps the API's latency even under concurrent clients (issue 15's p95 targets, measured
by bench/api.py): pages are rendered off the event loop. Not an engine matter: FalkorDB only.
(The cache serving the previous value while one request recomputes is in test_api_cache.py.)"""

from __future__ import annotations

import threading

import httpx

from support.live_server import live_server, upload_examples

R001 = "north-worcs-dhr-7"


def test_pages_are_rendered_in_worker_threads_not_on_the_event_loop(store_falkordb, tmp_path, monkeypatch):
    from dhrkg.api import routes_pages
    from dhrkg.api.accounts import Accounts

    threads: list[str] = []
    real_render = routes_pages.render

    def recording_render(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(routes_pages, "render", recording_render)
    data_dir = tmp_path / "data"
    admin = Accounts(data_dir).add("admin", "admin")[1]
    with live_server(data_dir, store_falkordb) as url:
        upload_examples(url, admin)
        with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {admin}"}) as http:
            for path in ("/reviews", f"/reviews/{R001}", f"/reviews/{R001}/persons/Perpetrator",
                         f"/queries/prior-partners?person={R001}/Perpetrator&run=1"):
                assert http.get(path).status_code == 200, path
    # live_server runs the event loop in a thread of its own; anyio's worker threads do the rest
    assert len(threads) == 4 and all(name.startswith("AnyIO worker") for name in threads), threads
