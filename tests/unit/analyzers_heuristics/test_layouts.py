"""Each listing layout: the right element group wins, and the proposed selectors, run by the
crawler's extraction engine, read exactly the listings a person sees on the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from analyzers.heuristics import PageSample, Proposal, propose_config
from famact.constants import SelectorKind
from famact.models import SelectorSpec
from famact_crawler.extract.selectors import extract_value, select_nodes

from .helpers import element_paths, engine_titles, load, precision_recall, sample


@dataclass
class Layout:
    page: str
    url: str
    winner: str  # a selector written by hand for the listing items
    titles: list[str]
    first: dict[str, str] = field(default_factory=dict)  # field -> text expected in item 1
    winner_kind: SelectorKind = SelectorKind.CSS


LAYOUTS = [
    Layout(
        "cards_nested.html",
        "https://cedarriver.example/events/",
        "div.event-card",
        [
            "Owl Prowl Night Hike",
            "Little Naturalists: Pond Life",
            "Salmon Sunday",
            "Winter Bird Count for Kids",
            "Forest Story Time",
            "Build a Bug Hotel",
        ],
        {
            "date": "Fri, Jan 10, 2025",
            "time": "6:30 pm - 8:00 pm",
            "price": "$12 per person",
            "ages": "Ages 6+",
            "url": "/events/owl-prowl-night-hike/",
            "image": "owl.jpg",
            "description": "Listen for barred owls",
        },
    ),
    Layout(
        "ul_list.html",
        "https://ballardfriends.example/events",
        "ul.events > li",
        [
            "Baby Rhyme Time",
            "LEGO Club",
            "Lunar New Year Crafts",
            "Teen Anime Night",
            "Family Board Game Afternoon",
        ],
        {"date": "Monday, February 3, 10:15 am", "venue": "Meeting Room A", "url": "/events/baby-rhyme-time"},
    ),
    Layout(
        "table_classes.html",
        "https://lakeview.example/recreation/youth-classes",
        "table.program-table tbody tr",
        ["Clay Creations", "Junior Chefs", "Preschool Dance", "Robotics Lab", "Guitar for Kids"],
        {
            "date": "1/8 - 2/12",
            "schedule": "Wed",
            "time": "4:00-5:00 pm",
            "ages": "6-9 yrs",
            "price": "$96",
            "venue": "Lakeview Community Center",
        },
    ),
    Layout(
        "dl_list.html",
        "https://fremontart.example/workshops",
        "dl.workshops > dt",
        ["Watercolor Animals", "Comic Book Camp-in-a-Day", "Clay Monsters", "Printmaking with Leaves"],
        {"date": "Saturday, March 1, 10am-12pm", "description": "Paint a fox"},
    ),
    Layout(
        "prose_h3.html",
        "https://pugetsoundparent.example/2025/03/free-things-this-weekend/",
        "div.entry-content > h3",
        [
            "Magnuson Park Kite Day",
            "Science Center Neighbor Day",
            "Reading Buddies at the Central Library",
            "Rainier Beach Spring Scavenger Hunt",
            "Burke Museum Free Family Sunday",
        ],
        {
            "date": "Saturday, March 8, 11am-3pm",
            "venue": "Magnuson Park, Kite Hill",
            "description": "Bring a kite",
        },
    ),
    Layout(
        "prose_strong.html",
        "https://eastsidekids.example/spring-break-camps-2025",
        "div.main-column > p:nth-of-type(3), div.main-column > p:nth-of-type(4), "
        "div.main-column > p:nth-of-type(5), div.main-column > p:nth-of-type(6), "
        "div.main-column > p:nth-of-type(7), div.main-column > p:nth-of-type(8)",
        [
            "Bellevue Botanical Garden Nature Explorers",
            "KidsQuest Museum Tinker Camp",
            "Redmond Parks Ninja Warrior Camp",
            "Kirkland Arts Center Mixed Media Camp",
            "Issaquah Salmon Hatchery Junior Rangers",
            "Sammamish YMCA Sports Sampler",
        ],
        {"date": "April 7-11", "price": "$325", "ages": "ages 6-10"},
    ),
    Layout(
        "drupal_views.html",
        "https://nscm.example/events",
        "div.view-content > div.views-row",
        [
            "Tinker Tuesday: Paper Circuits",
            "Toddler Time: Music and Movement",
            "Puppet Show: The Three Billy Goats Gruff",
            "Valentine Slime Lab",
        ],
        {
            "date": "Tue, 02/04/2025 - 2:00pm",
            "description": "Light up a greeting card",
            "url": "/events/tinker-tuesday-paper-circuits",
        },
    ),
    Layout(
        "tec_list.html",
        "https://example-library.org/events/list/",
        "article.tribe-events-calendar-list__event",
        [
            "Toddler Storytime",
            "Family LEGO Build",
            "Teen Game Design Workshop",
            "Bilingual Story Time (Spanish/English)",
            "Science Saturday: Slime Lab",
        ],
        {
            "date": "January 9 @ 10:00 am - 11:00 am",
            "price": "Free",
            "venue": "Central Library",
            "url": "https://example-library.org/event/toddler-storytime/",
        },
    ),
    Layout(
        "squarespace_eventlist.html",
        "https://cidfamily.example/events",
        "article.eventlist-event",
        [
            "Family Art Day: Paper Lanterns",
            "Dragon Dance Workshop for Kids",
            "Storytelling Hour: Tales from Asia",
            "Lunar New Year Family Celebration",
        ],
        {
            "date": "Saturday, January 11, 2025",
            "address": "719 S King St",
            "url": "/events/family-art-day",
            "description": "Drop in to fold",
        },
    ),
    Layout(
        "nav_heavy.html",
        "https://hilltopmuseum.example/events",
        "div.page > div.event",
        ["Dino Discovery Morning", "Ocean Animals Sensory Play", "Rocket Launch Day", "Pajama Planetarium"],
        {"date": "Saturday, April 5", "description": "Dig for replica fossils"},
    ),
    Layout(
        "grouped_by_day.html",
        "https://shorelinekids.example/calendar",
        "ul.day-events > li",
        [
            "Spring Plant Sale Kids' Corner",
            "Arts Festival Family Stage",
            "Star Wars Day Story Time",
            "Toddler Gym Open Play",
            "Homeschool Nature Club",
            "Family Swim Night",
        ],
        # The date is the day heading above the item.
        {"date": "Saturday, May 3", "url": "/calendar/event/spring-plant-sale-kids-corner"},
    ),
    Layout(
        "camp_directory.html",
        "https://campfinder.example/camps",
        "ul.results > li",
        [
            "Junior Zookeepers",
            "Ocean Explorers",
            "Robotics & Coding Camp",
            "Wilderness Skills Camp",
            "Musical Theater Camp",
            "Soccer Skills Camp",
        ],
        {"date": "June 23 - June 27, 2025", "ages": "6-8", "price": "$425", "image": "junior-zookeepers.jpg"},
    ),
    Layout(
        "app_shell_rendered.html",
        "https://ymca.example/events",
        "div[data-testid=event-card]",
        ["Parent's Night Out", "Family Swim & Pizza", "Youth Basketball Clinic", "Valentine's Craft Party"],
        {"date": "Fri, Feb 7, 2025", "ages": "Ages 3-12", "price": "$25"},
    ),
]


def _proposal(layout: Layout) -> Proposal:
    parts = urlsplit(layout.url)
    page = sample(layout.page, layout.url, rendered=layout.page.endswith("_rendered.html"))
    return propose_config(
        [page], source_id="test-source", source_name="Test", base_url=f"{parts.scheme}://{parts.netloc}/"
    )


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.page for layout in LAYOUTS])
def test_the_listing_group_wins(layout: Layout) -> None:
    proposal = _proposal(layout)
    listing = proposal.config.listing
    assert listing is not None, proposal.issues
    html = load(layout.page)
    expected = element_paths(html, SelectorSpec(kind=layout.winner_kind, query=layout.winner))
    assert len(expected) == len(layout.titles)  # the hand-written selector itself is right
    assert element_paths(html, listing.item) == expected


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.page for layout in LAYOUTS])
def test_the_engine_reads_every_listing_and_nothing_else(layout: Layout) -> None:
    proposal = _proposal(layout)
    titles = engine_titles(load(layout.page), layout.url, proposal.config)
    precision, recall = precision_recall(titles, layout.titles)
    assert (precision, recall) == (1.0, 1.0), titles


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.page for layout in LAYOUTS])
def test_fields_of_the_first_item(layout: Layout) -> None:
    listing = _proposal(layout).config.listing
    assert listing is not None
    first = select_nodes(Selector(text=load(layout.page)), listing.item)[0]
    for name, expected in layout.first.items():
        assert name in listing.fields, f"no {name} selector; fields: {sorted(listing.fields)}"
        value = extract_value(first, listing.fields[name]) or ""
        assert expected in value, f"{name}: {value!r}"


def test_nav_and_footer_lists_never_win() -> None:
    # 20 nav links and 20 footer links, four plain event divs: the events win.
    html = load("nav_heavy.html")
    listing = _proposal(LAYOUTS[9]).config.listing
    assert listing is not None
    for match in select_nodes(Selector(text=html), listing.item):
        assert not match.xpath("ancestor::footer | ancestor::*[contains(@class, 'navigation')]")


def test_blog_prose_is_not_one_item_per_paragraph() -> None:
    paragraphs = "\n".join(
        f"<p>Paragraph {i} of an essay about raising kids in the city. It talks about parks, "
        f"schools and the weather, and it goes on for a while without naming any event.</p>"
        for i in range(12)
    )
    html = f"""<html><body><header><nav><a href="/">Home</a> <a href="/blog">Blog</a></nav></header>
    <main><article><h1>Why we love Seattle</h1>{paragraphs}
    <h2>Parks</h2><p>We go to the park a lot.</p><h2>Schools</h2><p>Schools are good.</p>
    <h2>Weather</h2><p>It rains.</p></article></main></body></html>"""
    from analyzers.heuristics import PageSample, classify_page

    page = PageSample("https://blog.example/why-seattle", html)
    proposal = propose_config([page], source_id="blog", source_name="Blog", base_url="https://blog.example/")
    assert proposal.config.listing is None
    assert classify_page(page) == "other"
    assert any("no repeated listing structure" in issue for issue in proposal.issues)


def test_theme_switches_on_the_body_are_not_page_chrome() -> None:
    # Themes put "footer-on-bottom", "dropdown-hover", "tweak-social-..." on <body>: every
    # element is inside it, so those words must not make the listings look like a footer.
    html = load("cards_nested.html").replace(
        '<body class="page page-events">',
        '<body class="page footer-on-bottom dropdown-hover tweak-social-icons-style nav-below-header">',
    )
    url = "https://cedarriver.example/events/"
    page = PageSample(url, html)
    config = propose_config(
        [page], source_id="c", source_name="C", base_url="https://cedarriver.example/"
    ).config
    assert config.listing is not None
    assert element_paths(html, config.listing.item) == element_paths(
        html, SelectorSpec(query="div.event-card")
    )
    assert len(engine_titles(html, url, config)) == 6


def test_a_round_up_mixing_two_item_forms_reads_both() -> None:
    sections = "".join(
        f"<h3>{name}</h3><p><strong>When:</strong> Saturday, May {day}, 10am-2pm</p>"
        f"<p>A long description of {name} for families with kids of every age, with details.</p>"
        for name, day in (("Tulip Festival Kids Day", 3), ("Spring Kite Fly", 4), ("Seed Library Swap", 10))
    )
    bold = "".join(
        f"<p><strong>{name}</strong> &ndash; Sunday, May {day}, 1pm-3pm, free for all ages. "
        f"Drop in any time; no registration needed.</p>"
        for name, day in (
            ("Bug Hunt at Carkeek", 5),
            ("Story Walk at Lincoln Park", 11),
            ("Family Bike Rodeo", 18),
        )
    )
    html = (
        "<html><body><nav><a href='/'>Home</a><a href='/blog'>Blog</a></nav><main><article>"
        "<h1>Weekend picks</h1><div class='entry-content'><p>Our favorite picks this month, big and small, "
        "all around town for families.</p>"
        f"{sections}<h2>Quick picks</h2>{bold}</div></article></main></body></html>"
    )
    url = "https://blog.example/2025/05/weekend-picks/"
    config = propose_config(
        [PageSample(url, html)], source_id="b", source_name="B", base_url="https://blog.example/"
    ).config
    titles = engine_titles(html, url, config)
    expected = [
        "Tulip Festival Kids Day", "Spring Kite Fly", "Seed Library Swap",
        "Bug Hunt at Carkeek", "Story Walk at Lincoln Park", "Family Bike Rodeo",
    ]  # fmt: skip
    assert precision_recall(titles, expected) == (1.0, 1.0), titles
