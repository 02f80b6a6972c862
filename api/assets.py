"""This site's static files, and how long a browser may keep them.

Everything else the server sends holds personal data or depends on who asks, and is sent with
``Cache-Control: no-store`` (:mod:`dhrkg.api.security`). These files are the same for everyone
and hold nothing of a case: the workspace's style sheet and script, and Swagger UI's (its
script alone is 1.5 MB). Each is served at two URLs:

- ``/static/<version>/<file>``, the URL the pages use: ``<version>`` is a digest of every
  file's content, so a changed file has a new URL and the old one may be kept for good
  (``public, max-age=31536000, immutable``);
- ``/static/<file>``, the plain URL (bookmarks, a page from an older server): kept but checked
  with the server each time (``public, no-cache``; 304 Not Modified when unchanged).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"


def folders() -> dict[str, Path]:
    """URL folder under /static -> the files served there (the longest URL folder first)."""
    return {"swagger-ui": Path(str(resources.files("fastapi_offline") / "static")),
            "": Path(str(resources.files("dhrkg.api") / "static"))}


@cache
def version() -> str:
    """A digest of every static file's name and content."""
    digest = hashlib.sha256()
    for prefix, folder in folders().items():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(f"{prefix}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "v-" + digest.hexdigest()[:16]


def url(path: str) -> str:
    """The versioned URL of a static file (``swagger-ui/swagger-ui.css``, ``workspace.css``)."""
    return f"/static/{version()}/{path.lstrip('/')}"


class CachedFiles(StaticFiles):
    """Static files sent with one Cache-Control (the 304 answers too)."""

    def __init__(self, directory: Path, cache_control: str):
        super().__init__(directory=str(directory))
        self.cache_control = cache_control

    def file_response(self, *args: Any, **kwargs: Any):
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = self.cache_control
        return response


def mount(app: FastAPI) -> None:
    """Serve the static files at their versioned and plain URLs (versioned first: /static
    would take them otherwise)."""
    for base, cache_control in ((f"/static/{version()}", IMMUTABLE), ("/static", REVALIDATE)):
        for prefix, folder in folders().items():
            name = f"{prefix or 'static'}{'' if base == '/static' else '-versioned'}"
            app.mount(f"{base}/{prefix}".rstrip("/"), CachedFiles(folder, cache_control), name=name)
