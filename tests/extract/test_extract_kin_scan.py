"""The kin-word scan of the person extractor finds what a spaCy Matcher on the same phrases finds."""

from dhrkg.ingest.report.nlp import matcher, parse, spacy_pipeline, token_patterns
from dhrkg.ingest.report.persons import _KIN_PHRASES, _kin_matches


def test_kin_scan_matches_spacy_matcher():
    m = matcher()
    patterns = token_patterns(_KIN_PHRASES)
    m.add("KIN", patterns)
    texts = ["Her Half-Brother and his step father visited her ex-partner's mother.",
             "The great grandmother of the children, a former partner, and S's daughter, R.",
             "No kin words here at all.", "brother"]
    for doc, spacy_doc in zip(parse(texts), spacy_pipeline().pipe(texts)):
        expected = sorted((s, e) for _, s, e in m(spacy_doc))
        assert sorted((s, e) for _, s, e in _kin_matches(doc)) == expected
    doc = next(parse(["Her half-brother called."]))
    assert (1, 4) in {(s, e) for _, s, e in _kin_matches(doc)}   # "half - brother": three tokens
