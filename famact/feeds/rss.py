"""RSS and Atom feeds through feedparser.

An entry's date is its event date when the feed carries one (`ev:startdate`, a calendar
namespace), else its published date: a post announcing an event is dated by the post, and
the normalize pipeline's own date reading of the description may do better.
"""

from __future__ import annotations

from calendar import timegm
from datetime import UTC, datetime
from typing import Any

import feedparser

from famact.constants import TIMEZONE
from famact.feeds.base import FeedError, FeedRecords, first_line, looks_like_html, text_of


def parse_rss(body: bytes | str, max_items: int = 2000) -> FeedRecords:
    text = text_of(body)
    if looks_like_html(text):
        raise FeedError("not an RSS/Atom feed: the URL answered with an HTML page")
    parsed = feedparser.parse(body if isinstance(body, bytes) else body.encode("utf-8"))
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise FeedError(
            f"not an RSS/Atom feed: {first_line(reason) if reason else 'no channel or feed element'}"
        )
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(f"malformed feed: {first_line(parsed.get('bozo_exception'))}")
    result = FeedRecords()
    for entry in parsed.entries:
        result.add(_fields(entry), max_items)
    return result


def _fields(entry: Any) -> dict[str, Any]:
    start = entry.get("ev_startdate") or _struct_time(
        entry.get("published_parsed") or entry.get("updated_parsed")
    )
    return {
        "title": entry.get("title", ""),
        "description": entry.get("summary", ""),
        "date": start,
        "end_date": entry.get("ev_enddate"),
        "venue": entry.get("ev_location", ""),
        "url": entry.get("link", ""),
        "category": ", ".join(t.get("term", "") for t in entry.get("tags", []) if t.get("term")),
    }


def _struct_time(value: Any) -> str | None:
    if value is None:
        return None
    return datetime.fromtimestamp(timegm(value), UTC).astimezone(TIMEZONE).isoformat()
