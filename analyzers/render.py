"""Render a page in headless Chromium (Debian's /usr/bin/chromium) for analysis.

The analyzer renders a listing page only when its raw HTML shows no listing structure, to
decide whether the source needs `render: browser`, and to find selectors in the rendered DOM.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

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
    (rendered,) = render_pages([url], wait_ms=wait_ms, timeout_ms=timeout_ms, user_agent=user_agent)
    if isinstance(rendered, RenderError):
        raise rendered
    return rendered


def render_pages(
    urls: list[str], *, wait_ms: int = 2500, timeout_ms: int = 20_000, user_agent: str | None = None
) -> list[RenderedPage | RenderError]:
    """Each of `urls` rendered as `render_page` renders one, in a fresh context of ONE Chromium:
    a launch costs a second or two, and the analysis renders two pages. A page that fails is
    its RenderError in the list; RenderError is raised when the browser cannot start."""
    if not browser_available():
        raise RenderError(f"no browser at {get_settings().chromium} (apt-get install chromium)")
    for url in urls:
        check_public_url(url)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_options())
            try:
                return [_render_in(browser, url, wait_ms, timeout_ms, user_agent) for url in urls]
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise RenderError(f"starting the browser failed: {exc}") from exc


def _render_in(
    browser: Any, url: str, wait_ms: int, timeout_ms: int, user_agent: str | None
) -> RenderedPage | RenderError:
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(user_agent=user_agent) if user_agent else browser.new_context()
    try:
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
        return RenderedPage(url=page.url, html=page.content())
    except PlaywrightError as exc:
        return RenderError(f"rendering {url} failed: {exc}")
    finally:
        context.close()
