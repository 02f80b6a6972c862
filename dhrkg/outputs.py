"""The one policy for files dhrkg commands write (``-o``/``--output``).

- A file that exists is not overwritten unless the command is given ``--force``
  (a hand-corrected case file or a drawing pasted into a report is not lost to a
  repeated command).
- The folder must exist: a mistyped folder is reported, not created and not shown
  as the name of a temporary file.
- ``--format`` and the file name's extension must agree: ``--format pdf -o x.svg`` is
  refused rather than writing a PDF named ``.svg``.
- A file is written beside its place and renamed onto it (:func:`atomic_path`,
  :func:`replace_durably`), fsynced first and its folder after: a crash, a full disk or
  a power cut leaves the old file or the new one, never half of one nor a ``.part``.
  A write killed outright (kill -9, the out-of-memory killer) cannot remove its temporary
  file; the next write of the same file does (:func:`remove_abandoned_temporaries`).

Each command checks its output with :func:`check_output` before doing any work, so a
refused command has written nothing and spent no time.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional, TextIO

#: A temporary file left for this long, with no live writer holding it, is abandoned.
ABANDONED_AFTER_SECONDS = 60
#: outputs whose folder this process has looked in already (a checkpoint is written per batch)
_looked: set[Path] = set()

FORCE_HELP = "Overwrite the output file if it exists (without it, an existing file is kept)."


class OutputRefused(ValueError):
    """An output that will not be written; the message names the file and what to do."""


def check_folder(path: Path, what: str = "") -> None:
    """The folder a new file ``path`` would go in exists and is a folder."""
    folder = path.parent if str(path.parent) else Path(".")
    label = f"{what} {path}" if what else str(path)
    if not folder.exists():
        raise OutputRefused(f"{label}: no folder {folder} (create it first)")
    if not folder.is_dir():
        raise OutputRefused(f"{label}: {folder} is a file, not a folder")


def check_output(path: Path, force: bool) -> None:
    """Raise :class:`OutputRefused` unless ``path`` may be written now."""
    path = Path(path)
    if path.is_dir():
        raise OutputRefused(f"{path}: is a folder; give a file name")
    check_folder(path)
    if path.exists() and not force:
        raise OutputRefused(f"{path}: already exists (use --force to overwrite)")


def check_output_folder(folder: Path, force: bool) -> None:
    """For commands that write a set of files into a folder (created if missing)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputRefused(f"{folder}: is a file, not a folder")
    if not folder.exists():
        check_folder(folder)
    elif any(folder.iterdir()) and not force:
        raise OutputRefused(f"{folder}: is not empty (use --force to overwrite its files)")


def check_format(path: Path, fmt: Optional[str], formats: Iterable[str], aliases: Optional[dict] = None) -> None:
    """``--format`` agrees with the file name's extension when the extension is a known format."""
    if fmt is None:
        return
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = (aliases or {}).get(suffix, suffix)
    if suffix in set(formats) and suffix != fmt:
        raise OutputRefused(f"{path}: --format {fmt} but the name says .{suffix}; use one or the other")


@contextmanager
def atomic_path(path: Path | str, suffix: str = ".part", mode: Optional[int] = 0o600) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; when the block ends normally it is made
    durable and put in place (:func:`replace_durably`'s steps), when it fails it is removed, so
    a half-written file never replaces a good one and no temporary file is left behind.
    ``suffix`` ends the temporary name (a writer that goes by the extension wants ``.xlsx``);
    ``mode`` is the new file's permissions (``None``: as the umask allows, for a user's outputs).
    The temporary file is flocked while the block runs, so a later write of the same file can
    tell one whose writer was killed from one still being written."""
    path = Path(path).resolve()
    if path not in _looked:
        if len(_looked) >= 10_000:  # a server writing to new names all day
            _looked.clear()
        _looked.add(path)
        remove_abandoned_temporaries(path)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{suffix}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)
    try:
        try:
            _hold(fd)
            if mode is not None:
                os.fchmod(fd, mode)  # whatever the umask
            yield tmp
            _fsync_file(tmp)
            os.replace(tmp, path)
        finally:
            os.close(fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def _hold(fd: int) -> None:
    """Flock a new temporary file until its block ends (a folder whose file system has no
    flock still gets the file: it then counts as abandoned once untouched for a minute)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pass


def _temporary_name(path: Path) -> re.Pattern:
    """The names :func:`atomic_path` gives the temporary files of ``path``."""
    return re.compile(re.escape(f".{path.name}.") + r"[0-9a-f]{12}(\.[A-Za-z0-9]{1,8})?")


def remove_abandoned_temporaries(path: Path | str) -> list[str]:
    """Remove the temporary files that writes of ``path`` killed outright left beside it
    (case data, in the user's own folder): this user's, untouched for
    :data:`ABANDONED_AFTER_SECONDS`, and not held by a live writer (no flock). Returns their
    names. Another user's files, links and files being written are left alone.
    :func:`atomic_path` calls it on the first write of each file in a process."""
    path = Path(path)
    pattern = _temporary_name(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    return [e.name for e in entries if pattern.fullmatch(e.name) and _remove_if_abandoned(e)]


def _remove_if_abandoned(entry: os.DirEntry) -> bool:
    """Remove ``entry`` if no live writer holds it; True when it was removed."""
    try:
        info = entry.stat(follow_symlinks=False)
        if (not entry.is_file(follow_symlinks=False) or info.st_uid != os.getuid()
                or time.time() - info.st_mtime < ABANDONED_AFTER_SECONDS):
            return False
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino != info.st_ino:
            return False
        os.unlink(entry.path)
        return True
    except OSError:  # held by a live writer, or gone already
        return False
    finally:
        os.close(fd)


@contextmanager
def atomic_text(path: Path | str, newline: Optional[str] = None) -> Iterator[TextIO]:
    """A UTF-8 text file to write ``path`` through, put in place as :func:`atomic_path` does."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline=newline) as out:
        yield out


def write_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all."""
    with atomic_text(path) as out:
        out.write(text)


def fsync_folder(folder: Path | str) -> None:
    """Make the names in ``folder`` (a file created, renamed or removed there) durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(path: Path | str, data: bytes, mode: Optional[int] = 0o600) -> None:
    """Put ``data`` at ``path`` so that a crash or power cut at any moment leaves either the old
    file or the new one, and the new one once this returns: a temporary file beside it, fsynced,
    renamed onto ``path``, then the folder fsynced. A write that fails part-way (a full disk)
    leaves the old file as it was and removes the temporary one."""
    with atomic_path(path, mode=mode) as tmp, tmp.open("r+b") as out:
        out.write(data)


def _fsync_file(path: Path) -> None:
    """Make the bytes written to ``path`` durable."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
