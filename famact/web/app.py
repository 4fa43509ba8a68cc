"""The FastAPI application: routers, security middleware and one JSON shape for errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from famact.store.activities import ActivityStore
from famact.store.errors import ValidationError
from famact.web import admin, admin_merges, api, pages
from famact.web.auth import AdminAuth
from famact.web.queries import PARAMS
from famact.web.security import BodyLimit, RateLimiter, add_security_headers, client_of

API_PER_MINUTE = 300
URL_NAMES = {field: name for name, field in PARAMS.items()}
FORM_PER_MINUTE = 5
LOGIN_PER_MINUTE = 5


def create_app(
    tables: Any = None,
    *,
    api_per_minute: int = API_PER_MINUTE,
    form_per_minute: int = FORM_PER_MINUTE,
    today: date | None = None,
    admin_password_hash: str | None = None,
    session_secret: str | None = None,
    login_per_minute: int = LOGIN_PER_MINUTE,
) -> FastAPI:
    """`tables` as `famact.store.dynamo.connect()` returns them (connected from the
    environment when not given). The admin password hash and session secret default to
    FAMACT_ADMIN_PASSWORD_HASH and FAMACT_SESSION_SECRET; without a hash, admin login is off."""
    from famact.settings import get_settings

    settings = get_settings()
    if tables is None:
        from famact.store.dynamo import connect

        tables = connect()
    app = FastAPI(title="famact", summary="Family activities: search, calendars, submissions")
    app.state.tables = tables
    app.state.today = today  # None: FAMACT_TODAY or today in Los Angeles (famact.settings)
    app.state.store = ActivityStore(tables)
    app.state.api_limiter = RateLimiter(api_per_minute)
    app.state.form_limiter = RateLimiter(form_per_minute)
    app.state.login_limiter = RateLimiter(login_per_minute)
    app.state.admin_auth = AdminAuth(
        admin_password_hash or settings.admin_password_hash, session_secret or settings.session_secret
    )

    @app.exception_handler(ValidationError)
    def bad_parameter(request: Request, exc: ValidationError) -> Response:
        # The URL's name for the field (`type`, not `entity_type`), so a client can point at it.
        field = URL_NAMES.get(exc.field, exc.field)
        message = str(exc).replace(f"invalid {exc.field} ", f"invalid {field} ", 1)
        return JSONResponse({"error": message, "field": field}, status_code=400)

    @app.exception_handler(ClientError)
    def store_unavailable(request: Request, exc: ClientError) -> Response:
        # A missing table or an unreachable store is the operator's to fix: say how, as a 503.
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ResourceNotFoundException":
            message = "the activity tables do not exist yet: run `famact tables create`"
        else:
            message = f"the activity store is unavailable ({code or 'error'}); try again shortly"
        return JSONResponse({"error": message}, status_code=503, headers={"Retry-After": "30"})

    @app.exception_handler(RequestValidationError)
    def bad_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:])
        return JSONResponse(
            {"error": f"invalid {where}: {first.get('msg', 'bad value')}", "field": where}, status_code=400
        )

    @app.middleware("http")
    async def api_rate_limit(request: Request, call_next: Any) -> Response:
        if request.url.path.startswith("/api/") and not app.state.api_limiter.allow(
            client_of(request), "api"
        ):
            return JSONResponse(
                {"error": "rate limit: too many requests, retry in a minute"},
                status_code=429,
                headers={"Retry-After": "60"},
            )
        response: Response = await call_next(request)
        return response

    app.middleware("http")(add_security_headers)
    app.add_middleware(BodyLimit)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    app.include_router(admin.router)
    app.include_router(admin_merges.router)
    app.include_router(pages.router)
    return app
