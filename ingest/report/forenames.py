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
def forenames() -> dict[str, str]:
    """lower-cased first name -> "female" / "male" (the first list it is in)."""
    out: dict[str, str] = {}
    for sex in ("female", "male"):
        try:
            text = resources.files("dhrkg.data").joinpath("names").joinpath(f"forenames_{sex}.csv").read_text("utf-8")
        except (FileNotFoundError, ModuleNotFoundError, OSError):
            continue
        for row in csv.DictReader(io.StringIO(text)):
            name = (row.get("name") or "").strip().lower()
            if name and name not in out:
                out[name] = sex
    return out
