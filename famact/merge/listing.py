"""The comparable view of an entity: what the duplicate matcher reads.

Built from a stored METADATA row and its INSTANCE rows (`from_entity_row`), or from a flat
record of a labelled set (`from_record`). Facts the crawl keeps elsewhere (the source's
kind) come in as `authority`: the venue's own site outranks a calendar, which outranks a
blog or round-up, when one listing's facts must win over the other's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from famact.constants import SourceType

# Higher wins. A venue's, museum's or library's own site knows its own events best; a
# program directory (parks & rec) is the organiser; calendars and blogs repeat others.
AUTHORITY: dict[str, int] = {
    SourceType.VENUE_WEBSITE.value: 4,
    SourceType.MUSEUM.value: 4,
    SourceType.LIBRARY.value: 4,
    SourceType.PROGRAM_DIRECTORY.value: 3,
    SourceType.EVENT_CALENDAR.value: 2,
    SourceType.OTHER.value: 1,
    SourceType.AGGREGATOR.value: 0,
}


def authority_of(source_kind: str | None) -> int:
    """Rank of a source kind (a SourceType value, or the labelled set's looser words)."""
    kind = (source_kind or "").strip().lower()
    if kind in AUTHORITY:
        return AUTHORITY[kind]
    if kind in ("venue", "venue_site", "official", "library", "museum", "business", "organizer", "organiser"):
        return 4
    if kind in ("parks_department", "park", "parks", "school_district", "city"):
        return 3
    if kind in ("calendar", "events_calendar", "newspaper", "media"):
        return 2
    if kind in ("blog", "aggregator", "roundup", "parent_blog", "newsletter", "social"):
        return 0
    return 1


@dataclass(frozen=True)
class Listing:
    key: str  # the entity PK (or the record's id in a labelled set)
    source_id: str
    title: str
    entity_type: str | None = None
    venue_name: str | None = None
    address: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    dates: frozenset[date] = frozenset()
    # start times per date ("HH:MM"); a date without a known time is absent here
    times: Mapping[date, frozenset[str]] = field(default_factory=dict)
    range_start: date | None = None
    range_end: date | None = None
    url: str | None = None
    authority: int = 1


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text[:10])
    except ValueError:
        return None


def _clock(value: Any) -> str | None:
    """ "HH:MM" of an ISO datetime or a time text; None for a bare date."""
    text = str(value or "").strip()
    if "T" in text:
        text = text.split("T", 1)[1]
    elif len(text) <= 5 and ":" in text:
        pass
    else:
        return None
    hh_mm = text[:5]
    return hh_mm if len(hh_mm) == 5 and hh_mm[2] == ":" and hh_mm.replace(":", "").isdigit() else None


def _times(pairs: Iterable[tuple[date | None, str | None]]) -> dict[date, frozenset[str]]:
    found: dict[date, set[str]] = {}
    for day, clock in pairs:
        if day is not None and clock:
            found.setdefault(day, set()).add(clock)
    return {d: frozenset(t) for d, t in found.items()}


def from_record(record: Mapping[str, Any], *, key: str | None = None) -> Listing:
    """A flat listing record (the labelled set's fields: title, start, end, dates,
    venue_name, address, city, lat, lon, url, source_id, source_kind, entity_type)."""
    start_day, end_day = _day(record.get("start")), _day(record.get("end"))
    days = {d for d in (_day(v) for v in record.get("dates") or []) if d}
    listed_days = set(days)
    if not days and start_day and (end_day is None or end_day == start_day):
        days = {start_day}
    clock = _clock(record.get("start"))
    pairs = [(start_day, clock)] if clock and start_day in days else []
    if clock and listed_days:
        pairs.extend((d, clock) for d in listed_days)
    multi_day = start_day is not None and end_day is not None and end_day != start_day
    return Listing(
        key=key or str(record.get("id") or record.get("url") or record.get("title")),
        source_id=str(record.get("source_id") or ""),
        title=str(record.get("title") or ""),
        entity_type=(str(record["entity_type"]).upper() if record.get("entity_type") else None),
        venue_name=record.get("venue_name") or None,
        address=record.get("address") or None,
        city=record.get("city") or None,
        lat=_float(record.get("lat")),
        lon=_float(record.get("lon")),
        dates=frozenset(days),
        times=_times(pairs),
        range_start=start_day if multi_day and not listed_days else None,
        range_end=end_day if multi_day and not listed_days else None,
        url=record.get("url") or None,
        authority=authority_of(record.get("source_kind")),
    )


def from_entity_row(
    meta: Mapping[str, Any], instances: Iterable[Mapping[str, Any]] = (), *, authority: int = 1
) -> Listing:
    """A stored entity: its METADATA row (without keys) and its INSTANCE rows."""
    schedule = meta.get("schedule") or {}
    occurrences = list(schedule.get("occurrences") or [])
    pairs = [(_day(o.get("date")), o.get("start_time")) for o in occurrences]
    pairs += [(_day(i.get("date")), i.get("start_time")) for i in instances]
    days = {d for d, _ in pairs if d}
    start, end = _day(schedule.get("start_date")), _day(schedule.get("end_date"))
    ranged = False
    if not days and start and (end is None or end == start) and schedule.get("type") != "ongoing":
        days = {start}
        pairs.append((start, schedule.get("start_time")))
    elif not days and start and end:
        ranged = True
    address = meta.get("address") or {}
    coordinates = meta.get("coordinates") or {}
    city = address.get("city") if isinstance(address, Mapping) else None
    return Listing(
        key=str(meta.get("PK") or f"{meta.get('entity_type')}#{meta.get('entity_id')}"),
        source_id=str(meta.get("source_id") or ""),
        title=str(meta.get("name") or ""),
        entity_type=meta.get("entity_type"),
        venue_name=meta.get("venue_name") if meta.get("entity_type") != "VENUE" else meta.get("name"),
        address=(address.get("street") or address.get("text")) if isinstance(address, Mapping) else None,
        city=city or (meta.get("city") if meta.get("city") not in (None, "unknown") else None),
        lat=_float(coordinates.get("lat")) if isinstance(coordinates, Mapping) else None,
        lon=_float(coordinates.get("lng")) if isinstance(coordinates, Mapping) else None,
        dates=frozenset(days),
        times=_times(pairs),
        range_start=start if ranged else None,
        range_end=end if ranged else None,
        url=meta.get("url"),
        authority=authority,
    )
