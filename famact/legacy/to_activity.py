"""famact entity -> old Activity: what `famact export --legacy-s3` publishes.

`entity_to_activity` writes famact's canonical forms ("HH:MM" times, lowercase day names,
slugs for region). `merge_with_original` then keeps the old snapshot's own wording and the
fields famact has no place for (tags, images after the first, familyType, provider.type, ...)
for an Activity famact imported, except where famact's data has changed since: a field whose
mapped value differs between the entity as imported and the entity now takes the new value.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from famact.constants import (
    UNKNOWN,
    AgeGroup,
    Category,
    EntityStatus,
    EntityType,
    PricingType,
    ScheduleType,
)
from famact.legacy.snapshot import (
    LegacyActivity,
    LegacyAgeGroup,
    LegacyCoordinates,
    LegacyLocation,
    LegacyPricing,
    LegacyProvider,
    LegacyRegistration,
    LegacySchedule,
    LegacySession,
    LegacySource,
)
from famact.legacy.to_entity import activity_to_entity
from famact.models import Address, AgeRange, EntityBase, Schedule
from famact.store.rows import content_hash

FAMACT_ID_PREFIX = "famact-"  # legacy ids of entities famact found itself: famact-{type}-{id}
_LEGACY_SCHEDULE_TYPES = {
    ScheduleType.ONE_TIME: "one-time",
    ScheduleType.RECURRING: "recurring",
    ScheduleType.TERM: "session",
    ScheduleType.ONGOING: "ongoing",
}
_PERFORMANCE = re.compile(
    r"\b(concert|show|performance|theat(?:er|re)|play|recital|ballet|musical|opera|puppet|circus)s?\b",
    re.IGNORECASE,
)
_CAMP = re.compile(r"\bcamps?\b", re.IGNORECASE)
# Top-level Activity fields and the nested objects whose fields are merged one by one.
_NESTED = ("schedule", "location", "pricing", "registration", "provider", "source")


def famact_legacy_id(entity: EntityBase) -> str:
    """The old-format id of an entity famact found itself (not imported)."""
    return f"{FAMACT_ID_PREFIX}{entity.entity_type.value.lower()}-{entity.entity_id}"


def parse_famact_legacy_id(legacy_id: str) -> tuple[EntityType, str] | None:
    if not legacy_id.startswith(FAMACT_ID_PREFIX):
        return None
    kind, _, entity_id = legacy_id[len(FAMACT_ID_PREFIX) :].partition("-")
    if kind.upper() not in EntityType._value2member_map_ or not entity_id:
        return None
    return EntityType(kind.upper()), entity_id


def legacy_type(entity: EntityBase) -> str:
    free = entity.pricing is not None and entity.pricing.type is PricingType.FREE
    if entity.entity_type is EntityType.PROGRAM:
        camp = entity.category is Category.CAMPS_PROGRAMS and _CAMP.search(entity.name)
        return "camp" if camp else "class"
    if entity.entity_type is EntityType.EVENT:
        if _PERFORMANCE.search(entity.name):
            return "performance"
        return "free-activity" if free else "event"
    return "free-activity" if free else "event"


def _legacy_ages(ranges: list[AgeRange]) -> list[LegacyAgeGroup]:
    out = []
    for r in ranges:
        if r.category is AgeGroup.ALL_AGES and r.min_age is None and r.max_age is None:
            continue  # "no stated age" is an empty list in the old format
        out.append(
            LegacyAgeGroup(category=r.category.value, minAge=r.min_age, maxAge=r.max_age, unit=r.unit.value)
        )
    return out


def _legacy_schedule(schedule: Schedule) -> LegacySchedule:
    days = [o.date for o in schedule.occurrences]
    start = schedule.start_date or (min(days) if days else None)
    end = schedule.end_date or (max(days) if len(days) > 1 else None)
    sessions: int | list[LegacySession] | None = schedule.session_count
    if schedule.occurrences:
        sessions = [
            LegacySession(date=o.date, startTime=o.start_time, endTime=o.end_time)
            for o in schedule.occurrences
        ]
    weekly = schedule.type is ScheduleType.RECURRING and schedule.days_of_week
    return LegacySchedule(
        type=_LEGACY_SCHEDULE_TYPES[ScheduleType(schedule.type)],
        startDate=start,
        endDate=end,
        startTime=schedule.start_time,
        endTime=schedule.end_time,
        timezone=schedule.timezone,
        frequency="weekly" if weekly else None,
        daysOfWeek=[d.value for d in schedule.days_of_week],
        sessions=sessions,
    )


def _domain(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def entity_to_activity(entity: EntityBase, *, legacy_id: str | None = None) -> LegacyActivity:
    """The old-format Activity of an entity, in famact's canonical forms."""
    address = entity.address or Address()
    city = address.city or (entity.city.replace("-", " ").title() if entity.city != UNKNOWN else None)
    location = LegacyLocation(
        name=entity.venue_name,
        address=address.text,
        city=city,
        state=address.state,
        zipCode=address.postal_code,
        region=entity.region if entity.region != UNKNOWN else None,
        coordinates=LegacyCoordinates(lat=entity.coordinates.lat, lng=entity.coordinates.lng)
        if entity.coordinates
        else None,
    )
    pricing = None
    if entity.pricing is not None:
        pricing = LegacyPricing(
            type=entity.pricing.type.value,
            cost=entity.pricing.cost,
            currency=entity.pricing.currency,
            description=entity.pricing.text,
        )
    registration = None
    if entity.registration is not None:
        reg = entity.registration
        registration = LegacyRegistration(required=reg.required, url=reg.url, status=reg.status)
    seen: datetime | None = entity.last_seen
    return LegacyActivity(
        id=legacy_id or famact_legacy_id(entity),
        title=entity.name,
        description=entity.description,
        type=legacy_type(entity),
        category=entity.category.value if entity.category else None,
        subcategory=entity.subcategory,
        schedule=_legacy_schedule(entity.schedule),
        ageGroups=_legacy_ages(entity.age_groups),
        location=location,
        pricing=pricing,
        registration=registration,
        images=[entity.image_url] if entity.image_url else [],
        detailUrl=entity.url,
        provider=LegacyProvider(name=entity.provider_name) if entity.provider_name else None,
        source=LegacySource(url=entity.url, domain=_domain(entity.url), scrapedAt=seen, lastChecked=seen)
        if entity.url
        else None,
        featured=entity.featured,
        createdAt=entity.first_seen,
        updatedAt=seen,
        status=EntityStatus(entity.status).value,
    )


def merge_with_original(entity: EntityBase, original: LegacyActivity, legacy_id: str) -> LegacyActivity:
    """The Activity of an imported entity: the old snapshot's own values where famact's data
    has not changed since the import, famact's where it has (module doc)."""
    baseline = activity_to_entity(original, entity_id=entity.entity_id, entity_type=entity.entity_type)
    if baseline.content_hash == (entity.content_hash or content_hash(entity)):
        return original  # nothing famact holds has changed: the old record as it came
    now = entity_to_activity(entity, legacy_id=legacy_id).model_dump(mode="json", exclude_none=True)
    then = entity_to_activity(baseline, legacy_id=legacy_id).model_dump(mode="json", exclude_none=True)
    merged = original.model_dump(mode="json", exclude_none=True)
    for key in set(now) | set(then):
        if key in _NESTED and isinstance(now.get(key), dict) and isinstance(merged.get(key), dict):
            inner = dict(merged[key])
            for sub in set(now[key]) | set(then.get(key) or {}):
                if now[key].get(sub) != (then.get(key) or {}).get(sub):
                    _set(inner, sub, now[key].get(sub))
            merged[key] = inner
        elif now.get(key) != then.get(key):
            _set(merged, key, now.get(key))
    return LegacyActivity.model_validate(merged)


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
