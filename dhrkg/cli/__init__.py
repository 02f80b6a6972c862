"""The ``dhrkg`` command line.

Each module in this package that defines ``register(app)`` adds its commands;
modules are found automatically, so a new command group is one new file.
Command modules import heavy libraries inside the command functions, so
``dhrkg --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Optional

import typer
from typer.core import TyperGroup

from dhrkg import __version__


class _Commands(TyperGroup):
    """The command group; a setting or store error that reaches it becomes one line, never a
    traceback (commands that can say more catch their errors themselves)."""

    def invoke(self, ctx):
        from dhrkg.config import ConfigError
        from dhrkg.graph.store import StoreError

        try:
            return super().invoke(ctx)
        except (ConfigError, StoreError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Commands,
    name="dhrkg",
    help="dhrkg: a knowledge graph for Domestic Homicide Reviews in England and Wales.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dhrkg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """dhrkg: a knowledge graph for Domestic Homicide Reviews in England and Wales."""


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    app()
