"""The audit log survives its writer being killed at any moment: after each kill -9 the chain
verifies, every acknowledged entry is in it, and the next append carries the chain on. And each
write is made durable in order: the entries fsynced before the head, the head through a
temporary file fsynced, renamed and its folder fsynced."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

WRITER = """
import sys, threading
from dhrkg.api.audit import AuditLog

log = AuditLog(sys.argv[1])
lock = threading.Lock()
acknowledged = 0

def write(name):
    global acknowledged
    i = 0
    while True:
        log.record(name, "read-review", f"r{i}", note="x" * (i % 300))
        i += 1
        with lock:
            acknowledged += 1
            print(acknowledged, flush=True)

for n in range(3):
    threading.Thread(target=write, args=(f"writer{n}",), daemon=True).start()
threading.Event().wait()
"""


def _kill_while_writing(data_dir: Path, seed: int) -> int:
    """Start the writer, kill -9 it at a random moment once it is writing; the entries it
    acknowledged."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip(), "the writer never wrote"
        time.sleep(random.Random(seed).uniform(0.01, 0.3))
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    last = [line for line in proc.stdout.read().splitlines() if line.strip()]
    return int(last[-1]) if last else 1


def test_the_chain_verifies_after_every_kill_9_and_keeps_every_acknowledged_entry(tmp_path):
    from dhrkg.api.audit import AuditLog

    log, acknowledged = AuditLog(tmp_path), 0
    for seed in range(12):
        acknowledged += _kill_while_writing(tmp_path, seed)
        count, broken = log.verify()
        assert broken == [], (seed, [str(b) for b in broken])
        assert count >= acknowledged, seed
    log.record("after", "read-review", "last")  # settles what the last writer left, then appends
    count, broken = log.verify()
    assert broken == [] and count > acknowledged
    assert list(log.entries())[-1]["user"] == "after"


def test_a_head_behind_the_log_and_a_torn_line_are_settled_by_the_next_append(tmp_path):
    """The two states a killed writer can leave, made by hand: verify accepts them, the next
    writer counts the whole entries and cuts the torn line."""
    from dhrkg.api.audit import AuditLog

    log = AuditLog(tmp_path)
    log.record("u", "read-review", "r0")
    head = log.head_path.read_bytes()
    log.record("u", "read-review", "r1")
    log.head_path.write_bytes(head)  # killed after its entry, before its head
    with log.path.open("ab") as fh:
        fh.write(b'{"time": "2026-12-06T00:00:00.000+00:00", "user": "u", "act')  # killed mid-line
    assert log.verify() == (2, [])
    log.record("u", "read-review", "r2")
    assert log.verify() == (3, [])
    assert [e["target"] for e in log.entries()] == ["r0", "r1", "r2"]


def test_entries_then_head_are_made_durable_in_order(tmp_path, monkeypatch):
    """The real fsync and rename, watched: which file each is for, in which order."""
    from dhrkg.api.audit import AuditLog

    calls: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst):
        calls.append(("replace", str(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    log = AuditLog(tmp_path)
    log.record("u", "read-review", "r0")
    folder, entries, head = str(log.dir), str(log.path), str(log.head_path)
    steps = [(kind, path if path in (folder, entries, head) else "temporary") for kind, path in calls]
    assert steps == [("fsync", folder),       # the new log's name
                     ("fsync", entries),      # the entries
                     ("fsync", "temporary"),  # the new head, beside the old
                     ("replace", head),
                     ("fsync", folder)]       # the rename
