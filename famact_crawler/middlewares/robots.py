"""Scrapy's RobotsTxtMiddleware, with every request that waited for robots.txt obeying it.

The first request to a host starts the robots.txt download; requests to the same host that
arrive before it is parsed await one shared Deferred. Awaiting a Deferred as an asyncio future
(`Deferred.asFuture`) leaves it holding None, so every waiter after the first got "no
robots.txt" and was let through: a crawl's target URLs, all started at once, skipped the
site's Disallow rules (found by tests/reliability/test_site_faults.py). After the wait, the
parser is read again from the middleware's cache, where the download left it.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            cached = self._parsers.get(urlparse_cached(request).netloc)
            if cached is not None and not isinstance(cached, Deferred):
                return cached
        return parser
