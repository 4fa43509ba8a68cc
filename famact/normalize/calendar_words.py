"""Month and weekday words of the languages famact reads (English and Spanish): one vocabulary.

Every reader of calendar words takes them from here: the date parser (`famact.normalize.dates`),
the classifier's day counter (`famact.normalize.date_facts`) and the analyzer's structure
patterns (`analyzers.patterns`). Each picks the subset its matching can afford: the date parser
also reads common typos ("Febuary"); the classifier matches folded running text, where the
Spanish abbreviations are ordinary words ("2 days ago", "dic" in a name), so it leaves them out.
Tuples keep their order, which the analyzer's regular expressions were written against.
"""

from __future__ import annotations

from famact.constants import Weekday

# English full names, then their abbreviations.
MONTHS_EN: tuple[tuple[str, int], ...] = (
    ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6),
    ("july", 7), ("august", 8), ("september", 9), ("october", 10), ("november", 11),
    ("december", 12),
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8),
    ("sept", 9), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
)  # fmt: skip
# Spanish full names ("setiembre" is a common spelling).
MONTHS_ES: tuple[tuple[str, int], ...] = (
    ("enero", 1), ("febrero", 2), ("marzo", 3), ("abril", 4), ("mayo", 5), ("junio", 6),
    ("julio", 7), ("agosto", 8), ("septiembre", 9), ("setiembre", 9), ("octubre", 10),
    ("noviembre", 11), ("diciembre", 12),
)  # fmt: skip
# Spanish abbreviations that are not also English ones.
MONTHS_ES_ABBR: tuple[tuple[str, int], ...] = (("ene", 1), ("abr", 4), ("ago", 8), ("dic", 12))
# Misspellings seen on small sites.
MONTH_TYPOS: tuple[tuple[str, int], ...] = (
    ("janurary", 1), ("januray", 1), ("janaury", 1), ("febuary", 2), ("feburary", 2),
    ("febrary", 2), ("agust", 8), ("septmber", 9), ("setember", 9), ("ocotber", 10),
    ("octobre", 10), ("novmber", 11), ("novemeber", 11), ("decmber", 12), ("decemeber", 12),
)  # fmt: skip

# Words that name a month in running (folded) text: no Spanish abbreviations, no typos.
MONTH_WORDS: dict[str, int] = dict(MONTHS_EN + MONTHS_ES)
# Every month spelling, typos included: what the date parser accepts.
MONTHS: dict[str, int] = dict(MONTHS_EN + MONTHS_ES + MONTHS_ES_ABBR + MONTH_TYPOS)

WEEKDAY_STEMS: dict[Weekday, tuple[str, ...]] = {
    Weekday.MONDAY: ("monday", "mon", "lunes", "lun"),
    Weekday.TUESDAY: ("tuesday", "tues", "tue", "martes", "mar"),
    Weekday.WEDNESDAY: ("wednesday", "weds", "wed", "miercoles", "miércoles", "mié", "mie"),
    Weekday.THURSDAY: ("thursday", "thurs", "thur", "thu", "jueves", "jue"),
    Weekday.FRIDAY: ("friday", "fri", "viernes", "vie"),
    Weekday.SATURDAY: ("saturday", "sat", "sábado", "sabado", "sáb", "sab"),
    Weekday.SUNDAY: ("sunday", "sun", "domingo", "dom"),
}
# Weekday words a page prints as a label (the analyzer's patterns): full names, the English
# abbreviations, Spanish full names with and without accents.
WEEKDAY_LABELS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tues", "tue", "wed", "thurs", "thur", "thu", "fri", "sat", "sun",
    "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
)  # fmt: skip
