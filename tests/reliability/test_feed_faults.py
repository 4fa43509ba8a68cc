"""Feed faults: each served by a real HTTP server on 127.0.0.1 and met by a real crawl.

A truncated ICS runs against a feed already crawled into dynalite and compares an `export`
before and after (nothing stored lost, nothing marked inactive); invalid JSON, a JSON API
answering 500 once, and a 5,000-event feed run `--no-store` and check the outcome.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.reliability.conftest import FaultRecord
from tests.reliability.crawls import crawl, create_tables, export, store_env, without_timestamps
from tests.support.feeds import ICS, TODAY, feed_config, write_feed_site
from tests.support.site_server import SiteServer

pytestmark = pytest.mark.integration


def test_truncated_ics_is_a_feed_error_and_loses_nothing(
    dynalite_endpoint: str, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "an ICS feed already stored is served cut in half (no END:VCALENDAR)"
    fault.behaviour = (
        "a feed_error on the execution (outcome partial), vanished-marking refused, nothing lost"
    )
    env = store_env(dynalite_endpoint, f"ff{uuid.uuid4().hex[:8]}-")
    create_tables(env)
    site = write_feed_site(tmp_path / "site")
    with SiteServer(site) as server:
        config = feed_config("ics", server.url, "calendar.ics")
        first = crawl(config, env, tmp_path, TODAY)
        assert first["execution"]["items_scraped"] == 2
        before = export(env)
        assert len(before) == 4  # two events and their two venues
        (site / "pages" / "calendar.ics").write_text(ICS[: len(ICS) // 2], encoding="utf-8")
        result = crawl(config, env, tmp_path, TODAY)

    execution = result["execution"]
    assert execution["errors_by_kind"] == {"feed_error": 1}
    assert execution["outcome"] == "partial"
    assert "truncated iCalendar feed: no END:VCALENDAR" in result["stderr"]
    assert result["stats"]["famact/vanished/refused"]  # no listing is taken for gone
    after = export(env)
    kept, now = without_timestamps(before), without_timestamps(after)
    fault.items_lost = sum(1 for pk, row in kept.items() if now.get(pk) != row)
    assert now == kept
    assert not [r for r in after.values() if r["status"] == "inactive"]


def test_invalid_json_is_one_clear_error(tmp_path: Path, fault: FaultRecord) -> None:
    fault.injected = "a JSON API answers 200 with a body cut mid-array"
    fault.behaviour = "one feed_error naming the JSON error and its position; no items, no crash"
    env = store_env("http://127.0.0.1:9", "unused-")
    with SiteServer(write_feed_site(tmp_path / "site")) as server:
        server.set_route(
            "/api/events.json",
            {"status": 200, "body": '{"data": {"events": [', "content_type": "application/json"},
        )
        result = crawl(
            feed_config("json_api", server.url, "api/events.json"), env, tmp_path, TODAY, store=False
        )
    assert result["execution"]["errors_by_kind"] == {"feed_error": 1}
    assert result["execution"]["items_scraped"] == 0
    assert "invalid JSON: Expecting value at line 1 column 22" in result["stderr"]


def test_json_api_answering_500_then_200_is_retried(tmp_path: Path, fault: FaultRecord) -> None:
    fault.injected = "a JSON API's first page answers HTTP 500 once, then 200"
    fault.behaviour = "retried; both pages' items, no error on the execution"
    env = store_env("http://127.0.0.1:9", "unused-")
    with SiteServer(write_feed_site(tmp_path / "site")) as server:
        server.set_route("/api/events.json", {"status": 500, "times": 1})
        result = crawl(
            feed_config("json_api", server.url, "api/events.json"), env, tmp_path, TODAY, store=False
        )
        assert len(server.requested("/api/events.json")) == 2
    assert result["execution"]["items_scraped"] == 2
    assert result["execution"]["error_count"] == 0
    assert result["stats"]["retry/count"] == 1


def test_feed_of_5000_events_gives_bounded_output(tmp_path: Path, fault: FaultRecord) -> None:
    fault.injected = "an ICS feed of 5,000 distinct events, feed.max_items 300"
    fault.behaviour = "the first 300 by start are crawled, 4,700 counted as over_max_items and logged"
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{i}@test\r\nSUMMARY:Workshop number {i}\r\n"
        f"DTSTART;TZID=America/Los_Angeles:2026{1 + i % 6:02d}{1 + i % 28:02d}T{8 + i % 10:02d}0000\r\n"
        "END:VEVENT\r\n"
        for i in range(5000)
    )
    big = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n"
    env = store_env("http://127.0.0.1:9", "unused-")
    with SiteServer(write_feed_site(tmp_path / "site", {"big.ics": big})) as server:
        config = feed_config("ics", server.url, "big.ics", max_items=300)
        result = crawl(config, env, tmp_path, TODAY, store=False)
    assert result["execution"]["items_scraped"] == 300
    assert result["stats"]["famact/extract/feed_skipped_over_max_items"] == 4700
    assert "more records than feed.max_items; 4700 left out" in result["stderr"]
