"""The outside programs the drawings need: a clear message naming the Debian packages when one is
missing (one helper for dot and rsvg-convert), and the text widths of accented letters."""

from __future__ import annotations

import pytest

from dhrkg.visualisation import convert, dot
from dhrkg.visualisation.fontmetrics import BOLD, REGULAR, text_width


def test_missing_dot_names_its_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(dot.GraphvizMissing, match=r"Graphviz 'dot' is not installed .*apt-get install graphviz;"):
        dot.dot_program()


def test_missing_rsvg_names_its_packages_and_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(convert.ConverterMissing) as caught:
        convert._rsvg()
    assert "apt-get install librsvg2-bin fonts-dejavu-core" in str(caught.value)
    assert str(caught.value).endswith("scripts/setup.sh installs it); write .svg instead")


def test_accented_letters_as_wide_as_their_base_letter():
    assert text_width("Zoë Dvořák", 11.0) == text_width("Zoe Dvorak", 11.0)
    assert REGULAR[ord("ľ")] != REGULAR[ord("l")] and BOLD[ord("Ł")] == 1315  # widths of their own kept
