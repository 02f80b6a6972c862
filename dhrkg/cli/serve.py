"""``dhrkg serve``: the HTTP API and the web workspace."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Optional

import typer

from ._common import BackendOption, DataDirOption, fail

PANEL = "Server"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def can_listen(host: str, port: int) -> str | None:
    """None when ``host:port`` can be bound now, else why not (the OS's words)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"unknown host: {exc.strerror}"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            return (exc.strerror or str(exc)).lower()
    return None


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but loopback needs TLS in front."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    behind_tls: bool = typer.Option(False, "--behind-tls", help="A TLS proxy is in front: mark cookies Secure and send HSTS."),
    ssl_certfile: Optional[Path] = typer.Option(None, "--ssl-certfile", help="Serve TLS with this certificate (PEM).", show_default=False),
    ssl_keyfile: Optional[Path] = typer.Option(None, "--ssl-keyfile", help="The certificate's private key (PEM).", show_default=False),
    cors_origin: list[str] = typer.Option([], "--cors-origin", help="Allow browser calls from this origin (repeatable; off by default).", show_default=False),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes (they share the data directory, users and audit log)."),
) -> None:
    """Serve the JSON API (/api/v1, OpenAPI at /openapi.json, docs at /docs) and the web workspace.

    Every call but /health needs a token: 'dhrkg users add NAME --role ROLE' issues one.
    """
    import uvicorn

    from dhrkg import config
    from dhrkg.api.app import ServerSettings, create_app

    try:
        settings = ServerSettings(data_dir=config.data_dir(data_dir), backend=config.backend(backend),
                                  tls=behind_tls or bool(ssl_certfile), cors_origins=list(cors_origin))
    except config.ConfigError as exc:
        fail(str(exc), 2)
    if not is_loopback(host):
        typer.echo(f"warning: listening on {host}, not loopback. Put TLS in front\n"
                   "  (a proxy, or --ssl-certfile): the server holds special-category personal data.",
                   err=True)
    problem = can_listen(host, port)
    if problem:
        fail(f"cannot listen on {host}:{port}: {problem}")
    scheme = "https" if ssl_certfile else "http"
    typer.echo(f"dhrkg workspace on {scheme}://{host}:{port}/ ({settings.backend})\n"
               f"  data directory: {settings.data_dir}", err=True)
    tls_files = {"ssl_certfile": str(ssl_certfile) if ssl_certfile else None,
                 "ssl_keyfile": str(ssl_keyfile) if ssl_keyfile else None}
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", server_header=False, **tls_files)
        return
    import os

    from dhrkg.api.app import NOTED_ENV, SETTINGS_ENV, open_server_store, settings_to_env

    # opened once here: stale reviews summarised and an unfinished load said once, not per worker
    open_server_store(settings).close()
    os.environ[NOTED_ENV] = "1"
    os.environ[SETTINGS_ENV] = settings_to_env(settings)
    uvicorn.run("dhrkg.api.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                log_level="warning", server_header=False, **tls_files)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(serve)
