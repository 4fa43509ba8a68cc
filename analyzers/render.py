"""Render a page in headless Chromium (Debian's /usr/bin/chromium) for analysis.

The analyzer renders a listing page only when its raw HTML shows no listing structure, to
decide whether the source needs `render: browser`, and to find selectors in the rendered DOM.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from famact.settings import get_settings
from famact.urls import check_public_url
from famact_crawler.browser import chromium_available, launch_options

logger = logging.getLogger(__name__)
BLOCKED = {"image", "font", "media"}


class RenderError(Exception):
    pass


@dataclass(frozen=True)
class RenderedPage:
    url: str
    html: str


def browser_available() -> bool:
    return chromium_available()


def render_page(
    url: str, *, wait_ms: int = 2500, timeout_ms: int = 20_000, user_agent: str | None = None
) -> RenderedPage:
    """Load `url`, wait for the network to go quiet (or `wait_ms`), return the DOM as HTML.
    Every request the page makes is checked against the SSRF rules and heavy resources are
    blocked."""
    if not browser_available():
        raise RenderError(f"no browser at {get_settings().chromium} (apt-get install chromium)")
    check_public_url(url)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_options())
            try:
                context = browser.new_context(user_agent=user_agent) if user_agent else browser.new_context()
                page = context.new_page()

                def route(r: object) -> None:
                    request = r.request  # type: ignore[attr-defined]
                    if request.resource_type in BLOCKED:
                        r.abort()  # type: ignore[attr-defined]
                        return
                    try:
                        check_public_url(request.url)
                    except ValueError:
                        r.abort()  # type: ignore[attr-defined]
                        return
                    r.continue_()  # type: ignore[attr-defined]

                page.route("**/*", route)
                page.goto(url, timeout=timeout_ms, wait_until="domcontentloaded")
                with contextlib.suppress(PlaywrightError):  # a page that keeps polling is rendered enough
                    page.wait_for_load_state("networkidle", timeout=wait_ms * 4)
                page.wait_for_timeout(min(wait_ms, 1000))
                html = page.content()
                final_url = page.url
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise RenderError(f"rendering {url} failed: {exc}") from exc
    return RenderedPage(url=final_url, html=html)
