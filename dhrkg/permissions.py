"""Files that hold personal data are the user's alone: 0600 files in 0700 directories.

dhrkg's data directory holds special-category personal data (the graph's append-only file, the
linkage copy of people records, review lists). At start-up :func:`secure_data_dir` creates it
mode 0700 (and says so: a mistyped ``--data-dir`` shows up at once) or, when it exists, checks
it: a directory or file of another user is refused, one that others may read is tightened to
0700/0600 with a warning. :func:`private_file_problem` is the check for a secret a user names
(an export key file).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from dhrkg.terminal import fitted

#: What a warning starts with on stderr.
PREFIX = "dhrkg: warning: "


class UnsafePermissions(RuntimeError):
    """A directory or file that dhrkg will not use: it belongs to another user."""


def warn(message: str) -> None:
    sys.stderr.write(PREFIX + message + "\n")


def _owned_or_refuse(path: Path, info: os.stat_result) -> None:
    if info.st_uid != os.getuid():
        raise UnsafePermissions(f"{path} belongs to another user (uid {info.st_uid}); "
                                "dhrkg keeps personal data only in your own files")


def _tighten(path: Path, info: os.stat_result, mode: int) -> None:
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, mode, follow_symlinks=False)
        warn(f"{path} was open to other users (mode {stat.S_IMODE(info.st_mode):o}); "
             f"now {mode:o}")


def private_dir(path: Path, announce_new: str = "") -> bool:
    """Make sure ``path`` is a directory of this user with mode 0700: created (True; with
    ``announce_new`` printed as a notice), or checked and tightened (False)."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, 0o700)
        os.chmod(path, 0o700)  # whatever the umask
        if announce_new:
            sys.stderr.write(fitted(f"dhrkg: {announce_new}") + "\n")
        return True
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePermissions(f"{path} is not a directory")
    _owned_or_refuse(path, info)
    _tighten(path, info, 0o700)
    return False


def private_file(path: Path) -> None:
    """Check an existing file of personal data: another user's is refused, an open one tightened."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePermissions(f"{path} is a symbolic link; dhrkg writes only its own files")
    _owned_or_refuse(path, info)
    if stat.S_ISDIR(info.st_mode):
        _tighten(path, info, 0o700)
    elif stat.S_ISREG(info.st_mode):
        _tighten(path, info, 0o600)


def private_file_problem(path: Path) -> str:
    """Why a secret file cannot be trusted ("" when it is private): another user's, or readable
    by others (then others may have read it already)."""
    info = os.stat(path)
    if info.st_uid != os.getuid():
        return f"it belongs to another user (uid {info.st_uid})"
    if stat.S_IMODE(info.st_mode) & 0o077:
        return (f"other users may read it (mode {stat.S_IMODE(info.st_mode):o}); if none did, "
                "chmod 600 it, else make a new key")
    return ""


#: What dhrkg keeps in a data directory (nothing else there is touched: it may be shared).
DATA_DIR_ENTRIES = ("appendonlydir", "dhrkg.rdb", "falkordb.log", "falkordb.pid", "falkordb.lock",
                    "linkage")


def secure_data_dir(data_dir: Path) -> None:
    """The data directory at start-up: created 0700 with a notice, or checked and tightened with
    dhrkg's own entries in it (:data:`DATA_DIR_ENTRIES`, their contents included)."""
    data_dir = Path(data_dir)
    if private_dir(data_dir, f"created a new, empty data directory {data_dir}"):
        return
    for name in DATA_DIR_ENTRIES:
        path = data_dir / name
        if not os.path.lexists(path):
            continue
        private_file(path)
        if path.is_dir() and not path.is_symlink():
            for root, dirs, files in os.walk(path):
                for entry in dirs + files:
                    private_file(Path(root) / entry)


def private_umask() -> int:
    """Files this process creates from now on are 0600 and directories 0700; the old umask."""
    return os.umask(0o077)
