"""Every write is a scoped replacement, and a failed one is undone in place (13.6, 14.1).

A failure is injected at the end of each kind of write (after every part before it ran, as in
tests/engine/test_engine_undo.py); the graph is then exactly as before, on both engines. On
FalkorDB the server keeps its pid (it was not reloaded from its log) and another client's
read, running meanwhile, completes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.graph.backup import backup, restore
from dhrkg.ingest.dhrd import import_dhrd
from dhrkg.model import load_case

from support.undo import assert_undone_in_place, fail_writes

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def test_a_failed_dhrd_import_is_undone_in_place(store, monkeypatch):
    store.load_case(load_case(GOLD[0]))
    import_dhrd(store)  # a DHRD already there: the failed import replaces it
    store.load_case(load_case(GOLD[1]))
    fail_writes(monkeypatch, store)
    assert_undone_in_place(store, lambda: import_dhrd(store))


def test_a_failed_first_dhrd_import_leaves_no_trace(store, monkeypatch):
    store.load_case(load_case(GOLD[0]))
    fail_writes(monkeypatch, store)
    assert_undone_in_place(store, lambda: import_dhrd(store))


def test_a_failed_restore_is_undone_in_place(store, monkeypatch, tmp_path):
    for path in GOLD[:2]:
        store.load_case(load_case(path))
    backup(store, tmp_path / "bk")
    store.load_case(load_case(GOLD[2]))
    store.delete_review(load_case(GOLD[0]).review.id)
    fail_writes(monkeypatch, store)
    assert_undone_in_place(store, lambda: restore(store, tmp_path / "bk"))
