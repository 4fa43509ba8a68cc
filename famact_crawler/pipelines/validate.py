"""Validate raw listings: required fields, per-field coverage, out-of-scope drops (T7)."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from famact.classify import ClassifierInput, out_of_scope_reason
from famact.models import RAW_FIELDS, RawListing
from famact.normalize.text import clean_text


class ValidatePipeline:
    """Drops listings with no title and listings that are not activities (memberships, gift
    cards, ads...), and records which fields each listing carried (field coverage)."""

    def __init__(self, crawler: Crawler) -> None:
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
        title = clean_text(item.fields.get("title"))
        if not title:
            self.stats.inc_value("famact/dropped/no_title")
            raise DropItem(f"title: missing on listing from {item.page_url}")
        reason = out_of_scope_reason(
            ClassifierInput(
                title=title,
                description=clean_text(item.fields.get("description")),
                price_text=clean_text(item.fields.get("price")),
                url=item.url,
                site_label=clean_text(item.fields.get("type")),
            )
        )
        if reason:
            self.stats.inc_value("famact/dropped/out_of_scope")
            self.stats.inc_value(f"famact/dropped/out_of_scope/{reason}")
            raise DropItem(f"out of scope ({reason}): {title!r}")
        return item
