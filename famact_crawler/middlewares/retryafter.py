"""Wait as a 429 or 503 answer's `Retry-After` says before retrying (capped).

Scrapy's RetryMiddleware retries such an answer at once, ignoring `Retry-After`. When a
response it is about to retry carries the header (delay-seconds or an HTTP-date), this
middleware holds the host's download slot until then, capped at `FAMACT_RETRY_AFTER_MAX_S`:
the retry, and every other request to that host, waits as the server asked. Nothing sleeps:
the downloader schedules the slot's next request after the wait (every famact crawl has a
download delay, which is what makes the slot look at `lastseen`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

logger = logging.getLogger(__name__)
STAT_PREFIX = "famact/retry_after"
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str, cap: float, now: datetime | None = None) -> float | None:
    """Seconds to wait for a `Retry-After` value, at most `cap`; None when it is not one
    (RFC 9110: a non-negative integer of seconds, or an HTTP-date)."""
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    waited = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(waited, 0.0), cap)


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler, cap: float, retry_times: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.cap = cap
        self.retry_times = retry_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        cap = settings.getfloat("FAMACT_RETRY_AFTER_MAX_S", 60.0)
        if not settings.getbool("RETRY_ENABLED") or cap <= 0:
            raise NotConfigured  # no retries, or Retry-After ignored on purpose
        return cls(crawler, cap, settings.getint("RETRY_TIMES"))

    def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in RETRY_AFTER_STATUSES or header is None or request.meta.get("dont_retry"):
            return response
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.retry_times):
            return response  # RetryMiddleware gives up: nothing to wait for
        raw = header.decode("latin-1")
        asked = retry_after_seconds(raw, cap=float("inf"))
        if asked is None:
            self.stats.inc_value(f"{STAT_PREFIX}/invalid")
            logger.info(
                "%s answered %d with an unreadable Retry-After %r",
                request.url[:200],
                response.status,
                raw[:80],
            )
            return response
        wait = min(asked, self.cap)
        if asked > self.cap:
            self.stats.inc_value(f"{STAT_PREFIX}/capped")
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, monotonic() + wait)
        self.stats.inc_value(f"{STAT_PREFIX}/waits")
        seconds = f"{STAT_PREFIX}/seconds"
        self.stats.set_value(seconds, self.stats.get_value(seconds, 0.0) + wait)
        logger.info(
            "%s answered %d: waiting %.1f s before the retry (Retry-After: %s)",
            request.url[:200],
            response.status,
            wait,
            raw[:80],
        )
        return response
