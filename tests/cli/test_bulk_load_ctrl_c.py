"""Ctrl-C during `dhrkg bulk-load` is never lost: one that lands while a finaliser (``__del__``)
runs is raised again after it (a KeyboardInterrupt raised inside a finaliser is printed and
dropped by Python: CI saw a cut Neo4j load go on to its end, the signal handled in the neo4j
driver's Workspace.__del__)."""

from __future__ import annotations

import gc
import os
import signal
import time

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


def _ctrl_c_in_a_finaliser_then_work() -> None:
    _InterruptedWhileFinalised()
    gc.collect()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:  # the load going on
        time.sleep(0.005)


def test_a_ctrl_c_that_lands_in_a_finaliser_still_stops_the_load():
    with pytest.raises(KeyboardInterrupt):
        with ctrl_c_never_lost():
            _ctrl_c_in_a_finaliser_then_work()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_python_alone_drops_it():
    """The fault worked round: with Python's own handler the same Ctrl-C is lost."""
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    _ctrl_c_in_a_finaliser_then_work()  # no KeyboardInterrupt


def test_an_ignored_ctrl_c_stays_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with ctrl_c_never_lost():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            _ctrl_c_in_a_finaliser_then_work()
    finally:
        signal.signal(signal.SIGINT, previous)
