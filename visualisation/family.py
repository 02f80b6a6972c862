"""The family structure a genogram draws, read from a case file.

A :class:`Family` holds what the drawing needs and nothing else: the people
(with sex, age at the reference date, death, victim/perpetrator markers), the
couples (stated partnerships, and parents of a shared child who are not stated
partners), the sibships (children of one couple or one parent, in birth order),
abuse and other relations, households, and a generation number for everyone.

Everything is derived from :class:`~dhrkg.model.model.CaseFile`, so a
review read back from the graph store (turned into a ``CaseFile``) draws the same.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from dhrkg.model.dates import PartialDate
from dhrkg.model.model import CaseFile, Person

#: Kinds of parent link that hang a child from its parents (a step-parent gets no child line).
CHILD_LINKS = ("biological", "adoptive", "foster")
#: Relationship types drawn as a plain "other relation" line to someone otherwise unconnected.
OTHER_RELATIONS = ("relative", "friend", "associate", "carer")
#: Drawing order of abuse kinds: the first one a relationship has sets its line style.
ABUSE_STYLE_ORDER = ("physical", "sexual", "coercive_control", "emotional")


class FamilyError(ValueError):
    """The case file cannot be drawn as asked (unknown person id, nothing left to draw)."""


@dataclass
class FamilyPerson:
    id: str
    index: int  # position in the case file's persons list
    label: str  # name or pseudonym as shown
    sex: str  # "male" | "female" | "unknown" (as drawn: "hidden" when withheld)
    born: Optional[PartialDate]
    died: Optional[PartialDate]
    dead: bool
    unborn: bool
    lost: bool  # unborn child lost (with its mother's death or its own)
    victim: bool
    perpetrator: bool
    child: bool  # a child at the reference date (for hiding children's details)
    age: Optional[str]  # age at the reference date, as drawn inside the symbol
    gestation: Optional[str]
    birth_key: tuple
    gen: int = 0
    kin: bool = False  # has a parent, partner or sibling link
    roles: tuple[str, ...] = ()
    events: int = 0  # chronology events that name the person


@dataclass
class Couple:
    a: str
    b: str
    kind: str  # married | civil_partnership | cohabiting | dating | unknown | unstated
    status: Optional[str]  # current | former | None
    slashes: int  # 0 together, 1 separated, 2 divorced or ended
    start: Optional[PartialDate]
    separated: Optional[PartialDate]
    end: Optional[PartialDate]
    abusive: bool
    stated: bool  # a partner relationship in the file (not only parents of a shared child)
    order: int  # position of the record in the file

    @property
    def key(self) -> frozenset:
        return frozenset((self.a, self.b))

    def date_key(self) -> tuple:
        """Sort key for date order: current last, then by start/separation/end, then file order."""
        when = self.start or self.separated or self.end
        current = 1 if self.status == "current" else 0
        return (current, when.earliest if when else dt.date.max, self.order)


@dataclass
class ChildLink:
    child: str
    link: str  # biological | adoptive | foster
    inferred: bool = False  # placed with a full sibling's parents (not stated in the file)


@dataclass
class Sibship:
    parents: tuple[str, ...]  # 2 (a couple), 1 (a single parent), 0 (siblings, parents not given)
    children: list[ChildLink]

    @property
    def key(self) -> str:
        return "+".join(self.parents) if self.parents else "siblings:" + "+".join(c.child for c in self.children)


@dataclass
class Relation:
    """A line that is not kinship: abuse (directed) or another relation (friend, relative...)."""

    kind: str  # "abuse" | "relation"
    source: str
    target: str
    relation: str  # abuse: the style kind (physical...); relation: friend/relative/associate/carer
    kinds: tuple[str, ...] = ()
    label: Optional[str] = None
    certainty: Optional[str] = None
    directed: bool = True
    order: int = 0


@dataclass
class DrawnHousehold:
    id: str
    members: list[str]
    place: Optional[str]


@dataclass
class Family:
    review_id: str
    reference: str
    title: Optional[str]
    reference_date: Optional[PartialDate]
    reference_is_homicide: bool
    persons: dict[str, FamilyPerson]
    couples: list[Couple]
    sibships: list[Sibship]
    relations: list[Relation]
    households: list[DrawnHousehold]
    warnings: list[str] = field(default_factory=list)
    step_links: list[tuple[str, str]] = field(default_factory=list)  # (step-parent, child)

    def ordered_persons(self) -> list[FamilyPerson]:
        return sorted(self.persons.values(), key=lambda p: p.index)


# --------------------------------------------------------------------------- helpers

_GESTATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*(weeks?|wks?|months?)['\u2019]?\s*(?:gestation|pregnant)", re.I)


def _gestation(person: Person) -> Optional[str]:
    """Gestation as the notes give it ("13 weeks' gestation", "5.5 months pregnant")."""
    if not person.notes:
        return None
    m = _GESTATION.search(person.notes)
    if not m:
        return None
    unit = "wks" if m.group(2).lower().startswith("w") else "months"
    return f"{m.group(1)} {unit}"


_MONTHS_OLD = re.compile(r"\baged\s+(\d{1,2})\s*months?\b|\b(\d{1,2})\s*months?\s+old\b", re.I)


def _infant_age(person: Person) -> str:
    """A child under one: months from the notes ("aged 11 months at the death"), else "<1"."""
    m = _MONTHS_OLD.search(person.notes or "")
    months = int(m.group(1) or m.group(2)) if m else 12
    return f"{months}m" if months < 12 else "<1"


def _years_between(a: dt.date, b: dt.date) -> int:
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def age_text(person: Person, ref: Optional[PartialDate], ref_is_homicide: bool) -> Optional[str]:
    """Age at the reference date (at death if they died before it), as short text."""
    if person.unborn:
        return None
    if ref_is_homicide:
        if person.age == 0 and person.age_months is None:
            return _infant_age(person)
        if person.age is not None:
            return str(person.age)
        if person.age_months is not None:
            return f"{person.age_months}m"
    if ref is None or person.born is None:
        return None
    end = ref
    if person.died is not None and person.died.earliest <= ref.latest:
        end = person.died
    lo = _years_between(person.born.latest, end.earliest)
    hi = _years_between(person.born.earliest, end.latest)
    if hi < 0:
        return None
    lo = max(lo, 0)
    if hi == 0 and person.born.precision == "day" and end.precision == "day":
        months = (end.earliest.year - person.born.earliest.year) * 12 + end.earliest.month - person.born.earliest.month
        if end.earliest.day < person.born.earliest.day:
            months -= 1
        return f"{max(months, 0)}m"
    return str(lo) if lo == hi else f"{lo}\u2013{hi}"


def _age_years(person: Person, ref: Optional[PartialDate], ref_is_homicide: bool) -> Optional[float]:
    if ref_is_homicide and person.age is not None:
        return float(person.age)
    if ref_is_homicide and person.age_months is not None:
        return person.age_months / 12
    if ref is not None and person.born is not None:
        return float(_years_between(person.born.earliest, ref.latest))
    return None


def birth_key(person: Person, index: int, homicide: Optional[PartialDate]) -> tuple:
    """Sort key for birth order: by date of birth, or as estimated from the age at the
    homicide; unborn children last; people with neither keep their order in the file."""
    if person.unborn:
        return (1, dt.date.max, index)
    if person.born is not None:
        return (0, person.born.earliest + (person.born.latest - person.born.earliest) / 2, index)
    if homicide is not None and (person.age is not None or person.age_months is not None):
        months = person.age * 12 + 6 if person.age is not None else person.age_months
        when = homicide.earliest
        total = when.year * 12 + when.month - 1 - months
        return (0, dt.date(total // 12, total % 12 + 1, 1), index)
    return (0, dt.date.max, index)


class _UnionFind:
    def __init__(self, items: Iterable[str]):
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # deterministic: keep the smaller root
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


# --------------------------------------------------------------------------- building


@dataclass
class FamilyOptions:
    reference_date: Optional[PartialDate] = None  # default: the homicide date
    households: str = "current"  # current | all | none
    person: Optional[str] = None  # centre on this person
    up: int = 2
    down: int = 2
    perpetrator_partners: bool = True  # always include perpetrators' partners and their children
    publication: bool = False
    hide_children: bool = False


@dataclass
class _Records:
    """A case file's relationships sorted by what they become in the genogram."""

    parent_links: dict[str, list[tuple[str, str]]]  # child -> [(parent, kind)]
    step_links: list[tuple[str, str]] = field(default_factory=list)
    partners: list[tuple[int, object]] = field(default_factory=list)  # (order in the file, record)
    siblings: list = field(default_factory=list)
    abuse: list[tuple[int, object]] = field(default_factory=list)
    others: list[tuple[int, object]] = field(default_factory=list)


def build_family(case: CaseFile, options: Optional[FamilyOptions] = None) -> Family:
    """The family structure of a case file, for a genogram."""
    opts = options or FamilyOptions()
    review = case.review
    ref = opts.reference_date or review.homicide_date
    ref_is_homicide = ref is not None and review.homicide_date is not None and str(ref) == str(review.homicide_date)
    by_id = {p.id: p for p in case.persons}
    records = _sort_records(case, by_id)
    persons = _family_persons(case, records, ref, ref_is_homicide, opts.publication)
    inferred = _infer_sibling_parents(by_id, records)
    couples = _stated_couples(records)
    sibships = _sibships(case, records, couples, inferred)
    sibships.update(_parentless_sibships(by_id, records))
    for sib in sibships.values():
        sib.children.sort(key=lambda c: persons[c.child].birth_key)
    relations = _abuse_relations(records, couples)
    kin_ids = _mark_kin(persons, couples, sibships, records.step_links)
    relations += _other_relations(records, kin_ids)
    family = Family(
        review_id=review.id,
        reference=review.reference or review.id,
        title=review.title,
        reference_date=ref,
        reference_is_homicide=ref_is_homicide,
        persons=persons,
        couples=sorted(couples.values(), key=lambda c: c.order),
        sibships=list(sibships.values()),
        relations=relations,
        households=[],
        warnings=[],
        step_links=list(records.step_links),
    )
    _assign_generations(family, records.step_links)
    if opts.person is not None:
        _select_around(family, opts.person, opts.up, opts.down, opts.perpetrator_partners)
    family.households = _households(case, family, opts.households, ref)
    return family


def _sort_records(case: CaseFile, by_id: dict) -> _Records:
    """Parent links (step-parents apart), partnerships, siblings, abuse and other relations; records
    naming someone not in the file, or the same person twice, are left out."""
    records = _Records({p.id: [] for p in case.persons})
    for order, rel in enumerate(case.relationships):
        a, b = rel.from_, rel.to
        if a not in by_id or b not in by_id or a == b:
            continue
        if rel.type == "parent":
            kind = rel.kind or "biological"
            if kind == "step":
                records.step_links.append((a, b))
            elif (a, kind) not in records.parent_links[b]:
                records.parent_links[b].append((a, kind))
        elif rel.type == "partner":
            records.partners.append((order, rel))
        elif rel.type == "sibling":
            records.siblings.append(rel)
        elif rel.type == "abuse":
            records.abuse.append((order, rel))
        elif rel.type in OTHER_RELATIONS:
            records.others.append((order, rel))
    return records


def _family_persons(case: CaseFile, records: _Records, ref: Optional[PartialDate], ref_is_homicide: bool,
                    publication: bool) -> dict[str, FamilyPerson]:
    """Everyone as drawn: label, markers, age at the reference date."""
    homicide = case.review.homicide_date
    dead_victims = {p.id for p in case.persons if "victim" in p.roles and p.died is not None}
    persons: dict[str, FamilyPerson] = {}
    for index, p in enumerate(case.persons):
        years = _age_years(p, ref, ref_is_homicide)
        is_child = bool(p.unborn) or "child" in p.roles or (years is not None and years < 18)
        dead = p.died is not None and (ref is None or p.died.earliest <= ref.latest) and not p.unborn
        lost = bool(p.unborn) and (
            p.died is not None or any(par in dead_victims for par, _ in records.parent_links[p.id])
        )
        label = p.name or p.id
        if publication and not p.name:
            label = f"person {index + 1}"
        persons[p.id] = FamilyPerson(
            id=p.id, index=index, label=label, sex=p.sex or "unknown", born=p.born, died=p.died,
            dead=dead, unborn=bool(p.unborn), lost=lost, victim="victim" in p.roles,
            perpetrator="perpetrator" in p.roles, child=is_child,
            age=age_text(p, ref, ref_is_homicide), gestation=_gestation(p) if p.unborn else None,
            birth_key=birth_key(p, index, homicide), roles=tuple(p.roles),
            events=sum(p.id in e.persons for e in case.events),
        )
    return persons


def _infer_sibling_parents(by_id: dict, records: _Records) -> set[tuple[str, str]]:
    """Full siblings without parents take their siblings' parents (a full sibling shares both);
    returns the (parent, child) links so added."""
    parent_links = records.parent_links
    sib_uf = _UnionFind(by_id)
    for rel in records.siblings:
        if (rel.kind or "full") == "full":
            sib_uf.union(rel.from_, rel.to)
    inferred: set[tuple[str, str]] = set()
    groups: dict[str, list[str]] = {}
    for pid in by_id:
        groups.setdefault(sib_uf.find(pid), []).append(pid)
    for members in groups.values():
        if len(members) < 2:
            continue
        sets = {tuple(sorted(par for par, k in parent_links[m] if k == "biological")) for m in members}
        sets.discard(())
        if len(sets) != 1:
            continue
        parents = next(iter(sets))
        for m in members:
            if not any(k == "biological" for _, k in parent_links[m]):
                for par in parents:
                    parent_links[m].append((par, "biological"))
                    inferred.add((par, m))
    return inferred


def _slashes(rel) -> int:
    """Slashes on a couple line: a former marriage or civil partnership with no end date one (a
    divorce is not stated), any other former relationship two; separated one."""
    if rel.status == "former":
        return 1 if (rel.kind or "unknown") in ("married", "civil_partnership") and rel.end is None else 2
    return 1 if rel.separated is not None else 0


def _stated_couples(records: _Records) -> dict[frozenset, Couple]:
    couples: dict[frozenset, Couple] = {}
    for order, rel in records.partners:
        key = frozenset((rel.from_, rel.to))
        couple = Couple(rel.from_, rel.to, rel.kind or "unknown", rel.status, _slashes(rel), rel.start,
                        rel.separated, rel.end, bool(rel.abusive), True, order)
        if key in couples:
            prev = couples[key]
            # two records for one couple: keep the later status (the current one)
            if (couple.status == "current") or prev.status != "current":
                couple.order = prev.order
                couples[key] = couple
        else:
            couples[key] = couple
    return couples


def _sibships(case: CaseFile, records: _Records, couples: dict[frozenset, Couple],
              inferred: set[tuple[str, str]]) -> dict[tuple, Sibship]:
    """Children by the parents (a couple, else one parent) and kind of link they hang from; the
    parents of a shared child who are not recorded as partners become an unstated couple."""
    sibships: dict[tuple, Sibship] = {}
    implicit_order = len(case.relationships)
    for child in case.persons:
        by_kind: dict[str, list[str]] = {}
        for par, kind in records.parent_links[child.id]:
            by_kind.setdefault(kind, []).append(par)
        for kind in CHILD_LINKS:
            pars = by_kind.get(kind)
            if not pars:
                continue
            for group in _pair_parents(pars, couples):
                if len(group) == 2:
                    key = frozenset(group)
                    if key not in couples:
                        couples[key] = Couple(group[0], group[1], "unstated", None, 0, None, None, None,
                                              False, False, implicit_order)
                        implicit_order += 1
                    couple = couples[key]
                    group = (couple.a, couple.b)
                skey = tuple(group)
                sib = sibships.setdefault(skey, Sibship(skey, []))
                if all(c.child != child.id for c in sib.children):
                    sib.children.append(ChildLink(child.id, kind, all((par, child.id) in inferred for par in group)))
    return sibships


def _parentless_sibships(by_id: dict, records: _Records) -> dict[tuple, Sibship]:
    """Siblings none of whom has parents in the file: one sibship of their own per group."""
    any_uf = _UnionFind(by_id)
    for rel in records.siblings:
        any_uf.union(rel.from_, rel.to)
    sib_groups: dict[str, list[str]] = {}
    for pid in by_id:
        sib_groups.setdefault(any_uf.find(pid), []).append(pid)
    out: dict[tuple, Sibship] = {}
    for members in sib_groups.values():
        orphans = [m for m in members if not records.parent_links[m]]
        if len(orphans) >= 2 and len(orphans) == len(members):
            out[("",) + tuple(sorted(orphans))] = Sibship((), [ChildLink(m, "biological") for m in orphans])
    return out


def _abuse_relations(records: _Records, couples: dict[frozenset, Couple]) -> list[Relation]:
    """Abuse records (styled by their first kind in ABUSE_STYLE_ORDER), and partnerships marked
    abusive with no abuse record (undirected)."""
    relations: list[Relation] = []
    abused_pairs = set()
    for order, rel in records.abuse:
        kinds = tuple(rel.kinds)
        style = next((k for k in ABUSE_STYLE_ORDER if k in kinds), "other")
        relations.append(Relation("abuse", rel.from_, rel.to, style, kinds, None, rel.certainty, True, order))
        abused_pairs.add(frozenset((rel.from_, rel.to)))
    for couple in couples.values():
        if couple.abusive and couple.key not in abused_pairs:
            relations.append(Relation("abuse", couple.a, couple.b, "other", (), None, None, False, couple.order))
    return relations


def _mark_kin(persons: dict[str, FamilyPerson], couples: dict[frozenset, Couple], sibships: dict[tuple, Sibship],
              step_links: list[tuple[str, str]]) -> set[str]:
    """Everyone with a partner, parent, child, sibling or step link (FamilyPerson.kin)."""
    kin_ids = set()
    for c in couples.values():
        kin_ids.update((c.a, c.b))
    for sib in sibships.values():
        kin_ids.update(sib.parents)
        kin_ids.update(ch.child for ch in sib.children)
    for a, b in step_links:
        kin_ids.update((a, b))
    for pid in kin_ids:
        persons[pid].kin = True
    return kin_ids


def _other_relations(records: _Records, kin_ids: set[str]) -> list[Relation]:
    """Friends, neighbours, carers, relatives: a line unless kinship already places both people."""
    relations = []
    for order, rel in records.others:
        a, b = rel.from_, rel.to
        if a in kin_ids and b in kin_ids:
            continue  # both already placed by kinship: no extra line
        label = getattr(rel, "label", None)
        relations.append(Relation("relation", a, b, rel.type, (), label, rel.certainty, rel.type in ("relative", "carer"), order))
    return relations


def _pair_parents(parents: list[str], couples: dict[frozenset, Couple]) -> list[tuple[str, ...]]:
    """Split a child's parents of one kind into couples (normally one couple or one parent)."""
    parents = list(dict.fromkeys(parents))
    if len(parents) <= 2:
        return [tuple(parents)]
    groups: list[tuple[str, ...]] = []
    left = list(parents)
    while left:
        a = left.pop(0)
        mate = next((b for b in left if frozenset((a, b)) in couples), None)
        if mate is not None:
            left.remove(mate)
            groups.append((a, mate))
        else:
            groups.append((a,))
    return groups


def _assign_generations(family: Family, step_links: list[tuple[str, str]]) -> None:
    """Generation numbers: partners and siblings share one; a child is one below its parents."""
    persons = family.persons
    uf = _UnionFind(persons)
    for c in family.couples:
        uf.union(c.a, c.b)
    for sib in family.sibships:
        kids = [c.child for c in sib.children]
        for k in kids[1:]:
            uf.union(kids[0], k)
    edges: set[tuple[str, str]] = set()
    for sib in family.sibships:
        for par in sib.parents:
            for ch in sib.children:
                edges.add((par, ch.child))
    edges.update(step_links)
    group_edges: dict[str, set[str]] = {}
    for par, ch in sorted(edges):
        gp, gc = uf.find(par), uf.find(ch)
        if gp == gc:
            family.warnings.append(f"{par} is recorded as parent of {ch} but they share a generation; ignored for placement")
            continue
        group_edges.setdefault(gp, set()).add(gc)
    groups = sorted({uf.find(p) for p in persons})
    # longest path from the roots (break cycles: an edge back into the current path is ignored)
    gen: dict[str, int] = {}
    state: dict[str, int] = {}
    order: list[str] = []

    def visit(g: str) -> None:
        stack = [(g, iter(sorted(group_edges.get(g, ()))))]
        state[g] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
                continue
            if state.get(nxt) == 1:
                family.warnings.append("parent links form a cycle; one link ignored for placement")
                group_edges[node].discard(nxt)
                continue
            if state.get(nxt) is None:
                state[nxt] = 1
                stack.append((nxt, iter(sorted(group_edges.get(nxt, ())))))

    for g in groups:
        if g not in state:
            visit(g)
    topo = list(reversed(order))
    incoming: dict[str, int] = {g: 0 for g in groups}
    for g in groups:
        for c in group_edges.get(g, ()):
            incoming[c] += 1
    for g in topo:
        gen.setdefault(g, 0)
        for c in group_edges.get(g, ()):
            gen[c] = max(gen.get(c, 0), gen[g] + 1)
    # pull childless-parent roots (in-laws) down next to their children
    for g in reversed(topo):
        kids = group_edges.get(g, ())
        if incoming[g] == 0 and kids:
            gen[g] = min(gen[c] for c in kids) - 1
    for pid, p in persons.items():
        p.gen = gen[uf.find(pid)]

    # people linked only by other relations (friends, neighbours...) sit on their anchor's row
    kin = {pid for pid, p in persons.items() if p.kin}
    placed = set(kin)
    links: dict[str, list[str]] = {}
    for rel in sorted(family.relations, key=lambda r: r.order):
        links.setdefault(rel.source, []).append(rel.target)
        links.setdefault(rel.target, []).append(rel.source)
    frontier = sorted(placed, key=lambda i: persons[i].index)
    while frontier:
        nxt = []
        for pid in frontier:
            for other in links.get(pid, ()):
                if other not in placed:
                    persons[other].gen = persons[pid].gen
                    placed.add(other)
                    nxt.append(other)
        frontier = nxt
    anchor = next((p for p in family.ordered_persons() if p.victim and p.id in placed), None)
    for p in family.ordered_persons():
        if p.id not in placed:
            p.gen = anchor.gen if anchor else 0
            placed.add(p.id)
            for other in links.get(p.id, ()):  # a group of otherwise unconnected people
                if other not in placed:
                    persons[other].gen = p.gen
                    placed.add(other)
    low = min((p.gen for p in persons.values()), default=0)
    for p in persons.values():
        p.gen -= low


def _select_around(family: Family, centre: str, up: int, down: int, perpetrator_partners: bool) -> None:
    """Keep ``centre``, its ancestors ``up`` generations, the descendants of those down to
    ``down`` generations below the centre, everyone's partners, and (by default) every
    perpetrator with their partners and their children."""
    persons = family.persons
    if centre not in persons:
        raise FamilyError(f"no person with id '{centre}' in review {family.review_id}")
    parents: dict[str, set[str]] = {pid: set() for pid in persons}
    children: dict[str, set[str]] = {pid: set() for pid in persons}
    for sib in family.sibships:
        for ch in sib.children:
            parents[ch.child].update(sib.parents)
            for par in sib.parents:
                children[par].add(ch.child)
    partners: dict[str, set[str]] = {pid: set() for pid in persons}
    for c in family.couples:
        partners[c.a].add(c.b)
        partners[c.b].add(c.a)
    top = persons[centre].gen - max(up, 0)
    bottom = persons[centre].gen + max(down, 0)
    ancestors = {centre}
    frontier = {centre}
    for _ in range(max(up, 0)):
        frontier = {p for f in frontier for p in parents[f]}
        ancestors |= frontier
    keep = set(ancestors)
    stack = list(ancestors)
    while stack:
        pid = stack.pop()
        for ch in children[pid]:
            if ch not in keep and persons[ch].gen <= bottom:
                keep.add(ch)
                stack.append(ch)
    # siblings with no parents in the file are kin of the same generation
    for sib in family.sibships:
        if not sib.parents and any(c.child in keep for c in sib.children):
            keep.update(c.child for c in sib.children)
    for pid in list(keep):
        keep |= partners[pid]
    if perpetrator_partners:
        for p in persons.values():
            if p.perpetrator:
                keep.add(p.id)
                for partner in partners[p.id]:
                    keep.add(partner)
                    keep |= children[p.id] & children[partner]
                keep |= {c for c in children[p.id] if len(parents[c]) == 1}
    # people abused by or abusing someone kept
    for rel in family.relations:
        if rel.kind == "abuse" and (rel.source in keep or rel.target in keep):
            if top <= persons[rel.source].gen <= bottom and top <= persons[rel.target].gen <= bottom:
                keep.update((rel.source, rel.target))
    _restrict(family, keep)


def _restrict(family: Family, keep: set[str]) -> None:
    family.persons = {pid: p for pid, p in family.persons.items() if pid in keep}
    family.couples = [c for c in family.couples if c.a in keep and c.b in keep]
    sibships = []
    for sib in family.sibships:
        kids = [c for c in sib.children if c.child in keep]
        pars = tuple(p for p in sib.parents if p in keep)
        if not kids or (sib.parents and not pars):
            continue  # no child drawn, or no parent drawn: the children stand alone
        sibships.append(Sibship(pars, kids))
    family.sibships = sibships
    family.relations = [r for r in family.relations if r.source in keep and r.target in keep]
    family.step_links = [(a, b) for a, b in family.step_links if a in keep and b in keep]
    low = min((p.gen for p in family.persons.values()), default=0)
    for p in family.persons.values():
        p.gen -= low


def _window(ref: PartialDate) -> tuple[dt.date, dt.date]:
    """The days that count as "at the reference date".

    For a date known to the day, the week up to it: a victim's membership of a household
    usually ends with the fatal attack, a day or so before the death. For a month or a year,
    that month or year.
    """
    if ref.precision == "day":
        return ref.earliest - dt.timedelta(days=CURRENT_WINDOW_DAYS), ref.latest
    return ref.earliest, ref.latest


#: See :func:`_window`.
CURRENT_WINDOW_DAYS = 7


def _households(case: CaseFile, family: Family, mode: str, ref: Optional[PartialDate]) -> list[DrawnHousehold]:
    """The households to outline.

    ``all``: every household with every member drawn. ``current`` (default): each person in
    the household they lived in at the reference date: of the households whose dates (or the
    member's own dates) cover it, the one they certainly joined last before it (else the one
    they joined last); undated households and memberships do not count, households left with
    one member are not outlined. ``none``: no outlines.
    """
    if mode == "none":
        return []
    if mode == "all" or ref is None:
        drawn = []
        for hh in case.households:
            members = list(dict.fromkeys(m.person for m in hh.members if m.person in family.persons))
            if members:
                drawn.append(DrawnHousehold(hh.id, members, _place(hh)))
        return drawn
    first, last = _window(ref)
    choice: dict[str, tuple] = {}  # person -> (rank, household index)
    undated_members: dict[int, list[str]] = {}
    for index, hh in enumerate(case.households):
        for m in hh.members:
            if m.person not in family.persons:
                continue
            start = m.start or hh.start
            end = m.end or hh.end
            if start is None and end is None:
                undated_members.setdefault(index, []).append(m.person)
                continue
            if start is not None and start.earliest > last:
                continue
            if end is not None and end.latest < first:
                continue
            certain = start is None or start.latest < first
            rank = (1 if certain else 0, start.earliest if start else dt.date.min, index)
            if m.person not in choice or rank > choice[m.person]:
                choice[m.person] = rank
    chosen: dict[int, list[str]] = {}
    for pid, rank in choice.items():
        chosen.setdefault(rank[2], []).append(pid)
    drawn = []
    for index, hh in enumerate(case.households):
        if index not in chosen:
            continue
        dated = set(chosen[index])
        # members without dates of a household dated to the reference date live there too,
        # unless they are placed in another household at that date
        hh_dated = hh.start is not None or hh.end is not None
        extra = set()
        if hh_dated or dated:
            extra = {pid for pid in undated_members.get(index, ()) if pid not in choice}
        members = [pid for pid in dict.fromkeys(m.person for m in hh.members) if pid in dated or pid in extra]
        if len(members) >= 2:
            drawn.append(DrawnHousehold(hh.id, members, _place(hh)))
    return drawn


def _place(hh) -> Optional[str]:
    if hh.location is None:
        return None
    return hh.location.town or hh.location.local_authority or hh.location.country
