"""The extractor's tokens and sentences are spaCy's, without importing spaCy once its data is cached."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dhrkg.ingest.report import tokens
from dhrkg.ingest.report.nlp import spacy_pipeline
from dhrkg.ingest.report.readers import read_document

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"

AWKWARD = [
    "", " ", "  a  b  ", "\n\nHello.\n", "He said:\"no!\" (then left)...",
    "a.m. p.m. 9a.m. (a.m.) Mr. Mrs.Smith e.g., i.e.", "It's can't won't y'all 'cause o'clock",
    "http://www.example.com/x?y=1, www.gov.uk.", "£1,000.50 and 10km 5pm 3:30pm", ":) :-( <3 ^_^",
    "U.K. U.S.A. St. Mary's", "co-operate--really? 1990s’ ‘quote’ — dash", "e-mail@x.com 12/03/2020 30.6.2020",
    "Hello\tthere\r\nfriend \u00a0 nbsp", "Adult A's sister. Child 1 (aged 16).", "...!!!???", "No.1 vs. No. 2",
    "'s 're ''", "On 23rd of November 2017 (a Thursday) she rang 999; police attended at 10.30pm.",
]


def _spacy_view(doc) -> list[tuple]:
    return [(t.text, t.idx, t.whitespace_, bool(t.is_sent_start), t.sent.start, t.is_alpha, t.lower_) for t in doc]


def _assert_same_as_spacy(texts: list[str]) -> None:
    ours = tokens.Pipeline(tokens.data_from_spacy())
    for text, theirs in zip(texts, spacy_pipeline().pipe(texts)):
        assert _spacy_view(ours(text)) == _spacy_view(theirs), text[:80]


def test_awkward_strings_are_tokenized_as_spacy_does():
    _assert_same_as_spacy(AWKWARD)


def test_a_changed_rule_would_show():
    """The comparison sees a difference (the special case "a.m." taken away)."""
    data = tokens.data_from_spacy()
    del data["rules"]["a.m."]
    view = [t.text for t in tokens.Pipeline(data)("at 9 a.m. today")]
    assert view != [t.text for t in spacy_pipeline()("at 9 a.m. today")]


def _blocks(paths) -> list[str]:
    return [b.text for p in paths for b in read_document(p).blocks]


def test_fixture_reports_are_tokenized_as_spacy_does():
    paths = sorted((ROOT / "tests" / "fixtures" / "extract").glob("*/*.txt")) + [ROOT / "examples" / "report-brackenford.txt"]
    _assert_same_as_spacy(_blocks(paths))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent (the fixture reports are checked above)")
def test_seed_reports_are_tokenized_as_spacy_does():
    _assert_same_as_spacy(_blocks(sorted(SEEDS.glob("*.txt"))))


def test_span_text_is_spacys(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRKG_CACHE_DIR", str(tmp_path))
    text = "Her  half-brother (Tom) rang."
    ours, theirs = tokens.Pipeline(tokens.load_data())(text), spacy_pipeline()(text)
    for s, e in [(0, 3), (1, 4), (2, 2), (0, len(theirs))]:
        assert ours[s:e].text == theirs[s:e].text
        assert [t.text for t in ours[s:e]] == [t.text for t in theirs[s:e]]


def test_the_data_is_cached_once_keyed_by_spacy_version(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRKG_CACHE_DIR", str(tmp_path))
    data = tokens.load_data()
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [f"spacy-en-tokenizer-{tokens.spacy_version()}-v{tokens.CACHE_FORMAT}.json"]
    assert json.loads(files[0].read_text(encoding="utf-8")) == data


def test_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRKG_CACHE_DIR", str(tmp_path))
    path = tmp_path / f"spacy-en-tokenizer-{tokens.spacy_version()}-v{tokens.CACHE_FORMAT}.json"
    path.write_text("{not json", encoding="utf-8")
    assert tokens.load_data()["rules"]["a.m."] == ["a.m."]
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == tokens.CACHE_FORMAT


def test_a_cache_without_its_fields_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRKG_CACHE_DIR", str(tmp_path))
    path = tmp_path / f"spacy-en-tokenizer-{tokens.spacy_version()}-v{tokens.CACHE_FORMAT}.json"
    path.write_text(json.dumps({"format": tokens.CACHE_FORMAT}), encoding="utf-8")
    assert "a.m." in tokens.load_data()["rules"]


def test_an_unwritable_cache_folder_still_tokenizes(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DHRKG_CACHE_DIR", str(blocker / "cache"))   # below a file: cannot be made
    assert [t.text for t in tokens.Pipeline(tokens.load_data())("Mr. A's car.")] == ["Mr.", "A", "'s", "car", "."]


_PROBE = """
import sys
from dhrkg.ingest.report import draft_report
draft_report(sys.argv[1])
print("spacy" in sys.modules)
"""


def test_a_draft_with_the_cache_built_does_not_import_spacy(tmp_path):
    env = {**os.environ, "DHRKG_CACHE_DIR": str(tmp_path)}
    report = str(ROOT / "examples" / "report-brackenford.txt")
    runs = [subprocess.run([sys.executable, "-c", _PROBE, report], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"]   # the first run builds the cache
