"""Running Graphviz ``dot`` and reading its layout back (``-Tjson``)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from .programs import find_program


class GraphvizMissing(RuntimeError):
    """The ``dot`` program is not installed."""


class GraphvizFailed(RuntimeError):
    """``dot`` rejected the graph or crashed."""


def dot_program() -> str:
    return find_program("dot", GraphvizMissing, "Graphviz 'dot'", "graphviz")


def run_dot_json(source: str, timeout: float = 120.0) -> dict[str, Any]:
    """Lay out ``source`` (DOT text) with ``dot`` and return the parsed ``-Tjson`` output."""
    try:
        proc = subprocess.run(
            [dot_program(), "-Tjson"], input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise GraphvizFailed(f"dot did not finish within {timeout:.0f} s") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise GraphvizFailed(f"dot failed (exit {proc.returncode}): {message}")
    return json.loads(proc.stdout.decode("utf-8"))


def quote(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
