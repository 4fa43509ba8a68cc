"""Page shapes that made the analyzer propose more items than a page shows: each on a small
written page, checked through the crawl's own extraction."""

from __future__ import annotations

from datetime import date

from analyzers.heuristics import PageSample, propose_config
from famact.listing import normalize_listing
from famact_crawler.extract.engine import extract_page

from .helpers import engine_titles

URL = "https://rivertown.example/departments/water-board/"

EVENTS = [
    ("Water Board Public Hearing", "2026-04-14", "Apr", "14"),
    ("Water Board Budget Session", "2026-05-12", "May", "12"),
    ("Water Board Annual Meeting", "2026-06-09", "Jun", "9"),
]

NAV = (
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/departments/'>Departments</a></li>"
    "<li><a href='/contact'>Contact</a></li></ul></nav>"
)


def _event_with_popup(i: int, title: str, iso: str, month: str, day: str) -> str:
    """One calendar entry rendered twice: a summary row, and the pop-up with its details."""
    return (
        f'<li class="cal-event"><div class="cal-event-details">'
        f'<div class="row event-row" data-open="ev{i}"><div class="cal-date">'
        f'<span class="month">{month}</span> <span class="day">{day}</span></div>'
        f'<div class="cal-info"><span class="cal-title">{title}</span> '
        f'<span class="cal-start" content="{iso}T10:30:00">{iso} 10:30 am</span></div></div>'
        f'<div id="ev{i}" class="reveal reveal--calendar"><h3><span class="cal-title">{title}</span></h3>'
        f'<div class="details"><span class="cal-start">{iso} 10:30 am</span> - '
        f'<span class="cal-end">12:00 pm</span><p>Held online; see the agenda for how to join.</p>'
        f'<a href="https://rivertown.example/agenda-{i}.pdf">Agenda</a></div></div>'
        f"</div></li>"
    )


def _calendar() -> str:
    return (
        '<ul class="cal-list">'
        + "".join(_event_with_popup(i, *event) for i, event in enumerate(EVENTS))
        + "</ul>"
    )


def _propose(html: str):  # type: ignore[no-untyped-def]
    return propose_config([PageSample(URL, html)], source_id="water", source_name="water", base_url=URL)


def test_summary_row_and_its_popup_are_one_listing() -> None:
    # A calendar widget renders every event as a row plus a hidden pop-up holding the same
    # event: the two differently classed children of each entry alternate like zebra stripes,
    # but each entry holds one of each, so they are two renderings of one item.
    html = (
        f"<html><body>{NAV}<main><h1>Water Board</h1><h2>Upcoming meetings</h2>{_calendar()}</main>"
        "<footer><p>City of Rivertown</p></footer></body></html>"
    )
    titles = engine_titles(html, URL, _propose(html).config)
    assert sorted(titles) == sorted(t for t, *_ in EVENTS)


POSTS = [
    ("Water Board welcomes two new members", "2026-02-10", "February 10, 2026"),
    ("Statement on the spring rate review", "2026-01-31", "January 31, 2026"),
    ("New online payment portal opens", "2026-01-17", "January 17, 2026"),
    ("Holiday office hours announced", "2025-12-22", "December 22, 2025"),
]


def test_news_posts_beside_a_calendar_are_no_second_kind_of_listing() -> None:
    # A department page shows its event calendar and, below it, news cards dated by when each
    # post went out: titled and dated, yet posts, not a second kind of listing to merge in.
    cards = "".join(
        f'<div class="cell post-card"><article class="post"><a href="/news/{i}" class="card">'
        f'<header><h1>{title}</h1></header><div class="post-meta"><span class="date-published">'
        f'<time datetime="{iso}">{shown}</time></span></div></a></article></div>'
        for i, (title, iso, shown) in enumerate(POSTS)
    )
    html = (
        f"<html><body>{NAV}<main><h1>Water Board</h1><h2>Upcoming meetings</h2>{_calendar()}"
        f'<h2>News</h2><div class="grid">{cards}</div></main>'
        "<footer><p>City of Rivertown</p></footer></body></html>"
    )
    titles = engine_titles(html, URL, _propose(html).config)
    assert sorted(titles) == sorted(t for t, *_ in EVENTS)


def test_year_month_and_day_columns_give_the_stated_year() -> None:
    # A meetings table prints the year, the month and the day in three cells ("2021 | May |
    # 20"): the row reads "2021 May 20", whose year is the one printed first, not a guess.
    rows = [("2021", "May", "20", "Regular"), ("2021", "May", "11", "Special"),
            ("2021", "April", "26", "Workshop"), ("2021", "April", "12", "Regular")]  # fmt: skip
    body = "".join(
        f"<tr><td><p>{y}</p></td><td><p>{m}</p></td><td><p>{d}</p></td><td><p>{t}</p></td>"
        f'<td><a href="/agenda/{i}.pdf">Agenda</a></td><td><a href="/minutes/{i}.pdf">Minutes</a></td></tr>'
        for i, (y, m, d, t) in enumerate(rows)
    )
    html = (
        f"<html><body>{NAV}<main><h1>School Board Meetings</h1>"
        f'<div class="article"><table><tbody>{body}</tbody></table></div></main></body></html>'
    )
    config = _propose(html).config
    result = extract_page(html, URL, config)
    raws = [*result.listings, *(teaser for _, teaser in result.detail_requests)]  # rows link to PDFs
    days = [normalize_listing(raw, today=date(2024, 4, 2)).when.start_date for raw in raws]
    expected = ["2021-04-12", "2021-04-26", "2021-05-11", "2021-05-20"]
    assert sorted(d.isoformat() for d in days if d) == expected


def test_a_link_printed_as_a_file_name_is_no_title() -> None:
    # Each meeting names itself after its date ("01/08/2026 Harbor Board Regular Meeting") and
    # lists its documents as links printed as file names: those name a download, not the item.
    # A board meets under the same few names month after month.
    days = ["01/08/2026", "12/11/2025", "11/13/2025", "10/09/2025", "09/11/2025", "08/14/2025"]
    names = ["Harbor Board Regular Meeting", "Harbor Board Regular Meeting", "Housing Corporation Meeting"]
    meetings = [(day, names[i % 3]) for i, day in enumerate(days)]
    rows = "".join(
        f'<div class="row"><div class="cell cell-name"><span>{day} {name}</span></div>'
        f'<div class="cell cell-files"><ul><li><span class="doc"><a href="/files/{i}-agenda.pdf">'
        f'{day.replace("/", ".")} AGENDA - {name}.pdf</a></span></li><li><span class="doc">'
        f'<a href="/files/{i}-item-a.pdf">{day.replace("/", ".")} Item A{i} - Contract.pdf</a></span></li>'
        f"</ul></div></div>"
        for i, (day, name) in enumerate(meetings)
    )
    html = (
        f'<html><body>{NAV}<main><h1>Board Meetings</h1><div class="board-meetings">{rows}</div>'
        "</main></body></html>"
    )
    assert sorted(engine_titles(html, URL, _propose(html).config)) == sorted(n for _, n in meetings)


SHOWS = [
    ("The Winter's Tale", "Mon 10 February – Sat 10 May 2025", "2025-02-10"),
    ("Peter Pan", "Sat 31 May – Sat 23 August 2025", "2025-05-31"),
    ("The Snow Queen", "Tue 2 December 2025 – Sat 7 February 2026", "2025-12-02"),
]
THEATRE = "https://quayside-theatre.example/performances/"


def test_a_whats_on_menu_of_dated_shows_is_the_listing_when_the_page_draws_the_rest_by_script() -> None:
    # A theatre's performances page: the calendar is drawn by a ticketing script, so its HTML
    # holds only the site menu, whose "What's on" panel lists each show with its run.
    entries = "".join(
        f'<div class="menu-item"><a class="menu-link" href="/whats-on/{t.lower().replace(" ", "-")}/">'
        f'<img alt="{t}" src="/img/{i}.jpg"><h4 class="menu-heading">{t}</h4>'
        f'<span class="menu-sub date">{run}</span></a></div>'
        for i, (t, run, _) in enumerate(SHOWS)
    )
    html = (
        "<html><body><header><a href='/'>Quayside Theatre</a></header>"
        f"<nav class='overlay'><h3>What's on</h3>{entries}<ul><li><a href='/visit'>Visit</a></li>"
        "<li><a href='/about'>About</a></li></ul></nav>"
        "<main><h1>Performances</h1><div id='calendar' data-widget='tickets'>Loading...</div></main>"
        "</body></html>"
    )
    config = propose_config(
        [PageSample(THEATRE, html)], source_id="quayside", source_name="Quayside Theatre", base_url=THEATRE
    ).config
    assert engine_titles(html, THEATRE, config) == [t for t, *_ in SHOWS]


def _show_card(title: str, genre: str, start: str, end: str) -> str:
    slug = title.lower().replace(" ", "-")
    return (
        f'<div role="listitem" class="production-item">'
        f'<a href="/productions/{slug}" class="production-image">'
        f'<img alt="{title}" src="/img/{slug}.jpg"></a><div class="production-info">'
        f'<h3 class="genre">{genre}</h3><h2 class="show-title">{title}</h2>'
        f"<p>A new production of {title}, for audiences of every age.</p>"
        f'<div class="dates"><div class="date">{start}</div><div class="dash">-</div>'
        f'<div class="date">{end}</div></div>'
        f'<a href="/productions/{slug}" class="button">More</a></div></div>'
    )


def test_show_cards_with_a_genre_label_heading_win_over_the_news_cards_beside_them() -> None:
    # Each show card prints its genre as a heading above its title: a label the cards share, not
    # a second item inside each card. The news cards below are posts, however well dated.
    shows = [
        ("White Rose", "theatre", "27 Feb", "13 Apr"),
        ("Faygele", "theatre", "30 Apr", "7 Jun"),
        ("Alice in Wonderland", "family", "12 Jul", "31 Aug"),
        ("The Gruffalo", "family", "2 Sep", "14 Sep"),
    ]
    news = [
        ("New writing scheme: playwrights announced", "12 Dec 2024"),
        ("Our patron's memorial evening", "20 Jan 2025"),
        ("We join the theatre association", "28 Jan 2025"),
        ("The autumn season revealed", "4 Feb 2025"),
    ]
    news_cards = "".join(
        f'<div class="news-item"><a href="/news/{i}" class="news-link"><img src="/n/{i}.jpg">'
        f'<div class="news-content"><div class="date">{shown}</div><h3 class="news-headline">{t}</h3>'
        f"<p>Read the story of {t.lower()} on our news page.</p></div></a></div>"
        for i, (t, shown) in enumerate(news)
    )
    html = (
        "<html><body><main><h1>What's on</h1>"
        f'<div class="production-list">{"".join(_show_card(*s) for s in shows)}</div>'
        f'<h2>Latest news</h2><div class="news-list">{news_cards}</div></main></body></html>'
    )
    url = "https://quayside-theatre.example/"
    titles = engine_titles(
        html,
        url,
        propose_config(
            [PageSample(url, html)], source_id="quayside", source_name="Quayside Theatre", base_url=url
        ).config,
    )
    assert sorted(titles) == sorted(t for t, *_ in shows)
