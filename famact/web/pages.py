"""Server-rendered pages for parents and the founders' submission form (no JavaScript)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from famact.app.workflow import submit_source
from famact.constants import AgeGroup, EntityType, Priority, SourceType
from famact.search import search
from famact.store.errors import StoreError
from famact.urls import UnsafeURLError
from famact.web import labels
from famact.web.api import entity_detail, store_of
from famact.web.queries import search_query
from famact.web.security import CSRF_COOKIE, client_of, csrf_ok, new_csrf_token

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.globals.update(labels=labels)

PILLS = [
    ("All", None),
    ("Events", "EVENT"),
    ("Programs", "PROGRAM"),
    ("Venues", "VENUE"),
    ("Attractions", "ATTRACTION"),
]


def _with(params: dict[str, str], **changes: str | None) -> str:
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v})


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> Response:
    params = {k: v for k, v in request.query_params.items() if v}
    query = search_query(params)
    result = search(store_of(request), query, today=request.app.state.today)
    base = {k: v for k, v in params.items() if k != "cursor"}
    return templates.TemplateResponse(
        request,
        "search.html",
        {
            "params": params,
            "items": result.items,
            "pills": [(label, value, "?" + _with(base, type=value)) for label, value in PILLS],
            "next_url": "?" + _with(params, cursor=result.cursor) if result.cursor else None,
            "ics_url": "/api/activities.ics?" + _with(base, limit=None),
            "age_groups": [g.value for g in AgeGroup],
        },
    )


@router.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request) -> Response:
    return _form(request, {}, None, None, 200)


@router.post("/submit", response_class=HTMLResponse)
async def submit_post(request: Request) -> Response:
    limiter = request.app.state.form_limiter
    if not limiter.allow(client_of(request), "submit"):
        return _form(request, {}, "Too many submissions; try again in a minute.", None, 429)
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
    if not csrf_ok(request, form.get("csrf")):
        return _form(request, form, "The form expired; please submit it again.", None, 403)
    try:
        hints = [h.strip() for h in form.get("hint_urls", "").splitlines() if h.strip()]
        submission = submit_source(
            request.app.state.tables,
            name=form.get("name", ""),
            url=form.get("url", ""),
            source_type=form.get("source_type") or "other",
            priority=form.get("priority") or "medium",
            hint_urls=hints,
            notes=form.get("notes") or None,
            submitted_by=form.get("submitted_by") or None,
        )
    except (UnsafeURLError, StoreError, ValueError) as exc:
        return _form(request, form, str(exc).splitlines()[0], None, 400)
    return _form(request, {}, None, submission.source_id, 201)


def _form(
    request: Request, form: dict[str, str], error: str | None, done: str | None, status: int
) -> Response:
    token = new_csrf_token()
    response = templates.TemplateResponse(
        request,
        "submit.html",
        {
            "form": form,
            "error": error,
            "done": done,
            "csrf": token,
            "source_types": [t.value for t in SourceType],
            "priorities": [p.value for p in Priority],
        },
        status_code=status,
    )
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.get("/{entity_type}/{entity_id}", response_class=HTMLResponse)
def detail_page(request: Request, entity_type: str, entity_id: str) -> Response:
    store = store_of(request)
    found = entity_detail(store, entity_type, entity_id)
    if found is None:
        return templates.TemplateResponse(
            request, "missing.html", {"what": f"{entity_type} {entity_id}"}, status_code=404
        )
    entity: dict[str, Any] = found["entity"]
    upcoming: list[dict[str, Any]] = []
    if entity["entity_type"] == EntityType.VENUE.value:
        upcoming = search(
            store, search_query({}, venue_id=entity["entity_id"]), today=request.app.state.today
        ).items
        upcoming = [u for u in upcoming if u["entity_type"] != EntityType.VENUE.value]
    ics = None
    if entity["entity_type"] == EntityType.VENUE.value:
        ics = "/api/activities.ics?" + urlencode({"venue": entity["entity_id"]})
    elif entity.get("provider_id"):
        ics = "/api/activities.ics?" + urlencode({"provider": entity["provider_id"]})
    elif entity.get("venue_id"):
        ics = "/api/activities.ics?" + urlencode({"venue": entity["venue_id"]})
    return templates.TemplateResponse(request, "detail.html", {**found, "upcoming": upcoming, "ics_url": ics})
