"""Household outlines in parts (visualisation/outlines.py): the connector lines of one household
keep clear of those already drawn for another, or cross them at right angles, never running along
one (two households with the same members, one outline inside the other)."""

from __future__ import annotations

from itertools import product

from dhrkg.visualisation import outlines

from support.genogram_quality import LINK_APART, _parallel_overlap, _segments

TOP = (0.0, 0.0, 120.0, 100.0)  # two parts of one household, one row above the other...
BELOW = (60.0, 160.0, 220.0, 260.0)
SOMEONE = [(70.0, 115.0, 110.0, 145.0)]  # ...with someone else between them


def _along(a: list, b: list) -> bool:
    return any(apart < LINK_APART and run > 0.5
               for p, q in product(_segments(a), _segments(b)) for apart, run in [_parallel_overlap(p, q)])


def _crosses(a: list, b: list) -> bool:
    from support.genogram_quality import _cross

    return any(_cross(*p, *q) for p, q in product(_segments(a), _segments(b)))


def test_a_second_household_with_the_same_parts_gets_its_own_way():
    _, [first] = outlines.parts([TOP, BELOW], SOMEONE)
    _, [again] = outlines.parts([TOP, BELOW], SOMEONE)
    assert _along(first, again), "without the line drawn, the same way (the defect of 001 --households all)"
    _, [second] = outlines.parts([outlines._pad(TOP, 5.0), outlines._pad(BELOW, 5.0)], SOMEONE, [first])
    assert not _along(first, second) and not _crosses(first, second)


def test_a_connector_crosses_a_drawn_line_at_a_right_angle_when_it_must():
    """A drawn line right across the way between the parts (wider than the grid searched): the
    connector crosses it, and only across."""
    barrier = [(-400.0, 130.0), (600.0, 130.0)]
    _, [line] = outlines.parts([TOP, BELOW], SOMEONE, [barrier])
    assert _crosses(line, barrier) and not _along(line, barrier)
