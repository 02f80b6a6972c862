"""``dhrkg audit``: read the audit log of the web workspace and API; ``dhrkg audit verify``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from dhrkg.terminal import fitted

from ._common import DataDirOption
from ._style import TYPER_STYLE, Commands

audit_app = typer.Typer(cls=Commands, **TYPER_STYLE, help="The audit log: who read, ran, changed or exported what, and when.")


def _log(data_dir: Optional[Path]):
    from dhrkg import config
    from dhrkg.api.audit import AuditLog

    return AuditLog(config.data_dir(data_dir))


@audit_app.callback(invoke_without_command=True)
def show(
    ctx: typer.Context,
    user: Optional[str] = typer.Option(None, "--user", help="Only this user's entries.", show_default=False),
    action: Optional[str] = typer.Option(None, "--action", help="Only this action (read-review, run-query ...).", show_default=False),
    target: Optional[str] = typer.Option(None, "--target", help="Only entries whose target starts with this (a review id ...).", show_default=False),
    since: Optional[str] = typer.Option(None, "--since", help="Only entries from this time (ISO, e.g. 2026-12-01).", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="One JSON entry a line."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Show the audit log (oldest first), optionally filtered."""
    if ctx.invoked_subcommand is not None:
        return
    for e in _log(data_dir).entries():
        if (user and e.get("user") != user) or (action and e.get("action") != action) \
                or (target and not str(e.get("target", "")).startswith(target)) \
                or (since and e.get("time", "") < since):
            continue
        if as_json:
            typer.echo(json.dumps(e, ensure_ascii=False))
        else:
            details = json.dumps(e.get("details") or {}, ensure_ascii=False, default=str)
            details = "" if details == "{}" else "  " + (details if len(details) <= 60 else details[:57] + "...")
            typer.echo(f"{e['time'][:19]} {e.get('user') or '-'} {e['action']} {e.get('target', '')}{details}")


@audit_app.command("verify")
def verify(data_dir: Optional[Path] = DataDirOption) -> None:
    """Check the hash chain: exit 1 and name each line if one was edited, removed or added."""
    count, broken = _log(data_dir).verify()
    for b in broken:
        typer.echo(fitted(f"audit log: {b}"), err=True)
    if broken:
        typer.echo(f"audit log: NOT intact ({count} entries)", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit log intact: {count} entries")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit", rich_help_panel="Server")
