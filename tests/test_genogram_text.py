"""Label widths: the embedded DejaVu Sans table against the installed fonts; wrapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.visualisation import fontmetrics
from dhrkg.visualisation.fontmetrics import text_width, wrap

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.parametrize("bold, file", [(False, "DejaVuSans.ttf"), (True, "DejaVuSans-Bold.ttf")])
def test_table_matches_the_installed_font(bold, file):
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fontTools reads the TTF to check the table")
    path = FONT_DIR / file
    if not path.exists():
        pytest.fail(f"{path} missing: scripts/setup.sh installs fonts-dejavu-core, which the drawings name")
    font = ttlib.TTFont(str(path))
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    table = fontmetrics.BOLD if bold else fontmetrics.REGULAR
    assert font["head"].unitsPerEm == fontmetrics.UNITS_PER_EM
    for code, width in table.items():
        assert hmtx[cmap[code]][0] == width, chr(code)
    for ch in "the Perpetrator's mother, b. 1983 – d. 2014 (A) Zoë Ćwik":
        assert ord(ch) in table


def test_widths_add_up_and_scale():
    assert text_width("ab", 10) == pytest.approx(text_width("a", 10) + text_width("b", 10))
    assert text_width("Perpetrator", 22) == pytest.approx(2 * text_width("Perpetrator", 11))
    assert text_width("W", 11, bold=True) > text_width("W", 11)
    assert text_width("\u4e2d", 10) == pytest.approx(6.2)  # not in the table: 0.62 em


def test_wrap_keeps_lines_within_the_width():
    text = "an extended family member of the perpetrator's former partner from Birmingham"
    lines = wrap(text, 11, 100)
    assert all(text_width(line, 11) <= 100 for line in lines)
    assert " ".join(lines).replace("\u2026", "") in text or lines[-1].endswith("\u2026")
    assert wrap("short", 11, 100) == ["short"]
    long_word = wrap("Supercalifragilisticexpialidocious", 11, 60)
    assert all(text_width(line, 11) <= 60 for line in long_word) and len(long_word) > 1
    assert len(wrap("word " * 100, 11, 50, max_lines=3)) == 3
