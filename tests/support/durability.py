"""Watching the real fsync and rename of a durable write, and making a write fail part-way."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def watch(monkeypatch, *known: Path) -> list[tuple[str, str]]:
    """The fsyncs and renames made from now on, as (``fsync``|``replace``, path), a path not
    among ``known`` written as ``temporary``; the list fills as they happen."""
    steps: list[tuple[str, str]] = []
    names = {str(p) for p in known}
    real_fsync, real_replace = os.fsync, os.replace

    def shown(path: str) -> str:
        return path if path in names else "temporary"

    def fsync(fd):
        steps.append(("fsync", shown(os.readlink(f"/proc/self/fd/{fd}"))))
        return real_fsync(fd)

    def replace(src, dst):
        steps.append(("replace", shown(str(dst))))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return steps


def full_disk(monkeypatch, step: str = "fsync") -> None:
    """From now on ``os.fsync`` (or ``os.replace``) fails as on a full disk."""
    def fails(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, step, fails)
