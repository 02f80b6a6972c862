"""The FastAPI application: the JSON API, the web workspace, accounts and the audit log.

::

    from dhrkg.api.app import ServerSettings, create_app
    app = create_app(ServerSettings(data_dir=Path("~/.local/share/dhrkg")))

``dhrkg serve`` runs it with uvicorn. The store is the embedded FalkorDB of the data directory
(started if needed) or Neo4j from the usual settings; a test passes a store of its own.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

from dhrkg import __version__

from . import assets, problems
from .accounts import Accounts
from .audit import AuditLog
from .auth import Auth, server_secret
from .security import SecurityMiddleware
from .workspace import Workspace

MAX_BODY = 20 * 1024 * 1024


@dataclass
class ServerSettings:
    data_dir: Path
    backend: Optional[str] = None
    tls: bool = False  # served behind TLS: Secure cookies and HSTS
    max_body: int = MAX_BODY
    cors_origins: list[str] = field(default_factory=list)
    queries_dirs: list[Path] = field(default_factory=list)


def create_app(settings: ServerSettings, store: Any = None) -> FastAPI:
    """The application; ``store`` (already open, not closed here) else one opened for it."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        own = store is None
        opened = store if not own else open_server_store(settings)
        accounts, audit = Accounts(settings.data_dir), AuditLog(settings.data_dir)
        app.state.workspace = Workspace(opened, accounts, audit, settings.queries_dirs)
        app.state.auth = Auth(accounts, audit, server_secret(settings.data_dir), settings.tls)
        app.state.settings = settings
        try:
            yield
        finally:
            if own:
                opened.close()

    app = FastAPI(title="dhrkg", version=__version__, lifespan=lifespan,
                  openapi_url=None, docs_url=None, redoc_url=None,
                  description="The knowledge graph of Domestic Homicide Reviews: reviews, people, events, "
                              "canned queries, read-only Cypher and drawings. Every call but /health needs "
                              "a token ('dhrkg users add') as 'Authorization: Bearer <token>'.")
    problems.install(app)
    _routes(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type"])
    from .routes_pages import refusal_page

    app.add_middleware(SecurityMiddleware, max_body=settings.max_body, tls=settings.tls, page_refusal=refusal_page)
    return app


def _routes(app: FastAPI) -> None:
    from . import exports, routes_api, routes_pages

    @app.get("/health", summary="Whether the server answers (no credential needed), and whether a bulk "
             "load into the graph is unfinished", tags=["health"])
    def health(request: Request) -> dict:
        loading = request.app.state.workspace.unfinished_load()
        # no credential here: only that a load is unfinished, not when nor how many reviews
        return {"status": "ok", **({"unfinished_bulk_load": True} if loading else {})}

    app.include_router(routes_api.router)
    app.include_router(exports.router)

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> JSONResponse:
        await request.app.state.auth.user(request)
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        await request.app.state.auth.user(request)
        return HTMLResponse(routes_pages.templates.get_template("docs.html").render(asset=assets.url))

    # this site's files and Swagger UI's (fastapi-offline ships them): /docs loads nothing remote
    assets.mount(app)

    routes_pages.install(app)


SETTINGS_ENV = "DHRKG_SERVE_SETTINGS"


def settings_to_env(settings: ServerSettings) -> str:
    """The settings as JSON, for worker processes (see :func:`app_from_env`)."""
    import json

    return json.dumps({"data_dir": str(settings.data_dir), "backend": settings.backend, "tls": settings.tls,
                       "max_body": settings.max_body, "cors_origins": settings.cors_origins,
                       "queries_dirs": [str(p) for p in settings.queries_dirs]})


def app_from_env() -> FastAPI:
    """The application of a worker process started by ``dhrkg serve --workers N``."""
    import json
    import os

    raw = json.loads(os.environ[SETTINGS_ENV])
    return create_app(ServerSettings(data_dir=Path(raw["data_dir"]), backend=raw["backend"], tls=raw["tls"],
                                     max_body=raw["max_body"], cors_origins=raw["cors_origins"],
                                     queries_dirs=[Path(p) for p in raw["queries_dirs"]]))


#: Set by ``dhrkg serve --workers N`` once it has opened the store itself (summarised the stale
#: reviews, said an unfinished load): its workers then do not say the load N times more.
NOTED_ENV = "DHRKG_SERVE_NOTED"


def open_server_store(settings: ServerSettings):
    """The server's store; on standard error (the server's log) a line when opening it summarises
    stale reviews, and one when a bulk load into its graph is unfinished (the pages say so too;
    not in a worker of ``serve --workers N``, whose parent said it: :data:`NOTED_ENV`)."""
    import os
    import sys

    from dhrkg.graph import open_store
    from dhrkg.graph.summaries import summarising_note
    from dhrkg.terminal import fitted

    def summarising(reviews: int) -> Any:
        print(fitted(summarising_note(reviews)), file=sys.stderr, flush=True)
        return contextlib.nullcontext(lambda n: None)

    store = open_store(backend=settings.backend, data_dir=settings.data_dir, summarising=summarising)
    loading = store.unfinished_load()
    if loading is not None and os.environ.get(NOTED_ENV) != "1":
        print(fitted(loading.warning()), file=sys.stderr, flush=True)
    return store
