"""Accounts of the HTTP API: users, their role, the reviews granted to them, and API tokens.

Users live in ``<data dir>/api/users.json`` (mode 0600). A token is shown once, when it is
issued; only its SHA-256 is stored (tokens are 256 random bits, so a plain hash is enough
and a lookup costs one hash). What each role may do is the table :data:`PERMISSIONS`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import re
import secrets
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator, Optional

ROLES = ("chair", "analyst", "researcher", "admin")
TOKEN_PREFIX = "dhrkg_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")

# What each role may do: "all" (every review), "granted" (only the reviews granted to the user).
PERMISSIONS: dict[str, dict[str, str]] = {
    "read_review": {"chair": "granted", "analyst": "all", "admin": "all"},
    "edit_review": {"chair": "granted", "admin": "all"},
    "delete_review": {"admin": "all"},
    "run_query": {"chair": "granted", "analyst": "all", "admin": "all"},
    "cypher": {"analyst": "all", "admin": "all"},
    "export_pseudonymised": {"researcher": "all", "analyst": "all", "admin": "all"},
    "aggregate": {"researcher": "all", "analyst": "all", "admin": "all", "chair": "all"},
    "extract_report": {"chair": "all", "analyst": "all", "admin": "all"},
    "linkage": {"analyst": "all", "admin": "all"},
    "manage_users": {"admin": "all"},
}


class AccountError(ValueError):
    """A user that cannot be added, found or revoked; the message says why."""


@dataclass
class User:
    name: str
    role: str
    reviews: list[str] = field(default_factory=list)
    token_sha256: str = ""
    created: str = ""
    revoked: Optional[str] = None

    @property
    def active(self) -> bool:
        return self.revoked is None

    def scope(self, action: str) -> Optional[str]:
        """``"all"``, ``"granted"`` or None (not allowed) for an action of :data:`PERMISSIONS`."""
        return PERMISSIONS[action].get(self.role)

    def may(self, action: str, review: Optional[str] = None) -> bool:
        """Whether the user may do ``action`` (on ``review`` when given)."""
        scope = self.scope(action)
        if scope == "all":
            return True
        if scope == "granted":
            return review is None or review in self.reviews
        return False

    def public(self) -> dict:
        return {"name": self.name, "role": self.role, "reviews": list(self.reviews),
                "created": self.created, "revoked": self.revoked}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Accounts:
    """The users file of a data directory."""

    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir) / "api"
        self.path = self.dir / "users.json"
        self._cache: tuple[float, dict[str, User]] | None = None

    # ---- reading
    def users(self) -> dict[str, User]:
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        if self._cache and self._cache[0] == mtime:
            return self._cache[1]
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            users = {u["name"]: User(**u) for u in raw.get("users", [])}
        except (ValueError, TypeError, KeyError) as exc:
            raise AccountError(f"{self.path}: not a dhrkg users file ({exc})") from None
        self._cache = (mtime, users)
        return users

    def authenticate(self, token: str) -> Optional[User]:
        """The active user holding ``token``, else None."""
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        digest = token_hash(token)
        for user in self.users().values():
            if user.active and hmac.compare_digest(user.token_sha256, digest):
                return user
        return None

    def get(self, name: str) -> Optional[User]:
        return self.users().get(name)

    # ---- writing
    def add(self, name: str, role: str, reviews: list[str] = ()) -> tuple[User, str]:
        """A new user and their token (shown once; only its hash is kept)."""
        if not _NAME.match(name or ""):
            raise AccountError(f"user name {name!r}: use letters, digits and . _ @ - (at most 64)")
        if role not in ROLES:
            raise AccountError(f"role {role!r}: use one of {', '.join(ROLES)}")
        if reviews and role != "chair":
            raise AccountError("--review grants reviews to a chair; other roles are not limited to reviews")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        user = User(name, role, sorted(set(reviews)), token_hash(token), _now())
        with self._editing() as users:
            if name in users and users[name].active:
                raise AccountError(f"user {name!r} exists: revoke it first, or choose another name")
            users[name] = user
        return user, token

    def revoke(self, name: str) -> User:
        with self._editing() as users:
            user = users.get(name)
            if user is None:
                raise AccountError(f"no user {name!r}")
            if not user.active:
                raise AccountError(f"user {name!r} was already revoked on {user.revoked}")
            user.revoked = _now()
        return user

    def grant(self, name: str, review: str) -> None:
        """Give a chair a review (a chair who uploads a new review is granted it)."""
        with self._editing() as users:
            user = users[name]
            if review not in user.reviews:
                user.reviews = sorted({*user.reviews, review})

    @contextmanager
    def _editing(self) -> Iterator[dict[str, User]]:
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.dir / "users.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._cache = None
            users = dict(self.users())
            yield users
            self._write(users)

    def _write(self, users: dict[str, User]) -> None:
        from dhrkg.outputs import replace_durably

        text = json.dumps({"users": [asdict(u) for u in users.values()]}, indent=2)
        replace_durably(self.path, text.encode("utf-8"), 0o600)
        self._cache = None
