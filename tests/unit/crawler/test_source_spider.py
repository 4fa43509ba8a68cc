"""SourceSpider callbacks on fixture pages: pagination, the detail budget, errors keep teasers.

The camp directory (tests/fixtures/sites/camp-directory) lists its camps on `/camps/`,
`?page=2` and `?page=3`; the last page has no next link. Each listing card links to a detail
page and becomes a teaser `RawListing` carried to it.
"""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError
from twisted.python.failure import Failure

from famact.models import RawListing, SourceConfig
from famact_crawler.spiders.source import SourceSpider, crawl_error
from tests.support.site_server import load_site
from tests.unit.crawler.harness import BASE, collect, crawler_with_spider, page_response

SITE = load_site("camp-directory")
LISTING = f"{BASE}/camps/"


def camp_config(**changes: Any) -> SourceConfig:
    """The site's config, with `changes` merged into its `listing.pagination` / `detail`."""
    data = SITE.config_data(BASE)
    for section, values in changes.items():
        if section == "pagination":
            data["listing"]["pagination"].update(values)
        else:
            data[section].update(values)
    return SourceConfig.model_validate(data)


def spider_for(config: SourceConfig) -> SourceSpider:
    spider = crawler_with_spider(config).spider
    assert isinstance(spider, SourceSpider)
    return spider


def stat(spider: SourceSpider, key: str) -> Any:
    return spider.crawler.stats.get_value(f"famact/{key}")


def listing_page(spider: SourceSpider, url: str, page_number: int) -> list[Any]:
    return collect(spider.parse_listing(page_response(SITE, url), page_number=page_number))


def requests(out: list[Any]) -> list[Request]:
    return [r for r in out if isinstance(r, Request)]


def next_page_requests(out: list[Any], spider: SourceSpider) -> list[Request]:
    return [r for r in requests(out) if r.callback == spider.parse_listing]


def detail_requests(out: list[Any], spider: SourceSpider) -> list[Request]:
    return [r for r in requests(out) if r.callback == spider.parse_detail]


def test_start_requests_are_the_target_urls_as_page_one() -> None:
    spider = spider_for(camp_config())
    out = collect(spider.start())
    assert [(r.url, r.cb_kwargs) for r in out] == [(LISTING, {"page_number": 1})]
    assert all(r.errback == spider.on_error for r in out)


def test_a_listing_page_follows_its_next_link_and_sends_its_cards_to_their_detail_pages() -> None:
    spider = spider_for(camp_config())
    out = listing_page(spider, LISTING, 1)
    follow = next_page_requests(out, spider)
    assert [(r.url, r.cb_kwargs) for r in follow] == [(f"{LISTING}?page=2", {"page_number": 2})]
    details = detail_requests(out, spider)
    assert len(details) == 10 == stat(spider, "extract/detail_requests")
    for request in details:
        teaser = request.cb_kwargs["teaser"]
        assert isinstance(teaser, RawListing) and teaser.url == request.url
        assert teaser.fields["title"]
        assert request.dont_filter and request.errback == spider.on_error
    assert stat(spider, "pages/listing") == 1


def test_pagination_walks_the_pages_and_stops_where_there_is_no_next_link() -> None:
    spider = spider_for(camp_config())
    second = listing_page(spider, f"{LISTING}?page=2", 2)
    assert [r.url for r in next_page_requests(second, spider)] == [f"{LISTING}?page=3"]
    last = listing_page(spider, f"{LISTING}?page=3", 3)
    assert next_page_requests(last, spider) == []
    assert detail_requests(last, spider)  # the last page's cards are still followed
    assert stat(spider, "pagination/max_pages_reached") is None
    assert stat(spider, "pages/listing") == 2


def test_pagination_stops_at_max_pages() -> None:
    spider = spider_for(camp_config(pagination={"max_pages": 2}))
    assert next_page_requests(listing_page(spider, LISTING, 1), spider)
    out = listing_page(spider, f"{LISTING}?page=2", 2)
    assert next_page_requests(out, spider) == []  # page 2 links to page 3: not followed
    assert detail_requests(out, spider)
    # The extraction engine already proposes no next page at max_pages (only page 1 did).
    assert stat(spider, "extract/next_pages") == 1


def test_a_next_link_back_to_a_page_already_seen_is_not_followed() -> None:
    spider = spider_for(camp_config())
    listing_page(spider, f"{LISTING}?page=2", 2)
    # ?page=1 is the first page again, and its next link points at ?page=2, seen already.
    again = listing_page(spider, f"{LISTING}?page=1", 1)
    assert next_page_requests(again, spider) == []


def test_a_page_without_listings_ends_pagination_even_with_a_next_link() -> None:
    spider = spider_for(camp_config())
    url = f"{LISTING}?page=99"
    body = (
        b'<html><body><ul class="geodir-category-list-view"></ul>'
        b'<a class="next page-numbers" href="?page=100">Next</a></body></html>'
    )
    out = collect(spider.parse_listing(HtmlResponse(url, body=body, request=Request(url)), page_number=4))
    assert out == []
    assert stat(spider, "extract/next_pages") == 1
    assert stat(spider, "pagination/stopped_on_empty_page") == 1


def test_the_detail_budget_caps_detail_requests_and_the_rest_stay_teasers() -> None:
    spider = spider_for(camp_config(detail={"max_pages": 3}))
    out = listing_page(spider, LISTING, 1)
    assert len(detail_requests(out, spider)) == 3
    teasers = [x for x in out if isinstance(x, RawListing)]
    assert len(teasers) == 7 == stat(spider, "detail/budget_exhausted")
    assert all(t.fields["title"] for t in teasers)
    # The budget is for the whole crawl: the next page's cards all stay teasers.
    second = listing_page(spider, f"{LISTING}?page=2", 2)
    assert detail_requests(second, spider) == []
    assert stat(spider, "detail/budget_exhausted") == 7 + len(
        [x for x in second if isinstance(x, RawListing)]
    )


def test_a_detail_page_teased_twice_is_requested_once() -> None:
    spider = spider_for(camp_config())
    first = detail_requests(listing_page(spider, LISTING, 1), spider)
    # ?page=1 shows the same ten camps as /camps/.
    again = listing_page(spider, f"{LISTING}?page=1", 1)
    assert detail_requests(again, spider) == []
    assert stat(spider, "detail/duplicate_link") == len(first) == 10


def test_a_detail_page_completes_its_teaser() -> None:
    spider = spider_for(camp_config())
    request = detail_requests(listing_page(spider, LISTING, 1), spider)[0]
    teaser: RawListing = request.cb_kwargs["teaser"]
    out = collect(spider.parse_detail(page_response(SITE, request.url, request), teaser=teaser))
    assert len(out) == 1 and isinstance(out[0], RawListing)
    detailed = out[0]
    assert detailed.url == teaser.url
    assert detailed.fields.get("description") and not teaser.fields.get("description")
    assert stat(spider, "pages/detail") == 1
    assert stat(spider, "detail/fallback_to_teaser") is None


def test_a_detail_page_without_its_fields_still_gives_the_teasers_fields() -> None:
    spider = spider_for(camp_config())
    request = detail_requests(listing_page(spider, LISTING, 1), spider)[0]
    teaser: RawListing = request.cb_kwargs["teaser"]
    moved = HtmlResponse(request.url, body=b"<html><body><p>Moved.</p></body></html>", request=request)
    (listing,) = collect(spider.parse_detail(moved, teaser=teaser))
    assert listing.fields == teaser.fields
    assert listing.page_url == request.url


def test_an_empty_detail_page_falls_back_to_the_teaser() -> None:
    spider = spider_for(camp_config())
    request = detail_requests(listing_page(spider, LISTING, 1), spider)[0]
    teaser = request.cb_kwargs["teaser"]
    empty = HtmlResponse(request.url, body=b"  ", request=request)
    assert collect(spider.parse_detail(empty, teaser=teaser)) == [teaser]
    assert stat(spider, "extract/empty_page") == 1
    assert stat(spider, "detail/fallback_to_teaser") == 1


def test_a_detail_page_that_is_not_html_is_an_error_and_keeps_the_teaser() -> None:
    spider = spider_for(camp_config())
    request = detail_requests(listing_page(spider, LISTING, 1), spider)[0]
    teaser = request.cb_kwargs["teaser"]
    pdf = Response(
        request.url, body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}, request=request
    )
    assert collect(spider.parse_detail(pdf, teaser=teaser)) == [teaser]
    assert stat(spider, "errors/not_html") == 1 == stat(spider, "errors/total")
    assert stat(spider, "detail/fallback_to_teaser") == 1


class ErrorSignals:
    def __init__(self, spider: SourceSpider) -> None:
        self.received: list[dict[str, Any]] = []
        spider.crawler.signals.connect(self.receive, signal=crawl_error)

    def receive(self, **kwargs: Any) -> None:
        self.received.append({k: kwargs[k] for k in ("kind", "message", "url")})


def http_error(request: Request, status: int) -> Failure:
    response = HtmlResponse(request.url, status=status, body=b"", request=request)
    failure = Failure(HttpError(response, f"Ignoring non-200 response ({status})"))
    failure.request = request  # type: ignore[attr-defined]  # as Scrapy sets it on errbacks
    return failure


def test_an_error_on_a_detail_page_keeps_the_teaser_and_signals_the_error() -> None:
    spider = spider_for(camp_config())
    signals = ErrorSignals(spider)
    request = detail_requests(listing_page(spider, LISTING, 1), spider)[0]
    out = collect(spider.on_error(http_error(request, 404)))
    assert out == [request.cb_kwargs["teaser"]]
    assert stat(spider, "errors/http_404") == 1 == stat(spider, "errors/total")
    assert stat(spider, "detail/fallback_to_teaser") == 1
    assert signals.received == [{"kind": "http_404", "message": "HTTP 404", "url": request.url}]


def test_a_failed_listing_page_is_counted_by_exception_type_and_yields_nothing() -> None:
    spider = spider_for(camp_config())
    signals = ErrorSignals(spider)
    request = collect(spider.start())[0]
    failure = Failure(ConnectionRefusedError("connection refused"))
    failure.request = request  # type: ignore[attr-defined]
    assert collect(spider.on_error(failure)) == []
    assert stat(spider, "errors/ConnectionRefusedError") == 1
    assert stat(spider, "detail/fallback_to_teaser") is None
    assert [s["kind"] for s in signals.received] == ["ConnectionRefusedError"]


def test_from_crawler_applies_the_sources_settings_before_they_freeze() -> None:
    config = camp_config(pagination={"max_pages": 40})
    data = config.model_dump(mode="json")
    data["scraping_config"].update(
        {"rate_limit": {"requests_per_minute": 120, "concurrent_requests": 3}, "max_pages": 77, "timeout": 9}
    )
    config = SourceConfig.model_validate(data)
    # A crawler whose settings are not frozen yet: Crawler.crawl() creates its spider so.
    crawler = Crawler(SourceSpider, Settings({"TELNETCONSOLE_ENABLED": False}))
    spider = crawler._create_spider(config=config)
    assert isinstance(spider, SourceSpider) and spider.config is config
    settings = crawler.settings
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 3
    assert settings.getint("CLOSESPIDER_PAGECOUNT") == 77
    assert settings.getint("DOWNLOAD_TIMEOUT") == 9
    assert settings.getint("DEPTH_LIMIT") == 42
    assert settings.getpriority("CLOSESPIDER_PAGECOUNT") == settings.getpriority("DOWNLOAD_DELAY")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({}, "give -a source_id"), ({"source_id": "other", "config": None}, "does not match")],
)
def test_the_spider_refuses_to_start_without_a_matching_config(kwargs: dict[str, Any], message: str) -> None:
    from famact_crawler.spiders.source import ConfigError

    if "config" in kwargs:
        kwargs["config"] = camp_config()
    with pytest.raises(ConfigError, match=message):
        SourceSpider(**kwargs)
