"""The weights table: each feature, the rule it stands for, how much it pushes each type.

One row per feature, naming the rule of docs/classification-rules.md it stands for (R1..R4,
T1..T6). The scores of the fired rows are summed per type, a prior breaks ties, and a softmax
at `TEMPERATURE` turns the sums into a confidence (famact.classify.scoring).
"""

from __future__ import annotations

from dataclasses import dataclass

from famact.classify.model import ATTRACTION, EVENT, PROGRAM, VENUE
from famact.constants import EntityType


@dataclass(frozen=True)
class Weight:
    rule: str
    venue: float = 0.0
    event: float = 0.0
    program: float = 0.0
    attraction: float = 0.0

    def of(self, entity_type: EntityType) -> float:
        return {
            VENUE: self.venue,
            EVENT: self.event,
            PROGRAM: self.program,
            ATTRACTION: self.attraction,
        }[entity_type]


W = Weight
# One row per feature. "title-*" rows read the subject of the title (the part before " at X"),
# "body-*" rows the rest of the text, which weighs less: a venue page that mentions its
# storytime is still about the venue (R1a).
WEIGHTS: dict[str, Weight] = {
    # --- what the title names (the subject of the listing)
    "title-place": W("R1", venue=3.0, attraction=0.5),
    "title-place-head": W("R1", venue=1.5),
    "title-event": W("R3", event=3.0),
    "title-event-head": W("R3", event=1.5),
    "title-program": W("R2", program=3.0),
    "title-program-head": W("R2", program=1.5),
    "title-class": W("R2", program=1.5, event=0.5),
    "title-feature": W("R4", attraction=3.0),
    "title-feature-head": W("R4", attraction=1.5),
    "title-seasonal": W("T5", attraction=3.0, event=0.5),
    "title-seasonal-head": W("T5", attraction=1.0),
    "title-feature-minor": W("R4", attraction=1.5),
    "title-garden": W("T4", venue=1.0, attraction=1.5),
    "title-activity": W("R2", program=0.8, event=0.4),
    "title-level": W("R2", program=2.5),
    "title-at-place": W("T4", venue=-1.5, attraction=0.5, event=0.5),
    "title-now-open": W("R1a", venue=2.0),
    # --- camp length (T1) decides camps almost alone
    "camp-multi-day": W("T1", program=7.0),
    "camp-one-day": W("T1", event=7.0),
    "camp-length-unknown": W("T1", program=4.0),
    # --- nouns in the body
    "body-place": W("R1", venue=0.8),
    "body-event": W("R3", event=0.8),
    "body-program": W("R2", program=0.8),
    "body-feature": W("R4", attraction=0.8),
    "body-seasonal": W("T5", attraction=0.6),
    # When the title names nothing we know, the first noun of the description is the subject.
    "lead-place": W("R1", venue=1.5),
    "lead-event": W("R3", event=1.5),
    "lead-program": W("R2", program=1.5),
    "lead-feature": W("R4", attraction=1.5),
    "lead-seasonal": W("T5", attraction=1.5),
    # --- place facts (R1)
    "hours": W("R1", venue=2.0, attraction=0.5),
    "admission": W("R1", venue=1.5, attraction=0.5),
    "address": W("R1", venue=1.5),
    "parking": W("R1", venue=1.5),
    "size": W("R1", venue=1.5),
    "amenities": W("R1", venue=1.0),
    "offers-activities": W("R1a", venue=1.5),
    "opening-date": W("R1a", venue=1.0, attraction=0.5),
    "open-play-all-day": W("T6", venue=2.0),
    "hosted-elsewhere": W("T4", venue=-2.0, event=0.5, attraction=0.5, program=0.5),
    # --- where the crawl found it (PageContext): one of many entries on a single place's own
    # site is a thing at that place, not the place (T4); a place's own page with no dates of
    # its own is about the place (R1). Light: the listing's facts still decide.
    "context-entry-on-place-site": W("T4", venue=-1.0, event=0.3, program=0.3, attraction=0.3),
    "context-place-own-page": W("R1", venue=1.0),
    "branch-title": W("R1", venue=1.5),
    "standalone-place": W("T4", venue=2.0),
    "hosted-undated": W("T4", attraction=2.0, venue=-0.5),
    # --- feature-inside-a-place facts (T4, R4)
    "included-with-admission": W("T4", attraction=3.0, venue=-1.0),
    "inside-place": W("T4", attraction=2.5, venue=-1.0),
    "continuous-show": W("R4", attraction=3.5, event=-1.0),
    "self-guided": W("R4", attraction=3.0, event=-1.5),
    "until-date": W("R4", attraction=2.0),
    "timed-entry": W("T5", attraction=1.5),
    "open-range": W("T5", attraction=1.0),
    # --- dates and times (R3, T5)
    "single-date": W("R3", event=2.0, attraction=-0.5, program=-1.0, venue=-1.0),
    "few-dates": W("R4a", event=2.0, venue=-1.0),
    "dated-start-time": W("R3", event=2.5, venue=-1.0),
    "date-list": W("R3", event=1.0, program=1.0),
    "long-range": W("T5", attraction=1.0, program=1.0, venue=-0.5),
    "mid-range": W("T1", program=1.5, venue=-1.0),
    "season-months": W("T5", attraction=1.0, venue=0.5),
    "start-times": W("R3", event=1.5),
    "departures": W("T5", event=3.0),
    "showtimes": W("R3", event=2.0),
    "performance-venue": W("R3", event=1.5),
    "seasonal-operation": W("T5", attraction=3.5),
    "seasonal-festival": W("R4a", attraction=2.0, event=-1.0),
    "recurring-weekly": W("R3", event=1.0, program=0.8),
    "weekday-slot": W("R3", event=1.0, program=0.5),
    "no-dates": W("R1", venue=0.5, attraction=0.5),
    # --- enrollment vs drop-in (R2, T2, T3)
    "session-count": W("R2", program=4.0, event=-1.0),
    "title-session-count": W("R2", program=2.0),
    "per-week": W("R2", program=2.0),
    "term-schedule": W("R2", program=3.5),
    "enroll": W("R2", program=2.5),
    "tuition": W("R2", program=3.5),
    "series-registration": W("T3", program=3.0),
    "term-start": W("R2", program=1.5),
    "price-per-term": W("R2", program=1.5),
    "reading-challenge": W("R2", program=4.0),
    "drop-in": W("T3", event=2.5, program=-1.0),
    "drop-in-if-space": W("R2a", program=2.0),
    "free-trial": W("R2b", program=2.5),
    "registration-required": W("T2", event=0.3),
    "rsvp": W("T2", event=0.8),
    "free-admission-day": W("R3", event=3.0, venue=-1.0),
    "relative-date": W("R3", event=2.0, venue=-0.5),
    "date-tba": W("R3", event=2.5, venue=-0.5),
    # --- what the site itself says
    "schema-event": W("R3", event=1.5),
    "schema-course": W("R2", program=3.0),
    "schema-place": W("R1", venue=3.0),
    "schema-attraction": W("R4", attraction=2.5),
    "label-event": W("R3", event=1.5),
    "label-class": W("R2", program=2.0),
    "label-exhibit": W("R4", attraction=3.0),
    "label-place": W("R1", venue=2.5),
    "label-attraction": W("R4", attraction=2.5),
}
del W

# Softmax temperature. Several correlated rows fire for one fact (a title noun and its head, a
# date and a dated start time), so scores run large; 2.0 keeps the confidence honest: against
# one rival a 4-point lead gives ~0.88, a 1-point lead ~0.62. (1.6 put half of all listings at
# 0.99 or more, including the ones it got wrong on first sight.)
TEMPERATURE = 2.0

# When nothing at all is known the likeliest reading of a bare title is an EVENT (calendar
# teaser); the tiny prior only breaks exact ties and keeps the confidence low.
PRIOR: dict[EntityType, float] = {EVENT: 0.3, VENUE: 0.2, PROGRAM: 0.1, ATTRACTION: 0.0}
