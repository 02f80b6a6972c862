"""Writing case files: the one YAML (and JSON) writer of ``dhr-case/1`` data.

Fields keep the model's order (``CaseFile.to_data()``), text stays as written (letters
of any alphabet, not ``\\u`` escapes), lines wrap at 100 columns. Two layouts:

- ``block`` (the default): every list one item a line, as the chronology importer and the
  RDF importer write case files; libyaml's writer (fast on chronologies of thousands of
  events), which escapes characters beyond the Basic Multilingual Plane (emoji);
- ``draft``: short lists of plain values on one line (``roles: [victim]``) and text that
  starts with YAML punctuation, or has ``: `` or `` #`` inside, in single quotes: the
  extractor's drafts, which a person reads and corrects by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Mapping

import yaml

from .model import CaseFile

Layout = Literal["block", "draft"]

_YAML_PUNCTUATION = "'\"&*!|>%@`#{}[],?:-"


class _DraftDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml emits the same text, faster
    """Quotes text a reader could take for YAML syntax (see the module's docstring)."""


def _draft_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    quoted = value and (value[0] in _YAML_PUNCTUATION or value.strip() != value or ": " in value or " #" in value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'" if quoted else None)


_DraftDumper.add_representer(str, _draft_str)

#: layout -> (dumper, flow style of leaf collections)
_LAYOUTS: dict[str, tuple[type, bool | None]] = {
    "block": (getattr(yaml, "CSafeDumper", yaml.SafeDumper), False),
    "draft": (_DraftDumper, None),
}


def _data(case: CaseFile | Mapping[str, Any]) -> dict[str, Any]:
    return case.to_data() if isinstance(case, CaseFile) else dict(case)


def case_yaml(case: CaseFile | Mapping[str, Any], layout: Layout = "block") -> str:
    """A case file (a :class:`CaseFile` or its plain data) as YAML text."""
    dumper, flow = _LAYOUTS[layout]
    return yaml.dump(_data(case), Dumper=dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=flow)


def case_json(case: CaseFile | Mapping[str, Any]) -> str:
    """A case file as JSON text, fields in the model's order."""
    return json.dumps(_data(case), indent=2, ensure_ascii=False) + "\n"


def write_case_file(case: CaseFile | Mapping[str, Any], path: str | Path, layout: Layout = "block") -> None:
    """Write a case file whole or not at all: JSON for a ``.json`` name, else YAML."""
    from dhrkg.outputs import write_atomic

    path = Path(path)
    text = case_json(case) if path.suffix.lower() == ".json" else case_yaml(case, layout)
    write_atomic(path, text)


__all__ = ["Layout", "case_json", "case_yaml", "write_case_file"]
