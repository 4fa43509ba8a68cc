"""MergeStore: merge records, and merging two stored entities into one, reversibly.

A record `MERGES` / `MERGE#{merge_id}` (keys.merge_record_keys) holds a scored pair:
`unsure` (for the admin), `merged`, `rejected` (never proposed again) or `undone`.
Merging keeps the keeper's rows as they are but for one list on its METADATA row,
`also_listed_by` (each merged source's id, URL and entity), and hides the merged-away entity
from every index by stashing its GSI keys (store/stash.py). Undo puts both back exactly.
Each step is idempotent, so a merge or an undo cut short is finished by running it again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from famact import keys
from famact.store.dynamo import Tables, from_item, to_item
from famact.store.errors import ConflictError, NotFound
from famact.store.stash import (
    ALSO_LISTED_ATTR,
    GSI_KEY_ATTRS,
    MERGE_ID_ATTR,
    MERGED_INTO_ATTR,
    STASH_ATTR,
    gsi_keys_of,
)

UNSURE, MERGED, REJECTED, UNDONE = "unsure", "merged", "rejected", "undone"
STATUSES = (UNSURE, MERGED, REJECTED, UNDONE)


@dataclass
class MergeRecord:
    merge_id: str
    keeper_pk: str
    merged_pk: str
    status: str
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    keeper_name: str = ""
    merged_name: str = ""
    keeper_source: str = ""
    merged_source: str = ""
    keeper_url: str | None = None
    merged_url: str | None = None
    created_at: str = ""
    decided_by: str | None = None
    decided_at: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MergeRecord:
        known = set(cls.__dataclass_fields__)
        data = {k: v for k, v in from_item(row).items() if k in known}
        data["score"] = float(data.get("score", 0))
        data["parts"] = {k: float(v) for k, v in (data.get("parts") or {}).items()}
        return cls(**data)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class MergeStore:
    def __init__(self, tables: Tables) -> None:
        self.table = tables.activities

    # -- records -------------------------------------------------------------------------------

    def get(self, merge_id: str) -> MergeRecord | None:
        item = self.table.get_item(Key=keys.merge_record_keys(merge_id), ConsistentRead=True).get("Item")
        return MergeRecord.from_row(item) if item else None

    def require(self, merge_id: str) -> MergeRecord:
        record = self.get(merge_id)
        if record is None:
            raise NotFound("merge", merge_id)
        return record

    def records(self, status: str | None = None) -> list[MergeRecord]:
        """Every record (or those of one status), newest first."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"status: must be one of {', '.join(STATUSES)} (got {status!r})")
        records: list[MergeRecord] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(keys.MERGES_PK) & Key("SK").begins_with(keys.MERGE_PREFIX)
        }
        while True:
            response = self.table.query(**kwargs)
            records.extend(MergeRecord.from_row(i) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        chosen = [r for r in records if status is None or r.status == status]
        return sorted(chosen, key=lambda r: (r.created_at, r.merge_id), reverse=True)

    def propose(self, record: MergeRecord) -> bool:
        """Store a new pair's record; False (nothing written) when the pair is known already."""
        item = to_item({**keys.merge_record_keys(record.merge_id), **asdict(record)})
        try:
            self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(PK)")
        except self.table.meta.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def _set_status(self, record: MergeRecord, status: str, decided_by: str | None) -> MergeRecord:
        decided_at = _now()
        self.table.update_item(
            Key=keys.merge_record_keys(record.merge_id),
            UpdateExpression="SET #s = :s, decided_by = :by, decided_at = :at",
            ConditionExpression="#s = :was",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":s": status,
                ":by": decided_by,
                ":at": decided_at,
                ":was": record.status,
            },
        )
        record.status, record.decided_by, record.decided_at = status, decided_by, decided_at
        return record

    # -- merge and undo ------------------------------------------------------------------------

    def _partition(self, pk: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("PK").eq(pk), "ConsistentRead": True}
        while True:
            response = self.table.query(**kwargs)
            rows.extend(response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return rows
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _metadata(self, pk: str) -> dict[str, Any]:
        item = self.table.get_item(Key={"PK": pk, "SK": keys.METADATA_SK}, ConsistentRead=True).get("Item")
        if item is None:
            raise NotFound("entity", pk)
        return item

    def apply(self, merge_id: str, *, decided_by: str = "merge-job") -> MergeRecord:
        """Merge a recorded pair (unsure or merged-but-unfinished): hide the merged-away
        entity, add its link to the keeper, mark the record merged."""
        record = self.require(merge_id)
        if record.status not in (UNSURE, MERGED):
            raise ConflictError(f"merge {merge_id} is {record.status}", expected=UNSURE, actual=record.status)
        keeper, merged = self._metadata(record.keeper_pk), self._metadata(record.merged_pk)
        for pk, row in ((record.keeper_pk, keeper), (record.merged_pk, merged)):
            into = row.get(MERGED_INTO_ATTR)
            if into and not (pk == record.merged_pk and row.get(MERGE_ID_ATTR) == merge_id):
                raise ConflictError(f"entity {pk} is already merged into {into}")
        if merged.get(ALSO_LISTED_ATTR):
            raise ConflictError(
                f"entity {record.merged_pk} keeps other sources' links; merge into it instead"
            )
        self._hide(record.merged_pk, record.keeper_pk, merge_id)
        links = list(keeper.get(ALSO_LISTED_ATTR) or [])
        if not any(link.get("merge_id") == merge_id for link in links):
            link = {
                "merge_id": merge_id,
                "entity_pk": record.merged_pk,
                "source_id": merged.get("source_id"),
                "url": merged.get("url"),
                "name": merged.get("name"),
            }
            self.table.update_item(
                Key={"PK": record.keeper_pk, "SK": keys.METADATA_SK},
                UpdateExpression="SET #a = list_append(if_not_exists(#a, :empty), :link)",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#a": ALSO_LISTED_ATTR},
                ExpressionAttributeValues={
                    ":empty": [],
                    ":link": [to_item({k: v for k, v in link.items() if v})],
                },
            )
        if record.status != MERGED:
            self._set_status(record, MERGED, decided_by)
        return record

    def _hide(self, pk: str, keeper_pk: str, merge_id: str) -> None:
        for row in self._partition(pk):
            is_meta = row["SK"] == keys.METADATA_SK
            if STASH_ATTR in row:
                continue  # hidden already (a merge cut short and run again)
            stash = gsi_keys_of(row)
            if not stash and not is_meta:
                continue
            names = {"#stash": STASH_ATTR, **{f"#k{i}": attr for i, attr in enumerate(stash)}}
            values: dict[str, Any] = {":stash": stash}
            sets = ["#stash = :stash"]
            if is_meta:
                names.update({"#into": MERGED_INTO_ATTR, "#mid": MERGE_ID_ATTR})
                values.update({":into": keeper_pk, ":mid": merge_id})
                sets += ["#into = :into", "#mid = :mid"]
            removes = [f"#k{i}" for i in range(len(stash))]
            self.table.update_item(
                Key={"PK": pk, "SK": row["SK"]},
                UpdateExpression="SET "
                + ", ".join(sets)
                + (" REMOVE " + ", ".join(removes) if removes else ""),
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(#stash)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )

    def undo(self, merge_id: str, *, decided_by: str = "admin") -> MergeRecord:
        """Reverse a merge exactly: the keeper loses the link, the merged-away entity's rows get
        their index keys back, the record says `undone` (and the pair is not proposed again)."""
        record = self.require(merge_id)
        if record.status != MERGED:
            raise ConflictError(
                f"merge {merge_id} is {record.status}, not merged", expected=MERGED, actual=record.status
            )
        keeper = self.table.get_item(
            Key={"PK": record.keeper_pk, "SK": keys.METADATA_SK}, ConsistentRead=True
        ).get("Item")
        if keeper is not None:
            links = list(keeper.get(ALSO_LISTED_ATTR) or [])
            kept = [link for link in links if link.get("merge_id") != merge_id]
            if len(kept) != len(links):
                update = "SET #a = :kept" if kept else "REMOVE #a"
                self.table.update_item(
                    Key={"PK": record.keeper_pk, "SK": keys.METADATA_SK},
                    UpdateExpression=update,
                    ExpressionAttributeNames={"#a": ALSO_LISTED_ATTR},
                    **({"ExpressionAttributeValues": {":kept": kept}} if kept else {}),
                )
        for row in self._partition(record.merged_pk):
            if STASH_ATTR not in row:
                continue
            if row["SK"] == keys.METADATA_SK and row.get(MERGE_ID_ATTR) not in (None, merge_id):
                raise ConflictError(f"entity {record.merged_pk} was merged by {row.get(MERGE_ID_ATTR)}")
            stash = {k: v for k, v in row[STASH_ATTR].items() if k in GSI_KEY_ATTRS}
            names = {"#stash": STASH_ATTR, "#into": MERGED_INTO_ATTR, "#mid": MERGE_ID_ATTR}
            names.update({f"#k{i}": attr for i, attr in enumerate(stash)})
            values = {f":v{i}": value for i, value in enumerate(stash.values())}
            sets = [f"#k{i} = :v{i}" for i in range(len(stash))]
            update = ("SET " + ", ".join(sets) + " " if sets else "") + "REMOVE #stash, #into, #mid"
            self.table.update_item(
                Key={"PK": record.merged_pk, "SK": row["SK"]},
                UpdateExpression=update,
                ExpressionAttributeNames=names,
                **({"ExpressionAttributeValues": values} if values else {}),
            )
        return self._set_status(record, UNDONE, decided_by)

    def reject(self, merge_id: str, *, decided_by: str = "admin") -> MergeRecord:
        record = self.require(merge_id)
        if record.status != UNSURE:
            raise ConflictError(
                f"merge {merge_id} is {record.status}, not unsure", expected=UNSURE, actual=record.status
            )
        return self._set_status(record, REJECTED, decided_by)
