"""Generated selectors always fit the config model: a deep page never ends an analysis with
a `string_too_long` error."""

from __future__ import annotations

from analyzers.structure.item_selectors import _render, _Step
from analyzers.structure.layouts import find_listing_layouts
from famact.models import MAX_SELECTOR_CHARS


def _deep_page(depth: int, items: int) -> str:
    rows = "".join(
        f"<div><div><span>2026-01-{6 + i % 20:02d}</span></div>"
        f"<div><a href='/e/{i}'>Story Time {i}</a></div></div>"
        for i in range(items)
    )
    nested = "<div>" * depth + rows + "</div>" * depth
    return f"<html><body><main id='content'>{nested}</main></body></html>"


def test_a_deep_classless_list_gets_a_selector_within_the_limit() -> None:
    layouts = find_listing_layouts(_deep_page(30, 40))
    assert layouts and layouts[0].count == 40
    assert len(layouts[0].item.query) <= MAX_SELECTOR_CHARS
    assert {"title", "date"} <= set(layouts[0].fields)


def test_a_selector_longer_than_a_config_holds_is_dropped_not_raised() -> None:
    chain = [(_Step("div", classes=("calendar-grid-cell-wrapper",)), ">" if i else "") for i in range(60)]
    assert _render(chain, use_xpath=True) is None  # 60 class predicates: far over the limit
    assert _render(chain[:3], use_xpath=True) is not None
