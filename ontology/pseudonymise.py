"""Pseudonymisation for the research export.

- :class:`ExportKey`: the secret of one export. Record IRIs are HMAC-SHA256
  of the review id, the record kind and the local id under this key, so they
  are stable across exports made with the same key and cannot be linked to
  the case files (or to another key's export) without it.
- :func:`person_age_band`: ages as the bands the Home Office and the DHRD use.
- :class:`NameScrubber`: withholds any kept literal (an agency's name, a
  relationship label, ...) that contains a name or alias of a person.
- :class:`QuasiIdentifiers`: the size of the smallest group of persons that
  share age band, sex, ethnicity, force area and year (k-anonymity).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from dhrkg.ingest.casefile.dates import PartialDate
from dhrkg.ingest.casefile.model import Person
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


def name_words(name: str) -> list[str]:
    """Capitalised words of a name that can identify on their own (``Victoria Smith`` -> both)."""
    out = []
    for w in _WORD.findall(name):
        w = re.sub(r"['’]s$", "", w)
        if w[:1].isupper() and w.lower() not in ROLE_WORDS:
            out.append(w)
    return out


class NameScrubber:
    """Finds names and aliases of persons in text.

    A person's name, each of its aliases, and each capitalised word of the
    name (``Victoria`` of ``Victoria Smith``; role words such as ``Mother``
    excepted) match as whole words: terms of one or two characters (``S``,
    ``PJ``) only in the same case, longer ones in any case.
    """

    def __init__(self, persons: Iterable[Person]):
        exact: set[str] = set()
        folded: set[str] = set()
        for p in persons:
            names = [p.name] if p.name else []
            terms = names + list(p.aliases) + [w for n in names for w in name_words(n)]
            for term in terms:
                term = term.strip()
                if not term:
                    continue
                (exact if len(term) <= 2 else folded).add(term)
        parts = []
        if exact:
            parts.append("(?:" + "|".join(re.escape(t) for t in sorted(exact, key=len, reverse=True)) + ")")
        if folded:
            parts.append("(?i:" + "|".join(re.escape(t) for t in sorted(folded, key=len, reverse=True)) + ")")
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)") if parts else None

    def mentions_person(self, text: str) -> bool:
        return bool(self._pattern and self._pattern.search(text))


UNKNOWN = "unknown"
QUASI_IDENTIFIERS = ("age band", "sex", "ethnicity", "force area", "year")


@dataclass
class QuasiIdentifiers:
    """Group sizes of persons by (age band, sex, ethnicity, force area, year)."""

    groups: Counter = field(default_factory=Counter)

    def add(self, band: str | None, sex: str | None, ethnicity: str | None,
            force_area: str | None, year: int | None) -> None:
        eth = " ".join(ethnicity.split()).lower() if ethnicity else None
        key = (band or UNKNOWN, sex or UNKNOWN, eth or UNKNOWN, force_area or UNKNOWN,
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
