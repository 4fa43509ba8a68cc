"""`famact sources seed`: submit every source of a catalog (famact.catalog) the way
`famact sources submit` does, through `workflow.submit_source`, so the URL rules and the
base-URL uniqueness of a submission apply to each. Idempotent: a source whose base URL (or
id) is already submitted is skipped, so seeding twice submits nothing the second time. A
source the URL rules refuse is reported and the others go on.

`catalog_status` is the catalog at a glance: each entry's source, its status and its
analysis score, for the seed command's table and for an admin view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from famact.app import workflow
from famact.catalog import SourceCatalog
from famact.store.dynamo import Tables
from famact.store.errors import ConflictError
from famact.store.sources import SourceStore
from famact.urls import UnsafeURLError

SEEDED_BY = "starter-catalog"


@dataclass
class SeedResult:
    submitted: list[str] = field(default_factory=list)  # catalog source ids
    skipped: dict[str, str] = field(default_factory=dict)  # catalog source id -> why
    refused: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # catalog id -> the source that holds its URL

    @property
    def summary(self) -> str:
        counts = (len(self.submitted), len(self.skipped), len(self.refused))
        return "{} submitted, {} already there, {} refused".format(*counts)

    def outcome(self, source_id: str) -> tuple[str, str]:
        if source_id in self.refused:
            return "refused", self.refused[source_id]
        if source_id in self.skipped:
            return "skipped", self.skipped[source_id]
        return "submitted", ""


def seed_sources(tables: Tables, catalog: SourceCatalog) -> SeedResult:
    result = SeedResult()
    for source in catalog.sources:
        try:
            workflow.submit_source(
                tables,
                name=source.name,
                url=source.base_url,
                source_type=source.source_type,
                priority=source.priority,
                hint_urls=source.hint_urls,
                notes=source.submission_notes,
                source_id=source.id,
                submitted_by=SEEDED_BY,
            )
        except ConflictError as exc:
            result.skipped[source.id] = str(exc)
            result.owners[source.id] = exc.actual if isinstance(exc.actual, str) else source.id
        except UnsafeURLError as exc:
            result.refused[source.id] = str(exc)
        else:
            result.submitted.append(source.id)
            result.owners[source.id] = source.id
    return result


def catalog_status(
    tables: Tables, catalog: SourceCatalog, seeded: SeedResult | None = None
) -> list[dict[str, Any]]:
    """One row per catalog entry: the source holding it, its status and analysis score."""
    store = SourceStore(tables)
    rows: list[dict[str, Any]] = []
    for source in catalog.sources:
        owner = (seeded.owners.get(source.id) if seeded else None) or source.id
        submission = store.get(owner)
        analysis = store.get_analysis(owner) if submission is not None else None
        row: dict[str, Any] = {
            "source_id": owner,
            "name": source.name,
            "priority": source.priority.value,
            "platform": source.platform,
            "status": submission.status.value if submission else "not submitted",
            "quality": f"{analysis.quality_score:.2f}" if analysis else "",
        }
        if seeded is not None:
            row["result"], row["detail"] = seeded.outcome(source.id)
        rows.append(row)
    return rows
