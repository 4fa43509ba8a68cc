"""What the classifier reads and what it answers: `ClassifierInput`, `ClassificationResult`,
the `SecondOpinion` it may ask, and the threshold below which the rules are "unsure"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from famact.constants import ClassificationMethod, EntityType

VENUE = EntityType.VENUE
EVENT = EntityType.EVENT
PROGRAM = EntityType.PROGRAM
ATTRACTION = EntityType.ATTRACTION
TYPES: tuple[EntityType, ...] = (VENUE, EVENT, PROGRAM, ATTRACTION)

# Below this confidence the rules are "unsure": a second opinion is asked, and a source's
# `defaults.entity_type` may decide (famact.listing.classify_listing).
DEFAULT_THRESHOLD = 0.6


@dataclass(frozen=True)
class ClassifierInput:
    """The text of one listing as a site shows it; every field but `title` may be missing."""

    title: str
    description: str | None = None
    date_text: str | None = None
    schedule_text: str | None = None
    price_text: str | None = None
    age_text: str | None = None
    venue_text: str | None = None
    url: str | None = None
    structured_type: str | None = None  # schema.org @type when known: Event, Course, Museum...
    site_label: str | None = None  # the site's own label: "Class", "Camp", "Exhibit", "Event"

    _EXTRA_FIELDS = (
        "date_text",
        "schedule_text",
        "price_text",
        "age_text",
        "venue_text",
        "url",
        "structured_type",
        "site_label",
    )

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> ClassifierInput:
        """Build from one `famact classify` input line (already parsed from JSON).

        Format: {"id", "title", "description", "extra": {"date_text", "schedule_text",
        "price_text", "age_text", "venue_text", "url"}}; `structured_type` and `site_label`
        are read from `extra` too. Unknown keys are ignored. Raises ValueError naming the field.
        """
        if not isinstance(obj, Mapping):
            raise ValueError(f"listing must be a JSON object, got {type(obj).__name__}: {obj!r:.80}")
        title = obj.get("title")
        if title is None:
            raise ValueError("field 'title' is missing")
        if not isinstance(title, str):
            raise ValueError(f"field 'title' must be a string, got {type(title).__name__}: {title!r:.80}")
        if not title.strip():
            raise ValueError(f"field 'title' is empty: {title!r}")
        description = _optional_str(obj, "description", "description")
        extra = obj.get("extra")
        if extra is None:
            extra = {}
        if not isinstance(extra, Mapping):
            raise ValueError(f"field 'extra' must be an object, got {type(extra).__name__}: {extra!r:.80}")
        values = {name: _optional_str(extra, name, f"extra.{name}") for name in cls._EXTRA_FIELDS}
        return cls(title=title.strip(), description=description, **values)


def _optional_str(obj: Mapping[str, Any], key: str, label: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"field '{label}' must be a string, got {type(value).__name__}: {value!r:.80}")
    return value


@dataclass(frozen=True)
class ClassificationResult:
    entity_type: EntityType
    confidence: float  # 0..1; below 0.6 means "unsure"
    method: ClassificationMethod
    reasons: tuple[str, ...]  # rule ids with the evidence, e.g. ("T1:camp-multi-day",)


class SecondOpinion(Protocol):
    """Anything that can give a (type, confidence) answer, e.g. an LLM client; None = no answer."""

    def classify(self, listing: ClassifierInput) -> tuple[EntityType, float] | None: ...
