"""`famact sources seed`: submit every source of a catalog (famact.catalog) the way
`famact sources submit` does, through `workflow.submit_source`, so the URL rules and the
base-URL uniqueness of a submission apply to each. Idempotent: a source whose base URL (or
id) is already submitted is skipped, so seeding twice submits nothing the second time. A
source the URL rules refuse is reported and the others go on."""

from __future__ import annotations

from dataclasses import dataclass, field

from famact.app import workflow
from famact.catalog import SourceCatalog
from famact.store.dynamo import Tables
from famact.store.errors import ConflictError
from famact.urls import UnsafeURLError

SEEDED_BY = "starter-catalog"


@dataclass
class SeedResult:
    submitted: list[str] = field(default_factory=list)  # source ids
    skipped: dict[str, str] = field(default_factory=dict)  # source id -> why
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        counts = (len(self.submitted), len(self.skipped), len(self.refused))
        return "{} submitted, {} already there, {} refused".format(*counts)

    def rows(self) -> list[dict[str, str]]:
        return [
            *({"source_id": s, "result": "submitted", "detail": ""} for s in self.submitted),
            *({"source_id": s, "result": "skipped", "detail": d} for s, d in self.skipped.items()),
            *({"source_id": s, "result": "refused", "detail": d} for s, d in self.refused.items()),
        ]


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
        except UnsafeURLError as exc:
            result.refused[source.id] = str(exc)
        else:
            result.submitted.append(source.id)
    return result
