"""Title and date roles on meeting-style listings (pages written here, in the shapes seen on
real sites): repeated titles, date-only cells, "title - date" text, stamps, contact cells."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from parsel import Selector

from analyzers.structure.layouts import find_listing_layouts
from analyzers.structure.patterns import date_time_only
from analyzers.structure.selecting import select_value, spec_matches


def _values(html: str, field: str) -> list[str]:
    layout = find_listing_layouts(html)[0]
    assert field in layout.fields, layout.fields
    page = Selector(text=html)
    return [select_value(c, layout.fields[field]) or "" for c in spec_matches(page, layout.item)]


def _rows(cells: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<tr class="meeting"><td class="when">{a}</td><td class="what">{b}</td>'
        f'<td class="where">{c}</td></tr>'
        for a, b, c in cells
    )
    return f"<html><body><main><h1>Meetings</h1><table>{body}</table></main></body></html>"


def test_date_time_only() -> None:
    assert date_time_only("Jan 10, 2022 5:30 PM")
    assert date_time_only("Sep 26, 2022 — Posted Sep 23, 2022 8:19 AM")
    assert date_time_only("Tuesday 10:00-11:00")
    assert not date_time_only("City Council - Regular Meeting")
    assert not date_time_only("Storytime at 10am")
    assert not date_time_only("Wednesday, July 8th: Fair")


def test_a_repeated_title_is_the_title_and_the_date_cell_never_is() -> None:
    html = _rows(
        [
            (f"Jan {d}, 2022 5:30 PM", "City Council Regular Meeting", "City Hall, 1 Main St")
            for d in (4, 11, 18, 25)
        ]
    )
    assert _values(html, "title") == ["City Council Regular Meeting"] * 4


def test_title_before_a_date_is_split_off_it() -> None:
    items = "".join(
        f'<li class="doc"><span class="left">{t} – {d}</span> <a class="right" href="/d{i}.pdf">View</a></li>'
        for i, (t, d) in enumerate(
            [("Regular Board Meeting", "January 25, 2022"), ("Special Board Meeting", "February 10, 2022"),
             ("Regular Board Meeting", "February 22, 2022"), ("Regular Board Meeting", "March 22, 2022")]
        )
    )  # fmt: skip
    html = f"<html><body><main><ul>{items}</ul></main></body></html>"
    assert _values(html, "title") == [
        "Regular Board Meeting", "Special Board Meeting", "Regular Board Meeting", "Regular Board Meeting"
    ]  # fmt: skip
    assert _values(html, "date")[1] == "February 10, 2022"


def test_contact_cells_are_never_titles() -> None:
    html = _rows([(f"3/{d}/2024", f"clerk{d}@city.example.gov", "Room 2") for d in (4, 11, 18)])
    layouts = find_listing_layouts(html)
    assert all("@" not in t for layout in layouts for t in layout.sample_titles)


def _meeting_tables(meetings: list[tuple[str, str]]) -> str:
    """Each meeting as "12/05/22 Regular Meeting" in an unclassed cell, its document links beside it."""
    links = ["Agenda Packet More...", "Agenda", "Agenda Packet Video", "Agenda Packet More..."]
    rows = "".join(
        f'<table><tr><td valign="top">{d}\n   {t}</td>'
        f'<td><a href="/a{i}.pdf">{links[i].split()[0]}</a> '
        f'<a href="/m{i}">{" ".join(links[i].split()[1:])}</a></td>'
        "</tr></table>"
        for i, (d, t) in enumerate(meetings)
    )
    return f"<html><body><div id='post'><h1>Council Meetings</h1>{rows}</div></body></html>"


def _event_boxes(events: list[tuple[str, str]]) -> str:
    """One table per event; the cells carry per-item ids only, so no class or tag names them."""
    tables = "".join(
        f'<div class="event-box"><table id="t{i}">'
        f'<tr><td id="c{i}_title" colspan="2"><strong>{d}</strong>&nbsp;9:00 am to 12:00 pm : {t}</td></tr>'
        f'<tr><td class="label">Location:</td><td class="data">Room {i}0{i}, 400 Market Street</td></tr>'
        "</table></div>"
        for i, (d, t) in enumerate(events)
    )
    return f"<html><body><main><h1>Calendar of events</h1>{tables}</main></body></html>"


# A date heads each unclassed title cell: the title is split off it, and what else the item
# holds (document links; a label/data location row) is never taken for the title.
_DATE_HEADED_TITLES = {
    "numeric-date-and-document-links": (
        _meeting_tables,
        [("12/05/22", "Regular Meeting"), ("11/21/22", "Regular Meeting"),
         ("11/07/22", "Special Meeting"), ("10/17/22", "Regular Meeting")],
        (2, "11/07/22"),
    ),
    "unclassed-cell-read-by-position": (
        _event_boxes,
        [("8/29/2026", "Farm Advisory Board meeting"), ("9/11/2026", "Sewage Committee"),
         ("9/12/2026", "Solid Waste Committee Meeting"), ("9/17/2026", "Citizens Council meeting")],
        None,
    ),
}  # fmt: skip


@pytest.mark.parametrize(("page", "items", "date_at"), _DATE_HEADED_TITLES.values(), ids=_DATE_HEADED_TITLES)
def test_a_date_heading_an_unclassed_cell_is_split_off_the_title(
    page: Callable[[list[tuple[str, str]]], str],
    items: list[tuple[str, str]],
    date_at: tuple[int, str] | None,
) -> None:
    html = page(items)
    assert _values(html, "title") == [t for _, t in items]
    if date_at is not None:
        index, value = date_at
        assert _values(html, "date")[index] == value


def test_a_table_whose_months_head_rows_of_one_wide_cell_lists_only_its_meetings() -> None:
    """Unclassed rows, the month of each block in a row of one cell spanning the table: those
    rows are headings, and the item selector must leave them out."""
    board = "Board meeting"
    blocks = [("January", [("Annual Meeting", "", "January 25"), (board, "9:30 a.m.", "January 25")]),
              ("February", [(board, "9:30 a.m.", "February 22")]),
              ("March", [(board, "9:30 a.m.", "March 29")])]  # fmt: skip
    rows = "".join(
        f'<tr><td colspan="4"><strong>{month}</strong></td></tr>'
        + "".join(f"<tr><td>{t}</td><td>{h}</td><td>{d}</td><td>&nbsp;</td></tr>" for t, h, d in meetings)
        for month, meetings in blocks
    )
    table = f"<table border='1'><tbody>{rows}</tbody></table>"
    html = f"<html><body><div class='Normal'><p>Schedule</p>{table}</div></body></html>"
    assert _values(html, "title") == ["Annual Meeting", "Board meeting", "Board meeting", "Board meeting"]
    assert _values(html, "date") == ["January 25", "January 25", "February 22", "March 29"]


def test_a_recordings_duration_is_never_a_title() -> None:
    """A video archive's running-time column ("01h 45m") won the title over the meetings'
    names on a real archive page; a duration names nothing."""
    from analyzers.structure.fields import _looks_like_title

    for duration in ("01h 45m", "1 hr 30 min", "45 min", "1:45:00", "2h"):
        assert not _looks_like_title(duration), duration
    for title in ("2 Hour Workshop", "City Council Meeting 12-12-22", "Minecraft Club"):
        assert _looks_like_title(title), title


@pytest.mark.parametrize(
    "card",
    [
        # date line, name line, notes: all in one link of a heading, lines split by <br>
        '<div><h2><a href="/tickets"><span><span>{date} | 7pm</span></span><br> '
        "<span>{name}<br> <span>ALL AGES</span></span><br> <span>Doors at 6:30pm</span></a></h2></div>",
        # a paragraph of own lines: date, name, time
        '<div class="card"><p>{date}<br>{name}<br>7:00 pm - 8:00 pm</p></div>',
    ],
)
def test_a_name_on_its_own_line_of_a_card_is_the_title(card: str) -> None:
    """A card printing its date, its name and its notes as lines of one element: the whole
    text is no title; the name's line is."""
    shows = [
        ("Friday, March 5th", "The Puddle Jumpers, folk trio"),
        ("Saturday, April 10th", "Marimba Duo Matinee"),
        ("Sunday, May 16th", "Young Strings Showcase"),
        ("Friday, June 4th", "Harbor Brass Quintet"),
    ]
    cards = "".join(card.format(date=d, name=n) for d, n in shows)
    html = f"<html><body><main><h1>Concert season</h1>{cards}</main></body></html>"
    assert _values(html, "title") == [n for _, n in shows]


def test_a_link_every_row_labels_alike_is_not_the_title() -> None:
    """A video archive: the meeting's name as plain text in the first cell, its date, and a link
    that says "Board Agenda" on every row (the one link in the row, so the usual title pick).
    The title is the cell that tells the meetings apart, though it repeats too."""
    names = ["Harbor Board Meeting", "Harbor Board Special Meeting", "Harbor Board Meeting"] * 4
    rows = "".join(
        f'<tr class="listingRow"><td class="listItem" headers="Name">{name}</td>'
        f'<td class="listItem">Mar {n + 1}, 2022</td>'
        f'<td class="listItem"><a href="/AgendaViewer.php?clip_id={n}">Board Agenda</a></td></tr>'
        for n, name in enumerate(names)
    )
    html = f'<html><body><main><table class="listingTable">{rows}</table></main></body></html>'
    assert _values(html, "title") == names
