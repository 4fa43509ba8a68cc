"""The URL guard refuses private, loopback and metadata addresses on every crawl request.

Real crawls in a subprocess (the same runner `famact crawl` uses) against listeners on
127.0.0.1: without FAMACT_ALLOW_PRIVATE_URLS nothing connects to them, not even for
robots.txt, whether the config names an IP literal or a host name that resolves to loopback.
With the test exception on, a page's detail links, pagination and redirects to metadata
addresses are still refused before any connection. Then the three layers one by one.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from famact_crawler.middlewares.urlguard import (
    GuardedResolver,
    UnsafeAddressError,
    UnsafeRequestError,
    UrlGuardMiddleware,
    browser_request_refusal,
)
from tests.reliability.conftest import FaultRecord
from tests.reliability.crawls import crawl
from tests.support.site_server import SiteServer

ROOT = Path(__file__).resolve().parents[2]
METADATA = "http://169.254.169.254/latest/meta-data/"


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that counts the connections made to it (and closes them)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.count = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[ConnectionCounter]:
    counter = ConnectionCounter()
    yield counter
    counter.close()


def _crawl(config: dict[str, Any], tmp_path: Path, *, allow_private: bool) -> dict[str, Any]:
    env = {**os.environ}
    env.pop("OPENAI_API_KEY", None)
    env.pop("FAMACT_ALLOW_PRIVATE_URLS", None)
    if allow_private:
        env["FAMACT_ALLOW_PRIVATE_URLS"] = "1"
    return crawl(config, env, tmp_path, None, store=False)


def _config(*targets: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_id": "guard-test",
        "source_name": "Guard test",
        "base_url": targets[0],
        "target_urls": list(targets),
        "listing": {
            "item": "li.card",
            "fields": {"title": "h3 a", "url": "h3 a::attr(href)", "date": "p.date"},
            "pagination": {"next_page": "a.next::attr(href)", "max_pages": 3},
        },
        "detail": {"follow": "h3 a::attr(href)", "fields": {"title": "h1"}},
        "scraping_config": {"rate_limit": {"requests_per_minute": 6000, "concurrent_requests": 4}},
        **extra,
    }


@pytest.mark.integration
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.1", "[::ffff:127.0.0.1]"])
def test_a_config_on_a_private_address_connects_nowhere(
    host: str, listener: ConnectionCounter, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = f"a config whose target is http://{host}:PORT/ (a loopback listener), no test exception"
    fault.behaviour = "request refused before connecting, robots.txt included; 0 connections"
    summary = _crawl(_config(f"http://{host}:{listener.port}/events/"), tmp_path, allow_private=False)
    assert listener.count == 0, "the crawl connected to a loopback listener (robots.txt or the page)"
    execution, stats = summary["execution"], summary["stats"]
    assert execution["pages_crawled"] == 0 and execution["error_count"] >= 1
    if host == "localhost":  # a name: refused by the resolver when the connection is made
        assert "refused connection to localhost" in summary["stderr"]
        assert "famact/url_guard/refused" not in stats
    else:  # a literal: refused by the middleware before anything else sees the request
        assert set(execution["errors_by_kind"]) == {"UnsafeRequestError"}


def _site(tmp_path: Path) -> Path:
    """A listing page whose links lead to metadata addresses, and a redirect to one."""
    pages = tmp_path / "site" / "pages"
    (pages / "events").mkdir(parents=True)
    (pages / "events" / "index.html").write_text(
        """<html><body><ul>
        <li class="card"><h3><a href="http://169.254.169.254/latest/meta-data/">Creds Fair</a></h3>
          <p class="date">December 12, 2026</p></li>
        <li class="card"><h3><a href="http://metadata.google.internal/computeMetadata/v1/">Meta Day</a></h3>
          <p class="date">December 13, 2026</p></li>
        <li class="card"><h3><a href="/go/">Redirect Party</a></h3><p class="date">December 14, 2026</p></li>
        </ul><a class="next" href="http://[fd00:ec2::254]/page/2/">next</a></body></html>""",
        encoding="utf-8",
    )
    (pages / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (tmp_path / "site" / "routes.json").write_text(json.dumps({"/go/": {"redirect": METADATA}}))
    (tmp_path / "site" / "site.json").write_text(json.dumps({"today": "2026-12-01"}))
    return tmp_path / "site"


@pytest.mark.integration
def test_links_and_redirects_to_metadata_are_refused_even_with_the_test_exception(
    tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "detail links, a pagination link and a redirect to cloud metadata addresses"
    fault.behaviour = "each refused before connecting; the listings keep their teasers"
    with SiteServer(_site(tmp_path)) as server:
        # An edited config that lets the crawl follow links to the metadata hosts: the spider's
        # own same-site rule would otherwise skip the links (not the redirect).
        allowed = ["127.0.0.1", "169.254.169.254", "metadata.google.internal", "fd00:ec2::254"]
        config = _config(f"{server.url}/events/", allowed_domains=allowed)
        summary = _crawl(config, tmp_path, allow_private=True)
    stats, execution = summary["stats"], summary["execution"]
    # Two metadata detail links, one redirect hop and one pagination link: all refused before
    # connecting (a connection attempt to 169.254.169.254 would end in a timeout instead).
    assert stats["famact/url_guard/refused"] == 4
    assert set(execution["errors_by_kind"]) == {"UnsafeRequestError"}
    # The listings keep their teasers (a refused detail page is like a dead one).
    assert execution["items_scraped"] == 3


# -- the layers one by one ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "http://127.0.0.1/",
        "http://0x7f.1/",
        "http://2130706433/",
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        METADATA,
        "http://metadata.google.internal/",
    ],
)
def test_the_middleware_refuses_unsafe_requests(url: str) -> None:
    crawler = get_crawler()
    guard = UrlGuardMiddleware(crawler, allow_private=False)
    with pytest.raises(UnsafeRequestError, match="unsafe URL"):
        guard.process_request(Request(url))
    assert crawler.stats.get_value("famact/url_guard/refused") == 1


def test_the_middleware_lets_names_through_for_the_resolver_and_keeps_metadata_refused() -> None:
    private_ok = UrlGuardMiddleware(get_crawler(), allow_private=True)
    private_ok.process_request(Request("http://127.0.0.1:8000/"))
    with pytest.raises(UnsafeRequestError):
        private_ok.process_request(Request(METADATA))
    public = UrlGuardMiddleware(get_crawler(), allow_private=False)
    public.process_request(Request("https://www.example.org/events/"))  # resolved at connect


def test_a_rendered_page_that_ended_on_a_private_address_is_dropped() -> None:
    guard = UrlGuardMiddleware(get_crawler(), allow_private=False)
    request = Request("https://93.184.216.34/events/", meta={"playwright": True})
    moved = HtmlResponse("http://127.0.0.1/admin", body=b"<html></html>", request=request)
    with pytest.raises(UnsafeRequestError):
        guard.process_response(request, moved)
    same = HtmlResponse(request.url, body=b"<html></html>", request=request)
    assert guard.process_response(request, same) is same


def test_the_resolver_refuses_private_addresses_at_connect_time() -> None:
    resolver = GuardedResolver.__new__(GuardedResolver)
    resolver.allow_private = False
    assert resolver._checked("93.184.216.34", "www.example.org") == "93.184.216.34"
    for address in ("127.0.0.1", "10.0.0.5", "169.254.169.254", "0.0.0.0"):
        with pytest.raises(UnsafeAddressError, match="unsafe host"):
            resolver._checked(address, "rebind.example")
    resolver.allow_private = True
    assert resolver._checked("127.0.0.1", "localhost") == "127.0.0.1"
    with pytest.raises(UnsafeAddressError):
        resolver._checked("169.254.169.254", "rebind.example")


def test_browser_requests_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAMACT_ALLOW_PRIVATE_URLS", raising=False)

    async def reasons() -> list[str | None]:
        return [
            await browser_request_refusal(url)
            for url in ("http://127.0.0.1:9/x.js", METADATA, "data:text/plain,hi", "http://93.184.216.34/a")
        ]

    loopback, metadata, data, public = asyncio.run(reasons())
    assert loopback and "loopback" in loopback
    assert metadata and "metadata" in metadata
    assert data is None and public is None
