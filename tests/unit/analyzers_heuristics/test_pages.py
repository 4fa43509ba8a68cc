"""Page-level decisions: listing-link discovery, page kinds, platforms, browser rendering,
pagination."""

from __future__ import annotations

import pytest

from analyzers.discovery import detect_pagination
from analyzers.heuristics import (
    PageSample,
    classify_page,
    detect_platform,
    discover_listing_urls,
    needs_browser,
)

from .helpers import load, sample

HOME = "https://cedarriver.example/"


def test_discovery_ranks_listing_pages_and_drops_the_rest() -> None:
    urls = discover_listing_urls(sample("home.html", HOME), limit=10)
    assert set(urls[:3]) == {
        "https://cedarriver.example/events/",
        "https://cedarriver.example/camps/",
        "https://cedarriver.example/programs/",
    }
    assert "https://cedarriver.example/es/eventos/" in urls  # Spanish listing pages count too
    for url in urls:
        assert url.startswith("https://cedarriver.example/")  # same site, absolute
        assert "#" not in url and not url.endswith(".pdf")
    joined = " ".join(urls)
    for unwanted in ("login", "donate", "privacy", "jobs", "mailto", "tel:", "partner.example", "facebook"):
        assert unwanted not in joined


def test_discovery_prefers_the_list_over_one_of_its_events() -> None:
    urls = discover_listing_urls(sample("home.html", HOME), limit=10)
    one_event = "https://cedarriver.example/events/owl-prowl-night-hike/"
    # The list is proposed; its event pages are not (they are detail pages under it).
    assert "https://cedarriver.example/events/" in urls
    assert one_event not in urls
    assert "https://cedarriver.example/events/?type=family" not in urls  # a filtered view of /events/
    assert discover_listing_urls(sample("home.html", HOME), limit=2) == urls[:2]


@pytest.mark.parametrize(
    ("page", "url", "kind"),
    [
        ("cards_nested.html", "https://cedarriver.example/events/", "listing"),
        ("tec_list.html", "https://example-library.org/events/list/", "listing"),
        ("table_classes.html", "https://lakeview.example/recreation/youth-classes", "listing"),
        ("detail.html", "https://cedarriver.example/events/owl-prowl-night-hike/", "detail"),
        ("home.html", HOME, "other"),
        ("app_shell.html", "https://ymca.example/events", "other"),
    ],
)
def test_classify_page(page: str, url: str, kind: str) -> None:
    assert classify_page(sample(page, url)) == kind


@pytest.mark.parametrize(
    ("html", "platform"),
    [
        (load("tec_list.html"), "the-events-calendar"),
        (load("squarespace_eventlist.html"), "squarespace"),
        (load("drupal_views.html"), "drupal-views"),
        ('<div class="em-events-list"><div class="em-item em-event">x</div></div>', "events-manager"),
        ('<article class="mec-event-article">x</article>', "modern-events-calendar"),
        ('<div class="eventon_list_event">x</div>', "eventon"),
        (
            '<script src="https://cal.example.edu/localist.js"></script><div class="lw_cal_event">',
            "localist",
        ),
        ('<div class="s-lc-c-evt">Storytime</div><script src="https://x.libcal.com/js"></script>', "libcal"),
        ('<a href="https://kcls.bibliocommons.com/events/search">Events</a>', "bibliocommons"),
        (
            '<iframe src="https://anc.apm.activecommunities.com/seattle/activity/search"></iframe>',
            "activenet",
        ),
        ('<a href="https://secure.rec1.com/WA/city/catalog">Register</a>', "civicrec"),
        ('<a href="https://www.eventbrite.com/e/family-day-tickets-123">Tickets</a>', "eventbrite"),
        ('<iframe src="https://calendar.google.com/calendar/embed?src=abc"></iframe>', "google-calendar"),
        ('<div class="view-content"><div class="views-row">x</div></div>', "drupal-views"),
        ("<html><body><p>Just a page.</p></body></html>", None),
    ],
)
def test_detect_platform(html: str, platform: str | None) -> None:
    assert detect_platform(PageSample("https://site.example/events", html)) == platform


def test_needs_browser() -> None:
    shell = sample("app_shell.html", "https://ymca.example/events")
    rendered = sample("app_shell_rendered.html", "https://ymca.example/events", rendered=True)
    server = sample("cards_nested.html", "https://cedarriver.example/events/")
    assert needs_browser(shell, None)  # empty #root, "enable JavaScript", scripts fetching JSON
    assert needs_browser(shell, rendered)
    assert not needs_browser(server, None)
    assert not needs_browser(server, PageSample(server.url, server.html, rendered=True))
    # Rendering found nothing either: a browser would not help.
    assert not needs_browser(shell, PageSample(shell.url, shell.html, rendered=True))
    # A short static page without app signals is just short.
    assert not needs_browser(
        PageSample("https://x.example/", "<html><body><p>Closed for winter.</p></body></html>"), None
    )


@pytest.mark.parametrize(
    ("page", "url", "next_page", "expected"),
    [
        ("cards_nested.html", "https://cedarriver.example/events/", "a.next", (None, 2, 10)),
        ("drupal_views.html", "https://nscm.example/events", 'a[rel~="next"]', (None, 2, 10)),
        ("camp_directory.html", "https://campfinder.example/camps", "a.pager-next", (None, 2, 10)),
        (
            "tec_list.html",
            "https://example-library.org/events/list/",
            "a.tribe-events-c-top-bar__nav-link--next",
            (None, 2, 10),
        ),
        # Month-by-month calendar navigation never ends: capped.
        (
            "grouped_by_day.html",
            "https://shorelinekids.example/calendar",
            "p.nav-months > a:last-of-type",
            (None, 2, 3),
        ),
    ],
)
def test_pagination_of_sample_pages(
    page: str, url: str, next_page: str | None, expected: tuple[str | None, int, int]
) -> None:
    finding = detect_pagination(load(page), url)
    assert finding is not None
    config = finding.config
    assert (config.next_page.query if config.next_page else None) == next_page
    assert (config.url_template, config.start, config.max_pages) == expected


@pytest.mark.parametrize(
    ("links", "template", "start", "max_pages"),
    [
        # One-based numbers: page 2 is ?page=2; 24 pages are all worth crawling.
        (
            '<a href="?page=2">2</a> <a href="?page=3">3</a> <a href="?page=24">24</a>',
            "https://site.example/events?page={page}",
            2,
            24,
        ),
        # Zero-based (Drupal): the link labelled 2 is ?page=1.
        ('<a href="?page=1">2</a> <a href="?page=2">3</a>', "https://site.example/events?page={page}", 1, 10),
        # WordPress paths, other query parameters kept.
        (
            '<a href="/events/page/2/?cat=kids">2</a> <a href="/events/page/3/?cat=kids">3</a>',
            "https://site.example/events/page/{page}/?cat=kids",
            2,
            10,
        ),
    ],
)
def test_numbered_pages_become_a_template(links: str, template: str, start: int, max_pages: int) -> None:
    url = "https://site.example/events" + ("?cat=kids" if "cat=kids" in links else "")
    finding = detect_pagination(f"<html><body><div class='pages'>{links}</div></body></html>", url)
    assert finding is not None and finding.config.next_page is None
    assert finding.config.url_template == template
    assert (finding.config.start, finding.config.max_pages) == (start, max_pages)


def test_no_pagination() -> None:
    assert detect_pagination(load("ul_list.html"), "https://ballardfriends.example/events") is None
    # A "next" link to the page itself or to an anchor is no pagination.
    html = '<a class="next" href="#top">Next</a> <a href="/events">Next</a>'
    assert detect_pagination(html, "https://site.example/events") is None
