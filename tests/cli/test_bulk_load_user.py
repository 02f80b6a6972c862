"""``dhrkg bulk-load`` as its user meets it: a folder of case files, a terminal of 80 columns,
Ctrl-C and kill -9 in the middle of a load then the same command again, odd entries in the
folder, the progress bars on a terminal and in a file. Real processes, real signals, real
servers (both engines)."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import pytest

from support.case_folders import case_folder
from support.cli_env import cli_env, dhrkg

pytestmark = pytest.mark.processes  # processes, signals, engines killed: on one Python in CI (.ci/run)

CHECKPOINT = ".dhrkg-bulk-load.json"




def whole_graph(store) -> tuple[list, list]:
    """Every node and relationship by label and key, with their properties, sorted whole."""
    nodes = store.query("MATCH (n) RETURN labels(n)[0], properties(n)").rows
    rels = store.query("MATCH (a)-[e]->(b) RETURN labels(a)[0], a.key, type(e), labels(b)[0], b.key, "
                       "properties(e)").rows
    whole = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
    return sorted(map(whole, nodes)), sorted(map(whole, rels))


def rows_in(store) -> tuple[list, list]:
    """The keys of every node and the ends and type of every relationship, sorted (not their
    properties: opening a store summarises the reviews an interrupted load left unsummarised)."""
    nodes = store.query("MATCH (n) RETURN labels(n)[0], n.key").rows
    rels = store.query("MATCH (a)-[e]->(b) RETURN a.key, type(e), b.key").rows
    return sorted(map(str, nodes)), sorted(map(str, rels))


def process_env(store, **more) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "DHRKG_BACKEND")}
    env.update({k: v for k, v in cli_env(store).items() if v is not None})
    env.update(COLUMNS="80", **more)
    return env


def cut_load(store, folder: Path, sig: int, *args: str, checkpoint: str = CHECKPOINT,
             tmpdir: Optional[Path] = None) -> subprocess.CompletedProcess:
    """``dhrkg bulk-load folder`` in a process of its own, sent ``sig`` as soon as its first
    batch is in the checkpoint (the middle of the load). The child gets Ctrl-C's default action
    back: a suite run as a background job (.ci/run's parallel suites) ignores SIGINT, and a
    process started from it would inherit that. ``tmpdir``: its TMPDIR."""
    env = process_env(store, **({"TMPDIR": str(tmpdir)} if tmpdir else {}))
    proc = subprocess.Popen([sys.executable, "-m", "dhrkg", "bulk-load", str(folder), "--batch-size", "20", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while not (folder / checkpoint).exists() and proc.poll() is None:
        time.sleep(0.002)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def fits(text: str) -> bool:
    """Every line within 80 columns, but a word (a path) alone on its line that is wider."""
    return all(len(line) <= 80 or len(line.split()) == 1 for line in text.splitlines())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_an_interrupted_load_run_again_resumes_and_leaves_the_graph_of_a_whole_load(store, tmp_path, sig):
    folder = case_folder(tmp_path / "cases", 9)
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    assert r.exit_code == 0, r.output
    whole, said = whole_graph(store), r.stdout
    store.clear()

    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    cut = cut_load(store, folder, sig, tmpdir=tmpdir)
    assert (folder / CHECKPOINT).exists(), cut.stderr
    # the rows it held (the case data: names, dates) are not left in TMPDIR, even by kill -9
    assert not list(tmpdir.iterdir())
    if sig == signal.SIGINT:
        assert cut.returncode == 130, cut.stderr
        assert "bulk load interrupted\nrun the same command again to resume" in cut.stderr
        assert "Traceback" not in cut.stderr and fits(cut.stderr), cut.stderr
    else:
        assert cut.returncode == -signal.SIGKILL
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    assert r.exit_code == 0, r.output
    assert f"resuming the interrupted load from its checkpoint {folder / CHECKPOINT}" in r.stderr
    assert whole_graph(store) == whole
    # the summary counts the whole load's nodes and relationships, those of the cut run too
    counts = lambda out: [out.splitlines()[0], out.splitlines()[1].split(" in ")[0]]  # noqa: E731
    assert counts(r.stdout) == counts(said)
    assert "resumed:" in r.stdout and fits(r.stdout)
    assert not (folder / CHECKPOINT).exists()


def test_a_checkpoint_of_another_load_is_refused_before_anything_is_written(store, tmp_path):
    folder = case_folder(tmp_path / "cases", 6)
    cut = cut_load(store, folder, signal.SIGINT)
    assert cut.returncode == 130, cut.stderr
    before = rows_in(store)
    other_batches = dhrkg(["bulk-load", folder, "--batch-size", "50", "--quiet"], cli_env(store))
    (folder / "case-000.yaml").rename(tmp_path / "case-000.yaml")
    other_files = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    for r, said in ((other_batches, "another --batch-size"), (other_files, "other case files")):
        assert r.exit_code == 1, r.output
        assert f"the checkpoint of an interrupted load with {said}" in " ".join(r.stderr.split())
        assert str(folder / CHECKPOINT) in r.stderr and fits(r.stderr), r.stderr
    assert rows_in(store) == before
    (tmp_path / "case-000.yaml").rename(folder / "case-000.yaml")
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    assert r.exit_code == 0 and "resuming" in r.stderr, r.output


def test_a_checkpoint_of_another_graph_is_refused(store_falkordb, tmp_path):
    folder = case_folder(tmp_path / "cases", 3)
    cut = cut_load(store_falkordb, folder, signal.SIGINT)
    assert cut.returncode == 130, cut.stderr
    env = {**cli_env(store_falkordb), "DHRKG_GRAPH": f"{store_falkordb.graph_name}-other"}
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], env)
    assert r.exit_code == 1 and "with another graph" in " ".join(r.stderr.split()), r.output


def test_every_odd_entry_of_the_folder_is_named_and_nothing_is_written(store_falkordb, tmp_path):
    folder = case_folder(tmp_path / "cases", 3)
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    (folder / "folder.yaml").mkdir()
    os.mkfifo(folder / "pipe.yaml")  # reading it would wait for ever
    (folder / ".hidden.yaml").write_text("not: [a case file", encoding="utf-8")  # hidden: not read
    r = dhrkg(["bulk-load", folder, "--quiet"], cli_env(store_falkordb))
    assert r.exit_code == 2, r.output
    said = " ".join(r.stderr.split())
    for name, problem in (("loop.yaml", "cannot read"), ("gone.yaml", "no such file"),
                          ("folder.yaml", "is a directory"), ("pipe.yaml", "a named pipe or device")):
        assert f"{folder / name}: {problem}" in said, r.stderr
    assert ".hidden" not in r.stderr and "Traceback" not in r.stderr and fits(r.stderr)
    assert r.stderr.splitlines()[-1] == "nothing loaded: fix the problems above and load again"
    assert store_falkordb.reviews() == []


def test_a_folder_that_does_not_exist_is_said_so(tmp_path):
    r = dhrkg(["bulk-load", tmp_path / "nope"], {"DHRKG_DATA_DIR": str(tmp_path / "data")})
    assert r.exit_code == 1 and " ".join(r.stderr.split()) == f"error: {tmp_path / 'nope'}: no such directory"
    assert not (tmp_path / "data").exists()


def test_progress_in_a_file_is_one_line_a_step(store_falkordb, tmp_path):
    folder = case_folder(tmp_path / "cases", 3)
    r = subprocess.run([sys.executable, "-m", "dhrkg", "bulk-load", str(folder)], env=process_env(store_falkordb),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "\r" not in r.stderr and "\x1b" not in r.stderr, r.stderr
    steps = [line.split()[0] for line in r.stderr.splitlines()]
    assert steps == ["bulk", "summaries"], r.stderr  # checking files: gone when done
    assert "rows/s" in r.stderr and fits(r.stderr)


def on_a_terminal(argv: list[str], env: dict, columns: int) -> str:
    """What ``argv`` writes on a terminal ``columns`` wide, escape sequences taken out."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES", "TERM")} | {"TERM": "xterm"}
    proc = subprocess.Popen(argv, env=env, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    out = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        try:
            chunk = os.read(leader, 65536) if ready else b""
        except OSError:  # the process is gone
            chunk = b""
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, out
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.decode("utf-8", "replace"))


def test_progress_on_a_terminal_shows_rows_per_second_within_80_columns(store_falkordb, tmp_path):
    folder = case_folder(tmp_path / "cases", 3)
    text = on_a_terminal([sys.executable, "-m", "dhrkg", "bulk-load", str(folder), "--batch-size", "100"],
                         process_env(store_falkordb), columns=120)
    frames = [f for f in re.split(r"[\r\n]", text) if f.strip()]
    assert any(f.startswith("bulk load") and "rows/s" in f for f in frames), text
    assert any(f.startswith("checking files") for f in frames), text
    assert max(len(f) for f in frames) <= 80, [f for f in frames if len(f) > 80]


def test_ctrl_c_in_an_offline_load_leaves_the_empty_graph(store_falkordb, tmp_path, monkeypatch):
    import dhrkg.cli.offline as offline

    def ctrl_c():  # after the first rows are in the graph
        def tick(rows: int) -> None:
            raise KeyboardInterrupt
        return tick

    folder = case_folder(tmp_path / "cases", 3)
    monkeypatch.setattr(offline, "_ticker", ctrl_c)
    r = dhrkg(["bulk-load", folder, "--offline"], cli_env(store_falkordb))
    assert r.exit_code == 130, r.output
    assert "offline load interrupted: nothing loaded, the graph is empty again" in r.stderr
    assert fits(r.stderr)
    assert store_falkordb.query("MATCH (n) RETURN count(n)").rows == [[0]]
    monkeypatch.undo()
    r = dhrkg(["bulk-load", folder, "--offline", "--quiet"], cli_env(store_falkordb))
    assert r.exit_code == 0, r.output
    summary = r.stdout.splitlines()  # laid out as the online load's: what was done, indented
    assert summary[0] == "loaded 3 reviews into the empty falkordb graph with GRAPH.BULK:", r.stdout
    assert summary[-1] == "  then made its indexes and the summaries of the national scans", r.stdout


@pytest.mark.parametrize("existing", [False, True], ids=["new-dir", "empty-dir"])
def test_ctrl_c_while_writing_the_neo4j_import_files_leaves_none(tmp_path, monkeypatch, existing):
    import dhrkg.graph.offline as offline

    real, calls = offline._cell, []

    def ctrl_c_later(value, where):  # once some files are written
        calls.append(where)
        if len(calls) == 200:
            raise KeyboardInterrupt
        return real(value, where)

    folder, out = case_folder(tmp_path / "cases", 3), tmp_path / "csv"
    if existing:
        out.mkdir()
    monkeypatch.setattr(offline, "_cell", ctrl_c_later)
    args = ["bulk-load", folder, "--offline", "--backend", "neo4j", "--csv-dir", out]
    r = dhrkg(args, {"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert r.exit_code == 130 and len(calls) == 200, r.output
    assert "offline load interrupted: no CSV file written" in r.stderr and fits(r.stderr)
    assert list(out.iterdir()) == [] if existing else not out.exists()
    monkeypatch.undo()
    r = dhrkg(args, {"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert r.exit_code == 0 and "neo4j-admin database import full" in r.stdout, r.output


def test_ctrl_c_while_the_files_are_checked_says_nothing_was_loaded(store_falkordb, tmp_path, monkeypatch):
    from dhrkg import model

    real, seen = model.validate_file, []

    def ctrl_c_at_the_second(path):
        seen.append(path)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return real(path)

    monkeypatch.setattr(model, "validate_file", ctrl_c_at_the_second)
    r = dhrkg(["bulk-load", case_folder(tmp_path / "cases", 3)], cli_env(store_falkordb))
    assert r.exit_code == 130, r.output
    assert r.stderr == "error: bulk load interrupted while checking the files: nothing loaded\n"
    assert store_falkordb.reviews() == []


def test_a_checkpoint_that_cannot_be_written_is_said_before_anything_is_written(store, tmp_path):
    """A read-only folder of case files (here: a checkpoint in a folder that does not exist)."""
    folder = case_folder(tmp_path / "cases", 2)
    checkpoint = tmp_path / "gone" / "progress.json"
    r = dhrkg(["bulk-load", folder, "--checkpoint", checkpoint, "--quiet"], cli_env(store))
    assert r.exit_code == 2, r.output
    said = " ".join(r.stderr.split())
    assert said.startswith(f"error: {checkpoint}: the load's checkpoint cannot be written there")
    assert "give --checkpoint a file in a folder you can write" in said and fits(r.stderr)
    assert store.query("MATCH (n) RETURN count(n)").rows == [[0]]


def test_ctrl_c_while_summarising_keeps_the_mark_and_the_same_command_finishes_it(store, tmp_path, monkeypatch):
    from dhrkg.graph.store import Store

    folder = case_folder(tmp_path / "cases", 3)
    r = dhrkg(["bulk-load", folder, "--quiet"], cli_env(store))
    assert r.exit_code == 0, r.output
    whole = whole_graph(store)
    store.clear()
    real, done = Store.summarise, []

    def ctrl_c_at_the_second(self, review, *args, **kwargs):
        done.append(review)
        if len(done) == 2:
            raise KeyboardInterrupt
        return real(self, review, *args, **kwargs)

    monkeypatch.setattr(Store, "summarise", ctrl_c_at_the_second)
    r = dhrkg(["bulk-load", folder, "--quiet"], cli_env(store))
    assert r.exit_code == 130, r.output
    assert r.stderr.splitlines()[0] == "error: bulk load interrupted while summarising: every row is loaded"
    assert " ".join(r.stderr.split()).endswith(
        f"run the same command again to finish it (checkpoint: {folder / CHECKPOINT})"), r.stderr
    assert fits(r.stderr) and (folder / CHECKPOINT).exists()
    monkeypatch.undo()
    with reopened(store) as store_again:  # opening leaves the reviews of the unfinished load alone
        assert store_again.unfinished_load() is not None
        assert len(store_again.stale_reviews()) == 2
    done.clear()
    monkeypatch.setattr(Store, "summarise", lambda self, review, *a, **k: (done.append(review), real(self, review, *a, **k)))
    r = dhrkg(["bulk-load", folder, "--quiet"], cli_env(store))
    assert r.exit_code == 0 and "resuming" in r.stderr, r.output
    assert len(done) == 2  # the two left, not the one summarised before the Ctrl-C
    assert whole_graph(store) == whole and store.unfinished_load() is None
    assert not (folder / CHECKPOINT).exists()


def summarised(store) -> set:
    """The reviews whose summaries are made (by this version of dhrkg)."""
    from dhrkg.graph.summaries import SUMMARY_VERSION

    return {r[0] for r in store.query("MATCH (r:Review) WHERE r.summary_version = $v RETURN r.id",
                                      {"v": SUMMARY_VERSION}).rows}


def an_older_review(store, tmp_path) -> str:
    """A review loaded whole, its summaries then made older than this dhrkg's (as an older
    dhrkg left them): stale, and not of any bulk load."""
    folder = case_folder(tmp_path / "older", 1)
    path = next(folder.iterdir())
    review = re.search(r"(?m)^  id: (\S+)", path.read_text(encoding="utf-8"))[1] + "-older"
    path.write_text(re.sub(r"(?m)^  id: (\S+)", f"  id: {review}", path.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    r = dhrkg(["load", path], cli_env(store))
    assert r.exit_code == 0, r.output
    store._write("MATCH (r:Review {key: $r}) SET r.summary_version = 1", {"r": review})
    return review


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_an_unfinished_load_is_said_by_every_command_and_its_reviews_are_left_to_it(store, tmp_path, sig):
    folder = case_folder(tmp_path / "cases", 6)
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    assert r.exit_code == 0, r.output
    whole = whole_graph(store)
    store.clear()

    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    cut = cut_load(store, folder, sig, tmpdir=tmpdir)
    assert (folder / CHECKPOINT).exists(), cut.stderr
    # the rows it held (the case data: names, dates) are not left in TMPDIR, even by kill -9
    assert not list(tmpdir.iterdir())
    mark = store.unfinished_load()
    assert mark is not None and mark.source == str(folder) and len(mark.reviews) == 6
    older = an_older_review(store, tmp_path)
    # another command opens the graph, in a process of its own: it says so once, summarises the
    # older review (with a line saying so) and leaves the load's reviews alone
    stats = subprocess.run([sys.executable, "-m", "dhrkg", "stats"], env=process_env(store),
                           capture_output=True, text=True, timeout=300)
    assert stats.returncode == 0, stats.stderr
    said = " ".join(stats.stderr.split())
    assert said.count("bulk load into this graph is unfinished") == 1, stats.stderr
    assert (f"warning: a bulk load into this graph is unfinished (started {mark.when()}, from {folder}); "
            f"answers may be incomplete until you run `dhrkg bulk-load {folder}` again") in said, stats.stderr
    assert "summarising 1 review loaded by an older dhrkg or in bulk" in said, stats.stderr
    assert fits(stats.stderr) and "Traceback" not in stats.stderr
    assert "BulkLoad" not in stats.stdout  # the mark is not counted as data
    assert summarised(store) == {older}
    # a national scan that reads the summaries refuses; one that does not runs, with the warning
    refused = dhrkg(["run", "serial-perpetrators"], cli_env(store))
    assert refused.exit_code == 1, refused.output
    said = " ".join(refused.stderr.split())
    assert "serial-perpetrators reads the summaries a bulk load computes when it ends" in said, said
    assert f"run `dhrkg bulk-load {folder}` again" in said and fits(refused.stderr), refused.stderr
    assert refused.stdout == ""
    scan = ["run", "incidents-without-risk-assessment", "-f", "json", "--param"]
    narrowed = dhrkg([*scan, f"review={older}"], cli_env(store))
    assert narrowed.exit_code == 0, narrowed.output  # a review the load does not hold: answered
    narrowed = dhrkg([*scan, f"review={mark.reviews[0]}"], cli_env(store))
    assert narrowed.exit_code == 1 and "--param review=ID" in narrowed.stderr, narrowed.output
    ran = dhrkg(["run", "reviews", "-f", "json"], cli_env(store))
    assert ran.exit_code == 0 and "bulk load into this graph is unfinished" in ran.stderr, ran.output

    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    assert r.exit_code == 0 and "resuming" in r.stderr, r.output
    assert "warning" not in r.stderr, r.stderr  # the load itself says it resumes, nothing more
    store._write("MATCH (r:Review {key: $r}) DETACH DELETE r", {"r": older})
    store._write("MATCH (n {review: $r}) DETACH DELETE n", {"r": older})
    assert whole_graph(store) == whole and store.unfinished_load() is None
    after = dhrkg(["stats"], cli_env(store))
    assert after.exit_code == 0 and after.stderr == "", after.output


def test_another_load_is_refused_while_one_is_unfinished(store, tmp_path):
    folder = case_folder(tmp_path / "cases", 3)
    cut = cut_load(store, folder, signal.SIGKILL)
    assert cut.returncode == -signal.SIGKILL
    before = rows_in(store)
    other = case_folder(tmp_path / "other", 2)
    r = dhrkg(["bulk-load", other, "--quiet"], cli_env(store))
    assert r.exit_code == 1, r.output
    assert " ".join(r.stderr.split()) == (
        f"error: a bulk load into this graph is unfinished (started {store.unfinished_load().when()}, from "
        f"{folder}): finish it first (run `dhrkg bulk-load {folder}` again); nothing was written"), r.stderr
    assert fits(r.stderr) and rows_in(store) == before and not (other / CHECKPOINT).exists()


def test_an_unfinished_load_whose_checkpoint_is_gone_starts_again_from_nothing(store, tmp_path):
    folder = case_folder(tmp_path / "cases", 4)
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    assert r.exit_code == 0, r.output
    whole = whole_graph(store)
    store.clear()
    cut = cut_load(store, folder, signal.SIGKILL)
    (folder / CHECKPOINT).unlink()
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--quiet"], cli_env(store))
    assert r.exit_code == 0, r.output
    assert "it left no checkpoint to resume from; its reviews loaded so far are deleted first" in " ".join(
        r.stderr.split()) and fits(r.stderr), r.stderr
    assert whole_graph(store) == whole and store.unfinished_load() is None


def reopened(store):
    """Another store on ``store``'s graph, as the next dhrkg command opens it."""
    if store.backend == "falkordb":
        return type(store)(store.data_dir, store.graph_name)
    return type(store)(store.settings)


def test_a_checkpoint_given_in_the_folder_is_not_read_as_a_case_file(store_falkordb, tmp_path, monkeypatch):
    folder = case_folder(tmp_path / "cases", 3)
    monkeypatch.chdir(folder)
    cut = cut_load(store_falkordb, folder, signal.SIGINT, "--checkpoint", "progress.json", checkpoint="progress.json")
    assert cut.returncode == 130, cut.stderr
    r = dhrkg(["bulk-load", folder, "--batch-size", "20", "--checkpoint", "progress.json", "--quiet"],
              cli_env(store_falkordb))
    assert r.exit_code == 0 and "resuming" in r.stderr, r.output


def test_summarising_as_the_graph_opens_is_said_on_a_terminal_within_80_columns(store_falkordb, tmp_path):
    an_older_review(store_falkordb, tmp_path)
    text = on_a_terminal([sys.executable, "-m", "dhrkg", "stats"], process_env(store_falkordb), columns=120)
    frames = [f for f in re.split(r"[\r\n]", text) if f.strip()]
    assert "summarising 1 review loaded by an older dhrkg or in bulk (the national scans read their summaries) ..." \
        in " ".join(" ".join(frames).split()), text
    said = [f for f in frames if f.startswith(("summarising", "  (the national", "summaries"))]
    assert said and max(len(f) for f in said) <= 80, said
    assert store_falkordb.stale_reviews() == []
