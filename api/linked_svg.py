"""A genogram for the review page: each person a link to their page, with a tooltip.

The genogram SVG marks each person's group (``<g data-kind="person" data-id="...">``); here
each group is wrapped in an ``<a>`` to the person's page, with a ``<title>`` (shown on hover,
read by screen readers, and the link's accessible name on focus) giving the name, roles, age
and the events about them. The drawing itself is not changed.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any, Callable

_PERSON = re.compile(r'<g data-kind="person" data-id="([^"]+)"[^>]*>')
#: an id, and a reference to one (url(#x), href="#x"), in SVG written by dhrkg's drawings
_ID = re.compile(r'(?<=\s)id="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')
#: the prefix of the inline genogram's ids on the review page (``people`` -> ``genogram-svg-people``)
INLINE_ID_PREFIX = "genogram-svg-"


def namespace_ids(svg: str, prefix: str = INLINE_ID_PREFIX) -> str:
    """``svg`` with every id (and every reference to one) prefixed: the drawing's own groups
    (``id="people"``, ``id="genogram"``) would otherwise share an id with the page's sections,
    and a link to ``#people`` would go to whichever came first."""
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return _REFERENCE.sub(lambda m: m.group(1) + (prefix if m.group(2) in ids else "") + m.group(2), svg)
_TAG = re.compile(r"<(/?)g\b[^>]*?(/?)>")


def _group_end(svg: str, start: int) -> int:
    """The index just after the ``</g>`` closing the group opened at ``start``."""
    depth = 0
    for m in _TAG.finditer(svg, start):
        if m.group(2):  # <g/>
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(svg)


def link_people(svg: str, href: Callable[[str], str], describe: Callable[[str], str]) -> str:
    out, pos = [], 0
    for m in _PERSON.finditer(svg):
        if m.start() < pos:
            continue
        end = _group_end(svg, m.start())
        pid = m.group(1)
        label = escape(describe(pid), quote=True)
        out.append(svg[pos:m.start()])
        out.append(f'<a href="{escape(href(pid), quote=True)}" aria-label="{label}" class="person-link">'
                   f"<title>{label}</title>{svg[m.start():end]}</a>")
        pos = end
    out.append(svg[pos:])
    return "".join(out)


def describe_person(case: Any, pid: str) -> str:
    """"Name (roles), age N; M events: date type; ..." for a tooltip."""
    from dhrkg.model.summary import age_at

    person = case.person(pid)
    if person is None:
        return pid
    parts = [person.name or pid]
    if person.roles:
        parts[0] += f" ({', '.join(person.roles)})"
    age = age_at(person, case.review.homicide_date)
    if age:
        parts.append(f"age {age}")
    events = [e for e in case.events if pid in e.persons]
    if events:
        shown = "; ".join(f"{e.date} {e.type.replace('_', ' ')}" for e in events[:8])
        more = f"; and {len(events) - 8} more" if len(events) > 8 else ""
        parts.append(f"{len(events)} event{'s' if len(events) != 1 else ''}: {shown}{more}")
    return ", ".join(parts)
