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

# What the crawl knows about where a listing sat (the labelled sets' optional "context").
PAGE_ROLES = ("list_entry", "page_subject")
SITE_KINDS = (
    "venue_site",
    "aggregator",
    "library",
    "parks_department",
    "school_district",
    "museum",
    "business",
)


@dataclass(frozen=True)
class PageContext:
    """Where a listing was found: one entry of a list page or the page's own subject, what
    kind of site shows it, and the source config's default type. Every part may be unknown."""

    page_role: str | None = None  # one of PAGE_ROLES
    site_kind: str | None = None  # one of SITE_KINDS
    default_type: EntityType | None = None  # the config's `defaults.entity_type`

    def __post_init__(self) -> None:
        if self.page_role is not None and self.page_role not in PAGE_ROLES:
            raise ValueError(f"field 'context.page_role' must be one of {PAGE_ROLES}, got {self.page_role!r}")
        if self.site_kind is not None and self.site_kind not in SITE_KINDS:
            raise ValueError(f"field 'context.site_kind' must be one of {SITE_KINDS}, got {self.site_kind!r}")

    @classmethod
    def from_json(cls, obj: Any) -> PageContext | None:
        """The optional "context" object of a listing line; None when absent."""
        if obj is None:
            return None
        if not isinstance(obj, Mapping):
            raise ValueError(f"field 'context' must be an object, got {type(obj).__name__}: {obj!r:.80}")
        role = _optional_str(obj, "page_role", "context.page_role")
        kind = _optional_str(obj, "site_kind", "context.site_kind")
        default = _optional_str(obj, "default_type", "context.default_type")
        if default is not None and default not in EntityType.__members__:
            raise ValueError(
                f"field 'context.default_type' must be one of {list(EntityType)}, got {default!r}"
            )
        return cls(page_role=role, site_kind=kind, default_type=EntityType(default) if default else None)


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
    context: PageContext | None = None  # where the crawl found it, when known

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
        "price_text", "age_text", "venue_text", "url"}, "context": {"page_role", "site_kind",
        "default_type"}}; `structured_type` and `site_label` are read from `extra` too, and
        "context" may be absent. Unknown keys are ignored. Raises ValueError naming the field.
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
        context = PageContext.from_json(obj.get("context"))
        return cls(title=title.strip(), description=description, context=context, **values)


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
