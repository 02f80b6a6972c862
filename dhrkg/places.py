"""Police force areas of England and Wales, and the places in them.

Reference data shipped in ``dhrkg/data`` (see ``police_force_areas.SOURCE.md``):

- ``police_force_areas.csv``: one row per (force, local authority), for the 43
  territorial force areas, plus British Transport Police (national, no area).
  ``la_kind`` is one of ``unitary``, ``non_metropolitan_district``,
  ``metropolitan_district``, ``london_borough`` (the current local authority
  districts, with ONS codes), ``county`` (county councils), ``former_district``
  and ``former_county`` (abolished since 2009; ``successor`` names the current
  district of a former district) and ``area`` (a name with no council of its
  own lying wholly in one force area, e.g. Tyne and Wear).
- ``police_force_areas_aliases.csv``: other names for forces (``TVP``, ``Met``).
- ``towns.csv``: towns and other names (Welsh names, short forms) to the current
  local authority. A name listed under two authorities is ambiguous.

Names are matched ignoring case, accents, punctuation and "&"/"and", and with
council and police wrappers taken off: "Birmingham City Council", "City of
Westminster", "Staffordshire Police", "Stoke on Trent" all resolve.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

CURRENT_KINDS = frozenset({"unitary", "non_metropolitan_district", "metropolitan_district", "london_borough"})

# Lower is preferred when one name means several things.
_FORCE, _LA, _COUNTY, _FORMER, _TOWN = 0, 1, 2, 3, 4
_KIND_RANK = {
    **{k: _LA for k in CURRENT_KINDS},
    "county": _COUNTY,
    "former_county": _COUNTY,
    "area": _COUNTY,
    "former_district": _FORMER,
}

_PREFIXES = (
    "the ",
    "city and county of ",
    "city of ",
    "county of ",
    "royal borough of ",
    "london borough of ",
    "metropolitan borough of ",
    "county borough of ",
    "borough of ",
    "district of ",
)
_SUFFIXES = (
    " city of",
    " county of",
    " city and district council",
    " metropolitan borough council",
    " county borough council",
    " borough council",
    " city council",
    " county council",
    " district council",
    " unitary authority",
    " council",
    " police force area",
    " force area",
    " police service",
    " police force",
    " police",
    " constabulary",
    " england",
    " wales",
    " uk",
)


@dataclass(frozen=True)
class LocalAuthority:
    """A local authority (current, county, former) or other named area, and its force area."""

    name: str
    kind: str
    code: str
    force_area: str
    successor: str = ""

    @property
    def current(self) -> bool:
        return self.kind in CURRENT_KINDS


@dataclass(frozen=True)
class ForceArea:
    """A police force and the area it polices (none for a national force)."""

    name: str
    force_name: str
    force_type: str  # "territorial" or "national"
    country: str
    local_authorities: tuple[str, ...]  # current local authority districts
    counties: tuple[str, ...]
    former_local_authorities: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def territorial(self) -> bool:
        return self.force_type == "territorial"


@dataclass(frozen=True)
class _Entry:
    rank: int
    force_area: str
    local_authority: str  # the current LA (or county) this name stands for, "" if none


def normalise_place_name(name: str) -> str:
    """Lower-case ASCII words: accents, apostrophes and punctuation gone, '&' as 'and'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"\bst\.", "st ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _variants(name: str) -> list[str]:
    """The normalised name, then forms with council/police wrappers taken off, most specific first."""
    out: list[str] = []
    todo = [normalise_place_name(name)]
    while todo:
        key = todo.pop(0)
        if not key or key in out:
            continue
        out.append(key)
        for p in _PREFIXES:
            if key.startswith(p):
                todo.append(key[len(p):])
        for s in _SUFFIXES:
            if key.endswith(s):
                todo.append(key[: -len(s)])
    return out


def _data_rows(filename: str) -> list[dict[str, str]]:
    ref = resources.files("dhrkg").joinpath("data", filename)
    with ref.open("r", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@functools.cache
def _tables() -> tuple[tuple[ForceArea, ...], tuple[LocalAuthority, ...], dict[str, tuple[_Entry, ...]]]:
    rows = _data_rows("police_force_areas.csv")
    alias_rows = _data_rows("police_force_areas_aliases.csv")
    town_rows = _data_rows("towns.csv")

    aliases: dict[str, list[str]] = {}
    for r in alias_rows:
        aliases.setdefault(r["force_area"], []).append(r["alias"])

    order: list[str] = []
    meta: dict[str, dict[str, str]] = {}
    las: list[LocalAuthority] = []
    for r in rows:
        area = r["force_area"]
        if area not in meta:
            order.append(area)
            meta[area] = r
        if r["local_authority"]:
            las.append(LocalAuthority(r["local_authority"], r["la_kind"], r["la_code"], area, r["successor"]))

    forces = []
    for area in order:
        m = meta[area]
        mine = [la for la in las if la.force_area == area]
        forces.append(
            ForceArea(
                name=area,
                force_name=m["force_name"],
                force_type=m["force_type"],
                country=m["country"],
                local_authorities=tuple(la.name for la in mine if la.current),
                counties=tuple(la.name for la in mine if la.kind == "county"),
                former_local_authorities=tuple(la.name for la in mine if la.kind in ("former_district", "former_county")),
                aliases=tuple(aliases.get(area, ())),
            )
        )
    unknown = set(aliases) - set(meta)
    if unknown:
        raise ValueError(f"police_force_areas_aliases.csv: unknown force area(s) {sorted(unknown)}")

    index: dict[str, list[_Entry]] = {}

    def add(name: str, entry: _Entry) -> None:
        keys = {normalise_place_name(name)}
        # ONS writes "Bristol, City of" and "Herefordshire, County of".
        m = re.match(r"^(.*), (City|County) of$", name)
        if m:
            keys.add(normalise_place_name(m.group(1)))
        for key in keys:
            bucket = index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    for f in forces:
        for name in (f.name, f.force_name, *f.aliases):
            add(name, _Entry(_FORCE, f.name, ""))
    la_force = {la.name: la.force_area for la in las if la.current}
    for la in las:
        if la.kind == "former_district":
            add(la.name, _Entry(_FORMER, la.force_area, la.successor))
        elif la.kind in ("former_county", "area"):
            add(la.name, _Entry(_COUNTY, la.force_area, ""))
        else:
            add(la.name, _Entry(_KIND_RANK[la.kind], la.force_area, la.name))
    for r in town_rows:
        la = r["local_authority"]
        if la not in la_force:
            raise ValueError(f"towns.csv: {r['town']!r} names {la!r}, which is not a current local authority")
        add(r["town"], _Entry(_TOWN, la_force[la], la))

    return tuple(forces), tuple(las), {k: tuple(v) for k, v in index.items()}


def force_areas(include_national: bool = False) -> list[ForceArea]:
    """The 43 territorial force areas (and British Transport Police if ``include_national``)."""
    forces, _, _ = _tables()
    return [f for f in forces if include_national or f.territorial]


def local_authorities(current_only: bool = True) -> list[LocalAuthority]:
    """Current local authority districts, or with ``current_only=False`` also counties, former districts and areas."""
    _, las, _ = _tables()
    return [la for la in las if la.current or not current_only]


def _lookup(name: str, keep) -> list[_Entry]:
    """Entries of the best rank for the first variant of ``name`` that has any kept entry."""
    _, _, index = _tables()
    for key in _variants(name):
        found = [e for e in index.get(key, ()) if keep(e)]
        if found:
            best = min(e.rank for e in found)
            return [e for e in found if e.rank == best]
    return []


def find_force(name: str) -> ForceArea | None:
    """The force (territorial or national) a name, alias or "X Police"/"X Constabulary" form denotes."""
    if not name or not name.strip():
        return None
    hits = _lookup(name, lambda e: e.rank == _FORCE)
    if not hits:
        return None
    forces, _, _ = _tables()
    return next(f for f in forces if f.name == hits[0].force_area)


def canonical_force_area(name: str) -> str | None:
    """The canonical name of the territorial force area ``name`` denotes, else None."""
    force = find_force(name)
    return force.name if force is not None and force.territorial else None


def is_force_area(name: str) -> bool:
    """Whether ``name`` is one of the 43 territorial police force areas (or an accepted form of one)."""
    return canonical_force_area(name) is not None


def _resolve(name: str, keep) -> list[_Entry]:
    """Best entries for a place name; "Town, County" forms use the later parts to pick among ambiguous ones."""
    if not name or not name.strip():
        return []
    hits = _lookup(name, keep)
    if hits or "," not in name:
        return hits
    parts = [p for p in (s.strip() for s in name.split(",")) if p]
    if not parts:
        return []
    first, *context = parts
    hits = _lookup(first, keep)
    if not hits or not context:
        return hits
    forces: set[str] = set()
    las: set[str] = set()
    for part in context:
        for e in _lookup(part, lambda e: True):
            forces.add(e.force_area)
            if e.local_authority:
                las.add(e.local_authority)
    if not forces:  # "Stafford, UK": the rest says nothing we know
        return hits
    # Keep what agrees with the rest; nothing if none does ("Newport, Isle of Wight").
    return [e for e in hits if e.local_authority in las] or [e for e in hits if e.force_area in forces]


def force_area_for_place(name: str) -> str | None:
    """The territorial force area of a force, town, local authority, county or former district; None if unknown or ambiguous."""
    forces = {f.name for f in force_areas()}
    areas = {e.force_area for e in _resolve(name, lambda e: e.force_area in forces)}
    return areas.pop() if len(areas) == 1 else None


def local_authority_for_town(name: str) -> str | None:
    """The current local authority (ONS name) of a town, local authority or former district; None if unknown or ambiguous.

    A county council name gives the county ("Worcestershire"); a former
    district gives its successor ("Harrogate" -> "North Yorkshire").
    """
    las = {e.local_authority for e in _resolve(name, lambda e: bool(e.local_authority))}
    return las.pop() if len(las) == 1 else None


def csp_area_name(csp: str) -> str:
    """The Area name of a CSP: case files name a CSP in full ("Stafford Community Safety
    Partnership"), the DHRD by its place ("Stafford"); both land on one Area."""
    csp = " ".join(csp.split())
    return csp if re.search(r"community safety partnership$", csp, re.I) else f"{csp} Community Safety Partnership"
