"""Classify normalized listings into VENUE / EVENT / PROGRAM / ATTRACTION and build the entity.

The work is `famact.listing.classify_listing`, the last step of the listing path the analyzer
runs too: the rules mixed with the trained model, told the page context (famact.classify,
the listing's page role from the extractor, the config's source type and defaults); for low-confidence
listings an LLM second opinion when OPENAI_API_KEY is set; a source's `defaults.entity_type`
decides only when both are unsure. This stage counts types and methods and hands on.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from famact.classify import DEFAULT_THRESHOLD, SecondOpinion
from famact.listing import Dropped, NormalizedListing, classify_listing
from famact.second_opinion import second_opinion_from_settings

logger = logging.getLogger(__name__)


class ClassifyPipeline:
    def __init__(self, crawler: Crawler, second_opinion: SecondOpinion | None) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.second_opinion = second_opinion

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClassifyPipeline:
        enabled = crawler.settings.getbool("FAMACT_LLM_SECOND_OPINION", True)
        return cls(crawler, second_opinion_from_settings(enabled))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, NormalizedListing):
            return item
        config = getattr(self.crawler.spider, "config", None)
        entity = classify_listing(
            item,
            defaults=config.defaults if config is not None else None,
            second_opinion=self.second_opinion,
            source_type=config.source_type if config is not None else None,
        )
        if isinstance(entity, Dropped):
            for key in entity.stat_keys:
                self.stats.inc_value(key)
            logger.warning("listing from %s dropped: %s", item.raw.page_url, entity.detail)
            raise DropItem(entity.detail)
        classification = entity.classification
        self.stats.inc_value(f"famact/items/{entity.entity_type.value}")
        if classification is not None:
            self.stats.inc_value(f"famact/classify/{classification.method.value}")
            if classification.confidence < DEFAULT_THRESHOLD:
                self.stats.inc_value("famact/classify/low_confidence")
        return entity
