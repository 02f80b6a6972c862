"""The spaCy side: a blank English pipeline (tokenizer + rule-based sentencizer) and token matchers.

spaCy is imported on first use only (it takes a second or two), and no
trained model is needed: ``spacy.blank("en")`` has the tokenizer with its
English exceptions (``Mr.``, ``e.g.``) and the sentencizer splits on
sentence-final punctuation.
"""

from __future__ import annotations

import functools
from typing import Iterable, Iterator


@functools.lru_cache(maxsize=1)
def pipeline():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def parse(texts: Iterable[str]) -> Iterator:
    """spaCy Docs for texts (tokens and sentences)."""
    nlp = pipeline()
    yield from nlp.pipe(texts, batch_size=64)


def token_patterns(phrases: Iterable[str]) -> list[list[dict]]:
    """Matcher patterns that match each phrase token by token, ignoring case."""
    tokenizer = pipeline().tokenizer
    out = []
    for phrase in phrases:
        toks = [t.lower_ for t in tokenizer(phrase)]
        if toks:
            out.append([{"LOWER": t} for t in toks])
    return out


def matcher():
    from spacy.matcher import Matcher

    return Matcher(pipeline().vocab)
