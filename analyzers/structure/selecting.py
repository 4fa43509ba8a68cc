"""Running selectors against a page the way the crawl's engine does."""

from __future__ import annotations

from parsel import Selector

from famact.models import SelectorSpec
from famact_crawler.extract.selectors import extract_value, select_nodes


def spec_matches(context: Selector, spec: SelectorSpec) -> list[Selector]:
    """Every match of `spec` under `context`, evaluated by the crawler's extraction engine."""
    return list(select_nodes(context, spec))


def select_value(context: Selector, spec: SelectorSpec) -> str | None:
    """The value a field selector yields on one item, exactly as the crawl will read it
    (URLs stay relative here: the analyzer compares them, the crawl makes them absolute)."""
    return extract_value(context, spec)


def run_listing(
    html: str | Selector, item: SelectorSpec, fields: dict[str, SelectorSpec]
) -> list[dict[str, str]]:
    """Apply an item selector and its field selectors to a page: one dict per item."""
    page = html if isinstance(html, Selector) else Selector(text=html)
    rows = []
    for match in spec_matches(page, item):
        row = {}
        for name, spec in fields.items():
            value = select_value(match, spec)
            if value:
                row[name] = value
        rows.append(row)
    return rows
