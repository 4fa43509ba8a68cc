"""Write entities to DynamoDB in batches.

Writes go through `ActivityStore.put_entities`, which skips entities whose `content_hash` is
unchanged, so a re-crawl of an unchanged source costs (almost) no write units. Batches are
written from a worker thread, so the crawl keeps fetching while DynamoDB answers. Marking
listings that vanished from the source is not done here: it needs the crawl's finish reason,
known only after the pipelines close (see `famact_crawler.extensions.vanished`).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

from famact.keys import entity_pk
from famact.listing import fill_from_stored, merge_entities, venue_stub
from famact.models import EntityBase
from famact.store.rows import entity_from_row
from famact_crawler.pipelines.normalize import crawl_date

logger = logging.getLogger(__name__)
MAX_WRITES_IN_FLIGHT = 2
# DynamoDB out of reach (a restart, a network blip): botocore's own retries give up within
# seconds, so a batch is written again, whole, for up to FAMACT_STORE_OUTAGE_WAIT_S (every step
# of a batch write is idempotent: puts, link rows, conditional venue stubs).
OUTAGE_ERRORS = (EndpointConnectionError, ConnectionClosedError, ConnectTimeoutError, ReadTimeoutError)


class StorePipeline:
    def __init__(self, crawler: Crawler, batch_size: int, outage_wait_s: float = 60.0) -> None:
        from famact.store.activities import ActivityStore
        from famact.store.dynamo import connect
        from famact.store.sources import SourceStore

        tables = connect()
        self.retries = tables.retries
        self.crawler = crawler
        self.stats = crawler.stats
        self.activities = ActivityStore(tables)
        self.sources = SourceStore(tables)
        self.batch_size = batch_size
        self.outage_wait_s = outage_wait_s
        self.buffer: dict[str, EntityBase] = {}
        self.venues_done: set[str] = set()
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
            crawler.settings.getfloat("FAMACT_STORE_OUTAGE_WAIT_S", 60.0),
        )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, EntityBase):
            return item
        pk = entity_pk(item.entity_type, item.entity_id)
        previous = self.buffer.get(pk)
        self.buffer[pk] = merge_entities(previous, item, today=self.today) if previous is not None else item
        if len(self.buffer) >= self.batch_size:
            batch, self.buffer = list(self.buffer.values()), {}
            # Write in the background so items keep flowing; wait only when more than
            # MAX_WRITES_IN_FLIGHT batches are queued (back-pressure), and for all at close.
            self.in_flight.append(asyncio.wrap_future(self.writer.submit(self._write_through_outages, batch)))
            if len(self.in_flight) > MAX_WRITES_IN_FLIGHT:
                await self._wait(self.in_flight.pop(0))
        return item

    async def _wait(self, write: asyncio.Future[None]) -> None:
        try:
            await write
        except Exception:
            # Counted so that nothing downstream (marking vanished listings) trusts this crawl.
            self.stats.inc_value("famact/store/failed_batches")
            raise

    def _write_through_outages(self, batch: list[EntityBase]) -> None:
        retrying = Retrying(
            retry=retry_if_exception_type(OUTAGE_ERRORS),
            wait=wait_exponential(multiplier=0.5, max=8.0),
            stop=stop_after_delay(self.outage_wait_s),
            before_sleep=self._log_outage,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self._write(batch)
        finally:
            self._count_retries()

    def _count_retries(self) -> None:
        # Throttled answers and unprocessed items were retried (not errors of the crawl); the
        # execution row lists them under errors_by_kind so a busy table shows in the history.
        if self.retries.throttled:
            self.stats.set_value("famact/errors/dynamodb_throttled", self.retries.throttled)
        if self.retries.unprocessed:
            self.stats.set_value("famact/errors/dynamodb_unprocessed", self.retries.unprocessed)

    def _log_outage(self, state: RetryCallState) -> None:
        self.stats.inc_value("famact/store/outage_retries")
        error = state.outcome.exception() if state.outcome else None
        logger.warning("DynamoDB unreachable (%s); writing the batch again", error)

    def _write(self, batch: list[EntityBase]) -> None:
        """Runs on the one writer thread, so batches never interleave."""
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
            self.in_flight.append(asyncio.wrap_future(self.writer.submit(self._write_through_outages, batch)))
        try:
            while self.in_flight:
                await self._wait(self.in_flight.pop(0))  # a failed write raises: the crawl reports it
        finally:
            self.writer.shutdown(wait=True)
