"""R1-R4 by the nouns a listing names: the subject of its title, its level, the place it names
as a host, and the first noun of a description when the title names nothing we know."""

from __future__ import annotations

import re
from dataclasses import dataclass

from famact.classify.evidence import Features, ListingText
from famact.classify.features.place import NOW_OPEN
from famact.classify.titles import HEAD_FIRST, POSSESSOR_AFTER, title_parts
from famact.classify.vocabulary import NOUN_PATTERNS, noun_hits

# "Ballet I", "Swim Level 3", "Hip Hop Level 2": a level in a sequence of classes.
_LEVEL = re.compile(
    r"\b(?:level|lvl|nivel|stage) ?(?:[1-9]|[ivx]{1,3}|[a-d])\b(?! (?:floor|of))"
    r"|\b[a-z]{3,} (?:i{1,3}|iv)\b(?=\s*(?:\(|$|[-:|,]))"
)

_TITLE_FEATURE = {
    "place": "title-place", "event": "title-event", "program": "title-program", "class": "title-class",
    "feature": "title-feature", "seasonal": "title-seasonal", "garden": "title-garden",
    "minor": "title-feature-minor", "activity": "title-activity",
}  # fmt: skip
_SUBJECT_KINDS = ("place", "event", "program", "feature", "seasonal")


@dataclass(frozen=True)
class TitleFacts:
    """What the title names: its subject, the host place it names, and the nouns in the subject."""

    subject: str
    host: str
    hits: list[tuple[int, int, str]]  # (start, end, kind) of the nouns in `subject`
    kinds: frozenset[str]  # every kind of noun in the subject
    head_kind: str | None  # the kind of the head noun
    hosted: bool  # the title names a host place and the subject names none


def title_features(text: ListingText, features: Features) -> TitleFacts:
    fire = features.fire
    subject, host = title_parts(text.title)
    hits = noun_hits(subject)
    kinds_seen: set[str] = set()
    for _, _, kind in hits:
        kinds_seen.add(kind)
    head_kind = hits[-1][2] if hits else None
    # The last noun is the head in English, Chinese and Korean (head-final); Spanish and
    # Vietnamese titles put it first ("Taller de arte", "Lớp tiếng Việt", "Công viên Jefferson").
    if hits and HEAD_FIRST.match(subject):
        head_kind = hits[0][2]
    for kind in kinds_seen:
        fire(_TITLE_FEATURE[kind], ",".join(subject[s:e] for s, e, k in hits if k == kind))
    if head_kind in _SUBJECT_KINDS:
        fire(f"title-{head_kind}-head", subject[hits[-1][0] : hits[-1][1]])
    if _LEVEL.search(subject):
        fire("title-level")
    if host and (hits or NOUN_PATTERNS["place"].search(host)):
        fire("title-at-place", host)
    # A title that names its host place ("Kelsey Creek Farm: Pony Barn", "Rose Garden" of
    # "Woodland Park") hosts its subject as much as a venue_text does, when the subject itself
    # names no place.
    title_hosted = bool(host) and bool(NOUN_PATTERNS["place"].search(host)) and "place" not in kinds_seen
    # "Now open!" on a place keeps it a place (R1a); on a corn maze it opens the season.
    if NOW_OPEN.search(text.title) and not kinds_seen & {"seasonal", "feature", "event"}:
        fire("title-now-open")
    return TitleFacts(subject, host, hits, frozenset(kinds_seen), head_kind, title_hosted)


def body_features(text: ListingText, title: TitleFacts, features: Features) -> None:
    """Nouns of the description only: a venue_text names the host, not the subject."""
    description = text.description
    body_hits = noun_hits(description)
    for _, _, kind in body_hits:
        if kind in _SUBJECT_KINDS:
            features.fire(f"body-{kind}")
    # A possessor is not the subject: "Seattle Center's popular playground" is about a playground.
    lead = [
        kind for start, end, kind in body_hits
        if start < 60 and kind in _SUBJECT_KINDS and not POSSESSOR_AFTER.match(description, end)
    ]  # fmt: skip
    if not title.kinds - {"activity", "minor"} and lead:
        features.fire(f"lead-{lead[0]}", description[:60])
