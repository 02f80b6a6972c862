"""Agencies: from the glossary, the IMR contributors list, the panel membership and the text.

Each name found is typed with the generic agency-type vocabulary and placed in
a police force area with the places reference data. Names for the same body
are merged: a full name and its abbreviation (``Birmingham and Solihull Mental
Health Foundation Trust (BSMHFT)``), spelling variants (``&``/``and``, a
parenthetical note, a filler word such as ``NHS`` or ``Partnerships``), a unit
of a named body (``... Police Major Investigations Department``), and a
shorter name whose extra words in the longer one are place names.
A service the report only describes (``the GP``, ``the ambulance crew``) is
kept as a generic agency named after its kind, noted as uncertain.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from .context import AgencyRec, Context, slug
from .forenames import forenames
from .sections import STORY_PARTS
from .sentences import sentence_at
from .vocab import REVIEW_PROCESS
from .score import norm
from .prefilter import Prefilter, exotic
from .rules import load_rules, note_hit
from .vocab import COMMISSIONING_PARTNERSHIP
from .vocab import AGENCY_HEADS, GENERIC_SERVICES, NOT_AGENCY_HEADS, RELATED_TYPES, STANDALONE_AGENCIES, agency_type

_LEADING_STOP = {
    "the", "a", "an", "on", "in", "at", "by", "for", "from", "to", "with", "when", "while", "whilst", "during",
    "after", "before", "both", "neither", "either", "each", "all", "some", "this", "that", "these", "those",
    "her", "his", "their", "its", "our", "if", "although", "though", "as", "since", "following", "however",
    "also", "other", "another", "no", "any", "local", "several", "many", "further", "and", "or", "but", "via",
    "agency", "agencies", "then", "where", "whether", "was", "were", "is", "are", "it", "so", "because", "under",
    "into", "within", "between", "of", "about", "once", "until", "unless", "between", "against", "towards",
    "there", "here", "what", "which", "who", "how", "why", "not", "most", "more", "only", "such", "staff",
    "including", "include", "including", "contacted", "informed", "called", "told", "advised", "alerted",
    "referred", "notified", "attended", "recommendation", "recommendations", "learning", "point", "agency:",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
_CONNECTORS = {"and", "of", "for", "&", "the", "-", "\u2013", "in", "on", "upon"}
_FILLER = {"nhs", "the", "and", "of", "trust", "foundation", "partnerships", "service", "services", "ft", "nhsft",
           "nhst", "cluster", "-", "team"}
_UNIT_WORDS = re.compile(r"\b(department|division|section|branch)\b", re.I)
_HEADS = set(AGENCY_HEADS) - {"Ofsted"}
_ROLE_WORDS = re.compile(
    r"\b(manager|officer|chief|head|nurse|lead|director|co-?ordinator|consultant|inspector|detective|constable|"
    r"administrator|advis[oe]r|commissioner|executive|specialist|designated|sergeant|chair|member|representative)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'&.\-]*|&|[-\u2013\u2014]|:|,|;|\t|\(|\)|/")
_PAREN = re.compile(r"\s*\([^)]*\)")
_GLOSSARY_TITLE = re.compile(r"glossary|abbreviation|acronym|terms used", re.I)
_CONTRIB = re.compile(
    r"individual management review|\bimrs?\b|chronolog|following agencies|reports? (?:were|was) (?:requested|required|received)|"
    r"agencies (?:were|was) (?:asked|requested|contacted)|contributed to (?:this|the) review|contributors", re.I)
_PANEL = re.compile(r"\bpanel\b", re.I)
_ABBR_IN_TEXT = re.compile(r"([A-Z][A-Za-z'&\- ]{3,90}?)\s*\(\s*([A-Z][A-Za-z&]{1,9}s?)\s*[)/,;]")
_ABBR_TOKEN = re.compile(r"^[A-Z][A-Za-z&/.'-]{0,11}$")
#: "SMART (Substance Misuse Arrest Referral Team)": the abbreviation first, its expansion in brackets
_ABBR_FIRST = re.compile(r"\b([A-Z][A-Z&]{1,9})\s*\(\s*([A-Z][A-Za-z'&\- ]{3,90}?)\s*\)")


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2 and len(token) <= 12


def _initials_match(name: str, abbr: str) -> bool:
    """Whether ``abbr`` can be read off ``name``'s initials (letters in order)."""
    words = [w for w in re.split(r"[\s\-/&]+", name) if w]
    initials = "".join(w[0].upper() for w in words if w[0].isalpha())
    letters = "".join(c for c in abbr.upper() if c.isalpha())
    if letters.endswith("S") and len(letters) > 2 and letters[:-1] and not initials.endswith("S"):
        letters = letters[:-1]
    it = iter(initials)
    if not all(ch in it for ch in letters):
        return False
    return initials[:1] == letters[:1]


# -- abbreviations -----------------------------------------------------------------

def read_abbreviations(ctx: Context) -> None:
    """ABBR -> expansion, from a glossary (table rows or ``ABBR: expansion`` lines) and ``Name (ABBR)`` in text."""
    in_glossary = False
    for b in ctx.doc.blocks:
        if b.kind == "heading" and not _GLOSSARY_TITLE.search(b.text) and in_glossary and not _looks_glossary_line(b.text):
            in_glossary = False
        if _GLOSSARY_TITLE.search(b.text) and len(b.text) < 60:
            in_glossary = True
            continue
        if b.cells and len(b.cells) >= 2:
            abbr, expansion = b.cells[0].strip(), " ".join(c for c in b.cells[1:] if c).strip()
            if _ABBR_TOKEN.match(abbr.split()[0] if abbr else "") and _is_acronym(abbr.split()[0]) and expansion[:1].isupper():
                if in_glossary or _initials_match(expansion, abbr.split()[0]):
                    ctx.abbreviations.setdefault(abbr.split()[0], expansion)
            continue
        if in_glossary:
            m = re.match(r"^([A-Z][A-Za-z&/.'-]{1,11})\s*(?::|-|\u2013|\u2014|=|\s)\s*(.+)$", b.text)
            if m and _is_acronym(m.group(1)):
                ctx.abbreviations.setdefault(m.group(1), m.group(2).strip())
    for b in ctx.doc.blocks:
        for m in _ABBR_IN_TEXT.finditer(b.text):
            name, abbr = m.group(1).strip(), m.group(2)
            words = name.split()
            # take the shortest tail of the words whose initials give the abbreviation
            for k in range(len(words) - 1, -1, -1):
                tail = " ".join(words[k:])
                if _initials_match(tail, abbr) and tail[:1].isupper():
                    ctx.abbreviations.setdefault(abbr, _trim_leading(tail))
                    break
        for m in _ABBR_FIRST.finditer(b.text):
            abbr, expansion = m.group(1), m.group(2).strip()
            if len(expansion.split()) >= 2 and _initials_match(expansion, abbr) \
                    and len([w for w in expansion.split() if w[:1].isupper()]) >= len(abbr.rstrip("s")) - 1:
                ctx.abbreviations.setdefault(abbr, expansion)


def _looks_glossary_line(text: str) -> bool:
    return bool(re.match(r"^[A-Z][A-Za-z&/.'-]{1,11}\s*[:=\u2013\u2014-]\s+\S", text))


def _trim_leading(name: str) -> str:
    words = name.split()
    while words and words[0].lower() in _LEADING_STOP:
        words = words[1:]
    return " ".join(words)


# -- names in text --------------------------------------------------------------------

def names_in(text: str, dashes: bool = True) -> list[tuple[int, int, str]]:
    """Capitalised names of bodies ending in an agency head word: (start, end, name).

    ``dashes=False`` for running text, where a spaced dash separates clauses, not parts of a name.
    """
    out = []
    tokens = [t for t in _WORD.finditer(text)]
    if not dashes:
        cut = []
        for t in tokens:
            cut.append(t)
        tokens = cut
    i = 0
    while i < len(tokens):
        t = tokens[i].group(0)
        if not (t[:1].isupper() or t == "NHS"):
            i += 1
            continue
        j = i
        last_head = None
        while j < len(tokens):
            w = tokens[j].group(0)
            if j > i and tokens[j - 1].group(0).endswith(".") and tokens[j - 1].group(0) not in ("St.", "Snr."):
                break
            if not dashes and w in ("-", "\u2013", "\u2014"):
                break
            if w[:1].isupper() or w in ("NHS",) or (w.lower() in _CONNECTORS and j + 1 < len(tokens)
                                                     and (tokens[j + 1].group(0)[:1].isupper() or tokens[j + 1].group(0) in ("-", "&"))):
                if _is_head(w.rstrip(".")) or w.rstrip(".") in _PLACE_HEADS:
                    last_head = j
                j += 1
                continue
            break
        if last_head is not None:
            last_head = _place_tail(tokens, last_head)
            words = [tk.group(0) for tk in tokens[i:last_head + 1]]
            words[-1] = re.sub(r"['’]s$", "", words[-1].rstrip("."))   # "the Trust's emergency department"
            k = 0
            while k < len(words) - 1 and (words[k].lower() in _LEADING_STOP or words[k] in ("-", "&", ":")):
                k += 1
            for part in _split_forces(_split_conjoined(words[k:])):
                name = " ".join(part)
                name = re.sub(r"\s+([,)])", r"\1", name)
                if _good_name(part):
                    out.append((tokens[i + k].start(), tokens[last_head].end(), name))
        i = max(j, i + 1)
    return out


def _place_tail(tokens: list, last_head: int) -> int:
    """Take in a place after the head word: "HM Coroner for Worcestershire", "Probation Service for Wales"."""
    if last_head + 2 >= len(tokens) or tokens[last_head + 1].group(0) != "for":
        return last_head
    run, q = [], last_head + 2
    while q < len(tokens) and (tokens[q].group(0)[:1].isupper() or (run and tokens[q].group(0) == "and")) \
            and not tokens[q].group(0).endswith("."):
        run.append(tokens[q].group(0))
        q += 1
    while run and run[-1] == "and":
        run.pop()
        q -= 1
    if run and len(run) <= 4 and _is_place(" ".join(run)):
        return last_head + 1 + len(run)
    return last_head


@functools.lru_cache(maxsize=4096)
def _is_place(text: str) -> bool:
    try:
        from dhrkg.places import canonical_force_area, force_area_for_place
    except ImportError:  # pragma: no cover
        return False
    return bool(canonical_force_area(text) or force_area_for_place(text))


def _is_head(word: str) -> bool:
    return word in _HEADS or (word.endswith("'s") and word[:-2] in _HEADS)


def _split_forces(parts: list[list[str]]) -> list[list[str]]:
    """"Warwickshire and West Mercia Police" names two forces (unless the pair is one force's name)."""
    try:
        from dhrkg.places import canonical_force_area
    except ImportError:  # pragma: no cover
        return parts
    out = []
    for words in parts:
        text = " ".join(words)
        m = re.match(r"^(.+?) and (.+?) (Police|Constabulary)$", text)
        if m and canonical_force_area(f"{m.group(1)} and {m.group(2)}") is None \
                and canonical_force_area(m.group(1)) and canonical_force_area(m.group(2)):
            out.append(f"{m.group(1)} {m.group(3)}".split())
            out.append(f"{m.group(2)} {m.group(3)}".split())
        else:
            out.append(words)
    return out


def _split_conjoined(words: list[str]) -> list[list[str]]:
    """"Police and Children's Services" is two bodies; "Staffordshire and West Midlands Probation Trust" is one."""
    for k, w in enumerate(words):
        if w in ("and", "&") and k > 0 and (
                _is_head(words[k - 1]) and any(_is_head(x) or x in _PLACE_HEADS for x in words[k + 1:])
                or words[k - 1] in _PLACE_HEADS and any(_is_head(x) for x in words[k + 1:])):
            return [words[:k], *_split_conjoined(words[k + 1:])]
    return [words]


#: last words that make a body's name only after a place: "Warwickshire Education and Learning",
#: "Birmingham Children's Social Care"
_PLACE_HEADS = {"Education", "Learning", "Care"}


def _good_name(words: list[str]) -> bool:
    if len(words) < 2:
        return False
    if words[-1] in _PLACE_HEADS:
        if words[-1] == "Care" and words[-2] != "Social" or words[-1] == "Learning" and words[-3:-1] != ["Education", "and"]:
            return False
        if force_area_of(" ".join(words)) is None:
            return False
    last = words[-1]
    if last.endswith("s") and last[:-1] in _HEADS and last not in ("Services", "Surgeries"):
        return False  # a plural: a kind of body, not one body
    if words[-1].lower() in NOT_AGENCY_HEADS:
        return False
    if any(w.lower() in NOT_AGENCY_HEADS for w in words[-2:-1]) and words[-1] in ("Service", "Services", "Team"):
        return False
    if any(_ROLE_WORDS.fullmatch(w) for w in words):
        return False
    content = [w for w in words if w.lower() not in _CONNECTORS]
    if len(content) < 2:
        return False
    # "Domestic Homicide Review Panel", "Mental Health Act" ...
    if any(w.lower() in ("review", "act", "plan", "conference") for w in content):
        return False
    if any(w.lower() == "domestic" and nxt.lower() == "homicide" for w, nxt in zip(content, content[1:])):
        return False
    return True


# -- the registry ---------------------------------------------------------------------

_SYNONYMS = [
    (re.compile(r"\bhealth care\b"), "healthcare"),
    (re.compile(r"\bchildrens (?:social care|social services|services|social work)\b"), "childrens social care"),
    (re.compile(r"\badults? (?:social care|social services|services|social work)\b"), "adult social care"),
]


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> frozenset[str]:
    """The words that tell a body's name apart, spelling variants folded (``Homelessness``/``Homeless``,
    ``Health Care``/``Healthcare``, ``Children's Services``/``Children's Social Care``)."""
    n = norm(_PAREN.sub("", name)).replace("-", " ")
    for pattern, repl in _SYNONYMS:
        n = pattern.sub(repl, n)
    return frozenset(t[:-4] if t.endswith("ness") and len(t) > 7 else t for t in n.split() if t not in _FILLER)


def _bilingual_pair(name: str) -> tuple[str, str] | None:
    """(name, alias) of a body named twice across " / " (a Welsh and an English name), or None. The name is
    the side whose last word is a head word of a body, else the side that holds one (the second when both
    do); each side must be a capitalised name of two words or more."""
    sides = [x.strip() for x in name.split(" / ")]
    if len(sides) != 2 or any(len(x.split()) < 2 or not x[:1].isupper() for x in sides):
        return None
    for test in (lambda x: _is_head(x.split()[-1]), lambda x: any(_is_head(w) for w in x.split())):
        heads = [test(x) for x in sides]
        if heads == [True, False]:
            return sides[0], sides[1]
        if heads[1]:
            return sides[1], sides[0]
    return None


class AgencyBook:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _key(self, name: str) -> frozenset[str]:
        return name_key(name)

    def find(self, name: str) -> AgencyRec | None:
        n = norm(name)
        key = self._key(name)
        for a in self.ctx.agencies:
            if n in {norm(x) for x in a.names()}:
                return a
        for a in self.ctx.agencies:
            if key and any(self._key(x) == key for x in [a.name, *a.aliases]):
                return a
        return None

    def add(self, name: str, origin: str, block_index: int = -1, abbreviation: str | None = None) -> AgencyRec | None:
        name = re.sub(r"\s+", " ", name).strip(" ,;:.-")
        pair = _bilingual_pair(name)
        if pair is not None:
            # "Heddlu Gogledd Cymru / North Wales Police": one body, by the name whose last word is a body's head
            # word (the English one), the other kept as its alias
            rec = self.add(pair[0], origin, block_index, abbreviation)
            if rec is not None and norm(pair[1]) not in {norm(x) for x in rec.names()}:
                rec.aliases.append(pair[1])
            return rec
        name = re.sub(r"\s*\((?:re|regarding|to incorporate|for|drug|formerly)\b[^)]*\)\s*$", "", name, flags=re.I).strip()
        if len(name) < 2:
            return None
        m = re.match(r"^(.*\S)\s*\(([A-Z][A-Za-z&]{1,9})\)$", name)
        if m and abbreviation is None and _initials_match(m.group(1), m.group(2)):
            name, abbreviation = m.group(1), m.group(2)
        if abbreviation is None and name in self.ctx.abbreviations and _is_acronym(name):
            name, abbreviation = self.ctx.abbreviations[name], name
        if abbreviation is None:
            for abbr, expansion in self.ctx.abbreviations.items():
                if norm(expansion) == norm(name):
                    abbreviation = abbr
                    break
        found = self.find(name) or (self._by_abbreviation(abbreviation) if abbreviation else None)
        if found is None and abbreviation is None and name in self.ctx.abbreviations:
            found = self.find(self.ctx.abbreviations[name])
        if found is not None:
            if norm(name) not in {norm(x) for x in found.names()}:
                found.aliases.append(name)
            if abbreviation and not found.abbreviation:
                found.abbreviation = abbreviation
            if _rank(origin) < _rank(found.origin):
                found.origin = origin
            found.mentions += 1
            found.last_block = max(found.last_block, block_index)
            return found
        taken = {a.id for a in self.ctx.agencies}
        rec = AgencyRec(
            id=self.ctx.new_id(slug(abbreviation or name, 30).lower(), taken),
            name=name, type=agency_type(name + (f" {abbreviation}" if abbreviation else "")),
            abbreviation=abbreviation, origin=origin, mentions=1, last_block=block_index,
        )
        rec.police_force_area = force_area_of(name)
        self.ctx.agencies.append(rec)
        return rec

    def _by_abbreviation(self, abbr: str) -> AgencyRec | None:
        return next((a for a in self.ctx.agencies if a.abbreviation == abbr), None)


def _rank(origin: str) -> int:
    return {"contributors": 0, "panel": 1, "glossary": 2, "text": 3, "generic": 4}.get(origin, 5)


def force_area_of(name: str) -> str | None:
    """The police force area a body's name places it in (first place name that resolves)."""
    return _force_area_of(name)


@functools.lru_cache(maxsize=4096)
def _force_area_of(name: str) -> str | None:
    try:
        from dhrkg.places import canonical_force_area, force_area_for_place
    except ImportError:  # pragma: no cover - reference data missing
        return None
    words = re.findall(r"[A-Z][A-Za-z'\-]+(?:\s+(?:and\s+)?[A-Z][A-Za-z'\-]+)*", _PAREN.sub("", name))
    for phrase in words:
        parts = phrase.split()
        for size in range(min(4, len(parts)), 0, -1):
            for k in range(0, len(parts) - size + 1):
                cand = " ".join(parts[k:k + size])
                if cand.lower() in ("nhs", "police", "trust", "council", "service", "city", "county", "and"):
                    continue
                area = canonical_force_area(cand) or force_area_for_place(cand)
                if area:
                    return area
    return None


# -- the extractor ----------------------------------------------------------------------

def extract_agencies(ctx: Context) -> None:
    read_abbreviations(ctx)
    book = AgencyBook(ctx)
    blocks = ctx.doc.blocks

    # 1. the contributors (IMR) list: list items after a paragraph that announces them
    for k, b in enumerate(blocks):
        if (b.kind in ("paragraph", "list_item", "heading") and _CONTRIB.search(b.text) and (
                b.text.rstrip().endswith(":") or "following" in b.text.lower())) \
                or (b.kind == "heading" and b.part == "contributors" and _CONTRIB.search(b.text)):
            for item in blocks[k + 1:k + 40]:
                if item.kind == "list_item" or (item.kind == "heading" and not item.number and len(item.text) < 120):
                    text = item.text
                    if not _contributor_like(text):
                        if item.kind == "heading":
                            break
                        continue
                    _add_contributor(book, _clean_item(text), item.index)
                elif item.kind == "table_row" and item.cells:
                    for cell in item.cells:
                        if _agency_like(cell):
                            book.add(_clean_item(cell), "contributors", item.index)
                else:
                    break

    # 2. the panel: table rows / list items under a panel heading or paragraph
    for k, b in enumerate(blocks):
        if _PANEL.search(b.text) and (b.kind == "heading" or b.text.rstrip().endswith(":")) and len(b.text) < 200:
            rows = []
            for item in blocks[k + 1:k + 30]:
                if item.kind == "table_row" and item.cells:
                    rows.append(item)
                    continue
                if rows:
                    _add_member_rows(book, rows)
                    rows = []
                if item.kind == "list_item":
                    _add_member_item(book, item.text, item.index)
                elif item.kind == "heading" and len(item.text) < 60 and not (item.part and b.part and item.part != b.part):
                    continue  # a sub-heading of the panel list; a heading of another part ends it
                else:
                    break
            if rows:
                _add_member_rows(book, rows)

    # 3. glossary expansions that are bodies
    for abbr, expansion in ctx.abbreviations.items():
        last = re.findall(r"[A-Za-z']+", _PAREN.sub("", expansion).split(" - ")[0])[-1:] or [""]
        if (_is_head(last[0]) or last[0][:-1] in _HEADS) and expansion[:1].isupper():
            rec = book.find(expansion)
            if rec is None and any((" " + norm(expansion)) in norm(x) for a in ctx.agencies for x in a.names()):
                continue  # a unit already named in full
            if rec is None:
                book.add(_PAREN.sub("", expansion).split(" - ")[0].strip(), "glossary", -1, abbreviation=abbr)
            elif not rec.abbreviation:
                rec.abbreviation = abbr

    # 4. names in the text (body blocks, not the bibliography)
    facilities: dict[str, set[int]] = {}
    for b in blocks:
        for piece in (b.cells or [b.text]):
            for _, _, name in names_in(piece, dashes=bool(b.cells)):
                if book.find(name) is not None or _proper_body(name):
                    book.add(name, "text", b.index)
                elif _service_named(b, name):
                    book.add(name, "text", b.index)
                elif name.split()[-1] in _FACILITY_HEADS:
                    facilities.setdefault(name, set()).add(b.index)
        for word in dict.fromkeys(_STANDALONE.findall(b.text)):
            book.add(word, "text", b.index)
    # a facility the report names by its kind again and again ("the Walk in Centre") is one the family used
    for name, where in facilities.items():
        if len(where) >= 3 and agency_type(name) != "gp":
            rec = book.add(name, "text", min(where))
            if rec is not None:
                rec.mentions = max(rec.mentions, len(where))
    # 5. the services a person "had contact with" / "was known to", listed beside named bodies
    for b in blocks:
        if "contact with" in b.text or "known to" in b.text or "involvement" in b.text or " by " in b.text \
                or " from " in b.text:
            for name in _contact_list_names(book, b.text):
                book.add(name, "text", b.index)
    # 6. a facility someone was sent to that the report does not name: "remanded to the regional forensic unit"
    for b in blocks:
        for m in _FACILITY.finditer(b.text):
            name = _facility_name(m.group(1))
            if name:
                book.add(name, "text", b.index)
    # 7. a body whose representative or specialist helped the review or the family
    for b in blocks:
        for m in _REPRESENTATIVE.finditer(b.text):
            words = m.group(1).split()
            while words and not _is_head(words[-1]):
                words.pop()
            if _good_name(words) and book.find(" ".join(words)) is None:
                book.add(" ".join(words), "text", b.index)
    _merge_variants(ctx)
    _fold_hospitals_into_their_trust(ctx)
    _fold_generic_units(ctx)
    _prune(ctx)
    _add_spelling_aliases(ctx)
    _add_service_aliases(ctx)


_CONTACT_LIST = re.compile(r"\b(?:had (?:had )?contact with|in contact with|was known to|were known to|been known to|"
                           r"involvement (?:of|with|from)|(?i:information|reports?|chronologies|contributions?)\s+(?:was|were)\s+"
                           r"(?:provided|supplied|given|received)\s+(?:by|from))\s+(?:the\s+)?([^.;:()]{3,200})")
_TITLE_WORD = re.compile(r"^(?:[A-Z][A-Za-z'\-]*|of|and|for|the|&)$")


def _contact_list_names(book: "AgencyBook", text: str) -> list[str]:
    """"had contact with Education Social Welfare, Educational Psychologists, YOT and CAMHS": when a list of
    whom someone had contact with holds a body already known, its other title-case items are bodies too."""

    out = []
    for m in _CONTACT_LIST.finditer(text):
        items = [x.strip() for x in re.split(r",\s*|\s+and\s+(?=[A-Z])", m.group(1))]
        clean = []
        for item in items:
            words = item.split()
            # the list ends at the first item that is not a title-case name
            if not words or not all(_TITLE_WORD.match(w) for w in words) or not words[0][:1].isupper():
                if words and words[0][:1].isupper():
                    cut = []
                    for w in words:
                        if not _TITLE_WORD.match(w):
                            break
                        cut.append(w)
                    while cut and cut[-1] in ("of", "and", "for", "the", "&"):
                        cut.pop()
                    if cut:
                        clean.append(" ".join(cut))
                break
            clean.append(item)
        known = [x for x in clean if book.find(x) is not None or (x in book.ctx.abbreviations and _is_acronym(x))]
        if not known:
            continue
        for item in clean:
            words = item.split()
            if item in known or len(words) < 2 or len(words) > 6 \
                    or (words[0].lower() in forenames() and not _is_head(words[-1])) \
                    or words[0] in ("Mr", "Mrs", "Ms", "Miss", "Dr", "Adult", "Child", "Baby"):
                continue
            key = name_key(item)
            if any(key <= name_key(n) for a in book.ctx.agencies for n in a.names()):
                continue  # "Children's Services" for "Birmingham Children's Services"
            out.append(item)
    return out


_FACILITY = re.compile(
    r"\b(?:(?:remanded|admitted|referred|transferred|taken|moved|discharged|released|placed|seen|treated)\s+"
    r"(?:to|from|in|at|into|by)|attended)\s+(?:the|a|an)\s+((?:[A-Za-z][A-Za-z'\-]*\s+){1,5}?"
    r"(?:unit|clinic|centre|center|hostel|refuge))\b")
_VAGUE = {"local", "same", "new", "another", "other", "nearby", "different", "specialist", "appropriate", "relevant",
          "secure", "private", "first", "second", "next", "previous", "former", "further", "single"}


#: words of a hospital's own departments ("the intensive care unit"): part of the hospital, not a body
_HOSPITAL_PARTS = {"intensive", "care", "emergency", "accident", "admissions", "assessment", "medical", "surgical",
                   "dependency", "ward", "burns", "trauma", "coronary", "stroke", "day", "outpatient", "outpatients"}


def _facility_name(phrase: str) -> str | None:
    """"regional forensic unit", "Out of Hours GP clinic": the words before the kind of place describe it."""
    words = phrase.split()
    if len(words) < 2 or words[0].lower() in _VAGUE:
        return None
    if any(w.lower() in _LEADING_STOP and w.lower() != "of" for w in words[:-1]):
        return None
    if any(w.lower() in ("his", "her", "their", "its") or w.lower() in _HOSPITAL_PARTS for w in words):
        return None
    return " ".join(words)


_FACILITY_HEADS = {"Centre", "Center", "Clinic", "Surgery", "Practice", "Hostel", "Refuge"}
_REPRESENTATIVE = re.compile(
    r"\b(?i:representatives?|specialists?|advis[oe]rs?|experts?|practitioners?) (?:from|of) (?:the )?"
    r"([A-Z][A-Za-z'&\-]*(?: +(?:[A-Z][A-Za-z'&\-]*|of|and|for|to|&))*)")


_STANDALONE = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(STANDALONE_AGENCIES, key=len, reverse=True)) + r")\b")


#: a described service given its name in the story: "her GP at Dearne Valley Surgery", "her school, Kingstone
#: Academy,", "the health visitor from Oakfield Practice": the name is a body the family used, though it holds no place name

def _service_named(b, name: str) -> bool:
    """The story names the body right after the service it is ("her GP at X Surgery"), or a heading of the
    story is the body's name alone (the section telling what "Brayford Medical Practice" did)."""
    if b.part not in STORY_PARTS:
        return False
    if b.kind == "heading":
        return _HEAD_NUMBER.sub("", b.text).strip(" .:") == name
    return service_named_rule(b.text, name) is not None


def service_named_rule(text: str, name: str):
    """The rule of rules/service_named.yaml that names ``name`` in the text right after its service, or None."""
    if name not in text:
        return None
    for rule in load_rules("service_named").active():
        if len(name.split()) < rule.assigns.get("min_words", 1):
            continue
        for m in rule.pattern.finditer(text):
            after = text[m.end():m.end() + len(name) + 1]
            if after.startswith(name) and not after[len(name):][:1].isalnum():
                note_hit(rule.id)
                return rule
    return None


_HEAD_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.|[ivx]+\.)\s+")


def _proper_body(name: str) -> bool:
    """A name that picks out one body: it holds a place name, or is a national body."""
    if re.match(r"^(National|NHS|HM|Her Majesty's|Home Office|Crown Prosecution)\b", name):
        return True
    return force_area_of(name) is not None


def _add_member_rows(book: "AgencyBook", rows: list) -> None:
    """Panel table rows: the column that holds bodies' names, whole; else the names in every cell."""
    width = max(len(r.cells) for r in rows)
    score = [0] * width
    for r in rows:
        for c, cell in enumerate(r.cells):
            if _agency_like(cell) and not _ROLE_WORDS.search(cell):
                score[c] += 1
    best = max(range(width), key=lambda c: score[c])
    if score[best] * 2 >= len(rows):
        for r in rows:
            if best < len(r.cells):
                _add_member_cell(book, r.cells[best], r.index)
        return
    for r in rows:
        for cell in r.cells:
            _add_member_cell(book, cell, r.index)


def _add_member_cell(book: "AgencyBook", cell: str, index: int) -> None:
    """A panel table cell: the whole cell when it is just a body's name, else the names in it."""
    cell = cell.strip(" ;,")
    if not cell:
        return
    if not _ROLE_WORDS.search(cell) and _agency_like(cell) and len(cell) < 120:
        book.add(cell, "panel", index)
        return
    for piece in re.split(r";", cell):
        for _, end, name in names_in(piece):
            after = piece[end:].split()
            if after and _ROLE_WORDS.fullmatch(after[0].strip(",;()")):
                # "X County Council Quality & Safeguarding Services Manager": the job title starts
                # after the body's first head word
                first = _first_head_name(name)
                if first == name and not _proper_body(name):
                    continue  # "Senior Probation Officer": a job title, not a body
                name = first
            book.add(name, "panel", index)


def _first_head_name(name: str) -> str:
    words = name.split()
    for k in range(1, len(words)):
        if _is_head(words[k]) and _good_name(words[:k + 1]):
            return " ".join(words[:k + 1])
    return name


def _add_member_item(book: "AgencyBook", text: str, index: int) -> None:
    """A panel list item: "Role, Body" or "Role, Unit, Parent body" (the body is what follows the role)."""
    pieces = [p.strip() for p in re.split(r",\s+", text) if p.strip()]
    if len(pieces) >= 2:
        roles = [i for i, piece in enumerate(pieces) if _ROLE_WORDS.search(piece)]
        if roles:
            rest = pieces[roles[-1] + 1:]
        else:
            first = next((i for i, piece in enumerate(pieces) if _agency_like(piece)), None)
            rest = pieces[first:] if first is not None else []
        if rest and _agency_like(rest[-1]) and len(", ".join(rest)) < 140:
            book.add(", ".join(rest), "panel", index)
            return
    for cell in pieces[1:] or [text]:
        _add_member_cell(book, cell, index)


def _contributor_like(text: str) -> bool:
    """A contributors-list item names a body even without a head word ("Birmingham Children's Social Care")."""
    if _agency_like(text):
        return True
    t = _PAREN.sub("", text).strip()
    if not t[:1].isupper() or t.endswith((":", "?")) or len(t.split()) > 10 or re.search(r"[.?!]\s", t):
        return False
    content = [w for w in t.split() if w.lower() not in _CONNECTORS]
    if sum(1 for w in content if w[:1].isupper()) < 0.6 * len(content):
        return False  # a sentence, not a name
    return bool(services_in(t)) or agency_type(t) != "other"


def _descriptive(label: str) -> bool:
    """A label rather than a name: it holds a lower-case word that is not a connector ("Probation including X")."""
    return any(w[:1].islower() and w.lower() not in _CONNECTORS for w in label.split())


_WITH_SERVICES = re.compile(r"^(.+?)\s+(?:and|&)\s+(?:the\s+)?(?:relevant|local|other|associated|various|individual)\s+(.+)$")


def _add_contributor(book: "AgencyBook", text: str, index: int) -> None:
    # "Probation including Birmingham – National Probation Service Midlands Division, ...": a label, then the body
    m = re.match(r"^(.+?)\s+[\u2013\u2014-]\s+(.+)$", text)
    if m and _descriptive(m.group(1)) and _agency_like(m.group(2)):
        text = m.group(2)
    # "X NHS Cluster and relevant GPs": a body, and the services of a kind it stands for
    m = _WITH_SERVICES.match(text)
    if m and _agency_like(m.group(1)) and services_in(m.group(2)):
        book.add(m.group(1), "contributors", index)
        _, kind, display = services_in(m.group(2))[0]
        generic_agency(book.ctx, kind, display, index).listed = True
        return
    rec = book.add(text, "contributors", index)
    # "National Probation Service Midlands Division, Birmingham, Coventry and Solihull": the body before the places
    head = _PAREN.sub("", text).split(", ")[0].strip()
    places = [x for x in re.split(r",\s*|\s+and\s+", _PAREN.sub("", text)[len(head):]) if x.strip()]
    if rec is not None and places and all(_is_place(x.strip()) for x in places) and _agency_like(head) \
            and len(head.split()) >= 2 and norm(head) not in {norm(x) for x in rec.names()} \
            and book.find(head) in (None, rec):
        rec.aliases.append(head)


def _clean_item(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ;,.")
    return text


#: a table's header cell ("Agency | Contribution"), not a body
_HEADER_CELL = re.compile(r"^(?:(?:lead |contributing |partner )?agenc(?:y|ies)|organi[sz]ations?|bod(?:y|ies)|"
                          r"services?|name|role|contribution)$", re.I)


def _agency_like(text: str) -> bool:
    t = _PAREN.sub("", text).strip()
    if not t or len(t) > 160 or not t[:1].isupper() or _HEADER_CELL.match(t):
        return False
    if t in STANDALONE_AGENCIES:
        return True
    words = re.findall(r"[A-Za-z']+", t)
    return any(w in _HEADS for w in words) or bool(re.search(r"\b(NHS|GPs?|CCG)\b", t))


def _place_words(fuller: str, extra: set[str]) -> bool:
    """Whether the words of ``fuller`` that are in ``extra`` name a place (in their order)."""
    try:
        from dhrkg.places import force_area_for_place
    except ImportError:  # pragma: no cover
        return False
    rest = [w for w in norm(_PAREN.sub("", fuller)).replace("-", " ").split() if w in extra and w not in _FILLER]
    if not rest:
        return False
    return force_area_for_place(" ".join(rest)) is not None or all(force_area_for_place(w) is not None for w in rest)


def _merge_variants(ctx: Context) -> None:
    """Fold a unit of a body, or a name short of some place words, into the fuller name."""
    memo: dict[str, tuple[str, set[str]]] = {}

    def forms(name: str) -> tuple[str, set[str]]:
        """The name normalised, and its words without the bracketed part (computed once per name)."""
        got = memo.get(name)
        if got is None:
            got = memo[name] = (norm(name), set(norm(_PAREN.sub("", name)).replace("-", " ").split()))
        return got

    changed = True
    while changed:
        changed = False
        for a in list(ctx.agencies):
            for b in list(ctx.agencies):
                if a is b or a not in ctx.agencies or b not in ctx.agencies:
                    continue
                (na, ta), (nb, tb) = forms(a.name), forms(b.name)
                fold = False
                # b is a unit of a: "X Police Major Investigations Department" (not a region of a national body)
                if nb.startswith(na + " ") and _UNIT_WORDS.search(nb[len(na):]) and a.type == b.type \
                        and force_area_of(a.name):
                    fold = True
                # a is b with some place words left out: keep the fuller b
                elif ta < tb and a.type == b.type and _place_words(b.name, tb - ta) and len(ta - _FILLER) >= 2:
                    fold = True
                # a is b cut short: "X NHS Cluster" for "X NHS Cluster of Primary Care Trusts"
                elif (nb.startswith(na + " of ") or nb.startswith(na + " for ")) and len(ta - _FILLER) >= 1:
                    fold = True
                # a is b shortened in the middle: "Pathway to Recovery Service", "Pathway to Recovery Drug
                # Advisory Service"
                elif _shortened(a.name, b.name) and a.type == b.type:
                    fold = True
                # a trust named after its hospital: "X Women's NHS Foundation Trust", "X Women's Hospital Foundation Trust"
                elif _hospital_trust(a, b) and _rank(b.origin) <= _rank(a.origin):
                    fold = True
                if fold:
                    keep, drop = (a, b) if nb.startswith(na + " ") and _UNIT_WORDS.search(nb[len(na):]) \
                        and a.type == b.type and force_area_of(a.name) else (b, a)
                    _absorb(keep, drop)
                    ctx.agencies.remove(drop)
                    changed = True


def _shortened(short: str, full: str) -> bool:
    """``short`` is ``full`` with words left out between a shared start (two or more words, not all
    places) and the same last word."""
    s, f = norm(_PAREN.sub("", short)).split(), norm(_PAREN.sub("", full)).split()
    if len(s) < 3 or len(f) <= len(s) or s[-1] != f[-1] or f[:len(s) - 1] != s[:-1]:
        return False
    start = [w for w in s[:-1] if w not in _FILLER and w not in _CONNECTORS]
    return len(start) >= 2 and not _is_place(" ".join(s[:-1]).title())


_HEALTH_TYPES = {"health", "maternity", "mental_health"}


def _hospital_trust(a: AgencyRec, b: AgencyRec) -> bool:
    if a.type not in _HEALTH_TYPES or b.type not in _HEALTH_TYPES:
        return False
    hospital = {"hospital", "hospitals"}
    ka, kb = name_key(a.name), name_key(b.name)
    if not ((ka & hospital) or (kb & hospital)) or len(ka - hospital) < 2:
        return False
    trust = re.compile(r"\b(nhs|trust)\b")
    return ka - hospital == kb - hospital and ka != kb and bool(trust.search(norm(a.name)) and trust.search(norm(b.name)))


def _fold_hospitals_into_their_trust(ctx: Context) -> None:
    """A hospital the report names only in the section headed by a health trust ("United Lincolnshire Hospitals
    NHS Trust ... attended the emergency department at Lincoln County Hospital") is that trust's: an alias."""
    trusts = {norm(a.name): a for a in ctx.agencies if a.type in _HEALTH_TYPES and _TRUST_WORD.search(a.name)}
    if not trusts:
        return
    for a in list(ctx.agencies):
        if a.type not in _HEALTH_TYPES or not _HOSPITAL_WORD.search(a.name) or _TRUST_WORD.search(a.name):
            continue
        sections = {_HEAD_NUMBER.sub("", b.section or "").strip(" .:") for b, _, _ in _mentions(ctx, a, set())}
        owners = {trusts.get(norm(x)) for x in sections}
        if len(owners) == 1 and None not in owners:
            _absorb(owners.pop(), a)
            ctx.agencies.remove(a)


_TRUST_WORD = re.compile(r"\b(?:NHS|Trust|Health Board)\b")
_HOSPITAL_WORD = re.compile(r"\bHospital\b")


def _absorb(keep: AgencyRec, drop: AgencyRec) -> None:
    for n in [drop.name, *drop.aliases]:
        if norm(n) not in {norm(x) for x in keep.names()}:
            keep.aliases.append(n)
    keep.abbreviation = keep.abbreviation or drop.abbreviation
    keep.mentions += drop.mentions
    keep.last_block = max(keep.last_block, drop.last_block)
    if _rank(drop.origin) < _rank(keep.origin):
        keep.origin = drop.origin


# -- generic services ---------------------------------------------------------------------

def generic_agency(ctx: Context, kind: str, display: str, block_index: int) -> AgencyRec:
    """The agency for a service the report describes without naming it (created once per kind)."""
    for a in ctx.agencies:
        if a.origin == "generic" and a.type == kind:
            return a
    taken = {a.id for a in ctx.agencies}
    abbr = None
    for ab, expansion in ctx.abbreviations.items():
        if norm(ab) == norm(display) or norm(expansion) in (norm(display), "general practitioner") and kind == "gp":
            abbr = ab
            break
    rec = AgencyRec(
        id=ctx.new_id(slug(display, 30), taken), name=display, type=kind, abbreviation=abbr, origin="generic",
        mentions=0, last_block=block_index,
        notes="uncertain: a service the report describes without naming the body",
    )
    ctx.agencies.append(rec)
    return rec


#: the services' patterns with the literals their matches start with (a cheap test before each search)
_SERVICES = [(Prefilter(p), kind, display) for p, kind, display in GENERIC_SERVICES]


def services_in(text: str) -> list[tuple[int, str, str]]:
    """Generic service mentions in a sentence: (position, type, display name)."""
    # the literal test rules out most patterns without a search (faster than one search of all of them)
    out = []
    lowered, odd = text.lower(), exotic(text)
    for pre, kind, display in _SERVICES:
        if not pre.may_match(lowered, odd):
            continue
        for m in pre.pattern.finditer(text):
            out.append((m.start(), kind, display))
    out.sort()
    return out


# -- which bodies the review counts ---------------------------------------------------------

#: sections about the review itself (its chair, terms of reference, recommendations), where a body
#: named once is named as a reader or overseer of the review, not as one that knew the family
_PROCESS_ONLY = re.compile(
    r"terms of reference|independen|\bauthor|\bchair|\bmedia\b|confidential|dissemination|recommendation|"
    r"glossary|abbreviation|acronym|contents|equality|steering|action plan|scoping|methodology", re.I)
#: a sentence that says the body knew the family or gave the review information
_CONTACT = re.compile(
    r"\b(contact(?:ed)? with|known to|involve(?:d|ment) with|received (?:from|by)|information (?:from|report)|"
    r"provided (?:information|a report|a chronology|background)|submitted|referr\w*|attend\w*|saw|seen|visit\w*|"
    r"assess\w*|admitted|discharged|arrest\w*|appeared|treat\w*|supported (?:by|the)|notified|investigat\w*)\b", re.I)
#: the bodies that commission and oversee a review (counted whether or not they knew the family)
_OVERSIGHT = re.compile(COMMISSIONING_PARTNERSHIP + r"|safeguarding (?:children|adults?|vulnerable adults?) (?:board|partnership)|"
                        r"\bcsp\b|\blscb\b|\bscb\b", re.I)
_UNIT_HEADS = {"unit", "units", "team", "teams", "hub", "department", "division", "section", "service"}


def _glossary_blocks(ctx: Context) -> set[int]:
    out, inside = set(), False
    for b in ctx.doc.blocks:
        if _GLOSSARY_TITLE.search(b.text) and len(b.text) < 60:
            inside = True
            out.add(b.index)
            continue
        if inside:
            if b.cells and len(b.cells) >= 2 or _looks_glossary_line(b.text) or \
                    (b.kind == "heading" and re.match(r"^[A-Z][A-Za-z&/.'-]{1,11}\s*[:=\-\u2013]\s", b.text)):
                out.add(b.index)
                continue
            inside = False
    return out


def _name_pattern(a: AgencyRec) -> re.Pattern | None:
    parts = []
    for n in a.names():
        if len(n) < 2:
            continue
        if re.fullmatch(r"[A-Z0-9&]{2,}s?", n):
            parts.append(re.escape(n))
        else:
            parts.append("(?i:" + re.escape(n).replace(r"\ ", r"\s+") + ")")
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<![\w&])(?:" + "|".join(parts) + r")(?![\w&])")


def _mentions(ctx: Context, a: AgencyRec, skip: set[int]) -> list[tuple[object, int, int]]:
    """(block, start, end) of every mention of the agency outside the glossary."""
    pattern = _name_pattern(a)
    if pattern is None:
        return []
    firsts = {n.split()[0].lower() for n in a.names() if len(n) >= 2 and n.split()}
    out = []
    for b, low in _lowered(ctx):
        if b.index in skip or not any(f in low for f in firsts):
            continue
        for m in pattern.finditer(b.text):
            out.append((b, m.start(), m.end()))
    return out


def _lowered(ctx: Context) -> list[tuple[object, str]]:
    doc = ctx.doc
    cached = getattr(doc, "_lowered_blocks", None)
    if cached is None or len(cached) != len(doc.blocks):
        cached = [(b, b.text.lower()) for b in doc.blocks]
        try:
            doc._lowered_blocks = cached  # type: ignore[attr-defined]
        except AttributeError:  # pragma: no cover - a frozen document
            pass
    return cached


def _sentence_at(text: str, pos: int) -> str:
    return sentence_at(text, pos)


def _inside_other(ctx: Context, a: AgencyRec, block, start: int, end: int) -> bool:
    """Whether a mention is part of a longer name of another agency ("Solihull CCG" in "Solihull CCG –
    Birmingham School Nursing", an abbreviation in "Heart of England NHSFT")."""
    lowered = block.text.lower() if not exotic(block.text) else None   # None: search every name
    for other in ctx.agencies:
        if other is a:
            continue
        for n in other.names():
            if len(n) <= end - start:
                continue
            if lowered is not None and n.isascii() and n.lower() not in lowered:
                continue  # not in the paragraph in any case
            for m in re.finditer(re.escape(n), block.text, re.I):
                if m.start() <= start and end <= m.end():
                    return True
    # an abbreviation used as the tail of a proper name: "Heart of England NHSFT"
    if a.abbreviation and block.text[start:end] == a.abbreviation:
        before = block.text[:start].split()
        if before and before[-1][:1].isupper() and before[-1][-1:].isalpha() and before[-1].lower() not in _LEADING_STOP:
            return True
    return False


def _fold_generic_units(ctx: Context) -> None:
    """A unit of a force or council the report names only by its kind ("Public Protection Unit", "Emergency
    Duty Team", "Multi Agency Safeguarding Hub") is folded into the named body of that kind."""
    skip = _glossary_blocks(ctx)
    for a in list(ctx.agencies):
        if a.origin not in ("glossary", "text") or a.type not in ("police", "children_social_care", "adult_social_care"):
            continue
        words = norm(_PAREN.sub("", a.name)).split()
        if not words or words[-1] not in _UNIT_HEADS or force_area_of(a.name) or _proper_body(a.name):
            continue
        targets = [t for t in ctx.agencies if t is not a and t.type == a.type and t.origin != "generic"
                   and (force_area_of(t.name) or t.origin in ("contributors", "panel"))]
        if not targets:
            continue
        near = Counter()
        where = {b.index for b, _, _ in _mentions(ctx, a, skip)}
        for t in targets:
            near[t.id] = sum(1 for b, _, _ in _mentions(ctx, t, skip) if b.index in where)
        keep = max(targets, key=lambda t: (near[t.id], _rank(t.origin) * -1, t.mentions))
        _absorb(keep, a)
        if a.abbreviation and a.abbreviation != keep.abbreviation and a.abbreviation not in keep.aliases:
            keep.aliases.append(a.abbreviation)
        ctx.agencies.remove(a)


def _prune(ctx: Context) -> None:
    """Drop names that are not bodies the review counts: a body named only inside another's name, only
    as the parent of its named units, or named once where the report talks about the review itself."""
    skip = _glossary_blocks(ctx)
    first_para = next((b.index for b in ctx.doc.blocks if b.kind == "paragraph" and b.number), 0)
    drop = [a for a in ctx.agencies if _not_counted(ctx, a, skip, first_para)]
    for a in drop:
        ctx.agencies.remove(a)


def _not_counted(ctx: Context, a: AgencyRec, skip: set[int], first_para: int) -> bool:
    if a.origin == "generic":
        return False
    if _parent_only(ctx, a, skip):
        return True
    if a.origin in ("contributors", "panel"):
        return False
    if _OVERSIGHT.search(a.name):
        return False
    if a.abbreviation and any(o is not a and (norm(o.name).startswith(norm(a.name) + " ")
                                              or norm(o.name).endswith(" " + norm(a.name))) for o in ctx.agencies):
        return False  # a body the glossary defines, with units of it named: "X City Council"
    found = [(b, s, e) for b, s, e in _mentions(ctx, a, skip) if not _inside_other(ctx, a, b, s, e)]
    if not found or all(_process_block(b) for b, _, _ in found):
        return True
    if a.type == "other" and not any(_CONTACT.search(_sentence_at(b.text, s)) for b, s, _ in found):
        return True  # a board or forum the report describes, that had nothing to do with the family
    if a.origin in ("glossary", "text") and _only_in_comment(found):
        return True  # named only where the report comments ("Nationally, Ofsted inspects ..."), never in the story
    if len({b.index for b, _, _ in found}) > 1:
        return False
    b, s, _ = found[0]
    sentence = _sentence_at(b.text, s)
    contact = bool(_CONTACT.search(sentence)) and not _COUNTERFACTUAL.search(sentence)
    bodies = sum(1 for o in ctx.agencies if any(
        len(n) > 2 and n in sentence and _whole_word(n).search(sentence) for n in o.names()))
    return (a.type == "other" and not contact) or (b.index < first_para and b.kind == "heading") \
        or bool(_COUNTERFACTUAL.search(sentence)) or bool(_NO_INVOLVEMENT.search(sentence)) \
        or (bool(REVIEW_PROCESS.search(sentence)) and not contact) or (bodies >= 4 and not contact)


@functools.lru_cache(maxsize=4096)
def _whole_word(name: str) -> re.Pattern:
    """The name as it stands, not inside a longer word."""
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")


_CASE_SECTION = re.compile(r"analysis|findings|facts|chronolog|background", re.I)
#: "If a referral had been made to X, ...": a body named in what might have been had no contact
_COUNTERFACTUAL = re.compile(r"^\W*if\b|\b(?:would|could|should|might) (?:have|not have)\b|\bhad been made\b", re.I)


#: a list of bodies that had nothing to do with the people: "contacted but had no involvement", "nil returns"
_NO_INVOLVEMENT = re.compile(r"\bno (?:involvement|contact) with\b|\bnil returns?\b|"
                             r"\b(?:were|was) not known to\b|\bhad no (?:involvement|contact)\b", re.I)
#: parts of a report that comment on the case or the review, not tell it
#: (not the analysis, lessons or process sections: they also tell what agencies did, in the trial too)
_COMMENT_ONLY_PARTS = frozenset({"conclusions", "glossary", "references", "terms_of_reference",
                                 "front_matter"})


def _only_in_comment(found) -> bool:
    """Whether every mention is in a part that comments (the parts are known, none tells the story) and
    no sentence of them tells of contact with anyone."""
    parts = {b.part for b, _, _ in found}
    return bool(parts) and parts <= _COMMENT_ONLY_PARTS and not any(
        _CONTACT.search(_sentence_at(b.text, s)) for b, s, _ in found)


def _process_block(b) -> bool:
    if b.text.lower().startswith("recommendation"):
        return True
    return bool(b.section and _PROCESS_ONLY.search(b.section) and not _CASE_SECTION.search(b.section))


def _parent_only(ctx: Context, a: AgencyRec, skip: set[int]) -> bool:
    """A council named only as the parent of its units ("X County Council: Education Inclusion", "X County
    Council – Community Safety"), where the units are the bodies the review counts."""
    if a.abbreviation:
        return False
    units = [o for o in ctx.agencies if o is not a and any(
        norm(n).startswith(norm(a.name) + " ") for n in o.names())]
    if not units:
        return False
    pattern = re.compile(re.escape(a.name) + r"(?!\w)", re.I)
    seen = False
    for b in ctx.doc.blocks:
        if b.index in skip:
            continue
        for m in pattern.finditer(b.text):
            seen = True
            if not re.match(r"\s*(?::|[\u2013\u2014]|\s-)\s*[A-Z]", b.text[m.end():]):
                return False
    return seen


_NHS_ABBREVIATIONS = [(re.compile(r"\bNHSFT\b"), "NHS Foundation Trust"), (re.compile(r"\bNHST\b"), "NHS Trust"),
                      (re.compile(r"\bFT\b"), "Foundation Trust")]


def _add_spelling_aliases(ctx: Context) -> None:
    """The same name as the report may also write it: an en dash as a hyphen, NHS abbreviations in full."""
    for a in ctx.agencies:
        have = {norm(x) for x in a.names()}
        for n in [a.name, *a.aliases]:
            variants = [re.sub(r"\s*[\u2013\u2014]\s*", " - ", n)]
            full = n
            for pattern, repl in _NHS_ABBREVIATIONS:
                full = pattern.sub(repl, full)
            variants.append(full)
            for v in variants:
                if norm(v) not in have:
                    a.aliases.append(v)
                    have.add(norm(v))


#: a body named as a whole directorate or department of a council ("X City Council – Children,
#: Young People and Families Directorate"), which the narrative calls by the service it runs
_BROAD_UNIT = re.compile(r"\b(?:directorate|department)\b", re.I)


def _add_service_aliases(ctx: Context) -> None:
    """The names a body has with the service it runs in brackets.

    - The report writes "X NHS Foundation Trust (Health Visitors)" or "X Trust (Drug treatment
      provider)" somewhere (a contributors list, a recommendation heading): that form is kept as an
      alias, so it tells which service of the body the review saw.
    - A body named as a directorate or department, whose service the narrative keeps calling by its
      usual name ("Children's Social Care"), may be written "Directorate name (Children's Social
      Care)": that form is kept as an alias (with an en dash also written as a hyphen)."""
    _add_bracketed_service_forms(ctx)
    text = None
    for a in ctx.agencies:
        if not _BROAD_UNIT.search(a.name):
            continue
        for _, kind, display in GENERIC_SERVICES:
            if kind != a.type or " " not in display or norm(display) in {norm(x) for x in a.names()}:
                continue
            if text is None:
                text = ctx.doc.text
            words = (re.escape(w).replace("'", "['\u2019]?") for w in display.split())
            said = re.compile(r"\b" + r"\s+".join(words) + r"\b", re.I)
            if len(said.findall(text)) < 2:
                continue
            have = {norm(x) for x in a.names()}
            for n in (a.name, re.sub(r"\s*[\u2013\u2014]\s*", " - ", a.name)):
                v = f"{n} ({display})"
                if norm(v) not in have:
                    a.aliases.append(v)
                    have.add(norm(v))


def _add_bracketed_service_forms(ctx: Context) -> None:
    names = sorted({(n, id(a)) for a in ctx.agencies for n in [a.name, *a.aliases] if len(n) >= 6 and "(" not in n},
                   key=lambda x: -len(x[0]))
    if not names:
        return
    by_id = {id(a): a for a in ctx.agencies}
    by_name = {n.lower(): by_id[i] for n, i in reversed(names)}
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n, _ in names) + r")\s*\(([^()\n]{3,40})\)", re.I)
    for b in ctx.doc.blocks:
        if "(" not in b.text:
            continue
        for m in pattern.finditer(b.text):
            inner = m.group(2).strip()
            if not services_in(inner) and not re.search(r"\b(?:drug|alcohol|substance)\b.*\b(?:treatment|provider|service)", inner, re.I):
                continue  # "(re victim)", "(WCC)": not a service
            a = by_name.get(m.group(1).lower())
            if a is None:
                continue
            v = f"{m.group(1)} ({inner})"
            if norm(v) not in {norm(x) for x in a.names()}:
                a.aliases.append(v)


_CASE_PEOPLE = re.compile(r"\b(?:victim|perpetrator|deceased)\b", re.I)


def _people_pattern(ctx: Context) -> re.Pattern:
    names = set()
    for p in ctx.persons:
        for n in [p.id, p.name, *p.aliases]:
            if n and (len(n) >= 3 or n.isupper()):
                names.add(n)
    if not names:
        return _CASE_PEOPLE
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?:" + _CASE_PEOPLE.pattern + r"|(?<![\w'])(?:" + alt + r")(?![\w']))")


def _kinds_in_case(ctx: Context) -> dict[str, tuple[str, int]]:
    """Kinds of service the case narrative mentions beside the people of the case: kind -> (display, block)."""
    people = _people_pattern(ctx)
    out: dict[str, tuple[str, int]] = {}
    for b in ctx.doc.blocks:
        if ctx.in_process_section(b) or b.kind == "heading" or b.cells:
            continue
        for pos, kind, display in services_in(b.text):
            if kind in out:
                continue
            sentence = _sentence_at(b.text, pos)
            if people.search(sentence) and not REVIEW_PROCESS.search(sentence):
                out[kind] = (display, b.index)
    return out


def _used_agencies(events: list[dict], recommendations: list[dict]) -> set[str]:
    """The ids of the agencies the chronology and the recommendations refer to."""
    used: set[str] = set()
    for ev in events:
        used.update(x for x in (ev.get("agency"), ev.get("referral_to")) if x)
        used.update(ev.get("shared_with") or [])
        used.update(ev.get("other_agencies") or [])
    for rec in recommendations:
        if rec.get("agency"):
            used.add(rec["agency"])
        used.update(rec.get("agencies") or [])
    return used


def scope_rule_holds(rule, part: str | None, sentence: str, table: list[list[str]] | None = None) -> bool:
    """Whether a rule of rules/agency_scope.yaml holds for one place a body is named. A rule with a ``column``
    reads the row's cell under that column of its table (``table``: the header row first, then the rows)."""
    if "parts" in rule.assigns and part not in rule.assigns["parts"]:
        return False
    if "column" in rule.assigns:
        return _contact_cell_says_no(rule, sentence.split("\t"), table or [])
    return rule.pattern is None or rule.search(sentence) is not None


def _contact_cell_says_no(rule, row: list[str], table: list[list[str]]) -> bool:
    if len(table) < 2 or row == table[0]:
        return False
    column = next((i for i, c in enumerate(table[0]) if re.search(rule.assigns["column"], c.strip(), re.I)), None)
    if column is None or column == 0:
        return False

    def cell(r: list[str]) -> str:
        return r[column].strip() if column < len(r) else ""
    if not any(re.search(rule.assigns["positive"], cell(r), re.I) for r in table[1:]):
        return False
    return rule.pattern.fullmatch(cell(row)) is not None


def _table_of(ctx: Context, b) -> list[list[str]]:
    """The rows (cells) of the table the row ``b`` is in, its header first."""
    blocks = ctx.doc.blocks
    start = b.index
    while start > 0 and blocks[start - 1].kind == "table_row":
        start -= 1
    end = b.index
    while end + 1 < len(blocks) and blocks[end + 1].kind == "table_row":
        end += 1
    return [list(x.cells or []) for x in blocks[start:end + 1]]


def drop_bodies_outside_the_case(ctx: Context, events: list[dict], recommendations: list[dict]) -> int:
    """Leave out the bodies that rules/agency_scope.yaml places outside the case (named only in the review's
    own parts, or said to have had no contact), unless an event or a recommendation uses them or they
    commissioned the review. Returns how many went."""
    used = _used_agencies(events, recommendations)
    rules = load_rules("agency_scope").active()
    skip: set[int] = set()
    drop = []
    for a in ctx.agencies:
        if a.id in used or a.origin == "generic" or _OVERSIGHT.search(a.name):
            continue
        found = [(b.part, b.text if b.cells else _sentence_at(b.text, s), _table_of(ctx, b) if b.cells else None)
                 for b, s, _ in _mentions(ctx, a, skip)]
        if not found:
            continue
        for rule in rules:
            holds = [scope_rule_holds(rule, part, sentence, table) for part, sentence, table in found]
            if (all(holds) if rule.assigns.get("where") == "every" else any(holds)):
                note_hit(rule.id)
                drop.append(a)
                break
    for a in drop:
        ctx.agencies.remove(a)
    return len(drop)


def settle_generic_services(ctx: Context, events: list[dict], recommendations: list[dict]) -> None:
    """After the chronology: a kind of service the case narrative shows acting for the people of the case
    ("The ambulance service was summoned and confirmed that the victim was dead") is a body that took part,
    named after its kind when the report names no body of that kind; a generic agency made for a kind the
    narrative only mentions in passing, or where it talks about the review ("letters were sent to him in
    prison"), and that no event or recommendation refers to, is dropped."""
    used = _used_agencies(events, recommendations)
    kinds = _kinds_in_case(ctx)
    for kind, (display, index) in kinds.items():
        if not any(a.type == kind or a.type in RELATED_TYPES.get(kind, ()) for a in ctx.agencies):
            generic_agency(ctx, kind, display, index)
    ctx.agencies[:] = [a for a in ctx.agencies if a.origin != "generic" or a.id in used or a.type in kinds
                       or a.listed]
