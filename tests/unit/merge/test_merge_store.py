"""Merging stored entities (moto): the job merges a cross-source duplicate, search no longer
shows the merged-away entity, the keeper lists every source's link, a re-crawl keeps both
states, and undo restores the table exactly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from famact import keys
from famact.constants import SourceType
from famact.merge.run import MergeJob
from famact.models import Address, Coordinates, Event, Occurrence, Schedule, SourceSubmission
from famact.search import SearchQuery, search
from famact.store.activities import ActivityStore
from famact.store.errors import ConflictError
from famact.store.merges import MergeStore
from famact.store.sources import SourceStore
from famact.store.stash import ALSO_LISTED_ATTR
from famact.web.api import entity_detail

pytestmark = pytest.mark.parametrize("store_tables", ["moto"], indirect=True)
TODAY = date(2027, 1, 1)
DAYS = [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19)]
NOW = datetime(2026, 12, 30, tzinfo=UTC)


def storytime(source_id: str, entity_id: str, name: str, days: list[date], **extra: Any) -> Event:
    return Event(
        entity_id=entity_id,
        name=name,
        city="seattle",
        region="seattle-ballard",
        venue_name=extra.pop("venue_name", "Ballard Branch"),
        address=Address(street="5614 22nd Ave NW", city="Seattle"),
        coordinates=extra.pop("coordinates", Coordinates(lat="47.6689", lng="-122.3846")),
        schedule=Schedule(
            type="recurring", occurrences=[Occurrence(date=d, start_time="10:30") for d in days]
        ),
        url=f"https://{source_id}.example.org/{entity_id}",
        source_id=source_id,
        provider_id=source_id,
        **extra,
    )


def with_sources(store_tables: Any) -> Any:
    """The three test sources submitted: a library, a kids' calendar and a blog."""
    sources = SourceStore(store_tables)
    kinds = (
        ("spl", SourceType.LIBRARY),
        ("kids-cal", SourceType.AGGREGATOR),
        ("blog", SourceType.AGGREGATOR),
    )
    for source_id, kind in kinds:
        sources.submit(
            SourceSubmission(
                source_id=source_id,
                source_name=source_id,
                base_url=f"https://{source_id}.example.org",
                source_type=kind,
                submitted_at=NOW,
            )
        )
    return store_tables


@pytest.fixture
def tables(store_tables: Any) -> Any:
    return with_sources(store_tables)


def store_all(tables: Any, *entities: Event) -> None:
    ActivityStore(tables).put_entities(entities, now=NOW)
    for e in entities:
        SourceStore(tables).link_entities(e.source_id, [keys.entity_pk(e.entity_type, e.entity_id)])


def later_storytime(source_id: str, entity_id: str, name: str) -> Event:
    event = storytime(source_id, entity_id, name, DAYS, coordinates=None)
    later = [o.model_copy(update={"start_time": "11:30"}) for o in event.schedule.occurrences]
    return event.model_copy(update={"schedule": event.schedule.model_copy(update={"occurrences": later})})


def dump(tables: Any) -> list[dict[str, Any]]:
    """Every row of family-activities but the merge records (the record is the trace)."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = tables.activities.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return sorted((i for i in items if i["PK"] != keys.MERGES_PK), key=lambda i: (i["PK"], i["SK"]))


def found(tables: Any, **params: Any) -> list[str]:
    return [
        i["entity_id"]
        for i in search(ActivityStore(tables), SearchQuery(**params, limit=50), today=TODAY).items
    ]


SPL = ("spl", "toddler-storytime-aaaaaa", "Toddler Storytime")
CAL = ("kids-cal", "toddler-story-time-bbbbbb", "Toddler Story Time at Ballard Library")


def test_merge_hides_the_aggregators_copy_keeps_its_link_and_undo_is_exact(tables: Any) -> None:
    store_all(
        tables,
        storytime(*SPL, DAYS),
        storytime(*CAL, DAYS[1:], venue_name="Seattle Public Library - Ballard", coordinates=None),
        # another branch the same morning: never merged
        storytime(
            "blog",
            "toddler-storytime-cccccc",
            "Toddler Storytime - Fremont",
            DAYS,
            venue_name="Fremont Branch",
            coordinates=Coordinates(lat="47.6494", lng="-122.3503"),
        ),
    )
    before = dump(tables)
    searches = [
        {"city": "seattle"},
        {"venue_id": None},
        {"provider_id": "kids-cal"},
        {"age_group": "all-ages"},
    ]
    assert sorted(found(tables, city="seattle")) == [
        "toddler-story-time-bbbbbb",
        "toddler-storytime-aaaaaa",
        "toddler-storytime-cccccc",
    ]

    report = MergeJob(tables).run(["spl", "kids-cal", "blog"])
    assert [(p.keeper, p.merged) for p in report.merged] == [
        (
            "EVENT#toddler-storytime-aaaaaa",
            "EVENT#toddler-story-time-bbbbbb",
        )  # the library's own listing keeps
    ]
    for params in searches[:1] + searches[2:]:
        assert "toddler-story-time-bbbbbb" not in found(tables, **params)
    assert sorted(found(tables, city="seattle")) == ["toddler-storytime-aaaaaa", "toddler-storytime-cccccc"]
    keeper = ActivityStore(tables).get_entity("EVENT", "toddler-storytime-aaaaaa")
    assert keeper is not None
    assert [(link["source_id"], link["url"]) for link in keeper.entity[ALSO_LISTED_ATTR]] == [
        ("kids-cal", "https://kids-cal.example.org/toddler-story-time-bbbbbb")
    ]
    # the keeper's detail (the API and its page) carries the other sources' links
    detail = entity_detail(ActivityStore(tables), "event", "toddler-storytime-aaaaaa")
    assert detail is not None and detail["entity"][ALSO_LISTED_ATTR] == keeper.entity[ALSO_LISTED_ATTR]

    # a second run proposes nothing new
    again = MergeJob(tables).run(["spl", "kids-cal", "blog"])
    assert again.merged == [] and again.known == 0 and again.pairs_scored == 1  # the Fremont pair only

    merge_id = report.merged[0] and keys.merge_id_of(*(report.merged[0].keeper, report.merged[0].merged))
    MergeStore(tables).undo(merge_id)
    assert dump(tables) == before
    assert MergeStore(tables).require(merge_id).status == "undone"
    with pytest.raises(ConflictError):
        MergeStore(tables).undo(merge_id)


def test_recrawls_keep_the_merged_away_entity_hidden_and_the_keepers_links(tables: Any) -> None:
    store_all(tables, storytime(*SPL, DAYS), storytime(*CAL, DAYS[1:]))
    MergeJob(tables).run(["spl", "kids-cal"])
    # both sources change their listing: a full rewrite of both partitions
    store_all(
        tables,
        storytime(*SPL, DAYS, description="Now with bubbles."),
        storytime(*CAL, DAYS, description="Drop in."),
    )
    assert found(tables, city="seattle") == ["toddler-storytime-aaaaaa"]
    keeper = ActivityStore(tables).get_entity("EVENT", "toddler-storytime-aaaaaa")
    assert keeper is not None and keeper.entity["description"] == "Now with bubbles."
    assert [link["source_id"] for link in keeper.entity[ALSO_LISTED_ATTR]] == ["kids-cal"]
    ActivityStore(tables).mark_inactive(["EVENT#toddler-story-time-bbbbbb"])
    assert found(tables, provider_id="kids-cal") == []
    (record,) = MergeStore(tables).records("merged")
    MergeStore(tables).undo(record.merge_id)
    assert sorted(found(tables, city="seattle")) == ["toddler-storytime-aaaaaa"]  # the copy is inactive now
    rows = ActivityStore(tables).get_entity("EVENT", "toddler-story-time-bbbbbb")
    assert rows is not None and rows.entity["status"] == "inactive"
    meta = tables.activities.get_item(Key={"PK": "EVENT#toddler-story-time-bbbbbb", "SK": "METADATA"})["Item"]
    assert meta["GSI4SK"].endswith("STATUS#inactive#toddler-story-time-bbbbbb")


def test_unsure_pairs_wait_for_the_admin_and_a_rejected_pair_is_not_proposed_again(tables: Any) -> None:
    store_all(
        tables,
        storytime(*SPL, DAYS),
        # same title and place, but the calendar says an hour later: another session?
        later_storytime("kids-cal", "family-storytime-dddddd", "Toddler Storytime"),
    )
    report = MergeJob(tables).run(["spl", "kids-cal"])
    assert report.merged == []
    assert len(report.unsure) == 1, report.as_dict()
    merges = MergeStore(tables)
    (record,) = merges.records("unsure")
    assert sorted(found(tables, city="seattle")) == ["family-storytime-dddddd", "toddler-storytime-aaaaaa"]
    merges.reject(record.merge_id)
    assert MergeJob(tables).run(["spl", "kids-cal"]).known == 1
    assert merges.records("unsure") == []
    with pytest.raises(ConflictError):
        merges.apply(record.merge_id)


def test_a_group_of_three_keeps_every_sources_link_and_a_keeper_is_never_merged_away(tables: Any) -> None:
    blog = ("blog", "ballard-toddler-stories-eeeeee", "Toddler Storytime @ Ballard Library")
    store_all(tables, storytime(*SPL, DAYS), storytime(*CAL, DAYS[1:]), storytime(*blog, DAYS[:1]))
    report = MergeJob(tables).run(["spl", "kids-cal", "blog"])
    assert sorted(p.merged for p in report.merged) == [
        "EVENT#ballard-toddler-stories-eeeeee",
        "EVENT#toddler-story-time-bbbbbb",
    ]
    assert found(tables, city="seattle") == ["toddler-storytime-aaaaaa"]
    keeper = ActivityStore(tables).get_entities(["EVENT#toddler-storytime-aaaaaa"])[
        "EVENT#toddler-storytime-aaaaaa"
    ]
    assert sorted(link["source_id"] for link in keeper[ALSO_LISTED_ATTR]) == ["blog", "kids-cal"]
    # the keeper cannot be merged away into one of its own members
    merges = MergeStore(tables)
    reverse = keys.merge_id_of("EVENT#toddler-story-time-bbbbbb", "EVENT#toddler-storytime-aaaaaa")
    record = merges.require(reverse)
    record.merge_id, record.keeper_pk, record.merged_pk, record.status = (
        "m-reverse",
        record.merged_pk,
        record.keeper_pk,
        "unsure",
    )
    assert merges.propose(record)
    with pytest.raises(ConflictError):
        merges.apply("m-reverse")
    merges.undo(reverse)
    keeper = ActivityStore(tables).get_entities(["EVENT#toddler-storytime-aaaaaa"])[
        "EVENT#toddler-storytime-aaaaaa"
    ]
    assert [link["source_id"] for link in keeper[ALSO_LISTED_ATTR]] == ["blog"]


def test_the_merges_command_runs_lists_and_undoes(
    tables: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from famact.app import cli, merge_commands

    monkeypatch.setattr(merge_commands, "_tables", lambda: tables)
    store_all(tables, storytime(*SPL, DAYS), storytime(*CAL, DAYS[1:]))
    assert cli.main(["merges", "run", "--dry-run", "--json", "--source", "spl", "--source", "kids-cal"]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert [(p["keeper"], p["merged"]) for p in planned["merged"]] == [
        ("EVENT#toddler-storytime-aaaaaa", "EVENT#toddler-story-time-bbbbbb")
    ]
    assert MergeStore(tables).records() == []  # a dry run writes nothing
    assert cli.main(["merges", "run", "--source", "spl", "--source", "kids-cal"]) == 0
    assert "merged 1, 0 unsure" in capsys.readouterr().out
    assert cli.main(["merges", "list", "--status", "merged"]) == 0
    merge_id = capsys.readouterr().out.split()[0]
    assert cli.main(["merges", "undo", merge_id]) == 0
    assert "undone" in capsys.readouterr().out
    assert cli.main(["merges", "undo", merge_id]) == 1
    assert "is undone, not merged" in capsys.readouterr().err
