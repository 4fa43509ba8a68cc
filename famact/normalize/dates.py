"""When something happens: free text from calendars and activity guides -> canonical fields.

Input is whatever a page prints ("Sat, Dec 5 | 10-11:30am", "Saturdays, Jan 10 – Mar 14",
"1/9-2/27", "del 9 de enero al 27 de febrero", "12月5日", a JSON-LD `startDate`). Output is a
`When`: local dates (America/Los_Angeles), "HH:MM" 24h times, days of week, dated occurrences.

Why a grammar of our own first: the common US forms are few, and a small tokenizer with
explicit rules gives predictable answers, above all for the year of a year-less date, which
`dateparser` guesses from the clock. `dateparser` is kept as a fallback for the long tail of
other languages and spellings, wrapped so that it can never invent a year, a time zone or a
date from a bare number (see `_dateparser_fallback`).

Year inference (the product owner's rule, pinned by tests): a stated year wins; otherwise a
season/page context ("Winter 2027", "2026-27 School Year", "December 2026") decides;
otherwise the current year, unless that is more than 90 days past (then next year). A range
is placed by its end date, and crosses into the next year when its end month is earlier than
its start month. `archive=True` (a page of past events) takes the latest date not after today.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from famact.constants import TIMEZONE, WEEKDAYS, Weekday
from famact.models import MAX_OCCURRENCES
from famact.normalize.calendar_words import MONTHS, MONTHS_EN, WEEKDAY_LABELS, WEEKDAY_STEMS
from famact.normalize.text import clean_text, fold

OccurrenceTuple = tuple[date, str | None, str | None]

RECENT_PAST_DAYS = 90  # a year-less date up to this far back is a recent past date
# A year-less date further ahead than this, whose previous-year twin is recent past, is the
# previous year's (crawled on Jan 5, "Dec 20" is last December, not next December).
FAR_FUTURE_DAYS = 300
# A date range shorter than this (a camp week, a festival weekend) lists each of its days as
# an occurrence; a longer one (an exhibit) is only a span. Same rule as famact.listing.
MULTI_DAY_RUN_DAYS = 14


class DateParseError(ValueError):
    """A date or date-time string that should be machine-readable is not."""


@dataclass(frozen=True)
class When:
    start_date: date | None = None
    end_date: date | None = None
    start_time: str | None = None  # "HH:MM" 24h, local America/Los_Angeles
    end_time: str | None = None
    days_of_week: tuple[Weekday, ...] = ()
    occurrences: tuple[OccurrenceTuple, ...] = ()  # sorted, de-duplicated
    recurring: bool = False
    session_count: int | None = None
    parsed: bool = False


# --------------------------------------------------------------------------------------------
# Vocabularies

_WEEKDAY_WORDS: dict[str, Weekday] = {w: d for d, words in WEEKDAY_STEMS.items() for w in words}
# Spanish "mar" is March far more often than martes: only full weekday words are safe in dates.
_AMBIGUOUS_WEEKDAY = {"mar", "sun", "dom", "vie", "jue", "lun", "sab", "mie"}
_CN_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CODE_DAYS: dict[str, Weekday] = {
    "m": Weekday.MONDAY, "mo": Weekday.MONDAY, "t": Weekday.TUESDAY, "tu": Weekday.TUESDAY,
    "w": Weekday.WEDNESDAY, "we": Weekday.WEDNESDAY, "th": Weekday.THURSDAY,
    "r": Weekday.THURSDAY, "f": Weekday.FRIDAY, "fr": Weekday.FRIDAY,
    "sa": Weekday.SATURDAY, "su": Weekday.SUNDAY, "u": Weekday.SUNDAY,
}  # fmt: skip

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "doce": 12,
}  # fmt: skip

_RANGE_WORDS = r"-|~|〜|\bto\b|\bthru\b|\bthrough\b|\buntil\b|\btill\b|\btil\b|\bhasta\b|\bal\b|\ba\b|至|到"
_SEASON_MONTHS: dict[str, tuple[int, int]] = {
    # (first month, last month) of the season; winter starts in December of the year before
    "winter": (12, 3), "invierno": (12, 3), "冬": (12, 3),
    "spring": (3, 6), "primavera": (3, 6), "春": (3, 6),
    "summer": (6, 9), "verano": (6, 9), "夏": (6, 9),
    "fall": (9, 12), "autumn": (9, 12), "otoño": (9, 12), "otono": (9, 12), "秋": (9, 12),
}  # fmt: skip


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH_ALT = _alternation(list(MONTHS))
_WEEKDAY_ALT = _alternation(list(_WEEKDAY_WORDS))


# --------------------------------------------------------------------------------------------
# Times


def _atom(p: str) -> str:
    """One clock time; group names are prefixed so two atoms can sit in one pattern."""
    return (
        rf"(?:(?P<{p}w>noon|midday|mid-day|midnight|mediod[ií]a|medianoche)"
        rf"|(?<![\d:.,/$€£])(?P<{p}h>\d{{1,2}})(?:\s*(?P<{p}sep>[:.h])\s*(?P<{p}m>[0-5]\d))?(?![\d/])"
        rf"(?:\s*(?P<{p}mer>a\.?\s?m\b\.?|p\.?\s?m\b\.?|(?<=\d)[ap]\b|de\s+la\s+(?:mañana|manana|tarde|noche)"
        rf"|en\s+la\s+(?:mañana|manana|tarde|noche)))?)"
    )


_TIME_SEP = r"\s*(?:-|~|〜|\bto\b|\bthru\b|\buntil\b|\btill\b|\btil\b|\bhasta\b|\ba\b|至|到)\s*"
_TIME_RANGE_RE = re.compile(rf"{_atom('a')}{_TIME_SEP}{_atom('b')}", re.IGNORECASE)
_TIME_SINGLE_RE = re.compile(
    rf"(?P<pre>@|\bat\b|\ba\s+las?\b|\bstarts?\b|\bstarting\b|\bbegins?\b|\bfrom\b|\bdesde\b)?\s*{_atom('s')}",
    re.IGNORECASE,
)
_CN_TIME_RE = re.compile(
    r"(?P<part>上午|早上|早晨|中午|下午|傍晚|晚上)?\s*(?P<h>\d{1,2})\s*(?:[:：]\s*(?P<m>\d{2})|[点點时時]"
    r"\s*(?:(?P<m2>\d{1,2})\s*分|(?P<half>半))?)"
)


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    meridiem: str | None  # "am" / "pm" / None
    explicit_24h: bool  # zero-padded or >= 13: read literally
    has_minutes: bool
    word: str | None = None


def _clock(match: re.Match[str], p: str) -> _Clock | None:
    word = match.group(f"{p}w")
    if word:
        word = word.lower()
        if word.startswith(("noon", "mid", "medi")) and "night" not in word and "noche" not in word:
            return _Clock(12, 0, "pm", True, True, "noon")
        return _Clock(0, 0, "am", True, True, "midnight")
    hour_text = match.group(f"{p}h")
    if hour_text is None:
        return None
    hour = int(hour_text)
    minute_text = match.group(f"{p}m")
    sep = match.group(f"{p}sep")
    mer_text = (match.group(f"{p}mer") or "").lower().replace(".", "").replace(" ", "")
    meridiem: str | None = None
    if mer_text.startswith("a") or mer_text.endswith("mañana") or mer_text.endswith("manana"):
        meridiem = "am"
    elif mer_text.startswith("p") or mer_text.endswith(("tarde", "noche")):
        meridiem = "pm"
    if sep == "." and meridiem is None:
        return None  # "2.5" or "$85.50" is not a time
    if hour > 23 or (meridiem and not 1 <= hour <= 12):
        return None
    return _Clock(
        hour,
        int(minute_text) if minute_text else 0,
        meridiem,
        explicit_24h=hour >= 13 or hour == 0 or (len(hour_text) == 2 and hour_text.startswith("0")),
        has_minutes=minute_text is not None,
    )


def _h24(clock: _Clock, meridiem: str | None) -> int:
    if meridiem == "am":
        return 0 if clock.hour == 12 else clock.hour
    if meridiem == "pm":
        return clock.hour if clock.hour == 12 else clock.hour + 12
    return clock.hour


def _guess_bare(clock: _Clock) -> int:
    """A time printed without am/pm: 1-7 are afternoon or evening on family calendars
    ("@ 7" is a 7pm show), 8-12 as written."""
    if clock.explicit_24h or clock.meridiem:
        return _h24(clock, clock.meridiem)
    return clock.hour + 12 if 1 <= clock.hour <= 7 else clock.hour


def _fmt(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _resolve_range(a: _Clock, b: _Clock) -> tuple[str, str]:
    if a.word == "midnight":
        a_h = 0
    elif a.meridiem or a.explicit_24h:
        a_h = _h24(a, a.meridiem)
    elif b.meridiem and b.word is None:
        # "10-11:30am": the start shares the end's meridiem unless that puts it after the end
        # ("11-1pm" is 11am-1pm).
        a_h = _h24(a, b.meridiem)
        if a_h * 60 + a.minute > _h24(b, b.meridiem) * 60 + b.minute:
            a_h = _h24(a, "am" if b.meridiem == "pm" else "pm")
    elif b.word == "noon":
        a_h = _h24(a, "am")  # "10-noon"
    else:
        a_h = _guess_bare(a)
    if b.word == "midnight":
        return _fmt(a_h, a.minute), "23:59"
    if b.meridiem or b.explicit_24h:
        b_h = _h24(b, b.meridiem)
    else:
        # "10am-12" / "2-4": the end is the first reading after the start
        b_h = b.hour
        while b_h * 60 + b.minute <= a_h * 60 + a.minute and b_h + 12 <= 23:
            b_h += 12
    return _fmt(a_h, a.minute), _fmt(b_h, b.minute)


def _cn_times(text: str) -> str:
    """Rewrite Chinese clock times ("下午2点半") to "2:30pm" so one grammar reads them."""

    def repl(m: re.Match[str]) -> str:
        hour = int(m.group("h"))
        minute = int(m.group("m") or m.group("m2") or (30 if m.group("half") else 0))
        part = m.group("part")
        if part in ("下午", "傍晚", "晚上") and hour < 12:
            return f" {hour}:{minute:02d}pm "
        if part in ("上午", "早上", "早晨") and hour <= 12:
            return f" {hour}:{minute:02d}am "
        if part == "中午":
            return f" {hour}:{minute:02d}{'pm' if hour in (12, 1, 2) else ''} "
        return f" {hour:02d}:{minute:02d} " if hour >= 13 else f" {hour}:{minute:02d} "

    return _CN_TIME_RE.sub(repl, text)


def _prep(text: str) -> str:
    text = fold(text)
    text = re.sub(r"\b12\s*(noon|midnight)\b", r"\1", text)
    text = re.sub(r"\b(a\.m\.|p\.m\.)", lambda m: m.group(1).replace(".", ""), text)
    # Only for Chinese text: the rewrite would also touch ISO date-times.
    return _cn_times(text) if re.search(r"[\u4e00-\u9fff]", text) else text


_Slot = tuple[str, str | None]


def _find_times(text: str, loose: bool = False) -> tuple[list[_Slot], list[tuple[int, int]], bool]:
    """Clock slots in `text` (already `_prep`ed), their spans, and whether the slots form a
    list ("10am & 2pm": several showings) rather than unrelated times.

    `loose` is for a field known to hold times: there "10-5" is a time range, while in a
    date text it could be days or October 5.
    """
    found: list[tuple[int, int, _Slot]] = []
    taken: list[tuple[int, int]] = []
    for m in _TIME_RANGE_RE.finditer(text):
        a, b = _clock(m, "a"), _clock(m, "b")
        if a is None or b is None:
            continue
        anchored = any(c.meridiem or c.has_minutes or c.word for c in (a, b))
        if not anchored and not (loose and a.hour <= 12 and b.hour <= 12):
            continue  # "22-26", "5-12": days or ages, not times
        if not anchored and re.search(r"(?:ages?|grades?|edad(?:es)?|\$|#|no\.?)\s*$", text[: m.start()]):
            continue  # even in a time field "ages 5-12" is not a time
        start, end = _resolve_range(a, b)
        if not anchored and end <= start:
            continue
        found.append((m.start(), m.end(), (start, end)))
        taken.append((m.start(), m.end()))
    for m in _TIME_SINGLE_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        c = _clock(m, "s")
        if c is None:
            continue
        if not (c.meridiem or c.has_minutes or c.word or m.group("pre")):
            continue
        if c.word == "midnight":
            slot: _Slot = ("00:00", None)
        else:
            slot = (_fmt(_guess_bare(c), c.minute), None)
        found.append((m.start(), m.end(), slot))
        taken.append((m.start(), m.end()))
    found.sort()
    is_list = len(found) > 1 and all(
        re.fullmatch(r"[\s,&/;|+]*(?:and|or|y|o|&)?[\s,&/;|+]*", text[found[i][1] : found[i + 1][0]])
        for i in range(len(found) - 1)
    )
    return [s for _, _, s in found], [(s, e) for s, e, _ in found], is_list


def parse_time_range(text: str) -> tuple[str | None, str | None]:
    """The first clock time or time range in `text` as ("HH:MM", "HH:MM"|None) 24h."""
    cleaned = clean_text(text)
    if not cleaned:
        return None, None
    slots, _, _ = _find_times(_prep(cleaned), loose=True)
    return slots[0] if slots else (None, None)


# --------------------------------------------------------------------------------------------
# Days of week

_PLURAL_DAY_RE = re.compile(
    r"\b(mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|sabados|sábados|domingos"
    r"|mon's|tue's|wed's|thu's|fri's|sat's|sun's|sats|suns)\b"
)
_EVERY_RE = re.compile(
    rf"\b(?:every|each|todos\s+los|todas\s+las|cada|los)\s+(?:other\s+)?(?:{_WEEKDAY_ALT})\b|每[周週逢]?|每星期|每个?礼拜"
)
_WEEKLY_RE = re.compile(r"\b(?:weekly|every\s+week|each\s+week|semanal(?:mente)?|cada\s+semana)\b|每周|每週")
_DAILY_RE = re.compile(
    r"\b(?:daily|every\s*day|each\s+day|todos\s+los\s+d[ií]as|diariamente|diario)\b|每天|每日|天天"
)
_WEEKDAYS_RE = re.compile(
    r"\b(?:weekdays|week\s*days|every\s+weekday|(?:d[ií]as\s+)?entre\s+semana|d[ií]as\s+de\s+semana)\b|工作日"
)
_WEEKENDS_RE = re.compile(r"\b(?:weekends?|fines?\s+de\s+semana)\b|周末|週末")
_DAY_WORD_RE = re.compile(rf"(?<![\w])(?P<d>{_WEEKDAY_ALT})(?:'?s)?\.?(?![\w])")
_DAY_RANGE_RE = re.compile(
    rf"(?<![\w])(?P<a>{_WEEKDAY_ALT})(?:'?s)?\.?\s*(?:-|\bto\b|\bthru\b|\bthrough\b|\ba\b|\bal\b)\s*"
    rf"(?P<b>{_WEEKDAY_ALT})(?:'?s)?\.?(?![\w])"
)
_CN_DAY_RE = re.compile(r"(?:星期|礼拜|禮拜|周|週)(?P<d>[一二三四五六日天])")
_CN_DAY_RANGE_RE = re.compile(
    r"(?:星期|礼拜|禮拜|周|週)(?P<a>[一二三四五六日天])\s*(?:至|到|-|~)\s*(?:星期|礼拜|禮拜|周|週)?(?P<b>[一二三四五六日天])"
)
# Short codes ("M/W", "Tu/Th", "M-F", "MWF", "TTh"), read case-sensitively on the original
# text: a lone "M" or "W" is only a day inside such a list.
_CODE = r"(?:T[hH]|T[uU]|S[aA]|S[uU]|M[oO]|W[eE]|F[rR]|[MTWRFU])"
_CODE_LIST_RE = re.compile(
    rf"(?<![A-Za-z0-9]){_CODE}(?:\s*(?:/|,|&|\+|-|–|—|\band\b)\s*{_CODE})+(?![A-Za-z0-9'])"
)
_CODE_RUN_RE = re.compile(r"(?<![A-Za-z])(?:Th|Tu|Sa|Su|M|T|W|R|F){2,6}(?![A-Za-z])")
_CODE_ALONE_RE = re.compile(r"(?<![A-Za-z0-9])(Sa|SA|Su|SU|Th|TH)\.?(?![A-Za-z0-9'])")


def _span_days(a: int, b: int) -> list[int]:
    days = [a]
    while days[-1] != b and len(days) < 7:
        days.append((days[-1] + 1) % 7)
    return days


def _day_index(word: str) -> int:
    return WEEKDAYS.index(_WEEKDAY_WORDS[word])


_CODE_PAIRS = {"MW", "WF", "TTh", "TuTh", "TR", "MF", "SaSu", "ThF", "MTh", "TF"}


def _code_days(text: str) -> tuple[set[int], bool]:
    """Days from short codes and whether they were a schedule ("M/W", "MWF") rather than a
    lone "Sa" naming one date's day."""
    days: set[int] = set()
    listed = False
    for m in _CODE_LIST_RE.finditer(text):
        parts = re.split(r"\s*(/|,|&|\+|-|–|—|\band\b)\s*", m.group(0))
        codes, seps = parts[0::2], parts[1::2]
        idx = [WEEKDAYS.index(_CODE_DAYS[c.lower()]) for c in codes]
        days.add(idx[0])
        for i, sep in enumerate(seps):
            if sep in ("-", "–", "—"):
                days.update(_span_days(idx[i], idx[i + 1]))
            else:
                days.add(idx[i + 1])
        listed = True
    for m in _CODE_RUN_RE.finditer(text):
        run = m.group(0)
        codes = re.findall(r"Th|Tu|Sa|Su|M|T|W|R|F", run)
        # Two-letter runs are mostly other abbreviations ("FT", "MT"): only known pairs count.
        if len(codes) < 3 and run not in _CODE_PAIRS:
            continue
        prev = -1
        for code in codes:
            d = WEEKDAYS.index(_CODE_DAYS[code.lower()])
            if code == "T" and prev >= 2:
                d = 3  # "MTWTF": a T after Wednesday is Thursday
            days.add(d)
            prev = d
        listed = True
    for m in _CODE_ALONE_RE.finditer(text):
        days.add(WEEKDAYS.index(_CODE_DAYS[m.group(1).lower()]))
    whole = text.strip().rstrip(".").lower()
    if not days and whole in _CODE_DAYS and whole not in ("t", "r"):
        # A field that is nothing but one code ("Tu", "F" in a Days column) is a schedule.
        days.add(WEEKDAYS.index(_CODE_DAYS[whole]))
        listed = True
    return days, listed


def _is_weekday_word(text: str, m: re.Match[str]) -> bool:
    word = m.group("d")
    if word not in _AMBIGUOUS_WEEKDAY:
        return True
    if word in MONTHS:
        return False  # "mar" is March
    # "sun", "dom", "vie"...: a day only when abbreviated with a dot or followed by a list,
    # a range or a number ("Sun 10am", "Sat/Sun"), and never "the sun".
    if text[max(0, m.start() - 4) : m.start()] == "the ":
        return False
    return m.group(0).endswith(".") or bool(re.match(r"\s*(?:[,/&+-]|\d|$)", text[m.end() :]))


def _weekdays(original: str) -> tuple[tuple[Weekday, ...], bool]:
    """Days of week named in `original` and whether they describe a repetition.

    "Tuesdays", "every Tuesday", "M/W", "Mon-Fri", "weekdays" repeat; a lone "Sat," before
    a date ("Sat, Dec 5") only names the day of that date.
    """
    text = fold(original)
    days: set[int] = set()
    recurring = False
    if _DAILY_RE.search(text):
        days.update(range(7))
        recurring = True
    if _WEEKDAYS_RE.search(text):
        days.update(range(5))
        recurring = True
    weekend = _WEEKENDS_RE.search(text)
    if weekend:
        days.update((5, 6))
        word = weekend.group(0)
        recurring = recurring or word.endswith(("ends", "fines de semana", "末")) or "every" in text
    for m in _DAY_RANGE_RE.finditer(text):
        if m.group("a") in MONTHS or m.group("b") in MONTHS:
            continue
        days.update(_span_days(_day_index(m.group("a")), _day_index(m.group("b"))))
        recurring = True
    for m in _CN_DAY_RANGE_RE.finditer(original):
        days.update(_span_days(_CN_WEEKDAY[m.group("a")], _CN_WEEKDAY[m.group("b")]))
        recurring = True
    for m in _DAY_WORD_RE.finditer(text):
        if _is_weekday_word(text, m):
            days.add(_day_index(m.group("d")))
    for m in _CN_DAY_RE.finditer(original):
        days.add(_CN_WEEKDAY[m.group("d")])
    codes, listed = _code_days(clean_text(original) or "")
    days.update(codes)
    recurring = recurring or listed
    if _PLURAL_DAY_RE.search(text) or _EVERY_RE.search(text) or (days and _WEEKLY_RE.search(text)):
        recurring = True
    return tuple(WEEKDAYS[d] for d in sorted(days)), recurring and bool(days)


def parse_days(text: str) -> tuple[Weekday, ...]:
    """Every day of week named in `text`, Monday first: "Tu/Th", "Mon-Fri", "weekends"."""
    if not text:
        return ()
    return _weekdays(text)[0]


# --------------------------------------------------------------------------------------------
# Context and year inference


@dataclass(frozen=True)
class _Span:
    start: date
    end: date


def _context_span(context: str | None) -> _Span | None:
    """The stretch of time a page or section header names: "Winter 2027" is Dec 2026 - Mar
    2027, "2026-27 School Year" is Sep 2026 - Jun 2027, "December 2026" is that month."""
    if not context:
        return None
    text = fold(clean_text(context) or "")
    # Copyright lines name the site's year, not the listings'.
    text = re.sub(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?\d{4}", " ", text)
    two = re.search(r"(?<!\d)(20\d{2})\s*[-/]\s*(20)?(\d{2})(?!\d)", text)
    if two and int((two.group(2) or "20") + two.group(3)) == int(two.group(1)) + 1:
        first = int(two.group(1))
        if any(w in text for w in ("winter", "invierno", "冬")):
            return _Span(date(first, 12, 1), date(first + 1, 3, 31))
        return _Span(date(first, 9, 1), date(first + 1, 6, 30))  # a school year
    one = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    if not one:
        return None
    year = int(one.group(1))
    month = re.search(rf"\b({_MONTH_ALT})\.?\s*,?\s*{year}", text)
    if month:
        mo = MONTHS[month.group(1)]
        nxt = date(year + (mo == 12), mo % 12 + 1, 1)
        return _Span(date(year, mo, 1), nxt - timedelta(days=1))
    for word, (m1, m2) in _SEASON_MONTHS.items():
        if word in text:
            if m1 > m2:  # winter: December belongs to the year before the named one
                return _Span(date(year - 1, m1, 1), date(year, m2, 31))
            last = date(year + (m2 == 12), m2 % 12 + 1, 1) - timedelta(days=1)
            return _Span(date(year, m1, 1), last)
    return _Span(date(year, 1, 1), date(year, 12, 31))


def season_year(context: str | None) -> int | None:
    """The year a page or section header names ("Winter 2027" -> 2027); for a school year
    or season spanning two years ("2026-27 School Year") the first one (2026)."""
    if not context:
        return None
    text = fold(clean_text(context) or "")
    text = re.sub(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?\d{4}", " ", text)
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    return int(m.group(1)) if m else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _feb29_safe(year: int, month: int, day: int) -> date:
    # Feb 29 in a non-leap candidate year: compare as Feb 28 (only used for distances).
    return _safe_date(year, month, day) or date(year, month, 28)


def _in_span_year(month: int, day: int, span: _Span) -> int:
    def distance(year: int) -> int:
        d = _feb29_safe(year, month, day)
        if d < span.start:
            return (span.start - d).days
        if d > span.end:
            return (d - span.end).days
        return 0

    years = range(span.start.year - 1, span.end.year + 2)
    return min(years, key=lambda y: (distance(y), abs(y - span.start.year)))


def _basic_year(month: int, day: int, today: date, archive: bool) -> int:
    """This year, or next year when that is more than 90 days past (archive: the latest
    date not after today)."""
    year = today.year
    if archive:
        return year if _feb29_safe(year, month, day) <= today else year - 1
    if _feb29_safe(year, month, day) < today - timedelta(days=RECENT_PAST_DAYS):
        return year + 1
    return year


def infer_year(
    month: int, day: int, *, today: date, context_year: int | None = None, archive: bool = False
) -> int:
    """The year of a year-less month/day (see the module docstring for the rule)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise DateParseError(f"month/day out of range: month={month!r} day={day!r}")
    if context_year is not None:
        return context_year
    year = _basic_year(month, day, today, archive)
    if archive or year != today.year:
        return year
    candidate = _feb29_safe(year, month, day)
    if (candidate - today).days > FAR_FUTURE_DAYS:
        previous = _feb29_safe(year - 1, month, day)
        if previous >= today - timedelta(days=RECENT_PAST_DAYS):
            return year - 1
    return year


def expand_weekly(start: date, end: date, days: tuple[Weekday, ...], limit: int) -> list[date]:
    """Every date from `start` to `end` (inclusive) that falls on one of `days`, at most
    `limit` of them."""
    if limit < 0:
        raise ValueError(f"expand_weekly limit must not be negative, got {limit!r}")
    wanted = {WEEKDAYS.index(d) for d in days}
    out: list[date] = []
    if not wanted:
        return out
    current = start
    while current <= end and len(out) < limit:
        if current.weekday() in wanted:
            out.append(current)
        current += timedelta(days=1)
    return out


_PACIFIC_OFFSETS = (timedelta(hours=-8), timedelta(hours=-7))


def to_local(dt_text: str) -> tuple[date, str | None]:
    """An ISO 8601 date or date-time (JSON-LD `startDate`) -> local date and "HH:MM".

    With `Z` or a non-Pacific offset it is converted to America/Los_Angeles; with a Pacific
    offset (-08:00 / -07:00) or none, the wall-clock time is taken as written. A bare date has
    no time.
    """
    text = (dt_text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text), None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError as exc:
        raise DateParseError(f"not an ISO 8601 date-time: {dt_text!r}") from exc
    if parsed.tzinfo is not None:
        offset = parsed.utcoffset()
        if offset is not None and offset in _PACIFIC_OFFSETS:
            # A Pacific offset means the page's own wall-clock time. Sites often write one
            # fixed offset all year (-08:00 in July): converting would shift times by an hour.
            parsed = parsed.replace(tzinfo=None)
        else:
            parsed = parsed.astimezone(TIMEZONE)
    time_text = None
    if re.search(r"[T ]\d{2}:?\d{2}", text):
        time_text = _fmt(parsed.hour, parsed.minute)
    return parsed.date(), time_text


# --------------------------------------------------------------------------------------------
# Date grammar

_ISO_DT_RE = re.compile(
    r"(?<!\d)\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?(?![\d:])"
)
_TOKEN_RE = re.compile(
    rf"""
    (?P<iso>(?<!\d)\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?!\d))
   |(?P<cn>(?:(?P<cny>\d{{4}})\s*年\s*)?(?<!\d)(?P<cnm>\d{{1,2}})\s*月\s*(?P<cnd>\d{{1,2}})\s*[日号號]?)
   |(?P<numdate>(?<![\d/])\d{{1,2}}/\d{{1,2}}(?:/(?:\d{{4}}|\d{{2}}))?(?![\d/]))
   |(?P<dashdate>(?<![\d-])\d{{1,2}}-\d{{1,2}}-(?:\d{{4}}|\d{{2}})(?![\d-]))
   |(?P<month>\b(?:{_MONTH_ALT})\b\.?)
   |(?P<year>(?<!\d)(?:19|20)\d{{2}}(?!\d))
   |(?P<num>(?<!\d)\d{{1,2}}(?:st|nd|rd|th|º|°|ro|er|do|vo|to)?(?!\d|:\d)(?:\s*[日号號])?)
   |(?P<range>-|~|〜|\bto\b|\bthru\b|\bthrough\b|\buntil\b|\btill\b|\btil\b|\bhasta\b|\bal\b|\ba\b|至|到)
   |(?P<list>,|&|\+|\band\b|\by\b|、|;|/|\bor\b)
   |(?P<filler>\bde\b|\bdel\b|\bof\b|\bthe\b|\bel\b|\bon\b|\bfrom\b|\bdesde\b|\bstarting\b|\bbeginning\b
      |\bstarts\b|\bbegins\b|\bonly\b|\bplus\b|\.|\(|\)|\[|\]|'|")
   |(?P<weekday>\b(?:{_WEEKDAY_ALT})(?:'?s)?\b\.?)
   |(?P<word>[^\W\d_]+)
   |(?P<other>\S)
    """,
    re.VERBOSE,
)


@dataclass
class _Tok:
    kind: str
    text: str
    start: int
    value: tuple[int | None, int, int] | int | None = None


@dataclass
class _D:
    """A date as written: the year is None when the text does not state it."""

    year: int | None
    month: int
    day: int


@dataclass
class _Group:
    kind: str  # "single" | "range" | "list"
    dates: list[_D] = field(default_factory=list)


def _two_digit_year(text: str) -> int:
    value = int(text)
    return value if len(text) == 4 else 2000 + value


def _tokenize(text: str, day_first: bool = False) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "other"
        raw = m.group(0)
        tok = _Tok(kind, raw, m.start())
        if kind == "iso":
            iy, imo, iday = (int(x) for x in re.split(r"[-/.]", raw))
            tok.value = (iy, imo, iday)
        elif kind == "cn":
            tok.kind = "date"
            cy = int(m.group("cny")) if m.group("cny") else None
            tok.value = (cy, int(m.group("cnm")), int(m.group("cnd")))
        elif kind in ("numdate", "dashdate"):
            parts = re.split(r"[/-]", raw)
            a, b = int(parts[0]), int(parts[1])
            ny = _two_digit_year(parts[2]) if len(parts) == 3 else None
            if (a > 12 or day_first) and b <= 12:
                a, b = b, a  # 27/2, or a page whose other dates are day first
            tok.value = (ny, a, b)
        elif kind == "month":
            tok.value = MONTHS[raw.rstrip(".")]
        elif kind == "year":
            tok.value = int(raw)
        elif kind == "num":
            tok.value = int(re.match(r"\d+", raw).group(0))  # type: ignore[union-attr]
        if kind in ("iso", "numdate", "dashdate"):
            tok.kind = "date"
        toks.append(tok)
    return toks


class _DateReader:
    """Reads date groups (single, range, list) from a token stream."""

    def __init__(self, toks: list[_Tok]) -> None:
        # Fillers and weekday names carry no date information for the grammar.
        # The comma after a weekday ("Tue, Feb 16") goes with it.
        kept: list[_Tok] = []
        for k, t in enumerate(toks):
            if t.kind in ("filler", "weekday"):
                continue
            if t.kind == "list" and t.text == "," and k > 0 and toks[k - 1].kind == "weekday":
                continue
            kept.append(t)
        self.toks = kept
        self.i = 0

    def peek(self, offset: int = 0) -> _Tok | None:
        j = self.i + offset
        return self.toks[j] if 0 <= j < len(self.toks) else None

    def kind(self, offset: int = 0) -> str | None:
        tok = self.peek(offset)
        return tok.kind if tok else None

    def _year_after(self) -> int | None:
        """An optional `[,] YEAR` after a date."""
        if self.kind() == "year":
            self.i += 1
            return self.toks[self.i - 1].value  # type: ignore[return-value]
        if self.kind() == "list" and self.peek().text == "," and self.kind(1) == "year":  # type: ignore[union-attr]
            self.i += 2
            return self.toks[self.i - 1].value  # type: ignore[return-value]
        return None

    def _day_ok(self, offset: int) -> bool:
        """A bare day number at `offset` continues a date only if no word follows it
        ("Dec 5, 3 sessions" is not Dec 3)."""
        tok = self.peek(offset)
        if tok is None or tok.kind != "num" or not 1 <= int(tok.value) <= 31:  # type: ignore[arg-type]
            return False
        nxt = self.kind(offset + 1)
        return nxt in (None, "list", "range", "year", "other", "date", "month")

    def read_date(self) -> list[_D] | None:
        """One date (or several days sharing a later month: "22-26 de junio") at the cursor."""
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind == "date":
            y, mo, d = tok.value  # type: ignore[misc]
            self.i += 1
            if _safe_date(2000, mo, d) is None:
                return None
            year = y if y is not None else self._year_after()
            return [_D(year, mo, d)]
        if tok.kind == "year" and self.kind(1) == "month":
            # Year first ("2020 May 20", a year column before month and day columns).
            self.i += 1
            if self._day_ok_after_month():
                dates = self.read_date()
                if dates and dates[0].year is None:
                    dates[0].year = int(tok.value)  # type: ignore[arg-type]
                return dates
            self.i -= 1
            return None
        if tok.kind == "month" and self._day_ok_after_month():
            month = int(tok.value)  # type: ignore[arg-type]
            day = int(self.toks[self.i + 1].value)  # type: ignore[arg-type]
            self.i += 2
            if _safe_date(2000, month, day) is None:
                return None
            return [_D(self._year_after(), month, day)]
        if tok.kind == "num":
            # NUM ((range|list) NUM)* MONTH: "5 December", "22-26 de junio", "5, 12 y 19 de dic"
            j = self.i
            days = [int(tok.value)]  # type: ignore[arg-type]
            seps: list[str] = []
            while (
                j + 2 < len(self.toks)
                and self.toks[j + 1].kind in ("range", "list")
                and self.toks[j + 2].kind == "num"
            ):
                seps.append(self.toks[j + 1].kind)
                days.append(int(self.toks[j + 2].value))  # type: ignore[arg-type]
                j += 2
            if j + 1 < len(self.toks) and self.toks[j + 1].kind == "month":
                month = int(self.toks[j + 1].value)  # type: ignore[arg-type]
                self.i = j + 2
                year = self._year_after()
                if any(_safe_date(2000, month, d) is None for d in days):
                    return None
                if len(days) > 1:
                    self._pending_kind = "range" if seps == ["range"] else "list"
                return [_D(year, month, d) for d in days]
        return None

    def _day_ok_after_month(self) -> bool:
        # An ordinal right after a month names the day whatever follows ("January 7th Family
        # Yoga"); a bare number only when no word follows ("May 3 sessions").
        tok = self.peek(1)
        if tok is not None and tok.kind == "num" and not tok.text.isdigit() and 1 <= int(tok.value) <= 31:  # type: ignore[arg-type]
            return True
        return self._day_ok(1)

    _pending_kind: str | None = None

    def groups(self) -> list[_Group]:
        out: list[_Group] = []
        while self.i < len(self.toks):
            self._pending_kind = None
            start = self.i
            first = self.read_date()
            if not first:
                self.i = max(self.i, start + 1)
                continue
            group = _Group(self._pending_kind or "single", list(first))
            self._continue(group)
            out.append(group)
            # "Dec 21-23 & 28-30": a second run in the same month
            while (
                group.kind == "range"
                and self.kind() == "list"
                and self._day_ok(1)
                and self.kind(2) == "range"
                and self._day_ok(3)
                and self.kind(4) != "month"
            ):
                month = group.dates[-1].month
                a, b = int(self.toks[self.i + 1].value), int(self.toks[self.i + 3].value)  # type: ignore[arg-type]
                self.i += 4
                if _safe_date(2000, month, a) is None or _safe_date(2000, month, b) is None:
                    break
                group = _Group("range", [_D(None, month, a), _D(self._year_after(), month, b)])
                out.append(group)
        return out

    def _continue(self, group: _Group) -> None:
        while self.i < len(self.toks):
            tok = self.peek()
            assert tok is not None
            if tok.kind == "range" and group.kind == "single":
                save = self.i
                self.i += 1
                nxt = self._next_dates(group.dates[-1])
                if nxt and len(nxt) == 1:
                    group.kind = "range"
                    group.dates.append(nxt[0])
                    continue
                self.i = save
                return
            if tok.kind == "list" and group.kind in ("single", "list"):
                save = self.i
                self.i += 1
                if self.kind() == "list":  # ", and 19"
                    self.i += 1
                nxt = self._next_dates(group.dates[-1])
                if nxt:
                    group.kind = "list"
                    group.dates.extend(nxt)
                    continue
                self.i = save
                return
            return

    def _next_dates(self, prev: _D) -> list[_D] | None:
        """After a separator: a full date, or a bare day in the previous date's month."""
        if self.kind() == "num" and self._day_ok(0) and self.kind(1) != "month":
            day = int(self.peek().value)  # type: ignore[arg-type,union-attr]
            if _safe_date(2000, prev.month, day) is None:
                return None
            self.i += 1
            return [_D(self._year_after(), prev.month, day)]
        save = self.i
        self._pending_kind = None
        got = self.read_date()
        if got is None:
            self.i = save
        return got


def _nearest_year(d: _D, anchor: date) -> int:
    """The year that puts month/day `d` nearest `anchor`."""

    def distance(year: int) -> int:
        return abs((_feb29_safe(year, d.month, d.day) - anchor).days)

    return min((anchor.year - 1, anchor.year, anchor.year + 1), key=distance)


def _place_group(group: _Group, today: date, span: _Span | None, archive: bool) -> list[date]:
    """Give every date of a group its year: stated years, then the shared year of a list or
    range ("Dec 5, 12 & 19, 2026"), then inference."""
    dates = group.dates
    stated = [d.year for d in dates if d.year is not None]
    if group.kind == "range" and len(dates) == 2:
        a, b = dates
        crosses = (b.month, b.day) < (a.month, a.day)
        if a.year is None and b.year is not None:
            a.year = b.year - 1 if crosses else b.year
        elif b.year is None and a.year is not None:
            b.year = a.year + 1 if crosses else a.year
        elif a.year is None and b.year is None:
            if span is not None:
                a.year = _in_span_year(a.month, a.day, span)
            else:
                # Placed by its end: an exhibit "Jun 1 - Dec 31" seen on Nov 24 is this year's.
                end_year = _basic_year(b.month, b.day, today, archive)
                start_year = end_year - 1 if crosses else end_year
                start = _feb29_safe(start_year, a.month, a.day)
                if not archive and (start - today).days > FAR_FUTURE_DAYS:
                    prev_end = _feb29_safe(end_year - 1, b.month, b.day)
                    if prev_end >= today - timedelta(days=RECENT_PAST_DAYS):
                        start_year -= 1
                a.year = start_year
            b.year = a.year + 1 if crosses else a.year
    else:
        shared = stated[-1] if stated and dates[-1].year is not None else None
        for d in dates:
            if d.year is None and shared is not None:
                d.year = shared
        first = dates[0]
        if first.year is None:
            first.year = (
                _in_span_year(first.month, first.day, span)
                if span
                else infer_year(first.month, first.day, today=today, archive=archive)
            )
        # Later dates of a list take the year that puts them nearest the date before them
        # ("Dec 19, 26 & Jan 2" rolls into January; "Dec 19, Dec 5" does not).
        prev = first
        for d in dates[1:]:
            if d.year is None:
                d.year = _nearest_year(d, _feb29_safe(prev.year or today.year, prev.month, prev.day))
            prev = d
    out: list[date] = []
    for d in dates:
        assert d.year is not None
        real = _safe_date(d.year, d.month, d.day)
        if real is not None:
            out.append(real)
    return out


# --------------------------------------------------------------------------------------------
# dateparser fallback


# Languages of the Seattle area's calendars. Without a list dateparser tries them all and
# reads "Sat 5" as September 5th in some language.
_FALLBACK_LANGUAGES = ["en", "es", "zh", "vi", "ko", "ru", "ja", "tl", "fr", "de", "it", "pt", "uk", "so"]


@lru_cache(maxsize=4096)  # ~10 ms a call; calendars repeat the same odd strings page after page
def _dateparser_fallback(text: str, today: date, span: _Span | None, archive: bool) -> date | None:
    """`dateparser` for spellings the grammar does not know ("5 décembre", "tomorrow").

    Pinned: it must see a day and a month (so a bare number is never a date), its relative
    base is `today`, and its year is replaced by ours unless the text states one.
    """
    if len(text) > 80 or not re.search(r"[^\W\d_]", text):
        return None
    import dateparser  # slow import; only paid when the grammar found nothing

    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12, 0),
        "PREFER_DATES_FROM": "future",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "MDY",
        "PREFER_DAY_OF_MONTH": "first",
        # Relative phrases ("8 weeks", "in 2 days") are not dates on a listing; ours handles
        # "today"/"tomorrow". Absolute only.
        "PARSERS": ["absolute-time"],
    }
    try:
        found = dateparser.parse(text, settings=settings, languages=_FALLBACK_LANGUAGES)
    except (ValueError, OverflowError, KeyError):
        return None
    if found is None:
        return None
    # The month must have been written as a word and the day printed: "9 a 12" is not
    # September 1st, whatever dateparser thinks.
    numbers = [int(n) for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", text)]
    if found.day not in numbers or not set(numbers) <= {found.day, found.month} or len(numbers) > 2:
        return None
    if re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", text) or re.search(
        r"\b(today|tonight|tomorrow|yesterday|hoy|mañana|aujourd|demain|ago|in \d+ days?)\b", text
    ):
        return found.date()
    year = (
        _in_span_year(found.month, found.day, span)
        if span
        else infer_year(found.month, found.day, today=today, archive=archive)
    )
    return _safe_date(year, found.month, found.day)


# --------------------------------------------------------------------------------------------
# Sessions

_SESSIONS_RE = re.compile(
    r"(?P<n>(?<![\d.])\d{1,3}|\b(?:"
    + "|".join(_NUMBER_WORDS)
    + r"))[\s-]*(?P<unit>sessions?|classes|class(?:es)?|meetings?|lessons?|weeks?|wks?"
    r"|sesiones|clases|semanas|lecciones|次课|节课|堂课|次|节|周|週)(?![a-z])(?P<after>\s*\w*)"
)
_NOT_SESSIONS = ("before", "prior", "ahead", "notice", "advance", "after", "ago", "old", "antes", "de edad")


def _session_count(text: str, days: tuple[Weekday, ...]) -> int | None:
    for m in _SESSIONS_RE.finditer(text):
        after = m.group("after").strip()
        if after.startswith(_NOT_SESSIONS) or text[m.end() : m.end() + 10].strip().startswith(_NOT_SESSIONS):
            continue
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        if n < 1 or n > 1000:
            continue
        unit = m.group("unit")
        if unit in ("次", "节", "周", "週") and not re.search(r"[\u4e00-\u9fff]", text):
            continue
        if unit.startswith(("week", "wk", "semana", "周", "週")):
            n *= max(1, len(days))
        return n if n <= 1000 else None
    return None


# --------------------------------------------------------------------------------------------
# parse_when

_RELATIVE = {"today": 0, "tonight": 0, "tomorrow": 1, "hoy": 0, "esta noche": 0, "今天": 0, "明天": 1}
_END_ONLY_RE = re.compile(
    r"^\W*(?:now\s*(?:-|through|thru|until|till|to)|(?:on\s+view|open|showing|runs?|running)\s+(?:through|thru|until)"
    r"|through|thru|until|till|ends?|ending|closes|closing|hasta|ends\s+on)\b"
)
_START_ONLY_RE = re.compile(
    r"\b(?:starting|starts|start|beginning|begins|from|a\s+partir\s+del?|desde|comienza|empieza)\b|起|开始"
)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for k in range(s, e):
            chars[k] = " "
    return "".join(chars)


@dataclass
class _Found:
    dates: list[date] = field(default_factory=list)
    kind: str = "none"  # none | single | range | list
    slots: list[_Slot] = field(default_factory=list)
    slot_list: bool = False
    iso_times: list[str | None] = field(default_factory=list)


def _read(text: str, today: date, span: _Span | None, archive: bool, day_first: bool = False) -> _Found:
    found = _Found()
    work = _prep(text)
    iso_spans: list[tuple[int, int]] = []
    for m in _ISO_DT_RE.finditer(work):
        try:
            day, hhmm = to_local(m.group(0).upper())
        except DateParseError:
            continue
        found.dates.append(day)
        found.iso_times.append(hhmm)
        iso_spans.append((m.start(), m.end()))
    if found.dates:
        found.kind = "range" if len(found.dates) == 2 else ("single" if len(found.dates) == 1 else "list")
        work = _mask(work, iso_spans)
    slots, time_spans, is_list = _find_times(work)
    found.slots, found.slot_list = slots, is_list
    work = _mask(work, time_spans)
    if found.dates:
        return found
    tokens = _tokenize(work, day_first)
    groups = _DateReader(tokens).groups()
    runs: list[tuple[date, date]] = []
    singles: list[date] = []
    for group in groups:
        placed = _place_group(group, today, span, archive)
        if group.kind == "range" and len(placed) == 2:
            if placed[0] <= placed[1]:
                runs.append((placed[0], placed[1]))
        else:
            singles.extend(placed)
    if len(runs) == 1 and not singles:
        found.dates, found.kind = list(runs[0]), "range"
    elif runs and all((b - a).days < MULTI_DAY_RUN_DAYS for a, b in runs):
        # "Dec 21-23 & 28-30": two short runs are the list of their days.
        days_of_runs = [a + timedelta(days=i) for a, b in runs for i in range((b - a).days + 1)]
        found.dates, found.kind = sorted({*days_of_runs, *singles}), "list"
    elif runs:
        found.dates, found.kind = list(runs[0]), "range"  # a long span wins over stray dates
    elif singles:
        found.dates = singles
        found.kind = "single" if len(set(singles)) == 1 else "list"
    if not found.dates:
        for word, offset in _RELATIVE.items():
            if re.search(rf"(?<![\w]){word}(?![\w])", work):
                found.dates, found.kind = [today + timedelta(days=offset)], "single"
                break
    # The fallback is for spellings the grammar does not know: when it saw a month word or a
    # numeric date and still found nothing, dateparser would only guess.
    if not found.dates and not any(t.kind in ("month", "date") for t in tokens):
        fallback = _dateparser_fallback(work.strip(" ,.|"), today, span, archive)
        if fallback is not None:
            found.dates, found.kind = [fallback], "single"
    return found


# "Sep 12, 2022 — Posted Sep 9, 2022 12:58 PM": when the page was posted is not when it happens.
_STAMP_RE = re.compile(
    r"(?i)[\s—–\-|,(]*\b(?:posted|updated|published|last\s+(?:updated|modified)|modified)\b.*$"
)


# "October 12(W) - 13(TH), 2022": weekday marks in brackets after a day number.
_DAY_MARK_RE = re.compile(
    r"(?i)(?<=\d)\s*\((?:m|mo|mon|t|tu|tue|w|we|wed|th|thu|f|fr|fri|sa|sat|su|sun)\.?\)"
)


# "1645516800Feb 22, 2022": a hidden sort key (epoch seconds) printed against the date.
_SORT_KEY_RE = re.compile(r"\b\d{6,}(?=[^\W\d_])")


def _without_date_noise(text: str | None) -> str | None:
    """The date text without what hides or replaces its date: sort keys, weekday marks, stamps."""
    if not text:
        return text
    cut = _STAMP_RE.sub("", _DAY_MARK_RE.sub("", _SORT_KEY_RE.sub("", text)))
    return cut if cut.strip() else text


# "20241220" (a JSON API's `numberdate`): a date field that is only a compact date.
_COMPACT_DATE_RE = re.compile(r"\s*((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\s*")


def _compact_to_iso(text: str | None) -> str | None:
    """A date field holding nothing but eight digits, as ISO ("2024-12-20"); else as it is."""
    match = _COMPACT_DATE_RE.fullmatch(text) if text else None
    return "-".join(match.groups()) if match else text


_CALENDAR_NAMES = {m for m, _ in MONTHS_EN} | set(WEEKDAY_LABELS)
_CLOCK = r"\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?"
_MONTH_ALT = "|".join(sorted((m for m, _ in MONTHS_EN), key=len, reverse=True))
# "Regular Meeting - Dec 14 2026 (DRAFT AGENDA)", "Storytime | 1/10/26": a title that repeats
# its date after a separator.
_TITLE_DATE_TAIL = re.compile(
    r"(?i)^(?P<head>.*?\w.*?)\s+[-–—|]\s+(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:(?:{_MONTH_ALT})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?)"
    rf"(?:,?\s+\d{{4}})?(?:,?\s+(?:at\s+)?{_CLOCK})?(?:\s*\([^)]*\))?\s*$"
)


# "9/24/2024 1:00 PM - 4:00 PM Bond Committee", "12/05/22 Regular Meeting", "December 18th, 2025
# Regular Council Meeting", "Jan 5 5:30 PM Board Meeting": a date stamp (a date with its year or
# its time) printed before the title, with its weekday in brackets ("May 8, 2020 (Fri) ..."). "March
# 5 Storytime", "May Day Parade" keep their words.
_TITLE_DATE_HEAD = re.compile(
    rf"(?i)^\s*(?:\d{{1,2}}[/-]\d{{1,2}}[/-]\d{{2,4}}(?:,?\s+{_CLOCK}(?:\s*[-–—]\s*{_CLOCK})?)?"
    rf"|\d{{1,2}}/\d{{1,2}},?\s+{_CLOCK}(?:\s*[-–—]\s*{_CLOCK})?"
    rf"|(?:{_MONTH_ALT})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}}(?:,?\s+(?:at\s+)?{_CLOCK})?"
    rf"|,?\s+(?:at\s+)?{_CLOCK})(?:\s*[-–—]\s*{_CLOCK})?)"
    rf"(?:\s*\((?:{_WEEKDAY_ALT})\.?\))?\s*[-–—|:,]?\s+(?P<rest>\S.*)$"
)


def _names_something(text: str) -> bool:
    """Some word of `text` is neither a month nor a weekday: what is left of a title is a name."""
    return bool({w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)} - _CALENDAR_NAMES)


def without_date_head(title: str) -> str:
    """The title without a date stamp printed before it ("12/05/22 Regular Meeting" -> "Regular
    Meeting"); the title itself when what follows is no name."""
    m = _TITLE_DATE_HEAD.match(title)
    if m is None:
        return title
    rest = m.group("rest").strip()
    return rest if _names_something(rest) else title


def without_date_tail(title: str) -> str:
    """The title without a date printed after it ("Regular Meeting - Dec 14 2026" -> "Regular
    Meeting"); the title itself when it is nothing but a date."""
    m = _TITLE_DATE_TAIL.match(title)
    if m is None:
        return title
    head = m.group("head").strip()
    return head if _names_something(head) else title


# "Life Drawing - August", "Leaf Pudding Club August 2013", "Allah Las, August 2013": the month
# (and year) of the listing's own date after its title. "Open Mic - Tuesdays in August" says
# when the series runs and keeps its words.
_TITLE_MONTH_TAIL = re.compile(
    rf"(?i)^(?P<head>.*?\w.*?)(?P<sep>\s*[-–—|:,]\s*|\s+)(?P<month>{_MONTH_ALT})\.?(?:,?\s+(?P<year>\d{{4}}))?\s*$"
)
# Words before a month that make it a series' span, not a repeat of the date.
_BEFORE_MONTH = frozenset((
    "in", "of", "for", "during", "through", "thru", "until", "till", "to",
    "from", "since", "every", "each", "all", "late", "early", "mid",
))  # fmt: skip


def without_month_tail(title: str, day: date) -> str:
    """The title without the month of its own date printed after it ("Retro Sunday - July" on
    July 28 -> "Retro Sunday"); the title itself when the month is another, or says when a
    series runs ("... in August"), or nothing would be left."""
    m = _TITLE_MONTH_TAIL.match(title)
    if m is None or MONTHS.get(m.group("month").lower()) != day.month:
        return title
    if m.group("year") and int(m.group("year")) != day.year:
        return title
    head = m.group("head").strip()
    last = head.split()[-1].lower() if head.split() else ""
    if not m.group("sep").strip() and last in _BEFORE_MONTH:
        return title
    return head if _names_something(head) else title


def title_without_its_date(title: str, day: date) -> str:
    """A title without what repeats its listing's date `day`: a date stamp before or after it,
    or the month of that day after it (the crawl names a listing so once its date is read)."""
    return without_month_tail(without_date_tail(without_date_head(title)), day)


def parse_when(
    date_text: str | None,
    time_text: str | None = None,
    schedule_text: str | None = None,
    *,
    today: date,
    context: str | None = None,
    archive: bool = False,
    day_first: bool = False,
) -> When:
    """Dates, times and repetition from a listing's date / time / schedule texts.

    `context` is the page title or section header the listing sits under ("Winter 2027"),
    used only to place year-less dates. `day_first` reads an ambiguous numeric date ("03/04")
    day first: the page's other dates are (`numeric_date_order`).
    """
    date_text = _without_date_noise(_compact_to_iso(date_text))
    texts = [t for t in (clean_text(date_text), clean_text(time_text), clean_text(schedule_text)) if t]
    if not texts:
        return When()
    span = _context_span(context)
    sched = clean_text(schedule_text)
    # Dates: the date field, else the schedule field, else the time field.
    date_found = _Found()
    for t in (clean_text(date_text), sched, clean_text(time_text)):
        if t:
            # "(6 weeks)", "8 sessions" are counts, read below: their numbers are not days.
            date_found = _read(_SESSIONS_RE.sub(" ", t), today, span, archive, day_first)
            if date_found.dates:
                break

    # Times: the time field wins, then the date field, then the schedule field.
    clean_text_time = clean_text(time_text)
    slots: list[_Slot] = []
    slot_list = False
    for t in (clean_text_time, clean_text(date_text), sched):
        if t:
            prepped = _prep(t)
            # An ISO date-time's clock is UTC or offset time: it came through to_local above.
            prepped = _mask(prepped, [(m.start(), m.end()) for m in _ISO_DT_RE.finditer(prepped)])
            got, _, is_list = _find_times(prepped, loose=t is clean_text_time)
            if got:
                slots, slot_list = got, is_list
                break
    if not slots and date_found.iso_times and date_found.iso_times[0]:
        first = date_found.iso_times[0]
        last = date_found.iso_times[1] if len(date_found.iso_times) == 2 else None
        if date_found.kind == "range" and date_found.dates[0] == date_found.dates[1]:
            date_found.kind = "single"
            date_found.dates = date_found.dates[:1]
        slots = [(first, last)]

    joined = " | ".join(texts)
    days, day_recurring = _weekdays(joined)
    if not days and sched:
        # A Days column of its own ("Tu") reads as a schedule only when taken alone.
        days, day_recurring = _weekdays(sched)
    folded = fold(joined)
    dates = date_found.dates
    kind = date_found.kind
    start_only = kind == "single" and bool(_START_ONLY_RE.search(folded))
    # "Now through Feb 28", "until March 1": the date is when it ends.
    end_only = kind == "single" and bool(_END_ONLY_RE.search(fold(clean_text(date_text) or "")))
    if kind == "range" and days and not day_recurring:
        # A weekday next to a range: "Jan 9-Feb 27 | Sat" is every Saturday, while in
        # "Sat, Jan 9 - Sun, Feb 28" the days only name the two ends.
        ends = {WEEKDAYS[dates[0].weekday()], WEEKDAYS[dates[1].weekday()]}
        same_day_ends = len(ends) == 1 and (dates[1] - dates[0]).days >= MULTI_DAY_RUN_DAYS
        if not set(days) <= ends or same_day_ends:
            day_recurring = True
    recurring = day_recurring or kind == "list" or (bool(_WEEKLY_RE.search(folded)) and bool(dates or days))
    if kind != "list" and not day_recurring and not (start_only and days):
        days = () if dates else days  # "Sat, Dec 5": the weekday only names that date
    sessions = _session_count(folded, days if recurring else ())

    start_date = end_date = None
    occ_dates: list[date] = []
    if kind == "range":
        start_date, end_date = dates[0], dates[1]
        if days and recurring:
            occ_dates = expand_weekly(start_date, end_date, days, MAX_OCCURRENCES)
        elif 0 < (end_date - start_date).days < MULTI_DAY_RUN_DAYS:
            # A short run (camp week, festival weekend) happens on each of its days; a long
            # one (an exhibit) is a span, not a list of dates.
            length = (end_date - start_date).days
            occ_dates = [start_date + timedelta(days=i) for i in range(length + 1)]
    elif kind == "list":
        occ_dates = sorted(set(dates))[:MAX_OCCURRENCES]
        start_date, end_date = occ_dates[0], occ_dates[-1]
    elif kind == "single" and end_only:
        end_date = dates[0]
    elif kind == "single":
        start_date = dates[0]
        if start_only and days and recurring and sessions:
            horizon = start_date + timedelta(days=730)
            occ_dates = expand_weekly(start_date, horizon, days, min(sessions, MAX_OCCURRENCES))
            if occ_dates:
                end_date = occ_dates[-1]
        elif not (start_only and recurring):
            occ_dates = [start_date]

    start_time, end_time = slots[0] if slots else (None, None)
    occ: set[OccurrenceTuple] = set()
    slot_choices = slots if (slot_list and len(slots) > 1) else [(start_time, end_time)]
    for d in occ_dates:
        for s, e in slot_choices:
            occ.add((d, s, e))
    occurrences = tuple(sorted(occ, key=lambda o: (o[0], o[1] or "", o[2] or "")))[:MAX_OCCURRENCES]

    parsed = bool(start_date or end_date or days or start_time or sessions)
    return When(
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
        days_of_week=days,
        occurrences=occurrences,
        recurring=recurring and parsed,
        session_count=sessions,
        parsed=parsed,
    )


def numeric_date_order(texts: Iterable[str | None]) -> str | None:
    """Day first ("dmy") when the numeric dates of one page's listings are, else None.

    "03/04/2026" alone is read month first; but a page that also prints "25/12/2026" (no
    month 25) writes its dates day first, and so does every other date on it, unless one of
    them forces month first ("12/25/2026"): then the page is inconsistent and nothing changes.
    """
    day_first = month_first = False
    for text in texts:
        for m in _TOKEN_RE.finditer(text or ""):
            if m.lastgroup not in ("numdate", "dashdate"):
                continue
            a, b = (int(x) for x in re.split(r"[/-]", m.group(0))[:2])
            if 12 < a <= 31 and 1 <= b <= 12:
                day_first = True
            elif 1 <= a <= 12 and 12 < b <= 31:
                month_first = True
    return "dmy" if day_first and not month_first else None
