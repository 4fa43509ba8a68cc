"""From scored pairs to merges (famact.merge.groups.decide), on pairs scored by hand so the
grouping alone is under test."""

from __future__ import annotations

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
