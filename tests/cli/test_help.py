"""Every command's help, rendered at 80 columns, in one style: nothing truncated or wider than
the terminal, option names in full, no type tags on flags, shared options described once, and
each command listed once in the right group. Commands are found from the app itself, so
commands added later are checked too."""

from __future__ import annotations

import re

import click
import pytest
import typer.main
from support.help_words import joined_words, split_words
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.cli._style import BACKEND_HELP, DATA_DIR_HELP, first_sentence

ROOT_COMMAND = typer.main.get_command(app)
runner = CliRunner()


def all_commands(group: click.Command = ROOT_COMMAND, path: tuple[str, ...] = ()):
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from all_commands(command, path + (name,))


COMMANDS = list(all_commands())


def render_help(path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_registered_command_is_found():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"validate", "extract", "genogram", "db status", "run", "export"} <= names
    assert len(names) > 20


@pytest.mark.parametrize("path,command", COMMANDS, ids=lambda v: " ".join(v) or "dhrkg" if isinstance(v, tuple) else "")
def test_help_at_80_columns_is_whole(path, command):
    text = render_help(path)
    wide = [line for line in text.splitlines() if len(line) > 80]
    assert wide == [], "lines wider than 80 columns"
    assert "…" not in text and not re.search(r"[╭╮╰╯│─]", text), "truncated, or drawn in boxes"
    assert "<bool>" not in text, "a flag shows a type"
    assert not re.search(r"\w \.(\s|$)", text), "a space before a full stop"
    for param in command.params:
        for name in [*param.opts, *param.secondary_opts]:
            if name.startswith("-"):
                assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), f"{name} not shown in full"
        if isinstance(param, click.Option) and param.help:
            assert flat(param.help) in flat(text), f"{param.name}: its description is cut"


@pytest.mark.parametrize("width", [60, 70, 80])
def test_help_breaks_lines_only_at_spaces_at_any_width(width):
    """No file name, option or id broken at a hyphen or inside it, whatever the terminal's width
    (tests/cli/test_cli_width.py runs the installed command at 80 columns)."""
    broken = {}
    for path, command in COMMANDS:
        text = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(width)}, terminal_width=width).output
        if split := split_words(text, joined_words(command)):
            broken[" ".join(path) or "dhrkg"] = split
    assert broken == {}


def test_option_descriptions_have_room():
    """The description column starts within the first half of the line (no 17-column descriptions)."""
    text = render_help(("genogram",))
    starts = {len(m.group(1)) for m in re.finditer(r"^(  -.*?  +)\S", text, re.M)}
    assert starts and max(starts) <= 40, starts


def test_group_listings_show_each_command_once_with_its_first_sentence_whole():
    for path, command in COMMANDS:
        subcommands = {n: c for n, c in getattr(command, "commands", {}).items() if not c.hidden}
        if not subcommands:
            continue
        text = render_help(path)
        for name, sub in subcommands.items():
            assert len(re.findall(rf"^  {re.escape(name)}(?:  |\n)", text, re.M)) == 1, (path, name)
            summary = sub.short_help or first_sentence(sub.help or "")
            assert flat(summary) in flat(text), (path, name)


def test_hidden_duplicates_are_not_listed_and_export_chronology_is_not_an_import():
    text = render_help(())
    assert "  query  " not in text  # 'query' is 'cypher', listed once under Queries
    sections = dict(re.findall(r"^(\S[^\n]*):\n((?:  [^\n]*\n|\n(?=  ))*)", text, re.M))
    assert "export-chronology" not in sections.get("Import", "")
    assert "cypher" in sections["Queries"]


def test_data_dir_and_backend_are_described_the_same_everywhere():
    helps: dict[str, set[str]] = {"data_dir": set(), "backend": set()}
    for _, command in COMMANDS:
        for param in command.params:
            if param.name in helps:
                helps[param.name].add(param.help)
    assert helps == {"data_dir": {DATA_DIR_HELP}, "backend": {BACKEND_HELP}}


def test_db_status_documents_its_exit_status():
    assert "Exit status: 0 running, 3 not running." in flat(render_help(("db", "status")))


def test_first_sentence_keeps_abbreviations():
    assert first_sentence("Run it, e.g. like this. Then more.") == "Run it, e.g. like this."
    assert first_sentence("One line\nwrapped.\n\nSecond paragraph.") == "One line wrapped."
