"""Colours as a reader sees them: CIE L*a*b* of an sRGB colour, for everyone and for a deuteranope."""

from __future__ import annotations

# Machado, Oliveira and Fernandes (2009): full deuteranopia, on linear RGB
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 1.968881))


def _linear_rgb(hex_colour: str) -> list[float]:
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return [lin(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)]


def _lab_of_linear(rgb) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    return _lab_of_linear(_linear_rgb(hex_colour))


def deuteranope_lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of the colour a deuteranope sees."""
    rgb = _linear_rgb(hex_colour)
    seen = [min(max(sum(m * c for m, c in zip(row, rgb)), 0.0), 1.0) for row in DEUTERANOPIA]
    return _lab_of_linear(seen)
