"""A small cache of what reading a review costs most: the review read back from the graph,
its drawings, and canned-query results.

Entries are dropped when this server writes (upload, replace, delete: at once) and otherwise
live ``ttl`` seconds (``DHRKG_API_CACHE_SECONDS``, default 5; 0 turns the cache off), so a
review loaded with the CLI while the server runs shows within that time. Concurrent requests
for the same entry compute it once. When an entry has outlived its time (but not a write by
this server), the first request recomputes it and the requests arriving meanwhile get the
previous value (no older than twice the time to live) instead of all waiting for the one
computation: without that, every ``ttl`` seconds each concurrent client stalled for a
drawing's full cost (the API's slowest 10% under load, see bench/api.py). Permissions and the
audit log are checked and written per request, before the cache is asked: it holds data,
never decisions; so is an unfinished bulk load, which makes the national scans refuse (409).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

ALL = "*"  # the key of entries that depend on the whole graph (canned queries)
FRESH, STALE, MISSING = "fresh", "stale", "missing"


def default_ttl() -> float:
    try:
        return float(os.environ.get("DHRKG_API_CACHE_SECONDS", "5"))
    except ValueError:
        return 5.0


class ReadCache:
    def __init__(self, ttl: float | None = None, size: int = 256, clock: Callable[[], float] = time.monotonic):
        self.ttl = default_ttl() if ttl is None else ttl
        self.size = size
        self.clock = clock  # seconds, only ever compared (tests pass one they move by hand)
        self._entries: OrderedDict[Hashable, tuple[float, int, Any]] = OrderedDict()
        self._generation: dict[str, int] = {}
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def get(self, review: str, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value of ``(review, key)``, else ``make()`` (stored for next time)."""
        if self.ttl <= 0:
            return make()
        full = (review, key)
        state, value = self._lookup(full, review)
        if state == FRESH:
            return value
        with self._lock:
            making = self._making.setdefault(full, threading.Lock())
        if state == STALE and not making.acquire(blocking=False):
            return value  # another request is recomputing it: serve the previous value meanwhile
        if state != STALE:
            making.acquire()  # one computation per entry; the others wait for it
        try:
            state, value = self._lookup(full, review)
            if state == FRESH:
                return value
            generation = self._gen(review)
            value = make()
            with self._lock:
                self._entries[full] = (self.clock(), generation, value)
                self._entries.move_to_end(full)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return value
        finally:
            with self._lock:
                if self._making.get(full) is making:
                    del self._making[full]
            making.release()

    def _gen(self, review: str) -> int:
        return self._generation.get(review, 0) + self._generation.get(ALL, 0)

    def _lookup(self, full: Hashable, review: str) -> tuple[str, Any]:
        """(FRESH, value), (STALE, value) past its time but servable meanwhile, or (MISSING, None)."""
        with self._lock:
            entry = self._entries.get(full)
            if entry is None:
                return MISSING, None
            made, generation, value = entry
            age = self.clock() - made
            if generation != self._gen(review) or age > 2 * self.ttl:
                del self._entries[full]
                return MISSING, None
            return (FRESH if age <= self.ttl else STALE), value

    def changed(self, review: str) -> None:
        """This server wrote ``review``: its entries, and every query result, are stale."""
        with self._lock:
            self._generation[review] = self._generation.get(review, 0) + 1
            self._generation[ALL] = self._generation.get(ALL, 0) + 1
