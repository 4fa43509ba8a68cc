"""T4, R4: something inside a place, not a place of its own: hosted in a named venue, inside it
or included with its admission, a show that runs continuously, on view until a date, timed
entry, self-guided."""

from __future__ import annotations

import re

from famact.classify.evidence import Features, ListingText
from famact.classify.features.place import is_address, is_locality
from famact.classify.vocabulary import NOUN_PATTERNS
from famact.normalize.date_facts import month_group

_BLOOM = re.compile(r"\bbloom(?:s|ing)?\b|\bon view\b|\bon display\b|\bnow through\b|\bup through\b")
_INCLUDED = re.compile(
    r"\bincluded with (?:a |an |the |your |any )?(?:[\w-]+ ){0,2}(?:admission|entry|tickets?|pass|wristband"
    r"|membership)\b|\bfree with (?:[\w-]+ ){0,2}(?:admission|entry|tickets?|pass)\b"
    r"|凭.{0,8}票|门票.{0,3}包含|随(?:门)?票|含门票|입장권 포함"
    r"|입장료 포함|\bbao gom\b|\bincluido con\b|\b(?:included|free) with (?:your |the |general |zoo |museum "
    r"|any )?(?:\w+ )?(?:admission|entry|ticket)"
    r"|\bincluded with (?:your|any)\b|\bincluida con la entrada\b|\badd to general admission\b"
    r"|\bwith (?:zoo|museum|park) admission\b"
    r"|\bsame hours and tickets\b|\bincluded with admission\b"
)
_INSIDE = re.compile(
    r"\binside (?:the|our)\b|\bpart of (?:the|our)\b|\bduring (?:regular |normal )?(?:museum|mall|park"
    r"|farm|zoo|aquarium|arboretum|library|store)?\s*hours\b"
    r"|\bopen (?:during )?park hours\b|\bwhenever the park is open\b|\bin (?:our"
    r"|the) [\w' ]{2,30}(?:gallery|hall|lobby|court|room)\b"
    r"|\bhours follow\b|\bsame hours\b|\bwithin the\b|\binside the\b|\bon the (?:zoo|museum"
    r"|park) grounds\b|\binside\b"
    r"|\bany time (?:we'?re|we are|the \w+ is) open\b|\bwhile (?:the )?\w+ is open\b"
    r"|\bin center court\b|\bcenter court\b|\bat (?:our|the) (?:coastal|indoor)\b"
    r"|\b(?:on|in) the (?:lower|upper|main|second|top) (?:level|floor) of\b"
    # shares the host's hours: "open center hours", "during open hours", "all library hours"
    r"|\b(?:open|during|follows?) (?:all |regular |normal |the )?(?:[\w']+ )?(?:center|mall|museum|park"
    r"|library"
    r"|zoo|store|fair|building|facility|gym|garden|farm|aquarium|arboretum|center's|library's) hours\b"
    r"|\b(?:when(?:ever)?|any ?time|while) (?:the )?(?:\w+ ){1,3}(?:is|are) open\b"
    r"|[馆园]内|中心内|\S+(?:관|원|센터) ?(?:내|안)에?"
)
_CONTINUOUS = re.compile(
    r"\bevery (?:hour|half[- ]hour|\d+ minutes)\b|\bon the hour\b|\bruns? continuously\b"
    r"|\bcontinuous(?:ly)?\b"
    r"|\bshowing daily\b|\bshows? (?:run )?every\b|\bevery \d+ minutes\b|\bshows run every\b"
    r"|\bhourly\b|\bon the half[- ]hour\b|\bruns all day\b|\b\d+ minutes on\b"
)
# Done on your own whenever the place is open, with no start time: a self-guided hunt, tour or
# walk is an ongoing offering (R4), even when its title calls it a "hunt" or a "tour".
_SELF_GUIDED = re.compile(
    r"\bself[- ]guided\b|\b(?:at|on) your own pace\b|\bpick up (?:a|your|the) (?:map|clue|passport|activity"
    r" (?:sheet|booklet)|scavenger)|\bautoguiad[ao]\b|\bdo it any ?time\b"
)
# Timed-entry tickets spread visitors over an open period; they are not showtimes.
# "play any time during open hours" shares the hours of the place named in venue_text.
_OPEN_HOURS = re.compile(r"\b(?:during|in) (?:all |regular |normal )?open(?:ing)? hours\b")
_TIMED_ENTRY = re.compile(r"\btimed(?:[- ]entry)? (?:tickets?|entry|reservations?)\b|\bentry times?\b")
_UNTIL = re.compile(
    rf"\b(?:now |on view |on display |open )?(?:through|until|thru|hasta(?: el)?)\s+"
    rf"(?:{month_group('x')}|\d|el \d)"
    rf"|\bon view\b|\bnow through\b|\bopens {month_group('y')}"
)


def hosted_features(text: ListingText, features: Features) -> None:
    fire = features.fire
    title, description = text.title, text.description
    venue_text, everything = text.venue_text, text.everything
    if venue_text and not is_address(venue_text) and not is_locality(venue_text):
        same = venue_text.split(",")[0].strip()
        if same and same not in title and title not in venue_text:
            fire("hosted-elsewhere", venue_text)
    if _INCLUDED.search(everything):
        fire("included-with-admission")
    if (
        _INSIDE.search(description)
        or " inside " in f" {title} "
        or ("hosted-elsewhere" in features and _OPEN_HOURS.search(description))
    ):
        fire("inside-place")
    if _CONTINUOUS.search(" | ".join((description, text.schedule_text))):
        fire("continuous-show")
    if _UNTIL.search(text.timing) or (
        _UNTIL.search(description)
        and (
            _BLOOM.search(description)
            or any(NOUN_PATTERNS[kind].search(everything) for kind in ("feature", "garden", "seasonal"))
        )
    ):
        fire("until-date")
    if _TIMED_ENTRY.search(everything):
        fire("timed-entry")
    if _SELF_GUIDED.search(everything):
        fire("self-guided")
