"""The online bulk loader: many reviews, or a national extract, into a running engine, fast.

A :class:`Stream` is one kind of row (the nodes of one label, or the relationships of one type
between two labels) given as an iterator, so rows are built as they are sent and memory stays
flat. :func:`bulk_load` runs the streams in order (all node streams before any relationship
stream, so every relationship finds its ends), in batches of ``batch_size`` rows, with up to
``in_flight`` batches sent at once: while the engine works on one, the client builds and
serialises the next (FalkorDB runs writes one at a time, so a second batch in flight hides the
client's share). A store may say how many are best for its engine (``bulk_in_flight``).

Resumable: with a checkpoint file, the loader records after each batch how many batches of each
stream are in the graph. Run again, it skips those, and writes the next ``in_flight`` batches of
each stream (the most of any run of the load, kept in the checkpoint) with MERGE (on ``key``
for nodes, on the two ends for relationships), because they
may have reached the graph before the interruption without reaching the checkpoint. So an
interrupted load run again finishes with every row once.

Indexes are created before the load (the store's ``ensure_schema``), so that relationship
batches find their ends by index. A store may have its own session for a load
(``bulk_session``): FalkorDB finds relationship ends by the internal ids its node batches
returned, and into an empty graph builds the indexes other than ``key`` after the rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from dhrkg.outputs import replace_durably

#: Rows per statement: the best of 1,000-20,000 measured on both engines (BENCHMARKS.md, bulk).
BATCH_SIZE = 5000
#: Batches sent at once.
IN_FLIGHT = 2


@dataclass(frozen=True)
class Stream:
    """One kind of row. ``name`` is unique in a load (the checkpoint's key)."""

    name: str
    kind: str  # "node" | "area" | "edge"
    label: str  # node label, or relationship type
    rows: Iterable[dict]
    from_label: str = ""
    to_label: str = ""

    def create(self) -> str:
        if self.kind == "area":  # shared by reviews: always merged
            return self.merge()
        if self.kind == "node":
            return f"UNWIND $rows AS row CREATE (n:{self.label}) SET n = row"
        return (f"UNWIND $rows AS row MATCH (a:{self.from_label} {{key: row.from}}) "
                f"MATCH (b:{self.to_label} {{key: row.to}}) CREATE (a)-[e:{self.label}]->(b) SET e = row.props")

    def merge(self) -> str:
        """Nodes and areas: the idempotent form, for batches that may already be in the graph."""
        if self.kind == "area":
            return "UNWIND $rows AS row MERGE (a:Area {key: row.key}) SET a.kind = row.kind, a.name = row.name"
        return f"UNWIND $rows AS row MERGE (n:{self.label} {{key: row.key}}) SET n = row"

    def existing(self) -> str:
        """Relationships: those already between the ends of a batch's rows (MERGE cannot tell
        two relationships of one type between the same two nodes apart: a person twice a
        member of one household)."""
        return (f"UNWIND $rows AS row MATCH (a:{self.from_label} {{key: row.from}})-[e:{self.label}]->"
                f"(b:{self.to_label} {{key: row.to}}) RETURN a.key AS from, b.key AS to, properties(e) AS props")


def _in_graph(store: Any, stream: Stream, batch: list[dict]) -> bool:
    """Whether a relationship batch that may have been written before an interruption is in the
    graph: every row of it has a relationship with its ends and properties."""
    found: dict[str, int] = {}
    for a, b, props in store.query(stream.existing(), {"rows": batch}).rows:
        k = json.dumps([a, b, props], sort_keys=True)
        found[k] = found.get(k, 0) + 1
    for row in batch:
        k = json.dumps([row["from"], row["to"], row.get("props") or {}], sort_keys=True)
        if not found.get(k):
            return False
        found[k] -= 1
    return True


def node_stream(label: str, rows: Iterable[dict], name: str = "") -> Stream:
    return Stream(name or label, "node", label, rows)


def edge_stream(rtype: str, from_label: str, to_label: str, rows: Iterable[dict], name: str = "") -> Stream:
    """Rows ``{"from": key, "to": key, "props": {...}}``."""
    return Stream(name or f"{from_label}-{rtype}-{to_label}", "edge", rtype, rows, from_label, to_label)


@dataclass
class StreamReport:
    name: str
    kind: str
    rows: int = 0
    batches: int = 0
    skipped_batches: int = 0
    seconds: float = 0.0

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class BulkReport:
    streams: list[StreamReport] = field(default_factory=list)
    seconds: float = 0.0
    #: of ``seconds``, outside the streams: indexes built after the rows (FalkorDB, first loads)
    index_seconds: float = 0.0

    def rows(self, kind: Optional[str] = None) -> int:
        return sum(s.rows for s in self.streams if kind is None or s.kind == kind)

    def seconds_of(self, kind: str) -> float:
        return sum(s.seconds for s in self.streams if s.kind == kind)


class CheckpointError(ValueError):
    """A checkpoint that cannot be resumed: not one of dhrkg's, or of another load."""


#: what a load's ``load`` record may differ in, as a user would put it
_DIFFERENCES = {"rows": "other case files", "batch_size": "another --batch-size", "graph": "another graph"}


class Checkpoint:
    """Batches done per stream, in a small JSON file written atomically after each batch.

    ``load`` says which load it is (the rows' fingerprint, the batch size, the graph): batch
    counts mean nothing for other rows, other batches or another graph, so a checkpoint of
    another load is refused (:class:`CheckpointError`) rather than resumed."""

    #: the key of the most batches any run of this load had in flight (not a stream's name)
    IN_FLIGHT_KEY = "__in_flight__"
    #: the key of the load the checkpoint is of
    LOAD_KEY = "__load__"

    def __init__(self, path: Optional[Path], in_flight: int = IN_FLIGHT, load: Optional[dict] = None):
        self.path = path
        self.load = load
        self.done: dict[str, int] = {}
        #: a previous load was interrupted: batches after the recorded ones may be in the graph
        self.resuming = path is not None and path.exists()
        state = _checkpoint_state(path, load) if self.resuming else {}
        #: batches past a stream's recorded ones that may be in the graph: the most in flight of
        #: this run and of the interrupted ones (a load resumed with fewer in flight, e.g. another
        #: engine's default, still merges every batch the interrupted run may have written)
        self.in_flight = max(in_flight, state.pop(self.IN_FLIGHT_KEY, 0))
        self.done = state
        self._lock = threading.Lock()

    def record(self, stream: str, batches: int) -> None:
        with self._lock:
            self.done[stream] = batches
            if self.path is not None:
                state = {**self.done, self.IN_FLIGHT_KEY: self.in_flight}
                if self.load is not None:
                    state[self.LOAD_KEY] = self.load
                replace_durably(self.path, json.dumps(state, sort_keys=True).encode("utf-8"))

    def finish(self) -> None:
        if self.path is not None and self.path.exists():
            self.path.unlink()


def _checkpoint_state(path: Path, load: Optional[dict]) -> dict:
    """The batches done per stream (and the most in flight) in the checkpoint at ``path``, when
    it is of ``load`` (or ``load`` is None); else :class:`CheckpointError`."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        stored = state.pop(Checkpoint.LOAD_KEY, None)
        done = {str(k): int(v) for k, v in state.items()}
    except (OSError, UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
        raise CheckpointError(f"{path}: not a checkpoint of dhrkg bulk-load ({exc})") from None
    if load is not None and stored != load:
        other = [_DIFFERENCES[k] for k in _DIFFERENCES if not isinstance(stored, dict) or stored.get(k) != load.get(k)]
        raise CheckpointError(f"{path}: the checkpoint of an interrupted load with {' and '.join(other)}: "
                              "finish that load first (run it again as it was)")
    return done


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _session(store: Any) -> Any:
    """A context yielding how one batch is written: the store's own session for a load when it
    has one (FalkorDB: relationships find their ends by internal id, indexes built after the
    rows of a first load: FalkorDBStore.bulk_session), else ``store.write_batch``."""
    own = getattr(store, "bulk_session", None)
    return own() if own else nullcontext(_sender(store))


def _sender(store: Any) -> Callable[[Stream, str, list[dict]], Any]:
    return lambda stream, cypher, rows: store.write_batch(cypher, {"rows": rows})


def _run_stream(store: Any, stream: Stream, pool: ThreadPoolExecutor, in_flight: int,
                batch_size: int, checkpoint: Checkpoint, progress: Callable[[int], None],
                send: Optional[Callable[[Stream, str, list[dict]], Any]] = None) -> StreamReport:
    send = send or _sender(store)
    report = StreamReport(stream.name, stream.kind)
    t0 = time.perf_counter()
    skip = checkpoint.done.get(stream.name, 0)
    report.skipped_batches = skip
    pending: dict[Future, int] = {}
    finished: set[int] = set()
    contiguous = skip

    def settle(block: bool) -> None:
        nonlocal contiguous
        if not pending:
            return
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED) if block else (
            [f for f in pending if f.done()], None)
        for f in done:
            index = pending.pop(f)
            rows = f.result()  # an engine error stops the load here; the checkpoint stays
            finished.add(index)
            report.rows += rows
            report.batches += 1
            progress(rows)
        while contiguous in finished:
            finished.discard(contiguous)
            contiguous += 1
        checkpoint.record(stream.name, contiguous)

    for index, batch in enumerate(_batches(stream.rows, batch_size)):
        if index < skip:
            continue
        cypher = store.dialect.bulk_statement(stream, batch)
        if checkpoint.resuming and index < skip + checkpoint.in_flight:  # may be in the graph already
            if stream.kind != "edge":
                cypher = stream.merge()
            elif _in_graph(store, stream, batch):
                finished.add(index)
                continue
        # never more than in_flight batches past the checkpoint's mark: a resumed load then finds
        # every batch that may be in the graph within the in_flight batches it merges
        while len(pending) >= in_flight or (pending and index >= contiguous + in_flight):
            settle(block=True)
        pending[pool.submit(lambda c=cypher, b=batch: (send(stream, c, b), len(b))[1])] = index
    while pending:
        settle(block=True)
    report.seconds = time.perf_counter() - t0
    return report


def substring_streams(streams: Iterable[Stream], dialect: Any) -> Iterator[Stream]:
    """``streams`` with their node rows' SubstringIndex properties made as the rows go by."""
    from .summaries import with_substrings

    for stream in streams:
        yield replace(stream, rows=with_substrings(stream.label, stream.rows, dialect)) if stream.kind == "node" else stream


def bulk_load(store: Any, streams: Iterable[Stream], *, batch_size: int = BATCH_SIZE, in_flight: Optional[int] = None,
              checkpoint: Optional[Path] = None, progress: Optional[Callable[[int], None]] = None,
              load: Optional[dict] = None, keep_checkpoint: bool = False) -> BulkReport:
    """Load ``streams`` in order (give node streams before relationship streams). Node rows get
    their SubstringIndex properties on the way (dhrkg.graph.summaries.with_substrings): summarise
    the reviews loaded with ``substrings_in_rows=True``. ``in_flight``: by default the store's
    ``bulk_in_flight`` (its engine's best), else IN_FLIGHT. ``load``: which load this is, kept in
    the checkpoint, whose load must be the same (:class:`Checkpoint`); it is removed at the end
    unless ``keep_checkpoint`` (the caller removes it when the whole load, summaries included,
    has finished: dhrkg/cli/bulk.py)."""
    in_flight = in_flight or getattr(store, "bulk_in_flight", IN_FLIGHT)
    state = Checkpoint(checkpoint, in_flight, load)  # refused before anything is written
    store.ensure_schema()
    streams = substring_streams(streams, store.dialect)
    report = BulkReport()
    t0 = time.perf_counter()
    tick = progress or (lambda n: None)
    with _session(store) as send, ThreadPoolExecutor(max_workers=max(1, in_flight),
                                                      thread_name_prefix="dhrkg-bulk") as pool:
        for stream in streams:
            report.streams.append(_run_stream(store, stream, pool, max(1, in_flight), batch_size, state, tick, send))
    report.seconds = time.perf_counter() - t0
    report.index_seconds = report.seconds - sum(s.seconds for s in report.streams)
    if not keep_checkpoint:
        state.finish()
    return report


# --------------------------------------------------------------------------- many case files


class Spool:
    """The rows of many reviews, written once to files per stream (memory stays flat however many
    reviews), then read back as :class:`Stream` s: nodes, areas, relationships.

    The files have no name (``tempfile.TemporaryFile``: on Linux never linked into a directory,
    elsewhere unlinked as soon as made): they hold case data, the names and dates of the
    reviews, and the system frees them when the spool is closed or its process ends, however it
    ends (kill -9, a lost machine's reboot aside). A named spool directory was left behind in
    /tmp by every killed load. ``directory``: where they are made (default: the system's
    temporary directory, ``TMPDIR``)."""

    def __init__(self, directory: Optional[Path] = None):
        self.directory = directory
        self.reviews: list[str] = []
        self._files: dict[tuple, Any] = {}
        self._areas: dict[str, dict] = {}
        self._digest = hashlib.sha256()
        #: rows added, per kind ("node", "edge"; areas: :meth:`rows`)
        self._rows = {"node": 0, "edge": 0}

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Frees the files (their rows are gone: streams not yet read are cut short)."""
        for fh in self._files.values():
            fh.close()

    def _file(self, key: tuple) -> Any:
        if key not in self._files:
            self._files[key] = tempfile.TemporaryFile(dir=self.directory, prefix="dhrkg-spool-")
        return self._files[key]

    def add(self, rows: Any) -> None:
        """Add one review's :class:`~dhrkg.graph.schema.GraphRows`."""
        self.reviews.append(rows.review)
        for label, node_rows in rows.nodes.items():
            self._write(("node", label), node_rows)
        self._areas.update(rows.areas)
        for (rtype, from_label, to_label), edge_rows in rows.edges.items():
            self._write(("edge", rtype, from_label, to_label), edge_rows)

    def rows(self, kind: str) -> int:
        """How many rows of ``kind`` ("node", "area", "edge") the reviews added have."""
        return len(self._areas) if kind == "area" else self._rows[kind]

    def _write(self, key: tuple, rows: list[dict]) -> None:
        """``rows`` at the end of the file of stream ``key``; counted, and in the fingerprint."""
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
        self._file(key).write(text)
        self._digest.update(("-".join(key) + "\n").encode("utf-8") + text)
        self._rows[key[0]] += len(rows)

    def fingerprint(self) -> str:
        """The rows' fingerprint (every row of every stream, in order): equal for the same case
        files, whatever the run; what a checkpoint's batch counts are of."""
        digest = self._digest.copy()
        digest.update(json.dumps(sorted(self._areas.items()), sort_keys=True).encode("utf-8"))
        return digest.hexdigest()

    def streams(self) -> list[Stream]:
        """The streams of the rows added, each read from the start of its file (each read has its
        own position: streams may be asked for again)."""
        for fh in self._files.values():
            fh.flush()
        out = [node_stream(key[1], _read_lines(fh)) for key, fh in self._files.items() if key[0] == "node"]
        out.append(Stream("Area", "area", "Area", sorted(self._areas.values(), key=lambda a: a["key"])))
        out += [edge_stream(key[1], key[2], key[3], _read_lines(fh)) for key, fh in self._files.items()
                if key[0] == "edge"]
        return out


def _read_lines(fh: Any, chunk: int = 1 << 20) -> Iterator[dict]:
    """The rows of a spool file, from its start: read at offsets of this reader's own
    (``os.pread``), so that readers of one file do not move each other."""
    fd, offset, rest = fh.fileno(), 0, b""
    while block := os.pread(fd, chunk, offset):
        offset += len(block)
        block = rest + block
        end = block.rfind(b"\n")
        if end < 0:  # a row longer than a chunk
            rest = block
            continue
        rest = block[end + 1:]
        for line in block[:end].decode("utf-8").split("\n"):
            yield json.loads(line)
    if rest:
        yield json.loads(rest.decode("utf-8"))


