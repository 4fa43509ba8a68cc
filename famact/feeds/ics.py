"""iCalendar feeds: VEVENTs, with RRULE/RDATE/EXDATE expanded into dated instances.

Expansion is bounded (`horizon_days` from `today`) so an endless rule cannot flood a crawl
(an event listed once, with no rule, is kept whatever its date);
`today` is a parameter so tests pin it. Floating times and all-day events read in the
project's time zone (America/Los_Angeles) unless the event names its TZID. An event timed
from midnight to the end of a day is all-day in its own zone (its days are not shifted).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
import recurring_ical_events

from famact.constants import TIMEZONE
from famact.feeds.base import FeedError, FeedRecords, first_line, looks_like_html, text_of


def parse_ics(body: bytes | str, today: date, horizon_days: int = 180, max_items: int = 2000) -> FeedRecords:
    text = text_of(body)
    if looks_like_html(text):
        raise FeedError("not an iCalendar feed: the URL answered with an HTML page")
    if "BEGIN:VCALENDAR" not in text[:2000].upper():
        raise FeedError("not an iCalendar feed: no BEGIN:VCALENDAR")
    if "END:VCALENDAR" not in text.upper():
        raise FeedError("truncated iCalendar feed: no END:VCALENDAR")
    try:
        calendar = icalendar.Calendar.from_ical(text)
        start = datetime.combine(today, time(0), TIMEZONE)
        end = start + timedelta(days=horizon_days)
        events = list(recurring_ical_events.of(calendar).between(start, end))
        # The window bounds what rules generate; an event the feed lists once, with no rule,
        # is a listing whatever its date (a year's meetings, last week's included).
        for event in calendar.walk("VEVENT"):
            if event.get("RRULE") or event.get("RDATE") or event.get("RECURRENCE-ID"):
                continue
            first = _sort_key(event.get("DTSTART"))
            last = _sort_key(event.get("DTEND")) if event.get("DTEND") is not None else first
            if last < start or first >= end:
                events.append(event)
    except Exception as exc:  # icalendar raises ValueError, KeyError... on malformed content
        raise FeedError(f"malformed iCalendar feed: {first_line(exc)}") from exc
    result = FeedRecords()
    for event in sorted(events, key=lambda e: _sort_key(e.get("DTSTART"))):
        result.add(_fields(event), max_items)
    return result


def _sort_key(prop: Any) -> datetime:
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=TIMEZONE)
    if isinstance(value, date):
        return datetime.combine(value, time(0), TIMEZONE)
    return datetime.max.replace(tzinfo=TIMEZONE)


def _when(prop: Any) -> str | None:
    """ISO text: a date for all-day events, a local datetime with its offset otherwise."""
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        local = (value if value.tzinfo else value.replace(tzinfo=TIMEZONE)).astimezone(TIMEZONE)
        return local.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None


def _whole_days(start: Any, end: Any) -> tuple[str, str | None] | None:
    """(first day, last day) of an event timed from midnight to the end of a day in its own
    zone ("20260516T000000" to "20260905T235959", New York): all-day events written as times.
    Read in the zone they name, their days stay theirs; converted to Pacific time, midnight
    would fall on the evening before."""
    first, last = getattr(start, "dt", None), getattr(end, "dt", None)
    if not (isinstance(first, datetime) and isinstance(last, datetime)) or first.time() != time(0):
        return None
    if last.time() == time(0) and last > first:
        last -= timedelta(days=1)  # an exclusive midnight end: the day before is the last
    elif last.time() < time(23, 59):
        return None
    return first.date().isoformat(), last.date().isoformat() if last.date() > first.date() else None


def _fields(event: Any) -> dict[str, Any]:
    start, end = event.get("DTSTART"), event.get("DTEND")
    days = _whole_days(start, end)
    start_text: str | None
    end_text: str | None
    if days is not None:
        start_text, end_text = days
    elif (
        isinstance(getattr(start, "dt", None), date)
        and not isinstance(start.dt, datetime)
        and end is not None
    ):
        # DTEND of an all-day event is exclusive: the last day is the day before.
        end_value = getattr(end, "dt", None)
        end_text = (end_value - timedelta(days=1)).isoformat() if isinstance(end_value, date) else None
        start_text = _when(start)
    else:
        start_text, end_text = _when(start), _when(end)
    location = str(event.get("LOCATION") or "")
    venue, _, address = location.partition(",")
    status = str(event.get("STATUS") or "")
    return {
        "title": str(event.get("SUMMARY") or ""),
        "description": str(event.get("DESCRIPTION") or ""),
        "date": start_text,
        "end_date": end_text if end_text != start_text else None,
        "venue": venue.strip(),
        "address": address.strip(),
        "url": str(event.get("URL") or ""),
        "status": "Cancelled" if status.upper() == "CANCELLED" else "",
        "category": ", ".join(str(c) for c in _categories(event)),
    }


def _categories(event: Any) -> list[str]:
    value = event.get("CATEGORIES")
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [str(c) for item in items for c in getattr(item, "cats", [item])]
