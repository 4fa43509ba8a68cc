"""Build crawl components the way Scrapy's own tests do, without a reactor or a server.

`scrapy.utils.test.get_crawler` gives a configured `Crawler` (settings, stats, signals); a
component is made from it with `build_from_crawler`, so its `from_crawler` runs as in a crawl.
Spider callbacks are fed `HtmlResponse`s made from the fixture sites' saved pages, mapped from
URL to file exactly as the fixture server maps them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from famact.classify import ClassificationResult
from famact.constants import Category, ClassificationMethod, EntityType
from famact.listing import build_entity, normalize_listing
from famact.models import EntityBase, RawListing, SourceConfig, SourceDefaults
from famact_crawler.spiders.source import SourceSpider
from tests.support.site_server import SITE_HOST_TOKEN, Site, resolve_page

HOST = "fixture.test"
BASE = f"http://{HOST}"
TODAY = date(2026, 11, 24)
PAGE = f"{BASE}/events/"


def crawler_with_spider(
    config: SourceConfig | None = None, settings: dict[str, Any] | None = None
) -> Crawler:
    """A crawler whose `spider` is a SourceSpider running `config` (as during a crawl)."""
    crawler = get_crawler(SourceSpider, settings)
    if config is not None:
        # Settings are frozen by get_crawler; the per-source settings are tested separately.
        spider = SourceSpider(config=config)
        spider._set_crawler(crawler)
        crawler.spider = spider
    return crawler


def page_response(site: Site, url: str, request: Request | None = None) -> HtmlResponse:
    """The fixture page the site's server would answer `url` with (SITE_BASE -> HOST)."""
    parts = urlsplit(url)
    path = resolve_page(site.pages_dir, parts.path, parts.query)
    if path is None:
        raise FileNotFoundError(f"{site.name} has no page for {url}")
    body = path.read_bytes().replace(SITE_HOST_TOKEN, HOST.encode())
    return HtmlResponse(url, body=body, encoding="utf-8", request=request or Request(url))


def collect(results: AsyncIterator[Any]) -> list[Any]:
    """Everything an async callback yields."""

    async def run() -> list[Any]:
        return [x async for x in results]

    return asyncio.run(run())


def raw(source_id: str = "src", url: str | None = None, **fields: str) -> RawListing:
    return RawListing(source_id=source_id, page_url=PAGE, url=url, fields=fields)


def entity(entity_type: EntityType = EntityType.EVENT, url: str | None = None, **fields: str) -> EntityBase:
    """An entity built by the same code the pipelines run, from a raw listing's fields."""
    listing = normalize_listing(raw(url=url, **fields), today=TODAY, defaults=SourceDefaults(city="seattle"))
    verdict = ClassificationResult(entity_type, 0.9, ClassificationMethod.RULES, ())
    return build_entity(listing, verdict, Category.FREE_COMMUNITY)
