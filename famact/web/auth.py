"""Admin login: an argon2 password hash from the environment and a signed session cookie.

The cookie is HttpOnly, SameSite=Strict (Secure over https), signed and time-stamped with
itsdangerous, and carries the session's CSRF token: every admin form posts it back and the
handler compares it with the one in the cookie. Sessions are stateless, so logging out drops
the cookie and a stolen cookie stays valid until it expires (SESSION_SECONDS).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "famact_admin"
SESSION_SECONDS = 8 * 3600
ADMIN_USER = "admin"


def hash_password(password: str) -> str:
    """The value for FAMACT_ADMIN_PASSWORD_HASH (argon2id, the library's default cost)."""
    if len(password) < 8:
        raise ValueError("password: use at least 8 characters")
    return PasswordHasher().hash(password)


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, str(token))


class AdminAuth:
    def __init__(self, password_hash: str | None, secret: str | None = None) -> None:
        self.password_hash = password_hash or None
        self._hasher = PasswordHasher()
        self._signer = URLSafeTimedSerializer(secret or secrets.token_urlsafe(32), salt="famact-admin")

    @property
    def enabled(self) -> bool:
        return self.password_hash is not None

    def check_password(self, password: str) -> bool:
        if self.password_hash is None or not password:
            return False
        try:
            return self._hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def session(self, request: Request) -> Session | None:
        """The request's valid session, or None (no cookie, a forged or an expired one)."""
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie or not self.enabled:
            return None
        try:
            data = self._signer.loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or data.get("user") != ADMIN_USER or not data.get("csrf"):
            return None
        return Session(user=ADMIN_USER, csrf=str(data["csrf"]))

    def start_session(self, request: Request, response: Response) -> Session:
        """A fresh session (and CSRF token) on every login, so a planted cookie is never kept."""
        session = Session(user=ADMIN_USER, csrf=secrets.token_urlsafe(32))
        response.set_cookie(
            SESSION_COOKIE,
            self._signer.dumps({"user": session.user, "csrf": session.csrf}),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/admin",
        )
        return session

    @staticmethod
    def end_session(response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/admin", httponly=True, samesite="strict")


def admin_auth_of(request: Request) -> AdminAuth:
    """The app's AdminAuth (set by famact.web.app.create_app)."""
    auth: AdminAuth = request.app.state.admin_auth
    return auth
