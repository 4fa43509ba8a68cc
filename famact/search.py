"""Search: every query is served by ONE GSI of family-activities, never a Scan.

Index choice, most selective first:
- `venue_id` -> venue-activity-index; `provider_id` -> provider-index;
- `category` and/or `age_group` -> category-age-index. An age group without a category reads
  that age group's partition AND the all-ages partition of each category (and of entities
  without one); a category without an age group reads its partitions of every age group;
- a place (`region` and/or `city`) -> location-date-index; a region or city alone covers
  every matching partition of the geo registry;
- nothing selective -> location-date-index over every partition of the geo registry.
Date-keyed indexes read the window (default today..today+30) and then the ongoing rows.

Index rows are resolved to their METADATA rows with BatchGetItem; the remaining filters
(status, type, place, `q` text, the date window of ongoing ranges) apply to those.

One entity has several index rows (one per date, per age group). It is returned once: from
its first partition (in plan order) and at its first occurrence in the window. This rule
needs no memory of earlier pages, so the cursor (partition, inner cursor, results already
taken from that page) stays small and no entity repeats across pages. Results are ordered by
date within a partition, partition after partition.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pydantic

from famact import keys
from famact.constants import UNKNOWN, AgeGroup, Category, EntityStatus, EntityType, PricingType
from famact.models import EntityBase
from famact.settings import get_settings
from famact.store.activities import ActivityStore
from famact.store.errors import ValidationError
from famact.store.paging import Page, decode_cursor, encode_cursor, fingerprint
from famact.store.rows import IndexPoint, entity_from_row, index_points
from famact.tables import CATEGORY_AGE_INDEX, LOCATION_DATE_INDEX, PROVIDER_INDEX, VENUE_ACTIVITY_INDEX

log = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 30
MAX_WINDOW_DAYS = 366
MAX_LIMIT = 100
MAX_Q_CHARS = 200
MAX_ID_CHARS = 160
MAX_ROWS_PER_SEARCH = 2_000  # index rows one call may read; past it, the cursor continues
HIDDEN_STATUSES = frozenset({EntityStatus.INACTIVE, EntityStatus.CANCELLED, EntityStatus.PAST})


def _enum(field_name: str, enum: Any, value: Any) -> Any:
    if value is None or isinstance(value, enum):
        return value
    text = str(value).strip()
    if not text:
        return None
    for member in enum:
        if text.lower() == member.value.lower():
            return member
    allowed = ", ".join(m.value for m in enum)
    raise ValidationError(field_name, value, f"must be one of: {allowed}")


def _date(field_name: str, value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError(field_name, value, "must be a date YYYY-MM-DD") from exc


def _text_id(field_name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if len(text) > MAX_ID_CHARS or keys.SEP in text:
        raise ValidationError(field_name, value, f"must be an id of at most {MAX_ID_CHARS} chars without '#'")
    return text


def _flag(field_name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ValidationError(field_name, value, "must be true or false")


@dataclass
class SearchQuery:
    """What a user asks for. Strings are accepted for every field and validated here, each
    error naming its field (`ValidationError`, a ValueError)."""

    q: str | None = None
    entity_type: EntityType | None = None
    region: str | None = None
    city: str | None = None
    category: Category | None = None
    age_group: AgeGroup | None = None
    date_from: date | None = None
    date_to: date | None = None
    venue_id: str | None = None
    provider_id: str | None = None
    free_only: bool = False
    include_cancelled: bool = False  # calendars show a cancelled entity as STATUS:CANCELLED
    limit: int = 20
    cursor: str | None = None

    def __post_init__(self) -> None:
        if self.q is not None:
            self.q = str(self.q).strip() or None
            if self.q and len(self.q) > MAX_Q_CHARS:
                raise ValidationError("q", self.q, f"must be at most {MAX_Q_CHARS} characters")
        self.entity_type = _enum("entity_type", EntityType, self.entity_type)
        self.category = _enum("category", Category, self.category)
        self.age_group = _enum("age_group", AgeGroup, self.age_group)
        for name in ("region", "city"):
            value = getattr(self, name)
            if value is not None and str(value).strip():
                slug = keys.slugify(str(value), 80)
                if not slug:
                    raise ValidationError(name, value, "must contain letters or digits")
                setattr(self, name, slug)
            else:
                setattr(self, name, None)
        self.date_from = _date("date_from", self.date_from)
        self.date_to = _date("date_to", self.date_to)
        if self.date_from and self.date_to:
            if self.date_to < self.date_from:
                raise ValidationError("date_to", self.date_to.isoformat(), "is before date_from")
            if (self.date_to - self.date_from).days > MAX_WINDOW_DAYS:
                raise ValidationError(
                    "date_to", self.date_to.isoformat(), f"the window is over {MAX_WINDOW_DAYS} days"
                )
        self.venue_id = _text_id("venue_id", self.venue_id)
        self.provider_id = _text_id("provider_id", self.provider_id)
        self.free_only = _flag("free_only", self.free_only)
        self.include_cancelled = _flag("include_cancelled", self.include_cancelled)
        try:
            limit = int(self.limit)
        except (TypeError, ValueError) as exc:
            raise ValidationError("limit", self.limit, "must be an integer") from exc
        if isinstance(self.limit, bool) or not 1 <= limit <= MAX_LIMIT:
            raise ValidationError("limit", self.limit, f"must be from 1 to {MAX_LIMIT}")
        self.limit = limit
        if self.cursor is not None and not str(self.cursor).strip():
            self.cursor = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SearchQuery:
        """From CLI options or URL query parameters (strings); unknown names are refused."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValidationError(unknown[0], params[unknown[0]], "is not a search parameter")
        return cls(**{k: v for k, v in params.items() if v is not None})


@dataclass
class SearchResult:
    items: list[dict[str, Any]]
    cursor: str | None
    index_used: str
    items_read: int


@dataclass(frozen=True)
class _Partition:
    """One GSI partition to read: a place, a (category, age group), a venue or a provider."""

    first: str | None
    second: str | None = None


@dataclass
class _Plan:
    index: str
    partitions: list[_Partition]
    date_from: date
    date_to: date
    entity_cache: dict[str, tuple[dict[str, Any], EntityBase] | None] = field(default_factory=dict)


def _plan(store: ActivityStore, query: SearchQuery, today: date) -> _Plan:
    date_from = query.date_from or today
    dated_to = query.date_to or date_from + timedelta(days=DEFAULT_WINDOW_DAYS)
    if query.venue_id:
        return _Plan(VENUE_ACTIVITY_INDEX, [_Partition(query.venue_id)], date_from, query.date_to or date.max)
    if query.provider_id:
        return _Plan(PROVIDER_INDEX, [_Partition(query.provider_id)], date_from, query.date_to or date.max)
    if query.category or query.age_group:
        categories = [query.category.value] if query.category else [*(c.value for c in Category), UNKNOWN]
        partitions: list[_Partition] = []
        for category in categories:
            if query.age_group:
                groups = [query.age_group]
                if query.age_group is not AgeGroup.ALL_AGES:
                    groups.append(AgeGroup.ALL_AGES)
            else:
                groups = list(AgeGroup)
            partitions.extend(_Partition(category, g.value) for g in groups)
        return _Plan(CATEGORY_AGE_INDEX, partitions, date_from, dated_to)
    if query.region and query.city:
        places = [(query.region, query.city)]
    else:
        places = sorted(
            (region, city)
            for region, city in store.geo_partitions()
            if query.region in (None, region) and query.city in (None, city)
        )
    return _Plan(LOCATION_DATE_INDEX, [_Partition(r, c) for r, c in places], date_from, dated_to)


def _read(
    store: ActivityStore, plan: _Plan, query: SearchQuery, i: int, *, limit: int, cursor: str | None
) -> Page:
    part = plan.partitions[i]
    etype = query.entity_type
    if plan.index == VENUE_ACTIVITY_INDEX:
        return store.query_venue(str(part.first), entity_type=etype, limit=limit, cursor=cursor)
    if plan.index == PROVIDER_INDEX:
        return store.query_provider(str(part.first), entity_type=etype, limit=limit, cursor=cursor)
    if plan.index == CATEGORY_AGE_INDEX:
        category = None if part.first == UNKNOWN else part.first
        return store.query_category_age(
            category, str(part.second), plan.date_from, plan.date_to, limit=limit, cursor=cursor
        )
    return store.query_location_date(
        str(part.first),
        str(part.second),
        plan.date_from,
        plan.date_to,
        entity_type=query.entity_type,
        limit=limit,
        cursor=cursor,
    )


def _belongs(plan: _Plan, part: _Partition, entity: EntityBase) -> bool:
    if plan.index == VENUE_ACTIVITY_INDEX:
        return entity.venue_id == part.first
    if plan.index == PROVIDER_INDEX:
        return entity.provider_id == part.first
    if plan.index == CATEGORY_AGE_INDEX:
        category = entity.category.value if entity.category else UNKNOWN
        return category == part.first and AgeGroup(str(part.second)) in entity.age_group_names
    return (entity.region, entity.city) == (part.first, part.second)


def _next_point(
    entity: EntityBase, date_from: date, date_to: date, *, include_cancelled: bool = False
) -> IndexPoint | None:
    """The entity's first point in the window, or None when it is not on in the window."""
    schedule = entity.schedule
    points = []
    hidden = {EntityStatus.INACTIVE} if include_cancelled else {EntityStatus.CANCELLED, EntityStatus.INACTIVE}
    for point in index_points(entity):
        if point.status in hidden:
            continue
        if point.day is None:
            # An ongoing listing with a range is on only while the range overlaps the window.
            if schedule.start_date and schedule.start_date > date_to:
                continue
            if schedule.end_date and schedule.end_date < date_from:
                continue
        elif not date_from <= point.day <= date_to:
            continue
        points.append(point)
    return min(points, key=lambda p: p.sort_key) if points else None


def _matches(query: SearchQuery, entity: EntityBase, meta: dict[str, Any]) -> bool:
    hidden = HIDDEN_STATUSES - {EntityStatus.CANCELLED} if query.include_cancelled else HIDDEN_STATUSES
    if EntityStatus(entity.status) in hidden:
        return False
    if query.free_only and not (entity.pricing and entity.pricing.type is PricingType.FREE):
        return False
    if query.entity_type and entity.entity_type != query.entity_type:
        return False
    if query.region and entity.region != query.region:
        return False
    if query.city and entity.city != query.city:
        return False
    if query.category and entity.category != query.category:
        return False
    if query.age_group:
        groups = entity.age_group_names
        if query.age_group not in groups and AgeGroup.ALL_AGES not in groups:
            return False
    if query.venue_id and entity.venue_id != query.venue_id:
        return False
    if query.provider_id and entity.provider_id != query.provider_id:
        return False
    if query.q:
        text = " ".join(
            str(v) for v in (entity.name, entity.description, entity.venue_name, meta.get("venue_name")) if v
        ).casefold()
        if not all(term in text for term in query.q.casefold().split()):
            return False
    return True


def _results_of_page(
    store: ActivityStore, plan: _Plan, query: SearchQuery, i: int, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The results a page of index rows yields: one per canonical hit (module doc)."""
    missing = [str(r["PK"]) for r in rows if str(r["PK"]) not in plan.entity_cache]
    if missing:
        found = store.get_entities(missing)
        for pk in dict.fromkeys(missing):
            meta = found.get(pk)
            if meta is None:
                plan.entity_cache[pk] = None
                continue
            try:
                plan.entity_cache[pk] = (meta, entity_from_row(meta))
            except pydantic.ValidationError as exc:
                # A row the current model cannot read is skipped, not fatal to every search.
                log.warning("skipping unreadable entity %s: %s", pk, exc.errors()[:1])
                plan.entity_cache[pk] = None
    results: list[dict[str, Any]] = []
    for row in rows:
        cached = plan.entity_cache.get(str(row["PK"]))
        if cached is None:
            continue
        meta, entity = cached
        if not _matches(query, entity, meta):
            continue
        first_part = next((n for n, p in enumerate(plan.partitions) if _belongs(plan, p, entity)), None)
        if first_part != i:
            continue
        point = _next_point(entity, plan.date_from, plan.date_to, include_cancelled=query.include_cancelled)
        if point is None:
            continue
        if row.get("SK") not in (keys.METADATA_SK, None):
            # INSTANCE / AGE rows: only the one at the entity's next point yields the result.
            row_point = (row.get("date"), row.get("start_time"))
            if row_point != (point.day.isoformat() if point.day else None, point.start_time):
                continue
        results.append(
            {
                **meta,
                "next_date": point.day.isoformat() if point.day else None,
                "next_start_time": point.start_time,
            }
        )
    return results


def search(store: ActivityStore, query: SearchQuery, *, today: date | None = None) -> SearchResult:
    today = today or get_settings().current_date()
    plan = _plan(store, query, today)
    query_id = fingerprint(
        "search",
        query.q,
        query.entity_type,
        query.region,
        query.city,
        query.category,
        query.age_group,
        plan.date_from,
        plan.date_to,
        query.venue_id,
        query.provider_id,
        query.free_only,
        query.include_cancelled,
    )
    i: int = 0
    inner: str | None = None
    skip: int = 0
    if query.cursor:
        state = decode_cursor(query.cursor, expected_fingerprint=query_id)
        got_i, got_inner, got_skip = state.get("i"), state.get("c"), state.get("s", 0)
        if (
            not isinstance(got_i, int)
            or not 0 <= got_i < len(plan.partitions)
            or not (got_inner is None or isinstance(got_inner, str))
            or not isinstance(got_skip, int)
            or got_skip < 0
        ):
            raise ValidationError("cursor", query.cursor, "malformed position")
        i, inner, skip = got_i, got_inner, got_skip
    items: list[dict[str, Any]] = []
    rows_read = 0
    while i < len(plan.partitions) and len(items) < query.limit and rows_read < MAX_ROWS_PER_SEARCH:
        want = query.limit - len(items)
        page = _read(store, plan, query, i, limit=min(100, max(25, 2 * want)), cursor=inner)
        rows_read += len(page.items)
        found = _results_of_page(store, plan, query, i, page.items)[skip:]
        items.extend(found[:want])
        if len(found) > want:
            skip += want  # the rest of this page is for the next call: re-read it, skip these
            break
        skip = 0
        if page.cursor:
            inner = page.cursor
        else:
            i, inner = i + 1, None
    cursor = None
    if i < len(plan.partitions):
        cursor = encode_cursor({"f": query_id, "i": i, "c": inner, "s": skip})
    return SearchResult(items=items, cursor=cursor, index_used=plan.index, items_read=rows_read)
