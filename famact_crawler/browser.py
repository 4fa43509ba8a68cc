"""Browser rendering helpers for `render: browser` sources (scrapy-playwright + Debian Chromium).

Only the page requests of browser sources carry `meta["playwright"]`; robots.txt and every
request of an http source go through Scrapy's normal download handler.
"""

from __future__ import annotations

import os
from typing import Any

from famact.models import SourceConfig
from famact.settings import get_settings
from famact_crawler.middlewares.urlguard import refuse_browser_request

# Headless Chromium (Debian's /usr/bin/chromium) flags for both the crawl's scrapy-playwright
# and the analyzer's renderer: no sandbox in containers, no background traffic, no QUIC.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)


def chromium_available() -> bool:
    """The configured Chromium (`FAMACT_CHROMIUM`, default Debian's /usr/bin/chromium) runs here."""
    return os.access(get_settings().chromium, os.X_OK)


def launch_options() -> dict[str, Any]:
    """Playwright's Chromium launch options: the same browser and flags for crawl and analyzer."""
    return {"executable_path": get_settings().chromium, "headless": True, "args": list(CHROMIUM_ARGS)}


# Resource types a listing never needs: blocking them keeps rendering fast and memory flat.
BLOCKED_RESOURCE_TYPES = frozenset({"image", "font", "media", "imageset"})


async def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: drop images, fonts and media before they are fetched, and
    every request the URL guard refuses (private, loopback, metadata addresses)."""
    if request.resource_type in BLOCKED_RESOURCE_TYPES:
        return True
    return await refuse_browser_request(request)


def browser_settings(config: SourceConfig) -> dict[str, Any]:
    """Settings a crawl of a browser source adds: the Playwright download handler and its
    per-context page bound (a fresh context every N pages keeps memory flat)."""
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": config.browser.max_pages_per_context,
        "PLAYWRIGHT_MAX_CONTEXTS": 2,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }


def browser_meta(config: SourceConfig, page_index: int, *, detail: bool = False) -> dict[str, Any]:
    """Request meta for one rendered page: wait for the listing selector (on a detail page, for
    its title selector, else for the network to go quiet), then hand the page to the callback
    so it can be closed (and its context retired) as soon as it is parsed."""
    from scrapy_playwright.page import PageMethod

    if detail:
        wait = config.detail.fields.get("title") if config.detail else None
    else:
        wait = config.browser.wait_for or (config.listing.item if config.listing else None)
    methods = []
    if wait is None:
        methods.append(
            PageMethod("wait_for_load_state", "networkidle", timeout=config.browser.wait_timeout_ms)
        )
    else:
        selector = wait.query if wait.kind.value == "css" else f"xpath={wait.query}"
        methods.append(
            PageMethod(
                "wait_for_selector", selector, timeout=config.browser.wait_timeout_ms, state="attached"
            )
        )
    context_index = page_index // config.browser.max_pages_per_context
    return {
        "playwright": True,
        "playwright_include_page": True,
        "playwright_context": f"famact-{context_index}",
        "playwright_page_methods": methods,
        "famact_context_last_page": (page_index + 1) % config.browser.max_pages_per_context == 0,
    }
