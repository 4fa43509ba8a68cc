"""How many days a listing names and how long its ranges run: the classifier's day counter.

`famact.normalize.dates` turns a date text into calendar dates; the classifier (famact.classify)
needs less and more at once: only how many distinct days a listing names, how long a range runs
and whether it gives clock start times or opening-hour ranges, but across running text and forms
`dateparser` does not handle ("Dec 6, 7, 13, 14", "June 22-26", "1/9-2/27", "9月13日至12月20日",
"3월 14일", "4 tháng 10", "week of July 13", "Oct 31 5-7pm"). So it reads folded text
(`famact.normalize.text.fold_words`) with small regular expressions and never places a year.
ISO datetimes from feeds ("2026-12-06T10:00:00-08:00") are rewritten first so their offset is
not read as a time range. Month words come from `famact.normalize.calendar_words`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from famact.normalize.calendar_words import MONTH_WORDS

# Longest first, so "september" is not read as "sep" + "tember".
_MONTH = r"(?P<{0}>" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + r")\.?"
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


def month_group(name: str) -> str:
    """A month word as the named group `name` ("dec", "december.", "diciembre")."""
    return _MONTH.format(name)


def day_group(name: str) -> str:
    """A day of the month as the named group `name` ("6", "06", "6th")."""
    return _DAY.format(name)



def _month(text: str) -> int:
    return MONTH_WORDS[text.rstrip(".")]


def _doy(month: int, day: int) -> int:
    return _CUM_DAYS[month - 1] + max(1, min(day, 31))


def _span(m1: int, d1: int, m2: int, d2: int) -> int:
    """Days from (m1, d1) to (m2, d2), wrapping over New Year (Nov 28 - Jan 4 = 37)."""
    return (_doy(m2, d2) - _doy(m1, d1)) % 365


# An English weekday, full or abbreviated, as a regular-expression fragment.
WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Jan 6 - Feb 24 / November 28, 2025 - January 3, 2026
    re.compile(
        rf"\b{month_group('m1')}\s+{day_group('d1')}(?:,?\s*\d{{4}})?\s*(?:-|to|through|until|al|a)\s*"
        rf"(?:\w+,?\s+)?{month_group('m2')}\s+{day_group('d2')}\b{_NOT_TIME}"
    ),
    # 10 de enero - 28 de febrero, 20 Dec 2025 - 4 Jan 2026
    re.compile(
        rf"\b{day_group('d1')}\s+(?:de\s+)?{month_group('m1')}(?:,?\s*\d{{4}})?\s*(?:-|a|al|hasta|to|through)\s*(?:el\s+)?"
        rf"{day_group('d2')}\s+(?:de\s+)?{month_group('m2')}\b"
    ),
    # 13 al 17 de julio
    re.compile(rf"\b{day_group('d1')}\s*(?:-|al|a|y)\s*{day_group('d2')}\s+de\s+{month_group('m1')}"),
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
        rf"(?:{WEEKDAY},?\s+)?(?P<m2n>1[0-2]|0?[1-9])/(?P<d2>[0-3]?\d)(?:/\d{{2,4}})?(?![\d/])"
    ),
    # June 22-26, Feb 17-19, Dec 22-23 (same month)
    re.compile(rf"\b{month_group('m1')}\s+{day_group('d1')}\s*-\s*{day_group('d2')}\b{_NOT_TIME}"),
)
_SINGLE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Dec 6, 7, 13 & 14 -> a list; the first day is captured, the rest counted below
    re.compile(
        rf"\b{month_group('m1')}\s+{day_group('d1')}\b{_NOT_TIME}(?P<more>(?:\s*(?:,|&|and"
        rf"|y)\s*[0-3]?\d\b{_NOT_TIME}(?!\s*-\s*\d))*)"
    ),
    re.compile(rf"\b{day_group('d1')}\s+(?:de\s+)?{month_group('m1')}\b(?P<more>)"),
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
    rf"\b(?:through|until|till|to|hasta(?: el)?)\s+(?:(?:{WEEKDAY}),?\s+)?"
    rf"(?:{month_group('m1')}\s+{day_group('d1')}"
    rf"|{day_group('d2')}\s+de\s+{month_group('m2')}"
    r"|(?:1[0-2]|0?[1-9])/[0-3]?\d)\b"
    r"|(?:即日起|即日|现在起|起)\s*-\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{1,2}\s*월\s*\d{1,2}\s*일\s*까지"
)
# A range of whole months or named seasons: "May through October", "Jan-Mar", "Memorial Day
# weekend through Labor Day", "Thanksgiving to Christmas".
_MONTH_RANGE = re.compile(
    rf"\b(?:mid-?|early |late )?{month_group('m1')}\s*(?:-|to|through|until|a|hasta)\s*(?:mid-?|early "
    rf"|late )?{month_group('m2')}\b"
)
_NAMED_SEASON = re.compile(
    r"memorial day(?: weekend)? (?:through|to|-) labor day|thanksgiving (?:through|to|-) (?:christmas"
    r"|new year)"
    r"|\ball (?:summer|season|month)(?: long)?\b|\bduring the holidays\b|\bholiday season\b"
    rf"|\b(?:weekends?|nights?|evenings?|fridays?|saturdays?|sundays?|daily|nightly|open|every day) in "
    rf"(?:{'|'.join(MONTH_WORDS)})\b"
    r"|\bthrough (?:the )?(?:new year'?s?|christmas|labor day|halloween|thanksgiving)\b"
    r"|\d{1,2}월 한 ?달|\bhang (?:nam|mua)\b"
    r"|\bfrom (?:mid-)?\w+ (?:to|through) \w+\b"
)
# "Week of July 13": a Monday-to-Friday week, like "July 13-17".
_WEEK_OF = re.compile(rf"\bweek of\s+(?:{WEEKDAY},?\s+)?{month_group('m1')}\s+{day_group('d1')}\b")

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
    rf"(?:daily|nightly|open|hours:?|weekdays|weekends|{WEEKDAY}s?|dawn to|\bm-f)"
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

# "Register by Nov 5", "apply by 12/15", "deadline: March 1": the last day to sign up, not a day
# the thing happens (a one-day camp with a deadline is still one day).
_DEADLINE = re.compile(
    r"\b(?:(?:register|registration|sign[- ]?ups?|enrol(?:l|lment)?|apply|applications?|rsvp|book|order)"
    r"\w*\s+(?:is\s+|are\s+)?(?:due\s+)?(?:by|before|closes?|ends?|due)|deadline(?: to \w+)?:?"
    r"|(?:due|closes)\s+(?:by|on))"
    rf"\s+(?:on\s+)?(?:{WEEKDAY},?\s+)?(?:{month_group('m1')}\.?\s+{day_group('d1')}\b|(?:1[0-2]|0?[1-9])/[0-3]?\d\b)"
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


def _on_week(match: re.Match[str], facts: DateFacts) -> str:
    """"Week of July 13": a Monday-to-Friday week, like "July 13-17"."""
    month, day = _month(match.group("m1")), int(match.group("d1"))
    if 1 <= day <= 31:
        facts.dates.update({(month, day), (month, min(day + 4, 31))})
        facts.max_span = max(facts.max_span, 4)
    return " <range> "


def _on_range(match: re.Match[str], facts: DateFacts) -> str:
    """A range of days; its two ends count as dates, its length as a span."""
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


def _on_single(match: re.Match[str], facts: DateFacts) -> str:
    """One date, or a list of days in one month ("Dec 6, 7, 13 & 14")."""
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


def read_dates(text: str) -> DateFacts:
    """Specific dates and date ranges in folded text (see the module docstring for why regex).

    Each form read is replaced by a placeholder, so a range is not read again as two dates.
    """
    facts = DateFacts()
    rest = _DEADLINE.sub(" <deadline> ", _iso_to_text(text).replace("至", "-").replace("到", "-"))
    rest = _WEEK_OF.sub(lambda match: _on_week(match, facts), rest)
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(lambda match: _on_range(match, facts), rest)
    rest, until = _UNTIL_DATE.subn(" <until> ", rest)
    facts.until = until > 0
    for pattern in _SINGLE_PATTERNS:
        rest = pattern.sub(lambda match: _on_single(match, facts), rest)
    for match in _MONTH_RANGE.finditer(rest):
        span = _span(_month(match.group("m1")), 1, _month(match.group("m2")), 28)
        facts.month_span = max(facts.month_span, span)
    if _NAMED_SEASON.search(rest):
        facts.month_span = max(facts.month_span, 30)
    return facts


@dataclass
class TimeFacts:
    """How many time ranges (slots, opening hours) and single start times a text gives."""

    ranges: int = 0  # "10am-4pm", "9:00-9:30a"
    singles: int = 0  # "7:30pm", "at 10:15am": start times


def read_times(text: str) -> TimeFacts:
    """Time ranges and single clock times in folded text."""
    facts = TimeFacts()
    rest, facts.ranges = _TIME_RANGE.subn(" <trange> ", _iso_to_text(text))
    rest = _END_TIME.sub(" <end> ", rest)  # "until 8pm" closes something, it starts nothing
    rest, local = _ZH_TIME_RANGE.subn(" <trange> ", rest)
    facts.ranges += local
    rest, bare = _CONTEXT_BARE_RANGE.subn(" <trange> ", rest)
    facts.ranges += bare
    facts.singles = len(_SINGLE_TIME.findall(rest)) + len(_ZH_TIME.findall(rest))
    return facts
