"""Scratch folders for files that hold case data while a tool works on them: an uploaded report
being read, a chronology spreadsheet, drawings on their way to PDF.

A folder is private (0700, under ``TMPDIR``) and removed when the work ends. A process killed
in the middle (kill -9, the out-of-memory killer, a lost terminal) cannot remove its folder, and
a report or a drawing full of names would stay in /tmp for good; so each folder holds a lock
(``flock`` on ``.held``, which the system lets go when its process ends, however it ends), and
every new scratch folder first removes the folders of this user whose lock nobody holds.

The bulk loader's rows need no folder: they are in nameless files (dhrkg.graph.bulk.Spool).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

PREFIX = "dhrkg-scratch-"
LOCK = ".held"
#: a folder whose lock nobody holds is removed only when unchanged for this long: one being
#: made this moment is not locked yet
UNLOCKED_GRACE_SECONDS = 60
#: a process looks for abandoned folders at most this often per temporary directory (a server
#: making a folder per upload does not list a busy /tmp each time)
SWEEP_EVERY_SECONDS = 60
_last_sweep: dict[Path, float] = {}


@contextlib.contextmanager
def scratch_folder(purpose: str, directory: Optional[Path] = None) -> Iterator[Path]:
    """A private folder for ``purpose`` (a word: ``report``, ``drawing``) under ``directory``
    (default: ``TMPDIR``), removed with everything in it at the end; the folders that killed
    processes left are removed first."""
    base = Path(directory or tempfile.gettempdir())
    if time.monotonic() - _last_sweep.get(base, -SWEEP_EVERY_SECONDS) >= SWEEP_EVERY_SECONDS:
        _last_sweep[base] = time.monotonic()
        remove_abandoned(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{purpose}-", dir=base))
    held = os.open(folder / LOCK, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(held)


def remove_abandoned(base: Path) -> list[Path]:
    """Removes this user's scratch folders in ``base`` whose process has ended; the folders
    removed. Another user's folders, and links, are never touched."""
    removed = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(PREFIX) and _abandoned(entry):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _abandoned(entry: os.DirEntry) -> bool:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return False
    if time.time() - st.st_mtime < UNLOCKED_GRACE_SECONDS:
        return False
    try:
        held = os.open(os.path.join(entry.path, LOCK), os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:  # killed between making the folder and locking it
        return True
    except OSError:
        return False
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # its process is alive
        return False
    finally:
        os.close(held)  # (lets go of the lock, if taken)
    return True
