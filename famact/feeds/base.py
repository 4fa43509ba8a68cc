"""What every feed parser returns, and the error it raises."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


class FeedError(ValueError):
    """The feed as a whole cannot be read (not the format it claims, truncated, invalid)."""


@dataclass
class FeedRecords:
    """Raw listing fields per record, in feed order, plus why records were left out."""

    records: list[dict[str, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    next_url: str | None = None  # json_api pagination
    truncated: bool = False  # more records than max_items

    def add(self, fields: dict[str, Any], max_items: int) -> None:
        """Keep a record with its non-empty text fields; count one without title or date."""
        clean = {k: " ".join(str(v).split()) for k, v in fields.items() if v not in (None, "")}
        clean = {k: v for k, v in clean.items() if v}
        if not clean.get("title"):
            self.skipped["no_title"] += 1
        elif not clean.get("date"):
            self.skipped["no_date"] += 1
        elif len(self.records) >= max_items:
            self.truncated = True
            self.skipped["over_max_items"] += 1
        else:
            self.records.append(clean)


def first_line(exc: object) -> str:
    """An exception's message as one short line (parsers' messages span several)."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def text_of(body: bytes | str) -> str:
    """The feed's text: UTF-8 (a BOM allowed), else Latin-1 so no byte is fatal."""
    if isinstance(body, str):
        return body
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head
