"""A real Neo4j for the tests: an external one, a testcontainers container, or the repo's launcher.

``neo4j_connection()`` is a context manager yielding a :class:`Neo4jConnection`. In order:

1. ``NEO4J_URI`` set: use that server (``NEO4J_USER``, default ``neo4j``; ``NEO4J_PASSWORD``,
   no auth when unset; ``NEO4J_DATABASE``, default ``neo4j``). Nothing is started or stopped.
2. A Docker engine answers: testcontainers' Neo4j container (image ``neo4j:5.26``).
3. ``tools/neo4j-launcher``: Neo4j 5.26 community embedded in a JVM, Bolt on 127.0.0.1 on a free
   port, data in a temporary directory, a random password. Built with Maven when its jar is
   missing or older than its sources. Set ``DHRKG_NEO4J_LAUNCHER=0`` to never use it.

When no route gives a server it raises :class:`Neo4jUnavailable` saying why for each route; the
pytest fixture turns that into a skip, or a failure when ``DHRKG_REQUIRE_NEO4J=1``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LAUNCHER_DIR = REPO_ROOT / "tools" / "neo4j-launcher"
LAUNCHER_JAR = LAUNCHER_DIR / "target" / "neo4j-launcher.jar"
# Class-data-sharing archive written by the first launch; later launches start ~2x faster with it.
LAUNCHER_CDS = LAUNCHER_DIR / "target" / "neo4j-launcher.jsa"
MAVEN_COMMAND = ["mvn", "-q", "-B", "-DskipTests", "package"]  # as scripts/test.sh (CI) builds it
JVM_OPTIONS = ["-Xmx1g", "-XX:+ExitOnOutOfMemoryError"]
#: the launcher's page cache (its --pagecache): small for tests; benchmarks of large graphs raise it
PAGECACHE = "64m"
DOCKER_IMAGE = "neo4j:5.26"

START_TIMEOUT_S = float(os.environ.get("DHRKG_NEO4J_START_TIMEOUT", "180"))
BUILD_TIMEOUT_S = 900.0
STOP_TIMEOUT_S = 60.0  # the first launch also writes the CDS archive (a few seconds) on exit


class Neo4jUnavailable(RuntimeError):
    """No Neo4j server could be had; the message says why for each route tried."""


@dataclasses.dataclass(frozen=True)
class Neo4jConnection:
    """How to reach a running Neo4j."""

    uri: str
    user: str
    password: str | None
    database: str
    source: str  # "NEO4J_URI", "testcontainers" or "launcher"

    @property
    def auth(self) -> tuple[str, str] | None:
        """The ``auth`` argument for ``neo4j.GraphDatabase.driver``."""
        return None if self.password is None else (self.user, self.password)


def require_neo4j() -> bool:
    """True when ``DHRKG_REQUIRE_NEO4J=1``: tests must fail, not skip, without Neo4j."""
    return os.environ.get("DHRKG_REQUIRE_NEO4J", "").strip() == "1"


@contextlib.contextmanager
def neo4j_connection() -> Iterator[Neo4jConnection]:
    """Yield a connection to a real Neo4j, stopping whatever was started for it on exit."""
    uri = os.environ.get("NEO4J_URI", "").strip()
    if uri:
        yield Neo4jConnection(
            uri=uri,
            user=os.environ.get("NEO4J_USER") or "neo4j",
            password=os.environ.get("NEO4J_PASSWORD") or None,
            database=os.environ.get("NEO4J_DATABASE") or "neo4j",
            source="NEO4J_URI",
        )
        return

    reasons: list[str] = []
    with contextlib.ExitStack() as stack:
        connection = None
        if docker_engine_reachable():
            try:
                connection = stack.enter_context(_testcontainers_neo4j())
            except Neo4jUnavailable as exc:
                reasons.append(f"testcontainers: {exc}")
        else:
            reasons.append("testcontainers: no Docker engine reachable")
        if connection is None:
            if os.environ.get("DHRKG_NEO4J_LAUNCHER", "").strip() == "0":
                reasons.append("launcher: disabled by DHRKG_NEO4J_LAUNCHER=0")
            else:
                try:
                    connection = stack.enter_context(launched_neo4j())
                except Neo4jUnavailable as exc:
                    reasons.append(f"launcher: {exc}")
        if connection is None:
            raise Neo4jUnavailable(
                "no Neo4j (NEO4J_URI is not set); " + "; ".join(reasons)
            )
        yield connection


# --- Docker / testcontainers -------------------------------------------------------------


def docker_engine_reachable(timeout_s: float = 1.0) -> bool:
    """Whether a Docker engine answers on DOCKER_HOST or a usual unix socket (quick check)."""
    host = os.environ.get("DOCKER_HOST", "").strip()
    if host.startswith("tcp://"):
        address = host.removeprefix("tcp://").split("/")[0]
        name, _, port = address.rpartition(":")
        try:
            with socket.create_connection((name or "localhost", int(port or 2375)), timeout_s):
                return True
        except (OSError, ValueError):
            return False
    if host and not host.startswith("unix://"):
        return True  # ssh:// and the like: let testcontainers try
    candidates = [host.removeprefix("unix://")] if host else [
        "/var/run/docker.sock",
        f"{os.environ.get('XDG_RUNTIME_DIR', '/run/user/%d' % os.getuid())}/docker.sock",
        str(Path.home() / ".docker" / "run" / "docker.sock"),
    ]
    return any(_docker_socket_answers(path, timeout_s) for path in candidates)


def _docker_socket_answers(path: str, timeout_s: float) -> bool:
    if not os.path.exists(path):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout_s)
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return sock.recv(64).startswith(b"HTTP/1.")
    except OSError:
        return False


@contextlib.contextmanager
def _testcontainers_neo4j() -> Iterator[Neo4jConnection]:
    try:
        from testcontainers.community.neo4j import Neo4jContainer
    except ImportError:
        try:
            from testcontainers.neo4j import Neo4jContainer
        except ImportError as exc:
            raise Neo4jUnavailable(f"the testcontainers package is not installed ({exc})") from exc
    password = secrets.token_urlsafe(16)
    container = Neo4jContainer(DOCKER_IMAGE, username="neo4j", password=password)
    try:
        container.start()
    except Exception as exc:  # docker errors come in many types
        with contextlib.suppress(Exception):
            container.stop()
        raise Neo4jUnavailable(f"the {DOCKER_IMAGE} container did not start: {exc}") from exc
    try:
        yield Neo4jConnection(
            uri=container.get_connection_url(),
            user="neo4j",
            password=password,
            database="neo4j",
            source="testcontainers",
        )
    finally:
        container.stop()


# --- The Java launcher -----------------------------------------------------------------


def _launcher_sources() -> list[Path]:
    return [LAUNCHER_DIR / "pom.xml", *sorted((LAUNCHER_DIR / "src").rglob("*"))]


def launcher_needs_build() -> bool:
    """True when the launcher jar is missing or older than pom.xml or any source file."""
    lib = LAUNCHER_JAR.parent / "lib"
    if not LAUNCHER_JAR.is_file() or not lib.is_dir():
        return True
    built = LAUNCHER_JAR.stat().st_mtime
    return any(p.is_file() and p.stat().st_mtime > built for p in _launcher_sources())


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """Serialise builds between concurrent test processes."""
    path = Path(tempfile.gettempdir()) / f"dhrkg-neo4j-launcher-{os.getuid()}.lock"
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_launcher() -> None:
    """Run Maven if the jar is missing or stale; raise Neo4jUnavailable if it cannot be built."""
    with _build_lock():
        if not launcher_needs_build():
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jUnavailable(
                f"{LAUNCHER_JAR.relative_to(REPO_ROOT)} needs building and Maven (mvn) is not on PATH"
            )
        LAUNCHER_CDS.unlink(missing_ok=True)
        try:
            done = subprocess.run(
                [mvn, *MAVEN_COMMAND[1:]], cwd=LAUNCHER_DIR, capture_output=True, text=True,
                timeout=BUILD_TIMEOUT_S, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise Neo4jUnavailable(f"'{' '.join(MAVEN_COMMAND)}' took over {BUILD_TIMEOUT_S:.0f} s") from exc
        if done.returncode != 0 or not LAUNCHER_JAR.is_file():
            output = (done.stdout + done.stderr).strip()[-3000:]
            raise Neo4jUnavailable(
                f"'{' '.join(MAVEN_COMMAND)}' in {LAUNCHER_DIR} failed (exit {done.returncode}):\n{output}"
            )
        # Maven keeps the jar's old mtime when nothing changed in it; mark it fresh for the check above.
        LAUNCHER_JAR.touch()


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def _cds_options(temp_dir: Path) -> tuple[list[str], Path | None]:
    """Use the class-data-sharing archive if it is there; otherwise have this run write one."""
    if LAUNCHER_CDS.is_file() and LAUNCHER_CDS.stat().st_mtime >= LAUNCHER_JAR.stat().st_mtime:
        return [f"-XX:SharedArchiveFile={LAUNCHER_CDS}"], None
    fresh = temp_dir / "launcher.jsa"  # written at JVM exit; moved into place afterwards
    return [f"-XX:ArchiveClassesAtExit={fresh}"], fresh


def admin_import(arguments: list[str], data_dir: Path, heap: str = "1g") -> str:
    """Run ``neo4j-admin <arguments>`` with the launcher's jars (they hold the import tool,
    org.neo4j.cli.AdminTool) on the launcher's data directory ``data_dir`` (NEO4J_HOME)."""
    build_launcher()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(data_dir), "NEO4J_CONF": str(data_dir / "conf")}
    done = subprocess.run([_java() or "java", f"-Xmx{heap}", "-cp", str(LAUNCHER_DIR / "target" / "lib" / "*"),
                           "org.neo4j.cli.AdminTool", *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise Neo4jUnavailable(f"neo4j-admin {' '.join(arguments[:3])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout  # the tool's own report


class LaunchedNeo4j:
    """A running launcher process; ``stop()`` ends it and removes its data.

    With ``data_dir`` it runs on that directory and keeps it (a later launcher can start again
    on the same data, e.g. after a kill -9: pass the same ``port`` and ``password``).
    ``prepare(data_dir)`` runs before the DBMS starts (an offline import into it)."""

    def __init__(self, data_dir: Path | None = None, port: int = 0, password: str | None = None,
                 prepare: "Callable[[Path], None] | None" = None) -> None:
        java = _java()
        if java is None:
            raise Neo4jUnavailable("no java on PATH or in JAVA_HOME (Java 17+ is needed)")
        build_launcher()
        self.temp_dir = Path(tempfile.mkdtemp(prefix="dhrkg-neo4j-"))
        self.stderr_path = self.temp_dir / "launcher.stderr"
        self.password = password or secrets.token_urlsafe(18)
        self.data_dir = Path(data_dir) if data_dir is not None else self.temp_dir / "data"
        if prepare is not None:
            try:
                prepare(self.data_dir)
            except BaseException:
                shutil.rmtree(self.temp_dir, ignore_errors=True)
                raise
        cds, self._fresh_cds = _cds_options(self.temp_dir)
        command = [
            java, *JVM_OPTIONS, *cds, "-jar", str(LAUNCHER_JAR),
            "--data", str(self.data_dir), "--host", "127.0.0.1", "--port", str(port),
            "--password", self.password, "--pagecache", PAGECACHE, *([] if data_dir is not None else ["--delete-data-on-exit"]),
        ]
        self._stderr = open(self.stderr_path, "wb")
        self.started = time.monotonic()
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                text=True, start_new_session=True,
            )
        except OSError as exc:
            self._stderr.close()
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            raise Neo4jUnavailable(f"could not run {java}: {exc}") from exc
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._other_stdout: list[str] = []  # JVM warnings and the like, for error messages
        threading.Thread(target=self._read_stdout, name="neo4j-launcher-stdout", daemon=True).start()
        try:
            self.uri = self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self.ready_after_s = time.monotonic() - self.started

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _wait_ready(self) -> str:
        deadline = self.started + START_TIMEOUT_S
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Neo4jUnavailable(
                    f"the launcher printed no READY line within {START_TIMEOUT_S:.0f} s"
                    f" (DHRKG_NEO4J_START_TIMEOUT); its stderr:\n{self.stderr_tail()}"
                )
            try:
                line = self._lines.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            if line is None:
                code = self.process.wait()
                raise Neo4jUnavailable(f"the launcher exited (code {code}) before READY; its stderr:\n"
                                       f"{self.stderr_tail()}")
            if line.startswith("READY "):
                return line.split(None, 1)[1].strip()
            if len(self._other_stdout) < 50:
                self._other_stdout.append(line.rstrip())

    def stderr_tail(self, limit: int = 4000) -> str:
        """The end of the launcher's stderr (and anything but READY it printed on stdout)."""
        text = self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""
        text = "\n".join([*self._other_stdout, text[-limit:].strip()]).strip()
        return text or "(empty)"

    @property
    def rss_bytes(self) -> int | None:
        """Resident memory of the JVM now (Linux), or None."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return None

    @property
    def connection(self) -> Neo4jConnection:
        return Neo4jConnection(self.uri, "neo4j", self.password, "neo4j", "launcher")

    def stop(self) -> None:
        """Ask the JVM to stop (stdin closed, SIGTERM), kill it if it hangs, delete the data."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self.process.stdin.close()
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()
        self._stderr.close()
        if self._fresh_cds is not None and self._fresh_cds.is_file():
            with contextlib.suppress(OSError):
                os.replace(self._fresh_cds, LAUNCHER_CDS)  # atomic: concurrent runs never see half a file
        shutil.rmtree(self.temp_dir, ignore_errors=True)


@contextlib.contextmanager
def launched_neo4j(prepare: "Callable[[Path], None] | None" = None) -> Iterator[Neo4jConnection]:
    """Start the launcher, yield its connection, stop it (and delete its data) on exit."""
    server = LaunchedNeo4j(prepare=prepare)
    try:
        yield server.connection
    finally:
        server.stop()
