"""OperationsStore: the scraping-operations table (schedule slots and leases, executions and
their errors, daily metrics).

Every row carries `expires_at` (epoch seconds) for DynamoDB TTL, and every read drops rows
whose `expires_at` has passed: TTL deletion runs late on AWS and not at all on dynalite.

Leases are conditional updates on the slot row, so two orchestrators never start one source
twice; metrics are atomic ADD updates that remember which executions they counted, so
recording the same execution twice counts it once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from famact import keys
from famact.constants import (
    EXECUTION_TTL_DAYS,
    METRICS_TTL_DAYS,
    PRIORITY_ORDER,
    SCHEDULE_TTL_DAYS,
    TIMEZONE,
    ExecutionOutcome,
    Priority,
)
from famact.models import DailyMetrics, Execution, ExecutionError, ScheduleSlot
from famact.store.dynamo import Tables, conditional_check_failed, from_item, to_item
from famact.store.errors import ConflictError, NotFound, ValidationError
from famact.store.paging import check_limit, fingerprint, paged_query
from famact.tables import NEXT_RUN_INDEX, OPERATIONS, SOURCE_EXECUTION_INDEX, index_by_name

MAX_ERROR_ROWS = 200  # ERROR rows kept per execution; later errors are only counted
POINTER_TTL_MARGIN_DAYS = 3  # > the due lookback: a slot rewritten late on its day keeps its pointer
TTL_ATTRIBUTE = OPERATIONS.ttl_attribute or "expires_at"
_ROW_ONLY = frozenset(
    {
        "PK",
        "SK",
        *(attr for pair in keys.GSI_ATTRS.values() for attr in pair),
        TTL_ATTRIBUTE,
        "lease_expires_epoch",
        "error_rows",
        "errors_dropped",
        "execution_ids",
        "slot_pk",
    }
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(when: datetime) -> datetime:
    """Aware UTC datetime; a naive value is taken to be UTC already."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def run_day(when: datetime) -> date:
    """The `SCHEDULE#{date}` partition of a run time: its UTC date (like the hour bucket)."""
    return as_utc(when).date()


def _epoch(when: datetime) -> int:
    return int(as_utc(when).timestamp())


def _model_data(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in from_item(row).items() if k not in _ROW_ONLY}


class OperationsStore:
    def __init__(self, tables: Tables, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.tables = tables
        self.table = tables.operations
        self.clock = clock

    def _expires_at(self, days: int, *, after: datetime | None = None) -> int:
        base = max(as_utc(self.clock()), as_utc(after)) if after else as_utc(self.clock())
        return _epoch(base + timedelta(days=days))

    @staticmethod
    def _live(row: dict[str, Any], now: datetime) -> bool:
        expires = row.get(TTL_ATTRIBUTE)
        return expires is None or int(expires) > _epoch(now)

    # -- schedule slots ------------------------------------------------------------------------

    def put_slot(self, slot: ScheduleSlot) -> ScheduleSlot:
        """Write the source's one slot under `SCHEDULE#{UTC date of next run}`; a slot that
        moves to another date has its old row deleted (found through the slot pointer)."""
        when = as_utc(slot.next_run_at)
        slot = slot.model_copy(update={"next_run_at": when})
        day = when.date()
        item: dict[str, Any] = {
            **to_item(slot),
            "PK": keys.schedule_pk(day),
            "SK": keys.schedule_sk(slot.source_id),
            **keys.next_run_keys(when, slot.priority, slot.source_id),
            # Kept until well after the run, not just after the write: a monthly slot is
            # written a month before it is due.
            TTL_ATTRIBUTE: self._expires_at(SCHEDULE_TTL_DAYS, after=when),
        }
        if slot.lease_expires_at is not None:
            item["lease_expires_epoch"] = _epoch(slot.lease_expires_at)
        pointer_key = keys.slot_pointer_keys(slot.source_id)
        pointer = self.table.get_item(Key=pointer_key, ConsistentRead=True).get("Item")
        self.table.put_item(Item=item)
        self.table.put_item(Item=self._pointer_item(slot.source_id, item))
        if pointer and pointer.get("slot_pk") != item["PK"]:
            self.table.delete_item(Key={"PK": pointer["slot_pk"], "SK": keys.schedule_sk(slot.source_id)})
        return slot

    def get_slot(self, source_id: str) -> ScheduleSlot | None:
        now = self.clock()
        pointer = self.table.get_item(Key=keys.slot_pointer_keys(source_id), ConsistentRead=True).get("Item")
        if not pointer or not self._live(pointer, now):
            return None
        item = self.table.get_item(
            Key={"PK": pointer["slot_pk"], "SK": keys.schedule_sk(source_id)}, ConsistentRead=True
        ).get("Item")
        if not item or not self._live(item, now):
            return None
        return ScheduleSlot.model_validate(_model_data(item))

    def due_slots(self, now: datetime, *, lookback_hours: int = 48) -> list[ScheduleSlot]:
        """Slots whose next run is in (now - lookback, now], highest priority first, then the
        longest overdue. A partition key takes equality only, so each hour bucket is one
        Query; slots overdue by more than the lookback must be rescheduled by the caller."""
        if lookback_hours < 0:
            raise ValidationError("lookback_hours", lookback_hours, "must not be negative")
        now = as_utc(now)
        index = index_by_name(OPERATIONS, NEXT_RUN_INDEX)
        hour = (now - timedelta(hours=lookback_hours)).replace(minute=0, second=0, microsecond=0)
        slots: dict[str, ScheduleSlot] = {}
        while hour <= now:
            kwargs: dict[str, Any] = {
                "IndexName": index.name,
                "KeyConditionExpression": Key(index.pk).eq(keys.next_run_pk(keys.next_run_bucket(hour))),
            }
            while True:
                response = self.table.query(**kwargs)
                for row in response.get("Items", []):
                    if not self._live(row, now):
                        continue
                    slot = ScheduleSlot.model_validate(_model_data(row))
                    if as_utc(slot.next_run_at) <= now and slot.source_id not in slots:
                        slots[slot.source_id] = slot
                if "LastEvaluatedKey" not in response:
                    break
                kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
            hour += timedelta(hours=1)
        return sorted(
            slots.values(), key=lambda s: (PRIORITY_ORDER[Priority(s.priority)], as_utc(s.next_run_at))
        )

    def acquire_lease(
        self, source_id: str, run_day: date, holder: str, *, ttl_seconds: int
    ) -> ScheduleSlot | None:
        """Take the slot's lease if it is free or expired: the slot as it now is (read in the
        same write, so the caller needs no second read); None when someone else holds it (or
        the slot is gone / expired)."""
        if ttl_seconds <= 0:
            raise ValidationError("ttl_seconds", ttl_seconds, "must be positive")
        now = as_utc(self.clock())
        until = now + timedelta(seconds=ttl_seconds)
        try:
            response = self.table.update_item(
                Key={"PK": keys.schedule_pk(run_day), "SK": keys.schedule_sk(source_id)},
                UpdateExpression="SET lease_holder = :h, lease_expires_at = :iso, lease_expires_epoch = :e",
                ConditionExpression=(
                    "attribute_exists(PK) AND (attribute_not_exists(#ttl) OR #ttl > :now) AND "
                    "(attribute_not_exists(lease_expires_epoch) OR lease_expires_epoch <= :now)"
                ),
                ExpressionAttributeNames={"#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":h": holder,
                    ":iso": to_item(until),
                    ":e": _epoch(until),
                    ":now": _epoch(now),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                return None
            raise
        return ScheduleSlot.model_validate(_model_data(response["Attributes"]))

    def renew_lease(
        self, source_id: str, run_day: date, holder: str, *, ttl_seconds: int
    ) -> ScheduleSlot | None:
        """Extend a lease `holder` still holds (an orchestrator following a long job): the slot
        as it now is; None when the lease was lost (expired and taken over)."""
        if ttl_seconds <= 0:
            raise ValidationError("ttl_seconds", ttl_seconds, "must be positive")
        until = as_utc(self.clock()) + timedelta(seconds=ttl_seconds)
        try:
            response = self.table.update_item(
                Key={"PK": keys.schedule_pk(run_day), "SK": keys.schedule_sk(source_id)},
                UpdateExpression="SET lease_expires_at = :iso, lease_expires_epoch = :e",
                ConditionExpression="lease_holder = :h",
                ExpressionAttributeValues={":h": holder, ":iso": to_item(until), ":e": _epoch(until)},
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                return None
            raise
        return ScheduleSlot.model_validate(_model_data(response["Attributes"]))

    def save_leased_slot(self, slot: ScheduleSlot, run_day: date, holder: str) -> bool:
        """Rewrite a slot the caller holds the lease on (job started, job ended, next run set).

        The write to the current row is conditional on `holder` still holding it, so an
        orchestrator whose lease expired cannot overwrite the one that took over; False then.
        A slot that moves to another day gets its new row, pointer and old-row delete like
        `put_slot`.
        """
        when = as_utc(slot.next_run_at)
        slot = slot.model_copy(update={"next_run_at": when})
        item: dict[str, Any] = {
            **to_item(slot),
            "PK": keys.schedule_pk(when.date()),
            "SK": keys.schedule_sk(slot.source_id),
            **keys.next_run_keys(when, slot.priority, slot.source_id),
            TTL_ATTRIBUTE: self._expires_at(SCHEDULE_TTL_DAYS, after=when),
        }
        if slot.lease_expires_at is not None:
            item["lease_expires_epoch"] = _epoch(slot.lease_expires_at)
        old_key = {"PK": keys.schedule_pk(run_day), "SK": keys.schedule_sk(slot.source_id)}
        try:
            if item["PK"] == old_key["PK"]:
                self.table.put_item(
                    Item=item,
                    ConditionExpression="lease_holder = :h",
                    ExpressionAttributeValues={":h": holder},
                )
            else:
                # Claim the old row first (it is deleted below), then write the new one.
                self.table.update_item(
                    Key=old_key,
                    UpdateExpression="SET lease_expires_epoch = :far",
                    ConditionExpression="lease_holder = :h",
                    ExpressionAttributeValues={":h": holder, ":far": _epoch(when) + 86400},
                )
                self.table.put_item(Item=item)
        except ClientError as exc:
            if conditional_check_failed(exc):
                return False
            raise
        if item["PK"] != old_key["PK"]:
            # Same day: the pointer already points here, and its TTL margin covers the slot's
            # (one write fewer for every job started).
            self.table.put_item(Item=self._pointer_item(slot.source_id, item))
            self.table.delete_item(Key=old_key)
        return True

    @staticmethod
    def _pointer_item(source_id: str, slot_item: dict[str, Any]) -> dict[str, Any]:
        """The slot pointer, outliving its slot row by POINTER_TTL_MARGIN_DAYS, so a slot
        rewritten on its own day (a later `expires_at`) is never left without a pointer."""
        expires = int(slot_item[TTL_ATTRIBUTE]) + POINTER_TTL_MARGIN_DAYS * 86400
        return {**keys.slot_pointer_keys(source_id), "slot_pk": slot_item["PK"], TTL_ATTRIBUTE: expires}

    def release_lease(self, source_id: str, run_day: date, holder: str) -> bool:
        """Free the lease if `holder` still holds it; False otherwise."""
        try:
            self.table.update_item(
                Key={"PK": keys.schedule_pk(run_day), "SK": keys.schedule_sk(source_id)},
                UpdateExpression="REMOVE lease_holder, lease_expires_at, lease_expires_epoch",
                ConditionExpression="lease_holder = :h",
                ExpressionAttributeValues={":h": holder},
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                return False
            raise
        return True

    # -- executions ----------------------------------------------------------------------------

    def _execution_item(self, execution: Execution) -> dict[str, Any]:
        return {
            **to_item(execution),
            "PK": keys.execution_pk(execution.execution_id),
            "SK": keys.SUMMARY_SK,
            **keys.source_executions_keys(execution.source_id, as_utc(execution.started_at)),
            TTL_ATTRIBUTE: self._expires_at(EXECUTION_TTL_DAYS),
        }

    def start_execution(self, execution: Execution) -> None:
        """Write the SUMMARY when the spider opens. A row the orchestrator left `queued` for
        this execution id is taken over; any other existing row is a conflict."""
        try:
            self.table.put_item(
                Item=self._execution_item(execution),
                ConditionExpression="attribute_not_exists(PK) OR outcome = :queued",
                ExpressionAttributeValues={":queued": ExecutionOutcome.QUEUED.value},
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                raise ConflictError(
                    f"execution {execution.execution_id!r} already exists", actual=execution.execution_id
                ) from None
            raise

    def queue_execution(self, execution: Execution) -> None:
        """The orchestrator's `queued` SUMMARY, written after scrapyd accepted the job; the
        spider's `start_execution` later takes it over."""
        if execution.outcome is not ExecutionOutcome.QUEUED:
            raise ValidationError("outcome", execution.outcome.value, "a queued execution must be queued")
        self.start_execution(execution)

    def finish_execution(self, execution: Execution) -> Execution:
        """Update the SUMMARY with the final counts (an update, not a put: the error-row
        counter on the row survives). `finished_at` and `duration_s` default from the clock."""
        if execution.outcome in (ExecutionOutcome.RUNNING, ExecutionOutcome.QUEUED):
            raise ValidationError(
                "outcome", execution.outcome.value, "a finished execution needs its final outcome"
            )
        finished_at = execution.finished_at or self.clock()
        duration = execution.duration_s
        if duration is None:
            duration = max(0.0, (as_utc(finished_at) - as_utc(execution.started_at)).total_seconds())
        execution = execution.model_copy(update={"finished_at": finished_at, "duration_s": duration})
        item = self._execution_item(execution)
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets: list[str] = []
        for n, (attr, value) in enumerate(item.items()):
            if attr in ("PK", "SK"):
                continue
            names[f"#a{n}"] = attr
            values[f":v{n}"] = value
            sets.append(f"#a{n} = :v{n}")
        try:
            self.table.update_item(
                Key={"PK": item["PK"], "SK": item["SK"]},
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                raise NotFound("execution", execution.execution_id) from None
            raise
        return execution

    def add_error(self, error: ExecutionError) -> bool:
        """Store one ERROR row; past MAX_ERROR_ROWS per execution the error is only counted
        (`errors_dropped` on the SUMMARY) and False is returned."""
        summary_key = {"PK": keys.execution_pk(error.execution_id), "SK": keys.SUMMARY_SK}
        try:
            self.table.update_item(
                Key=summary_key,
                UpdateExpression="SET error_rows = if_not_exists(error_rows, :zero) + :one",
                ConditionExpression=(
                    "attribute_exists(PK) AND (attribute_not_exists(error_rows) OR error_rows < :max)"
                ),
                ExpressionAttributeValues={":zero": 0, ":one": 1, ":max": MAX_ERROR_ROWS},
            )
        except ClientError as exc:
            if not conditional_check_failed(exc):
                raise
            try:
                self.table.update_item(
                    Key=summary_key,
                    UpdateExpression="ADD errors_dropped :one",
                    ConditionExpression="attribute_exists(PK)",
                    ExpressionAttributeValues={":one": 1},
                )
            except ClientError as inner:
                if conditional_check_failed(inner):
                    raise NotFound("execution", error.execution_id) from None
                raise
            return False
        self.table.put_item(
            Item={
                **to_item(error),
                "PK": summary_key["PK"],
                "SK": keys.error_sk(error.n),
                TTL_ATTRIBUTE: self._expires_at(EXECUTION_TTL_DAYS),
            }
        )
        return True

    def get_execution(self, execution_id: str) -> tuple[Execution, list[ExecutionError]]:
        now = self.clock()
        summary: Execution | None = None
        errors: list[ExecutionError] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(keys.execution_pk(execution_id)),
            "ConsistentRead": True,
        }
        while True:
            response = self.table.query(**kwargs)
            for row in response.get("Items", []):
                if not self._live(row, now):
                    continue
                if row["SK"] == keys.SUMMARY_SK:
                    summary = Execution.model_validate(_model_data(row))
                elif str(row["SK"]).startswith(keys.ERROR_PREFIX):
                    errors.append(ExecutionError.model_validate(_model_data(row)))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if summary is None:
            raise NotFound("execution", execution_id)
        return summary, sorted(errors, key=lambda e: e.n)

    def list_executions(self, source_id: str, *, limit: int = 20) -> list[Execution]:
        """A source's executions, newest first (source-execution-index)."""
        check_limit(limit)
        now = self.clock()
        index = index_by_name(OPERATIONS, SOURCE_EXECUTION_INDEX)
        page = paged_query(
            self.table,
            [
                {
                    "IndexName": index.name,
                    "KeyConditionExpression": Key(index.pk).eq(keys.source_pk(source_id)),
                    "ScanIndexForward": False,
                }
            ],
            limit=limit,
            cursor=None,
            query_fingerprint=fingerprint(SOURCE_EXECUTION_INDEX, source_id),
            key_attrs=frozenset({"PK", "SK", index.pk, index.sk}),
            keep=lambda row: self._live(row, now),
        )
        return [Execution.model_validate(_model_data(row)) for row in page.items]

    # -- daily metrics -------------------------------------------------------------------------

    def record_execution_metrics(self, execution: Execution) -> bool:
        """Add one execution to its source's metrics of the (local) day it started; False
        when that execution was already counted."""
        day = as_utc(execution.started_at).astimezone(TIMEZONE).date()
        outcome = ExecutionOutcome(execution.outcome)
        try:
            self.table.update_item(
                Key={"PK": keys.metrics_pk(execution.source_id), "SK": keys.metrics_sk(day)},
                UpdateExpression=(
                    "ADD executions :one, successes :ok, failures :failed, pages_crawled :pages, "
                    "items_scraped :items, new_count :new, updated_count :updated, "
                    "error_count :errors, duration_s :duration, execution_ids :ids "
                    "SET source_id = :source, #date = :day, #ttl = :ttl"
                ),
                ConditionExpression="attribute_not_exists(execution_ids) OR NOT contains(execution_ids, :id)",
                ExpressionAttributeNames={"#date": "date", "#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":one": 1,
                    ":ok": int(outcome is ExecutionOutcome.SUCCESS),
                    ":failed": int(outcome is ExecutionOutcome.FAILED),
                    ":pages": execution.pages_crawled,
                    ":items": execution.items_scraped,
                    ":new": execution.new_count,
                    ":updated": execution.updated_count,
                    ":errors": execution.error_count,
                    ":duration": to_item(float(execution.duration_s or 0.0)),
                    ":ids": {execution.execution_id},
                    ":id": execution.execution_id,
                    ":source": execution.source_id,
                    ":day": day.isoformat(),
                    ":ttl": self._expires_at(METRICS_TTL_DAYS),
                },
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                return False
            raise
        return True

    def get_metrics(self, source_id: str, date_from: date, date_to: date) -> list[DailyMetrics]:
        if date_to < date_from:
            raise ValidationError("date_to", date_to.isoformat(), f"is before date_from {date_from}")
        now = self.clock()
        out: list[DailyMetrics] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(keys.metrics_pk(source_id))
            & Key("SK").between(keys.metrics_sk(date_from), keys.metrics_sk(date_to)),
        }
        while True:
            response = self.table.query(**kwargs)
            out.extend(
                DailyMetrics.model_validate(_model_data(row))
                for row in response.get("Items", [])
                if self._live(row, now)
            )
            if "LastEvaluatedKey" not in response:
                return out
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
