"""Finding dates in report text: full, partial and relative, with the year carried from context.

``find_dates(text, context)`` returns :class:`DateMention` s in text order. It
reads ``8th October 2010``, ``October 8, 2010``, ``21/11/2011``, ``09.08.10``,
``In February 2013``, ``late 2010``, ``in 2005``, ``2006/7/8`` (the first
year), ``20th and 24th December`` and ``in May`` (the year from context), and
``the following day`` / ``the same day`` (from the last full date). Years
that name a law or a publication (``Mental Health Act 1983``, ``Home Office
2011``) are not dates of anything that happened. Plain regular expressions:
faster and more predictable on report prose than a general date parser.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from dhrkg.model import PartialDate, PartialDateError

from .prefilter import exotic
from .rules import Rule, load_rules, note_hit

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9


@dataclass
class DateMention:
    start: int
    end: int
    date: PartialDate
    text: str
    approx: bool = False       # inferred (year from context, relative day)
    relative: bool = False
    extra: list["DateMention"] = field(default_factory=list)
    rule: str = ""             # the date rule (rules/dates.yaml) that found it


@dataclass
class DateContext:
    """What earlier text said: the last year and the last full date."""

    year: int | None = None
    month: int | None = None
    last: PartialDate | None = None
    homicide: PartialDate | None = None
    fresh: bool = True   # whether ``last`` was set in the current paragraph (see new_paragraph)

    def new_paragraph(self) -> None:
        """A new paragraph: "the same day" may still mean the last date, "the following day" no longer."""
        self.fresh = False


def month_number(name: str) -> int | None:
    key = name.lower().rstrip(".")
    if key in _MONTHS:
        return _MONTHS[key]
    return None


def _year2(y: str) -> int:
    n = int(y)
    if len(y) == 4:
        return n
    return 2000 + n if n <= 40 else 1900 + n


#: the years report prose gives dates of events in (an older or later number is something else)
_EVENT_YEARS = range(1940, 2050)


def _make(y: int, m: int | None = None, d: int | None = None) -> PartialDate | None:
    """The model's date of these numbers, or None when they are not a date of an event."""
    if y not in _EVENT_YEARS:
        return None
    try:
        return PartialDate.of(y, m, d)
    except PartialDateError:
        return None


def _date_rules() -> tuple[tuple[str, Rule, bool, bool], ...]:
    """(form, rule, needs a digit, needs a month name) for every active date form of rules/dates.yaml, in order."""
    return tuple((r.assigns["form"], r, "digit" in r.assigns.get("needs", ()), "month" in r.assigns.get("needs", ()))
                 for r in load_rules("dates").active() if "form" in r.assigns and r.assigns["form"] != "relative")


def _relative_rule() -> Rule | None:
    return next((r for r in load_rules("dates").active() if r.assigns.get("form") == "relative"), None)


@functools.lru_cache(maxsize=None)
def _after(pattern: str | None) -> re.Pattern:
    return re.compile(pattern or r"(?!)", re.I)


def _vetoed_year(text: str, a: int, b: int) -> bool:
    """Whether the year at text[a:b] names a law, a publication or a quantity (the veto rules)."""
    before, after = text[max(0, a - 40):a], text[b:b + 12]
    return any(r.search(before) or _after(r.assigns.get("after")).match(after)
               for r in load_rules("dates").active() if r.assigns.get("veto") == "year")


#: what every month name (MONTH) starts with: a text without one needs no month pattern
_DIGIT = re.compile(r"\d")
_MONTH_STARTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < e and s < b for s, e in spans)


def find_dates(text: str, ctx: DateContext | None = None, *, update: bool = True) -> list[DateMention]:
    """Dates in one paragraph, in order; ``ctx`` gives and takes the running year and last date."""
    ctx = ctx or DateContext()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    digits = _DIGIT.search(text) is not None
    lowered = text.lower()
    months = exotic(text) or any(m in lowered for m in _MONTH_STARTS)
    for kind, rule, needs_digit, needs_month in _date_rules():
        if (needs_digit and not digits) or (needs_month and not months):
            continue  # nothing this form could find
        for m in rule.pattern.finditer(text):
            a, b = m.span()
            if _overlaps(taken, a, b):
                continue
            mention = _interpret(kind, m, text)
            if mention is None:
                continue
            mention.rule = rule.id
            note_hit(rule.id)
            found.append(mention)
            taken.append((a, b))
    relative = _relative_rule()
    for m in relative.pattern.finditer(text) if relative else ():
        if not _overlaps(taken, *m.span()):
            found.append(DateMention(m.start(), m.end(), PartialDate(1900), m.group(0), approx=True, relative=True,
                                     rule=relative.id))
            note_hit(relative.id)
            taken.append(m.span())
    found.sort(key=lambda x: x.start)

    # fill in what the text leaves to context, in reading order
    out: list[DateMention] = []
    for mention in found:
        d = mention.date
        if mention.relative:
            last = ctx.last
            word = mention.text.lower()
            if last is None or (not ctx.fresh and "same" not in word):
                continue
            if last.day is None:
                mention.date = last  # "the next day" after "in May 2011": still May 2011
            else:
                base = dt.date(last.year, last.month, last.day)
                if "following" in word or "next" in word:
                    base += dt.timedelta(days=1)
                elif "previous" in word:
                    base -= dt.timedelta(days=1)
                mention.date = PartialDate.parse(base)
        elif d.year == 0 and d.month == 0:  # "On 3rd": the month and year from context
            date = _make(ctx.year, ctx.month, d.day) if ctx.year is not None and ctx.month else None
            if date is None:
                continue
            mention.date, mention.approx = date, True
        elif d.year == 0:  # year missing: from context
            if ctx.year is None:
                continue
            dated = [_make(ctx.year, x.date.month, x.date.day) for x in (mention, *mention.extra)]
            if None in dated:  # "29th February" in a year that has none
                continue
            for x, date in zip((mention, *mention.extra), dated):
                x.date, x.approx = date, True
        if update:
            ctx.fresh = True
            ctx.year = mention.date.year
            ctx.month = mention.date.month
            ctx.last = mention.date
            for extra in mention.extra:
                ctx.last = extra.date
        out.append(mention)
        out.extend(mention.extra)
        mention.extra = []
    return out


def _interpret(kind: str, m: re.Match, text: str) -> DateMention | None:
    a, b = m.span()
    g = m.groups()
    if kind == "iso":
        d = _make(int(g[0]), int(g[1]), int(g[2]))
        return DateMention(a, b, d, m.group(0)) if d else None
    if kind == "dmy_dash":
        d = _make(int(g[2]), int(g[1]), int(g[0]))
        return DateMention(a, b, d, m.group(0)) if d else None
    if kind == "christmas":
        word = m.group(0).lower()
        day = 26 if word.startswith("boxing") else 31 if word.startswith("new") else 25 if "day" in word else None
        d = _make(int(g[0]), 12, day)
        return DateMention(a, b, d, m.group(0), approx=day is None) if d else None
    if kind == "prefixed_year":
        d = _make(int(g[0]))
        return DateMention(a, b, d, m.group(0)) if d else None
    if kind == "dmy_num":
        d = _make(_year2(g[2]), int(g[1]), int(g[0]))
        if d is None:
            return None
        if len(g[2]) == 2 and m.group(0).count(".") == 2 and int(g[1]) > 12:
            return None
        return DateMention(a, b, d, m.group(0))
    if kind == "d_and_d_month_year":
        month = month_number(g[2])
        year = int(g[3]) if g[3] else 0
        d1, d2 = int(g[0]), int(g[1])
        if not month or not (1 <= d1 <= 31 and 1 <= d2 <= 31):
            return None
        if year:
            first, second = _make(year, month, d1), _make(year, month, d2)
            if first is None or second is None:
                return None
        else:
            first, second = PartialDate(0, month, d1), PartialDate(0, month, d2)
        mention = DateMention(a, b, first, m.group(0))
        mention.extra = [DateMention(a, b, second, m.group(0))]
        return mention
    if kind == "d_month_year":
        d = _make(int(g[2]), month_number(g[1]), int(g[0]))
        return DateMention(a, b, d, m.group(0)) if d else None
    if kind == "month_d_year":
        d = _make(int(g[2]), month_number(g[0]), int(g[1]))
        return DateMention(a, b, d, m.group(0)) if d else None
    if kind == "month_year":
        if g[0].lower().rstrip(".") == "may" and g[0][0] == "m":
            return None
        d = _make(int(g[1]), month_number(g[0]))
        return DateMention(a, b, d, m.group(0)) if d else None
    if kind == "d_month":
        month = month_number(g[1])
        day = int(g[0])
        if not month or not 1 <= day <= 31:
            return None
        if g[1].lower().startswith("may") and g[1][0] == "m":
            return None
        return DateMention(a, b, PartialDate(0, month, day), m.group(0))
    if kind == "day_only":   # "On 3rd": the day of the month the text dated last (month 0 until then)
        day = int(g[0])
        return DateMention(a, b, PartialDate(0, 0, day), m.group(0)) if 1 <= day <= 31 else None
    if kind == "prep_month":
        month = month_number(g[0])
        if not month:
            return None
        return DateMention(m.start(1), b, PartialDate(0, month), g[0])
    if kind == "year_slash":
        if _vetoed_year(text, a, b):
            return None
        d = _make(int(g[0]))
        return DateMention(a, b, d, m.group(0)) if d else None
    if kind == "year":
        if _vetoed_year(text, a, b):
            return None
        d = _make(int(g[0]))
        return DateMention(a, b, d, m.group(0)) if d else None
    return None  # pragma: no cover


_TIME = re.compile(r"\b(?:at\s+|about\s+|approximately\s+|around\s+)?(?:(\d{1,2})[:.](\d{2})(?:\s*(am|pm|hrs|hours))?|(\d{2})(\d{2})\s*(?:hours|hrs)|(\d{1,2})\s*(am|pm))\b", re.I)


def find_time(text: str) -> str | None:
    """The first clock time in a sentence, as HH:MM."""
    for m in _TIME.finditer(text):
        if m.group(1):
            h, mi, suffix = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
            if not suffix and "." in m.group(0) and not re.match(r"\s*(?:at|about)", m.group(0)):
                continue  # 12.30 is as likely a number as a time
        elif m.group(4):
            h, mi, suffix = int(m.group(4)), int(m.group(5)), "hours"
        else:
            h, mi, suffix = int(m.group(6)), 0, m.group(7).lower()
        if suffix == "pm" and h < 12:
            h += 12
        if suffix == "am" and h == 12:
            h = 0
        if 0 <= h <= 23 and 0 <= mi <= 59:
            return f"{h:02d}:{mi:02d}"
    return None
