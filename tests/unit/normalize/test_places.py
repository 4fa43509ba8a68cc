"""parse_address and resolve_place: US address shapes, Seattle neighbourhoods and cities."""

from __future__ import annotations

import pytest

from famact.models import Address
from famact.normalize.places import CITY_REGIONS, NEIGHBOURHOODS, parse_address, resolve_place

ADDRESSES: list[tuple[str, str | None, str | None, str | None, str | None]] = [
    # text, street, city, state, postal_code
    ("1400 S Lane St, Seattle, WA 98144", "1400 S Lane St", "Seattle", "WA", "98144"),
    ("1400 S Lane St Seattle WA 98144", "1400 S Lane St", "Seattle", "WA", "98144"),
    ("Seattle Art Museum\n1300 1st Ave\nSeattle, WA 98101", "1300 1st Ave", "Seattle", "WA", "98101"),
    ("1300 1st Ave<br>Seattle, WA&nbsp;98101", "1300 1st Ave", "Seattle", "WA", "98101"),
    ("Seattle, WA", None, "Seattle", "WA", None),
    ("SEATTLE, WA", None, "Seattle", "WA", None),
    ("Seattle WA", None, "Seattle", "WA", None),
    ("305 Harrison St, Seattle, WA 98109, USA", "305 Harrison St", "Seattle", "WA", "98109"),
    (
        "KidsQuest Children's Museum, 1116 108th Ave NE, Bellevue, WA 98004",
        "1116 108th Ave NE",
        "Bellevue",
        "WA",
        "98004",
    ),
    ("123 Main St, Suite 200, Kirkland, WA 98033", "123 Main St, Suite 200", "Kirkland", "WA", "98033"),
    ("5400 Sand Point Way NE Seattle, Washington 98105", "5400 Sand Point Way NE", "Seattle", "WA", "98105"),
    ("P.O. Box 123, Tacoma, WA 98401", "P.O. Box 123", "Tacoma", "WA", "98401"),
    ("Louisville, KY 40202", None, "Louisville", "KY", "40202"),
    ("601 N 34th St | Seattle, WA 98103", "601 N 34th St", "Seattle", "WA", "98103"),
    (
        "4001 Factoria Blvd SE, Bellevue WA 98006-1234",
        "4001 Factoria Blvd SE",
        "Bellevue",
        "WA",
        "98006-1234",
    ),
    ("Bellevue", None, "Bellevue", None, None),
    ("2000 NE 36th Ave\nRedmond, WA", "2000 NE 36th Ave", "Redmond", "WA", None),
]


@pytest.mark.parametrize(
    ("text", "street", "city", "state", "postal"), ADDRESSES, ids=[a[0] for a in ADDRESSES]
)
def test_parse_address(
    text: str, street: str | None, city: str | None, state: str | None, postal: str | None
) -> None:
    address = parse_address(text)
    assert address is not None
    assert (address.street, address.city, address.state, address.postal_code) == (street, city, state, postal)
    assert address.text


def test_address_text_is_the_cleaned_original_on_one_line() -> None:
    address = parse_address("Seattle Art Museum\n1300 1st Ave\nSeattle, WA 98101")
    assert address is not None
    assert address.text == "Seattle Art Museum, 1300 1st Ave, Seattle, WA 98101"


@pytest.mark.parametrize("text", ["Online", "Zoom", "TBD", "Meet at the main entrance"])
def test_unstructured_places_keep_only_the_text(text: str) -> None:
    assert parse_address(text) == Address(text=text)


@pytest.mark.parametrize("text", [None, "", "  ", "&nbsp;"])
def test_no_address(text: str | None) -> None:
    assert parse_address(text) is None


PLACES: list[tuple[tuple[str | None, ...], str, str]] = [
    (("Seattle",), "seattle", "seattle"),
    (("SEATTLE, WA",), "seattle", "seattle"),
    (("Ballard",), "seattle", "seattle-north"),
    (("Ballard Branch, Seattle Public Library",), "seattle", "seattle-north"),
    (("Fremont, Seattle",), "seattle", "seattle-north"),
    (("Capitol Hill",), "seattle", "seattle-downtown"),
    (("West Seattle",), "seattle", "seattle-west"),
    (("Alki Beach",), "seattle", "seattle-west"),
    (("Columbia City",), "seattle", "seattle-south"),
    (("Green Lake Park",), "seattle", "seattle-north"),
    (("Greenlake",), "seattle", "seattle-north"),
    (("U District",), "seattle", "seattle-north"),
    (("U-District Farmers Market",), "seattle", "seattle-north"),
    (("Queen Anne",), "seattle", "seattle-downtown"),
    (("Seattle Center",), "seattle", "seattle-downtown"),
    (("South Lake Union",), "seattle", "seattle-downtown"),
    (("Beacon Hill",), "seattle", "seattle-south"),
    (("Georgetown, Seattle",), "seattle", "seattle-south"),
    (("Magnolia, Seattle",), "seattle", "seattle-north"),
    (("Wallingford",), "seattle", "seattle-north"),
    (("Northgate",), "seattle", "seattle-north"),
    (("Lake City Library",), "seattle", "seattle-north"),
    (("Rainier Beach",), "seattle", "seattle-south"),
    (("Pioneer Square",), "seattle", "seattle-downtown"),
    (("International District",), "seattle", "seattle-downtown"),
    (("Belltown",), "seattle", "seattle-downtown"),
    (("Woodland Park Zoo, Seattle",), "seattle", "seattle-north"),
    (("1400 S Lane St, Seattle, WA 98144",), "seattle", "seattle-south"),  # ZIP gives the area
    (("Seattle, WA 98107",), "seattle", "seattle-north"),
    (("1234 Bellevue Ave E, Seattle, WA 98102",), "seattle", "seattle-downtown"),  # a street, not Bellevue
    (("Renton Ave S, Seattle",), "seattle", "seattle"),
    (("Bellevue",), "bellevue", "eastside"),
    (("Downtown Bellevue",), "bellevue", "eastside"),
    (("Redmond Town Center",), "redmond", "eastside"),
    (("Kirkland",), "kirkland", "eastside"),
    (("Issaquah",), "issaquah", "eastside"),
    (("Sammamish",), "sammamish", "eastside"),
    (("Mercer Island Community Center",), "mercer-island", "eastside"),
    (("Snoqualmie",), "snoqualmie", "eastside"),
    (("North Bend",), "north-bend", "eastside"),
    (("Woodinville",), "woodinville", "eastside"),
    (("Renton",), "renton", "south-king"),
    (("Kent",), "kent", "south-king"),
    (("Kent, WA",), "kent", "south-king"),
    (("Tukwila",), "tukwila", "south-king"),
    (("Burien",), "burien", "south-king"),
    (("Federal Way",), "federal-way", "south-king"),
    (("Auburn",), "auburn", "south-king"),
    (("SeaTac",), "seatac", "south-king"),
    (("Shoreline Library",), "shoreline", "north-end"),
    (("Lynnwood",), "lynnwood", "north-end"),
    (("Edmonds",), "edmonds", "north-end"),
    (("Everett",), "everett", "north-end"),
    (("Mukilteo",), "mukilteo", "north-end"),
    (("Bothell",), "bothell", "north-end"),
    (("Tacoma Art Museum",), "tacoma", "pierce"),
    (("Puyallup Fair",), "puyallup", "pierce"),
    (("Vashon",), "vashon", "islands"),
    (("Bainbridge Island",), "bainbridge-island", "islands"),
    (("123 Main St, Kirkland, WA 98033",), "kirkland", "eastside"),
    (("Olympia, WA",), "olympia", "unknown"),
    (("Portland, OR",), "portland", "unknown"),
    (("Kentucky",), "unknown", "unknown"),  # whole words only
    (("Kentwood",), "unknown", "unknown"),
    (("Pacific Science Center",), "unknown", "unknown"),
    (("Online",), "unknown", "unknown"),
    ((None, "", None), "unknown", "unknown"),
    ((None, "Shoreline Library"), "shoreline", "north-end"),  # first text that names a place
    (("Online", "Bellevue"), "bellevue", "eastside"),
    (("Ballard", "Bellevue"), "seattle", "seattle-north"),
]


@pytest.mark.parametrize(
    ("texts", "city", "region"), PLACES, ids=[" / ".join(map(str, p[0])) for p in PLACES]
)
def test_resolve_place(texts: tuple[str | None, ...], city: str, region: str) -> None:
    assert resolve_place(*texts) == (city, region)


@pytest.mark.parametrize(
    ("texts", "default_city", "default_region", "expected"),
    [
        (("Somewhere nice",), "Bellevue", "eastside", ("bellevue", "eastside")),
        ((None,), "Redmond", None, ("redmond", "eastside")),
        ((None,), None, "seattle-north", ("unknown", "seattle-north")),
        (("Seattle, WA",), "Seattle", "seattle-north", ("seattle", "seattle-north")),  # a branch's default
        (("Capitol Hill",), "Seattle", "seattle-north", ("seattle", "seattle-downtown")),  # the text wins
        (("Kirkland",), "Seattle", "seattle-north", ("kirkland", "eastside")),
        (("Olympia, WA",), "Olympia", "south-sound", ("olympia", "south-sound")),
    ],
)
def test_resolve_place_defaults(
    texts: tuple[str | None, ...],
    default_city: str | None,
    default_region: str | None,
    expected: tuple[str, str],
) -> None:
    assert resolve_place(*texts, default_city=default_city, default_region=default_region) == expected


def test_every_region_is_a_slug() -> None:
    for region in [*CITY_REGIONS.values(), *NEIGHBOURHOODS.values()]:
        assert region == region.lower() and " " not in region
