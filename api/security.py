"""Request limits and response headers for every request (a plain ASGI middleware).

- A request body larger than the limit is refused with 413 (by its Content-Length, or while it
  streams in when there is none).
- A body of a content type the API does not read is refused with 415.
- Every response gets the security headers: a Content-Security-Policy that allows only this
  origin (and no framing; the same on every page, /docs included, whose Swagger UI is served
  from this site), ``X-Content-Type-Options: nosniff``, no referrer, and
  ``Cache-Control: no-store`` (responses hold personal data). ``Strict-Transport-Security``
  when served over TLS.
"""

from __future__ import annotations

from typing import Any

from .problems import Problem, problem_response

BODY_TYPES = (
    "application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
    "multipart/form-data", "application/x-www-form-urlencoded", "text/plain", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def size_text(size: int) -> str:
    """``size`` bytes for a person: "20 MB", "200 KB"."""
    return f"{size / 1024 ** 2:.0f} MB" if size >= 1024 ** 2 else f"{size / 1024:.0f} KB"


class SecurityMiddleware:
    """``page_refusal(scope, status, detail)``, when given, answers a refusal to a workspace page
    (an HTML error page); the API's refusals are problem+json."""

    def __init__(self, app: Any, max_body: int, tls: bool = False, page_refusal: Any = None):
        self.app, self.max_body, self.tls, self.page_refusal = app, max_body, tls, page_refusal

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, detail = refusal
            response = None
            if self.page_refusal is not None and status == 413:
                response = self.page_refusal(scope, status, self._too_large_for_a_page())
            if response is None:
                response = problem_response(status, detail)
            await response(scope, receive, self._with_headers(scope, send))
            return
        await self.app(scope, self._limited(receive), self._with_headers(scope, send))

    def _too_large_for_a_page(self) -> str:
        return (f"the file you sent is larger than {size_text(self.max_body)}, the most this server takes: "
                "check that you chose the right file")

    def _refusal(self, scope: dict) -> tuple[int, str] | None:
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                return 400, "Content-Length is not a number"
            if too_big:
                return 413, f"the request body is larger than {self.max_body} bytes"
        ctype = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        has_body = (length not in (None, b"0")) or b"transfer-encoding" in headers
        if has_body and scope["method"] in ("POST", "PUT", "PATCH") and ctype not in BODY_TYPES:
            return 415, (f"content type {ctype or '(none)'!r} is not accepted: "
                         "send JSON, YAML, a form or a file upload")
        return None

    def _limited(self, receive: Any):
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise Problem(413, f"the request body is larger than {self.max_body} bytes")
            return message

        return counted

    def _with_headers(self, scope: dict, send: Any):
        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [*HEADERS, (b"content-security-policy", CSP.encode())]
                if b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                if self.tls:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": headers + [h for h in extra if h[0] not in names]}
            await send(message)

        return sending
