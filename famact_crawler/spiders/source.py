"""The one parameterized spider: `scrapy crawl source -a source_id=ID`.

Its behaviour is data: the source's `SourceConfig` (from source-management, a JSON file with
`-a config_file=PATH`, or an object passed by `famact crawl`). Listing pages, detail pages
and pagination are all driven by the config through the shared extraction engine in
`famact_crawler.extract`, the same code the analyzer runs when it tests a proposed config.
A data feed (`kind` ics, rss or json_api) is read by `extract.feeds` instead: no HTML, no
links to follow, only a JSON API's next page; its listings go through the same pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

from famact.config_file import ConfigError, load_config_file
from famact.constants import SourceKind
from famact.feeds import FeedError
from famact.models import RawListing, SourceConfig
from famact.settings import crawl_today
from famact_crawler.browser import browser_meta, browser_settings
from famact_crawler.extract.engine import PageExtraction, extract_detail, extract_page
from famact_crawler.extract.feeds import extract_feed

STAT_PREFIX = "famact"


def load_config_from_store(source_id: str) -> SourceConfig:
    from famact.store.dynamo import connect
    from famact.store.sources import SourceStore

    config = SourceStore(connect()).get_config(source_id)
    if config is None:
        raise ConfigError(f"source_id: {source_id!r} has no approved config (approve it first)")
    return config


def source_settings(config: SourceConfig) -> dict[str, Any]:
    """Per-source Scrapy settings from the config's scraping_config."""
    sc = config.scraping_config
    delay = 60.0 / sc.rate_limit.requests_per_minute
    settings: dict[str, Any] = {
        "ROBOTSTXT_OBEY": sc.respect_robots_txt,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.01),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(sc.rate_limit.concurrent_requests),
        "CONCURRENT_REQUESTS_PER_DOMAIN": sc.rate_limit.concurrent_requests,
        "DOWNLOAD_TIMEOUT": sc.timeout,
        "RETRY_TIMES": sc.max_retries,
        "CLOSESPIDER_PAGECOUNT": sc.max_pages,
        # Depth = listing page number (+1 for its detail pages): a long paginated list must
        # not be cut silently by the project-wide default.
        "DEPTH_LIMIT": max(25, _max_listing_pages(config) + 2),
    }
    if sc.user_agent:
        settings["USER_AGENT"] = sc.user_agent
    if config.render.value == "browser":
        settings.update(browser_settings(config))
    return settings


def _max_listing_pages(config: SourceConfig) -> int:
    if config.kind is not SourceKind.HTML:
        return config.feed.max_pages if config.feed else 1
    pagination = config.listing.pagination if config.listing else None
    return pagination.max_pages if pagination else 1


class SourceSpider(scrapy.Spider):
    name = "source"

    def __init__(
        self,
        source_id: str | None = None,
        config_file: str | None = None,
        config: SourceConfig | None = None,
        execution_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if config is None:
            if config_file:
                config = load_config_file(config_file)
            elif source_id:
                config = load_config_from_store(source_id)
            else:
                raise ConfigError("give -a source_id=ID or -a config_file=PATH")
        if source_id and source_id != config.source_id:
            raise ConfigError(f"source_id: {source_id!r} does not match the config's {config.source_id!r}")
        self.config: SourceConfig = config
        self.source_id = config.source_id
        self.execution_id = execution_id
        self.allowed_domains = list(config.allowed_domains)
        self._rendered_pages = 0
        self._detail_pages = 0
        self._listing_pages_seen: set[str] = set()
        self._detail_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider: SourceSpider = super().from_crawler(crawler, *args, **kwargs)
        # Settings are still mutable here: they freeze after the spider is created.
        for key, value in source_settings(spider.config).items():
            crawler.settings.set(key, value, priority="spider")
        return spider

    # -- requests -------------------------------------------------------------------------

    def _request(
        self, url: str, callback: Any, *, dont_filter: bool = False, **cb_kwargs: Any
    ) -> scrapy.Request:
        meta: dict[str, Any] = {}
        if self.config.render.value == "browser":
            detail = callback == self.parse_detail
            meta.update(browser_meta(self.config, self._rendered_pages, detail=detail))
            self._rendered_pages += 1
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            cb_kwargs=cb_kwargs,
            meta=meta,
            dont_filter=dont_filter,
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        callback = self.parse_listing if self.config.kind is SourceKind.HTML else self.parse_feed
        for url in self.config.target_urls:
            yield self._request(url, callback, page_number=1)

    # -- callbacks ------------------------------------------------------------------------

    async def parse_listing(self, response: Response, page_number: int) -> AsyncIterator[Any]:
        self._count("pages/listing")
        self._listing_pages_seen.add(response.url)
        extraction = await self._extract(response, extract_page, page_number=page_number)
        if extraction is None:
            return
        for listing in extraction.listings:
            yield listing
        detail_budget = self.config.detail.max_pages if self.config.detail else 0
        for url, teaser in extraction.detail_requests:
            if url in self._detail_urls:
                self._count("detail/duplicate_link")  # the same listing teased twice
                continue
            if self._detail_pages >= detail_budget:
                self._count("detail/budget_exhausted")
                yield teaser
                continue
            self._detail_pages += 1
            self._detail_urls.add(url)
            # De-duplicated here rather than by the dupefilter, which drops a request
            # silently (a redirect back to itself) and would lose the teaser; this way every
            # failure reaches on_error, which keeps the teaser.
            yield self._request(url, self.parse_detail, dont_filter=True, teaser=teaser)
        # Calendar-trap guard: an empty page ends pagination, and so does max_pages (the engine
        # proposes no next page past it, counted as extract/pagination_max_pages_reached).
        found = len(extraction.listings) + len(extraction.detail_requests)
        if found == 0:
            if extraction.next_pages:
                self._count("pagination/stopped_on_empty_page")
            return
        for url in extraction.next_pages[:1]:
            if url not in self._listing_pages_seen:
                yield self._request(url, self.parse_listing, page_number=page_number + 1)

    async def parse_feed(self, response: Response, page_number: int) -> AsyncIterator[Any]:
        """A feed page: its records are the listings; a JSON API may name a next page,
        followed up to `feed.max_pages` and never twice."""
        self._count("pages/feed")
        self._listing_pages_seen.add(response.url)
        try:
            extraction = extract_feed(
                response, self.config, crawl_today(self.crawler.settings.get("FAMACT_TODAY"))
            )
        except FeedError as exc:
            # Nothing read from this feed: counted as a listing page failed, so the vanished
            # check does not take its listings for gone.
            self._count("listing_pages/failed")
            self._record_error("feed_error", str(exc), response.url)
            return
        for key, count in extraction.stats.items():
            self._count(f"extract/{key}", count)
        if extraction.stats["feed_skipped_over_max_items"]:
            self.logger.warning(
                "%s: feed has more records than feed.max_items; %d left out",
                response.url,
                extraction.stats["feed_skipped_over_max_items"],
            )
        for listing in extraction.listings:
            yield listing
        max_pages = self.config.feed.max_pages if self.config.feed else 1
        if not extraction.listings or page_number >= max_pages:
            return
        for url in self._feed_next_pages(response.url, extraction, page_number):
            if url not in self._listing_pages_seen:
                yield self._request(url, self.parse_feed, page_number=page_number + 1)

    def _feed_next_pages(self, url: str, extraction: PageExtraction, page_number: int) -> list[str]:
        """The next page: the feed's own `next` link, else the `page_param` counted up."""
        if extraction.next_pages:
            return extraction.next_pages[:1]
        param = self.config.feed.page_param if self.config.feed else None
        if not param:
            return []
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
        query.append((param, str(page_number + 1)))
        return [urlunsplit(parts._replace(query=urlencode(query)))]

    async def parse_detail(self, response: Response, teaser: RawListing) -> AsyncIterator[Any]:
        self._count("pages/detail")
        extraction = await self._extract(response, extract_detail, teaser=teaser)
        if extraction is None or not extraction.listings:
            # The detail page gave nothing usable: the teaser is still a listing.
            self._count("detail/fallback_to_teaser")
            yield teaser
            return
        for listing in extraction.listings:
            yield listing

    async def _extract(self, response: Response, extract: Any, **kwargs: Any) -> PageExtraction | None:
        page = response.meta.get("playwright_page")
        try:
            if not hasattr(response, "text"):
                self._record_error(
                    "not_html", f"not an HTML page ({response.headers.get('Content-Type')!r})", response.url
                )
                return None
            if page is None and not response.meta.get("playwright"):
                # The raw bytes, so the engine decides the encoding (a page's charset label can
                # lie: see extract.engine.decode_bytes); a rendered page is already text.
                header = response.headers.get(b"Content-Type")
                encoding = http_content_type_encoding(header.decode("latin-1")) if header else None
                kwargs["encoding"] = encoding
                markup: str | bytes = response.body
            else:
                markup = response.text
            extraction: PageExtraction = extract(markup, response.url, self.config, **kwargs)
        finally:
            if page is not None:
                await self._close_page(page, response.meta.get("famact_context_last_page", False))
        for key, count in extraction.stats.items():
            self._count(f"extract/{key}", count)
        if extraction.stats["jsonld_malformed"]:
            self.logger.warning(
                "%s: %d JSON-LD block(s) not valid JSON, skipped (the rest of the page is extracted)",
                response.url,
                extraction.stats["jsonld_malformed"],
            )
        return extraction

    async def _close_page(self, page: Any, retire_context: bool) -> None:
        context = page.context
        await page.close()
        if retire_context:
            # A bounded number of pages per context: memory stays flat on long crawls.
            await context.close()

    # -- errors ---------------------------------------------------------------------------

    async def on_error(self, failure: Failure) -> AsyncIterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        page = request.meta.get("playwright_page")
        if page is not None:
            await self._close_page(page, False)
        if request.callback in (self.parse_listing, self.parse_feed):
            # A listing page not read: the crawl did not see all of the source (vanished.py).
            self._count("listing_pages/failed")
        if isinstance(failure.value, HttpError):
            status = failure.value.response.status
            self._record_error(f"http_{status}", f"HTTP {status}", request.url)
        else:
            self._record_error(error_kind(failure), str(failure.value)[:300], request.url)
        teaser = request.cb_kwargs.get("teaser")
        if teaser is not None:
            # A dead detail page does not lose the listing its teaser already described.
            self._count("detail/fallback_to_teaser")
            yield teaser

    def _record_error(self, kind: str, message: str, url: str | None) -> None:
        self._count("errors/total")
        self._count(f"errors/{kind}")
        self.crawler.signals.send_catch_log(
            signal=crawl_error, spider=self, kind=kind, message=message, url=url
        )
        self.logger.warning("%s: %s (%s)", kind, message, url)

    def _count(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"{STAT_PREFIX}/{key}", count)


# Sent for every failed request or unusable page: the execution tracker stores ERROR rows.
crawl_error = object()


def error_kind(failure: Failure) -> str:
    """The ERROR row's kind: the exception's class name, or what Scrapy's generic exceptions
    mean here: a refusal by robots.txt, and a cancelled download, which Scrapy's HTTP handler
    does only for a body over DOWNLOAD_MAXSIZE (announced by Content-Length or received so far;
    the log line before says which)."""
    value = failure.value
    if isinstance(value, IgnoreRequest) and "robots.txt" in str(value):
        return "robots_txt"
    if isinstance(value, DownloadCancelledError):
        return "too_large"
    return failure.type.__name__ if failure.type else "error"
