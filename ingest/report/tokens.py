"""spaCy's English tokenizer and sentencizer without importing spaCy on every run.

``spacy.blank("en")`` with a sentencizer is all the extractor uses of spaCy: its tokens
(text, lower case, offsets, trailing space) and sentence starts. Importing spaCy and making
that pipeline takes 0.8 s or more of a 2 s run, so the tokenizer's data (prefix, suffix, infix
and URL patterns, the special cases, the sentencizer's punctuation) is taken from spaCy once,
written to the user cache folder (keyed by spaCy's version) and run here by the algorithm of
spaCy's ``Tokenizer`` (``_tokenize_affixes``, ``_split_affixes``, ``_attach_tokens`` and the
special-case matcher) and ``Sentencizer.predict``. ``tests/extract/test_extract_tokens.py``
checks that the tokens and sentences are spaCy's, on the reports and on awkward strings.

Cache folder: ``DHRKG_CACHE_DIR``, else ``platformdirs.user_cache_dir("dhrkg")``. When it cannot
be written, the data is taken from spaCy in every run (slower, same tokens).
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Iterable, Iterator

CACHE_FORMAT = 1


# -- the tokenizer's data --------------------------------------------------------------

def spacy_version() -> str:
    """The installed spaCy's version, read from its about.py (without importing spaCy)."""
    spec = find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spaCy is not installed")
    about = Path(next(iter(spec.submodule_search_locations))) / "about.py"
    m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", about.read_text(encoding="utf-8"))
    return m.group(1) if m else "unknown"


def cache_dir() -> Path:
    env = os.environ.get("DHRKG_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("dhrkg"))


def data_from_spacy() -> dict:
    """What the tokenizer and sentencizer of ``spacy.blank("en")`` need, as JSON-ready data."""
    import spacy

    nlp = spacy.blank("en")
    tok = nlp.tokenizer
    sentencizer = nlp.add_pipe("sentencizer")

    def source(fn):
        return None if fn is None else [fn.__self__.pattern, fn.__self__.flags]

    rules = {text: [t[65] if 65 in t else t["ORTH"] for t in toks] for text, toks in tok.rules.items()}
    data = {"format": CACHE_FORMAT, "spacy": spacy.__version__,
            "prefix": source(tok.prefix_search), "suffix": source(tok.suffix_search),
            "infix": source(tok.infix_finditer), "token_match": source(tok.token_match),
            "url_match": source(tok.url_match), "faster_heuristics": bool(tok.faster_heuristics),
            "rules": rules, "punct_chars": sorted(sentencizer.punct_chars)}
    return data


_KEYS = {"prefix", "suffix", "infix", "token_match", "url_match", "faster_heuristics", "rules", "punct_chars"}


def _cache_file() -> Path:
    return cache_dir() / f"spacy-en-tokenizer-{spacy_version()}-v{CACHE_FORMAT}.json"


def load_data() -> dict:
    """The tokenizer data from the cache, taken from spaCy (and cached) when missing or stale."""
    path = _cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("format") == CACHE_FORMAT and _KEYS <= data.keys():
            return data
    except (OSError, ValueError):
        pass
    data = data_from_spacy()
    _write_cache(path, data)
    return data


def _write_cache(path: Path, data: dict) -> None:
    """Write the cache file atomically; a folder that cannot be written is no error (no cache)."""
    from dhrkg.outputs import replace_durably

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_durably(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


# -- the tokenizer ----------------------------------------------------------------------

def _compiled(src):
    return None if src is None else re.compile(src[0], src[1])


class Tokenizer:
    """spaCy's Tokenizer algorithm on the data of :func:`data_from_spacy`: words (and trailing spaces)."""

    def __init__(self, data: dict):
        self.prefix = _compiled(data["prefix"])
        self.suffix = _compiled(data["suffix"])
        self.infix = _compiled(data["infix"])
        self.token_match = _compiled(data["token_match"])
        self.url_match = _compiled(data["url_match"])
        self.specials: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in data["rules"].items()}
        self._cache: dict[str, tuple[str, ...]] = {}
        self._matcher = self._special_matcher(data["faster_heuristics"])

    # spaCy's find_prefix / find_suffix / find_infix
    def _pre_len(self, s: str) -> int:
        m = self.prefix.search(s) if self.prefix else None
        return m.end() - m.start() if m else 0

    def _suf_len(self, s: str) -> int:
        m = self.suffix.search(s) if self.suffix else None
        return m.end() - m.start() if m else 0

    def _special_matcher(self, faster: bool) -> dict[str, list[tuple[str, ...]]]:
        """Special cases whose text the affix rules split, by their first piece (spaCy's PhraseMatcher)."""
        out: dict[str, list[tuple[str, ...]]] = {}
        for text in self.specials:
            if (not faster or self._pre_len(text) or (self.infix and self.infix.search(text))
                    or self._suf_len(text) or " " in text):
                words = tuple(w for w, _ in self._split_text(text, with_specials=False))
                out.setdefault(words[0], []).append(words)
        return out

    def __call__(self, text: str) -> list[tuple[str, bool]]:
        """(word, followed by a space) for every token, spaCy's way."""
        words = self._split_text(text, with_specials=True)
        return self._apply_special_cases(words) if self._matcher else words

    def _split_text(self, text: str, with_specials: bool) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        if not text:
            return out
        start, in_ws = 0, text[0].isspace()
        for i, uc in enumerate(text):
            if uc.isspace() != in_ws:
                if start < i:
                    out.extend((w, False) for w in self._span(text[start:i], with_specials))
                if uc == " ":
                    out[-1] = (out[-1][0], True)
                    start = i + 1
                else:
                    start = i
                in_ws = not in_ws
        if start < len(text):
            out.extend((w, False) for w in self._span(text[start:], with_specials))
            out[-1] = (out[-1][0], text[-1] == " " and not in_ws)
        return out

    def _span(self, span: str, with_specials: bool) -> tuple[str, ...]:
        if with_specials and span in self.specials:
            return self.specials[span]
        key = (span, with_specials)
        hit = self._cache.get(key)
        if hit is None:
            prefixes, rest, suffixes = self._split_affixes(span, with_specials)
            hit = self._cache[key] = tuple(prefixes + self._attach(rest, with_specials) + suffixes[::-1])
        return hit

    def _split_affixes(self, s: str, with_specials: bool) -> tuple[list[str], str, list[str]]:
        prefixes: list[str] = []
        suffixes: list[str] = []
        specials = self.specials if with_specials else {}
        last = 0
        while s and len(s) != last:
            if self.token_match and self.token_match.match(s):
                break
            if s in specials:
                break
            last = len(s)
            pre = self._pre_len(s)
            if pre:
                prefix, minus_pre = s[:pre], s[pre:]
                if minus_pre and minus_pre in specials:
                    prefixes.append(prefix)
                    s = minus_pre
                    break
            suf = self._suf_len(s[pre:])
            if suf:
                suffix, minus_suf = s[-suf:], s[:-suf]
                if minus_suf and minus_suf in specials:
                    suffixes.append(suffix)
                    s = minus_suf
                    break
            if pre and suf and pre + suf <= len(s):
                prefixes.append(prefix)
                suffixes.append(suffix)
                s = s[pre:-suf]
            elif pre:
                prefixes.append(prefix)
                s = minus_pre
            elif suf:
                suffixes.append(suffix)
                s = minus_suf
        return prefixes, s, suffixes

    def _attach(self, s: str, with_specials: bool) -> list[str]:
        if not s:
            return []
        if with_specials and s in self.specials:
            return list(self.specials[s])
        if (self.token_match and self.token_match.match(s)) or (self.url_match and self.url_match.match(s)):
            return [s]
        matches = list(self.infix.finditer(s)) if self.infix else []
        if not matches:
            return [s]
        out, start = [], 0
        for m in matches:
            if m.start() == 0:      # spaCy: an infix at the very start is skipped
                continue
            if m.start() != start:
                out.append(s[start:m.start()])
            if m.start() != m.end():
                out.append(s[m.start():m.end()])
            start = m.end()
        if s[start:]:
            out.append(s[start:])
        return out

    def _apply_special_cases(self, words: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
        """spaCy's retokenizing of special cases the affix rules split ("a.m." -> "a.m", "." -> "a.m.")."""
        orths = [w for w, _ in words]
        found = []
        for i, w in enumerate(orths):
            for seq in self._matcher.get(w, ()):
                if tuple(orths[i:i + len(seq)]) == seq:
                    found.append((i, i + len(seq)))
        if not found:
            return words
        seen: set[int] = set()
        kept = []
        for s, e in sorted(found, key=lambda m: (m[1] - m[0], -m[0]), reverse=True):
            if s not in seen and e - 1 not in seen:
                kept.append((s, e))
            seen.update(range(s, e))
        out: list[tuple[str, bool]] = []
        i = 0
        by_start = dict(sorted(kept))
        while i < len(words):
            e = by_start.get(i)
            if e is None:
                out.append(words[i])
                i += 1
                continue
            rule = self.specials.get("".join(w + (" " if sp else "") for w, sp in words[i:e - 1]) + words[e - 1][0])
            if rule is None:
                out.extend(words[i:e])
            else:
                out.extend((w, False) for w in rule[:-1])
                out.append((rule[-1], words[e - 1][1]))
            i = e
        return out


# -- tokens and sentences ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sent:
    start: int


class Token:
    """What the extractor reads of a spaCy Token."""

    __slots__ = ("text", "lower_", "idx", "i", "whitespace_", "is_sent_start", "sent")

    def __init__(self, text: str, idx: int, i: int, space: bool):
        self.text = text
        self.lower_ = text.lower()
        self.idx = idx
        self.i = i
        self.whitespace_ = " " if space else ""
        self.is_sent_start = False
        self.sent: Sent | None = None

    @property
    def is_alpha(self) -> bool:
        return self.text.isalpha()

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


class Doc:
    """What the extractor reads of a spaCy Doc: its text and tokens (index, slice, iterate)."""

    __slots__ = ("text", "tokens")

    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __getitem__(self, k):
        if isinstance(k, slice):
            start, stop, _ = k.indices(len(self.tokens))
            return Span(self, start, max(start, stop))
        return self.tokens[k]


class Span:
    """A slice of a Doc, as spaCy's Span: its tokens and its text (without the last token's space)."""

    __slots__ = ("doc", "start", "end")

    def __init__(self, doc: Doc, start: int, end: int):
        self.doc, self.start, self.end = doc, start, end

    def __len__(self) -> int:
        return self.end - self.start

    def __iter__(self) -> Iterator[Token]:
        return iter(self.doc.tokens[self.start:self.end])

    def __getitem__(self, k):
        return self.doc.tokens[self.start:self.end][k]

    @property
    def text(self) -> str:
        if self.start >= self.end:
            return ""
        first, last = self.doc.tokens[self.start], self.doc.tokens[self.end - 1]
        return self.doc.text[first.idx:last.idx + len(last.text)]


def _is_punct(text: str) -> bool:
    return all(unicodedata.category(c).startswith("P") for c in text)


class Pipeline:
    """``spacy.blank("en")`` with a sentencizer, on the cached data."""

    def __init__(self, data: dict):
        self.tokenizer = Tokenizer(data)
        self.punct_chars = frozenset(data["punct_chars"])

    def __call__(self, text: str) -> Doc:
        tokens, idx = [], 0
        for i, (word, space) in enumerate(self.tokenizer(text)):
            tokens.append(Token(word, idx, i, space))
            idx += len(word) + space
        self._sentences(tokens)
        return Doc(text, tokens)

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        return (self(t) for t in texts)

    def _sentences(self, tokens: list[Token]) -> None:
        """spaCy's Sentencizer.predict: a sentence starts after a run of sentence-final punctuation."""
        if not tokens:
            return
        starts, start, seen_period = [0], 0, False
        for t in tokens:
            in_punct = t.text in self.punct_chars
            if seen_period and not in_punct and not _is_punct(t.text):
                start = t.i
                starts.append(start)
                seen_period = False
            elif in_punct:
                seen_period = True
        bounds = starts + [len(tokens)]
        for s, e in zip(bounds, bounds[1:]):
            sent = Sent(s)
            tokens[s].is_sent_start = True
            for t in tokens[s:e]:
                t.sent = sent


@functools.lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    return Pipeline(load_data())
