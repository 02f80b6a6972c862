"""Partial dates, the model's round trip, and the JSON Schema kept in step with the model."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from dhrkg.model import PartialDate, PartialDateError, load_case
from dhrkg.model.model import CaseFile
from dhrkg.model.schema import schema_text, shipped_schema_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize(
    "text,precision,earliest,latest",
    [
        ("2011", "year", "2011-01-01", "2011-12-31"),
        ("2011-10", "month", "2011-10-01", "2011-10-31"),
        ("2012-02", "month", "2012-02-01", "2012-02-29"),
        ("2011-10-05", "day", "2011-10-05", "2011-10-05"),
    ],
)
def test_partial_dates_keep_precision_and_span_a_range(text, precision, earliest, latest):
    d = PartialDate.parse(text)
    assert str(d) == text
    assert d.precision == precision
    assert d.earliest.isoformat() == earliest and d.latest.isoformat() == latest


def test_a_month_is_before_a_day_in_it_and_after_the_month_before():
    oct_2011 = PartialDate.parse("2011-10")
    assert oct_2011.earliest < dt.date(2011, 10, 15)  # in "before 2011-10-15"
    assert oct_2011.latest > dt.date(2011, 9, 30)  # in "after 2011-09-30"


@pytest.mark.parametrize("bad", ["2011-02-30", "2011-13", "2011-00", "11-10", "2011/10/05", "2011-1-5", "", "soon", 99, True])
def test_invalid_dates_are_refused(bad):
    with pytest.raises(PartialDateError):
        PartialDate.parse(bad)


def test_agreement_at_the_less_precise_date():
    assert PartialDate.parse("2011-10").agrees_with(PartialDate.parse("2011-10-05"))
    assert PartialDate.parse("2011").agrees_with(PartialDate.parse("2011-10-05"))
    assert not PartialDate.parse("2011-09").agrees_with(PartialDate.parse("2011-10-05"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_case_file_round_trips_through_plain_data(path):
    case = load_case(path)
    data = case.to_data()
    again = CaseFile.model_validate(data)
    assert again == case
    # partial dates stay partial
    raw = yaml.safe_load(path.read_text())
    assert str(data["review"].get("homicide_date")) == str(raw["review"].get("homicide_date"))
    assert [e["date"] for e in data["events"]] == [str(e["date"]) for e in raw["events"]]


def test_shipped_schema_is_in_step_with_the_model():
    assert shipped_schema_text() == schema_text(), "regenerate: dhrkg schema -o ontology/dhr-case.schema.json"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_gold_files_conform_to_the_json_schema(path):
    schema = json.loads(shipped_schema_text())
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_schema_rejects_what_the_model_rejects():
    schema = json.loads(shipped_schema_text())
    data = yaml.safe_load(EXAMPLES[0].read_text())
    data["persons"][0]["sex"] = "fmale"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data = yaml.safe_load(EXAMPLES[0].read_text())
    data["events"][0]["date"] = "2011-13"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


_DEFERRED_PROBE = """
from dhrkg.model.model import CaseFile, Event, Person
print(any(m.__pydantic_complete__ for m in (CaseFile, Person, Event)))
"""


def test_importing_the_model_builds_no_validator():
    """The validators are built on first use (start-up of every command that never validates)."""
    run = subprocess.run([sys.executable, "-c", _DEFERRED_PROBE], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_a_record_used_alone_builds_its_validator_on_first_use():
    probe = ("from dhrkg.model.model import Person\n"
             "print(Person(id='p1', name='A').model_dump(exclude_none=True, exclude_defaults=True))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "{'id': 'p1', 'name': 'A'}"
