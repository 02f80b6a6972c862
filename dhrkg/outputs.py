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

Each command checks its output with :func:`check_output` before doing any work, so a
refused command has written nothing and spent no time.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional, TextIO

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
    ``mode`` is the new file's permissions (``None``: as the umask allows, for a user's outputs)."""
    path = Path(path).resolve()
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{suffix}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)  # whatever the umask
        finally:
            os.close(fd)
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


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
