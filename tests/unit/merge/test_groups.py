"""From scored pairs to merges (famact.merge.groups.decide), on pairs scored by hand so the
grouping alone is under test."""

from __future__ import annotations

from datetime import date

from famact.merge.groups import decide
from famact.merge.listing import Listing
from famact.merge.score import PairScore, Verdict


def listing(key: str, source_id: str, authority: int = 1) -> Listing:
    return Listing(key=key, source_id=source_id, title=key, authority=authority)


def merge(score: float) -> PairScore:
    return PairScore(score=score, verdict=Verdict.MERGE)


def test_a_listing_matching_two_of_one_sources_listings_joins_the_better_match_only() -> None:
    # The parks department lists a park and the animal farm inside it (two places); a blog's
    # "Forest Park" matches the park best and the farm well enough: it is the park.
    # (The farm's key sorts after the park's, so a tie on rank would make it the keeper.)
    listings = {
        "park": listing("park", "parks", authority=3),
        "park-farm": listing("park-farm", "parks", authority=3),
        "blog": listing("blog", "blog"),
    }
    scored = {("blog", "park"): merge(1.0), ("blog", "park-farm"): merge(0.72)}
    merges, unsure = decide(scored, listings)
    assert [(keeper, merged) for keeper, merged, _ in merges] == [("park", "blog")]
    assert unsure == []


def test_three_sources_of_one_storytime_merge_into_the_most_authoritative() -> None:
    listings = {
        "library": listing("library", "spl", authority=3),
        "calendar": listing("calendar", "parentmap", authority=2),
        "blog": listing("blog", "redtri"),
    }
    scored = {
        ("calendar", "library"): merge(0.9),
        ("blog", "calendar"): merge(0.8),
        ("blog", "library"): merge(0.75),
    }
    merges, _ = decide(scored, listings)
    assert sorted((keeper, merged) for keeper, merged, _ in merges) == [
        ("library", "blog"),
        ("library", "calendar"),
    ]


def test_last_seasons_run_never_joins_a_group_holding_this_seasons() -> None:
    # The zoo lists its lantern show undated; a calendar lists this year's opening and another
    # last year's. Both match the undated attraction, never each other: only one may join.
    listings = {
        "zoo": Listing(key="zoo", source_id="zoo", title="Lanterns", authority=3),
        "this-year": Listing(
            key="this-year", source_id="cal", title="Lanterns", dates=frozenset({date(2027, 11, 12)})
        ),
        "last-year": Listing(
            key="last-year", source_id="all", title="Lanterns", dates=frozenset({date(2026, 11, 13)})
        ),
    }
    scored = {("this-year", "zoo"): merge(0.8), ("last-year", "zoo"): merge(0.78)}
    merges, unsure = decide(scored, listings)
    assert [(keeper, merged) for keeper, merged, _ in merges] == [("zoo", "this-year")]
    assert [(keeper, merged) for keeper, merged, _ in unsure] == [("zoo", "last-year")]


def test_other_days_of_one_run_still_join_the_runs_listing() -> None:
    # A theatre lists its run; a calendar its opening night, a ticket seller a later show.
    run = frozenset({date(2027, 3, 5), date(2027, 3, 6), date(2027, 3, 20)})
    listings = {
        "theatre": Listing(key="theatre", source_id="sct", title="Pinocchio", authority=3, dates=run),
        "opening": Listing(
            key="opening", source_id="cal", title="Pinocchio", dates=frozenset({date(2027, 3, 5)})
        ),
        "later": Listing(
            key="later", source_id="tix", title="Pinocchio", dates=frozenset({date(2027, 3, 20)})
        ),
    }
    scored = {("opening", "theatre"): merge(0.9), ("later", "theatre"): merge(0.85)}
    merges, _ = decide(scored, listings)
    assert sorted(merged for _, merged, _ in merges) == ["later", "opening"]


def test_a_pair_held_for_the_admin_is_not_joined_through_another_member() -> None:
    # The city lists its festival, a blog writes the festival up, and a race calendar lists the
    # festival's kids' race. The race matches the blog's wording confidently, and the city's
    # listing only unsurely and as a race at the festival: it stays the admin's to decide.
    listings = {
        "city": listing("city", "city", authority=3),
        "blog": listing("blog", "blog"),
        "race": listing("race", "races"),
    }
    held = PairScore(score=0.7, verdict=Verdict.UNSURE, held="a race or parade at the other")
    scored = {("blog", "city"): merge(0.9), ("blog", "race"): merge(0.83), ("city", "race"): held}
    merges, unsure = decide(scored, listings)
    assert [(keeper, merged) for keeper, merged, _ in merges] == [("city", "blog")]
    assert ("city", "race", held) in unsure
    # the same pair unsure by its score alone may still join through the blog
    scored[("city", "race")] = PairScore(score=0.7, verdict=Verdict.UNSURE)
    merges, _ = decide(scored, listings)
    assert sorted(merged for _, merged, _ in merges) == ["blog", "race"]
