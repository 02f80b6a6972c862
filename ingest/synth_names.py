"""Name tables for the synthetic dataset and the linkage model: forenames, surnames, nicknames.

The lists live in ``dhrkg/data/names`` (see SOURCE.md there). Everything here is ordered by the
files' order, never by hashing, so sampling from these tables is deterministic for a seed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("dhrkg").joinpath("data").joinpath("names").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class NameTable:
    """Names with sampling probabilities (Zipf-like weights, normalised)."""

    names: tuple[str, ...]
    probabilities: np.ndarray

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Indexes into ``names`` drawn by frequency."""
        return rng.choice(len(self.names), size=n, p=self.probabilities)


def _table(name: str) -> NameTable:
    rows = _read(name)
    weights = np.array([float(r["weight"]) for r in rows])
    return NameTable(tuple(r["name"] for r in rows), weights / weights.sum())


@lru_cache(maxsize=None)
def forenames(sex: str) -> NameTable:
    """Forenames for sex "M" or "F"."""
    return _table("forenames_male.csv" if sex == "M" else "forenames_female.csv")


@lru_cache(maxsize=None)
def surnames() -> NameTable:
    return _table("surnames.csv")


@lru_cache(maxsize=None)
def nickname_rows() -> tuple[tuple[str, str, str], ...]:
    """(formal, nickname, sex) rows in file order."""
    return tuple((r["formal"], r["nickname"], r["sex"]) for r in _read("nicknames.csv"))


def nicknames_of() -> dict[str, list[str]]:
    """Formal name -> its nicknames, in file order."""
    out: dict[str, list[str]] = {}
    for formal, nick, _ in nickname_rows():
        out.setdefault(formal, []).append(nick)
    return out


def name_groups() -> list[tuple[str, str]]:
    """(name, group key) rows: every formal name and nickname with the formal names it can stand
    for, upper-case. A formal name is its own group; a nickname belongs to each of its formals.
    Used by the linkage model's nickname level and blocking key."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for formal, nick, _ in nickname_rows():
        for pair in ((formal.upper(), formal.upper()), (nick.upper(), formal.upper())):
            if pair not in seen:
                seen.add(pair)
                rows.append(pair)
    return rows


_KEYBOARD_NEIGHBOURS = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}


def typo(name: str, r: float, r2: float) -> str:
    """One keying error in ``name`` chosen by two uniform numbers: a dropped, doubled,
    swapped or neighbouring-key letter (never the first letter, as in most real typos)."""
    if len(name) < 3:
        return name
    kind = int(r * 4)
    pos = 1 + int(r2 * (len(name) - 1))
    pos = min(pos, len(name) - 1)
    if kind == 0:  # drop a letter
        return name[:pos] + name[pos + 1 :]
    if kind == 1:  # double a letter
        return name[:pos] + name[pos] + name[pos:]
    if kind == 2 and pos < len(name) - 1:  # swap two letters
        return name[:pos] + name[pos + 1] + name[pos] + name[pos + 2 :]
    ch = name[pos]
    options = _KEYBOARD_NEIGHBOURS.get(ch.lower(), "")
    if not options:
        return name[:pos] + name[pos + 1 :]
    new = options[int(r2 * 997) % len(options)]
    return name[:pos] + (new.upper() if ch.isupper() else new) + name[pos + 1 :]
