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


# --- the reader of pattern text (no CPython private module) ---------------------------------

def test_prefilter_uses_no_private_module_of_the_re_package():
    import inspect

    from dhrkg.ingest.report import prefilter

    source = inspect.getsource(prefilter)
    for private in ("_parser", "_constants", "sre_parse", "sre_constants", "sre_compile"):
        assert private not in source, private


READER_CASES = [
    (r"abc", {"abc"}),
    (r"abc?", {"ab"}),                      # the last letter is optional
    (r"ab+c", {"a"}),                       # a repeat ends what is known
    (r"\bpolice\b", {"police"}),
    (r"^GP$", {"gp"}),
    (r"(?:arrested|charged) him", {"arrested", "charged"}),  # what follows a group is not followed
    (r"(?P<w>visit|call)ed", {"visit", "call"}),
    (r"(?i:Police) (?:force|service)", {"police"}),
    (r"report(?!ed)", {"report"}),           # a look-ahead ends what is known
    (r"(?<=the )report", None),             # a look-behind first: unknown
    (r"a\.b", {"a.b"}),
    (r"a\tb", {"a\tb"}),
    (r"x\d", {"x"}),
    (r"[Pp]olice", None),                   # a class first: unknown
    (r"(?:a|b)?c", None),                   # an optional group first: unknown
    (r"police|\d+ officers", None),         # one alternative unknown: all unknown
    (r"(?m)^x", None),                      # global inline flags: not followed
    (r"agency (of|for) the", {"agency of", "agency for"}),
    (r"arrested|arrest", {"arrest"}),       # 'arrested' contains 'arrest': one test is enough
    (r"a(b(c|d)e|f)", {"abc", "abd", "af"}),
    (r"a{2}b", None),                       # a counted repeat first: unknown
    (r"z[)|(]y", {"z"}),                    # brackets inside a class are not groups
]


def test_reader_cases():
    for text, expected in READER_CASES:
        got = literal_starts(re.compile(text))
        assert got == (frozenset(expected) if expected is not None else None), text


def _extractor_patterns():
    import gc
    import importlib
    import pkgutil

    import dhrkg.ingest.report as report

    for info in pkgutil.iter_modules(report.__path__):
        importlib.import_module(f"{report.__name__}.{info.name}")
    return [p for p in gc.get_objects() if isinstance(p, re.Pattern) and isinstance(p.pattern, str)]


SENTENCES = TEXTS + [
    "In July 2013 the victim was seen by her GP, who referred her to the IDVA service.",
    "On 30.6.2020 police attended following a 999 call; a DASH risk assessment was graded high.",
    "The case was heard at MARAC on 23rd of November 2017 and referred to Children's Social Care.",
    "Adult A, the perpetrator, and his former partner (Adult B) lived at the address until 2014.",
    "Recommendation 4: the CSP should ensure that agencies share information with the IDVA.",
    "He was arrested, charged and remanded; the Crown Prosecution Service authorised the charge.",
]


def test_prefilter_never_rules_out_a_match_of_any_extractor_pattern():
    from pathlib import Path

    texts = list(SENTENCES)
    seeds = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    for seed in sorted(seeds.glob("*.txt"))[:3]:  # the development reports, when they are beside the repo
        texts += seed.read_text(encoding="utf-8").split("\n\n")[:400]
    checked = 0
    for pattern in _extractor_patterns():
        pre = Prefilter(pattern)
        if pre.starts is None:
            continue
        checked += 1
        for text in texts:
            if not pre.may_match(text.lower(), exotic(text)):
                assert pattern.search(text) is None, (pattern.pattern, text)
    assert checked > 20  # the reader knows the starts of most of the extractor's patterns
