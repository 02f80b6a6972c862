"""The regex prefilter of the report extractor: a cheap 'cannot match' that is never wrong."""

import re

from dhrkg.ingest.report.prefilter import Prefilter, exotic, literal_starts
from dhrkg.ingest.report.vocab import ABUSE_KINDS, EVENT_TYPE_CUES


def test_literal_starts_reads_alternatives_and_common_prefixes():
    assert literal_starts(re.compile(r"\b(arrested|arrest)\b", re.I)) == {"arrest"}
    assert literal_starts(re.compile(r"\b(Fatal(?:ly)? attack|found dead)\b", re.I)) == {"fatal", "found dead"}
    assert literal_starts(re.compile(r"\b(\d+|x)\b")) is None  # a class first: unknown


TEXTS = [
    "He was ARRESTED and later Cautioned.", "She visited the GP.", "No further action (NFA) was taken.",
    "The police were called at 23:00.", "nothing here at all", "",
    "He was \u0130nformed", "a\u017fsault", "the \u212ailler",  # characters that fold to ASCII letters under re.I
]


def test_prefilter_never_rules_out_a_match():
    for pattern, _ in [*EVENT_TYPE_CUES, *ABUSE_KINDS]:
        pre = Prefilter(pattern)
        for text in TEXTS:
            if pattern.search(text):
                assert pre.may_match(text.lower(), exotic(text)), (pattern.pattern, text)


def test_prefilter_rules_out_text_without_the_words():
    pre = Prefilter(re.compile(r"\b(arrested|arrest)\b", re.I))
    assert not pre.may_match("she was cautioned", exotic("she was cautioned"))
    assert pre.may_match("she was arrested", False)
    assert exotic("a\u017fsault") and not exotic("caf\u00e9")
