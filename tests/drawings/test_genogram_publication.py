"""Publication mode: no names, aliases, ids or dates that the published report would not show.

Greps the SVG (text and non-geometry attributes), the PDF text (pdftotext) and the PDF
metadata (pdfinfo) for every alias, case-file id, note, summary, place and date of the
fixture, in every written form of each date.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dhrkg.model import load_case
from dhrkg.model.dates import PartialDate
from dhrkg.visualisation import (
    GenogramOptions, NetworkOptions, TimelineOptions, genogram_svg, network_svg, svg_to_pdf, timeline_svg,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "genogram" / "publication.yaml"
GEOMETRY = {
    "x", "y", "cx", "cy", "r", "rx", "width", "height", "d", "points", "transform", "viewBox", "font-size",
    "stroke-width", "stroke-dasharray", "fill-opacity", "stroke-opacity", "data-cx", "data-cy", "data-x",
    "data-symbol", "data-union-x", "data-union-y", "data-level", "data-row", "data-plot-x", "data-plot-w",
    "data-count", "data-contacts", "data-events",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date_forms(d: PartialDate) -> set[str]:
    forms = {str(d)}
    if d.month:
        forms.add(f"{MONTHS[d.month - 1]} {d.year}")
        forms.add(f"{d.month:02d}/{d.year}")
    if d.day:
        forms.add(f"{d.day} {MONTHS[d.month - 1]} {d.year}")
        forms.add(f"{d.day:02d}/{d.month:02d}/{d.year}")
    return forms


def hidden_strings(case, *, years: bool) -> set[str]:
    """Everything publication mode must not show (the pseudonyms in ``name`` are allowed)."""
    shown = {p.name.lower() for p in case.persons if p.name}
    out: set[str] = set()
    for p in case.persons:
        out.update(p.aliases)
        out.add(p.id)
        if p.notes:
            out.add(p.notes)
    for e in case.events:
        out.add(e.id)
        if e.summary:
            out.add(e.summary)
    for h in case.households:
        out.add(h.id)
        if h.location and h.location.town:
            out.add(h.location.town)
    if case.review.title:
        out.add(case.review.title)
    dates = []
    for p in case.persons:
        dates += [p.born, p.died]
    for r in case.relationships:
        dates += [r.start, r.end, getattr(r, "separated", None)]
    for h in case.households:
        dates += [h.start, h.end] + [m.start for m in h.members] + [m.end for m in h.members]
    dates.append(case.review.homicide_date)
    for d in filter(None, dates):
        out |= date_forms(d)
        if years:
            out.add(str(d.year))
    # never search for something a pseudonym contains (e.g. an alias "A" inside "Adult A")
    return {s for s in out if s.lower() not in shown and not any(s.lower() in n for n in shown)}


def birth_years(case) -> set[str]:
    return {str(p.born.year) for p in case.persons if p.born}


def svg_strings(svg: str) -> list[str]:
    """Text content and non-geometry attribute values of every element."""
    root = ET.fromstring(svg)
    out = []
    for el in root.iter():
        if el.text and el.text.strip():
            out.append(el.text)
        for key, value in el.attrib.items():
            if key not in GEOMETRY:
                out.append(value)
    return out


def leaks(strings: list[str], hidden: set[str]) -> list[str]:
    found = []
    for s in sorted(hidden):
        pattern = re.compile(r"(?<![0-9A-Za-z])" + re.escape(s) + r"(?![0-9A-Za-z])", re.I)
        if any(pattern.search(text) for text in strings):
            found.append(s)
    return found


def pdf_text_and_metadata(svg: str, tmp_path: Path) -> list[str]:
    if not shutil.which("pdftotext") or not shutil.which("pdfinfo"):
        pytest.fail("poppler-utils (pdftotext, pdfinfo) are needed: scripts/setup.sh installs them")
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(svg_to_pdf(svg))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    raw = pdf.read_bytes().decode("latin-1")
    info_dict = " ".join(re.findall(r"/(?:Title|Author|Subject|Keywords|Creator|Producer|CreationDate|ModDate) \([^)]*\)", raw))
    return [text, info, info_dict]


@pytest.fixture(scope="module")
def case():
    return load_case(FIXTURE)


def test_the_check_finds_leaks_when_not_in_publication_mode(case):
    svg = genogram_svg(case)
    found = leaks(svg_strings(svg), hidden_strings(case, years=True))
    assert "annabel-whitcombe" in found and "1984" in found and case.review.title in found


def test_genogram_publication_svg_and_pdf(case, tmp_path):
    svg = genogram_svg(case, GenogramOptions(publication=True, hide_children=True))
    hidden = hidden_strings(case, years=True)
    assert not leaks(svg_strings(svg), hidden)
    assert not leaks(pdf_text_and_metadata(svg, tmp_path), hidden)
    # the pseudonyms are there
    text = " ".join(svg_strings(svg))
    for p in case.persons:
        assert p.name in text


def test_hide_children_hides_their_age_and_sex(case):
    svg = genogram_svg(case, GenogramOptions(publication=True, hide_children=True))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    groups = {g.get("data-id"): g for g in root.iter(f"{ns}g") if g.get("data-kind") == "person"}
    index = {p.id: n for n, p in enumerate(case.persons)}
    for p in case.persons:
        g = groups[f"p{index[p.id] + 1}"]
        ages = [t.text for t in g if t.get("data-role") == "age"]
        if "child" in p.roles:
            assert g.get("data-sex") == "hidden" and g.get("data-shape") == "diamond"
            assert not ages, f"{p.name}: age shown"
        elif p.age is not None:
            assert ages == [str(p.age)]
    # without --hide-children the children's ages and sex are shown
    svg = genogram_svg(case, GenogramOptions(publication=True))
    root = ET.fromstring(svg)
    child = next(g for g in root.iter(f"{ns}g") if g.get("data-id") == f"p{index['clementine-crane'] + 1}")
    assert child.get("data-sex") == "female" and [t.text for t in child if t.get("data-role") == "age"] == ["9"]


def test_network_publication(case, tmp_path):
    svg = network_svg(case, NetworkOptions(publication=True, hide_children=True))
    hidden = hidden_strings(case, years=True)
    assert not leaks(svg_strings(svg), hidden)
    assert not leaks(pdf_text_and_metadata(svg, tmp_path), hidden)


def test_timeline_publication(case, tmp_path):
    svg = timeline_svg(case, TimelineOptions(publication=True))
    # a timeline has a time axis: years may show, but no exact dates and no years of birth
    hidden = hidden_strings(case, years=False) | birth_years(case)
    assert not leaks(svg_strings(svg), hidden)
    assert not leaks(pdf_text_and_metadata(svg, tmp_path), hidden)
    assert "life_event" not in svg  # births and moves would give dates of birth away


def test_the_network_and_timeline_checks_find_leaks_when_not_in_publication_mode(case):
    hidden = hidden_strings(case, years=False) | birth_years(case)
    assert "annabel-whitcombe" in leaks(svg_strings(network_svg(case)), hidden)
    found = leaks(svg_strings(timeline_svg(case)), hidden)
    assert "ev-annabel-call" in found and "Annabel Whitcombe rang 999 about Barty." in found
