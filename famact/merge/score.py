"""Is this pair of listings one real-world activity? A pure, explainable score.

score = 0.55 title + 0.25 place + 0.20 time (each 0..1), minus a little when the two
sources gave different entity types. A veto sets it to 0 whatever the title says:
- the same source (a source lists an activity once; two of its listings are two activities);
- places that contradict: other cities, coordinates over a kilometre apart, other street
  addresses, or venue names without a distinctive word in common and nothing (address,
  coordinates) to say they are one place ("Ballard Branch" vs "Fremont Branch");
- times that contradict: no common date, or common dates with start times 45 minutes or
  more apart (the 10:00 and the 11:00 storytime are two sessions).
A board that meets monthly has the same title and place every time; the date veto is what
keeps its meetings apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from famact.merge.listing import Listing
from famact.merge.text import street_key, title_key, venue_words

WEIGHTS = {"title": 0.55, "place": 0.25, "time": 0.20}
TYPE_MISMATCH_PENALTY = 0.05
MERGE_AT = 0.85  # at or above: merged without asking
UNSURE_AT = 0.70  # from here up to MERGE_AT: listed for the admin
NEAR_M = 150.0
FAR_M = 1000.0
SAME_TIME_MIN = 15
OTHER_SESSION_MIN = 45


class Verdict(StrEnum):
    MERGE = "merge"
    UNSURE = "unsure"
    DISTINCT = "distinct"


@dataclass(frozen=True)
class PairScore:
    score: float
    verdict: Verdict
    parts: dict[str, float] = field(default_factory=dict)
    veto: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 3),
            "verdict": self.verdict.value,
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "veto": self.veto,
        }


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; plenty at city scale)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def title_similarity(a: Listing, b: Listing) -> float:
    ka = title_key(a.title, venue_name=a.venue_name, city=a.city)
    kb = title_key(b.title, venue_name=b.venue_name, city=b.city)
    if not ka or not kb:
        return 0.0
    sort_ratio = fuzz.token_sort_ratio(ka, kb) / 100
    wa, wb = set(ka.split()), set(kb.split())
    if wa <= wb or wb <= wa:
        # One title is the other plus words ("Storytime" / "Toddler Storytime"): close, but
        # the extra words may name another session, so not a full match.
        shorter = min(len(wa), len(wb))
        contained = 0.9 if shorter >= 2 else 0.8
        return max(sort_ratio, contained)
    return sort_ratio


def _city(value: str | None) -> str | None:
    text = " ".join((value or "").lower().replace("-", " ").split())
    return text if text and text != "unknown" else None


def place_similarity(a: Listing, b: Listing) -> tuple[float, str | None]:
    """(0..1, veto reason or None)."""
    near = None
    if None not in (a.lat, a.lon, b.lat, b.lon):
        metres = distance_m(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if metres > FAR_M:
            return 0.0, f"coordinates {metres:.0f} m apart"
        near = metres <= NEAR_M
    city_a, city_b = _city(a.city), _city(b.city)
    if city_a and city_b and city_a != city_b and not near:
        return 0.0, f"cities differ: {a.city} / {b.city}"
    street_a, street_b = street_key(a.address), street_key(b.address)
    same_street = None
    if street_a and street_b:
        same_street = street_a == street_b
        if not same_street and not near:
            return 0.0, f"addresses differ: {a.address} / {b.address}"
    words_a, words_b = venue_words(a.venue_name), venue_words(b.venue_name)
    name = None
    if words_a and words_b:
        name = len(words_a & words_b) / min(len(words_a), len(words_b))
        if name == 0 and not near and not same_street:
            return 0.0, f"venues differ: {a.venue_name} / {b.venue_name}"
    if near or same_street:
        return 1.0, None
    if name is not None:
        return 0.5 + 0.5 * name, None
    return 0.5, None  # one side names no place: neither for nor against


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _in_range(listing: Listing, days: frozenset) -> bool:  # type: ignore[type-arg]
    start, end = listing.range_start, listing.range_end
    return start is not None and end is not None and any(start <= d <= end for d in days)


def time_similarity(a: Listing, b: Listing) -> tuple[float, str | None]:
    """(0..1, veto reason or None)."""
    if a.dates and b.dates:
        common = a.dates & b.dates
        if not common:
            return 0.0, "no common date"
        overlap = len(common) / min(len(a.dates), len(b.dates))
        gaps = []
        for day in common:
            times_a, times_b = a.times.get(day), b.times.get(day)
            if times_a and times_b:
                gaps.append(min(abs(_minutes(x) - _minutes(y)) for x in times_a for y in times_b))
        if gaps and min(gaps) >= OTHER_SESSION_MIN:
            return 0.0, f"start times {min(gaps)} minutes apart"
        timed = 1.0 if gaps and min(gaps) <= SAME_TIME_MIN else (0.85 if not gaps else 0.6)
        return timed * (0.8 + 0.2 * overlap), None
    if a.dates or b.dates:
        dated, other = (a, b) if a.dates else (b, a)
        if other.range_start and other.range_end:
            return (0.7, None) if _in_range(other, dated.dates) else (0.0, "date outside the other's range")
        return 0.3, None
    if a.range_start and a.range_end and b.range_start and b.range_end:
        if a.range_start > b.range_end or b.range_start > a.range_end:
            return 0.0, "date ranges do not overlap"
        return 0.7, None
    return 0.5, None  # undated places and attractions: the time says nothing


def score_pair(a: Listing, b: Listing) -> PairScore:
    if a.source_id and a.source_id == b.source_id:
        return PairScore(0.0, Verdict.DISTINCT, veto="same source")
    title = title_similarity(a, b)
    place, place_veto = place_similarity(a, b)
    time, time_veto = time_similarity(a, b)
    parts = {"title": title, "place": place, "time": time}
    veto = place_veto or time_veto
    if veto:
        return PairScore(0.0, Verdict.DISTINCT, parts, veto)
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    if a.entity_type and b.entity_type and a.entity_type != b.entity_type:
        total -= TYPE_MISMATCH_PENALTY
    total = max(0.0, min(1.0, total))
    verdict = Verdict.MERGE if total >= MERGE_AT else Verdict.UNSURE if total >= UNSURE_AT else Verdict.DISTINCT
    return PairScore(total, verdict, parts)
