"""Text clean-up shared by every normalizer: entities, zero-width characters, whitespace.

Raw page text arrives with `&nbsp;`, `&amp;`, stray tags from `::text` selectors over rich
markup, zero-width joiners pasted from word processors and runs of newlines. The parsers
(dates, ages, prices, places, status) all start from `clean_text`, so one fix here helps all.
"""

from __future__ import annotations

import re
import unicodedata

from w3lib.html import replace_entities

ELLIPSIS = "…"

# Zero-width and invisible formatting characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft
# hyphen, bidi marks). They split words invisibly and break every regex downstream.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Only well-formed tags (`<b>`, `</p>`, `<br/>`, `<a href=..>`): "ages <5 and >2" is text.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Block-level tags separate words; inline ones (`<b>`, `<span>`) do not: "<b>$15</b>/child".
_BLOCK_TAG = re.compile(
    r"</?(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|dd|dt)\b[^<>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def _unescape(value: str) -> str:
    # Twice: feeds often double-escape (`&amp;nbsp;`). remove_illegal=False keeps "AT&T;".
    text = replace_entities(replace_entities(value, remove_illegal=False), remove_illegal=False)
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub("", text)
    return _INVISIBLE.sub("", text)


def clean_text(value: str | None) -> str | None:
    """Entities unescaped, tags and zero-width characters removed, whitespace folded to single
    spaces; None, empty or blank -> None."""
    if value is None:
        return None
    text = " ".join(_unescape(value).split())
    return text or None


def clean_lines(value: str | None) -> list[str]:
    """Like `clean_text` but keeps line structure (`<br>`, newlines): addresses need it."""
    if value is None:
        return []
    text = _unescape(value).replace("\r", "\n")
    text = _NEWLINES.sub("\n", _SPACES.sub(" ", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


# Unicode dashes (hyphen, en/em dash, figure dash, minus, small and full-width hyphen-minus).
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
# The word-matching form also reads tildes as dashes ("10~12", "3〜5"): the classifier's ranges.
_TILDES = re.compile("[~\u301c\uff5e]")
# "thru" is "through", not a dash: "open daily thru Oct 31" names an end date, not a range.
_THRU = re.compile(r"\bthru\b|\btill\b")


def fold(value: str | None, *, plain: bool = False) -> str:
    """The one folded form of a text that parsers and rules read. None or empty -> "".

    Always: NFKC (full-width digits, `ﬁ`), lowercase, one kind of dash, single spaces. The
    parsers' form (the default) also reads the fraction slash as "/" ("1⁄2"). The `plain`
    form (the classifier's word matching) instead strips accents (not CJK; Vietnamese "đ" by
    hand, as it has no combining form; Hangul kept composed, as NFD would split it into
    jamo), straightens curly apostrophes, reads tildes as dashes and "thru"/"till" as
    "through"; it leaves "⁄" alone, so "1⁄2" is never read as a date.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value)
    if plain:
        text = text.replace("đ", "d").replace("Đ", "D")
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
        text = unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")
    else:
        text = text.replace("⁄", "/")
    text = _DASHES.sub("-", text).lower()
    if plain:
        text = _THRU.sub("through", _TILDES.sub("-", text))
    return " ".join(text.split())


def fold_words(value: str | None) -> str:
    """`fold(value, plain=True)`: the form the classifier's word rules match against."""
    return fold(value, plain=True)


def collapse_spaces(text: str) -> str:
    """Whitespace folded to single spaces, stripped; case and characters kept (display text)."""
    return " ".join(text.split())


def truncate(value: str | None, limit: int) -> str | None:
    """Cut `value` to at most `limit` characters on a word boundary, ending with an ellipsis."""
    if limit < 1:
        raise ValueError(f"truncate limit must be positive, got {limit!r}")
    if value is None:
        return None
    if len(value) <= limit:
        return value
    if limit == 1:
        return ELLIPSIS
    cut = value[: limit - 1]
    space = cut.rfind(" ")
    # Back up to a word boundary (unless the cut already ends a word), but never throw away
    # more than half the text for it (one very long word).
    if not value[limit - 1].isspace() and space >= (limit - 1) // 2:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:-–—.")
    return f"{cut}{ELLIPSIS}"
