"""Listing shapes of pages nobody tuned on: the general mechanisms, each on a small written page."""

from __future__ import annotations

import re
from datetime import date

from analyzers.heuristics import PageSample, propose_config
from analyzers.structure.fields import AGES_EXTRACT_REGEX
from famact.listing import normalize_listing
from famact.normalize.dates import numeric_date_order
from famact_crawler.extract.engine import extract_page

from .helpers import engine_titles

URL = "https://harborcity.example/meetings"

MEETINGS = [
    ("Harbor Commission Regular Meeting", "1/8/2026"),
    ("Water Board Work Session", "1/15/2026"),
    ("Harbor Commission Special Meeting", "1/22/2026"),
    ("Parks Advisory Committee", "2/3/2026"),
    ("Library Trustees Annual Meeting", "2/10/2026"),
    ("Planning Commission Hearing", "2/17/2026"),
]


def _striped_grid(row_classes: tuple[str, str]) -> str:
    rows = "".join(
        f'<tr class="{row_classes[i % 2]}"><td>{title}</td><td>{date}</td>'
        f'<td><a href="/docs/agenda-{i}.pdf">Agenda</a></td></tr>'
        for i, (title, date) in enumerate(MEETINGS)
    )
    return (
        "<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/meetings'>Meetings</a></li>"
        "<li><a href='/contact'>Contact</a></li></ul></nav><main><h1>Board Meetings</h1>"
        '<table class="rgMasterTable"><thead><tr><th>Meeting</th><th>Date</th><th>Agenda</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></main><footer><p>Harbor City</p></footer></body></html>"
    )


def _propose(html: str):  # type: ignore[no-untyped-def]
    return propose_config([PageSample(URL, html)], source_id="harbor", source_name="harbor", base_url=URL)


def test_striped_rows_are_one_listing_whatever_the_stripe_classes() -> None:
    # A grid control (Telerik RadGrid and the like) classes alternate rows differently: the
    # listing is every row, not the odd half.
    for classes in (("rgRow", "rgAltRow"), ("row1", "row2"), ("gridRow", "gridAlternate")):
        html = _striped_grid(classes)
        config = _propose(html).config
        assert sorted(engine_titles(html, URL, config)) == sorted(t for t, _ in MEETINGS), classes


def test_two_kinds_of_sibling_in_blocks_are_not_merged_as_stripes() -> None:
    # Meetings first, then notices: two classes that do not alternate stay two groups.
    meetings = "".join(
        f'<div class="meeting"><h3>{t}</h3><p>{d} at 6 pm</p><a href="/m/{i}">Details</a></div>'
        for i, (t, d) in enumerate(MEETINGS)
    )
    notices = "".join(
        f'<div class="notice"><p>Notice {i}: road work on Main Street</p></div>' for i in range(6)
    )
    html = f"<html><body><main>{meetings}{notices}</main></body></html>"
    titles = engine_titles(html, URL, _propose(html).config)
    assert sorted(titles) == sorted(t for t, _ in MEETINGS)


def test_agenda_is_no_age_range() -> None:
    assert re.search(AGES_EXTRACT_REGEX, "Regular Meeting Agenda") is None
    assert re.search(AGES_EXTRACT_REGEX, "Housing Agency board") is None
    found = re.search(AGES_EXTRACT_REGEX, "Story time, ages 3-5, free")
    assert found is not None and found.group(1).lower().startswith("ages 3")


def test_striped_grid_items_carry_no_ages() -> None:
    html = _striped_grid(("rgRow", "rgAltRow"))
    result = extract_page(html, URL, _propose(html).config)
    teasers = [t for _, t in result.detail_requests] + list(result.listings)
    assert teasers and all(not t.fields.get("ages") for t in teasers)


def _day_first_page() -> str:
    # A non-US board: "25/11/2026" has no month 25, so "03/12/2026" is the 3rd of December.
    rows = [
        ("Harbour Trust Board", "25/11/2026"),
        ("Harbour Trust Audit Committee", "03/12/2026"),
        ("Harbour Trust Board", "10/12/2026"),
        ("Harbour Trust Annual Meeting", "14/01/2027"),
    ]
    body = "".join(
        f'<li class="meeting"><h3>{title}</h3><p class="when">{when} at 6:00 pm</p>'
        f"<p>Held in the Harbour Room, Quay Street.</p></li>"
        for title, when in rows
    )
    return f"<html><body><main><h1>Meetings</h1><ul class='meetings'>{body}</ul></main></body></html>"


def test_a_page_whose_dates_are_day_first_reads_every_date_day_first() -> None:
    html = _day_first_page()
    result = extract_page(html, URL, _propose(html).config)
    listings = list(result.listings) + [t for _, t in result.detail_requests]
    days = [normalize_listing(raw, today=date(2026, 11, 1)).when.start_date for raw in listings]
    assert days == [date(2026, 11, 25), date(2026, 12, 3), date(2026, 12, 10), date(2027, 1, 14)]


def test_numeric_date_order_needs_a_forcing_date_and_no_contrary_one() -> None:
    assert numeric_date_order(["25/11/2026", "03/12/2026"]) == "dmy"
    assert numeric_date_order(["03/12/2026", "04/01/2027"]) is None  # nothing forces it
    assert numeric_date_order(["25/11/2026", "11/25/2026"]) is None  # inconsistent page
    assert numeric_date_order([None, "Jan 5, 2026"]) is None


def _month_grid() -> str:
    events = {
        3: "Planning Commission",
        10: "City Council Regular Meeting",
        12: "Library Board",
        24: "Parks Board",
    }
    weeks = []
    for week in range(5):
        cells = []
        for weekday in range(7):
            day = week * 7 + weekday + 1
            event = (
                f'<div class="event"><a href="/calendar/{day}">{events[day]}</a><span>6:00 PM</span></div>'
                if day in events
                else ""
            )
            cell = f'<td class="day"><span class="num">{day}</span>{event}</td>'
            cells.append(cell if day <= 31 else "<td></td>")
        weeks.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{d}</th>" for d in ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"))
    return (
        "<html><body><main><h1>Calendar</h1><h2>March 2026</h2>"
        f'<table class="calendar"><thead><tr>{head}</tr></thead><tbody>{"".join(weeks)}</tbody></table>'
        "</main></body></html>"
    )


def test_month_grid_items_take_their_day_cell_and_month_heading_as_date() -> None:
    html = _month_grid()
    result = extract_page(html, URL, _propose(html).config)
    listings = list(result.listings) + [t for _, t in result.detail_requests]
    today = date(2026, 3, 1)
    dated = {raw.fields["title"]: normalize_listing(raw, today=today).when.start_date for raw in listings}
    assert dated == {
        "Planning Commission": date(2026, 3, 3),
        "City Council Regular Meeting": date(2026, 3, 10),
        "Library Board": date(2026, 3, 12),
        "Parks Board": date(2026, 3, 24),
    }


def _two_venues_page() -> str:
    """A venue's events page that shows the sister venue's shows in the same cards first."""

    def cards(host: str, shows: list[str]) -> str:
        return "".join(
            f'<div class="show-card"><img src="/i/{i}.jpg"><h3 class="name">{name}</h3>'
            f'<p class="when">Sat {i + 4} Apr 2026</p>'
            f'<a class="book" href="https://{host}/shows/{i}">Book now</a></div>'
            for i, name in enumerate(shows)
        )

    sister = [f"Arena Night {n}" for n in range(1, 13)]
    own = [f"Family Matinee {n}" for n in range(1, 13)]
    return (
        '<html><head><link rel="canonical" href="https://hallarena.example/whats-on/"></head><body>'
        "<h1>What's on</h1>"
        f'<section class="also"><h2>At our sister arena</h2><div class="cards" id="other-results">'
        f'{cards("sisterarena.example", sister)}</div></section>'
        f'<section class="ours"><div class="cards" id="our-results">{cards("hallarena.example", own)}'
        "</div></section></body></html>"
    )


def test_of_two_lists_alike_the_one_linking_to_the_site_itself_is_the_listing() -> None:
    """Served from anywhere (a proxy, a saved copy), the canonical URL says which site it is."""
    html = _two_venues_page()
    url = "http://127.0.0.1:8080/whats-on/"
    proposal = propose_config([PageSample(url, html)], source_id="hall", source_name="hall", base_url=url)
    titles = engine_titles(html, url, proposal.config)
    assert titles == [f"Family Matinee {n}" for n in range(1, 13)]
