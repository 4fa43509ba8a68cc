"""From raw listing to entity: identity, schedules by type, merging, the --output row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from famact.classify import ClassificationResult
from famact.constants import Category, ClassificationMethod, EntityStatus, EntityType, ScheduleType
from famact.listing import (
    build_entity,
    fill_from_stored,
    merge_entities,
    normalize_listing,
    output_row,
)
from famact.models import MAX_OCCURRENCES, EntityBase, RawListing, SourceDefaults

TODAY = date(2026, 11, 24)
PAGE = "https://family.example.org/events/"


def entity(
    entity_type: EntityType, page_url: str = PAGE, url: str | None = None, **fields: str
) -> EntityBase:
    raw = RawListing(source_id="src", page_url=page_url, url=url, fields=fields)
    listing = normalize_listing(raw, today=TODAY, defaults=SourceDefaults(city="seattle"))
    verdict = ClassificationResult(entity_type, 0.9, ClassificationMethod.RULES, ())
    return build_entity(listing, verdict, Category.FREE_COMMUNITY)


def test_one_time_event_from_structured_dates_gives_the_flat_output_fields() -> None:
    e = entity(
        EntityType.EVENT,
        url="https://family.example.org/event/slime-lab/",
        title="Family Science Night: Slime Lab",
        date="2026-12-11T18:00:00-08:00",
        end_date="2026-12-11T19:30:00-08:00",
        price="$15/child, $25/family",
        ages="ages 5-12",
        venue="Georgetown Maker Lab, 6000 Airport Way S, Seattle",
    )
    row = output_row(e)
    assert row["event_name"] == row["name"] == "Family Science Night: Slime Lab"
    assert (row["start_date"], row["start_time"], row["end_time"]) == ("2026-12-11", "18:00", "19:30")
    assert row["recurring"] is False and row["price_usd"] == 15.0
    assert (row["min_age_months"], row["max_age_months"]) == (60, 144)
    assert row["venue_name"] == "Georgetown Maker Lab" and row["city"] == "seattle"
    assert e.venue_id and e.schedule.type is ScheduleType.ONE_TIME


def test_a_recurring_events_dated_pages_are_one_entity_with_its_occurrences() -> None:
    dates = ["2026-12-02", "2026-12-09", "2026-12-16"]
    sightings = [
        entity(
            EntityType.EVENT,
            url=f"https://family.example.org/event/storytime/{d}/",
            title="Toddler Storytime",
            date=f"{d}T10:30:00-08:00",
        )
        for d in reversed(dates)
    ]
    assert len({s.entity_id for s in sightings}) == 1
    merged = sightings[0]
    for other in sightings[1:]:
        merged = merge_entities(merged, other)
    row = output_row(merged)
    assert row["recurring"] is True and row["start_date"] == "2026-12-02" and row["end_date"] == "2026-12-16"
    assert row["days_of_week"] == ["wednesday"]
    assert row["url"].endswith("/2026-12-02/"), "a recurring event is shown by its first occurrence"


def test_a_series_longer_than_the_cap_keeps_the_meetings_nearest_today() -> None:
    # A board's JSON lists 150 weekly meetings, 2022 on: the series keeps the cap's worth
    # nearest the crawl's day (the latest past ones and all upcoming), not the oldest.
    first = date(2024, 1, 3)
    days = [first + timedelta(weeks=n) for n in range(150)]
    today = days[140]
    merged = None
    for d in days:
        one = entity(EntityType.EVENT, title="Board Business Meeting", date=d.isoformat())
        merged = one if merged is None else merge_entities(merged, one, today=today)
    assert merged is not None
    kept = [o.date for o in merged.schedule.occurrences]
    assert len(kept) == MAX_OCCURRENCES
    assert kept[-1] == days[-1] and kept[0] == days[150 - MAX_OCCURRENCES]
    assert merged.schedule.start_date == days[150 - MAX_OCCURRENCES]
    again = entity(EntityType.EVENT, title="Board Business Meeting", date=days[0].isoformat())
    oldest_kept = merge_entities(merged, again)
    assert oldest_kept.schedule.occurrences[0].date == days[0], "with no today the cap keeps the first"


def test_two_sections_of_one_course_are_two_programs() -> None:
    a = entity(EntityType.PROGRAM, title="Swim Level 2", date="1/9-2/27", schedule="Sa", time="9:00-9:30a")
    b = entity(EntityType.PROGRAM, title="Swim Level 2", date="1/12-3/2", schedule="M/W", time="5:30-6:00p")
    assert a.entity_id != b.entity_id
    assert output_row(a)["days_of_week"] == ["saturday"]


@pytest.mark.parametrize(
    ("date_text", "schedule", "recurring"),
    [
        ("Nov. 27 - Dec. 6", "Fri-Sun", False),  # a run of performances is one event
        ("1/18", "M", False),  # a guide's Days column naming the one date's weekday
        ("Jan 10 - Mar 14", "every Saturday", True),
    ],
)
def test_event_runs_and_series(date_text: str, schedule: str, recurring: bool) -> None:
    e = entity(EntityType.EVENT, title="Thing", date=date_text, schedule=schedule)
    assert output_row(e)["recurring"] is recurring


def test_a_venue_has_the_same_id_from_any_source() -> None:
    a = entity(EntityType.VENUE, title="The Jade Garden Hall", city="Seattle")
    b = entity(
        EntityType.VENUE, page_url="https://other.example.com/", title="Jade Garden Hall", city="Seattle"
    )
    assert a.entity_id == b.entity_id


def test_a_worse_sighting_keeps_the_stored_data_but_takes_the_new_status() -> None:
    stored = entity(
        EntityType.EVENT,
        title="Lantern Walk",
        date="2026-12-21T17:00:00-08:00",
        description="A walk with paper lanterns.",
        price="$5",
    )
    teaser = entity(EntityType.EVENT, title="Lantern Walk", status="Cancelled")
    kept = fill_from_stored(teaser, stored)
    assert kept.description == "A walk with paper lanterns."
    assert kept.schedule.first_date == date(2026, 12, 21)
    assert kept.status is EntityStatus.CANCELLED
    assert kept.content_hash != stored.content_hash
    assert fill_from_stored(stored, stored) is stored


def test_one_row_of_a_stored_series_does_not_shrink_it() -> None:
    rows = [
        entity(
            EntityType.EVENT, title="Toddler Storytime", venue="Columbia Library", date=f"{d}T10:30:00-08:00"
        )
        for d in ("2026-11-18", "2026-12-02", "2026-12-09")
    ]
    stored = merge_entities(merge_entities(rows[0], rows[1]), rows[2])
    again = merge_entities(rows[1], rows[2])  # the full series as this crawl sees it ...
    kept = fill_from_stored(rows[1], stored, today=TODAY)  # ... after its first row alone
    assert kept.schedule.occurrences == again.schedule.occurrences, "past stored dates are not kept"
    assert kept.content_hash == again.content_hash


def test_a_long_paginated_list_is_not_cut_by_the_depth_limit() -> None:
    from famact.models import SourceConfig
    from famact_crawler.spiders.source import source_settings

    config = SourceConfig.model_validate(
        {
            "source_id": "long",
            "source_name": "Long list",
            "base_url": "https://family.example.org/events/",
            "listing": {
                "item": "article",
                "pagination": {"next_page": "a.next::attr(href)", "max_pages": 100},
            },
        }
    )
    assert source_settings(config)["DEPTH_LIMIT"] >= 101


def test_a_later_row_of_a_stored_series_keeps_the_series_first_page() -> None:
    rows = [
        entity(
            EntityType.EVENT,
            url=f"https://family.example.org/event/storytime/{d}/",
            title="Toddler Storytime",
            date=f"{d}T10:30:00-08:00",
        )
        for d in ("2026-12-02", "2026-12-09")
    ]
    stored = merge_entities(rows[0], rows[1])
    kept = fill_from_stored(rows[1], stored, today=TODAY)
    assert kept.url == stored.url and kept.content_hash == stored.content_hash


def test_a_films_certificate_leaves_its_title_for_its_ages() -> None:
    film = entity(EntityType.EVENT, title="Kick-Ass 2 (15)", date="2026-12-12T19:00:00-08:00")
    row = output_row(film)
    assert row["name"] == "Kick-Ass 2" and row["min_age_months"] == 180
    cartoon = entity(EntityType.EVENT, title="Frozen (U)", date="2026-12-12T11:00:00-08:00", ages="ages 3-8")
    assert output_row(cartoon)["name"] == "Frozen" and output_row(cartoon)["min_age_months"] == 36


def test_a_monthly_session_titled_with_its_month_is_one_series_across_months() -> None:
    december = entity(EntityType.EVENT, title="Retro Sunday - December", date="2026-12-27T12:00:00-08:00")
    january = entity(EntityType.EVENT, title="Retro Sunday - January", date="2027-01-31T12:00:00-08:00")
    assert december.name == january.name == "Retro Sunday" and december.entity_id == january.entity_id
