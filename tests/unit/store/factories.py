"""Entities for store and search tests: small, explicit, each field visible in the test."""

from __future__ import annotations

from datetime import date
from typing import Any

from famact.constants import AgeGroup, Category, EntityStatus, ScheduleType
from famact.models import (
    AgeRange,
    Attraction,
    Event,
    Occurrence,
    Pricing,
    Program,
    Schedule,
    Venue,
)

SOURCE = "test-source"


def event(
    entity_id: str,
    *,
    name: str | None = None,
    days: list[date] | None = None,
    times: list[tuple[date, str]] | None = None,
    ages: list[AgeGroup] | None = None,
    category: Category | None = Category.ARTS_CREATIVITY,
    city: str = "seattle",
    region: str = "seattle-downtown",
    **extra: Any,
) -> Event:
    occurrences = [Occurrence(date=d) for d in days or []]
    occurrences += [Occurrence(date=d, start_time=t) for d, t in times or []]
    return Event(
        entity_id=entity_id,
        name=name or entity_id.replace("-", " ").title(),
        category=category,
        age_groups=[AgeRange(category=a) for a in ages or []],
        city=city,
        region=region,
        schedule=Schedule(type=ScheduleType.RECURRING, occurrences=occurrences),
        source_id=SOURCE,
        **extra,
    )


def one_time_event(entity_id: str, day: date, **extra: Any) -> Event:
    return Event(
        entity_id=entity_id,
        name=entity_id.replace("-", " ").title(),
        category=extra.pop("category", Category.ENTERTAINMENT_EVENTS),
        city=extra.pop("city", "seattle"),
        region=extra.pop("region", "seattle-downtown"),
        schedule=Schedule(type=ScheduleType.ONE_TIME, start_date=day, start_time="10:00"),
        source_id=SOURCE,
        **extra,
    )


def venue(entity_id: str, **extra: Any) -> Venue:
    return Venue(
        entity_id=entity_id,
        name=extra.pop("name", entity_id.replace("-", " ").title()),
        category=extra.pop("category", Category.EDUCATIONAL_STEM),
        city=extra.pop("city", "seattle"),
        region=extra.pop("region", "seattle-downtown"),
        source_id=SOURCE,
        **extra,
    )


def attraction_range(entity_id: str, start: date, end: date, **extra: Any) -> Attraction:
    """An exhibit "through <end>": a range without listed dates."""
    return Attraction(
        entity_id=entity_id,
        name=entity_id.replace("-", " ").title(),
        category=Category.EDUCATIONAL_STEM,
        city="seattle",
        region="seattle-downtown",
        schedule=Schedule(type=ScheduleType.ONGOING, start_date=start, end_date=end),
        source_id=SOURCE,
        **extra,
    )


def program(entity_id: str, **extra: Any) -> Program:
    return Program(
        entity_id=entity_id,
        name=extra.pop("name", entity_id.replace("-", " ").title()),
        category=extra.pop("category", Category.CAMPS_PROGRAMS),
        age_groups=[AgeRange(category=AgeGroup.ELEMENTARY, min_age=6, max_age=10)],
        pricing=Pricing(type="paid", cost="149.50"),
        city=extra.pop("city", "bellevue"),
        region=extra.pop("region", "eastside"),
        schedule=extra.pop(
            "schedule",
            Schedule(type=ScheduleType.TERM, start_date=date(2026, 6, 22), days_of_week=["monday"]),
        ),
        source_id=SOURCE,
        status=extra.pop("status", EntityStatus.ACTIVE),
        **extra,
    )
