"""The one sentence splitter of the extractor.

Splits at ., ! or ? followed by a capital, a digit, a quote or a bracket, except after a
title or abbreviation (``Mr.``, ``e.g.``, ``Sept.``) and after an initial (``J. Smith``);
an initial that is a person's one-letter label ("... saw Child C. The health visitor ...")
does end a sentence when the next word opens one.
"""

from __future__ import annotations

import re

_SENT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(])")
_ABBREV_END = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|No|St|Snr|Jnr|Co|Ltd|e\.g|i\.e|etc|approx|para|ref|vs|Sept|Nov|Dec|Jan|Feb|Aug|Oct)\.$")


#: words that open a sentence, not a surname after an initial
_SENTENCE_START = re.compile(r"(?:The|He|She|They|It|This|That|There|His|Her|Their|On|In|At|During|A|An|After|"
                             r"Before|When|Following|Later|However|No|Both|Officers|Police)\b")
#: a one-letter label of a person of the review before the full stop: "Adult A.", "Child C.", "Mr X."
_LABEL_BEFORE = re.compile(r"\b(?:Adult|Child|Mr|Mrs|Ms|Miss|Person|Victim|Perpetrator|Subject|Baby|Family|"
                           r"[A-Z][a-z]+)\s+[A-Z]\.$")


def split_sentences(text: str, labels: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Sentence spans; ``labels`` are one-letter names of people of the review ("S", "J")."""
    spans, start = [], 0
    for m in _SENT.finditer(text):
        if _ABBREV_END.search(text[:m.start()]):
            continue
        initial = re.search(r"\b([A-Z])\.$", text[:m.start()])
        if initial and not (_SENTENCE_START.match(text, m.end()) and (
                _LABEL_BEFORE.search(text, 0, m.start()) or initial.group(1) in labels)):
            continue  # "J. Smith"; but "... saw Child C. The health visitor ..." ends a sentence
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def sentences(text: str, labels: frozenset[str] = frozenset()) -> list[str]:
    """The sentences of a paragraph, as text."""
    return [text[a:b] for a, b in split_sentences(text, labels)]


def sentence_at(text: str, pos: int) -> str:
    """The sentence of a paragraph that holds position ``pos``."""
    for a, b in split_sentences(text):
        if pos < b:
            return text[a:b]
    return text
