"""One Chromium for the crawl and the analyzer: `FAMACT_CHROMIUM` picks the binary both launch."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from analyzers.render import RenderError, browser_available, render_page
from famact.settings import get_settings
from famact_crawler.browser import CHROMIUM_ARGS, chromium_available, launch_options


@pytest.fixture
def chromium_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    def point_at(path: Path) -> None:
        monkeypatch.setenv("FAMACT_CHROMIUM", str(path))
        get_settings.cache_clear()

    yield point_at
    get_settings.cache_clear()


def test_launch_options_use_the_configured_binary_and_the_shared_flags(
    chromium_at: Callable[[Path], None], tmp_path: Path
) -> None:
    binary = tmp_path / "chromium"
    chromium_at(binary)
    assert launch_options() == {"executable_path": str(binary), "headless": True, "args": list(CHROMIUM_ARGS)}


def test_crawl_and_analyzer_agree_on_whether_the_browser_is_there(
    chromium_at: Callable[[Path], None], tmp_path: Path
) -> None:
    binary = tmp_path / "chromium"
    chromium_at(binary)
    assert not chromium_available() and not browser_available()
    with pytest.raises(RenderError, match=f"no browser at {binary}"):
        render_page("https://example.org/")
    binary.write_text("#!/bin/sh\n", encoding="utf-8")
    os.chmod(binary, 0o755)
    assert chromium_available() and browser_available()


def test_the_crawl_settings_launch_the_configured_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from famact_crawler import settings

    monkeypatch.setenv("FAMACT_CHROMIUM", str(tmp_path / "chromium"))
    get_settings.cache_clear()
    try:
        importlib.reload(settings)
        assert settings.PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"] == str(tmp_path / "chromium")
        assert launch_options() == settings.PLAYWRIGHT_LAUNCH_OPTIONS
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        importlib.reload(settings)


SCRIPTED = (
    "<html><body><main id='list'>Loading events...</main><script>"
    "document.getElementById('list').innerHTML = '<h3>Toddler Tales ' + location.pathname + '</h3>';"
    "</script></body></html>"
)


def test_the_analyzer_renders_several_pages_in_one_browser_and_a_failed_one_is_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two pages drawn by their own script, and between them one on a port nothing answers:
    both come back as the browser shows them, the dead one as its error, in order."""
    if not chromium_available():
        pytest.skip("Chromium missing: run `make setup` as root (apt-get install chromium)")
    import socket

    from analyzers.render import RenderedPage, render_pages
    from tests.support.fake_jina import FakeSite

    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/events/"
    with FakeSite() as site:
        urls = [site.page("/a/", SCRIPTED), dead, site.page("/b/", SCRIPTED)]
        first, failed, second = render_pages(urls, wait_ms=200)
    get_settings.cache_clear()
    assert isinstance(first, RenderedPage) and "<h3>Toddler Tales /a/</h3>" in first.html
    assert isinstance(second, RenderedPage) and "<h3>Toddler Tales /b/</h3>" in second.html
    assert isinstance(failed, RenderError) and dead in str(failed)
