"""An entity's possible duplicates, found with GSI queries only (never a Scan).

Blocking: the other entity must be listed in the same city (any region of it, or the
`unknown` place) on one of the entity's dates, through location-date-index over the span of
its dates; or, for an undated or ranged entity, among the ongoing rows of those partitions;
or at the same venue (venue-activity-index). Merged-away entities carry no index keys, so
they are never candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from famact import keys
from famact.constants import UNKNOWN
from famact.store.activities import ActivityStore, Page

MAX_SPAN_DAYS = 120  # a long run of dates is blocked on its first four months
PAGE = 100


def _pages(query: Callable[..., Page], *args: Any, **kwargs: Any) -> Iterable[dict[str, Any]]:
    """Every row of a paged store query, following its cursor."""
    cursor: str | None = None
    while True:
        page = query(*args, **kwargs, limit=PAGE, cursor=cursor)
        yield from page.items
        if not page.cursor:
            return
        cursor = page.cursor


def _places(entity: dict[str, Any], known: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The partitions of the entity's city (every region of it) and of unknown places."""
    city = entity.get("city") or UNKNOWN
    return [(r, c) for r, c in known if c in (city, UNKNOWN)]


def _days(entity: dict[str, Any]) -> list[date]:
    schedule = entity.get("schedule") or {}
    days = [
        date.fromisoformat(str(o["date"])[:10]) for o in schedule.get("occurrences") or [] if o.get("date")
    ]
    start = entity.get("start_date")
    if not days and start and entity.get("end_date", start) == start and schedule.get("type") != "ongoing":
        days = [date.fromisoformat(str(start)[:10])]
    return sorted(days)


def candidate_pks(
    store: ActivityStore, entity: dict[str, Any], *, places: list[tuple[str, str]] | None = None
) -> list[str]:
    """PKs of entities that may list the same activity as `entity` (a METADATA row)."""
    own = keys.entity_pk(entity["entity_type"], entity["entity_id"])
    known = places if places is not None else store.geo_partitions()
    found: dict[str, None] = {}
    days = _days(entity)
    for region, city in _places(entity, known):
        if days:
            first = days[0]
            last = min(days[-1], first + timedelta(days=MAX_SPAN_DAYS))
            rows = _pages(store.query_location_date, region, city, first, last, include_ongoing=False)
            wanted = {d.isoformat() for d in days}
            for row in rows:
                if str(row.get("date") or row.get("start_date") or "")[:10] in wanted:
                    found.setdefault(str(row["PK"]))
        else:
            # Undated or ranged: the ongoing rows of the place, of the same type (an empty
            # dated window first: the ongoing part is the query's second key range).
            day = date.min + timedelta(days=1)
            etype = entity.get("entity_type")
            rows = _pages(
                store.query_location_date, region, city, day, day, entity_type=etype, include_ongoing=True
            )
            for row in rows:
                if str(row.get("GSI1SK", "")).startswith(keys.date_sk_bound(None)):
                    found.setdefault(str(row["PK"]))
    if entity.get("venue_id") and entity.get("entity_type") != "VENUE":
        for row in _pages(store.query_venue, str(entity["venue_id"])):
            found.setdefault(str(row["PK"]))
    found.pop(own, None)
    return list(found)
