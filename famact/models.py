"""Pydantic v2 models of the famact data contract (ARCHITECTURE sections 2 and 3).

Three families:
- entities (VENUE / EVENT / PROGRAM / ATTRACTION) and the raw listing the crawler extracts;
- the source lifecycle: SUBMISSION, ANALYSIS and the crawl config (`SourceConfig`);
- operations: schedule slots, executions and daily metrics.

Models validate; they do no I/O. Conversion to DynamoDB items (Decimal, keys) is in
`famact.store`. Every model forbids unknown fields so that a typo in a config or an LLM answer
is an error that names the field, not a silently ignored value.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from famact.constants import (
    DEFAULT_CURRENCY,
    MAX_AGE_MONTHS,
    TIMEZONE_NAME,
    UNKNOWN,
    AgeGroup,
    AgeUnit,
    AnalysisMethod,
    Category,
    ClassificationMethod,
    EntityStatus,
    EntityType,
    ExecutionOutcome,
    ExtractMode,
    Frequency,
    PricingType,
    Priority,
    RenderMode,
    ScheduleType,
    SelectorKind,
    SourceHealthStatus,
    SourceKind,
    SourceStatus,
    SourceType,
    Weekday,
)

MAX_NAME_CHARS = 300
MAX_DESCRIPTION_CHARS = 20_000
MAX_TEXT_CHARS = 2_000
MAX_URL_CHARS = 2_048
MAX_OCCURRENCES = 120  # INSTANCE rows kept per entity; a daily event is capped, not unbounded

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,120}$")]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
ShortText = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
Url = Annotated[str, StringConstraints(max_length=MAX_URL_CHARS)]


class FamactModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


def _money(value: Any) -> Decimal | None:
    """Money as a Decimal with at most two places; floats go through str() (0.1 stays 0.1)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"must be finite: {value!r}")
    if amount < 0:
        raise ValueError(f"must not be negative: {value!r}")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"has more than two decimal places: {value!r}")
    return amount


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def require_http_urls(value: Any) -> Any:
    """A URL field's validator: the URL, or each of a list of them, is http(s) with a host."""
    for url in [value] if isinstance(value, str) else value:
        if not is_http_url(url):
            raise ValueError(f"not an http(s) URL: {url[:80]!r}")
    return value


# --------------------------------------------------------------------------------------------
# Entity parts


class AgeRange(FamactModel):
    """One age group an entity serves, with the part of the stated range that falls in it."""

    category: AgeGroup
    min_age: Decimal | None = Field(default=None, ge=0)
    max_age: Decimal | None = Field(default=None, ge=0)
    unit: AgeUnit = AgeUnit.YEARS

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError(f"min_age {self.min_age} is above max_age {self.max_age}")
        return self


class PriceOption(FamactModel):
    label: ShortText  # "child", "family", "member", "session"
    amount: Decimal

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal | None:
        return _money(value)


class Pricing(FamactModel):
    type: PricingType
    cost: Decimal | None = None  # the lowest per-person price; None when free or unknown
    max_cost: Decimal | None = None
    currency: str = Field(default=DEFAULT_CURRENCY, pattern=r"^[A-Z]{3}$")
    options: list[PriceOption] = Field(default_factory=list)
    text: ShortText | None = None

    @field_validator("cost", "max_cost", mode="before")
    @classmethod
    def _cost(cls, value: Any) -> Decimal | None:
        return _money(value)

    @model_validator(mode="after")
    def _consistent(self) -> Pricing:
        if self.type is PricingType.FREE and self.cost not in (None, Decimal(0)):
            raise ValueError(f"a free price cannot cost {self.cost}")
        return self


class Address(FamactModel):
    text: ShortText | None = None  # the address as printed
    street: ShortText | None = None
    city: ShortText | None = None
    state: str | None = Field(default=None, max_length=40)
    postal_code: str | None = Field(default=None, max_length=12)


class Coordinates(FamactModel):
    lat: Decimal = Field(ge=-90, le=90)
    lng: Decimal = Field(ge=-180, le=180)


class Occurrence(FamactModel):
    """One dated occurrence; becomes an `INSTANCE#{date}` row."""

    date: date
    start_time: HHMM | None = None
    end_time: HHMM | None = None
    status: EntityStatus = EntityStatus.ACTIVE


class Schedule(FamactModel):
    type: ScheduleType = ScheduleType.ONGOING
    start_date: date | None = None
    end_date: date | None = None
    start_time: HHMM | None = None
    end_time: HHMM | None = None
    days_of_week: list[Weekday] = Field(default_factory=list)
    session_count: int | None = Field(default=None, ge=1, le=1000)
    occurrences: list[Occurrence] = Field(default_factory=list, max_length=MAX_OCCURRENCES)
    text: ShortText | None = None
    timezone: str = TIMEZONE_NAME

    @model_validator(mode="after")
    def _ordered(self) -> Schedule:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self

    @property
    def first_date(self) -> date | None:
        dates = [o.date for o in self.occurrences]
        if self.start_date:
            dates.append(self.start_date)
        return min(dates) if dates else None


class HoursPeriod(FamactModel):
    days: list[Weekday]
    opens: HHMM
    closes: HHMM


class OperatingHours(FamactModel):
    periods: list[HoursPeriod] = Field(default_factory=list)
    seasonal_start: date | None = None
    seasonal_end: date | None = None
    text: ShortText | None = None


class Registration(FamactModel):
    required: bool | None = None
    url: Url | None = None
    opens: date | None = None
    deadline: date | None = None
    status: Literal["open", "full", "waitlist", "closed"] | None = None
    text: ShortText | None = None


class Classification(FamactModel):
    confidence: float = Field(ge=0, le=1)
    method: ClassificationMethod
    reasons: list[ShortText] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Entities


class EntityBase(FamactModel):
    """Fields common to every entity (ARCHITECTURE section 2)."""

    entity_type: EntityType
    entity_id: Slug
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_CHARS)]
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_CHARS)
    category: Category | None = None
    subcategory: str | None = Field(default=None, max_length=80)
    age_groups: list[AgeRange] = Field(default_factory=list)
    min_age_months: int | None = Field(default=None, ge=0, le=MAX_AGE_MONTHS)
    max_age_months: int | None = Field(default=None, ge=0, le=MAX_AGE_MONTHS)
    pricing: Pricing | None = None
    registration: Registration | None = None
    venue_id: str | None = Field(default=None, max_length=160)
    venue_name: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    address: Address | None = None
    region: str = Field(default=UNKNOWN, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    city: str = Field(default=UNKNOWN, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    coordinates: Coordinates | None = None
    schedule: Schedule = Field(default_factory=Schedule)
    operating_hours: OperatingHours | None = None
    amenities: list[ShortText] = Field(default_factory=list)
    url: Url | None = None
    image_url: Url | None = None
    source_id: str = Field(min_length=1, max_length=120)
    provider_id: str | None = Field(default=None, max_length=160)
    provider_name: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    status: EntityStatus = EntityStatus.ACTIVE
    featured: bool = False
    classification: Classification | None = None
    content_hash: str | None = Field(default=None, max_length=64)
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    @model_validator(mode="after")
    def _ages_ordered(self) -> EntityBase:
        lo, hi = self.min_age_months, self.max_age_months
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"min_age_months {lo} is above max_age_months {hi}")
        return self

    @field_validator("url", "image_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not is_http_url(value):
            raise ValueError(f"not an http(s) URL: {value[:80]!r}")
        return value

    @property
    def age_group_names(self) -> list[AgeGroup]:
        return [a.category for a in self.age_groups] or [AgeGroup.ALL_AGES]

    @property
    def type_name_field(self) -> str:
        """The seed's per-type name attribute: `venue_name`, `event_name`, ..."""
        return f"{self.entity_type.value.lower()}_name"


class Venue(EntityBase):
    entity_type: Literal[EntityType.VENUE] = EntityType.VENUE
    phone: str | None = Field(default=None, max_length=40)


class Event(EntityBase):
    entity_type: Literal[EntityType.EVENT] = EntityType.EVENT


class Program(EntityBase):
    entity_type: Literal[EntityType.PROGRAM] = EntityType.PROGRAM


class Attraction(EntityBase):
    entity_type: Literal[EntityType.ATTRACTION] = EntityType.ATTRACTION


Entity = Annotated[Venue | Event | Program | Attraction, Field(discriminator="entity_type")]
ENTITY_MODELS: dict[EntityType, type[EntityBase]] = {
    EntityType.VENUE: Venue,
    EntityType.EVENT: Event,
    EntityType.PROGRAM: Program,
    EntityType.ATTRACTION: Attraction,
}


# --------------------------------------------------------------------------------------------
# What the extraction engine yields before normalization


class RawListing(FamactModel):
    """One listing as extracted from a page: raw strings per field, plus where it came from.

    Field names are those of `RAW_FIELDS`; values are the page's text, untouched but for
    whitespace. The normalize pipeline turns this into an entity.
    """

    source_id: str
    page_url: Url
    url: Url | None = None  # the listing's own detail page, when it has one
    fields: dict[str, str] = Field(default_factory=dict)
    structured_type: str | None = None  # schema.org @type when the listing came from it
    extracted_via: Literal["selectors", "json-ld", "microdata", "merged", "feed"] = "selectors"
    page_context: dict[str, str] = Field(default_factory=dict)  # page title, season header
    type_hint: EntityType | None = None


# Canonical raw field names an extraction config may fill. Anything else is kept under
# `extra_*` only if the config names it so; the normalizer ignores it.
RAW_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "date",  # any free text about when: "Sat, Jan 9, 10am-noon", "1/9-2/27"
    "end_date",
    "time",
    "schedule",  # "every Tuesday", "M/W", "6 sessions"
    "price",
    "ages",
    "venue",
    "address",
    "city",
    "url",
    "image",
    "category",
    "registration",
    "status",  # "Cancelled", "Waitlist", "Full"
    "hours",
    "organizer",
    "phone",
    "type",  # a site's own label: "Class", "Camp", "Event", "Exhibit"
    "latitude",
    "longitude",
)


# --------------------------------------------------------------------------------------------
# The source config (ARCHITECTURE section 3)

_CSS_PSEUDO = re.compile(r"::(text|attr\(([^)]+)\))\s*$")


MAX_SELECTOR_CHARS = 1000  # a selector longer than this is a generated path, not a rule


class SelectorSpec(FamactModel):
    """A CSS or XPath selector and what to take from its match.

    Accepts the short string form too: `"h2.title"` (CSS text), `"a.more::attr(href)"`,
    `"xpath://h2"` or anything starting with `/` or `(` (XPath), `"css:h2"`.
    """

    kind: SelectorKind = SelectorKind.CSS
    query: str = Field(min_length=1, max_length=MAX_SELECTOR_CHARS)
    extract: ExtractMode = ExtractMode.TEXT
    attr: str | None = Field(default=None, max_length=100)
    regex: str | None = Field(default=None, max_length=500)
    multiple: bool = False  # join every match (with " | ") instead of taking the first

    @model_validator(mode="before")
    @classmethod
    def _from_short_form(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {"query": data}
        if not isinstance(data, dict) or not isinstance(data.get("query"), str):
            return data
        data = dict(data)
        query = data["query"].strip()
        if "kind" not in data:
            if query.startswith("xpath:"):
                data["kind"], query = SelectorKind.XPATH, query[len("xpath:") :].strip()
            elif query.startswith("css:"):
                data["kind"], query = SelectorKind.CSS, query[len("css:") :].strip()
            elif query.startswith(("/", "(", "./")):
                data["kind"] = SelectorKind.XPATH
            elif query.startswith("$"):
                data["kind"] = SelectorKind.JSONPATH
        kind = SelectorKind(data.get("kind", SelectorKind.CSS))
        if kind is SelectorKind.CSS:
            match = _CSS_PSEUDO.search(query)
            if match:
                query = query[: match.start()].strip()
                if match.group(2):
                    data.setdefault("extract", ExtractMode.ATTR)
                    data.setdefault("attr", match.group(2).strip())
        data["query"] = query or data["query"]
        return data

    @model_validator(mode="after")
    def _compiles(self) -> SelectorSpec:
        # Imported here: the core does not need lxml/cssselect until a config is validated.
        from cssselect import SelectorError
        from lxml import etree
        from parsel.csstranslator import HTMLTranslator

        if self.kind is SelectorKind.CSS:
            if self.query.lstrip().startswith(("/", "(")):
                raise ValueError(f"looks like XPath, not CSS: {self.query!r}")
            try:
                HTMLTranslator().css_to_xpath(self.query)
            except (SelectorError, ValueError, NotImplementedError) as exc:
                raise ValueError(f"invalid CSS selector {self.query!r}: {exc}") from exc
        elif self.kind is SelectorKind.JSONPATH:
            compile_jsonpath(self.query)
        else:
            try:
                etree.XPath(self.query)
            except etree.XPathSyntaxError as exc:
                raise ValueError(f"invalid XPath {self.query!r}: {exc}") from exc
        if self.extract is ExtractMode.ATTR and not self.attr:
            raise ValueError("extract=attr needs `attr` (the attribute name)")
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"invalid regex {self.regex!r}: {exc}") from exc
        return self


class PaginationConfig(FamactModel):
    next_page: SelectorSpec | None = None  # a link to the next listing page
    url_template: str | None = Field(default=None, max_length=MAX_URL_CHARS)  # "...?page={page}"
    start: int = Field(default=2, ge=0, le=1000)  # first page number the template fills in
    max_pages: int = Field(default=10, ge=1, le=500)

    @model_validator(mode="after")
    def _one_way(self) -> PaginationConfig:
        if self.url_template is not None and "{page}" not in self.url_template:
            raise ValueError("url_template must contain {page}")
        return self


class ListingConfig(FamactModel):
    item: SelectorSpec  # one match per listing (card, row, paragraph)
    fields: dict[str, SelectorSpec] = Field(default_factory=dict)  # relative to the item
    pagination: PaginationConfig | None = None

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, SelectorSpec]) -> dict[str, SelectorSpec]:
        return _check_field_names(value)


class DetailConfig(FamactModel):
    follow: SelectorSpec | None = None  # the link to the detail page, relative to the item
    fields: dict[str, SelectorSpec] = Field(default_factory=dict)  # relative to the page
    max_pages: int = Field(default=500, ge=1, le=20_000)

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, SelectorSpec]) -> dict[str, SelectorSpec]:
        return _check_field_names(value)


def _check_field_names(value: dict[str, SelectorSpec]) -> dict[str, SelectorSpec]:
    unknown = sorted(k for k in value if k not in RAW_FIELDS and not k.startswith("extra_"))
    if unknown:
        raise ValueError(f"unknown field name(s) {unknown}; use one of {list(RAW_FIELDS)}")
    return value


StructuredSyntax = Literal["json-ld", "microdata"]
STRUCTURED_SYNTAXES: tuple[StructuredSyntax, ...] = ("json-ld", "microdata")


class StructuredDataConfig(FamactModel):
    enabled: bool = True
    syntaxes: list[StructuredSyntax] = Field(default_factory=lambda: list(STRUCTURED_SYNTAXES))
    # Only these schema.org types (and their subtypes by name suffix, e.g. ChildrensEvent)
    # become listings; BreadcrumbList, Organization, WebSite and the like are ignored.
    types: list[str] = Field(
        default_factory=lambda: [
            "Event",
            "Course",
            "CourseInstance",
            "Place",
            "LocalBusiness",
            "TouristAttraction",
            "Museum",
            "Park",
            "EventSeries",
        ]
    )


class BrowserConfig(FamactModel):
    wait_for: SelectorSpec | None = None  # defaults to the listing item selector
    wait_timeout_ms: int = Field(default=15_000, ge=100, le=120_000)
    max_pages_per_context: int = Field(default=20, ge=1, le=500)


class SourceDefaults(FamactModel):
    entity_type: EntityType | None = None  # forces a type (e.g. a camp directory)
    category: Category | None = None
    venue_name: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    address: ShortText | None = None
    city: str | None = Field(default=None, max_length=80)
    region: str | None = Field(default=None, max_length=80)
    provider_name: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    timezone: str = TIMEZONE_NAME


# A crawl's pace; the analyzer's FAMACT_PROPOSED_REQUESTS_PER_MINUTE takes the same range.
RequestsPerMinute = Annotated[int, Field(ge=1, le=6000)]


class RateLimit(FamactModel):
    requests_per_minute: RequestsPerMinute = 30
    concurrent_requests: int = Field(default=2, ge=1, le=32)


class ScrapingConfig(FamactModel):
    frequency: Frequency = Frequency.WEEKLY
    priority: Priority = Priority.MEDIUM
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    respect_robots_txt: bool = True
    timeout: int = Field(default=30, ge=1, le=300)  # seconds per request
    max_retries: int = Field(default=2, ge=0, le=10)
    max_pages: int = Field(default=2_000, ge=1, le=100_000)  # a hard bound on one crawl
    user_agent: str | None = Field(default=None, max_length=300)


# Keys of the seed's flat `content_selectors` that name the item container.
CONTAINER_KEYS = (
    "container",
    "item",
    "items",
    "item_selector",
    "listing",
    "event_container",
    "event_item",
    "event",
    "events",
    "program_container",
    "activity_container",
    "card",
)
# Seed field names -> RAW_FIELDS.
FLAT_FIELD_ALIASES: dict[str, str] = {
    "name": "title",
    "event_name": "title",
    "program_name": "title",
    "venue_name": "venue",
    "event_title": "title",
    "heading": "title",
    "summary": "description",
    "details": "description",
    "dates": "date",
    "date_time": "date",
    "datetime": "date",
    "when": "date",
    "start_date": "date",
    "times": "time",
    "cost": "price",
    "fee": "price",
    "fees": "price",
    "pricing": "price",
    "age": "ages",
    "age_range": "ages",
    "age_group": "ages",
    "ages_text": "ages",
    "location": "venue",
    "where": "venue",
    "place": "venue",
    "link": "url",
    "detail_link": "url",
    "href": "url",
    "more_info": "url",
    "image_url": "image",
    "img": "image",
    "next_page": "",  # handled as pagination
    "pagination": "",
}


def compile_jsonpath(query: str) -> Any:
    """The parsed JSONPath (`jsonpath-ng`, with filters), or a one-line ValueError."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext import parse

    try:
        return parse(query)
    except (
        JsonPathLexerError,
        JsonPathParserError,
        Exception,
    ) as exc:  # the parser raises bare Exception too
        message = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"invalid JSONPath {query!r}: {message}") from exc


class FeedConfig(FamactModel):
    """How a data feed (`kind` ics, rss or json_api) maps to listings.

    ICS and RSS need nothing here: their own fields (SUMMARY, DTSTART, title, link ...) map to
    listing fields. A JSON API names the array of records and a JSONPath per field, relative to
    one record; `next` is an optional JSONPath to the next page's URL.
    """

    records: str | None = Field(default=None, max_length=MAX_SELECTOR_CHARS)
    fields: dict[str, SelectorSpec] = Field(default_factory=dict)
    next: str | None = Field(default=None, max_length=MAX_SELECTOR_CHARS)
    page_param: str | None = Field(default=None, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    max_pages: int = Field(default=5, ge=1, le=100)
    horizon_days: int = Field(default=180, ge=1, le=730)  # ICS: how far ahead recurrences expand
    max_items: int = Field(default=2000, ge=1, le=20000)  # per feed page: a bounded output

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, SelectorSpec]) -> dict[str, SelectorSpec]:
        return _check_field_names(value)

    @field_validator("records", "next")
    @classmethod
    def _paths(cls, value: str | None) -> str | None:
        if value is not None:
            compile_jsonpath(value)
        return value


def title_words(text: str) -> list[str]:
    """A title's words, lower case, for matching names ("City Council - Regular" -> city, ...)."""
    return re.findall(r"[a-z0-9]+", text.lower())


class TitleFilter(FamactModel):
    """Keep only the listings whose title holds every word of one of `include`'s phrases
    (whole words in any case and order, a plural or longer form of a word of five letters or
    more counting: "commission" matches "Commissioners"): one board's meetings on a calendar
    of every board."""

    include: list[Annotated[str, StringConstraints(min_length=1, max_length=120)]] = Field(
        min_length=1, max_length=20
    )

    def keeps(self, title: str) -> bool:
        words = set(title_words(title))
        return any(
            all(any(same_word(w, t) for t in words) for w in title_words(p))
            for p in self.include
            if title_words(p)
        )


def same_word(a: str, b: str) -> bool:
    """One word in two forms: "commission" / "commissioners", "board" / "boards"."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (len(short) >= 5 and long.startswith(short)) or (len(short) >= 4 and long == short + "s")


class SourceConfig(FamactModel):
    """The crawl config of one source: what the analyzer proposes and the spider runs.

    It is data only: selectors, URLs and numbers, never code.
    """

    source_id: str = Field(min_length=1, max_length=120, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    source_name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    source_type: SourceType = SourceType.OTHER
    kind: SourceKind = SourceKind.HTML
    base_url: Url
    target_urls: list[Url] = Field(default_factory=list, max_length=200)
    allowed_domains: list[str] = Field(default_factory=list)
    render: RenderMode = RenderMode.HTTP
    listing: ListingConfig | None = None
    detail: DetailConfig | None = None
    feed: FeedConfig | None = None
    title_filter: TitleFilter | None = None  # every kind: listings whose title names none are dropped
    structured_data: StructuredDataConfig = Field(default_factory=StructuredDataConfig)
    content_selectors: dict[str, str] | None = None  # the seed's flat form
    defaults: SourceDefaults = Field(default_factory=SourceDefaults)
    scraping_config: ScrapingConfig = Field(default_factory=ScrapingConfig)
    browser: BrowserConfig = Field(default_factory=BrowserConfig)
    version: int = Field(default=1, ge=1)
    updated_at: datetime | None = None
    approved_by: str | None = Field(default=None, max_length=120)

    @field_validator("base_url", "target_urls")
    @classmethod
    def _http_urls(cls, value: Any) -> Any:
        return require_http_urls(value)

    @model_validator(mode="after")
    def _complete(self) -> SourceConfig:
        if not self.target_urls:
            self.target_urls = [self.base_url]
        if not self.allowed_domains:
            self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.target_urls})
        for url in self.target_urls:
            host = urlsplit(url).hostname or ""
            if not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
                raise ValueError(f"target URL {url!r} is outside allowed_domains {self.allowed_domains}")
        if self.kind is not SourceKind.HTML:
            self._check_feed()
            return self
        if self.feed is not None:
            raise ValueError("`feed` is for kind ics, rss or json_api; this source is html")
        if self.listing is None and self.content_selectors:
            self.listing = listing_from_flat_selectors(self.content_selectors)
        if self.listing is None and self.detail is None and not self.structured_data.enabled:
            raise ValueError(
                "nothing to extract: give `listing`, `detail`, `content_selectors` "
                "or enable `structured_data`"
            )
        return self

    def _check_feed(self) -> None:
        if self.listing is not None or self.detail is not None or self.content_selectors:
            raise ValueError(f"a {self.kind} source takes `feed`, not HTML selectors")
        if self.feed is None:
            self.feed = FeedConfig()
        if self.kind is SourceKind.JSON_API:
            if not self.feed.records or "title" not in self.feed.fields:
                raise ValueError("a json_api source needs `feed.records` and a `feed.fields.title` JSONPath")
            wrong = sorted(n for n, s in self.feed.fields.items() if s.kind is not SelectorKind.JSONPATH)
            if wrong:
                raise ValueError(f"json_api field selectors must be kind jsonpath: {wrong}")
        elif self.feed.records or self.feed.fields:
            raise ValueError(f"a {self.kind} feed maps its own fields: drop `feed.records`/`feed.fields`")

    @property
    def effective_user_agent(self) -> str | None:
        return self.scraping_config.user_agent

    @property
    def item_pages(self) -> bool:
        """Each target page is itself one item (an event's or a venue's own page): no listing
        selector, and detail fields read on the target page instead of on followed links."""
        return self.listing is None and self.detail is not None and self.detail.follow is None


def listing_from_flat_selectors(flat: dict[str, str]) -> ListingConfig:
    """Turn the seed's flat `content_selectors` ({"container": ..., "title": ...}) into a
    `ListingConfig`. Field selectors are relative to the container when there is one."""
    container = next((flat[k] for k in CONTAINER_KEYS if flat.get(k)), None)
    if container is None:
        container = next((v for k, v in flat.items() if k.endswith(("_container", "_item")) and v), None)
    fields: dict[str, SelectorSpec] = {}
    pagination = None
    for key, selector in flat.items():
        if not selector or selector == container or key in CONTAINER_KEYS:
            continue
        if key in ("next_page", "pagination", "next"):
            pagination = PaginationConfig(next_page=SelectorSpec.model_validate(selector))
            continue
        name = FLAT_FIELD_ALIASES.get(key, key)
        if name not in RAW_FIELDS:
            continue  # unknown seed keys are ignored, as the seed's own scraper did
        fields.setdefault(name, SelectorSpec.model_validate(selector))
    if container is None:
        # No container: the page itself is the one listing (a detail page).
        container = "body"
    return ListingConfig(item=SelectorSpec.model_validate(container), fields=fields, pagination=pagination)


# --------------------------------------------------------------------------------------------
# Source lifecycle rows


class SourceSubmission(FamactModel):
    source_id: str = Field(min_length=1, max_length=120, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    source_name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    base_url: Url
    source_type: SourceType = SourceType.OTHER
    priority: Priority = Priority.MEDIUM
    hint_urls: list[Url] = Field(default_factory=list, max_length=20)
    notes: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    submitted_by: str | None = Field(default=None, max_length=120)
    submitted_at: datetime
    status: SourceStatus = SourceStatus.PENDING_ANALYSIS
    status_reason: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    updated_at: datetime | None = None

    @field_validator("base_url", "hint_urls")
    @classmethod
    def _http_urls(cls, value: Any) -> Any:
        return require_http_urls(value)


class FieldCheck(FamactModel):
    """A Spidermon-style named check and its result."""

    name: str
    passed: bool
    value: float | None = None
    threshold: float | None = None
    detail: str | None = None


class SourceAnalysis(FamactModel):
    source_id: str
    analyzed_at: datetime
    method: AnalysisMethod
    model: str | None = None
    discovered_patterns: dict[str, Any] = Field(default_factory=dict)
    extraction_results: list[dict[str, Any]] = Field(default_factory=list)  # per tested page
    sample_items: list[dict[str, Any]] = Field(default_factory=list, max_length=50)
    field_completeness: dict[str, float] = Field(default_factory=dict)
    item_count: int = 0
    quality_score: float = Field(default=0.0, ge=0, le=1)
    checks: list[FieldCheck] = Field(default_factory=list)
    issues: list[str] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    tokens_used: int = Field(default=0, ge=0)
    attempts: int = Field(default=1, ge=1)
    proposed_config: SourceConfig | None = None


class CrawlSample(FamactModel):
    """One complete, healthy crawl kept as part of a source's own baseline."""

    execution_id: str
    at: datetime
    items: int = Field(ge=0)
    coverage: dict[str, float] = Field(default_factory=dict)
    config_version: int | None = None  # field coverage is compared within one config version


class MonthStat(FamactModel):
    """A calendar month of a source's complete crawls (the season a later year compares with)."""

    crawls: int = Field(default=0, ge=0)
    items_total: int = Field(default=0, ge=0)
    items_min: int = Field(default=0, ge=0)
    items_max: int = Field(default=0, ge=0)


class ConfigCandidate(FamactModel):
    """A config the self-repair found on the current pages, waiting for the admin beside the
    approved one; `fields` holds each field's coverage as [baseline, running config now,
    candidate]."""

    config: SourceConfig
    found_at: datetime
    running_version: int | None = None
    items_baseline: float = 0.0
    items_running: int = 0  # the approved config on the same current pages
    items_candidate: int = 0
    fields: dict[str, list[float]] = Field(default_factory=dict)
    analysis_method: AnalysisMethod | None = None


class SourceHealth(FamactModel):
    """The `HEALTH` row of a source: its latest health verdict and the history it is judged by."""

    source_id: str
    status: SourceHealthStatus = SourceHealthStatus.NEW
    reason: ShortText | None = None
    checked_at: datetime | None = None
    execution_id: str | None = None
    items: int | None = None
    baseline_items: float | None = None
    field_drops: dict[str, list[float]] = Field(default_factory=dict)  # field -> [baseline, now]
    recent: list[CrawlSample] = Field(default_factory=list, max_length=50)
    months: dict[str, MonthStat] = Field(default_factory=dict)  # "YYYY-MM" (local) -> its crawls
    degraded_since: datetime | None = None
    repair_attempted_at: datetime | None = None
    repair_note: ShortText | None = None
    candidate: ConfigCandidate | None = None


# --------------------------------------------------------------------------------------------
# Operations rows


class ScheduleAdjustment(FamactModel):
    """One decision of the adaptive schedule (famact.scheduling.frequency), kept on the slot."""

    at: datetime
    outcome: ExecutionOutcome
    next_run_at: datetime
    interval_hours: float = Field(ge=0)
    factor: float = Field(gt=0)
    reason: ShortText


class ScheduleSlot(FamactModel):
    source_id: str
    next_run_at: datetime
    priority: Priority = Priority.MEDIUM
    frequency: Frequency = Frequency.WEEKLY
    lease_holder: str | None = None
    lease_expires_at: datetime | None = None
    consecutive_failures: int = Field(default=0, ge=0)
    # Adaptive frequency: the multiplier on frequency x priority learned from content changes,
    # the last decisions (bounded), and why the schedule paused the source for the admin.
    interval_factor: float = Field(default=1.0, gt=0)
    adjustments: list[ScheduleAdjustment] = Field(default_factory=list, max_length=50)
    paused_reason: ShortText | None = None
    last_execution_id: str | None = None
    # The scrapyd job the slot is following (set from schedule.json until the job ends), so
    # an orchestrator that takes over an expired lease follows the job instead of starting
    # a second one.
    job_id: str | None = None
    job_node: str | None = None
    job_execution_id: str | None = None
    job_started_at: datetime | None = None


class Execution(FamactModel):
    execution_id: str
    source_id: str
    started_at: datetime
    finished_at: datetime | None = None
    duration_s: float | None = None
    outcome: ExecutionOutcome = ExecutionOutcome.RUNNING
    finish_reason: str | None = None
    pages_crawled: int = 0
    items_scraped: int = 0
    items_by_type: dict[str, int] = Field(default_factory=dict)
    new_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    inactive_count: int = 0
    dropped_count: int = 0
    error_count: int = 0
    errors_by_kind: dict[str, int] = Field(default_factory=dict)
    field_coverage: dict[str, float] = Field(default_factory=dict)
    config_version: int | None = None
    node: str | None = None
    # DynamoDB capacity units the crawl consumed, as DynamoDB reported them (on-demand bills
    # these): what `famact cost` prices a month from.
    read_units: float = 0.0
    write_units: float = 0.0


class ExecutionError(FamactModel):
    execution_id: str
    n: int
    kind: str
    message: ShortText
    url: Url | None = None
    at: datetime


class DailyMetrics(FamactModel):
    source_id: str
    date: date
    executions: int = 0
    successes: int = 0
    failures: int = 0
    pages_crawled: int = 0
    items_scraped: int = 0
    new_count: int = 0
    updated_count: int = 0
    error_count: int = 0
    duration_s: float = 0.0
