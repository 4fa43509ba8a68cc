"""Feeds written for the crawl tests (an ICS, an RSS and a paginated JSON API) as a site
directory SiteServer can serve, plus a config per feed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.site_server import FAST

TODAY = "2026-01-01"

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//famact tests//EN\r
BEGIN:VEVENT\r
UID:storytime@test\r
SUMMARY:Toddler Storytime\r
DTSTART;TZID=America/Los_Angeles:20260106T103000\r
DTEND;TZID=America/Los_Angeles:20260106T110000\r
RRULE:FREQ=WEEKLY;COUNT=6\r
EXDATE;TZID=America/Los_Angeles:20260120T103000\r
LOCATION:Central Library, 1000 4th Ave, Seattle\r
DESCRIPTION:Songs and stories for ages 1-3. Free.\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:fair@test\r
SUMMARY:Winter Family Fair\r
DTSTART;VALUE=DATE:20260214\r
DTEND;VALUE=DATE:20260215\r
LOCATION:Seattle Center\r
END:VEVENT\r
END:VCALENDAR\r
"""

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Parks news</title>
<link>http://SITE_BASE/</link><description>Parks</description>
<item><title>Family Nature Walk</title><link>http://SITE_BASE/walk</link>
<description>A guided walk for families. Free.</description>
<pubDate>Sat, 10 Jan 2026 18:00:00 GMT</pubDate></item>
<item><title>Junior Ranger Day</title><link>http://SITE_BASE/ranger</link>
<description>Ages 6-12.</description><pubDate>Sun, 18 Jan 2026 19:00:00 GMT</pubDate></item>
</channel></rss>
"""


def json_page(events: list[dict[str, Any]], next_url: str | None) -> str:
    return json.dumps({"data": {"events": events}, "links": {"next": next_url}})


JSON_PAGES = {
    "api/events.json": json_page(
        [
            {
                "name": "Lego Robotics Club",
                "start": "2026-01-08T15:00:00-08:00",
                "place": {"name": "Ballard Branch"},
                "link": "/e/lego",
            }
        ],
        "/api/events-2.json",
    ),
    "api/events-2.json": json_page(
        [
            {
                "name": "Teen Art Lab",
                "start": "2026-01-09T16:00:00-08:00",
                "place": {"name": "Fremont Branch"},
                "link": "/e/art",
            }
        ],
        None,
    ),
}


def write_feed_site(root: Path, files: dict[str, str] | None = None) -> Path:
    """A site directory with the three feeds (or `files`, path -> text) under pages/."""
    pages = root / "pages"
    for relative, text in (files or {"calendar.ics": ICS, "feed.xml": RSS, **JSON_PAGES}).items():
        path = pages / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def feed_config(kind: str, base_url: str, path: str, **feed: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "source_id": f"feed-{kind.replace('_', '-')}",
        "source_name": f"Test {kind} feed",
        "kind": kind,
        "base_url": f"{base_url}/",
        "target_urls": [f"{base_url}/{path}"],
        "scraping_config": {**FAST, "respect_robots_txt": False},
    }
    if kind == "json_api":
        feed = {
            "records": "$.data.events[*]",
            "fields": {"title": "$.name", "date": "$.start", "venue": "$.place.name", "url": "$.link"},
            "next": "$.links.next",
            **feed,
        }
    if feed:
        config["feed"] = feed
    return config
