"""parse_address and resolve_place: US address shapes, Seattle neighbourhoods and cities."""

from __future__ import annotations

import pytest

from famact.models import Address
from famact.normalize.places import (
    CITY_REGIONS,
    NEIGHBOURHOODS,
    is_place_name,
    known_city,
    looks_like_street_address,
    parse_address,
    resolve_place,
    split_venue,
)

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


# -- split_venue: venue cells that carry an address ------------------------------------------

VENUE_CELLS: list[tuple[str | None, str | None, str | None]] = [
    # cell, venue name, address / place part
    (
        "Sprocket Puppet Loft, 8408 Greenwood Ave N, Seattle",
        "Sprocket Puppet Loft",
        "8408 Greenwood Ave N, Seattle",
    ),
    ("Columbia Hills Library", "Columbia Hills Library", None),
    ("Venue Name - 123 Main St", "Venue Name", "123 Main St"),
    ("Venue Name – 123 Main St, Kirkland", "Venue Name", "123 Main St, Kirkland"),
    ("Venue Name (123 Main St)", "Venue Name", "123 Main St"),
    ("Venue Name (Bellevue)", "Venue Name", "Bellevue"),
    ("Venue Name | Seattle", "Venue Name", "Seattle"),
    ("Venue Name, Seattle, WA", "Venue Name", "Seattle, WA"),
    ("Venue Name, Seattle, WA 98103", "Venue Name", "Seattle, WA 98103"),
    ("Venue Name, Ballard", "Venue Name", "Ballard"),
    ("8408 Greenwood Ave N, Seattle", None, "8408 Greenwood Ave N, Seattle"),
    ("8408 Greenwood Ave N", None, "8408 Greenwood Ave N"),
    (
        "Pine Street Bakery Classroom, 1120 E Pine St, Seattle",
        "Pine Street Bakery Classroom",
        "1120 E Pine St, Seattle",
    ),
    ("Kids Room, 1120 E Pine St, Seattle", "Kids Room", "1120 E Pine St, Seattle"),
    ("Town Hall Seattle, 1119 8th Ave, Seattle", "Town Hall Seattle", "1119 8th Ave, Seattle"),
    (
        "KidsQuest Children's Museum\n1116 108th Ave NE\nBellevue, WA 98004",
        "KidsQuest Children's Museum",
        "1116 108th Ave NE, Bellevue, WA 98004",
    ),
    (
        "Sprocket Puppet Loft 8408 Greenwood Ave N Seattle",
        "Sprocket Puppet Loft",
        "8408 Greenwood Ave N Seattle",
    ),
    (
        "Jade Garden Community Hall, 660 S King St, Seattle",
        "Jade Garden Community Hall",
        "660 S King St, Seattle",
    ),
    ("Suite 200, 123 Main St", None, "Suite 200, 123 Main St"),
    ("SPROCKET LOFT, 8408 GREENWOOD AVE N, SEATTLE", "SPROCKET LOFT", "8408 GREENWOOD AVE N, SEATTLE"),
    ("Sprocket&nbsp;Loft, 8408&nbsp;Greenwood Ave N", "Sprocket Loft", "8408 Greenwood Ave N"),
    # kept whole: the rest is neither an address nor a known place
    ("Online and at partner libraries", "Online and at partner libraries", None),
    (
        "Seattle Children's Theatre - Charlotte Martin Theatre",
        "Seattle Children's Theatre - Charlotte Martin Theatre",
        None,
    ),
    ("Smith, Jones & Co", "Smith, Jones & Co", None),
    ("Kids Club, Admiral", "Kids Club, Admiral", None),  # a weak neighbourhood name
    ("Pier 62", "Pier 62", None),
    ("Studio 5 Dance", "Studio 5 Dance", None),
    ("Building 30, Magnuson Park", "Building 30, Magnuson Park", None),
    ("Hall B (upstairs)", "Hall B (upstairs)", None),
    ("Fairgrounds, Monroe", "Fairgrounds, Monroe", None),  # Monroe alone is not sure to be the city
]


@pytest.mark.parametrize(("cell", "venue", "place"), VENUE_CELLS, ids=[str(c[0]) for c in VENUE_CELLS])
def test_split_venue(cell: str, venue: str | None, place: str | None) -> None:
    assert split_venue(cell) == (venue, place)


@pytest.mark.parametrize("cell", [None, "", "  ", "&nbsp;"])
def test_split_venue_empty(cell: str | None) -> None:
    assert split_venue(cell) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8408 Greenwood Ave N", True),
        ("15600 NE 8th St., Bellevue", True),
        ("1415 Fifth Ave., Suite 200", True),
        ("5400 Sand Point Way NE", True),
        ("18600 Cedar Ridge Rd", True),
        ("P.O. Box 123", True),
        ("20 Things to Do", False),
        ("Suite 200", False),
        ("since 1998", False),
        ("123 Main", False),  # no street suffix
        ("5 Point Cafe", False),
        ("Greenwood Ave N", False),  # no number
        (None, False),
    ],
)
def test_looks_like_street_address(text: str | None, expected: bool) -> None:
    assert looks_like_street_address(text) is expected


@pytest.mark.parametrize(
    ("name", "with_state", "expected"),
    [
        ("Seattle", False, "seattle"),
        ("SEATTLE", False, "seattle"),
        ("Mercer Island", False, "mercer-island"),
        ("Mountlake Terrace", False, "mountlake-terrace"),
        ("Monroe", False, None),  # a weak name needs ", WA"
        ("Monroe", True, "monroe"),
        ("Kentucky", False, None),
        ("Ballard", False, None),  # a neighbourhood, not a city
        ("Seattle Center", False, None),
        ("", False, None),
        (None, False, None),
    ],
)
def test_known_city(name: str | None, with_state: bool, expected: str | None) -> None:
    assert known_city(name, with_state=with_state) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Kirkland", True), ("Ballard", True), ("Capitol Hill", True), ("Admiral", False), ("Monroe", False),
     ("Main Street", False), ("Magnuson Park", False), ("Seattle Center", False), (None, False)],
)  # fmt: skip
def test_is_place_name(name: str | None, expected: bool) -> None:
    assert is_place_name(name) is expected
