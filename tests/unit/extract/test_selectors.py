"""Selector evaluation: every mode a config can ask for, on small HTML snippets."""

from __future__ import annotations

from typing import Any

import parsel
import pytest

from famact.models import SelectorSpec
from famact_crawler.extract.selectors import (
    SelectorEvaluationError,
    extract_value,
    relative_xpath,
    select_nodes,
    visible_text,
)

BASE = "https://parks.example.org/programs/"

CARD = """
<html><body>
<h2>Page heading</h2>
<div class="card" data-id="7">
  <h3 class="title">  Tiny   Tumblers </h3>
  <p class="when">Sat, Dec 5<br>10am</p>
  <p class="price">Fee: $64 per child</p>
  <a class="more" href="tiny-tumblers?x=1 2">Read more</a>
  <img class="pic" src="/img/tt.jpg" srcset="/img/tt-1x.jpg 1x, /img/tt-2x.jpg 2x">
  <ul class="tags"><li>Gym</li><li>Toddlers</li><li> </li></ul>
  <span class="empty"></span><span class="empty">second</span>
</div>
</body></html>
"""


def card() -> parsel.Selector:
    return parsel.Selector(text=CARD).css("div.card")[0]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("h3.title", "Tiny Tumblers"),  # css text, whitespace folded
        ({"query": "h3.title", "extract": "html"}, '<h3 class="title">  Tiny   Tumblers </h3>'),
        ("a.more::attr(href)", "https://parks.example.org/programs/tiny-tumblers?x=1%202"),
        (
            {"query": "a.more", "extract": "attr", "attr": "href"},
            "https://parks.example.org/programs/tiny-tumblers?x=1%202",
        ),
        ("img.pic::attr(src)", "https://parks.example.org/img/tt.jpg"),
        ("img.pic::attr(srcset)", "https://parks.example.org/img/tt-1x.jpg"),
        ({"query": "div.card", "extract": "attr", "attr": "data-id"}, "7"),  # css matches the item itself
        ("p.when", "Sat, Dec 5 10am"),  # <br> separates
        ({"query": "p.price", "regex": r"\$(\d+)"}, "64"),  # first group
        ({"query": "p.price", "regex": r"\$\d+"}, "$64"),  # whole match without a group
        ({"query": "p.price", "regex": r"€\d+"}, None),  # regex without match
        ({"query": "ul.tags li", "multiple": True}, "Gym | Toddlers"),  # empties skipped
        ("ul.tags li", "Gym"),
        ("span.empty", "second"),  # first non-empty match wins
        ("xpath:.//h3", "Tiny Tumblers"),
        ("//h3", "Tiny Tumblers"),  # relative even though it starts with //
        ("(//li)[2]", "Toddlers"),
        ("//h2", None),  # the page heading is outside the item
        ("//a[@class='more']/@href", "https://parks.example.org/programs/tiny-tumblers?x=1%202"),
        ("//h3/text()", "Tiny Tumblers"),
        ("//a/@class", "more"),
        ("h4.missing", None),
    ],
)
def test_extract_value_modes(spec: Any, expected: str | None) -> None:
    assert extract_value(card(), SelectorSpec.model_validate(spec), base_url=BASE) == expected


def test_absolute_xpath_at_document_root_is_evaluated_as_written() -> None:
    page = parsel.Selector(text=CARD)
    assert extract_value(page, SelectorSpec.model_validate("/html/body/h2")) == "Page heading"
    assert extract_value(page, SelectorSpec.model_validate("//h3")) == "Tiny Tumblers"


def test_attr_without_base_url_stays_relative() -> None:
    assert extract_value(card(), SelectorSpec.model_validate("a.more::attr(href)")) == "tiny-tumblers?x=1%202"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("//h3", ".//h3"),
        ("/span", "./span"),
        (".//h3", ".//h3"),
        ("h3/a", "h3/a"),
        ("(//li)[2]", "(.//li)[2]"),
        ("//a | //b", ".//a | .//b"),
        ("count(//a)", "count(.//a)"),
        ("//a[contains(@href, '//x')]", ".//a[contains(@href, '//x')]"),
        ('//a[@title="a/b"]/@href', './/a[@title="a/b"]/@href'),
        ("../p", "../p"),
        ("descendant::p", "descendant::p"),
    ],
)
def test_relative_xpath(query: str, expected: str) -> None:
    assert relative_xpath(query) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Sat, Dec 5<br>10am</p>", "Sat, Dec 5 10am"),
        ("<p>Sat, Dec 5<br/>10am</p>", "Sat, Dec 5 10am"),
        ("<div><script>var a = '<b>x</b>';</script>Open <style>p{}</style>daily</div>", "Open daily"),
        ("<div>A<noscript>enable js</noscript><template><p>t</p></template>B</div>", "AB"),
        ("<ul><li>Mon</li><li>Tue</li></ul>", "Mon Tue"),
        ("<table><tr><td>Swim</td><td>$5</td></tr></table>", "Swim $5"),
        ("<p><b>Fr</b>ee &amp; <i>fun</i></p>", "Free & fun"),
        ("<p>a<!-- hidden -->b</p>", "ab"),
        ("<div><p>One</p><p>Two</p></div>", "One Two"),
        ("<p>icon<svg><title>calendar</title></svg> Jan 5</p>", "icon Jan 5"),
        ("<p>\n\t  spaced \u00a0 out \n</p>", "spaced out"),
        ("<p>Lego \x1b\x07Build\x7f Club\x85</p>", "Lego Build Club"),  # control characters dropped
        # a date badge: each part in its own box, no text between them
        ("<div><span>March</span><span>19</span><span>10:00 AM</span></div>", "March 19 10:00 AM"),
        ("<p>May 19<sup>th</sup>, 6<sup>pm</sup></p>", "May 19th, 6pm"),  # superscripts stay joined
        ("<p><b>Fr</b><!-- x -->ee</p>", "Free"),  # a comment is no box
    ],
)
def test_visible_text(html: str, expected: str) -> None:
    node = parsel.Selector(text=html).css("body > *")[0]
    assert visible_text(node) == expected


def test_visible_text_of_a_targeted_script_is_read() -> None:
    node = parsel.Selector(text="<body><script>var date = '2027-01-05';</script></body>").css("script")[0]
    assert visible_text(node) == "var date = '2027-01-05';"


def test_visible_text_survives_nesting_deeper_than_the_recursion_limit() -> None:
    html = "<div>" * 1500 + "deep" + "</div>" * 1500
    assert visible_text(parsel.Selector(text=html).css("body")[0]) == "deep"


def test_select_nodes_on_a_selector_list() -> None:
    cards = parsel.Selector(text="<div class=c><i>1</i></div><div class=c><i>2</i><i>3</i></div>").css(
        "div.c"
    )
    assert [visible_text(n) for n in select_nodes(cards, SelectorSpec.model_validate("i"))] == ["1", "2", "3"]


def test_xpath_runtime_error_names_the_query() -> None:
    with pytest.raises(SelectorEvaluationError, match="nosuchfn"):
        select_nodes(card(), SelectorSpec(kind="xpath", query="nosuchfn(.//h3)"))


def test_number_result_of_xpath_is_text() -> None:
    assert extract_value(card(), SelectorSpec.model_validate("xpath:count(.//li)")) == "3"


def test_a_title_leaves_out_text_for_screen_readers_only_and_other_fields_keep_it() -> None:
    """ "Board Meeting<span class="sr-only"> Details</span>" is titled "Board Meeting"; a month
    grid's cell says its weekday only to screen readers, and a date keeps it."""
    page = parsel.Selector(
        text='<div class="card"><h3>Board Meeting<span class="visually-hidden"> Details</span></h3>'
        '<p class="when"><span class="sr-only">Tuesday, October</span> 8</p>'
        '<h4><span class="screen-reader-text">Read more</span></h4></div>'
    )
    card = page.css("div.card")[0]

    def read(query: str, *, sighted: bool) -> str | None:
        return extract_value(card, SelectorSpec(kind="css", query=query), sighted=sighted)

    assert read("h3", sighted=True) == "Board Meeting"
    assert read("h3", sighted=False) == "Board Meeting Details"
    assert read("p.when", sighted=False) == "Tuesday, October 8"
    assert read("h4", sighted=True) == "Read more"  # nothing else to read: the hidden text stays
    every = extract_value(card, SelectorSpec(kind="css", query="h3", multiple=True), sighted=True)
    assert every == "Board Meeting"  # a title of several matches reads each the same way
