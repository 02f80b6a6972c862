"""Pseudonymisation for the research export.

- :class:`ExportKey`: the secret of one export. Record IRIs are HMAC-SHA256
  of the review id, the record kind and the local id under this key, so they
  are stable across exports made with the same key and cannot be linked to
  the case files (or to another key's export) without it.
- :func:`person_age_band`: ages as the bands the Home Office and the DHRD use.
- :func:`skeleton`, :func:`match_form`: the one form texts are compared in
  (NFKC, accents off, look-alike letters of other scripts made Latin, case-folded).
- :class:`NameScrubber`: tells whether a text names a person (name, alias, a
  capitalised word of a name, id); the research export uses it as a last check
  on the vetted names and vocabulary labels it writes (:mod:`.disclosure`).
- :class:`QuasiIdentifiers`: the size of the smallest group of persons that
  share age band, sex, ethnicity, area and year (k-anonymity).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from dhrkg.model.dates import PartialDate
from dhrkg.model.model import Person
from dhrkg.permissions import private_file_problem

from .schemes import age_band

KEY_BYTES = 32


class KeyFileError(ValueError):
    """A key file that cannot be used."""


@dataclass(frozen=True)
class ExportKey:
    secret: bytes
    source: str  # where it came from, for messages ("key file x", "new random key")

    @classmethod
    def random(cls) -> "ExportKey":
        return cls(secrets.token_bytes(KEY_BYTES), "a new random key (not saved)")

    @classmethod
    def from_file(cls, path: str | Path, create: bool = True) -> "ExportKey":
        """Read a key file (64 hex digits); create it with a new random key if it does not exist."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise KeyFileError(f"{path}: key file not found")
            secret = secrets.token_bytes(KEY_BYTES)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secret.hex() + "\n")
            return cls(secret, f"new key file {path}")
        problem = private_file_problem(path)
        if problem:
            raise KeyFileError(f"{path}: not used as a key: {problem}")
        text = path.read_text(encoding="ascii", errors="replace").strip()
        try:
            secret = bytes.fromhex(text)
        except ValueError:
            raise KeyFileError(f"{path}: a key file must hold {KEY_BYTES * 2} hexadecimal digits") from None
        if len(secret) < 16:
            raise KeyFileError(f"{path}: key too short ({len(secret)} bytes; at least 16 needed)")
        return cls(secret, f"key file {path}")

    def token(self, *parts: str) -> str:
        """A keyed hash of the parts: 32 hex digits (128 bits)."""
        msg = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self.secret, msg, hashlib.sha256).hexdigest()[:32]


def _years_between(a: dt.date, b: dt.date) -> int:
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def person_age_band(person: Person, homicide_date: PartialDate | None) -> str | None:
    """The person's age band at the time of the homicide, when it can be told."""
    if person.unborn:
        return None
    if person.age is not None:
        return age_band(person.age)
    if person.age_months is not None:
        return age_band(person.age_months // 12)
    if person.born is None or homicide_date is None:
        return None
    lo = _years_between(person.born.latest, homicide_date.earliest)
    hi = _years_between(person.born.earliest, homicide_date.latest)
    if lo < 0:
        return None
    band_lo, band_hi = age_band(lo), age_band(hi)
    return band_lo if band_lo == band_hi else None


#: Capitalised words in names that say what someone is, not who (not matched on their own).
ROLE_WORDS = frozenset("""
adult aunt baby boy brother child children cousin dad daughter dhr ex father female friend girl
grandchild granddaughter grandfather grandmother grandparent grandson husband male man mother
mr mrs ms miss dr mum neighbour nephew niece partner perpetrator person sibling sister son
stepfather stepmother subject the uncle unborn unknown victim wife woman
""".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _confusables() -> dict[str, str]:
    """Non-ASCII character -> the ASCII letter or digit it imitates (Unicode TR39 data)."""
    from confusable_homoglyphs.utils import load

    out: dict[str, str] = {}
    for ch, glyphs in load("confusables.json").items():
        if len(ch) != 1 or ch.isascii():
            continue
        for g in glyphs:
            c = g["c"]
            if len(c) == 1 and c.isascii() and c.isalnum():
                out[ch] = c
                break
    return out


def skeleton(text: str) -> str:
    """``text`` in NFKC with accents removed and look-alike letters of other scripts made Latin,
    case kept (``Quіmby`` with a Cyrillic і, or ``Zoe\u0308`` in NFD -> ``Quimby``, ``Zoe``)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    table = _confusables()
    return "".join(table.get(c, c) for c in text if not unicodedata.combining(c))


def match_form(text: str) -> str:
    """The form texts are compared in: skeleton, case-folded, words joined by single spaces."""
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)*", skeleton(text).replace("’", "'").casefold())
    return " ".join(words)


def name_words(name: str) -> list[str]:
    """Capitalised words of a name that can identify on their own (``Victoria Smith`` -> both)."""
    out = []
    for w in _WORD.findall(skeleton(name)):
        w = re.sub(r"['’]s$", "", w)
        if w[:1].isupper() and w.lower() not in ROLE_WORDS:
            out.append(w)
    return out


def _id_term(person_id: str) -> str | None:
    """A person's id as a name to look for, unless it only says a role (``victim``, ``child_1``)."""
    words = match_form(person_id).split()
    if all(w in ROLE_WORDS or w.isdigit() for w in words):
        return None
    return person_id


class NameScrubber:
    """Finds names, aliases and ids of persons in text.

    A person's name, each of its aliases, each capitalised word of the name
    (``Victoria`` of ``Victoria Smith``; role words such as ``Mother``
    excepted) and its id match as whole words, compared in :func:`match_form`
    (NFKC, accents and look-alike letters of other scripts taken out): terms
    of one or two characters (``S``, ``PJ``) only in the same case, longer
    ones in any case.
    """

    def __init__(self, persons: Iterable[Person]):
        exact: set[str] = set()
        folded: set[str] = set()
        for p in persons:
            names = [p.name] if p.name else []
            terms = names + list(p.aliases) + [w for n in names for w in name_words(n)]
            terms.append(_id_term(p.id) or "")
            for term in terms:
                term = " ".join(skeleton(term).split())
                if not term:
                    continue
                if len(term) <= 2:
                    exact.add(term)
                elif match_form(term):
                    folded.add(match_form(term))
        self._exact = self._pattern(exact)
        self._folded = self._pattern(folded)

    @staticmethod
    def _pattern(terms: set[str]) -> re.Pattern | None:
        if not terms:
            return None
        alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def mentions_person(self, text: str) -> bool:
        if self._exact is not None and self._exact.search(skeleton(text)):
            return True
        return bool(self._folded is not None and self._folded.search(match_form(text)))


UNKNOWN = "unknown"
#: The area is the finest the export gives of the review: its local authority, else its force area.
QUASI_IDENTIFIERS = ("age band", "sex", "ethnicity", "area", "year")


@dataclass
class QuasiIdentifiers:
    """Group sizes of persons by (age band, sex, ethnicity, area, year)."""

    groups: Counter = field(default_factory=Counter)

    def add(self, band: str | None, sex: str | None, ethnicity: str | None,
            area: str | None, year: int | None) -> None:
        eth = " ".join(ethnicity.split()).lower() if ethnicity else None
        key = (band or UNKNOWN, sex or UNKNOWN, eth or UNKNOWN, area or UNKNOWN,
               str(year) if year is not None else UNKNOWN)
        self.groups[key] += 1

    @property
    def persons(self) -> int:
        return sum(self.groups.values())

    @property
    def k(self) -> int | None:
        """The smallest group size (None when there are no persons)."""
        return min(self.groups.values()) if self.groups else None

    def groups_smaller_than(self, size: int) -> int:
        return sum(1 for n in self.groups.values() if n < size)

    def persons_in_groups_smaller_than(self, size: int) -> int:
        return sum(n for n in self.groups.values() if n < size)
