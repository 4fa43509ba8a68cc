"""The feed parsers on feeds written here: recurrences, all-day, time zones, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from famact.feeds import FeedError
from famact.feeds.ics import parse_ics
from famact.feeds.jsonapi import parse_json
from famact.feeds.rss import parse_rss
from famact.models import FeedConfig

TODAY = date(2026, 1, 1)

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//famact tests//EN
BEGIN:VEVENT
UID:storytime@test
SUMMARY:Toddler Storytime
DTSTART;TZID=America/Los_Angeles:20260106T103000
DTEND;TZID=America/Los_Angeles:20260106T110000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=America/Los_Angeles:20260120T103000
LOCATION:Central Library, 1000 4th Ave, Seattle
END:VEVENT
BEGIN:VEVENT
UID:fair@test
SUMMARY:Winter Fair
DTSTART;VALUE=DATE:20260214
DTEND;VALUE=DATE:20260216
END:VEVENT
BEGIN:VEVENT
UID:ny@test
SUMMARY:Zoom Science Hour
DTSTART:20260110T170000Z
END:VEVENT
BEGIN:VEVENT
UID:notitle@test
DTSTART:20260111T170000Z
END:VEVENT
END:VCALENDAR
"""


def test_ics_expands_recurrences_minus_exdate() -> None:
    records = parse_ics(ICS, TODAY).records
    story = [r for r in records if r["title"] == "Toddler Storytime"]
    assert [r["date"][:10] for r in story] == [
        "2026-01-06",
        "2026-01-13",
        "2026-01-27",
        "2026-02-03",
        "2026-02-10",
    ]
    assert story[0]["date"] == "2026-01-06T10:30:00-08:00"
    assert story[0]["venue"] == "Central Library" and story[0]["address"] == "1000 4th Ave, Seattle"


def test_ics_all_day_and_utc_events() -> None:
    result = parse_ics(ICS, TODAY)
    fair = next(r for r in result.records if r["title"] == "Winter Fair")
    assert (fair["date"], fair["end_date"]) == ("2026-02-14", "2026-02-15")
    zoom = next(r for r in result.records if r["title"] == "Zoom Science Hour")
    assert zoom["date"] == "2026-01-10T09:00:00-08:00"  # UTC read in Pacific time
    assert result.skipped["no_title"] == 1


def test_ics_horizon_bounds_an_endless_rule() -> None:
    endless = ICS.replace("RRULE:FREQ=WEEKLY;COUNT=6", "RRULE:FREQ=DAILY")
    story = [
        r for r in parse_ics(endless, TODAY, horizon_days=30).records if r["title"] == "Toddler Storytime"
    ]
    assert len(story) == 24  # Jan 6..30 (25 days) less the EXDATE; nothing past the horizon


def test_ics_events_listed_once_are_kept_outside_the_horizon() -> None:
    # The horizon bounds what a rule generates, not the dates a feed lists one by one.
    once = ICS.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\nUID:annual@test\nSUMMARY:Annual Meeting\nDTSTART:20270127T180000Z\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:past@test\nSUMMARY:December Board Meeting\nDTSTART:20251210T180000Z\n"
        "DTEND:20251210T190000Z\nEND:VEVENT\nEND:VCALENDAR",
    )
    titles = [r["title"] for r in parse_ics(once, TODAY, horizon_days=60).records]
    assert titles.count("Annual Meeting") == 1
    assert titles.count("December Board Meeting") == 1
    assert titles.count("Toddler Storytime") == 5
    assert titles.count("Winter Fair") == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Events</body></html>", "HTML page"),
        (ICS[: len(ICS) // 2].encode(), "truncated"),
        (b"\xff\xfe\x00garbage", "no BEGIN:VCALENDAR"),
        (b"", "no BEGIN:VCALENDAR"),
    ],
)
def test_ics_bad_input_is_one_line_feed_error(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason) as info:
        parse_ics(body, TODAY)
    assert "\n" not in str(info.value)


def test_ics_empty_calendar_gives_no_records() -> None:
    assert parse_ics("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", TODAY).records == []


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Parks</title>
<item><title>Nature Walk</title><link>https://parks.test/walk</link>
<description>Family walk</description><pubDate>Sat, 10 Jan 2026 18:00:00 GMT</pubDate></item>
<item><title>No date here</title><link>https://parks.test/x</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Museum</title><entry><title>Dino Day</title><link href="https://museum.test/dino"/>
<updated>2026-02-01T17:00:00Z</updated><summary>Fossils</summary></entry></feed>"""


def test_rss_and_atom_entries() -> None:
    result = parse_rss(RSS)
    assert result.records == [
        {
            "title": "Nature Walk",
            "description": "Family walk",
            "date": "2026-01-10T10:00:00-08:00",
            "url": "https://parks.test/walk",
        }
    ]
    assert result.skipped["no_date"] == 1
    (dino,) = parse_rss(ATOM).records
    assert (dino["title"], dino["url"], dino["date"]) == (
        "Dino Day",
        "https://museum.test/dino",
        "2026-02-01T09:00:00-08:00",
    )


@pytest.mark.parametrize("body", [b"<html><body>hi</body></html>", b"just text", b"{}"])
def test_rss_rejects_non_feeds(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_rss(body)


JSON_FEED = FeedConfig.model_validate(
    {
        "records": "$.data.events[*]",
        "fields": {
            "title": "$.name",
            "date": "$.when.start",
            "venue": "$.place.name",
            "url": "$.link",
            "category": {"query": "$.tags[*]", "multiple": True},
        },
        "next": "$.links.next",
    }
)


def test_json_nested_records_and_relative_links() -> None:
    body = """{"data": {"events": [
        {"name": "Lego Club", "when": {"start": "2026-01-08T15:00"}, "place": {"name": "Ballard"},
         "link": "/e/1", "tags": ["stem", "kids"]},
        {"name": "Untimed", "link": "/e/2"},
        "not a record"
    ]}, "links": {"next": "/api?page=2"}}"""
    result = parse_json(body, JSON_FEED, "https://lib.test/api")
    assert result.records == [
        {
            "title": "Lego Club",
            "date": "2026-01-08T15:00",
            "venue": "Ballard",
            "url": "https://lib.test/e/1",
            "category": "stem | kids",
        }
    ]
    assert (result.skipped["no_date"], result.skipped["not_an_object"]) == (1, 1)
    assert result.next_url == "https://lib.test/api?page=2"


def test_json_invalid_is_one_line_error() -> None:
    with pytest.raises(FeedError, match=r"invalid JSON: .* line 1"):
        parse_json('{"data": [', JSON_FEED, "https://lib.test/api")


def test_json_max_items_bounds_output() -> None:
    feed = JSON_FEED.model_copy(update={"max_items": 3})
    events = ",".join(f'{{"name": "E{i}", "when": {{"start": "2026-01-08"}}}}' for i in range(10))
    result = parse_json(f'{{"data": {{"events": [{events}]}}}}', feed, "https://lib.test/")
    assert len(result.records) == 3 and result.truncated and result.skipped["over_max_items"] == 7


def test_ics_midnight_to_end_of_day_in_another_zone_keeps_its_days() -> None:
    """An exhibit written as times, midnight to 23:59:59 in New York: its days are May 16 to
    Sep 5 there, not the evening before in Pacific time. A timed event still converts."""
    body = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//famact tests//EN
BEGIN:VEVENT
UID:exhibit@test
SUMMARY:Quilts of the Valley
DTSTART;TZID=America/New_York:20260516T000000
DTEND;TZID=America/New_York:20260905T235959
END:VEVENT
BEGIN:VEVENT
UID:closed@test
SUMMARY:Campus Closed
DTSTART;TZID=America/New_York:20260814T000000
DTEND;TZID=America/New_York:20260815T000000
END:VEVENT
BEGIN:VEVENT
UID:talk@test
SUMMARY:Gallery Talk
DTSTART;TZID=America/New_York:20260806T173000
DTEND;TZID=America/New_York:20260806T190000
END:VEVENT
END:VCALENDAR
"""
    records = {r["title"]: r for r in parse_ics(body, date(2026, 5, 1)).records}
    assert (records["Quilts of the Valley"]["date"], records["Quilts of the Valley"]["end_date"]) == (
        "2026-05-16",
        "2026-09-05",
    )
    closed = records["Campus Closed"]
    assert (closed["date"], closed.get("end_date")) == ("2026-08-14", None)
    assert records["Gallery Talk"]["date"] == "2026-08-06T14:30:00-07:00"
