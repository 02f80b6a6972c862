"""Partial ISO 8601 dates: ``2011``, ``2011-10`` or ``2011-10-05``.

A partial date means "some time in that year/month". It stays partial through
the model, the graph and RDF, and is also usable as a range: ``earliest`` and
``latest`` give the first and last day it can mean.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

Precision = Literal["year", "month", "day"]

PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_SHAPE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class PartialDateError(ValueError):
    """A value that is not a valid (partial) ISO 8601 date; ``part`` names what is wrong
    ("year", "month", "day" or "shape") for a reader that words it its own way."""

    def __init__(self, message: str, part: str = "shape"):
        super().__init__(message)
        self.part = part


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None, shown: str | None = None) -> "PartialDate":
        """The date of these numbers, checked: every reader of dates (case files, chronology
        cells, report prose) makes its dates here. ``shown``: the text they were read from."""
        text = shown if shown is not None else "-".join(str(n) for n in (year, month, day) if n is not None)
        if not 1000 <= year <= 9999:
            raise PartialDateError(f"'{text}' is not a date: year {year} is out of range", "year")
        if month is not None and not 1 <= month <= 12:
            raise PartialDateError(f"'{text}' is not a date: month {month} does not exist", "month")
        if day is not None:
            if month is None:
                raise PartialDateError(f"'{text}' is not a date: a day needs its month", "day")
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise PartialDateError(
                    f"'{text}' is not a date: {calendar.month_name[month]} {year} has {last} days", "day")
        return cls(year, month, day)

    @classmethod
    def parse(cls, value: Any) -> "PartialDate":
        """Read ``2011``, ``"2011-10"``, ``"2011-10-05"`` or a ``datetime.date``."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):  # a datetime too
            return cls.of(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise PartialDateError(f"{value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        if isinstance(value, int):
            if 1000 <= value <= 9999:
                return cls.of(value)
            raise PartialDateError(f"{value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)", "year")
        if not isinstance(value, str):
            raise PartialDateError(f"{value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        text = value.strip()
        m = _SHAPE.match(text)
        if not m or (m.group(2) and len(m.group(2)) != 2) or (m.group(3) and len(m.group(3)) != 2):
            raise PartialDateError(f"'{value}' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        return cls.of(year, month, day, shown=value)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def earliest(self) -> dt.date:
        """The first day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day this date can mean."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def truncate(self, precision: Precision) -> "PartialDate":
        """The same date known only to ``precision`` (never more precise than it is)."""
        if precision == "year":
            return PartialDate(self.year)
        if precision == "month":
            return PartialDate(self.year, self.month)
        return self

    def agrees_with(self, other: "PartialDate") -> bool:
        """True when the two dates are equal at the precision of the less precise one."""
        order = {"year": 0, "month": 1, "day": 2}
        p = min(self.precision, other.precision, key=order.__getitem__)
        return self.truncate(p) == other.truncate(p)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __repr__(self) -> str:
        return f"PartialDate('{self}')"


def _parse_for_pydantic(value: Any) -> PartialDate:
    return PartialDate.parse(value)


DateField = Annotated[
    PartialDate,
    BeforeValidator(_parse_for_pydantic),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PARTIAL_DATE_PATTERN,
            "description": "ISO 8601 date, possibly partial: YYYY, YYYY-MM or YYYY-MM-DD",
            "examples": ["2011", "2011-10", "2011-10-05"],
        }
    ),
]
