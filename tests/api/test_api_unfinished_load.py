"""An unfinished bulk load as the HTTP API and the web workspace show it, on both engines: the
mark in the graph (dhrkg.graph.unfinished) is read per request, as a load in another process
starts and ends while the server runs; ``/health`` says so, every page has a banner, and the
national scans that read the summaries answer 409 (no server folder named in any of them)."""

from __future__ import annotations

MARK = dict(started="2026-12-07T13:54:07Z", source="/srv/dhr/cases", checkpoint="/srv/dhr/cases/.dhrkg-bulk-load.json",
            reviews=("a-review", "another"))


def test_an_unfinished_load_is_in_health_on_every_page_and_refuses_the_summary_scans(as_, engine_store):
    from dhrkg.graph import unfinished

    unfinished.write(engine_store, unfinished.UnfinishedLoad(**MARK))
    try:
        health = as_(None).get("/health")
        # no credential: that a load is unfinished, not when, from where, nor how many reviews
        assert health.json() == {"status": "ok", "unfinished_bulk_load": True}
        page = as_("chair").get("/reviews")
        assert page.status_code == 200
        assert "A bulk load into this graph is unfinished (started 2026-12-07 13:54 UTC)" in page.text
        refused = as_("analyst").get("/api/v1/queries/serial-perpetrators/run")
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        detail = refused.json()["detail"]
        assert "serial-perpetrators reads the summaries a bulk load computes when it ends" in detail
        assert "ask whoever runs it to finish it" in detail
        assert all("/srv/dhr" not in r.text for r in (health, page, refused))
        assert as_("analyst").get("/api/v1/queries/reviews/run").status_code == 200  # reads no summary
    finally:
        unfinished.remove(engine_store)
    assert as_(None).get("/health").json() == {"status": "ok"}
    assert "bulk load" not in as_("chair").get("/reviews").text
    assert as_("analyst").get("/api/v1/queries/serial-perpetrators/run").status_code == 200


def test_a_scan_answered_before_a_load_started_is_not_served_from_the_cache(as_, engine_store):
    """The server keeps query results a few seconds (api/cache.py); a scan it answered just
    before a bulk load started must refuse like any other once the mark is in the graph."""
    from dhrkg.graph import unfinished

    scan = "/api/v1/queries/serial-perpetrators/run"
    assert as_("analyst").get(scan).status_code == 200  # now in the cache
    unfinished.write(engine_store, unfinished.UnfinishedLoad(**MARK))
    try:
        refused = as_("analyst").get(scan)
        assert refused.status_code == 409, refused.text
    finally:
        unfinished.remove(engine_store)
    assert as_("analyst").get(scan).status_code == 200
