"""The pair scorer on examples written here: the same storytime worded three ways merges;
another branch, another session, another month's meeting or the same source never does."""

from __future__ import annotations

from typing import Any

import pytest

from famact.merge.listing import authority_of, from_record
from famact.merge.score import (
    NEIGHBOUR,
    Verdict,
    _same_word,
    distance_m,
    place_similarity,
    score_pair,
    word_overlap,
)
from famact.merge.text import rejoin, rejoin_set, street_key, title_key, venue_words

SPL = {
    "source_id": "spl",
    "source_kind": "library",
    "entity_type": "EVENT",
    "title": "Toddler Storytime",
    "start": "2027-01-05T10:30",
    "dates": ["2027-01-05", "2027-01-12", "2027-01-19"],
    "venue_name": "Ballard Branch",
    "address": "5614 22nd Ave NW",
    "city": "Seattle",
    "lat": 47.6689,
    "lon": -122.3846,
}


# A winter festival's season at one place, given by its first and last day.
WINTER_SEASON: dict[str, Any] = {
    "dates": [],
    "start": "2027-11-26T10:00",
    "end": "2027-12-31T20:00",
    "venue_name": "Lakeside Commons",
}


def rec(**changes: Any) -> Any:
    return from_record({**SPL, **changes}, key=str(changes.get("source_id", "spl")))


@pytest.mark.parametrize(
    ("title", "venue", "expected"),
    [
        ("Toddler Storytime at Ballard Library 🐻", "Ballard Branch", "toddler storytime"),
        ("TODDLER STORY TIME - Ballard Branch", None, "toddler storytime"),
        ("Toddler Storytime (Ballard)", "Ballard Branch", "toddler storytime"),
        ("Saturday 10am: Lego Club", None, "lego club"),
        ("Kids' Art @ The Frye", "Frye Art Museum", "kids art"),
        # a tail that names no place stays, but its calendar words and numbers go
        ("Science & Stories - Tue, Jan 5", None, "science stories"),
        # ordinals in words or digits are one word
        ("Colby Avenue Fourth of July Parade", None, "colby avenue 4th parade"),
        ("4th of July Parade", None, "4th parade"),
        # a tail of the venue's name and more is an activity's name, not a place
        (
            "Santa by Sleigh - Lakeside Tree Lighting",
            "Lakeside Commons",
            "santa by sleigh lakeside tree lighting",
        ),
        ("Santa by Sleigh - Lakeside", "Lakeside Commons", "santa by sleigh"),
        # a place and then an age range: the place's part is cut, and all after it
        ("Forest Day Camp at Cedar Hollow (Ages 6-9)", "Cedar Hollow Park", "forest day camp"),
    ],
)
def test_title_key_drops_place_tails_case_emoji_and_calendar_words(
    title: str, venue: str | None, expected: str
) -> None:
    assert title_key(title, venue_name=venue, city="Seattle") == expected


def test_venue_words_and_street_keys_fold_generic_words_and_abbreviations() -> None:
    assert venue_words("Ballard Branch, The Seattle Public Library") == {"ballard"}
    assert venue_words("Seattle Public Library") == {"seattle", "public", "library"}
    assert venue_words("The Center for Wooden Boats") == {"wooden", "boats"}
    assert (
        venue_words("Lynnwood Rec Ctr")
        == venue_words("Lynnwood Recreation Center")
        == {"lynnwood", "recreation"}
    )
    assert (
        street_key("5614 22nd Avenue Northwest, Seattle")
        == street_key("5614 22nd Ave. N.W.")
        == ("5614", "22nd ave nw")
    )
    assert street_key("Ballard Library") is None


def test_distance() -> None:
    assert distance_m(47.6689, -122.3846, 47.6689, -122.3846) == 0
    assert 3_000 < distance_m(47.6689, -122.3846, 47.6494, -122.3503) < 3_700  # Ballard to Fremont


def test_the_same_storytime_from_a_calendar_and_a_blog_merges() -> None:
    calendar = rec(
        source_id="kids-cal",
        source_kind="aggregator",
        title="Toddler Story Time at Ballard Library",
        start="2027-01-12T10:30",
        dates=["2027-01-12", "2027-01-19"],
        venue_name="Seattle Public Library - Ballard",
        address="5614 22nd Ave. N.W., Seattle, WA 98107",
        lat=None,
        lon=None,
    )
    blog = rec(
        source_id="blog",
        title="Toddler Storytime @ Ballard 📚",
        dates=[],
        start="2027-01-05T10:30",
        venue_name="Ballard library",
        address=None,
        lat=None,
        lon=None,
    )
    for other in (calendar, blog):
        result = score_pair(rec(), other)
        assert result.verdict is Verdict.MERGE, result
        assert result.veto is None


@pytest.mark.parametrize(
    ("changes", "veto"),
    [
        ({"source_id": "spl"}, "same source"),
        (
            {"venue_name": "Fremont Branch", "address": "731 N 35th St", "lat": 47.6494, "lon": -122.3503},
            "coordinates",
        ),
        ({"venue_name": "Fremont Branch", "address": None, "lat": None, "lon": None}, "venues differ"),
        ({"address": "731 N 35th St", "lat": None, "lon": None}, "addresses differ"),
        ({"city": "Bellevue", "lat": None, "lon": None}, "cities differ"),
        ({"dates": ["2027-02-02"], "start": "2027-02-02T10:30"}, "no common date"),
    ],
)
def test_contradicting_places_times_or_one_source_veto_the_pair(changes: dict[str, Any], veto: str) -> None:
    other = rec(**{"source_id": "kids-cal", **changes})
    result = score_pair(rec(), other)
    assert result.verdict is Verdict.DISTINCT
    assert result.veto is not None and veto in result.veto


def test_other_start_times_are_for_the_admin_never_an_automatic_merge() -> None:
    later = rec(source_id="kids-cal", start="2027-01-05T11:30")
    result = score_pair(rec(), later)
    assert result.parts["time"] == 0.0 and result.veto is None
    assert result.verdict is Verdict.UNSURE


def one_day(base: dict[str, Any], key: str, **changes: Any) -> Any:
    """A blog's listing of one day of `base`: its own start, no list of dates."""
    return from_record({**base, "source_id": "blog", "dates": [], **changes}, key=key)


FAIR = {
    "title": "Fremont Summer Solstice Fair",
    "venue_name": "Fremont",
    "city": "Seattle",
    "start": "2027-06-19T10:00",
    "dates": ["2027-06-19", "2027-06-20"],
}


def test_a_day_of_a_festival_at_the_time_of_its_highlight_merges_with_the_festival() -> None:
    fair = from_record({**FAIR, "source_id": "calendar"}, key="a")
    blog = one_day(FAIR, "b", title="Solstice Parade & Fair (Fremont)", start="2027-06-19T12:00")
    result = score_pair(fair, blog)
    assert result.parts["time"] == 0.5 and result.verdict is Verdict.MERGE, result


def test_a_performance_for_its_own_audience_inside_a_run_is_for_the_admin() -> None:
    run = {"title": "Pip and the Moon Balloon", "venue_name": "Seattle Children's Theatre", "city": "Seattle"}
    nights = [f"2027-01-{d}" for d in (15, 16, 22, 23, 29, 30)]
    theatre = from_record({**run, "source_id": "sct", "start": "2027-01-15T19:00", "dates": nights}, key="a")
    matinee = one_day(run, "b", start="2027-01-16T11:00")
    sensory = one_day(run, "c", title="Sensory-friendly Pip and the Moon Balloon", start="2027-01-16T11:00")
    assert score_pair(theatre, matinee).verdict is Verdict.MERGE
    assert score_pair(theatre, sensory).verdict is not Verdict.MERGE
    # the run given by its first and last night, the special performance at the run's own hour
    season = from_record(
        {**run, "source_id": "guide", "start": "2027-01-15T19:00", "end": "2027-02-27T21:00", "dates": []},
        key="d",
    )
    evening = one_day(run, "e", title="Sensory-friendly Pip and the Moon Balloon", start="2027-01-22T19:00")
    assert score_pair(season, evening).held == "an audience of its own"
    # the whole series naming its audience, against a listing of its first session, is one
    series = from_record({**run, "source_id": "sct", "title": "Pip for Toddlers", "dates": nights}, key="f")
    first = one_day(run, "g", title="Pip", start="2027-01-15T19:00")
    assert score_pair(series, first).held is None


def test_a_part_of_an_event_named_after_it_with_its_own_place_is_not_the_event() -> None:
    """ "Lakeside Frostfest Ice Rink" is the festival's rink, entered on its own; the festival
    listed by two sources still merges, and a park named with its kind is still the park."""
    fest = rec(source_id="city", title="Frostfest", **WINTER_SEASON)
    guide = rec(source_id="guide", title="Lakeside Frostfest", **WINTER_SEASON)
    rink = rec(
        source_id="blog",
        title="Lakeside Frostfest Ice Rink at the Commons",
        entity_type="ATTRACTION",
        **WINTER_SEASON,
    )
    assert score_pair(fest, guide).verdict is Verdict.MERGE
    assert score_pair(fest, rink).held == "a part named after the other"
    assert score_pair(guide, rink).verdict is not Verdict.MERGE
    places = {"dates": [], "start": None, "entity_type": "VENUE", "venue_name": "Gull Point Park"}
    assert (
        score_pair(
            rec(source_id="a", title="Gull Point", **places),
            rec(source_id="b", title="Gull Point Park", **places),
        ).held
        is None
    )


def test_a_monthly_board_meeting_never_merges_with_next_months() -> None:
    base = {"title": "Board of Trustees", "venue_name": "City Hall", "city": "Seattle", "dates": []}
    june = from_record({**base, "source_id": "a", "start": "2027-06-14T18:00"}, key="a")
    july = from_record({**base, "source_id": "b", "start": "2027-07-12T18:00"}, key="b")
    assert score_pair(june, july).verdict is Verdict.DISTINCT


def test_another_age_groups_session_at_the_same_place_and_hour_is_not_confident() -> None:
    baby = rec(source_id="kids-cal", title="Baby Storytime")
    assert score_pair(rec(), baby).verdict is not Verdict.MERGE


def test_authority_ranks_the_venues_own_site_over_calendars_and_blogs() -> None:
    assert authority_of("library") > authority_of("event_calendar") > authority_of("aggregator")
    assert authority_of("venue_website") > authority_of("parent_blog")


def place(name: str, source_id: str, **extra: Any) -> Any:
    record = {
        "title": name,
        "venue_name": name,
        "city": "Seattle",
        "entity_type": "VENUE",
        "source_id": source_id,
    }
    return from_record({**record, **extra}, key=source_id)


def test_places_match_on_names_and_abbreviations_but_not_on_a_shared_neighbourhood() -> None:
    museum = place("Museum of History & Industry", "guide", address="860 Terry Avenue N, Seattle")
    review = place("MOHAI", "blog", title="MOHAI: our rainy-day review", address="860 Terry Ave N")
    assert score_pair(museum, review).verdict is Verdict.MERGE
    assert score_pair(place("Ballard Park", "a"), place("Ballard Library", "b")).verdict is not Verdict.MERGE


def test_a_place_titled_name_colon_tagline_merges_with_the_name() -> None:
    """A blog titles a place "Name: its tagline" and names the venue a little differently;
    the head of its title is the parks department's whole title."""
    parks = place("Green Lake Park", "parks", title="Green Lake Wading Pool")
    blog = place(
        "Green Lake Wading Pool", "blog", title="Green Lake Wading Pool: splashing on a hot afternoon"
    )
    assert score_pair(parks, blog).verdict is Verdict.MERGE


def test_a_thing_inside_a_place_titled_place_colon_name_stays_apart() -> None:
    """ "Woodland Park Zoo: Lantern Nights" is an attraction at the zoo, not the zoo: the shared
    name and place would carry the pair to a merge, so it is left for the admin."""
    zoo = place("Woodland Park Zoo", "zoo")
    lanterns = place(
        "Woodland Park Zoo", "blog", title="Woodland Park Zoo: Lantern Nights", entity_type="ATTRACTION"
    )
    assert score_pair(zoo, lanterns).verdict is not Verdict.MERGE


@pytest.mark.parametrize("written", ["Bellevue, WA", "Bellevue WA 98004", "bellevue, washington"])
def test_a_city_written_with_its_state_is_the_same_city(written: str) -> None:
    """Aggregators print "City, WA"; a library prints "City". The state is no second city."""
    library = rec(city="Bellevue", lat=None, lon=None)
    aggregator = rec(source_id="agg", city=written, lat=None, lon=None)
    result = score_pair(library, aggregator)
    assert result.veto is None and result.verdict is Verdict.MERGE


def test_an_abbreviated_venue_followed_by_its_city_is_the_venue() -> None:
    """ "PacSci Seattle" is "Pacific Science Center" with the city after it."""
    museum = place("Pacific Science Center", "museum")
    listing = place("PacSci Seattle", "agg", title="Pacific Science Center")
    assert score_pair(museum, listing).veto is None
    assert score_pair(museum, listing).verdict is Verdict.MERGE


def test_neighbours_with_other_addresses_and_names_are_not_one_place() -> None:
    """Two places 90 m apart along one waterfront, each with its own street address: the
    coordinates are close but the addresses and names say two places. Near and at one
    address, or near with a name in common, they are one."""
    gallery = place("Steam Gallery", "maritime", address="200 Pier Way", lat=47.6010, lon=-122.3400)
    boats = place("Rowing Club", "blog", address="310 Dock St", lat=47.6018, lon=-122.3402)
    assert place_similarity(gallery, boats) == (NEIGHBOUR, None)
    same_door = place("Rowing Club", "guide", address="200 Pier Way", lat=47.6018, lon=-122.3402)
    assert place_similarity(gallery, same_door) == (1.0, None)
    named = place("Steam Gallery at the Pier", "guide", address="310 Dock St", lat=47.6018, lon=-122.3402)
    assert place_similarity(gallery, named) == (1.0, None)


@pytest.mark.parametrize(
    ("inside", "outside"),
    [
        ("Butterfly House in Riverside Park", "Riverside Park"),
        ("Pumpkin carving at Harvest Fest", "Lakeside Harvest Fest"),
        # the head's "Riverside" is the tail's: it does not make the head the park
        ("Riverside Kids' Museum at Riverside Park", "Riverside Park"),
    ],
)
def test_a_thing_at_or_in_the_other_listing_is_not_the_other(inside: str, outside: str) -> None:
    """ "A in B" or "A at B", where B is what the other listing is, names a part of it."""
    base = {"venue_name": "Riverside Park", "address": "100 River Rd", "dates": [], "start": None}
    part = rec(source_id="blog", title=inside, **base)
    whole = rec(source_id="parks", title=outside, **base)
    assert score_pair(part, whole).verdict is not Verdict.MERGE


@pytest.mark.parametrize("short", ["HDM", "HarDisc"])
def test_a_place_inside_an_abbreviated_place_is_not_that_place(short: str) -> None:
    """ "The Bird Room at Harbor Discovery Museum" / "HDM": the other side names B by its
    initials or word starts, and its venue name says so too; still a part of it."""
    base = {"address": None, "dates": [], "start": None, "end": None, "entity_type": "VENUE"}
    room = rec(
        source_id="blog",
        title="The Bird Room at Harbor Discovery Museum",
        venue_name="Harbor Discovery Museum Bird Room",
        **base,
    )
    museum = rec(source_id="guide", title=short, venue_name=short, **base)
    assert score_pair(room, museum).verdict is not Verdict.MERGE


def test_an_activity_at_its_venue_still_matches_the_activity() -> None:
    """The head of "Pumpkin Bash at Riverside Park" is the other's title: one activity."""
    base = {"venue_name": "Riverside Park", "address": "100 River Rd"}
    blog = rec(source_id="blog", title="Pumpkin Bash at Riverside Park", **base)
    parks = rec(source_id="parks", title="Pumpkin Bash", **base)
    assert score_pair(blog, parks).verdict is Verdict.MERGE


@pytest.mark.parametrize(
    ("whole", "feature"),
    [
        ("Maple Hollow Park", "Maple Hollow Spray Park"),
        ("Maple Hollow Park", "Maple Hollow wading pool is open!"),
        ("Harbor Aquarium", "Harbor Aquarium's Kelp Pavilion"),
    ],
)
def test_a_place_and_a_feature_inside_it_are_not_one_place(whole: str, feature: str) -> None:
    """One address, no dates, titles sharing the place's name: the head nouns (a park, a pool, a
    pavilion) say two places, so the pair is left for the admin."""
    base = {
        "address": "16000 NE 10th St",
        "city": "Bellevue",
        "dates": [],
        "start": None,
        "lat": None,
        "lon": None,
    }
    park = place(whole, "parks", **base)
    pool = place(feature, "blog", entity_type="ATTRACTION", **base)
    assert score_pair(park, pool).verdict is not Verdict.MERGE
    again = place(whole, "guide", title=f"{whole} (main entrance)", **base)
    assert score_pair(park, again).verdict is Verdict.MERGE


def test_a_race_run_at_a_festival_is_not_the_festival() -> None:
    """The festival's 5K has its own entry and start; the festival's own days still merge."""
    days = {"dates": ["2027-10-02", "2027-10-03"], "start": "2027-10-02T10:00", "venue_name": "Front Street"}
    fest = rec(source_id="city", title="Riverbend Harvest Days", **days)
    guide = rec(source_id="guide", title="Riverbend Harvest Days Festival", **days)
    race = rec(source_id="races", title="Harvest Days Run 5K & Kids Dash", **days)
    assert score_pair(fest, guide).verdict is Verdict.MERGE
    assert score_pair(fest, race).verdict is not Verdict.MERGE
    assert score_pair(fest, race).held == "a race or parade at the other"
    assert score_pair(fest, guide).held is None
    # a dash named for the festival is a race too, and the same race from two sources merges
    dash = rec(source_id="blog", title="Harvest Days Pumpkin Dash for Kids", **days)
    assert score_pair(fest, dash).verdict is not Verdict.MERGE
    same_race = rec(source_id="guide", title="Harvest Days Run 5K", **days)
    assert score_pair(race, same_race).verdict is Verdict.MERGE


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Alder Creek Farm", "Alder Creek Farm Park"),  # a park named after a feature in it
        ("Cedar Point Zoo", "Cedar Point Zoo & Aquarium"),  # one place of two kinds
        ("Lakeview Park and Playground", "Lakeview Park"),
        ("Alder Pool (Lakeview Park)", "Alder Pool"),  # the park in parentheses says where
    ],
)
def test_one_place_named_with_more_or_fewer_kinds_is_still_one_place(one: str, other: str) -> None:
    base = {"address": "500 Lake Dr", "dates": [], "start": None, "lat": None, "lon": None}
    assert score_pair(place(one, "blog", **base), place(other, "parks", **base)).verdict is Verdict.MERGE


def test_an_address_written_without_its_direction_is_the_same_address() -> None:
    from famact.merge.text import street_key, streets_match

    with_direction, without = street_key("802 E Mukilteo Blvd"), street_key("802 Mukilteo Blvd")
    assert with_direction and without and streets_match(with_direction, without)
    north, south = street_key("750 N 50th St"), street_key("750 S 50th St")
    assert north and south and not streets_match(north, south)
    other_number = street_key("804 Mukilteo Blvd")
    assert other_number and not streets_match(without, other_number)
    blog = place(
        "Forest Park Everett",
        "blog",
        title="Forest Park, Everett: worth the drive?",
        address="802 Mukilteo Blvd",
    )
    parks = place("Forest Park", "parks", address="802 E Mukilteo Blvd")
    assert score_pair(blog, parks).veto is None


def test_a_parade_at_a_festival_is_for_the_admin_but_a_listing_of_both_is_the_festival() -> None:
    """Writers disagree whether a festival's parade is part of it, and one can march in it:
    a parade alone against the festival is left unsure; "Parade & Fair" is the whole."""
    fair = from_record({**FAIR, "source_id": "calendar"}, key="a")
    parade = one_day(FAIR, "b", title="Fremont Solstice Fair Parade", start="2027-06-19T12:00")
    assert score_pair(fair, parade).verdict is not Verdict.MERGE
    both = one_day(FAIR, "c", title="Solstice Fair and Parade (Fremont)", start="2027-06-19T12:00")
    assert score_pair(fair, both).verdict is Verdict.MERGE


def test_one_address_under_its_postal_city_and_its_municipality_is_one_place() -> None:
    """ "7000 Harbor Way S" in Seattle (the post's name) and in Riverton (the municipality),
    geocoded 160 m apart: one place. Without the same street, or without coordinates, the
    other city still vetoes."""
    own = place("Air and Sea Museum", "museum", address="7000 Harbor Way S", lat=47.5180, lon=-122.2964)
    guide = place(
        "Air & Sea Museum",
        "guide",
        address="7000 Harbor Way South",
        city="Riverton",
        lat=47.5191,
        lon=-122.2950,
    )
    assert place_similarity(own, guide) == (1.0, None)
    elsewhere = place(
        "Air & Sea Museum", "guide", address="120 Dock St", city="Riverton", lat=47.5191, lon=-122.2950
    )
    assert place_similarity(own, elsewhere)[1] == "cities differ: Seattle / Riverton"
    no_coordinates = place("Air & Sea Museum", "guide", address="7000 Harbor Way S", city="Riverton")
    assert place_similarity(own, no_coordinates)[1] == "cities differ: Seattle / Riverton"


@pytest.mark.parametrize(
    ("own", "post"),
    [
        ("Glowtopia", "Glowtopia 2027: everything you need to know"),
        ("Glowtopia", "Glowtopia opens this weekend!"),
        ("Glowtopia", "Glowtopia starts Saturday!"),
    ],
)
def test_a_post_announcing_an_activity_in_its_own_words_is_the_activity(own: str, post: str) -> None:
    """A blog wraps the one name in announcement words ("opens", "everything you need to know");
    with nothing else in its title, it says the same name as the venue's listing."""
    base = {"dates": ["2027-11-26"], "start": None, "venue_name": "Harbor Zoo", "address": "100 Zoo Way"}
    venue = rec(source_id="zoo", title=own, entity_type="ATTRACTION", **base)
    blog = rec(source_id="blog", title=post, entity_type="EVENT", **base)
    assert score_pair(venue, blog).verdict is Verdict.MERGE


def test_one_shared_name_with_more_words_on_one_side_is_still_thin() -> None:
    """ "Glowtopia" and "Glowtopia Ice Rink" share a name, but the rink is a part of it."""
    base = {"dates": ["2027-11-26"], "start": None, "venue_name": "Harbor Zoo", "address": "100 Zoo Way"}
    whole = rec(source_id="zoo", title="Glowtopia", entity_type="ATTRACTION", **base)
    part = rec(source_id="blog", title="Glowtopia Ice Rink at the Pavilion", entity_type="EVENT", **base)
    assert score_pair(whole, part).verdict is not Verdict.MERGE


def test_a_bare_place_name_at_a_park_is_not_the_library_branch_of_that_name() -> None:
    """A blog titles the park "Harbor Lake" (its venue: Harbor Lake Park); the library's branch
    by the lake is "Harbor Lake Branch". The venue name says which kind of place the blog means."""
    base = {"dates": [], "start": None, "city": "Seattle", "entity_type": "VENUE"}
    blog = rec(source_id="blog", title="Harbor Lake", venue_name="Harbor Lake Park", address=None, **base)
    branch = rec(
        source_id="cal", title="Harbor Lake Branch - Public Library", venue_name="Harbor Lake Branch", **base
    )
    assert score_pair(blog, branch).verdict is not Verdict.MERGE
    # one kind spelt two ways is one kind
    centre = rec(
        source_id="blog",
        title="Harbor Science Centre on a rainy day",
        venue_name="Harbor Science Centre",
        address=None,
        **base,
    )
    center = rec(source_id="cal", title="Harbor Science Center", venue_name="Harbor Science Center", **base)
    assert score_pair(centre, center).verdict is not Verdict.DISTINCT


def test_a_name_written_as_one_word_or_two_is_one_name() -> None:
    """ "Moon Lanterns - Holiday Lights" beside "MoonLanterns": the blog split the show's name."""
    assert rejoin("moon lanterns holiday lights", {"moonlanterns"}) == "moonlanterns holiday lights"
    assert rejoin_set({"moon", "lanterns"}, {"moonlanterns"}) == {"moonlanterns"}
    assert rejoin("moon lanterns", {"moon", "moonlanterns"}) == "moon lanterns"  # the other has "moon" alone
    base = {"dates": ["2027-11-26"], "start": None, "venue_name": "Harbor Zoo", "address": "100 Zoo Way"}
    zoo = rec(source_id="zoo", title="MoonLanterns", entity_type="EVENT", **base)
    blog = rec(source_id="blog", title="Moon Lanterns - Holiday Lights", entity_type="EVENT", **base)
    assert score_pair(zoo, blog).parts["title"] >= 0.75


def test_one_named_place_at_two_of_its_entrances_is_one_place() -> None:
    """A zoo given by its main gate on one side and its north gate's address on the other,
    geocoded 500 m apart; two other places at two addresses still veto."""
    base = {"dates": [], "start": None, "city": "Seattle", "entity_type": "VENUE", "title": "Harbor Hill Zoo"}
    main = rec(
        source_id="zoo",
        venue_name="Harbor Hill Zoo",
        address="5500 Hill Ave N",
        lat=47.669,
        lon=-122.354,
        **base,
    )

    def at_north_gate(venue: str, lat: float = 47.6715, lon: float = -122.349) -> Any:
        return rec(source_id="blog", venue_name=venue, address="601 N 59th St", lat=lat, lon=lon, **base)

    assert score_pair(main, at_north_gate("Harbor Hill Zoo")).verdict is Verdict.MERGE
    assert score_pair(main, at_north_gate("Harbor Hill Pool")).veto is not None  # another place
    assert score_pair(main, at_north_gate("Harbor Hill Zoo", 47.69, -122.30)).veto is not None  # 4 km off


def test_a_hall_of_a_campus_named_by_generic_words_is_no_other_venue() -> None:
    """ "Seattle Center" (a campus named by generic words only: a city and "center") and "Seattle
    Center Armory", a hall on it: no veto; "Seattle Center" and "Lakeside Armory" still differ."""
    base = {"dates": ["2027-02-06"], "start": None, "address": None, "lat": None, "lon": None}
    campus = rec(source_id="cal", title="Lunar New Year Festival", venue_name="Seattle Center", **base)
    hall = rec(source_id="blog", title="Lunar New Year Festival", venue_name="Seattle Center Armory", **base)
    assert score_pair(campus, hall).veto is None
    other = rec(source_id="blog", title="Lunar New Year Festival", venue_name="Lakeside Armory", **base)
    assert score_pair(campus, other).veto is not None


def test_a_place_word_both_titles_print_is_part_of_the_name() -> None:
    """ "Zoo Hoot" on the zoo's site and "Zoo Hoot at Cedar Point" on a blog that names the zoo
    by its initials: "zoo" is a word of the event's name, not only its place."""
    base = {"dates": ["2027-10-23", "2027-10-24"], "start": "2027-10-23T17:00", "city": "Tacoma"}
    own = rec(source_id="zoo", title="Zoo Hoot", venue_name="Cedar Point Zoo & Aquarium", **base)
    blog = rec(source_id="blog", title="Zoo Hoot at Cedar Point", venue_name="CPZA", **base)
    assert score_pair(own, blog).verdict is Verdict.MERGE
    # two other activities at the zoo share only the place word: no support from it
    other = rec(source_id="blog", title="Zoo Lantern Walk", venue_name="CPZA", **base)
    assert word_overlap(own, blog) == 1.0
    assert word_overlap(own, other) == 0.0


def test_facility_words_in_activities_titles_name_no_facility() -> None:
    """ "Tide Pool Walk" and "Low Tide Beach Walk" are one walk, though "pool" and "beach"
    would be two kinds of place; a park and its pool (places) still stay apart."""
    where = {"venue_name": "Gull Point Park", "address": "1 Shore Rd"}
    base = {"dates": ["2027-06-05"], "start": "2027-06-05T09:00", **where}
    city = rec(source_id="city", title="Low Tide Beach Walk", **base)
    blog = rec(source_id="blog", title="Tide Pool Walk at Gull Point", **base)
    assert score_pair(city, blog).verdict is Verdict.MERGE
    places = {"dates": [], "start": None, "entity_type": "VENUE", **where}
    park = rec(source_id="city", title="Gull Point Park", **places)
    pool = rec(source_id="blog", title="Gull Point Pool", **places)
    assert score_pair(park, pool).verdict is not Verdict.MERGE


def test_a_word_and_a_compound_of_it_are_two_words() -> None:
    """ "Winter" is no spelling of "Winterfest", though "climb" is one of "climbing": the
    festival's train display ("Winter Train and Village") is not the festival."""
    assert _same_word("climb", "climbing") and _same_word("explore", "exploring")
    assert not _same_word("winter", "winterfest")
    fest = rec(source_id="cal", title="Frostfest at Lakeside Commons", **WINTER_SEASON)
    train = rec(
        source_id="commons", title="Frost Train and Village", entity_type="ATTRACTION", **WINTER_SEASON
    )
    assert word_overlap(fest, train) == 0.0


def test_a_venue_name_spelled_centre_or_center_is_one_kind_of_place() -> None:
    """The kinds of place two venue names give are compared in one spelling: "Lakeside Arts
    Centre" and "Lakeside Arts Center" are one place, "Lakeside Arts Park" another kind."""
    base = {"address": None, "lat": None, "lon": None, "dates": [], "start": None}
    centre = rec(source_id="blog", venue_name="Lakeside Arts Centre", **base)
    center = rec(source_id="cal", venue_name="Lakeside Arts Center", **base)
    park = rec(source_id="parks", venue_name="Lakeside Arts Park", **base)
    assert place_similarity(centre, center) == (1.0, None)
    assert place_similarity(centre, park)[0] < place_similarity(centre, center)[0]
