"""Where a drawing's review comes from: a case file, or a review in the graph store.

Drawing code only ever sees a :class:`~dhrkg.model.model.CaseFile`. A review in the store is
read back into one by the store itself (:meth:`dhrkg.graph.store.Store.read_review`, the inverse
of the mapping of ``docs/graph-schema.md``); here its events are put in date order, so the same
review always draws the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from dhrkg.graph.readback import ReviewNotFound
from dhrkg.model import CaseFile, load_case

CASE_SUFFIXES = (".yaml", ".yml", ".json")

__all__ = ["CASE_SUFFIXES", "ReviewNotFound", "case_from_store", "load_review", "looks_like_file"]


def looks_like_file(arg: str) -> bool:
    path = Path(arg)
    return path.exists() or path.suffix.lower() in CASE_SUFFIXES or "/" in arg or "\\" in arg


def load_review(arg: str, backend: Optional[str] = None, data_dir: Optional[Path] = None) -> CaseFile:
    """A case file (path) or a review read from the graph store (review id)."""
    if looks_like_file(arg):
        return load_case(Path(arg))
    from dhrkg.graph import open_store

    with open_store(backend=backend, data_dir=data_dir) as store:
        return case_from_store(store, arg)


def case_from_store(store: Any, review_id: str) -> CaseFile:
    """Read one review back from the graph store as a CaseFile, its events by date."""
    case = store.read_review(review_id)
    case.events.sort(key=lambda e: (str(e.date), e.id))
    return case
