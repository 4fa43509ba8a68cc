"""Enums and fixed vocabularies of the famact domain.

Every enum of the data contract lives here (STYLE.md: one thing in one place). Values are the
strings stored in DynamoDB and shown in the CLI/API, so renaming a value is a data migration.
"""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

TIMEZONE_NAME = "America/Los_Angeles"
TIMEZONE = ZoneInfo(TIMEZONE_NAME)
DEFAULT_CURRENCY = "USD"
UNKNOWN = "unknown"


class EntityType(StrEnum):
    VENUE = "VENUE"
    EVENT = "EVENT"
    PROGRAM = "PROGRAM"
    ATTRACTION = "ATTRACTION"


class Category(StrEnum):
    ARTS_CREATIVITY = "arts-creativity"
    ACTIVE_SPORTS = "active-sports"
    EDUCATIONAL_STEM = "educational-stem"
    ENTERTAINMENT_EVENTS = "entertainment-events"
    CAMPS_PROGRAMS = "camps-programs"
    FREE_COMMUNITY = "free-community"


class AgeGroup(StrEnum):
    INFANT = "infant"
    TODDLER = "toddler"
    PRESCHOOL = "preschool"
    ELEMENTARY = "elementary"
    TWEEN = "tween"
    TEEN = "teen"
    ADULT = "adult"
    ALL_AGES = "all-ages"


# Inclusive age bounds in months of each concrete age group. An age range belongs to every
# group it overlaps. `all-ages` is not a range: it is used when a listing is open to everyone
# (or states no age at all), and a search for any age group also finds all-ages listings.
AGE_GROUP_MONTHS: dict[AgeGroup, tuple[int, int]] = {
    AgeGroup.INFANT: (0, 11),
    AgeGroup.TODDLER: (12, 35),
    AgeGroup.PRESCHOOL: (36, 59),
    AgeGroup.ELEMENTARY: (60, 131),
    AgeGroup.TWEEN: (132, 155),
    AgeGroup.TEEN: (156, 215),
    AgeGroup.ADULT: (216, 1200),
}
MAX_AGE_MONTHS = 1200


class AgeUnit(StrEnum):
    MONTHS = "months"
    YEARS = "years"


class EntityStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    PAST = "past"
    FULL = "full"
    INACTIVE = "inactive"


class PricingType(StrEnum):
    FREE = "free"
    PAID = "paid"
    DONATION = "donation"
    VARIABLE = "variable"


class ScheduleType(StrEnum):
    ONE_TIME = "one_time"  # one date (or one multi-day run such as a festival weekend)
    RECURRING = "recurring"  # drop-in occurrences: "every Tuesday at 10", a list of dates
    TERM = "term"  # a program's enrolment term: start/end dates, days of week, sessions
    ONGOING = "ongoing"  # no dates: a venue, an attraction, an always-open offering


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)


class ClassificationMethod(StrEnum):
    RULES = "rules"
    STRUCTURED_DATA = "structured_data"  # schema.org type decided it
    CONFIG_HINT = "config_hint"  # the source config forces a type
    MODEL = "model"  # the trained model, mixed with the rules, changed the rules' answer
    LLM = "llm"


class SourceStatus(StrEnum):
    PENDING_ANALYSIS = "pending_analysis"
    ANALYZING = "analyzing"
    ANALYSIS_COMPLETE = "analysis_complete"
    ACTIVE = "active"
    PAUSED = "paused"
    REJECTED = "rejected"
    FAILED = "failed"


# The only moves a source's status may make (ARCHITECTURE section 2). Re-analysis is allowed
# from every state that is not running, so a failed or stale analysis can be redone.
SOURCE_TRANSITIONS: dict[SourceStatus, frozenset[SourceStatus]] = {
    SourceStatus.PENDING_ANALYSIS: frozenset({SourceStatus.ANALYZING, SourceStatus.REJECTED}),
    SourceStatus.ANALYZING: frozenset(
        {SourceStatus.ANALYSIS_COMPLETE, SourceStatus.FAILED, SourceStatus.PENDING_ANALYSIS}
    ),
    SourceStatus.ANALYSIS_COMPLETE: frozenset(
        {SourceStatus.ACTIVE, SourceStatus.REJECTED, SourceStatus.ANALYZING}
    ),
    SourceStatus.ACTIVE: frozenset({SourceStatus.PAUSED, SourceStatus.ANALYZING}),
    SourceStatus.PAUSED: frozenset({SourceStatus.ACTIVE, SourceStatus.ANALYZING}),
    SourceStatus.REJECTED: frozenset({SourceStatus.ANALYZING}),
    SourceStatus.FAILED: frozenset({SourceStatus.ANALYZING, SourceStatus.REJECTED}),
}


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def sort_key(self) -> str:
        """`1-high`, `2-medium`, `3-low`: sorts high first inside a GSI sort key."""
        return f"{PRIORITY_ORDER[self]}-{self.value}"


PRIORITY_ORDER: dict[Priority, int] = {Priority.HIGH: 1, Priority.MEDIUM: 2, Priority.LOW: 3}


class Frequency(StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


FREQUENCY_HOURS: dict[Frequency, int] = {
    Frequency.HOURLY: 1,
    Frequency.DAILY: 24,
    Frequency.WEEKLY: 24 * 7,
    Frequency.BIWEEKLY: 24 * 14,
    Frequency.MONTHLY: 24 * 30,
}


class SourceType(StrEnum):
    EVENT_CALENDAR = "event_calendar"
    VENUE_WEBSITE = "venue_website"
    PROGRAM_DIRECTORY = "program_directory"  # parks & rec guides, camp directories
    MUSEUM = "museum"
    LIBRARY = "library"
    AGGREGATOR = "aggregator"  # blogs and round-ups listing other people's activities
    OTHER = "other"


class RenderMode(StrEnum):
    HTTP = "http"
    BROWSER = "browser"


class SourceKind(StrEnum):
    """What a source's target URLs serve: pages to read, or a data feed whose records map
    to listing fields directly (data before markup)."""

    HTML = "html"
    ICS = "ics"  # iCalendar; recurrences expanded into dated instances
    RSS = "rss"  # RSS or Atom
    JSON_API = "json_api"  # JSON; `feed.records` finds the array, JSONPath selectors the fields


class SelectorKind(StrEnum):
    CSS = "css"
    XPATH = "xpath"
    JSONPATH = "jsonpath"  # json_api sources only: a path into one record (`$.title`)


class ExtractMode(StrEnum):
    TEXT = "text"  # the element's visible text, whitespace folded
    ATTR = "attr"  # one attribute's value (`attr` names it)
    HTML = "html"  # the element's markup


class ExecutionOutcome(StrEnum):
    QUEUED = "queued"  # scheduled on a scrapyd node, the spider has not opened yet
    RUNNING = "running"
    SUCCESS = "success"  # finished, items found, few errors
    PARTIAL = "partial"  # finished with errors or a suspiciously empty result
    FAILED = "failed"  # could not crawl (config missing, site down, spider error)
    CANCELLED = "cancelled"  # the scrapyd job was cancelled or vanished before it ran


class SourceHealthStatus(StrEnum):
    """How a source's latest complete crawl compares with its own history (health check)."""

    NEW = "new"  # no complete crawl to compare with yet
    OK = "ok"
    DEGRADED = "degraded"  # a clear drop in listings or field coverage; see the HEALTH row


class AnalysisMethod(StrEnum):
    HEURISTICS = "heuristics"
    LLM = "llm"


# Operational rows expire after this long (TTL attribute `expires_at`, epoch seconds).
EXECUTION_TTL_DAYS = 90
METRICS_TTL_DAYS = 90
SCHEDULE_TTL_DAYS = 30
