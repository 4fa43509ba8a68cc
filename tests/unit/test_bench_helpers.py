"""The benchmark helpers whose mistakes would silently skew a figure: the generated site's
shape and routing, the write counter behind `recrawl_write_share`, the baseline's selectors,
web_search's per-kind read counts."""

from __future__ import annotations

import re

import parsel
import pytest

from benchmarks._crawl_child import WriteCounter, item_units
from benchmarks.plain_spider import baseline_settings, value
from benchmarks.sites import DETAILS_PER_LISTING, BenchSite, SiteShape, bench_config
from benchmarks.web_search import ENTITIES, ENTITIES_ENV, KindReads, entity_count
from famact.models import SelectorSpec

BASE = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("pages", "sections", "events"),
    [(2_000, 10, 1_900), (10_000, 50, 9_500), (200, 1, 190)],
)
def test_site_shape_counts_every_fetched_page(pages: int, sections: int, events: int) -> None:
    shape = SiteShape.for_pages(pages)
    assert (shape.sections, shape.pages, shape.events) == (sections, pages, events)
    assert len(set(shape.section_urls(BASE))) == sections


def test_site_shape_refuses_a_partial_section() -> None:
    with pytest.raises(ValueError, match="pages: 2100"):
        SiteShape.for_pages(2_100)


def test_listing_pages_chain_to_the_last_and_link_distinct_details() -> None:
    site = BenchSite(SiteShape.for_pages(400))
    details: set[str] = set()
    for page in range(1, 11):
        status, _, html = site.render(site.listing_path(1, page), BASE)
        assert status == 200
        selector = parsel.Selector(html)
        links = selector.css("h3.event-card__title a::attr(href)").getall()
        assert len(links) == DETAILS_PER_LISTING
        details.update(links)
        assert bool(selector.css("a.pagination__next")) == (page < 10)
    assert len(details) == 10 * DETAILS_PER_LISTING
    assert all(site.render(path, BASE)[0] == 200 for path in details)


@pytest.mark.parametrize(
    "path",
    ["/events/category/storytime/page/11/", "/events/category/nope/", "/event/400/x/", "/event/-1/x/", "/x"],
)
def test_paths_outside_the_site_are_404(path: str) -> None:
    assert BenchSite(SiteShape.for_pages(400)).render(path, BASE)[0] == 404


def test_pages_are_deterministic() -> None:
    one, two = BenchSite(SiteShape.for_pages(400)), BenchSite(SiteShape.for_pages(400))
    path = one.listing_path(1, 3)
    assert one.render(path, BASE) == two.render(path, BASE)


def test_bench_config_matches_the_generated_markup() -> None:
    shape = SiteShape.for_pages(400)
    config = bench_config(BASE, shape)
    assert config.listing is not None and config.detail is not None
    html = BenchSite(shape).render(shape.section_urls("")[0], BASE)[2]
    page = parsel.Selector(html)
    cards = page.css(config.listing.item.query)
    assert len(cards) == DETAILS_PER_LISTING
    for name, spec in config.listing.fields.items():
        assert value(cards[0], spec), f"listing field {name} finds nothing"
    detail_path = value(cards[0], config.detail.follow) if config.detail.follow else None
    assert detail_path and re.fullmatch(r"/event/\d+/[a-z0-9-]+/", detail_path)
    detail = parsel.Selector(BenchSite(shape).render(detail_path, BASE)[2])
    for name, spec in config.detail.fields.items():
        assert value(detail, spec), f"detail field {name} finds nothing"


def test_baseline_uses_the_source_settings_without_famact_components() -> None:
    settings = baseline_settings(bench_config(BASE, SiteShape.for_pages(200)))
    assert settings["DOWNLOAD_DELAY"] == pytest.approx(0.01)
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 16
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert not any(k.startswith(("ITEM_PIPELINES", "EXTENSIONS", "FAMACT_")) for k in settings)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("h3 a", "Storytime & Rhymes"),
        ("h3 a::attr(href)", "/event/1/x/"),
        ("p.missing", None),
        ("xpath://p[@class='when']", "Sat, Dec 5"),
    ],
)
def test_baseline_value_takes_text_or_attribute(spec: str, expected: str | None) -> None:
    node = parsel.Selector(
        '<div><h3><a href="/event/1/x/">Storytime\n &amp; <b>Rhymes</b></a></h3>'
        '<p class="when">Sat, Dec 5</p></div>'
    )
    assert value(node, SelectorSpec.model_validate(spec)) == expected


@pytest.mark.parametrize(
    ("item", "units"),
    [
        ({"PK": {"S": "a"}, "SK": {"S": "b"}}, 1),
        ({"PK": {"S": "a" * 1500}}, 2),
        ({"PK": {"S": "a"}, "GSI1PK": {"S": "g"}, "GSI1SK": {"S": "s"}, "GSI2PK": {"S": "g"}}, 2),
        ({"PK": "plain", "n": 3, "m": {"k": [1, 2]}}, 1),  # resource calls: plain values
    ],
)
def test_item_units_weigh_size_and_index_fan_out(item: dict[str, object], units: int) -> None:
    assert item_units(item) == units


def test_write_counter_counts_every_write_request() -> None:
    counter = WriteCounter()
    counter.observe(
        "BatchWriteItem",
        {
            "RequestItems": {
                "t": [
                    {"PutRequest": {"Item": {"PK": {"S": "E#1"}, "SK": {"S": "INSTANCE#2026-12-01"}}}},
                    {"DeleteRequest": {"Key": {"PK": {"S": "E#1"}, "SK": {"S": "AGE#x"}}}},
                ]
            }
        },
    )
    counter.observe("PutItem", {"TableName": "ops", "Item": {"PK": "X", "SK": "SUMMARY"}})
    counter.observe("UpdateItem", {"TableName": "ops"})
    counter.observe("Query", {"TableName": "t"})
    counts = counter.counts
    assert counts["write_requests"] == 4
    assert (counts["puts"], counts["deletes"], counts["updates"]) == (2, 1, 1)
    assert counts["puts/t/INSTANCE"] == 1 and counts["deletes/t/AGE"] == 1 and counts["puts/ops/SUMMARY"] == 1
    assert counts["calls/Query"] == 1


def test_kind_reads_count_every_item_read_and_what_a_filter_dropped() -> None:
    reads = KindReads()
    # One request's change of the server's counter: 30 Query rows evaluated (25 returned by
    # the filter) in 2 calls, and 3 records by key.
    reads.add({"calls:Query": 2, "Query": 30, "returned:Query": 25, "BatchGetItem": 3}, returned=20)
    reads.add({"calls:Query": 1, "Query": 7, "returned:Query": 7}, returned=5)
    assert reads.summary() == {
        "searches": 2,
        "items_read": 40,
        "items_returned": 25,
        "items_read_per_item_returned": 1.6,
        "query_calls": 3,
        "query_rows_dropped_by_filter": 5,
    }


def test_web_search_entities_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENTITIES_ENV, raising=False)
    assert entity_count() == ENTITIES
    monkeypatch.setenv(ENTITIES_ENV, "5000")
    assert entity_count() == 5000
    monkeypatch.setenv(ENTITIES_ENV, "lots")
    with pytest.raises(SystemExit, match=ENTITIES_ENV):
        entity_count()
