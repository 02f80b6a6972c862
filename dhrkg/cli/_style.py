"""One help style and one error style for every dhrkg command.

Help is click's plain layout (options with their full names, descriptions wrapped to the
terminal, 80 columns included), not Rich panels, whose columns truncate option names at 80
columns; its lines are broken only at spaces (:class:`HelpLayout`). Command lists are grouped by each command's ``rich_help_panel`` and show the first
sentence of its help, whole. Options shared by many commands have one description here.
Settings and store errors that reach a command group become one ``error:`` line.
"""

from __future__ import annotations

import re

import typer
from typer.core import TyperGroup

from dhrkg.terminal import WIDTH, between_words, fitted, wrapped

DATA_DIR_HELP = ("Data directory: the embedded graph, linkage state, users and audit log "
                 "(default: DHRKG_DATA_DIR, else the user data directory).")
BACKEND_HELP = "Graph engine: falkordb (embedded, the default) or neo4j (also chosen by DHRKG_BACKEND, or by NEO4J_URI)."
FORCE_HELP = "Overwrite the output file if it exists."

#: keyword arguments for every ``typer.Typer`` of dhrkg (the app and its sub-command groups)
TYPER_STYLE = {"rich_markup_mode": None, "context_settings": {"help_option_names": ["-h", "--help"]}}

_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\.(?:\s|$)")


def first_sentence(text: str) -> str:
    """The first sentence of the first paragraph, on one line."""
    paragraph = " ".join(text.strip().split("\n\n")[0].split())
    match = _SENTENCE_END.search(paragraph)
    return paragraph[: match.start() + 1] if match else paragraph


#: click's base of usage and parameter errors (typer ships its own copy of click)
_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _usage_error(message: str) -> str:
    """A usage error's message wrapped so that ``Error: ...`` fits 80 columns."""
    return wrapped(message, WIDTH - len("Error: "))


class HelpLayout(typer.Context.formatter_class):  # click's HelpFormatter
    """click's help layout with its lines broken only at spaces. click's own wrapper also breaks
    a line at a hyphen and inside a word longer than the line (``.dhrkg-`` / ``bulk-load.json``,
    ``--batch-`` / ``size``) and has no setting for it (pallets/click#3362), so the three
    methods that wrap are click's with :func:`dhrkg.terminal.between_words` instead. A word
    wider than its column (none in dhrkg's help) would pass the width rather than be cut."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "Usage: " if prefix is None else prefix
        usage = f"{prefix:>{self.current_indent}}{prog} "
        width = self.width - self.current_indent
        if width >= len(usage) + 20:  # the arguments beside ``Usage: dhrkg NAME``
            self.write(help_wrapped(args, width, usage, " " * len(usage)))
        else:  # under it
            indent = " " * (max(self.current_indent, len(prefix)) + 4)
            self.write(f"{usage}\n{help_wrapped(args, width, indent, indent)}")
        self.write("\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(help_wrapped(text, self.width, indent, indent, paragraphs=True) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((len(term) for term, _ in rows), default=0), col_max) + col_spacing
        under = " " * (first_col + self.current_indent)  # where a description's lines start
        for term, description in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not description:
                self.write("\n")
                continue
            # beside a short term, under a long one
            self.write(" " * (first_col - len(term)) if len(term) <= first_col - col_spacing else "\n" + under)
            width = max(self.width - first_col - 2, 10)
            lines = help_wrapped(description, width, paragraphs=True).splitlines() or [""]
            self.write("\n".join([lines[0], *(under + line if line else line for line in lines[1:])]) + "\n")


def help_wrapped(text: str, width: int, first: str = "", rest: str = "", paragraphs: bool = False) -> str:
    """``text`` in lines of at most ``width`` columns broken only at spaces, as click's
    ``wrap_text`` lays it out otherwise: with ``paragraphs``, each paragraph (lines up to a blank
    line) is wrapped on its own, indented as its first line is, and one that starts with a
    ``\\b`` line is kept as written."""
    text = text.expandtabs()
    if not paragraphs:
        return between_words(width, first, rest).fill(text)
    laid_out = []
    for indent, kept, lines in _paragraphs(text):
        if kept:
            laid_out.append("\n".join((first if n == 0 else rest) + indent + line for n, line in enumerate(lines)))
        else:
            laid_out.append(between_words(width, first + indent, rest + indent).fill(" ".join(lines)))
    return "\n\n".join(laid_out)


def _paragraphs(text: str):
    """``(indent, kept as written, lines)`` of each paragraph of ``text``: the lines up to a
    blank line, the indentation of the first, whether it starts with a ``\\b`` line (that line
    left out)."""
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
        if lines[0].strip() == "\b":
            yield indent, True, lines[1:]
        else:
            yield indent, False, [line.strip() for line in lines]


class HelpContext(typer.Context):
    """The context of every dhrkg command: its help laid out by :class:`HelpLayout`."""

    formatter_class = HelpLayout


class Commands(TyperGroup):
    """A command group: commands listed by panel, settings/store errors in one line, usage
    errors wrapped to 80 columns; its help and its commands' laid out by :class:`HelpLayout`."""

    context_class = HelpContext

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():  # typer's own command class, made by typer
            command.context_class = HelpContext

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        import sys

        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _ClickException as exc:
            message = exc.format_message()
            if "\n" not in message:  # a help text shown for a missing command is laid out already
                exc.format_message = lambda: _usage_error(message)  # type: ignore[method-assign]
            exc.show()
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def format_commands(self, ctx, formatter) -> None:
        panels: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            panel = getattr(command, "rich_help_panel", None) or "Commands"
            summary = command.short_help or first_sentence(command.help or "")
            panels.setdefault(panel, []).append((name, summary))
        width = max((len(name) for rows in panels.values() for name, _ in rows), default=0)
        for panel, rows in panels.items():  # one column width for every panel
            with formatter.section(panel):
                formatter.write_dl([(name.ljust(width), summary) for name, summary in rows])

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if not isinstance(exc, _settings_or_store_errors()):
                raise
            typer.echo(fitted(f"error: {exc}"), err=True)
            raise typer.Exit(2) from None


def _settings_or_store_errors() -> tuple[type[BaseException], ...]:
    """ConfigError and StoreError, from the modules already imported: a command that never
    opened the graph cannot have raised a StoreError, and need not pay for importing the graph
    (0.1 s of every `dhrkg extract`)."""
    import sys

    found = (getattr(sys.modules.get(module), name, None)
             for module, name in (("dhrkg.config", "ConfigError"), ("dhrkg.graph.store", "StoreError")))
    return tuple(t for t in found if t is not None)
