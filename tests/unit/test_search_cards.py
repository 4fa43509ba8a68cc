"""search() answers from the cards on index rows: what it reads, rows stored before cards,
status changes, long descriptions, whole records on request."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from famact import keys
from famact.constants import AgeGroup, EntityStatus
from famact.models import EntityBase
from famact.search import SearchQuery, search
from famact.store.activities import ActivityStore
from famact.store.dynamo import batch_write
from famact.store.rows import MAX_SEARCH_TEXT_CHARS, entity_rows
from famact.tables import ACTIVITIES
from tests.unit.search_support import T0, TODAY, activity_store, ids, run  # noqa: F401 (the `store` fixture)
from tests.unit.store import factories as f

PLACE = {"region": "seattle-downtown", "city": "seattle"}
# What an index row held before search cards (row format 1).
FORMAT_1_ATTRS = {
    *("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "entity_type", "entity_id", "name"),
    *("city", "region", "category", "date", "start_time", "end_time", "status"),
}


def store_as_format_1(store: ActivityStore, entity: EntityBase) -> None:
    """The rows an older famact wrote: no cards on index rows, row_format 1 on METADATA."""
    rows: list[dict[str, Any]] = []
    for row in entity_rows(entity.model_copy(update={"first_seen": T0, "last_seen": T0})):
        if row["SK"] == keys.METADATA_SK:
            plumbing = ("entity_status", "points", "search_text", "search_text_partial")
            rows.append({**{k: v for k, v in row.items() if k not in plumbing}, "row_format": 1})
        else:
            rows.append({k: v for k, v in row.items() if k in FORMAT_1_ATTRS})
    batch_write(store.table_name, store.tables.client, rows, [], retries=store.tables.retries)


def test_a_page_reads_about_the_rows_it_returns(store: ActivityStore, api_calls: Counter[str]) -> None:
    store.put_entities(
        [f.event(f"class-{n:02d}", days=[date(2026, 3, 3 + n % 9)]) for n in range(30)], now=T0
    )
    api_calls.clear()
    got: list[str] = []
    cursor = None
    read = 0
    while True:
        result = search(store, SearchQuery(**PLACE, limit=7, cursor=cursor), today=TODAY)
        got += ids(result)
        read += result.items_read
        cursor = result.cursor
        if cursor is None:
            break
    assert sorted(got) == [f"class-{n:02d}" for n in range(30)]
    # 30 INSTANCE rows, each read once: an exact resume point, no page read twice.
    assert read == 30
    assert api_calls["BatchGetItem"] == 0 and api_calls["Scan"] == 0


def test_rows_stored_before_cards_are_still_found(store: ActivityStore, api_calls: Counter[str]) -> None:
    old = f.event(
        "story-time",
        days=[date(2026, 3, 3), date(2026, 3, 10)],
        ages=[AgeGroup.TODDLER],
        description="Songs and picture books",
    )
    store_as_format_1(store, old)
    for params in (PLACE, {"age_group": "toddler"}, {**PLACE, "q": "picture"}):
        result = run(store, **params)
        assert ids(result) == ["story-time"], params
        assert result.items[0]["next_date"] == "2026-03-03"
    assert api_calls["BatchGetItem"] > 0  # their cards are rebuilt from the record
    assert store.mark_inactive(["EVENT#story-time"]) == 1
    assert run(store, **PLACE).items == []
    # The one-off upgrade rewrites them with cards; search then reads no record.
    assert store.upgrade_rows(now=T0) == (1, 0)
    store.put_entities([old.model_copy(update={"status": EntityStatus.ACTIVE})], now=T0)
    api_calls.clear()
    assert ids(run(store, age_group="toddler")) == ["story-time"]
    assert api_calls["BatchGetItem"] == 0


def test_an_inactive_entity_leaves_every_index(store: ActivityStore) -> None:
    store.put_entities(
        [f.event("yoga", days=[date(2026, 3, 4), date(2026, 3, 11)], ages=[AgeGroup.TEEN])], now=T0
    )
    assert ids(run(store, age_group="teen")) == ids(run(store, **PLACE)) == ["yoga"]
    assert store.mark_inactive(["EVENT#yoga"]) == 1
    assert run(store, age_group="teen").items == [] and run(store, **PLACE).items == []


def test_words_past_the_cards_cap_are_checked_on_the_record(
    store: ActivityStore, api_calls: Counter[str]
) -> None:
    filler = " ".join(f"word{n}" for n in range(MAX_SEARCH_TEXT_CHARS // 5))
    store.put_entities([f.event("long", days=[date(2026, 3, 4)], description=f"{filler} dinosaurs")], now=T0)
    api_calls.clear()
    assert ids(run(store, **PLACE, q="word1")) == ["long"]
    assert api_calls["BatchGetItem"] == 0  # decided on the card
    assert ids(run(store, **PLACE, q="dinosaur")) == ["long"]
    assert api_calls["BatchGetItem"] == 1  # past the cap: the record decides
    assert run(store, **PLACE, q="dragons").items == []


def test_cards_are_small_and_records_come_on_request(store: ActivityStore) -> None:
    store.put_entities(
        [f.event("fair", days=[date(2026, 3, 5)], description="Crafts", venue_name="Hall")], now=T0
    )
    card = run(store, **PLACE).items[0]
    assert (card["name"], card["next_date"], card["status"], card["venue_name"]) == (
        "Fair",
        "2026-03-05",
        "active",
        "Hall",
    )
    assert "schedule" not in card and "description" not in card and "search_text" not in card
    record = search(store, SearchQuery(**PLACE), today=TODAY, records=True).items[0]
    assert record["description"] == "Crafts" and record["next_date"] == "2026-03-05"
    assert record["schedule"]["occurrences"][0]["date"] == "2026-03-05"


def test_activity_indexes_project_a_small_card() -> None:
    included = [index.include for index in ACTIVITIES.indexes]
    assert all(include is not None for include in included)
    # DynamoDB's limit: 100 projected non-key attributes over all indexes of a table.
    assert sum(len(include or ()) for include in included) <= 100
    assert not {"description", "schedule"} & {a for include in included for a in include or ()}


def test_a_search_over_every_place_reads_the_geo_registry_once_a_minute(
    store: ActivityStore, api_calls: Counter[str]
) -> None:
    store.put_entities([f.event("fair", days=[date(2026, 3, 5)])], now=T0)
    assert ids(run(store)) == ["fair"]
    api_calls.clear()
    assert ids(run(store)) == ["fair"]
    assert api_calls["Query"] == 2  # the partition's dated and ongoing ranges, no registry read
    # A place this store writes joins at once; the merge jobs' default still reads afresh.
    store.put_entities([f.event("swim", days=[date(2026, 3, 4)], city="tacoma", region="south")], now=T0)
    assert sorted(ids(run(store))) == ["fair", "swim"]
    other = ActivityStore(store.tables)
    other.put_entities([f.event("walk", days=[date(2026, 3, 6)], city="kent", region="south")], now=T0)
    assert ("south", "kent") in store.geo_partitions()
