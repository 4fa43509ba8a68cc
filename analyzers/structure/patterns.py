"""Text patterns: dates, times, prices, ages, addresses and printed labels (English and Spanish)."""

from __future__ import annotations

import re

from famact.normalize.calendar_words import MONTHS_EN, MONTHS_ES, MONTHS_ES_ABBR, WEEKDAY_LABELS

_MONTHS = "|".join(word for word, _ in MONTHS_EN + MONTHS_ES + MONTHS_ES_ABBR)
_WEEKDAYS = "|".join(WEEKDAY_LABELS)
_MON = rf"(?:{_MONTHS})\.?"
_DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+\d{4})?"
_ONE_DATE = (
    rf"(?:(?:(?:{_WEEKDAYS})\.?,?\s+)?(?:{_MON}\s+{_DAYNUM}\b{_YEAR}"
    rf"|{_DAYNUM}\s+(?:de\s+)?{_MON}\b(?:\s+(?:de\s+)?\d{{4}})?)"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\d{4}-\d{2}-\d{2})"
)
_RANGE_TAIL = rf"(?:\s*(?:-|–|—|to|through|thru|al)\s*(?:{_ONE_DATE}|{_DAYNUM}\b{_YEAR}))?"
DATE_RE = re.compile(rf"(?i)\b({_ONE_DATE}{_RANGE_TAIL})")
# A compact form (a config regex is at most 500 characters) with one capturing group: used as
# a `SelectorSpec.regex` when a date sits inside running text ("Camp - April 7-11, 9am...").
_MON_SHORT = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic)[a-z]*\.?"
DATE_EXTRACT_REGEX = (
    r"(?i)\b((?:(?:mon|tue|wed|thu|fri|sat|sun|lun|mi[eé]|jue|vie|s[aá]b|dom)[a-zé]*\.?,?\s+)?"
    rf"(?:(?:\d{{4}}\s+)?{_MON_SHORT}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}\s+de\s+{_MON_SHORT}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?)"
    r"(?:\s*(?:-|–|—|to|through|al)\s*(?:[a-z]+\.?\s+)?\d{1,2}(?:st|nd|rd|th)?(?:/\d{1,2}(?:/\d{2,4})?)?\b"
    r"(?:\s+de\s+[a-z]+)?)?(?:,?\s+\d{4})?)"
)
WEEKDAY_RE = re.compile(rf"(?i)\b(?:{_WEEKDAYS})(?:s|days)?\b\.?")
TIME_RE = re.compile(
    r"(?i)(?:\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])|\b(?:noon|midnight|mediod[ií]a)\b"
    r"|\b(?:[01]?\d|2[0-3]):[0-5]\d\b)"
)
PRICE_RE = re.compile(
    r"(?i)(?:\$\s?\d|\b\d+(?:\.\d{2})?\s*(?:usd|dollars)\b|\bfree\b(?!\s+(?:parking|wi-?fi))"
    r"|\bgratis\b|\bgratuito\b|\b(?:cost|fees?|price|admission|tuition|costo|precio)\s*:)"
)
AGE_RE = re.compile(
    r"(?i)(?:\bages?\s*:?\s*\d|\bedad(?:es)?\s*:?\s*\d|\bgrades?\s*:?\s*(?:k|pre-?k|\d)"
    r"|\b(?:pre-?k|k)\s*(?:-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\s*(?:yrs?|years?|y/?o|months?|mos?|años|meses)\b"
    r"|\b\d{1,2}\s*(?:yrs?|years?|months?|mos?|años)\s*(?:old|\+|and\s+(?:up|older)|y\s+m[aá]s)"
    r"|\b\d{1,2}\s*\+\s*(?:yrs?|years?)?\b(?=.{0,12}\b(?:age|kid|child|years?))|\ball\s+ages\b"
    r"|\btodas\s+las\s+edades\b|\b(?:\d{1,2}(?:st|nd|rd|th)?|k)\s*(?:-|–)\s*\d{1,2}(?:st|nd|rd|th)\s+grade)"
)
STREET_RE = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]{1,2}\.?\s+)?(?:[A-Z0-9][\w.']*\s+){1,4}"
    r"(?:St|Street|Ave|Avenue|Way|Blvd|Boulevard|Rd|Road|Dr|Drive|Pl|Place|Ln|Lane|Ct|Court|Pkwy|"
    r"Parkway|Hwy|Highway|Loop|Circle|Cir|Terrace|Ter)\b\.?|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
)


def has_date(text: str) -> bool:
    """A calendar date ("Sat, Jan 9", "1/9/2025", "9 de enero") or a weekday with a clock time."""
    return bool(DATE_RE.search(text)) or bool(WEEKDAY_RE.search(text) and TIME_RE.search(text))


# Words that only join or stamp dates and times ("from 5 to 7 pm", "Posted Sep 23, 2022").
_DATE_FILLER = re.compile(
    r"(?i)\b(?:a\.?m|p\.?m|noon|midnight|today|tomorrow|at|from|to|until|and|of|on|de|y|et|est|pst|pdt|cst"
    r"|edt|posted|updated|published|added|modified|last)\b\.?"
)


def date_time_only(text: str) -> bool:
    """Nothing but a date and/or a time ("Jan 10, 2022 5:30 PM", "Tuesday 10:00-11:00"): a cell or
    heading like this is when a listing happens, never its name."""
    if not (DATE_RE.search(text) or TIME_RE.search(text) or WEEKDAY_RE.search(text)):
        return False
    rest = _DATE_FILLER.sub(" ", WEEKDAY_RE.sub(" ", TIME_RE.sub(" ", DATE_RE.sub(" ", text))))
    return not re.search(r"[^\W\d_]{2,}", rest)


# Label words printed before a value ("Ages: 5-8", "<dt>When</dt>") -> the raw field they name.
LABEL_FIELDS: dict[str, str] = {
    "when": "date",
    "date": "date",
    "dates": "date",
    "date(s)": "date",
    "fecha": "date",
    "fechas": "date",
    "cuándo": "date",
    "cuando": "date",
    "time": "time",
    "times": "time",
    "hora": "time",
    "horario": "time",
    "days": "schedule",
    "day": "schedule",
    "schedule": "schedule",
    "sessions": "schedule",
    "meets": "schedule",
    "días": "schedule",
    "ages": "ages",
    "age": "ages",
    "age range": "ages",
    "grades": "ages",
    "grade": "ages",
    "audience": "ages",
    "edades": "ages",
    "edad": "ages",
    "cost": "price",
    "fee": "price",
    "fees": "price",
    "price": "price",
    "prices": "price",
    "admission": "price",
    "tuition": "price",
    "tickets": "price",
    "costo": "price",
    "precio": "price",
    "location": "venue",
    "where": "venue",
    "venue": "venue",
    "place": "venue",
    "dónde": "venue",
    "donde": "venue",
    "lugar": "venue",
    "ubicación": "venue",
    "address": "address",
    "dirección": "address",
    "registration": "registration",
    "register": "registration",
    "category": "category",
    "categories": "category",
    "type": "type",
    "hours": "hours",
    "open hours": "hours",
    "horas": "hours",
    "organizer": "organizer",
    "presented by": "organizer",
    "host": "organizer",
    "phone": "phone",
    "status": "status",
}
_LABEL_ALT = "|".join(sorted((re.escape(k) for k in LABEL_FIELDS), key=len, reverse=True))
LABEL_PREFIX_RE = re.compile(rf"(?i)^\s*({_LABEL_ALT})\s*:")
LABEL_ONLY_RE = re.compile(rf"(?i)^\s*({_LABEL_ALT})\s*:?\s*$")


def label_value_regex(label: str) -> str:
    """A regex whose group 1 is the value after `label:` up to the next "Label:" or the end
    ("When: Sat, March 8 Where: Magnuson Park" -> "Sat, March 8")."""
    return rf"(?i:{re.escape(label)})\s*:?\s*(.+?)(?=\s*[A-Z][A-Za-z/()' ]{{1,24}}:|$)"


# Link and button texts that are never a listing's title.
BAD_TITLE_RE = re.compile(
    r"(?i)^(?:read more|more info|learn more|details|register|view|see more|buy tickets|book now|more|info)\b"
)

# Field selectors are scored on the first items only: enough to see variation, bounded cost.
MAX_SCORED_ITEMS = 60
