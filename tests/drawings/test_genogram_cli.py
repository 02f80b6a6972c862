"""dhrkg genogram / network / timeline: output formats, errors, determinism."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app

GOLD = Path(__file__).resolve().parents[2] / "examples" / "001_24bc3f827734f2c4.yaml"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "genogram"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("command", ["genogram", "network", "timeline"])
def test_svg_pdf_png(command, tmp_path):
    for suffix in ("svg", "pdf", "png"):
        out = tmp_path / f"x.{suffix}"
        r = run(command, GOLD, "-o", out)
        assert r.exit_code == 0, r.output
        data = out.read_bytes()
        assert data.startswith({"svg": b"<svg", "pdf": b"%PDF", "png": b"\x89PNG"}[suffix])
    # identical input gives identical files (SVG and PDF)
    again = tmp_path / "again.svg"
    assert run(command, GOLD, "-o", again).exit_code == 0
    assert again.read_bytes() == (tmp_path / "x.svg").read_bytes()
    again_pdf = tmp_path / "again.pdf"
    assert run(command, GOLD, "-o", again_pdf).exit_code == 0
    assert again_pdf.read_bytes() == (tmp_path / "x.pdf").read_bytes()


def test_pdf_is_a4_landscape(tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.fail("pdfinfo (poppler-utils) is needed: scripts/setup.sh installs it")
    out = tmp_path / "g.pdf"
    assert run("genogram", GOLD, "-o", out).exit_code == 0
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info
    assert "CreationDate" not in info


def test_options_reach_the_drawing(tmp_path):
    out = tmp_path / "g.svg"
    r = run("genogram", GOLD, "-o", out, "--person", "Victim", "--up", "1", "--down", "0", "--publication",
            "--hide-children", "--households", "none", "--reference-date", "2013-06")
    assert r.exit_code == 0, r.output
    svg = out.read_text()
    assert 'data-publication="true"' in svg and 'data-kind="household"' not in svg
    assert "the Victim" in svg and "S3" not in svg.split("<g id=\"legend\"")[0].replace('data-id="', "")
    out2 = tmp_path / "t.svg"
    assert run("timeline", GOLD, "-o", out2, "--person", "PFP", "--from", "2010", "--to", "2012").exit_code == 0
    assert "involving PFP" in out2.read_text()
    out3 = tmp_path / "x.bin"
    assert run("network", GOLD, "-o", out3, "--format", "svg").exit_code == 0
    assert out3.read_bytes().startswith(b"<svg")


def test_errors_name_the_problem(tmp_path):
    r = run("genogram", tmp_path / "missing.yaml", "-o", tmp_path / "g.svg")
    assert r.exit_code == 2 and "missing.yaml" in r.output and "no such file" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: dhr-case/1\nreview: {id: x}\npersons:\n  - {id: a, sex: elf}\n")
    r = run("genogram", bad, "-o", tmp_path / "g.svg")
    assert r.exit_code == 1 and "bad.yaml:4" in r.output and "sex" in r.output
    r = run("genogram", GOLD, "-o", tmp_path / "g.svg", "--person", "nobody")
    assert r.exit_code == 1 and "no person with id 'nobody'" in " ".join(r.output.split())
    r = run("genogram", GOLD, "-o", tmp_path / "g.gif")
    assert r.exit_code == 1 and "use .svg, .pdf or .png" in " ".join(r.output.split())
    r = run("genogram", GOLD, "-o", tmp_path / "g.svg", "--reference-date", "2014-13")
    assert r.exit_code == 1 and "--reference-date" in r.output
    r = run("timeline", GOLD, "-o", tmp_path / "t.svg", "--from", "1900", "--to", "1901")
    assert r.exit_code == 1 and "no events" in " ".join(r.output.split())
    assert not list(tmp_path.glob("*.svg")) and not list(tmp_path.glob(".*part"))


def test_help_texts():
    for command in ("genogram", "network", "timeline"):
        r = run(command, "--help")
        assert r.exit_code == 0 and "--output" in r.output


def test_page_and_labels_options(tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.fail("pdfinfo (poppler-utils) is needed: scripts/setup.sh installs it")
    out = tmp_path / "g.pdf"
    r = run("genogram", GOLD, "-o", out, "--page", "a3")
    assert r.exit_code == 0, r.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "(A3)" in info
    t = tmp_path / "t.svg"
    assert run("timeline", GOLD, "-o", t, "--labels", "--page", "a4").exit_code == 0
    svg = t.read_text()
    assert 'data-role="event-label"' in svg and 'data-page="a4"' in svg and 'width="785.2pt"' in svg
    bad = run("timeline", GOLD, "-o", t, "--page", "a5")
    assert bad.exit_code != 0 and "a5" in bad.output
