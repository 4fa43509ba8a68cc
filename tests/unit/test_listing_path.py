"""The one listing path: a crawl's pipelines and the analyzer's trial run give the same
entities and the same drops for the same listings (famact.listing.process_listing)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from analyzers.analyze import trial_config
from famact.constants import Category, ClassificationMethod, EntityType
from famact.listing import Dropped, output_row, process_listing
from famact.models import EntityBase, RawListing, SourceConfig, TitleFilter
from famact_crawler.pipelines.classify import ClassifyPipeline
from famact_crawler.pipelines.normalize import NormalizePipeline
from famact_crawler.pipelines.validate import ValidatePipeline

TODAY = date(2026, 12, 1)
PAGE_URL = "https://hub.example.org/events/"

PAGE = """<html><body><ul class="cards">
<li class="card"><h3><a href="/e/paint-night">Family Paint Night</a></h3>
  <p class="date">Sat, Dec 12, 6pm</p><p class="price">$15</p>
  <p class="summary">Paint a winter scene together. All supplies included.</p></li>
<li class="card"><h3><a href="/join">Annual Family Membership</a></h3>
  <p class="price">$120</p><p class="summary">Free admission all year and member events.</p></li>
<li class="card"><h3><a href="/gift">Holiday Gift Cards</a></h3>
  <p class="summary">Give the gift of play this season.</p></li>
<li class="card"><h3><a href="/e/messy-art">Messy Art</a></h3></li>
<li class="card"><h3><a href="/e/puppets">Puppet Time</a></h3>
  <p class="date">Wednesday, December 9, 10:30am</p></li>
<li class="card"><h3></h3><p class="summary">A card without a title.</p></li>
</ul></body></html>"""


def make_config(**defaults: Any) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "source_id": "hub-events",
            "source_name": "Hub Events",
            "source_type": "other",
            "base_url": "https://hub.example.org/",
            "target_urls": [PAGE_URL],
            "listing": {
                "item": "li.card",
                "fields": {
                    "title": "h3 a",
                    "url": "h3 a::attr(href)",
                    "date": "p.date",
                    "price": "p.price",
                    "description": "p.summary",
                },
            },
            "defaults": {"city": "seattle", **defaults},
        }
    )


def raw(title: str | None, **fields: str) -> RawListing:
    values = {"title": title, **fields} if title is not None else dict(fields)
    return RawListing(source_id="hub-events", page_url=PAGE_URL, fields=values)


LISTINGS = [
    raw("Family Paint Night", date="Sat, Dec 12, 6pm", price="$15"),
    raw("Annual Family Membership", price="$120", description="Free admission all year."),
    raw("Holiday Gift Cards", description="Give the gift of play this season."),
    raw("Messy Art"),
    raw(None, description="A card without a title."),
    raw("   "),
]


def crawl_path(listings: list[RawListing], config: SourceConfig) -> tuple[list[Any], dict[str, Any]]:
    """The listings through the crawl's validate -> normalize -> classify pipelines."""
    crawler = get_crawler(
        settings_dict={"FAMACT_TODAY": TODAY.isoformat(), "FAMACT_LLM_SECOND_OPINION": False}
    )
    crawler.spider = SimpleNamespace(config=config)
    stages = [
        ValidatePipeline.from_crawler(crawler),
        NormalizePipeline.from_crawler(crawler),
        ClassifyPipeline.from_crawler(crawler),
    ]
    out: list[Any] = []
    for listing in listings:
        item: Any = listing
        try:
            for stage in stages:
                item = stage.process_item(item)
        except DropItem as exc:
            out.append(str(exc))
        else:
            out.append(item)
    assert crawler.stats is not None
    return out, crawler.stats.get_stats()


@pytest.mark.parametrize(
    "defaults",
    [{}, {"entity_type": "EVENT"}, {"entity_type": "PROGRAM", "category": "free-community"}],
    ids=["no-defaults", "type-hint", "type-and-category"],
)
def test_pipelines_and_process_listing_agree(defaults: dict[str, str]) -> None:
    config = make_config(**defaults)
    crawled, stats = crawl_path(LISTINGS, config)
    direct = [process_listing(listing, config, TODAY) for listing in LISTINGS]
    assert [d.detail if isinstance(d, Dropped) else d for d in direct] == crawled
    kept = [d for d in direct if isinstance(d, EntityBase)]
    assert [e.name for e in kept] == ["Family Paint Night", "Messy Art"]
    drops = [d for d in direct if isinstance(d, Dropped)]
    assert [(d.reason, d.scope) for d in drops] == [
        ("out_of_scope", "membership"),
        ("out_of_scope", "gift-card"),
        ("no_title", None),
        ("no_title", None),
    ]
    assert stats["famact/dropped/out_of_scope"] == 2
    assert stats["famact/dropped/out_of_scope/membership"] == 1
    assert stats["famact/dropped/out_of_scope/gift-card"] == 1
    assert stats["famact/dropped/no_title"] == 2
    assert stats["famact/items/raw"] == len(LISTINGS)


def test_defaults_decide_type_and_category_on_both_paths() -> None:
    plain = process_listing(raw("Messy Art"), make_config(), TODAY)
    assert isinstance(plain, EntityBase)
    assert plain.entity_type is not EntityType.EVENT  # the classifier's unsure guess, not the hint's
    assert plain.classification is not None and plain.classification.confidence < 0.6
    hinted_config = make_config(entity_type="EVENT", category="free-community")
    hinted = process_listing(raw("Messy Art"), hinted_config, TODAY)
    assert isinstance(hinted, EntityBase)
    assert hinted.entity_type is EntityType.EVENT
    assert hinted.category is Category.FREE_COMMUNITY
    assert hinted.classification is not None
    assert hinted.classification.method is ClassificationMethod.CONFIG_HINT
    assert hinted.classification.confidence == 0.6
    # A confident rule is not overridden by the hint; the category default still applies.
    paint = process_listing(LISTINGS[0], hinted_config, TODAY)
    assert isinstance(paint, EntityBase)
    assert paint.entity_type is EntityType.EVENT
    assert paint.category is Category.FREE_COMMUNITY
    assert paint.classification is not None
    assert paint.classification.method is not ClassificationMethod.CONFIG_HINT


def test_trial_config_samples_are_what_the_crawl_stores() -> None:
    config = make_config(entity_type="EVENT", category="free-community")
    result = trial_config(config, {PAGE_URL: PAGE}.get, today=TODAY)
    assert result.item_count == 5  # extracted (the engine skips the untitled card), before drops
    crawled, _ = crawl_path(result.listings, config)
    stored = [output_row(e) for e in crawled if isinstance(e, EntityBase)]
    assert [s["name"] for s in result.sample_items] == [row["name"] for row in stored]
    assert [s["name"] for s in result.sample_items] == ["Family Paint Night", "Messy Art", "Puppet Time"]
    for sample, row in zip(result.sample_items, stored, strict=True):
        assert sample["entity_type"] == row["entity_type"]
        assert sample["category"] == row["category"] == "free-community"
        assert sample["classification"] == row["classification"]
        assert sample["start_date"] == row["start_date"]
    messy = result.sample_items[1]
    assert messy["entity_type"] == "EVENT"
    assert messy["classification"]["method"] == "config_hint"
    assert result.dropped == {"membership": 1, "gift-card": 1}


def test_trial_config_without_defaults_still_drops_out_of_scope() -> None:
    result = trial_config(make_config(), {PAGE_URL: PAGE}.get, today=TODAY)
    names = [s["name"] for s in result.sample_items]
    assert "Annual Family Membership" not in names
    assert "Holiday Gift Cards" not in names
    messy = next(s for s in result.sample_items if s["name"] == "Messy Art")
    assert messy["entity_type"] != "EVENT"  # no hint: the classifier's own (unsure) answer
    assert messy["classification"]["method"] != "config_hint"


def test_an_entity_that_does_not_validate_is_dropped_with_one_line_naming_the_field() -> None:
    listing = RawListing(
        source_id="hub-events",
        page_url=PAGE_URL,
        url="ftp://hub.example.org/e/paint-night",
        fields={"title": "Family Paint Night", "date": "Sat, Dec 12, 6pm"},
    )
    dropped = process_listing(listing, make_config(), TODAY)
    assert isinstance(dropped, Dropped) and dropped.reason == "invalid_entity"
    assert dropped.detail == (
        "invalid entity 'Family Paint Night': url: not an http(s) URL: 'ftp://hub.example.org/e/paint-night'"
    )


def test_a_title_filter_drops_other_boards_on_both_paths() -> None:
    config = make_config().model_copy(update={"title_filter": TitleFilter(include=["city council"])})
    listings = [
        raw("City Council - Regular Meeting", date="Tue, Dec 15, 6pm"),
        raw("Planning Commission - Regular Meeting", date="Tue, Dec 8, 6pm"),
        raw("Council of the City: Special Session", date="Wed, Dec 16, 5pm"),
    ]
    crawled, stats = crawl_path(listings, config)
    direct = [process_listing(listing, config, TODAY) for listing in listings]
    assert [d.detail if isinstance(d, Dropped) else d for d in direct] == crawled
    assert [getattr(d, "name", None) for d in direct] == [
        "City Council - Regular Meeting", None, "Council of the City: Special Session"
    ]  # fmt: skip
    assert stats["famact/dropped/title_filter"] == 1
