"""Recommendations: numbered lists under a "Recommendations" heading, and "Recommendation N" blocks.

Each recommendation keeps the paragraph ref it sits under as its ``source``,
its number as ``id`` (prefixed with the addressee's abbreviation for an
agency's own list: ``POL-3``), the agency it is addressed to (the agency named
in the heading of the agency's section, else the first agency named at the
start of the text), and its scope (several agencies named: multi-agency;
"national", "Home Office", "government": national).
"""

from __future__ import annotations

import re

from .agencies import names_in
from .context import Context, slug
from .score import norm
from .tables import Table, TableItem

_REC_HEAD = re.compile(r"^(?:overview report |panel |individual management review |imr |agency |single agency |multi-agency )?"
                       r"recommendations?\b(?!\s+(?:no\.?|number)?\s*\d)", re.I)
#: a heading over a list of recommendations whatever its first words ("Summary of recommendations",
#: "7. The panel's recommendations"), once the section pass has put it in the recommendations part
_LIST_HEAD = re.compile(r"\brecommendations\b(?!\s+(?:no\.?|number)?\s*\d)", re.I)
_REC_ONE = re.compile(r"^recommendation\s*(?:no\.?|number)?\s*(\d+(?:\.\d+)?)\b[.:)]?\s*(.*)$", re.I | re.S)
_SUB = re.compile(r"^(\d+\.\d+)\s+(.*)$")
_NATIONAL = re.compile(r"\b(home office|government|national|department of health|nhs england|ministry)\b", re.I)
_STOP_HEAD = re.compile(r"^(references|bibliography|appendix|glossary|conclusions?|action plan|learning|lessons|expected outcome)", re.I)


def _shorten(text: str, limit: int = 400) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    stop = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[:stop + 1] if stop > 100 else cut.rsplit(" ", 1)[0] + " ...").strip()


def extract_recommendations(ctx: Context) -> list[dict]:
    blocks = ctx.doc.blocks
    out: list[dict] = []
    seen_text: set[str] = set()
    owner_heading: str | None = None
    in_list = False
    bullets = listed = 0
    k = 0
    while k < len(blocks):
        b = blocks[k]
        text = b.text.strip()
        if b.kind == "table_row":
            in_list = False
            _table_row(ctx, out, seen_text, blocks, k)
            k += 1
            continue
        m1 = _REC_ONE.match(text)
        if m1:
            # "Recommendation No 1" (heading) with its text in the next block(s), or inline
            number, body = m1.group(1), m1.group(2).strip()
            j = k + 1
            subs = []
            while not body and j < len(blocks) and blocks[j].kind != "heading" and blocks[j].kind != "table_row" \
                    and not (blocks[j].number and blocks[j].number.split(".")[0] == number and "." in blocks[j].number):
                body = blocks[j].text
                j += 1
            # sub-recommendations "1.1 ...", "1.2 ...", with their bullet points
            while j < len(blocks) and blocks[j].kind in ("list_item", "paragraph") and (
                    blocks[j].number and "." in (blocks[j].number or "") and blocks[j].number.split(".")[0] == number
                    or _SUB.match(blocks[j].text) and _SUB.match(blocks[j].text).group(1).split(".")[0] == number
                    or (subs and blocks[j].kind == "list_item" and not blocks[j].number)):
                sb = blocks[j]
                if subs and sb.kind == "list_item" and not sb.number and not _SUB.match(sb.text):
                    last = subs[-1]
                    subs[-1] = (last[0], f"{last[1]} {sb.text}", last[2])
                    j += 1
                    continue
                sub_number = sb.number if sb.number and "." in sb.number else _SUB.match(sb.text).group(1)
                sub_text = sb.text if sb.number else _SUB.match(sb.text).group(2)
                subs.append((sub_number, sub_text, sb))
                j += 1
            if m1.group(1) and (b.kind in ("heading", "paragraph", "list_item")):
                if subs:
                    for sub_number, sub_text, sb in subs:
                        _add(ctx, out, seen_text, sub_number, sub_text, sb.ref or b.ref, owner=None, prefix=None)
                elif body:
                    _add(ctx, out, seen_text, f"R{number}", body, b.ref, owner=None, prefix=None)
            in_list = False
            k = max(j, k + 1)
            continue
        if b.kind == "heading" and len(text) < 80 and (_REC_HEAD.match(text) or (
                b.part == "recommendations" and _LIST_HEAD.search(text))):
            in_list, bullets, listed = True, 0, 0
            owner_heading = _owner_heading(blocks, k)
            k += 1
            continue
        if b.kind == "heading" and b.number:
            in_list = False
        if in_list:
            if b.kind == "paragraph" and b.number and b.number.isdigit() and b.part == "recommendations" \
                    and int(b.number) == listed + 1 and _ASKS.search(b.text):
                # "1. The Police should ..." in a report whose only numbers are these: read as paragraph numbers
                listed += 1
                _add(ctx, out, seen_text, b.number, b.text, b.ref, owner=owner_heading, prefix=owner_heading)
                k += 1
                continue
            if b.kind == "list_item" and b.bullet and not b.number and b.part == "recommendations" \
                    and _ASKS.search(b.text):
                bullets += 1   # a bulleted list of recommendations: numbered in order
                _add(ctx, out, seen_text, str(bullets), b.text, b.ref, owner=owner_heading, prefix=owner_heading)
                k += 1
                continue
            if b.kind == "list_item" and b.number and b.number.isdigit():
                body = b.text
                # sub-items "a) ..." belong to the recommendation
                j = k + 1
                while j < len(blocks) and blocks[j].kind == "list_item" and blocks[j].number and blocks[j].number.isalpha():
                    body += " " + blocks[j].text
                    j += 1
                _add(ctx, out, seen_text, b.number, body, b.ref, owner=owner_heading, prefix=owner_heading)
                k = j
                continue
            if _asking_paragraph(b):
                # a paragraph of the recommendations part that asks something: "5.1 X should ...", or
                # unnumbered paragraphs one per recommendation (numbered in order)
                if b.number and "." in b.number:
                    _add(ctx, out, seen_text, b.number, b.text, b.ref, owner=None, prefix=None)
                elif not b.number:
                    bullets += 1
                    _add(ctx, out, seen_text, str(bullets), b.text, b.ref, owner=None, prefix=None)
                else:
                    in_list = False
            elif b.kind == "heading" and _STOP_HEAD.match(text):
                in_list = False
            elif b.kind == "paragraph" and b.number:
                in_list = False
        k += 1
    for table in ctx.tables("action_plan"):
        _action_plan(ctx, out, seen_text, table)
    return out


_SCOPE_WORDS = [(re.compile(r"\bnational\b", re.I), "national"),
                (re.compile(r"\b(?:regional|multi|partnership|all agencies)\b", re.I), "multi_agency")]


def _action_plan(ctx: Context, out: list[dict], seen: set[str], table: Table) -> None:
    """The items of an action-plan table (one row, or one small table, per recommendation)."""
    for n, item in enumerate(table.items, 1):
        text = item.values.get("recommendation", "").strip()
        if len(text.split()) < 4 or _told_before(out, text):
            continue
        number = item.number or str(n)
        lead = item.values.get("agency")
        before = len(out)
        _add(ctx, out, seen, number, text, _table_source(item, number), owner=lead, prefix=None)
        if len(out) > before:
            _table_scope(out[-1], item)


def _table_source(item: TableItem, number: str) -> str:
    ref = item.first.ref
    return f"{ref}, action plan {number}" if ref and ref.startswith(("Appendix", "Annex")) else f"Action plan {number}"


def _table_scope(rec: dict, item: TableItem) -> None:
    scope = item.values.get("scope", "")
    for pattern, value in _SCOPE_WORDS:
        if pattern.search(scope):
            if value == "national":
                rec["scope"] = "national"
            elif rec.get("scope") == "single_agency":
                rec["scope"] = "multi_agency"
            return


_WORD = re.compile(r"[a-z]{3,}")


def _told_before(out: list[dict], text: str) -> bool:
    """Whether a recommendation drafted already says the same (the action plan repeats the report's list)."""
    words = set(_WORD.findall(text.lower()))
    if not words:
        return False
    for rec in out:
        other = set(_WORD.findall(rec["text"].lower()))
        if other and len(words & other) / min(len(words), len(other)) >= 0.7:
            return True
    return False


#: what a recommendation asks: "X should ...", "to ensure that ...", "X must review ...", "The panel recommends that X ..."
_ASKS = re.compile(r"\b(?:should|must|ought to|needs? to|is to|are to|will|to ensure|to review|to develop|to consider|"
                   r"to provide|to raise|to establish|to promote|recommends? that|recommended that)\b", re.I)


#: a paragraph about the list, not one of it ("The panel makes the following recommendations:")
_ABOUT_THE_LIST = re.compile(r"\brecommendations\b|:\s*$", re.I)


def _asking_paragraph(b) -> bool:
    """A paragraph of the recommendations part that asks something of someone, and is not about the list."""
    return b.kind == "paragraph" and b.part == "recommendations" and bool(_ASKS.search(b.text)) \
        and not _ABOUT_THE_LIST.search(b.text)


_AGENCY_LINE = re.compile(r"^(?:agency|organisation|organization)\s*:\s*(.+)$", re.I)


def _table_row(ctx: Context, out: list[dict], seen: set[str], blocks, k: int) -> None:
    """An action-plan row "Recommendation No 1 <text> | action | lead | date" under "Agency: X"."""
    b = blocks[k]
    m = _REC_ONE.match(b.cells[0]) if b.cells else None
    if not m or not m.group(2).strip():
        return
    owner = None
    for j in range(k - 1, max(-1, k - 40), -1):
        a = _AGENCY_LINE.match(blocks[j].text) if blocks[j].kind != "table_row" else None
        if a:
            owner = a.group(1).strip()
            break
        if blocks[j].kind == "heading" and re.search(r"overview report recommendations", blocks[j].text, re.I):
            break
    number = m.group(1)
    if owner is None:
        return  # the overview report's own recommendations, already read from the text
    source = f"Action plan, {owner} No {number}"
    _add(ctx, out, seen, number, m.group(2), source, owner=owner, prefix=owner)


def _owner_heading(blocks, k: int) -> str | None:
    """The heading of the section a "Recommendations" heading sits in (an agency's name, often)."""
    for j in range(k - 1, max(-1, k - 30), -1):
        b = blocks[j]
        if b.kind == "heading" and b.number:
            return b.text
    return None


def _agency_for(ctx: Context, text: str) -> str | None:
    if not text:
        return None
    n = norm(text)
    for a in ctx.agencies:
        if n in {norm(x) for x in a.names()}:
            return a.id
    for a in ctx.agencies:
        for x in a.names():
            nx = norm(x)
            if len(nx) > 3 and (n.startswith(nx) or nx.startswith(n)) and len(n) > 3:
                return a.id
    for _, _, name in names_in(text, dashes=False):
        for a in ctx.agencies:
            if norm(name) in {norm(x) for x in a.names()}:
                return a.id
    return None


def _addressees(ctx: Context, text: str) -> list[str]:
    found = []
    head = text[:160]
    for a in ctx.agencies:
        for x in a.names():
            if len(x) >= 3 and x in head and re.search(r"(?<![\w])" + re.escape(x) + r"(?![\w])", head):
                pos = head.find(x)
                found.append((pos, a.id))
                break
    return [aid for _, aid in sorted(found)]


def _add(ctx: Context, out: list[dict], seen: set[str], number: str, text: str, ref: str | None,
         owner: str | None, prefix: str | None) -> None:
    key = norm(text)[:120]
    if not key or key in seen:
        return
    seen.add(key)
    rec: dict = {"text": _shorten(text)}
    agency_id = _agency_for(ctx, owner) if owner else None
    addressed = _addressees(ctx, text)
    if agency_id is None and addressed:
        agency_id = addressed[0]
    if prefix and agency_id:
        a = ctx.agency(agency_id)
        tag = (a.abbreviation if a and a.abbreviation else slug(a.name if a else prefix, 12)).upper()
        rid = f"{tag}-{number}"
    else:
        rid = number if not number.isdigit() else f"R{number}"
    taken = {r["id"] for r in out}
    rec["id"] = ctx.new_id(rid, taken)
    if agency_id:
        rec["agency"] = agency_id
    others = [a for a in addressed if a != agency_id]
    if _NATIONAL.search(text[:200]) and not agency_id:
        rec["scope"] = "national"
    elif others or re.search(r"\b(all agencies|partner agencies|agencies|multi-agency|partnership)\b", text[:200], re.I):
        rec["scope"] = "multi_agency"
        if others and agency_id:
            rec["agencies"] = [agency_id, *others]
            del rec["agency"]
    else:
        rec["scope"] = "single_agency"
    if ref:
        rec["source"] = ref
    out.append({k: rec[k] for k in ("id", "agency", "agencies", "text", "scope", "source") if k in rec})
