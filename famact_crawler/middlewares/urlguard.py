"""The URL guard on every request a crawl makes (ARCHITECTURE safety rules).

A crawl must never fetch a private, loopback, link-local or cloud-metadata address, whatever
its config, a detail or pagination link, or a redirect says. Three layers, one rule
(`famact.urls`), one exception for tests and the local demo (`FAMACT_ALLOW_PRIVATE_URLS=1`;
metadata addresses stay refused even then):

- `UrlGuardMiddleware` (downloader middleware, first in the chain): every request, robots.txt
  and each redirect hop included (Scrapy sends a redirect target back through the chain), must
  be http(s) with a host that is not a metadata name or a refused IP literal. No DNS here: it
  would block the reactor.
- `GuardedResolver` (`TWISTED_DNS_RESOLVER`): host names are checked as resolved, when the
  connection is made, so a name that resolves to 127.0.0.1 (or rebinds between two lookups)
  is refused; Twisted connects to the address this resolver returned.
- `refuse_browser_request` (`PLAYWRIGHT_ABORT_REQUEST`): each request a rendered page makes
  (the page, its scripts, XHR) is checked, names resolved off the event loop. Chromium follows
  redirects inside its network stack, where Playwright cannot intercept them, so
  `UrlGuardMiddleware.process_response` also refuses a rendered page whose final URL is unsafe:
  its content never reaches the extraction.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from famact.settings import get_settings
from famact.urls import UnsafeURLError, check_address, check_public_url

logger = logging.getLogger(__name__)
STAT_PREFIX = "famact/url_guard"


class UnsafeRequestError(IgnoreRequest):
    """A request the guard refused; the message names the URL and the reason."""


class UnsafeAddressError(DNSLookupError):
    """A host name that resolved to a refused address (raised at connect time). A lookup
    error to Twisted, so the connection fails as "no address" without a logged traceback."""


def _allow_private() -> bool:
    return get_settings().allow_private_urls


class UrlGuardMiddleware:
    def __init__(self, crawler: Crawler, allow_private: bool) -> None:
        self.stats = crawler.stats
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UrlGuardMiddleware:
        # Never NotConfigured: there is no setting that turns the guard off.
        return cls(crawler, _allow_private())

    def _refuse(self, url: str, exc: UnsafeURLError) -> UnsafeRequestError:
        self.stats.inc_value(f"{STAT_PREFIX}/refused")
        logger.warning("refused %s: %s", url[:200], exc.reason)
        return UnsafeRequestError(f"unsafe URL {url[:200]!r}: {exc.reason}")

    def process_request(self, request: Request) -> None:
        try:
            check_public_url(request.url, allow_private=self.allow_private, resolve=False)
        except UnsafeURLError as exc:
            raise self._refuse(request.url, exc) from exc

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("playwright") and response.url != request.url:
            try:
                # The browser followed redirects by itself: check where it ended up.
                check_public_url(response.url, allow_private=self.allow_private)
            except UnsafeURLError as exc:
                raise self._refuse(response.url, exc) from exc
        return response


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses unsafe addresses when a connection is made."""

    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        # `crawler` is the CrawlerProcess here (one resolver per reactor), so no stats: a refusal
        # shows in the log and as the request's DNS error.
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = _allow_private()
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:  # Twisted spells it so
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._checked, name)
        return deferred

    def _checked(self, address: str, name: str) -> str:
        try:
            check_address(address, host=name, allow_private=self.allow_private)
        except UnsafeURLError as exc:
            logger.warning("refused connection to %s: %s", name, exc.reason)
            raise UnsafeAddressError(f"unsafe host {name!r}: {exc.reason}") from exc
        return address


@lru_cache(maxsize=4096)
def _browser_url_refusal(scheme_and_host: str, allow_private: bool) -> str | None:
    """Why a browser request to this scheme://host:port must be aborted, or None. Cached per
    host: a page makes many requests to a few hosts."""
    try:
        check_public_url(scheme_and_host, allow_private=allow_private)
    except UnsafeURLError as exc:
        return exc.reason
    return None


async def browser_request_refusal(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return None  # in-page content, no network
    origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/"
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, _browser_url_refusal, origin, _allow_private())


async def refuse_browser_request(request: Any) -> bool:
    """True when the rendered page's request is unsafe (see the module note)."""
    reason = await browser_request_refusal(request.url)
    if reason is not None:
        logger.warning("browser request refused: %s: %s", request.url[:200], reason)
        return True
    return False
