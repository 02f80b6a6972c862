"""Tokens and sentences: spaCy's blank English pipeline (tokenizer + rule-based sentencizer).

No trained model is needed: ``spacy.blank("en")`` has the tokenizer with its English exceptions
(``Mr.``, ``e.g.``) and the sentencizer splits on sentence-final punctuation. The extractor runs
that pipeline's algorithm on data taken from spaCy once and cached (:mod:`.tokens`), so a run
does not import spaCy; :func:`spacy_pipeline` is spaCy's own, for the checks that the two agree.
"""

from __future__ import annotations

import functools
from typing import Iterable, Iterator

from .tokens import Doc
from .tokens import pipeline as _cached_pipeline


def pipeline():
    """The tokenizer and sentencizer (spaCy's algorithm on the cached data)."""
    return _cached_pipeline()


def parse(texts: Iterable[str]) -> Iterator[Doc]:
    """Docs for texts (tokens and sentences, as spaCy would give them)."""
    yield from pipeline().pipe(texts)


def token_patterns(phrases: Iterable[str]) -> list[list[dict]]:
    """Matcher patterns that match each phrase token by token, ignoring case."""
    tokenizer = pipeline()
    out = []
    for phrase in phrases:
        toks = [t.lower_ for t in tokenizer(phrase)]
        if toks:
            out.append([{"LOWER": t} for t in toks])
    return out


@functools.lru_cache(maxsize=1)
def spacy_pipeline():
    """spaCy's own ``spacy.blank("en")`` with a sentencizer (imports spaCy: about a second)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def matcher():
    """A spaCy Matcher on :func:`spacy_pipeline`'s vocabulary."""
    from spacy.matcher import Matcher

    return Matcher(spacy_pipeline().vocab)
