"""Table-driven tests of the text patterns and class normalization the detector relies on."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from analyzers.discovery import same_site, score_listing_link
from analyzers.structure.elements import stable_classes
from analyzers.structure.fields import AGES_EXTRACT_REGEX, PRICE_EXTRACT_REGEX, header_field_name
from analyzers.structure.patterns import DATE_EXTRACT_REGEX, has_date, label_value_regex


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sat, Jan 5, 2025 10am", True),
        ("January 9 @ 10:00 am", True),
        ("1/8 - 2/12", True),
        ("2025-03-08", True),
        ("sábado 5 de enero", True),
        ("Saturdays 10:30 am", True),  # a weekday with a clock time is a schedule
        ("Ages 6-10, $35", False),
        ("May we suggest a snack?", False),
        ("Open daily", False),
    ],
)
def test_has_date(text: str, expected: bool) -> None:
    assert has_date(text) is expected


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Nature Explorers - April 7-11, 9am-3pm, ages 6-10", "April 7-11"),
        ("Fri, Jan 10, 2025 · 6:30 pm", "Fri, Jan 10, 2025"),
        ("Camp June 30 - July 3, 2025 at the zoo", "June 30 - July 3, 2025"),
        ("Clases del 5 de enero al 7 de enero", "5 de enero al 7 de enero"),
        ("Meets 1/8 - 2/12 on Wednesdays", "1/8 - 2/12"),
    ],
)
def test_date_extract_regex(text: str, date: str) -> None:
    found = re.search(DATE_EXTRACT_REGEX, text)
    assert found is not None and found.group(1) == date
    assert len(DATE_EXTRACT_REGEX) <= 500  # a SelectorSpec regex is at most 500 characters


@pytest.mark.parametrize(
    ("text", "price", "ages"),
    [
        ("Ages 3-12 · $25 members / $35 community", "$25 members", "Ages 3-12"),
        ("All ages · Free for members", "Free for members", "All ages"),
        ("Ages 8-12 · $15", "$15", "Ages 8-12"),
        ("5-7 years, $120-$150", "$120-$150", "5-7 years"),
    ],
)
def test_price_and_ages_regexes(text: str, price: str, ages: str) -> None:
    price_match = re.search(PRICE_EXTRACT_REGEX, text)
    ages_match = re.search(AGES_EXTRACT_REGEX, text)
    assert price_match is not None and price_match.group(1) == price
    assert ages_match is not None and ages_match.group(1) == ages


@pytest.mark.parametrize(
    ("label", "text", "value"),
    [
        ("When", "When: Saturday, March 8, 11am-3pm Where: Magnuson Park", "Saturday, March 8, 11am-3pm"),
        ("Where", "When: Saturday, March 8, 11am-3pm Where: Magnuson Park", "Magnuson Park"),
        ("Ages", "Ages: 6 and up (under 12 with an adult)", "6 and up (under 12 with an adult)"),
        ("Cost", "Cost:$12 per person Ages: 6+", "$12 per person"),
    ],
)
def test_label_value_regex(label: str, text: str, value: str) -> None:
    found = re.search(label_value_regex(label), text)
    assert found is not None and found.group(1) == value


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Course", "title"),
        ("Activity Name", "title"),
        ("Dates", "date"),
        ("Days", "schedule"),
        ("Time", "time"),
        ("Ages", "ages"),
        ("Grades", "ages"),
        ("Fee", "price"),
        ("Cost:", "price"),
        ("Location", "venue"),
        ("Course #", None),
        ("Instructor", None),
    ],
)
def test_header_field_name(header: str, field: str | None) -> None:
    assert header_field_name(header) == field


@pytest.mark.parametrize(
    ("class_attr", "stable"),
    [
        ("card event-card featured", ("card", "event-card")),
        ("views-row views-row-1 views-row-odd views-row-first", ("views-row",)),
        ("css-1x2y3 sc-bdfBwQ kLmNoP event", ("event",)),
        # camelCase names of words are written by hand, hashes are not
        ("barItemContent qWeRtY fsCalendarEventLink", ("barItemContent", "fsCalendarEventLink")),
        ("ibfnQQ itooFk EventCard", ("EventCard",)),
        # a grid row's first and last marks are positions; "time-end" names a field
        ("production-list-item end", ("production-list-item",)),
        ("start time-end", ("time-end",)),
        # a styled-components element: its word-like letters are the generated class
        ("Text-sc-1pb273e-0 erAton event-date", ("event-date",)),
        # a token no CSS class selector can name
        ("[automation]whats-on-panel whats-on", ("whats-on",)),
        ("menu-item menu-item--active-trail is-active js-toggle", ("menu-item",)),
        ("post-123 type-tribe_events tribe_events_cat-kids", ("tribe_events_cat-kids", "type-tribe_events")),
    ],
)
def test_stable_classes(class_attr: str, stable: tuple[str, ...]) -> None:
    element = lxml_html.fragment_fromstring(f'<div class="{class_attr}">x</div>')
    assert stable_classes(element) == stable


@pytest.mark.parametrize(
    ("url", "anchor", "positive"),
    [
        ("https://site.example/events/", "Events", True),
        ("https://site.example/calendario/", "Calendario", True),
        ("https://site.example/things-to-do", "Things to do", True),
        ("https://site.example/page", "What's On", True),
        ("https://site.example/donate", "Donate to our events fund", False),
        ("https://other.example/events/", "Partner events", False),
        ("https://site.example/files/events.pdf", "Events (PDF)", False),
        ("https://site.example/about", "About us", False),
    ],
)
def test_score_listing_link(url: str, anchor: str, positive: bool) -> None:
    assert (score_listing_link(url, anchor, "https://site.example/") > 0) is positive


@pytest.mark.parametrize(
    ("url", "base", "same"),
    [
        ("https://tickets.arena.example.co.uk/show/1", "https://www.arena.example.co.uk/whats-on/", True),
        ("https://sisterarena.co.uk/show/1", "https://www.arena.example.co.uk/whats-on/", False),
        # a private suffix: two users' sites there are two sites, as the crawl's domains say
        ("https://otherclub.github.io/events", "https://kidsclub.github.io/", False),
        ("/events/1", "https://kidsclub.github.io/", False),  # no host: not a link elsewhere
    ],
)
def test_discovery_same_site_follows_the_projects_registered_domains(url: str, base: str, same: bool) -> None:
    assert same_site(url, base) is same
