"""Persons: from the subjects/genogram key tables and the role and kinship phrases of the text.

- A key table ("Name | S | J | R" with "Relationship", "Date of Birth",
  "Ethnicity" rows; or one row per person: "Victim | Born 1993 | Female - Aged
  21, Mother of S3, Partner of Perpetrator") gives the people the review is
  about, with sex, age or year of birth, ethnicity, and the kin phrases of the
  description as relationship facts ("Mother of S3", "Child of M and F2").
- Role phrases: "the victim", "the perpetrator" (and who they are when the
  report says "her son J was the perpetrator").
- Labels used as pseudonyms ("S", "P1", "Adult A") and first names from the
  forename list that the text uses again and again.
- Kinship phrases, found by a scan of the spaCy tokens (the matches a spaCy Matcher on the
  tokens' LOWER would give; tests/extract/test_extract_kin_scan.py compares the two): "S's
  daughter", "the father of the perpetrator", "her adult son J", "his uncle".
  A phrase names a person already known when the facts say so (S's son is J),
  else a new person named after it ("J's uncle"), with a relationship fact.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import re
from collections import Counter, defaultdict

from .context import Context, Fact, PersonRec, slug
from .forenames import forenames
from .kinfacts import add_kin_fact, kin_of
from .dates import find_dates
from .nlp import parse, token_patterns
from .labels import extract_labelled, homicide_roles
from .rolepersons import extract_role_persons
from .rules import load_rules, note_hit
from .score import norm
from .sections import in_reference_list
from .sentences import sentences
from .vocab import ETHNICITY, KIN, KIN_MODIFIERS, PRONOUN_SEX

_NAME_HEADER = re.compile(r"^(name|names|pseudonym|designation|person|subject|key|initials?|family member|individual)s?\b", re.I)
_REL_HEADER = re.compile(r"relationship|relation|role|description|connection|designation", re.I)
_AGE_HEADER = re.compile(r"\bage\b|date of birth|\bdob\b|born", re.I)
_ETH_HEADER = re.compile(r"ethnic|race|heritage", re.I)
_SEX_HEADER = re.compile(r"gender|\bsex\b", re.I)
_LABEL = re.compile(r"^(?:[A-Z]{1,4}\d{0,2}|[A-Z][a-z]+(?: [A-Z]\d?)?|(?:Adult|Child|Baby|Mr|Mrs|Ms|Miss) [A-Z]\d?)$")
_ROLE_LABEL = re.compile(r"^(?:the\s+)?(victim|perpetrator|deceased|subject(?: of (?:the )?(?:dhr|review))?)$", re.I)
_KIN_WORDS = sorted(KIN, key=len, reverse=True)
_KIN_RE = "|".join(re.escape(k) for k in _KIN_WORDS)
_ANCHOR = r"(?!and\b)[\w'.]+(?:\s+(?-i:[A-Z0-9])[\w'.]*)?"
_DESC_KIN_OF = re.compile(rf"\b(unborn\s+)?(ex-?\s?|former\s+|previous\s+|step\s?\.?\s*)?({_KIN_RE}|bro\.?|sis\.?)\s+of\s+({_ANCHOR}(?:\s+(?:and|&)\s+{_ANCHOR})*)", re.I)
_DESC_POSS = re.compile(rf"\b([\w]+)'s\s+((?:former|previous|ex-?|step)\s*)?({_KIN_RE})\b", re.I)
_COMMON_CAPS = {
    "I", "A", "An", "The", "He", "She", "It", "We", "They", "His", "Her", "In", "On", "At", "Of", "To", "No",
    "Mr", "Mrs", "Ms", "Dr", "OK", "UK", "GP", "TV", "AM", "PM", "Act", "Court", "Police", "Panel", "Chair",
    "Section", "Appendix", "Page", "Case", "Part", "Table", "Figure", "Victim", "Perpetrator", "Male", "Female",
}


def _person_name_for_label(label: str) -> str:
    m = _ROLE_LABEL.match(label.strip())
    if m:
        word = m.group(1)
        return f"the {word[0].upper()}{word[1:]}" if label.strip()[0].isupper() else f"the {word}"
    return label.strip()


class PersonBook:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.by_key: dict[str, PersonRec] = {}

    def keys(self, p: PersonRec) -> set[str]:
        return {norm(x) for x in [p.id, p.name, *p.aliases]} - {""}

    def find(self, text: str) -> PersonRec | None:
        n = norm(text)
        if not n:
            return None
        state = (len(self.ctx.persons), sum(len(p.aliases) for p in self.ctx.persons))
        if getattr(self, "_state", None) != state:
            index: dict[str, PersonRec] = {}
            for p in self.ctx.persons:
                for k in self.keys(p):
                    index.setdefault(k, p)
            self._index, self._state = index, state
        return self._index.get(n)

    def add(self, name: str, pid: str | None = None, source: str | None = None) -> PersonRec:
        found = self.find(name) or (self.find(pid) if pid else None)
        if found:
            found.add_source(source)
            return found
        taken = {p.id for p in self.ctx.persons}
        base = pid or (name if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", name) else slug(name.removeprefix("the ").removeprefix("The ")))
        rec = PersonRec(id=self.ctx.new_id(base, taken), name=name)
        rec.add_source(source)
        self.ctx.persons.append(rec)
        return rec

    def role(self, role: str) -> PersonRec | None:
        return next((p for p in self.ctx.persons if role in p.roles), None)


# -- key tables -------------------------------------------------------------------------

def _table_runs(ctx: Context) -> list[list]:
    runs, current = [], []
    for b in ctx.doc.blocks:
        if b.kind == "table_row":
            current.append(b)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _parse_age(text: str, rec: PersonRec) -> None:
    t = text.strip()
    m = re.search(r"\b(\d{1,2})\s*months?\b", t, re.I)
    if m and not re.search(r"\byears?\b", t, re.I):
        rec.age_months = rec.age_months or int(m.group(1))
        return
    m = re.search(r"\b(?:aged?\s*)?(\d{1,3})(?:\s*(?:and a half|½))?\s*(?:years?|yrs?|y/o|year old)?\b", t, re.I)
    born = re.search(r"\b(?:born|b\.|dob)\s*:?\s*(\d{4})\b", t, re.I)
    if born:
        rec.born = rec.born or born.group(1)
    dates = [d for d in find_dates(t, update=False) if d.date.year > 1900]
    if dates and (born or re.search(r"\d{1,2}/\d{1,2}/\d{4}", t)):
        rec.born = rec.born or str(dates[0].date)
        return
    if m and rec.age is None and (re.search(r"aged?|years?|yrs|year old", t, re.I) or t.isdigit()):
        age = int(m.group(1))
        if age <= 110 and not born:
            rec.age = age


def _parse_sex(text: str, rec: PersonRec) -> None:
    if re.search(r"\bfemale\b|\bwoman\b|\bgirl\b", text, re.I):
        rec.sex = rec.sex or "female"
    elif re.search(r"\bmale\b|\bman\b|\bboy\b", text, re.I):
        rec.sex = rec.sex or "male"


def _parse_ethnicity(text: str, rec: PersonRec) -> None:
    t = text.strip()
    if t and len(t) < 60 and ETHNICITY.search(t) and not rec.ethnicity:
        rec.ethnicity = t


#: parts of the report whose tables list professionals (panel members, IMR authors), not people of the case
_PROFESSIONAL_PARTS = frozenset({"panel", "contributors", "review_process"})


def read_key_tables(ctx: Context, book: PersonBook) -> list[tuple[PersonRec, str, str | None]]:
    """People from key tables; returns (person, description, ref) for the relation phrases."""
    described: list[tuple[PersonRec, str, str | None]] = []
    for run in _table_runs(ctx):
        first = run[0]
        if first.part in _PROFESSIONAL_PARTS:
            continue  # the panel or the contributors: professionals, not people of the case
        # transposed: "Name | S | J | R", then attribute rows
        attribute_header = any(_REL_HEADER.search(c) or _AGE_HEADER.search(c) or _ETH_HEADER.search(c)
                               or _SEX_HEADER.search(c) for c in first.cells[1:])
        if _NAME_HEADER.match(first.cells[0]) and len(first.cells) >= 2 and not attribute_header and all(
                _LABEL.match(c.strip()) or _ROLE_LABEL.match(c.strip()) for c in first.cells[1:] if c.strip()):
            people = [book.add(_person_name_for_label(c), c.strip() if _LABEL.match(c.strip()) else None, first.ref)
                      for c in first.cells[1:] if c.strip()]
            for row in run[1:]:
                label = row.cells[0]
                for p, value in zip(people, row.cells[1:]):
                    if not value.strip():
                        continue
                    if _REL_HEADER.search(label):
                        described.append((p, value, row.ref))
                    elif _AGE_HEADER.search(label):
                        _parse_age(value, p)
                    elif _ETH_HEADER.search(label):
                        _parse_ethnicity(value, p)
                    elif _SEX_HEADER.search(label):
                        _parse_sex(value, p)
            continue
        # one row per person, with or without a header row
        header = None
        rows = run
        if any(_NAME_HEADER.match(c) for c in first.cells) and any(
                _AGE_HEADER.search(c) or _ETH_HEADER.search(c) or _REL_HEADER.search(c) or _SEX_HEADER.search(c)
                for c in first.cells):
            header = first.cells
            rows = run[1:]
        if header is None and not _looks_like_key(run):
            continue
        name_col = next((i for i, c in enumerate(header or []) if _NAME_HEADER.match(c)), 0)
        if name_col > 0:
            # "Relationship | Pseudonym | Age": the name column first, as in the usual layout
            def front(cells: list[str]) -> list[str]:
                return [cells[name_col], *cells[:name_col], *cells[name_col + 1:]] if len(cells) > name_col else cells
            header = front(header)
            rows = [dataclasses.replace(r, cells=front(list(r.cells))) for r in rows]
        labels = [r.cells[0].strip() for r in rows]
        counts = Counter(labels)
        for r in rows:
            label = r.cells[0].strip()
            if not label or len(label) > 60:
                continue
            name_part, _, alias = label.partition(":")
            name = _person_name_for_label(name_part)
            rest = [c for c in r.cells[1:]]
            if counts[label] > 1:
                distinguishing = next((c.strip() for c in rest if c.strip()), "")
                name = f"{name_part.strip()} ({distinguishing})" if distinguishing else name
                p = book.add(name, None, r.ref)
            else:
                pid = name_part.strip() if _LABEL.match(name_part.strip()) else None
                p = book.add(name, pid, r.ref)
            if alias.strip():
                p.add_alias(alias.strip())
                described.append((p, alias.strip(), r.ref))
            if _DESC_KIN_OF.search(name_part):
                described.append((p, name_part, r.ref))
            m = _ROLE_LABEL.match(name_part.strip())
            if m:
                p.add_role("perpetrator" if "perp" in m.group(1).lower() else "victim")
            for c, value in enumerate(rest, start=1):
                if not value.strip():
                    continue
                col = header[c] if header and c < len(header) else ""
                if col and _ETH_HEADER.search(col):
                    _parse_ethnicity(value, p)
                elif col and _SEX_HEADER.search(col):
                    _parse_sex(value, p)
                elif col and _AGE_HEADER.search(col):
                    _parse_age(value, p)
                else:
                    _parse_sex(value, p)
                    _parse_age(value, p)
                    if ETHNICITY.fullmatch(value.strip()):
                        _parse_ethnicity(value, p)
                    described.append((p, value, r.ref))
    return described


def _looks_like_key(run: list) -> bool:
    """A headerless key: short labels, descriptions with kin words or born/aged/sex."""
    if len(run) < 2:
        return False
    hits = 0
    for r in run:
        label = r.cells[0].strip()
        desc = " ".join(r.cells[1:])
        if (_LABEL.match(label) or _ROLE_LABEL.match(label.split(":")[0])) and re.search(
                rf"\b({_KIN_RE}|born|aged|male|female)\b", desc, re.I):
            hits += 1
    return hits >= max(2, len(run) // 2)


def read_descriptions(ctx: Context, book: PersonBook, described) -> None:
    """Relationship facts from key-table descriptions ("Mother of S3", "Child of M and F2")."""
    rows = [p for p, _, _ in described]
    for p, desc, ref in described:
        text = desc.replace("–", ",").replace(" - ", ", ")
        if not p.sex:
            for w in re.findall(r"[a-z][a-z-]+", text.lower()):
                if w in KIN and KIN[w][1] and not re.search(rf"\b{re.escape(w)}\s+of\b|'s\s+{re.escape(w)}", text.lower()) is None:
                    pass
            own = re.match(rf"^\W*(?:\w+\W+){{0,3}}?({_KIN_RE})\b", text.lower())
            m_sex = re.search(r"\b(female|male)\b", text.lower())
            if m_sex:
                p.sex = m_sex.group(1)
            elif own and KIN.get(own.group(1), (None, None))[1] and not re.match(r"^\W*\w+'s", text):
                p.sex = KIN[own.group(1)][1]
            elif re.fullmatch(rf"\W*(?:(?:{_KIN_RE})\s*(?:,|and|&)?\s*)+", text.lower()):
                # "ex-partner and father": every word says what the person is
                sexes = {KIN[w][1] for w in re.findall(_KIN_RE, text.lower()) if KIN.get(w, (None, None))[1]}
                if len(sexes) == 1:
                    p.sex = sexes.pop()
        if re.search(r"\bsubject of (?:the )?(?:dhr|review)\b|\bdeceased\b", text, re.I) or re.fullmatch(r"\s*victim\b(?!'s).*", text, re.I):
            p.add_role("victim")
        if re.fullmatch(r"\s*(?:the\s+)?(?:alleged\s+)?perpetrator\b(?!'s).*", text, re.I):
            p.add_role("perpetrator")
        if re.search(r"\bunborn\b", text, re.I):
            p.unborn = True
        for m in _DESC_KIN_OF.finditer(text):
            kin = m.group(3).lower().rstrip(".")
            kin = {"bro": "brother", "sis": "sister"}.get(kin, kin)
            prefix = (m.group(2) or "").lower().strip()
            if prefix.startswith("step"):
                kin = "step" + kin if "step" + kin in KIN else kin
            if prefix.startswith(("ex", "former", "previous")) and kin == "partner":
                kin = "former partner"
            p.add_alias(m.group(0).strip())
            for anchor_label in re.split(r"\s+(?:and|&)\s+", m.group(4)):
                anchor_label = anchor_label.strip(" .,")
                if book.find(anchor_label) is None and " " in anchor_label:
                    anchor_label = anchor_label.split()[0]  # "P1 Step" -> "P1"
                if anchor_label.lower() == "above":
                    anchors = [q for q in rows[:rows.index(p)] if q is not p and not _is_childlike(q, ctx)]
                else:
                    a = book.find(anchor_label) or book.find(_person_name_for_label(anchor_label))
                    anchors = [a] if a else []
                for a in anchors:
                    if a is None or a is p:
                        continue
                    add_kin_fact(ctx, person=p, kin=kin, anchor=a, ref=ref)
        for m in _DESC_POSS.finditer(text):
            anchor = book.find(m.group(1)) or book.find(_person_name_for_label(m.group(1)))
            kin = m.group(3).lower()
            if (m.group(2) or "").lower().startswith(("former", "previous", "ex")) and kin == "partner":
                kin = "former partner"
            p.add_alias(m.group(0))
            if anchor and anchor is not p:
                add_kin_fact(ctx, person=p, kin=kin, anchor=anchor, ref=ref)
        # a bare relation to the subject of the table: "Son", "Daughter"
        word = text.strip().lower()
        if word in KIN and KIN[word][0] in ("child", "parent", "sibling", "partner", "former_partner"):
            subject = next((q for q in rows if "victim" in q.roles), None)
            if subject and subject is not p:
                add_kin_fact(ctx, person=p, kin=word, anchor=subject, ref=ref)
                p.add_alias(word.capitalize())
        elif not _DESC_KIN_OF.search(text) and not _DESC_POSS.search(text):
            # "Husband and perpetrator", "Perpetrator (ex-partner)": the partner words are about the victim
            parts = [x.strip().lower() for x in re.split(r"\s*(?:,|/|\band\b|&|\(|\)|\s-\s|–)\s*", text) if x.strip()]
            if len(parts) > 1:
                subject = next((q for q in rows if "victim" in q.roles), None)
                for part in parts:
                    part = re.sub(r"^(?:the|her|his)\s+", "", part)
                    if part in ("perpetrator", "alleged perpetrator") and not any("perpetrator" in q.roles for q in rows):
                        p.add_role("perpetrator")
                    elif part in KIN and KIN[part][0] in ("partner", "former_partner") and subject and subject is not p:
                        if not kin_of(ctx, subject, part) or p in kin_of(ctx, subject, part):
                            add_kin_fact(ctx, person=p, kin=part, anchor=subject, ref=ref)


def _is_childlike(p: PersonRec, ctx: Context) -> bool:
    return "child" in norm(p.name) or any("child" in norm(a) for a in p.aliases)


# -- facts --------------------------------------------------------------------------

# -- the text ------------------------------------------------------------------------

_KIN_PHRASES = list(KIN) + ["children", "siblings", "brothers", "sisters", "sons", "daughters", "friends"]


@functools.lru_cache(maxsize=1)
def _kin_table() -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """The kin words as spaCy tokenizes them: one-token words, and the longer phrases by first token."""
    patterns = token_patterns(_KIN_PHRASES)
    single = frozenset(p[0]["LOWER"] for p in patterns if len(p) == 1)
    multi: dict[str, list[tuple[str, ...]]] = {}
    for p in patterns:
        if len(p) > 1:
            multi.setdefault(p[0]["LOWER"], []).append(tuple(t["LOWER"] for t in p))
    return single, multi


def _kin_matches(doc) -> list[tuple[int, int, int]]:
    """(0, start, end) of every kin word or phrase in the doc, token by token ignoring case (what a
    spaCy Matcher on the tokens' LOWER would find; a plain scan of the lowercased tokens is faster)."""
    single, multi = _kin_table()
    lowers = [t.lower_ for t in doc]
    out = []
    n = len(lowers)
    for i, w in enumerate(lowers):
        if w in single:
            out.append((0, i, i + 1))
        for phrase in multi.get(w, ()):
            k = len(phrase)
            if i + k <= n and tuple(lowers[i:i + k]) == phrase:
                out.append((0, i, i + k))
    return out


def _kin_spans(doc, matches) -> list[tuple[str, int, int]]:
    """(rule, start, end) for each kin phrase: "her [mods] KIN", "X 's [mods] KIN", "[a] [mods] KIN of [the] X"."""
    longest: dict[int, int] = {}
    for _, s, e in matches:
        if e > longest.get(s, -1):
            longest[s] = e
    out = []
    for s in sorted(longest):
        e = longest[s]
        if any(s < pe and ps < e for _, ps, pe in out):
            continue
        start = s
        while start > 0 and doc[start - 1].lower_ in KIN_MODIFIERS:
            start -= 1
        if start > 0 and doc[start - 1].lower_ in ("her", "his", "their"):
            out.append(("POSS_KIN", start - 1, e))
            continue
        if start > 1 and doc[start - 1].lower_ == "'s" and doc[start - 2].is_alpha:
            out.append(("ANCHOR_KIN", start - 2, e))
            continue
        if e + 1 < len(doc) and doc[e].lower_ == "of":
            k = e + 1
            if doc[k].lower_ == "the" and k + 1 < len(doc):
                k += 1
            if doc[k].is_alpha:
                while k + 2 < len(doc) and doc[k + 1].text == "-" and doc[k + 2].is_alpha and not doc[k + 1].whitespace_:
                    k += 2  # "of the ex-partner"
                if start > 0 and doc[start - 1].lower_ in ("a", "an", "the"):
                    start -= 1
                out.append(("KIN_OF", start, k + 1))
    return out


def _resolve_anchor_word(word: str, tokens, book: PersonBook) -> PersonRec | None:
    if word.lower() in ("victim", "perpetrator", "deceased"):
        return book.role("victim" if word.lower() in ("victim", "deceased") else "perpetrator") or book.find(f"the {word}")
    return book.find(word)


def _label_after(doc, end: int, book: PersonBook) -> PersonRec | None:
    """An apposition right after a kin phrase: "her son J", "S's daughter, R"."""
    k = end
    if k < len(doc) and doc[k].text == ",":
        k += 1
    if k < len(doc):
        t = doc[k].text
        if t[:1].isupper() and t not in _COMMON_CAPS:
            p = book.find(t)
            if p is not None:
                return p
            if k + 1 < len(doc) and doc[k + 1].text == "(" and k + 2 < len(doc):
                return book.find(doc[k + 2].text)
            if t.isalpha() and len(t) > 2 and t.lower() not in _NOT_NAMES:
                # "Anna's friend, Kate, ...", "her mother Linda": a first name in apposition is that person

                nxt = doc[k + 1].text if k + 1 < len(doc) else "."
                if t.lower() in forenames() and not nxt[:1].isupper():
                    p = book.add(t, t)
                    p.sex = p.sex or forenames()[t.lower()]
                    return p
    if end < len(doc):
        # "her brother (referred to as Tom)", "her husband, known as Mark"
        m = _INTRO_AFTER.match(doc.text[doc[end].idx:doc[end].idx + 120])
        if m:
            return book.find(m.group(1))
    return None


_INTRO_AFTER = re.compile(r"\s*[,(]?\s*(?:who\s+(?:is|will be)\s+)?(?:referred to|known|called)\s+(?:in this (?:report|review)\s+)?as\s+['‘\"“]?([A-Z][\w-]*(?: [A-Z0-9]{1,2}\b)?)")


def read_text_persons(ctx: Context, book: PersonBook) -> None:
    blocks = [b for b in ctx.doc.blocks if b.kind != "table_row"]
    docs = list(parse(b.text for b in blocks))
    ctx.spacy_docs = dict(zip((b.index for b in blocks), docs))  # reused by the event extractor
    extract_labelled(ctx, book)
    _pseudonyms(ctx, book, blocks, docs)
    homicide_roles(ctx, book)  # again, with the first names just found
    _identify_roles(ctx, book, blocks)
    _role_persons(ctx, book, blocks)
    _infer_sex(ctx, book)
    extract_role_persons(ctx)
    for b, doc in zip(blocks, docs):
        if _skip_block(b):
            continue
        mentions: list[tuple[int, PersonRec]] = []
        for rule, s, e in _kin_spans(doc, _kin_matches(doc)):
            who = _kin_match(ctx, book, b, doc, rule, s, e, mentions)
            if who is not None and (rule != "POSS_KIN" or doc[s].is_sent_start):
                mentions.append((s + 1, who))  # "Her daughter was staying with her father": the subject


def _skip_block(b) -> bool:
    return b.kind == "heading" or in_reference_list(b)


def _kin_phrase(doc, s: int, e: int, rule: str) -> tuple[str, list[str]]:
    toks = [t.lower_ for t in doc[s:e]]
    if rule == "KIN_OF":
        idx = toks.index("of")
        body = toks[:idx]
        if body and body[0] in ("a", "an", "the"):
            body = body[1:]
    elif rule == "ANCHOR_KIN":
        body = toks[2:]
    else:
        body = toks[1:]
    mods = [t for t in body if t in KIN_MODIFIERS]
    kin_toks = [t for t in body if t not in KIN_MODIFIERS]
    kin = "".join(t if t == "-" or (i and kin_toks[i - 1] == "-") else (" " + t if i else t) for i, t in enumerate(kin_toks))
    return kin.replace(" - ", "-"), mods


def _pronoun_candidates(ctx: Context, book: PersonBook, doc, s: int, sex: str, mentions=()) -> list[tuple[int, PersonRec]]:
    """The people of that sex named before position s in the paragraph (by name, label or kin phrase), nearest first."""
    found: dict[str, tuple[int, PersonRec]] = {}

    def note(at: int, p: PersonRec) -> None:
        if p.sex == sex and (p.id not in found or found[p.id][0] < at):
            found[p.id or f"#{at}"] = (at, p)

    for at, p in mentions:
        if at < s:
            note(at, p)
    for t in doc[:s]:
        p = None
        if t.text[:1].isupper() or t.text[:1].isdigit():
            if t.i > 0 and doc[t.i - 1].text[:1].isupper():
                p = book.find(f"{doc[t.i - 1].text} {t.text}")  # "Ms A", "Child 1"
            if p is None and t.text not in _COMMON_CAPS and not _after_kin(doc, t.i):
                p = book.find(t.text)
        if p is None and t.lower_ in ("victim", "perpetrator", "deceased") and t.i > 0 and doc[t.i - 1].lower_ == "the":
            p = book.role("victim" if t.lower_ in ("victim", "deceased") else "perpetrator")
        if p is not None:
            note(t.i, p)
    return sorted(found.values(), key=lambda x: -x[0])


def _after_kin(doc, i: int) -> bool:
    """Whether token i names the relative a kin phrase just gave ("her mother Linda and her brother Tom":
    the second "her" is still the first one's person, not Linda)."""
    j = i - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    return j >= 1 and doc[j].lower_ in KIN and doc[j - 1].lower_ in ("her", "his", "their")


def _pronoun_anchor(ctx: Context, book: PersonBook, doc, s: int, sex: str, mentions=()) -> PersonRec | None:
    """The last person of that sex named before position s in the paragraph (by name or kin phrase)."""
    cands = _pronoun_candidates(ctx, book, doc, s, sex, mentions)
    if cands:
        return cands[0][1]
    for role in ("victim", "perpetrator"):
        p = book.role(role)
        if p is not None and p.sex == sex:
            return p
    return None


def _kin_match(ctx: Context, book: PersonBook, b, doc, rule: str, s: int, e: int, mentions) -> PersonRec | None:
    """Resolve one kin phrase to a person (known or new); returns who it names."""
    kin, mods = _kin_phrase(doc, s, e, rule)
    if kin not in KIN:
        return None  # plurals: "his children"
    if rule == "POSS_KIN":
        sex = PRONOUN_SEX.get(doc[s].lower_, "")
        anchor = _pronoun_anchor(ctx, book, doc, s, sex, mentions) if doc[s].lower_ != "their" else None
        if anchor is not None and anchor.id and kin in KIN and not kin_of(ctx, anchor, kin):
            # "Son 2 told the police that Mr B had threatened his mother": of two readings in the
            # sentence, the one that names a relative already known
            sent_start = doc[s].sent.start
            others = [p for at, p in _pronoun_candidates(ctx, book, doc, s, sex, mentions)[1:]
                      if at >= sent_start and p.id and len(kin_of(ctx, p, kin)) == 1]
            if len(others) == 1:
                anchor = others[0]
        if anchor is not None and not anchor.id:
            return None  # the pronoun stands for one of several people
        if anchor is not None:
            # "her mother ... her brother": the same pronoun goes on naming the same person,
            # not the relative the last phrase named
            mentions.append((s, anchor))
    elif rule == "ANCHOR_KIN":
        anchor = None
        if s > 0 and doc[s].text[:1].isupper() and doc[s - 1].text[:1].isupper():
            anchor = book.find(f"{doc[s - 1].text} {doc[s].text}")  # "Ms A's sister", "Child 1's father"
            if anchor is not None:
                s -= 1
        anchor = anchor or _resolve_anchor_word(doc[s].text, doc, book)
    elif e - s >= 3 and doc[e - 2].text == "-":
        of = max(i for i in range(s, e) if doc[i].lower_ == "of")
        anchor = book.find(doc[of + 1:e].text)  # "the maternal grandmother of the ex-partner"
    else:
        anchor = _resolve_anchor_word(doc[e - 1].text, doc, book)
    if anchor is None:
        return None
    phrase = doc[s:e].text
    named = _label_after(doc, e, book) if rule != "KIN_OF" else None
    rel = KIN[kin][0]
    if named is not None and named is not anchor:
        named.add_alias(phrase)
        named.add_source(b.ref)
        same_type = {"parent": "parent", "step_parent": "parent", "child": "parent"}.get(rel, rel.replace("half_", "").replace("step_", "").replace("former_", ""))
        if any(f.type == same_type and named.id in (f.a, f.b) for f in ctx.facts) and named not in kin_of(ctx, anchor, kin):
            return named  # already placed by an introduction ("her brother (referred to as Tom)")
        if not kin_of(ctx, anchor, kin) or named in kin_of(ctx, anchor, kin):
            if named not in kin_of(ctx, anchor, kin):
                add_kin_fact(ctx, person=named, kin=kin, anchor=anchor, ref=b.ref)
        return named
    known = kin_of(ctx, anchor, kin)
    if rel == "step_parent" and not known:
        # "her step father": the partner of one of her parents who is not her parent
        own = {f.a for f in ctx.facts if f.type == "parent" and f.b == anchor.id}
        cands = {x for f in ctx.facts if f.type == "partner" and f.status != "former"
                 for x in ((f.b,) if f.a in own else (f.a,) if f.b in own else ()) if x not in own and x != anchor.id}
        people = [q for q in (ctx.person(x) for x in cands) if q is not None and (KIN[kin][1] is None or q.sex in (None, KIN[kin][1]))]
        if len(people) == 1:
            add_kin_fact(ctx, person=people[0], kin=kin, anchor=anchor, ref=b.ref)
            known = people
    if rel in ("partner", "former_partner") and not known:
        # in a domestic homicide review the victim's partner is, by default, the perpetrator
        pairs = [("victim", "perpetrator")] + ([("perpetrator", "victim")] if rel == "partner" else [])
        for a, other in pairs:
            if anchor is book.role(a) and book.role(other) is not None:
                known = [book.role(other)]
                add_kin_fact(ctx, person=known[0], kin=kin, anchor=anchor, ref=b.ref)
                break
    if len(known) == 1 and rel in ("sibling", "partner", "friend") and \
            norm(anchor.name) == norm(f"{known[0].name}'s {kin}"):
        # "Ms A's sister told ... Her sister said": "her" is Ms A, not the sister
        anchor.add_alias(phrase)
        anchor.add_source(b.ref)
        return anchor
    if len(known) == 1:
        known[0].add_alias(phrase)
        known[0].add_source(b.ref)
        known[0].mentions += 1
        return known[0]
    if known:
        # ambiguous: "her son" when she has two; still someone a later "he"/"his" may refer to
        sexes = {q.sex for q in known}
        if len(sexes) == 1 and None not in sexes:
            mentions.append((s + 1, PersonRec(id="", name="", sex=sexes.pop())))
        return None
    if "'s " in anchor.name:
        return None  # no chains of kin ("J's uncle's uncle"): too likely a wrong pronoun
    if rule == "POSS_KIN" and rel not in ("parent", "sibling", "relative", "step_parent", "half_sibling",
                                           "step_sibling", "friend", "associate"):
        return None
    words = " ".join([*mods, kin]) if "maternal" in mods or "paternal" in mods or "great" in mods else kin
    name = f"{_display(anchor)}'s {words}"
    existing = book.find(name)
    if existing is not None:
        existing.add_alias(phrase)
        existing.add_source(b.ref)
        existing.mentions += 1
        return existing
    p = book.add(name, None, b.ref)
    p.add_alias(phrase)
    p.mentions += 1
    p.add_role("friend" if rel == "friend" else "other" if rel == "associate" else "family")
    if rule == "POSS_KIN":
        p.uncertain = "found through a pronoun ('her'/'his'); check whose relative this is"
    add_kin_fact(ctx, person=p, kin=kin, anchor=anchor, ref=b.ref)
    return p


def _display(p: PersonRec) -> str:
    return p.name


_ROLE_COUNT = re.compile(r"\b(the|a|an)\s+(?:alleged\s+)?(victim|perpetrator|deceased)\b", re.I)


def _role_persons(ctx: Context, book: PersonBook, blocks) -> None:
    counts = Counter()
    caps = Counter()
    for b in blocks:
        for m in _ROLE_COUNT.finditer(b.text):
            role = "victim" if m.group(2).lower() in ("victim", "deceased") else "perpetrator"
            counts[role] += 1
            caps[(role, m.group(2)[0].isupper())] += 1
    for role in ("victim", "perpetrator"):
        if book.role(role) or counts[role] < 3:
            continue
        upper = caps[(role, True)] > caps[(role, False)]
        name = f"the {role.capitalize() if upper else role}"
        p = book.find(name) or book.add(name, role.capitalize() if upper else role)
        p.add_role(role)


_LABEL_CONTEXT = {"appendix", "part", "section", "annex", "schedule", "table", "option", "plan", "class", "category",
                  "grade", "type", "level", "tier", "form", "room", "block", "ward", "page", "paragraph", "chapter",
                  "figure", "item", "point", "phase", "stage", "step", "no", "number", "case", "vitamin", "hepatitis"}
_NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
              "will", "grace", "hope", "faith", "joy", "rose", "victoria", "chase", "mark", "bill", "sue", "pat",
              "dawn", "summer", "autumn", "april", "christian", "justice", "page", "hunter", "king", "major", "bishop"}


#: first names that are also words ("Grace", "Will"), not months or days
_WORD_NAMES = _NOT_NAMES - {m.lower() for m in calendar.month_name if m} - {d.lower() for d in calendar.day_name}


def _pseudonyms(ctx: Context, book: PersonBook, blocks, docs) -> None:
    """Labels (S, P1, Adult A) and first names the text uses as people's names."""

    known_abbr = set(ctx.abbreviations) | {a.abbreviation for a in ctx.agencies if a.abbreviation}
    first = forenames()
    counts = Counter()
    full_names = set()
    for b, doc in zip(blocks, docs):
        if _skip_block(b):
            continue
        words = [t.text for t in doc]
        for i, w in enumerate(words):
            if not w[:1].isupper() or w in _COMMON_CAPS or w in known_abbr:
                continue
            nxt = words[i + 1] if i + 1 < len(words) else ""
            prev = words[i - 1] if i else ""
            if prev in ("Mr", "Mrs", "Ms", "Dr", "Miss", "Mr.", "Mrs.", "Dr."):
                continue
            if prev.lower() in _LABEL_CONTEXT or book.find(f"{prev} {w}") is not None:
                continue
            if re.fullmatch(r"[A-Z]\d{0,2}", w) and w not in ("I", "A") and nxt not in (".", ")") or re.fullmatch(r"[A-Z]{1,2}\d{1,2}", w):
                if nxt[:1].isupper() and len(nxt) > 1 and nxt.isalpha() and not nxt.isupper():
                    continue  # "J Smith", an initial
                counts[w] += 1
            elif w.lower() in first and w.isalpha() and len(w) > 2 and w.lower() not in _NOT_NAMES:
                if nxt[:1].isupper() and nxt.isalpha():
                    full_names.add(w)
                    continue
                counts[w] += 1
    lower_words = _lower_words(ctx)
    for b, doc in zip(blocks, docs):
        if _skip_block(b):
            continue
        for i, t in enumerate(doc):
            # "Grace", "Will": a first name that is also a word counts when the report never writes the word
            w = t.text
            if i and w.lower() in _WORD_NAMES and w[:1].isupper() and w.lower() in first and w.lower() not in \
                    lower_words and not doc[i].is_sent_start and not (i + 1 < len(doc) and doc[i + 1].text[:1].isupper()):
                counts[w] += 1
    for w, n in counts.items():
        if n >= (3 if w.lower() in first else 4) and w not in full_names and not book.find(w) and not _is_place_or_agency(ctx, w):
            p = book.add(w, w)
            p.mentions = n
            if w.lower() in first:
                p.sex = first[w.lower()]
            p.uncertain = "a name or label the text uses for a person; check who this is"


def _lower_words(ctx: Context) -> set[str]:
    """The words the report writes in lower case (so "grace" in "grace period" is a word, not a name)."""
    return set(re.findall(r"\b[a-z]+\b", ctx.doc.text))


def _is_place_or_agency(ctx: Context, word: str) -> bool:
    try:
        from dhrkg.places import force_area_for_place
        if force_area_for_place(word):
            return True
    except ImportError:  # pragma: no cover
        pass
    return any(word in a.name.split() for a in ctx.agencies)


_IS_ROLE = re.compile(
    r"\b([A-Z][A-Za-z0-9]{0,10})\b(?:,)?\s+(?:was|is|had been|being)\s+(?:believed to be\s+|later identified as\s+|identified as\s+)?the\s+((?i:perpetrator|victim))\b"
    r"|\b[Tt]he\s+((?i:perpetrator|victim))\s*,\s*([A-Z][A-Za-z0-9]{0,10})\b"
    r"|\b(?:son|daughter|husband|wife|partner|boyfriend|brother|father|mother)\s+([A-Z][A-Za-z0-9]{0,10})\s+(?:was|is)\s+(?:believed to be\s+)?the\s+(perpetrator)\b",
)


_INDEFINITE = re.compile(r"\b(?:a|the)\s+(?:concerned\s+|nearby\s+|local\s+)?(neighbour)\b(?!s)", re.I)


def _indefinite_persons(ctx: Context, book: PersonBook) -> None:
    """"a neighbour" who found or called: kept as one person, linked to the victim."""
    victim = book.role("victim")
    for b in ctx.doc.blocks:
        if b.kind == "table_row" or _skip_block(b):
            continue
        m = _INDEFINITE.search(b.text)
        if m:
            p = book.find("a neighbour") or book.add("a neighbour", "neighbour", b.ref)
            p.add_source(b.ref)
            p.add_alias(m.group(0))
            if not p.roles:
                p.roles.append("witness")
            if victim is not None and not any(f.type == "associate" and p.id in (f.a, f.b) for f in ctx.facts):
                ctx.facts.append(Fact("associate", victim.id, p.id, b.ref, label="neighbour"))


def _infer_sex(ctx: Context, book: PersonBook) -> None:
    """A person's sex from the pronoun that follows their name in a sentence ("J ... he")."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for b in ctx.doc.blocks:
        if b.kind == "table_row":
            continue
        for sent in sentences(b.text):
            m = re.match(r"^(?:On [^,]+, |In [^,]+, )?(?:The\s+)?([A-Z][A-Za-z0-9]{0,12})(\s+[A-Z0-9][A-Za-z0-9]{0,3}\b)?", sent)
            if not m:
                continue
            p = (book.find(m.group(1) + (m.group(2) or "")) if m.group(2) else None) or book.find(m.group(1)) \
                or book.find("the " + m.group(1))
            if p is None:
                continue
            pr = re.search(r"\b(she|he|her (?:husband|partner|boyfriend|son|daughter)|his (?:wife|partner|girlfriend|son|daughter))\b", sent[m.end():], re.I)
            if pr:
                votes[p.id][PRONOUN_SEX[pr.group(1).lower().split()[0]]] += 1
    for p in ctx.persons:
        if p.sex is None and votes[p.id]:
            sex, n = votes[p.id].most_common(1)[0]
            if n >= 1 and n > 2 * votes[p.id][("male" if sex == "female" else "female")]:
                p.sex = sex


def _identify_roles(ctx: Context, book: PersonBook, blocks) -> None:
    for b in blocks:
        for m in _IS_ROLE.finditer(b.text):
            label = m.group(1) or m.group(4) or m.group(5)
            role = (m.group(2) or m.group(3) or m.group(6)).lower()
            p = book.find(label) if label else None
            if p is None or p.name.lower().startswith("the "):
                continue
            holder = next((q for q in ctx.persons if q is not p and role in q.roles and q.name.lower().startswith("the ")), None)
            if holder is not None:
                if p.uncertain and not any(p.id in (f.a, f.b) for f in ctx.facts):
                    # a label found only by counting, now explained: "(A being the Victim - B being the Perpetrator)"
                    holder.add_alias(p.name)
                    ctx.persons.remove(p)
                continue
            if role not in p.roles:
                p.add_role(role)
                p.add_alias(f"the {role}")


def _attributes(ctx: Context, book: PersonBook) -> None:
    """Sex from pronouns next to a name; ages like "a 21 year old woman" for the victim."""
    victim = book.role("victim")
    if victim is not None and victim.age is None:
        victim.age = _victim_age(ctx, victim)
    for b in ctx.doc.blocks:
        if victim is not None and victim.age is None:
            m = re.search(r"\b(?:aged|age)\s+(\d{1,3})\b|\b(\d{1,3})[ -]year[ -]old\s+(?:woman|man|female|male)\b", b.text)
            if m and re.search(r"\b(death|died|killed|victim|homicide)\b", b.text, re.I) \
                    and not _KIN_BEFORE_AGE.search(b.text[max(0, m.start() - 24):m.start()]):
                victim.age = int(m.group(1) or m.group(2))
        for role in ("victim", "perpetrator"):
            p = book.role(role)
            if p is not None and not p.sex:
                m = re.search(rf"\bthe {role}\b[^.]{{0,80}}?\b(she|he)\b", b.text, re.I)
                if m:
                    p.sex = PRONOUN_SEX[m.group(1).lower()]


#: an age that follows a kin phrase is that relative's: "Her eldest son, aged 9 at the time of her death"
_KIN_BEFORE_AGE = re.compile(r"\b(?:son|daughter|child|brother|sister|nephew|niece|grandson|granddaughter),\s*$", re.I)


def _victim_age(ctx: Context, victim: PersonRec) -> int | None:
    """The age written right after the victim's name ("Jane, who was 34 when ...", "Amira, a woman of 41"), by
    the rules of kind ``victim_age`` (rules/person_intros.yaml)."""
    rules = [r for r in load_rules("person_intros").active() if r.assigns.get("kind") == "victim_age"]
    names = [n for n in (victim.name, *victim.aliases) if n and n[:1].isupper() and not n.lower().startswith("the ")]
    for b in ctx.doc.blocks:
        if b.kind == "table_row":
            continue
        for name in names:
            for m in re.finditer(r"(?<![\w'])" + re.escape(name) + r"(?![\w'])", b.text):
                for rule in rules:
                    hit = rule.pattern.search(b.text[m.end():m.end() + 80])
                    if hit is not None and 0 < int(hit.group("age")) < 110:
                        note_hit(rule.id)
                        return int(hit.group("age"))
    return None


def _sex_from_kin_aliases(p: PersonRec) -> str | None:
    """The sex the kin phrases a person is known by agree on ("his mother", "her daughter": female), or None."""
    sexes = {KIN[w][1] for a in p.aliases for w in [a.lower().split()[-1]]
             if len(a.split()) >= 2 and w in KIN and KIN[w][1]}
    return sexes.pop() if len(sexes) == 1 else None


def _killer_by_kin(ctx: Context, book: PersonBook) -> None:
    """"... after she was strangled by her husband": when no one is the perpetrator yet, the one relative of the
    victim the homicide sentence names by kin (rules/person_intros.yaml, kind ``killer_kin``) is."""
    victim = book.role("victim")
    if victim is None or book.role("perpetrator") is not None:
        return
    rules = [r for r in load_rules("person_intros").active() if r.assigns.get("kind") == "killer_kin"]
    for b in ctx.doc.blocks:
        if b.kind == "table_row":
            continue
        for rule in rules:
            for m in rule.pattern.finditer(b.text):
                kin = m.group("kin").lower()
                found = kin_of(ctx, victim, kin) if kin in KIN else []
                if len(found) == 1 and found[0] is not victim:
                    note_hit(rule.id)
                    found[0].add_role("perpetrator")
                    return


def extract_persons(ctx: Context) -> None:
    book = PersonBook(ctx)
    described = read_key_tables(ctx, book)
    read_descriptions(ctx, book, described)
    read_text_persons(ctx, book)
    _attributes(ctx, book)
    _killer_by_kin(ctx, book)
    _indefinite_persons(ctx, book)

    names = forenames()
    for p in ctx.persons:
        if (p.unborn or p.age_months is not None or (p.age is not None and p.age < 18)) \
                and any(f.type == "parent" and f.b == p.id for f in ctx.facts):
            p.add_role("child")
        if not p.roles:
            types = {f.type for f in ctx.facts if p.id in (f.a, f.b) and f.type != "abuse"}
            p.roles.append("friend" if types == {"friend"} else "other" if types == {"associate"} or not types else "family")
        for role in ("victim", "perpetrator"):
            if role in p.roles and role not in {norm(a) for a in p.aliases} | {norm(p.name)} \
                    and book.role(role) is p:   # a second victim is not "the victim"
                p.add_alias(f"the {role}")
        if p.sex is None and re.fullmatch(r"[A-Z][a-z]{2,}", p.name) and p.name.lower() in names \
                and (p.name.lower() not in _NOT_NAMES or not p.uncertain):
            p.sex = names[p.name.lower()]
        if p.sex is None:
            p.sex = _sex_from_kin_aliases(p)
