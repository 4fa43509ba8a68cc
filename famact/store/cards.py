"""Reading the search card an index row carries (written by famact/store/rows.py).

Pure functions: whether a row is in a date window, the entity's first there, and the card a
result shows. Rows of an older `row_format` carry no card; search rebuilds theirs from the
entity's record (`rebuilt_rows`), so entities stored before cards existed are still found.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from famact import keys
from famact.constants import UNKNOWN, AgeGroup, EntityStatus
from famact.models import EntityBase
from famact.store.dynamo import from_item
from famact.store.rows import (
    KEY_ATTRS,
    LISTED_HIDDEN,
    ROW_FORMAT,
    SEARCH_ONLY_ATTRS,
    SHOWN_HIDDEN,
    IndexPoint,
    decode_point,
    entity_rows,
)

# What a point row holds about its own point: shown on the card as `next_*` instead.
_POINT_FIELDS = frozenset({"date", "start_time", "end_time", "status"})


def has_card(row: dict[str, Any]) -> bool:
    return row.get("row_format") == ROW_FORMAT


def rebuilt_rows(entity: EntityBase) -> dict[str, dict[str, Any]]:
    """The rows the current code writes for the entity, by SK (plain values, as read)."""
    return {str(r["SK"]): from_item(r) for r in entity_rows(entity)}


def _in_window(point: IndexPoint, card: dict[str, Any], date_from: date, date_to: date) -> bool:
    if point.day is not None:
        return date_from <= point.day <= date_to
    # An ongoing listing with a range is on only while the range overlaps the window.
    start, end = card.get("start_date"), card.get("end_date")
    return not (start and start > date_to.isoformat()) and not (end and end < date_from.isoformat())


def row_point(
    card: dict[str, Any], date_from: date, date_to: date, *, listed: bool = False
) -> IndexPoint | None:
    """The point at which this row yields its entity in the window, or None: a METADATA row
    yields the entity's first shown point in the window; an INSTANCE or AGE row its own point,
    and only when no earlier shown point of the entity is in the window (`listed`: cancelled
    points count as shown, as calendars list them)."""
    hidden = LISTED_HIDDEN if listed else SHOWN_HIDDEN
    if card.get("SK") == keys.METADATA_SK:
        points = [decode_point(p) for p in card.get("points") or []]
        on = [p for p in points if p.status not in hidden and _in_window(p, card, date_from, date_to)]
        return min(on, key=lambda p: p.sort_key) if on else None
    day = card.get("date")
    point = IndexPoint(
        date.fromisoformat(day) if day else None,
        card.get("start_time"),
        card.get("end_time"),
        EntityStatus(card.get("status") or EntityStatus.ACTIVE.value),
    )
    if point.status in hidden or not _in_window(point, card, date_from, date_to):
        return None
    previous = card.get("prev_listed_date" if listed else "prev_active_date")
    if point.day is not None and previous and previous >= date_from.isoformat():
        return None
    return point


def age_names(card: dict[str, Any]) -> list[str]:
    """The entity's age groups (`all-ages` when none is listed), as `EntityBase` names them."""
    return [str(a.get("category")) for a in card.get("age_groups") or []] or [AgeGroup.ALL_AGES.value]


def place(card: dict[str, Any]) -> tuple[str, str]:
    return (card.get("region") or UNKNOWN, card.get("city") or UNKNOWN)


def words_match(terms: list[str], text: str) -> bool:
    """Every casefolded term occurs in the text (a term has no whitespace, so in one word)."""
    return all(term in text for term in terms)


def result_card(card: dict[str, Any], point: IndexPoint) -> dict[str, Any]:
    """What a result shows: the card without keys and plumbing, the entity's status, and the
    point it is listed at (`next_date`, `next_start_time`, `next_end_time`)."""
    out = {
        k: v
        for k, v in card.items()
        if k not in KEY_ATTRS and k not in SEARCH_ONLY_ATTRS and k not in _POINT_FIELDS
    }
    out["status"] = card.get("entity_status") or card.get("status")
    out["next_date"] = point.day.isoformat() if point.day else None
    out["next_start_time"] = point.start_time
    out["next_end_time"] = point.end_time
    return out
