"""Compare a crawl's output items with a fixture site's expected items.

Used by the fixture-site tests (exact match wanted) and by the extraction-quality and
analyzer benchmarks (recall, precision, field accuracy).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COMPARED_FIELDS = (
    "entity_type",
    "start_date",
    "end_date",
    "start_time",
    "end_time",
    "days_of_week",
    "recurring",
    "price_usd",
    "min_age_months",
    "max_age_months",
    "venue_name",
    "status",
    "url",
    "city",
)


def norm_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[\s\u00a0]+", " ", text)
    return text.strip(" .,:;!-–—|")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fp:
        return [json.loads(line) for line in fp if line.strip()]


def _same(field_name: str, expected: Any, actual: Any) -> bool:
    if field_name == "days_of_week":
        return sorted(expected or []) == sorted(actual or [])
    if field_name == "price_usd" and expected is not None and actual is not None:
        return abs(float(expected) - float(actual)) < 0.005
    if field_name == "venue_name" and isinstance(expected, str) and isinstance(actual, str):
        return norm_name(expected) == norm_name(actual)
    if field_name == "url" and isinstance(expected, str) and isinstance(actual, str):
        return expected.rstrip("/") == actual.rstrip("/")
    return bool(expected == actual)


@dataclass
class SiteScore:
    expected: int
    found: int
    matched: int
    field_checks: int = 0
    field_ok: int = 0
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    type_ok: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def field_accuracy(self) -> float:
        return self.field_ok / self.field_checks if self.field_checks else 1.0

    def report(self) -> str:
        lines = [
            f"recall {self.recall:.2f} ({self.matched}/{self.expected}), precision {self.precision:.2f} "
            f"({self.matched}/{self.found}), field accuracy {self.field_accuracy:.2f}"
        ]
        lines += [f"  missing: {m}" for m in self.missing]
        lines += [f"  unexpected: {u}" for u in self.unexpected]
        lines += [f"  mismatch: {m}" for m in self.mismatches]
        return "\n".join(lines)


def _pair(
    expected: list[dict[str, Any]], by_name: dict[str, list[dict[str, Any]]], fields: tuple[str, ...]
) -> dict[int, dict[str, Any]]:
    """Expected listing index -> the item it matches, one to one by title.

    Listings may share a title (a board's monthly meeting): each expected listing is first
    paired with an item of its title that agrees on the compared fields, then the rest with any
    item of its title left, so a repeated title is not scored against another's date."""
    pairs: dict[int, dict[str, Any]] = {}
    used: set[int] = set()
    for strict in (True, False):
        for i, exp in enumerate(expected):
            if i in pairs:
                continue
            for a in by_name.get(norm_name(exp["name"]), []):
                if id(a) in used or (
                    strict and not all(_same(f, exp[f], a.get(f)) for f in fields if f in exp)
                ):
                    continue
                pairs[i] = a
                used.add(id(a))
                break
    return pairs


def score(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]], fields: tuple[str, ...] = COMPARED_FIELDS
) -> SiteScore:
    by_name: dict[str, list[dict[str, Any]]] = {}
    for item in actual:
        by_name.setdefault(norm_name(str(item.get("name", ""))), []).append(item)
    result = SiteScore(expected=len(expected), found=len(actual), matched=0)
    pairs = _pair(expected, by_name, fields)
    used = {id(a) for a in pairs.values()}
    for i, exp in enumerate(expected):
        got = pairs.get(i)
        if got is None:
            result.missing.append(exp["name"])
            continue
        result.matched += 1
        for name in fields:
            if name not in exp:
                continue
            result.field_checks += 1
            if _same(name, exp[name], got.get(name)):
                result.field_ok += 1
                if name == "entity_type":
                    result.type_ok += 1
            else:
                result.mismatches.append(
                    f"{exp['name']}.{name}: expected {exp[name]!r}, got {got.get(name)!r}"
                )
    result.unexpected = [str(a.get("name")) for a in actual if id(a) not in used]
    return result
