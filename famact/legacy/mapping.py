"""famact entities <-> the old frontend's Activities (famact.legacy.snapshot).

Import (`activity_to_entity`): the Activity's five-way `type` (class, camp, event,
performance, free-activity) is not famact's four entity types, so the type is decided by the
classifier (famact.classify) from the Activity's text, with the old type as the site's own
label; when the rules are unsure, the old type decides as a source's `defaults.entity_type`
does in a crawl (class and camp -> PROGRAM, event and performance -> EVENT). A category that
is one of famact's six is kept, any other is replaced by `categorize`. Ids are deterministic:
the same Activity always gives the same entity and content hash, so re-importing it writes
nothing.

Export (`entity_to_activity`) writes famact's canonical forms ("HH:MM" times, lowercase day
names, slugs for region). `merge_with_original` then keeps the old snapshot's own wording and
its fields famact has no place for (tags, images after the first, familyType, provider.type,
...) for an Activity famact imported, except where famact's data has changed since: a field
whose mapped value differs between the entity as imported and the entity now takes the new
value.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import pydantic

from famact.classify import (
    DEFAULT_THRESHOLD,
    ClassificationResult,
    ClassifierInput,
    categorize,
    classify,
)
from famact.constants import (
    UNKNOWN,
    AgeGroup,
    AgeUnit,
    Category,
    ClassificationMethod,
    EntityStatus,
    EntityType,
    PricingType,
    ScheduleType,
    Weekday,
)
from famact.keys import make_entity_id, make_venue_id, place_slug, slugify
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
from famact.models import (
    ENTITY_MODELS,
    Address,
    AgeRange,
    Classification,
    Coordinates,
    EntityBase,
    Occurrence,
    Pricing,
    Registration,
    Schedule,
    is_http_url,
)
from famact.normalize.ages import age_groups
from famact.normalize.dates import parse_days, parse_time_range
from famact.normalize.places import resolve_place
from famact.store.errors import ValidationError
from famact.store.rows import content_hash

LEGACY_SOURCE_ID = "legacy-s3"  # the source_id of entities imported from an old snapshot
FAMACT_ID_PREFIX = "famact-"  # legacy ids of entities famact found itself: famact-{type}-{id}

_SITE_LABELS = {"class": "Class", "camp": "Camp", "event": "Event", "performance": "Performance"}
_TYPE_HINTS = {
    "class": EntityType.PROGRAM,
    "camp": EntityType.PROGRAM,
    "event": EntityType.EVENT,
    "performance": EntityType.EVENT,
}
_SCHEDULE_TYPES = {
    "one-time": ScheduleType.ONE_TIME,
    "one_time": ScheduleType.ONE_TIME,
    "single": ScheduleType.ONE_TIME,
    "recurring": ScheduleType.RECURRING,
    "repeating": ScheduleType.RECURRING,
    "weekly": ScheduleType.RECURRING,
    "daily": ScheduleType.RECURRING,
    "session": ScheduleType.TERM,
    "sessions": ScheduleType.TERM,
    "series": ScheduleType.TERM,
    "term": ScheduleType.TERM,
    "ongoing": ScheduleType.ONGOING,
}
_LEGACY_SCHEDULE_TYPES = {
    ScheduleType.ONE_TIME: "one-time",
    ScheduleType.RECURRING: "recurring",
    ScheduleType.TERM: "session",
    ScheduleType.ONGOING: "ongoing",
}
_STATUSES = {
    **{s.value: s for s in EntityStatus},
    "canceled": EntityStatus.CANCELLED,
    "sold-out": EntityStatus.FULL,
    "sold_out": EntityStatus.FULL,
    "waitlist": EntityStatus.FULL,
    "expired": EntityStatus.PAST,
    "ended": EntityStatus.PAST,
    "draft": EntityStatus.INACTIVE,
    "hidden": EntityStatus.INACTIVE,
    "archived": EntityStatus.INACTIVE,
}
_REGISTRATION_STATUSES = frozenset({"open", "full", "waitlist", "closed"})
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_PERFORMANCE = re.compile(
    r"\b(concert|show|performance|theat(?:er|re)|play|recital|ballet|musical|opera|puppet|circus)s?\b",
    re.IGNORECASE,
)
_CAMP = re.compile(r"\bcamps?\b", re.IGNORECASE)
# Top-level Activity fields and the nested objects whose fields are merged one by one.
_NESTED = ("schedule", "location", "pricing", "registration", "provider", "source")


# -- import: Activity -> entity ---------------------------------------------------------------


def _hhmm(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if _HHMM.match(text):
        return text
    if re.match(r"^\d:[0-5]\d$", text):
        return "0" + text
    start, _ = parse_time_range(text)
    if start is None:
        raise ValidationError(field, value, "is not a time (HH:MM or 10:00 AM)")
    return start


def _weekdays(values: list[str]) -> list[Weekday]:
    days: list[Weekday] = []
    for n, value in enumerate(values):
        found = (
            [Weekday(value.strip().lower())] if value.strip().lower() in Weekday._value2member_map_ else []
        )
        found = found or list(parse_days(value))
        if not found:
            raise ValidationError(f"schedule.daysOfWeek.{n}", value, "is not a day of the week")
        days.extend(d for d in found if d not in days)
    return days


def _months(value: Decimal, unit: str) -> int:
    return int(value if unit == AgeUnit.MONTHS.value else value * 12)


def _ages(groups: list[LegacyAgeGroup]) -> tuple[list[AgeRange], int | None, int | None]:
    """Age ranges, plus the overall bounds in months (None when open or unstated)."""
    if not groups:
        return [AgeRange(category=AgeGroup.ALL_AGES)], None, None
    ranges: list[AgeRange] = []
    lows: list[int] = []
    highs: list[int | None] = []
    for group in groups:
        unit = AgeUnit(group.unit)
        lo = _months(group.minAge, unit) if group.minAge is not None else None
        hi = _months(group.maxAge, unit) if group.maxAge is not None else None
        if lo is not None:
            lows.append(lo)
        highs.append(hi)
        if group.category in AgeGroup._value2member_map_:
            ranges.append(
                AgeRange(
                    category=AgeGroup(str(group.category)),
                    min_age=group.minAge,
                    max_age=group.maxAge,
                    unit=unit,
                )
            )
        elif lo is not None or hi is not None:
            ranges.extend(age_groups(lo or 0, hi, unit is AgeUnit.MONTHS))
        else:
            ranges.append(AgeRange(category=AgeGroup.ALL_AGES))
    all_ages = all(r.category is AgeGroup.ALL_AGES for r in ranges)
    low = None if all_ages or not lows else min(lows)
    high = None if all_ages or any(h is None for h in highs) else max(h for h in highs if h is not None)
    return ranges, low, high


def _schedule(activity: LegacyActivity, entity_type: EntityType) -> Schedule:
    old = activity.schedule
    occurrences = []
    session_count = None
    if isinstance(old.sessions, list):
        occurrences = [
            Occurrence(
                date=s.date,
                start_time=_hhmm(f"schedule.sessions.{n}.startTime", s.startTime),
                end_time=_hhmm(f"schedule.sessions.{n}.endTime", s.endTime),
            )
            for n, s in enumerate(old.sessions)
        ]
    elif isinstance(old.sessions, int) and old.sessions >= 1:
        session_count = old.sessions
    kind = _SCHEDULE_TYPES.get((old.type or "").strip().lower())
    if kind is None:
        if occurrences:
            kind = ScheduleType.TERM if entity_type is EntityType.PROGRAM else ScheduleType.RECURRING
        elif old.startDate and (old.endDate is None or old.endDate == old.startDate):
            kind = ScheduleType.ONE_TIME
        elif old.startDate:
            kind = ScheduleType.TERM if entity_type is EntityType.PROGRAM else ScheduleType.RECURRING
        else:
            kind = ScheduleType.ONGOING
    data: dict[str, Any] = {
        "type": kind,
        "start_date": old.startDate,
        "end_date": old.endDate,
        "start_time": _hhmm("schedule.startTime", old.startTime),
        "end_time": _hhmm("schedule.endTime", old.endTime),
        "days_of_week": _weekdays(old.daysOfWeek),
        "session_count": session_count,
        "occurrences": occurrences,
    }
    if old.timezone:
        data["timezone"] = old.timezone
    return Schedule.model_validate(data)


def _classifier_input(activity: LegacyActivity) -> ClassifierInput:
    old = activity.schedule
    dates = " - ".join(d.isoformat() for d in (old.startDate, old.endDate) if d) or None
    times = "-".join(t for t in (old.startTime, old.endTime) if t)
    sessions = f"{old.sessions} sessions" if isinstance(old.sessions, int) else None
    schedule_text = (
        " ".join(t for t in (", ".join(old.daysOfWeek), times, old.frequency, sessions) if t) or None
    )
    price = activity.pricing
    price_text = None
    if price is not None:
        cost = f"${price.cost}" if price.cost is not None else price.type
        price_text = " ".join(t for t in (cost, price.unit, price.description) if t)
    age_text = "; ".join(
        g.description or f"ages {g.minAge or 0}-{'' if g.maxAge is None else g.maxAge} {g.unit}"
        for g in activity.ageGroups
    )
    location = activity.location
    return ClassifierInput(
        title=activity.title,
        description=activity.description,
        date_text=dates,
        schedule_text=schedule_text,
        price_text=price_text,
        age_text=age_text or None,
        venue_text=location.name or location.address,
        url=activity.detailUrl,
        site_label=_SITE_LABELS.get(activity.type),
    )


def classify_activity(activity: LegacyActivity) -> tuple[ClassificationResult, ClassifierInput]:
    """The entity type of an Activity: the rules, or the old type when they are unsure."""
    listing = _classifier_input(activity)
    result = classify(listing, threshold=DEFAULT_THRESHOLD)
    hint = _TYPE_HINTS.get(activity.type)
    if hint is not None and result.confidence < DEFAULT_THRESHOLD and result.entity_type is not hint:
        result = ClassificationResult(
            entity_type=hint,
            confidence=DEFAULT_THRESHOLD,
            method=ClassificationMethod.CONFIG_HINT,
            reasons=(*result.reasons, f"legacy-type:{activity.type}"),
        )
    return result, listing


def entity_id_for(activity: LegacyActivity, entity_type: EntityType, city: str) -> str:
    """A venue's id is its name and city (shared with every source, as in a crawl); anything
    else is its title and old id, so a renamed Activity keeps its alias but not its slug."""
    if entity_type is EntityType.VENUE:
        return make_venue_id(activity.title, city)
    return make_entity_id(activity.title, "legacy", activity.id)


def activity_to_entity(
    activity: LegacyActivity, *, entity_id: str | None = None, entity_type: EntityType | None = None
) -> EntityBase:
    """The famact entity of an old Activity (deterministic). `entity_id` / `entity_type` pin
    the entity an alias already names. Raises ValidationError (a ValueError) naming the
    Activity field that famact cannot take."""
    result, listing = classify_activity(activity)
    if entity_type is not None and entity_type is not result.entity_type:
        result = ClassificationResult(
            entity_type=entity_type,
            confidence=result.confidence,
            method=result.method,
            reasons=(*result.reasons, f"alias:{entity_type.value}"),
        )
    entity_type = result.entity_type
    location = activity.location
    if location.region:
        city = place_slug(location.city) if location.city else resolve_place(location.address)[0]
        region = place_slug(location.region)
    else:
        city, region = resolve_place(
            location.neighborhood, location.address, location.city, default_city=location.city
        )
    category = (
        Category(str(activity.category))
        if activity.category in Category._value2member_map_
        else categorize(listing, entity_type)
    )
    status = _STATUSES.get(activity.status.strip().lower())
    if status is None:
        allowed = ", ".join(sorted(_STATUSES))
        raise ValidationError("status", activity.status, f"must be one of: {allowed}")
    ranges, low, high = _ages(activity.ageGroups)
    venue_name = location.name if entity_type is not EntityType.VENUE else activity.title
    address = None
    if any((location.address, location.city, location.state, location.zipCode)):
        address = Address(
            text=location.address, city=location.city, state=location.state, postal_code=location.zipCode
        )
    provider = activity.provider.name if activity.provider else None
    image = next((i for i in activity.images if is_http_url(i)), None)
    reg = activity.registration
    data: dict[str, Any] = {
        "entity_type": entity_type,
        "entity_id": entity_id or entity_id_for(activity, entity_type, city),
        "name": activity.title,
        "description": activity.description,
        "category": category,
        "subcategory": activity.subcategory,
        "age_groups": ranges,
        "min_age_months": low,
        "max_age_months": high,
        "pricing": _pricing(activity.pricing),
        "registration": None
        if reg is None
        else Registration(
            required=reg.required,
            url=reg.url,
            status=reg.status if reg.status in _REGISTRATION_STATUSES else None,
        ),
        "venue_id": make_venue_id(venue_name, city) if venue_name else None,
        "venue_name": venue_name,
        "address": address,
        "region": region,
        "city": city,
        "coordinates": Coordinates(lat=location.coordinates.lat, lng=location.coordinates.lng)
        if location.coordinates
        else None,
        "schedule": _schedule(activity, entity_type),
        "url": activity.detailUrl if activity.detailUrl and is_http_url(activity.detailUrl) else None,
        "image_url": image,
        "source_id": LEGACY_SOURCE_ID,
        "provider_id": (slugify(provider, 80) or None) if provider else None,
        "provider_name": provider,
        "status": status,
        "featured": activity.featured,
        "classification": Classification(
            confidence=round(result.confidence, 3), method=result.method, reasons=list(result.reasons)[:8]
        ),
        "first_seen": activity.createdAt,
    }
    if activity.detailUrl and data["url"] is None:
        raise ValidationError("detailUrl", activity.detailUrl, "is not an http(s) URL")
    try:
        entity = ENTITY_MODELS[entity_type].model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationError(where, first.get("input"), str(first.get("msg"))) from exc
    return entity.model_copy(update={"content_hash": content_hash(entity)})


def _pricing(old: LegacyPricing | None) -> Pricing | None:
    if old is None:
        return None
    try:
        return Pricing(
            type=PricingType(old.type),
            cost=old.cost,
            currency=old.currency,
            text=old.description,
        )
    except pydantic.ValidationError as exc:
        raise ValidationError("pricing", old.model_dump(mode="json"), str(exc.errors()[0]["msg"])) from exc


# -- export: entity -> Activity ---------------------------------------------------------------


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
    if not url:
        return None
    from urllib.parse import urlsplit

    return urlsplit(url).hostname


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
