"""Defaults when the facts are thin: what kind of thing has this shape? A place fact pair with no
dates is a place of its own (T4); something inside a named host with no dates of its own is a
feature of it; a bare date range with no times is a period something is open; a title ending in
a town ("Jump Zone Bellevue") names a branch of a business."""

from __future__ import annotations

import re

from famact.classify.evidence import Features, ListingText
from famact.classify.features.nouns import TitleFacts
from famact.classify.features.place import is_locality
from famact.classify.features.timing import TimingFacts
from famact.classify.vocabulary import LOCALITIES

_BRANCH_TITLE = re.compile(
    r"(?:\s[-|@/]\s*|\s(?:in|of)\s|\s|\()(?:" + "|".join(LOCALITIES) + r")\)?\s*(?:,\s*wa)?[!.]*$"
)
# Facts that belong to a place (R1) and words of enrollment (R2), for the defaults below.
_PLACE_FACTS = ("hours", "admission", "address", "parking", "size", "amenities")
_PROGRAM_CUES = (
    "session-count", "per-week", "enroll", "tuition", "series-registration", "term-start", "price-per-term",
    "reading-challenge", "title-program", "title-level", "term-schedule",
)


def shape_features(
    text: ListingText, title: TitleFacts, timing: TimingFacts, camp: bool, features: Features
) -> None:
    fired, fire = features, features.fire
    dates, times, recurring, venue_text = timing.dates, timing.times, timing.recurring, text.venue_text
    undated = dates.count == 0 and dates.max_span < 0 and not timing.start_times
    hosted = title.hosted or any(
        name in fired for name in ("hosted-elsewhere", "inside-place", "included-with-admission")
    )
    program_cues = any(name in fired for name in _PROGRAM_CUES) or camp
    branch = bool(_BRANCH_TITLE.search(text.title)) or bool(
        venue_text and is_locality(venue_text) and text.title.endswith(venue_text.split(",")[0].strip())
    )
    if branch and undated:
        fire("branch-title")
    place_facts = sum(name in fired for name in _PLACE_FACTS) + (1 if branch else 0)
    inside = "inside-place" in fired or "included-with-admission" in fired
    # A tenant (a play cafe in the Armory, a studio in a mall) names its building in venue_text
    # but keeps its own hours and prices; only "inside"/"included" words make it a feature.
    tenant = "hosted-elsewhere" in fired and not inside and (
        "open-play-all-day" in fired or place_facts >= 3
    )
    if place_facts >= 2 and undated and (not hosted or tenant) and not recurring:
        # T4: its own pin on the map, with its own hours and prices -> a place.
        fire("standalone-place")
    names_place = "title-place" in fired or "lead-place" in fired or branch or "open-play-all-day" in fired
    in_host = inside and "hosted-elsewhere" in fired
    if (
        hosted
        and undated
        and not recurring
        and not program_cues
        and not timing.season
        and (in_host or not names_place)
    ):
        # T4: something inside a named place, with no dates of its own -> a feature of it.
        fire("hosted-undated")
    if (
        dates.max_span >= 13
        and not (times.singles or times.ranges or timing.has_weekday or recurring)
        and not program_cues
        and not title.kinds & {"event", "program", "class", "activity"}
    ):
        # A bare date range with no times and no days: a period something is open or on view.
        fire("open-range")
