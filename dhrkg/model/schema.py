"""JSON Schema of the case-file format, generated from the model.

The generated text is committed as ``ontology/dhr-case.schema.json`` (so an
editor can point at it); a test keeps the two in step. Regenerate with
``dhrkg schema -o ontology/dhr-case.schema.json``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .model import CaseFile

SCHEMA_ID = "https://dhrkg.org/schema/dhr-case-1.schema.json"


def case_schema() -> dict[str, Any]:
    schema = CaseFile.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "DHR case file (dhr-case/1)",
        "description": "One Domestic Homicide Review: people, relationships, households, agencies, "
        "chronology and recommendations. See docs/case-file.md.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(case_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def shipped_schema_text() -> str:
    """The schema file shipped in the package (``dhrkg.ontology``)."""
    return resources.files("dhrkg.ontology").joinpath("dhr-case.schema.json").read_text(encoding="utf-8")
