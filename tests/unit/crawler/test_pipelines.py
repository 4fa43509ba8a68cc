"""Each item pipeline built from a crawler (`build_from_crawler`) and checked on its stats
and output, as Scrapy's tests check its own pipelines."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from famact.constants import Category, ClassificationMethod, EntityStatus, EntityType
from famact.keys import entity_pk
from famact.listing import NormalizedListing, merge_entities, normalize_listing, output_row
from famact.models import EntityBase, RawListing, SourceConfig
from famact.store.activities import ActivityStore
from famact.store.sources import SourceStore
from famact_crawler.pipelines.classify import ClassifyPipeline
from famact_crawler.pipelines.dedupe import DedupePipeline
from famact_crawler.pipelines.normalize import NormalizePipeline, crawl_date
from famact_crawler.pipelines.output import OutputPipeline
from famact_crawler.pipelines.store import StorePipeline
from famact_crawler.pipelines.validate import ValidatePipeline
from tests.unit.crawler.harness import BASE, TODAY, crawler_with_spider, entity, raw

NO_LLM = {"FAMACT_LLM_SECOND_OPINION": False}
SLIME_LAB = {
    "title": "Family Science Night: Slime Lab",
    "date": "2026-12-11T18:00:00-08:00",
    "price": "$15/child",
    "venue": "Harbor Library",
}


def config(**defaults: Any) -> SourceConfig:
    return SourceConfig(source_id="src", source_name="Source", base_url=f"{BASE}/", defaults=defaults)


def stats_of(pipeline: Any) -> dict[str, Any]:
    """The pipeline's famact/ stats that are not zero (the store adds its counts, 0 or not)."""
    return {k: v for k, v in pipeline.stats.get_stats().items() if k.startswith("famact/") and v != 0}


def normalized(**fields: str) -> NormalizedListing:
    return normalize_listing(raw(**fields), today=TODAY)


# -- validate ---------------------------------------------------------------------------------


def test_validate_counts_field_coverage_and_passes_listings_on() -> None:
    pipeline = build_from_crawler(ValidatePipeline, get_crawler())
    item = raw(**SLIME_LAB, ages="  ")
    assert pipeline.process_item(item) is item
    assert pipeline.process_item(raw(title="Toddler Storytime")) is not None
    assert stats_of(pipeline) == {
        "famact/items/raw": 2,
        "famact/coverage/title": 2,
        "famact/coverage/date": 1,
        "famact/coverage/price": 1,
        "famact/coverage/venue": 1,  # blank `ages` is not coverage
    }


def test_validate_drops_a_listing_without_a_title() -> None:
    pipeline = build_from_crawler(ValidatePipeline, get_crawler())
    with pytest.raises(DropItem, match="title: missing"):
        pipeline.process_item(raw(title=" \n ", date="Dec 11"))
    assert pipeline.stats.get_value("famact/dropped/no_title") == 1


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "Annual Family Membership", "price": "$150/year"}, "membership"),
        ({"title": "Holiday Gift Cards"}, "gift-card"),
    ],
)
def test_validate_drops_what_is_not_an_activity_by_reason(fields: dict[str, str], reason: str) -> None:
    pipeline = build_from_crawler(ValidatePipeline, get_crawler())
    with pytest.raises(DropItem, match=f"out of scope \\({reason}\\)"):
        pipeline.process_item(raw(**fields))
    assert pipeline.stats.get_value("famact/dropped/out_of_scope") == 1
    assert pipeline.stats.get_value(f"famact/dropped/out_of_scope/{reason}") == 1


def test_validate_passes_other_items_untouched() -> None:
    pipeline = build_from_crawler(ValidatePipeline, get_crawler())
    e = entity(**SLIME_LAB)
    assert pipeline.process_item(e) is e
    assert stats_of(pipeline) == {}


# -- normalize --------------------------------------------------------------------------------


def test_normalize_reads_the_crawl_date_from_the_setting() -> None:
    assert crawl_date(get_crawler(settings_dict={"FAMACT_TODAY": "2026-09-10"})) == date(2026, 9, 10)
    pipeline = build_from_crawler(
        NormalizePipeline, get_crawler(settings_dict={"FAMACT_TODAY": "2026-11-24"})
    )
    assert pipeline.today == TODAY


def test_normalize_uses_the_sources_defaults_and_counts_what_it_could_not_read() -> None:
    crawler = crawler_with_spider(
        config(city="bellevue", venue_name="Crossroads Hall"), {"FAMACT_TODAY": TODAY.isoformat()}
    )
    pipeline = build_from_crawler(NormalizePipeline, crawler)
    listing = pipeline.process_item(raw(title="Lego Club", date="whenever", ages="kids-ish", price="ask us"))
    assert isinstance(listing, NormalizedListing)
    assert (listing.city, listing.venue_name) == ("bellevue", "Crossroads Hall")
    assert stats_of(pipeline) == {
        "famact/normalize/unparsed_date": 1,
        "famact/normalize/unparsed_ages": 1,
        "famact/normalize/unparsed_price": 1,
    }
    good = pipeline.process_item(raw(**SLIME_LAB, ages="ages 5-12"))
    assert good.when.parsed and good.ages.parsed and good.pricing is not None
    assert stats_of(pipeline)["famact/normalize/unparsed_date"] == 1


def test_normalize_drops_a_listing_it_cannot_name() -> None:
    pipeline = build_from_crawler(NormalizePipeline, crawler_with_spider(config()))
    with pytest.raises(DropItem, match="title"):
        pipeline.process_item(raw(title="   "))
    assert pipeline.stats.get_value("famact/dropped/unnormalizable") == 1


# -- classify ---------------------------------------------------------------------------------


def test_classify_builds_the_entity_and_counts_its_type_and_method() -> None:
    pipeline = build_from_crawler(ClassifyPipeline, crawler_with_spider(config(), NO_LLM))
    assert pipeline.second_opinion is None
    e = pipeline.process_item(normalized(**SLIME_LAB))
    assert isinstance(e, EntityBase) and e.entity_type is EntityType.EVENT
    assert e.classification is not None and e.classification.method is ClassificationMethod.RULES
    assert e.content_hash
    assert stats_of(pipeline) == {"famact/items/EVENT": 1, "famact/classify/rules": 1}


def test_classify_takes_the_configs_type_only_when_the_rules_are_unsure() -> None:
    crawler = crawler_with_spider(config(entity_type="PROGRAM", category="arts-creativity"), NO_LLM)
    pipeline = build_from_crawler(ClassifyPipeline, crawler)
    unsure = pipeline.process_item(normalized(title="Blue Room"))  # rules: ATTRACTION, 0.43
    assert unsure.entity_type is EntityType.PROGRAM
    assert unsure.category is Category.ARTS_CREATIVITY
    assert unsure.classification.method is ClassificationMethod.CONFIG_HINT
    assert "config-hint:PROGRAM" in unsure.classification.reasons
    sure = pipeline.process_item(normalized(**SLIME_LAB))  # rules: EVENT, 0.98
    assert sure.entity_type is EntityType.EVENT and sure.category is Category.ARTS_CREATIVITY
    assert stats_of(pipeline) == {
        "famact/items/PROGRAM": 1,
        "famact/items/EVENT": 1,
        "famact/classify/config_hint": 1,
        "famact/classify/rules": 1,
    }  # the hinted verdict carries the threshold's confidence: not counted as low


def test_classify_counts_low_confidence_without_a_hint() -> None:
    pipeline = build_from_crawler(ClassifyPipeline, crawler_with_spider(config(), NO_LLM))
    e = pipeline.process_item(normalized(title="Blue Room"))
    assert e.entity_type is EntityType.ATTRACTION
    assert pipeline.stats.get_value("famact/classify/low_confidence") == 1


def test_classify_has_no_second_opinion_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from famact.settings import get_settings

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    try:
        assert build_from_crawler(ClassifyPipeline, crawler_with_spider(config())).second_opinion is None
    finally:
        get_settings.cache_clear()


# -- dedupe -----------------------------------------------------------------------------------


def test_dedupe_merges_a_repeat_and_counts_each_entity_once() -> None:
    pipeline = build_from_crawler(DedupePipeline, get_crawler())
    teaser = entity(**SLIME_LAB)
    detail = entity(**SLIME_LAB, description="Make slime, take it home.")
    assert teaser.entity_id == detail.entity_id
    assert pipeline.process_item(teaser) is teaser
    merged = pipeline.process_item(detail)
    assert merged == merge_entities(teaser, detail)
    assert merged.description == "Make slime, take it home."
    other = pipeline.process_item(entity(title="Toddler Storytime", date="2026-12-02"))
    assert stats_of(pipeline) == {"famact/dedupe/merged": 1, "famact/entities/EVENT": 2}
    assert other.name == "Toddler Storytime"


def test_dedupe_merges_only_within_its_window_but_counts_across_it() -> None:
    pipeline = build_from_crawler(DedupePipeline, get_crawler(settings_dict={"FAMACT_DEDUPE_WINDOW": 1}))
    a = entity(**SLIME_LAB)
    pipeline.process_item(a)
    pipeline.process_item(entity(title="Toddler Storytime", date="2026-12-02"))
    assert pipeline.process_item(a) is a  # evicted from the window: passed on as it came
    assert stats_of(pipeline) == {"famact/entities/EVENT": 2}
    assert len(pipeline.recent) == 1


# -- output -----------------------------------------------------------------------------------


def test_output_is_off_without_a_file() -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(OutputPipeline, get_crawler())


def test_output_appends_as_items_arrive_and_keeps_the_last_sighting_at_close(tmp_path: Path) -> None:
    path = tmp_path / "out" / "items.jsonl"
    pipeline = build_from_crawler(
        OutputPipeline, get_crawler(settings_dict={"FAMACT_OUTPUT_FILE": str(path)})
    )
    pipeline.open_spider()
    teaser = entity(**SLIME_LAB)
    detail = merge_entities(teaser, entity(**SLIME_LAB, description="Make slime, take it home."))
    storytime = entity(title="Toddler Storytime", date="2026-12-02")
    for item in (teaser, storytime, detail, raw(title="not an entity")):
        pipeline.process_item(item)
    pipeline.fp.flush()
    partial = path.with_name("items.jsonl.partial")
    assert len(partial.read_text().splitlines()) == 3 and not path.exists()
    pipeline.close_spider()
    assert not partial.exists()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        json.loads(json.dumps(output_row(storytime))),
        json.loads(json.dumps(output_row(detail))),
    ]
    assert lines[0] == json.dumps(output_row(storytime), ensure_ascii=False, sort_keys=True)


# -- store ------------------------------------------------------------------------------------


def test_store_is_off_when_the_crawl_stores_nothing() -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(StorePipeline, get_crawler(settings_dict={"FAMACT_STORE_ENABLED": False}))


def store_crawl(items: list[Any], batch_size: int = 2) -> StorePipeline:
    crawler = get_crawler(
        settings_dict={"FAMACT_STORE_BATCH_SIZE": batch_size, "FAMACT_TODAY": TODAY.isoformat()}
    )
    pipeline: StorePipeline = build_from_crawler(StorePipeline, crawler)

    async def run() -> None:
        for item in items:
            assert await pipeline.process_item(item) is item
        await pipeline.close_spider()

    asyncio.run(run())
    return pipeline


def test_store_writes_in_batches_links_the_source_and_creates_venues(crawl_tables: Any) -> None:
    events = [
        entity(**SLIME_LAB),
        entity(title="Toddler Storytime", date="2026-12-02", venue="Harbor Library"),
        entity(title="Winter Lantern Walk", date="2026-12-19", venue="Fern Hollow Park"),
    ]
    pipeline = store_crawl([*events, raw(title="passed through")])
    assert stats_of(pipeline) == {"famact/store/new": 3, "famact/store/venues_created": 2}
    pks = {entity_pk(e.entity_type, e.entity_id) for e in events}
    assert SourceStore(crawl_tables).linked_entities("src") == pks
    venues = {entity_pk(EntityType.VENUE, str(e.venue_id)) for e in events}
    assert len(venues) == 2
    stored = ActivityStore(crawl_tables).get_entities([*pks, *venues])
    assert set(stored) == pks | venues
    assert {stored[pk]["name"] for pk in venues} == {"Harbor Library", "Fern Hollow Park"}


def test_store_skips_unchanged_entities_and_keeps_stored_fields(crawl_tables: Any) -> None:
    full = entity(**SLIME_LAB, description="Make slime, take it home.")
    store_crawl([full])
    # The same listing again, unchanged, and then seen without its description.
    again = store_crawl([full])
    assert stats_of(again) == {"famact/store/unchanged": 1}
    worse = store_crawl([entity(**SLIME_LAB)])
    assert worse.stats.get_value("famact/store/kept_stored_fields") == 1
    stored = ActivityStore(crawl_tables).get_entity(EntityType.EVENT, full.entity_id)
    assert stored is not None and stored.to_model().description == "Make slime, take it home."
    assert stored.to_model().status is EntityStatus.ACTIVE


def test_store_merges_repeats_inside_one_batch(crawl_tables: Any) -> None:
    teaser, detail = entity(**SLIME_LAB), entity(**SLIME_LAB, description="Make slime, take it home.")
    pipeline = store_crawl([teaser, detail], batch_size=10)
    assert pipeline.stats.get_value("famact/store/new") == 1
    stored = ActivityStore(crawl_tables).get_entity(EntityType.EVENT, teaser.entity_id)
    assert stored is not None and stored.to_model().description == "Make slime, take it home."


def test_the_crawl_items_are_models_scrapy_can_adapt() -> None:
    from itemadapter import ItemAdapter

    assert ItemAdapter.is_item(RawListing(source_id="s", page_url=f"{BASE}/"))
    assert ItemAdapter.is_item(entity(**SLIME_LAB))
