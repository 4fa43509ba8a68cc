"""Data before markup: find a source's feeds, and read an unknown JSON document's records.

A calendar's ICS or RSS feed, or the JSON its own page script loads, says what each listing
is in fields rather than in layout, and does not break when the site's theme changes. The
analyzer therefore looks for feeds first:

- `feed_links` lists the feed URLs a page announces (`<link rel="alternate">`, `webcal:` and
  `.ics` links, "subscribe" links) and the well-known endpoints of the platform it runs on
  (The Events Calendar's REST API and `?ical=1`, a Squarespace collection's `?format=json`,
  Localist's API);
- `sniff_kind` tells from the body (never from the URL alone) whether a response is ICS,
  RSS/Atom, JSON or HTML;
- `find_records` finds, in any JSON document, the array of records whose keys and values look
  like listings (a title, a date, a link, a place), and proposes JSONPath selectors for each
  field. It knows no vendor: it reads the values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector

from analyzers.structure.patterns import date_time_only
from famact.constants import SourceKind
from famact.feeds.base import FeedError, looks_like_html
from famact.feeds.xmldata import looks_like_xml, xml_document

# -- feed links ------------------------------------------------------------------------------

_ALTERNATE_TYPES = {
    "text/calendar": SourceKind.ICS,
    "application/rss+xml": SourceKind.RSS,
    "application/atom+xml": SourceKind.RSS,
    "application/feed+json": SourceKind.JSON_API,
}
_ICS_HREF = re.compile(r"(?:\.ics(?:$|[?#])|[?&](?:ical|ics)=1\b|[?&]outlook-ical=1\b|/ical(?:$|[/?]))", re.I)
_RSS_HREF = re.compile(
    r"(?:\.rss(?:$|[?#])|/feed/?(?:$|[?#])|[?&]feed=rss2?\b|/rss(?:\.xml)?(?:$|[/?]))", re.I
)


_JSON_HREF = re.compile(r"(?:\.json(?:$|[?#])|[?&]format=json\b|/wp-json/|/api/)", re.I)


def looks_like_feed_url(url: str) -> bool:
    """Whether a URL's own shape says feed (`.ics`, `/feed/`, `.json`, `/api/`, `?ical=1`)."""
    return bool(_ICS_HREF.search(url) or _RSS_HREF.search(url) or _JSON_HREF.search(url))


@dataclass(frozen=True)
class FeedLink:
    """A feed the page points at, or a platform endpoint worth trying."""

    url: str
    kind: SourceKind
    why: str


def _http(url: str) -> str:
    """`webcal://` is https in disguise; everything else is kept as is."""
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url


def _with_query(url: str, query: str) -> str:
    parts = urlsplit(url)
    joined = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, joined, ""))


def _platform_endpoints(page_url: str, platform: str | None) -> Iterator[FeedLink]:
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if platform == "the-events-calendar":
        yield FeedLink(
            f"{origin}/wp-json/tribe/events/v1/events?per_page=50",
            SourceKind.JSON_API,
            "The Events Calendar's REST API",
        )
        yield FeedLink(
            _with_query(page_url, "ical=1"), SourceKind.ICS, "The Events Calendar's ?ical=1 export"
        )
    elif platform in {"squarespace", "squarespace-site"}:
        yield FeedLink(
            _with_query(page_url, "format=json"), SourceKind.JSON_API, "Squarespace's ?format=json"
        )
    elif platform == "localist":
        yield FeedLink(f"{origin}/api/2/events?pp=100", SourceKind.JSON_API, "Localist's events API")


def feed_links(html: str, page_url: str, platform: str | None = None) -> list[FeedLink]:
    """Feeds announced by the page, then its platform's endpoints; each URL once, in order."""
    page = Selector(text=html or "<html></html>")
    found: list[FeedLink] = []
    for link in page.css("link[rel~=alternate][href]"):
        kind = _ALTERNATE_TYPES.get((link.attrib.get("type") or "").split(";")[0].strip().lower())
        if kind is not None:
            found.append(FeedLink(urljoin(page_url, _http(link.attrib["href"])), kind, "link rel=alternate"))
    for anchor in page.css("a[href]"):
        href = anchor.attrib["href"].strip()
        if href.lower().startswith("webcal:"):
            found.append(FeedLink(_http(href), SourceKind.ICS, "webcal: link"))
        elif _ICS_HREF.search(href):
            found.append(FeedLink(urljoin(page_url, href), SourceKind.ICS, "calendar file link"))
        elif _RSS_HREF.search(href) and not href.startswith("#"):
            found.append(FeedLink(urljoin(page_url, href), SourceKind.RSS, "feed link"))
    found.extend(_platform_endpoints(page_url, platform))
    seen: set[str] = set()
    unique: list[FeedLink] = []
    for feed in found:
        if feed.url not in seen and urlsplit(feed.url).scheme in {"http", "https"}:
            seen.add(feed.url)
            unique.append(feed)
    return unique


# -- what a body is --------------------------------------------------------------------------

_XML_ROOT = re.compile(r"<(?:[\w-]+:)?(rss|feed|rdf:RDF|RDF)\b", re.I)


# A well-formed fragment of a page is still a page, not a data document.
_HTML_ROOTS = frozenset(
    {"html", "head", "body", "div", "section", "article", "main", "table", "ul", "ol", "p", "span", "form"}
)


def sniff_kind(body: str) -> SourceKind:
    """The kind of a response by its content: servers label feeds as text/html or
    application/octet-stream too often for the Content-Type to decide."""
    head = body.lstrip("\ufeff \t\r\n")[:2048]
    if head.upper().startswith("BEGIN:VCALENDAR"):
        return SourceKind.ICS
    if head.startswith(("{", "[")):
        try:
            json.loads(body)
        except ValueError:
            return SourceKind.HTML
        return SourceKind.JSON_API
    if head.startswith("<?xml") or _XML_ROOT.match(head):
        match = _XML_ROOT.search(head)
        if match and "<html" not in head[: match.start()].lower():
            return SourceKind.RSS
    if looks_like_xml(head) and not looks_like_html(head):
        # An XML data document (a meeting portal's export): read as JSON, it may hold records.
        try:
            root = next(iter(xml_document(body)))
        except FeedError:
            return SourceKind.HTML
        return SourceKind.HTML if root.lower() in _HTML_ROOTS else SourceKind.JSON_API
    return SourceKind.HTML


# -- records in a JSON document --------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_US_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}(?:\s+\d{1,2}:\d{2}.*)?$")
_WORD_DATE = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b",
    re.I,
)
# "20241220": a compact date, taken only under a key that says date (a bare number is an id).
_COMPACT_DATE = re.compile(r"^(?:19[89]\d|20\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")
# Epoch seconds / milliseconds between 2000 and 2100.
_EPOCH_S = (946_684_800, 4_102_444_800)

# Key words per role, for ranking among keys whose values already look right.
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "summary", "headline", "label", "subject"),
    "start_date": ("start", "begin", "from", "date", "when", "time", "dtstart", "occurs"),
    "end_date": ("end", "until", "to", "finish", "dtend", "close"),
    "url": ("url", "link", "href", "permalink", "website", "uri"),
    "description": ("description", "excerpt", "body", "details", "content", "summary", "about", "text"),
    "venue": ("venue", "location", "place", "where", "address", "room", "site", "facility"),
    "price": ("price", "cost", "fee", "ticket"),
    "ages": ("age", "ages", "audience", "grade"),
}
_NOT_TITLE = ("id", "uuid", "slug", "status", "type", "category", "tag", "color", "timezone", "image")
# Keys of a record's kind: "event" most often, but a list of hearings may have no other name.
_KIND_KEYS = ("type", "category")


def _names_no_title(key: str) -> bool:
    return any(key.lower() == w or key.lower().endswith("_" + w) for w in _NOT_TITLE)


def _mostly_names(records: list[dict[str, Any]], path: str) -> bool:
    """Most records' value at `path` is a name of two words or more ("Zoning Administration"),
    not a one-word kind ("event")."""
    values = [str(v) for r in records for p, _, v in _leaves(r) if p == path]
    return sum(len(v.split()) >= 2 for v in values) > len(records) / 2


@dataclass
class RecordGuess:
    """The records of a JSON document: `records` is a JSONPath to them, `fields` maps a
    listing field to a JSONPath relative to one record."""

    records: str
    count: int
    fields: dict[str, str] = field(default_factory=dict)
    score: float = 0.0


def _looks_date(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        seconds = value / 1000 if value > _EPOCH_S[1] else value
        return _EPOCH_S[0] <= seconds <= _EPOCH_S[1]
    if isinstance(value, str):
        text = value.strip()
        year = re.search(r"\b(\d{4})\b", text)
        if year and not 1980 <= int(year.group(1)) <= 2100:
            return False  # "1900-01-01T00:00:00Z", "0001-01-01": a placeholder for no date
        return bool(_ISO_DATE.match(text) or _US_DATE.match(text) or _WORD_DATE.match(text))
    return False


_DATE_ROLES = ("start_date", "end_date")


def _looks_compact_date(key: str, value: Any) -> bool:
    """`"numberdate": "20241220"`: eight digits read as a date only when the key names a date."""
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return bool(_COMPACT_DATE.match(text)) and "date" in key.lower()


def _looks_url(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(r"^(?:https?://|/)[^\s]+$", value.strip()))


# "CZQLFH5631AD": a record's key in capitals and digits, one token, is no title.
_CODE = re.compile(r"^(?=[A-Z0-9_-]*\d)(?=[A-Z0-9_-]*[A-Z])[A-Z0-9_-]{6,}$")


def _looks_title(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (
        3 <= len(text) <= 200
        and not _only_a_date(text)
        and not _looks_url(text)
        and not _CODE.match(text)
        and bool(re.search(r"[A-Za-z]{2}", text))
    )


def _only_a_date(text: str) -> bool:
    """A date and nothing more: "November 7, 2024 Civil Service Commission" is a title that
    starts with its date ("November 7, 2024 7:00 PM" is not)."""
    return _looks_date(text) and date_time_only(text)


def _looks_prose(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) > 40


def _key_path(parent: str, key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{parent}.{key}" if parent else key
    quoted = key.replace("'", "\\'")
    return f"{parent}['{quoted}']" if parent else f"['{quoted}']"


def _leaves(record: dict[str, Any], prefix: str = "", depth: int = 0) -> Iterator[tuple[str, str, Any]]:
    """(relative path, last key, value) of each scalar in a record, nested objects followed
    two levels deep (a venue object's name, a date object's `start`), and a list of one object
    through that member (Drupal's `field_date[0].value`); longer lists are records of their own."""
    for key, raw in record.items():
        path = _key_path(prefix, str(key))
        value = raw
        if isinstance(raw, list) and len(raw) == 1 and isinstance(raw[0], dict):
            value, path = raw[0], f"{path}[0]"
        if isinstance(value, dict) and depth < 2:
            yield from _leaves(value, path, depth + 1)
        elif not isinstance(value, dict | list):
            yield path, str(key).lower(), value


# A record's own bookkeeping dates (when it was posted or edited), never when the listing happens.
_META_DATE_WORDS = ("created", "modified", "updated", "published", "posted", "edited", "changed", "revision")
_START_WORDS = ("start", "begin", "dtstart")


def _start_rank(path: str, key: str) -> float:
    """How well a key names a listing's start: one that says so (`start_date`, `startDateTime`,
    `date.start`) beats a bare `date`, which in many feeds is the record's publication date;
    keys of record bookkeeping (`modified`, `date_created`) never name it, and a UTC copy
    yields to the local time the page shows."""
    if any(w in key for w in _META_DATE_WORDS):
        return -1.0
    base = _word_rank_plain("start_date", path, key)
    if any(w in key for w in _START_WORDS):
        base = max(base, 1.0) + 0.5
    if "utc" in key or "gmt" in key:
        base -= 0.2
    return base


def _owner(key: str, words: tuple[str, ...]) -> str:
    """What a key's first role word is about: `meetingdate` -> `meeting`, `title` -> ``."""
    found = [i for i in (key.find(w) for w in words) if i > 0]
    return key[: min(found)].strip("_-") if found else ""


def _same_owner(title_key: str, date_key: str) -> bool:
    """A title key and the chosen date key about the same thing (`meetingTitle`, `meetingDate`):
    in a list of a meeting's documents, `title` names the document, `meetingTitle` the meeting."""
    owner = _owner(title_key, ("title", "name"))
    return bool(owner) and owner == _owner(date_key, ("date", "start", "begin", "time"))


_AGES_KEY = re.compile(r"(?<![a-z])(?:age|ages|audience|grades?)(?![a-z])|^(?:min|max)_?age")


def _path_words(path: str) -> set[str]:
    """The words of a path's last key: `meetingEndDateTime`, `end_date` -> {meeting, end, ...}."""
    last = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1].strip("[]'")
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", last)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


_END_WORDS = frozenset(("end", "ends", "until", "to", "finish", "dtend", "close", "closes", "stop"))


def _word_rank(role: str, path: str, key: str) -> float:
    if role == "start_date":
        return _start_rank(path, key)
    if role == "end_date":
        # Words, not letters: `calendarId` and `cutOffDateTime` hold "end" and "to" by chance.
        words = _path_words(path)
        return 1.0 if key in _ROLE_WORDS["end_date"] else 0.7 if words & _END_WORDS or "dtend" in key else 0.0
    if role == "ages":
        # "age" inside a word (`language`, `image`, `agenda`, `page`) names no audience.
        return 1.0 if key in _ROLE_WORDS["ages"] else 0.7 if _AGES_KEY.search(key) else 0.0
    return _word_rank_plain(role, path, key)


def _word_rank_plain(role: str, path: str, key: str) -> float:
    words = _ROLE_WORDS[role]
    lowered = path.lower()
    if key in words:
        return 1.0
    if any(w in key for w in words):
        return 0.7
    if any(w in lowered for w in words):
        return 0.4
    return 0.0


_CHECKS = {
    "title": _looks_title,
    "start_date": _looks_date,
    "end_date": _looks_date,
    "url": _looks_url,
    "description": _looks_prose,
    "venue": _looks_title,
    # A price is an amount or says free ("prefix", a currency position, is neither).
    "price": lambda v: (
        not isinstance(v, bool)
        and (isinstance(v, int | float) or (isinstance(v, str) and bool(re.search(r"\d|(?i:\bfree\b)", v))))
    ),
    "ages": lambda v: isinstance(v, str | int) and not isinstance(v, bool) and bool(str(v).strip()),
}


def _role_hits(sample: list[dict[str, Any]]) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """For each role, how many records' value at each relative path passes the role's check;
    and the key name at each path."""
    stats: dict[str, dict[str, int]] = {}
    keys: dict[str, str] = {}
    for record in sample:
        for path, key, value in _leaves(record):
            keys[path] = key
            for role, check in _CHECKS.items():
                if check(value) or (role in _DATE_ROLES and _looks_compact_date(key, value)):
                    stats.setdefault(role, {}).setdefault(path, 0)
                    stats[role][path] += 1
    return stats, keys


def _assign_fields(records: list[dict[str, Any]]) -> dict[str, str]:
    """For each role, the relative path whose values pass the role's check in most records,
    ties broken by how well its key names the role."""
    sample = records[:50]
    stats, keys = _role_hits(sample)
    chosen: dict[str, str] = {}
    used: set[str] = set()
    # Dates and titles first: they are what makes a record a listing.
    for role in ("start_date", "title", "end_date", "url", "venue", "description", "price", "ages"):
        best: tuple[float, str] | None = None
        for path, hits in stats.get(role, {}).items():
            if path in used:
                continue
            share = hits / len(sample)
            rank = _word_rank(role, path, keys[path])
            if role not in {"title", "start_date", "url"} and rank == 0:
                continue  # an optional field is taken by its name, never by its shape alone
            if rank < 0:
                continue
            if role == "title":
                titled = _title_rank(rank, path, keys, chosen, sample)
                if titled is None:
                    continue
                rank = titled
            if role == "end_date" and rank < 0.7:
                continue
            if role == "start_date" and _word_rank("end_date", path, keys[path]) >= 0.7 and rank < 1.0:
                continue
            score = share * (1.0 + rank)
            if share >= 0.5 and (best is None or score > best[0]):
                best = (score, path)
        if best is not None:
            chosen[role] = best[1]
            used.add(best[1])
    return chosen


def _title_rank(
    rank: float, path: str, keys: dict[str, str], chosen: dict[str, str], sample: list[dict[str, Any]]
) -> float | None:
    """How well the key at `path` names a record's title, or None when it cannot."""
    key = keys[path]
    if "[0]" in path:
        return None  # a record's name is its own: one inside a list names a record of the list
    if _names_no_title(key):
        if key.lower() not in _KIND_KEYS or not _mostly_names(sample, path):
            return None
        rank -= 0.5  # "Type": "Zoning Administration": a meeting's kind, a title at a pinch
    if _same_owner(key, keys.get(chosen.get("start_date", ""), "")):
        rank += 0.5  # `meetingTitle` beside `meetingDate`: the name of what the date dates
    if _word_rank("venue", path, key) >= 0.7:
        rank -= 0.9  # an `Address` names where, not what: a title only when nothing else is
    return rank


def _arrays(data: Any, path: str = "$", depth: int = 0) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every array of objects in the document with its JSONPath; an array inside each record
    (a day's events in a list of days) is gathered across all the records."""
    if depth > 6:
        return
    if isinstance(data, list):
        records = [r for r in data if isinstance(r, dict)]
        if not records or len(records) < len(data) / 2:
            return
        yield f"{path}[*]", records
        nested_keys = {k for r in records[:20] for k, v in r.items() if isinstance(v, list | dict)}
        for key in sorted(nested_keys, key=str):
            gathered: list[Any] = []
            for record in records:
                value = record.get(key)
                if isinstance(value, list):
                    gathered.extend(value)
                elif isinstance(value, dict):
                    gathered.append(value)
            if any(isinstance(v, dict) for v in gathered):
                inner = _key_path(f"{path}[*]", str(key))
                if all(isinstance(record.get(key), list) for record in records if key in record):
                    yield from _arrays(gathered, inner, depth + 1)
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list | dict):
                yield from _arrays(value, _key_path(path, str(key)), depth + 1)


def find_records(data: Any) -> RecordGuess | None:
    """The array of listing-like records in a JSON document, or None when there is none.

    An array qualifies when most of its records have a title-like value; it is ranked by
    how many records it has and how many listing fields (a date above all) it carries.
    """
    best: RecordGuess | None = None
    for path, records in _arrays(data):
        fields = _assign_fields(records)
        if "title" not in fields:
            continue
        richness = sum(
            {"start_date": 3.0, "url": 1.0, "venue": 1.0, "description": 0.5}.get(role, 0.25)
            for role in fields
        )
        score = richness * min(len(records), 50) ** 0.5
        if best is None or score > best.score:
            best = RecordGuess(records=path, count=len(records), fields=fields, score=round(score, 3))
    return best
