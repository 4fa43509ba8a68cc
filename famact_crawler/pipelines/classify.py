"""Classify normalized listings into VENUE / EVENT / PROGRAM / ATTRACTION and build the entity.

Rules first (famact.classify, docs/classification-rules.md); for low-confidence listings an
LLM second opinion when OPENAI_API_KEY is set. A source's `defaults.entity_type` is a hint
that decides only when the rules are unsure.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from famact.classify import ClassificationResult, SecondOpinion, categorize, classify
from famact.constants import ClassificationMethod
from famact.listing import NormalizedListing, build_entity, classifier_input
from famact.settings import get_settings

logger = logging.getLogger(__name__)
HINT_THRESHOLD = 0.6


def second_opinion_from_settings(enabled: bool) -> SecondOpinion | None:
    if not enabled or not get_settings().openai_api_key:
        return None
    # Imported lazily: the crawler needs the analyzer's LLM client only when a key is set.
    from analyzers.llm import LLMClient, LLMSecondOpinion, TokenBudget

    client = LLMClient.from_settings(get_settings())
    if client is None:
        return None
    return LLMSecondOpinion(client, TokenBudget(limit=20_000))


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
        listing_input = classifier_input(item)
        result = classify(listing_input, second_opinion=self.second_opinion, threshold=HINT_THRESHOLD)
        config = getattr(self.crawler.spider, "config", None)
        hint = config.defaults.entity_type if config is not None else None
        if hint is not None and result.confidence < HINT_THRESHOLD and result.entity_type is not hint:
            result = ClassificationResult(
                entity_type=hint,
                confidence=HINT_THRESHOLD,
                method=ClassificationMethod.CONFIG_HINT,
                reasons=(*result.reasons, f"config-hint:{hint.value}"),
            )
        category = (config.defaults.category if config is not None else None) or categorize(
            listing_input, result.entity_type
        )
        try:
            entity = build_entity(item, result, category)
        except ValueError as exc:  # pydantic ValidationError is a ValueError
            self.stats.inc_value("famact/dropped/invalid_entity")
            logger.warning("listing %r from %s is not a valid entity: %s", item.name, item.raw.page_url, exc)
            raise DropItem(f"invalid entity {item.name!r}: {exc}") from exc
        self.stats.inc_value(f"famact/items/{entity.entity_type.value}")
        self.stats.inc_value(f"famact/classify/{result.method.value}")
        if result.confidence < HINT_THRESHOLD:
            self.stats.inc_value("famact/classify/low_confidence")
        return entity
