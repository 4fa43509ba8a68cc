"""HealthStore: the `HEALTH` row of each source in source-management (its crawl-health verdict,
the baseline it is judged by, and a repair candidate config waiting for the admin).

One row per source, read and written by key: the orchestrator writes it after each crawl it
follows (it holds the source's lease then, so there is one writer at a time); approving or
dismissing a candidate is conditional on the candidate being the one the admin saw.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from famact import keys
from famact.models import SourceHealth
from famact.store.dynamo import Tables, conditional_check_failed, from_item, to_item
from famact.store.errors import ConflictError

_ROW_KEYS = frozenset({"PK", "SK"})


class HealthStore:
    def __init__(self, tables: Tables) -> None:
        self.table = tables.sources

    @staticmethod
    def _key(source_id: str) -> dict[str, str]:
        return {"PK": keys.source_pk(source_id), "SK": keys.HEALTH_SK}

    def get(self, source_id: str) -> SourceHealth | None:
        item = self.table.get_item(Key=self._key(source_id), ConsistentRead=True).get("Item")
        if item is None:
            return None
        return SourceHealth.model_validate({k: v for k, v in from_item(item).items() if k not in _ROW_KEYS})

    def put(self, health: SourceHealth) -> None:
        self.table.put_item(Item={**to_item(health), **self._key(health.source_id)})

    def clear_candidate(self, source_id: str, found_at: datetime) -> None:
        """Remove the candidate found at `found_at` (approved or dismissed); ConflictError when
        the row now holds another candidate (a newer repair replaced it) or none."""
        values: dict[str, Any] = {":f": to_item(found_at)}
        try:
            self.table.update_item(
                Key=self._key(source_id),
                UpdateExpression="REMOVE candidate",
                ConditionExpression="candidate.found_at = :f",
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                raise ConflictError(
                    f"candidate: {source_id} has no candidate config found at {found_at.isoformat()}"
                ) from None
            raise
