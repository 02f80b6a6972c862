"""Before the homicide: the one rule for "what agencies could have acted on".

A missed chance is a contact before the death; the trial, the inquest, the charge and the
review's own steps come after it. The rule, used by the contact network drawing (Python, on a
case file) and by the canned queries (Cypher, on the graph; see ``BOUND_CYPHER``):

- The **bound** is the first day of the homicide: the earliest of the review's
  ``homicide_date``, the date of any event of type ``homicide`` (a review may date the
  homicide by the death, a day or more after the attack) and the date of death (``died``) of
  any of its victims (a review into a suicide, or one whose homicide date is not given, is
  bounded by the death). A date chosen by the user replaces it.
- An event is **before the homicide** when its date ends before the bound (``date_to <
  bound``), or when its partial date spans the bound ("2014" for a homicide in March 2014) and
  it is not of a type that follows a homicide (``AFTER_HOMICIDE_TYPES``: the homicide, arrest,
  charge, court, conviction, sentence, custody, the review's own steps): a referral dated
  "2014" counts, the charge dated "2014" does not. Events on the day of the homicide are left
  out (the order within a day is not recorded).
- A review with no homicide date, no homicide event and no victim's date of death has no
  bound: every event counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from .dates import PartialDate
from .model import CaseFile, Event

#: Event types that, with a partial date spanning the homicide, are taken to come after it.
AFTER_HOMICIDE_TYPES = ("homicide", "arrest", "charge", "court", "conviction", "sentence", "custody", "review_process")

#: The same bound in Cypher, for a Review ``r``: the homicide's first day (or null), and with
#: an optional date parameter ``before`` (its ``$before_from``; no bound gives a day after every
#: date). Canned queries spell it out (a query file cannot include another); the tests in
#: tests/graph/test_queries_before_homicide.py check that each bounded query contains it and that
#: it agrees with :func:`homicide_bound`.
HOMICIDE_DAY_CYPHER = (
    "reduce(b = r.homicide_date_from, "
    "h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + "
    "[(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | "
    "CASE WHEN b IS NULL OR h < b THEN h ELSE b END)"
)
BOUND_CYPHER = f"coalesce($before_from, {HOMICIDE_DAY_CYPHER}, '9999-12-31')"


def homicide_bound(case: CaseFile, before: Optional[PartialDate | str] = None) -> Optional[dt.date]:
    """The first day that is no longer "before the homicide" (None: no bound)."""
    homicide_days = [e.date for e in case.events if e.type == "homicide"]
    homicide_days += [p.died for p in case.persons if p.died is not None and "victim" in (p.roles or [])]
    return first_day_after(case.review.homicide_date, homicide_days, before)


def first_day_after(homicide_date: Optional[PartialDate], homicide_event_dates: Iterable[PartialDate],
                    before: Optional[PartialDate | str] = None) -> Optional[dt.date]:
    """The bound from its parts: ``before`` when given, else the earliest day of the review's
    homicide date and of its homicide events (None when the review has neither)."""
    if before is not None:
        return PartialDate.parse(before).earliest if isinstance(before, str) else before.earliest
    days = [d.earliest for d in homicide_event_dates]
    if homicide_date is not None:
        days.append(homicide_date.earliest)
    return min(days, default=None)


def is_before(event: Event, bound: Optional[dt.date]) -> bool:
    """True when ``event`` certainly happened before ``bound`` (always, with no bound)."""
    return is_dated_before(event.date, event.type, bound)


def is_dated_before(date: PartialDate, event_type: str, bound: Optional[dt.date]) -> bool:
    """The rule itself: an event whose (partial) date ends before ``bound`` is before it; one whose
    date only starts before it is before it unless its type is a step that follows a homicide."""
    if bound is None or date.latest < bound:
        return True
    return date.earliest < bound and event_type not in AFTER_HOMICIDE_TYPES


def before_cypher(var: str) -> str:
    """The Cypher condition that event ``var`` is before ``bound`` (a string date in scope)."""
    types = ", ".join(f"'{t}'" for t in AFTER_HOMICIDE_TYPES)
    return f"({var}.date_to < bound OR ({var}.date_from < bound AND NOT {var}.type IN [{types}]))"
