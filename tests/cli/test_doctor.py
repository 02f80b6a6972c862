"""``dhrkg doctor``: one line per check, what to install when something is missing, exit 0 only when ready."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dhrkg import doctor


@pytest.fixture(autouse=True)
def own_tmpdir(tmp_path, monkeypatch) -> Path:
    """The doctor looks for case data left in TMPDIR: each test has its own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def _doctor(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    env.pop("NEO4J_URI", None)
    env.pop("DHRKG_BACKEND", None)
    return subprocess.run([sys.executable, "-m", "dhrkg", "doctor", *args],
                          capture_output=True, text=True, env=env, timeout=180)


def _path_without(tmp_path: Path, missing: str) -> str:
    """A PATH with the tools the doctor checks, except ``missing``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in doctor.PACKAGES:
        found = shutil.which(program)
        if program != missing and found:
            (bin_dir / program).symlink_to(found)
    return str(bin_dir)


def test_a_complete_machine_is_ready(tmp_path):
    for program in ("dot", "rsvg-convert"):
        assert shutil.which(program), f"{program} is needed for this test (scripts/setup.sh installs it)"
    done = _doctor("--data-dir", str(tmp_path / "data"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dhrkg is ready." in done.stdout
    lines = [line for line in done.stdout.splitlines() if line.startswith(("ok", "FAIL", "skip"))]
    assert {line.split()[1] for line in lines} >= {"python", "graphviz", "librsvg", "data", "embedded"}
    assert all(len(line) <= 80 or " " not in line.strip() for line in done.stdout.splitlines())  # paths may not break
    assert not (tmp_path / "data" / "falkordb.sock").exists()  # the engine it started is stopped again


def test_missing_dot_says_what_to_install(tmp_path):
    done = _doctor("--data-dir", str(tmp_path / "data"), "--no-start", path=_path_without(tmp_path, "dot"))
    assert done.returncode == 1
    graphviz = [line for line in done.stdout.splitlines() if "graphviz" in line]
    assert graphviz[0].startswith("FAIL") and "`dot` not found" in graphviz[0]
    assert any("graphviz" in line and "->" in line for line in done.stdout.splitlines())
    assert "not ready" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_missing_optional_tool_does_not_fail(tmp_path):
    done = _doctor("--data-dir", str(tmp_path / "data"), "--no-start", path=_path_without(tmp_path, "rapper"))
    assert done.returncode == 0, done.stdout
    assert any(line.startswith("skip") and "rapper" in line for line in done.stdout.splitlines())


def test_a_data_directory_others_can_read_fails_with_the_fix(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    done = _doctor("--data-dir", str(data), "--no-start")
    assert done.returncode == 1
    assert f"-> chmod 700 {data}" in " ".join(done.stdout.split())


@pytest.mark.parametrize("release, manager", [
    ('ID=debian\n', "apt"),
    ('ID=ubuntu\nID_LIKE=debian\n', "apt"),
    ('ID=fedora\n', "dnf"),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "dnf"),
    ('ID=arch\n', None),
])
def test_the_package_manager_comes_from_os_release(tmp_path, release, manager):
    if sys.platform == "darwin":
        pytest.skip("macOS always answers brew")
    os_release = tmp_path / "os-release"
    os_release.write_text(release)
    assert doctor.package_manager(os_release) == manager


def test_every_program_has_a_package_on_each_platform():
    for program, packages in doctor.PACKAGES.items():
        assert set(packages) == set(doctor.INSTALL_COMMAND), program


def test_case_data_an_older_dhrkg_left_in_tmpdir_fails_with_the_fix(tmp_path, own_tmpdir):
    left = own_tmpdir / "dhrkg-bulk-k2j4h1x0"
    left.mkdir(mode=0o700)
    (left / "node-Person.jsonl").write_text('{"name": "Jane Example"}\n')
    done = _doctor("--data-dir", str(tmp_path / "data"), "--no-start")
    assert done.returncode == 1
    said = " ".join(done.stdout.split())
    assert "FAIL temporary files 1 folder(s) in" in said and "bulk loads an older dhrkg did not finish" in said
    assert f"-> when no dhrkg bulk-load runs: rm -r {own_tmpdir}/dhrkg-bulk-*" in said
    assert left.exists()  # named, not removed: an older dhrkg's load may still run


def test_the_doctor_removes_the_scratch_folder_of_a_killed_process(tmp_path, own_tmpdir):
    from dhrkg import scratch

    left = own_tmpdir / f"{scratch.PREFIX}report-x1y2z3"
    left.mkdir(mode=0o700)
    (left / scratch.LOCK).touch()  # its holder is gone: nobody holds the lock
    (left / "report.pdf").write_text("Jane Example")
    then = os.stat(left).st_mtime - 2 * scratch.UNLOCKED_GRACE_SECONDS
    os.utime(left, (then, then))
    done = _doctor("--data-dir", str(tmp_path / "data"), "--no-start")
    assert done.returncode == 0, done.stdout
    assert "removed 1 left by killed processes" in " ".join(done.stdout.split())
    assert not left.exists()
