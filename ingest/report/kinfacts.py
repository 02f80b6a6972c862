"""Kin facts: who is whose mother, son, partner ... as the passes record and read them.

One owner for the facts the persons, labels and role-persons passes share, so none of
them imports another.
"""

from __future__ import annotations

from .context import Context, Fact, PersonRec
from .vocab import KIN


def add_kin_fact(ctx: Context, *, person: PersonRec, kin: str, anchor: PersonRec, ref: str | None) -> None:
    """Record that ``person`` is the ``kin`` of ``anchor`` (a mother of, a son of ...)."""
    rel, sex = KIN.get(kin, (None, None))
    if rel is None:
        return
    if sex and not person.sex:
        person.sex = sex
    label = kin
    if rel in ("parent", "step_parent"):
        ctx.facts.append(Fact("parent", person.id, anchor.id, ref, kind="step" if rel == "step_parent" else None))
    elif rel == "child":
        ctx.facts.append(Fact("parent", anchor.id, person.id, ref))
    elif rel in ("sibling", "half_sibling", "step_sibling"):
        kind = {"half_sibling": "half", "step_sibling": "step"}.get(rel)
        ctx.facts.append(Fact("sibling", person.id, anchor.id, ref, kind=kind))
    elif rel == "partner":
        kind = "married" if kin in ("husband", "wife") else ("dating" if kin in ("boyfriend", "girlfriend") else None)
        ctx.facts.append(Fact("partner", person.id, anchor.id, ref, kind=kind))
    elif rel == "former_partner":
        ctx.facts.append(Fact("partner", person.id, anchor.id, ref, status="former"))
    elif rel == "relative":
        ctx.facts.append(Fact("relative", person.id, anchor.id, ref, label=label))
    elif rel == "friend":
        ctx.facts.append(Fact("friend", person.id, anchor.id, ref))
    elif rel == "associate":
        ctx.facts.append(Fact("associate", person.id, anchor.id, ref, label=label))


def kin_of(ctx: Context, anchor: PersonRec, kin: str) -> list[PersonRec]:
    """The people the facts say are ``anchor``'s ``kin``."""
    rel, sex = KIN.get(kin, (None, None))
    out = []
    for f in ctx.facts:
        other = None
        if rel in ("parent", "step_parent") and f.type == "parent" and f.b == anchor.id \
                and (rel == "parent" or f.kind == "step"):
            other = f.a
        elif rel == "child" and f.type == "parent" and f.a == anchor.id:
            other = f.b
        elif rel in ("sibling", "half_sibling", "step_sibling", "partner", "former_partner", "friend") and f.type in (
                {"sibling"} if "sibling" in rel else {"partner"} if "partner" in rel else {"friend"}):
            if rel == "partner" and f.status == "former":
                continue
            if rel == "former_partner" and f.status != "former":
                continue
            other = f.b if f.a == anchor.id else f.a if f.b == anchor.id else None
        elif rel == "relative" and f.type == "relative" and f.b == anchor.id and f.label == kin:
            other = f.a
        if other:
            p = ctx.person(other)
            if p and (sex is None or p.sex in (None, sex)) and p not in out:
                out.append(p)
    if rel in ("sibling",) and not out:
        # siblings through a shared parent
        parents = {f.a for f in ctx.facts if f.type == "parent" and f.b == anchor.id}
        for f in ctx.facts:
            if f.type == "parent" and f.a in parents and f.b != anchor.id:
                p = ctx.person(f.b)
                if p and (sex is None or p.sex in (None, sex)) and p not in out:
                    out.append(p)
    if kin in _GRAND_PARENT_WORDS and not out:
        # "Tomos ... his grandmother": a parent of one of his parents, of her sex
        parents = {f.a for f in ctx.facts if f.type == "parent" and f.b == anchor.id}
        for f in ctx.facts:
            if f.type == "parent" and f.b in parents:
                p = ctx.person(f.a)
                if p and p.sex == sex and p not in out:
                    out.append(p)
    return out


#: the kin words that name a parent's parent
_GRAND_PARENT_WORDS = frozenset({"grandmother", "grandfather", "grandma", "grandad", "granny", "grandpa"})
