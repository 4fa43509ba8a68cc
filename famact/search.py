"""Search: every query is served by ONE GSI of family-activities, never a Scan.

Index choice, most selective first:
- `venue_id` -> venue-activity-index; `provider_id` -> provider-index;
- `category` and/or `age_group` -> category-age-index. An age group without a category reads
  that age group's partition AND the all-ages partition of each category (and of entities
  without one); a category without an age group reads its partitions of every age group;
- a place (`region` and/or `city`) -> location-date-index; a region or city alone covers
  every matching partition of the geo registry; with a type, only that type's key ranges of
  each day are read (`ActivityStore.query_location_date`);
- nothing selective -> location-date-index over every partition of the geo registry (a list
  at most GEO_MAX_AGE_S old, so a search does not read the registry each time).
Date-keyed indexes read the window (default today..today+30) and then the ongoing rows.

Every index row carries a search card (famact/tables.py `CARD_ATTRS`), so the remaining
filters (status, type, place, free-only, `q` text, the date window of ongoing ranges) run on
the index rows themselves and a result is the card: no entity record is read to decide or to
show it. Records are read by key only for rows that carry no card (stored before cards, see
`famact.store.cards`), for a `q` that the card's capped words cannot decide, and, with
`records=True` (calendars, the legacy snapshot), for the results returned.

One entity has several index rows (one per date, per age group). It is returned once: from
its first partition (in plan order) and at its first occurrence in the window (a row knows
the date of its entity's previous point). This rule needs no memory of earlier pages, so the
cursor (partition and an exact resume point inside it) stays small and no entity repeats
across pages. Results are ordered by date within a partition, partition after partition.
Each read asks for about as many rows as the results still wanted (scaled by the share of
rows that have become results so far), so few rows are read that are not returned.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pydantic

from famact import keys
from famact.constants import UNKNOWN, AgeGroup, Category, EntityStatus, EntityType, PricingType
from famact.settings import get_settings
from famact.store import cards
from famact.store.activities import GEO_MAX_AGE_S, ActivityStore
from famact.store.errors import StoreError, ValidationError
from famact.store.paging import Page, decode_cursor, encode_cursor, fingerprint
from famact.store.rows import entity_from_row, search_words
from famact.tables import CATEGORY_AGE_INDEX, LOCATION_DATE_INDEX, PROVIDER_INDEX, VENUE_ACTIVITY_INDEX

log = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 30
MAX_WINDOW_DAYS = 366
MAX_LIMIT = 100
MAX_Q_CHARS = 200
MAX_ID_CHARS = 160
MAX_ROWS_PER_SEARCH = 2_000  # index rows one call may read; past it, the cursor continues
MAX_PAGE_ROWS = 100
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
    items_read: int  # items DynamoDB read: index rows evaluated plus records fetched by key


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
    # Entity records read by key during this call (None: missing or unreadable), and the
    # rows the current code would write for them, by PK.
    records: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    rebuilt: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    fetched: int = 0


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
            for region, city in store.geo_partitions(max_age_s=GEO_MAX_AGE_S)
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


def _first_partition(plan: _Plan, card: dict[str, Any]) -> int | None:
    """The first partition of the plan that lists the entity (module doc)."""
    if len(plan.partitions) == 1:
        return 0
    if plan.index == CATEGORY_AGE_INDEX:
        category = card.get("category") or UNKNOWN
        ages = cards.age_names(card)
        return next(
            (n for n, p in enumerate(plan.partitions) if p.first == category and p.second in ages), None
        )
    here = cards.place(card)
    return next((n for n, p in enumerate(plan.partitions) if (p.first, p.second) == here), None)


def _matches(query: SearchQuery, card: dict[str, Any], record: dict[str, Any] | None) -> bool:
    """The card passes every filter (the text check reads `record` when the card's words were
    cut off and did not match)."""
    hidden = HIDDEN_STATUSES - {EntityStatus.CANCELLED} if query.include_cancelled else HIDDEN_STATUSES
    if EntityStatus(str(card.get("entity_status") or card.get("status"))) in hidden:
        return False
    if query.free_only and (card.get("pricing") or {}).get("type") != PricingType.FREE.value:
        return False
    if query.entity_type and card.get("entity_type") != query.entity_type.value:
        return False
    region, city = cards.place(card)
    if (query.region and region != query.region) or (query.city and city != query.city):
        return False
    if query.category and card.get("category") != query.category.value:
        return False
    if query.age_group:
        ages = cards.age_names(card)
        if query.age_group.value not in ages and AgeGroup.ALL_AGES.value not in ages:
            return False
    if query.venue_id and card.get("venue_id") != query.venue_id:
        return False
    if query.provider_id and card.get("provider_id") != query.provider_id:
        return False
    if query.q:
        terms = query.q.casefold().split()
        if not cards.words_match(terms, str(card.get("search_text") or "")):
            if not card.get("search_text_partial") or record is None:
                return False
            return cards.words_match(terms, " ".join(search_words(entity_from_row(record))))
    return True


def _fetch(store: ActivityStore, plan: _Plan, pks: list[str]) -> None:
    missing = [pk for pk in dict.fromkeys(pks) if pk not in plan.records]
    if not missing:
        return
    found = store.get_entities(missing)
    plan.fetched += len(found)
    for pk in missing:
        meta = found.get(pk)
        plan.records[pk] = meta
        if meta is None:
            continue
        try:
            plan.rebuilt[pk] = cards.rebuilt_rows(entity_from_row(meta))
        except (pydantic.ValidationError, StoreError) as exc:
            # A record the current model cannot read is skipped, not fatal to every search.
            log.warning("skipping unreadable entity %s: %s", pk, exc)
            plan.records[pk] = None


def _card_of(plan: _Plan, row: dict[str, Any]) -> dict[str, Any] | None:
    if cards.has_card(row):
        return row
    return plan.rebuilt.get(str(row["PK"]), {}).get(str(row["SK"]))


def _results_of_page(
    store: ActivityStore, plan: _Plan, query: SearchQuery, i: int, rows: list[dict[str, Any]]
) -> list[tuple[int, dict[str, Any]]]:
    """(position in `rows`, result card) for every row that yields a result (module doc)."""
    _fetch(store, plan, [str(r["PK"]) for r in rows if not cards.has_card(r)])
    if query.q:
        terms = query.q.casefold().split()
        undecided = [
            str(r["PK"])
            for r in rows
            if cards.has_card(r)
            and r.get("search_text_partial")
            and not cards.words_match(terms, str(r.get("search_text") or ""))
        ]
        _fetch(store, plan, undecided)
    results: list[tuple[int, dict[str, Any]]] = []
    for n, row in enumerate(rows):
        card = _card_of(plan, row)
        if card is None:
            continue
        if not _matches(query, card, plan.records.get(str(row["PK"]))):
            continue
        if _first_partition(plan, card) != i:
            continue
        point = cards.row_point(card, plan.date_from, plan.date_to, listed=query.include_cancelled)
        if point is None:
            continue
        results.append((n, cards.result_card(card, point)))
    return results


def _with_records(store: ActivityStore, plan: _Plan, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results as whole entity records (plus `next_*`), read by key."""
    pks = [keys.entity_pk(i["entity_type"], i["entity_id"]) for i in items]
    _fetch(store, plan, pks)
    out: list[dict[str, Any]] = []
    for pk, item in zip(pks, items, strict=True):
        record = plan.records.get(pk)
        if record is not None:
            out.append({**record, **{k: v for k, v in item.items() if k.startswith("next_")}})
    return out


def search(
    store: ActivityStore, query: SearchQuery, *, today: date | None = None, records: bool = False
) -> SearchResult:
    """A page of results: cards (module doc), or whole records with `records=True`."""
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
    if query.cursor:
        state = decode_cursor(query.cursor, expected_fingerprint=query_id)
        got_i, got_inner = state.get("i"), state.get("c")
        if (
            not isinstance(got_i, int)
            or not 0 <= got_i < len(plan.partitions)
            or not (got_inner is None or isinstance(got_inner, str))
        ):
            raise ValidationError("cursor", query.cursor, "malformed position")
        i, inner = got_i, got_inner
    items: list[dict[str, Any]] = []
    rows_read = 0
    found = 0
    while i < len(plan.partitions) and len(items) < query.limit and rows_read < MAX_ROWS_PER_SEARCH:
        want = query.limit - len(items)
        share = (found + 1) / (rows_read + 1)  # of rows read so far, the share that were results
        page = _read(
            store, plan, query, i, limit=max(1, min(MAX_PAGE_ROWS, math.ceil(want / share))), cursor=inner
        )
        rows_read += page.scanned
        results = _results_of_page(store, plan, query, i, page.items)
        found += len(results)
        items.extend(card for _, card in results[:want])
        if len(results) > want:
            inner = page.cursor_after(results[want - 1][0] + 1)  # right after the last one taken
            break
        if page.cursor:
            inner = page.cursor
        else:
            i, inner = i + 1, None
    cursor = None
    if i < len(plan.partitions):
        cursor = encode_cursor({"f": query_id, "i": i, "c": inner})
    if records:
        items = _with_records(store, plan, items)
    return SearchResult(
        items=items, cursor=cursor, index_used=plan.index, items_read=rows_read + plan.fetched
    )
