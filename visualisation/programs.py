"""The outside programs the drawings run (Graphviz ``dot``, ``rsvg-convert``), found on PATH."""

from __future__ import annotations

import shutil


def find_program(name: str, missing: type[Exception], what: str, packages: str, after: str = "") -> str:
    """The path of ``name``, else ``missing`` saying what is not installed and which Debian
    packages (installed by scripts/setup.sh) provide it; ``after``: what the user can do instead."""
    path = shutil.which(name)
    if path is None:
        raise missing(f"{what} is not installed (Debian/Ubuntu: apt-get install {packages}; "
                      f"scripts/setup.sh installs it){after}")
    return path
