"""What the site itself says: its schema.org type, its own label ("Class", "Exhibit"), and a
URL that is a page about visiting a place."""

from __future__ import annotations

import re

from famact.classify.evidence import Features, ListingText

_SCHEMA_EVENT = re.compile(r"event$|^festival$|^exhibitionevent$")
_SCHEMA_COURSE = re.compile(r"^(?:course|courseinstance|educationalprogram)$")
_SCHEMA_ATTRACTION = re.compile(r"^(?:touristattraction|playground|landmarksorhistoricalbuildings)$")
_SCHEMA_PLACE = re.compile(
    r"^(?:place|localbusiness|museum|park|zoo|aquarium|library|amusementpark|sportsactivitylocation|"
    r"entertainmentbusiness|childcare|movietheater|performingartstheater|civicstructure|"
    r"publicswimmingpool|exercisegym|farm|store|bowlingalley|stadiumorarena|campground|organization)$"
)


def site_features(text: ListingText, features: Features) -> None:
    _schema_features(text.schema, features)
    _label_features(text.label, features)
    if text.url and re.search(r"/(?:visit|about|plan-your-visit|hours|location)s?\b", text.url):
        features.fire("hours", "url")


def _schema_features(schema: str, features: Features) -> None:
    if not schema:
        return
    if _SCHEMA_COURSE.search(schema):
        features.fire("schema-course", schema)
    elif _SCHEMA_ATTRACTION.search(schema):
        features.fire("schema-attraction", schema)
    elif _SCHEMA_EVENT.search(schema):
        features.fire("schema-event", schema)
    elif _SCHEMA_PLACE.search(schema):
        features.fire("schema-place", schema)


def _label_features(label: str, features: Features) -> None:
    if not label:
        return
    if re.search(r"\b(?:class|course|program|lesson|league)", label):
        features.fire("label-class", label)
    elif re.search(r"\b(?:exhibit|exhibition)", label):
        features.fire("label-exhibit", label)
    elif re.search(r"\b(?:event|happening)", label):
        features.fire("label-event", label)
    elif re.search(r"\b(?:venue|place|location|business)", label):
        features.fire("label-place", label)
    elif re.search(r"\battraction", label):
        features.fire("label-attraction", label)
