"""Before the homicide: the one rule for "what agencies could have acted on".

A missed chance is a contact before the death; the trial, the inquest, the charge and the
review's own steps come after it. The rule, used by the contact network drawing (Python, on a
case file) and by the canned queries (Cypher, on the graph; see ``BOUND_CYPHER``):

- The **bound** is the first day of the homicide: the earliest of the review's
  ``homicide_date`` and the date of any event of type ``homicide`` (a review may date the
  homicide by the death, a day or more after the attack). A date chosen by the user replaces it.
- An event is **before the homicide** when its date certainly ends before the bound
  (``date_to < bound``). So events on the day of the homicide are left out (the order within a
  day is not recorded), and so is an event whose partial date spans the homicide ("2014" for a
  homicide in March 2014: it cannot be placed before).
- A review with no homicide date and no homicide event has no bound: every event counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from .dates import PartialDate
from .model import CaseFile, Event

#: The same bound in Cypher, for a Review ``r`` and an optional date parameter ``before``
#: (its ``$before_from``); no bound gives a day after every date. Canned queries spell it out
#: (a query file cannot include another); tests/test_queries_before_homicide.py checks that
#: each one agrees with :func:`homicide_bound`.
BOUND_CYPHER = (
    "coalesce($before_from, reduce(b = r.homicide_date_from, "
    "h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] | "
    "CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31')"
)

#: What a query's description says about this period (docs and ``dhrkg queries NAME``).
BEFORE_PERIOD = ("before the homicide: events whose date ends before the first day of the homicide "
                 "(the review's homicide date or its homicide event, whichever is earlier); "
                 "--param before=DATE moves the bound")


def homicide_bound(case: CaseFile, before: Optional[PartialDate | str] = None) -> Optional[dt.date]:
    """The first day that is no longer "before the homicide" (None: no bound)."""
    if before is not None:
        return PartialDate.parse(before).earliest
    days = [e.date.earliest for e in case.events if e.type == "homicide"]
    if case.review.homicide_date is not None:
        days.append(case.review.homicide_date.earliest)
    return min(days, default=None)


def is_before(event: Event, bound: Optional[dt.date]) -> bool:
    """True when ``event`` certainly happened before ``bound`` (always, with no bound)."""
    return bound is None or event.date.latest < bound
