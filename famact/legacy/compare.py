"""What the old snapshot and famact each have that the other lacks: `famact compare --legacy`.

famact's side is what an export would publish (active upcoming entities, GSI queries). An
Activity and an entity are the same when an alias links them, when the Activity's id is the
one famact publishes for the entity (`famact-{type}-{id}`), or else when their titles (case
and punctuation folded) and first dates agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from famact import keys
from famact.legacy.aliases import LegacyAliases
from famact.legacy.publish import DEFAULT_HORIZON_DAYS, upcoming_entities
from famact.legacy.snapshot import LegacyActivity, LegacySnapshot
from famact.legacy.to_activity import parse_famact_legacy_id
from famact.models import EntityBase
from famact.settings import get_settings
from famact.store.activities import ActivityStore
from famact.store.dynamo import Tables
from famact.store.rows import date_range


@dataclass
class Comparison:
    only_legacy: list[dict[str, Any]] = field(default_factory=list)
    only_famact: list[dict[str, Any]] = field(default_factory=list)
    both: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": {
                "both": len(self.both),
                "only_legacy": len(self.only_legacy),
                "only_famact": len(self.only_famact),
            },
            "both": self.both,
            "only_legacy": self.only_legacy,
            "only_famact": self.only_famact,
        }


def _title_key(title: str, day: date | None) -> tuple[str, str]:
    return re.sub(r"\W+", " ", title.casefold()).strip(), day.isoformat() if day else ""


def _activity_row(activity: LegacyActivity) -> dict[str, Any]:
    start = activity.schedule.startDate
    return {
        "id": activity.id,
        "title": activity.title,
        "type": activity.type,
        "start": start.isoformat() if start else None,
    }


def _entity_row(pk: str, entity: EntityBase) -> dict[str, Any]:
    first, _ = date_range(entity)
    return {
        "entity": pk,
        "name": entity.name,
        "source_id": entity.source_id,
        "start": first.isoformat() if first else None,
    }


def compare(
    tables: Tables,
    snapshot: LegacySnapshot,
    *,
    today: date | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> Comparison:
    today = today or get_settings().current_date()
    entities = {
        keys.entity_pk(e.entity_type, e.entity_id): e
        for e in upcoming_entities(ActivityStore(tables), today=today, horizon_days=horizon_days)
    }
    aliased = LegacyAliases(tables).by_legacy_id(a.id for a in snapshot.activities)
    by_title: dict[tuple[str, str], str] = {}
    for pk, entity in entities.items():
        by_title.setdefault(_title_key(entity.name, date_range(entity)[0]), pk)
    result = Comparison()
    matched: set[str] = set()
    for activity in snapshot.activities:
        parsed = parse_famact_legacy_id(activity.id)
        candidates = [
            (aliased.get(activity.id), "alias"),
            (keys.entity_pk(*parsed) if parsed else None, "famact id"),
            (by_title.get(_title_key(activity.title, activity.schedule.startDate)), "title and date"),
        ]
        # An alias always counts (two old ids may name one venue); the weaker matches take
        # an entity only once.
        hit = next(
            ((pk, how) for pk, how in candidates if pk in entities and (how == "alias" or pk not in matched)),
            None,
        )
        if hit is None:
            result.only_legacy.append(_activity_row(activity))
            continue
        matched.add(hit[0])
        result.both.append({"id": activity.id, "entity": hit[0], "matched_by": hit[1]})
    result.only_famact = [_entity_row(pk, e) for pk, e in entities.items() if pk not in matched]
    return result
