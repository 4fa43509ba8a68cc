"""The admin dashboard: sources by status, each source's review and the lifecycle actions.

Every page needs the admin session (famact.web.auth); every form posts the session's CSRF
token. The actions are the CLI's own workflow functions (approve, reject, pause, resume, an
edited config re-run through the analysis' trial before it is stored, a crawl made due now),
and the review is the one `famact sources show` prints (famact.app.review).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError as PydanticValidationError
from starlette.concurrency import run_in_threadpool

from famact.app import workflow
from famact.app.review import (
    SAMPLE_COLUMNS,
    config_diff,
    config_json,
    config_summary,
    load_review,
    sample_cell,
)
from famact.app.seed import catalog_status
from famact.catalog import load_catalog
from famact.constants import SourceStatus
from famact.errors import validation_message
from famact.models import SourceConfig
from famact.store.errors import ConflictError, NotFound, StoreError
from famact.store.sources import SourceStore
from famact.urls import UnsafeURLError
from famact.web.auth import Session, admin_auth_of
from famact.web.chart import execution_chart
from famact.web.security import CSRF_COOKIE, client_of, csrf_ok, new_csrf_token, read_form

router = APIRouter(prefix="/admin")
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.globals.update(sample_cell=sample_cell)

# Sources needing a decision first, then the running ones, then the rest.
STATUS_ORDER = (
    SourceStatus.ANALYSIS_COMPLETE,
    SourceStatus.PENDING_ANALYSIS,
    SourceStatus.ANALYZING,
    SourceStatus.FAILED,
    SourceStatus.ACTIVE,
    SourceStatus.PAUSED,
    SourceStatus.REJECTED,
)
# What a redirect after an action says (a fixed code in the URL, never reflected text).
DONE = {
    "approved": "Approved: the config is stored and the first crawl is due now.",
    "rejected": "Rejected.",
    "paused": "Paused: no crawls until resumed.",
    "resumed": "Resumed.",
    "crawl": "Crawl requested: the orchestrator starts it on its next pass.",
    "config": "The edited config passed its test run and is stored as a new version.",
    "adopted": "The candidate config passed its test run and is now the running config.",
}


def _to_login() -> Response:
    return RedirectResponse("/admin/login", status_code=303)


# -- login ----------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return _login(request, None, 200)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    auth = admin_auth_of(request)
    if not request.app.state.login_limiter.allow(client_of(request), "login"):
        return _login(request, "Too many login attempts; try again in a minute.", 429)
    form = await read_form(request)
    if not csrf_ok(request, form.get("csrf")):
        return _login(request, "The form expired; please log in again.", 403)
    if not auth.enabled:
        return _login(request, None, 503)
    ok = await run_in_threadpool(auth.check_password, form.get("password", ""))
    if not ok:
        return _login(request, "Wrong password.", 401)
    response = RedirectResponse("/admin", status_code=303)
    auth.start_session(request, response)
    response.delete_cookie(CSRF_COOKIE)
    return response


def _login(request: Request, error: str | None, status: int) -> Response:
    token = new_csrf_token()
    response = templates.TemplateResponse(
        request,
        "admin/login.html",
        {"error": error, "csrf": token, "enabled": admin_auth_of(request).enabled},
        status_code=status,
    )
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = admin_auth_of(request).session(request)
    form = await read_form(request)
    if session is None or not session.csrf_ok(form.get("csrf")):
        return _refused(request)
    response = _to_login()
    admin_auth_of(request).end_session(response)
    return response


def _refused(request: Request) -> Response:
    return templates.TemplateResponse(
        request, "admin/refused.html", {}, status_code=403 if admin_auth_of(request).session(request) else 401
    )


# -- pages ----------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
def sources_page(request: Request) -> Response:
    session = admin_auth_of(request).session(request)
    if session is None:
        return _to_login()
    tables = request.app.state.tables
    groups = [(status.value, workflow.list_sources(tables, status=status)) for status in STATUS_ORDER]
    return templates.TemplateResponse(request, "admin/sources.html", {"groups": groups, "session": session})


@router.get("/catalog", response_class=HTMLResponse)
def catalog_page(request: Request) -> Response:
    """The bundled starter catalog at a glance: each entry's source, status and analysis score."""
    session = admin_auth_of(request).session(request)
    if session is None:
        return _to_login()
    rows = catalog_status(request.app.state.tables, load_catalog())
    return templates.TemplateResponse(request, "admin/catalog.html", {"rows": rows, "session": session})


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: str) -> Response:
    session = admin_auth_of(request).session(request)
    if session is None:
        return _to_login()
    message = DONE.get(request.query_params.get("done", ""))
    return _review(request, session, source_id, message=message)


def _review(
    request: Request,
    session: Session,
    source_id: str,
    *,
    message: str | None = None,
    error: str | None = None,
    edited: str | None = None,
    status: int = 200,
) -> Response:
    try:
        review = load_review(request.app.state.tables, source_id)
    except NotFound:
        return templates.TemplateResponse(
            request, "missing.html", {"what": f"source {source_id}"}, status_code=404
        )
    running = review.config
    candidate = review.candidate
    editable = running or candidate
    context: dict[str, Any] = {
        "session": session,
        "review": review,
        "sub": review.submission,
        "analysis": review.analysis,
        "columns": SAMPLE_COLUMNS,
        "running_summary": config_summary(running) if running else None,
        "candidate_summary": config_summary(candidate) if candidate else None,
        "diff": config_diff(running, candidate) if running and candidate else [],
        "config_text": edited if edited is not None else (config_json(editable) if editable else ""),
        "chart": execution_chart(review.executions),
        "message": message,
        "error": error,
    }
    return templates.TemplateResponse(request, "admin/source.html", context, status_code=status)


# -- actions --------------------------------------------------------------------------------


def _action_errors() -> tuple[type[BaseException], ...]:
    """What an action can fail with and the admin can act on: shown as one line, 4xx."""
    errors: list[type[BaseException]] = [StoreError, ValueError, UnsafeURLError]
    # Only once the edit path loaded them (importing the analyzer costs a second).
    for module_name, error_name in (("analyzers.analyze", "AnalysisError"), ("analyzers.jina", "FetchError")):
        module = sys.modules.get(module_name)
        if module is not None:
            errors.append(getattr(module, error_name))
    return tuple(errors)


def _status_of(exc: BaseException) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    return 400


async def _act(
    request: Request, source_id: str, done: str, run: Callable[[Any, dict[str, str]], object]
) -> Response:
    session = admin_auth_of(request).session(request)
    form = await read_form(request)
    if session is None or not session.csrf_ok(form.get("csrf")):
        return _refused(request)
    try:
        await run_in_threadpool(run, request.app.state.tables, form)
    except PydanticValidationError as exc:
        return _review(
            request, session, source_id, error=validation_message(exc), status=400, edited=form.get("config")
        )
    except _action_errors() as exc:
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return _review(
            request, session, source_id, error=line, status=_status_of(exc), edited=form.get("config")
        )
    return RedirectResponse(f"/admin/sources/{source_id}?done={done}", status_code=303)


@router.post("/sources/{source_id}/approve")
async def approve(request: Request, source_id: str) -> Response:
    return await _act(
        request,
        source_id,
        "approved",
        lambda t, f: workflow.approve_source(t, source_id, approved_by="admin"),
    )


@router.post("/sources/{source_id}/reject")
async def reject(request: Request, source_id: str) -> Response:
    return await _act(
        request,
        source_id,
        "rejected",
        lambda t, f: workflow.reject_source(t, source_id, reason=f.get("reason", "")),
    )


@router.post("/sources/{source_id}/pause")
async def pause(request: Request, source_id: str) -> Response:
    return await _act(request, source_id, "paused", lambda t, f: workflow.pause_source(t, source_id))


@router.post("/sources/{source_id}/resume")
async def resume(request: Request, source_id: str) -> Response:
    return await _act(request, source_id, "resumed", lambda t, f: workflow.resume_source(t, source_id))


@router.post("/sources/{source_id}/crawl")
async def crawl(request: Request, source_id: str) -> Response:
    return await _act(request, source_id, "crawl", lambda t, f: workflow.request_crawl(t, source_id))


def adopt_candidate(tables: Any, source_id: str) -> SourceConfig:
    """A running source takes the analysis' candidate config (test-run first, as an edit)."""
    analysis = SourceStore(tables).get_analysis(source_id)
    if analysis is None or analysis.proposed_config is None:
        raise ConflictError(f"analysis: {source_id} has no proposed config to adopt")
    return workflow.replace_config(tables, source_id, analysis.proposed_config, approved_by="admin")


@router.post("/sources/{source_id}/adopt")
async def adopt(request: Request, source_id: str) -> Response:
    return await _act(request, source_id, "adopted", lambda t, f: adopt_candidate(t, source_id))


def parse_config(text: str, source_id: str) -> SourceConfig:
    """The edit form's JSON as a SourceConfig (pydantic's errors name the field)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"config: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError("config: must be a JSON object")
    data.setdefault("source_id", source_id)
    return SourceConfig.model_validate(data)


def save_edited_config(tables: Any, source_id: str, text: str) -> SourceConfig:
    """Approve an analysed source with the edited config, or store it as the next version of
    a running one; either way it is test-run first (workflow)."""
    config = parse_config(text, source_id)
    current = SourceStore(tables).get(source_id)
    if current is not None and current.status is SourceStatus.ANALYSIS_COMPLETE:
        return workflow.approve_source(tables, source_id, config=config, approved_by="admin")
    return workflow.replace_config(tables, source_id, config, approved_by="admin")


@router.post("/sources/{source_id}/config")
async def edit_config(request: Request, source_id: str) -> Response:
    return await _act(
        request, source_id, "config", lambda t, f: save_edited_config(t, source_id, f.get("config", ""))
    )
