"""The mark of an unfinished bulk load, kept in the graph itself.

An online bulk load (``dhrkg bulk-load DIR``, dhrkg/cli/bulk.py) is many transactions: readers
see the graph grow, and the reviews it loads have their rows in before their summaries for the
national scans (dhrkg.graph.summaries), which it computes last. Its checkpoint is a file in
DIR, which no other command reads; so the load also writes one node into the graph, before it
changes anything, and takes it away only when it has finished, summaries included:

``(:BulkLoad {key: "bulk-load", started, source, checkpoint, reviews})``

- ``started``: when the load was first started (UTC, ISO 8601; a resumed load keeps it);
- ``source``: the folder of case files, ``checkpoint``: its checkpoint file (both absolute), so
  a message can say which command finishes it;
- ``reviews``: the ids of the reviews it loads;
- ``offline``: true for an offline FalkorDB load (``--offline``: GRAPH.BULK writes the mark with
  its first command; no checkpoint). Neo4j's offline path has none: ``neo4j-admin import``
  fills a stopped database whole or not at all, and the first store to open it summarises.

What reads it: a store that opens the graph leaves those reviews unsummarised (their rows may
be incomplete: :meth:`dhrkg.graph.store.Store.ensure_summaries`); the CLI says once, on standard
error, that the load is unfinished (:meth:`UnfinishedLoad.warning`); the web workspace shows a
banner and ``/health`` says so; the national scans that read summaries refuse to run
(dhrkg.graph.canned). A graph holds at most one mark: a second bulk load into it is refused
until the first has finished (dhrkg/cli/bulk.py).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

#: the mark's label, and its one key (a graph holds at most one mark)
LABEL = "BulkLoad"
KEY = "bulk-load"
#: the name of a load's checkpoint in its folder when ``--checkpoint`` is not given (hidden: not
#: read as a case file; dhrkg/cli/bulk.py)
DEFAULT_CHECKPOINT = ".dhrkg-bulk-load.json"

READ = (f"MATCH (m:{LABEL} {{key: $key}}) RETURN m.started AS started, m.source AS source, "
        "m.checkpoint AS checkpoint, m.reviews AS reviews, m.offline AS offline")
WRITE = (f"MERGE (m:{LABEL} {{key: $key}}) SET m.started = $started, m.source = $source, "
         "m.checkpoint = $checkpoint, m.reviews = $reviews, m.offline = $offline")
REMOVE = f"MATCH (m:{LABEL} {{key: $key}}) DELETE m"


@dataclass(frozen=True)
class UnfinishedLoad:
    """What the mark says: which load is unfinished, since when, from where, with which reviews."""

    started: str
    source: str
    checkpoint: str  # "" for an offline load (it has none)
    reviews: tuple[str, ...] = ()
    #: an offline load (``--offline``, FalkorDB: dhrkg.graph.offline.falkordb_load)
    offline: bool = False

    @classmethod
    def starting(cls, source: Path, checkpoint: Optional[Path], reviews: list[str]) -> "UnfinishedLoad":
        """The mark of a load starting now (``checkpoint`` None: an offline load)."""
        now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
        return cls(now.isoformat().replace("+00:00", "Z"), str(source.absolute()),
                   str(checkpoint.absolute()) if checkpoint else "", tuple(reviews), offline=checkpoint is None)

    def row(self) -> dict[str, Any]:
        """The mark's node as a row (its properties)."""
        return {"key": KEY, "started": self.started, "source": self.source, "checkpoint": self.checkpoint,
                "reviews": list(self.reviews), "offline": self.offline}

    def is_of(self, checkpoint: Path) -> bool:
        """Whether it is the mark of the load whose checkpoint is ``checkpoint``."""
        return self.checkpoint == str(checkpoint.absolute())

    def when(self) -> str:
        """``2026-12-07 13:54 UTC`` (as written when it cannot be read as a time)."""
        try:
            t = _dt.datetime.fromisoformat(self.started.replace("Z", "+00:00"))
        except ValueError:
            return self.started
        return t.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    def command(self) -> str:
        """The command that finishes the load."""
        if self.offline:
            return f"dhrkg bulk-load {self.source} --offline"
        extra = "" if Path(self.checkpoint) == Path(self.source) / DEFAULT_CHECKPOINT else \
            f" --checkpoint {self.checkpoint}"
        return f"dhrkg bulk-load {self.source}{extra}"

    def what(self, where: bool = True) -> str:
        """What is unfinished, since when, and (``where``) from which folder."""
        source = f", from {self.source}" if where else ""
        return f"a bulk load into this graph is unfinished (started {self.when()}{source})"

    def warning(self) -> str:
        """What a command that opens the graph says (once, on standard error)."""
        return f"warning: {self.what()}; answers may be incomplete until you run `{self.command()}` again"


def read(store: Any) -> Optional[UnfinishedLoad]:
    """The graph's mark, or None."""
    rows = store.query(READ, {"key": KEY}).rows
    if not rows:
        return None
    started, source, checkpoint, reviews, offline = rows[0]
    return UnfinishedLoad(str(started), str(source), str(checkpoint or ""), tuple(reviews or ()), bool(offline))


def write(store: Any, mark: UnfinishedLoad) -> None:
    """Put ``mark`` in the graph (replacing one there)."""
    store._write(WRITE, mark.row())


def remove(store: Any) -> None:
    """Take the mark away: the load has finished."""
    store._write(REMOVE, {"key": KEY})
