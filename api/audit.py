"""The audit log: who read, ran, changed, downloaded or exported what, and when.

One JSON object a line in ``<data dir>/api/audit.log``, appended (never rewritten). Each
entry holds the SHA-256 of the one before (``prev``) and its own (``hash``, over ``prev`` and
the entry's other fields), so an edited or removed line breaks the chain. The count and hash
of the last entry are also kept in ``audit.head``, so removing lines at the end is detected too.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from dhrkg.outputs import fsync_folder, replace_durably

GENESIS = "0" * 64


def _digest(prev: str, entry: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in entry.items() if k != "hash"}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def _entry(line: bytes) -> Optional[dict[str, Any]]:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


@dataclass(frozen=True)
class Broken:
    """Where the chain breaks: the line number (1-based) and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class AuditLog:
    """Appends are durable (fsync) before :meth:`record` returns. Threads recording at the same
    time share one write and one fsync (group commit): the first becomes the writer of every
    entry waiting, the others wait for it."""

    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir) / "api"
        self.path = self.dir / "audit.log"
        self.head_path = self.dir / "audit.head"
        self._cond = threading.Condition()
        self._pending: list[dict[str, Any]] = []
        self._queued = self._written = 0
        self._writing = False
        self._failed: tuple[int, int, BaseException] | None = None

    def record(self, user: Optional[str], action: str, target: str = "", **details: Any) -> dict[str, Any]:
        """Append one entry and return it once it is on disk."""
        entry = {"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
                 "user": user, "action": action, "target": target, "details": details}
        with self._cond:
            self._pending.append(entry)
            self._queued += 1
            mine = self._queued
            while self._writing and self._written < mine:
                self._cond.wait()
            if self._written >= mine:
                self._raise_if_failed(mine)
                return entry
            batch, self._pending, self._writing = self._pending, [], True
            first, last = self._queued - len(batch) + 1, self._queued
        error = None
        try:
            self._append(batch)
        except BaseException as exc:
            error = exc
            raise
        finally:
            with self._cond:
                self._writing, self._written = False, last
                self._failed = (first, last, error) if error is not None else self._failed
                self._cond.notify_all()
        return entry

    def _raise_if_failed(self, mine: int) -> None:
        if self._failed and self._failed[0] <= mine <= self._failed[1]:
            raise OSError(f"the audit log could not be written: {self._failed[2]}")

    def _append(self, batch: list[dict[str, Any]]) -> None:
        """Chain and write entries under a file lock (several processes may write): the lines
        fsynced, then the head replaced durably. A writer killed half-way leaves a head behind
        the log, or a torn last line: the next writer finishes or drops that first
        (:meth:`_settled`), so the chain always verifies."""
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            if created:
                fsync_folder(self.dir)  # the log's name is durable before any entry is acknowledged
            count, prev, size = self._settled(fh)
            lines = []
            for entry in batch:
                entry["prev"] = prev
                entry["hash"] = prev = _digest(prev, entry)
                lines.append(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            data = "".join(lines).encode("utf-8")
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            self._write_head(count + len(batch), prev, size + len(data))

    def _settled(self, fh) -> tuple[int, str, int]:
        """The count, last hash and size of the log once what a killed writer left is settled:
        whole entries after the head that chain on from it are counted (the writer died before
        its head), a torn last line (died mid-write, never acknowledged) is cut off."""
        count, prev, size = self._head()
        end = os.fstat(fh.fileno()).st_size
        if size is None or size > end:  # a head of before sizes were kept, or a cut log: verify says so
            return count, prev, end
        fh.seek(size)
        tail = fh.read(end - size)
        whole = tail[: tail.rfind(b"\n") + 1]
        for line in whole.splitlines(keepends=True):
            entry = _entry(line)
            if entry is None or entry.get("prev") != prev or _digest(prev, entry) != entry.get("hash"):
                return count, prev, end  # not a killed writer's: left for verify to report
            count, prev, size = count + 1, entry["hash"], size + len(line)
        if size < end:
            fh.truncate(size)
            os.fsync(fh.fileno())
        return count, prev, size

    def _head(self) -> tuple[int, str, Optional[int]]:
        try:
            head = json.loads(self.head_path.read_text(encoding="utf-8"))
            return int(head["entries"]), str(head["hash"]), head.get("bytes")
        except FileNotFoundError:
            return 0, GENESIS, 0

    def _write_head(self, count: int, last: str, size: int) -> None:
        head = json.dumps({"entries": count, "hash": last, "bytes": size})
        replace_durably(self.head_path, head.encode("utf-8"))

    def entries(self) -> Iterator[dict[str, Any]]:
        try:
            fh = self.path.open(encoding="utf-8")
        except FileNotFoundError:
            return
        with fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

    def verify(self) -> tuple[int, list[Broken]]:
        """The number of entries and where the chain is broken (empty when intact). What a
        writer killed half-way leaves is not a break: whole entries after the head that chain
        on from it, and a torn last line (never acknowledged); the next append settles both."""
        prev, broken, hashes = GENESIS, [], []
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        lines = data[: data.rfind(b"\n") + 1].decode("utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            entry = _entry(line.encode("utf-8"))
            if entry is None:
                broken.append(Broken(n, "not a JSON entry"))
                prev = ""
                hashes.append("")
                continue
            if entry.get("prev") != prev:
                broken.append(Broken(n, "does not follow the entry before it (a line was removed, added or reordered)"))
            if _digest(entry.get("prev", ""), entry) != entry.get("hash"):
                broken.append(Broken(n, "its hash does not match its content (the line was edited)"))
            prev = entry.get("hash", "")
            hashes.append(prev)
        count, last, _ = self._head()
        if count > len(lines) or last != ([GENESIS] + hashes)[count]:
            broken.append(Broken(len(lines), f"the log has {len(lines)} entries but its head file says {count} "
                                             "(entries were removed from or added at the end)"))
        return len(lines), broken
