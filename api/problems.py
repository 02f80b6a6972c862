"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Endpoints raise :class:`Problem`; every other error (a bad request parsed by FastAPI, a 404
from routing, an unexpected exception) is turned into one here. A problem carries a short
title, a ``detail`` for a person, and optional extension members (``errors`` for a case file's
problems with their lines). Nothing from the data or the stack goes into a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("dhrkg.api")

TITLES = {
    400: "Bad request", 401: "Sign-in needed", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Too large", 415: "Unsupported content type",
    422: "Invalid input", 429: "Too many attempts", 500: "Server error", 502: "Graph engine error",
    503: "Unavailable", 504: "Timed out",
}

# the schema of a problem, for the OpenAPI document
SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["title", "status"],
}


class Problem(Exception):
    def __init__(self, status: int, detail: str, title: str | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.detail, self.extra = status, detail, extra
        self.title = title or TITLES.get(status, "Error")
        self.headers: dict[str, str] = {}


def problem_response(status: int, detail: str, title: str | None = None, instance: str = "",
                     headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title or TITLES.get(status, "Error"), "status": status,
            "detail": detail, **({"instance": instance} if instance else {}), **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field(loc: tuple) -> str:
    return ".".join(str(x) for x in loc if x not in ("body", "query", "path"))


async def _on_problem(request: Request, exc: Problem) -> JSONResponse:
    return problem_response(exc.status, exc.detail, exc.title, request.url.path, exc.headers, **exc.extra)


async def _on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    return problem_response(exc.status_code, detail, instance=request.url.path, headers=getattr(exc, "headers", None))


#: pydantic's messages said more plainly, by its error type
PLAIN_MESSAGES = {"int_parsing": "not a whole number", "int_type": "not a whole number",
                  "float_parsing": "not a number", "bool_parsing": "not true or false",
                  "missing": "required"}


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """Each field FastAPI refused, with what is wrong; the input values are left out (they may be
    personal data)."""
    return [{"field": _field(tuple(e.get("loc", ()))), "message": PLAIN_MESSAGES.get(e.get("type", ""), e.get("msg", ""))}
            for e in exc.errors()]


def validation_detail(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors[:5]) \
        or "invalid request"


async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = validation_errors(exc)
    return problem_response(422, validation_detail(errors), instance=request.url.path, errors=errors)


async def _on_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
    return problem_response(500, "the server could not answer this request; it has been logged",
                            instance=request.url.path)


def install(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_error)
