"""R3, T5: what the dates and times say. One date or a few with start times is a happening;
a long range, a season or daily operation is an offering open for a period; weekly slots and
showtimes, departures, "tonight", "date to be announced", a free admission day.

Days and clock times are counted by `famact.normalize.date_facts`; the weekday and recurrence
words read here are the classifier's own (they decide features, not dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from famact.classify.evidence import Features, ListingText
from famact.classify.features.nouns import TitleFacts
from famact.classify.vocabulary import NOUN_PATTERNS
from famact.normalize.date_facts import (
    WEEKDAY,
    DateFacts,
    TimeFacts,
    month_group,
    read_dates,
    read_times,
)

_WEEKDAY_ES = r"(?:lunes|martes|miercoles|jueves|viernes|sabados?|domingos?)"
_PLURAL_WEEKDAY = re.compile(
    rf"\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b"
    rf"|\bevery\s+(?:other\s+)?(?:\d(?:st|nd|rd|th)\s+)?{WEEKDAY}\b"
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
WEEKDAY_RANGE = re.compile(
    rf"\b{WEEKDAY}\s*-\s*{WEEKDAY}\b|\bm-f\b|\bde lunes a viernes\b|\blunes a (?:viernes|domingo)\b"
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
    rf"\b{WEEKDAY}s?\b|\b{_WEEKDAY_ES}\b|周[一二三四五六日]|星期|礼拜|[월화수목금토일]요일|\([월화수목금토일]\)"
    r"|\bthu (?:hai|ba|tu|nam|sau|bay)\b|\bchu nhat\b"
)

# A date field that starts with a month and no day ("October", "June - August"): a season.
_WHOLE_MONTH = re.compile(rf"^\s*{month_group('m1')}\b(?!\s*[0-3]?\d)")

_TERM_START = re.compile(
    rf"\b(?:starts?|starting|begins?|beginning)\s+(?:on\s+)?(?:{WEEKDAY},?\s+)?(?:{month_group('x')}|\d)"
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
# "Mon-Fri 2-8, weekends 9-6", "Tue-Sun 10-5": a week of opening hours (two day ranges or a
# range that covers most of the week), not one class slot.
_WEEK_HOURS = re.compile(
    rf"\b{WEEKDAY}\s*-\s*{WEEKDAY}\b[^|]{{0,30}}(?:,|;|\bweekends?\b)[^|]{{0,12}}\d"
    r"|\b(?:tue|tues|tuesday|wed|wednesday)\s*-\s*(?:sun|sunday|sat|saturday)\b|\bmon(?:day)?\s*-\s*(?:sat"
    r"|sun)\w*\b"
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
_FREE_ADMISSION_DAY = re.compile(
    r"\bfree admission (?:all day )?on the\b|\bfree (?:museum|zoo) (?:day|night)\b|\bdia gratis\b"
    r"|\bfree (?:admission|entry) (?:day|night|to all)|\bfree (?:first|family|community) \w+day\b"
    r"|\bfree family day\b|\bfree admission for everyone\b"
)


@dataclass(frozen=True)
class TimingFacts:
    """What the dates and times of a listing say, for the rule groups after this one."""

    source: str  # date, schedule, description and title text: where dates are read
    dates: DateFacts
    times: TimeFacts
    recurring: bool  # "Saturdays", "every Tuesday", "weekly", "1st Sunday of the month"
    day_slot: bool  # "Tu 4-5:30p", "M/W 5-6pm": a catalogue's class slot
    has_weekday: bool
    season: bool  # a long range, whole months, "through Dec 23" or a month alone
    daily: bool
    departures: bool
    start_times: bool
    showtimes: bool
    term_start: bool  # "starts Jan 5", "begins Monday": a term with a first day


def read_timing(text: ListingText) -> TimingFacts:
    date_fields = (text.date_text, text.schedule_text, text.description, text.title)
    date_source = " | ".join(t for t in date_fields if t)
    dates = read_dates(date_source)
    times = read_times(" | ".join(t for t in (text.timing, text.description, text.title) if t))
    departures = _DEPARTURES.search(date_source) is not None
    return TimingFacts(
        source=date_source,
        dates=dates,
        times=times,
        recurring=_PLURAL_WEEKDAY.search(date_source) is not None,
        day_slot=_DAY_CODE_SLOT.search(date_source) is not None,
        has_weekday=_ANY_WEEKDAY.search(date_source) is not None,
        season=(
            dates.max_span >= 13
            or dates.month_span >= 13
            or dates.until
            or bool(_WHOLE_MONTH.search(text.date_text))
        ),
        daily=_DAILY.search(date_source) is not None,
        departures=departures,
        # A lone "7:30pm" is a start time; "10am-6pm" ranges are slots or opening hours.
        start_times=times.singles >= 1 and (times.singles > times.ranges or departures),
        # "Fri 7pm, Sat & Sun 11am & 2pm" across weeks: the showtimes of a run, not a class slot.
        showtimes=(times.singles >= 3 and times.ranges == 0) or bool(_MATINEE.search(text.everything)),
        term_start=_TERM_START.search(text.everything) is not None,
    )


def timing_features(text: ListingText, title: TitleFacts, camp: bool, features: Features) -> TimingFacts:
    timing = read_timing(text)
    _day_count_features(timing, camp, features)
    _clock_features(text, title, timing, features)
    _season_features(text, title, timing, features)
    _weekly_features(text, timing, camp, features)
    return timing


def _day_count_features(timing: TimingFacts, camp: bool, features: Features) -> None:
    """How many days, and how long a range: one happening, a few, a list, a run, a season."""
    fire = features.fire
    dates, recurring = timing.dates, timing.recurring
    # T1 has read a camp's dates already; they say nothing more about EVENT vs PROGRAM.
    if not camp:
        if dates.count == 1 and dates.max_span < 0 and not recurring and not timing.term_start:
            fire("single-date")
        elif 2 <= dates.count <= 3 and dates.max_span <= 2 and not recurring:
            fire("few-dates")
        timed = bool(timing.times.singles or timing.times.ranges)
        if 1 <= dates.count <= 3 and dates.max_span <= 2 and timed and not recurring:
            fire("dated-start-time")
    if dates.listed >= 4 or (dates.count >= 4 and dates.max_span < 0) or _MANY_DATES.search(timing.source):
        fire("date-list")
    if dates.max_span >= 13:
        fire("long-range", str(dates.max_span))
    elif 3 <= dates.max_span < 13:
        fire("mid-range", str(dates.max_span))
    if dates.max_span < 13 and dates.month_span >= 13:
        fire("season-months", str(dates.month_span))


def _clock_features(text: ListingText, title: TitleFacts, timing: TimingFacts, features: Features) -> None:
    """Start times, departures and showtimes."""
    fire = features.fire
    dates = timing.dates
    if timing.start_times:
        fire("start-times")
    if timing.departures:
        fire("departures")
    across_days = dates.max_span >= 3 or timing.recurring or timing.has_weekday or dates.count >= 2
    if timing.showtimes and across_days:
        fire("showtimes")
    stage = " | ".join((text.venue_text, title.host, text.description))
    if timing.start_times and _PERFORMANCE_VENUE.search(stage):
        fire("performance-venue")
    if "continuous-show" in features and timing.departures and dates.count >= 1 and not timing.daily:
        # "trains depart hourly" on four dated weekends: scheduled departures (T5), not a
        # show that runs all day every day.
        features.drop("continuous-show")


def _season_features(text: ListingText, title: TitleFacts, timing: TimingFacts, features: Features) -> None:
    """A season of operation: open daily for a long range (T5)."""
    kinds = title.kinds
    # R1a: a place page ("Salmon Hatchery": "open daily dawn to dusk ... salmon return Sept-Nov")
    # names only a place in its title and the season in its prose; the season belongs to an
    # offering there. A card whose date fields give the season ("Ice Rink", Nov 28 - Jan 4) is
    # the seasonal offering itself.
    # "Ice rink" names a place and a seasonal offering alike; a season of its own decides (T5).
    if timing.season and any(
        kind == "place" and NOUN_PATTERNS["seasonal"].fullmatch(title.subject[start:end])
        for start, end, kind in title.hits
    ):
        kinds = kinds | {"seasonal"}
        features.fire("title-seasonal", "place or seasonal noun, with a season")
    # A place at its own street address keeps its season even on a dated card ("Colman Pool",
    # address given, Jun 20 - Sep 7): R1a seasonal hours.
    own_address = "address" in features and "hosted-elsewhere" not in features and not title.hosted
    place_titled = (
        title.head_kind == "place"
        and not kinds & {"seasonal", "feature", "event", "garden"}
        and (not text.timing or own_address)
    )
    if (
        timing.season
        and timing.daily
        and not timing.start_times
        and "continuous-show" not in features
        and not place_titled
    ):
        features.fire("seasonal-operation")
        if _FESTIVAL.search(title.subject):
            # R4a: a farm's "Fall Festival" open every weekend for weeks is its season.
            features.fire("seasonal-festival")


def _weekly_features(text: ListingText, timing: TimingFacts, camp: bool, features: Features) -> None:
    """Weekly slots versus a week of opening hours; no dates at all."""
    fire = features.fire
    dates, times, date_source = timing.dates, timing.times, timing.source
    if timing.recurring:
        fire("recurring-weekly")
    # A weekday with a time ("Fridays 6-8pm") is a slot; "Open Tue-Sat 10-5" is opening hours.
    weekday_range = WEEKDAY_RANGE.search(date_source) is not None
    timed_weekday = timing.has_weekday and bool(times.singles or times.ranges) and not weekday_range
    if dates.count == 0 and (timing.day_slot or timed_weekday):
        fire("weekday-slot")
    if dates.count == 0 and dates.month_span < 0 and not text.timing and not timing.recurring:
        fire("no-dates")
    if weekday_range and times.ranges and dates.count == 0 and not camp and _WEEK_HOURS.search(date_source):
        fire("hours", "weekday-range hours")


def named_day_features(text: ListingText, timing: TimingFacts, features: Features) -> None:
    """One happening whose day is named but not dated: a free admission day, "date to be
    announced", "tonight", "this Saturday"."""
    everything = text.everything
    if _FREE_ADMISSION_DAY.search(everything):
        features.fire("free-admission-day")
    if _DATE_TBA.search(everything):
        # "Date to be announced": one happening whose day is not fixed yet.
        features.fire("date-tba")
    if _RELATIVE_DAY.search(everything) and not timing.recurring:
        # "Tonight!!", "this Saturday": a social-media post about one happening.
        features.fire("relative-date")
