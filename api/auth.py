"""Who is asking: an API token (``Authorization: Bearer``) or the browser's session cookie.

The browser signs in once with a token and then holds a session cookie (HttpOnly,
SameSite=Strict, Secure over TLS) signed with the server's secret; it names the user and the
hash of their token, so revoking the user ends the session. A request with the cookie that
changes something must carry the session's CSRF token (form field ``csrf`` or header
``X-CSRF-Token``). Failed sign-ins are slowed down (doubling per failure from the same client,
up to 4 s) and written to the audit log.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path
from typing import Optional

from fastapi import Request

from .accounts import Accounts, User
from .audit import AuditLog
from .problems import Problem

COOKIE = "dhrkg_session"
SESSION_SECONDS = 8 * 3600
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def server_secret(data_dir: Path) -> bytes:
    """The key that signs session cookies (``<data dir>/api/secret``, made once, mode 0600)."""
    path = Path(data_dir) / "api" / "secret"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


class Throttle:
    """Delays for failed sign-ins per client address (the most recent 10,000 addresses)."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self.failures: dict[str, int] = {}

    def delay(self, client: str) -> float:
        n = self.failures.get(client, 0)
        return 0.0 if n == 0 else min(0.25 * 2 ** (n - 1), 4.0)

    def failed(self, client: str) -> None:
        self.failures[client] = self.failures.pop(client, 0) + 1  # re-inserted: most recent last
        if len(self.failures) > self.LIMIT:
            del self.failures[next(iter(self.failures))]

    def succeeded(self, client: str) -> None:
        self.failures.pop(client, None)


class Auth:
    def __init__(self, accounts: Accounts, audit: AuditLog, secret: bytes, tls: bool = False):
        self.accounts, self.audit, self.secret, self.tls = accounts, audit, secret, tls
        self.throttle = Throttle()

    # ---- sessions
    def _sign(self, payload: bytes) -> str:
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest()

    def make_session(self, user: User) -> str:
        payload = json.dumps({"u": user.name, "t": user.token_sha256[:32], "exp": int(time.time()) + SESSION_SECONDS,
                              "n": secrets.token_hex(8)}).encode()
        return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + self._sign(payload)

    def _session_user(self, cookie: str) -> Optional[User]:
        raw, _, sig = cookie.partition(".")
        try:
            payload = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
            data = json.loads(payload)
        except ValueError:
            return None
        if not hmac.compare_digest(self._sign(payload), sig) or data.get("exp", 0) < time.time():
            return None
        user = self.accounts.get(str(data.get("u")))
        if user is None or not user.active or not hmac.compare_digest(user.token_sha256[:32], str(data.get("t"))):
            return None
        return user

    def csrf_token(self, cookie: str) -> str:
        return self._sign(b"csrf|" + cookie.encode())

    # ---- requests
    async def user(self, request: Request) -> User:
        """The signed-in user, or a 401 problem."""
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            return await self.sign_in(request, token.strip() if scheme.lower() == "bearer" else "")
        cookie = request.cookies.get(COOKIE)
        if cookie:
            user = self._session_user(cookie)
            if user is not None:
                if request.method in UNSAFE:
                    await self._check_csrf(request, cookie)
                return user
        raise self._unauthorised("sign in: send 'Authorization: Bearer <token>' (see 'dhrkg users add')")

    async def sign_in(self, request: Request, token: str) -> User:
        client = request.client.host if request.client else "?"
        await asyncio.sleep(self.throttle.delay(client))
        user = self.accounts.authenticate(token)
        if user is None:
            self.throttle.failed(client)
            self.audit.record(None, "sign-in-failed", client, path=request.url.path)
            raise self._unauthorised("the token is not valid (unknown, mistyped or revoked)")
        self.throttle.succeeded(client)
        return user

    async def _check_csrf(self, request: Request, cookie: str) -> None:
        sent = request.headers.get("x-csrf-token", "")
        if not sent and request.headers.get("content-type", "").split(";")[0] in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            sent = str((await request.form()).get("csrf", ""))
        if not hmac.compare_digest(sent, self.csrf_token(cookie)):
            raise Problem(403, "the form is out of date or was not sent by this site: reload the page and try again",
                          "CSRF check failed")

    @staticmethod
    def _unauthorised(detail: str) -> Problem:
        problem = Problem(401, detail)
        problem.headers = {"WWW-Authenticate": 'Bearer realm="dhrkg"'}
        return problem
