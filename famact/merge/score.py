"""Is this pair of listings one real-world activity? A pure, explainable score.

score = 0.45 title + 0.30 place + 0.25 time (each 0..1), minus a little when the two
sources gave different entity types. A veto sets it to 0 whatever the title says:
- the same source (a source lists an activity once; two of its listings are two activities);
- places that contradict: other cities, coordinates over a kilometre apart, other street
  addresses, or venue names without a distinctive word in common and nothing (address,
  coordinates) to say they are one place ("Ballard Branch" vs "Fremont Branch");
- times that contradict: no common date. Start times 45 minutes or more apart are no veto
  (a blog gives the time of a fair's highlight) but give the time no weight and keep the
  pair from merging without the admin (the 11:00 and the 14:00 show are two sessions), unless
  one listing's dates are a part of the other's run (a festival's second day, one evening of
  a run of performances): then the time counts half and the pair may merge;
- titles that name different audiences ("Baby Storytime" / "Toddler Storytime").
A board that meets monthly has the same title and place every time; the date veto is what
keeps its meetings apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rapidfuzz import fuzz

from famact.merge.listing import Listing
from famact.merge.text import (
    CHATTER,
    GENERIC_VENUE,
    INSIDE,
    VENUE_WORDS,
    VISIT,
    audience,
    city_key,
    content_words,
    ending_facility,
    facility_kinds,
    is_abbreviation,
    is_race_or_parade,
    rejoin,
    rejoin_set,
    street_key,
    streets_match,
    title_head,
    title_key,
    venue_words,
    words,
)

WEIGHTS = {"title": 0.45, "place": 0.30, "time": 0.25}
TYPE_MISMATCH_PENALTY = 0.05
MERGE_AT = 0.72  # at or above: merged without asking (dev: the top distinct pair scores 0.665)
UNSURE_AT = 0.60  # from here up to MERGE_AT: listed for the admin
ONE_SIDED_AUDIENCE = 0.9
HEAD_MATCH = 0.95  # "Name: a tagline" against "Name": as good as one wording, short of equal
NEAR_M = 150.0
NEIGHBOUR = 0.5  # near, but other street addresses and no name in common: says nothing
ENTRANCES = 0.75  # one named place within a kilometre at two addresses (its entrances)
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
    # why the pair is never merged without the admin, whatever its score (another session, a
    # thing inside the other's place, a race at the festival...); None when nothing holds it,
    # and for distinct pairs (never asked)
    held: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 3),
            "verdict": self.verdict.value,
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "veto": self.veto,
            "held": self.held,
        }


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; plenty at city scale)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def _same_word(x: str, y: str) -> bool:
    """One word in two spellings: "runs" / "run", "naturalists" / "naturalist", "climb" /
    "climbing" (a shared start of five letters, or four for the shorter whole word), but not a
    word and a compound of it ("winter" / "winterfest")."""
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    if long.startswith(short):
        # "climb" / "climbing" (three letters more at most); "winter" / "winterfest" is a compound
        return len(short) >= 4 and len(long) - len(short) <= 3
    return len(short) >= 5 and x[:5] == y[:5]


def word_overlap(a: Listing, b: Listing) -> float:
    """Share of the shorter title's content words found in the other (module text.py)."""
    wa = content_words(a.title, venue_name=a.venue_name, city=a.city)
    wb = content_words(b.title, venue_name=b.venue_name, city=b.city)
    # A place word both titles print is a word of the activity's name ("Zoo Boo" / "Zoo Boo
    # at Point Defiance", at a zoo): it was dropped from each as the listing's own place.
    both = set(title_key(a.title).split()) & set(title_key(b.title).split()) & (VENUE_WORDS - wa - wb)
    if both and wa & wb:
        wa, wb = wa | both, wb | both
    wa, wb = rejoin_set(wa, wb), rejoin_set(wb, wa)
    if not wa or not wb:
        return 0.0
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    matched = sum(1 for x in short if any(_same_word(x, y) for y in long))
    share = matched / len(short)
    if matched >= 2 or (wa == wb and len(next(iter(short))) >= 6):
        # both titles say only this one name, the rest a post's chatter ("Zoolights" /
        # "Zoolights 2027: our tips")
        return share
    # one matched word of a one-word title is thin evidence ("Zoolights" is, "Fest" is not)
    return share * (0.85 if len(next(iter(short))) >= 6 else 0.6)


def venue_name_similarity(x: str | None, y: str | None) -> float:
    if not x or not y:
        return 0.0
    if is_abbreviation(x, y) or is_abbreviation(y, x):
        return 1.0
    wx, wy = venue_words(x), venue_words(y)
    return len(wx & wy) / max(len(wx), len(wy)) if wx and wy else 0.0


def title_similarity(a: Listing, b: Listing) -> float:
    ka = title_key(a.title, venue_name=a.venue_name, city=a.city)
    kb = title_key(b.title, venue_name=b.venue_name, city=b.city)
    if not ka or not kb:
        return 0.0
    ka, kb = rejoin(ka, set(kb.split())), rejoin(kb, set(ka.split()))
    sort_ratio = fuzz.token_sort_ratio(ka, kb) / 100
    if a.entity_type == b.entity_type == "VENUE":
        # A place's name is its title: the venue names say it too ("MOHAI: our rainy-day
        # review" at "MOHAI" / "Museum of History & Industry (MOHAI)").
        sort_ratio = max(sort_ratio, venue_name_similarity(a.venue_name, b.venue_name))
        # "Ballard Park" / "Ballard Library": two kinds of place, said by the title or, when a
        # blog's title is the bare name ("Green Lake"), by the venue name it gives
        kinds_a, kinds_b = _place_kinds(a), _place_kinds(b)
        if kinds_a and kinds_b and not kinds_a & kinds_b:
            return 0.7 * sort_ratio
    # Blogs wrap an activity's title in their own words ("Stuffie sleepover at Shoreline
    # Library"): the shared content words count, a little below a same-wording match.
    return max(sort_ratio, 0.9 * word_overlap(a, b), HEAD_MATCH if _head_is_other(a, ka, b, kb) else 0.0)


_SPELLINGS = {"centre": "center", "theatre": "theater", "gardens": "garden"}


def _kinds_of(place_words: list[str]) -> set[str]:
    """The kinds of place these words name, one spelling each ("centre" is "center")."""
    return {_SPELLINGS.get(kind, kind) for kind in set(place_words) & VENUE_WORDS}


def _place_kinds(listing: Listing) -> set[str]:
    return _kinds_of([*words(listing.title), *words(listing.venue_name)])


def _head_is_other(a: Listing, ka: str, b: Listing, kb: str) -> bool:
    """One title is "the other's whole title: a tagline" ("Peter Kirk Pool" / "Peter Kirk Pool:
    outdoor swimming in Kirkland"), for two listings of one type. Of other types it may be a
    thing inside the place ("Woodland Park Zoo: WildLanterns"), so it counts only for one type."""
    if a.entity_type != b.entity_type:
        return False
    for one, key in ((a, kb), (b, ka)):
        head = title_head(one.title)
        if head and title_key(head, venue_name=one.venue_name, city=one.city) == key and len(key) >= 6:
            return True
    return False


def place_similarity(a: Listing, b: Listing) -> tuple[float, str | None]:
    """(0..1, veto reason or None)."""
    near = None
    if None not in (a.lat, a.lon, b.lat, b.lon):
        metres = distance_m(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if metres > FAR_M:
            return 0.0, f"coordinates {metres:.0f} m apart"
        near = metres <= NEAR_M
    street_a, street_b = street_key(a.address), street_key(b.address)
    same_street = streets_match(street_a, street_b) if street_a and street_b else None
    city_a, city_b = city_key(a.city), city_key(b.city)
    if city_a and city_b and city_a != city_b and not near and not (near is False and same_street):
        # One street address within a kilometre, written with two cities, is one place named by
        # its postal city and by its municipality ("9404 E Marginal Way S", Seattle / Tukwila).
        return 0.0, f"cities differ: {a.city} / {b.city}"
    words_a, words_b = venue_words(a.venue_name), venue_words(b.venue_name)
    if same_street is False and not near:
        if near is None or not _one_place_named(words_a, words_b):
            return 0.0, f"addresses differ: {a.address} / {b.address}"
        # One named place within a kilometre at two addresses: a zoo or a park given by two of
        # its entrances ("5500 Phinney Ave N" / "601 N 59th St"), or a meadow inside it.
        return ENTRANCES, None
    name = _name_share(a, b, words_a, words_b)
    if name == 0 and not near and not same_street:
        return 0.0, f"venues differ: {a.venue_name} / {b.venue_name}"
    if near and same_street is False and name == 0:
        # Coordinates agree to a block, the addresses and names do not: two places side by
        # side (a museum and the boat centre next door), or one geocoded twice; no support.
        return NEIGHBOUR, None
    if near or same_street:
        return 1.0, None
    if name is not None:
        kinds_a, kinds_b = _kinds_of(words(a.venue_name)), _kinds_of(words(b.venue_name))
        if kinds_a and kinds_b and not kinds_a & kinds_b:
            name *= 0.5  # "Ballard Park" / "Ballard Library": one neighbourhood, two places
        return 0.5 + 0.5 * name, None
    return 0.5, None  # one side names no place: neither for nor against


def _name_share(a: Listing, b: Listing, words_a: set[str], words_b: set[str]) -> float | None:
    """Share of the shorter venue name's distinctive words in the other (None when a side
    names no venue); an abbreviation of the other counts in full."""
    if not words_a or not words_b:
        return None
    name = len(words_a & words_b) / min(len(words_a), len(words_b))
    if name == 0 and venue_name_similarity(a.venue_name, b.venue_name) == 1.0:
        return 1.0  # one is the other's abbreviation
    if name == 0 and _generic_inside(a.venue_name, b.venue_name):
        return 0.5  # "Seattle Center" / "Seattle Center Armory": a hall of the campus
    return name


def _one_place_named(words_a: set[str], words_b: set[str]) -> bool:
    """Two venue names of two distinctive words or more, one holding all of the other's."""
    short, long = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    return len(short) >= 2 and short <= long


def _generic_inside(x: str | None, y: str | None) -> bool:
    """A venue name of generic words only ("Seattle Center") whose words are all in the other's
    ("Seattle Center Armory"): the other is a part of it, not another place."""
    for short, long in ((x, y), (y, x)):
        mine = set(words(short))
        if mine and not mine - GENERIC_VENUE and mine < set(words(long)):
            return True
    return False


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _in_range(listing: Listing, days: frozenset[date]) -> bool:
    start, end = listing.range_start, listing.range_end
    return start is not None and end is not None and any(start <= d <= end for d in days)


def within_run(a: Listing, b: Listing) -> bool:
    """One listing's dates are some of the other's, which has more: a day of a multi-day
    festival or one performance of a run (R3 makes either one activity), so another start time
    is the time of that day's session, not of another activity."""
    fewer, more = (a, b) if len(a.dates) < len(b.dates) else (b, a)
    return len(fewer.dates) < len(more.dates) and bool(fewer.dates) and fewer.dates <= more.dates


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
        if not gaps:
            return 0.5 * (0.8 + 0.2 * overlap), None  # the same day, at a time one side omits
        gap = min(gaps)
        # Other start times: another session (the 11:00 and the 14:00 show), or a source that
        # gives the time of its own highlight (a fair's parade); not a veto, but no support.
        timed = 1.0 if gap <= SAME_TIME_MIN else 0.5 if gap < OTHER_SESSION_MIN else 0.0
        if timed == 0.0 and within_run(a, b):
            timed = 0.5  # one day of a run or a festival, at the time of its matinee or highlight
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


def _other_times(a: Listing, b: Listing) -> bool:
    """Both give a start time on a common date, and none of them agree."""
    gaps = [
        abs(_minutes(x) - _minutes(y))
        for day in a.dates & b.dates
        for x in a.times.get(day, ())
        for y in b.times.get(day, ())
    ]
    return bool(gaps) and min(gaps) >= OTHER_SESSION_MIN


def _thing_at_place(a: Listing, b: Listing) -> bool:
    """A place and a listing of another type whose title is the place's name and more words
    ("Woodland Park Zoo" / "Woodland Park Zoo: Lantern Nights"): likely a thing inside it."""
    for place, thing in ((a, b), (b, a)):
        if place.entity_type == "VENUE" and thing.entity_type not in (None, "VENUE"):
            name = set(title_key(place.title).split())
            thing_words = set(title_key(thing.title).split())
            if name and name < thing_words and thing_words - name - CHATTER:
                return True
    return False


def _part_of_other(a: Listing, b: Listing) -> bool:
    """One title is "A in B" or "A at B" where B is what the other listing is and A is not
    ("Butterfly House in Riverside Park" / "Riverside Park", "Pumpkin carving at Harvest Fest"
    / "Lakeside Harvest Fest"): a part of the other, not the other. A head that only says a
    visit ("A rainy day at the zoo") names no part. B may be abbreviated on the other side
    ("The Butterfly House at Pacific Science Center" / "PacSci")."""
    for one, other in ((a, b), (b, a)):
        title = one.title or ""
        other_words = set(title_key(other.title).split())
        for match in INSIDE.finditer(title):
            tail = set(title_key(title[match.end() :]).split()) - CHATTER
            # the head's words that the tail repeats ("Seattle" of "Seattle Children's Museum at
            # Seattle Center") say nothing of which the head is
            head = set(title_key(title[: match.start()]).split()) - CHATTER - VISIT - tail
            if not head or not tail or head & other_words:
                continue
            if tail <= other_words or is_abbreviation(other.title, title[match.end() :]):
                return True
    return False


def _other_facilities(a: Listing, b: Listing) -> bool:
    """The titles name places of other kinds ("Crossroads Park" / "Crossroads Spray
    Playground", "Seattle Aquarium" / "Seattle Aquarium's Ocean Pavilion"): a place and a
    feature inside it share the name and the address, and are not one place. A park named
    after a feature in it ("Kelsey Creek Farm Park" / "Kelsey Creek Farm") is the same park."""
    if {a.entity_type, b.entity_type} & {"EVENT", "PROGRAM"}:
        return False  # an activity's title names no facility ("Tide Pool Walk" / "Beach Walk")
    kinds_a, kinds_b = facility_kinds(a.title), facility_kinds(b.title)
    if not kinds_a or not kinds_b or kinds_a & kinds_b:
        return False
    words_a, words_b = set(title_key(a.title).split()), set(title_key(b.title).split())
    for short, long, long_kinds in ((words_a, words_b, kinds_b), (words_b, words_a, kinds_a)):
        if short and short < long and long_kinds == {"park"}:
            return False
    return True


def _a_date_of_the_other(pair: tuple[Listing, Listing]) -> bool:
    """The first listing is some of the second's dates, the second has more: a date of its run
    or series (for a listing naming an audience of its own, a sensory-friendly matinee of the
    run, not the run)."""
    part, whole = pair
    if not part.dates:
        return False
    return part.dates < whole.dates if whole.dates else _in_range(whole, part.dates)


def _named_part(a: Listing, b: Listing) -> bool:
    """One title is the other's, an event's, whole name ended by a kind of place ("Winterfest Ice
    Rink" / "Winterfest"): a part of it with a place of its own, not the whole. A place named
    with its kind ("Point Defiance Park" / "Point Defiance") is the place."""
    for short, long in ((a, b), (b, a)):
        if short.entity_type not in ("EVENT", "PROGRAM"):
            continue  # a place's name with its kind is the place ("Point Defiance Park")
        kind = ending_facility(long.title)
        if kind is None or kind in facility_kinds(short.title):
            continue
        short_words = content_words(short.title, venue_name=short.venue_name, city=short.city)
        long_words = content_words(long.title, venue_name=long.venue_name, city=long.city)
        if short_words and short_words < long_words:
            return True
    return False


def _timeless(listing: Listing) -> bool:
    return not listing.dates and listing.range_start is None and listing.range_end is None


def score_pair(a: Listing, b: Listing) -> PairScore:
    if a.source_id and a.source_id == b.source_id:
        return PairScore(0.0, Verdict.DISTINCT, veto="same source")
    for_a, for_b = audience(a.title), audience(b.title)
    if for_a and for_b and not for_a & for_b:
        return PairScore(0.0, Verdict.DISTINCT, veto=f"audiences differ: {sorted(for_a)} / {sorted(for_b)}")
    title = title_similarity(a, b)
    if bool(for_a) != bool(for_b):
        title *= ONE_SIDED_AUDIENCE  # "Sensory-friendly Pip" may be its own performance
    place, place_veto = place_similarity(a, b)
    time, time_veto = time_similarity(a, b)
    # Other start times on a common date keep the pair for the admin, unless one is a day of
    # the other's run; a listing naming an audience of its own (a sensory-friendly show) is
    # its own session even then.
    other_session = bool(a.dates and b.dates) and (
        time == 0.0 or (bool(for_a) != bool(for_b) and within_run(a, b) and _other_times(a, b))
    )
    parts = {"title": title, "place": place, "time": time}
    veto = place_veto or time_veto
    if veto:
        return PairScore(0.0, Verdict.DISTINCT, parts, veto)
    if _timeless(a) and _timeless(b):
        # Two places or attractions without dates: time says nothing, so title and place
        # share its weight instead of both losing a quarter of the scale.
        total = sum(WEIGHTS[k] * parts[k] for k in ("title", "place")) / (WEIGHTS["title"] + WEIGHTS["place"])
    else:
        total = sum(WEIGHTS[k] * v for k, v in parts.items())
    if a.entity_type and b.entity_type and a.entity_type != b.entity_type:
        total -= TYPE_MISMATCH_PENALTY
    total = max(0.0, min(1.0, total))
    verdict = (
        Verdict.MERGE if total >= MERGE_AT else Verdict.UNSURE if total >= UNSURE_AT else Verdict.DISTINCT
    )
    own_audience = bool(for_a) != bool(for_b) and _a_date_of_the_other((a, b) if for_a else (b, a))
    held = _held(a, b, other_session, own_audience) if verdict is not Verdict.DISTINCT else None
    if verdict is Verdict.MERGE and held:
        verdict = Verdict.UNSURE
    return PairScore(total, verdict, parts, held=held)


def _held(a: Listing, b: Listing, other_session: bool, own_audience: bool) -> str | None:
    """Why a likely pair is still the admin's to decide: other start times, a performance for
    an audience of its own on a date of the other's run (a sensory-friendly matinee), an exhibit
    named after its place, a thing "in" or "at" the other listing's subject, a part named after
    its whole ("Winterfest Ice Rink"), a park and its pool, a festival and the race or parade
    held at it."""
    if other_session:
        return "other start times"
    if own_audience:
        return "an audience of its own"
    if _thing_at_place(a, b):
        return "a thing at the place"
    if _part_of_other(a, b):
        return "a part of the other"
    if _other_facilities(a, b):
        return "other facilities"
    if _named_part(a, b):
        return "a part named after the other"
    if is_race_or_parade(a.title) != is_race_or_parade(b.title):
        return "a race or parade at the other"
    return None
