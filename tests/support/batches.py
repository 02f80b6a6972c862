"""Watching and cutting the batches of a bulk load (dhrkg.graph.bulk) in tests."""

from __future__ import annotations

import time
from typing import Any, Callable


class Interrupt(RuntimeError):
    """A power cut in the middle of a load."""


def watch_batches(store: Any, look: Callable[[Any], Any] = lambda store: None, fail_at: int = 0,
                  pause_s: float = 0.0, error: type[Exception] = Interrupt) -> list:
    """Make ``store.write_batch`` note ``look(store)`` before each batch and raise ``error`` at
    batch ``fail_at`` (after ``pause_s``: the batches in flight after it are written meanwhile).
    Returns the list of what it noted; ``del store.write_batch`` undoes it."""
    seen: list = []
    real = store.write_batch

    def watch(cypher: str, params: Any = None) -> Any:
        seen.append(look(store))
        if len(seen) == fail_at:
            time.sleep(pause_s)
            raise error("power cut")
        return real(cypher, params)

    store.write_batch = watch
    return seen
