"""Confidence of drafted records, from the rules of ``rules/confidence.yaml``.

Every record starts at 1.0; each rule whose condition holds (an uncertain person, a date
taken from context, an event with no agency ...) multiplies it by the rule's factor. The
draft shows the result and the rules above each record (``# confidence 0.48: ...``), can
be sorted least sure first, and records below a threshold can be left out
(``dhrkg extract --min-confidence``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .rules import load_rules

SECTIONS = ("persons", "relationships", "agencies", "events", "recommendations")


@dataclass(frozen=True)
class Confidence:
    score: float
    rules: tuple[str, ...]

    def comment(self) -> str:
        return f"# confidence {self.score:.2f}" + (f": {', '.join(self.rules)}" if self.rules else "")


def record_key(section: str, rec: dict) -> str:
    if section == "relationships":
        return f"{rec.get('from')}|{rec.get('type')}|{rec.get('to')}"
    return str(rec.get("id"))


def holds(when: dict[str, Any], rec: dict) -> bool:
    """Whether a rule's condition holds for a record (see the rules file)."""
    for name, pattern in when.items():
        value = rec.get(name)
        if pattern is None:
            if value not in (None, [], ""):
                return False
        elif value is None or not re.search(str(pattern), str(value)):
            return False
    return True


def _uncertain_ids(data: dict) -> set[str]:
    return {r["id"] for s in ("persons", "agencies") for r in data.get(s, [])
            if str(r.get("notes", "")).startswith("uncertain")}


def _with_derived(section: str, rec: dict, uncertain: set[str]) -> dict:
    refs = {rec.get("from"), rec.get("to")} if section == "relationships" else {rec.get("agency")}
    if refs & uncertain:
        return {**rec, "ends_uncertain": "yes"}
    return rec


def score_records(data: dict) -> dict[tuple[str, str], Confidence]:
    rules = load_rules("confidence").active()
    uncertain = _uncertain_ids(data)
    out: dict[tuple[str, str], Confidence] = {}
    for section in SECTIONS:
        mine = [r for r in rules if r.assigns["section"] == section]
        for rec in data.get(section, []):
            view = _with_derived(section, rec, uncertain)
            fired = [r for r in mine if holds(r.assigns["when"], view)]
            score = 1.0
            for r in fired:
                score *= float(r.assigns["factor"])
            out[(section, record_key(section, rec))] = Confidence(round(score, 2), tuple(r.id for r in fired))
    return out


def drop_below(data: dict, confidence: dict[tuple[str, str], Confidence], threshold: float) -> dict:
    """The draft without the records whose confidence is below ``threshold`` (references to dropped
    persons and agencies are cleared later, when the draft is made valid)."""
    out = dict(data)
    for section in SECTIONS:
        out[section] = [r for r in data.get(section, [])
                        if confidence.get((section, record_key(section, r)), Confidence(1.0, ())).score >= threshold]
    return out


_SECTION_KEY = re.compile(r"^([a-z_]+):")


def annotate_yaml(text: str, data: dict, confidence: dict[tuple[str, str], Confidence]) -> str:
    """The YAML with a confidence comment above every record of the five sections (in ``data`` order)."""
    lines, out = text.split("\n"), []
    section, index = None, 0
    for line in lines:
        m = _SECTION_KEY.match(line)
        if m:
            section, index = m.group(1), 0
        elif section in SECTIONS and line.startswith("- "):
            records = data.get(section, [])
            if index < len(records):
                c = confidence.get((section, record_key(section, records[index])))
                if c is not None:
                    out.append(c.comment())
            index += 1
        out.append(line)
    return "\n".join(out)
