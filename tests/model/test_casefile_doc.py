"""docs/case-file.md and the pydantic model say the same: every field the document's tables
list is a field of the model and every model field is in the document; every enumeration the
document spells out has the same values as the model's Literal. (The format document is also
the project's copy of ../shared/design/case-file.md: when both exist they are compared too.)"""

import re
import typing
from pathlib import Path

import pytest

from dhrkg.model import model

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "case-file.md").read_text(encoding="utf-8")
SHARED = ROOT.parent / "shared" / "design" / "case-file.md"


def section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\b[^\n]*\n(.*?)(?=^## |\Z)", DOC, re.S | re.M)
    assert m, f"docs/case-file.md has no section '## {title}'"
    return m.group(1)


def table_fields(title: str) -> set[str]:
    """Backticked names in the first column of a section's table (`chair`, `author` -> two)."""
    names = set()
    for line in section(title).splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            names |= set(re.findall(r"`([a-z_]+)`", first))
    return names


def literal_values(tp) -> set[str]:
    out = set()
    for arg in typing.get_args(tp):
        out |= {arg} if isinstance(arg, str) else literal_values(arg)
    return out


def model_fields(cls) -> set[str]:
    """Field names as written in a case file (the alias where there is one: `from`)."""
    return {f.alias or name for name, f in cls.model_fields.items()}


@pytest.mark.parametrize("title, cls, extra", [
    ("review", model.Review, set()),
    ("persons", model.Person, set()),
    ("households", model.Household, set()),
    ("agencies", model.Agency, set()),
    ("events", model.Event, {"victims"}),  # 'victims: [...]' is described inside the abuse row
    ("recommendations", model.Recommendation, {"agencies"}),  # described inside the agency row
])
def test_every_documented_field_is_in_the_model_and_back(title, cls, extra):
    documented = table_fields(title)
    fields = model_fields(cls)
    assert documented - fields == set(), f"{title}: documented but not in the model"
    assert fields - documented - extra == set(), f"{title}: in the model but not documented"


def test_relationship_types_and_their_fields():
    text = section("relationships")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M)) - {"type"}  # the header row
    assert documented == literal_values(model.RelationshipType)
    common = set(re.findall(r"`([a-z_]+)`", text.split("| `type` |")[0]))
    for cls in (model.ParentRelationship, model.PartnerRelationship, model.AbuseRelationship):
        assert common - {"alleged", "reported", "substantiated", "convicted"} <= model_fields(cls) | {"type"}


@pytest.mark.parametrize("row, literal", [
    ("sex", model.Sex), ("roles", model.Role), ("type", model.AgencyType),
])
def test_person_and_agency_enumerations(row, literal):
    title = "persons" if row in ("sex", "roles") else "agencies"
    line = next(ln for ln in section(title).splitlines() if ln.startswith(f"| `{row}` |"))
    values = set(re.findall(r"`([a-z_]+)`", line.split("|", 2)[2]))
    assert values == literal_values(literal)


def test_event_types_risk_levels_and_scope():
    events = section("events")
    type_line = next(ln for ln in events.splitlines() if ln.startswith("| `type` |"))
    assert set(re.findall(r"`([a-z_]+)`", type_line.split("|", 2)[2])) == literal_values(model.EventType)
    risk_line = next(ln for ln in events.splitlines() if ln.startswith("| `risk` |"))
    levels = re.search(r"`level` is (.*?);", risk_line).group(1)
    assert set(re.findall(r"`([a-z_]+)`", levels)) == literal_values(model.RiskLevel)
    scope_line = next(ln for ln in section("recommendations").splitlines() if ln.startswith("| `scope` |"))
    assert set(re.findall(r"`([a-z_]+)`", scope_line.split("|", 2)[2])) == literal_values(model.Scope)


def test_abuse_kinds_and_certainty():
    text = section("relationships")
    abuse_line = next(ln for ln in text.splitlines() if ln.startswith("| `abuse` |"))
    kinds = re.search(r"`kinds`: any of (.*?);", abuse_line).group(1)
    assert set(re.findall(r"`([a-z_]+)`", kinds)) == literal_values(model.AbuseKind)
    certainty = re.search(r"`certainty`: (.*?)\(", text, re.S).group(1)
    assert set(re.findall(r"`([a-z_]+)`", certainty)) == literal_values(model.Certainty)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/design is not beside this checkout")
def test_the_project_copy_has_everything_the_shared_design_defines():
    shared = SHARED.read_text(encoding="utf-8")
    missing = sorted(set(re.findall(r"`([a-z_]+)`", shared)) - set(re.findall(r"`([a-z_]+)`", DOC)))
    assert missing == [], f"docs/case-file.md lacks terms of ../shared/design/case-file.md: {missing}"
