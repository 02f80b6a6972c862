"""The API's read cache: computed once under concurrency, dropped at once when the server
writes the review, and after its time to live otherwise."""

from __future__ import annotations

import threading
import time

from dhrkg.api.cache import ALL, ReadCache


def test_concurrent_requests_compute_an_entry_once():
    cache, calls = ReadCache(ttl=60), []

    def make():
        calls.append(1)
        time.sleep(0.05)
        return "svg"

    threads = [threading.Thread(target=cache.get, args=("r", "genogram", make)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and cache.get("r", "genogram", make) == "svg" and len(calls) == 1


def test_a_write_by_the_server_drops_the_review_and_every_query_result():
    cache = ReadCache(ttl=60)
    cache.get("r", "case", lambda: "old")
    cache.get(ALL, "query", lambda: "old rows")
    cache.changed("r")
    assert cache.get("r", "case", lambda: "new") == "new"
    assert cache.get(ALL, "query", lambda: "new rows") == "new rows"


def test_entries_expire_and_a_zero_ttl_turns_the_cache_off():
    cache = ReadCache(ttl=0.05)
    cache.get("r", "k", lambda: 1)
    time.sleep(0.1)
    assert cache.get("r", "k", lambda: 2) == 2
    off = ReadCache(ttl=0)
    off.get("r", "k", lambda: 1)
    assert off.get("r", "k", lambda: 2) == 2


def test_concurrent_audit_entries_share_writes_and_keep_the_chain(tmp_path):
    from dhrkg.api.audit import AuditLog

    log = AuditLog(tmp_path)
    threads = [threading.Thread(target=log.record, args=(f"u{i}", "read-review", f"r{i}")) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert log.verify() == (40, [])
    assert sorted(e["user"] for e in log.entries()) == sorted(f"u{i}" for i in range(40))
