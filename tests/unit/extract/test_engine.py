"""The extraction engine on whole pages: listings, structured-data merge, detail requests,
pagination, heading context, and pages that are empty, huge or broken."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from famact.constants import EntityType
from famact.models import DetailConfig, RawListing, SelectorSpec, SourceConfig
from famact_crawler.extract.engine import (
    MAX_PAGE_BYTES,
    PageUrlError,
    extract_detail,
    extract_page,
    is_archive_page,
    merge_listings,
    url_allowed,
)

PAGES = Path(__file__).parent / "pages"
EVENTS_URL = "https://lib.example.org/events"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def config(**overrides: Any) -> SourceConfig:
    data: dict[str, Any] = {
        "source_id": "greenwood-library",
        "source_name": "Greenwood Library",
        "base_url": EVENTS_URL,
        "listing": {
            "item": "article.event-card",
            "fields": {
                "title": "h3.title",
                "url": "h3.title a::attr(href)",
                "date": "p.when",
                "description": "p.desc",
                "price": "span.price",
            },
            "pagination": {"next_page": "a.next"},
        },
    }
    data.update(overrides)
    return SourceConfig.model_validate(data)


def by_title(listings: list[RawListing]) -> dict[str, RawListing]:
    return {listing.fields["title"]: listing for listing in listings}


# --------------------------------------------------------------------------------------------
# A listing page with five cards and JSON-LD


def test_listing_page_cards_merged_with_json_ld() -> None:
    result = extract_page(page("listing_cards.html"), EVENTS_URL, config())

    listings = by_title(result.listings)
    assert list(listings) == [
        "Toddler Storytime",
        "LEGO® Build Club",
        "Family Movie Night",
        "Kids Chess",
        "Baby Sign Language",
    ]
    storytime = listings["Toddler Storytime"]
    assert storytime.extracted_via == "merged"
    assert storytime.structured_type == "ChildrensEvent"
    assert storytime.url == "https://lib.example.org/events/toddler-storytime"
    assert storytime.fields == {
        "title": "Toddler Storytime",
        "url": "https://lib.example.org/events/toddler-storytime",
        "date": "2027-01-05T10:30:00-08:00",  # structured data wins for dates
        "end_date": "2027-01-05T11:00:00-08:00",
        "description": "Songs, rhymes and books for walkers.",
        "price": "Free",
        "venue": "Greenwood Branch",
        "address": "8016 Greenwood Ave N, Seattle, WA 98103",
        "city": "Seattle",
        "ages": "ages 1-3",
        "type": "ChildrensEvent",
    }
    # Matched by title (the card's ® is not part of the key); structured price and status win.
    lego = listings["LEGO® Build Club"]
    assert lego.extracted_via == "merged"
    assert (lego.fields["price"], lego.fields["status"]) == ("$5", "Cancelled")
    assert lego.fields["description"] == "Build with thousands of bricks."
    assert listings["Family Movie Night"].fields["date"] == "2027-01-09T18:00:00-08:00"
    chess = listings["Kids Chess"]
    assert chess.extracted_via == "selectors"
    assert chess.fields == {
        "title": "Kids Chess",
        "url": "https://lib.example.org/events/chess",
        "date": "Sun, Jan 10",
    }
    only_structured = listings["Baby Sign Language"]
    assert only_structured.extracted_via == "json-ld"
    assert only_structured.fields["venue"] == "Meeting Room"

    for listing in result.listings:
        assert listing.source_id == "greenwood-library"
        assert listing.page_url == EVENTS_URL
        assert listing.page_context["page_title"] == "Family Events | Greenwood Library"
    # Each card's heading is the page's h1, never the previous card's own title.
    assert {
        listings[t].page_context["heading"] for t in ("Toddler Storytime", "LEGO® Build Club", "Kids Chess")
    } == {"Family Events"}

    assert result.page_context == {"page_title": "Family Events | Greenwood Library", "h1": "Family Events"}
    assert result.detail_requests == []
    assert result.next_pages == ["https://lib.example.org/events?page=2"]
    stats = result.stats
    assert stats["items_matched"] == 5
    assert stats["items_without_title"] == 1  # the card whose title is only &nbsp;
    assert stats["jsonld_malformed"] == 1
    assert stats["structured_items"] == 4
    assert stats["merged"] == 3
    assert stats["selector_no_match:price"] == 4
    assert stats["next_page_off_domain"] == 1
    assert stats["listings"] == 5


def test_structured_data_disabled_keeps_card_text() -> None:
    cfg = config(structured_data={"enabled": False})
    result = extract_page(page("listing_cards.html"), EVENTS_URL, cfg)
    listings = by_title(result.listings)
    assert "Baby Sign Language" not in listings
    assert listings["Toddler Storytime"].fields["date"] == "Tue, Jan 5 10:30am"
    assert result.stats["jsonld_malformed"] == 0


def test_type_hint_comes_from_defaults() -> None:
    cfg = config(defaults={"entity_type": "EVENT"})
    result = extract_page(page("listing_cards.html"), EVENTS_URL, cfg)
    assert {listing.type_hint for listing in result.listings} == {EntityType.EVENT}


def test_seed_flat_content_selectors() -> None:
    cfg = SourceConfig(
        source_id="greenwood-library",
        source_name="Greenwood Library",
        base_url=EVENTS_URL,
        structured_data={"enabled": False},
        content_selectors={
            "container": "article.event-card",
            "event_name": "h3.title",
            "link": "h3.title a",  # a plain selector for a link means its href
            "when": "p.when",
            "next_page": "a.next::attr(href)",
        },
    )
    result = extract_page(page("listing_cards.html"), EVENTS_URL, cfg)
    assert [(x.fields["title"], x.url, x.fields["date"]) for x in result.listings][:2] == [
        ("Toddler Storytime", "https://lib.example.org/events/toddler-storytime", "Tue, Jan 5 10:30am"),
        ("LEGO® Build Club", "https://lib.example.org/events/lego-club", "Thu, Jan 7 4pm"),
    ]
    assert result.next_pages == ["https://lib.example.org/events?page=2"]


def test_item_without_any_field_is_skipped_and_counted() -> None:
    html = "<div class='c'><h3>A</h3></div><div class='c'><p>nothing we select</p></div>"
    cfg = config(listing={"item": "div.c", "fields": {"title": "h3"}})
    result = extract_page(html, EVENTS_URL, cfg)
    assert [x.fields["title"] for x in result.listings] == ["A"]
    assert result.stats["items_empty"] == 1
    assert result.stats["selector_no_match:title"] == 1


def test_failing_field_selector_is_counted_not_raised() -> None:
    cfg = config(
        listing={"item": "article.event-card", "fields": {"title": "h3.title", "date": "xpath:nope(.)"}}
    )
    result = extract_page(page("listing_cards.html"), EVENTS_URL, cfg)
    assert "Kids Chess" in by_title(result.listings)
    assert result.stats["selector_error:date"] == 5


# --------------------------------------------------------------------------------------------
# Detail pages


def detail_config(**detail: Any) -> SourceConfig:
    return config(
        detail={
            "fields": {"title": "h1.event-title", "description": "div.event-body", "ages": ".event-ages"},
            **detail,
        }
    )


def test_items_with_detail_links_become_detail_requests() -> None:
    result = extract_page(page("listing_cards.html"), EVENTS_URL, detail_config())
    urls = [url for url, _ in result.detail_requests]
    assert urls == [
        "https://lib.example.org/events/toddler-storytime",
        "https://lib.example.org/events/lego-club",
        "https://lib.example.org/events/movie-night",
        "https://lib.example.org/events/chess",
    ]
    teaser = dict(result.detail_requests)["https://lib.example.org/events/toddler-storytime"]
    assert teaser.fields["date"] == "2027-01-05T10:30:00-08:00"
    # The structured-only event has nothing to follow: it is complete as it is.
    assert [x.fields["title"] for x in result.listings] == ["Baby Sign Language"]
    assert result.stats["detail_requests"] == 4


def test_detail_follow_selector_is_evaluated_on_the_item() -> None:
    html = """
    <div class="c"><h3>Swim</h3><a class="info" href="/p/swim">Details</a><a href="/other">x</a></div>
    <div class="c"><h3>Off site</h3><a class="info" href="https://tickets.example.com/1">Buy</a></div>
    <div class="c"><h3>Self</h3><a class="info" href="#top">Top</a></div>
    """
    cfg = config(listing={"item": "div.c", "fields": {"title": "h3"}}, detail={"follow": "a.info"})
    result = extract_page(html, EVENTS_URL, cfg)
    assert [(u, t.fields["title"]) for u, t in result.detail_requests] == [
        ("https://lib.example.org/p/swim", "Swim")
    ]
    # Links off the allowed domains or to the page itself are not followed; the teaser stays.
    assert [x.fields["title"] for x in result.listings] == ["Off site", "Self"]


def test_same_detail_link_twice_is_one_request_keeping_both_dates() -> None:
    html = """
    <div class="c"><h3>Storytime</h3><p>Jan 5</p><a href="/storytime">more</a></div>
    <div class="c"><h3>Storytime</h3><p>Jan 12</p><a href="/storytime">more</a></div>
    """
    cfg = config(
        listing={"item": "div.c", "fields": {"title": "h3", "date": "p", "url": "a::attr(href)"}}, detail={}
    )
    result = extract_page(html, EVENTS_URL, cfg)
    assert len(result.detail_requests) == 1
    assert result.detail_requests[0][1].fields["date"] == "Jan 5 | Jan 12"


def test_detail_page_merges_with_teaser() -> None:
    cfg = detail_config()
    listing_page = extract_page(page("listing_cards.html"), EVENTS_URL, cfg)
    url, teaser = listing_page.detail_requests[0]

    result = extract_detail(page("detail_storytime.html"), url, cfg, teaser)

    assert len(result.listings) == 1
    listing = result.listings[0]
    assert listing.url == url
    assert listing.page_url == url
    assert listing.extracted_via == "merged"
    assert listing.fields["title"] == "Toddler Storytime"
    assert (
        listing.fields["description"] == "Join us for songs, rhymes and books. Caregivers stay with children."
    )
    assert listing.fields["ages"] == "Ages 1-3"  # the detail page wins over the teaser
    # The JSON-LD node about this page, not the "related" event listed first.
    assert listing.fields["schedule"] == "every Tuesday 10:30-11:00"
    assert listing.fields["date"] == "2027-01-05T10:30:00-08:00"
    assert listing.fields["address"] == "8016 Greenwood Ave N, Seattle, WA 98103"  # from the teaser
    assert listing.page_context["heading"] == "Family Events"  # the listing page's context is kept
    assert listing.page_context["page_title"] == "Toddler Storytime - Greenwood Library"


def test_detail_page_without_teaser_uses_its_own_structured_data() -> None:
    url = "https://lib.example.org/events/toddler-storytime"
    result = extract_detail(page("detail_storytime.html"), url, detail_config(fields={}))
    assert [x.fields["title"] for x in result.listings] == ["Toddler Storytime"]
    assert result.listings[0].extracted_via == "json-ld"


def test_detail_page_without_title_yields_nothing() -> None:
    result = extract_detail("<html><body><p>Sold out</p></body></html>", EVENTS_URL + "/x", detail_config())
    assert result.listings == []
    assert result.stats["items_without_title"] == 1


# --------------------------------------------------------------------------------------------
# Pagination and domains


def template_config(template: str, **pagination: Any) -> SourceConfig:
    return config(
        listing={
            "item": "article.event-card",
            "fields": {"title": "h3.title"},
            "pagination": {"url_template": template, **pagination},
        }
    )


@pytest.mark.parametrize(
    ("template", "options", "page_number", "expected"),
    [
        ("/events?page={page}", {}, 1, ["https://lib.example.org/events?page=2"]),
        ("/events?page={page}", {}, 4, ["https://lib.example.org/events?page=5"]),
        ("?start={page}", {"start": 1}, 1, ["https://lib.example.org/events?start=1"]),
        ("/events?page={page}", {"max_pages": 3}, 3, []),
        ("https://other.example.com/events?page={page}", {}, 1, []),
    ],
)
def test_url_template_pagination(
    template: str, options: dict[str, Any], page_number: int, expected: list[str]
) -> None:
    cfg = template_config(template, **options)
    result = extract_page(page("listing_cards.html"), EVENTS_URL, cfg, page_number=page_number)
    assert result.next_pages == expected


def test_url_template_stops_on_a_page_without_items() -> None:
    cfg = template_config("/events?page={page}")
    cfg.structured_data.enabled = False
    result = extract_page("<html><body><p>No events found.</p></body></html>", EVENTS_URL, cfg, page_number=3)
    assert result.next_pages == []


def test_next_page_selector_dedupes_and_never_proposes_the_page_itself() -> None:
    html = """<a class="n" href="/events">1</a><a class="n" href="/events?page=2">2</a>
              <a class="n" href="/events?page=2#top">2</a><a class="n" href="https://www.lib.example.org/e?p=3">3</a>
              <a class="n" href="javascript:next()">js</a>"""
    cfg = config(listing={"item": "li", "fields": {"title": "a"}, "pagination": {"next_page": "a.n"}})
    result = extract_page(html, EVENTS_URL, cfg)
    assert result.next_pages == [
        "https://lib.example.org/events?page=2",
        "https://www.lib.example.org/e?p=3",
    ]


@pytest.mark.parametrize(
    ("url", "domains", "expected"),
    [
        ("https://lib.example.org/x", ["lib.example.org"], True),
        ("https://www.lib.example.org/x", ["lib.example.org"], True),
        ("https://LIB.example.org./x", ["lib.example.org"], True),
        ("https://evil-lib.example.org/x", ["lib.example.org"], False),
        ("https://lib.example.org.evil.com/x", ["lib.example.org"], False),
        ("https://example.org/x", ["lib.example.org"], False),
        ("mailto:a@lib.example.org", ["lib.example.org"], False),
    ],
)
def test_url_allowed(url: str, domains: list[str], expected: bool) -> None:
    assert url_allowed(url, domains) is expected


def test_base_href_resolves_relative_links() -> None:
    html = (
        '<html><head><base href="https://lib.example.org/branches/greenwood/"></head><body>'
        '<div class="c"><h3><a href="storytime">Storytime</a></h3></div></body></html>'
    )
    cfg = config(listing={"item": "div.c", "fields": {"title": "h3", "url": "h3 a"}})
    result = extract_page(html, EVENTS_URL, cfg)
    assert result.listings[0].url == "https://lib.example.org/branches/greenwood/storytime"


# --------------------------------------------------------------------------------------------
# Heading context and archives


def test_season_heading_above_course_rows() -> None:
    cfg = SourceConfig(
        source_id="rainier-cc",
        source_name="Rainier Community Center",
        base_url="https://parks.example.org/rainier/classes",
        listing={
            "item": "tr.course",
            "fields": {
                "title": "td.name",
                "schedule": "td:nth-child(2)",
                "date": "td:nth-child(3)",
                "price": "td:nth-child(4)",
            },
        },
    )
    result = extract_page(page("course_table.html"), "https://parks.example.org/rainier/classes", cfg)
    assert [(x.fields["title"], x.fields["date"], x.page_context["heading"]) for x in result.listings] == [
        ("Tiny Tumblers", "Jan 5 - Feb 23", "Winter 2027 Classes"),
        ("Kids Pottery", "Jan 9 - Mar 13", "Winter 2027 Classes"),
        ("Soccer Tots", "Apr 3 - May 22", "Spring 2027"),
    ]
    assert result.listings[0].page_context["h1"] == "Rainier Community Center"


def test_heading_context_when_items_sit_inside_short_season_blocks() -> None:
    html = """<h1>Classes</h1>
    <div class="season">Fall 2026 <p class="row">Clay</p></div>
    <h3 class="term-title">Winter 2027</h3>
    <div class="row">Paint</div>
    <h2><span class="row">Inside a heading</span></h2>"""
    cfg = config(listing={"item": ".row", "fields": {"title": "xpath:."}}, structured_data={"enabled": False})
    result = extract_page(html, EVENTS_URL, cfg)
    assert [(x.fields["title"], x.page_context.get("heading")) for x in result.listings] == [
        ("Clay", "Fall 2026"),  # the words leading the block, not the block's whole text
        ("Paint", "Winter 2027"),
        ("Inside a heading", "Winter 2027"),
    ]


@pytest.mark.parametrize(
    ("url", "title", "h1", "expected"),
    [
        ("https://lib.example.org/events/past", None, None, True),
        ("https://lib.example.org/past-events/", None, None, True),
        ("https://lib.example.org/events/?eventDisplay=past", None, None, True),
        ("https://lib.example.org/event-archive/2026", None, None, True),
        ("https://lib.example.org/events", "Past Events | Library", None, True),
        ("https://lib.example.org/events", None, "Events Archive", True),
        ("https://lib.example.org/events", "Upcoming events", "Family Events", False),
        ("https://lib.example.org/pasta-class", "Pasta class", None, False),
        ("https://lib.example.org/events", "The past comes alive: history camp", None, False),
    ],
)
def test_is_archive_page(url: str, title: str | None, h1: str | None, expected: bool) -> None:
    assert is_archive_page(url, title, h1) is expected


def test_archive_page_marks_listings() -> None:
    result = extract_page(page("listing_cards.html"), "https://lib.example.org/events/past", config())
    assert result.page_context["archive"] == "1"
    assert all(x.page_context["archive"] == "1" for x in result.listings)


# --------------------------------------------------------------------------------------------
# Awkward pages


@pytest.mark.parametrize("html", ["", "   \n", b"", b"\xef\xbb\xbf  "])
def test_empty_page(html: str | bytes) -> None:
    result = extract_page(html, EVENTS_URL, config())
    assert (result.listings, result.detail_requests, result.next_pages) == ([], [], [])
    assert result.stats["empty_page"] == 1


def test_page_without_content_is_counted_empty() -> None:
    assert extract_page("<html><body></body></html>", EVENTS_URL, config()).stats["empty_page"] == 1


def test_broken_html_never_raises() -> None:
    cfg = config(listing={"item": "div.event-card", "fields": {"title": "h3", "date": "p.when"}})
    result = extract_page(page("broken.html"), EVENTS_URL, cfg)
    assert [(x.fields["title"], x.fields.get("date")) for x in result.listings] == [
        ("Open Gym", "Fri, Jan 8 10am"),
        ("Art & Craft", "Sat"),
        ("No close", None),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<",
        "<<<>>>",
        "\x00\x01\x02",
        "<html><body><div class='event-card'><h3>\ud800Lone surrogate</h3>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
        "</div></table>" * 100,
    ],
)
def test_garbage_never_raises(html: str) -> None:
    result = extract_page(
        html, EVENTS_URL, config(listing={"item": "div.event-card", "fields": {"title": "h3"}})
    )
    assert all(listing.fields.get("title") for listing in result.listings)


def test_twenty_megabyte_page_is_truncated() -> None:
    card = '<article class="event-card"><h3 class="title"><a href="/e/{n}">Event {n}</a></h3></article>\n'
    head = "<html><head><title>Big</title></head><body>" + "".join(card.format(n=n) for n in range(10))
    filler = "<p>" + "lorem ipsum dolor sit amet " * 40 + "</p>\n"
    body = head + filler * (20 * 1024 * 1024 // len(filler))
    tail = card.format(n="after-the-cut") + "</body></html>"
    html = (body + tail).encode("utf-8")
    assert len(html) > 20 * 1024 * 1024

    started = time.monotonic()
    result = extract_page(html, EVENTS_URL, config())
    elapsed = time.monotonic() - started

    assert result.stats["page_truncated"] == 1
    assert [x.fields["title"] for x in result.listings] == [f"Event {n}" for n in range(10)]
    assert elapsed < 20, f"took {elapsed:.1f}s"
    str_result = extract_page(body + tail, EVENTS_URL, config())
    assert str_result.stats["page_truncated"] == 1
    assert len(str_result.listings) == 10
    assert MAX_PAGE_BYTES == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("body", "encoding", "expected"),
    [
        (
            '<meta charset="windows-1252"><h3 class="t">Caf\xe9 d\xe9couverte</h3>'.encode("latin-1"),
            None,
            "Café découverte",
        ),
        ('<h3 class="t">Caf\xe9</h3>'.encode("latin-1"), "latin-1", "Café"),
        ('<h3 class="t">Café</h3>'.encode(), None, "Café"),
        (b'\xef\xbb\xbf<h3 class="t">Caf\xc3\xa9</h3>', None, "Café"),
        (b'<h3 class="t">Caf\xe9</h3>', None, "Café"),  # undeclared, not UTF-8: windows-1252
        ('<h3 class="t">Café</h3>'.encode(), "iso-8859-1", "Café"),  # UTF-8 labelled Latin-1
        ('<h3 class="t">Caf\xe9</h3>'.encode("cp1252"), "utf-8", "Café"),  # windows-1252 labelled UTF-8
        ('<meta charset="utf-8"><h3 class="t">\u201cCaf\xe9\u201d</h3>'.encode("cp1252"), "windows-1252",
         "\u201cCafé\u201d"),  # the header is right, the meta wrong
        (b'<h3 class="t">Caf\xe9 \x81</h3>', None, "Caf\ufffd \ufffd"),  # no encoding fits: replaced
        ('<h3 class="t">Caf\xe9</h3>'.encode("utf-16-le"), "utf-16le", "Café"),  # UTF-16 trusted
    ],
)
def test_bytes_are_decoded(body: bytes, encoding: str | None, expected: str) -> None:
    cfg = config(listing={"item": "h3.t", "fields": {"title": "xpath:."}})
    result = extract_page(body, EVENTS_URL, cfg, encoding=encoding)
    assert [x.fields["title"] for x in result.listings] == [expected]


@pytest.mark.parametrize(
    "url", ["ftp://lib.example.org/x", "not a url", "https://lib.example.org/" + "x" * 3000]
)
def test_unusable_page_url_is_a_specific_error(url: str) -> None:
    with pytest.raises(PageUrlError, match="page url"):
        extract_page("<p>x</p>", url, config())


# --------------------------------------------------------------------------------------------
# merge_listings


def raw(fields: dict[str, str], via: str = "selectors", **extra: Any) -> RawListing:
    return RawListing.model_validate(
        {"source_id": "s", "page_url": EVENTS_URL, "fields": fields, "extracted_via": via, **extra}
    )


@pytest.mark.parametrize(
    ("primary", "secondary", "fields", "via"),
    [
        (
            raw({"title": "A", "date": "Jan 5"}),
            raw({"title": "B", "price": "$5"}, "json-ld"),
            {"title": "A", "date": "Jan 5", "price": "$5"},
            "merged",
        ),
        (raw({"title": "A"}), raw({"title": "B"}, "json-ld"), {"title": "A"}, "selectors"),
        (raw({}), raw({"title": "B"}, "json-ld"), {"title": "B"}, "json-ld"),
        (
            raw({"title": "A", "date": ""}),
            raw({"date": "Jan 5"}, "microdata"),
            {"title": "A", "date": "Jan 5"},
            "merged",
        ),
    ],
)
def test_merge_listings(primary: RawListing, secondary: RawListing, fields: dict[str, str], via: str) -> None:
    merged = merge_listings(primary, secondary)
    assert merged.fields == fields
    assert merged.extracted_via == via


def test_merge_listings_keeps_primary_identity_and_fills_url_and_context() -> None:
    primary = raw({"title": "A"}, page_context={"heading": "Winter 2027"})
    secondary = raw(
        {"title": "A", "ages": "3-5"},
        "json-ld",
        url="https://lib.example.org/a",
        structured_type="Event",
        page_context={"heading": "Other", "page_title": "T"},
    )
    merged = merge_listings(primary, secondary)
    assert merged.url == "https://lib.example.org/a"
    assert merged.structured_type == "Event"
    assert merged.page_context == {"heading": "Winter 2027", "page_title": "T"}
    assert primary.fields == {"title": "A"}  # inputs are not modified


def test_absolute_xpath_field_is_relative_to_each_item() -> None:
    cfg = config(
        listing={"item": "article.event-card", "fields": {"title": "//h3", "date": "//p[@class='when']"}}
    )
    result = extract_page(page("listing_cards.html"), EVENTS_URL, cfg)
    titles = [x.fields["title"] for x in result.listings if x.extracted_via == "selectors"]
    assert titles == ["Kids Chess"]  # the others merged with JSON-LD; every item got its own title
    assert [x.fields["title"] for x in result.listings][:4] == [
        "Toddler Storytime",
        "LEGO® Build Club",
        "Family Movie Night",
        "Kids Chess",
    ]


@pytest.mark.parametrize(
    ("teaser_title", "expected"),
    [
        ("Toddler Storytime", "Toddler Storytime"),
        ("Toddler Story…", "Get Discovery News"),  # a cut teaser title: the detail page's wins
    ],
)
def test_the_teasers_title_wins_over_a_detail_title_selector(teaser_title: str, expected: str) -> None:
    """A detail title selector may hit a newsletter box; the teaser's title was checked on
    every card of the listing page."""
    cfg = config(detail=DetailConfig(fields={"title": SelectorSpec.model_validate("h3.promo")}))
    html = (
        "<html><body><h1>Toddler Storytime</h1>"
        "<aside><h3 class='promo'>Get Discovery News</h3></aside></body></html>"
    )
    teaser = RawListing(
        source_id="s", page_url=EVENTS_URL, url=EVENTS_URL + "storytime", fields={"title": teaser_title}
    )
    result = extract_detail(html, EVENTS_URL + "storytime", cfg, teaser)
    assert result.listings[0].fields["title"] == expected
