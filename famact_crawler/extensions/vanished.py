"""Mark the listings that vanished from a source `inactive`, only after a complete crawl.

The city-scrapers diff step, made safe: a listing the source produced before (an `ENTITY#`
link row) and that this crawl did not see is marked inactive, never deleted. The decision
needs the crawl's finish reason, which exists only when `spider_closed` fires (after the item
pipelines have closed), so this is an extension on that signal rather than a pipeline step.
It is listed before `ExecutionTracker` in EXTENSIONS: both handlers are synchronous, signal
receivers run in the order they were connected, so the execution row sees the count.

A crawl is complete only when it finished on its own ("finished": not a page cap
`closespider_*`, a `shutdown` or a cancel), saw pages and listings, read every listing page
(one that failed or robots.txt refused would make all its listings look vanished), had few
failed requests, no failed store writes, and found at least half as many listings as the
source's last complete crawl. A persistent drop is confirmed by the next crawl, which compares with this one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from famact.constants import ExecutionOutcome
from famact.keys import entity_pk
from famact.models import EntityBase, Execution

logger = logging.getLogger(__name__)

# More failed requests than this share of the pages: too incomplete to conclude anything.
MAX_ERROR_SHARE = 0.05
# Fewer listings than this share of the last complete crawl's: refuse (a broken page, a
# half-served site); the next crawl confirms a real drop against this one.
MIN_SHARE_OF_LAST_COMPLETE = 0.5
HISTORY_LIMIT = 10


@dataclass(frozen=True)
class CrawlFacts:
    """What the decision needs, taken from the crawl's stats."""

    reason: str
    pages: int
    failed_requests: int
    failed_writes: int
    listings_seen: int
    failed_listing_pages: int = 0


def facts_from_stats(stats: dict[str, Any], reason: str, listings_seen: int) -> CrawlFacts:
    return CrawlFacts(
        reason=reason,
        pages=int(stats.get("response_received_count", 0) or 0),
        failed_requests=int(stats.get("famact/errors/total", 0) or 0),
        failed_writes=int(stats.get("famact/store/failed_batches", 0) or 0)
        + int(stats.get("famact/errors/pipeline", 0) or 0),
        listings_seen=listings_seen,
        failed_listing_pages=int(stats.get("famact/listing_pages/failed", 0) or 0),
    )


def last_complete(executions: list[Execution], current_id: str | None) -> Execution | None:
    """The source's most recent earlier crawl that finished on its own with listings."""
    finished = [
        e
        for e in executions
        if e.execution_id != current_id
        and e.finished_at is not None
        and e.finish_reason == "finished"
        and e.outcome is not ExecutionOutcome.FAILED
        and e.items_scraped > 0
    ]
    return max(finished, key=lambda e: e.started_at, default=None)


def refusal(facts: CrawlFacts, previous: Execution | None) -> str | None:
    """Why this crawl must not mark anything vanished, or None when it may. Pure."""
    if facts.reason != "finished":
        return f"the crawl ended early ({facts.reason})"
    if facts.pages == 0:
        return "the crawl fetched no pages"
    if facts.listings_seen == 0:
        return "the crawl found no listings"
    if facts.failed_listing_pages:
        # Every listing of an unread listing page would look vanished, however few failed.
        return f"{facts.failed_listing_pages} listing page(s) could not be read"
    if facts.failed_requests > MAX_ERROR_SHARE * facts.pages:
        return f"{facts.failed_requests} failed requests in {facts.pages} pages"
    if facts.failed_writes:
        return f"{facts.failed_writes} store writes failed"
    if previous is not None and facts.listings_seen < MIN_SHARE_OF_LAST_COMPLETE * previous.items_scraped:
        return (
            f"found {facts.listings_seen} listings, far fewer than the {previous.items_scraped} "
            f"of the last complete crawl ({previous.execution_id})"
        )
    return None


class VanishedListings:
    def __init__(self, crawler: Crawler) -> None:
        from famact.store.activities import ActivityStore
        from famact.store.dynamo import connect
        from famact.store.operations import OperationsStore
        from famact.store.sources import SourceStore

        tables = connect()
        self.stats = crawler.stats
        self.activities = ActivityStore(tables)
        self.sources = SourceStore(tables)
        self.operations = OperationsStore(tables)
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VanishedListings:
        settings = crawler.settings
        if not (
            settings.getbool("FAMACT_STORE_ENABLED", True) and settings.getbool("FAMACT_MARK_VANISHED", True)
        ):
            raise NotConfigured  # nothing is stored, or marking is off: nothing to reconcile
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_scraped(self, item: Any) -> None:
        # Only items that passed every pipeline (the store included) count as seen.
        if isinstance(item, EntityBase):
            self.seen.add(entity_pk(item.entity_type, item.entity_id))

    def spider_closed(self, spider: Any, reason: str) -> None:
        source_id = str(getattr(spider, "source_id", spider.name))
        facts = facts_from_stats(self.stats.get_stats(), reason, len(self.seen))
        previous = None
        if facts.reason == "finished":
            history = self.operations.list_executions(source_id, limit=HISTORY_LIMIT)
            previous = last_complete(history, getattr(spider, "execution_id", None))
        why_not = refusal(facts, previous)
        if why_not is not None:
            logger.info("not marking vanished listings of %s: %s", source_id, why_not)
            self.stats.set_value("famact/vanished/refused", why_not)
            return
        vanished = sorted(self.sources.linked_entities(source_id) - self.seen)
        count = self.activities.mark_inactive(vanished) if vanished else 0
        if count:
            logger.info("%d listings of %s vanished: marked inactive", count, source_id)
        self.stats.set_value("famact/store/inactive", count)
