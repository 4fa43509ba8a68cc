"""OperationsStore on moto and dynalite: slots and leases, executions, metrics, expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key

from famact.constants import ExecutionOutcome, Frequency, Priority
from famact.models import Execution, ExecutionError, ScheduleSlot
from famact.store import operations as operations_module
from famact.store.errors import ConflictError, NotFound, ValidationError
from famact.store.operations import OperationsStore, run_day
from tests.unit.store.fakes import T0, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def ops(store_tables: Any, clock: Clock) -> OperationsStore:
    return OperationsStore(store_tables, clock=clock)


def slot(source_id: str, when: datetime, priority: Priority = Priority.MEDIUM) -> ScheduleSlot:
    return ScheduleSlot(source_id=source_id, next_run_at=when, priority=priority, frequency=Frequency.DAILY)


def execution(execution_id: str, started: datetime, **extra: Any) -> Execution:
    return Execution(
        execution_id=execution_id, source_id=extra.pop("source_id", "src"), started_at=started, **extra
    )


def test_slot_row_keys_and_expiry(ops: OperationsStore) -> None:
    when = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
    ops.put_slot(slot("s1", when, Priority.HIGH))
    row = ops.table.get_item(Key={"PK": "SCHEDULE#2026-03-10", "SK": "SOURCE#s1"})["Item"]
    assert (row["GSI1PK"], row["GSI1SK"]) == ("NEXT_RUN#2026-03-10T14", "PRIORITY#1-high#s1")
    assert int(row["expires_at"]) == int((T0 + timedelta(days=30)).timestamp())
    later = ops.put_slot(slot("s1", T0 + timedelta(days=60)))
    row = ops.table.get_item(Key={"PK": "SCHEDULE#2026-05-09", "SK": "SOURCE#s1"})["Item"]
    # Kept until 30 days after the run, not after the write.
    assert int(row["expires_at"]) == int((later.next_run_at + timedelta(days=30)).timestamp())


def test_moving_a_slot_deletes_the_old_row(ops: OperationsStore) -> None:
    ops.put_slot(slot("s1", datetime(2026, 3, 10, 9, tzinfo=UTC)))
    ops.put_slot(slot("s1", datetime(2026, 3, 10, 13, tzinfo=UTC)))  # same day: same row
    ops.put_slot(slot("s1", datetime(2026, 3, 17, 9, tzinfo=UTC)))
    old = ops.table.query(KeyConditionExpression=Key("PK").eq("SCHEDULE#2026-03-10"))["Items"]
    assert old == []
    current = ops.get_slot("s1")
    assert current is not None and current.next_run_at == datetime(2026, 3, 17, 9, tzinfo=UTC)
    assert ops.get_slot("other") is None


def test_naive_and_offset_times_are_stored_in_utc(ops: OperationsStore) -> None:
    local = datetime(2026, 3, 10, 20, 30, tzinfo=timedelta_tz(-8))  # 04:30 UTC next day
    stored = ops.put_slot(slot("s1", local))
    assert stored.next_run_at == datetime(2026, 3, 11, 4, 30, tzinfo=UTC)
    assert run_day(local) == date(2026, 3, 11)
    assert ops.table.get_item(Key={"PK": "SCHEDULE#2026-03-11", "SK": "SOURCE#s1"}).get("Item")


def timedelta_tz(hours: int) -> Any:
    from datetime import timezone

    return timezone(timedelta(hours=hours))


def test_due_slots_by_priority_within_the_lookback(ops: OperationsStore) -> None:
    ops.put_slot(slot("low-old", T0 - timedelta(hours=30), Priority.LOW))
    ops.put_slot(slot("high-new", T0 - timedelta(minutes=10), Priority.HIGH))
    ops.put_slot(slot("high-old", T0 - timedelta(hours=5), Priority.HIGH))
    ops.put_slot(slot("medium", T0 - timedelta(hours=1), Priority.MEDIUM))
    ops.put_slot(slot("same-hour-future", T0 + timedelta(minutes=20), Priority.HIGH))
    ops.put_slot(slot("tomorrow", T0 + timedelta(days=1), Priority.HIGH))
    ops.put_slot(slot("too-old", T0 - timedelta(hours=72), Priority.HIGH))
    due = ops.due_slots(T0)
    assert [s.source_id for s in due] == ["high-old", "high-new", "medium", "low-old"]
    assert [s.source_id for s in ops.due_slots(T0, lookback_hours=2)] == ["high-new", "medium"]
    with pytest.raises(ValidationError, match="lookback_hours"):
        ops.due_slots(T0, lookback_hours=-1)


def test_lease_is_exclusive_until_it_expires(ops: OperationsStore, clock: Clock) -> None:
    when = T0 - timedelta(minutes=5)
    ops.put_slot(slot("s1", when))
    day = run_day(when)
    assert ops.acquire_lease("s1", day, "orchestrator-a", ttl_seconds=600)
    assert not ops.acquire_lease("s1", day, "orchestrator-b", ttl_seconds=600)
    assert not ops.acquire_lease("s1", day, "orchestrator-a", ttl_seconds=600)  # held, not free
    held = ops.get_slot("s1")
    assert held is not None and held.lease_holder == "orchestrator-a"
    assert held.lease_expires_at == T0 + timedelta(seconds=600)
    clock.now = T0 + timedelta(seconds=601)
    assert ops.acquire_lease("s1", day, "orchestrator-b", ttl_seconds=600)
    assert not ops.release_lease("s1", day, "orchestrator-a")
    assert ops.release_lease("s1", day, "orchestrator-b")
    assert ops.acquire_lease("s1", day, "orchestrator-c", ttl_seconds=60)
    assert not ops.acquire_lease("missing", day, "orchestrator-a", ttl_seconds=60)
    with pytest.raises(ValidationError, match="ttl_seconds"):
        ops.acquire_lease("s1", day, "x", ttl_seconds=0)


def test_execution_lifecycle_and_error_cap(
    ops: OperationsStore, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(operations_module, "MAX_ERROR_ROWS", 3)
    run = execution("x1", T0, config_version=2)
    ops.start_execution(run)
    with pytest.raises(ConflictError, match="x1"):
        ops.start_execution(run)
    row = ops.table.get_item(Key={"PK": "EXECUTION#x1", "SK": "SUMMARY"})["Item"]
    assert (row["GSI2PK"], row["GSI2SK"]) == ("SOURCE#src", "STARTED#2026-03-10T15:20:00+00:00")
    stored = [
        ops.add_error(ExecutionError(execution_id="x1", n=n, kind="http", message=f"HTTP 500 #{n}", at=T0))
        for n in range(1, 6)
    ]
    assert stored == [True, True, True, False, False]
    clock.now = T0 + timedelta(seconds=42)
    finished = ops.finish_execution(
        run.model_copy(update={"outcome": ExecutionOutcome.PARTIAL, "items_scraped": 12, "error_count": 5})
    )
    assert finished.duration_s == 42.0 and finished.finished_at == clock.now
    summary, errors = ops.get_execution("x1")
    assert summary.outcome is ExecutionOutcome.PARTIAL and summary.items_scraped == 12
    assert summary.config_version == 2
    assert [e.n for e in errors] == [1, 2, 3] and errors[0].message == "HTTP 500 #1"
    row = ops.table.get_item(Key={"PK": "EXECUTION#x1", "SK": "SUMMARY"})["Item"]
    assert (row["error_rows"], row["errors_dropped"]) == (3, 2)  # survive the finish update
    with pytest.raises(NotFound):
        ops.get_execution("x2")
    with pytest.raises(NotFound):
        ops.add_error(ExecutionError(execution_id="x2", n=1, kind="http", message="m", at=T0))
    with pytest.raises(NotFound):
        ops.finish_execution(execution("x2", T0, outcome=ExecutionOutcome.SUCCESS))
    with pytest.raises(ValidationError, match="outcome"):
        ops.finish_execution(run)  # still RUNNING


def test_list_executions_newest_first(ops: OperationsStore) -> None:
    for n in range(5):
        ops.start_execution(execution(f"r{n}", T0 + timedelta(hours=n)))
    ops.start_execution(execution("other", T0, source_id="other"))
    assert [e.execution_id for e in ops.list_executions("src", limit=3)] == ["r4", "r3", "r2"]
    assert len(ops.list_executions("src")) == 5


def test_daily_metrics_add_up_and_count_an_execution_once(ops: OperationsStore) -> None:
    day_start = datetime(2026, 3, 10, 17, tzinfo=UTC)  # 09:00 in Seattle
    ok = execution(
        "m1",
        day_start,
        outcome=ExecutionOutcome.SUCCESS,
        pages_crawled=10,
        items_scraped=40,
        new_count=4,
        duration_s=12.5,
    )
    bad = execution(
        "m2", day_start + timedelta(hours=2), outcome=ExecutionOutcome.FAILED, error_count=3, duration_s=1.25
    )
    late = execution(
        "m3", datetime(2026, 3, 11, 6, tzinfo=UTC), outcome=ExecutionOutcome.SUCCESS
    )  # 22:00 local
    assert ops.record_execution_metrics(ok)
    assert ops.record_execution_metrics(bad)
    assert not ops.record_execution_metrics(ok)  # a retried recording is not counted twice
    assert ops.record_execution_metrics(late)
    metrics = ops.get_metrics("src", date(2026, 3, 1), date(2026, 3, 31))
    assert len(metrics) == 1  # all three started on March 10 in America/Los_Angeles
    day = metrics[0]
    assert (day.date, day.executions, day.successes, day.failures) == (date(2026, 3, 10), 3, 2, 1)
    assert (day.pages_crawled, day.items_scraped, day.new_count, day.error_count) == (10, 40, 4, 3)
    assert day.duration_s == pytest.approx(13.75)
    assert ops.get_metrics("src", date(2026, 3, 11), date(2026, 3, 31)) == []
    with pytest.raises(ValidationError, match="date_to"):
        ops.get_metrics("src", date(2026, 3, 2), date(2026, 3, 1))


def test_expired_rows_are_ignored_on_every_read(ops: OperationsStore, clock: Clock) -> None:
    ops.put_slot(slot("s1", T0 - timedelta(minutes=1)))
    ops.start_execution(execution("old", T0))
    ops.add_error(ExecutionError(execution_id="old", n=1, kind="http", message="m", at=T0))
    ops.record_execution_metrics(execution("old", T0, outcome=ExecutionOutcome.SUCCESS))
    assert ops.due_slots(T0) and ops.list_executions("src") and ops.get_slot("s1")
    # TTL deletion has not run (dynalite never runs it): the rows are still there.
    clock.now = T0 + timedelta(days=91)
    assert ops.table.get_item(Key={"PK": "EXECUTION#old", "SK": "SUMMARY"}).get("Item")
    assert ops.list_executions("src") == []
    with pytest.raises(NotFound):
        ops.get_execution("old")
    assert ops.get_metrics("src", date(2026, 3, 1), date(2026, 3, 31)) == []
    assert ops.get_slot("s1") is None
    assert not ops.acquire_lease("s1", run_day(T0), "late", ttl_seconds=60)


def test_due_slots_ignore_a_row_past_its_expiry(ops: OperationsStore) -> None:
    ops.put_slot(slot("s1", T0 - timedelta(minutes=1)))
    ops.put_slot(slot("s2", T0 - timedelta(minutes=2)))
    # A row whose TTL passed but that DynamoDB has not deleted yet.
    ops.table.update_item(
        Key={"PK": "SCHEDULE#2026-03-10", "SK": "SOURCE#s2"},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": int(T0.timestamp()) - 1},
    )
    assert [s.source_id for s in ops.due_slots(T0, lookback_hours=1)] == ["s1"]
