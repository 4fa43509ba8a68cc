"""Listing layouts: the groups of a page ranked as listings, with their item and field selectors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from parsel import Selector

from analyzers.structure.elements import TextCache
from analyzers.structure.fields import assign_fields, field_candidates
from analyzers.structure.groups import collect_groups, resolve_nesting, score_group
from analyzers.structure.item_selectors import choose_item_selector
from analyzers.structure.patterns import MAX_SCORED_ITEMS
from analyzers.structure.selecting import select_value, spec_matches
from famact.constants import ExtractMode, SelectorKind
from famact.models import SelectorSpec
from famact.normalize.calendar_words import MONTHS_EN, MONTHS_ES, WEEKDAY_LABELS
from famact.normalize.text import collapse_spaces


@dataclass
class ListingLayout:
    """A proposed way to read the listings of one page."""

    kind: Literal["element", "segment"]
    item: SelectorSpec
    fields: dict[str, SelectorSpec]
    count: int
    score: float
    quality: float
    shares: dict[str, float]
    field_coverage: dict[str, float]
    precision: float
    recall: float
    signature: str
    notes: list[str]
    sample_titles: list[str]

    def summary(self) -> dict[str, Any]:
        return {
            "item": self.item.query,
            "item_kind": self.item.kind.value,
            "kind": self.kind,
            "count": self.count,
            "score": round(self.score, 3),
            "quality": round(self.quality, 3),
            "shares": {k: round(v, 2) for k, v in self.shares.items()},
            "fields": {k: describe_spec(v) for k, v in self.fields.items()},
            "field_coverage": self.field_coverage,
            "notes": self.notes,
            "sample_titles": self.sample_titles[:5],
        }


def describe_spec(spec: SelectorSpec) -> str:
    """A one-line human form of a selector: `h3 a @href`, `xpath:. ~/When.../`."""
    out = ("xpath:" if spec.kind is SelectorKind.XPATH else "") + spec.query
    if spec.extract is ExtractMode.ATTR:
        out += f" @{spec.attr}"
    if spec.regex:
        out += f" ~/{spec.regex[:30]}{'...' if len(spec.regex) > 30 else ''}/"
    return out


_WEEKDAY_TITLE = re.compile(
    rf"(?i)^(?:{'|'.join(WEEKDAY_LABELS)})s?\.?(?:\s*(?:-|–|—|to|&|and|y)\s*(?:{'|'.join(WEEKDAY_LABELS)})s?\.?)?:?$"
)
_MONTH_TITLE = re.compile(
    rf"(?i)^(?:{'|'.join(name for name, _ in MONTHS_EN + MONTHS_ES)})(?:\s+\d{{4}})?:?$"
)


def not_listings(titles: list[str]) -> str | None:
    """Why titles read like the rows of something that is not a list of activities, or None:
    weekday names (an opening-hours table), month names (calendar headings), questions (an FAQ)."""
    present = [collapse_spaces(t) for t in titles if t and t.strip()]
    if len(present) < 2:
        return None
    n = len(present)
    if sum(1 for t in present if _WEEKDAY_TITLE.match(t)) >= 0.6 * n:
        return "titles are weekday names: an opening-hours table"
    if sum(1 for t in present if _MONTH_TITLE.match(t)) >= 0.6 * n:
        return "titles are month names: calendar headings"
    if sum(1 for t in present if t.endswith("?")) >= 0.6 * n:
        return "titles are questions: an FAQ"
    return None


def find_listing_layouts(
    html: str,
    *,
    known_item_selectors: Iterable[str] = (),
    max_layouts: int = 5,
    min_size: int = 2,
) -> list[ListingLayout]:
    """Candidate listing layouts of a page, best first (empty when nothing repeats)."""
    page = Selector(text=html)
    body = page.root.find(".//body")
    root = body if body is not None else page.root
    text = TextCache()
    groups = collect_groups(root, text, min_size=min_size)
    platform_members: set[int] = set()
    for query in known_item_selectors:
        try:
            platform_members.update(id(m.root) for m in page.css(query))
        except ValueError:
            continue
    for g in groups:
        if platform_members and sum(1 for m in g.members if id(m) in platform_members) >= 0.8 * len(
            g.members
        ):
            g.platform_match = True
        score_group(g, text)
    resolve_nesting(groups)
    groups.sort(key=lambda g: g.score, reverse=True)
    layouts: list[ListingLayout] = []
    for g in groups[: max_layouts * 3]:
        if g.score <= 0.05 or len(layouts) >= max_layouts:
            break
        spec, precision, recall = choose_item_selector(g, page)
        if spec is None or precision < 0.8 or recall < 0.8:
            continue
        contexts = spec_matches(page, spec)
        candidates = field_candidates(g.kind, contexts, g.flag, text)
        fields, coverage = assign_fields(candidates, min(len(contexts), MAX_SCORED_ITEMS))
        titles = [select_value(c, fields["title"]) or "" for c in contexts] if "title" in fields else []
        if not_listings(titles):
            continue
        layouts.append(
            ListingLayout(
                kind=g.kind,
                item=spec,
                fields=fields,
                count=len(contexts),
                score=g.score,
                quality=g.quality,
                shares=g.shares,
                field_coverage=coverage,
                precision=precision,
                recall=recall,
                signature=g.signature,
                notes=g.notes,
                sample_titles=[t for t in titles if t],
            )
        )
    return layouts
