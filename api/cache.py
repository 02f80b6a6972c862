"""A small cache of what reading a review costs most: the review read back from the graph,
its drawings, and canned-query results.

Entries are dropped when this server writes (upload, replace, delete: at once) and otherwise
live ``ttl`` seconds (``DHRKG_API_CACHE_SECONDS``, default 5; 0 turns the cache off), so a
review loaded with the CLI while the server runs shows within that time. Concurrent requests
for the same entry compute it once. Permissions and the audit log are checked and written
per request, before the cache is asked: it holds data, never decisions.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

ALL = "*"  # the key of entries that depend on the whole graph (canned queries)


def default_ttl() -> float:
    try:
        return float(os.environ.get("DHRKG_API_CACHE_SECONDS", "5"))
    except ValueError:
        return 5.0


class ReadCache:
    def __init__(self, ttl: float | None = None, size: int = 256):
        self.ttl = default_ttl() if ttl is None else ttl
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[float, int, Any]] = OrderedDict()
        self._generation: dict[str, int] = {}
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def get(self, review: str, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value of ``(review, key)``, else ``make()`` (stored for next time)."""
        if self.ttl <= 0:
            return make()
        full = (review, key)
        hit = self._fresh(full, review)
        if hit is not None:
            return hit[0]
        with self._lock:
            making = self._making.setdefault(full, threading.Lock())
        with making:  # one computation per entry; the others wait for it
            hit = self._fresh(full, review)
            if hit is not None:
                return hit[0]
            generation = self._gen(review)
            value = make()
            with self._lock:
                self._entries[full] = (time.monotonic(), generation, value)
                self._entries.move_to_end(full)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
                self._making.pop(full, None)
            return value

    def _gen(self, review: str) -> int:
        return self._generation.get(review, 0) + self._generation.get(ALL, 0)

    def _fresh(self, full: Hashable, review: str) -> tuple[Any] | None:
        with self._lock:
            entry = self._entries.get(full)
            if entry is None:
                return None
            made, generation, value = entry
            if time.monotonic() - made > self.ttl or generation != self._gen(review):
                del self._entries[full]
                return None
            return (value,)

    def changed(self, review: str) -> None:
        """This server wrote ``review``: its entries, and every query result, are stale."""
        with self._lock:
            self._generation[review] = self._generation.get(review, 0) + 1
            self._generation[ALL] = self._generation.get(ALL, 0) + 1
