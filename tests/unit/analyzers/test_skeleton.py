"""The page reduction the LLM sees (analyzers/skeleton.py)."""

from __future__ import annotations

import re

import pytest
from parsel import Selector

from analyzers.skeleton import TRUNCATION_MARK, cut_on_tag_boundary, html_skeleton, html_to_text


def card(i: int, *, with_price: bool = True) -> str:
    price = f'<span class="price">${i}</span>' if with_price else ""
    return (
        f'<div class="event-card" data-event-id="{i}" style="color:red" onclick="track({i})">'
        f'<h3 class="title"><a href="/events/{i}" target="_blank">Storytime number {i}</a></h3>'
        f'<time datetime="2025-03-{i % 28 + 1:02d}">March {i % 28 + 1}</time>{price}'
        f"</div>"
    )


def listing_page(n: int) -> str:
    cards = "".join(card(i) for i in range(n))
    return (
        "<!doctype html><html><head><title>Family Events | Library</title>"
        '<meta name="description" content="secret meta text"><link rel="stylesheet" href="/x.css">'
        "<style>.event-card{color:red}</style><script>var trackingSecret = 42;</script></head>"
        '<body class="home"><!-- a comment that should vanish -->'
        '<header id="top"><nav class="menu"><a href="/">Home</a></nav></header>'
        f'<main><section class="events">{cards}</section>'
        '<svg class="icon"><path d="M0 0L10 10"/></svg><noscript>enable js</noscript>'
        '<iframe src="https://ads.example/"></iframe></main>'
        '<footer class="site-footer"><p>123 Main St, Seattle</p></footer></body></html>'
    )


def test_non_content_is_removed_and_title_kept() -> None:
    out = html_skeleton(listing_page(2))
    assert out.startswith("<title>Family Events | Library</title>")
    for gone in (
        "trackingSecret",
        "<script",
        "<style",
        "<svg",
        "<path",
        "noscript",
        "enable js",
        "<iframe",
        "a comment that should vanish",
        "secret meta text",
        "<meta",
        "<link",
        "<head>",
    ):
        assert gone not in out, gone
    assert "123 Main St, Seattle" in out


def test_attributes_are_pruned_to_the_useful_ones() -> None:
    out = html_skeleton(listing_page(2))
    assert 'class="event-card"' in out
    assert 'data-event-id="1"' in out
    assert 'href="/events/1"' in out
    assert 'datetime="2025-03-02"' in out
    assert 'id="top"' in out
    for gone in ("style=", "onclick", "target=", "track("):
        assert gone not in out, gone


def test_runs_of_identical_siblings_keep_three_and_say_how_many_more() -> None:
    out = html_skeleton(listing_page(50))
    selector = Selector(text=out)
    assert len(selector.css("div.event-card")) == 3
    assert "<!-- +47 more like this -->" in out
    assert "Storytime number 2" in out
    assert "Storytime number 3" not in out


def test_short_runs_and_different_structures_are_kept() -> None:
    three = html_skeleton(listing_page(3))
    assert len(Selector(text=three).css("div.event-card")) == 3
    assert "more like this" not in three
    # Same tag and class but a different inner structure breaks the run.
    mixed = "".join(card(i, with_price=i % 2 == 0) for i in range(8))
    out = html_skeleton(f"<html><body><section>{mixed}</section></body></html>")
    assert len(Selector(text=out).css("div.event-card")) == 8


def test_nested_runs_collapse_too() -> None:
    rows = "".join(f"<tr><td>Swim {i}</td><td>Mon</td><td>$5</td></tr>" for i in range(30))
    out = html_skeleton(f"<html><body><table class='schedule'>{rows}</table></body></html>")
    assert len(Selector(text=out).css("tr")) == 3
    assert "+27 more like this" in out


def test_long_text_is_cut() -> None:
    long = "Very long description " * 40
    out = html_skeleton(f"<html><body><p class='desc'>{long}</p></body></html>")
    text = Selector(text=out).css("p.desc::text").get()
    assert text is not None
    assert len(text) <= 80
    assert text.endswith("…")


@pytest.mark.parametrize("max_chars", [500, 2000, 12000])
def test_output_is_bounded_and_cut_on_a_tag_boundary(max_chars: int) -> None:
    # Distinct structures so nothing collapses: the size bound has to do the work.
    blocks = "".join(
        f'<div class="block-{i}"><h2 class="h-{i}">Heading {i}</h2><p class="p-{i}">Text {i}</p></div>'
        for i in range(2000)
    )
    out = html_skeleton(f"<html><body>{blocks}</body></html>", max_chars=max_chars)
    assert len(out) <= max_chars
    assert out.endswith(TRUNCATION_MARK)
    assert out[: -len(TRUNCATION_MARK)].endswith(">")


def test_typical_listing_page_fits_the_default_budget() -> None:
    page = listing_page(500)
    assert len(page) > 80_000
    out = html_skeleton(page)
    assert len(out) < 3_000  # about 750 tokens: room for several pages in 8,000


@pytest.mark.parametrize(
    ("markup", "limit", "expected"),
    [
        ("<a>b</a>", 100, "<a>b</a>"),
        ("<p>one</p><p>two</p><p>three</p>", 10 + len(TRUNCATION_MARK), "<p>one</p>" + TRUNCATION_MARK),
        ("<p>one</p><p>two</p><p>three</p>", 13 + len(TRUNCATION_MARK), "<p>one</p><p>" + TRUNCATION_MARK),
    ],
)
def test_cut_on_tag_boundary(markup: str, limit: int, expected: str) -> None:
    assert cut_on_tag_boundary(markup, limit) == expected


@pytest.mark.parametrize("html", ["", "   ", "\n"])
def test_empty_input_gives_empty_skeleton(html: str) -> None:
    assert html_skeleton(html) == ""
    assert html_to_text(html) == ""


def test_html_to_text_renders_markdown_like_text() -> None:
    text = html_to_text(listing_page(2), base_url="https://library.example.org/events/")
    assert text.startswith("Title: Family Events | Library")
    assert "[Storytime number 1](https://library.example.org/events/1)" in text
    assert "March 2" in text
    assert "trackingSecret" not in text
    assert "enable js" not in text
    assert re.search(r"^### \[Storytime number 0\]", text, re.MULTILINE)
