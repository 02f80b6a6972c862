"""Regenerate the generated parts of dhr.ttl and shapes.ttl, and docs/ontology.md.

``python -m dhrkg.ontology.build`` rewrites everything below the "generated"
marker line of ``dhr.ttl`` (the SKOS concept schemes) and ``shapes.ttl`` (the
lists of allowed concepts), and writes the human-readable page
``docs/ontology.md`` when run from a checkout. ``--check`` only reports
whether the files are up to date (exit status 1 if not).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .schemes import ConceptScheme, all_schemes
from .vocab import SCHEMES

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "dhr.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
DOCS_FILE = HERE.parent / "docs" / "ontology.md"
MARKER = "# === generated below by `python -m dhrkg.ontology.build`; do not edit by hand ==="

_SIMPLE_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def turtle_string(text: str, lang: str | None = "en") -> str:
    """A Turtle string literal with the escapes Turtle requires."""
    esc = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{esc}"' + (f"@{lang}" if lang else "")


def concept_ref(scheme: ConceptScheme, value: str) -> str:
    """``event-type:incident``, or the full IRI where the local name is not a plain name."""
    if _SIMPLE_LOCAL.match(value):
        return f"{scheme.slug}:{value}"
    return f"<{SCHEMES[scheme.slug][value]}>"


def scheme_turtle(scheme: ConceptScheme) -> str:
    tops = [c for c in scheme.concepts if c.broader is None]
    lines = [
        f"# --- {scheme.label} ({scheme.slug}:) ---",
        "",
        f"dhr:{scheme.name} a skos:ConceptScheme ;",
        f"    rdfs:label {turtle_string(scheme.label)} ;",
        f"    skos:prefLabel {turtle_string(scheme.label)} ;",
        f"    skos:definition {turtle_string(scheme.definition)} ;",
    ]
    if scheme.source:
        lines.append(f"    dcterms:source {turtle_string(scheme.source, None)} ;")
    lines.append("    skos:hasTopConcept " + " ,\n        ".join(concept_ref(scheme, c.value) for c in tops) + " .")
    lines.append("")
    for c in scheme.concepts:
        types = "skos:Concept" + (f" , dhr:{scheme.concept_class}" if scheme.concept_class else "")
        parts = [
            f"{concept_ref(scheme, c.value)} a {types} ;",
            f"    skos:inScheme dhr:{scheme.name} ;",
        ]
        if c.broader is None:
            parts.append(f"    skos:topConceptOf dhr:{scheme.name} ;")
        else:
            parts.append(f"    skos:broader {concept_ref(scheme, c.broader)} ;")
        parts.append(f"    rdfs:label {turtle_string(c.label)} ;")
        parts.append(f"    skos:prefLabel {turtle_string(c.label)} ;")
        for alt in c.alt_labels:
            parts.append(f"    skos:altLabel {turtle_string(alt)} ;")
        notation = c.notation if c.notation is not None else (c.value if scheme.literal is not None else None)
        if notation is not None:
            parts.append(f"    skos:notation {turtle_string(notation, None)} ;")
        parts.append(f"    skos:definition {turtle_string(c.definition)} .")
        lines.extend(parts)
        lines.append("")
    return "\n".join(lines)


def generated_ontology() -> str:
    schemes = all_schemes()
    head = [f"@prefix {s.slug}: <{SCHEMES[s.slug]}> ." for s in schemes]
    return "\n".join(head) + "\n\n" + "\n".join(scheme_turtle(s) for s in schemes)


def generated_shapes() -> str:
    """One node shape per concept scheme: the value must be one of its concepts."""
    out = []
    for s in all_schemes():
        out.append(f"@prefix {s.slug}: <{SCHEMES[s.slug]}> .")
    out.append("")
    for s in all_schemes():
        members = "\n        ".join(concept_ref(s, c.value) for c in s.concepts)
        out.append(f"dhrsh:{s.name}Value a sh:NodeShape ;")
        out.append(f"    rdfs:comment {turtle_string('A concept of dhr:' + s.name + '.')} ;")
        out.append(f"    sh:in (\n        {members}\n    ) .")
        out.append("")
    return "\n".join(out)


def _with_generated(path: Path, generated: str) -> str:
    text = path.read_text(encoding="utf-8")
    idx = text.find(MARKER)
    if idx < 0:
        raise SystemExit(f"{path}: marker line not found: {MARKER}")
    return text[: idx + len(MARKER)] + "\n\n" + generated.rstrip() + "\n"


def outputs() -> dict[Path, str]:
    """Every generated file and the text it should have."""
    from .docs import ontology_markdown

    files = {
        ONTOLOGY_FILE: _with_generated(ONTOLOGY_FILE, generated_ontology()),
        SHAPES_FILE: _with_generated(SHAPES_FILE, generated_shapes()),
    }
    files[DOCS_FILE] = ontology_markdown(files[ONTOLOGY_FILE])
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = ap.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if args.check and stale:
        for p in stale:
            print(f"out of date: {p}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
