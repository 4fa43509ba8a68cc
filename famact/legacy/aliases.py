"""Old snapshot ids kept as aliases of famact entities, in the family-activities table.

Two small rows per alias, outside every entity partition and every index:
- `LEGACY#{old id}` / `ALIAS` -> `entity_pk`: a re-import finds the entity it made before;
- `LEGACY_OF#{TYPE}#{id}` / `ALIAS` -> `legacy_id` and `original` (the Activity as the old
  snapshot had it, JSON): an export gives the old frontend back its id and the fields famact
  has no place for.
Both are read with BatchGetItem by key and written only when new or changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from famact import keys
from famact.legacy.snapshot import LegacyActivity
from famact.store.dynamo import Tables, batch_get, batch_write, to_item
from famact.tables import ACTIVITIES


@dataclass(frozen=True)
class Alias:
    legacy_id: str
    entity_pk: str
    original: LegacyActivity | None = None


class LegacyAliases:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.table_name = tables.name(ACTIVITIES)

    def _get(self, pks: Iterable[str]) -> list[dict[str, Any]]:
        wanted = list(dict.fromkeys(pks))
        if not wanted:
            return []
        return batch_get(
            self.table_name,
            self.tables.client,
            ({"PK": pk, "SK": keys.LEGACY_ALIAS_SK} for pk in wanted),
            consistent=True,
            retries=self.tables.retries,
        )

    def by_legacy_id(self, legacy_ids: Iterable[str]) -> dict[str, str]:
        """Old id -> entity PK, for the ids that have an alias."""
        rows = self._get(keys.legacy_alias_pk(i) for i in legacy_ids)
        return {str(r["legacy_id"]): str(r["entity_pk"]) for r in rows}

    def by_entity(self, entity_pks: Iterable[str]) -> dict[str, Alias]:
        """Entity PK -> its alias with the original Activity, for imported entities."""
        rows = self._get(keys.legacy_of_pk(pk) for pk in entity_pks)
        return {
            str(r["entity_pk"]): Alias(
                legacy_id=str(r["legacy_id"]),
                entity_pk=str(r["entity_pk"]),
                original=LegacyActivity.model_validate_json(str(r["original"]))
                if r.get("original")
                else None,
            )
            for r in rows
        }

    @staticmethod
    def _one_per_entity(aliases: Iterable[Alias], reverse: dict[str, dict[str, Any]]) -> dict[str, Alias]:
        """Several old ids may name one entity (one venue listed twice): the entity's reverse
        row keeps the id it already has when that id is still given, else the first one."""
        chosen: dict[str, Alias] = {}
        for alias in aliases:
            kept = reverse.get(alias.entity_pk, {}).get("legacy_id")
            if alias.entity_pk not in chosen or alias.legacy_id == kept:
                chosen[alias.entity_pk] = alias
        return chosen

    def put(self, aliases: Iterable[Alias], *, now: datetime) -> int:
        """Write the alias rows that are missing or changed; return how many rows were written."""
        given = {a.legacy_id: a for a in aliases}
        if not given:
            return 0
        forward = self.by_legacy_id(given)
        reverse = {
            str(r["entity_pk"]): r for r in self._get(keys.legacy_of_pk(a.entity_pk) for a in given.values())
        }
        puts: list[dict[str, Any]] = []
        for alias in given.values():
            if forward.get(alias.legacy_id) != alias.entity_pk:
                puts.append(
                    {
                        "PK": keys.legacy_alias_pk(alias.legacy_id),
                        "SK": keys.LEGACY_ALIAS_SK,
                        "legacy_id": alias.legacy_id,
                        "entity_pk": alias.entity_pk,
                        "aliased_at": to_item(now),
                    }
                )
        for pk, alias in self._one_per_entity(given.values(), reverse).items():
            original = alias.original.model_dump_json(exclude_none=True) if alias.original else None
            stored = reverse.get(pk)
            if stored is None or (stored.get("legacy_id"), stored.get("original")) != (
                alias.legacy_id,
                original,
            ):
                row = {
                    "PK": keys.legacy_of_pk(pk),
                    "SK": keys.LEGACY_ALIAS_SK,
                    "legacy_id": alias.legacy_id,
                    "entity_pk": pk,
                    "aliased_at": to_item(now),
                }
                if original is not None:
                    row["original"] = original
                puts.append(row)
        if puts:
            batch_write(self.table_name, self.tables.client, puts, [], retries=self.tables.retries)
        return len(puts)
