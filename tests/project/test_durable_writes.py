"""One durable write (dhrkg.outputs): a file is written beside its place, fsynced, renamed onto
it and its folder fsynced, so a crash or power cut leaves the old file or the new one; a write
that fails part-way (a full disk) leaves the old file as it was and no ``.part`` behind. The
writers of a backup, the bulk-load checkpoint, linkage pairs, chronologies and drawings use it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from support.durability import full_disk, watch

from dhrkg.outputs import atomic_path, atomic_text, replace_durably


def left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_write_that_fails_part_way_keeps_the_old_file_and_leaves_no_part(tmp_path, monkeypatch, step):
    path = tmp_path / "users.json"
    path.write_bytes(b"old")
    full_disk(monkeypatch, step)
    with pytest.raises(OSError, match="No space left"):
        replace_durably(path, b"new" * 1000)
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert left(tmp_path) == ["users.json"]


def test_a_streamed_write_that_fails_part_way_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "pairs.csv"
    path.write_text("old\n", encoding="utf-8")
    full_disk(monkeypatch)
    with pytest.raises(OSError), atomic_text(path) as out:
        out.write("a,b\n" * 1000)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old\n"
    assert left(tmp_path) == ["pairs.csv"]


def test_the_temporary_file_is_fsynced_renamed_then_the_folder_fsynced(tmp_path, monkeypatch):
    path = tmp_path / "manifest.json"
    path.write_bytes(b"old")
    steps = watch(monkeypatch, path, tmp_path)
    replace_durably(path, b"new")
    assert steps == [("fsync", "temporary"), ("replace", str(path)), ("fsync", str(tmp_path))]
    assert path.read_bytes() == b"new"


def test_the_mode_is_private_by_default_and_the_umask_s_when_asked(tmp_path):
    private, shared = tmp_path / "private", tmp_path / "shared"
    replace_durably(private, b"x")
    old = os.umask(0o022)
    try:
        replace_durably(shared, b"x", mode=None)
    finally:
        os.umask(old)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644


def test_a_writer_that_goes_by_the_name_gets_its_suffix(tmp_path):
    path = tmp_path / "chronology.xlsx"
    with atomic_path(path, suffix=".xlsx") as tmp:
        assert tmp.name.endswith(".xlsx") and tmp.parent == path.parent.resolve()
        tmp.write_bytes(b"book")
    assert path.read_bytes() == b"book" and left(tmp_path) == ["chronology.xlsx"]


def test_a_backup_file_that_fails_part_way_keeps_the_old_one(tmp_path, monkeypatch):
    from dhrkg.graph.backup import _write_private

    path = tmp_path / "manifest.json"
    path.write_bytes(b"old")
    full_disk(monkeypatch)
    with pytest.raises(OSError):
        _write_private(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old" and left(tmp_path) == ["manifest.json"]
    steps = watch(monkeypatch, path, tmp_path)
    _write_private(path, b"new")
    assert steps == [("fsync", "temporary"), ("replace", str(path)), ("fsync", str(tmp_path))]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_bulk_load_checkpoint_is_written_durably(tmp_path, monkeypatch):
    from dhrkg.graph.bulk import Checkpoint

    path = tmp_path / "bulk.checkpoint"
    checkpoint = Checkpoint(path)
    checkpoint.record("Person", 3)
    full_disk(monkeypatch)
    with pytest.raises(OSError):
        checkpoint.record("Person", 4)
    monkeypatch.undo()
    assert Checkpoint(path).done == {"Person": 3} and left(tmp_path) == ["bulk.checkpoint"]


def test_linkage_pairs_and_chronologies_leave_no_part(tmp_path, monkeypatch):
    from dhrkg.ingest.chronology import export_chronology
    from dhrkg.ingest.linkage import write_pairs
    from dhrkg.model import load_case

    pairs, chronology = tmp_path / "pairs.csv", tmp_path / "chronology.csv"
    pairs.write_text("old\n", encoding="utf-8")
    chronology.write_text("old\n", encoding="utf-8")
    case = load_case(Path(__file__).resolve().parents[2] / "examples" / "001_24bc3f827734f2c4.yaml")
    full_disk(monkeypatch)
    with pytest.raises(OSError):
        write_pairs(pairs, [("a", "b", 0.5)])
    with pytest.raises(OSError):
        export_chronology(case, chronology)
    monkeypatch.undo()
    assert pairs.read_text(encoding="utf-8") == chronology.read_text(encoding="utf-8") == "old\n"
    assert left(tmp_path) == ["chronology.csv", "pairs.csv"]
    assert write_pairs(pairs, [("a", "b", 0.5)]) == 1 and export_chronology(case, chronology) > 0
    assert left(tmp_path) == ["chronology.csv", "pairs.csv"]


WRITER = """
import os, sys, time
from dhrkg.outputs import atomic_path
with atomic_path(sys.argv[1]) as tmp:
    tmp.write_bytes(b"half of a genogram")
    print(tmp, flush=True)
    time.sleep(60)
"""


def _writer_in_its_block(path: Path):
    """A process writing ``path`` through atomic_path, stopped inside the block."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    tmp = Path(proc.stdout.readline().strip())
    assert tmp.exists(), "the writer did not start"
    return proc, tmp


def _aged(path: Path) -> None:
    past = os.stat(path, follow_symlinks=False).st_mtime - 3600
    os.utime(path, (past, past), follow_symlinks=False)


def test_a_write_killed_outright_leaves_a_file_the_next_write_removes(tmp_path):
    """kill -9 (or the out-of-memory killer) gives no chance to remove the temporary file: it
    holds case data, so the next write of the same file removes it, once no writer holds it."""
    import signal

    path = tmp_path / "genogram.pdf"
    proc, killed = _writer_in_its_block(path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert killed.exists()
    _aged(killed)
    replace_durably(path, b"whole")
    assert left(tmp_path) == ["genogram.pdf"]
    assert path.read_bytes() == b"whole"


def test_files_being_written_young_or_not_this_user_s_are_kept(tmp_path):
    path = tmp_path / "genogram.pdf"
    proc, live = _writer_in_its_block(path)  # a live writer's file, however old
    try:
        _aged(live)
        young = tmp_path / ".genogram.pdf.0123456789ab.part"  # its writer may not hold it yet
        young.write_bytes(b"x")
        other_name = tmp_path / ".genogram.pdf.notes"
        other_name.write_bytes(b"x")
        link = tmp_path / ".genogram.pdf.aaaaaaaaaaaa.part"
        link.symlink_to(tmp_path / "elsewhere")
        kept = [live, young, other_name, link]
        if os.getuid() == 0:
            theirs = tmp_path / ".genogram.pdf.bbbbbbbbbbbb.part"
            theirs.write_bytes(b"x")
            os.chown(theirs, 65534, 65534)
            kept.append(theirs)
        for p in kept[2:]:
            _aged(p)
        replace_durably(path, b"whole")
        assert all(os.path.lexists(p) for p in kept), left(tmp_path)
    finally:
        proc.kill()
        proc.wait()
