"""schema.org JSON-LD and microdata -> raw listing fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from famact.models import StructuredDataConfig
from famact_crawler.extract.structured import (
    StructuredResult,
    format_price,
    parse_json_ld,
    structured_listings,
    type_matches,
)

PAGES = Path(__file__).parent / "pages"
URL = "https://center.example.org/events/"
CONFIG = StructuredDataConfig()


def page_with(*scripts: str) -> str:
    body = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f"<html><head>{body}</head><body><p>x</p></body></html>"


def extract(*nodes: Any, config: StructuredDataConfig = CONFIG) -> StructuredResult:
    return structured_listings(page_with(*(json.dumps(n) for n in nodes)), URL, config)


def only_fields(*nodes: Any) -> dict[str, str]:
    result = extract(*nodes)
    assert len(result.items) == 1, result.items
    return result.items[0].fields


# --------------------------------------------------------------------------------------------
# Parsing


@pytest.mark.parametrize(
    "text",
    [
        '{"@type": "Event", "name": "A"}',
        '\ufeff{"@type": "Event", "name": "A"}',
        '<!-- {"@type": "Event", "name": "A"} -->',
        '//<![CDATA[\n{"@type": "Event", "name": "A"}\n//]]>',
        '{"@type": "Event", "name": "A",}',
        '{"@type": "Event", "name": "A", "keywords": ["x", "y",],}',
        'window.data = {"@type": "Event", "name": "A"};',
        '{"@type": "Event", "name": "A"} trailing junk',
        '{"@type": "Event", "name": "A", "x": "raw\ttab"}',
        '{"@type": "Event", "name": "A", "description": "line one\nline two"}',
        '{"@type": "Event", "name": "A", "description": "it\\\'s"}',
    ],
)
def test_parse_json_ld_repairs_common_damage(text: str) -> None:
    values = parse_json_ld(text)
    assert values is not None
    assert values[0]["name"] == "A"


def test_parse_json_ld_keeps_strings_that_look_like_trailing_commas() -> None:
    values = parse_json_ld('{"name": "a ,} b",}')
    assert values == [{"name": "a ,} b"}]


def test_parse_json_ld_reads_concatenated_objects() -> None:
    assert parse_json_ld('{"a": 1}\n{"b": 2}') == [{"a": 1}, {"b": 2}]


@pytest.mark.parametrize(
    "text", ["", "not json at all", '{"@type": "Event", "name": }', "{'single': 'quotes'}"]
)
def test_parse_json_ld_gives_up(text: str) -> None:
    assert parse_json_ld(text) is None


def test_malformed_scripts_are_counted_and_others_still_parsed() -> None:
    html = page_with(
        '{"@type": "Event", "name": "Good one", "startDate": "2027-01-05"}',
        '{"@type": "Event", "name": oops}',
        "{{{",
        "   ",  # empty scripts are not malformed, just empty
        '{"@type": "Event", "name": "Also good"}',
    )
    result = structured_listings(html, URL, CONFIG)
    assert result.malformed == 2
    assert [i.fields["title"] for i in result.items] == ["Good one", "Also good"]


def test_script_type_with_parameters_and_case() -> None:
    html = '<script type="Application/LD+JSON; charset=utf-8">{"@type": "Event", "name": "A"}</script>'
    assert [i.fields["title"] for i in structured_listings(html, URL, CONFIG).items] == ["A"]


# --------------------------------------------------------------------------------------------
# Finding nodes


def test_graph_is_walked_and_unwanted_types_ignored() -> None:
    result = extract(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "Site"},
                {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "name": "Home"}]},
                {"@type": "Organization", "name": "Org"},
                {"@type": "SocialEvent", "name": "Dance party"},
            ],
        }
    )
    assert [(i.structured_type, i.fields["title"]) for i in result.items] == [("SocialEvent", "Dance party")]


def test_top_level_list_and_item_list_of_list_items() -> None:
    result = extract(
        [
            {
                "@type": "ItemList",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "item": {"@type": "Event", "name": "One"}},
                    {"@type": "ListItem", "position": 2, "item": {"@type": "EducationEvent", "name": "Two"}},
                    {"@type": "ListItem", "position": 3, "url": "https://center.example.org/e/3"},
                ],
            },
            {"@type": "Event", "name": "Three"},
        ]
    )
    assert [i.fields["title"] for i in result.items] == ["One", "Two", "Three"]


def test_organization_event_list_inherits_organizer_and_place_event_list_inherits_venue() -> None:
    result = extract(
        {"@type": "Organization", "name": "Seattle Parks", "event": [{"@type": "Event", "name": "Hike"}]},
        {
            "@type": "Museum",
            "name": "MOHAI",
            "address": "860 Terry Ave N, Seattle, WA",
            "event": {"@type": "Event", "name": "Family day"},
        },
    )
    by_title = {i.fields["title"]: i.fields for i in result.items}
    assert by_title["Hike"]["organizer"] == "Seattle Parks"
    assert by_title["Family day"]["venue"] == "MOHAI"
    assert by_title["Family day"]["address"] == "860 Terry Ave N, Seattle, WA"
    assert by_title["MOHAI"]["type"] == "Museum"


def test_course_instances_become_listings_that_inherit_the_course() -> None:
    result = extract(
        {
            "@type": "Course",
            "name": "Swim Lessons Level 1",
            "description": "Water comfort for beginners.",
            "provider": {"@type": "Organization", "name": "Seattle Parks"},
            "offers": {"@type": "Offer", "price": 64, "priceCurrency": "USD"},
            "hasCourseInstance": [
                {
                    "@type": "CourseInstance",
                    "startDate": "2027-01-05",
                    "endDate": "2027-02-23",
                    "courseSchedule": {"@type": "Schedule", "byDay": ["TU", "TH"], "startTime": "17:00"},
                    "location": "Rainier Beach Pool",
                },
                {"@type": "CourseInstance", "name": "Level 1 (Saturdays)", "startDate": "2027-01-09"},
            ],
        }
    )
    assert [i.structured_type for i in result.items] == ["CourseInstance", "CourseInstance"]
    first, second = (i.fields for i in result.items)
    assert first["title"] == "Swim Lessons Level 1"
    assert first["description"] == "Water comfort for beginners."
    assert first["schedule"] == "every Tuesday, Thursday 17:00"
    assert first["venue"] == "Rainier Beach Pool"
    assert first["price"] == "$64"
    assert first["organizer"] == "Seattle Parks"
    assert first["end_date"] == "2027-02-23"
    assert second["title"] == "Level 1 (Saturdays)"


def test_course_without_instances_is_one_listing() -> None:
    fields = only_fields({"@type": "Course", "name": "Coding for kids", "provider": "Code Club"})
    assert fields == {"title": "Coding for kids", "organizer": "Code Club", "type": "Course"}


def test_sub_events_are_listings_with_parent_place() -> None:
    result = extract(
        {
            "@type": "Festival",
            "name": "Kids Fest",
            "startDate": "2027-06-01",
            "location": {"@type": "Place", "name": "Seattle Center"},
            "subEvent": [{"@type": "Event", "name": "Puppet show", "startDate": "2027-06-01T11:00"}],
        }
    )
    by_title = {i.fields["title"]: i.fields for i in result.items}
    assert set(by_title) == {"Kids Fest", "Puppet show"}
    assert by_title["Puppet show"]["venue"] == "Seattle Center"
    assert by_title["Puppet show"]["date"] == "2027-06-01T11:00"


@pytest.mark.parametrize(
    ("type_name", "configured", "expected"),
    [
        ("Event", ["Event"], True),
        ("ChildrensEvent", ["Event"], True),
        ("EducationEvent", ["Event"], True),
        ("CourseInstance", ["Event"], True),
        ("Festival", ["Event"], True),
        ("Playground", ["Place"], True),
        ("Zoo", ["Place"], True),
        ("SportsActivityLocation", ["LocalBusiness"], True),
        ("Library", ["Place"], True),
        ("Restaurant", ["Place", "LocalBusiness"], False),
        ("City", ["Place"], False),
        ("Organization", ["Event", "Place"], False),
        ("ChildrensEvent", ["Course"], False),
        ("Museum", ["Museum"], True),
    ],
)
def test_type_matches(type_name: str, configured: list[str], expected: bool) -> None:
    assert type_matches(type_name, configured) is expected


def test_type_as_list_and_url() -> None:
    fields = only_fields({"@type": ["Thing", "https://schema.org/ChildrensEvent"], "name": "Story"})
    assert fields["type"] == "ChildrensEvent"


def test_configured_types_restrict_listings() -> None:
    config = StructuredDataConfig(types=["Course"])
    result = extract({"@type": "Event", "name": "E"}, {"@type": "Course", "name": "C"}, config=config)
    assert [i.fields["title"] for i in result.items] == ["C"]


def test_disabled_config_yields_nothing() -> None:
    assert extract({"@type": "Event", "name": "E"}, config=StructuredDataConfig(enabled=False)).items == []


# --------------------------------------------------------------------------------------------
# Field mapping


def test_event_fields() -> None:
    fields = only_fields(
        {
            "@type": "ChildrensEvent",
            "name": "Toddler &amp; Me <b>Yoga</b>",
            "description": "<p>Stretch &amp; play.</p><p>Bring a mat.</p>",
            "startDate": "2027-01-05T10:30:00-08:00",
            "endDate": "2027-01-05T11:15:00-08:00",
            "doorTime": "10:15:00",
            "location": {
                "@type": "Place",
                "name": "Green Lake Community Center",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "7201 E Green Lake Dr N",
                    "addressLocality": "Seattle",
                    "addressRegion": "WA",
                    "postalCode": "98115",
                },
                "geo": {"@type": "GeoCoordinates", "latitude": 47.68, "longitude": "-122.33"},
            },
            "organizer": [{"@type": "Organization", "name": "Seattle Parks"}],
            "image": {"@type": "ImageObject", "url": "/img/yoga.jpg"},
            "url": "../classes/yoga",
            "typicalAgeRange": "1-3",
            "telephone": "206-684-0780",
            "eventStatus": "https://schema.org/EventScheduled",
        }
    )
    assert fields == {
        "title": "Toddler & Me Yoga",
        "description": "Stretch & play. Bring a mat.",
        "date": "2027-01-05T10:30:00-08:00",
        "end_date": "2027-01-05T11:15:00-08:00",
        "time": "10:15",
        "venue": "Green Lake Community Center",
        "address": "7201 E Green Lake Dr N, Seattle, WA 98115",
        "city": "Seattle",
        "latitude": "47.68",
        "longitude": "-122.33",
        "organizer": "Seattle Parks",
        "image": "https://center.example.org/img/yoga.jpg",
        "url": "https://center.example.org/classes/yoga",
        "ages": "ages 1-3",
        "phone": "206-684-0780",
        "type": "ChildrensEvent",
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("https://schema.org/EventCancelled", "Cancelled"),
        ("EventCancelled", "Cancelled"),
        ("http://schema.org/EventPostponed", "Postponed"),
        ("https://schema.org/EventScheduled", None),
    ],
)
def test_event_status(status: str, expected: str | None) -> None:
    assert only_fields({"@type": "Event", "name": "E", "eventStatus": status}).get("status") == expected


@pytest.mark.parametrize(
    ("node_extra", "expected"),
    [
        ({"offers": {"price": 12, "priceCurrency": "USD"}}, "$12"),
        ({"offers": {"price": "12.5", "priceCurrency": "EUR"}}, "12.50 EUR"),
        ({"offers": {"price": "0"}}, "Free"),
        ({"offers": {"price": 0.0, "priceCurrency": "USD"}}, "Free"),
        ({"offers": {"price": "15", "priceCurrency": "usd"}}, "$15"),
        ({"offers": {"price": "$15 per child"}}, "$15 per child"),
        ({"offers": {"price": 20}}, "20"),
        ({"isAccessibleForFree": True}, "Free"),
        ({"isAccessibleForFree": "True", "offers": {"url": "https://x"}}, "Free"),
        (
            {
                "offers": [
                    {"name": "Adult", "price": 12, "priceCurrency": "USD"},
                    {"name": "Child", "price": 8, "priceCurrency": "USD"},
                    {"name": "Under 2", "price": 0},
                ]
            },
            "Adult: $12; Child: $8; Under 2: Free",
        ),
        (
            {"offers": {"@type": "AggregateOffer", "lowPrice": 10, "highPrice": 25, "priceCurrency": "USD"}},
            "$10-$25",
        ),
        ({"offers": {"priceSpecification": {"price": 30, "priceCurrency": "USD"}}}, "$30"),
        ({"offers": {"price": None}}, None),
        ({}, None),
    ],
)
def test_offers(node_extra: dict[str, Any], expected: str | None) -> None:
    fields = only_fields({"@type": "Event", "name": "E", **node_extra})
    assert fields.get("price") == expected


def test_sold_out_offer_marks_full_but_cancellation_wins() -> None:
    sold_out = {"availability": "https://schema.org/SoldOut", "price": 5, "priceCurrency": "USD"}
    assert only_fields({"@type": "Event", "name": "E", "offers": sold_out})["status"] == "Full"
    cancelled = {"@type": "Event", "name": "E", "offers": sold_out, "eventStatus": "EventCancelled"}
    assert only_fields(cancelled)["status"] == "Cancelled"


@pytest.mark.parametrize(
    ("node_extra", "expected"),
    [
        ({"typicalAgeRange": "5-12"}, "ages 5-12"),
        ({"typicalAgeRange": "5-"}, "ages 5+"),
        ({"typicalAgeRange": "Ages 3 and up"}, "Ages 3 and up"),
        ({"audience": {"@type": "PeopleAudience", "suggestedMinAge": 3, "suggestedMaxAge": 5}}, "ages 3-5"),
        ({"audience": {"@type": "PeopleAudience", "suggestedMinAge": "6"}}, "ages 6+"),
        ({"audience": {"@type": "PeopleAudience", "suggestedMaxAge": 2.0}}, "ages up to 2"),
        ({"audience": {"@type": "Audience", "audienceType": "Families"}}, "Families"),
        ({}, None),
    ],
)
def test_ages(node_extra: dict[str, Any], expected: str | None) -> None:
    assert only_fields({"@type": "Event", "name": "E", **node_extra}).get("ages") == expected


@pytest.mark.parametrize(
    ("schedule", "expected_text", "expected_date"),
    [
        (
            {
                "byDay": "https://schema.org/Tuesday",
                "startTime": "10:30:00",
                "endTime": "11:00:00",
                "repeatFrequency": "P1W",
            },
            "every Tuesday 10:30-11:00",
            None,
        ),
        ({"repeatFrequency": "P1D", "startTime": "9:00"}, "daily 09:00", None),
        ({"byDay": ["Monday", "Wednesday"], "repeatFrequency": "P2W"}, "every other Monday, Wednesday", None),
        (
            {"byDay": "SA", "startDate": "2027-01-09", "repeatCount": 6},
            "every Saturday (6 times)",
            "2027-01-09",
        ),
    ],
)
def test_event_schedule(schedule: dict[str, Any], expected_text: str, expected_date: str | None) -> None:
    fields = only_fields({"@type": "Event", "name": "E", "eventSchedule": {"@type": "Schedule", **schedule}})
    assert fields["schedule"] == expected_text
    assert fields.get("date") == expected_date


def test_place_hours_phone_and_address_string() -> None:
    fields = only_fields(
        {
            "@type": "Playground",
            "name": "Magnuson Adventure Playground",
            "address": "7400 Sand Point Way NE, Seattle",
            "openingHours": ["Mo-Fr 09:00-20:00", "Sa-Su 08:00-20:00"],
            "openingHoursSpecification": [
                {
                    "dayOfWeek": ["https://schema.org/Saturday", "Sunday"],
                    "opens": "10:00:00",
                    "closes": "16:00:00",
                    "validFrom": "2027-06-01",
                    "validThrough": "2027-09-01",
                },
                {"dayOfWeek": "Monday", "opens": "00:00", "closes": "00:00"},
            ],
            "telephone": "206-684-4075",
            "geo": {"latitude": "47.68", "longitude": "-122.25"},
        }
    )
    assert fields["address"] == "7400 Sand Point Way NE, Seattle"
    assert fields["hours"] == (
        "Mo-Fr 09:00-20:00; Sa-Su 08:00-20:00; "
        "Saturday, Sunday 10:00-16:00 (2027-06-01 to 2027-09-01); Monday closed"
    )
    assert fields["phone"] == "206-684-4075"
    assert (fields["latitude"], fields["longitude"]) == ("47.68", "-122.25")
    assert fields["type"] == "Playground"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("Central Library, Level 1", {"venue": "Central Library, Level 1"}),
        ({"@type": "VirtualLocation", "url": "https://zoom.us/j/1"}, {"venue": "Online"}),
        (
            [{"@type": "VirtualLocation", "url": "https://zoom.us/j/1"}, {"@type": "Place", "name": "Hall"}],
            {"venue": "Hall"},
        ),
    ],
)
def test_location_variants(location: Any, expected: dict[str, str]) -> None:
    fields = only_fields({"@type": "Event", "name": "E", "location": location})
    assert {k: fields[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("node_extra", "expected"),
    [
        ({"url": "https://center.example.org/e/1"}, "https://center.example.org/e/1"),
        ({"@id": "https://center.example.org/e/2"}, "https://center.example.org/e/2"),
        ({"@id": "https://center.example.org/#event"}, None),  # a node id, not a page
        ({"@id": "_:b0"}, None),
        ({"url": "mailto:a@b.org"}, None),
    ],
)
def test_url_sources(node_extra: dict[str, Any], expected: str | None) -> None:
    result = extract({"@type": "Event", "name": "E", **node_extra})
    assert result.items[0].url == expected
    assert result.items[0].fields.get("url") == expected


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("/a.jpg", "https://center.example.org/a.jpg"),
        (["", "https://cdn.example.org/b.jpg"], "https://cdn.example.org/b.jpg"),
        ({"@type": "ImageObject", "contentUrl": "c.jpg"}, "https://center.example.org/events/c.jpg"),
    ],
)
def test_image_variants(image: Any, expected: str) -> None:
    assert only_fields({"@type": "Event", "name": "E", "image": image})["image"] == expected


@pytest.mark.parametrize(
    ("price", "currency", "expected"),
    [
        (12, "USD", "$12"),
        ("12.00", "USD", "$12"),
        (9.99, "CAD", "9.99 CAD"),
        (0, None, "Free"),
        ("Free", None, "Free"),
    ],
)
def test_format_price(price: Any, currency: str | None, expected: str) -> None:
    assert format_price(price, currency) == expected


# --------------------------------------------------------------------------------------------
# Microdata


def test_microdata_place_with_nested_event() -> None:
    html = (PAGES / "microdata.html").read_text()
    result = structured_listings(html, "https://wingluke.example.org/visit", CONFIG)
    assert all(i.syntax == "microdata" for i in result.items)
    by_title = {i.fields["title"]: i.fields for i in result.items}
    museum = by_title["Wing Luke Museum"]
    assert museum["address"] == "719 S King St, Seattle, WA 98104"
    assert museum["city"] == "Seattle"
    assert museum["phone"] == "(206) 623-5124"
    assert museum["hours"] == "Tu-Su 10:00-17:00"
    event = by_title["Family Free Day"]
    assert event["date"] == "2027-02-06T10:00"
    assert event["price"] == "Free"
    assert event["venue"] == "Wing Luke Museum"
    assert event["type"] == "ChildrensEvent"


def test_microdata_can_be_switched_off() -> None:
    html = (PAGES / "microdata.html").read_text()
    config = StructuredDataConfig(syntaxes=["json-ld"])
    assert structured_listings(html, "https://wingluke.example.org/visit", config).items == []


def test_same_event_in_json_ld_and_microdata_is_one_item() -> None:
    html = (
        '<script type="application/ld+json">'
        '{"@type": "Event", "name": "Story", "startDate": "2027-01-05"}</script>'
        '<div itemscope itemtype="https://schema.org/Event"><span itemprop="name">Story</span>'
        '<meta itemprop="startDate" content="2027-01-05"></div>'
    )
    result = structured_listings(html, URL, CONFIG)
    assert [(i.syntax, i.fields["title"]) for i in result.items] == [("json-ld", "Story")]
