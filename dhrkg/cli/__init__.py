"""The ``dhrkg`` command line.

Each module in this package that defines ``register(app)`` adds its commands;
modules are found automatically, so a new command group is one new file.
Command modules import heavy libraries inside the command functions, so
``dhrkg --help`` stays fast.

``dhrkg NAME ...`` (NAME first) imports only the module named NAME (``-`` read as ``_``) when
that module registers the command NAME (``dhrkg extract`` loads ``extract.py``,
not the graph's, the server's or the drawings' modules); any other command line
(help, ``--version``, a command kept in a module of another name, a typo)
builds the whole command line. ``app``, as imported, always holds every command.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Optional

import typer

from dhrkg import __version__

from ._style import TYPER_STYLE, Commands


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dhrkg {__version__}")
        raise typer.Exit()


def _root(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """dhrkg: a knowledge graph for Domestic Homicide Reviews in England and Wales."""
    from dhrkg.permissions import private_umask

    private_umask()  # what dhrkg writes holds personal data: 0600 files, 0700 directories


def _new_app() -> typer.Typer:
    """The root command, without commands."""
    root = typer.Typer(
        cls=Commands,
        name="dhrkg",
        help="dhrkg: a knowledge graph for Domestic Homicide Reviews in England and Wales.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        **TYPER_STYLE,
    )
    root.callback()(_root)
    return root


def command_modules() -> list[str]:
    """The names of the modules that may add commands, in the order they add them."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def _register(root: typer.Typer, names: list[str]) -> typer.Typer:
    for name in names:
        register = getattr(importlib.import_module(f"{__name__}.{name}"), "register", None)
        if register is not None:
            register(root)
    return root


def app_for(args: list[str]) -> typer.Typer:
    """The command line that runs ``args``: only the named command's module when it holds it."""
    name = args[0] if args and not args[0].startswith("-") else None   # options first: the root's
    module = name.replace("-", "_") if name else None
    if module and module in command_modules():
        alone = _register(_new_app(), [module])
        if name in typer.main.get_command(alone).commands:
            return alone
    return _register(_new_app(), command_modules())


_whole: typer.Typer | None = None


def __getattr__(name: str) -> typer.Typer:
    """``app``: the whole command line, built on first use."""
    global _whole
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _whole is None:
        _whole = _register(_new_app(), command_modules())
    return _whole


def main() -> None:
    import sys

    app_for(sys.argv[1:])()
