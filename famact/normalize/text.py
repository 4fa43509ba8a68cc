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


def fold(value: str) -> str:
    """Parser form of a cleaned text: NFKC (full-width digits, `ﬁ`), lowercase, one space.

    Unicode dashes and the fraction slash are unified so every parser sees one spelling.
    """
    text = unicodedata.normalize("NFKC", value)
    text = text.replace("⁄", "/")
    text = re.sub("[‐‑‒–—―−﹘﹣－]", "-", text)
    return " ".join(text.lower().split())


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
