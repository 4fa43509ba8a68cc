"""The admin's merge page: unsure cross-source pairs to accept or reject, recent merges to
undo (famact.store.merges). Login-protected; every form posts the session's CSRF token."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from famact.store.errors import ConflictError, NotFound, StoreError
from famact.store.merges import MERGED, UNSURE, MergeStore
from famact.web.auth import admin_auth_of
from famact.web.security import read_form

router = APIRouter(prefix="/admin/merges")
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
RECENT = 50
DONE = {
    "accepted": "Merged: the pair is one entity now; the other source's link is kept.",
    "rejected": "Kept apart: the pair will not be proposed again.",
    "undone": "Undone: both entities are back as they were.",
}


@router.get("", response_class=HTMLResponse)
def merges_page(request: Request) -> Response:
    session = admin_auth_of(request).session(request)
    if session is None:
        return RedirectResponse("/admin/login", status_code=303)
    return _page(request, message=DONE.get(request.query_params.get("done", "")))


def _page(
    request: Request, *, message: str | None = None, error: str | None = None, status: int = 200
) -> Response:
    store = MergeStore(request.app.state.tables)
    context = {
        "session": admin_auth_of(request).session(request),
        "unsure": store.records(UNSURE),
        "merged": store.records(MERGED)[:RECENT],
        "message": message,
        "error": error,
    }
    return templates.TemplateResponse(request, "admin/merges.html", context, status_code=status)


async def _decide(request: Request, merge_id: str, action: str) -> Response:
    session = admin_auth_of(request).session(request)
    form = await read_form(request)
    if session is None or not session.csrf_ok(form.get("csrf")):
        return templates.TemplateResponse(
            request, "admin/refused.html", {}, status_code=403 if session else 401
        )
    store = MergeStore(request.app.state.tables)
    run = {"accepted": store.apply, "rejected": store.reject, "undone": store.undo}[action]
    try:
        await run_in_threadpool(run, merge_id, decided_by=session.user)
    except (StoreError, ValueError) as exc:
        status = 404 if isinstance(exc, NotFound) else 409 if isinstance(exc, ConflictError) else 400
        return _page(request, error=str(exc).splitlines()[0], status=status)
    return RedirectResponse(f"/admin/merges?done={action}", status_code=303)


@router.post("/{merge_id}/accept")
async def accept(request: Request, merge_id: str) -> Response:
    return await _decide(request, merge_id, "accepted")


@router.post("/{merge_id}/reject")
async def reject(request: Request, merge_id: str) -> Response:
    return await _decide(request, merge_id, "rejected")


@router.post("/{merge_id}/undo")
async def undo(request: Request, merge_id: str) -> Response:
    return await _decide(request, merge_id, "undone")
