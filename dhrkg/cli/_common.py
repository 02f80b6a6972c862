"""What the dhrkg commands share: the ``--backend`` and ``--data-dir`` options, opening the
graph store, reading case files, and failing with a message and an exit status.

Exit statuses: 1 the input is wrong (an invalid case file, a refused output ...), 2 a file
cannot be read or a setting is wrong; settings and store errors that reach the command group
are said in one ``error:`` line there (:class:`dhrkg.cli._style.Commands`).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NoReturn, Optional

import typer

from ._style import BACKEND_HELP, DATA_DIR_HELP

BackendOption = typer.Option(None, "--backend", help=BACKEND_HELP, show_default=False)
DataDirOption = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False)


def exit_with(message: str, status: int = 1) -> NoReturn:
    """Print ``message`` as it is on standard error and exit with ``status``."""
    typer.echo(message, err=True)
    raise typer.Exit(status)


def fail(message: str, status: int = 1) -> NoReturn:
    """``error: message`` on standard error, exit ``status``."""
    exit_with(f"error: {message}", status)


@contextmanager
def failing(*errors: type[BaseException], status: int = 1, plain: bool = False,
            context: str = "") -> Iterator[None]:
    """One of ``errors`` raised in the block ends the command: its message (after
    ``context: `` when given; ``error: `` first unless ``plain``) and ``status``."""
    try:
        yield
    except errors as exc:
        message = f"{context}: {exc}" if context else str(exc)
        (exit_with if plain else fail)(message, status)


@contextmanager
def case_file_errors(invalid: int = 1) -> Iterator[None]:
    """A case file that cannot be read exits 2, one that is not valid ``invalid``; the
    message (file, line, field) as the reader wrote it."""
    from dhrkg.model import CaseFileInvalid, UnreadableCaseFile

    with failing(UnreadableCaseFile, status=2, plain=True), failing(CaseFileInvalid, status=invalid, plain=True):
        yield


def read_case(path: Path, invalid: int = 1):
    """The case file at ``path``, validated; else its problems and an exit (:func:`case_file_errors`)."""
    from dhrkg.model import load_case

    with case_file_errors(invalid):
        return load_case(path)


def open_graph(backend: Optional[str], data_dir: Optional[Path]):
    """The graph store ``--backend`` and ``--data-dir`` choose (else the settings). Settings and
    store errors go to the command group (one line, exit 2); any other failure exits 1."""
    from dhrkg.config import ConfigError
    from dhrkg.graph import StoreError, open_store

    try:
        return open_store(backend=backend, data_dir=data_dir)
    except (ConfigError, StoreError):
        raise
    except Exception as exc:  # the store says what went wrong (no server, bad URI, ...)
        fail(f"cannot open the graph store: {exc}")


def plural(n: int, word: str) -> str:
    """``1 review``, ``2 reviews``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
