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
# the entity's content hash is unchanged.
ROW_FORMAT = 1

KEY_ATTRS: frozenset[str] = frozenset(
    {"PK", "SK", *(attr for pair in keys.GSI_ATTRS.values() for attr in pair)}
)
# Attributes of a METADATA row that are not entity fields.
ROW_ONLY_ATTRS: frozenset[str] = (
    KEY_ATTRS | {"row_format", "start_date", "end_date", "expires_at"} | MERGE_ROW_ATTRS
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
    base = {"entity_type": etype.value, "entity_id": eid, "name": entity.name, "city": city, "region": region}
    if entity.schedule.occurrences:
        for point, suffix in zip(points, suffixes, strict=True):
            assert point.day is not None  # occurrences always have a date
            instance = {
                "PK": pk,
                "SK": keys.instance_sk(point.day, suffix),
                **keys.location_date_keys(region, city, point.day, etype, eid),
                **base,
                "category": category,
                "date": point.day,
                "start_time": point.start_time,
                "end_time": point.end_time,
                "status": point.status,
            }
            rows.append(to_item(instance))

    for age_group in dict.fromkeys(entity.age_group_names):
        for point, suffix in zip(points, suffixes, strict=True):
            age_row = {
                "PK": pk,
                "SK": keys.age_sk(age_group, point.day, suffix),
                **keys.category_age_keys(category, age_group, point.day, entity.featured, eid),
                **base,
                "category": category,
                "date": point.day,
                "start_time": point.start_time,
                "status": entity.status if point.status is EntityStatus.ACTIVE else point.status,
            }
            rows.append(to_item(age_row))
    return rows


def entity_dict(row: dict[str, Any]) -> dict[str, Any]:
    """A METADATA row without its key attributes (keeps the flat conveniences for display)."""
    return {k: v for k, v in row.items() if k not in KEY_ATTRS and k not in ("row_format", "expires_at")}


def entity_from_row(row: dict[str, Any]) -> EntityBase:
    """Rebuild the pydantic entity from a METADATA row (plain values, see `from_item`)."""
    etype = EntityType(row["entity_type"])
    model = ENTITY_MODELS[etype]
    fields = set(model.model_fields)
    data = {
        k: v for k, v in row.items() if k not in ROW_ONLY_ATTRS and (k in fields or k not in TYPE_NAME_FIELDS)
    }
    return model.model_validate(data)
