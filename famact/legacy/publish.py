"""Publish the old frontend's snapshot from famact: `famact export --legacy-s3 URL`.

The activities are famact's active upcoming entities, read the way search reads them
(famact.search: location-date-index over the geo registry's partitions, then BatchGetItem
of the METADATA rows; never a Scan): every entity on between today and the horizon, and
ongoing ones whose range overlaps it. Hidden statuses (inactive, cancelled, past) are left
out as search leaves them out. Imported entities go back with their old id and record
(famact.legacy.to_activity.merge_with_original).

`publish_after_crawls` is the step the scheduler runs after a pass that finished crawls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pydantic

from famact import keys
from famact.constants import ExecutionOutcome
from famact.legacy.aliases import LegacyAliases
from famact.legacy.objects import Published, write_snapshot
from famact.legacy.snapshot import LegacyActivity, LegacyMetadata, LegacySnapshot
from famact.legacy.to_activity import entity_to_activity, merge_with_original
from famact.models import EntityBase
from famact.search import MAX_LIMIT, MAX_WINDOW_DAYS, SearchQuery, search
from famact.settings import get_settings
from famact.store.activities import ActivityStore
from famact.store.dynamo import Tables
from famact.store.rows import entity_from_row

DEFAULT_HORIZON_DAYS = 180
DEFAULT_UPDATE_HOURS = 24  # nextUpdate: when the old frontend may expect the next snapshot
SNAPSHOT_VERSION = "1.0"
SNAPSHOT_REGION = "Seattle, WA"
_RESULT_ONLY = ("next_date", "next_start_time", "next_end_time")
_PUBLISH_OUTCOMES = frozenset({ExecutionOutcome.SUCCESS.value, ExecutionOutcome.PARTIAL.value})


def upcoming_entities(
    store: ActivityStore, *, today: date, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[EntityBase]:
    """Every active entity on between `today` and `today + horizon_days` (GSI queries)."""
    if not 1 <= horizon_days <= MAX_WINDOW_DAYS:
        raise ValueError(f"horizon_days: must be from 1 to {MAX_WINDOW_DAYS}, got {horizon_days}")
    entities: list[EntityBase] = []
    cursor: str | None = None
    while True:
        query = SearchQuery(
            date_from=today, date_to=today + timedelta(days=horizon_days), limit=MAX_LIMIT, cursor=cursor
        )
        result = search(store, query, today=today, records=True)
        for item in result.items:
            row = {k: v for k, v in item.items() if k not in _RESULT_ONLY}
            try:
                entities.append(entity_from_row(row))
            except pydantic.ValidationError:
                continue  # search has already logged and skipped rows it cannot read
        cursor = result.cursor
        if cursor is None:
            return entities


def activities_of(tables: Tables, entities: list[EntityBase]) -> list[LegacyActivity]:
    """Old-format Activities, imported ones with their old id and record, sorted by start."""
    pks = [keys.entity_pk(e.entity_type, e.entity_id) for e in entities]
    aliases = LegacyAliases(tables).by_entity(pks)
    out: list[LegacyActivity] = []
    for pk, entity in zip(pks, entities, strict=True):
        alias = aliases.get(pk)
        if alias is None:
            out.append(entity_to_activity(entity))
        elif alias.original is None:
            out.append(entity_to_activity(entity, legacy_id=alias.legacy_id))
        else:
            out.append(merge_with_original(entity, alias.original, alias.legacy_id))
    out.sort(key=lambda a: (a.schedule.startDate or date.max, a.title.casefold(), a.id))
    return out


def build_snapshot(
    tables: Tables,
    *,
    today: date | None = None,
    now: datetime | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    update_hours: int = DEFAULT_UPDATE_HOURS,
) -> LegacySnapshot:
    today = today or get_settings().current_date()
    now = now or datetime.now(UTC)
    entities = upcoming_entities(ActivityStore(tables), today=today, horizon_days=horizon_days)
    activities = activities_of(tables, entities)
    sources = sorted({a.source.domain for a in activities if a.source and a.source.domain})
    cities = sorted({a.location.city for a in activities if a.location.city})
    coverage: dict[str, Any] = {
        "cities": cities,
        "startDate": today.isoformat(),
        "endDate": (today + timedelta(days=horizon_days)).isoformat(),
    }
    return LegacySnapshot(
        metadata=LegacyMetadata(
            lastUpdated=now,
            totalActivities=len(activities),
            sources=sources,
            nextUpdate=now + timedelta(hours=update_hours),
            version=SNAPSHOT_VERSION,
            region=SNAPSHOT_REGION,
            coverage=coverage,
        ),
        activities=activities,
    )


def publish(
    tables: Tables,
    url: str,
    *,
    today: date | None = None,
    now: datetime | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    client: Any = None,
) -> Published:
    """Build the snapshot and put it at `url` (plus its copy under `backups/`)."""
    now = now or datetime.now(UTC)
    snapshot = build_snapshot(tables, today=today, now=now, horizon_days=horizon_days)
    return write_snapshot(snapshot, url, at=now, client=client)


@dataclass(frozen=True)
class AfterCrawls:
    published: Published | None
    reason: str


def publish_after_crawls(
    tables: Tables, url: str, finished: Mapping[str, str], *, client: Any = None, now: datetime | None = None
) -> AfterCrawls:
    """The scheduler's step after a pass: publish when at least one crawl finished with
    items (success or partial); a pass that only followed running jobs publishes nothing."""
    done = sorted(source for source, outcome in finished.items() if outcome in _PUBLISH_OUTCOMES)
    if not done:
        return AfterCrawls(None, "no crawl finished with items in this pass")
    published = publish(tables, url, client=client, now=now)
    return AfterCrawls(published, f"after {len(done)} finished crawl(s): {', '.join(done[:5])}")
