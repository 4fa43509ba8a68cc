"""Normalize raw listings: dates, times, ages, prices, places and status (famact.normalize).

The work is `famact.listing.normalize_or_drop`, a step of the listing path the analyzer runs
too; this stage counts what could not be read and hands the listing on.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from famact.listing import Dropped, normalize_or_drop
from famact.models import RawListing
from famact.settings import crawl_today


def crawl_date(crawler: Crawler) -> date:
    """The crawl's "today": the FAMACT_TODAY setting or environment, else today in Seattle."""
    return crawl_today(crawler.settings.get("FAMACT_TODAY"))


class NormalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.today = crawl_date(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawListing):
            return item
        config = getattr(self.crawler.spider, "config", None)
        defaults = config.defaults if config is not None else None
        listing = normalize_or_drop(item, today=self.today, defaults=defaults)
        if isinstance(listing, Dropped):
            for key in listing.stat_keys:
                self.stats.inc_value(key)
            raise DropItem(listing.detail)
        if not listing.when.parsed and (item.fields.get("date") or item.fields.get("schedule")):
            self.stats.inc_value("famact/normalize/unparsed_date")
        if not listing.ages.parsed and item.fields.get("ages"):
            self.stats.inc_value("famact/normalize/unparsed_ages")
        if listing.pricing is None and item.fields.get("price"):
            self.stats.inc_value("famact/normalize/unparsed_price")
        return listing
