"""From a raw listing to a normalized, classified entity: pure functions, no I/O.

`process_listing` is the one path from a raw listing to an entity or a drop reason. The
crawler's pipelines call its steps one each (`screen_listing` -> `normalize_or_drop` ->
`classify_listing`) and only count stats; the analyzer's trial run calls `process_listing`
itself, so a config is judged by exactly what a crawl would store.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError

from famact.classify import (
    DEFAULT_THRESHOLD,
    PAGE_ROLES,
    ClassificationResult,
    ClassifierInput,
    PageContext,
    SecondOpinion,
    categorize,
    classify,
    out_of_scope_reason,
)
from famact.constants import (
    UNKNOWN,
    WEEKDAYS,
    AgeGroup,
    Category,
    ClassificationMethod,
    EntityStatus,
    EntityType,
    PricingType,
    ScheduleType,
    SourceType,
    Weekday,
)
from famact.errors import validation_message
from famact.keys import make_entity_id, make_venue_id, slugify
from famact.models import (
    ENTITY_MODELS,
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
    MAX_OCCURRENCES,
    Address,
    AgeRange,
    Classification,
    Coordinates,
    EntityBase,
    Occurrence,
    OperatingHours,
    Pricing,
    RawListing,
    Registration,
    Schedule,
    SourceConfig,
    SourceDefaults,
    TitleFilter,
)
from famact.normalize.ages import Ages, parse_ages, split_film_certificate
from famact.normalize.dates import (
    MULTI_DAY_RUN_DAYS,  # a 1-14 day run (festival weekend, Nutcracker run) is one EVENT
    When,
    expand_weekly,
    parse_time_range,
    parse_when,
    title_without_its_date,
    to_local,
)
from famact.normalize.places import parse_address, resolve_place, split_venue
from famact.normalize.prices import parse_price
from famact.normalize.prose import mine_fields
from famact.normalize.status import detect_status
from famact.normalize.text import clean_text, truncate

_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_TIME_TOKEN = re.compile(r"^\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*$", re.I)
_PRICE_IN_TEXT = re.compile(r"[^.;\n]*(?:\$\s?\d|\bfree\b|\bgratis\b|\bby donation\b)[^.;\n]*", re.I)
_FREE_WORDING = re.compile(
    r"\b(free admission|admission is free|free event|free and open|free for (?:all|everyone|families|kids)"
    r"|free (?:community|family) (?:event|day|night))\b",
    re.I,
)
# A sentence that says only that it is free: "Free.", "Always free!", "Admission: free".
_FREE_SENTENCE = re.compile(
    r"^\s*(?:(?:admission|entry|cost|price|fee|tickets?)\s*(?:is|:)?\s*|it'?s\s+"
    r"|this (?:event|class|program) is\s+|(?:always|totally|completely|100%)\s+)?"
    r"(?:free|gratis|gratuito)(?:\s+(?:admission|entry|event|for (?:all|everyone|kids|families|all ages)"
    r"|and open to (?:all|the public|everyone)))?\s*[.!]*\s*$",
    re.I,
)
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\b\.?|\bnoon\b", re.I)
_AGE_HINT = re.compile(
    r"\b(ages?|grades?|yrs|years|months|mos|toddlers?|preschool(?:ers)?|infants?|bab(?:y|ies)|teens?|tweens?|"
    r"all ages|families|edades)\b",
    re.I,
)
# A path segment or query value that is a date: The Events Calendar gives each occurrence of a
# recurring event its own URL (/event/storytime/2026-12-02/); they are one entity.
_DATE_SEGMENT = re.compile(r"/\d{4}-\d{2}-\d{2}(?=/|$)")


@dataclass(frozen=True)
class NormalizedListing:
    """A raw listing's fields in canonical form, before the type is decided."""

    raw: RawListing
    fields: dict[str, str | None]  # the page's fields, cleaned, plus what its text stated
    name: str
    description: str | None
    when: When
    ages: Ages
    pricing: Pricing | None
    address: Address | None
    city: str
    region: str
    status: EntityStatus
    venue_name: str | None
    url: str | None
    image_url: str | None
    coordinates: Coordinates | None
    registration_text: str | None
    hours_text: str | None
    provider_name: str | None
    phone: str | None


def normalize_listing(
    raw: RawListing, *, today: date, defaults: SourceDefaults | None = None
) -> NormalizedListing:
    """Canonical fields of one listing. Raises ValueError when it has no usable title."""
    defaults = defaults or SourceDefaults()
    fields = {k: clean_text(v) for k, v in raw.fields.items()}
    name = fields.get("title")
    if not name:
        raise ValueError("title: the listing has no title")
    name, certificate_ages = split_film_certificate(name)
    if certificate_ages and not fields.get("ages"):
        fields["ages"] = certificate_ages  # "Kick-Ass 2 (15)": the certificate is who may go
    fields = _with_prose_fields(fields, raw, name, defaults, today)
    name = truncate(name, MAX_NAME_CHARS) or name[:MAX_NAME_CHARS]
    description = truncate(fields.get("description"), MAX_DESCRIPTION_CHARS)

    when = _parse_when(fields, raw, today)
    if when.start_date is not None:
        # The date is read: the title need not repeat it.
        name = title_without_its_date(name, when.start_date)
    ages = _parse_ages(fields, name, description)
    pricing = _parse_pricing(fields, name, description)
    address = parse_address(fields.get("address")) or parse_address(defaults.address)
    venue_name = fields.get("venue") or defaults.venue_name
    city, region = _place(fields.get("city"), address, venue_name, defaults)
    status = detect_status(
        fields.get("status"), name, (description or "")[:160], when=when if when.parsed else None, today=today
    )
    return NormalizedListing(
        raw=raw,
        fields=fields,
        name=name,
        description=description,
        when=when,
        ages=ages,
        pricing=pricing,
        address=address,
        city=city,
        region=region,
        status=status,
        venue_name=truncate(venue_name, MAX_NAME_CHARS),
        url=raw.url or _http_or_none(fields.get("url")),
        image_url=_http_or_none(fields.get("image")),
        coordinates=_coordinates(fields.get("latitude"), fields.get("longitude")),
        registration_text=fields.get("registration"),
        hours_text=fields.get("hours"),
        provider_name=fields.get("organizer") or defaults.provider_name,
        phone=fields.get("phone"),
    )


# Fields that prose mining may fill; the page's own fields always win (famact.normalize.prose).
_WHEN_FIELDS = ("date", "end_date", "schedule")
_PLACE_FIELDS = ("venue", "address", "city")


def _with_prose_fields(
    fields: dict[str, str | None], raw: RawListing, name: str, defaults: SourceDefaults, today: date
) -> dict[str, str | None]:
    """Fill the fields a page did not give from its text, before anything is parsed.

    A venue cell "Name, 8408 Greenwood Ave N, Seattle" is split into the venue's name and
    the address (used when no address was extracted). Then `mine_fields` reads the title and
    description ("Sat, Nov 28, 6pm at Sunset Point Beach, Seattle. Free!"): dates only when
    the page gave no date/schedule at all, a time only to a date without one (and only when the
    text's own date, if any, is the same day), place fields
    only when the page (or the source's defaults) names no place, price, ages and hours when
    absent.
    """
    out = dict(fields)
    venue, rest = split_venue(raw.fields.get("venue"))
    if fields.get("venue"):
        out["venue"] = venue
        if rest and not fields.get("address"):
            out["address"] = rest
    mined = mine_fields(name, raw.fields.get("description"))
    if not mined:
        return out
    if not any(out.get(k) for k in _WHEN_FIELDS):
        if mined.get("date") or mined.get("schedule"):  # a time alone says nothing of when
            for key in ("date", "schedule", "time"):
                if mined.get(key) and not out.get(key):
                    out[key] = mined[key]
    elif not out.get("time") and mined.get("time") and not _CLOCK.search(out.get("date") or ""):
        text_date = mined.get("date")
        page_day = parse_when(out.get("date"), None, None, today=today).start_date
        text_day = parse_when(text_date, None, None, today=today).start_date if text_date else None
        if text_day is None or text_day == page_day:
            out["time"] = mined["time"]
    if not any(out.get(k) for k in _PLACE_FIELDS) and not (defaults.venue_name or defaults.address):
        for key in _PLACE_FIELDS:
            if mined.get(key):
                out[key] = mined[key]
    for key in ("price", "ages", "hours"):
        if mined.get(key) and not out.get(key):
            out[key] = mined[key]
    return out


def _parse_when(fields: dict[str, str | None], raw: RawListing, today: date) -> When:
    date_text, end_text = fields.get("date"), fields.get("end_date")
    time_text = _time_text(fields.get("time"))
    if date_text and _ISO_DATETIME.match(date_text):
        when = _when_from_iso(date_text, end_text, _rrule_text(fields.get("schedule")), today)
        if when.start_time is None and time_text:
            when = _with_times(when, time_text)
        return when
    context = " | ".join(
        v for v in (raw.page_context.get("heading"), raw.page_context.get("page_title")) if v
    )
    if end_text and date_text and end_text not in date_text:
        date_text = f"{date_text} - {end_text}"
    when = parse_when(
        date_text,
        time_text,
        fields.get("schedule"),
        today=today,
        context=context or None,
        archive=raw.page_context.get("archive") == "1",
        day_first=raw.page_context.get("date_order") == "dmy",
    )
    return _with_trailing_end_time(when, date_text)


def _with_trailing_end_time(when: When, date_text: str | None) -> When:
    """ "December 28 @ 9:00 am - December 30 @ 3:00 pm": the last clock time is the end."""
    if not (when.parsed and when.start_time and not when.end_time and date_text):
        return when
    times = _CLOCK.findall(date_text)
    if len(times) != 2:
        return when
    start, end = parse_time_range(f"{times[0]} - {times[1]}")
    if start != when.start_time or not end:
        return when
    occurrences = tuple((d, s, e or end) for d, s, e in when.occurrences)
    return replace(when, end_time=end, occurrences=occurrences)


def _time_text(value: str | None) -> str | None:
    """A time field selected as two matches ("10:00 AM | 11:00 AM", start and end
    elements) is a range, not two showtimes."""
    if value and value.count(" | ") == 1:
        start, end = value.split(" | ")
        if _TIME_TOKEN.match(start) and _TIME_TOKEN.match(end):
            return f"{start.strip()} - {end.strip()}"
    return value


def _with_times(when: When, time_text: str) -> When:
    start, end = parse_time_range(time_text)
    if start is None:
        return when
    occurrences = tuple((d, s or start, e or end) for d, s, e in when.occurrences)
    return replace(when, start_time=start, end_time=end, occurrences=occurrences)


_RRULE_DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def _rrule_text(value: str | None) -> str | None:
    """An iCalendar RRULE in schema.org eventSchedule ("FREQ=WEEKLY;BYDAY=FR") as the words
    the date parser reads ("every Friday")."""
    if not value or "FREQ=" not in value.upper():
        return value
    parts = dict(p.split("=", 1) for p in value.upper().split(";") if "=" in p)
    days = [_RRULE_DAYS[d[-2:]] for d in parts.get("BYDAY", "").split(",") if d[-2:] in _RRULE_DAYS]
    if parts.get("FREQ") == "DAILY":
        return "daily"
    if parts.get("FREQ") == "WEEKLY" and days:
        return "every " + " and ".join(days)
    return None


def _when_from_iso(start_text: str, end_text: str | None, schedule_text: str | None, today: date) -> When:
    """Structured data dates (JSON-LD startDate/endDate) are exact: no year guessing."""
    start_day, start_time = to_local(start_text)
    end_day, end_time = to_local(end_text) if end_text and _ISO_DATE.match(end_text) else (None, None)
    if end_day == start_day:
        end_day = None
    days = (end_day - start_day).days if end_day else 0
    if schedule_text:
        # An eventSchedule next to the dates ("every Tuesday"): let the text parser expand it.
        extra = parse_when(None, None, schedule_text, today=today)
        if extra.days_of_week:
            occurrences = extra.occurrences
            if end_day and not occurrences:
                occurrences = tuple(
                    (d, start_time, end_time)
                    for d in expand_weekly(start_day, end_day, extra.days_of_week, MAX_OCCURRENCES)
                )
            return When(
                start_date=start_day,
                end_date=end_day,
                start_time=start_time,
                end_time=end_time,
                days_of_week=extra.days_of_week,
                occurrences=occurrences or ((start_day, start_time, end_time),),
                recurring=True,
                session_count=extra.session_count,
                parsed=True,
            )
    if 0 < days < MULTI_DAY_RUN_DAYS:
        occurrences = tuple((start_day + timedelta(days=i), start_time, end_time) for i in range(days + 1))
    else:
        occurrences = ((start_day, start_time, end_time),)
    return When(
        start_date=start_day,
        end_date=end_day,
        start_time=start_time,
        end_time=end_time,
        days_of_week=(),
        occurrences=occurrences,
        recurring=False,
        session_count=None,
        parsed=True,
    )


def _place(
    city_text: str | None, address: Address | None, venue_name: str | None, defaults: SourceDefaults
) -> tuple[str, str]:
    """City and region: a stated city or address first; a venue's name is weak evidence
    ("Lakewood Heights CC" is in Seattle), used only when it agrees with the source's
    default city or there is none."""
    city, region = resolve_place(city_text, address.text if address else None)
    if city != UNKNOWN:
        return city, region
    default = resolve_place(default_city=defaults.city, default_region=defaults.region)
    if venue_name:
        by_venue = resolve_place(venue_name)
        if by_venue[0] != UNKNOWN and (default[0] in (UNKNOWN, by_venue[0])):
            if default[1] not in (UNKNOWN, by_venue[0]) and by_venue[1] == by_venue[0]:
                return by_venue[0], default[1]  # a bare city name keeps the default's finer region
            return by_venue
    return default


def _parse_ages(fields: dict[str, str | None], name: str, description: str | None) -> Ages:
    ages = parse_ages(fields.get("ages"))
    if ages.parsed:
        return ages
    for text in (name, (description or "")[:600]):
        if text and _AGE_HINT.search(text):
            ages = parse_ages(text)
            if ages.parsed:
                return ages
    return ages


def _parse_pricing(fields: dict[str, str | None], name: str, description: str | None) -> Pricing | None:
    pricing = parse_price(fields.get("price"))
    if pricing is not None:
        return pricing
    text = (description or "")[:1500]
    match = _PRICE_IN_TEXT.search(text)
    if match and "$" in match.group(0):
        return parse_price(match.group(0).strip())
    if _FREE_WORDING.search(f"{name}. {text}") or re.match(r"^\s*free\b", name, re.I):
        return parse_price("Free")
    if any(_FREE_SENTENCE.match(sentence) for sentence in re.split(r"(?<=[.!?;])\s+|\n", text)):
        return parse_price("Free")
    return None


def _http_or_none(value: str | None) -> str | None:
    if value and urlsplit(value).scheme in ("http", "https"):
        return value
    return None


def _coordinates(lat: str | None, lng: str | None) -> Coordinates | None:
    try:
        return Coordinates(lat=Decimal(lat), lng=Decimal(lng)) if lat and lng else None
    except (ValueError, ArithmeticError):
        return None


# -- classification input ---------------------------------------------------------------------


# The kind of site a source is, as the classifier's page context names it; the other source
# types (event calendars, program directories, "other") say nothing sure about the site.
SITE_KIND_OF_SOURCE: dict[SourceType, str] = {
    SourceType.VENUE_WEBSITE: "venue_site",
    SourceType.MUSEUM: "museum",
    SourceType.LIBRARY: "library",
    SourceType.AGGREGATOR: "aggregator",
}


def page_context(
    listing: NormalizedListing, source_type: SourceType | None, defaults: SourceDefaults | None
) -> PageContext | None:
    """What the crawl knows of where the listing sat: the extractor's page role, the kind of
    site the config says the source is, and the config's default type."""
    role = listing.raw.page_context.get("page_role")
    context = PageContext(
        page_role=role if role in PAGE_ROLES else None,
        site_kind=SITE_KIND_OF_SOURCE.get(source_type) if source_type is not None else None,
        default_type=defaults.entity_type if defaults is not None else None,
    )
    return None if context == PageContext() else context


def classifier_input(listing: NormalizedListing, context: PageContext | None = None) -> ClassifierInput:
    f = listing.fields
    date_text = " - ".join(v for v in (f.get("date"), f.get("end_date")) if v) or None
    schedule_text = " ".join(v for v in (f.get("schedule"), f.get("time"), f.get("hours")) if v) or None
    return ClassifierInput(
        title=listing.name,
        description=listing.description,
        date_text=date_text,
        schedule_text=schedule_text,
        price_text=f.get("price"),
        age_text=f.get("ages"),
        venue_text=listing.venue_name or f.get("address"),
        url=listing.url,
        structured_type=listing.raw.structured_type,
        site_label=f.get("type") or f.get("category"),
        context=context,
    )


# -- entity building --------------------------------------------------------------------------


def build_entity(
    listing: NormalizedListing,
    result: ClassificationResult,
    category: Category,
) -> EntityBase:
    """The entity a listing becomes once its type is known. Deterministic: the same listing
    always gives the same id and content_hash."""
    entity_type = result.entity_type
    model = ENTITY_MODELS[entity_type]
    schedule, hours = _schedule_for(entity_type, listing)
    if entity_type is EntityType.VENUE:
        entity_id = make_venue_id(listing.name, listing.city)
        venue_name: str | None = listing.name
        venue_id: str | None = entity_id
    else:
        entity_id = make_entity_id(listing.name, *entity_identity(entity_type, listing, schedule))
        venue_name = listing.venue_name
        venue_id = make_venue_id(venue_name, listing.city) if venue_name else None
    provider = listing.provider_name
    data: dict[str, Any] = {
        "entity_id": entity_id,
        "name": listing.name,
        "description": listing.description,
        "category": category,
        "age_groups": list(listing.ages.groups) or [AgeRange(category=AgeGroup.ALL_AGES)],
        "min_age_months": listing.ages.min_months,
        "max_age_months": listing.ages.max_months,
        "pricing": listing.pricing,
        "registration": _registration(listing),
        "venue_id": venue_id,
        "venue_name": venue_name,
        "address": listing.address,
        "region": listing.region,
        "city": listing.city,
        "coordinates": listing.coordinates,
        "schedule": schedule,
        "operating_hours": hours,
        "url": listing.url,
        "image_url": listing.image_url,
        "source_id": listing.raw.source_id,
        "provider_id": slugify(provider, 80) if provider and slugify(provider, 80) else listing.raw.source_id,
        "provider_name": provider,
        "status": listing.status,
        "classification": Classification(
            confidence=round(result.confidence, 3), method=result.method, reasons=list(result.reasons)[:8]
        ),
    }
    if entity_type is EntityType.VENUE and listing.phone:
        data["phone"] = listing.phone[:40]
    entity = model.model_validate(data)
    return with_content_hash(entity)


def entity_identity(
    entity_type: EntityType, listing: NormalizedListing, schedule: Schedule
) -> tuple[str, ...]:
    """What makes two listings the same entity (ARCHITECTURE section 2).

    A listing with its own detail page is identified by that page's canonical URL (for events,
    with a date segment removed so a recurring event's per-date pages are one entity). Without
    one: the title and venue; a program section adds its start date, days and time, because
    two sections of one course are two things you enroll in.
    """
    source = listing.raw.source_id
    url = listing.url
    if url and url.rstrip("/") != listing.raw.page_url.rstrip("/"):
        canonical = _canonical(url, strip_dates=entity_type is EntityType.EVENT)
        if entity_type is EntityType.PROGRAM:
            return (source, canonical, _norm(listing.name))
        return (source, canonical)
    parts = [source, _norm(listing.name), _norm(listing.venue_name or "")]
    if entity_type is EntityType.PROGRAM:
        parts += [
            schedule.start_date.isoformat() if schedule.start_date else "",
            ",".join(d.value for d in schedule.days_of_week),
            schedule.start_time or "",
        ]
    return tuple(parts)


def _canonical(url: str, *, strip_dates: bool) -> str:
    parts = urlsplit(url)
    path = parts.path
    if strip_dates:
        path = _DATE_SEGMENT.sub("", path)
    query = "&".join(
        sorted(
            q
            for q in parts.query.split("&")
            if q and not (strip_dates and re.search(r"=\d{4}-\d{2}-\d{2}$", q))
        )
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path.rstrip("/") or "/", query, ""))


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _schedule_for(
    entity_type: EntityType, listing: NormalizedListing
) -> tuple[Schedule, OperatingHours | None]:
    when = listing.when
    text = truncate(
        " | ".join(
            v
            for v in (
                listing.fields.get("date"),
                listing.fields.get("time"),
                listing.fields.get("schedule"),
            )
            if v
        ),
        2000,
    )
    occurrences = [
        Occurrence(date=d, start_time=s, end_time=e, status=_occurrence_status(listing.status))
        for d, s, e in when.occurrences[:MAX_OCCURRENCES]
    ]
    base: dict[str, Any] = {
        "start_date": when.start_date,
        "end_date": when.end_date,
        "start_time": when.start_time,
        "end_time": when.end_time,
        "days_of_week": list(when.days_of_week),
        "session_count": when.session_count,
        "text": text,
    }
    hours = None
    if listing.hours_text:
        hours = OperatingHours(text=truncate(listing.hours_text, 2000))
    if entity_type is EntityType.EVENT:
        if _single_day_named(listing, occurrences):
            # "M | 1/18" in a guide's Days and Dates columns: the day of that one date.
            kind = ScheduleType.ONE_TIME
            base["days_of_week"] = []
        elif (when.recurring or len(occurrences) > 1) and not _is_one_run(when) and not _short_run(when):
            kind = ScheduleType.RECURRING
        elif when.parsed and (when.start_date or occurrences):
            kind = ScheduleType.ONE_TIME
        else:
            kind = ScheduleType.RECURRING if when.days_of_week else ScheduleType.ONGOING
        if kind is ScheduleType.RECURRING and occurrences and not base["end_date"]:
            base["end_date"] = occurrences[-1].date if len(occurrences) > 1 else None
        if kind is ScheduleType.RECURRING and not base["days_of_week"]:
            base["days_of_week"] = occurrence_weekdays(occurrences)
        return Schedule(type=kind, occurrences=occurrences, **base), hours
    if entity_type is EntityType.PROGRAM:
        if occurrences and not base["start_date"]:
            base["start_date"] = occurrences[0].date
            base["end_date"] = occurrences[-1].date if len(occurrences) > 1 else None
        if base["session_count"] is None and len(occurrences) > 1 and not when.days_of_week:
            base["session_count"] = len(occurrences)
        if not base["days_of_week"]:
            base["days_of_week"] = run_weekdays(when)
        kind = ScheduleType.TERM if (base["start_date"] or when.days_of_week) else ScheduleType.ONGOING
        return Schedule(type=kind, **base), hours
    # VENUE and ATTRACTION are open whenever they are open: no occurrences; a season's dates
    # (a pumpkin patch Sept 26 - Oct 31) are kept as the schedule's and the hours' bounds.
    if when.start_date or when.end_date:
        hours = (hours or OperatingHours()).model_copy(
            update={"seasonal_start": when.start_date, "seasonal_end": when.end_date}
        )
    return Schedule(type=ScheduleType.ONGOING, **base), hours


def occurrence_weekdays(occurrences: list[Occurrence]) -> list[Weekday]:
    """The weekdays of a recurring event's dated occurrences, when they repeat on at most
    three days of the week (a weekly storytime shown as dated rows is "wednesday")."""
    if len(occurrences) < 2:
        return []
    days = sorted({o.date.weekday() for o in occurrences})
    return [WEEKDAYS[d] for d in days] if len(days) <= 3 else []


_REPEAT_WORDS = re.compile(
    r"\b(every|each|weekly|daily|ongoing|cada|todos los)\b|\b(mon|tues|wednes|thurs|fri|satur|sun)days\b",
    re.I,
)


def _single_day_named(listing: NormalizedListing, occurrences: list[Occurrence]) -> bool:
    """One dated occurrence whose named weekday is just that date's day is not a series."""
    when = listing.when
    if len(occurrences) != 1 or not when.days_of_week:
        return False
    if {d for d in when.days_of_week} != {WEEKDAYS[occurrences[0].date.weekday()]}:
        return False
    texts = " ".join(v for v in (listing.fields.get(k) for k in ("date", "schedule", "time")) if v)
    return not _REPEAT_WORDS.search(texts)


def _short_run(when: When) -> bool:
    """A 1-14 day run with named days ("Nov 27 - Dec 6, Fri-Sun": a Nutcracker run) is one
    EVENT (rules R3), not a drop-in series."""
    if not when.start_date or not when.end_date or not when.days_of_week:
        return False
    return 0 < (when.end_date - when.start_date).days < MULTI_DAY_RUN_DAYS


def run_weekdays(when: When) -> list[Weekday]:
    """The weekdays of a short run of consecutive days: a camp "Dec 28-30" or "June 22-26"
    meets on each day of it."""
    if not _is_one_run(when) or when.start_date is None or when.end_date is None:
        return []
    span = (when.end_date - when.start_date).days
    if span >= 7:
        return []
    days = {(when.start_date + timedelta(days=i)).weekday() for i in range(span + 1)}
    return [WEEKDAYS[d] for d in sorted(days)]


def _is_one_run(when: When) -> bool:
    """Consecutive days of a 1-14 day run (a festival weekend) are one one-time event."""
    if when.days_of_week or not when.start_date or not when.end_date:
        return False
    span = (when.end_date - when.start_date).days
    return 0 < span < MULTI_DAY_RUN_DAYS and len(when.occurrences) == span + 1


def _occurrence_status(status: EntityStatus) -> EntityStatus:
    return status if status in (EntityStatus.CANCELLED, EntityStatus.FULL) else EntityStatus.ACTIVE


def _registration(listing: NormalizedListing) -> Registration | None:
    text = listing.registration_text
    if not text:
        return None
    lowered = text.lower()
    status: Literal["waitlist", "full"] | None = None
    if "waitlist" in lowered or "wait list" in lowered:
        status = "waitlist"
    elif re.search(r"\b(full|sold out)\b", lowered):
        status = "full"
    url = text if urlsplit(text).scheme in ("http", "https") else None
    return Registration(
        required=bool(re.search(r"\b(regist|enrol|sign ?up|rsvp|tickets?)\w*", lowered)) or None,
        url=url,
        status=status,
        text=None if url else truncate(text, 2000),
    )


# -- identity, merging, hashing -------------------------------------------------------------

_HASH_EXCLUDE = {"content_hash", "first_seen", "last_seen"}


def content_hash(entity: EntityBase) -> str:
    """A hash of everything a re-crawl could change; unchanged hash -> no write."""
    payload = entity.model_dump(mode="json", exclude=_HASH_EXCLUDE)
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def with_content_hash(entity: EntityBase) -> EntityBase:
    return entity.model_copy(update={"content_hash": content_hash(entity)})


def capped_occurrences(occurrences: list[Occurrence], today: date | None) -> list[Occurrence]:
    """A date-sorted series cut to MAX_OCCURRENCES: a board that lists six years of meetings
    keeps the ones from `today` on and then the latest before it, never its oldest (the
    oldest are kept only when no `today` is known)."""
    if len(occurrences) <= MAX_OCCURRENCES or today is None:
        return occurrences[:MAX_OCCURRENCES]
    upcoming = [o for o in occurrences if o.date >= today][:MAX_OCCURRENCES]
    room = MAX_OCCURRENCES - len(upcoming)
    past = [o for o in occurrences if o.date < today][-room:] if room else []
    return past + upcoming


def merge_entities(primary: EntityBase, other: EntityBase, *, today: date | None = None) -> EntityBase:
    """Merge two sightings of one entity (teaser + list row + detail page): the primary's
    values win, the other fills gaps, and dated occurrences are united (a series longer than
    the cap keeps those nearest `today`: `capped_occurrences`)."""
    if primary.entity_type is EntityType.EVENT and _first_date(other) < _first_date(primary):
        # A recurring event is represented by its first occurrence (its URL, its times).
        primary, other = other, primary
    data = primary.model_dump()
    extra = other.model_dump()
    for key, value in extra.items():
        if key in ("entity_type", "entity_id", "schedule", "classification") or value in (None, [], {}, ""):
            continue
        if data.get(key) in (None, [], {}, ""):
            data[key] = value
    schedule = primary.schedule
    if other.schedule.occurrences:
        seen = {(o.date, o.start_time) for o in schedule.occurrences}
        merged = list(schedule.occurrences) + [
            o for o in other.schedule.occurrences if (o.date, o.start_time) not in seen
        ]
        merged.sort(key=lambda o: (o.date, o.start_time or ""))
        merged = capped_occurrences(merged, today)
        update: dict[str, Any] = {"occurrences": merged}
        if len(merged) > 1 and primary.entity_type is EntityType.EVENT:
            update["type"] = ScheduleType.RECURRING
            update["start_date"] = merged[0].date
            update["end_date"] = merged[-1].date
            if not schedule.days_of_week:
                update["days_of_week"] = occurrence_weekdays(merged)
        schedule = schedule.model_copy(update=update)
    if schedule.type is ScheduleType.ONGOING and other.schedule.type is not ScheduleType.ONGOING:
        schedule = other.schedule
    data["schedule"] = schedule
    if (
        other.classification
        and primary.classification
        and other.classification.confidence > primary.classification.confidence
    ):
        data["classification"] = other.classification
    data.pop("content_hash", None)
    merged_entity = type(primary).model_validate(data)
    return with_content_hash(merged_entity)


# Fields a re-crawl may legitimately drop (a cancelled listing loses its registration link,
# say) are still kept from the stored version: a worse page must not erase good data.
_NEVER_FILLED = {
    "entity_type",
    "entity_id",
    "status",
    "classification",
    "content_hash",
    "first_seen",
    "last_seen",
}


def fill_from_stored(new: EntityBase, stored: EntityBase, *, today: date | None = None) -> EntityBase:
    """The new sighting of an entity, with the gaps the page left (a detail page that failed,
    a selector that stopped matching) filled from what is stored.

    A recurring event also keeps its stored occurrences from `today` on: one sighting of a
    weekly storytime (one dated row of several) must not shrink the stored series, and so an
    unchanged site re-crawled costs no write however its rows are batched."""
    data = new.model_dump()
    old = stored.model_dump()
    changed = False
    if new.entity_type is EntityType.EVENT and stored.schedule.occurrences and new.schedule.occurrences:
        mine = {(o.date, o.start_time) for o in new.schedule.occurrences}
        extra = [
            o
            for o in stored.schedule.occurrences
            if (o.date, o.start_time) not in mine and (today is None or o.date >= today)
        ]
        if extra:
            if min(o.date for o in extra) < new.schedule.occurrences[0].date:
                # The series is represented by its first occurrence (see merge_entities): keep
                # the stored one's page, image and schedule text, or the row flips every crawl.
                for key in ("url", "image_url"):
                    if old.get(key):
                        data[key] = old[key]
            merged = sorted([*new.schedule.occurrences, *extra], key=lambda o: (o.date, o.start_time or ""))
            merged = capped_occurrences(merged, today)
            update: dict[str, Any] = {"occurrences": merged, "type": ScheduleType.RECURRING}
            update["start_date"], update["end_date"] = merged[0].date, merged[-1].date
            if not new.schedule.days_of_week:
                update["days_of_week"] = occurrence_weekdays(merged)
            if min(o.date for o in extra) < new.schedule.occurrences[0].date:
                update["text"] = stored.schedule.text
            data["schedule"] = new.schedule.model_copy(update=update).model_dump()
            changed = True
    for key, value in old.items():
        if key in _NEVER_FILLED or key == "schedule" or value in (None, [], {}, ""):
            continue
        if data.get(key) in (None, [], {}, ""):
            data[key] = value
            changed = True
    if new.schedule.first_date is None and stored.schedule.first_date is not None:
        data["schedule"] = old["schedule"]
        changed = True
    if not changed:
        return new
    data.pop("content_hash", None)
    return with_content_hash(type(new).model_validate(data))


def _first_date(entity: EntityBase) -> date:
    return entity.schedule.first_date or date.max


def venue_stub(entity: EntityBase) -> EntityBase | None:
    """The VENUE an entity happens at, created from its venue name and address, so that
    `venue_id` always points at a VENUE entity (the store writes stubs only when missing)."""
    if entity.entity_type is EntityType.VENUE or not entity.venue_name or not entity.venue_id:
        return None
    stub = ENTITY_MODELS[EntityType.VENUE].model_validate(
        {
            "entity_id": entity.venue_id,
            "name": entity.venue_name,
            "venue_id": entity.venue_id,
            "venue_name": entity.venue_name,
            "address": entity.address,
            "city": entity.city,
            "region": entity.region,
            "coordinates": entity.coordinates,
            "source_id": entity.source_id,
            "provider_id": entity.venue_id,
            "age_groups": [AgeRange(category=AgeGroup.ALL_AGES)],
            "classification": Classification(confidence=0.5, method="rules", reasons=["venue-of-listing"]),
        }
    )
    return with_content_hash(stub)


# -- the `famact crawl --output` line -------------------------------------------------------


def output_row(entity: EntityBase) -> dict[str, Any]:
    """One normalized entity as written by `famact crawl --output`: the fields of ARCHITECTURE
    section 2 plus the flat conveniences of section 7."""
    row = entity.model_dump(mode="json", exclude_none=True)
    schedule = entity.schedule
    first = schedule.occurrences[0] if schedule.occurrences else None
    start_date = schedule.start_date or (first.date if first else None)
    end_date = schedule.end_date
    if end_date is None and len(schedule.occurrences) > 1:
        end_date = schedule.occurrences[-1].date
    pricing = entity.pricing
    price_usd: float | None = None
    if pricing is not None:
        if pricing.type is PricingType.FREE:
            price_usd = 0.0
        elif pricing.cost is not None and pricing.currency == "USD":
            price_usd = float(pricing.cost)
    row.update(
        {
            entity.type_name_field: entity.name,
            "start_date": start_date.isoformat() if start_date else None,
            "end_date": end_date.isoformat() if end_date else None,
            "start_time": schedule.start_time or (first.start_time if first else None),
            "end_time": schedule.end_time or (first.end_time if first else None),
            "days_of_week": [d.value for d in schedule.days_of_week],
            "recurring": schedule.type is ScheduleType.RECURRING,
            "price_usd": price_usd,
            "min_age_months": entity.min_age_months,
            "max_age_months": entity.max_age_months,
            "venue_name": entity.venue_name,
        }
    )
    return row


# -- the listing path: raw listing -> entity or drop reason ----------------------------------

DropReason = Literal["no_title", "title_filter", "out_of_scope", "unnormalizable", "invalid_entity"]


@dataclass(frozen=True)
class Dropped:
    """Why a listing is not stored: `reason` names the drop (`famact/dropped/{reason}` in a
    crawl's stats), `detail` says it in one line, `scope` is the T7 reason of an out-of-scope
    drop ("membership", "gift-card", ...)."""

    reason: DropReason
    detail: str
    scope: str | None = None

    @property
    def stat_keys(self) -> tuple[str, ...]:
        """The counters a drop increments, under the crawl's `famact/dropped/` namespace."""
        keys = (f"famact/dropped/{self.reason}",)
        return (*keys, f"famact/dropped/{self.reason}/{self.scope}") if self.scope else keys


def screen_listing(raw: RawListing, title_filter: TitleFilter | None = None) -> Dropped | None:
    """The checks before anything is parsed: a listing needs a title, must name what the
    source's `title_filter` asks for, and must be an activity (rules T7: memberships, gift
    cards, ads... are dropped)."""
    title = clean_text(raw.fields.get("title"))
    if not title:
        return Dropped("no_title", f"title: missing on listing from {raw.page_url}")
    if title_filter is not None and not title_filter.keeps(title):
        return Dropped("title_filter", f"title names none of {title_filter.include}: {title!r}")
    scope = out_of_scope_reason(
        ClassifierInput(
            title=title,
            description=clean_text(raw.fields.get("description")),
            price_text=clean_text(raw.fields.get("price")),
            url=raw.url,
            site_label=clean_text(raw.fields.get("type")),
        )
    )
    if scope:
        return Dropped("out_of_scope", f"out of scope ({scope}): {title!r}", scope=scope)
    return None


def normalize_or_drop(
    raw: RawListing, *, today: date, defaults: SourceDefaults | None = None
) -> NormalizedListing | Dropped:
    """`normalize_listing`, with a listing it cannot read as a drop."""
    try:
        return normalize_listing(raw, today=today, defaults=defaults)
    except ValueError as exc:
        return Dropped("unnormalizable", str(exc))


def classify_listing(
    listing: NormalizedListing,
    *,
    defaults: SourceDefaults | None = None,
    second_opinion: SecondOpinion | None = None,
    source_type: SourceType | None = None,
) -> EntityBase | Dropped:
    """The entity a normalized listing becomes. The classifier (rules mixed with the trained
    model, reading the page context), then the second opinion (an LLM) when it is unsure; the
    source's `defaults.entity_type` decides only when both are unsure, and `defaults.category`
    replaces the keyword category."""
    listing_input = classifier_input(listing, page_context(listing, source_type, defaults))
    result = classify(listing_input, second_opinion=second_opinion, threshold=DEFAULT_THRESHOLD)
    hint = defaults.entity_type if defaults is not None else None
    if hint is not None and result.confidence < DEFAULT_THRESHOLD and result.entity_type is not hint:
        result = ClassificationResult(
            entity_type=hint,
            confidence=DEFAULT_THRESHOLD,
            method=ClassificationMethod.CONFIG_HINT,
            reasons=(*result.reasons, f"config-hint:{hint.value}"),
        )
    category = (defaults.category if defaults is not None else None) or categorize(
        listing_input, result.entity_type
    )
    try:
        return build_entity(listing, result, category)
    except ValidationError as exc:  # one line naming the field, not pydantic's report
        return Dropped("invalid_entity", f"invalid entity {listing.name!r}: {validation_message(exc)}")
    except ValueError as exc:
        return Dropped("invalid_entity", f"invalid entity {listing.name!r}: {exc}")


def process_listing(
    raw: RawListing,
    config: SourceConfig | None,
    today: date,
    second_opinion: SecondOpinion | None = None,
) -> EntityBase | Dropped:
    """One raw listing as a crawl of `config` stores it, or why it would not store it."""
    defaults = config.defaults if config is not None else None
    dropped = screen_listing(raw, config.title_filter if config is not None else None)
    if dropped is not None:
        return dropped
    listing = normalize_or_drop(raw, today=today, defaults=defaults)
    if isinstance(listing, Dropped):
        return listing
    return classify_listing(
        listing,
        defaults=defaults,
        second_opinion=second_opinion,
        source_type=config.source_type if config is not None else None,
    )
