"""Scratch folders (dhrkg.scratch): files that hold case data while a tool reads or converts them
(an uploaded report, a chronology, drawings on their way to PDF) are not left in /tmp by a
process that was killed. A real process holds a folder and is killed with SIGKILL; the next
scratch folder removes it, and never one that a live process holds or another user owns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dhrkg import scratch
from dhrkg.scratch import remove_abandoned, scratch_folder

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from dhrkg.scratch import scratch_folder
    with scratch_folder("report", Path(sys.argv[1])) as folder:
        (folder / "report.pdf").write_text("Victim: Jane Example, born 1970-01-01")
        print(folder, flush=True)
        time.sleep(300)
""")


def holder(base: Path) -> tuple[subprocess.Popen, Path]:
    """A process holding a scratch folder in ``base``, with a report in it; the folder."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(base)], stdout=subprocess.PIPE, text=True)
    return proc, Path(proc.stdout.readline().strip())


def aged(folder: Path, seconds: float = 2 * scratch.UNLOCKED_GRACE_SECONDS) -> None:
    then = time.time() - seconds
    os.utime(folder, (then, then))


def test_a_folder_is_private_and_gone_at_the_end(tmp_path):
    with scratch_folder("drawing", tmp_path) as folder:
        assert folder.parent == tmp_path and folder.name.startswith("dhrkg-scratch-drawing-")
        assert folder.stat().st_mode & 0o777 == 0o700
        (folder / "page-001.svg").write_text("<svg/>")
    assert not folder.exists()


def test_the_folder_of_a_killed_process_is_removed_by_the_next(tmp_path):
    proc, left = holder(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (left / "report.pdf").exists()  # what kill -9 leaves: the report, names and all
    aged(left)
    with scratch_folder("drawing", tmp_path) as mine:
        assert not left.exists()
        assert [p for p in tmp_path.iterdir()] == [mine]


def test_a_folder_a_live_process_holds_is_kept(tmp_path):
    proc, held = holder(tmp_path)
    try:
        aged(held)  # old, but held
        assert remove_abandoned(tmp_path) == []
        assert (held / "report.pdf").exists()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert remove_abandoned(tmp_path) == [held]


def test_a_folder_being_made_this_moment_is_kept(tmp_path):
    """Made but not yet locked (or killed in that moment): removed only when old."""
    young = tmp_path / f"{scratch.PREFIX}report-abcd"
    young.mkdir(mode=0o700)
    assert remove_abandoned(tmp_path) == []
    aged(young)
    assert remove_abandoned(tmp_path) == [young]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a folder of another user needs root")
def test_another_users_folders_and_links_are_never_touched(tmp_path):
    theirs = tmp_path / f"{scratch.PREFIX}report-theirs"
    theirs.mkdir()
    (theirs / "report.pdf").write_text("theirs")
    os.chown(theirs, 65534, 65534)
    aged(theirs)
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep").write_text("kept")
    link = tmp_path / f"{scratch.PREFIX}report-link"
    link.symlink_to(target)
    assert remove_abandoned(tmp_path) == []
    assert (theirs / "report.pdf").exists() and (target / "keep").exists()


def test_the_api_and_drawings_use_scratch_folders():
    """Every temporary folder in the product is a scratch folder (a plain TemporaryDirectory
    is left behind by kill -9)."""
    root = Path(__file__).resolve().parents[2]
    plain = [f"{p.relative_to(root)}:{n}" for folder in ("api", "graph", "ingest", "visualisation", "ontology", "dhrkg")
             for p in (root / folder).rglob("*.py") if p.name != "scratch.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if "TemporaryDirectory(" in line or "mkdtemp(" in line]
    assert plain == []


def test_a_process_looks_for_abandoned_folders_once_a_minute_per_directory(tmp_path):
    """A server making a folder per upload does not list a busy /tmp each time."""
    with scratch_folder("report", tmp_path):
        pass
    left = tmp_path / f"{scratch.PREFIX}report-left"
    left.mkdir(mode=0o700)
    aged(left)
    with scratch_folder("report", tmp_path):
        assert left.exists()  # looked less than a minute ago
    scratch._last_sweep[tmp_path] -= scratch.SWEEP_EVERY_SECONDS
    with scratch_folder("report", tmp_path):
        assert not left.exists()
