"""Entity -> family-activities rows (pure: no I/O), and METADATA row -> entity.

One entity partition `{TYPE}#{entity_id}` holds (key formats in famact/keys.py):
- `METADATA`: the whole entity, plus `name`, the seed's per-type name field
  (`program_name`...), and flat `start_date` / `end_date`;
- `INSTANCE#{date}[#{HH:MM}]`: one row per dated occurrence, in location-date-index;
- `AGE#{age_group}#{date|ONGOING}[#{HH:MM}]`: one small row per (age group, index date),
  in category-age-index, so that a query for any of the entity's age groups finds it.

Where an entity sits in the date-keyed indexes (its "index points"):
- with occurrences: one point per occurrence (location-date through INSTANCE rows only);
- no occurrences, one start date (one-time, or a term/recurring listing that gives only its
  first day): that date, location-date through METADATA;
- otherwise `ONGOING` (venues, attractions, and multi-day ranges without listed dates, e.g.
  an exhibit "through March"): location-date through METADATA with `DATE#ONGOING`; search
  checks the range against its date window. Keying a range by its first day alone would hide
  it from every window that starts after that day.

Every row in an index also carries a search card (`famact.tables.CARD_ATTRS`: the inputs of
every search filter and what a result shows), so search decides and shows from the index row
alone. INSTANCE and AGE rows add their point and the date of the entity's previous point
(`POINT_ATTRS`); a METADATA row lists every point (`points`, for venue and provider lists).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from famact import keys
from famact.constants import UNKNOWN, EntityStatus, EntityType, ScheduleType
from famact.models import ENTITY_MODELS, EntityBase
from famact.store.dynamo import to_item
from famact.store.errors import ValidationError
from famact.store.stash import MERGE_ROW_ATTRS

# Bump when the row layout changes: a stored row of another format is rewritten even when
# the entity's content hash is unchanged. 2: search cards on every index row.
ROW_FORMAT = 2
MAX_SEARCH_TEXT_CHARS = 400  # the card's words; past it, search checks the stored record
SHOWN_HIDDEN: frozenset[EntityStatus] = frozenset({EntityStatus.CANCELLED, EntityStatus.INACTIVE})
LISTED_HIDDEN: frozenset[EntityStatus] = frozenset({EntityStatus.INACTIVE})  # calendars list cancellations

KEY_ATTRS: frozenset[str] = frozenset(
    {"PK", "SK", *(attr for pair in keys.GSI_ATTRS.values() for attr in pair)}
)
# Attributes of a METADATA row that are not entity fields.
ROW_ONLY_ATTRS: frozenset[str] = (
    KEY_ATTRS
    | {
        "row_format",
        "start_date",
        "end_date",
        "expires_at",
        "entity_status",
        "search_text",
        "search_text_partial",
        "points",
    }
    | MERGE_ROW_ATTRS
)
TYPE_NAME_FIELDS: frozenset[str] = frozenset(f"{t.value.lower()}_name" for t in EntityType)
HASH_EXCLUDED = frozenset({"content_hash", "first_seen", "last_seen"})


@dataclass(frozen=True, order=True)
class IndexPoint:
    """A date (None = ONGOING) and time at which an entity is listed in the date indexes."""

    day: date | None
    start_time: str | None = None
    end_time: str | None = None
    status: EntityStatus = EntityStatus.ACTIVE

    @property
    def sort_key(self) -> tuple[int, str, str]:
        # ONGOING sorts after every date, as `DATE#ONGOING` does in the index.
        return (1, "", "") if self.day is None else (0, self.day.isoformat(), self.start_time or "")


def content_hash(entity: EntityBase) -> str:
    """Hash of what the entity says (not when it was seen): equal hash -> nothing to write."""
    data = entity.model_dump(mode="json", exclude=set(HASH_EXCLUDED))
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def index_points(entity: EntityBase) -> list[IndexPoint]:
    """Where the entity sits in location-date-index and category-age-index (module doc)."""
    schedule = entity.schedule
    if schedule.occurrences:
        seen: dict[tuple[date, str | None], IndexPoint] = {}
        for occ in schedule.occurrences:
            seen.setdefault(
                (occ.date, occ.start_time),
                IndexPoint(occ.date, occ.start_time, occ.end_time, occ.status),
            )
        return sorted(seen.values(), key=lambda p: p.sort_key)
    single_day = schedule.end_date is None or schedule.end_date == schedule.start_date
    if schedule.start_date and schedule.type is not ScheduleType.ONGOING and single_day:
        return [IndexPoint(schedule.start_date, schedule.start_time, schedule.end_time, entity.status)]
    return [IndexPoint(None, schedule.start_time, schedule.end_time, entity.status)]


def date_range(entity: EntityBase) -> tuple[date | None, date | None]:
    """First and last day the entity is listed for (None when unknown)."""
    schedule = entity.schedule
    days = [o.date for o in schedule.occurrences]
    first = min([*days, *([schedule.start_date] if schedule.start_date else [])], default=None)
    last = max([*days, *([schedule.end_date] if schedule.end_date else [])], default=None)
    if last is None and schedule.type is not ScheduleType.ONGOING:
        last = schedule.start_date
    return first, last


def _time_suffixes(points: list[IndexPoint]) -> list[str | None]:
    """`#HH:MM` only when one day has several points, so single-occurrence days keep the
    plain `INSTANCE#{date}` key of the design."""
    per_day = Counter(p.day for p in points)
    return [p.start_time if per_day[p.day] > 1 else None for p in points]


def search_words(entity: EntityBase) -> list[str]:
    """The distinct casefolded words of the name, description and venue name, in order. A
    query term (no whitespace) occurs in that text exactly when it occurs in one word."""
    text = " ".join(str(v) for v in (entity.name, entity.description, entity.venue_name) if v)
    return list(dict.fromkeys(text.casefold().split()))


def _search_text(entity: EntityBase) -> dict[str, Any]:
    kept: list[str] = []
    size = 0
    words = search_words(entity)
    for word in words:
        if size + len(word) + 1 > MAX_SEARCH_TEXT_CHARS:
            break
        kept.append(word)
        size += len(word) + 1
    out: dict[str, Any] = {"search_text": " ".join(kept)}
    if len(kept) < len(words):
        out["search_text_partial"] = True
    return out


def encode_point(point: IndexPoint) -> str:
    """`{date|ONGOING}|{start HH:MM}|{end HH:MM}|{status}` (times may be empty): one entry of a
    METADATA row's `points`, compact because venue and provider indexes project it."""
    return (
        f"{keys.date_key(point.day)}|{point.start_time or ''}|{point.end_time or ''}|"
        f"{EntityStatus(point.status).value}"
    )


def decode_point(text: str) -> IndexPoint:
    day, start, end, status = text.split("|")
    return IndexPoint(
        None if day == keys.ONGOING else date.fromisoformat(day),
        start or None,
        end or None,
        EntityStatus(status),
    )


def _previous_dates(points: list[IndexPoint]) -> list[dict[str, str]]:
    """Per point: the date of the entity's latest earlier point that is shown in search
    (`prev_active_date`) and that a calendar lists (`prev_listed_date`). A row is its
    entity's first in a window exactly when that date is before the window."""
    out: list[dict[str, str]] = []
    active: str | None = None
    listed: str | None = None
    for point in points:
        prev: dict[str, str] = {}
        if active:
            prev["prev_active_date"] = active
        if listed:
            prev["prev_listed_date"] = listed
        out.append(prev)
        if point.day is not None:
            if point.status not in SHOWN_HIDDEN:
                active = point.day.isoformat()
            if point.status not in LISTED_HIDDEN:
                listed = point.day.isoformat()
    return out


def _card(
    entity: EntityBase, region: str, city: str, first: date | None, last: date | None
) -> dict[str, Any]:
    """The search card every index row of the entity carries (famact.tables.CARD_ATTRS)."""
    card: dict[str, Any] = {
        "entity_type": EntityType(entity.entity_type).value,
        "entity_id": entity.entity_id,
        "name": entity.name,
        "entity_status": EntityStatus(entity.status).value,
        "region": region,
        "city": city,
        "category": entity.category.value if entity.category else None,
        "pricing": entity.pricing,
        "age_groups": entity.age_groups,
        "min_age_months": entity.min_age_months,
        "max_age_months": entity.max_age_months,
        "venue_name": entity.venue_name
        or (entity.name if EntityType(entity.entity_type) is EntityType.VENUE else None),
        "address": entity.address,
        "url": entity.url,
        "start_date": first,
        "end_date": last,
        "row_format": ROW_FORMAT,
        **_search_text(entity),
    }
    return card


def _keys(field: str, value: Any, build: Any, *args: Any) -> Any:
    try:
        return build(*args)
    except ValueError as exc:
        raise ValidationError(field, value, str(exc)) from exc


def entity_rows(entity: EntityBase) -> list[dict[str, Any]]:
    """Every row of the entity's partition, as plain items (Decimal numbers, ISO dates)."""
    etype, eid = EntityType(entity.entity_type), entity.entity_id
    pk = keys.entity_pk(etype, eid)
    points = index_points(entity)
    first, last = date_range(entity)
    region, city = entity.region or UNKNOWN, entity.city or UNKNOWN
    category = entity.category.value if entity.category else None
    hash_value = entity.content_hash or content_hash(entity)

    meta: dict[str, Any] = to_item(entity)
    meta.update(
        {
            "PK": pk,
            "SK": keys.METADATA_SK,
            "name": entity.name,
            entity.type_name_field: entity.name,
            "content_hash": hash_value,
            "row_format": ROW_FORMAT,
            "entity_status": EntityStatus(entity.status).value,
            "points": [encode_point(p) for p in points],
            **_search_text(entity),
        }
    )
    if first:
        meta["start_date"] = first.isoformat()
    if last:
        meta["end_date"] = last.isoformat()
    if not entity.schedule.occurrences:
        meta.update(keys.location_date_keys(region, city, points[0].day, etype, eid))
    if entity.venue_id:
        meta.update(
            _keys("venue_id", entity.venue_id, keys.venue_activity_keys, entity.venue_id, etype, first, eid)
        )
    if entity.provider_id:
        meta.update(
            _keys(
                "provider_id",
                entity.provider_id,
                keys.provider_keys,
                entity.provider_id,
                etype,
                EntityStatus(entity.status).value,
                eid,
            )
        )
    rows = [meta]

    suffixes = _time_suffixes(points)
    card = _card(entity, region, city, first, last)
    previous = _previous_dates(points)

    def at(point: IndexPoint, prev: dict[str, str]) -> dict[str, Any]:
        return {
            **card,
            "date": point.day,
            "start_time": point.start_time,
            "end_time": point.end_time,
            "status": point.status,
            **prev,
        }

    if entity.schedule.occurrences:
        for point, suffix, prev in zip(points, suffixes, previous, strict=True):
            assert point.day is not None  # occurrences always have a date
            instance = {
                "PK": pk,
                "SK": keys.instance_sk(point.day, suffix),
                **keys.location_date_keys(region, city, point.day, etype, eid),
                **at(point, prev),
            }
            rows.append(to_item(instance))

    for age_group in dict.fromkeys(entity.age_group_names):
        for point, suffix, prev in zip(points, suffixes, previous, strict=True):
            age_row = {
                "PK": pk,
                "SK": keys.age_sk(age_group, point.day, suffix),
                **keys.category_age_keys(category, age_group, point.day, entity.featured, eid),
                **at(point, prev),
            }
            rows.append(to_item(age_row))
    return rows


# Attributes of a row that are search plumbing, not something to show.
SEARCH_ONLY_ATTRS: frozenset[str] = frozenset(
    {
        "row_format",
        "expires_at",
        "entity_status",
        "search_text",
        "search_text_partial",
        "points",
        "prev_active_date",
        "prev_listed_date",
    }
)


def entity_dict(row: dict[str, Any]) -> dict[str, Any]:
    """A row without its key attributes and search plumbing (keeps the flat conveniences for
    display)."""
    return {k: v for k, v in row.items() if k not in KEY_ATTRS and k not in SEARCH_ONLY_ATTRS}


INSTANCE_FIELDS: tuple[str, ...] = (
    "entity_type", "entity_id", "name", "region", "city", "category",
    "date", "start_time", "end_time", "status",
)  # fmt: skip


def instance_dict(row: dict[str, Any]) -> dict[str, Any]:
    """An INSTANCE row as an occurrence to show (its search card left out)."""
    return {k: row[k] for k in INSTANCE_FIELDS if k in row}


def entity_from_row(row: dict[str, Any]) -> EntityBase:
    """Rebuild the pydantic entity from a METADATA row (plain values, see `from_item`)."""
    etype = EntityType(row["entity_type"])
    model = ENTITY_MODELS[etype]
    fields = set(model.model_fields)
    data = {
        k: v for k, v in row.items() if k not in ROW_ONLY_ATTRS and (k in fields or k not in TYPE_NAME_FIELDS)
    }
    return model.model_validate(data)
