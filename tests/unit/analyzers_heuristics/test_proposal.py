"""propose_config end to end: home + listing + detail pages, JavaScript apps, structured
data only, two listing templates, type hints."""

from __future__ import annotations

import json

from analyzers.heuristics import PageSample, propose_config
from famact.constants import EntityType, RenderMode, SourceType
from famact.models import SourceConfig
from famact_crawler.extract.engine import extract_detail, extract_page

from .helpers import engine_titles, load, sample

HOME = "https://cedarriver.example/"
EVENTS = "https://cedarriver.example/events/"
DETAIL = "https://cedarriver.example/events/owl-prowl-night-hike/"


def test_home_listing_and_detail() -> None:
    pages = [sample("home.html", HOME), sample("cards_nested.html", EVENTS), sample("detail.html", DETAIL)]
    proposal = propose_config(pages, source_id="cedar-river", source_name="Cedar River", base_url=HOME)
    config = proposal.config
    assert config.target_urls == [EVENTS]
    assert config.render is RenderMode.HTTP
    assert config.source_type is SourceType.EVENT_CALENDAR
    assert config.defaults.entity_type is None  # mixed events: the classifier decides
    assert proposal.patterns["page_kinds"] == {HOME: "other", EVENTS: "listing", DETAIL: "detail"}
    # The site's own Organization block (on every page) is not a listing type.
    assert config.structured_data.types == ["Event"]
    assert proposal.patterns["structured_data"]["site_wide_ignored"]
    # Items link to detail pages: follow them and read the detail fields.
    assert config.detail is not None and config.detail.follow is not None
    assert config.detail.follow.attr == "href"
    assert {"title", "date", "price", "ages", "venue", "description"} <= set(config.detail.fields)
    assert config.listing is not None and config.listing.pagination is not None
    assert proposal.confidence >= 0.7
    assert not proposal.issues
    # The config survives a JSON round trip (what ANALYSIS stores) unchanged.
    assert SourceConfig.model_validate(json.loads(config.model_dump_json())) == config

    listing = extract_page(load("cards_nested.html"), EVENTS, config)
    requests = dict(listing.detail_requests)
    assert DETAIL in requests and len(requests) == 6
    detail = extract_detail(load("detail.html"), DETAIL, config, requests[DETAIL])
    fields = detail.listings[0].fields
    assert fields["title"] == "Owl Prowl Night Hike"
    assert "6 and up" in fields["ages"]
    assert "$12" in fields["price"]


def test_javascript_app_with_a_render() -> None:
    url = "https://ymca.example/events"
    pages = [sample("app_shell.html", url), sample("app_shell_rendered.html", url, rendered=True)]
    proposal = propose_config(pages, source_id="ymca", source_name="YMCA", base_url="https://ymca.example/")
    config = proposal.config
    assert config.render is RenderMode.BROWSER
    assert config.listing is not None
    assert engine_titles(load("app_shell_rendered.html"), url, config)[:1] == ["Parent's Night Out"]
    assert any("JavaScript" in issue for issue in proposal.issues)


def test_javascript_app_without_a_render() -> None:
    url = "https://ymca.example/events"
    proposal = propose_config(
        [sample("app_shell.html", url)],
        source_id="ymca",
        source_name="YMCA",
        base_url="https://ymca.example/",
    )
    config = proposal.config
    assert config.render is RenderMode.BROWSER
    assert config.listing is None and config.structured_data.enabled  # still a valid config
    assert config.target_urls == [url]
    assert proposal.confidence <= 0.2
    assert any("JavaScript app shell" in issue for issue in proposal.issues)


def test_structured_data_only() -> None:
    events = [
        {
            "@type": "Event",
            "name": f"Family Yoga {i}",
            "startDate": f"2025-02-0{i}T10:00",
            "url": f"/yoga-{i}",
        }
        for i in range(1, 5)
    ]
    html = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps({"@context": "https://schema.org", "@graph": events})
        + "</script></head><body><div id='calendar-widget'></div></body></html>"
    )
    page = PageSample("https://studio.example/calendar", html)
    proposal = propose_config(
        [page], source_id="studio", source_name="Studio", base_url="https://studio.example/"
    )
    config = proposal.config
    assert config.listing is None
    assert config.structured_data.enabled and config.structured_data.types == ["Event"]
    assert config.target_urls == ["https://studio.example/calendar"]
    assert proposal.patterns["pages"]["https://studio.example/calendar"]["structured_listing_items"] == 4
    assert len(extract_page(html, page.url, config).listings) == 4
    assert 0.3 <= proposal.confidence <= 0.6


def test_camp_directory_is_a_program_source() -> None:
    url = "https://campfinder.example/camps"
    proposal = propose_config(
        [sample("camp_directory.html", url)],
        source_id="camps",
        source_name="Camps",
        base_url="https://campfinder.example/",
    )
    assert proposal.config.defaults.entity_type is EntityType.PROGRAM
    assert proposal.config.source_type is SourceType.PROGRAM_DIRECTORY
    assert proposal.config.structured_data.types == ["Event"]  # ChildrensEvent is an Event


def test_two_listing_templates_are_merged() -> None:
    pages = [
        sample("cards_nested.html", "https://museum.example/events/"),
        sample("nav_heavy.html", "https://museum.example/this-month"),
    ]
    proposal = propose_config(
        pages, source_id="museum", source_name="Museum", base_url="https://museum.example/"
    )
    config = proposal.config
    assert config.listing is not None and "," in config.listing.item.query
    assert set(config.target_urls) == {"https://museum.example/events/", "https://museum.example/this-month"}
    assert len(engine_titles(load("cards_nested.html"), "https://museum.example/events/", config)) == 6
    assert engine_titles(load("nav_heavy.html"), "https://museum.example/this-month", config) == [
        "Dino Discovery Morning",
        "Ocean Animals Sensory Play",
        "Rocket Launch Day",
        "Pajama Planetarium",
    ]


def test_outside_links_are_not_followed() -> None:
    url = "https://pugetsoundparent.example/2025/03/free-things-this-weekend/"
    proposal = propose_config(
        [sample("prose_h3.html", url)],
        source_id="psp",
        source_name="PSP",
        base_url="https://pugetsoundparent.example/",
    )
    assert proposal.config.detail is None  # the round-up links to other sites' pages
    assert proposal.config.listing is not None and "url" in proposal.config.listing.fields
