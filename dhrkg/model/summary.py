"""What a chair checks first: a one-screen summary of a case file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from dhrkg.terminal import wrapped

from .dates import PartialDate
from .model import CaseFile, Person


def age_at(person: Person, when: PartialDate | None) -> str | None:
    """The person's age as the file gives it, else as far as birth and reference date tell."""
    if person.unborn:
        return "unborn"
    if person.age is not None:
        return str(person.age)
    if person.age_months is not None:
        return f"{person.age_months} months"
    if person.born is None or when is None:
        return None
    # Youngest and oldest possible ages; print one number when they agree.
    lo = _years_between(person.born.latest, when.earliest)
    hi = _years_between(person.born.earliest, when.latest)
    if lo < 0:
        return None
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _years_between(a: dt.date, b: dt.date) -> int:
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


@dataclass
class CaseSummary:
    review_id: str
    title: str | None
    force_area: str | None
    homicide_date: PartialDate | None
    people: list[tuple[str, str, str, list[str], str | None]] = field(default_factory=list)
    agencies_by_type: dict[str, list[str]] = field(default_factory=dict)
    chronology_span: tuple[PartialDate, PartialDate] | None = None
    counts: dict[str, int] = field(default_factory=dict)
    event_types: Counter = field(default_factory=Counter)


def summarise(case: CaseFile) -> CaseSummary:
    r = case.review
    s = CaseSummary(r.id, r.title, r.police_force_area, r.homicide_date)
    role_order = ["victim", "perpetrator", "child", "family", "friend", "witness", "other"]

    def rank(p: Person) -> int:
        return min((role_order.index(x) for x in p.roles), default=len(role_order))

    for p in sorted(case.persons, key=rank):
        s.people.append((p.id, p.name or p.id, p.sex or "unknown", list(p.roles), age_at(p, r.homicide_date)))
    for a in case.agencies:
        # by name, as the queries and the chronology show agencies (not "WMP" here and
        # "West Midlands Police" there)
        s.agencies_by_type.setdefault(a.type, []).append(a.name)
    dated = sorted((e.date for e in case.events), key=lambda d: d.earliest)
    if dated:
        s.chronology_span = (dated[0], max((e.until or e.date for e in case.events), key=lambda d: d.latest))
    s.counts = {
        "persons": len(case.persons),
        "relationships": len(case.relationships),
        "households": len(case.households),
        "agencies": len(case.agencies),
        "events": len(case.events),
        "recommendations": len(case.recommendations),
    }
    s.event_types = Counter(e.type for e in case.events)
    return s


def as_dict(s: CaseSummary) -> dict:
    """The summary as plain JSON-ready data (``dhrkg summary --json`` and the HTTP API)."""
    return {
        "review": s.review_id, "title": s.title, "police_force_area": s.force_area,
        "homicide_date": str(s.homicide_date) if s.homicide_date else None,
        "people": [{"id": i, "name": n, "sex": x, "roles": r, "age": a} for i, n, x, r, a in s.people],
        "agencies_by_type": s.agencies_by_type,
        "chronology": [str(d) for d in s.chronology_span] if s.chronology_span else None,
        "counts": s.counts, "event_types": dict(s.event_types),
    }


def render_text(s: CaseSummary) -> str:
    """Plain text for the terminal (and for pasting)."""
    lines = [f"Review {s.review_id}"]
    if s.title:
        lines.append(f"  {s.title}")
    lines.append(f"  force area: {s.force_area or 'not given'}    homicide: {s.homicide_date or 'not given'}")
    lines.append("")
    lines.append(f"People ({len(s.people)}):")
    for pid, name, sex, roles, age in s.people:
        age_text = "" if not age else (", unborn" if age == "unborn" else f", age {age}")
        lines.append(f"  {pid:<16} {name:<28} {sex:<8} {', '.join(roles) or '-'}{age_text}")
    lines.append("")
    lines.append(f"Agencies ({sum(len(v) for v in s.agencies_by_type.values())}) by type:")
    for kind in sorted(s.agencies_by_type):
        names = s.agencies_by_type[kind]
        head = f"  {kind:<24} {len(names):>3}  "
        for i, name in enumerate(names):  # one a line, within 80 columns
            lines.extend(wrapped((head if i == 0 else " " * len(head)) + name,
                                 indent=" " * (len(head) + 2)).splitlines())
    lines.append("")
    if s.chronology_span:
        lines.append(f"Chronology: {s.chronology_span[0]} to {s.chronology_span[1]}")
    else:
        lines.append("Chronology: no events")
    top = ", ".join(f"{k} {v}" for k, v in s.event_types.most_common(6))
    if top:
        lines.append(f"  most common event types: {top}")
    lines.append("")
    lines.append("Counts: " + ", ".join(f"{k} {v}" for k, v in s.counts.items()))
    return "\n".join(lines)
