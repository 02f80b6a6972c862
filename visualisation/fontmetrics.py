"""Advance widths of DejaVu Sans (regular and bold) for measuring labels.

The drawings name ``DejaVu Sans`` (Debian ``fonts-dejavu-core``, installed by
scripts/setup.sh), so the SVG renderer and this table agree on how wide a label
is. Widths are in font units (2048 per em) for ASCII, Latin-1, Latin
Extended-A and a few punctuation marks, read from the TTF files;
tests/drawings/test_genogram_text.py checks the table against the installed fonts.
Characters not in the table count as 0.62 em (wide, so labels never overflow).
"""

from __future__ import annotations

import unicodedata

FONT_FAMILY = "DejaVu Sans"
UNITS_PER_EM = 2048
#: Ascent and descent (fraction of the font size) used for text boxes.
ASCENT = 0.76
DESCENT = 0.24
_FALLBACK = 0.62

_REGULAR_OWN = {
    32: 651, 33: 821, 34: 942, 35: 1716, 36: 1303, 37: 1946, 38: 1597, 39: 563, 40: 799, 41:
    799, 42: 1024, 43: 1716, 44: 651, 45: 739, 46: 651, 47: 690, 48: 1303, 49: 1303, 50: 1303,
    51: 1303, 52: 1303, 53: 1303, 54: 1303, 55: 1303, 56: 1303, 57: 1303, 58: 690, 59: 690, 60:
    1716, 61: 1716, 62: 1716, 63: 1087, 64: 2048, 65: 1401, 66: 1405, 67: 1430, 68: 1577, 69:
    1294, 70: 1178, 71: 1587, 72: 1540, 73: 604, 74: 604, 75: 1343, 76: 1141, 77: 1767, 78:
    1532, 79: 1612, 80: 1235, 81: 1612, 82: 1423, 83: 1300, 84: 1251, 85: 1499, 86: 1401, 87:
    2025, 88: 1403, 89: 1251, 90: 1403, 91: 799, 92: 690, 93: 799, 94: 1716, 95: 1024, 96: 1024,
    97: 1255, 98: 1300, 99: 1126, 100: 1300, 101: 1260, 102: 721, 103: 1300, 104: 1298, 105:
    569, 106: 569, 107: 1186, 108: 569, 109: 1995, 110: 1298, 111: 1253, 112: 1300, 113: 1300,
    114: 842, 115: 1067, 116: 803, 117: 1298, 118: 1212, 119: 1675, 120: 1212, 121: 1212, 122:
    1075, 123: 1303, 124: 690, 125: 1303, 126: 1716, 160: 651, 161: 821, 162: 1303, 163: 1303,
    164: 1303, 165: 1303, 166: 690, 167: 1024, 168: 1024, 169: 2048, 170: 965, 171: 1253, 172:
    1716, 173: 739, 174: 2048, 175: 1024, 176: 1024, 177: 1716, 178: 821, 179: 821, 180: 1024,
    181: 1303, 182: 1303, 183: 651, 184: 1024, 185: 821, 186: 965, 187: 1253, 188: 1985, 189:
    1985, 190: 1985, 191: 1087, 198: 1995, 208: 1587, 215: 1716, 216: 1612, 222: 1239, 223:
    1290, 230: 2011, 240: 1253, 247: 1716, 248: 1253, 254: 1300, 272: 1587, 273: 1300, 294:
    1876, 295: 1423, 305: 569, 306: 1208, 307: 1138, 312: 1186, 318: 768, 319: 1141, 320: 700,
    321: 1151, 322: 582, 329: 1666, 330: 1532, 331: 1298, 338: 2191, 339: 2095, 358: 1251, 359:
    803, 383: 721, 8211: 1024, 8212: 2048, 8216: 651, 8217: 651, 8220: 1061, 8221: 1061, 8230:
    2048, 8226: 1208, 9792: 1500, 9794: 1836, 8594: 1716,
}

_BOLD_OWN = {
    32: 713, 33: 934, 34: 1067, 35: 1716, 36: 1425, 37: 2052, 38: 1786, 39: 627, 40: 936, 41:
    936, 42: 1071, 43: 1716, 44: 778, 45: 850, 46: 778, 47: 748, 48: 1425, 49: 1425, 50: 1425,
    51: 1425, 52: 1425, 53: 1425, 54: 1425, 55: 1425, 56: 1425, 57: 1425, 58: 819, 59: 819, 60:
    1716, 61: 1716, 62: 1716, 63: 1188, 64: 2048, 65: 1585, 66: 1561, 67: 1503, 68: 1700, 69:
    1399, 70: 1399, 71: 1681, 72: 1714, 73: 762, 74: 762, 75: 1587, 76: 1305, 77: 2038, 78:
    1714, 79: 1741, 80: 1501, 81: 1741, 82: 1577, 83: 1475, 84: 1397, 85: 1663, 86: 1585, 87:
    2259, 88: 1579, 89: 1483, 90: 1485, 91: 936, 92: 748, 93: 936, 94: 1716, 95: 1024, 96: 1024,
    97: 1382, 98: 1466, 99: 1214, 100: 1466, 101: 1389, 102: 891, 103: 1466, 104: 1458, 105:
    702, 106: 702, 107: 1362, 108: 702, 109: 2134, 110: 1458, 111: 1407, 112: 1466, 113: 1466,
    114: 1010, 115: 1219, 116: 979, 117: 1458, 118: 1335, 119: 1892, 120: 1321, 121: 1335, 122:
    1192, 123: 1458, 124: 748, 125: 1458, 126: 1716, 160: 713, 161: 934, 162: 1425, 163: 1425,
    164: 1303, 165: 1425, 166: 748, 167: 1024, 168: 1024, 169: 2048, 170: 1155, 171: 1323, 172:
    1716, 173: 850, 174: 2048, 175: 1024, 176: 1024, 177: 1716, 178: 897, 179: 897, 180: 1024,
    181: 1507, 182: 1303, 183: 778, 184: 1024, 185: 897, 186: 1155, 187: 1323, 188: 2120, 189:
    2120, 190: 2120, 191: 1188, 198: 2222, 208: 1716, 215: 1716, 216: 1741, 222: 1511, 223:
    1473, 230: 2146, 240: 1407, 247: 1716, 248: 1407, 254: 1466, 272: 1716, 273: 1466, 294:
    1994, 295: 1618, 305: 702, 306: 1524, 307: 1404, 312: 1362, 318: 982, 319: 1305, 320: 1140,
    321: 1315, 322: 760, 329: 2013, 330: 1714, 331: 1458, 338: 2390, 339: 2241, 358: 1397, 359:
    979, 383: 891, 8211: 1024, 8212: 2048, 8216: 778, 8217: 778, 8220: 1346, 8221: 1346, 8230:
    2048, 8226: 1309, 9792: 1500, 9794: 1836, 8594: 1716,
}


def _with_accented(own: dict[int, int]) -> dict[int, int]:
    """The table with every accented letter of Latin-1 and Latin Extended-A that has no width of
    its own given the width of its base letter (DejaVu Sans draws them the same width)."""
    table = dict(own)
    for code in range(0xC0, 0x180):
        base = ord(unicodedata.normalize("NFD", chr(code))[0])
        if code not in table and base != code and base in table:
            table[code] = table[base]
    return table


REGULAR = _with_accented(_REGULAR_OWN)
BOLD = _with_accented(_BOLD_OWN)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of ``text`` set in DejaVu Sans at ``size`` px (no kerning)."""
    table = BOLD if bold else REGULAR
    units = 0
    fallback = _FALLBACK * UNITS_PER_EM
    for ch in text:
        units += table.get(ord(ch), fallback)
    return units * size / UNITS_PER_EM


def wrap(text: str, size: float, max_width: float, bold: bool = False, max_lines: int = 4) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (words longer than that are cut).

    At most ``max_lines`` lines; the last one ends in an ellipsis when text is left over.
    """
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while text_width(word, size, bold) > max_width:
            # a single word wider than a line: cut it
            cut = len(word)
            while cut > 1 and text_width(word[:cut] + "-", size, bold) > max_width:
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and text_width(last + "\u2026", size, bold) > max_width:
            last = last[:-1].rstrip()
        kept[-1] = last + "\u2026"
        lines = kept
    return lines
