"""ActivityStore: the family-activities table (entities, their occurrences and index rows).

Writes are cheap on re-crawls: `put_entities` reads the stored content hash of every entity
first (BatchGetItem) and writes nothing for an unchanged one. A changed entity's partition is
read with a Query and rows it no longer produces (a dropped occurrence, a removed age group)
are deleted, so the indexes never list a date that is gone.

Reads are GSI queries with opaque cursors (`Page`); `export` and the one-off `upgrade_rows`
are the only Scans in famact.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from famact import keys
from famact.constants import UNKNOWN, AgeGroup, Category, EntityStatus, EntityType
from famact.models import EntityBase
from famact.store.dynamo import (
    Tables,
    batch_get,
    batch_write,
    conditional_check_failed,
    from_item,
    to_item,
)
from famact.store.errors import ValidationError
from famact.store.paging import Page, check_limit, fingerprint, paged_query
from famact.store.rows import (
    ROW_FORMAT,
    content_hash,
    entity_dict,
    entity_from_row,
    entity_rows,
    instance_dict,
)
from famact.store.stash import (
    ALSO_LISTED_ATTR,
    MERGE_ID_ATTR,
    MERGED_INTO_ATTR,
    STASH_ATTR,
    keep_merge_state,
)
from famact.tables import (
    ACTIVITIES,
    CATEGORY_AGE_INDEX,
    LOCATION_DATE_INDEX,
    PROVIDER_INDEX,
    VENUE_ACTIVITY_INDEX,
    index_by_name,
)

# What merging wrote on a METADATA row, read before a rewrite so the rewrite keeps it.
MERGE_STATE_ATTRS = (MERGED_INTO_ATTR, MERGE_ID_ATTR, ALSO_LISTED_ATTR)
INDEX_NAMES = (LOCATION_DATE_INDEX, CATEGORY_AGE_INDEX, VENUE_ACTIVITY_INDEX, PROVIDER_INDEX)
# A one-type location-date query reads each day as its own key range up to this many days
# (the default search window, today..today+30, is 31 days); a longer window uses a filter.
TYPED_DAYS_MAX = 31
# How old a list of the geo registry a search over every place may use (`geo_partitions`).
GEO_MAX_AGE_S = 60.0


@dataclass
class PutResult:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class StoredEntity:
    entity: dict[str, Any]  # the METADATA row without keys
    instances: list[dict[str, Any]]  # INSTANCE rows without keys, by date

    def to_model(self) -> EntityBase:
        return entity_from_row(self.entity)


def _index_key_attrs(index_name: str) -> frozenset[str]:
    index = index_by_name(ACTIVITIES, index_name)
    return frozenset({"PK", "SK", index.pk, index.sk})


def _date_window(date_from: date, date_to: date) -> tuple[str, str]:
    """BETWEEN bounds for `DATE#{day}#...` sort keys, both days included: the upper bound is
    the bare `DATE#{to + 1 day}`, which sorts below every key of that day."""
    if date_to < date_from:
        raise ValidationError("date_to", date_to.isoformat(), f"is before date_from {date_from.isoformat()}")
    return keys.date_sk_bound(date_from), keys.date_sk_bound(date_to + timedelta(days=1))


def _window_phases(
    partition: Any, sk_attr: str, date_from: date, date_to: date, include_ongoing: bool
) -> list[dict[str, Any]]:
    """The dated part of a date-keyed index partition, then (optionally) its ONGOING part:
    `DATE#ONGOING#...` sorts after every date, so it is a second key range."""
    low, high = _date_window(date_from, date_to)
    phases: list[dict[str, Any]] = [{"KeyConditionExpression": partition & Key(sk_attr).between(low, high)}]
    if include_ongoing:
        ongoing = keys.date_sk_bound(None) + keys.SEP
        phases.append({"KeyConditionExpression": partition & Key(sk_attr).begins_with(ongoing)})
    return phases


def _typed_window_phases(
    partition: Any,
    sk_attr: str,
    date_from: date,
    date_to: date,
    *,
    entity_type: EntityType,
    include_ongoing: bool,
) -> list[dict[str, Any]]:
    """One type's rows of a location-date partition, read by key alone: the index sorts a
    day's rows by type, so each day of the window is one `begins_with` range, in date order,
    then the ongoing range. Nothing of another type is read, where a filter on the whole
    window reads every row and drops the others (a city's programs are a third of its rows).
    A window of more than TYPED_DAYS_MAX days is read as one range with the filter instead:
    each day costs a request even when empty."""
    phases: list[dict[str, Any]] = []
    if (date_to - date_from).days < TYPED_DAYS_MAX:
        day = date_from
        while day <= date_to:
            prefix = keys.location_date_type_prefix(day, entity_type)
            phases.append({"KeyConditionExpression": partition & Key(sk_attr).begins_with(prefix)})
            day += timedelta(days=1)
    else:
        phases = _window_phases(partition, sk_attr, date_from, date_to, include_ongoing=False)
        phases[0]["FilterExpression"] = Attr("entity_type").eq(entity_type.value)
    if include_ongoing:
        prefix = keys.location_date_type_prefix(None, entity_type)
        phases.append({"KeyConditionExpression": partition & Key(sk_attr).begins_with(prefix)})
    return phases


class ActivityStore:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.table = tables.activities
        self.table_name = tables.name(ACTIVITIES)
        self._known_geo: set[tuple[str, str]] = set()
        self._geo_read: tuple[float, list[tuple[str, str]]] | None = None  # (monotonic time, places)

    # -- writes --------------------------------------------------------------------------------

    def put_entities(self, entities: Iterable[EntityBase], *, now: datetime | None = None) -> PutResult:
        """Store entities; unchanged ones (same content hash, status and row format) cost no
        write. Builds every row before the first write, so a bad entity writes nothing."""
        now = now or datetime.now(UTC)
        by_pk: dict[str, EntityBase] = {}
        for given in entities:
            hashed = given
            if given.content_hash is None:
                hashed = given.model_copy(update={"content_hash": content_hash(given)})
            by_pk[keys.entity_pk(given.entity_type, given.entity_id)] = hashed
        result = PutResult()
        if not by_pk:
            return result
        stored = {
            row["PK"]: row
            for row in batch_get(
                self.table_name,
                self.tables.client,
                ({"PK": pk, "SK": keys.METADATA_SK} for pk in by_pk),
                projection=("content_hash", "status", "row_format", "first_seen", *MERGE_STATE_ATTRS),
                consistent=True,
                retries=self.tables.retries,
            )
        }
        puts: list[dict[str, Any]] = []
        changed: list[tuple[str, list[dict[str, Any]]]] = []
        geo: set[tuple[str, str]] = set()
        for pk, entity in by_pk.items():
            old = stored.get(pk)
            if (
                old is not None
                and old.get("content_hash") == entity.content_hash
                and old.get("status") == EntityStatus(entity.status).value
                and from_item(old.get("row_format")) == ROW_FORMAT
            ):
                result.unchanged.append(pk)
                continue
            stored_first = old.get("first_seen") if old else None
            first_seen = datetime.fromisoformat(stored_first) if isinstance(stored_first, str) else None
            seen = entity.model_copy(
                update={"first_seen": first_seen or entity.first_seen or now, "last_seen": now}
            )
            rows = keep_merge_state(entity_rows(seen), old)
            puts.extend(rows)
            geo.add((seen.region or UNKNOWN, seen.city or UNKNOWN))
            (result.updated if old else result.new).append(pk)
            if old:
                changed.append((pk, rows))
        deletes: list[dict[str, Any]] = []
        for pk, rows in changed:
            produced = {row["SK"] for row in rows}
            deletes.extend({"PK": pk, "SK": sk} for sk in self._partition_sort_keys(pk) if sk not in produced)
        for region, city in sorted(geo - self._known_geo):
            puts.append({**keys.geo_registry_keys(region, city), "region": region, "city": city})
        if puts or deletes:
            batch_write(self.table_name, self.tables.client, puts, deletes, retries=self.tables.retries)
        self._known_geo |= geo
        return result

    def _partition_sort_keys(self, pk: str) -> list[str]:
        sort_keys: list[str] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(pk),
            "ProjectionExpression": "SK",
            "ConsistentRead": True,
        }
        while True:
            response = self.table.query(**kwargs)
            sort_keys.extend(str(i["SK"]) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return sort_keys
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def mark_inactive(self, pks: Iterable[str]) -> int:
        """Set status `inactive` on stored entities that are not already inactive; returns
        how many changed. Rows stay (history, and search filters status)."""
        count = 0
        for pk in dict.fromkeys(pks):
            etype, entity_id = keys.parse_entity_pk(pk)
            names = {"#s": "status", "#es": "entity_status"}
            values: dict[str, Any] = {":inactive": EntityStatus.INACTIVE.value}
            update = "SET #s = :inactive, #es = :inactive"
            try:
                current = self.table.get_item(
                    Key={"PK": pk, "SK": keys.METADATA_SK},
                    ProjectionExpression=f"provider_id, {MERGED_INTO_ATTR}",
                ).get("Item")
                if current and current.get("provider_id"):
                    # provider-index keys embed the status, so they move with it (inside the
                    # stash of a merged-away entity, so an undo restores the current status).
                    sk_attr = keys.GSI_ATTRS[4][1]
                    provider = keys.provider_keys(
                        str(current["provider_id"]), etype, EntityStatus.INACTIVE.value, entity_id
                    )
                    if current.get(MERGED_INTO_ATTR):
                        update += ", #stash.#gsk = :gsk"
                        names["#stash"] = STASH_ATTR
                    else:
                        update += ", #gsk = :gsk"
                    names["#gsk"] = sk_attr
                    values[":gsk"] = provider[sk_attr]
                self.table.update_item(
                    Key={"PK": pk, "SK": keys.METADATA_SK},
                    UpdateExpression=update,
                    ConditionExpression="attribute_exists(PK) AND #s <> :inactive",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                )
                count += 1
            except ClientError as exc:
                if not conditional_check_failed(exc):
                    raise
                continue
            self._set_index_rows_status(pk, EntityStatus.INACTIVE)
        return count

    def _set_index_rows_status(self, pk: str, status: EntityStatus) -> None:
        """The entity's status on its INSTANCE and AGE rows: search filters on their cards."""
        for sk in self._partition_sort_keys(pk):
            if sk == keys.METADATA_SK:
                continue
            try:
                self.table.update_item(
                    Key={"PK": pk, "SK": sk},
                    UpdateExpression="SET #es = :s",
                    ConditionExpression="attribute_exists(PK)",
                    ExpressionAttributeNames={"#es": "entity_status"},
                    ExpressionAttributeValues={":s": status.value},
                )
            except ClientError as exc:
                if not conditional_check_failed(exc):
                    raise

    # -- reads by key --------------------------------------------------------------------------

    def get_entity(self, entity_type: EntityType | str, entity_id: str) -> StoredEntity | None:
        pk = keys.entity_pk(entity_type, entity_id)
        item = self.table.get_item(Key={"PK": pk, "SK": keys.METADATA_SK}).get("Item")
        if item is None:
            return None
        instances: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(pk) & Key("SK").begins_with(keys.INSTANCE_PREFIX)
        }
        while True:
            response = self.table.query(**kwargs)
            instances.extend(instance_dict(from_item(i)) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return StoredEntity(entity=entity_dict(from_item(item)), instances=instances)

    def get_entities(self, pks: Iterable[str]) -> dict[str, dict[str, Any]]:
        """METADATA rows (without keys) by entity PK; missing entities are absent."""
        rows = batch_get(
            self.table_name,
            self.tables.client,
            ({"PK": pk, "SK": keys.METADATA_SK} for pk in pks),
            retries=self.tables.retries,
        )
        return {str(row["PK"]): entity_dict(from_item(row)) for row in rows}

    def put_missing(self, entities: Iterable[EntityBase], *, now: datetime | None = None) -> int:
        """Store only the entities that do not exist yet; return how many were created.

        For venues created from a listing's venue name: an existing VENUE (perhaps richer,
        from the venue's own site) is never overwritten by such a stub."""
        by_pk = {keys.entity_pk(e.entity_type, e.entity_id): e for e in entities}
        if not by_pk:
            return 0
        existing = self.get_entities(by_pk)
        missing = [e for pk, e in by_pk.items() if pk not in existing]
        if not missing:
            return 0
        return len(self.put_entities(missing, now=now).new)

    # -- GSI queries ---------------------------------------------------------------------------

    def _query(
        self,
        index_name: str,
        phases: Sequence[dict[str, Any]],
        *,
        limit: int,
        cursor: str | None,
        query_id: str,
    ) -> Page:
        return paged_query(
            self.table,
            [{"IndexName": index_name, **phase} for phase in phases],
            limit=limit,
            cursor=cursor,
            query_fingerprint=query_id,
            key_attrs=_index_key_attrs(index_name),
        )

    def query_location_date(
        self,
        region: str,
        city: str,
        date_from: date,
        date_to: date,
        *,
        entity_type: EntityType | str | None = None,
        include_ongoing: bool = True,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """Rows of one place, dated `date_from`..`date_to` (then ongoing ones): INSTANCE rows
        and METADATA rows of one-time / undated entities. With `entity_type`, only that
        type's key ranges are read (`_typed_window_phases`)."""
        check_limit(limit)
        pk_attr, sk_attr = keys.GSI_ATTRS[1]
        partition = Key(pk_attr).eq(keys.geo_pk(region, city))
        parts: list[Any] = [LOCATION_DATE_INDEX, region, city, date_from, date_to]
        parts += [entity_type, include_ongoing]
        if entity_type:
            _date_window(date_from, date_to)  # the same error for a reversed window
            phases = _typed_window_phases(
                partition,
                sk_attr,
                date_from,
                date_to,
                entity_type=EntityType(entity_type),
                include_ongoing=include_ongoing,
            )
            parts.append("typed-by-day")  # not the phases of the filtered layout: cursors differ
        else:
            phases = _window_phases(partition, sk_attr, date_from, date_to, include_ongoing)
        query_id = fingerprint(*parts)
        return self._query(LOCATION_DATE_INDEX, phases, limit=limit, cursor=cursor, query_id=query_id)

    def query_category_age(
        self,
        category: Category | str | None,
        age_group: AgeGroup | str,
        date_from: date,
        date_to: date,
        *,
        include_ongoing: bool = True,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """AGE rows of one (category, age group) partition in a date window (then ongoing).
        `category=None` is the partition of entities without a category."""
        check_limit(limit)
        category_value = Category(category).value if category and category != UNKNOWN else None
        pk_attr, sk_attr = keys.GSI_ATTRS[2]
        partition = Key(pk_attr).eq(keys.category_age_pk(category_value, AgeGroup(age_group)))
        phases = _window_phases(partition, sk_attr, date_from, date_to, include_ongoing)
        query_id = fingerprint(
            CATEGORY_AGE_INDEX, category_value, age_group, date_from, date_to, include_ongoing
        )
        return self._query(CATEGORY_AGE_INDEX, phases, limit=limit, cursor=cursor, query_id=query_id)

    def query_venue(
        self,
        venue_id: str,
        *,
        entity_type: EntityType | str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """METADATA rows of entities at one venue, by type then start date."""
        check_limit(limit)
        pk_attr, sk_attr = keys.GSI_ATTRS[3]
        condition = Key(pk_attr).eq(keys.venue_pk(venue_id)) & Key(sk_attr).begins_with(
            keys.type_prefix(entity_type)
        )
        query_id = fingerprint(VENUE_ACTIVITY_INDEX, venue_id, entity_type)
        return self._query(
            VENUE_ACTIVITY_INDEX,
            [{"KeyConditionExpression": condition}],
            limit=limit,
            cursor=cursor,
            query_id=query_id,
        )

    def query_provider(
        self,
        provider_id: str,
        *,
        entity_type: EntityType | str | None = None,
        status: EntityStatus | str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """METADATA rows of one provider's entities, optionally of one type and status."""
        check_limit(limit)
        pk_attr, sk_attr = keys.GSI_ATTRS[4]
        phase: dict[str, Any] = {}
        if entity_type and status:
            # The sort-key prefix up to the status: the key of an empty entity id.
            prefix = keys.provider_keys(provider_id, entity_type, EntityStatus(status).value, "")[sk_attr]
        else:
            prefix = keys.type_prefix(entity_type)
            if status:
                phase["FilterExpression"] = Attr("status").eq(EntityStatus(status).value)
        phase["KeyConditionExpression"] = Key(pk_attr).eq(keys.provider_pk(provider_id)) & Key(
            sk_attr
        ).begins_with(prefix)
        query_id = fingerprint(PROVIDER_INDEX, provider_id, entity_type, status)
        return self._query(PROVIDER_INDEX, [phase], limit=limit, cursor=cursor, query_id=query_id)

    # -- geo registry and export ---------------------------------------------------------------

    def geo_partitions(self, *, max_age_s: float = 0.0) -> list[tuple[str, str]]:
        """Every (region, city) that has had an entity, from the registry partition.

        `max_age_s`: the list this store read at most that many seconds ago will do, plus the
        places it has written since. A search over every place needs the list on each request
        and the registry changes only when a place gets its first entity, so search takes a
        minute-old list (GEO_MAX_AGE_S) instead of reading every place's row each time; a
        place first written by another process joins those searches within that minute."""
        if self._geo_read is not None and time.monotonic() - self._geo_read[0] <= max_age_s:
            places = self._geo_read[1]
            return [*places, *sorted(self._known_geo - set(places))]  # written since the read
        read_at = time.monotonic()
        places = self._read_geo_registry()
        self._geo_read = (read_at, places)
        return list(places)

    def _read_geo_registry(self) -> list[tuple[str, str]]:
        places: list[tuple[str, str]] = []
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("PK").eq(keys.GEO_REGISTRY_PK)}
        while True:
            response = self.table.query(**kwargs)
            places.extend((str(i["region"]), str(i["city"])) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return places
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def upgrade_rows(self, *, now: datetime | None = None) -> tuple[int, int]:
        """Rewrite every entity stored in an older row format (rows without search cards)
        in the current one; returns (rewritten, unreadable). A re-crawl does the same for
        the entities it sees; this reaches the rest. A Scan, as `export`: it reads every
        entity by definition, and runs once after an upgrade, never in a search."""
        rewritten = unreadable = 0
        kwargs: dict[str, Any] = {
            "FilterExpression": Attr("SK").eq(keys.METADATA_SK)
            & (Attr("row_format").not_exists() | Attr("row_format").ne(ROW_FORMAT))
        }
        while True:
            response = self.table.scan(**kwargs)
            outdated: list[EntityBase] = []
            for item in response.get("Items", []):
                try:
                    outdated.append(entity_from_row(entity_dict(from_item(item))))
                except ValueError:  # pydantic's ValidationError is a ValueError
                    unreadable += 1  # left as stored: search still rebuilds what it can read
            # put_entities keeps first_seen and rewrites: the stored row format differs.
            rewritten += len(self.put_entities(outdated, now=now).updated) if outdated else 0
            if "LastEvaluatedKey" not in response:
                return rewritten, unreadable
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def export(self, fp: IO[str]) -> int:
        """Write every METADATA row (without its keys) as one JSON line; `StoredEntity(row,
        []).to_model()` reads one back. The only Scan in the code base: a backup reads
        everything by definition. Rows are written as stored, so an export never fails on a
        row that an older model version wrote."""
        count = 0
        kwargs: dict[str, Any] = {"FilterExpression": Attr("SK").eq(keys.METADATA_SK)}
        while True:
            response = self.table.scan(**kwargs)
            for item in response.get("Items", []):
                fp.write(json.dumps(entity_dict(from_item(item)), sort_keys=True, ensure_ascii=False))
                fp.write("\n")
                count += 1
            if "LastEvaluatedKey" not in response:
                return count
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


__all__ = ["ActivityStore", "Page", "PutResult", "StoredEntity", "to_item"]
