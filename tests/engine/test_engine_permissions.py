"""13.10 (and 12.10): files with personal data are 0600 in 0700 directories, checked at start-up;
a new data directory is announced."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def dhrkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command, as a user with the common umask 022 runs it."""
    return subprocess.run([sys.executable, "-m", "dhrkg", *args], capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(0o022), timeout=300, cwd=cwd)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_an_open_data_directory_and_its_files_are_tightened_with_a_warning(data_dir):
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    (data_dir / "linkage").mkdir(mode=0o755)
    records = data_dir / "linkage" / "records.csv"
    records.write_text("record_id,forename\nr1,Quimby\n")
    os.chmod(records, 0o644)
    unrelated = data_dir / "notes.txt"  # not dhrkg's: left alone
    unrelated.write_text("x")
    os.chmod(unrelated, 0o644)
    res = dhrkg("db", "start", "--data-dir", str(data_dir))
    assert res.returncode == 0, res.stderr
    assert f"{data_dir} was open to other users (mode 755); now 700" in res.stderr
    assert f"{records} was open to other users (mode 644); now 600" in res.stderr
    assert mode(data_dir) == 0o700 and mode(data_dir / "linkage") == 0o700 and mode(records) == 0o600
    assert mode(unrelated) == 0o644
    for path in (data_dir / "appendonlydir").iterdir():
        assert mode(path) == 0o600, path
    assert mode(data_dir / "falkordb.log") == 0o600


@pytest.mark.skipif(os.getuid() != 0, reason="making a directory of another user needs root")
def test_a_data_directory_of_another_user_is_refused(data_dir):
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, 65534, 65534)
    res = dhrkg("db", "start", "--data-dir", str(data_dir))
    assert res.returncode == 1
    assert "belongs to another user" in " ".join(res.stderr.split()) and "Traceback" not in res.stderr


def test_a_new_data_directory_is_announced_once(data_dir):
    res = dhrkg("load", str(GOLD[0]), "--data-dir", str(data_dir), "-q")
    assert res.returncode == 0, res.stderr
    assert f"created a new, empty data directory {data_dir}" in " ".join(res.stderr.split())  # in 80 columns
    assert mode(data_dir) == 0o700
    res = dhrkg("stats", "--data-dir", str(data_dir))
    assert "created a new" not in res.stderr


def test_import_records_keeps_its_copy_of_people_records_private(data_dir, tmp_path):
    from dhrkg.ingest.synth import SynthConfig, generate

    folder = tmp_path / "synth"
    generate(SynthConfig(forces=2, people=1500, years=4, seed=3, planted=2), folder)
    res = dhrkg("import-records", str(folder), "--data-dir", str(data_dir))
    assert res.returncode == 0, res.stderr
    assert mode(data_dir / "linkage") == 0o700
    assert mode(data_dir / "linkage" / "records.csv") == 0o600


def test_a_key_file_others_can_read_is_refused(tmp_path):
    key = tmp_path / "export.key"
    key.write_text("ab" * 32 + "\n")
    os.chmod(key, 0o644)
    res = dhrkg("export", str(GOLD[0]), "--pseudonymise", "--key-file", str(key), "-o", str(tmp_path / "x.nt"))
    assert res.returncode != 0
    assert "other users may read it (mode 644)" in res.stderr and "Traceback" not in res.stderr
    os.chmod(key, 0o600)
    res = dhrkg("export", str(GOLD[0]), "--pseudonymise", "--key-file", str(key), "-o", str(tmp_path / "x.nt"))
    assert res.returncode == 0, res.stderr
    assert mode(tmp_path / "x.nt") == 0o600
