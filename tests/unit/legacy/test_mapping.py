"""The old snapshot's model and its mapping to famact entities and back (no I/O)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from famact.constants import EntityType, ScheduleType
from famact.legacy.objects import SnapshotError, parse_snapshot
from famact.legacy.snapshot import LegacyActivity, LegacySnapshot
from famact.legacy.to_activity import (
    entity_to_activity,
    famact_legacy_id,
    merge_with_original,
    parse_famact_legacy_id,
)
from famact.legacy.to_entity import LEGACY_SOURCE_ID, activity_to_entity
from famact.store.errors import ValidationError

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "legacy" / "latest.json"
# What the old format holds and famact has no field for: kept beside the alias, not mapped.
UNMODELLED: dict[str, tuple[str, ...]] = {
    "": ("type", "familyType", "tags", "updatedAt", "source"),
    "schedule": ("isAllDay", "frequency", "times", "duration", "timezone", "type"),
    "location": ("neighborhood", "venueType"),
    "pricing": ("unit",),
    "registration": ("method",),
    "provider": ("type", "website", "verified"),
    "ageGroups": ("description",),
}


def snapshot() -> LegacySnapshot:
    return LegacySnapshot.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


def modelled(activity: LegacyActivity) -> dict[str, Any]:
    data = activity.model_dump(mode="json", exclude_none=True)
    for key in UNMODELLED[""]:
        data.pop(key, None)
    for key, fields in UNMODELLED.items():
        if not key or key not in data:
            continue
        parts = data[key] if isinstance(data[key], list) else [data[key]]
        for part in parts:
            for name in fields:
                part.pop(name, None)
    return data


def test_the_fixture_is_a_valid_snapshot_and_dumps_numbers_as_numbers() -> None:
    loaded = snapshot()
    assert loaded.metadata.totalActivities == len(loaded.activities) == 6
    dumped = json.loads(loaded.to_json())
    assert dumped["activities"][1]["pricing"]["cost"] == 425
    assert dumped["activities"][2]["pricing"]["cost"] == 25.5
    assert dumped["metadata"]["lastUpdated"] == "2026-11-30T14:00:00Z"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["activities"][2]["schedule"].update(startDate="12/12/2026"),
            "activities.2.schedule.startDate",
        ),
        (lambda d: d["activities"][0].update(type="festival"), "activities.0.type"),
        (lambda d: d["activities"][3].update(colour="red"), "activities.3.colour"),
        (lambda d: d["activities"][1]["pricing"].update(cost=-5), "activities.1.pricing.cost"),
        (lambda d: d["metadata"].update(totalActivities=7), "metadata.totalActivities"),
        (lambda d: d["activities"][4].update(id="act-0001"), "activities.4.id"),
        (lambda d: d["activities"][0].pop("title"), "activities.0.title"),
    ],
)
def test_an_invalid_snapshot_is_refused_naming_the_field(change: Any, field: str) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(SnapshotError) as caught:
        parse_snapshot(json.dumps(data), where="latest.json")
    message = str(caught.value)
    assert message.startswith("latest.json: ") and field in message
    assert "\n" not in message


def test_types_go_through_the_classifier_with_the_old_type_as_label() -> None:
    entities = {a.id: activity_to_entity(a) for a in snapshot().activities}
    got = {i: e.entity_type for i, e in entities.items()}
    assert got == {
        "act-0001": EntityType.EVENT,  # weekly story time, dated sessions
        "act-0002": EntityType.PROGRAM,  # a camp
        "act-0003": EntityType.EVENT,  # a performance
        "act-0004": EntityType.PROGRAM,  # a six-week class
        "act-0005": EntityType.ATTRACTION,  # a light show open nightly for weeks
        "act-0006": EntityType.VENUE,  # a free park, no dates
    }
    assert all(e.source_id == LEGACY_SOURCE_ID for e in entities.values())
    story = entities["act-0001"]
    assert [o.date.isoformat() for o in story.schedule.occurrences] == [
        "2026-12-01",
        "2026-12-08",
        "2026-12-15",
    ]
    assert (story.region, story.city, story.min_age_months, story.max_age_months) == (
        "seattle-north",
        "seattle",
        12,
        36,
    )
    assert entities["act-0004"].schedule.type is ScheduleType.TERM
    assert entities["act-0004"].schedule.session_count == 6


def test_the_mapping_is_deterministic() -> None:
    first = [activity_to_entity(a) for a in snapshot().activities]
    again = [activity_to_entity(a) for a in snapshot().activities]
    assert [(e.entity_id, e.content_hash) for e in first] == [(e.entity_id, e.content_hash) for e in again]


def test_every_field_famact_models_comes_back_unchanged() -> None:
    for activity in snapshot().activities:
        back = entity_to_activity(activity_to_entity(activity), legacy_id=activity.id)
        assert modelled(back) == modelled(activity), activity.id


def test_merge_keeps_the_old_record_until_famact_changes_a_field() -> None:
    original = snapshot().activities[1]
    entity = activity_to_entity(original)
    assert merge_with_original(entity, original, original.id) == original
    changed = entity.model_copy(
        update={"schedule": entity.schedule.model_copy(update={"start_time": "08:30"}), "content_hash": None}
    )
    merged = merge_with_original(changed, original, original.id)
    assert merged.schedule.startTime == "08:30"
    assert merged.tags == original.tags and merged.pricing == original.pricing
    assert merged.type == "camp" and merged.id == original.id


def test_legacy_ids_of_famact_entities_parse_back() -> None:
    entity = activity_to_entity(snapshot().activities[0])
    legacy_id = famact_legacy_id(entity)
    assert legacy_id == f"famact-event-{entity.entity_id}"
    assert parse_famact_legacy_id(legacy_id) == (EntityType.EVENT, entity.entity_id)
    assert parse_famact_legacy_id("act-0001") is None
    assert entity_to_activity(entity).id == legacy_id


def test_an_activity_famact_cannot_take_names_its_field() -> None:
    activity = snapshot().activities[0].model_copy(update={"status": "postponed-forever"})
    with pytest.raises(ValidationError) as caught:
        activity_to_entity(activity)
    assert caught.value.field == "status"
    bad_time = snapshot().activities[2]
    bad_time = bad_time.model_copy(
        update={"schedule": bad_time.schedule.model_copy(update={"startTime": "whenever"})}
    )
    with pytest.raises(ValidationError) as caught:
        activity_to_entity(bad_time)
    assert caught.value.field == "schedule.startTime"


def test_other_spellings_of_times_and_days_are_read() -> None:
    activity = snapshot().activities[3]
    activity = activity.model_copy(
        update={
            "schedule": activity.schedule.model_copy(
                update={"startTime": "4:00 PM", "endTime": "5:30pm", "daysOfWeek": ["Mon", "Wednesday"]}
            )
        }
    )
    schedule = activity_to_entity(activity).schedule
    assert (schedule.start_time, schedule.end_time) == ("16:00", "17:30")
    assert [d.value for d in schedule.days_of_week] == ["monday", "wednesday"]
