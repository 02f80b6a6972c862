"""'dhrkg users', 'dhrkg audit' and 'dhrkg serve' as a user runs them (the real command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DHRKG = [sys.executable, "-m", "dhrkg"]


def _run(args: list[str], data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, DHRKG_DATA_DIR=str(data_dir), COLUMNS="80")
    return subprocess.run(DHRKG + args, env=env, capture_output=True, text=True, timeout=timeout)


def test_users_add_shows_the_token_once_and_keeps_only_its_hash(tmp_path):
    r = _run(["users", "add", "alice", "--role", "chair", "--review", "north-worcs-dhr-7"], tmp_path)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    assert token.startswith("dhrkg_") and len(token) > 40
    stored = (tmp_path / "api" / "users.json").read_text()
    assert token not in stored and "north-worcs-dhr-7" in stored
    assert oct((tmp_path / "api" / "users.json").stat().st_mode & 0o777) == "0o600"
    listed = _run(["users", "list"], tmp_path).stdout
    assert "alice" in listed and "chair" in listed and "active" in listed and token not in listed
    again = _run(["users", "add", "alice", "--role", "admin"], tmp_path)
    assert again.returncode == 1 and "exists" in again.stderr and "Traceback" not in again.stderr
    bad = _run(["users", "add", "bob", "--role", "boss"], tmp_path)
    assert bad.returncode == 1 and "chair, analyst, researcher, admin" in bad.stderr
    assert all(len(line) <= 80 for line in (again.stderr + bad.stderr).splitlines())
    assert _run(["users", "revoke", "alice"], tmp_path).returncode == 0
    assert "revoked" in _run(["users", "list"], tmp_path).stdout


def test_audit_shows_and_verifies_the_log_and_detects_an_edit(tmp_path):
    _run(["users", "add", "a", "--role", "analyst"], tmp_path)
    _run(["users", "revoke", "a"], tmp_path)
    shown = _run(["audit"], tmp_path).stdout.splitlines()
    assert [line.split()[2] for line in shown] == ["user-add", "user-revoke"]
    assert _run(["audit", "--action", "user-revoke", "--json"], tmp_path).stdout.count("\n") == 1
    ok = _run(["audit", "verify"], tmp_path)
    assert ok.returncode == 0 and "intact: 2 entries" in ok.stdout
    log = tmp_path / "api" / "audit.log"
    log.write_text(log.read_text().replace('"user-revoke"', '"user-review"'))
    bad = _run(["audit", "verify"], tmp_path)
    assert bad.returncode == 1 and "line 2" in bad.stderr and "NOT intact" in bad.stderr


def test_serve_warns_when_not_on_loopback(tmp_path):
    # 192.0.2.1 (TEST-NET) cannot be bound here, so the server stops right after the warning
    r = _run(["serve", "--host", "192.0.2.1", "--port", "8799"], tmp_path)
    assert "not loopback. Put TLS in front" in r.stderr and "Traceback" not in r.stderr
    assert "error: cannot listen on 192.0.2.1:8799: cannot assign requested address" in r.stderr
    assert all(len(line) <= 80 for line in r.stderr.splitlines())
    assert r.returncode != 0


def test_serve_on_loopback_says_where(tmp_path):
    from dhrkg.cli.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.1")


def _answers_health(proc, port: int) -> bool:
    """True once the server on ``port`` answers /health; False if ``proc`` ends first."""
    import time

    import httpx

    deadline = time.monotonic() + 60
    while proc.poll() is None:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
        except httpx.HTTPError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    return False


def test_serve_with_two_workers_answers_a_token(tmp_path):
    import httpx

    from dhrkg.graph.falkordb import server
    from support.live_server import free_port

    token = _run(["users", "add", "a", "--role", "analyst"], tmp_path).stdout.strip()
    env = dict(os.environ, DHRKG_DATA_DIR=str(tmp_path), DHRKG_BACKEND="falkordb")
    env.pop("NEO4J_URI", None)
    for _ in range(3):  # a free port can be taken before the server binds it (CI runs three suites at once)
        port = free_port()
        proc = subprocess.Popen(DHRKG + ["serve", "--port", str(port), "--workers", "2"], env=env,
                                stderr=subprocess.PIPE, text=True)
        if _answers_health(proc, port) or proc.poll() is None or "address already in use" not in proc.stderr.read():
            break
    try:
        assert proc.poll() is None, "the server did not start"
        answers = [httpx.get(f"http://127.0.0.1:{port}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
                   for _ in range(6)]
        assert all(r.json()["name"] == "a" for r in answers)
    finally:
        proc.terminate()
        proc.wait(20)
        server.stop(tmp_path)
    assert f"http://127.0.0.1:{port}/" in proc.stderr.read()


@pytest.mark.parametrize("workers", [1, 3])
def test_serve_says_an_unfinished_bulk_load_in_its_log_and_health(tmp_path, workers):
    import httpx

    from dhrkg.graph import unfinished
    from dhrkg.graph.falkordb import FalkorDBStore, server
    from support.live_server import free_port

    with FalkorDBStore(tmp_path) as store:
        unfinished.write(store, unfinished.UnfinishedLoad("2026-12-07T13:54:07Z", "/srv/cases",
                                                          "/srv/cases/.dhrkg-bulk-load.json", ("r1",)))
    env = dict(os.environ, DHRKG_DATA_DIR=str(tmp_path), DHRKG_BACKEND="falkordb", COLUMNS="80")
    env.pop("NEO4J_URI", None)
    port = free_port()
    proc = subprocess.Popen(DHRKG + ["serve", "--port", str(port), "--workers", str(workers)], env=env,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert _answers_health(proc, port), proc.stderr.read()
        if workers > 1:  # every worker up: each has opened the store
            wait_for_workers(tmp_path, workers)
        health = httpx.get(f"http://127.0.0.1:{port}/health").json()
        assert health == {"status": "ok", "unfinished_bulk_load": True}  # no credential: no details
    finally:
        proc.terminate()
        proc.wait(20)
        server.stop(tmp_path)
    said = " ".join(proc.stderr.read().split())
    assert ("warning: a bulk load into this graph is unfinished (started 2026-12-07 13:54 UTC, from /srv/cases); "
            "answers may be incomplete until you run `dhrkg bulk-load /srv/cases` again") in said
    assert said.count("bulk load into this graph is unfinished") == 1, said  # once, not once per worker


def wait_for_workers(data_dir: Path, workers: int, timeout: float = 60) -> None:
    """Until ``workers`` clients besides this one are connected to the FalkorDB server of
    ``data_dir`` (each worker has opened the store: it has said whatever it says), or fail."""
    import time

    import redis

    from dhrkg.graph.falkordb import server

    client = redis.Redis(unix_socket_path=str(server.status(data_dir).socket))
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if len(client.client_list()) - 1 >= workers:
                return
            time.sleep(0.2)
    finally:
        client.close()
    raise AssertionError(f"{workers} workers did not open the store in {timeout} s")
