"""What the dhrkg commands share: the ``--backend`` and ``--data-dir`` options, opening the
graph store, reading case files, and failing with a message and an exit status.

Exit statuses: 1 the input is wrong (an invalid case file, a refused output ...), 2 a file
cannot be read or a setting is wrong; settings and store errors that reach the command group
are said in one ``error:`` line there (:class:`dhrkg.cli._style.Commands`).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NoReturn, Optional

import typer

from dhrkg.terminal import CONTINUED, WIDTH, fitted, leading_space, wrapped
from ._style import BACKEND_HELP, DATA_DIR_HELP

BackendOption = typer.Option(None, "--backend", help=BACKEND_HELP, show_default=False)
DataDirOption = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False)


def exit_with(message: str, status: int = 1) -> NoReturn:
    """Print ``message`` on standard error, laid out in 80 columns (:func:`fitted`; a line
    that fits is left as it is), and exit with ``status``."""
    _exit(fitted(message), status)


def _exit(text: str, status: int) -> NoReturn:
    """Print ``text``, laid out already, on standard error and exit with ``status``."""
    typer.echo(text, err=True)
    raise typer.Exit(status)


def _laid_out(message: str, files: bool) -> str:
    """An error message in 80 columns: by :func:`file_error` when it is about input files."""
    return file_error(message) if files else fitted(message)


def fail(message: str, status: int = 1, files: bool = False) -> NoReturn:
    """``error: message`` on standard error, exit ``status``; laid out by :func:`file_error`
    when ``files`` (the message is about an input file)."""
    text = f"error: {message}"
    _exit(_laid_out(text, files), status)


@contextmanager
def failing(*errors: type[BaseException], status: int = 1, plain: bool = False,
            context: str = "", files: bool = False) -> Iterator[None]:
    """One of ``errors`` raised in the block ends the command: its message (after
    ``context: `` when given; ``error: `` first unless ``plain``) and ``status``. With
    ``files`` the errors are about input files: :func:`file_error` lays the message out."""
    try:
        yield
    except errors as exc:
        message = f"{context}: {exc}" if context else str(exc)
        if not plain:
            message = f"error: {message}"
        _exit(_laid_out(message, files), status)


@contextmanager
def case_file_errors(invalid: int = 1) -> Iterator[None]:
    """A case file that cannot be read exits 2, one that is not valid ``invalid``; the
    message (file, line, field) as the reader wrote it, laid out by :func:`file_error`."""
    from dhrkg.model import CaseFileInvalid, UnreadableCaseFile

    with failing(UnreadableCaseFile, status=2, plain=True, files=True), \
            failing(CaseFileInvalid, status=invalid, plain=True, files=True):
        yield


# --------------------------------------------------------------------------- errors about files

#: a line that starts with a location: ``[indent][error: |problem: ]path[:line[:column]]:`` then the message
_LOCATED = re.compile(r"^(?P<lead>\s*(?:error: |problem: )?)(?P<file>[^\s:][^:]*?)(?P<position>(?::\d+)*):(?: (?P<rest>.*))?$")
#: how much deeper than its location a message broken onto the next lines is indented
_MESSAGE_INDENT = "    "


def file_error(text: str, width: int = WIDTH) -> str:
    """An error about input files as the user sees it, the one layout of every command's file
    errors (the readers write ``path:line: field: message`` with the path they were given).

    Each line's path is shown relative to the current directory when the file is under it,
    else as it was given. A line still wider than ``width`` is broken after its location,
    the message on the next lines, indented and wrapped at ``width``; a path is never broken
    (so it can be copied), so only a path that alone is wider than ``width`` passes it."""
    return "\n".join(_file_line(line, width) for line in text.splitlines())


def shown_path(file: str) -> str:
    """``file`` relative to the current directory when it is under it, else as given."""
    path = Path(file)
    if not path.is_absolute():
        return file
    cwd = Path.cwd()
    for candidate in (path, _resolved(path)):
        if candidate != cwd and candidate.is_relative_to(cwd):
            return str(candidate.relative_to(cwd))
    return file


def _resolved(path: Path) -> Path:
    """``path`` with its links followed; as it is when they loop (Python 3.11-3.12 raise
    RuntimeError, 3.13 OSError)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _file_line(line: str, width: int) -> str:
    located = _LOCATED.match(line)
    if located is None or not _is_path(located["file"]):
        return wrapped(line, width, leading_space(line) + _MESSAGE_INDENT)
    lead, message = located["lead"], located["rest"] or ""
    where = f"{shown_path(located['file'])}{located['position']}:"
    location = f"{lead}{where}"
    if lead.strip() and len(location) > width:  # a path too wide to follow ``error:``: alone on its line
        location = f"{lead.rstrip()}\n{leading_space(lead)}{CONTINUED}{where}"
    if not message or len(location) + 1 + len(message) <= width:
        return f"{location} {message}".rstrip()
    indent = leading_space(lead) + _MESSAGE_INDENT
    return f"{location}\n{wrapped(indent + message, width, indent)}"


def _is_path(text: str) -> bool:
    """Whether a line's first field names a file (not a sentence that happens to have a colon)."""
    if Path(text).exists():
        return True
    return not any(c.isspace() for c in text) and ("/" in text or bool(Path(text).suffix))


def read_case(path: Path, invalid: int = 1):
    """The case file at ``path``, validated; else its problems and an exit (:func:`case_file_errors`)."""
    from dhrkg.model import load_case

    with case_file_errors(invalid):
        return load_case(path)


def open_graph(backend: Optional[str], data_dir: Optional[Path], warn: bool = True):
    """The graph store ``--backend`` and ``--data-dir`` choose (else the settings). Settings and
    store errors go to the command group (one line, exit 2); any other failure exits 1. Opening
    it summarises stale reviews (:func:`summarising` shows it); with ``warn``, an unfinished
    bulk load into it is said once on standard error (dhrkg.graph.unfinished)."""
    from dhrkg.config import ConfigError
    from dhrkg.graph import StoreError, open_store

    try:
        store = open_store(backend=backend, data_dir=data_dir, summarising=summarising)
        loading = store.unfinished_load() if warn else None
    except (ConfigError, StoreError):
        raise
    except Exception as exc:  # the store says what went wrong (no server, bad URI, ...)
        fail(f"cannot open the graph store: {exc}")
    if loading is not None:
        typer.echo(fitted(loading.warning()), err=True)
    return store


def summarising(reviews: int):
    """What a user sees while a store that opens the graph summarises ``reviews`` stale
    reviews: a line on standard error, and on a terminal a bar (gone when done)."""
    from dhrkg.graph.summaries import summarising_note

    typer.echo(wrapped(summarising_note(reviews)), err=True)
    return phase("summaries", reviews, "reviews", quiet=False, transient=True)


@contextmanager
def phase(name: str, total: int, unit: str, quiet: bool, transient: bool = False):
    """A progress bar of one step on standard error (``name``, done of ``total`` ``unit``; gone
    when done if ``transient``); yields how to advance it."""
    console = None if quiet else progress_console()
    if console is None or (transient and not console.is_terminal):  # nothing would stay to see
        yield lambda n: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(f"{name:<14}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
                  TimeElapsedColumn(), console=console, transient=transient) as progress:
        task = progress.add_task("", total=total)
        yield lambda n: progress.advance(task, n)


def progress_console():
    """The console of progress bars: standard error, at most 80 columns."""
    import shutil

    from rich.console import Console

    return Console(stderr=True, width=min(WIDTH, shutil.get_terminal_size().columns))


def plural(n: int, word: str) -> str:
    """``1 review``, ``2 reviews``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
