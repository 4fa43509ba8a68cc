"""ActivityStore on moto and dynalite: rows, indexes, change detection, queries, export."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pydantic
import pytest
from boto3.dynamodb.conditions import Key

from famact import keys
from famact.constants import AgeGroup, Category, EntityStatus, EntityType, ScheduleType
from famact.models import Event, Occurrence, Schedule
from famact.store.activities import ActivityStore
from famact.store.errors import ValidationError
from famact.tables import LOCATION_DATE_INDEX
from tests.unit.store import factories as f

WRITE_OPS = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem")
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T1 = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(store_tables: Any) -> ActivityStore:
    return ActivityStore(store_tables)


def partition(store: ActivityStore, pk: str) -> list[str]:
    items = store.table.query(KeyConditionExpression=Key("PK").eq(pk))["Items"]
    return sorted(str(i["SK"]) for i in items)


def location_index_rows(store: ActivityStore, region: str, city: str) -> list[dict[str, Any]]:
    pk_attr = keys.GSI_ATTRS[1][0]
    response = store.table.query(
        IndexName=LOCATION_DATE_INDEX, KeyConditionExpression=Key(pk_attr).eq(keys.geo_pk(region, city))
    )
    return list(response["Items"])


def test_new_entity_rows_and_get_entity(store: ActivityStore) -> None:
    entity = f.event(
        "story-time-1",
        days=[date(2026, 3, 3)],
        times=[(date(2026, 3, 5), "10:00"), (date(2026, 3, 5), "14:00")],
        ages=[AgeGroup.TODDLER, AgeGroup.PRESCHOOL],
        venue_id="central-library-1a2b3c",
        provider_id="spl",
    )
    result = store.put_entities([entity], now=T0)
    pk = "EVENT#story-time-1"
    assert result.new == [pk] and result.updated == [] and result.unchanged == []
    assert partition(store, pk) == sorted(
        [
            "METADATA",
            "INSTANCE#2026-03-03",
            "INSTANCE#2026-03-05#10:00",
            "INSTANCE#2026-03-05#14:00",
            "AGE#toddler#2026-03-03",
            "AGE#toddler#2026-03-05#10:00",
            "AGE#toddler#2026-03-05#14:00",
            "AGE#preschool#2026-03-03",
            "AGE#preschool#2026-03-05#10:00",
            "AGE#preschool#2026-03-05#14:00",
        ]
    )
    stored = store.get_entity(EntityType.EVENT, "story-time-1")
    assert stored is not None
    assert stored.entity["event_name"] == "Story Time 1"
    assert stored.entity["start_date"] == "2026-03-03" and stored.entity["end_date"] == "2026-03-05"
    assert stored.entity["first_seen"] == T0.isoformat()
    assert [(i["date"], i.get("start_time")) for i in stored.instances] == [
        ("2026-03-03", None),
        ("2026-03-05", "10:00"),
        ("2026-03-05", "14:00"),
    ]
    model = stored.to_model()
    assert model.model_dump(exclude={"first_seen", "last_seen", "content_hash"}) == entity.model_dump(
        exclude={"first_seen", "last_seen", "content_hash"}
    )
    assert store.get_entity(EntityType.EVENT, "nope") is None


def test_entity_with_instances_is_in_location_index_only_through_instances(store: ActivityStore) -> None:
    store.put_entities([f.event("swim", days=[date(2026, 3, 3), date(2026, 3, 10)])], now=T0)
    rows = location_index_rows(store, "seattle-downtown", "seattle")
    assert sorted(r["SK"] for r in rows) == ["INSTANCE#2026-03-03", "INSTANCE#2026-03-10"]
    assert [r["GSI1SK"] for r in rows] == [
        "DATE#2026-03-03#TYPE#EVENT#swim",
        "DATE#2026-03-10#TYPE#EVENT#swim",
    ]
    page = store.query_location_date("seattle-downtown", "seattle", date(2026, 3, 1), date(2026, 3, 5))
    assert [(i["SK"], i["date"]) for i in page.items] == [("INSTANCE#2026-03-03", "2026-03-03")]


def test_undated_and_one_time_entities_are_indexed_through_metadata(store: ActivityStore) -> None:
    store.put_entities(
        [
            f.venue("zoo-1"),
            f.one_time_event("fair", date(2026, 3, 4)),
            f.event("dated", days=[date(2026, 3, 4)]),
        ],
        now=T0,
    )
    rows = {
        r["PK"]: r for r in location_index_rows(store, "seattle-downtown", "seattle") if r["SK"] == "METADATA"
    }
    assert rows["VENUE#zoo-1"]["GSI1SK"] == "DATE#ONGOING#TYPE#VENUE#zoo-1"
    assert rows["EVENT#fair"]["GSI1SK"] == "DATE#2026-03-04#TYPE#EVENT#fair"
    assert "EVENT#dated" not in rows
    window = (date(2026, 3, 1), date(2026, 3, 31))
    page = store.query_location_date("seattle-downtown", "seattle", *window)
    assert [i["PK"] for i in page.items] == [
        "EVENT#dated",
        "EVENT#fair",
        "VENUE#zoo-1",
    ]  # dated, then ongoing
    page = store.query_location_date("seattle-downtown", "seattle", *window, include_ongoing=False)
    assert "VENUE#zoo-1" not in [i["PK"] for i in page.items]
    page = store.query_location_date("seattle-downtown", "seattle", *window, entity_type="VENUE")
    assert [i["PK"] for i in page.items] == ["VENUE#zoo-1"]
    assert partition(store, "VENUE#zoo-1") == ["AGE#all-ages#ONGOING", "METADATA"]


def test_query_for_any_age_group_finds_the_entity(store: ActivityStore) -> None:
    store.put_entities(
        [
            f.event(
                "art-lab",
                days=[date(2026, 4, 2)],
                ages=[AgeGroup.TODDLER, AgeGroup.ELEMENTARY],
                featured=True,
            )
        ],
        now=T0,
    )
    window = (date(2026, 4, 1), date(2026, 4, 30))
    for group in (AgeGroup.TODDLER, AgeGroup.ELEMENTARY):
        page = store.query_category_age(Category.ARTS_CREATIVITY, group, *window)
        assert [(i["PK"], i["date"]) for i in page.items] == [("EVENT#art-lab", "2026-04-02")]
        assert page.items[0]["GSI2SK"] == "DATE#2026-04-02#FEATURED#1#art-lab"
        projection = set(page.items[0]) - {"PK", "SK", "GSI2PK", "GSI2SK"}
        # The search card (famact/tables.py) and the row's point; no whole entity.
        assert projection == {
            "entity_type",
            "entity_id",
            "name",
            "entity_status",
            "city",
            "region",
            "category",
            "age_groups",
            "start_date",
            "end_date",
            "search_text",
            "row_format",
            "date",
            "status",
        }
    assert store.query_category_age(Category.ARTS_CREATIVITY, AgeGroup.TEEN, *window).items == []
    assert store.query_category_age(Category.ACTIVE_SPORTS, AgeGroup.TODDLER, *window).items == []


def test_uncategorised_entity_is_in_the_unknown_category_partition(store: ActivityStore) -> None:
    store.put_entities([f.event("misc", days=[date(2026, 4, 2)], category=None)], now=T0)
    page = store.query_category_age(None, AgeGroup.ALL_AGES, date(2026, 4, 1), date(2026, 4, 3))
    assert [i["GSI2PK"] for i in page.items] == ["CAT#unknown#all-ages"]


def test_unchanged_entities_cost_no_write(store: ActivityStore, api_calls: Counter[str]) -> None:
    entities = [f.event(f"e{n}", days=[date(2026, 3, 3)]) for n in range(30)]
    store.put_entities(entities, now=T0)
    assert api_calls["BatchWriteItem"] >= 1
    api_calls.clear()
    result = store.put_entities(entities, now=T1)
    assert len(result.unchanged) == 30 and result.new == result.updated == []
    assert sum(api_calls[op] for op in WRITE_OPS) == 0
    assert api_calls["BatchGetItem"] == 1
    stored = store.get_entity("EVENT", "e0")
    assert stored is not None and stored.entity["last_seen"] == T0.isoformat()  # not rewritten


def test_changed_entity_drops_stale_rows_and_keeps_first_seen(store: ActivityStore) -> None:
    before = f.event("club", days=[date(2026, 3, 3), date(2026, 3, 10)], ages=[AgeGroup.TEEN, AgeGroup.TWEEN])
    store.put_entities([before], now=T0)
    after = f.event("club", days=[date(2026, 3, 10)], ages=[AgeGroup.TEEN], description="Now weekly")
    result = store.put_entities([after], now=T1)
    assert result.updated == ["EVENT#club"]
    assert partition(store, "EVENT#club") == ["AGE#teen#2026-03-10", "INSTANCE#2026-03-10", "METADATA"]
    stored = store.get_entity("EVENT", "club")
    assert stored is not None
    assert stored.entity["first_seen"] == T0.isoformat()
    assert stored.entity["last_seen"] == T1.isoformat()
    assert stored.entity["description"] == "Now weekly"
    assert (
        store.query_location_date("seattle-downtown", "seattle", date(2026, 3, 1), date(2026, 3, 5)).items
        == []
    )


def test_mark_inactive_keeps_rows_and_moves_provider_key(store: ActivityStore) -> None:
    entity = f.one_time_event("gala", date(2026, 5, 1), provider_id="arts-org")
    store.put_entities([entity], now=T0)
    assert store.mark_inactive(["EVENT#gala", "EVENT#missing"]) == 1
    assert store.mark_inactive(["EVENT#gala"]) == 0
    stored = store.get_entity("EVENT", "gala")
    assert stored is not None and stored.entity["status"] == "inactive"
    assert store.query_provider("arts-org", entity_type="EVENT", status="active").items == []
    inactive = store.query_provider("arts-org", entity_type="EVENT", status="inactive").items
    assert [i["GSI4SK"] for i in inactive] == ["TYPE#EVENT#STATUS#inactive#gala"]
    # The listing is back with the same content: it must be written again, as active.
    result = store.put_entities([entity], now=T1)
    assert result.updated == ["EVENT#gala"]
    stored = store.get_entity("EVENT", "gala")
    assert stored is not None and stored.entity["status"] == "active"


def test_venue_and_provider_queries_paginate_without_duplicates(store: ActivityStore) -> None:
    entities = [
        f.one_time_event(f"show-{n}", date(2026, 3, 1 + n), venue_id="theatre", provider_id="troupe")
        for n in range(7)
    ] + [f.venue("theatre", venue_id="theatre")]
    store.put_entities(entities, now=T0)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = store.query_venue("theatre", entity_type=EntityType.EVENT, limit=3, cursor=cursor)
        seen.extend(i["entity_id"] for i in page.items)
        pages += 1
        cursor = page.cursor
        if cursor is None:
            break
    assert seen == [f"show-{n}" for n in range(7)] and pages == 3
    assert [i["PK"] for i in store.query_venue("theatre", entity_type="VENUE").items] == ["VENUE#theatre"]
    assert len(store.query_venue("theatre").items) == 8
    assert store.query_venue("theatre").items[0]["GSI3SK"] == "TYPE#EVENT#2026-03-01#show-0"
    provider = store.query_provider("troupe", status=EntityStatus.ACTIVE, limit=50)
    assert len(provider.items) == 7 and provider.cursor is None


@pytest.mark.parametrize("bad", ["not base64!", "eyJ2IjoxfQ", "", "x" * 9000])
def test_bad_cursor_is_a_value_error_naming_cursor(store: ActivityStore, bad: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        store.query_venue("theatre", cursor=bad)


def test_cursor_of_another_query_is_refused(store: ActivityStore) -> None:
    store.put_entities([f.one_time_event(f"s{n}", date(2026, 3, 1), venue_id="a") for n in range(3)], now=T0)
    page = store.query_venue("a", limit=1)
    assert page.cursor
    with pytest.raises(ValidationError, match="different query"):
        store.query_venue("b", cursor=page.cursor)
    with pytest.raises(ValidationError, match="limit"):
        store.query_venue("a", limit=0)


def test_location_date_pagination_spans_dated_and_ongoing_rows(store: ActivityStore) -> None:
    store.put_entities(
        [f.event("weekly", days=[date(2026, 3, d) for d in (2, 9, 16)]), f.venue("museum"), f.venue("park")],
        now=T0,
    )
    got: list[tuple[str, str]] = []
    cursor = None
    while True:
        page = store.query_location_date(
            "seattle-downtown", "seattle", date(2026, 3, 1), date(2026, 3, 31), limit=2, cursor=cursor
        )
        got.extend((i["PK"], i["SK"]) for i in page.items)
        cursor = page.cursor
        if cursor is None:
            break
    assert got == [
        ("EVENT#weekly", "INSTANCE#2026-03-02"),
        ("EVENT#weekly", "INSTANCE#2026-03-09"),
        ("EVENT#weekly", "INSTANCE#2026-03-16"),
        ("VENUE#museum", "METADATA"),
        ("VENUE#park", "METADATA"),
    ]


def test_date_window_bounds_are_inclusive_and_checked(store: ActivityStore) -> None:
    store.put_entities(
        [f.event("edge", days=[date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1)])], now=T0
    )
    page = store.query_location_date(
        "seattle-downtown", "seattle", date(2026, 3, 1), date(2026, 3, 31), include_ongoing=False
    )
    assert [i["date"] for i in page.items] == ["2026-03-01", "2026-03-31"]
    with pytest.raises(ValidationError, match="date_to"):
        store.query_location_date("seattle-downtown", "seattle", date(2026, 3, 2), date(2026, 3, 1))


def test_get_entities_in_batches_and_geo_registry(store: ActivityStore) -> None:
    entities = [f.venue(f"v{n}", city="seattle" if n % 2 else "tacoma", region="south") for n in range(130)]
    store.put_entities(entities, now=T0)
    found = store.get_entities([f"VENUE#v{n}" for n in range(130)] + ["VENUE#missing"])
    assert len(found) == 130 and found["VENUE#v7"]["name"] == "V7"
    assert sorted(store.geo_partitions()) == [("south", "seattle"), ("south", "tacoma")]


def test_export_writes_one_line_per_entity(store: ActivityStore, api_calls: Counter[str]) -> None:
    store.put_entities([f.event("a", days=[date(2026, 3, 3)]), f.venue("b"), f.program("c")], now=T0)
    out = io.StringIO()
    assert store.export(out) == 3
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sorted(line["entity_id"] for line in lines) == ["a", "b", "c"]
    program = next(line for line in lines if line["entity_id"] == "c")
    assert program["pricing"]["cost"] == 149.5 and program["program_name"] == "C"
    from famact.store.activities import StoredEntity

    assert StoredEntity(program, []).to_model().pricing.cost == pytest.approx(149.5)  # type: ignore[union-attr]
    assert api_calls["Scan"] >= 1


def _raw_event(**override: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "entity_type": "EVENT",
        "entity_id": "ok-event",
        "name": "OK event",
        "source_id": "s",
        "schedule": {"type": "one_time", "start_date": "2026-05-01"},
        "pricing": {"type": "paid", "cost": "12.50"},
    }
    raw.update(override)
    return raw


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"category": "underwater-basket-weaving"}, "category"),
        ({"schedule": {"type": "one_time", "start_date": "2026-13-45"}}, "start_date"),
        ({"pricing": {"type": "paid", "cost": 12.345}}, "cost"),
        ({"description": "x" * 500_000}, "description"),
    ],
)
def test_bad_input_is_a_validation_error_and_writes_nothing(
    store: ActivityStore, api_calls: Counter[str], override: dict[str, Any], field: str
) -> None:
    raws = [_raw_event(), _raw_event(entity_id="bad-event", **override)]
    with pytest.raises(pydantic.ValidationError) as caught:
        store.put_entities(Event.model_validate(raw) for raw in raws)
    assert field in str(caught.value)
    assert sum(api_calls[op] for op in WRITE_OPS) == 0
    assert store.get_entity("EVENT", "ok-event") is None


def test_a_key_part_with_the_separator_is_refused_before_writing(
    store: ActivityStore, api_calls: Counter[str]
) -> None:
    with pytest.raises(ValidationError, match="venue_id"):
        store.put_entities([f.venue("good"), f.one_time_event("x", date(2026, 3, 1), venue_id="a#b")])
    assert sum(api_calls[op] for op in WRITE_OPS) == 0


def test_cancelled_occurrence_status_is_kept_on_its_instance(store: ActivityStore) -> None:
    entity = f.event("yoga", days=[date(2026, 3, 3)])
    entity.schedule.occurrences.append(Occurrence(date=date(2026, 3, 10), status=EntityStatus.CANCELLED))
    store.put_entities([entity], now=T0)
    stored = store.get_entity("EVENT", "yoga")
    assert stored is not None
    assert [i["status"] for i in stored.instances] == ["active", "cancelled"]


def test_put_entities_survives_unprocessed_items(store_tables: Any) -> None:
    import dataclasses

    from tests.unit.store.fakes import FlakyClient

    flaky = FlakyClient(store_tables.client, failures=4)
    store = ActivityStore(dataclasses.replace(store_tables, client=flaky))
    entities = [f.event(f"e{n}", days=[date(2026, 3, 3)], ages=[AgeGroup.TODDLER]) for n in range(20)]
    result = store.put_entities(entities, now=T0)
    assert len(result.new) == 20
    assert flaky.calls > 4
    for n in range(20):
        assert partition(store, f"EVENT#e{n}") == [
            "AGE#toddler#2026-03-03",
            "INSTANCE#2026-03-03",
            "METADATA",
        ]


def test_put_missing_never_overwrites_an_existing_entity(store: ActivityStore) -> None:
    rich = f.venue("jade-garden-hall-1a2b3c", name="Jade Garden Hall", description="Hall with a stage.")
    store.put_entities([rich], now=T0)
    stub = rich.model_copy(update={"description": None, "content_hash": None})
    other = f.venue("maple-leaf-commons-4d5e6f", name="Maple Leaf Commons")
    assert store.put_missing([stub, other], now=T1) == 1
    stored = store.get_entity(EntityType.VENUE, rich.entity_id)
    assert stored is not None and stored.entity["description"] == "Hall with a stage."
    assert store.get_entity(EntityType.VENUE, other.entity_id) is not None
    assert store.put_missing([stub, other], now=T1) == 0


def test_a_one_type_location_query_reads_no_row_of_another_type(store: ActivityStore) -> None:
    # Each day the index sorts the event's row before the program's, and the ongoing
    # attraction and venue come last: one range over the window would read them all.
    days = [date(2026, 3, d) for d in (2, 3, 4)]
    occurrences = [Occurrence(date=d) for d in days]
    term = Schedule(type=ScheduleType.TERM, start_date=days[0], occurrences=occurrences)
    store.put_entities(
        [
            f.event("walk", days=days),
            f.program("class", city="seattle", region="seattle-downtown", schedule=term),
            f.attraction_range("exhibit", date(2026, 3, 1), date(2026, 3, 31)),
            f.venue("museum"),
        ],
        now=T0,
    )
    window = (date(2026, 3, 1), date(2026, 3, 31))
    got: list[str] = []
    scanned = 0
    cursor = None
    while True:
        page = store.query_location_date(
            "seattle-downtown", "seattle", *window, entity_type="PROGRAM", limit=2, cursor=cursor
        )
        got.extend(str(i["SK"]) for i in page.items)
        scanned += page.scanned
        cursor = page.cursor
        if cursor is None:
            break
    assert got == ["INSTANCE#2026-03-02", "INSTANCE#2026-03-03", "INSTANCE#2026-03-04"]
    assert scanned == 3  # the program's rows alone: no event, attraction or venue row read
    page = store.query_location_date("seattle-downtown", "seattle", *window, entity_type="VENUE")
    assert [i["PK"] for i in page.items] == ["VENUE#museum"] and page.scanned == 1
    # Past TYPED_DAYS_MAX days the window is one filtered range: the same rows, in order.
    long_window = (date(2026, 1, 1), date(2026, 12, 31))
    page = store.query_location_date("seattle-downtown", "seattle", *long_window, entity_type="PROGRAM")
    assert [str(i["SK"]) for i in page.items] == got
    with pytest.raises(ValidationError, match="date_to"):
        store.query_location_date(
            "seattle-downtown", "seattle", date(2026, 3, 2), date(2026, 3, 1), entity_type="EVENT"
        )
