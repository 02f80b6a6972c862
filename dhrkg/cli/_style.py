"""One help style and one error style for every dhrkg command.

Help is click's plain layout (options with their full names, descriptions wrapped to the
terminal, 80 columns included), not Rich panels, whose columns truncate option names at 80
columns. Command lists are grouped by each command's ``rich_help_panel`` and show the first
sentence of its help, whole. Options shared by many commands have one description here.
Settings and store errors that reach a command group become one ``error:`` line.
"""

from __future__ import annotations

import re

import typer
from typer.core import TyperGroup

from dhrkg.terminal import WIDTH, fitted, wrapped

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


class Commands(TyperGroup):
    """A command group: commands listed by panel, settings/store errors in one line, usage
    errors wrapped to 80 columns."""

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
