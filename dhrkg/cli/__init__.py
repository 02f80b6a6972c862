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

from dhrkg import __version__

from ._style import TYPER_STYLE, Commands

app = typer.Typer(
    cls=Commands,
    name="dhrkg",
    help="dhrkg: a knowledge graph for Domestic Homicide Reviews in England and Wales.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    **TYPER_STYLE,
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
    from dhrkg.permissions import private_umask

    private_umask()  # what dhrkg writes holds personal data: 0600 files, 0700 directories


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
