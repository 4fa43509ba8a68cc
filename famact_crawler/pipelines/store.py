"""Write entities to DynamoDB in batches, and mark listings that vanished `inactive`.

Writes go through `ActivityStore.put_entities`, which skips entities whose `content_hash` is
unchanged, so a re-crawl of an unchanged source costs (almost) no write units. Batches are
written from a worker thread, so the crawl keeps fetching while DynamoDB answers.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from famact.keys import entity_pk
from famact.listing import fill_from_stored, merge_entities, venue_stub
from famact.models import EntityBase
from famact.store.rows import entity_from_row
from famact_crawler.pipelines.normalize import crawl_date

logger = logging.getLogger(__name__)
# A crawl with more failed requests than this share of its pages is not complete enough to
# conclude that a missing listing has vanished from the source.
MAX_ERROR_SHARE_FOR_VANISHED = 0.05
MAX_WRITES_IN_FLIGHT = 2


class StorePipeline:
    def __init__(self, crawler: Crawler, batch_size: int, mark_vanished: bool) -> None:
        from famact.store.activities import ActivityStore
        from famact.store.dynamo import connect
        from famact.store.sources import SourceStore

        tables = connect()
        self.crawler = crawler
        self.stats = crawler.stats
        self.activities = ActivityStore(tables)
        self.sources = SourceStore(tables)
        self.batch_size = batch_size
        self.mark_vanished = mark_vanished
        self.buffer: dict[str, EntityBase] = {}
        self.seen: set[str] = set()
        self.venues_done: set[str] = set()
        self.lock = threading.Lock()
        self.in_flight: list[asyncio.Future[None]] = []
        # One writer thread: batches are written in the order they were filled.
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="famact-store")
        self.today = crawl_date(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        if not crawler.settings.getbool("FAMACT_STORE_ENABLED", True):
            raise NotConfigured  # disabled on purpose: no warning in the log
        return cls(
            crawler,
            crawler.settings.getint("FAMACT_STORE_BATCH_SIZE", 100),
            crawler.settings.getbool("FAMACT_MARK_VANISHED", True),
        )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, EntityBase):
            return item
        pk = entity_pk(item.entity_type, item.entity_id)
        self.seen.add(pk)
        previous = self.buffer.get(pk)
        self.buffer[pk] = merge_entities(previous, item) if previous is not None else item
        if len(self.buffer) >= self.batch_size:
            batch, self.buffer = list(self.buffer.values()), {}
            # Write in the background so items keep flowing; wait only when more than
            # MAX_WRITES_IN_FLIGHT batches are queued (back-pressure), and for all at close.
            self.in_flight.append(asyncio.wrap_future(self.writer.submit(self._write, batch)))
            if len(self.in_flight) > MAX_WRITES_IN_FLIGHT:
                await self.in_flight.pop(0)
        return item

    def _write(self, batch: list[EntityBase]) -> None:
        with self.lock:
            batch = self._keep_stored_data(batch)
            result = self.activities.put_entities(batch)
            self.stats.inc_value("famact/store/new", len(result.new))
            self.stats.inc_value("famact/store/updated", len(result.updated))
            self.stats.inc_value("famact/store/unchanged", len(result.unchanged))
            if result.new:
                self.sources.link_entities(batch[0].source_id, result.new)
            stubs = {}
            for entity in batch:
                stub = venue_stub(entity)
                if stub is not None and stub.entity_id not in self.venues_done:
                    stubs[stub.entity_id] = stub
            if stubs:
                self.venues_done.update(stubs)
                created = self.activities.put_missing(list(stubs.values()))
                self.stats.inc_value("famact/store/venues_created", created)

    def _keep_stored_data(self, batch: list[EntityBase]) -> list[EntityBase]:
        """Fill what this crawl's pages left out from the stored entities, so a page that got
        worse (a failed detail page, a broken selector) never erases good stored data."""
        stored = self.activities.get_entities(entity_pk(e.entity_type, e.entity_id) for e in batch)
        if not stored:
            return batch
        filled = []
        for entity in batch:
            row = stored.get(entity_pk(entity.entity_type, entity.entity_id))
            if row is None:
                filled.append(entity)
                continue
            kept = fill_from_stored(entity, entity_from_row(row), today=self.today)
            if kept is not entity:
                self.stats.inc_value("famact/store/kept_stored_fields")
            filled.append(kept)
        return filled

    async def close_spider(self) -> None:
        if self.buffer:
            batch, self.buffer = list(self.buffer.values()), {}
            self.in_flight.append(asyncio.wrap_future(self.writer.submit(self._write, batch)))
        while self.in_flight:
            await self.in_flight.pop(0)  # a failed write raises here: the crawl reports it
        spider = self.crawler.spider
        reason = self.crawler.stats.get_value("finish_reason")
        if self.mark_vanished and spider is not None and self._crawl_complete(reason):
            source_id = str(getattr(spider, "source_id", spider.name))
            count = await asyncio.wrap_future(self.writer.submit(self._mark_vanished, source_id))
            self.stats.set_value("famact/store/inactive", count)
        self.writer.shutdown(wait=True)

    def _crawl_complete(self, reason: Any) -> bool:
        if reason not in (None, "finished"):
            return False
        pages = self.stats.get_value("response_received_count", 0) or 0
        errors = self.stats.get_value("famact/errors/total", 0) or 0
        return bool(self.seen) and pages > 0 and errors <= MAX_ERROR_SHARE_FOR_VANISHED * pages

    def _mark_vanished(self, source_id: str) -> int:
        with self.lock:
            linked = self.sources.linked_entities(source_id)
            vanished = sorted(linked - self.seen)
            if vanished:
                logger.info("%d listings of %s vanished: marking them inactive", len(vanished), source_id)
                return self.activities.mark_inactive(vanished)
            return 0
