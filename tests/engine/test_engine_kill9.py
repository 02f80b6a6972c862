"""kill -9 of the dhrkg process at random points during loads, record imports, linkage, backups
and exports: afterwards every review is the old or the new version, counts check, an interrupted
import or linkage run again gives what an uninterrupted one gives, and no file is half-written.

Reduced here (DHRKG_KILL_LOOPS, default 3 kills per command); ``bench/kill9.py`` runs the full
loop. The kill -9 of the FalkorDB *server* mid-load is in test_graph_atomicity.py."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from dhrkg.graph.falkordb import FalkorDBStore, server
from dhrkg.model import load_case

from support.reviews import review_signature, settled_signature, with_extra_events

pytestmark = pytest.mark.processes  # processes, signals, engines killed: on one Python in CI (.ci/run)

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))
LOOPS = int(os.environ.get("DHRKG_KILL_LOOPS", "3"))


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dhrkg", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def timed(*args: str) -> float:
    t0 = time.perf_counter()
    proc = start(*args)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return time.perf_counter() - t0


def kill_at(proc: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(60)


def write_case(case, path: Path) -> Path:
    path.write_text(yaml.safe_dump(case.to_data(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_kill_9_of_dhrkg_load_leaves_old_or_new(data_dir, tmp_path):
    base, other = load_case(GOLD[1]), load_case(GOLD[0])
    rid = base.review.id
    old = write_case(with_extra_events(base, 0, "old"), tmp_path / "old.yaml")
    new = write_case(with_extra_events(base, 2000, "new"), tmp_path / "new.yaml")
    dd = ["--data-dir", str(data_dir), "-q"]
    timed("load", str(GOLD[0]), *dd)
    seconds = timed("load", str(new), *dd)
    with FalkorDBStore(data_dir) as s:
        new_sig = review_signature(s, rid)
        other_stats = s.stats(other.review.id)
    timed("load", str(old), *dd)
    with FalkorDBStore(data_dir) as s:
        old_sig = review_signature(s, rid)
    rng = random.Random(13)
    for _ in range(LOOPS):
        with FalkorDBStore(data_dir) as s:
            before = settled_signature(s, rid)
        target = new if before == old_sig else old
        kill_at(start("load", str(target), *dd), rng.uniform(0, seconds))
        with FalkorDBStore(data_dir) as s:
            assert settled_signature(s, rid) in (old_sig, new_sig)
            assert s.stats(other.review.id) == other_stats


def test_kill_9_of_dhrkg_backup_leaves_no_usable_half_backup(data_dir, tmp_path):
    from dhrkg.graph.backup import BackupError, restore

    timed("load", *map(str, GOLD), "--data-dir", str(data_dir), "-q")
    seconds = timed("backup", str(tmp_path / "full"), "--data-dir", str(data_dir))
    rng = random.Random(7)
    for i in range(LOOPS):
        target = tmp_path / f"bk{i}"
        kill_at(start("backup", str(target), "--data-dir", str(data_dir)), rng.uniform(0, seconds))
        with FalkorDBStore(data_dir) as s:
            stats = s.stats()
            if (target / "manifest.json").exists():  # finished: a whole backup
                restore(s, target)
                assert s.stats() == stats
            elif target.exists():
                with pytest.raises(BackupError, match="a dhrkg backup"):
                    restore(s, target)
            assert s.stats() == stats


def test_kill_9_of_dhrkg_export_leaves_no_half_file(tmp_path):
    out = tmp_path / "out.nt"
    seconds = timed("export", *map(str, GOLD), "-o", str(out))
    whole = out.read_bytes()
    rng = random.Random(3)
    for i in range(LOOPS):
        target = tmp_path / f"out{i}.nt"
        kill_at(start("export", *map(str, GOLD), "-o", str(target)), rng.uniform(0, seconds))
        assert not target.exists() or target.read_bytes() == whole


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    from dhrkg.ingest.synth import SynthConfig, generate

    folder = tmp_path_factory.mktemp("kill9-records") / "synth"
    generate(SynthConfig(forces=3, people=3000, years=5, seed=5, planted=10), folder)
    return folder


def graph_counts(data_dir: Path) -> dict:
    with FalkorDBStore(data_dir) as s:
        return s.stats()


def test_kill_9_of_import_records_then_the_same_import_completes_it(records, tmp_path):
    """import-records writes in batches, each one replacement of its keys: a killed import
    leaves whole batches, and running it again gives exactly what an uninterrupted import gives."""
    reference, victim = tmp_path / "reference", tmp_path / "victim"
    try:
        seconds = timed("import-records", str(records), "--data-dir", str(reference))
        expected = graph_counts(reference)
        rng = random.Random(11)
        for _ in range(LOOPS):
            kill_at(start("import-records", str(records), "--data-dir", str(victim)), rng.uniform(0, seconds))
        timed("import-records", str(records), "--data-dir", str(victim))
        assert graph_counts(victim) == expected
        copy = victim / "linkage" / "records.csv"
        assert copy.read_bytes() == (records / "people_records.csv").read_bytes()  # never half-copied
        assert not list((victim / "linkage").glob("*.part"))
    finally:
        server.stop(reference)
        server.stop(victim)


def test_kill_9_of_link_then_link_again_gives_the_same_identities(records, tmp_path):
    """`dhrkg link` replaces the Identity nodes in one write: a kill leaves the old ones whole
    (or the new ones, the same here), never fewer; the next `dhrkg link` gives exactly what an
    uninterrupted one gives, and the files it writes are whole or absent."""
    data_dir = tmp_path / "db"
    dd = ["--data-dir", str(data_dir)]
    try:
        timed("import-records", str(records), *dd)
        seconds = timed("link", *dd)
        expected = graph_counts(data_dir)
        state = data_dir / "linkage"
        review = (state / "review.csv").read_bytes()
        rng = random.Random(17)
        for _ in range(LOOPS):
            kill_at(start("link", *dd), rng.uniform(0, seconds))
            assert graph_counts(data_dir) == expected  # the identities are all there
            for path in state.glob("*.csv"):  # what is there is whole: it ends with a line break
                text = path.read_bytes()
                assert not text or text.endswith(b"\n"), path
        timed("link", *dd)
        assert graph_counts(data_dir) == expected
        assert (state / "review.csv").read_bytes() == review
    finally:
        server.stop(data_dir)
