"""A generated family-events site for the crawl benchmarks (a helper, not a benchmark).

Every page is generated on the fly from its path, deterministically (a page's content depends
only on its path and the site's seed), by a stdlib `ThreadingHTTPServer` on 127.0.0.1. The
shape is an events calendar split into category sections, as many real calendars are:

    /events/category/<section>/            listing page 1 of a section
    /events/category/<section>/page/<n>/   listing pages 2..L (a "Next" link chains them)
    /event/<number>/<slug>/                one event's detail page
    /robots.txt                            permissive

Each listing page carries `DETAILS_PER_LISTING` (19) event cards, so one listing page and its
detail pages are 20 fetched pages and `SiteShape.for_pages(2000)` is 10 sections x 10 listing
pages x 20 = 2,000 pages. Sections rather than one long paginated list keep the pagination
chain at 10 pages deep: famact's settings carry `DEPTH_LIMIT = 25`, which cuts a single list
after 26 pages (see the benchmark README).

Markup is modelled on WordPress/Squarespace calendars: site header and footer navigation,
cards with a title link, date and time, venue and city, price, ages and a summary; detail pages
with a `<dl>` of the same facts, an address and a longer description. `bench_config` is the
matching hand-written `SourceConfig`; the plain-Scrapy baseline reads the same selectors.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from famact.models import SourceConfig

DETAILS_PER_LISTING = 19
TODAY = date(2026, 11, 24)  # the crawl date (FAMACT_TODAY): dates below are after it
SOURCE_ID = "bench-calendar"

THEMES = (
    "storytime",
    "arts-crafts",
    "science-nature",
    "music-dance",
    "sports-play",
    "classes",
    "camps",
    "festivals",
    "museums-exhibits",
    "library-programs",
)
AREAS = (
    "",
    "ballard",
    "bellevue",
    "redmond",
    "kirkland",
    "shoreline",
    "renton",
    "issaquah",
    "bothell",
    "tacoma",
    "west-seattle",
    "capitol-hill",
)

# (venue, street, city, state zip): real-looking Seattle-area places.
VENUES = (
    ("Ballard Branch Library", "5614 22nd Ave NW", "Seattle", "WA 98107"),
    ("Bellevue Regional Library", "1111 110th Ave NE", "Bellevue", "WA 98004"),
    ("Redmond Community Center at Marymoor Village", "6505 176th Ave NE", "Redmond", "WA 98052"),
    ("Peter Kirk Community Center", "352 Kirkland Ave", "Kirkland", "WA 98033"),
    ("Shoreline Center", "18560 1st Ave NE", "Shoreline", "WA 98155"),
    ("Renton Community Center", "1715 Maple Valley Hwy", "Renton", "WA 98057"),
    ("Issaquah Community Center", "301 Rainier Blvd S", "Issaquah", "WA 98027"),
    ("Northshore Senior & Family Center", "10201 E Riverside Dr", "Bothell", "WA 98011"),
    ("Point Defiance Park Pavilion", "5400 N Pearl St", "Tacoma", "WA 98407"),
    ("Delridge Community Center", "4501 Delridge Way SW", "Seattle", "WA 98106"),
    ("Miller Community Center", "330 19th Ave E", "Seattle", "WA 98112"),
    ("Pacific Science Center", "200 2nd Ave N", "Seattle", "WA 98109"),
    ("Lynnwood Recreation Center", "18900 44th Ave W", "Lynnwood", "WA 98036"),
    ("Kent Commons", "525 4th Ave N", "Kent", "WA 98032"),
    ("Edmonds Waterfront Center", "220 Railroad Ave", "Edmonds", "WA 98020"),
    ("Mercer Island Community & Event Center", "8236 SE 24th St", "Mercer Island", "WA 98040"),
)
EVENT_TITLES = (
    "Toddler Storytime & Rhymes",
    "Family Lego Build Night",
    "Preschool Art Studio",
    "Pajama Storytime",
    "Kids' Science Saturday: Volcanoes",
    "Family Bird Walk",
    "Baby Sign Language Circle",
    "Holiday Lantern-Making Workshop",
    "Teen Maker Lab: Circuits",
    "Family Dance Party",
    "Puppet Show: The Three Bears",
    "Nature Scavenger Hunt",
    "Sensory-Friendly Movie Morning",
    "Chess Club for Kids",
    "Family Pottery Drop-In",
    "Lunar New Year Lantern Craft",
    "Tide Pool Explorers",
    "Music Together Sampler",
    "Bilingual Storytime (Spanish/English)",
    "STEM Family Night: Rockets",
)
PROGRAM_TITLES = (
    "Intro to Watercolor for Kids",
    "Beginning Swim Lessons (Level 1)",
    "Junior Coders: Scratch",
    "Youth Soccer Skills Clinic",
    "Ballet & Tap Combo Class",
    "Winter Break Nature Camp",
    "Parent & Tot Gymnastics",
    "Kids' Cooking Academy",
    "Robotics Club with LEGO Spike",
    "Spring Break Art Camp",
)
AGES = (
    "Ages 0-2",
    "Ages 2-5",
    "Ages 3-5",
    "Ages 6-12",
    "Ages 5-10",
    "All ages",
    "Grades K-5",
    "Ages 8-14",
    "18 months - 3 years",
    "Teens 13-18",
    "Ages 4+",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SENTENCES = (
    "Join us for a morning of songs, stories and play designed for little ones and their grown-ups.",
    "All materials are provided; please dress for mess.",
    "Registration is recommended because space is limited.",
    "Caregivers must stay with children under 8 for the whole session.",
    "This program is offered in partnership with the local parks department.",
    "Light snacks are provided; let us know about allergies when you register.",
    "The room is wheelchair accessible and has a quiet corner for sensory breaks.",
    "Older siblings are welcome to join in.",
    "Bring a water bottle and wear comfortable shoes.",
    "Free parking is available in the lot behind the building.",
    "Each child takes home a finished project.",
    "Our instructors are background-checked and CPR certified.",
)
NAV = (
    "Home",
    "Events",
    "Classes",
    "Camps",
    "Venues",
    "Parks",
    "Libraries",
    "Museums",
    "Blog",
    "Newsletter",
    "Submit an Event",
    "Advertise",
    "About",
    "Contact",
)
STYLE = (
    "<style>"
    + " ".join(
        f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i * 12345 % 0xFFFFFF:06x}}}" for i in range(120)
    )
    + "</style>"
)  # a site's inline CSS weight


@dataclass(frozen=True)
class SiteShape:
    sections: int
    listing_pages: int  # per section
    details_per_listing: int = DETAILS_PER_LISTING

    @classmethod
    def for_pages(cls, pages: int, listing_pages: int = 10) -> SiteShape:
        per_section = listing_pages * (1 + DETAILS_PER_LISTING)
        if pages % per_section:
            raise ValueError(f"pages: {pages} is not a multiple of {per_section} (one section)")
        return cls(sections=pages // per_section, listing_pages=listing_pages)

    @property
    def pages(self) -> int:
        return self.sections * self.listing_pages * (1 + self.details_per_listing)

    @property
    def events(self) -> int:
        return self.sections * self.listing_pages * self.details_per_listing

    def section_slug(self, index: int) -> str:
        theme = THEMES[index % len(THEMES)]
        area = AREAS[(index // len(THEMES)) % len(AREAS)]
        cycle = index // (len(THEMES) * len(AREAS))
        slug = f"{theme}-{area}" if area else theme
        return f"{slug}-{cycle + 1}" if cycle else slug

    def section_urls(self, base_url: str) -> list[str]:
        base = base_url.rstrip("/")
        return [f"{base}/events/category/{self.section_slug(i)}/" for i in range(self.sections)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _clock(minutes: int) -> str:
    hour, minute = divmod(minutes, 60)
    suffix = "am" if hour < 12 else "pm"
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {suffix}"


@dataclass(frozen=True)
class FakeEvent:
    number: int
    title: str
    kind: str  # "event" | "recurring" | "program"
    first: date
    last: date | None
    start_min: int
    end_min: int
    venue: tuple[str, str, str, str]
    price: str
    ages: str
    description: list[str]
    sessions: int | None
    days: str | None

    @property
    def path(self) -> str:
        return f"/event/{self.number}/{_slug(self.title)}/"

    def when_short(self) -> str:
        times = f"{_clock(self.start_min)} - {_clock(self.end_min)}"
        if self.kind == "program" and self.last is not None:
            span = f"{self.first:%b} {self.first.day} - {self.last:%b} {self.last.day}, {self.last.year}"
            return f"{self.days}, {span} · {times}"
        if self.kind == "recurring":
            weekday = WEEKDAY_NAMES[self.first.weekday()]
            return (
                f"Every {weekday}, starting {self.first:%a, %b} {self.first.day}, {self.first.year} · {times}"
            )
        return f"{self.first:%a, %b} {self.first.day}, {self.first.year} · {times}"

    def when_long(self) -> str:
        times = f"{_clock(self.start_min)} to {_clock(self.end_min)}"
        if self.kind == "program" and self.last is not None:
            return (
                f"{self.days}, {self.first:%B} {self.first.day}, {self.first.year} - "
                f"{self.last:%B} {self.last.day}, {self.last.year}, {times} ({self.sessions} sessions)"
            )
        if self.kind == "recurring":
            return (
                f"Every {WEEKDAY_NAMES[self.first.weekday()]} from {self.first:%B} {self.first.day}, "
                f"{self.first.year}, {times}"
            )
        return f"{self.first:%A, %B} {self.first.day}, {self.first.year}, {times}"


LEADS = (
    "",
    "",
    "",
    "Winter",
    "Holiday",
    "Weekend",
    "Saturday Morning",
    "After-School",
    "Family",
    "Little Explorers",
    "Mini",
    "Community",
    "Neighborhood",
    "Evening",
    "Cozy",
    "Spring Preview",
)
TOPICS = (
    "",
    "",
    "",
    "",
    ": Volcanoes",
    ": Dinosaurs",
    ": Ocean Animals",
    ": Space",
    ": Bugs & Spiders",
    ": Winter Birds",
    ": Snowflakes",
    ": Robots",
    ": Rainforest",
    ": Magnets",
    ": Fairy Tales",
    ": Trains",
    ": Farm Friends",
    ": Colors",
    ": Shapes",
    ": Weather",
    ": Music of Africa",
    ": Salmon",
    ": Gingerbread",
    ": Kindness",
)


@lru_cache(maxsize=8192)
def fake_event(number: int, seed: int = 0) -> FakeEvent:
    """Event `number` of the site. Titles repeat now and then at the same venue, as a weekly
    storytime does: what a listing says beyond its date then depends only on (title, venue),
    so repeats are consistent occurrences of one thing, never contradictions."""
    rnd = random.Random(number * 7919 + seed)
    is_program = rnd.random() < 0.18
    base = rnd.choice(PROGRAM_TITLES if is_program else EVENT_TITLES)
    lead = rnd.choice(LEADS)
    title = f"{lead} {base}".strip() if lead and not base.startswith(lead) else base
    if not is_program:
        title += rnd.choice(TOPICS)
    venue = VENUES[rnd.randrange(len(VENUES))]
    if rnd.random() < 0.4:
        title = f"{title} at {venue[0].split(' ')[0]}"
    first = TODAY + timedelta(days=rnd.randint(1, 150))
    same = random.Random(f"{seed}|{title}|{venue[0]}")  # attributes of the (title, venue) pair
    kind = "program" if is_program else "recurring" if same.random() < 0.12 else "event"
    start = same.choice(
        (9 * 60, 9 * 60 + 30, 10 * 60, 10 * 60 + 30, 11 * 60, 13 * 60, 15 * 60 + 30, 16 * 60, 18 * 60)
    )
    end = start + same.choice((30, 45, 60, 90, 120))
    last = sessions = days = None
    if kind == "program":
        sessions = same.choice((4, 6, 8, 10))
        last = first + timedelta(weeks=sessions - 1)
        days = WEEKDAY_NAMES[first.weekday()] + "s"
        price = same.choice(
            (
                f"${same.randint(8, 30) * 10} for {sessions} sessions",
                f"${same.randint(60, 400)}",
                f"${same.randint(90, 250)} residents / ${same.randint(260, 320)} non-residents",
            )
        )
    else:
        price = same.choice(
            (
                "Free",
                "Free",
                "$5",
                f"${same.randint(6, 25)} per child",
                "Suggested donation $5",
                f"${same.randint(10, 40)}; members free",
                "Free with admission",
            )
        )
    description = same.sample(SENTENCES, k=same.randint(3, 6))
    return FakeEvent(
        number,
        title,
        kind,
        first,
        last,
        start,
        end,
        venue,
        price,
        same.choice(AGES),
        description,
        sessions,
        days,
    )


def _page(title: str, main: str, base: str) -> str:
    nav = "".join(f'<li class="menu-item"><a href="{base}/{_slug(n)}/">{escape(n)}</a></li>' for n in NAV)
    foot = "".join(f'<li><a href="{base}/{_slug(n)}/info/">{escape(n)} info</a></li>' for n in NAV)
    return (
        f'<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>{escape(title)} | '
        f'Puget Sound Family Calendar</title><meta name="viewport" content="width=device-width">{STYLE}'
        f"<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>"
        f'</head><body class="page events"><header class="site-header"><a class="logo" href="{base}/">'
        f'Puget Sound Family Calendar</a><nav class="main-nav"><ul>{nav}</ul></nav>'
        f'<form class="search" action="{base}/search/"><input name="q" placeholder="Search events"></form>'
        f'</header><main id="content" class="site-main">{main}</main>'
        f'<aside class="sidebar"><h4>Newsletter</h4><p>Get the best family events in your inbox every '
        f'Thursday.</p><form><input type="email" name="email"><button>Sign up</button></form></aside>'
        f'<footer class="site-footer"><ul class="footer-links">{foot}</ul><p>&copy; 2026 Puget Sound '
        f"Family Calendar. All rights reserved.</p></footer></body></html>"
    )


class BenchSite:
    """The generated site of one shape: page rendering and the server."""

    def __init__(self, shape: SiteShape, seed: int = 0, host: str = "127.0.0.1", port: int = 0) -> None:
        self.shape = shape
        self.seed = seed
        self._host, self._port = host, port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests = 0  # served, all paths (a plain int: += under the GIL is good enough here)

    # -- content ----------------------------------------------------------------------------

    def event_number(self, section: int, page: int, slot: int) -> int:
        return ((section * self.shape.listing_pages) + (page - 1)) * self.shape.details_per_listing + slot

    def listing_path(self, section: int, page: int) -> str:
        slug = self.shape.section_slug(section)
        return f"/events/category/{slug}/" if page == 1 else f"/events/category/{slug}/page/{page}/"

    def listing_html(self, section: int, page: int, base: str) -> str:
        cards = []
        for slot in range(self.shape.details_per_listing):
            ev = fake_event(self.event_number(section, page, slot), self.seed)
            name, _street, city, _zip = ev.venue
            badge = '<span class="event-card__badge">Series</span>' if ev.kind == "program" else ""
            cards.append(
                f'<article class="event-card c{slot}" id="post-{ev.number}">'
                f'<a class="event-card__media" href="{ev.path}"><img src="/img/{ev.number}.jpg" alt=""></a>'
                f'<div class="event-card__body"><h3 class="event-card__title"><a href="{ev.path}">'
                f'{escape(ev.title)}</a></h3>{badge}<p class="event-card__when">{escape(ev.when_short())}</p>'
                f'<p class="event-card__where"><span class="event-card__venue">{escape(name)}</span>, '
                f'<span class="event-card__city">{escape(city)}</span></p>'
                f'<p class="event-card__price">{escape(ev.price)}</p>'
                f'<p class="event-card__ages">{escape(ev.ages)}</p>'
                f'<p class="event-card__summary">{escape(" ".join(ev.description[:2]))}</p>'
                f'<a class="event-card__more" href="{ev.path}">Read more</a></div></article>'
            )
        nav = []
        if page > 1:
            nav.append(
                f'<a class="pagination__prev" href="{self.listing_path(section, page - 1)}">Previous</a>'
            )
        if page < self.shape.listing_pages:
            nav.append(
                f'<a class="pagination__next" href="{self.listing_path(section, page + 1)}">Next events</a>'
            )
        theme = self.shape.section_slug(section).replace("-", " ").title()
        main = (
            f'<h1 class="archive-title">{escape(theme)} events</h1><p class="archive-intro">Upcoming '
            f"family-friendly {escape(theme.lower())} events around Puget Sound, page {page}.</p>"
            f'<div class="events-list">{"".join(cards)}</div><nav class="pagination">{"".join(nav)}</nav>'
        )
        return _page(f"{theme} events - page {page}", main, base)

    def detail_html(self, number: int, base: str) -> str | None:
        if not 0 <= number < self.shape.events:
            return None
        ev = fake_event(number, self.seed)
        name, street, city, state_zip = ev.venue
        paragraphs = "".join(f"<p>{escape(s)}</p>" for s in ev.description)
        main = (
            f'<article class="event-single" id="post-{ev.number}"><nav class="breadcrumbs"><a href="{base}/">'
            f'Home</a> &rsaquo; <a href="{base}/events/">Events</a></nav>'
            f'<h1 class="event-title">{escape(ev.title)}</h1>'
            f'<img class="event-image" src="/img/{ev.number}-large.jpg" alt="{escape(ev.title)}">'
            f'<dl class="event-meta"><dt>When</dt><dd class="event-when">{escape(ev.when_long())}</dd>'
            f'<dt>Where</dt><dd class="event-venue"><span class="venue-name">{escape(name)}</span><br>'
            f'<span class="venue-address">{escape(street)}, <span class="venue-city">{escape(city)}</span>, '
            f'{escape(state_zip)}</span></dd><dt>Cost</dt><dd class="event-cost">{escape(ev.price)}</dd>'
            f'<dt>Ages</dt><dd class="event-ages">{escape(ev.ages)}</dd>'
            f'<dt>Organizer</dt><dd class="event-organizer">{escape(name)}</dd></dl>'
            f'<div class="event-description">{paragraphs}</div>'
            f'<p class="event-register"><a href="{base}/register/{ev.number}/">Register</a></p>'
            f'<div class="share">Share: <a href="#">Facebook</a> <a href="#">Email</a></div></article>'
        )
        return _page(ev.title, main, base)

    def render(self, path: str, base: str) -> tuple[int, str, str]:
        """(status, content type, body) for a path; unknown paths are 404s."""
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", "User-agent: *\nAllow: /\n"
        match = re.fullmatch(r"/events/category/([a-z0-9-]+)/(?:page/(\d+)/)?", path)
        if match:
            slugs = {self.shape.section_slug(i): i for i in range(self.shape.sections)}
            page = int(match.group(2) or 1)
            section = slugs.get(match.group(1))
            if section is not None and 1 <= page <= self.shape.listing_pages:
                return 200, "text/html; charset=utf-8", self.listing_html(section, page, base)
        match = re.fullmatch(r"/event/(\d+)/[a-z0-9-]+/", path)
        if match:
            body = self.detail_html(int(match.group(1)), base)
            if body is not None:
                return 200, "text/html; charset=utf-8", body
        return 404, "text/html; charset=utf-8", "<html><body><h1>Not found</h1></body></html>"

    # -- server -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("BenchSite is not running: call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> BenchSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy's HTTP/1.1 client expects

            def do_GET(self) -> None:
                site.requests += 1
                status, content_type, text = site.render(self.path.split("?", 1)[0], site.url)
                body = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return  # one line per request would swamp the benchmark's output

        httpd = ThreadingHTTPServer((self._host, self._port), Handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="bench-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> BenchSite:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def config(self, *, requests_per_minute: int = 6000, concurrent_requests: int = 16) -> SourceConfig:
        return bench_config(
            self.url,
            self.shape,
            requests_per_minute=requests_per_minute,
            concurrent_requests=concurrent_requests,
        )


def bench_config(
    base_url: str, shape: SiteShape, *, requests_per_minute: int = 6000, concurrent_requests: int = 16
) -> SourceConfig:
    """The hand-written config of the generated site: listing + detail + pagination."""
    return SourceConfig.model_validate(
        {
            "source_id": SOURCE_ID,
            "source_name": "Puget Sound Family Calendar (benchmark site)",
            "source_type": "event_calendar",
            "base_url": base_url.rstrip("/") + "/",
            "target_urls": shape.section_urls(base_url),
            "render": "http",
            "listing": {
                "item": "article.event-card",
                "fields": {
                    "title": "h3.event-card__title a",
                    "url": "h3.event-card__title a::attr(href)",
                    "date": "p.event-card__when",
                    "venue": "span.event-card__venue",
                    "city": "span.event-card__city",
                    "price": "p.event-card__price",
                    "ages": "p.event-card__ages",
                    "description": "p.event-card__summary",
                    "image": "a.event-card__media img::attr(src)",
                },
                "pagination": {
                    "next_page": "a.pagination__next::attr(href)",
                    "max_pages": shape.listing_pages,
                },
            },
            "detail": {
                "follow": "h3.event-card__title a::attr(href)",
                "fields": {
                    "title": "h1.event-title",
                    "date": "dd.event-when",
                    "venue": "dd.event-venue span.venue-name",
                    "address": "dd.event-venue span.venue-address",
                    "city": "span.venue-city",
                    "price": "dd.event-cost",
                    "ages": "dd.event-ages",
                    "organizer": "dd.event-organizer",
                    "description": "div.event-description",
                },
                "max_pages": 20_000,
            },
            # Off for a like-for-like comparison: the plain-Scrapy baseline runs selectors only.
            "structured_data": {"enabled": False},
            "defaults": {"provider_name": "Puget Sound Family Calendar"},
            "scraping_config": {
                "frequency": "daily",
                "rate_limit": {
                    "requests_per_minute": requests_per_minute,
                    "concurrent_requests": concurrent_requests,
                },
                "respect_robots_txt": True,
                "max_pages": 100_000,
            },
        }
    )
