"""First names (and the sex they usually go with), from the name lists shipped in dhrkg.data.

Used to recognise a pseudonym such as "Susan" in report text. When the lists
are not installed the extractor simply finds no first-name pseudonyms.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources


@functools.lru_cache(maxsize=1)
def forenames() -> dict[str, str | None]:
    """lower-cased first name -> "female" / "male" (the first list it is in), or None for a familiar
    form used by both sexes ("Sam", "Jo"); familiar forms come from the nickname list."""
    out: dict[str, str | None] = {}
    for sex in ("female", "male"):
        text = _read(f"forenames_{sex}.csv")
        for row in csv.DictReader(io.StringIO(text)):
            name = (row.get("name") or "").strip().lower()
            if name and name not in out:
                out[name] = sex
    nick: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(_read("nicknames.csv"))):
        name = (row.get("nickname") or "").strip().lower()
        sex = {"F": "female", "M": "male"}.get((row.get("sex") or "").strip().upper())
        if name and sex:
            nick.setdefault(name, set()).add(sex)
    for name, sexes in nick.items():
        if name not in out:
            out[name] = sexes.pop() if len(sexes) == 1 else None
    return out


def _read(filename: str) -> str:
    try:
        return resources.files("dhrkg.data").joinpath("names").joinpath(filename).read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return ""
