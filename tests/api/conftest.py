"""The API tests' site: a real server (uvicorn on a loopback port) over every example, on each
engine, with an account per role. A module adds accounts with ``EXTRA_USERS`` and data loaded
before the examples with a function ``before_upload(store)``."""

from __future__ import annotations

import httpx
import pytest

from support.live_server import engine_store, live_server, upload_examples  # noqa: F401 (a fixture)

R001 = "north-worcs-dhr-7"
#: name: (role, reviews the account may see); every site has these.
USERS = {"admin": ("admin", []), "chair": ("chair", [R001]), "analyst": ("analyst", [])}


@pytest.fixture(scope="module")
def site(engine_store, tmp_path_factory, request):  # noqa: F811 (engine_store is a fixture)
    """The running server, its data directory, its accounts and a token per account."""
    from dhrkg.api.accounts import Accounts

    data_dir = tmp_path_factory.mktemp("site-data")
    accounts = Accounts(data_dir)
    users = USERS | getattr(request.module, "EXTRA_USERS", {})
    tokens = {name: accounts.add(name, role, reviews)[1] for name, (role, reviews) in users.items()}
    before_upload = getattr(request.module, "before_upload", None)
    if before_upload is not None:
        before_upload(engine_store)
    with live_server(data_dir, engine_store) as url:
        upload_examples(url, tokens["admin"])
        yield {"url": url, "data_dir": data_dir, "tokens": tokens, "accounts": accounts}


@pytest.fixture
def as_(site):
    """``as_("chair")`` is an httpx client holding that user's token (``as_(None)``: no token)."""
    clients = []

    def make(name: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {site['tokens'][name]}"} if name else {}
        client = httpx.Client(base_url=site["url"], headers=headers, timeout=120)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()
