"""Label widths: the embedded DejaVu Sans table against the installed fonts; wrapping."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from dhrkg.visualisation import fontmetrics
from dhrkg.visualisation.fontmetrics import text_width, wrap

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def read_ttf_widths(path: Path) -> tuple[int, dict[int, int]]:
    """Units per em and {code point: advance width} of a TrueType font (cmap format 4, hmtx)."""
    data = path.read_bytes()
    n_tables = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for k in range(n_tables):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * k: 28 + 16 * k])
        tables[tag.decode()] = (offset, length)
    head = tables["head"][0]
    units = struct.unpack(">H", data[head + 18: head + 20])[0]
    hhea = tables["hhea"][0]
    n_metrics = struct.unpack(">H", data[hhea + 34: hhea + 36])[0]
    hmtx = tables["hmtx"][0]
    advances = [struct.unpack(">H", data[hmtx + 4 * i: hmtx + 4 * i + 2])[0] for i in range(n_metrics)]
    cmap = tables["cmap"][0]
    n_sub = struct.unpack(">H", data[cmap + 2: cmap + 4])[0]
    sub = None
    for k in range(n_sub):
        platform, encoding, offset = struct.unpack(">HHI", data[cmap + 4 + 8 * k: cmap + 12 + 8 * k])
        if (platform, encoding) == (3, 1):
            sub = cmap + offset
    assert sub is not None and struct.unpack(">H", data[sub: sub + 2])[0] == 4
    seg_x2 = struct.unpack(">H", data[sub + 6: sub + 8])[0]
    segs = seg_x2 // 2
    ends = struct.unpack(f">{segs}H", data[sub + 14: sub + 14 + seg_x2])
    starts_at = sub + 16 + seg_x2
    starts = struct.unpack(f">{segs}H", data[starts_at: starts_at + seg_x2])
    deltas = struct.unpack(f">{segs}h", data[starts_at + seg_x2: starts_at + 2 * seg_x2])
    ro_at = starts_at + 2 * seg_x2
    offsets = struct.unpack(f">{segs}H", data[ro_at: ro_at + seg_x2])
    widths = {}
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = ro_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                glyph = struct.unpack(">H", data[at: at + 2])[0]
                if glyph:
                    glyph = (glyph + deltas[i]) & 0xFFFF
            if glyph:
                widths[code] = advances[min(glyph, n_metrics - 1)]
    return units, widths


@pytest.mark.parametrize("bold, file", [(False, "DejaVuSans.ttf"), (True, "DejaVuSans-Bold.ttf")])
def test_table_matches_the_installed_font(bold, file):
    path = FONT_DIR / file
    if not path.exists():
        pytest.fail(f"{path} missing: scripts/setup.sh installs fonts-dejavu-core, which the drawings name")
    units, widths = read_ttf_widths(path)
    table = fontmetrics.BOLD if bold else fontmetrics.REGULAR
    assert units == fontmetrics.UNITS_PER_EM
    for code, width in table.items():
        assert widths[code] == width, chr(code)
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
