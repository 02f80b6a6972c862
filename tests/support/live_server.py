"""A real dhrkg server for tests: uvicorn on a free loopback port, in a thread."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from support.stores import ENGINES, falkordb_store, neo4j_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bound_socket() -> socket.socket:
    """A socket bound to a free loopback port, for the server to listen on: a port number looked
    up and freed (``free_port``) can be taken by another process before the server binds it,
    and CI runs three suites, each with its servers, at once."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s


@contextlib.contextmanager
def live_server(data_dir: Path, store: Any, app_hook: Any = None, **settings: Any) -> Iterator[str]:
    """Serve ``create_app`` over ``store`` and yield its base URL; stop it afterwards.
    ``app_hook(app)`` may add routes first (a test's own failing endpoint)."""
    import uvicorn

    from dhrkg.api.app import ServerSettings, create_app

    app = create_app(ServerSettings(data_dir=data_dir, **settings), store=store)
    if app_hook is not None:
        app_hook(app)
    sock = bound_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module", params=ENGINES)
def engine_store(request):
    """A clean store on each engine, shared by this module's tests (the server is slow to fill)."""
    if request.param == "falkordb":
        with falkordb_store(request.getfixturevalue("falkordb_data_dir"), "api") as store:
            yield store
    else:
        with neo4j_store(request.getfixturevalue("neo4j_server")) as store:
            yield store


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def upload_examples(url: str, token: str) -> None:
    """Upload every example case file through the API."""
    import httpx

    with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
        for path in EXAMPLES:
            r = client.post("/api/v1/reviews", content=path.read_bytes(), headers={"Content-Type": "application/yaml"})
            assert r.status_code == 201, r.text
