"""entity_rows and friends: pure functions, every key format of family-activities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from famact.constants import AgeGroup, EntityStatus
from famact.models import Occurrence, Schedule
from famact.store.rows import (
    ROW_FORMAT,
    IndexPoint,
    content_hash,
    entity_from_row,
    entity_rows,
    index_points,
)
from famact.tables import CARD_ATTRS, POINT_ATTRS
from tests.unit.store import factories as f


def by_sk(rows: list[dict]) -> dict[str, dict]:
    return {row["SK"]: row for row in rows}


def test_metadata_row_of_an_entity_with_occurrences() -> None:
    entity = f.event(
        "paint-night-3f9a2c",
        name="Family Paint Night",
        days=[date(2026, 3, 6), date(2026, 3, 13)],
        venue_id="studio-1",
        provider_id="arts-co",
        featured=True,
    )
    meta = by_sk(entity_rows(entity))["METADATA"]
    assert meta["PK"] == "EVENT#paint-night-3f9a2c"
    assert meta["name"] == meta["event_name"] == "Family Paint Night"
    assert (meta["start_date"], meta["end_date"]) == ("2026-03-06", "2026-03-13")
    assert "GSI1PK" not in meta and "GSI1SK" not in meta  # dated through INSTANCE rows only
    assert "GSI2PK" not in meta
    assert meta["GSI3PK"] == "VENUE#studio-1"
    assert meta["GSI3SK"] == "TYPE#EVENT#2026-03-06#paint-night-3f9a2c"
    assert meta["GSI4PK"] == "PROVIDER#arts-co"
    assert meta["GSI4SK"] == "TYPE#EVENT#STATUS#active#paint-night-3f9a2c"
    assert meta["row_format"] == ROW_FORMAT and len(meta["content_hash"]) == 32


@pytest.mark.parametrize(
    ("schedule", "expected_sk"),
    [
        (Schedule(), "DATE#ONGOING#TYPE#PROGRAM#p"),
        (Schedule(type="one_time", start_date=date(2026, 7, 4)), "DATE#2026-07-04#TYPE#PROGRAM#p"),
        (Schedule(type="term", start_date=date(2026, 9, 8)), "DATE#2026-09-08#TYPE#PROGRAM#p"),
        (
            Schedule(type="one_time", start_date=date(2026, 7, 4), end_date=date(2026, 7, 4)),
            "DATE#2026-07-04#TYPE#PROGRAM#p",
        ),
        # A range without listed dates is ongoing (search checks the range): keyed by its
        # first day it would vanish from every window that starts later.
        (
            Schedule(type="term", start_date=date(2026, 6, 22), end_date=date(2026, 8, 14)),
            "DATE#ONGOING#TYPE#PROGRAM#p",
        ),
        (Schedule(type="ongoing", start_date=date(2026, 1, 1)), "DATE#ONGOING#TYPE#PROGRAM#p"),
    ],
)
def test_location_index_keys_of_metadata(schedule: Schedule, expected_sk: str) -> None:
    meta = by_sk(entity_rows(f.program("p", schedule=schedule)))["METADATA"]
    assert meta["GSI1PK"] == "GEO#eastside#bellevue"
    assert meta["GSI1SK"] == expected_sk


def test_instance_rows_and_time_suffix_only_on_busy_days() -> None:
    entity = f.event(
        "e",
        days=[date(2026, 3, 3)],
        times=[(date(2026, 3, 5), "14:00"), (date(2026, 3, 5), "10:00")],
    )
    rows = by_sk(entity_rows(entity))
    instances = sorted(sk for sk in rows if sk.startswith("INSTANCE#"))
    assert instances == ["INSTANCE#2026-03-03", "INSTANCE#2026-03-05#10:00", "INSTANCE#2026-03-05#14:00"]
    row = rows["INSTANCE#2026-03-05#10:00"]
    assert row["GSI1PK"] == "GEO#seattle-downtown#seattle"
    assert row["GSI1SK"] == "DATE#2026-03-05#TYPE#EVENT#e"
    assert row["start_time"] == "10:00" and row["date"] == "2026-03-05"
    assert "description" not in row


def test_duplicate_occurrences_make_one_row() -> None:
    entity = f.event("e", days=[date(2026, 3, 3), date(2026, 3, 3)])
    assert [r["SK"] for r in entity_rows(entity) if r["SK"].startswith("INSTANCE")] == ["INSTANCE#2026-03-03"]


def test_age_rows_fan_out_per_group_and_date_with_a_small_projection() -> None:
    entity = f.event(
        "e",
        days=[date(2026, 3, 3), date(2026, 3, 4)],
        ages=[AgeGroup.TODDLER, AgeGroup.PRESCHOOL],
        featured=True,
    )
    age_rows = [r for r in entity_rows(entity) if r["SK"].startswith("AGE#")]
    assert sorted(r["SK"] for r in age_rows) == [
        "AGE#preschool#2026-03-03",
        "AGE#preschool#2026-03-04",
        "AGE#toddler#2026-03-03",
        "AGE#toddler#2026-03-04",
    ]
    row = by_sk(age_rows)["AGE#toddler#2026-03-04"]
    assert row["GSI2PK"] == "CAT#arts-creativity#toddler"
    assert row["GSI2SK"] == "DATE#2026-03-04#FEATURED#1#e"
    # The search card and the row's point, all projected into category-age-index; no schedule
    # or description (the card's words stand in for the description).
    assert set(row) - {"PK", "SK", "GSI2PK", "GSI2SK"} <= set(CARD_ATTRS) | set(POINT_ATTRS)
    assert {"entity_status", "age_groups", "search_text", "date", "status"} <= set(row)
    assert row["prev_active_date"] == row["prev_listed_date"] == "2026-03-03"
    assert "prev_active_date" not in by_sk(age_rows)["AGE#toddler#2026-03-03"]


def test_entity_without_ages_is_all_ages_and_ongoing_age_row() -> None:
    rows = by_sk(entity_rows(f.venue("v")))
    assert set(rows) == {"METADATA", "AGE#all-ages#ONGOING"}
    assert rows["AGE#all-ages#ONGOING"]["GSI2SK"] == "DATE#ONGOING#FEATURED#0#v"
    assert "date" not in rows["AGE#all-ages#ONGOING"]
    assert rows["METADATA"]["venue_name"] == "V"


def test_numbers_are_decimal_never_float() -> None:
    meta = by_sk(entity_rows(f.program("p")))["METADATA"]
    assert meta["pricing"]["cost"] == Decimal("149.50")
    assert isinstance(meta["age_groups"][0]["min_age"], Decimal)


def test_content_hash_follows_content_not_sightings() -> None:
    from datetime import UTC, datetime

    entity = f.venue("v")
    seen_later = entity.model_copy(update={"last_seen": datetime(2026, 1, 1, tzinfo=UTC)})
    assert content_hash(entity) == content_hash(seen_later)
    assert content_hash(entity) != content_hash(entity.model_copy(update={"description": "new"}))
    given = entity.model_copy(update={"content_hash": "abc"})
    assert by_sk(entity_rows(given))["METADATA"]["content_hash"] == "abc"


def test_index_points_skip_nothing_and_sort_ongoing_last() -> None:
    entity = f.event("e", days=[date(2026, 3, 9), date(2026, 3, 2)])
    entity.schedule.occurrences.append(Occurrence(date=date(2026, 3, 5), status=EntityStatus.CANCELLED))
    assert [p.day for p in index_points(entity)] == [date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 9)]
    assert IndexPoint(None).sort_key > IndexPoint(date(2099, 1, 1)).sort_key


def test_metadata_row_round_trips_to_the_entity() -> None:
    from famact.store.dynamo import from_item

    entity = f.program("p")
    again = entity_from_row(from_item(by_sk(entity_rows(entity))["METADATA"]))
    assert again.model_dump(exclude={"content_hash"}) == entity.model_dump(exclude={"content_hash"})
