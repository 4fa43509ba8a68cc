"""search(): one GSI per query, de-duplicated results, filters, pagination; never a Scan."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from famact.constants import AgeGroup, Category, EntityStatus, EntityType
from famact.models import Occurrence
from famact.search import SearchQuery, search
from famact.store.activities import ActivityStore
from famact.store.errors import ValidationError
from tests.unit.search_support import T0, TODAY, activity_store, ids, run  # noqa: F401 (the `store` fixture)
from tests.unit.store import factories as f


def all_pages(store: ActivityStore, **params: Any) -> list[str]:
    got: list[str] = []
    cursor = None
    for _ in range(50):
        result = search(store, SearchQuery(**params, cursor=cursor), today=TODAY)
        got.extend(ids(result))
        cursor = result.cursor
        if cursor is None:
            return got
    raise AssertionError("cursor never ended")


@pytest.fixture
def seeded(store: ActivityStore) -> ActivityStore:
    store.put_entities(
        [
            f.event(
                "story-time",
                days=[date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17)],
                ages=[AgeGroup.TODDLER, AgeGroup.PRESCHOOL],
                category=Category.EDUCATIONAL_STEM,
                description="Songs and picture books",
                venue_id="central-library",
                venue_name="Central Library",
            ),
            f.event(
                "teen-coding",
                days=[date(2026, 3, 5)],
                ages=[AgeGroup.TEEN],
                category=Category.EDUCATIONAL_STEM,
            ),
            f.event(
                "soccer",
                days=[date(2026, 3, 7)],
                ages=[AgeGroup.ELEMENTARY],
                category=Category.ACTIVE_SPORTS,
                city="tacoma",
                region="south-sound",
            ),
            f.event("far-future", days=[date(2026, 9, 1)], ages=[AgeGroup.TODDLER]),
            f.event("past", days=[date(2026, 2, 1)], ages=[AgeGroup.TODDLER]),
            f.venue("science-center"),
            f.venue("closed-museum", status=EntityStatus.INACTIVE),
            f.one_time_event("cancelled-fair", date(2026, 3, 8), status=EntityStatus.CANCELLED),
            f.one_time_event("spring-fair", date(2026, 3, 21), provider_id="parks-dept"),
            f.attraction_range("dino-exhibit", date(2026, 1, 15), date(2026, 3, 15)),
            f.program("summer-camp", provider_id="parks-dept"),
        ],
        now=T0,
    )
    return store


def test_place_query_uses_location_date_and_returns_each_entity_once(seeded: ActivityStore) -> None:
    result = run(seeded, region="seattle-downtown", city="seattle")
    assert result.index_used == "location-date-index"
    # Dated hits by date (story-time once, at its next date), then ongoing ones.
    assert ids(result) == ["story-time", "teen-coding", "spring-fair", "dino-exhibit", "science-center"]
    story = result.items[0]
    assert (story["next_date"], story["name"]) == ("2026-03-03", "Story Time")
    assert result.items[-1]["next_date"] is None
    assert result.items_read >= 7


def test_date_window_and_ongoing_ranges(seeded: ActivityStore) -> None:
    result = run(
        seeded, city="seattle", region="seattle-downtown", date_from="2026-03-11", date_to="2026-03-20"
    )
    assert ids(result) == ["story-time", "dino-exhibit", "science-center"]
    assert result.items[0]["next_date"] == "2026-03-17"
    after_exhibit = run(
        seeded, region="seattle-downtown", city="seattle", date_from="2026-03-16", date_to="2026-03-31"
    )
    assert "dino-exhibit" not in ids(after_exhibit)  # its range ended on the 15th


def test_age_group_alone_reads_every_category_and_all_ages(seeded: ActivityStore) -> None:
    result = run(seeded, age_group="toddler")
    assert result.index_used == "category-age-index"
    # The toddler event, plus all-ages listings (venues, the fair, the exhibit) of any category.
    assert sorted(ids(result)) == ["dino-exhibit", "science-center", "spring-fair", "story-time"]
    assert "teen-coding" not in ids(result) and "far-future" not in ids(result)


def test_category_alone_reads_each_age_partition_once_per_entity(seeded: ActivityStore) -> None:
    result = run(seeded, category="educational-stem")
    assert result.index_used == "category-age-index"
    assert sorted(ids(result)) == ["dino-exhibit", "science-center", "story-time", "teen-coding"]


def test_category_and_age_group_and_place_filter(seeded: ActivityStore) -> None:
    result = run(seeded, category="active-sports", age_group="elementary")
    assert ids(result) == ["soccer"]
    assert run(seeded, category="active-sports", age_group="elementary", city="seattle").items == []


def test_no_filter_covers_every_place_of_the_geo_registry(seeded: ActivityStore) -> None:
    result = run(seeded)
    assert result.index_used == "location-date-index"
    assert sorted(ids(result)) == [
        "dino-exhibit", "science-center", "soccer", "spring-fair", "story-time", "teen-coding",
    ]  # fmt: skip
    assert sorted(ids(run(seeded, region="south-sound"))) == ["soccer"]
    assert ids(run(seeded, city="nowhere")) == []


def test_venue_and_provider_queries(seeded: ActivityStore) -> None:
    venue = run(seeded, venue_id="central-library")
    assert venue.index_used == "venue-activity-index" and ids(venue) == ["story-time"]
    assert venue.items[0]["next_date"] == "2026-03-03"
    provider = run(seeded, provider_id="parks-dept")
    assert provider.index_used == "provider-index"
    # The camp (June, a TERM start date) is beyond the default window of date-keyed indexes,
    # but provider/venue listings are not limited to 30 days.
    assert sorted(ids(provider)) == ["spring-fair", "summer-camp"]
    assert ids(run(seeded, provider_id="parks-dept", entity_type="PROGRAM")) == ["summer-camp"]


def test_text_and_type_filters(seeded: ActivityStore) -> None:
    assert ids(run(seeded, q="PICTURE books")) == ["story-time"]
    assert ids(run(seeded, q="central library")) == ["story-time"]  # matches the venue name
    assert ids(run(seeded, q="picture dragons")) == []
    assert ids(run(seeded, region="seattle-downtown", city="seattle", entity_type="venue")) == [
        "science-center"
    ]


def test_hidden_statuses_and_cancelled_occurrences(store: ActivityStore) -> None:
    yoga = f.event("yoga", days=[date(2026, 3, 10)])
    yoga.schedule.occurrences.insert(0, Occurrence(date=date(2026, 3, 3), status=EntityStatus.CANCELLED))
    store.put_entities([yoga, f.venue("gone", status=EntityStatus.INACTIVE)], now=T0)
    result = run(store, region="seattle-downtown", city="seattle")
    assert ids(result) == ["yoga"]
    assert result.items[0]["next_date"] == "2026-03-10"  # the cancelled 3rd is skipped


def test_pagination_returns_every_entity_once(store: ActivityStore) -> None:
    entities = [
        f.event(
            f"class-{n:02d}",
            days=[date(2026, 3, 3 + (n % 5)), date(2026, 3, 12), date(2026, 3, 20)],
            ages=[AgeGroup.TODDLER, AgeGroup.PRESCHOOL, AgeGroup.ELEMENTARY],
        )
        for n in range(13)
    ] + [f.venue(f"place-{n}") for n in range(4)]
    store.put_entities(entities, now=T0)
    expected = sorted(e.entity_id for e in entities)
    for params, limits in (
        ({"region": "seattle-downtown", "city": "seattle"}, (1, 4)),
        ({"category": "arts-creativity"}, (3,)),
        ({"age_group": "preschool"}, (5,)),
        ({}, (7,)),
    ):
        for limit in limits:
            got = all_pages(store, limit=limit, **params)
            assert sorted(got) == (
                expected if params.get("category") != "arts-creativity" else expected[:13]
            ), (
                params,
                limit,
            )
            assert len(got) == len(set(got))


def test_limit_is_honoured_and_the_cursor_continues(seeded: ActivityStore) -> None:
    first = run(seeded, region="seattle-downtown", city="seattle", limit=2)
    assert ids(first) == ["story-time", "teen-coding"] and first.cursor
    second = run(seeded, region="seattle-downtown", city="seattle", limit=2, cursor=first.cursor)
    assert ids(second) == ["spring-fair", "dino-exhibit"]
    with pytest.raises(ValueError, match="cursor"):
        run(seeded, region="seattle-downtown", city="tacoma", cursor=first.cursor)


def test_search_never_scans(seeded: ActivityStore, api_calls: Counter[str]) -> None:
    for params in (
        {},
        {"age_group": "teen"},
        {"category": "camps-programs"},
        {"venue_id": "x"},
        {"provider_id": "parks-dept"},
        {"city": "seattle"},
        {"q": "fair"},
    ):
        run(seeded, **params)
    assert api_calls["Scan"] == 0
    # Filters and results come from the index rows' cards: no entity record is read.
    assert api_calls["Query"] > 0 and api_calls["BatchGetItem"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"entity_type": "PARTY"}, "entity_type"),
        ({"category": "underwater"}, "category"),
        ({"age_group": "toddlers!"}, "age_group"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ({"date_from": "2026-01-01", "date_to": "2027-06-01"}, "date_to"),
        ({"limit": 0}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"q": "x" * 500}, "q"),
        ({"venue_id": "a#b"}, "venue_id"),
        ({"region": "!!!"}, "region"),
    ],
)
def test_query_validation_names_the_field(params: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SearchQuery(**params)
    assert caught.value.field == field and field in str(caught.value)


def test_query_normalises_strings() -> None:
    query = SearchQuery.from_params(
        {
            "entity_type": "event",
            "city": "Seattle",
            "category": "Arts-Creativity",
            "date_from": "2026-03-01",
            "q": "  paint  ",
            "limit": "5",
        }
    )
    assert query.entity_type is EntityType.EVENT and query.city == "seattle"
    assert query.category is Category.ARTS_CREATIVITY and query.date_from == date(2026, 3, 1)
    assert query.q == "paint" and query.limit == 5
    with pytest.raises(ValidationError, match="colour"):
        SearchQuery.from_params({"colour": "red"})
