"""The store side of the orchestrator on moto and dynalite: renewing a lease, rewriting a
leased slot (only by its holder), the `queued` EXECUTION row the spider takes over, the next
run from the frequency, and a ScrapydError for bad node URLs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from famact.constants import ExecutionOutcome, Frequency
from famact.models import Execution, ScheduleSlot
from famact.scheduling.orchestrator import next_run_after
from famact.scheduling.scrapyd import ScrapydClient
from famact.store.errors import ConflictError, ValidationError
from famact.store.operations import OperationsStore, run_day
from tests.unit.store.fakes import T0, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def ops(store_tables: Any, clock: Clock) -> OperationsStore:
    return OperationsStore(store_tables, clock=clock)


def _slot(**extra: Any) -> ScheduleSlot:
    due = T0 - timedelta(minutes=5)
    return ScheduleSlot(source_id="s1", next_run_at=due, frequency=Frequency.DAILY, **extra)


def test_only_the_holder_renews_and_an_expired_lease_is_taken_over(
    ops: OperationsStore, clock: Clock
) -> None:
    ops.put_slot(_slot())
    day = run_day(T0)
    assert ops.acquire_lease("s1", day, "a", ttl_seconds=60)
    assert not ops.renew_lease("s1", day, "b", ttl_seconds=60)
    clock.now = T0 + timedelta(seconds=50)
    assert ops.renew_lease("s1", day, "a", ttl_seconds=60)  # now good until T0 + 110 s
    clock.now = T0 + timedelta(seconds=100)
    assert not ops.acquire_lease("s1", day, "b", ttl_seconds=60)
    clock.now = T0 + timedelta(seconds=111)
    assert ops.acquire_lease("s1", day, "b", ttl_seconds=60)
    assert not ops.renew_lease("s1", day, "a", ttl_seconds=60)  # a lost it
    with pytest.raises(ValidationError):
        ops.renew_lease("s1", day, "b", ttl_seconds=0)


def test_a_leased_slot_is_rewritten_only_by_its_holder(ops: OperationsStore) -> None:
    ops.put_slot(_slot())
    day = run_day(T0)
    assert ops.acquire_lease("s1", day, "a", ttl_seconds=60)
    until = T0 + timedelta(minutes=1)
    job = _slot(job_id="j1", job_node="http://n1/", lease_holder="a", lease_expires_at=until)
    assert not ops.save_leased_slot(job, day, "b")
    assert ops.save_leased_slot(job, day, "a")
    got = ops.get_slot("s1")
    assert got is not None and got.job_id == "j1" and got.lease_holder == "a"
    # The job ended: the next run moves the slot to tomorrow's partition and frees it.
    done = got.model_copy(
        update={"job_id": None, "job_node": None, "lease_holder": None, "lease_expires_at": None,
                "next_run_at": next_run_after(got, T0)}
    )  # fmt: skip
    assert ops.save_leased_slot(done, day, "a")
    moved = ops.get_slot("s1")
    assert moved is not None and moved.next_run_at == T0 + timedelta(days=1) and moved.lease_holder is None
    assert ops.due_slots(T0) == []
    assert "Item" not in ops.table.get_item(Key={"PK": f"SCHEDULE#{day.isoformat()}", "SK": "SOURCE#s1"})
    # A stale holder cannot write any more: the row it leased is gone.
    assert not ops.save_leased_slot(job, day, "a")


def test_the_spider_takes_over_a_queued_execution_but_not_a_running_one(ops: OperationsStore) -> None:
    queued = Execution(execution_id="e1", source_id="s1", started_at=T0, outcome=ExecutionOutcome.QUEUED)
    ops.queue_execution(queued)
    running = queued.model_copy(update={"outcome": ExecutionOutcome.RUNNING, "node": "worker"})
    ops.start_execution(running)  # the spider opened
    assert ops.get_execution("e1")[0].outcome is ExecutionOutcome.RUNNING
    with pytest.raises(ConflictError):
        ops.queue_execution(queued)  # the orchestrator was late: the running row stays
    with pytest.raises(ConflictError):
        ops.start_execution(running)
    with pytest.raises(ValidationError):
        ops.queue_execution(running)
    with pytest.raises(ValidationError):
        ops.finish_execution(queued)  # a finished execution is not `queued`


@pytest.mark.parametrize(
    ("frequency", "hours"), [(Frequency.HOURLY, 1), (Frequency.DAILY, 24), (Frequency.MONTHLY, 720)]
)
def test_next_run_comes_from_the_frequency(frequency: Frequency, hours: int) -> None:
    slot = ScheduleSlot(source_id="s", next_run_at=T0, frequency=frequency)
    assert next_run_after(slot, T0 + timedelta(minutes=7)) == T0 + timedelta(hours=hours, minutes=7)


def test_node_urls_are_checked_and_carry_credentials() -> None:
    with pytest.raises(ValueError, match="not a scrapyd URL"):
        ScrapydClient(["localhost"])
    with pytest.raises(ValueError, match="no scrapyd nodes"):
        ScrapydClient([])
    client = ScrapydClient(["http://u:p@127.0.0.1:6800", "http://127.0.0.1:6801/x"])
    assert client.nodes == ["http://127.0.0.1:6800/", "http://127.0.0.1:6801/x/"]
