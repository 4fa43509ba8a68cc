"""Site faults: each injected by a real HTTP server on 127.0.0.1, each met by a real crawl.

Faults that could cost stored data (a listing page that fails, answers 429, times out, hangs
mid-body, is disallowed by robots.txt, or a crawl cut by its page cap in a calendar trap) run
against a copy of the demo site already crawled once into dynalite, and compare an `export`
before and after: nothing stored may be lost or changed, nothing marked inactive. Faults in
one page's bytes (size, encoding, markup, JSON-LD) run `--no-store` and check the items.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from famact_crawler.middlewares.retryafter import RetryAfterMiddleware, retry_after_seconds
from tests.reliability.conftest import FaultRecord
from tests.reliability.crawls import (
    ROOT,
    crawl,
    crawl_command,
    create_tables,
    export,
    store_env,
    without_timestamps,
)
from tests.support.site_server import FAST, SiteServer, load_site

pytestmark = pytest.mark.integration
TODAY = "2026-11-24"


def _lost(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> int:
    """Stored entities missing or changed after the fault (timestamps aside)."""
    kept, now = without_timestamps(before), without_timestamps(after)
    return sum(1 for pk, row in kept.items() if now.get(pk) != row)


def _scraping(config: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**config, "scraping_config": {**config.get("scraping_config", {}), **changes}}


@dataclass
class StoredDemo:
    """The demo site served from a copy, crawled completely once into dynalite."""

    server: SiteServer
    dir: Path
    config: dict[str, Any]
    env: dict[str, str]
    before: dict[str, dict[str, Any]]

    def requests_for(self, path: str) -> int:
        return len(self.server.requested(path))

    def assert_nothing_lost(self, fault: FaultRecord, summary: dict[str, Any]) -> None:
        after = export(self.env)
        fault.items_lost = _lost(self.before, after)
        assert set(after) == set(self.before)
        assert not [r["name"] for r in after.values() if r["status"] == "inactive"]
        assert without_timestamps(after) == without_timestamps(self.before)
        assert summary["execution"]["inactive_count"] == 0


@pytest.fixture
def stored_demo(dynalite_endpoint: str, tmp_path: Path) -> Iterator[StoredDemo]:
    site = load_site("demo")
    copy = tmp_path / "site"
    shutil.copytree(site.dir, copy)
    env = store_env(dynalite_endpoint, f"sf{uuid.uuid4().hex[:8]}-")
    create_tables(env)
    with SiteServer(copy) as server:
        config = _scraping(load_site(copy).config_data(server.url), **FAST)
        first = crawl(config, env, tmp_path, TODAY)
        assert first["execution"]["finish_reason"] == "finished"
        before = export(env)
        assert len(before) >= 21 and not any(r["status"] == "inactive" for r in before.values())
        yield StoredDemo(server, copy, config, env, before)


def _recrawl(demo: StoredDemo, tmp_path: Path, config: dict[str, Any] | None = None) -> dict[str, Any]:
    return crawl(config or demo.config, demo.env, tmp_path, TODAY)


def _no_store_env() -> dict[str, str]:
    env = {**os.environ, "FAMACT_ALLOW_PRIVATE_URLS": "1"}
    env.pop("OPENAI_API_KEY", None)
    return env


# -- 1. 500s on a listing page ------------------------------------------------------------------


def test_listing_page_answering_500_is_retried_then_reported_and_loses_nothing(
    stored_demo: StoredDemo, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "the /places/ listing page answers HTTP 500 on every request (max_retries 2)"
    fault.behaviour = (
        "3 requests (1 + 2 retries), then an http_500 error on the execution (outcome partial); "
        "vanished-marking refused because a listing page failed"
    )
    demo = stored_demo
    already = demo.requests_for("/places/")
    demo.server.set_route("/places/", {"status": 500})
    result = _recrawl(demo, tmp_path, _scraping(demo.config, max_retries=2))

    assert demo.requests_for("/places/") - already == 3
    execution, stats = result["execution"], result["stats"]
    assert execution["finish_reason"] == "finished"
    assert execution["errors_by_kind"] == {"http_500": 1}
    assert execution["outcome"] == "partial"
    assert stats["retry/count"] == 2 and stats["retry/max_reached"] == 1
    assert "listing page" in stats["famact/vanished/refused"]
    demo.assert_nothing_lost(fault, result)


# -- 2. 429 with Retry-After --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2", 2.0),
        (" 0 ", 0.0),
        ("1.5", None),  # RFC 9110: delay-seconds is an integer
        ("-3", None),
        ("soon", None),
        ("", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # an HTTP-date in the past: no wait
        ("Wed, 21 Oct 2099 07:28:00 GMT", 60.0),  # far in the future: capped
        ("999999", 60.0),
    ],
)
def test_retry_after_header_values(header: str, expected: float | None) -> None:
    assert retry_after_seconds(header, cap=60.0) == expected


def _retry_after_middleware(**settings: Any) -> RetryAfterMiddleware:
    crawler = get_crawler(settings_dict={"RETRY_TIMES": 2, **settings})
    crawler.engine = crawler._create_engine()  # the downloader whose slots the middleware holds
    return RetryAfterMiddleware.from_crawler(crawler)


def test_retry_after_middleware_holds_the_slot_and_skips_what_it_must() -> None:
    mw = _retry_after_middleware(FAMACT_RETRY_AFTER_MAX_S=10)
    request = Request("http://127.0.0.1/places/")
    slot = mw.crawler.engine.downloader.slots["127.0.0.1"] = Slot(concurrency=1, delay=0.5, jitter=0)

    def answer(status: int, retry_after: str | None, **meta: Any) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        req = request.replace(meta=meta)
        response = HtmlResponse(req.url, status=status, headers=headers, request=req)
        assert mw.process_response(req, response) is response  # RetryMiddleware does the retry

    started = time.monotonic()
    answer(429, "3")
    assert started + 3 <= slot.lastseen < time.monotonic() + 3  # the host's next request waits 3 s
    answer(503, "600")  # capped at 10
    assert slot.lastseen >= started + 10
    answer(429, "soon")  # unreadable: retried at once, counted
    answer(500, "3")  # not a status that means "come back later"
    answer(429, None)
    answer(429, "3", retry_times=2)  # no retry left: nothing to wait for
    answer(429, "3", dont_retry=True)
    stats = mw.stats.get_stats()
    assert stats["famact/retry_after/waits"] == 2 and stats["famact/retry_after/seconds"] == 13.0
    assert stats["famact/retry_after/capped"] == 1 and stats["famact/retry_after/invalid"] == 1
    with pytest.raises(NotConfigured):
        _retry_after_middleware(FAMACT_RETRY_AFTER_MAX_S=0)
    with pytest.raises(NotConfigured):
        _retry_after_middleware(RETRY_ENABLED=False)


def test_429_with_retry_after_waits_as_told_then_succeeds(
    stored_demo: StoredDemo, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "the /places/ listing page answers 429 with Retry-After: 2 once, then 200"
    fault.behaviour = "the retry of /places/ waits >= 2 s (the domain is held), then the crawl completes"
    demo = stored_demo
    already = demo.requests_for("/places/")
    demo.server.set_route("/places/", {"status": 429, "headers": {"Retry-After": "2"}, "times": 1})
    result = _recrawl(demo, tmp_path)

    first, second = demo.server.requested("/places/")[already:]
    fault.extra["waited_s"] = round(second - first, 2)
    assert 2.0 <= second - first < 10
    execution, stats = result["execution"], result["stats"]
    assert execution["finish_reason"] == "finished" and execution["error_count"] == 0
    assert execution["outcome"] == "success"
    assert stats["famact/retry_after/waits"] == 1 and stats["retry/count"] == 1
    assert "famact/vanished/refused" not in stats
    demo.assert_nothing_lost(fault, result)


def test_429_retry_after_is_capped(tmp_path: Path, fault: FaultRecord) -> None:
    fault.injected = "a listing page answers 429 with Retry-After: 3600 once (cap set to 1 s for the test)"
    fault.behaviour = "the crawl waits the cap, not an hour, retries and extracts the page"
    site = tmp_path / "site"
    shutil.copytree(load_site("demo").dir, site)
    with SiteServer(site) as server:
        server.set_route("/places/", {"status": 429, "headers": {"Retry-After": "3600"}, "times": 1})
        config = _scraping(load_site(site).config_data(server.url), **FAST)
        config = {**config, "target_urls": [server.url + "/places/"], "detail": None}
        started = time.monotonic()
        result = crawl(
            config, _no_store_env(), tmp_path, TODAY, store=False, settings=("FAMACT_RETRY_AFTER_MAX_S=1",)
        )
        elapsed = time.monotonic() - started
        first, second = server.requested("/places/")
    assert 1.0 <= second - first < 5 and elapsed < 60
    stats = result["stats"]
    assert stats["famact/retry_after/capped"] == 1
    assert result["execution"]["items_scraped"] == 6 and result["execution"]["error_count"] == 0


# -- 3. timeouts and a server that hangs mid-body -----------------------------------------------


@pytest.mark.parametrize(
    ("route", "what"),
    [
        ({"hang": True}, "never answers (the connection stays open)"),
        ({"stall_after_bytes": 1500}, "sends its headers and 1,500 bytes of the body, then stalls"),
    ],
    ids=["no-answer", "hangs-mid-body"],
)
def test_a_listing_page_that_hangs_is_bounded_by_the_timeout(
    stored_demo: StoredDemo, tmp_path: Path, fault: FaultRecord, route: dict[str, Any], what: str
) -> None:
    fault.injected = f"the /places/ listing page {what}; timeout 1 s, max_retries 1"
    fault.behaviour = "2 attempts of ~1 s each, a DownloadTimeoutError on the execution, the rest crawled"
    demo = stored_demo
    already = demo.requests_for("/places/")
    demo.server.set_route("/places/", route)
    started = time.monotonic()
    result = _recrawl(demo, tmp_path, _scraping(demo.config, timeout=1, max_retries=1))
    fault.extra["crawl_s"] = round(time.monotonic() - started, 1)

    assert demo.requests_for("/places/") - already == 2
    execution, stats = result["execution"], result["stats"]
    assert execution["finish_reason"] == "finished"
    assert execution["errors_by_kind"] == {"DownloadTimeoutError": 1}
    assert execution["outcome"] == "partial"
    assert time.monotonic() - started < 30
    assert "listing page" in stats["famact/vanished/refused"]
    # Everything but the hung page was crawled: its 15 other listings are seen again.
    assert execution["items_scraped"] == 15
    demo.assert_nothing_lost(fault, result)


# -- 4. a 20 MB page ----------------------------------------------------------------------------


def _tiny_site(tmp_path: Path, pages: dict[str, bytes], routes: dict[str, Any] | None = None) -> Path:
    site = tmp_path / "tiny"
    for path, body in pages.items():
        file = site / "pages" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(body)
    (site / "pages").mkdir(parents=True, exist_ok=True)
    if routes:
        (site / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
    return site


def _card(title: str, day: int = 5) -> str:
    return (
        f'<li class="card"><h3 class="card-title">{title}</h3>'
        f'<p class="card-date">Saturday, December {day}, 2026, 10:00 AM</p>'
        '<p class="card-venue">Rainier Beach Library</p><p class="card-price">Free</p>'
        '<p class="card-ages">Ages 3-8</p>'
        '<p class="card-summary">A family storytime with songs and crafts for kids.</p></li>'
    )


def _page(*cards: str, title: str = "Family events", head: str = "", tail: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body><h1>{title}</h1>"
        f'<ul class="cards">{"".join(cards)}</ul>{tail}</body></html>'
    )


def _listing_config(base: str, *targets: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_id": "site-faults",
        "source_name": "Site faults",
        "base_url": base + "/",
        "target_urls": [base + t for t in targets],
        "listing": {
            "item": "ul.cards > li.card",
            "fields": {
                "title": "h3.card-title",
                "date": "p.card-date",
                "venue": "p.card-venue",
                "price": "p.card-price",
                "ages": "p.card-ages",
                "description": "p.card-summary",
            },
            **extra,
        },
        "structured_data": {"enabled": False},
        "defaults": {"city": "seattle", "region": "seattle"},
        "scraping_config": {**FAST, "max_retries": 0},
    }


def _crawl_items(config: dict[str, Any], tmp_path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A `--no-store` crawl writing its items to a file: (summary, items)."""
    output = tmp_path / f"items-{uuid.uuid4().hex[:6]}.jsonl"
    result = crawl(
        config,
        _no_store_env(),
        tmp_path,
        TODAY,
        store=False,
        settings=(f"FAMACT_OUTPUT_FILE={json.dumps(str(output))}",),
    )
    lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
    return result, [json.loads(line) for line in lines]


def _crawl_measuring_memory(config: dict[str, Any], tmp_path: Path) -> tuple[dict[str, Any], int]:
    """A `--no-store` crawl and its process's peak RSS in KiB (wait4 reports that child's own)."""
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(
            crawl_command(config, tmp_path, TODAY, store=False),
            cwd=ROOT,
            env=_no_store_env(),
            stdout=stdout,
            stderr=stderr,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, err.read_text()[-3000:]
    summary: dict[str, Any] = json.loads(out.read_text().strip().splitlines()[-1])
    summary["stderr"] = err.read_text()
    return summary, int(usage.ru_maxrss)


def test_a_20_mb_page_is_refused_and_memory_stays_bounded(tmp_path: Path, fault: FaultRecord) -> None:
    fault.injected = "two 20 MiB listing pages: one with a Content-Length, one streamed without"
    fault.behaviour = (
        "both refused at DOWNLOAD_MAXSIZE (10 MiB) with a too_large error; the small page crawled"
    )
    site = _tiny_site(
        tmp_path,
        {"ok/index.html": _page(_card("Toddler Storytime")).encode()},
        {"/huge/": {"generate_mb": 20}, "/stream/": {"generate_mb": 20, "no_length": True}},
    )
    with SiteServer(site) as server:
        baseline, baseline_kib = _crawl_measuring_memory(_listing_config(server.url, "/ok/"), tmp_path)
        result, peak_kib = _crawl_measuring_memory(
            _listing_config(server.url, "/huge/", "/stream/", "/ok/"), tmp_path
        )
    fault.extra["peak_rss_mib"] = round(peak_kib / 1024, 1)
    fault.extra["baseline_rss_mib"] = round(baseline_kib / 1024, 1)
    execution = result["execution"]
    assert execution["errors_by_kind"] == {"too_large": 2}
    assert execution["items_scraped"] == 1 == baseline["execution"]["items_scraped"]
    assert "larger than download max size" in result["stderr"]
    assert "Traceback" not in result["stderr"]
    # A 20 MiB body parsed into a tree costs far more than 40 MiB; the refused one never is.
    assert peak_kib - baseline_kib < 40 * 1024


# -- 5. infinite pagination and a calendar trap ---------------------------------------------------


def _endless_list(query: str) -> bytes:
    number = int(query.removeprefix("page=")) if query.startswith("page=") else 1
    cards = [_card(f"Endless Storytime {number}-{i}", day=1 + i) for i in range(3)]
    return _page(*cards, tail=f'<nav><a class="next" href="/list/?page={number + 1}">Next</a></nav>').encode()


def _month_after(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def _calendar(query: str) -> bytes:
    month = query.removeprefix("month=") if query.startswith("month=") else "2026-11"
    day = date.fromisoformat(f"{month}-01")
    cards = [
        f'<li class="card"><h3 class="card-title">Family Night {month} #{i}</h3>'
        f'<p class="card-date">{day:%B} {10 + i}, {day.year}, 6:00 PM</p>'
        '<p class="card-venue">Columbia City Library</p><p class="card-ages">Ages 2-10</p>'
        '<p class="card-summary">Games and stories for kids and their families.</p></li>'
        for i in range(2)
    ]
    tail = f'<nav><a class="next" href="/calendar/?month={_month_after(month)}">Next month &raquo;</a></nav>'
    return _page(*cards, title=f"Calendar {month}", tail=tail).encode()


def test_infinite_pagination_stops_at_the_pagination_cap(tmp_path: Path, fault: FaultRecord) -> None:
    fault.injected = "a listing whose 'next' link never ends (?page=N+1, three new cards on every page)"
    fault.behaviour = "pagination.max_pages (6) listing pages fetched, then pagination stops (stat)"
    site = _tiny_site(tmp_path, {})
    with SiteServer(site, generated={"/list/": _endless_list}) as server:
        config = _listing_config(
            server.url, "/list/", pagination={"next_page": "nav a.next::attr(href)", "max_pages": 6}
        )
        result = crawl(config, _no_store_env(), tmp_path, TODAY, store=False)
        listing_requests = [path for _, path in server.requests if path.startswith("/list/")]
    assert listing_requests == ["/list/"] + [f"/list/?page={n}" for n in range(2, 7)]
    execution, stats = result["execution"], result["stats"]
    assert execution["finish_reason"] == "finished" and execution["items_scraped"] == 18
    assert stats["famact/extract/pagination_max_pages_reached"] == 1


def test_a_calendar_trap_cut_by_the_page_cap_marks_nothing_inactive(
    dynalite_endpoint: str, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = (
        "a 'next month' link that goes on forever (each month new events); crawl capped at 3 pages"
    )
    fault.behaviour = "the crawl stops at the page cap (closespider_pagecount); vanished-marking refused"
    env = store_env(dynalite_endpoint, f"cal{uuid.uuid4().hex[:8]}-")
    create_tables(env)
    site = _tiny_site(tmp_path, {})
    with SiteServer(site, generated={"/calendar/": _calendar}) as server:
        pagination = {"next_page": "nav a.next::attr(href)", "max_pages": 6}
        config = _listing_config(server.url, "/calendar/", pagination=pagination)
        first = crawl(config, env, tmp_path, TODAY)
        assert first["execution"]["finish_reason"] == "finished"
        assert first["execution"]["items_scraped"] == 12
        before = export(env)

        trap = {**config, "listing": {**config["listing"], "pagination": {**pagination, "max_pages": 500}}}
        trap = _scraping(trap, max_pages=3)
        seen = len(server.requests)
        result = crawl(trap, env, tmp_path, TODAY)
        fetched = [path for _, path in server.requests[seen:] if path.startswith("/calendar/")]
    execution = result["execution"]
    assert execution["finish_reason"] == "closespider_pagecount"
    # Three responses (robots.txt is one of them), and at most one request already on its way.
    assert 2 <= len(fetched) <= 3
    assert "ended early" in result["stats"]["famact/vanished/refused"]
    after = export(env)
    fault.items_lost = _lost(before, after)
    assert without_timestamps(after) == without_timestamps(before)
    assert execution["inactive_count"] == 0


# -- 6. robots.txt disallowing a listing page ------------------------------------------------------


def test_robots_txt_disallowing_a_listing_page_is_obeyed_and_loses_nothing(
    stored_demo: StoredDemo, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "robots.txt changed to 'Disallow: /places/' after a complete crawl"
    fault.behaviour = (
        "/places/ is never fetched; robots_txt error and robotstxt/forbidden stat; "
        "vanished-marking refused, so its six listings stay active"
    )
    demo = stored_demo
    already = demo.requests_for("/places/")
    (demo.dir / "pages" / "robots.txt").write_text("User-agent: *\nDisallow: /places/\n", encoding="utf-8")
    result = _recrawl(demo, tmp_path)

    assert demo.requests_for("/places/") == already
    execution, stats = result["execution"], result["stats"]
    assert stats["robotstxt/forbidden"] == 1
    assert execution["errors_by_kind"] == {"robots_txt": 1}
    assert "listing page" in stats["famact/vanished/refused"]
    demo.assert_nothing_lost(fault, result)


# -- 7. a page in an unexpected encoding -----------------------------------------------------------

TITLE = "Café Crème Storytime – Ages 3–5 “Noël”"


@pytest.mark.parametrize(
    ("content_type", "meta", "encoding"),
    [
        ("text/html; charset=utf-8", "", "windows-1252"),  # the header lies
        ("text/html", "", "windows-1252"),  # no charset anywhere
        ("", "", "windows-1252"),  # no Content-Type at all
        ("text/html; charset=utf-8", '<meta charset="windows-1252">', "windows-1252"),  # meta is right
        ("text/html; charset=windows-1252", '<meta charset="utf-8">', "windows-1252"),  # header is right
        ("text/html; charset=iso-8859-1", "", "utf-8"),  # UTF-8 labelled Latin-1
    ],
    ids=["header-lies", "no-charset", "no-content-type", "meta-right", "header-right", "utf8-as-latin1"],
)
def test_a_page_in_an_unexpected_encoding_gives_the_right_titles(
    tmp_path: Path, fault: FaultRecord, content_type: str, meta: str, encoding: str
) -> None:
    fault.injected = (
        f"a {encoding} page served as Content-Type {content_type or '(none)'!r}, meta {meta or '(none)'!r}"
    )
    fault.behaviour = (
        "decoded as: BOM, else UTF-8 when the bytes are valid UTF-8, else the first declared charset "
        "(header, then meta) that decodes them, else windows-1252: titles exact, no mojibake"
    )
    html = _page(_card(TITLE), _card("Niños y Familias: Canciones", day=6), head=meta, title="Événements")
    site = _tiny_site(
        tmp_path, {"events/index.html": html.encode(encoding)}, {"/events/": {"content_type": content_type}}
    )
    with SiteServer(site) as server:
        result, items = _crawl_items(_listing_config(server.url, "/events/"), tmp_path)
    assert sorted(item["name"] for item in items) == sorted([TITLE, "Niños y Familias: Canciones"])
    assert result["execution"]["error_count"] == 0


# -- 8. malformed HTML ---------------------------------------------------------------------------


def test_malformed_html_still_gives_its_listings(tmp_path: Path, fault: FaultRecord) -> None:
    fault.injected = (
        "a listing page with unclosed tags, NUL and control bytes, invalid UTF-8, cut off mid-card"
    )
    fault.behaviour = "lxml's forgiving parser: every card with a title extracted, no exception"
    cards = [
        _card("Toddler Tumble Time").replace("</p>", "", 2),  # unclosed <p>s
        _card("Baby Sign \x00Language Circle", day=6).replace("</li>", ""),  # a NUL, the card unclosed
        _card("Lego \x1b\x07Build Club", day=7) + "</div></span></table>",  # control bytes, stray closers
        _card("Niños Bingo Night — Canción y Diversión", day=8),
    ]
    body = _page(*cards).encode("utf-8").replace(b"</ul>", b"")  # the list is never closed
    # Stray bytes that are not UTF-8 between two cards: replaced; the UTF-8 text around them kept.
    lego = b'<li class="card"><h3 class="card-title">Lego'
    body = body.replace(lego, b"\xff\xfe" + lego)
    body = body[: body.index(b"Diversi\xc3\xb3n") + 40]  # the document ends mid-card
    site = _tiny_site(tmp_path, {"events/index.html": body})
    with SiteServer(site) as server:
        result, items = _crawl_items(_listing_config(server.url, "/events/"), tmp_path)
    names = sorted(item["name"] for item in items)
    assert names == [
        "Baby Sign Language Circle",
        "Lego Build Club",
        "Niños Bingo Night — Canción y Diversión",
        "Toddler Tumble Time",
    ]
    assert result["execution"]["error_count"] == 0
    assert "spider_exceptions/count" not in result["stats"]
    assert "Traceback" not in result["stderr"]


# -- 9. a JSON-LD block that is not JSON -------------------------------------------------------------


def test_a_json_ld_block_that_is_not_json_is_skipped_and_the_page_still_extracted(
    tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = (
        "a listing page with a JSON-LD block that is not JSON, one that is valid but wrong-shaped "
        "(an Event whose fields are numbers, lists and objects), and one good Event"
    )
    fault.behaviour = "the broken block skipped (stat + log line), the wrong-shaped one read for what fits"
    good = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Winter Lantern Walk",
        "startDate": "2026-12-19T17:00",
        "location": {"@type": "Place", "name": "Seward Park"},
        "description": "Make a lantern and walk the park with your kids.",
    }
    wrong = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": ["Puppet Show", {"x": 1}],
        "startDate": {"year": 2026},
        "location": 42,
        "offers": "free",
        "eventSchedule": [None, 3],
        "organizer": [[]],
        "image": {"url": None},
        "url": 17,
    }
    scripts = (
        '<script type="application/ld+json">{"@type": "Event", "name": "Broken" , startDate: }</script>'
        f'<script type="application/ld+json">{json.dumps(wrong)}</script>'
        '<script type="application/ld+json">[1, "two", null, {"@graph": "not a list"}]</script>'
        f'<script type="application/ld+json">{json.dumps(good)}</script>'
    )
    html = _page(_card("Toddler Storytime"), head=scripts)
    site = _tiny_site(tmp_path, {"events/index.html": html.encode()})
    with SiteServer(site) as server:
        config = {
            **_listing_config(server.url, "/events/"),
            "structured_data": {"enabled": True, "syntaxes": ["json-ld"], "types": ["Event"]},
        }
        result, items = _crawl_items(config, tmp_path)
    names = sorted(item["name"] for item in items)
    # The wrong-shaped Event gives what has a usable type (the first string of its name list).
    assert names == ["Puppet Show", "Toddler Storytime", "Winter Lantern Walk"]
    stats = result["stats"]
    assert stats["famact/extract/jsonld_malformed"] == 1
    assert "JSON-LD" in result["stderr"] and "not valid JSON" in result["stderr"]
    assert "spider_exceptions/count" not in stats and "Traceback" not in result["stderr"]
