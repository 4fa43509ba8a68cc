"""Search results as an iCalendar feed: one VEVENT per result at its next date.

UIDs come from the entity (type and id), so a calendar app that re-reads the feed updates an
event instead of adding it twice; a cancelled entity stays in the feed as STATUS:CANCELLED so
subscribers see the cancellation rather than a silent disappearance.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

TIMEZONE = "America/Los_Angeles"
PRODID = "-//famact//family activities//EN"


def _time(value: Any) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return None


def _location(item: dict[str, Any]) -> str | None:
    address = item.get("address") or {}
    parts = [item.get("venue_name"), address.get("street"), address.get("city")]
    text = ", ".join(str(p) for p in parts if p)
    return text or None


def build_calendar(items: Iterable[dict[str, Any]], *, name: str, stamp: datetime) -> bytes:
    """The feed for these search results (items as `famact.search` returns them)."""
    tz = ZoneInfo(TIMEZONE)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIMEZONE)
    for item in items:
        day = item.get("next_date")
        if not day:
            continue  # an ongoing listing (a venue's opening) has no moment to put in a calendar
        event = icalendar.Event()
        event.add("uid", f"{item['entity_type'].lower()}-{item['entity_id']}@famact")
        event.add("dtstamp", stamp)
        event.add("summary", str(item.get("name", "")))
        start_day = date.fromisoformat(day)
        start = _time(item.get("next_start_time"))
        if start is None:
            event.add("dtstart", start_day)
            event.add("dtend", start_day + timedelta(days=1))
        else:
            begin = datetime.combine(start_day, start, tzinfo=tz)
            end_time = _time(
                item.get("next_end_time")
                or item.get("end_time")
                or (item.get("schedule") or {}).get("end_time")
            )
            end = datetime.combine(start_day, end_time, tzinfo=tz) if end_time else None
            event.add("dtstart", begin)
            event.add("dtend", end if end and end > begin else begin + timedelta(hours=1))
        if item.get("description"):
            event.add("description", str(item["description"])[:2000])
        location = _location(item)
        if location:
            event.add("location", location)
        if item.get("url"):
            event.add("url", str(item["url"]))
        event.add("status", "CANCELLED" if item.get("status") == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    if not any(c.name == "VTIMEZONE" for c in cal.subcomponents):
        cal.add_component(icalendar.Timezone.from_tzid(TIMEZONE))
    return cal.to_ical()
