"""Classify a listing as VENUE, EVENT, PROGRAM or ATTRACTION (docs/classification-rules.md).

What: a readable rules engine. `extract_evidence` reads the facts of a listing (title nouns,
specific dates and how far a date range spans, clock start times versus opening-hour ranges,
weekly patterns, session counts, enrollment and drop-in language, place facts such as hours,
admission, address and parking, exhibit/feature words, camp length) into named features.
When the facts are thin, a few "shape" features stand in for what a reader would assume: a
place fact pair with no dates is a place of its own (T4), something inside a named host with
no dates of its own is a feature of it, a bare date range with no times is a period something
is open, a title ending in a town ("Jump Zone Bellevue") names a branch of a business.
Titles are read the way a crawler finds them: site badges ("[FULL]", "SOLD OUT -", "NEW!",
"Register Now:", "| City of Bellevue") are dropped, and when one segment of a title names a
place and another names something else ("Woodland Park Zoo: Penguin Encounter", "Baby Lapsit -
Sammamish Library", "Woodland Park Rose Garden") the place is the host, not the subject.
Every feature has one row in `WEIGHTS` naming the rule of the decision procedure it stands
for (R1..R4, T1..T6) and how much it pushes each entity type. The scores are summed, the
highest wins, and a softmax over the scores gives the confidence. `reasons` lists the rule
ids of the features that carried the winning type, so a reviewer can see why.

Why rules and not a trained model: the product owner's definition is a decision procedure,
listings come from sites nobody has seen, and a feature table can be read, argued with and
fixed one row at a time. When the rules are unsure a `SecondOpinion` (an LLM client) may be
asked; its answer is taken only when it is confident.

Vocabulary covers English, Spanish, Chinese, Korean and Vietnamese (the last folded to plain
ASCII, so "Lớp" reads "lop"); Chinese and Korean words match without word boundaries because
those scripts do not space words. A small typo table (one dropped or swapped letter in the
deciding words: "exibit", "sesion", "dispaly") runs before the vocabulary.

Dates are read here with small regular expressions rather than `dateparser`: the classifier
needs only how many distinct days a listing names and how long a range runs, across forms
dateparser does not handle ("Dec 6, 7, 13, 14", "June 22-26", "1/9-2/27", "9月13日至12月20日",
"3월 14일", "4 tháng 10", "week of July 13", "Oct 31 5-7pm"); ISO datetimes from feeds
("2026-12-06T10:00:00-08:00") are rewritten first so their offset is not read as a time range.
Exact calendar dates are the job of famact.normalize.

Also here: `categorize` (the six product categories, by keywords) and `out_of_scope_reason`
(T7: memberships, passes, gift cards, party packages, volunteer calls, jobs, ads...).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from famact.constants import Category, ClassificationMethod, EntityType

VENUE = EntityType.VENUE
EVENT = EntityType.EVENT
PROGRAM = EntityType.PROGRAM
ATTRACTION = EntityType.ATTRACTION
TYPES: tuple[EntityType, ...] = (VENUE, EVENT, PROGRAM, ATTRACTION)

# Below this confidence the rules are "unsure": a second opinion is asked, and a source's
# `defaults.entity_type` may decide (famact.listing.classify_listing).
DEFAULT_THRESHOLD = 0.6


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassifierInput:
    """The text of one listing as a site shows it; every field but `title` may be missing."""

    title: str
    description: str | None = None
    date_text: str | None = None
    schedule_text: str | None = None
    price_text: str | None = None
    age_text: str | None = None
    venue_text: str | None = None
    url: str | None = None
    structured_type: str | None = None  # schema.org @type when known: Event, Course, Museum...
    site_label: str | None = None  # the site's own label: "Class", "Camp", "Exhibit", "Event"

    _EXTRA_FIELDS = (
        "date_text",
        "schedule_text",
        "price_text",
        "age_text",
        "venue_text",
        "url",
        "structured_type",
        "site_label",
    )

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> ClassifierInput:
        """Build from one `famact classify` input line (already parsed from JSON).

        Format: {"id", "title", "description", "extra": {"date_text", "schedule_text",
        "price_text", "age_text", "venue_text", "url"}}; `structured_type` and `site_label`
        are read from `extra` too. Unknown keys are ignored. Raises ValueError naming the field.
        """
        if not isinstance(obj, Mapping):
            raise ValueError(f"listing must be a JSON object, got {type(obj).__name__}: {obj!r:.80}")
        title = obj.get("title")
        if title is None:
            raise ValueError("field 'title' is missing")
        if not isinstance(title, str):
            raise ValueError(f"field 'title' must be a string, got {type(title).__name__}: {title!r:.80}")
        if not title.strip():
            raise ValueError(f"field 'title' is empty: {title!r}")
        description = _optional_str(obj, "description", "description")
        extra = obj.get("extra")
        if extra is None:
            extra = {}
        if not isinstance(extra, Mapping):
            raise ValueError(f"field 'extra' must be an object, got {type(extra).__name__}: {extra!r:.80}")
        values = {name: _optional_str(extra, name, f"extra.{name}") for name in cls._EXTRA_FIELDS}
        return cls(title=title.strip(), description=description, **values)


def _optional_str(obj: Mapping[str, Any], key: str, label: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"field '{label}' must be a string, got {type(value).__name__}: {value!r:.80}")
    return value


@dataclass(frozen=True)
class ClassificationResult:
    entity_type: EntityType
    confidence: float  # 0..1; below 0.6 means "unsure"
    method: ClassificationMethod
    reasons: tuple[str, ...]  # rule ids with the evidence, e.g. ("T1:camp-multi-day",)


class SecondOpinion(Protocol):
    """Anything that can give a (type, confidence) answer, e.g. an LLM client; None = no answer."""

    def classify(self, listing: ClassifierInput) -> tuple[EntityType, float] | None: ...


# --------------------------------------------------------------------------------------------
# The weights table: feature -> (rule id, weight for VENUE, EVENT, PROGRAM, ATTRACTION)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weight:
    rule: str
    venue: float = 0.0
    event: float = 0.0
    program: float = 0.0
    attraction: float = 0.0

    def of(self, entity_type: EntityType) -> float:
        return {
            VENUE: self.venue,
            EVENT: self.event,
            PROGRAM: self.program,
            ATTRACTION: self.attraction,
        }[entity_type]


W = Weight
# One row per feature. "title-*" rows read the subject of the title (the part before " at X"),
# "body-*" rows the rest of the text, which weighs less: a venue page that mentions its
# storytime is still about the venue (R1a).
WEIGHTS: dict[str, Weight] = {
    # --- what the title names (the subject of the listing)
    "title-place": W("R1", venue=3.0, attraction=0.5),
    "title-place-head": W("R1", venue=1.5),
    "title-event": W("R3", event=3.0),
    "title-event-head": W("R3", event=1.5),
    "title-program": W("R2", program=3.0),
    "title-program-head": W("R2", program=1.5),
    "title-class": W("R2", program=1.5, event=0.5),
    "title-feature": W("R4", attraction=3.0),
    "title-feature-head": W("R4", attraction=1.5),
    "title-seasonal": W("T5", attraction=3.0, event=0.5),
    "title-seasonal-head": W("T5", attraction=1.0),
    "title-feature-minor": W("R4", attraction=1.5),
    "title-garden": W("T4", venue=1.0, attraction=1.5),
    "title-activity": W("R2", program=0.8, event=0.4),
    "title-level": W("R2", program=2.5),
    "title-at-place": W("T4", venue=-1.5, attraction=0.5, event=0.5),
    "title-now-open": W("R1a", venue=2.0),
    # --- camp length (T1) decides camps almost alone
    "camp-multi-day": W("T1", program=7.0),
    "camp-one-day": W("T1", event=7.0),
    "camp-length-unknown": W("T1", program=4.0),
    # --- nouns in the body
    "body-place": W("R1", venue=0.8),
    "body-event": W("R3", event=0.8),
    "body-program": W("R2", program=0.8),
    "body-feature": W("R4", attraction=0.8),
    "body-seasonal": W("T5", attraction=0.6),
    # When the title names nothing we know, the first noun of the description is the subject.
    "lead-place": W("R1", venue=1.5),
    "lead-event": W("R3", event=1.5),
    "lead-program": W("R2", program=1.5),
    "lead-feature": W("R4", attraction=1.5),
    "lead-seasonal": W("T5", attraction=1.5),
    # --- place facts (R1)
    "hours": W("R1", venue=2.0, attraction=0.5),
    "admission": W("R1", venue=1.5, attraction=0.5),
    "address": W("R1", venue=1.5),
    "parking": W("R1", venue=1.5),
    "size": W("R1", venue=1.5),
    "amenities": W("R1", venue=1.0),
    "offers-activities": W("R1a", venue=1.5),
    "opening-date": W("R1a", venue=1.0, attraction=0.5),
    "open-play-all-day": W("T6", venue=2.0),
    "hosted-elsewhere": W("T4", venue=-2.0, event=0.5, attraction=0.5, program=0.5),
    "branch-title": W("R1", venue=1.5),
    "standalone-place": W("T4", venue=2.0),
    "hosted-undated": W("T4", attraction=2.0, venue=-0.5),
    # --- feature-inside-a-place facts (T4, R4)
    "included-with-admission": W("T4", attraction=3.0, venue=-1.0),
    "inside-place": W("T4", attraction=2.5, venue=-1.0),
    "continuous-show": W("R4", attraction=3.5, event=-1.0),
    "self-guided": W("R4", attraction=3.0, event=-1.5),
    "until-date": W("R4", attraction=2.0),
    "timed-entry": W("T5", attraction=1.5),
    "open-range": W("T5", attraction=1.0),
    # --- dates and times (R3, T5)
    "single-date": W("R3", event=2.0, attraction=-0.5, program=-1.0, venue=-1.0),
    "few-dates": W("R4a", event=2.0, venue=-1.0),
    "dated-start-time": W("R3", event=2.5, venue=-1.0),
    "date-list": W("R3", event=1.0, program=1.0),
    "long-range": W("T5", attraction=1.0, program=1.0, venue=-0.5),
    "mid-range": W("T1", program=1.5, venue=-1.0),
    "season-months": W("T5", attraction=1.0, venue=0.5),
    "start-times": W("R3", event=1.5),
    "departures": W("T5", event=3.0),
    "showtimes": W("R3", event=2.0),
    "performance-venue": W("R3", event=1.5),
    "seasonal-operation": W("T5", attraction=3.5),
    "seasonal-festival": W("R4a", attraction=2.0, event=-1.0),
    "recurring-weekly": W("R3", event=1.0, program=0.8),
    "weekday-slot": W("R3", event=1.0, program=0.5),
    "no-dates": W("R1", venue=0.5, attraction=0.5),
    # --- enrollment vs drop-in (R2, T2, T3)
    "session-count": W("R2", program=4.0, event=-1.0),
    "title-session-count": W("R2", program=2.0),
    "per-week": W("R2", program=2.0),
    "term-schedule": W("R2", program=3.5),
    "enroll": W("R2", program=2.5),
    "tuition": W("R2", program=3.5),
    "series-registration": W("T3", program=3.0),
    "term-start": W("R2", program=1.5),
    "price-per-term": W("R2", program=1.5),
    "reading-challenge": W("R2", program=4.0),
    "drop-in": W("T3", event=2.5, program=-1.0),
    "drop-in-if-space": W("R2a", program=2.0),
    "free-trial": W("R2b", program=2.5),
    "registration-required": W("T2", event=0.3),
    "rsvp": W("T2", event=0.8),
    "free-admission-day": W("R3", event=3.0, venue=-1.0),
    "relative-date": W("R3", event=2.0, venue=-0.5),
    "date-tba": W("R3", event=2.5, venue=-0.5),
    # --- what the site itself says
    "schema-event": W("R3", event=1.5),
    "schema-course": W("R2", program=3.0),
    "schema-place": W("R1", venue=3.0),
    "schema-attraction": W("R4", attraction=2.5),
    "label-event": W("R3", event=1.5),
    "label-class": W("R2", program=2.0),
    "label-exhibit": W("R4", attraction=3.0),
    "label-place": W("R1", venue=2.5),
    "label-attraction": W("R4", attraction=2.5),
}
del W

# Softmax temperature. Several correlated rows fire for one fact (a title noun and its head, a
# date and a dated start time), so scores run large; 2.0 keeps the confidence honest: against
# one rival a 4-point lead gives ~0.88, a 1-point lead ~0.62. (1.6 put half of all listings at
# 0.99 or more, including the ones it got wrong on first sight.)
TEMPERATURE = 2.0


# --------------------------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212~〜～]")
# "thru" is "through", not a dash: "open daily thru Oct 31" names an end date, not a range.
_THRU = re.compile(r"\bthru\b|\btill\b")


def fold(text: str | None) -> str:
    """Lowercase, NFKC, strip accents (not CJK), one kind of dash, single spaces.

    Vietnamese "đ" has no combining form, so it is mapped to "d" by hand; Hangul is kept
    composed (NFD would split it into jamo).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("’", "'").replace("‘", "'")
    text = _DASHES.sub("-", text)
    text = _THRU.sub("through", text)
    return re.sub(r"\s+", " ", text).strip()


def _any(patterns: str, text: str) -> bool:
    return re.search(patterns, text) is not None


# --------------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------------

_MONTH_NAMES: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
_MONTH = r"(?P<{0}>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_CUM_DAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
# A day number must not be a clock time, an age or the start of a time range ("May 5pm",
# "October 7-10pm" is October, 7 to 10 pm). A number after it may be a year, a start time or a
# time range ("Sat May 30 10am-1pm", "Dec 6 2025", "Oct 31 5-7pm"), but not another bare number.
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\b|[ap]\b)|\d{1,2}:\d{2}"
_BARE_RANGE_CLOCK = rf"\d{{1,2}}(?::\d{{2}})?\s*-\s*(?:{_CLOCK})"
_NOT_TIME = (
    r"(?!\s*(?:[ap]\.?m\b|[ap]\b|:\d|\s*(?:years?|yrs?)\b))"
    rf"(?!\s*(?!\d{{4}}\b|{_CLOCK}|{_BARE_RANGE_CLOCK})\d)(?!\s*-\s*(?:{_CLOCK}))"
)


def _m(name: str) -> str:
    return _MONTH.format(name)


def _d(name: str) -> str:
    return _DAY.format(name)


def _month(text: str) -> int:
    return _MONTH_NAMES[text.rstrip(".")]


def _doy(month: int, day: int) -> int:
    return _CUM_DAYS[month - 1] + max(1, min(day, 31))


def _span(m1: int, d1: int, m2: int, d2: int) -> int:
    """Days from (m1, d1) to (m2, d2), wrapping over New Year (Nov 28 - Jan 4 = 37)."""
    return (_doy(m2, d2) - _doy(m1, d1)) % 365


_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Jan 6 - Feb 24 / November 28, 2025 - January 3, 2026
    re.compile(
        rf"\b{_m('m1')}\s+{_d('d1')}(?:,?\s*\d{{4}})?\s*(?:-|to|through|until|al|a)\s*"
        rf"(?:\w+,?\s+)?{_m('m2')}\s+{_d('d2')}\b{_NOT_TIME}"
    ),
    # 10 de enero - 28 de febrero, 20 Dec 2025 - 4 Jan 2026
    re.compile(
        rf"\b{_d('d1')}\s+(?:de\s+)?{_m('m1')}(?:,?\s*\d{{4}})?\s*(?:-|a|al|hasta|to|through)\s*(?:el\s+)?"
        rf"{_d('d2')}\s+(?:de\s+)?{_m('m2')}\b"
    ),
    # 13 al 17 de julio
    re.compile(rf"\b{_d('d1')}\s*(?:-|al|a|y)\s*{_d('d2')}\s+de\s+{_m('m1')}"),
    # 9月13日至12月20日 (至 folded to "-" beforehand), 3월 14일 - 4월 2일
    re.compile(
        r"(?P<m1n>\d{1,2})\s*[月월]\s*(?P<d1>\d{1,2})\s*[日일号]?\s*-\s*(?P<m2n>\d{1,2})\s*[月월]\s*"
        r"(?P<d2>\d{1,2})\s*[日일号]"
    ),
    # 7月6日-10日, 7월 6일-10일 (same month)
    re.compile(r"(?P<m1n>\d{1,2})\s*[月월]\s*(?P<d1>\d{1,2})\s*[日일号]?\s*-\s*(?P<d2>\d{1,2})\s*[日일号]"),
    # Vietnamese "6 - 10 thang 7", "6 thang 7 - 14 thang 8" (day first, "tháng" = month)
    re.compile(
        r"\b(?P<d1>[0-3]?\d)(?:\s*thang\s*(?P<m1v>1[0-2]|0?[1-9]))?\s*(?:-|den)\s*(?P<d2>[0-3]?\d)\s+thang\s+"
        r"(?P<m2n>1[0-2]|0?[1-9])\b"
    ),
    # 1/9-2/27, 6/29-7/2/2026, Mon 1/12 - Mon 3/2, 1/12/2026 to 3/2/2026 (ISO dates arrive so)
    re.compile(
        r"(?<![\d/])(?P<m1n>1[0-2]|0?[1-9])/(?P<d1>[0-3]?\d)(?:/\d{2,4})?\s*(?:-|to|through|until)\s*"
        rf"(?:{_WEEKDAY},?\s+)?(?P<m2n>1[0-2]|0?[1-9])/(?P<d2>[0-3]?\d)(?:/\d{{2,4}})?(?![\d/])"
    ),
    # June 22-26, Feb 17-19, Dec 22-23 (same month)
    re.compile(rf"\b{_m('m1')}\s+{_d('d1')}\s*-\s*{_d('d2')}\b{_NOT_TIME}"),
)
_SINGLE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Dec 6, 7, 13 & 14 -> a list; the first day is captured, the rest counted below
    re.compile(
        rf"\b{_m('m1')}\s+{_d('d1')}\b{_NOT_TIME}(?P<more>(?:\s*(?:,|&|and"
        rf"|y)\s*[0-3]?\d\b{_NOT_TIME}(?!\s*-\s*\d))*)"
    ),
    re.compile(rf"\b{_d('d1')}\s+(?:de\s+)?{_m('m1')}\b(?P<more>)"),
    re.compile(r"(?P<m1n>\d{1,2})\s*[月월]\s*(?P<d1>\d{1,2})\s*[日일号](?P<more>)"),
    re.compile(r"\b(?P<d1>[0-3]?\d)\s+thang\s+(?P<m1n>1[0-2]|0?[1-9])\b(?P<more>)"),
    re.compile(r"\b20\d\d-(?P<m1n>1[0-2]|0?[1-9])-(?P<d1>[0-3]?\d)\b(?P<more>)"),
    re.compile(
        r"(?<![\d/$.])(?P<m1n>1[0-2]|0?[1-9])/(?P<d1>[0-3]?\d)(?:/\d{2,4})?(?![\d/]|\s*-?\s*(?:mile|in\b"
        r"|cup))(?P<more>)"
    ),
)
# "(now) through Dec 23", "hasta el 30 de junio": an end date, not a day something happens.
_UNTIL_DATE = re.compile(
    rf"\b(?:through|until|till|to|hasta(?: el)?)\s+(?:(?:{_WEEKDAY}),?\s+)?(?:{_m('m1')}\s+{_d('d1')}"
    rf"|{_d('d2')}\s+de\s+{_m('m2')}"
    r"|(?:1[0-2]|0?[1-9])/[0-3]?\d)\b"
    r"|(?:即日起|即日|现在起|起)\s*-\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{1,2}\s*월\s*\d{1,2}\s*일\s*까지"
)
# A range of whole months or named seasons: "May through October", "Jan-Mar", "Memorial Day
# weekend through Labor Day", "Thanksgiving to Christmas".
_MONTH_RANGE = re.compile(
    rf"\b(?:mid-?|early |late )?{_m('m1')}\s*(?:-|to|through|until|a|hasta)\s*(?:mid-?|early "
    rf"|late )?{_m('m2')}\b"
)
_NAMED_SEASON = re.compile(
    r"memorial day(?: weekend)? (?:through|to|-) labor day|thanksgiving (?:through|to|-) (?:christmas"
    r"|new year)"
    r"|\ball (?:summer|season|month)(?: long)?\b|\bduring the holidays\b|\bholiday season\b"
    rf"|\b(?:weekends?|nights?|evenings?|fridays?|saturdays?|sundays?|daily|nightly|open|every day) in "
    rf"(?:{'|'.join(_MONTH_NAMES)})\b"
    r"|\bthrough (?:the )?(?:new year'?s?|christmas|labor day|halloween|thanksgiving)\b"
    r"|\d{1,2}월 한 ?달|\bhang (?:nam|mua)\b"
    r"|\bfrom (?:mid-)?\w+ (?:to|through) \w+\b"
)
# "Week of July 13": a Monday-to-Friday week, like "July 13-17".
_WEEK_OF = re.compile(rf"\bweek of\s+(?:{_WEEKDAY},?\s+)?{_m('m1')}\s+{_d('d1')}\b")
_WHOLE_MONTH = re.compile(rf"^\s*{_m('m1')}\b(?!\s*[0-3]?\d)")

# "a.m." ends in a dot, so it takes no \b after it ("10 a.m.–6 p.m." is a range).
_TIME = (
    r"(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.m\.|[ap]\.?m\b|[ap]\b)|\d{1,2}:\d{2}|noon|midnight|dusk|sunset|sundown)"
)
_TIME_RANGE = re.compile(
    rf"{_TIME}\s*(?:-|to|a|until)\s*{_TIME}|\b\d{{1,2}}(?::\d{{2}})?\s*-\s*{_TIME}"
    # Spanish hours on a 24-hour clock: "de 10 a 18 h", "de 9:30 a 16:00" ("10 a" is not 10 am)
    r"|\bde\s+\d{1,2}(?::\d{2})?\s*a\s*\d{1,2}(?::\d{2})?(?:\s*(?:h|hrs|horas)\b)?"
)
_CONTEXT_BARE_RANGE = re.compile(
    # a schedule field that is nothing but "10-5" or "9:30-2" is a time range
    r"(?:^|\|)\s*\d{1,2}(?::\d{2})?\s*-\s*\d{1,2}(?::\d{2})?\s*(?=$|\|)|"
    rf"(?:daily|nightly|open|hours:?|weekdays|weekends|{_WEEKDAY}s?|dawn to|\bm-f)"
    r"\s+\d{1,2}\s*-\s*\d{1,2}\b(?!\s*(?:yrs?|years))"
)
_SINGLE_TIME = re.compile(_TIME)
_END_TIME = re.compile(rf"\b(?:until|through|til|to|closes? at)\s+{_TIME}")
# Chinese "下午2点", Korean "오후 2시", Vietnamese "2 giờ chiều" (folded: "2 gio chieu").
_CJK_TIME = (
    r"(?:上午|下午|晚上|中午|오전|오후|저녁|낮)?\s*\d{1,2}(?::\d{2})?\s*[点點시](?:半|\s*반|\s*\d{1,2}\s*분)?"
)
_VI_TIME = r"\b\d{1,2}(?:[:h]\d{2})?\s*gio(?:\s*(?:sang|chieu|toi|trua|dem))?\b"
_ZH_TIME = re.compile(rf"{_CJK_TIME}|{_VI_TIME}")
_ZH_TIME_RANGE = re.compile(
    rf"{_CJK_TIME}\s*-\s*{_CJK_TIME}|\b\d{{1,2}}(?:[:h]\d{{2}})?\s*(?:gio(?:\s*(?:sang|chieu|toi|trua))?)?\s*-\s*"
    rf"{_VI_TIME}"
)

_WEEKDAY_ES = r"(?:lunes|martes|miercoles|jueves|viernes|sabados?|domingos?)"
_PLURAL_WEEKDAY = re.compile(
    rf"\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b"
    rf"|\bevery\s+(?:other\s+)?(?:\d(?:st|nd|rd|th)\s+)?{_WEEKDAY}\b"
    r"|\beach\s+(?:mon|tue|wed|thu|fri|sat|sun)\w*|\bweekly\b|\btodos los\b(?! dias)|每周|每星期"
    r"|\bevery week\b"
    r"|\b(?:1st|2nd|3rd|4th|first|second|third|last)\s+\w+day\s+(?:of (?:every|each|the) month|monthly)\b"
    r"|\bmonthly\b"
    r"|\b(?:1st|2nd|3rd|4th|first|second|third|fourth|last)(?:\s*(?:&|and|,)\s*(?:1st|2nd|3rd|4th|first"
    r"|second"
    r"|third|fourth|last))?\s+(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"
    r"|\b(?:sabados|domingos|los (?:lunes|martes|miercoles|jueves|viernes))\b"
    rf"|\bcada (?:semana|{_WEEKDAY_ES})"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day (?:mornings|afternoons|evenings|nights)\b"
    r"|매주|\bmoi (?:thu|chu nhat|tuan)\b|\bhang tuan\b|\bbi-?weekly\b|\bevery other week\b"
)
_WEEKDAY_RANGE = re.compile(
    rf"\b{_WEEKDAY}\s*-\s*{_WEEKDAY}\b|\bm-f\b|\bde lunes a viernes\b|\blunes a (?:viernes|domingo)\b"
    rf"|周[一二三四五六日]至周[一二三四五六日]|[월화수목금토일]요?일?\s*-\s*[월화수목금토일]요?일?"
    r"|\bthu (?:hai|ba)\s*-\s*(?:thu (?:sau|bay)|chu nhat)\b|\bmon(?:day)?\s*(?:through|to)\s*fri(?:day)?\b"
)
_DAY_CODE_SLOT = re.compile(
    r"\b(?:m|tu|w|th|f|sa|su|mon|tue|wed|thu|fri|sat|sun)(?:/(?:m|tu|w|th|f|sa|su))*\s+\d{1,2}:\d{2}"
    # catalogue rows: "Tu 4-5:30p", "M/W 5-6pm", "Th 6-8p"; Korean "화/목"
    r"|\b(?:m|tu|w|th|f|sa|su)(?:/(?:m|tu|w|th|f|sa"
    r"|su))*\s+\d{1,2}(?::\d{2})?\s*-\s*\d{1,2}(?::\d{2})?\s*[ap]"
    r"|[월화수목금토일]/[월화수목금토일]"
)
_ANY_WEEKDAY = re.compile(
    rf"\b{_WEEKDAY}s?\b|\b{_WEEKDAY_ES}\b|周[一二三四五六日]|星期|礼拜|[월화수목금토일]요일|\([월화수목금토일]\)"
    r"|\bthu (?:hai|ba|tu|nam|sau|bay)\b|\bchu nhat\b"
)


# "Register by Nov 5", "apply by 12/15", "deadline: March 1": the last day to sign up, not a day
# the thing happens (a one-day camp with a deadline is still one day).
_DEADLINE = re.compile(
    r"\b(?:(?:register|registration|sign[- ]?ups?|enrol(?:l|lment)?|apply|applications?|rsvp|book|order)"
    r"\w*\s+(?:is\s+|are\s+)?(?:due\s+)?(?:by|before|closes?|ends?|due)|deadline(?: to \w+)?:?"
    r"|(?:due|closes)\s+(?:by|on))"
    rf"\s+(?:on\s+)?(?:{_WEEKDAY},?\s+)?(?:{_m('m1')}\.?\s+{_d('d1')}\b|(?:1[0-2]|0?[1-9])/[0-3]?\d\b)"
)


# Feeds and <time datetime> attributes print ISO 8601: "2026-12-06T10:00:00-08:00". Rewritten as
# "12/6/2026 10:00" before reading, so the offset is not a time range and the "T" does not glue
# the date to the clock; midnight is the placeholder of an all-day entry and is dropped.
_ISO_DATETIME = re.compile(
    r"\b20\d\d-(?P<m>1[0-2]|0?[1-9])-(?P<d>[0-3]?\d)(?:t(?P<h>[0-2]?\d):(?P<mi>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
    r"(?:z|[+-][01]\d:?[0-5]\d)?)?\b"
)


def _iso_to_text(text: str) -> str:
    def on_iso(match: re.Match[str]) -> str:
        date = f"{int(match.group('m'))}/{int(match.group('d'))}"
        hour, minute = match.group("h"), match.group("mi")
        if hour is None or (int(hour) == 0 and minute == "00"):
            return date
        return f"{date} {int(hour)}:{minute}"

    return _ISO_DATETIME.sub(on_iso, text)


@dataclass
class DateFacts:
    """How many specific days a listing names and how far its ranges run."""

    dates: set[tuple[int, int]] = field(default_factory=set)
    max_span: int = -1  # longest explicit date range in days; -1 when there is none
    listed: int = 0  # days given as a list ("Dec 6, 7, 13, 14")
    month_span: int = -1  # longest range of whole months / named season, in days
    until: bool = False  # "through Dec 23", "until Jan 5": the end of an ongoing period

    @property
    def count(self) -> int:
        return len(self.dates)


def read_dates(text: str) -> DateFacts:
    """Find specific dates and date ranges in folded text (see module docstring for why regex)."""
    facts = DateFacts()
    rest = _DEADLINE.sub(" <deadline> ", _iso_to_text(text).replace("至", "-").replace("到", "-"))

    def on_week(match: re.Match[str]) -> str:
        month, day = _month(match.group("m1")), int(match.group("d1"))
        if 1 <= day <= 31:
            facts.dates.update({(month, day), (month, min(day + 4, 31))})
            facts.max_span = max(facts.max_span, 4)
        return " <range> "

    rest = _WEEK_OF.sub(on_week, rest)
    for pattern in _DATE_PATTERNS:
        def on_range(match: re.Match[str]) -> str:
            groups = match.groupdict()
            m2_text = groups.get("m2")
            if m2_text:
                m2 = _month(m2_text)
            elif groups.get("m2n"):
                m2 = int(groups["m2n"])
            else:
                m2 = 0
            if groups.get("m1"):
                m1 = _month(groups["m1"])
            elif groups.get("m1n") or groups.get("m1v"):
                m1 = int(groups.get("m1n") or groups["m1v"])
            else:
                m1 = m2
            m2 = m2 or m1
            d1, d2 = int(groups["d1"]), int(groups["d2"])
            if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31):
                return match.group(0)
            span = _span(m1, d1, m2, d2)
            if span > 300:  # "12-6" style noise, not a range
                return match.group(0)
            facts.max_span = max(facts.max_span, span)
            facts.dates.add((m1, d1))
            facts.dates.add((m2, d2))
            if span == 1:
                facts.listed = max(facts.listed, 2)
            return " <range> "

        rest = pattern.sub(on_range, rest)
    rest, until = _UNTIL_DATE.subn(" <until> ", rest)
    facts.until = until > 0
    for pattern in _SINGLE_PATTERNS:
        def on_single(match: re.Match[str]) -> str:
            groups = match.groupdict()
            month = _month(groups["m1"]) if groups.get("m1") else int(groups["m1n"])
            day = int(groups["d1"])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                return match.group(0)
            facts.dates.add((month, day))
            more = [int(x) for x in re.findall(r"\b([0-3]?\d)\b", groups.get("more") or "")]
            for extra_day in more:
                if 1 <= extra_day <= 31:
                    facts.dates.add((month, extra_day))
            if more:
                facts.listed = max(facts.listed, 1 + len(more))
            return " <date> "

        rest = pattern.sub(on_single, rest)
    for match in _MONTH_RANGE.finditer(rest):
        span = _span(_month(match.group("m1")), 1, _month(match.group("m2")), 28)
        facts.month_span = max(facts.month_span, span)
    if _NAMED_SEASON.search(rest):
        facts.month_span = max(facts.month_span, 30)
    return facts


@dataclass
class TimeFacts:
    ranges: int = 0  # "10am-4pm", "9:00-9:30a"
    singles: int = 0  # "7:30pm", "at 10:15am": start times


def read_times(text: str) -> TimeFacts:
    facts = TimeFacts()
    rest, facts.ranges = _TIME_RANGE.subn(" <trange> ", _iso_to_text(text))
    rest = _END_TIME.sub(" <end> ", rest)  # "until 8pm" closes something, it starts nothing
    rest, local = _ZH_TIME_RANGE.subn(" <trange> ", rest)
    facts.ranges += local
    rest, bare = _CONTEXT_BARE_RANGE.subn(" <trange> ", rest)
    facts.ranges += bare
    facts.singles = len(_SINGLE_TIME.findall(rest)) + len(_ZH_TIME.findall(rest))
    return facts


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


def _words(*alternatives: str) -> str:
    return r"(?:" + "|".join(alternatives) + r")"


# Nouns that name the subject of a listing, by kind. Longer phrases win over the words inside
# them ("open gym" over "gym", "spray park" over "park", "ropes course" over "course").
# Latin-script words (English, Spanish, and Vietnamese after accents are folded away) match
# as whole words with an optional plural "s"; Chinese and Korean words match anywhere,
# because those scripts do not put spaces between words.
NOUNS: dict[str, tuple[str, ...]] = {
    "place": (
        r"museums?", r"museo", r"library", r"biblioteca", r"branch", r"zoo", r"aquarium", r"parks?",
        r"state park", r"beach park", r"farms?", r"ranch", r"pool", r"piscina", r"caf[eé]", r"play ?cafe",
        r"cent(?:er|re)", r"gym", r"arena", r"roller rink", r"ice (?:arena|rink|cent(?:er|re))",
        r"theat(?:er|re)", r"school", r"studio", r"arcade", r"lanes", r"bowling", r"conservatory",
        r"botanical gardens?", r"garden cent(?:er|re)", r"nursery", r"book ?(?:shop|store)", r"bookshop",
        r"store", r"mall", r"play ?space", r"play ?zone", r"play ?loft", r"indoor play(?:ground|grond)?",
        r"trampoline park", r"water ?park", r"fun (?:cent(?:er|re)|land)", r"funland", r"mini golf",
        r"go-?karts", r"skate ?park", r"marina", r"preserve", r"ymca", r"union building",
        r"kids'? (?:gym|barn|farm)", r"academy", r"adventure park", r"play ?(?:center|arena)", r"playland",
        r"boutique", r"shop", r"boathouse",
        r"escape rooms?", r"puzzle rooms?", r"climbing gym", r"rock gym", r"bouldering gym",
        r"bowling alley", r"bowl", r"(?:family )?entertainment cent(?:er|re)", r"amusement park",
        r"theme park", r"wildlife park", r"safari park", r"nature cent(?:er|re)", r"toy library",
        r"toy (?:store|shop)", r"(?:board )?game (?:cafe|store|shop)", r"board game cafe",
        r"swim school", r"dojo", r"rink", r"sportsplex", r"field ?house", r"bike park", r"orchard",
        r"ski (?:area|resort|hill)", r"tubing (?:park|cent(?:er|re))", r"sno-?park", r"campground",
        r"wildlife refuge", r"refuge", r"sanctuary", r"natural area", r"playhouse", r"cinema",
        r"movie theat(?:er|re)", r"amphitheat(?:er|re)", r"stadium", r"ballpark", r"fairgrounds",
        r"aquatic cent(?:er|re)", r"natatorium", r"gymnasium", r"lodge", r"(?:fish |salmon )?hatchery",
        r"trampoline (?:park|arena|cent(?:er|re))", r"trampolines", r"ninja gym", r"clubhouse",
        r"stables", r"indoor courts?", r"playfield", r"sports? (?:complex|fields)",
        r"athletic (?:complex|fields)", r"cafe & play", r"(?:scenic |heritage )?rail(?:road|way)",
        r"skate ?land", r"(?:fun|play|jump|wonder|kid|adventure)land", r"kids cafe", r"makerspace",
        # Vietnamese (accents folded): library, museum, park, pool, center, zoo
        r"thu vien", r"bao tang", r"cong vien", r"ho boi", r"trung tam", r"so thu",
        r"图书馆", r"博物馆", r"探索馆", r"[^\s]{1,6}馆", r"中心", r"乐园", r"公园", r"农场", r"动物园",
        r"游泳池", r"museo de \w+", r"parque",
        r"도서관", r"박물관", r"미술관", r"과학관", r"수족관", r"공원", r"수영장", r"센터", r"동물원",
        r"놀이공원", r"키즈카페", r"체육관", r"농장", r"볼링장", r"아이스링크",
    ),
    "event": (
        r"festival", r"fest", r"fair", r"faire", r"parade", r"concerts?", r"concert series", r"performances?",
        r"recital", r"puppet show", r"magic show", r"musical", r"market", r"race", r"fun run", r"5k",
        r"dash", r"triathlon", r"derby", r"part(?:y|ies)", r"celebrat(?:ion|e)", r"dance party",
        r"father-daughter dance", r"\w+ dance night",
        r"(?:daddy|father|mother|mommy)[- ](?:daughter|son) dance",
        r"gala", r"talk", r"lecture", r"workshop", r"story ?times?", r"storytme", r"lapsit", r"rhyme time",
        r"toddler time", r"music time", r"sing-?along", r"open gym", r"open swim", r"family swim",
        r"swim night", r"(?:public|family|toddler|open|glow|cosmic|teen|adult|disco|all-ages|holiday) skate",
        r"(?:rec|public|lap|parent-tot|preschool|teen|toddler) swim", r"(?:open|toddler|family|glow) jump",
        r"(?:cosmic|glow) bowling", r"open play", r"stay (?:and|&|n) play", r"play ?group", r"playdate",
        r"open mic", r"movie", r"movie night", r"matinee",
        r"film screening", r"screening", r"night", r"bingo", r"curator tour", r"tours?", r"lantern walk",
        r"art walk", r"solstice walk", r"egg hunt", r"scavenger hunt", r"demonstration",
        r"demo", r"meet (?:the|a|an)\b", r"reading", r"author", r"book signing", r"carving",
        r"breakfast with", r"lunch with", r"tea party", r"(?:free|family|kids'?|snow|community) day",
        r"science (?:saturday|sunday)", r"sensory[- ]friendly", r"sensory (?:saturday|morning|hour)",
        r"free first \w+", r"clean-?up", r"picnic", r"train rides?", r"santa train", r"polar express",
        r"tree lighting", r"trick-or-treat", r"carnival", r"drop-?in", r"open house", r"showcase",
        r"fiesta", r"noche de", r"hora del cuento", r"taller", r"celebracion", r"desfile", r"concierto",
        r"feria", r"mercado", r"carrera", r"ceremony", r"game night", r"jam", r"show",
        r"glow dodgeball", r"fishing derby", r"kids dash", r"opening night",
        r"grand opening (?:party|celebration)", r"family night",
        r"bash", r"jamboree", r"hoedown", r"social", r"meet-?up", r"hike", r"walk", r"bird walk",
        r"nature walk", r"guided (?:walk|hike|tour)", r"cruise", r"sail", r"bike ride", r"tournament",
        r"match", r"game day", r"sale", r"swap", r"expo", r"convention", r"premiere", r"sing",
        r"karaoke", r"trivia", r"(?:free|messy|pretend) play", r"stage (?:play|show|adaptation)",
        r"adaptation",
        r"opera", r"circus", r"magician", r"juggler", r"puppets?",
        r"(?:photos|visit|visits|pictures) with santa",
        r"pancake breakfast", r"breakfast", r"brunch", r"fireworks", r"boat parade", r"regatta", r"rodeo",
        r"pow-?wow", r"lion dance", r"countdown", r"hunt", r"contest", r"competition", r"spelling bee",
        r"sock hop", r"disco", r"gathering", r"potluck", r"info(?:rmation)? (?:session|night|meeting)",
        r"tasting", r"cook-?off", r"bake sale", r"book sale", r"book fair", r"lecture series", r"block party",
        r"pinewood derby", r"read-?aloud", r"stomp", r"sleepover", r"overnight", r"campout", r"lock-?in",
        r"(?:public|open|skate|play|jump|family|drop-in|sensory) sessions?", r"cuentos", r"cuentacuentos",
        r"baile", r"dia del nino",
        # "Tide Pool Day", "Dino Day", "Field Day": a day named for its theme is one happening;
        # not "every day", "day camp", "day pass" (T7) or a holiday that only names a date.
        r"(?:[a-z']+ )?(?!(?:every|all|each|per|one|two|a|any|same|full|half|whole|school|week|this|that"
        r"|the|next|last|labor|memorial|independence|presidents'?|veterans|thanksgiving|christmas)\b)"
        r"[a-z']+ day(?!s| (?:camps?|pass|passes|care|use|trips?|rate))",
        r"no[- ]school(?: day)?",
        r"le hoi", r"hoi cho", r"su kien", r"bieu dien", r"mua lan", r"tiec",
        r"活动", r"庙会", r"讲座", r"工作坊", r"音乐会", r"演出", r"春节", r"派对", r"故事会",
        r"游行", r"集市",
        r"中秋节", r"元宵节", r"端午节", r"灯会", r"表演", r"比赛", r"聚会",
        r"축제", r"행사", r"공연", r"워크숍", r"워크샵", r"파티", r"콘서트", r"퍼레이드", r"마켓", r"장터",
        r"동화 ?구연", r"설명회", r"음악회", r"대회", r"박람회",
    ),
    "program": (
        r"classes", r"clases", r"lessons?", r"league", r"team", r"course", r"curso", r"programs?",
        r"programa", r"programme", r"sessions?", r"term", r"semester", r"series", r"level \d", r"lvl",
        r"tryouts", r"registration", r"enrol(?:l)?ment", r"preschool", r"pre-?k", r"after[- ]school",
        r"homeschool", r"scouts?", r"troop", r"tutoring", r"learn to", r"beginning",
        r"fundamentals", r"for beginners", r"temporada", r"inscripcion", r"reading challenge",
        r"reading program", r"reading bingo", r"clinic \(\d", r"\bjr\.? lifeguard", r"junior lifeguards?",
        r"mommy & me \w+ series", r"intensive", r"boot ?camp", r"kindergarten", r"day ?care", r"child ?care",
        r"before[- ]school", r"(?:forest|nature|outdoor|co-?op|saturday|sunday|weekend|language|heritage"
        r"|chinese|mandarin|korean|japanese|spanish|ski|snowboard|drama|summer) school",
        r"instruction", r"training", r"cohort", r"squad", r"(?:week|session) \d+", r"u-?(?:[4-9]|1[0-9])",
        r"(?:sailing|rowing|dance|music|art|coding|circus) school", r"orchestra", r"choir", r"ensemble",
        r"rehearsals", r"auditions", r"pack \d+", r"swim team", r"level (?:[ivx]{1,3}|[a-d])",
        r"(?:fall|winter|spring|summer) (?:session|term|semester|quarter|season)",
        r"lop", r"khoa hoc", r"hoc phi",
        r"班", r"课程?", r"学期", r"培训", r"学校", r"训练营",
        r"수업", r"강좌", r"교실", r"레슨", r"과정", r"학기", r"리그", r"학교", r"캠프",
    ),
    # Words that lean PROGRAM but name one-off things too ("Lego Club (drop-in)", "Dance Night",
    # a one-morning "Soccer Clinic").
    "class": (
        r"class", r"clase", r"lesson", r"dance", r"club", r"clinic", r"lab", r"intro to", r"introduction to",
    ),
    "feature": (
        r"exhibits?", r"exhibition", r"exposicion", r"展览", r"展", r"gallery", r"installation",
        r"displays?", r"permanent collection", r"collection", r"habitat", r"touch (?:tank|pool)",
        r"tide pool touch tank", r"(?:otter|seal|ray|wading|tide) pool", r"playground", r"play ?area",
        r"nature play", r"splash pad", r"spray ?park", r"water play", r"carousel", r"merry-go-round",
        r"trail", r"story ?walk", r"canopy walk", r"dino walk", r"observation (?:deck|level)",
        r"treehouse", r"climbing structure", r"dig pit", r"fossil", r"fish ladder", r"salmon ladder",
        r"viewing window", r"mirror room", r"reptile room", r"zipline", r"zip ?lines?", r"skeleton",
        r"planetarium show", r"imax", r"butterfly house", r"mariposas", r"art studio \(ongoing\)",
        r"sculptures?", r"mini train", r"miniature (?:train|railroad|railway)", r"play table",
        r"ferris wheel", r"roller coaster", r"coaster", r"climbing wall", r"fountain", r"mural",
        r"lookout", r"viewpoint", r"overlook", r"boardwalk", r"observatory", r"labyrinth", r"aviary",
        r"petting (?:zoo|barn|farm)", r"encounter", r"simulator", r"viewing dome",
        r"ropes course", r"obstacle course", r"(?:ninja|warrior|ninja warrior) course", r"challenge course",
        r"(?:boat|bike|kayak"
        r"|canoe|paddle ?board|pedal boat|skate|tube) rentals?", r"rentals", r"story ?(?:stroll|trail|path)",
        r"storywalk", r"wave pool", r"lazy river", r"splash zone", r"sandbox", r"sand ?pit", r"train table",
        r"climbing net", r"sledding hill", r"snow play area", r"mirror maze", r"hedge maze", r"pony rides?",
        r"animal encounters?", r"exhibit hall", r"diorama", r"totem poles?", r"tot lot", r"play ?structure",
        r"spray ?ground", r"water table", r"pump track", r"batting cages", r"tide ?pools", r"statue",
        r"deck", r"bridge", r"slide", r"wheel", r"tunnel", r"pond", r"dome", r"landmark", r"public art",
        r"garden railway", r"reading nook", r"self-guided (?:walk|tour|trail|nature trail)", r"sensory room",
        r"jellyfish", r"octopus", r"dinosaurs?",
        r"zona de juegos(?: de agua| infantiles)?", r"juegos de agua", r"area de juegos", r"parque infantil",
        r"juegos infantiles", r"chapoteadero", r"fuente interactiva", r"sala de exhibicion",
        r"khu vui choi", r"san choi", r"trien lam", r"dai phun nuoc",
        r"游乐场", r"喷泉", r"滑梯", r"步道", r"旋转木马", r"展区", r"触摸池", r"展厅", r"戏水区", r"游乐区",
        r"栖息地", r"观景台", r"特展", r"터치 ?풀", r"전시관", r"전망대",
        r"놀이터", r"전시", r"분수", r"물놀이터", r"회전목마", r"산책로",
    ),
    # Generic words that name features but also sit inside brand names ("Jump Zone", "The
    # Hub Climbing Wall Co."): they lean ATTRACTION, but place facts can outweigh them.
    "minor": (
        r"zone", r"den", r"ride", r"wall", r"room", r"area", r"hall", r"loft", r"nook", r"pit", r"tank",
        r"wing",
    ),
    "seasonal": (
        r"pumpkin patch", r"corn maze", r"hay maze", r"sunflower maze", r"maze", r"u-?pick", r"u-?cut",
        r"pick[- ]your[- ]own",
        # holiday lights, not "lights dimmed" at a sensory hour or "black lights" at a skate night
        r"(?<!black )(?<!dim )(?<!low )(?<!string )(?<!strobe )lights(?! (?:low|dim|dimmed|off|out|up|down"
        r"|on|turned))",
        r"light (?:display|walk|show|trail|festival)",
        r"zoolights", r"wildlights", r"d'lights", r"gingerbread (?:village|display)", r"gingerbread",
        r"(?:seasonal|outdoor|holiday|winter) (?:ice |skating )?rink", r"ice rink", r"skating rink",
        r"tulip fields?", r"tulip display", r"daffodil fields?", r"santa", r"reindeer", r"christmas village",
        r"haunted", r"choose[- ](?:and|&|n)[- ]cut", r"sunflower fields?",
        r"lavender fields?", r"berry picking", r"apple picking", r"pumpkin (?:field|lot)",
        r"vuon bi ngo", r"me cung", r"laberinto(?: de maiz)?",
        r"灯光", r"灯光节", r"南瓜田", r"南瓜园", r"南瓜地", r"玉米迷宫", r"迷宫",
        r"호박밭", r"옥수수 ?미로", r"미로", r"일루미네이션", r"빛 ?축제",
    ),
    "garden": (r"gardens?", r"jardin", r"vuon hoa", r"花园", r"정원"),
    # Things people do. Alone they say little; they tip a dated or bare title towards a
    # class or a one-off happening rather than a place or a feature.
    "activity": (
        r"soccer", r"futbol", r"basketball", r"baseball", r"t-?ball", r"softball", r"volleyball",
        r"football", r"lacrosse", r"hockey", r"tennis", r"pickleball", r"golf", r"swim(?:ming)?",
        r"natacion", r"diving", r"gymnastics", r"tumbling", r"cheer(?:leading)?", r"ballet", r"tap",
        r"jazz", r"hip ?hop", r"karate", r"taekwondo", r"tae kwon do", r"judo", r"jiu-?jitsu", r"kung fu",
        r"martial arts", r"fencing", r"archery", r"climbing", r"skating", r"skiing", r"snowboarding",
        r"yoga", r"pottery", r"ceramics", r"painting", r"drawing", r"watercolor", r"art", r"music",
        r"piano", r"violin", r"cello", r"guitar", r"ukulele", r"drums?", r"choir", r"singing", r"drama",
        r"acting", r"improv", r"coding", r"programming", r"robotics", r"stem", r"steam", r"science",
        r"chess", r"math", r"spanish", r"mandarin", r"french", r"japanese", r"cooking", r"baking",
        r"sewing", r"knitting", r"photography", r"filmmaking", r"lego", r"minecraft", r"parkour",
        r"ninja", r"rowing", r"sailing", r"kayaking", r"cross country", r"track", r"wrestling",
        r"游泳", r"舞蹈", r"绘画", r"书法", r"钢琴", r"中文", r"编程",
        r"태권도", r"수영", r"발레", r"미술", r"피아노", r"축구", r"코딩",
    ),
}


def _noun_pattern(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    spaced = [a for a in alternatives if not _UNSPACED_SCRIPT.search(a)]
    unspaced = [a for a in alternatives if _UNSPACED_SCRIPT.search(a)]
    # A plural "s" is allowed after any Latin-script noun ("habitats", "exhibits").
    pattern = rf"(?<![\w-]){_words(*spaced)}s?(?![\w])"
    if unspaced:
        pattern += "|" + _words(*unspaced)
    return re.compile(pattern)


_UNSPACED_SCRIPT = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")
_NOUN_RES: dict[str, re.Pattern[str]] = {kind: _noun_pattern(words) for kind, words in NOUNS.items()}

# "ZooCamp", "ArtCamp", "DayCamp" are camps too ("scamp", "campus", "campground" are not).
_CAMP = re.compile(r"\b(?:[a-z]{2,12})?camps?\b|campamento|夏令营|冬令营|训练营|캠프|\btrai he\b")
_CAMP_ONE_DAY = re.compile(
    r"\bone[- ]day\b|\b1[- ]day\b|\bsingle[- ]day\b|no[- ]school day|\bpd day\b|professional development day"
    r"|\bcamp day\b|\bday off\b|in-?service day|teacher work day|\bone day only\b|\bun dia\b"
)
_CAMP_MULTI = re.compile(
    r"\bweek(?:s|-long|long)?\b|\ball week\b|\bovernight\b|\bsessions?\b|\bsemana\b|\bmonday-friday\b"
    r"|\b(?:two|three|four|five|2|3|4|5|6|7|8|9|10)[- ](?:days?|mornings|afternoons|evenings|nights)\b"
    r"|\b(?:[2-9]|10)-day\b|\ball summer\b|\bmonday\W+friday\b|\blunes a viernes\b|\beach day\b|\bevery day\b"
    r"|\bdaily\b|\bboth days\b"
)

_SESSION_COUNT = re.compile(
    r"\b(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen)[- ]?"
    r"(?:sessions?|classes|lessons|weeks?|wks?|semanas|clases|part series|saturday sessions|sunday sessions|"
    r"weekly sessions|meetings)\b"
    r"|\b(?:\d{1,2}|two|three|four|five|six|eight|ten|twelve)-(?:week|part|session|class)\b|共\d+(?:节|次|周)"
    r"|\d+节课"
    r"|\b(?:[2-9]|1\d|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:(?:mon|tues|wednes|thurs|fri"
    r"|satur|sun)day|weekly|morning|evening|afternoon)\s+(?:lessons|classes|sessions|meetings|hikes|outings"
    r"|practices|rehearsals|workshops|trips)\b"
    # "four Wednesdays in May", "10 Fridays", "8 mtgs", Korean "8주 과정", Vietnamese "10 tuần"
    r"|\b(?:[2-9]|1\d|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:consecutive\s+)?"
    r"(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekends|evenings|mornings"
    r"|afternoons"
    r"|saturday mornings|sunday afternoons)\b"
    r"|\b(?:\d{1,2}|two|three|four|five|six|eight|ten)\s+(?:weekly\s+)?(?:meetups|meetings|gatherings"
    r"|practices"
    r"|rehearsals|visits|outings|field trips)\b"
    r"|\b\d{1,2}\s*mtgs?\b|\d{1,2}\s*주\s*(?:과정|간|코스)|(?:[2-9]|\d{2})\s*회\s*(?:과정|수업)"
    r"|\b\d{1,2}\s*(?:tuan|buoi)\b|\b(?:\d{1,2}|two|three|four|five|six|eight|ten)[- ]week\b"
)
# "3 mornings a week", "practices 3x/week", "twice a week": a weekly commitment, not a drop-in.
_PER_WEEK = re.compile(
    r"(?<!open )\b(?:[1-5]|one|two|three|four|five)\s*(?:x|times?|days?|mornings?|afternoons?|evenings?"
    r"|nights?|practices?|games?|classes|lessons|sessions?)\s*(?:a|per|/|each)\s*(?:week|wk)\b"
    r"|\btwice (?:a |per )?week(?:ly)?\b|\b\d\s*x\s*/\s*(?:week|wk)\b"
    r"|每周\s*[两二三四五1-5]\s*次|주\s*[1-5]\s*회"
)
_ENROLL = re.compile(
    r"\benrol(?:l|ls|led|ling|lment|ment)?\b|\btuition\b|\bregister (?:once|for (?:the |all |both )?"
    r"(?:series|season|term|semester|full|whole|year|course|program|sessions?|days|classes|weeks))\b"
    r"|\bregistration (?:covers|for (?:the |all )?(?:series|whole|season|term))|\bsign up (?:for the year"
    r"|your)"
    r"|\bapply (?:for|by|now|today|online)\b|\bapplications? (?:due|open|close)\b"
    r"|\binscripcion\b|\binscribete\b|报名|注册|\bjoin the semester\b"
    r"|\bnow enrolling\b|\bjoin (?:our|the) (?:team|troop|pack|club|squad)\b|\bannual registration\b"
    r"|\bregist(?:er|ration) (?:by|closes|deadline|ends)\b|\bdeadline to register\b"
    r"|\bdang ky\b|등록|\bsign up once\b|\bauditions?\b|\btryouts?\b|\bsign up for the (?:session|term|season"
    r"|series|year)\b"
    r"|\bsign up\b.{0,40}\bseason\b"
    r"|\bregister (?:now )?for the (?:spring|summer|fall|winter) season\b|\bregistration by (?:semester"
    r"|term)\b"
    r"|\bplaced on teams\b|\bseason (?:registration|auditions)\b"
)
_TUITION = re.compile(
    r"\bschool year\b|\bacademic year\b|\bhoc phi\b|수강료|등록비|\btuition\b|\byear-long (?:class|program)"
    r"|\b(?:semester|term|season|school year)-long\b"
    r"|\bbilled monthly\b|\bmensualidad\b|学费"
)
_SERIES_REGISTRATION = re.compile(
    r"\bregist\w* (?:for|covers) (?:the )?(?:whole |full |entire )?(?:series|course)|all (?:four|six|eight"
    r"|\d+) "
    r"(?:sessions|weeks|classes)|\bmust register for all\b|\bcannot drop in\b|\battend (?:all|every)\b"
    r"|\bplan to attend every\b|\benroll in the (?:whole|full|entire) series\b|\bfor the full (?:series"
    r"|course)\b"
    r"|\bseries\b.{0,40}\bregist|\bregist\w+.{0,40}\bseries\b|\bfull series\b|\bwhole series\b"
)
_TERM_START = re.compile(
    rf"\b(?:starts?|starting|begins?|beginning)\s+(?:on\s+)?(?:{_WEEKDAY},?\s+)?(?:{_m('x')}|\d)"
)
_PRICE_PER_TERM = re.compile(
    r"/\s*(?:term|session|semester|season|year|学期|month)\b|per (?:term|session|semester|month)"
    r"|\bmonthly tuition\b|/学期"
)
_READING = re.compile(
    r"reading (?:challenge|program|bingo|log)|\blog (?:your |their )?(?:reading|books|minutes|hours)\b"
    r"|\blog books\b"
    r"|\bread \d+ (?:hours|books|minutes)|\bbooks before kindergarten\b"
)
_DROP_IN = re.compile(
    r"\bdrop[- ]?in\b|\bno registration\b|\bno sign-?up\b|\bcome and go\b|\bcome to one\b"
    r"|\bpay at the (?:door|desk)\b"
    r"|\bfirst come\b|\bany week\b|\bno (?:class|series) commitment\b|\bwalk-?ins? welcome\b|\bjust drop in\b"
    r"|\bregistration (?:is )?not required\b|\bsin inscripcion\b|无需报名|\bno se requiere inscripcion\b"
    r"|\bjust show up\b|\bshow up and\b|\bno (?:advance )?(?:registration|sign-?up|rsvp) (?:needed"
    r"|required)\b"
    r"|\bwalk-?ins? (?:welcome|only)\b|\bkhong can dang ky\b|등록 불필요|예약 없이"
    r"|\bno need to register\b|\bdrop in any\b"
)
_DROP_IN_IF_SPACE = re.compile(r"drop-?ins? (?:are )?(?:welcome|ok|okay)\b(?: if| when)?|\bdrop-?ins? ok\b")
_FREE_TRIAL = re.compile(
    r"\bfree trial\b|\bfirst (?:class|lesson|week) (?:is )?free\b|\btry (?:a"
    r"|your first) (?:free )?class\b|\btrial class\b"
)
_REGISTRATION = re.compile(
    r"\bregistration required\b|\bpre-?registration\b|\bregister\b|\bregistration\b|需报名"
)
_RSVP = re.compile(r"\brsvp\b")
_FREE_ADMISSION_DAY = re.compile(
    r"\bfree admission (?:all day )?on the\b|\bfree (?:museum|zoo) (?:day|night)\b|\bdia gratis\b"
    r"|\bfree (?:admission|entry) (?:day|night|to all)|\bfree (?:first|family|community) \w+day\b"
    r"|\bfree family day\b|\bfree admission for everyone\b"
)

_HOURS = re.compile(
    r"\bhours?\s*:|\bopen (?:daily|every ?day|7 days|year[- ]round|tue|wed|thu|fri|sat|sun|mon|weekends|dawn)"
    rf"|\bopen\s+{_WEEKDAY}\b|\bopen(?:s)? (?:from )?\d{{1,2}}(?::\d{{2}})?\s*(?:am|a\.m\.)?\s*-"
    rf"|\bdawn to dusk\b|\bclosed (?:mondays|tuesdays|on)\b"
    r"|\b(?:building|visitor center|office|front desk|box office|park|day-use|store|studio) hours\b"
    r"|\bhorario\b|营业时间|开放时间|\bopen \d|\bhours vary\b"
    r"|\bopen (?:april|may|june|memorial)\b|\bopen evryday\b"
    r"|\bopen (?:noon|10|9|8)\b|\bhours (?:mon|tue|wed|weekdays)|\bopen year round\b|\bopen 7 days\b"
    r"|\bevryday\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|a)?\s*(?:-|to)\s*\d{1,2}(?::\d{2})?\s*(?:pm|p)?\s+(?:daily|every ?day"
    r"|7 days)\b"
    r"|\bopen (?:sunrise|dawn|daylight)\b|\bdaylight hours\b|\bsunrise to sunset\b|\bopen (?:year-round"
    r"|all year)\b"
    r"|\babierto\b|\bmo cua\b|운영\s*시간|영업\s*시간|\bwalk-?ins welcome\b"
    r"|\bclosed (?:mon|tue|wed|thu|fri|sat|sun)"
)
_ADMISSION = re.compile(
    r"\badmission\b|\bday pass\b|\bper (?:child|kid|person|visit)\b|/\s*(?:child|kid)\b|\bentrada\b|门票"
    r"|\bjump passes\b"
    r"|\bkids? (?:\d+[- ]\d+ )?\$\d|\btickets?:|\bunder \d+ free\b|\b\d (?:&|and) under free\b"
    r"|\bgeneral admission\b"
    r"|\bpay[- ]what[- ]you[- ]can\b|\bby donation\b|\bper round\b|\bper ride\b|\bstudio fee\b"
    r"|\bpay as you play\b"
    r"|\btickets? (?:from )?\$\d|\badults? \$\d|\b(?:kids?|children|youth) (?:\(?\d+[- ]\d+\)? )?\$\d"
    r"|\$\d+(?:\.\d\d)? (?:adults?|kids?|children|youth|seniors?)\b"
    r"|\brentals? \$\d|\bper (?:player|climber|jumper|guest|car|vehicle)\b|\bpay per (?:attraction|ride"
    r"|play|game)\b|입장료|\bgia ve\b"
)
_ADDRESS = re.compile(
    r"\b\d{2,6}\s+(?:[nsew]{1,2}\s+)?(?:\d+(?:st|nd|rd|th)\s+|[a-z]+\s+){1,3}"
    r"(?:st|street|ave|avenue|blvd|rd|road|way|dr|drive|pkwy|hwy|pl|place|ln|lane|ct)\b|\bdireccion\b"
    r"|\baddress\b"
    r"|\bpier \d+\b|\bdia chi\b|주소|\blocated (?:at|on|behind|next to|near|across from|off)\b"
)
_PARKING = re.compile(r"\bparking\b|\bestacionamiento\b|停车|\bdau xe\b|주차|\bparqueo\b")
_SIZE = re.compile(
    r"\b\d[\d,.]*[- ]acres?\b|\bsq\.? ?ft\b|\bsquare feet\b|\b\d+[- ]lanes?\b|\b\d+-seat\b"
    r"|\b\d+ holes?\b|\b\d+-hole\b"
)
_AMENITIES = re.compile(
    r"\brestrooms?\b|\blockers?\b|\bpicnic (?:tables|shelters|meadow|areas?)\b|\bsnack bar\b|\bgift shop\b"
    r"|\bparty rooms?\b"
    r"|\bfree wi-?fi\b|\bmeeting rooms\b|\bcafe\b|\bespresso\b|\bpro shop\b|\bchanging rooms?\b"
    r"|\bcomputadoras\b"
    r"|\bstudy rooms\b|\bcoffee\b|\bbathhouse\b|\bcampground\b|\bcountry store\b|\bfarm (?:store|stand"
    r"|market)\b"
)
_OFFERS = re.compile(
    r"\b(?:classes|camps|lessons|storytimes|parties|programs)\b.{0,30}\b(?:available|offered|also)\b"
    r"|\balso (?:offers?|runs?|hosts?)\b|\bwe (?:host|offer|run)\b|\bhome (?:of|to)\b|\bbirthday parties\b"
    r"|\b(?:classes|lessons),? (?:and )?(?:summer )?camps\b|\bcamps and classes\b|\bsummer camps\b"
    r"|\bstorytimes? (?:weekly|every)\b|\bweekly storytimes\b|\bhosts? (?:mainstage|weekly)\b"
    r"|\bwith (?:\w+ ){0,2}(?:classes|lessons|camps)\b|\boffers? (?:\w+ ){0,2}(?:classes|lessons|camps)\b"
)
# "Ballet I", "Swim Level 3", "Hip Hop Level 2": a level in a sequence of classes.
_LEVEL = re.compile(
    r"\b(?:level|lvl|nivel|stage) ?(?:[1-9]|[ivx]{1,3}|[a-d])\b(?! (?:floor|of))"
    r"|\b[a-z]{3,} (?:i{1,3}|iv)\b(?=\s*(?:\(|$|[-:|,]))"
)
_BLOOM = re.compile(r"\bbloom(?:s|ing)?\b|\bon view\b|\bon display\b|\bnow through\b|\bup through\b")
# Puget Sound towns and neighbourhoods: "Jump Zone Bellevue", "Trampoline Park - Kent" name a
# branch of a business, which is a place (R1). Only read at the end of a title.
_LOCALITIES = (
    "seattle", "bellevue", "redmond", "kirkland", "kent", "renton", "tukwila", "lynnwood", "everett",
    "issaquah", "sammamish", "bothell", "shoreline", "edmonds", "federal way", "tacoma", "auburn",
    "burien", "woodinville", "mercer island", "puyallup", "mukilteo", "snohomish", "marysville",
    "lakewood", "des moines", "seatac", "kenmore", "mill creek", "bainbridge", "north bend",
    "snoqualmie", "duvall", "carnation", "maple valley", "covington", "olympia", "lake stevens",
    "monroe", "gig harbor", "ballard", "fremont", "wallingford", "capitol hill", "west seattle",
    "georgetown", "queen anne", "northgate", "u district", "university village", "south lake union",
    "alderwood", "southcenter", "crossroads", "factoria", "totem lake", "eastside", "downtown",
)
_BRANCH_TITLE = re.compile(
    r"(?:\s[-|@/]\s*|\s(?:in|of)\s|\s|\()(?:" + "|".join(_LOCALITIES) + r")\)?\s*(?:,\s*wa)?[!.]*$"
)

_NOW_OPEN = re.compile(
    r"\bnow open\b|\bgrand opening\b(?! (?:party|celebration))|\bjust opened\b|\bopened (?:our doors"
    r"|\w+ \d)|\bbrand[- ]new\b|\bopen now\b"
)
_OPENS_DATE = re.compile(
    rf"\b(?:re-?)?open(?:s|ed|ing)?\b[^.]{{0,20}}{_m('x')}\s+\d|\bopening (?:day|date)\b"
)
_OPEN_PLAY_ALL_DAY = re.compile(
    r"\bopen (?:play|jump|gym|court)\b.{0,60}\b(?:all day|during all|every day|daily"
    r"|included with admission|all (?:public|business) hours)"
    r"|\b(?:all day|daily)\b.{0,30}\bopen (?:play|jump)\b|\bback-to-back\b|\bunlimited play\b"
    r"|\bopen play (?:all day|is included)"
    r"|\bopen gym during all\b|\bwalk-?ins during all\b|\bopen court for walk-ins\b"
    r"|\bwalk in\b.{0,30}\bno appointment\b"
)
_INCLUDED = re.compile(
    r"\bincluded with (?:a |an |the |your |any )?(?:[\w-]+ ){0,2}(?:admission|entry|tickets?|pass|wristband"
    r"|membership)\b|\bfree with (?:[\w-]+ ){0,2}(?:admission|entry|tickets?|pass)\b"
    r"|凭.{0,8}票|门票.{0,3}包含|随(?:门)?票|含门票|입장권 포함"
    r"|입장료 포함|\bbao gom\b|\bincluido con\b|\b(?:included|free) with (?:your |the |general |zoo |museum "
    r"|any )?(?:\w+ )?(?:admission|entry|ticket)"
    r"|\bincluded with (?:your|any)\b|\bincluida con la entrada\b|\badd to general admission\b"
    r"|\bwith (?:zoo|museum|park) admission\b"
    r"|\bsame hours and tickets\b|\bincluded with admission\b"
)
_INSIDE = re.compile(
    r"\binside (?:the|our)\b|\bpart of (?:the|our)\b|\bduring (?:regular |normal )?(?:museum|mall|park"
    r"|farm|zoo|aquarium|arboretum|library|store)?\s*hours\b"
    r"|\bopen (?:during )?park hours\b|\bwhenever the park is open\b|\bin (?:our"
    r"|the) [\w' ]{2,30}(?:gallery|hall|lobby|court|room)\b"
    r"|\bhours follow\b|\bsame hours\b|\bwithin the\b|\binside the\b|\bon the (?:zoo|museum"
    r"|park) grounds\b|\binside\b"
    r"|\bany time (?:we'?re|we are|the \w+ is) open\b|\bwhile (?:the )?\w+ is open\b"
    r"|\bin center court\b|\bcenter court\b|\bat (?:our|the) (?:coastal|indoor)\b"
    r"|\b(?:on|in) the (?:lower|upper|main|second|top) (?:level|floor) of\b"
    # shares the host's hours: "open center hours", "during open hours", "all library hours"
    r"|\b(?:open|during|follows?) (?:all |regular |normal |the )?(?:[\w']+ )?(?:center|mall|museum|park"
    r"|library"
    r"|zoo|store|fair|building|facility|gym|garden|farm|aquarium|arboretum|center's|library's) hours\b"
    r"|\b(?:when(?:ever)?|any ?time|while) (?:the )?(?:\w+ ){1,3}(?:is|are) open\b"
    r"|[馆园]内|中心内|\S+(?:관|원|센터) ?(?:내|안)에?"
)
_CONTINUOUS = re.compile(
    r"\bevery (?:hour|half[- ]hour|\d+ minutes)\b|\bon the hour\b|\bruns? continuously\b"
    r"|\bcontinuous(?:ly)?\b"
    r"|\bshowing daily\b|\bshows? (?:run )?every\b|\bevery \d+ minutes\b|\bshows run every\b"
    r"|\bhourly\b|\bon the half[- ]hour\b|\bruns all day\b|\b\d+ minutes on\b"
)
# Done on your own whenever the place is open, with no start time: a self-guided hunt, tour or
# walk is an ongoing offering (R4), even when its title calls it a "hunt" or a "tour".
_SELF_GUIDED = re.compile(
    r"\bself[- ]guided\b|\b(?:at|on) your own pace\b|\bpick up (?:a|your|the) (?:map|clue|passport|activity"
    r" (?:sheet|booklet)|scavenger)|\bautoguiad[ao]\b|\bdo it any ?time\b"
)
# Timed-entry tickets spread visitors over an open period; they are not showtimes.
# "play any time during open hours" shares the hours of the place named in venue_text.
_OPEN_HOURS = re.compile(r"\b(?:during|in) (?:all |regular |normal )?open(?:ing)? hours\b")
_TIMED_ENTRY = re.compile(r"\btimed(?:[- ]entry)? (?:tickets?|entry|reservations?)\b|\bentry times?\b")
_UNTIL = re.compile(
    rf"\b(?:now |on view |on display |open )?(?:through|until|thru|hasta(?: el)?)\s+(?:{_m('x')}|\d|el \d)"
    rf"|\bon view\b|\bnow through\b|\bopens {_m('y')}"
)
_DEPARTURES = re.compile(
    r"\bdepartures?\b|\bdepart\b|\btrains? (?:depart|leave)\b|\btours? (?:leave|depart)\b|\bshowtimes?\b"
    r"|\bperformances\b"
    r"|\bshows? at\b|\breserve (?:your|a) departure\b|\bcurtain\b|\b\d+ performances\b|\bmatinees?\b"
    r"|\bsailings?\b"
)
_DAILY = re.compile(
    r"\bdaily\b|\bnightly\b|\bevery ?day\b|\bevery (?:evening|night)\b|\bany (?:evening|time|day)\b"
    r"|\beach night\b"
    r"|\bevery (?:weekend|friday and saturday|friday & saturday)\b|\bweekends\b|\bselect nights\b|每晚|每天"
    r"|\bcada noche\b|\btodos los dias\b"
    r"|\b(?:wed|thu|fri|sat|sun|mon|tue)\w*-(?:wed|thu|fri|sat|sun|mon|tue)\w* \d|\bfridays? (?:&"
    r"|and) saturdays?\b"
    r"|\bsat(?:urday)?s? (?:&|and) sun(?:day)?s?\b|\b7 days a week\b|\bdiari(?:o|amente)\b|매일|\bhang ngay\b"
    r"|\bmoi ngay\b|\bevery weekend\b"
    # "Fri/Sat nights", "Sat/Sun": set days each week
    r"|\b(?:thu|fri|sat|sun)\w*\s*/\s*(?:fri|sat|sun)\w*\b"
)

_SCHEMA_EVENT = re.compile(r"event$|^festival$|^exhibitionevent$")
_SCHEMA_COURSE = re.compile(r"^(?:course|courseinstance|educationalprogram)$")
_SCHEMA_ATTRACTION = re.compile(r"^(?:touristattraction|playground|landmarksorhistoricalbuildings)$")
_SCHEMA_PLACE = re.compile(
    r"^(?:place|localbusiness|museum|park|zoo|aquarium|library|amusementpark|sportsactivitylocation|"
    r"entertainmentbusiness|childcare|movietheater|performingartstheater|civicstructure|"
    r"publicswimmingpool|exercisegym|farm|store|bowlingalley|stadiumorarena|campground|organization)$"
)


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """The features that fired for a listing, with a short note on what fired each one."""

    features: dict[str, str]

    def __contains__(self, name: object) -> bool:
        return name in self.features


_TITLE_PREFIX = re.compile(r"^(?:[\w' ]{0,25}\bpicks?|weekend pick|rainy day pick|camp pick)\s*:\s*")
_HASHTAG = re.compile(r"(?<!\w)#\w+")
# "Glow in the Dark", "Once in the Sea"-style phrases are not "X held in the Y".
_IDIOM_IN_THE = re.compile(r"\b(?:glow|lights?|stars?) in the (?:dark|sky|night)\b")
_TITLE_AT = re.compile(
    r"\s(?:at|@|inside|in the|en|en el|en la|tai|del(?= (?:parque|museo|zoologico|zoo|acuario|centro"
    r"|jardin|biblioteca)\b))\s(?=\S)"
)
# Aggregator teasers put a verb before the subject: "Don't miss ...", "Hit the slopes at ...".
_LEAD_IN = re.compile(
    r"^(?:don'?t miss|do not miss|check out|head (?:over )?to|hit the \w+ (?:at|in)|rainy day\?"
    r"(?: head to)?)\s*:?\s+(?:(?:the|a|an) )?"
)
# "The zoo's new rhino reserve", "Woodland Park Zoo's WildLights": the possessor is the host and
# what follows is the subject. Only split when the possessor names a place.
_POSSESSIVE_HOST = re.compile(
    r"^(?P<host>(?:the )?[\w -]{2,40}?)'s\s+(?:(?:new|newest|brand-new|popular|famous|beloved|giant|annual"
    r"|year-round|indoor|outdoor|first|latest)\s+)*(?P<subject>\S.*)$"
)


# After a noun, these make it the owner or the host of what follows, not the subject:
# "Seattle Center's playground", "水族馆内的触摸池", "수족관의 터치풀".
_POSSESSOR_AFTER = re.compile(r"'s\b|\s?(?:内|的|里|의)")
_HEAD_FIRST = re.compile(
    r"^(?:clases?|campamento|exposicion|exhibicion|biblioteca|museo|programa|noche|taller|hora|jardin|parque"
    r"|zona|area|sala|fuente|juegos"
    r"|centro|fiesta|feria|mercado|curso|lop|le hoi|hoi cho|cong vien|khu vui choi|trien lam|thu vien"
    r"|bao tang|khoa hoc|ho boi|trung tam)\b"
)


# Crawled titles carry the site's badges and labels around the name: "[FULL] ...", "SOLD OUT -
# ...", "NEW! ...", "Register Now: ...", "Event: ...", "... | City of Bellevue". They say nothing
# about what the listing is (the enrollment words in them are still read from the whole title).
_SITE_NOISE_HEAD = re.compile(
    r"^(?:\[[^\]]{1,40}\]\s*"
    r"|\((?:sold out|full|cancell?ed|postponed|waitlist|new|updated|rescheduled)\)\s*"
    r"|(?:sold out|full|cancell?ed|postponed|waitlist(?:ed)?|rescheduled|new|updated|last chance"
    r"|few spots left|almost full|limited (?:spots|space)|just added|featured|register now"
    r"|registration(?: is)? open|sign up now|book now|tickets on sale|event|venue|location(?: details)?)"
    r"\s*(?:[!:|]+|-)\s+)+"
)
_SITE_NOISE_TAIL = re.compile(
    r"\s+\|\s+(?:city of|town of|kcls\b|king county library|[\w .'&]+ parks (?:&|and) rec)[^|]*$"
)
# A title made of segments ("Woodland Park Zoo: Penguin Encounter", "Baby Lapsit - Sammamish
# Library", "Upper Deck | Snoqualmie Falls Park"): one segment may name the host place and
# another the subject. Folding has already turned every dash into "-".
_SEGMENT = re.compile(r"\s+[-|]\s+|:\s+")
_AT_LEAD = re.compile(r"^(?:at|@|inside|in) (?:the )?")
# A segment after "Host:" that is a part of the host's site, not something at the host.
_PAGE_SECTION = re.compile(
    r"\b(?:visit|visiting|hours|admission|tickets?|directions|about|location|contact|info|information"
    r"|faq|plan|prices?|rates|home|overview|welcome|now open|closed|reopen\w*|things to do|what'?s on"
    r"|calendar|explore|guide|amenities|facilities|map|parking|accessibility|gallery hours)\b"
)


def _head_kind(text: str) -> tuple[str | None, set[str]]:
    """The kind of a segment's head noun and every kind it names."""
    hits = _noun_hits(text)
    if not hits:
        return None, set()
    head = hits[0] if _HEAD_FIRST.match(text) else hits[-1]
    return head[2], {kind for _, _, kind in hits}


def _segment_host(title: str) -> tuple[str, str] | None:
    """(subject, host) when one segment of the title names a place and the others do not."""
    separators = list(_SEGMENT.finditer(title))
    if not separators:
        return None
    segments: list[str] = []
    start = 0
    for match in separators:
        segments.append(title[start : match.start()].strip())
        start = match.end()
    segments.append(title[start:].strip())
    read = [_head_kind(_AT_LEAD.sub("", segment)) for segment in segments]
    hosts = [i for i, (head, _) in enumerate(read) if head == "place"]
    if len(hosts) != 1:
        return None
    index = hosts[0]
    others = [segment for i, segment in enumerate(segments) if i != index and segment]
    if not others:
        return None
    kinds: set[str] = set()
    for i, (_, seen) in enumerate(read):
        if i != index:
            kinds |= seen
    subject = " - ".join(others)
    if "place" in kinds or _PAGE_SECTION.search(subject):
        return None
    if kinds & {"feature", "seasonal", "event", "program", "class", "garden"}:
        return subject, segments[index]
    # "Kelsey Creek Farm: Pony & Goat Barn": after "Host:", a name of two or more words that is
    # neither a town nor a page of the host's site is something at the host.
    if (
        not kinds
        and index == 0
        and separators[0].group(0).startswith(":")
        and len(subject.split()) >= 2
        and not any(subject.strip(" !.") == town for town in _LOCALITIES)
    ):
        return subject, segments[index]
    return None


def _modifier_host(title: str) -> tuple[str, str] | None:
    """"Woodland Park Rose Garden", "Carkeek Park Playground": a feature named after its host.

    When the head noun is a feature, a garden or a seasonal offering and a place noun comes
    before it, the place is the host and the rest is the subject.
    """
    hits = _noun_hits(title)
    if len(hits) < 2 or _HEAD_FIRST.match(title) or hits[-1][2] not in ("feature", "garden", "seasonal"):
        return None
    places = [end for _, end, kind in hits[:-1] if kind == "place"]
    if not places or any(kind == "place" for _, _, kind in hits[hits.index(hits[-1]) :]):
        return None
    subject = title[places[-1] :].strip(" -:|,")
    if not subject or _POSSESSOR_AFTER.match(title, places[-1]):
        return None
    return subject, title[: places[-1]].strip()


def _title_parts(title: str) -> tuple[str, str]:
    """Split a folded title into its subject and the place it names ("X at Y" -> X, Y)."""
    title = _TITLE_PREFIX.sub("", _HASHTAG.sub("", title)).strip()
    title = _SITE_NOISE_HEAD.sub("", title).strip() or title
    title = _SITE_NOISE_TAIL.sub("", title).strip() or title
    title = _LEAD_IN.sub("", title).strip() or title
    title = _IDIOM_IN_THE.sub(lambda m: m.group(0).replace(" in the ", " in-the "), title)
    match = _TITLE_AT.search(title)
    if match and match.start() > 2:
        subject, host = title[: match.start()], title[match.end() :]
        host_hits = _noun_hits(host)
        if (
            not _noun_hits(subject)
            and host_hits
            and host_hits[-1][2] in ("feature", "seasonal")
            and not re.match(r"(?:the|our|a|an) ", host)
        ):
            # "Artists at Play Playground": the "at" sits inside a name ("at the carousel"
            # would name a host); the whole title is the subject.
            return title, ""
        return subject, host
    possessive = _POSSESSIVE_HOST.match(title)
    if possessive and _NOUN_RES["place"].search(possessive.group("host")):
        return possessive.group("subject"), possessive.group("host")
    return _segment_host(title) or _modifier_host(title) or (title, "")


# Typos in the words that decide a label ("exibit", "sesion", "dispaly", "libary"). Each key
# word spawns its one-letter deletions and adjacent swaps, never touching the first or the
# last letter (few typos do; that keeps "heater" from reading as "theater", "light" as
# "lights" and "Frida" as "Friday").
_TYPO_WORDS = (
    "exhibit", "exhibits", "exhibition", "display", "displays", "playground", "carousel", "storytime",
    "festival", "workshop", "classes", "lessons", "session", "sessions", "museum", "library",
    "aquarium", "gymnastics", "parade", "concert", "celebration", "halloween", "christmas",
    "holiday", "pumpkin", "birthday", "beginner", "beginners", "program", "programs", "semester",
    "tuition", "register", "registration", "enrollment", "saturday", "saturdays", "sunday", "sundays",
    "monday", "mondays", "tuesday", "tuesdays", "wednesday", "wednesdays", "thursday", "thursdays",
    "friday", "fridays", "weekly", "admission", "available", "welcome",
    "garden", "gallery", "theater", "theatre", "community", "center", "family", "daily", "nightly",
    "lights", "trampoline", "swimming", "league", "tournament", "performance", "installation",
)


def _typo_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for word in _TYPO_WORDS:
        variants = {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}
        variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
        for variant in variants:
            if len(variant) >= 5 and variant not in _TYPO_WORDS:
                table.setdefault(variant, word)
    return table


_TYPOS = _typo_table()
_TOKEN = re.compile(r"\b[a-z]{5,}\b")


def _fix_typos(text: str) -> str:
    return _TOKEN.sub(lambda m: _TYPOS.get(m.group(0), m.group(0)), text)


def _noun_hits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of vocabulary nouns, longest first where they overlap."""
    hits: list[tuple[int, int, str]] = []
    for kind, pattern in _NOUN_RES.items():
        for match in pattern.finditer(text):
            hits.append((match.start(), match.end(), kind))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    kept: list[tuple[int, int, str]] = []
    for hit in hits:
        if all(hit[1] <= k[0] or hit[0] >= k[1] for k in kept):
            kept.append(hit)
    kept.sort()
    return kept


def _is_address(text: str) -> bool:
    return bool(re.search(r"\d", text)) and _ADDRESS.search(text) is not None


def _is_locality(text: str) -> bool:
    """"Kent, WA", "Wallingford, Seattle": a town or neighbourhood, not a named host place."""
    return not _NOUN_RES["place"].search(text) and not _NOUN_RES["garden"].search(text)


# "Mon-Fri 2-8, weekends 9-6", "Tue-Sun 10-5": a week of opening hours (two day ranges or a
# range that covers most of the week), not one class slot.
_WEEK_HOURS = re.compile(
    rf"\b{_WEEKDAY}\s*-\s*{_WEEKDAY}\b[^|]{{0,30}}(?:,|;|\bweekends?\b)[^|]{{0,12}}\d"
    r"|\b(?:tue|tues|tuesday|wed|wednesday)\s*-\s*(?:sun|sunday|sat|saturday)\b|\bmon(?:day)?\s*-\s*(?:sat"
    r"|sun)\w*\b"
)
_OPEN_ENDED = re.compile(
    r"^\s*(?:ongoing|permanent(?: (?:exhibit|exhibition|collection))?|year[- ]round|all year|always open"
    r"|open year[- ]round|no end date|indefinitely)\s*[.!]?\s*$"
)
# "Multiple dates", "Various dates", "+ 5 more": a calendar that folded several occurrences.
_MANY_DATES = re.compile(
    r"\b(?:multiple|various|several|select(?:ed)?|many|more) dates\b|\+\s*\d+ more\b|\bmore dates\b"
)
_FESTIVAL = re.compile(r"\b(?:festival|fest|fair|harvest|celebration|fiesta)s?\b|节|축제|\ble hoi\b")
_RELATIVE_DAY = re.compile(
    r"\btonight\b|\btomorrow\b|\btoday only\b"
    r"|\bthis (?:coming )?(?:weekend|mon|tues|wednes|thurs|fri|satur|sun)(?:day)?\b"
    r"|\bthis (?:morning|afternoon|evening)\b|\besta noche\b|\beste (?:sabado|domingo)\b|今晚|오늘 밤"
)
_DATE_TBA = re.compile(
    r"\bdates? (?:to be |is |are )?(?:announced|determined|confirmed)\b|\bdates? tb[adc]\b|\btb[ad]\b"
    r"|\bannounce the date\b|\bfecha por (?:anunciar|confirmar)\b|日期待定|날짜 미정"
)
_MATINEE = re.compile(r"\bmatinees?\b|\bcurtain\b|\bshowtimes?\b|\bperformances? (?:at|on)\b")
_PERFORMANCE_VENUE = re.compile(
    r"\btheat(?:er|re)\b|\bplayhouse\b|\bstage\b|\bauditorium\b|\bconcert hall\b|\bopera\b|\bballet\b"
    r"|\bmccaw hall\b|\bperforming arts\b"
)
# Facts that belong to a place (R1) and words of enrollment (R2), for the defaults below.
_PLACE_FACTS = ("hours", "admission", "address", "parking", "size", "amenities")
_PROGRAM_CUES = (
    "session-count", "per-week", "enroll", "tuition", "series-registration", "term-start", "price-per-term",
    "reading-challenge", "title-program", "title-level", "term-schedule",
)


_MAX_DESCRIPTION = 5000


def extract_evidence(listing: ClassifierInput) -> Evidence:
    """Read the facts of a listing into named features (the keys of WEIGHTS)."""
    fired: dict[str, str] = {}

    def fire(name: str, note: str = "") -> None:
        if name not in WEIGHTS:  # a typo here would silently drop evidence
            raise KeyError(f"feature {name!r} has no row in WEIGHTS")
        fired.setdefault(name, note)

    title = _HASHTAG.sub("", _fix_typos(fold(listing.title))).strip()
    # A crawled "description" is sometimes a whole page; its facts sit near the top, and the
    # bound keeps one listing near a millisecond whatever the page size.
    description = _fix_typos(fold((listing.description or "")[:_MAX_DESCRIPTION]))
    date_text = _fix_typos(fold(listing.date_text))
    schedule_text = _fix_typos(fold(listing.schedule_text))
    price_text = fold(listing.price_text)
    venue_text = fold(listing.venue_text)
    url = fold(listing.url)
    # "Ongoing", "Permanent", "Year-round" in a date field name no time of their own.
    timing = " | ".join(t for t in (date_text, schedule_text) if t and not _OPEN_ENDED.match(t))
    body = " | ".join(t for t in (description, price_text, fold(listing.age_text)) if t)
    everything = " | ".join(t for t in (title, timing, body) if t)

    # --- the title's subject
    subject, host = _title_parts(title)
    hits = _noun_hits(subject)
    kinds_seen: set[str] = set()
    for _, _, kind in hits:
        kinds_seen.add(kind)
    head_kind = hits[-1][2] if hits else None
    # The last noun is the head in English, Chinese and Korean (head-final); Spanish and
    # Vietnamese titles put it first ("Taller de arte", "Lớp tiếng Việt", "Công viên Jefferson").
    if hits and _HEAD_FIRST.match(subject):
        head_kind = hits[0][2]
    for kind in kinds_seen:
        name = {"place": "title-place", "event": "title-event", "program": "title-program",
                "class": "title-class", "feature": "title-feature", "seasonal": "title-seasonal",
                "garden": "title-garden", "minor": "title-feature-minor",
                "activity": "title-activity"}[kind]  # fmt: skip
        fire(name, ",".join(subject[s:e] for s, e, k in hits if k == kind))
    if head_kind in ("place", "event", "program", "feature", "seasonal"):
        fire(f"title-{head_kind}-head", subject[hits[-1][0] : hits[-1][1]])
    if _LEVEL.search(subject):
        fire("title-level")
    if host and (hits or _NOUN_RES["place"].search(host)):
        fire("title-at-place", host)
    # A title that names its host place ("Kelsey Creek Farm: Pony Barn", "Rose Garden" of
    # "Woodland Park") hosts its subject as much as a venue_text does, when the subject itself
    # names no place.
    title_hosted = bool(host) and bool(_NOUN_RES["place"].search(host)) and "place" not in kinds_seen
    # "Now open!" on a place keeps it a place (R1a); on a corn maze it opens the season.
    if _NOW_OPEN.search(title) and not kinds_seen & {"seasonal", "feature", "event"}:
        fire("title-now-open")

    # --- camps (T1)
    label = fold(listing.site_label)
    camp = bool(_CAMP.search(subject)) or label == "camp"
    if camp:
        dates = read_dates(timing + " | " + description + " | " + title)
        multi_text = " | ".join((title, timing, description, price_text))
        if _CAMP_ONE_DAY.search(multi_text) and not (dates.max_span >= 1 or dates.count >= 2):
            fire("camp-one-day", "one-day wording")
        elif (
            dates.max_span >= 1
            or dates.count >= 2
            or _WEEKDAY_RANGE.search(multi_text)
            or _CAMP_MULTI.search(multi_text)
        ):
            fire("camp-multi-day", f"span={dates.max_span},dates={dates.count}")
        elif dates.count == 1:
            fire("camp-one-day", "single date")
        else:
            fire("camp-length-unknown")

    # --- body nouns (description only: a venue_text names the host, not the subject)
    body_hits = _noun_hits(description)
    for _, _, kind in body_hits:
        if kind in ("place", "event", "program", "feature", "seasonal"):
            fire(f"body-{kind}")
    # A possessor is not the subject: "Seattle Center's popular playground" is about a playground.
    lead = [
        kind for start, end, kind in body_hits
        if start < 60 and kind in ("place", "event", "program", "feature", "seasonal")
        and not _POSSESSOR_AFTER.match(description, end)
    ]
    if not kinds_seen - {"activity", "minor"} and lead:
        fire(f"lead-{lead[0]}", description[:60])

    # --- place facts
    place_text = " | ".join(t for t in (description, schedule_text, price_text) if t)
    if _HOURS.search(place_text):
        fire("hours")
    if _ADMISSION.search(place_text):
        fire("admission")
    if _ADDRESS.search(description) or (venue_text and _is_address(venue_text)):
        fire("address")
    if _PARKING.search(description):
        fire("parking")
    if _SIZE.search(description):
        fire("size")
    if _AMENITIES.search(description):
        fire("amenities")
    if _OFFERS.search(description):
        fire("offers-activities")
    if _OPENS_DATE.search(description) or _NOW_OPEN.search(description):
        fire("opening-date")
    if _OPEN_PLAY_ALL_DAY.search(place_text):
        fire("open-play-all-day")
    if venue_text and not _is_address(venue_text) and not _is_locality(venue_text):
        same = venue_text.split(",")[0].strip()
        if same and same not in title and title not in venue_text:
            fire("hosted-elsewhere", venue_text)
    if _INCLUDED.search(everything):
        fire("included-with-admission")
    if (
        _INSIDE.search(description)
        or " inside " in f" {title} "
        or ("hosted-elsewhere" in fired and _OPEN_HOURS.search(description))
    ):
        fire("inside-place")
    if _CONTINUOUS.search(" | ".join((description, schedule_text))):
        fire("continuous-show")
    if _UNTIL.search(timing) or (
        _UNTIL.search(description)
        and (
            _BLOOM.search(description)
            or any(_NOUN_RES[kind].search(everything) for kind in ("feature", "garden", "seasonal"))
        )
    ):
        fire("until-date")
    if _TIMED_ENTRY.search(everything):
        fire("timed-entry")
    if _SELF_GUIDED.search(everything):
        fire("self-guided")

    # --- dates and times
    date_source = " | ".join(t for t in (date_text, schedule_text, description, title) if t)
    dates = read_dates(date_source)
    times = read_times(" | ".join(t for t in (timing, description, title) if t))
    recurring = _PLURAL_WEEKDAY.search(date_source) is not None
    day_slot = _DAY_CODE_SLOT.search(date_source) is not None
    has_weekday = _ANY_WEEKDAY.search(date_source) is not None
    season = (
        dates.max_span >= 13 or dates.month_span >= 13 or dates.until or bool(_WHOLE_MONTH.search(date_text))
    )
    daily = _DAILY.search(date_source) is not None
    departures = _DEPARTURES.search(date_source) is not None
    # A lone "7:30pm" is a start time; "10am-6pm" ranges are slots or opening hours.
    start_times = times.singles >= 1 and (times.singles > times.ranges or departures)
    # "Fri 7pm, Sat & Sun 11am & 2pm" across weeks: the showtimes of a run, not a class slot.
    showtimes = (times.singles >= 3 and times.ranges == 0) or bool(_MATINEE.search(everything))
    term_start = _TERM_START.search(everything) is not None

    # T1 has read a camp's dates already; they say nothing more about EVENT vs PROGRAM.
    if not camp:
        if dates.count == 1 and dates.max_span < 0 and not recurring and not term_start:
            fire("single-date")
        elif 2 <= dates.count <= 3 and dates.max_span <= 2 and not recurring:
            fire("few-dates")
        timed = bool(times.singles or times.ranges)
        if 1 <= dates.count <= 3 and dates.max_span <= 2 and timed and not recurring:
            fire("dated-start-time")
    if dates.listed >= 4 or (dates.count >= 4 and dates.max_span < 0) or _MANY_DATES.search(date_source):
        fire("date-list")
    if dates.max_span >= 13:
        fire("long-range", str(dates.max_span))
    elif 3 <= dates.max_span < 13:
        fire("mid-range", str(dates.max_span))
    if dates.max_span < 13 and dates.month_span >= 13:
        fire("season-months", str(dates.month_span))
    if start_times:
        fire("start-times")
    if departures:
        fire("departures")
    if showtimes and (dates.max_span >= 3 or recurring or has_weekday or dates.count >= 2):
        fire("showtimes")
    if start_times and _PERFORMANCE_VENUE.search(" | ".join((venue_text, host, description))):
        fire("performance-venue")
    if "continuous-show" in fired and departures and dates.count >= 1 and not daily:
        # "trains depart hourly" on four dated weekends: scheduled departures (T5), not a
        # show that runs all day every day.
        del fired["continuous-show"]
    # R1a: a place page ("Salmon Hatchery": "open daily dawn to dusk ... salmon return Sept-Nov")
    # names only a place in its title and the season in its prose; the season belongs to an
    # offering there. A card whose date fields give the season ("Ice Rink", Nov 28 - Jan 4) is
    # the seasonal offering itself.
    # "Ice rink" names a place and a seasonal offering alike; a season of its own decides (T5).
    if season and any(
        kind == "place" and _NOUN_RES["seasonal"].fullmatch(subject[start:end]) for start, end, kind in hits
    ):
        kinds_seen.add("seasonal")
        fire("title-seasonal", "place or seasonal noun, with a season")
    # A place at its own street address keeps its season even on a dated card ("Colman Pool",
    # address given, Jun 20 - Sep 7): R1a seasonal hours.
    own_address = "address" in fired and "hosted-elsewhere" not in fired and not title_hosted
    place_titled = (
        head_kind == "place"
        and not kinds_seen & {"seasonal", "feature", "event", "garden"}
        and (not timing or own_address)
    )
    if season and daily and not start_times and "continuous-show" not in fired and not place_titled:
        fire("seasonal-operation")
        if _FESTIVAL.search(subject):
            # R4a: a farm's "Fall Festival" open every weekend for weeks is its season.
            fire("seasonal-festival")
    if recurring:
        fire("recurring-weekly")
    # A weekday with a time ("Fridays 6-8pm") is a slot; "Open Tue-Sat 10-5" is opening hours.
    weekday_range = _WEEKDAY_RANGE.search(date_source) is not None
    timed_weekday = has_weekday and bool(times.singles or times.ranges) and not weekday_range
    if dates.count == 0 and (day_slot or timed_weekday):
        fire("weekday-slot")
    if dates.count == 0 and dates.month_span < 0 and not timing and not recurring:
        fire("no-dates")
    if weekday_range and times.ranges and dates.count == 0 and not camp and _WEEK_HOURS.search(date_source):
        fire("hours", "weekday-range hours")

    # --- enrollment vs drop-in
    if _SESSION_COUNT.search(everything):
        fire("session-count")
    if _SESSION_COUNT.search(title):
        fire("title-session-count")
    if _PER_WEEK.search(everything):
        fire("per-week")
    if (recurring or day_slot or has_weekday) and dates.max_span >= 13 and not daily and not showtimes:
        fire("term-schedule")
    if _ENROLL.search(everything):
        fire("enroll")
    if _TUITION.search(everything):
        fire("tuition")
    if _SERIES_REGISTRATION.search(everything):
        fire("series-registration")
    if term_start:
        fire("term-start")
    if _PRICE_PER_TERM.search(" | ".join((price_text, description))):
        fire("price-per-term")
    if _READING.search(everything):
        fire("reading-challenge")
    if _DROP_IN_IF_SPACE.search(everything):
        fire("drop-in-if-space")
    elif _DROP_IN.search(everything):
        fire("drop-in")
    if _FREE_TRIAL.search(everything):
        fire("free-trial")
    if _REGISTRATION.search(everything):
        fire("registration-required")
    if _RSVP.search(everything):
        fire("rsvp")
    if _FREE_ADMISSION_DAY.search(everything):
        fire("free-admission-day")
    if _DATE_TBA.search(everything):
        # "Date to be announced": one happening whose day is not fixed yet.
        fire("date-tba")
    if _RELATIVE_DAY.search(everything) and not recurring:
        # "Tonight!!", "this Saturday": a social-media post about one happening.
        fire("relative-date")

    # --- defaults when the facts are thin: what kind of thing has this shape?
    undated = dates.count == 0 and dates.max_span < 0 and not start_times
    hosted = title_hosted or any(
        name in fired for name in ("hosted-elsewhere", "inside-place", "included-with-admission")
    )
    program_cues = any(name in fired for name in _PROGRAM_CUES) or camp
    branch = bool(_BRANCH_TITLE.search(title)) or bool(
        venue_text and _is_locality(venue_text) and title.endswith(venue_text.split(",")[0].strip())
    )
    if branch and undated:
        fire("branch-title")
    place_facts = sum(name in fired for name in _PLACE_FACTS) + (1 if branch else 0)
    inside = "inside-place" in fired or "included-with-admission" in fired
    # A tenant (a play cafe in the Armory, a studio in a mall) names its building in venue_text
    # but keeps its own hours and prices; only "inside"/"included" words make it a feature.
    tenant = "hosted-elsewhere" in fired and not inside and (
        "open-play-all-day" in fired or place_facts >= 3
    )
    if place_facts >= 2 and undated and (not hosted or tenant) and not recurring:
        # T4: its own pin on the map, with its own hours and prices -> a place.
        fire("standalone-place")
    names_place = "title-place" in fired or "lead-place" in fired or branch or "open-play-all-day" in fired
    in_host = inside and "hosted-elsewhere" in fired
    if (
        hosted
        and undated
        and not recurring
        and not program_cues
        and not season
        and (in_host or not names_place)
    ):
        # T4: something inside a named place, with no dates of its own -> a feature of it.
        fire("hosted-undated")
    if (
        dates.max_span >= 13
        and not (times.singles or times.ranges or has_weekday or recurring)
        and not program_cues
        and not kinds_seen & {"event", "program", "class", "activity"}
    ):
        # A bare date range with no times and no days: a period something is open or on view.
        fire("open-range")

    # --- the site's own words
    schema = fold(listing.structured_type).replace(" ", "")
    if schema:
        if _SCHEMA_COURSE.search(schema):
            fire("schema-course", schema)
        elif _SCHEMA_ATTRACTION.search(schema):
            fire("schema-attraction", schema)
        elif _SCHEMA_EVENT.search(schema):
            fire("schema-event", schema)
        elif _SCHEMA_PLACE.search(schema):
            fire("schema-place", schema)
    if label:
        if re.search(r"\b(?:class|course|program|lesson|league)", label):
            fire("label-class", label)
        elif re.search(r"\b(?:exhibit|exhibition)", label):
            fire("label-exhibit", label)
        elif re.search(r"\b(?:event|happening)", label):
            fire("label-event", label)
        elif re.search(r"\b(?:venue|place|location|business)", label):
            fire("label-place", label)
        elif re.search(r"\battraction", label):
            fire("label-attraction", label)
    if url and re.search(r"/(?:visit|about|plan-your-visit|hours|location)s?\b", url):
        fire("hours", "url")
    return Evidence(features=fired)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def score(evidence: Evidence) -> dict[EntityType, float]:
    totals = dict.fromkeys(TYPES, 0.0)
    for name in evidence.features:
        weight = WEIGHTS[name]
        for entity_type in TYPES:
            totals[entity_type] += weight.of(entity_type)
    return totals


def _softmax(scores: Mapping[EntityType, float]) -> dict[EntityType, float]:
    top = max(scores.values())
    exps = {t: math.exp((s - top) / TEMPERATURE) for t, s in scores.items()}
    total = sum(exps.values())
    return {t: v / total for t, v in exps.items()}


# When nothing at all is known the likeliest reading of a bare title is an EVENT (calendar
# teaser); the tiny prior only breaks exact ties and keeps the confidence low.
_PRIOR: dict[EntityType, float] = {EVENT: 0.3, VENUE: 0.2, PROGRAM: 0.1, ATTRACTION: 0.0}


def _reasons(evidence: Evidence, winner: EntityType, limit: int = 4) -> tuple[str, ...]:
    contributions = sorted(
        ((WEIGHTS[name].of(winner), name) for name in evidence.features if WEIGHTS[name].of(winner) > 0),
        reverse=True,
    )
    return tuple(f"{WEIGHTS[name].rule}:{name}" for _, name in contributions[:limit])


def _decide(evidence: Evidence) -> tuple[EntityType, float]:
    totals = score(evidence)
    for entity_type, prior in _PRIOR.items():
        totals[entity_type] += prior
    probabilities = _softmax(totals)
    winner = max(TYPES, key=lambda t: totals[t])
    return winner, probabilities[winner]


_STRUCTURED_FEATURES = ("schema-event", "schema-course", "schema-place", "schema-attraction")


def classify(
    listing: ClassifierInput,
    *,
    second_opinion: SecondOpinion | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> ClassificationResult:
    """Classify one listing: rules first; a second opinion only when the rules are unsure."""
    evidence = extract_evidence(listing)
    winner, confidence = _decide(evidence)
    reasons = _reasons(evidence, winner)
    method = ClassificationMethod.RULES
    structured = [name for name in _STRUCTURED_FEATURES if name in evidence]
    if structured:
        # The schema.org type "decided it" when without it the rules would say otherwise or
        # would be unsure.
        without = Evidence({k: v for k, v in evidence.features.items() if k not in structured})
        alt_winner, alt_confidence = _decide(without)
        if WEIGHTS[structured[0]].of(winner) > 0 and (alt_winner != winner or alt_confidence < threshold):
            method = ClassificationMethod.STRUCTURED_DATA
    if confidence < threshold and second_opinion is not None:
        answer = second_opinion.classify(listing)
        if answer is not None:
            other_type, other_confidence = answer
            if other_confidence >= threshold:
                return ClassificationResult(
                    entity_type=EntityType(other_type),
                    confidence=round(min(max(other_confidence, 0.0), 1.0), 3),
                    method=ClassificationMethod.LLM,
                    reasons=(*reasons, f"LLM:second-opinion-{EntityType(other_type).value}"),
                )
    return ClassificationResult(
        entity_type=winner,
        confidence=round(confidence, 3),
        method=method,
        reasons=reasons or ("R0:no-evidence",),
    )


# --------------------------------------------------------------------------------------------
# T7: out of scope
# --------------------------------------------------------------------------------------------

# Read from the title: a listing that merely mentions a membership discount or gift cards in
# its body is still in scope.
_OUT_OF_SCOPE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gift-card", re.compile(
        r"\bgift ?cards?\b|\bgift certificates?\b|\be-?gift\b|礼品卡|\btarjetas? de regalo\b"
    )),
    ("birthday-party", re.compile(
        r"\bbirthday part(?:y|ies)\b.{0,25}\b(?:packages?|book|booking|rentals?|rooms?|host)\b"
        r"|\b(?:book|plan|host)\b.{0,25}\bbirthday part|^birthday parties$|^(?:private )?party (?:packages"
        r"|rentals)\b"
        r"|生日派对|\bfiestas? de cumpleanos\b"
    )),
    ("membership", re.compile(
        r"^(?:(?:family|annual|individual|household|premium|dual|grandparent) )*members?hips?\b(?!.*\bclass)"
        r"|\bbecome a member\b|\bjoin (?:as a member|today)\b|\bmembership (?:levels|options|benefits"
        r"|pricing)\b"
        r"|\bmembresia\b|会员|\bmembers?hip\s*$"
    )),
    ("pass", re.compile(
        r"\b(?:annual|season|seasonal|summer|winter|day|multi-visit|\d+-visit|unlimited|year"
        r"|family) pass(?:es)?\b(?!\s+holders?)"
        r"|\bpunch ?cards?\b|\b\d+-(?:visit|punch) (?:pass|card)\b|\bpase anual\b|年卡"
    )),
    ("volunteer", re.compile(
        r"\bvolunteers? (?:needed|wanted|opportunit\w*|positions?|application)\b|\bvolunteer (?:with"
        r"|for) us\b"
        r"|\bbecome a volunteer\b|\bcall for volunteers\b|^volunteer(?:ing)?(?: opportunities)?$"
        # A volunteer shift or work day is a call for help, not an activity ("Volunteer Park"
        # is a place: only these nouns after "volunteer" count).
        r"|\bvolunteer (?:call|day|shift|shifts|orientation|work ?party|sign-?up|training)\b"
        r"|\bvoluntari[oa]s\b|志愿者"
    )),
    ("job", re.compile(
        r"\b(?:we'?re|now|are) hiring\b|\bhiring\b|\bjob (?:opening|posting|opportunit\w*)s?\b|\bcareers?\b"
        r"|\bemployment\b|\bjoin our staff\b|\bpositions? (?:available|open)\b|\bempleo\b|招聘"
    )),
    ("ad", re.compile(
        r"^sponsored\b|\bsponsored:|\badvertisement\b|\badvertise (?:with|here)\b|\byour ad here\b"
        r"|^ad:|^promoted\b|\banuncio\b|广告"
    )),
    ("donation", re.compile(
        r"^(?:please )?donate\b|\bdonate (?:today|now|to)\b|\b(?:spring|annual|year-end|holiday"
        r"|fall) appeal\b"
        r"|\bmake a (?:gift|donation)\b|\bsupport (?:us|our work)\b|\bdonaciones\b|^donations?\b|捐款"
    )),
    ("newsletter", re.compile(
        r"\bnewsletter\b|\bsubscribe\b|\bsign up for (?:our )?(?:emails?|updates|e-?news)\b"
        r"|\bmailing list\b|订阅"
    )),
)


def out_of_scope_reason(listing: ClassifierInput) -> str | None:
    """T7: the reason ("membership", "gift-card", ...) when the listing is not an activity."""
    title = fold(listing.title)
    for reason, pattern in _OUT_OF_SCOPE:
        if pattern.search(title):
            return reason
    return None


# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------

CATEGORY_KEYWORDS: dict[Category, str] = {
    Category.ARTS_CREATIVITY: _words(
        r"art", r"arts", r"artist", r"paint\w*", r"pottery", r"clay", r"ceramics?", r"crafts?", r"drawing",
        r"music\w*", r"dance", r"ballet", r"hip hop", r"theat(?:er|re)", r"drama", r"puppet\w*", r"violin",
        r"piano", r"ukulele", r"guitar", r"choir", r"orchestra", r"sing\w*", r"glass", r"photography",
        r"nutcracker", r"concert", r"writing", r"poetry", r"gallery", r"sculptures?", r"printmaking",
        r"calligraphy", r"papel picado", r"kindermusik", r"arte", r"musica", r"baile", r"艺术", r"音乐",
        r"书法", r"剪纸", r"绘画", r"舞蹈",
    ),
    Category.ACTIVE_SPORTS: _words(
        r"swim\w*", r"soccer", r"basketball", r"baseball", r"softball", r"gymnastics", r"tumbl\w*",
        r"skat\w*", r"climb\w*", r"bouldering", r"trampolines?", r"jump", r"ninja", r"karate",
        r"martial arts", r"jiu-?jitsu", r"taekwondo", r"yoga", r"tennis", r"volleyball", r"lacrosse",
        r"football", r"fun run", r"5k", r"dash", r"triathlon", r"hik\w*", r"bik\w*", r"rowing", r"archery",
        r"lifeguard", r"sports?", r"hockey", r"dodgeball", r"ropes course", r"zipline\w*", r"natacion",
        r"futbol", r"游泳", r"运动", r"rock wall", r"little league", r"league", r"fitness", r"kayak\w*",
    ),
    Category.EDUCATIONAL_STEM: _words(
        r"science", r"stem", r"steam", r"coding", r"code", r"robot\w*", r"math", r"engineering", r"nature",
        r"naturalists?", r"reading", r"books?", r"museum", r"zoo", r"aquarium", r"planetarium",
        r"astronom\w*",
        r"dinosaurs?", r"fossils?", r"chess", r"history", r"heritage", r"homeschool", r"lego", r"tide pools?",
        r"marine", r"biology", r"animals?", r"octopus", r"wetlands?", r"environmental", r"preschool",
        r"library", r"storytime", r"language", r"chinese", r"spanish", r"comets?", r"ciencia", r"科学",
        r"中文", r"博物馆", r"图书馆", r"mummies", r"butterfl\w*", r"penguins?", r"reptiles?", r"exhibit\w*",
    ),
    Category.ENTERTAINMENT_EVENTS: _words(
        r"festival", r"fest", r"concert", r"shows?", r"movie", r"film", r"imax", r"parade", r"party",
        r"carnival", r"arcade", r"fun cent(?:er|re)", r"go-?karts?", r"mini golf", r"laser tag", r"bowling",
        r"lights", r"pumpkin", r"corn maze", r"maze", r"santa", r"halloween", r"trick-or-treat", r"magic",
        r"performance\w*", r"bingo", r"celebration", r"fair", r"train rides?", r"carousel", r"waterpark",
        r"water park", r"pinball", r"games?", r"fiesta", r"庙会", r"灯光", r"演出",
    ),
}
_CATEGORY_RES = {category: re.compile(
    rf"(?<![\w]){pattern}(?![\w])"
) for category, pattern in CATEGORY_KEYWORDS.items()}
_CAMPS_PROGRAMS = re.compile(
    r"\bcamps?\b|campamento|夏令营|\bafter[- ]school\b|\bbefore[- ]and after[- ]school\b|\bchild ?care\b"
    r"|\bscouts?\b|\bpreschool program\b|\bco-?op preschool\b|\bnature preschool\b|\bpre-?k\b"
)
_FREE = re.compile(
    r"\bfree\b|\bno cost\b|\bgratis\b|\bgratuit[ao]\b|免费|\$0\b|\bby donation\b"
    r"|\bpay[- ]what[- ]you[- ]can\b"
)
_COMMUNITY = re.compile(
    r"\blibrar(?:y|ies)\b|\bbranch\b|\bbiblioteca\b|图书馆|\bparks?\b|\bcommunity\b|\bfestival\b|\bparade\b"
    r"|\bfarmers market\b|\bmarket\b|\bcelebration\b|\bcity hall\b|\bneighborhood\b|\bclean-?up\b"
    r"|\bjuneteenth\b"
    r"|\bstorytime\b|\bstory time\b|\bbeach\b|\bteen (?:center|union)\b"
)
_ART_MUSEUM = re.compile(
    r"\bart (?:museum|gallery|center)\b|\bmuseum of (?:\w+ )?art\b|\bmuseo de arte\b|\bart museum\b"
    r"|美术馆|艺术馆"
)
_MUSEUM_LIKE = re.compile(
    r"\bmuseums?\b|\bmuseo\b|\bzoo\b|\baquarium\b|\bscience (?:center|centre|park)\b|\bnature center\b"
    r"|\bplanetarium\b"
    r"|\bconservatory\b|博物馆|探索馆"
)


def categorize(listing: ClassifierInput, entity_type: EntityType) -> Category:
    """Pick one of the six product categories from the listing's words and its entity type."""
    title = fold(listing.title)
    text = " | ".join(
        fold(t) for t in (listing.title, listing.description, listing.price_text, listing.venue_text) if t
    )
    if _CAMPS_PROGRAMS.search(title) or (entity_type == PROGRAM and _CAMPS_PROGRAMS.search(text)):
        return Category.CAMPS_PROGRAMS
    title_scores = {c: len(p.findall(title)) for c, p in _CATEGORY_RES.items()}
    body_scores = {c: len(p.findall(text)) for c, p in _CATEGORY_RES.items()}
    price_words = " | ".join(fold(t) for t in (listing.price_text, listing.description, listing.title) if t)
    is_free = _FREE.search(price_words) is not None
    is_library = re.search(r"\blibrar(?:y|ies)\b|\bbranch\b|\bbiblioteca\b|图书馆", text) is not None
    community = is_library or (is_free and _COMMUNITY.search(text) is not None)
    sporty_or_arty = any(title_scores[c] for c in (Category.ACTIVE_SPORTS, Category.ARTS_CREATIVITY))
    if entity_type in (EVENT, VENUE) and community and not sporty_or_arty:
        return Category.FREE_COMMUNITY
    if (entity_type in (VENUE, ATTRACTION) or not any(title_scores.values())) and _MUSEUM_LIKE.search(text):
        if _ART_MUSEUM.search(text):
            return Category.ARTS_CREATIVITY
        if entity_type == VENUE or not any(title_scores.values()):
            return Category.EDUCATIONAL_STEM
    if any(title_scores.values()):
        # Title words decide; the body breaks ties (and order breaks the rest).
        return max(_CATEGORY_RES, key=lambda c: (title_scores[c], body_scores[c]))
    if any(body_scores.values()):
        return max(_CATEGORY_RES, key=lambda c: body_scores[c])
    if entity_type == PROGRAM:
        return Category.CAMPS_PROGRAMS
    return Category.ENTERTAINMENT_EVENTS
