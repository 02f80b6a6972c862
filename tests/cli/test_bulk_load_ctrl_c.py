"""Ctrl-C during `dhrkg bulk-load` is never lost: one that lands while a finaliser (``__del__``)
or a weakref callback runs is raised again after it (a KeyboardInterrupt raised there is printed
and dropped by Python: CI saw a cut Neo4j load go on to its end, the signal handled in the neo4j
driver's Workspace.__del__, and this test's first version fail on Python 3.11.7 when the signal
was handled in a WeakKeyDictionary callback that ran in the same collection)."""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
import weakref

import pytest

from dhrkg.cli.bulk import ctrl_c_never_lost


@pytest.fixture(autouse=True)
def pythons_own_ctrl_c():
    """Each test starts from Python's own SIGINT handler: a suite run as a background job
    (.ci/run's 3.12/3.13 suites) inherits SIGINT ignored, and Python then leaves it ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


class _InterruptedWhileFinalised:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)  # the handler runs here, inside the finaliser


class _Referent:
    pass


def _ctrl_c_in_a_weakref_callback() -> None:
    def callback(_ref) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)  # the handler runs here, inside the callback

    referent = _Referent()
    ref = weakref.ref(referent, callback)
    del referent  # the callback runs now
    return ref


def _ctrl_c_in_a_finaliser() -> None:
    _InterruptedWhileFinalised()
    gc.collect()


def _the_load_going_on() -> None:
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        time.sleep(0.005)


WHERE = {"finaliser": _ctrl_c_in_a_finaliser, "weakref-callback": _ctrl_c_in_a_weakref_callback}


@pytest.mark.parametrize("where", WHERE)
def test_a_ctrl_c_that_lands_where_python_drops_it_still_stops_the_load(where):
    with pytest.raises(KeyboardInterrupt):
        with ctrl_c_never_lost():
            WHERE[where]()
            _the_load_going_on()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_other_dropped_exceptions_still_reach_the_hook():
    seen = []

    def hook(unraisable) -> None:
        seen.append(unraisable)

    previous = sys.unraisablehook
    sys.unraisablehook = hook
    try:
        with ctrl_c_never_lost():
            class Faulty:
                def __del__(self):
                    raise ValueError("in a finaliser")

            Faulty()
            gc.collect()
        assert sys.unraisablehook is hook  # put back
    finally:
        sys.unraisablehook = previous
    assert [type(u.exc_value) for u in seen] == [ValueError]


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_python_alone_drops_it(where):
    """The fault worked round: with Python's own handler the same Ctrl-C is lost."""
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    WHERE[where]()
    _the_load_going_on()  # no KeyboardInterrupt


def test_an_ignored_ctrl_c_stays_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with ctrl_c_never_lost():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            for where in WHERE.values():
                where()
            _the_load_going_on()
    finally:
        signal.signal(signal.SIGINT, previous)
