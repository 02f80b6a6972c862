"""Kin words: the words a text uses for how a person is related to someone ("her mother", "S's
ex-partner"), each with what it says of the person (relation) and the sex it gives them.

One vocabulary for every layer: the report extractor reads kinship with it (it is also the
extractor's `kin` rule file, with examples checked by tests/extract/test_extract_kin_words.py),
and the research export allows its words as relation labels (dhrkg.ontology.disclosure). The
data is ``kin.yaml`` beside this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

KIN_FILE = Path(__file__).with_name("kin.yaml")


@lru_cache(maxsize=1)
def _records() -> tuple[dict[str, Any], ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when PyYAML has it
    return tuple(yaml.load(KIN_FILE.read_text(encoding="utf-8"), Loader=loader)["rules"])


def kin_words() -> dict[str, tuple[str, Optional[str]]]:
    """kin word -> (relation to the anchor, sex of the person the word names)."""
    return {word: (rec["relation"], rec.get("sex")) for rec in _records() if "relation" in rec
            for word in rec["words"]}


def kin_modifiers() -> tuple[str, ...]:
    """Words before a kin word that belong to it ("maternal grandmother", "younger sister")."""
    return tuple(word for rec in _records() if rec.get("modifier") for word in rec["words"])
