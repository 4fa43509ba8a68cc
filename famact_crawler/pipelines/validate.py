"""Validate raw listings: required fields, the source's title filter, per-field coverage,
out-of-scope drops (T7).

The checks are `famact.listing.screen_listing`, the first step of the listing path the
analyzer runs too; this stage only counts what it sees and drops what the step drops.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from famact.listing import screen_listing
from famact.models import RAW_FIELDS, RawListing
from famact.normalize.text import clean_text


class ValidatePipeline:
    """Drops listings with no title and listings that are not activities (memberships, gift
    cards, ads...), and records which fields each listing carried (field coverage)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawListing):
            return item
        self.stats.inc_value("famact/items/raw")
        for field in RAW_FIELDS:
            if clean_text(item.fields.get(field)):
                self.stats.inc_value(f"famact/coverage/{field}")
        config = getattr(getattr(self.crawler, "spider", None), "config", None)
        dropped = screen_listing(item, config.title_filter if config is not None else None)
        if dropped is not None:
            for key in dropped.stat_keys:
                self.stats.inc_value(key)
            raise DropItem(dropped.detail)
        return item
