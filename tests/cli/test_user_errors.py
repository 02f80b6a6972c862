"""Errors a user sees are one or two lines of at most 80 columns, never a traceback or another
program's usage text; and one policy for every command that writes a file: an existing file is
kept unless --force is given, the folder must exist, and --format agrees with the file name."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from support.cli_env import point_cli_at
from typer.testing import CliRunner

from dhrkg.cli import app

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
REPORT = ROOT / "examples" / "report-brackenford.txt"
runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env=env)


TMP = re.compile(r"/tmp/pytest-of-[^/]+/pytest-\d+/[^/\s]+")  # a test's tmp_path: long; a user's paths are theirs


def short_error(result) -> str:
    """The output of a failed command, checked to be a short error: one or two messages, each of
    80 columns at most with the test's own long temporary folder written as /tmp/t, shown in lines
    of 80 columns (a long path alone on its line may pass). Returned for more checks with each
    message on one line, as if the temporary folder were short enough not to break it."""
    assert result.exit_code != 0, result.output
    text = result.output.strip()
    assert all(len(line) <= 80 or len(line.split()) == 1 for line in text.splitlines()), text
    messages = unbroken(text)
    assert 1 <= len(messages) <= 2, text
    assert all(len(TMP.sub("/tmp/t", message)) <= 80 for message in messages), text
    for bad in ("Traceback", "USAGE", "Usage:", ".part", "Errno"):
        assert bad not in text, text
    return "\n".join(messages)


def unbroken(text: str) -> list[str]:
    """The messages of ``text``: a line and the indented lines that continue it, joined."""
    messages: list[str] = []
    for line in text.splitlines():
        if line[:1].isspace() and messages:
            messages[-1] += " " + line.strip()
        else:
            messages.append(line)
    return messages


# --------------------------------------------------------------------------- the data directory


@pytest.fixture
def a_file(tmp_path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a folder\n")
    return path


@pytest.mark.parametrize("command", [["stats"], ["db", "status"], ["db", "start"], ["cypher", "RETURN 1"],
                                     ["export", "-o", "{tmp}/x.ttl"], ["link"]], ids=lambda c: " ".join(c[:2]))
def test_a_data_dir_that_is_a_file(command, a_file, tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("DHRKG_BACKEND", raising=False)
    args = [c.replace("{tmp}", str(tmp_path)) for c in command]
    text = short_error(run(*args, "--data-dir", a_file))
    assert text == f"error: data directory {a_file}: is a file, not a folder"


def test_a_data_dir_that_cannot_be_created(a_file, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("DHRKG_BACKEND", raising=False)
    monkeypatch.setenv("DHRKG_DATA_DIR", str(a_file / "data"))
    text = short_error(run("stats"))
    assert text == f"error: data directory {a_file / 'data'}: {a_file} is a file"


# --------------------------------------------------------------------------- outputs


def test_output_into_a_missing_folder_names_the_folder_not_a_temporary_file(tmp_path):
    target = tmp_path / "nowhere" / "genogram.svg"
    text = short_error(run("genogram", CASE, "-o", target))
    assert text == f"{target}: no folder {target.parent} (create it first)"


def test_a_missing_key_file_folder(tmp_path):
    key = tmp_path / "keys" / "research.key"
    text = short_error(run("export", CASE, "--pseudonymise", "--key-file", key, "-o", tmp_path / "r.ttl"))
    assert text == f"--key-file {key}: no folder {key.parent} (create it first)"
    assert not (tmp_path / "r.ttl").exists()


@pytest.mark.parametrize("zoom", ["-1", "0"])
def test_zoom_that_is_not_positive_is_ours_to_refuse_not_rsvg_converts(zoom, tmp_path):
    text = short_error(run("genogram", CASE, "-o", tmp_path / "g.png", "--zoom", zoom))
    assert text == f"--zoom {zoom}: must be more than 0 (pixels per SVG unit)"


# every command that writes a file: (arguments before -o, the output's name)
WRITERS = {
    "schema": ([], "schema.json"),
    "extract": ([REPORT], "draft.yaml"),
    "export-chronology": ([CASE], "chronology.csv"),
    "export": ([CASE], "cases.nt"),
    "genogram": ([CASE], "genogram.svg"),
    "network": ([CASE], "network.svg"),
    "timeline": ([CASE], "timeline.svg"),
}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_an_existing_output_is_kept_without_force_and_replaced_with_it(command, tmp_path):
    before, name = WRITERS[command]
    target = tmp_path / name
    target.write_text("hand-corrected\n")
    text = short_error(run(command, *before, "-o", target))
    assert text.endswith(f"{target}: already exists (use --force to overwrite)")
    assert target.read_text() == "hand-corrected\n"
    result = run(command, *before, "-o", target, "--force")
    assert result.exit_code == 0, result.output
    assert target.read_text() != "hand-corrected\n"


def test_import_chronology_keeps_an_existing_case_file_without_force(tmp_path):
    sheet = tmp_path / "chronology.csv"
    assert run("export-chronology", CASE, "-o", sheet).exit_code == 0
    target = tmp_path / "case.yaml"
    target.write_text("hand-corrected\n")
    text = short_error(run("import-chronology", sheet, "--review", CASE, "--replace-events", "-o", target))
    assert text == f"error: {target}: already exists (use --force to overwrite)"
    assert run("import-chronology", sheet, "--review", CASE, "--replace-events", "-o", target, "--force").exit_code == 0


def test_import_rdf_keeps_an_existing_case_file_without_force(tmp_path):
    rdf = tmp_path / "case.nt"
    assert run("export", CASE, "-o", rdf).exit_code == 0
    target = tmp_path / "back.yaml"
    target.write_text("hand-corrected\n")
    text = short_error(run("import-rdf", rdf, "-o", target))
    assert text == f"{target}: already exists (use --force to overwrite)"
    assert run("import-rdf", rdf, "-o", target, "--force").exit_code == 0


def test_link_keeps_an_existing_pairs_file_without_force(tmp_path):
    target = tmp_path / "pairs.csv"
    target.write_text("mine\n")
    text = short_error(run("link", "--pairs-out", target, "--data-dir", tmp_path / "data"))
    assert text == f"error: {target}: already exists (use --force to overwrite)"


def test_synth_keeps_a_folder_that_is_not_empty_without_force(tmp_path):
    (tmp_path / "mine.csv").write_text("x\n")
    text = short_error(run("synth", "-o", tmp_path, "--people", "50", "--forces", "1"))
    assert text == f"error: {tmp_path}: is not empty (use --force to overwrite its files)"


def test_every_command_with_an_output_file_has_force():
    """The policy covers commands added later too."""
    import typer.main

    def commands(group, prefix=""):
        for name, cmd in group.commands.items():
            yield prefix + name, cmd  # a group's own options too (dhrkg link --pairs-out)
            if hasattr(cmd, "commands"):
                yield from commands(cmd, f"{prefix}{name} ")

    writes = []
    for name, cmd in commands(typer.main.get_command(app)):
        options = {p.name for p in cmd.params}
        if options & {"output", "pairs_out"}:
            writes.append(name)
            assert "force" in options, name
    assert {"genogram", "export", "extract", "schema", "link", "synth"} <= set(writes)


@pytest.mark.parametrize("command,fmt,name", [("genogram", "pdf", "g.svg"), ("timeline", "png", "t.pdf"),
                                              ("export", "nt", "cases.ttl")])
def test_format_and_file_name_that_disagree_are_refused(command, fmt, name, tmp_path):
    target = tmp_path / name
    text = short_error(run(command, CASE, "-f", fmt, "-o", target))
    assert f"--format {fmt} but the name says ." in text
    assert not target.exists()


def test_format_given_for_a_name_without_a_known_extension_is_used(tmp_path):
    target = tmp_path / "genogram"
    result = run("genogram", CASE, "-f", "pdf", "-o", target)
    assert result.exit_code == 0 and target.read_bytes().startswith(b"%PDF")


# --------------------------------------------------------------------------- engines


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on for the whole test: held bound (another process, or
    another suite running at the same time, cannot take it) but not listening, so a connection
    is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_an_unreachable_neo4j_is_said_once_with_the_uri_and_what_to_check(scheme, monkeypatch, capfd, closed_port):
    uri = f"{scheme}://127.0.0.1:{closed_port}"
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.delenv("DHRKG_BACKEND", raising=False)
    result = run("stats")
    text = short_error(result)
    assert text.count(uri) == 1 and "check that it is running there and NEO4J_URI" in text
    assert capfd.readouterr().err == ""  # nothing from the driver's own log


@pytest.fixture
def engine_env(store, monkeypatch):
    """The environment that points the CLI at the test store of either engine."""
    point_cli_at(store, monkeypatch)
    return store


@pytest.mark.parametrize("query,line,column,token", [
    ("MATCH (n) RETUR n", 1, None, "RETUR"),
    ("MATCH (n:Person RETURN n", 1, 17, "RETURN"),
    ("MATCH (n)\nWHERE n.x = = 1\nRETURN n", 2, 13, "="),
])
def test_cypher_syntax_errors_give_line_column_and_token_on_both_engines(engine_env, query, line, column, token):
    text = short_error(run("cypher", query))
    first = text.splitlines()[0]
    assert first.startswith(f"error: Cypher syntax error at line {line}, column ")
    if column is not None:
        assert f"column {column}:" in first
    assert first.endswith(f"unexpected {token!r}")
    assert "errMsg" not in text and "neo4j_code" not in text


def test_syntax_error_translation_of_each_engines_message():
    from dhrkg.graph.syntax_errors import explain_syntax_error

    falkordb = ("errMsg: Invalid input ' ': expected RETURN line: 1, column: 16, offset: 15 "
                "errCtx: MATCH (n) RETUR n errCtxOffset: 15")
    assert explain_syntax_error(falkordb, "MATCH (n) RETUR n") == (
        "Cypher syntax error at line 1, column 16: unexpected 'RETUR'\nexpected RETURN")
    neo4j = ("{neo4j_code: Neo.ClientError.Statement.SyntaxError} {message: Invalid input. 'x' is not a valid "
             "value. Must be a non-negative integer. (line 1, column 26 (offset: 25))\n\"MATCH (n) RETURN n "
             "LIMIT 'x'\"\n                          ^} {gql_status: 42001}")
    assert explain_syntax_error(neo4j, "MATCH (n) RETURN n LIMIT 'x'") == (
        "Cypher syntax error at line 1, column 26: unexpected \"'x'\"\n"
        "'x' is not a valid value. Must be a non-negative integer.")
    assert explain_syntax_error("Query timed out", "MATCH (n) RETURN n") is None
