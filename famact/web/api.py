"""The JSON API. Every list is `famact.search.search` (GSI queries only, never a Scan)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from famact.constants import AgeGroup, Category, EntityType
from famact.search import search
from famact.store.activities import ActivityStore
from famact.web.calendar import build_calendar
from famact.web.queries import search_query

router = APIRouter(prefix="/api")

Text = Annotated[str | None, Query()]


def _one_of(enum: Any) -> str:
    return "one of: " + ", ".join(m.value for m in enum)


def store_of(request: Request) -> ActivityStore:
    store: ActivityStore = request.app.state.store
    return store


def _page(request: Request, **fixed: Any) -> dict[str, Any]:
    query = search_query(request.query_params, **fixed)
    result = search(store_of(request), query, today=request.app.state.today)
    return {"items": result.items, "cursor": result.cursor, "index": result.index_used}


# The parameters are declared for the OpenAPI document; they are read (and validated, with
# one error naming the field) from the raw query string by `search_query`.
@router.get("/activities", summary="Search activities")
def activities(
    request: Request,
    *,
    type: Annotated[str | None, Query(description=_one_of(EntityType))] = None,
    region: Text = None,
    city: Text = None,
    date_from: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    category: Annotated[str | None, Query(description=_one_of(Category))] = None,
    age_group: Annotated[str | None, Query(description=_one_of(AgeGroup))] = None,
    venue: Text = None,
    provider: Text = None,
    free: Annotated[str | None, Query(description="true: free activities only")] = None,
    q: Text = None,
    limit: Annotated[str | None, Query(description="1 to 100, default 20")] = None,
    cursor: Annotated[str | None, Query(description="from the previous page")] = None,
) -> dict[str, Any]:
    return _page(request)


@router.get("/activities.ics", summary="Search results as a calendar subscription")
def activities_ics(request: Request) -> Response:
    params = dict(request.query_params)
    params.setdefault("limit", "100")
    query = search_query(params, include_cancelled=True)
    # An event needs what a card leaves out (description, address): read the records.
    result = search(store_of(request), query, today=request.app.state.today, records=True)
    body = build_calendar(result.items, name="Family activities", stamp=datetime.now(UTC))
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/venues/{venue_id}/activities", summary="Activities at a venue")
def venue_activities(request: Request, venue_id: Annotated[str, Path(max_length=160)]) -> dict[str, Any]:
    return _page(request, venue_id=venue_id)


@router.get("/providers/{provider_id}/activities", summary="Activities of a provider")
def provider_activities(
    request: Request, provider_id: Annotated[str, Path(max_length=160)]
) -> dict[str, Any]:
    return _page(request, provider_id=provider_id)


@router.get("/{entity_type}/{entity_id}", summary="One entity with its instances and venue")
def entity(request: Request, entity_type: str, entity_id: Annotated[str, Path(max_length=160)]) -> Any:
    found = entity_detail(store_of(request), entity_type, entity_id)
    if found is None:
        return JSONResponse({"error": f"no {entity_type.lower()} {entity_id!r}"}, status_code=404)
    return found


def parse_type(text: str) -> EntityType:
    for member in EntityType:
        if text.lower() in (member.value.lower(), member.value.lower() + "s"):
            return member
    allowed = ", ".join(m.value.lower() for m in EntityType)
    from famact.store.errors import ValidationError

    raise ValidationError("type", text, f"must be one of: {allowed}")


def entity_detail(store: ActivityStore, entity_type: str, entity_id: str) -> dict[str, Any] | None:
    """The entity, its instances and (when it has one stored) its venue: two to three GetItem /
    Query calls by key."""
    etype = parse_type(entity_type)
    found = store.get_entity(etype, entity_id)
    if found is None:
        return None
    venue = None
    venue_id = found.entity.get("venue_id")
    if venue_id and etype is not EntityType.VENUE:
        stored_venue = store.get_entity(EntityType.VENUE, str(venue_id))
        venue = stored_venue.entity if stored_venue else None
    return {"entity": found.entity, "instances": found.instances, "venue": venue}
