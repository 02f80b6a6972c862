"""The users file is written by the one durable write (dhrkg.outputs.replace_durably): a change
that fails part-way (a full disk) keeps the old users and leaves no ``.part``; a change that
returns is on disk (the new file fsynced, renamed, its folder fsynced)."""

from __future__ import annotations

import stat

import pytest
from support.durability import full_disk, watch

from dhrkg.api.accounts import Accounts


def test_a_change_that_fails_part_way_keeps_the_old_users_and_no_part(tmp_path, monkeypatch):
    accounts = Accounts(tmp_path)
    accounts.add("ann", "admin")
    before = accounts.path.read_bytes()
    full_disk(monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        accounts.add("bob", "chair")
    monkeypatch.undo()
    assert accounts.path.read_bytes() == before
    assert not [p.name for p in accounts.dir.iterdir() if p.name.endswith(".part")]
    assert set(Accounts(tmp_path).users()) == {"ann"}


def test_a_change_is_made_durable(tmp_path, monkeypatch):
    accounts = Accounts(tmp_path)
    accounts.add("ann", "admin")
    steps = watch(monkeypatch, accounts.path, accounts.dir)
    accounts.add("bob", "chair")
    assert steps == [("fsync", "temporary"), ("replace", str(accounts.path)), ("fsync", str(accounts.dir))]
    assert set(Accounts(tmp_path).users()) == {"ann", "bob"}
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
