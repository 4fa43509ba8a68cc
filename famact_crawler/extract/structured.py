"""Listings from schema.org structured data: JSON-LD scripts and microdata.

Many small sites (library calendars, museum and parks CMSs, The Events Calendar for
WordPress) publish their events as schema.org data, which is more exact than any selector:
ISO dates, addresses, prices. This module turns the schema.org nodes of the configured types
into raw fields keyed by `RAW_FIELDS`, the same shape the selectors produce, so that the
engine can merge the two.

Why JSON-LD is parsed here and not by extruct: each `<script type="application/ld+json">` is
parsed on its own and repaired when the web's usual damage allows (a BOM, HTML comments,
CDATA, trailing commas, raw control characters, junk around the JSON); a script that still
fails is counted in `StructuredResult.malformed` and the others are kept. extruct's JSON-LD
extractor stops at the first bad script or drops it silently, which hides the count the
analyzer reports. Microdata goes through extruct (`uniform=True`), which yields JSON-LD-shaped
dicts, so both syntaxes share one mapping.

Nodes are found at the top level, in `@graph`, in lists and in the containers schema.org uses
for collections: `itemListElement` / `item` (ItemList), `mainEntity`, `event` / `events`
(an Organization or Place listing its events), `subEvent` and `hasCourseInstance`. Other
properties (location, organizer, offers) are read as fields of their node, never as listings.
A Course with CourseInstances yields one listing per instance (the instance is the dated
thing one signs up for), each inheriting what the Course says about itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import extruct
import parsel
from lxml import etree
from lxml import html as lxml_html
from w3lib.html import replace_entities

from famact.models import StructuredDataConfig, is_http_url
from famact_crawler.extract.selectors import absolute_url, fold_whitespace, visible_text

Syntax = Literal["json-ld", "microdata"]

MAX_DEPTH = 12  # containers nest a few levels; deeper JSON is not a listing collection
MAX_NODES = 2_000  # listings per page from structured data; bounds a pathological feed

# Properties whose values are collections of listings (see module docstring).
_COLLECTION_KEYS = ("@graph", "itemListElement", "item", "mainEntity", "event", "events")
_CHILD_KEYS = ("subEvent", "subEvents", "hasCourseInstance")

_EVENT_SUBTYPES = frozenset({"EventSeries", "Festival", "Hackathon", "CourseInstance"})
# schema.org LocalBusiness subtypes that are places families go to (not shops or restaurants).
_LOCAL_BUSINESS_LIKE = frozenset(
    {
        "LocalBusiness", "EntertainmentBusiness", "AmusementPark", "ArtGallery", "MovieTheater",
        "SportsActivityLocation", "BowlingAlley", "ExerciseGym", "GolfCourse", "HealthClub",
        "PublicSwimmingPool", "SkiResort", "SportsClub", "StadiumOrArena", "TennisComplex",
        "ChildCare", "Library", "TouristInformationCenter", "Campground",
    }
)  # fmt: skip
_CIVIC_LIKE = frozenset(
    {
        "CivicStructure", "Museum", "Park", "Playground", "Zoo", "Aquarium", "Beach",
        "EventVenue", "MusicVenue", "PerformingArtsTheater", "StadiumOrArena", "PublicSwimmingPool",
        "MovieTheater", "Library",
    }
)  # fmt: skip
_ATTRACTION_LIKE = frozenset({"TouristAttraction", "TouristDestination", "LandmarksOrHistoricalBuildings"})
_PLACE_LIKE = _LOCAL_BUSINESS_LIKE | _CIVIC_LIKE | _ATTRACTION_LIKE | {"Place"}
_SUBTYPES: dict[str, frozenset[str]] = {
    "Place": _PLACE_LIKE,
    "LocalBusiness": _LOCAL_BUSINESS_LIKE,
    "CivicStructure": _CIVIC_LIKE,
    "TouristAttraction": _ATTRACTION_LIKE,
}

_STATUS_BY_EVENT_STATUS = {
    "EventCancelled": "Cancelled",
    "EventPostponed": "Postponed",
    "EventRescheduled": "Rescheduled",
    "EventMovedOnline": "Moved online",
}
_ICAL_DAYS = {
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
    "SA": "Saturday", "SU": "Sunday",
}  # fmt: skip
_FREQUENCIES = {"P1D": "daily", "P1W": "weekly", "P2W": "every other week", "P1M": "monthly"}
_CURRENCY_SYMBOLS = {"USD": "$"}
_TIME = re.compile(r"^T?(\d{1,2}):(\d{2})")
_AGE_OPEN_END = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*$")


@dataclass
class StructuredItem:
    """One schema.org node of a configured type, as raw fields."""

    structured_type: str
    fields: dict[str, str]
    url: str | None
    syntax: Syntax = "json-ld"


@dataclass
class StructuredResult:
    items: list[StructuredItem] = field(default_factory=list)
    malformed: int = 0  # JSON-LD scripts that could not be parsed even after repair
    errors: list[str] = field(default_factory=list)  # e.g. microdata that extruct could not read


# --------------------------------------------------------------------------------------------
# Tolerant JSON-LD parsing


_WRAPPERS = re.compile(r"<!--|-->|(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>")
_TRAILING_COMMA = re.compile(r'("(?:\\.|[^"\\])*")|,(\s*[}\]])', re.DOTALL)
_BAD_ESCAPE = re.compile(r'("(?:\\.|[^"\\])*")', re.DOTALL)
_INVALID_ESCAPE_IN_STRING = re.compile(r'\\(?!["\\/bfnrtu])')


def _without_trailing_commas(text: str) -> str:
    return _TRAILING_COMMA.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def _with_valid_escapes(text: str) -> str:
    # `\'` and `\-` are common in hand-written JSON-LD; JSON only knows a few escapes.
    return _BAD_ESCAPE.sub(lambda m: _INVALID_ESCAPE_IN_STRING.sub(r"\\\\", m.group(1)), text)


def _decode_values(text: str) -> list[Any] | None:
    """Every JSON value in `text`, ignoring junk before, between and after them."""
    decoder = json.JSONDecoder(strict=False)  # strict=False: raw newlines/tabs inside strings
    values: list[Any] = []
    position = 0
    while True:
        starts = [i for i in (text.find("{", position), text.find("[", position)) if i >= 0]
        if not starts:
            break
        start = min(starts)
        try:
            value, position = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            if not values:
                return None
            break  # junk after the data (a stray "};" from a template) is ignored
        values.append(value)
    return values or None


def parse_json_ld(text: str) -> list[Any] | None:
    """The JSON values of one JSON-LD script, or None when it cannot be repaired."""
    text = _WRAPPERS.sub(" ", text.replace("\ufeff", "")).strip()
    if not text:
        return None
    repaired = _without_trailing_commas(text)
    for candidate in (text, repaired, _with_valid_escapes(repaired)):
        values = _decode_values(candidate)
        if values is not None:
            return values
    return None


def _json_ld_scripts(selector: parsel.Selector) -> Iterator[str]:
    for script in selector.xpath("//script[@type]"):
        script_type = (script.attrib.get("type") or "").split(";")[0].strip().lower()
        if script_type == "application/ld+json":
            root = script.root
            yield (root.text or "") if isinstance(root, etree._Element) else str(root)


# --------------------------------------------------------------------------------------------
# Types


def _local_name(value: str) -> str:
    """`https://schema.org/Event`, `schema:Event`, `Event` -> `Event`."""
    value = value.strip()
    return re.split(r"[/:#]", value)[-1] if value else value


def node_types(node: dict[str, Any]) -> list[str]:
    raw = node.get("@type", node.get("type"))
    values = raw if isinstance(raw, list) else [raw]
    return [_local_name(v) for v in values if isinstance(v, str) and v.strip()]


def type_matches(type_name: str, configured: list[str]) -> bool:
    """True when `type_name` is one of `configured` or a schema.org subtype of one of them."""
    for wanted in configured:
        if type_name == wanted or type_name in _SUBTYPES.get(wanted, ()):
            return True
        if wanted == "Event" and (type_name.endswith("Event") or type_name in _EVENT_SUBTYPES):
            return True
    return False


def _matching_type(node: dict[str, Any], configured: list[str]) -> str | None:
    return next((t for t in node_types(node) if type_matches(t, configured)), None)


# --------------------------------------------------------------------------------------------
# Value helpers


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value: Any) -> Any:
    for item in _as_list(value):
        if item not in (None, "", [], {}):
            return item
    return None


def clean_text(value: str) -> str:
    """Plain text from a schema.org string that may hold (escaped) HTML and entities."""
    if "<" not in value and "&lt;" in value:
        value = replace_entities(value)
    if "<" in value and ">" in value:
        try:
            fragment = lxml_html.fragment_fromstring(value, create_parent="div")
        except (etree.ParserError, ValueError):
            return fold_whitespace(replace_entities(value))
        return visible_text(fragment)
    return fold_whitespace(replace_entities(value))


def _text(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("@value", value.get("name"))
        value = _first(value)
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text = clean_text(value) if isinstance(value, str) else _number_text(value)
    return text or None


def _number_text(value: Any) -> str:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return fold_whitespace(str(value))
    if not number.is_finite():
        return fold_whitespace(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _url(value: Any, base_url: str) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = _first(value.get("url", value.get("contentUrl", value.get("@id"))))
    if not isinstance(value, str) or not value.strip():
        return None
    url = absolute_url(value, base_url)
    return url if is_http_url(url) else None


def _node_url(node: dict[str, Any], base_url: str) -> str | None:
    url = _url(node.get("url"), base_url)
    if url:
        return url
    node_id = node.get("@id")
    # An @id with a fragment ("https://site/#organization") names a node, not a page.
    if isinstance(node_id, str) and is_http_url(node_id) and "#" not in node_id:
        return node_id
    return None


def _truthy(value: Any) -> bool:
    value = _first(value)
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes", "1"))


def _time(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    match = _TIME.match(text)
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else text


def _day_name(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    name = _local_name(text)
    return _ICAL_DAYS.get(name.upper(), name)


# --------------------------------------------------------------------------------------------
# schema.org -> RAW_FIELDS


def format_price(price: Any, currency: Any = None) -> str | None:
    """12 + USD -> "$12", 12.5 + EUR -> "12.50 EUR", 0 -> "Free", "$15/child" stays."""
    amount_text = _text(price)
    if amount_text is None:
        return None
    try:
        amount = Decimal(amount_text.replace(",", ""))
    except InvalidOperation:
        return amount_text  # already a phrase: "$15/child", "Free", "10-20"
    if not amount.is_finite():
        return None
    if amount == 0:
        return "Free"
    number = str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"
    code = (_text(currency) or "").upper()
    if not code:
        return number
    symbol = _CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code}"


def _offer_price(offer: dict[str, Any]) -> str | None:
    currency = offer.get("priceCurrency")
    if offer.get("price") not in (None, ""):
        return format_price(offer.get("price"), currency)
    low, high = offer.get("lowPrice"), offer.get("highPrice")
    if low not in (None, "") or high not in (None, ""):
        low_text, high_text = format_price(low, currency), format_price(high, currency)
        if low_text and high_text and low_text != high_text:
            return f"{low_text}-{high_text}"
        return low_text or high_text
    for spec in _as_list(offer.get("priceSpecification")):
        if isinstance(spec, dict):
            price = _offer_price({**spec, "priceCurrency": spec.get("priceCurrency", currency)})
            if price:
                return price
    return None


def _offers_fields(node: dict[str, Any]) -> dict[str, str]:
    offers = _as_list(node.get("offers"))
    parts: list[str] = []
    sold_out = False
    for offer in offers:
        if isinstance(offer, dict):
            price = _offer_price(offer)
            availability = _text(offer.get("availability")) or ""
            sold_out = sold_out or _local_name(availability) == "SoldOut"
            name = _text(offer.get("name")) if len(offers) > 1 else None
        else:
            price, name = format_price(offer), None
        if price:
            part = f"{name}: {price}" if name else price
            if part not in parts:
                parts.append(part)
    fields: dict[str, str] = {}
    if parts:
        fields["price"] = "; ".join(parts)
    elif _truthy(node.get("isAccessibleForFree")):
        fields["price"] = "Free"
    if sold_out:
        fields["status"] = "Full"
    return fields


def _ages(node: dict[str, Any]) -> str | None:
    typical = _text(node.get("typicalAgeRange"))
    if typical:
        open_end = _AGE_OPEN_END.match(typical)
        if open_end:
            return f"ages {open_end.group(1)}+"
        return typical if typical.lower().startswith("age") else f"ages {typical}"
    for audience in _as_list(node.get("audience")):
        if not isinstance(audience, dict):
            continue
        low = _text(audience.get("suggestedMinAge", audience.get("requiredMinAge")))
        high = _text(audience.get("suggestedMaxAge", audience.get("requiredMaxAge")))
        if low and high:
            return f"ages {low}-{high}"
        if low:
            return f"ages {low}+"
        if high:
            return f"ages up to {high}"
    for audience in _as_list(node.get("audience")):
        kind = _text(audience.get("audienceType")) if isinstance(audience, dict) else _text(audience)
        if kind:
            return kind
    return None


def format_address(address: Any) -> tuple[str | None, str | None]:
    """(address text, city) from a PostalAddress or a plain string."""
    address = _first(address)
    if isinstance(address, str):
        text = clean_text(address)
        return (text or None), None
    if not isinstance(address, dict):
        return None, None
    street = _text(address.get("streetAddress"))
    city = _text(address.get("addressLocality"))
    region = _text(address.get("addressRegion"))
    postal = _text(address.get("postalCode"))
    region_postal = " ".join(p for p in (region, postal) if p)
    text = ", ".join(p for p in (street, city, region_postal) if p)
    return (text or _text(address.get("name"))), city


def _geo_fields(geo: Any) -> dict[str, str]:
    geo = _first(geo)
    if not isinstance(geo, dict):
        return {}
    lat, lng = _text(geo.get("latitude")), _text(geo.get("longitude"))
    return {"latitude": lat, "longitude": lng} if lat and lng else {}


def _place_fields(place: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    address, city = format_address(place.get("address"))
    if address:
        fields["address"] = address
    if city:
        fields["city"] = city
    fields.update(_geo_fields(place.get("geo")))
    return fields


def _location_fields(location: Any) -> dict[str, str]:
    places = _as_list(location)
    physical = [p for p in places if not (isinstance(p, dict) and "VirtualLocation" in node_types(p))]
    if not physical:
        return {"venue": "Online"} if places else {}
    place = physical[0]
    if isinstance(place, str):
        text = clean_text(place)
        return {"venue": text} if text else {}
    if not isinstance(place, dict):
        return {}
    fields = _place_fields(place)
    name = _text(place.get("name"))
    if name:
        fields["venue"] = name
    return fields


def _schedule_text(schedules: Any) -> tuple[str | None, dict[str, str]]:
    """("every Tuesday 10:30-11:00", {date, end_date} from the schedule) for Schedule nodes."""
    texts: list[str] = []
    dates: dict[str, str] = {}
    for schedule in _as_list(schedules):
        if isinstance(schedule, str):
            texts.append(clean_text(schedule))
            continue
        if not isinstance(schedule, dict):
            continue
        days = [d for d in (_day_name(v) for v in _as_list(schedule.get("byDay"))) if d]
        frequency = _text(schedule.get("repeatFrequency")) or ""
        frequency_text = _FREQUENCIES.get(frequency.upper(), frequency.lower() or None)
        words: list[str] = []
        if days:
            prefix = "every other" if frequency.upper() == "P2W" else "every"
            words.append(f"{prefix} {', '.join(days)}")
        elif frequency_text:
            words.append(frequency_text)
        start, end = _time(schedule.get("startTime")), _time(schedule.get("endTime"))
        if start:
            words.append(f"{start}-{end}" if end else start)
        count = _text(schedule.get("repeatCount"))
        if count:
            words.append(f"({count} times)")
        if words:
            texts.append(" ".join(words))
        for key, target in (("startDate", "date"), ("endDate", "end_date")):
            value = _text(schedule.get(key))
            if value and target not in dates:
                dates[target] = value
    text = "; ".join(t for t in texts if t)
    return (text or None), dates


def _hours_text(node: dict[str, Any]) -> str | None:
    parts = [t for t in (_text(v) for v in _as_list(node.get("openingHours"))) if t]
    for spec in _as_list(node.get("openingHoursSpecification")):
        if not isinstance(spec, dict):
            continue
        days = ", ".join(d for d in (_day_name(v) for v in _as_list(spec.get("dayOfWeek"))) if d)
        opens, closes = _time(spec.get("opens")), _time(spec.get("closes"))
        hours = "closed" if opens == closes == "00:00" else "-".join(t for t in (opens, closes) if t)
        valid = " to ".join(v for v in (_text(spec.get("validFrom")), _text(spec.get("validThrough"))) if v)
        text = " ".join(p for p in (days, hours, f"({valid})" if valid else "") if p)
        if text:
            parts.append(text)
    return "; ".join(parts) or None


def node_fields(node: dict[str, Any], structured_type: str, base_url: str) -> dict[str, str]:
    """The RAW_FIELDS of one schema.org node."""
    fields: dict[str, str] = {}

    def put(name: str, value: str | None) -> None:
        if value and name not in fields:
            fields[name] = value

    put("title", _text(node.get("name")) or _text(node.get("headline")))
    put("description", _text(node.get("description")))
    put("date", _text(node.get("startDate")))
    put("end_date", _text(node.get("endDate")))
    put("time", _time(node.get("doorTime")))
    fields.update({k: v for k, v in _location_fields(node.get("location")).items() if k not in fields})
    if structured_type in _PLACE_LIKE or "address" in node:
        fields.update({k: v for k, v in _place_fields(node).items() if k not in fields})
    for key, value in _offers_fields(node).items():
        put(key, value)
    put("ages", _ages(node))
    put("url", _node_url(node, base_url))
    put("image", _url(node.get("image"), base_url))
    status = _local_name(_text(node.get("eventStatus")) or "")
    if status in _STATUS_BY_EVENT_STATUS:
        fields["status"] = _STATUS_BY_EVENT_STATUS[status]  # a cancellation outranks "Full"
    put("organizer", _text(node.get("organizer")) or _text(node.get("provider")))
    schedule, schedule_dates = _schedule_text(
        [*_as_list(node.get("eventSchedule")), *_as_list(node.get("courseSchedule"))]
    )
    put("schedule", schedule)
    for key, value in schedule_dates.items():
        put(key, value)
    put("hours", _hours_text(node))
    put("phone", _text(node.get("telephone")))
    put("type", structured_type)
    return fields


# Fields a child listing takes from its parent when it says nothing itself.
_INHERITED_FROM_COURSE = (
    "title",
    "description",
    "price",
    "ages",
    "organizer",
    "image",
    "url",
    "venue",
    "address",
    "city",
    "latitude",
    "longitude",
    "phone",
)
_INHERITED_FROM_EVENT = (
    "title",
    "venue",
    "address",
    "city",
    "latitude",
    "longitude",
    "organizer",
    "image",
    "ages",
    "price",
)


# --------------------------------------------------------------------------------------------
# Walking the node tree


@dataclass
class _Walk:
    configured: list[str]
    base_url: str
    syntax: Syntax
    items: list[StructuredItem] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)

    def visit(self, value: Any, inherited: dict[str, str], depth: int = 0) -> None:
        if depth > MAX_DEPTH or len(self.items) >= MAX_NODES:
            return
        if isinstance(value, list):
            for element in value:
                self.visit(element, inherited, depth + 1)
            return
        if not isinstance(value, dict) or id(value) in self.seen:
            return
        self.seen.add(id(value))
        matched = _matching_type(value, self.configured)
        own: dict[str, str] = {}
        if matched:
            own = node_fields(value, matched, self.base_url)
            for key, inherited_value in inherited.items():
                own.setdefault(key, inherited_value)
        instances = _as_list(value.get("hasCourseInstance"))
        if matched and not (instances and any(isinstance(i, dict) for i in instances)):
            self.items.append(StructuredItem(matched, own, own.get("url"), self.syntax))
        for key in _COLLECTION_KEYS:
            if key in value:
                self.visit(value[key], self._collection_context(value), depth + 1)
        if matched:
            course_context = {k: own[k] for k in _INHERITED_FROM_COURSE if k in own}
            event_context = {k: own[k] for k in _INHERITED_FROM_EVENT if k in own}
            self.visit(value.get("hasCourseInstance"), course_context, depth + 1)
            self.visit(value.get("subEvent"), event_context, depth + 1)
            self.visit(value.get("subEvents"), event_context, depth + 1)

    @staticmethod
    def _collection_context(node: dict[str, Any]) -> dict[str, str]:
        """What a Place or Organization listing its `event`s tells about each of them."""
        types = node_types(node)
        if any(t in _PLACE_LIKE for t in types):
            name = _text(node.get("name"))
            context = _place_fields(node)
            if name:
                context["venue"] = name
            return context
        if any(t.endswith("Organization") or t == "Organization" for t in types):
            name = _text(node.get("name"))
            return {"organizer": name} if name else {}
        return {}


def _dedupe(items: list[StructuredItem]) -> list[StructuredItem]:
    # The same event as JSON-LD and as microdata (or twice in a @graph) is one listing.
    seen: set[tuple[str, str, str]] = set()
    unique: list[StructuredItem] = []
    for item in items:
        key = (item.fields.get("title", "").casefold(), item.fields.get("date", ""), item.url or "")
        if key in seen:
            continue
        seen.add(key)
        unique.append(item)
    return unique


def structured_listings(
    html: str,
    url: str,
    config: StructuredDataConfig,
    *,
    selector: parsel.Selector | None = None,
) -> StructuredResult:
    """Listings described by the page's JSON-LD and microdata (see module docstring).

    `selector` lets the engine pass the page it already parsed; it must be built from `html`.
    """
    result = StructuredResult()
    if not config.enabled or not html.strip():
        return result
    page = selector if selector is not None else parsel.Selector(text=html)
    if "json-ld" in config.syntaxes:
        walk = _Walk(config.types, url, "json-ld")
        for script in _json_ld_scripts(page):
            if not script.strip():
                continue
            values = parse_json_ld(script)
            if values is None:
                result.malformed += 1
                continue
            walk.visit(values, {})
        result.items.extend(walk.items)
    if "microdata" in config.syntaxes and "itemscope" in html.lower():
        walk = _Walk(config.types, url, "microdata")
        try:
            data = extruct.extract(page.root, base_url=url, syntaxes=["microdata"], uniform=True)
        except (ValueError, TypeError, AttributeError, KeyError, etree.LxmlError) as exc:
            # extruct has no error type of its own; a page it cannot read is reported, not fatal.
            result.errors.append(f"microdata: {type(exc).__name__}: {exc}")
        else:
            walk.visit(data.get("microdata", []), {})
            result.items.extend(walk.items)
    result.items = _dedupe(result.items)
    return result
