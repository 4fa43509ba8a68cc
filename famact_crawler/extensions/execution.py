"""Execution tracking: one EXECUTION row per crawl and the source's daily METRICS row.

Spidermon-style: the crawl's Scrapy stats are the one source of truth; at close they are
summarised into an `Execution` (pages, items by type, new / updated / unchanged, errors,
field coverage, outcome). With the store enabled the summary is written to
scraping-operations; either way it is left on `spider.execution` for the CLI to print.
"""

from __future__ import annotations

import logging
import socket
import uuid
from datetime import datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from famact.constants import TIMEZONE, EntityType, ExecutionOutcome
from famact.models import RAW_FIELDS, Execution, ExecutionError
from famact.store.capacity import CONSUMED
from famact_crawler.spiders.source import crawl_error

logger = logging.getLogger(__name__)
MAX_ERROR_ROWS = 200
# A finished crawl is `partial` when more than this share of its requests failed (or any
# listing page did).
PARTIAL_ERROR_SHARE = 0.2


def _reactor() -> Any:
    """The installed Twisted reactor (imported late: Scrapy installs the one its settings name)."""
    from twisted.internet import reactor

    return reactor


def new_execution_id(source_id: str, started_at: datetime) -> str:
    return f"{source_id}-{started_at.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"


def summarize(stats: dict[str, Any], execution: Execution, finished_at: datetime, reason: str) -> Execution:
    """Pure: the execution row from a crawl's final stats."""
    pages = int(stats.get("response_received_count", 0))
    raw_items = int(stats.get("famact/items/raw", 0))
    # Distinct entities (a listing seen as teaser, row and detail page counts once).
    by_type = {t.value: int(stats.get(f"famact/entities/{t.value}", 0)) for t in EntityType}
    by_type = {k: v for k, v in by_type.items() if v}
    errors_by_kind = {
        key.removeprefix("famact/errors/"): int(value)
        for key, value in stats.items()
        if key.startswith("famact/errors/") and key != "famact/errors/total"
    }
    error_count = int(stats.get("famact/errors/total", 0)) + int(stats.get("spider_exceptions/count", 0) or 0)
    error_count += int(stats.get("famact/errors/pipeline", 0))
    coverage = {
        field: round(int(stats.get(f"famact/coverage/{field}", 0)) / raw_items, 3)
        for field in RAW_FIELDS
        if raw_items and stats.get(f"famact/coverage/{field}")
    }
    items = sum(by_type.values())
    if reason not in ("finished", "closespider_pagecount") or pages == 0:
        outcome = ExecutionOutcome.FAILED
    elif (
        items == 0
        or error_count > PARTIAL_ERROR_SHARE * max(pages, 1)
        or int(stats.get("famact/listing_pages/failed", 0))  # a whole page of listings unseen
    ):
        outcome = ExecutionOutcome.PARTIAL
    else:
        outcome = ExecutionOutcome.SUCCESS
    return execution.model_copy(
        update={
            "finished_at": finished_at,
            "duration_s": round((finished_at - execution.started_at).total_seconds(), 3),
            "outcome": outcome,
            "finish_reason": reason,
            "pages_crawled": pages,
            "items_scraped": items,
            "items_by_type": by_type,
            "new_count": int(stats.get("famact/store/new", 0)),
            "updated_count": int(stats.get("famact/store/updated", 0)),
            "unchanged_count": int(stats.get("famact/store/unchanged", 0)),
            "inactive_count": int(stats.get("famact/store/inactive", 0)),
            "dropped_count": int(stats.get("item_dropped_count", 0)),
            "error_count": error_count,
            "errors_by_kind": errors_by_kind,
            "field_coverage": coverage,
        }
    )


class ExecutionTracker:
    def __init__(self, crawler: Crawler, store_enabled: bool) -> None:
        self.crawler = crawler
        self.store = None
        if store_enabled:
            from famact.store.dynamo import connect
            from famact.store.operations import OperationsStore

            self.store = OperationsStore(connect())
        self.execution: Execution | None = None
        self.errors: list[ExecutionError] = []
        self.units_at_open = CONSUMED.total()
        self._shutdown_trigger: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExecutionTracker:
        if not crawler.settings.getbool("FAMACT_TRACK_EXECUTIONS", True):
            raise NotConfigured  # disabled on purpose: no warning in the log
        ext = cls(crawler, crawler.settings.getbool("FAMACT_STORE_ENABLED", True))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.on_crawl_error, signal=crawl_error)
        crawler.signals.connect(ext.on_item_error, signal=signals.item_error)
        return ext

    def spider_opened(self, spider: Any) -> None:
        started = datetime.now(TIMEZONE)
        config = getattr(spider, "config", None)
        source_id = getattr(spider, "source_id", spider.name)
        execution_id = getattr(spider, "execution_id", None) or new_execution_id(source_id, started)
        spider.execution_id = execution_id
        self.units_at_open = CONSUMED.total()
        self.execution = Execution(
            execution_id=execution_id,
            source_id=source_id,
            started_at=started,
            config_version=config.version if config is not None else None,
            node=socket.gethostname()[:100],
        )
        spider.execution = self.execution
        if self.store is not None:
            self.store.start_execution(self.execution)
        # A shutdown (SIGTERM, Ctrl-C) that lands after this point but before the engine runs
        # stops the reactor without closing the spider: close the execution then, so its row
        # says "shutdown" instead of staying open.
        self._shutdown_trigger = _reactor().addSystemEventTrigger(
            "before", "shutdown", self.close_unfinished, spider
        )

    def close_unfinished(self, spider: Any, reason: str = "shutdown") -> None:
        """Finish an execution the spider never closed (a no-op once it has closed)."""
        self._shutdown_trigger = None  # it is firing, or no longer wanted
        if self.execution is not None and self.execution.finished_at is None:
            self.spider_closed(spider, reason)

    def on_crawl_error(self, spider: Any, kind: str, message: str, url: str | None) -> None:
        self._add_error(kind, message, url)

    def on_item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        self.crawler.stats.inc_value("famact/errors/pipeline")
        self._add_error(
            "pipeline", f"{failure.type.__name__}: {failure.value}"[:500], getattr(response, "url", None)
        )

    def _add_error(self, kind: str, message: str, url: str | None) -> None:
        if self.execution is None or len(self.errors) >= MAX_ERROR_ROWS:
            return
        self.errors.append(
            ExecutionError(
                execution_id=self.execution.execution_id,
                n=len(self.errors) + 1,
                kind=kind[:60],
                message=message[:2000],
                url=url[:2048] if url else None,
                at=datetime.now(TIMEZONE),
            )
        )

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._shutdown_trigger is not None:
            _reactor().removeSystemEventTrigger(self._shutdown_trigger)
            self._shutdown_trigger = None
        if self.execution is None:
            return
        stats = self.crawler.stats.get_stats()
        self.execution = summarize(stats, self.execution, datetime.now(TIMEZONE), reason)
        used = CONSUMED.total() - self.units_at_open
        self.execution = self.execution.model_copy(
            update={"read_units": round(used.read, 1), "write_units": round(used.write, 1)}
        )
        spider.execution = self.execution
        logger.info(
            "execution %s: %s, %d pages, %d items %s, %d errors",
            self.execution.execution_id,
            self.execution.outcome.value,
            self.execution.pages_crawled,
            self.execution.items_scraped,
            self.execution.items_by_type,
            self.execution.error_count,
        )
        if self.store is not None:
            for error in self.errors:
                self.store.add_error(error)
            self.store.finish_execution(self.execution)
            self.store.record_execution_metrics(self.execution)
