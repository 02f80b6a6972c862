"""The API's read cache: computed once under concurrency, dropped at once when the server
writes the review, and after its time to live otherwise."""

from __future__ import annotations

import threading

from dhrkg.api.cache import ALL, ReadCache


class Clock:
    """A clock the test moves by hand: the entries' ages do not depend on how loaded the machine
    is (a sleep of 70 ms between 50 and 100 ms of age could end past 100 ms on a busy CI)."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_requests_compute_an_entry_once():
    """The computation goes on until every request has looked the entry up and found nothing
    (a hold of 50 ms let requests started late find it made, and check nothing)."""
    cache, calls, requests = ReadCache(ttl=60), [], 20
    lookups, looked, everyone_looked = [0], threading.Condition(), []
    real_lookup = cache._lookup

    def lookup(*args):
        found = real_lookup(*args)
        with looked:
            lookups[0] += 1
            looked.notify_all()
        return found

    def make():
        calls.append(1)
        with looked:  # each request's lookup, and this one's second under the entry's lock
            everyone_looked.append(looked.wait_for(lambda: lookups[0] >= requests + 1, timeout=30))
        return "svg"

    cache._lookup = lookup
    threads = [threading.Thread(target=cache.get, args=("r", "genogram", make)) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert everyone_looked == [True], f"only {lookups[0]} lookups while the entry was made"
    assert len(calls) == 1 and cache.get("r", "genogram", make) == "svg" and len(calls) == 1


def test_a_write_by_the_server_drops_the_review_and_every_query_result():
    cache = ReadCache(ttl=60)
    cache.get("r", "case", lambda: "old")
    cache.get(ALL, "query", lambda: "old rows")
    cache.changed("r")
    assert cache.get("r", "case", lambda: "new") == "new"
    assert cache.get(ALL, "query", lambda: "new rows") == "new rows"


def test_entries_expire_and_a_zero_ttl_turns_the_cache_off():
    clock = Clock()
    cache = ReadCache(ttl=0.05, clock=clock)
    cache.get("r", "k", lambda: 1)
    clock.now += 0.03
    assert cache.get("r", "k", lambda: 2) == 1
    clock.now += 0.08
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


def test_an_expired_entry_is_recomputed_by_one_request_while_the_others_get_the_previous_value():
    clock = Clock()
    cache = ReadCache(ttl=0.05, clock=clock)
    cache.get("r", "genogram", lambda: "old")
    clock.now += 0.07  # past its time, not yet twice its time
    started, release = threading.Event(), threading.Event()

    def slow_make():
        started.set()
        release.wait(5)
        return "new"

    refresher = threading.Thread(target=cache.get, args=("r", "genogram", slow_make))
    refresher.start()
    assert started.wait(5)
    answers = [cache.get("r", "genogram", lambda: "computed again") for _ in range(5)]
    release.set()
    refresher.join()
    assert answers == ["old"] * 5  # served at once, not after the refresh
    assert cache.get("r", "genogram", lambda: "computed again") == "new"


def test_a_previous_value_is_never_served_after_the_server_wrote_the_review_or_past_twice_its_time():
    clock = Clock()
    cache = ReadCache(ttl=0.05, clock=clock)
    cache.get("r", "case", lambda: "old")
    cache.changed("r")
    assert cache.get("r", "case", lambda: "new") == "new"
    clock.now += 0.11  # past twice the time to live: recomputed, not served stale
    assert cache.get("r", "case", lambda: "newer") == "newer"
