"""What every response and every request goes through: security headers, a request size
limit, a per-client rate limit and a CSRF token for forms.

Kept in-process and simple on purpose: one `famact serve` process per host. A deployment with
several processes needs a shared limiter in front (the proxy's), not this one.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 16 * 1024  # a submission form is a few hundred bytes
ADMIN_BODY_BYTES = 256 * 1024  # an edited source config, URL-encoded, behind the admin login
CSRF_COOKIE = "famact_csrf"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class RateLimiter:
    """A token bucket per (client, bucket name): `rate` requests a minute, bursts up to it."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, bucket: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get((client, bucket), (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.refill)
            if tokens < 1:
                self._buckets[(client, bucket)] = (tokens, now)
                return False
            self._buckets[(client, bucket)] = (tokens - 1, now)
            if len(self._buckets) > 50_000:  # forget idle clients rather than grow without end
                self._buckets.clear()
            return True


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class BodyLimit:
    """Refuses a request whose body is over `limit` bytes with 413, declared or streamed."""

    def __init__(
        self, app: ASGIApp, limit: int = MAX_BODY_BYTES, admin_limit: int = ADMIN_BODY_BYTES
    ) -> None:
        self.app = app
        self.limit = limit
        self.admin_limit = admin_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.admin_limit if scope.get("path", "").startswith("/admin/") else self.limit
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await _too_large(limit)(scope, receive, send)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except* _BodyTooLarge:
            # `except*`: an `@app.middleware("http")` layer reads the body in a task group,
            # which raises the overflow wrapped in an ExceptionGroup.
            await _too_large(limit)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> Response:
    return JSONResponse({"error": f"request body over {limit} bytes"}, status_code=413)


async def add_security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def read_form(request: Request) -> dict[str, str]:
    """A URL-encoded form body as a dict (the first value of each name)."""
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(request: Request, form_token: str | None) -> bool:
    """Double-submit check: the form's token equals the SameSite cookie set with the form."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and form_token and hmac.compare_digest(cookie, form_token))
