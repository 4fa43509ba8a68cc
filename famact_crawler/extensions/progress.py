"""A one-line progress report on stderr while `famact crawl` runs (pages, items, errors)."""

from __future__ import annotations

import sys
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressReporter:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.stats = crawler.stats
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.tty = sys.stderr.isatty()
        self.ticks = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        if not crawler.settings.getbool("FAMACT_PROGRESS", False):
            raise NotConfigured  # disabled on purpose: no warning in the log
        ext = cls(crawler, crawler.settings.getfloat("FAMACT_PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        get = self.stats.get_value
        items = sum(int(get(f"famact/entities/{t}", 0)) for t in ("VENUE", "EVENT", "PROGRAM", "ATTRACTION"))
        return (
            f"pages {get('response_received_count', 0)}, items {items}, "
            f"dropped {get('item_dropped_count', 0)}, errors {get('famact/errors/total', 0)}"
        )

    def report(self) -> None:
        if self.tty:
            sys.stderr.write(f"\r  crawling: {self.line()}   ")
        else:
            # A log file or CI: one line now and then instead of carriage returns.
            self.ticks += 1
            if self.ticks % 10:
                return
            sys.stderr.write(f"  crawling: {self.line()}\n")
        sys.stderr.flush()

    def spider_opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        sys.stderr.write(f"{chr(13) if self.tty else ''}  crawled:  {self.line()}   \n")
        sys.stderr.flush()
