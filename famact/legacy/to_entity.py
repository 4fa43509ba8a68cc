"""Old Activity -> famact entity: what `famact import --legacy` stores.

The Activity's five-way `type` (class, camp, event, performance, free-activity) is not
famact's four entity types, so the type is decided by the classifier (famact.classify) from
the Activity's text, with the old type as the site's own label; when the rules are unsure,
the old type decides as a source's `defaults.entity_type` does in a crawl (class and camp ->
PROGRAM, event and performance -> EVENT). A category that is one of famact's six is kept,
any other is replaced by `categorize`. Ids are deterministic: the same Activity always gives
the same entity and content hash, so re-importing it writes nothing. Other spellings of
times and days ("4:00 PM", "Tue") are read; what famact cannot take raises ValidationError
naming the Activity's field.
"""

from __future__ import annotations

import re
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
    LegacyPricing,
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
