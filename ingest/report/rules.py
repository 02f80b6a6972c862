"""Rules as data: the versioned YAML files under ``rules/`` that the extractor's passes read.

Each file holds ``version``, optional descriptions and ``rules``: one record per
rule with an ``id``, a ``pattern`` (a regular expression, searched case-insensitively
unless the record says ``case: sensitive``) or ``words`` (a list of whole words), what it
assigns, and ``examples`` (``match`` / ``no_match`` sentences, or records with a ``text``
and what it must give) that the tests check and the docs show. A file's ``macros`` are
pieces of pattern its rules share, written ``${NAME}`` in a pattern.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dhrkg.model.kin import KIN_FILE

RULES_DIR = Path(__file__).with_name("rules")
#: libyaml's loader when PyYAML has it (ten times faster than the pure-Python one; same results)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Rule files kept elsewhere because other layers read them too: the kin words are the model's
#: vocabulary (dhrkg/model/kin.yaml; the research export allows them as relation labels).
SHARED_RULE_FILES = {"kin": KIN_FILE}


class RuleFileError(Exception):
    """A rule file is malformed (a bug in the shipped data: the message names the file and rule)."""


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern | None     # None: a rule with a condition on a record (``when``) instead
    assigns: dict[str, Any]
    match_examples: tuple[Any, ...] = ()
    no_match_examples: tuple[Any, ...] = ()

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(text) if self.pattern is not None else None


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: int
    rules: tuple[Rule, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def active(self) -> tuple[Rule, ...]:
        """The rules not switched off (see :func:`disabled_rules`)."""
        off = _DISABLED.get()
        return self.rules if not off else tuple(r for r in self.rules if r.id not in off)

    def first(self, text: str) -> Rule | None:
        """The first active rule whose pattern is found in the text."""
        return next((r for r in self.active() if r.search(text)), None)


_DISABLED: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("disabled_rules", default=frozenset())


@contextlib.contextmanager
def disabled_rules(ids):
    """Switch rules off by id while the block runs (the leave-one-out score in bench/extract.py)."""
    token = _DISABLED.set(frozenset(ids) | _DISABLED.get())
    try:
        yield
    finally:
        _DISABLED.reset(token)


_HITS: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar("rule_hits", default=None)


@contextlib.contextmanager
def counting_hits():
    """Count the hits of the rules that report them (:func:`note_hit`) while the block runs: yields the counts."""
    counts: dict[str, int] = {}
    token = _HITS.set(counts)
    try:
        yield counts
    finally:
        _HITS.reset(token)


def note_hit(rule_id: str) -> None:
    """A rule fired (counted only inside :func:`counting_hits`)."""
    counts = _HITS.get()
    if counts is not None:
        counts[rule_id] = counts.get(rule_id, 0) + 1


_RESERVED = {"id", "pattern", "examples", "case"}
_MACRO = re.compile(r"\$\{(\w+)\}")


def expand(text: str, macros: dict[str, str], where: str = "") -> str:
    """``text`` with every ``${NAME}`` replaced by the file's macro NAME (a piece of pattern shared by rules)."""
    def one(m: re.Match) -> str:
        if m.group(1) not in macros:
            raise RuleFileError(f"{where}: unknown macro ${{{m.group(1)}}}")
        return macros[m.group(1)]
    return _MACRO.sub(one, text)


def words_pattern(words: list[str]) -> str:
    """A pattern for any of the words, as whole words (longest first; a hyphen joins words)."""
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return rf"(?<![\w-])(?:{alt})(?![\w-])"


def _macros(path: Path, data: dict[str, Any]) -> dict[str, str]:
    """The file's ``macros``, each expanded with the ones above it."""
    out: dict[str, str] = {}
    for name, text in (data.get("macros") or {}).items():
        out[name] = expand(str(text), out, f"{path.name}: macro {name}")
    return out


def _rule(path: Path, rec: dict[str, Any], macros: dict[str, str] | None = None) -> Rule:
    rid = rec.get("id")
    if not rid or ("pattern" not in rec and "when" not in rec and "words" not in rec and "parts" not in rec):
        raise RuleFileError(f"{path.name}: a rule without an id, or without a pattern or a condition: {rec!r:.60}")
    flags = 0 if rec.get("case") == "sensitive" else re.I
    source = rec["pattern"] if "pattern" in rec else words_pattern(rec["words"]) if "words" in rec else None
    try:
        pattern = re.compile(expand(source, macros or {}, f"{path.name}: rule {rid}"), flags) if source else None
    except re.error as exc:
        raise RuleFileError(f"{path.name}: rule {rid}: bad pattern: {exc}") from None
    examples = rec.get("examples") or {}
    return Rule(rid, pattern, {k: v for k, v in rec.items() if k not in _RESERVED},
                tuple(examples.get("match") or ()), tuple(examples.get("no_match") or ()))


@functools.lru_cache(maxsize=None)
def load_rules(name: str) -> RuleSet:
    """The rule set of ``rules/NAME.yaml`` (read once per process)."""
    path = rule_path(name)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    macros = _macros(path, data)
    rules = tuple(_rule(path, rec, macros) for rec in data.get("rules") or ())
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise RuleFileError(f"{path.name}: duplicate rule ids")
    meta = {k: v for k, v in data.items() if k not in ("rules", "version", "macros")}
    return RuleSet(name, int(data.get("version", 1)), rules, meta)


def rule_path(name: str) -> Path:
    return SHARED_RULE_FILES.get(name, RULES_DIR / f"{name}.yaml")


def rule_files() -> list[str]:
    return sorted({p.stem for p in RULES_DIR.glob("*.yaml")} | set(SHARED_RULE_FILES))


def markdown_table(name: str) -> str:
    """The rule table of one rule file, for docs/extract.md."""
    rs = load_rules(name)
    lines = [f"Rules `{name}` (version {rs.version}):", "",
             "| id | assigns | when | e.g. |", "| --- | --- | --- | --- |"]
    for r in rs.rules:
        assigns = ", ".join(f"{k}: {v}" for k, v in r.assigns.items() if k != "when")
        if "words" in r.assigns:
            when = "the words " + ", ".join(f"*{w}*" for w in r.assigns["words"])
            assigns = ", ".join(f"{k}: {v}" for k, v in r.assigns.items() if k not in ("when", "words"))
        elif "parts" in r.assigns:
            when = "named in the parts " + ", ".join(r.assigns["parts"]) + (" in words matching the pattern" if r.pattern else "")
            assigns = ", ".join(f"{k}: {v}" for k, v in r.assigns.items() if k != "parts")
        elif r.pattern is not None:
            when = "words match the pattern"
        else:
            when = "; ".join(f"{k} absent" if v is None else f"{k} ~ `{v}`" for k, v in r.assigns["when"].items())
        example = "; ".join(f"*{_example_text(x)}*" for x in r.match_examples[:3] if _example_text(x))
        cells = [f"`{r.id}`", assigns, when, example]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def _example_text(example: Any) -> str | None:
    """An example's sentence: the example itself, or its ``text`` (an example with what it must give)."""
    if isinstance(example, str):
        return example
    return example.get("text") if isinstance(example, dict) else None


def rule_tables() -> str:
    return "\n\n".join(markdown_table(name) for name in rule_files()) + "\n"
