"""Genograms of the gold case files, checked on the SVG geometry (issue 4's done-when)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.model import load_case
from dhrkg.visualisation import GenogramOptions, genogram_svg

from support.svg_geometry import check_drawing, read

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def gold(request):
    return load_case(request.param)


@pytest.mark.parametrize("households", ["current", "all"])
def test_gold_genogram_geometry(gold, households):
    svg = genogram_svg(gold, GenogramOptions(households=households))
    problems = check_drawing(gold, read(svg), households=households)
    assert not problems, "\n".join(problems)


def test_gold_genogram_is_byte_identical(gold):
    assert genogram_svg(gold) == genogram_svg(gold)
