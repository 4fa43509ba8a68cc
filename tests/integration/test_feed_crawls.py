"""Crawl an ICS, an RSS and a paginated JSON API served on 127.0.0.1 through the real runner
(`famact crawl --no-store --output`): feeds go through the same spider and pipelines as pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.analyze_crawl import crawl_no_store
from tests.support.feeds import TODAY, feed_config, write_feed_site
from tests.support.scoring import load_jsonl
from tests.support.site_server import SiteServer

pytestmark = pytest.mark.integration


def crawl_feed(config: dict[str, Any], tmp_path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    out = tmp_path / "items.jsonl"
    proc = crawl_no_store(config_path, out, today=TODAY, timeout_s=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return load_jsonl(out), json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def feed_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with SiteServer(write_feed_site(tmp_path_factory.mktemp("feeds"))) as server:
        yield server


def test_ics_feed_crawls_recurring_instances(feed_server: SiteServer, tmp_path: Path) -> None:
    items, _ = crawl_feed(feed_config("ics", feed_server.url, "calendar.ics"), tmp_path)
    # The five instances (six weekly, less the EXDATE) merge into one recurring listing.
    (story,) = [i for i in items if i["name"] == "Toddler Storytime"]
    occurrences = story["schedule"]["occurrences"]
    assert [o["date"] for o in occurrences] == [
        "2026-01-06",
        "2026-01-13",
        "2026-01-27",
        "2026-02-03",
        "2026-02-10",
    ]
    assert {o["start_time"] for o in occurrences} == {"10:30"} and story["recurring"] is True
    assert story["venue_name"] == "Central Library"
    (fair,) = [i for i in items if i["name"] == "Winter Family Fair"]
    assert (fair["start_date"], fair["start_time"], fair["end_date"]) == ("2026-02-14", None, None)
    assert len(items) == 2


def test_rss_feed_crawls_entries(feed_server: SiteServer, tmp_path: Path) -> None:
    items, _ = crawl_feed(feed_config("rss", feed_server.url, "feed.xml"), tmp_path)
    assert sorted((i["name"], i["start_date"]) for i in items) == [
        ("Family Nature Walk", "2026-01-10"),
        ("Junior Ranger Day", "2026-01-18"),
    ]


def test_json_api_follows_next_page(feed_server: SiteServer, tmp_path: Path) -> None:
    items, _ = crawl_feed(feed_config("json_api", feed_server.url, "api/events.json"), tmp_path)
    assert sorted((i["name"], i["start_date"], i.get("venue_name")) for i in items) == [
        ("Lego Robotics Club", "2026-01-08", "Ballard Branch"),
        ("Teen Art Lab", "2026-01-09", "Fremont Branch"),
    ]
    assert feed_server.requested("/api/events-2.json")


def test_json_api_stops_at_max_pages(feed_server: SiteServer, tmp_path: Path) -> None:
    config = feed_config("json_api", feed_server.url, "api/events.json", max_pages=1)
    items, _ = crawl_feed(config, tmp_path)
    assert [i["name"] for i in items] == ["Lego Robotics Club"]
