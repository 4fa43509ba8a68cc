"""DynamoDB throttling and a conditional-check failure, against the real local server.

A loopback proxy (`tests.support.dynamo_proxy`) sits in front of dynalite and answers a share of
the batch requests with a 400 `ProvisionedThroughputExceededException` / `ThrottlingException`,
or trims a BatchWriteItem so its answer carries `UnprocessedItems`. The store API and a real
crawl are pointed at the proxy; what reached the server is read straight from dynalite and
compared with the same writes made without faults.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from famact.app.workflow import approve_source
from famact.constants import AnalysisMethod, SourceStatus
from famact.models import SourceAnalysis, SourceConfig, SourceSubmission
from famact.settings import Settings
from famact.store.activities import ActivityStore
from famact.store.dynamo import Tables, batch_write, connect, create_tables
from famact.store.errors import ConflictError, UnwrittenItemsError
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from famact.tables import ACTIVITIES
from tests.reliability.conftest import FaultRecord
from tests.reliability.crawls import ROOT, crawl, export, store_env, without_timestamps
from tests.support.dynamo_proxy import DynamoProxy, ThrottlePlan
from tests.support.site_server import FAST, SiteServer, load_site
from tests.unit.store.factories import event

pytestmark = pytest.mark.integration


def _connect(endpoint: str, prefix: str) -> Tables:
    return connect(Settings(table_prefix=prefix, dynamodb_endpoint=endpoint, aws_region="us-west-2"))


@pytest.fixture
def prefix(dynalite_endpoint: str) -> str:
    name = f"rel{uuid.uuid4().hex[:8]}-"
    create_tables(_connect(dynalite_endpoint, name).client, name)
    return name


@pytest.fixture
def proxy(dynalite_endpoint: str) -> Iterator[DynamoProxy]:
    with DynamoProxy(dynalite_endpoint) as server:
        yield server  # type: ignore[misc]


def _items(n: int) -> list[dict[str, Any]]:
    return [{"PK": f"ITEM#{i:03d}", "SK": "METADATA", "n": i, "text": f"row {i}"} for i in range(n)]


def _stored(tables: Tables) -> dict[str, dict[str, Any]]:
    rows = tables.activities.scan(ConsistentRead=True)["Items"]
    return {str(r["PK"]): r for r in rows}


def test_batch_writes_retry_throttling_and_unprocessed_items_with_backoff(
    dynalite_endpoint: str, prefix: str, proxy: DynamoProxy, fault: FaultRecord
) -> None:
    fault.injected = (
        "BatchWriteItem through a proxy: every 2nd answered 400 ProvisionedThroughputExceeded / "
        "ThrottlingException, every other one trimmed to half with the rest as UnprocessedItems"
    )
    fault.behaviour = (
        "botocore retries each throttled answer (standard mode); the batch loop re-sends unprocessed "
        "items after a jittered exponential pause; every item written once, counted on Tables.retries"
    )
    proxy.plan = ThrottlePlan(
        throttle_every=2, unprocessed_every=1, throttle_operations=frozenset({"BatchWriteItem"})
    )
    tables = _connect(proxy.url, prefix)
    sleeps: list[float] = []
    items = _items(20)  # one chunk: the attempts are sequential, so the log reads in order

    def pause(seconds: float) -> None:
        sleeps.append(seconds)
        threading.Event().wait(seconds)

    written = batch_write(tables.name(ACTIVITIES), tables.client, items, sleep=pause, retries=tables.retries)

    outcomes = proxy.outcomes("BatchWriteItem")
    throttled = [o for o in outcomes if o.startswith("throttled:")]
    assert {o.split(":")[1] for o in throttled} == {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
    }
    assert "trimmed" in outcomes
    # Every throttled answer was seen and retried; every unprocessed item was sent again.
    assert tables.retries.throttled == len(throttled)
    handed_back = sum(e.unprocessed for e in proxy.events)
    assert tables.retries.unprocessed == handed_back > 0
    # The batch loop paused once per unprocessed answer, within full-jitter windows that double.
    assert len(sleeps) == outcomes.count("trimmed")
    assert all(0 <= s <= 0.05 * 2**n for n, s in enumerate(sleeps))
    # Each key reached the server exactly once, and the stored rows are the rows sent.
    assert written == 20
    assert sorted(proxy.written_keys()) == sorted(f"ITEM#{i:03d}|METADATA" for i in range(20))
    stored = _stored(_connect(dynalite_endpoint, prefix))
    fault.items_lost = sum(1 for item in items if stored.get(item["PK"]) != item)
    assert fault.items_lost == 0 and len(stored) == 20


def test_batch_write_that_never_gets_through_names_every_unwritten_item(
    dynalite_endpoint: str, prefix: str, proxy: DynamoProxy, fault: FaultRecord
) -> None:
    fault.injected = "every BatchWriteItem answered with all of its items unprocessed"
    fault.behaviour = (
        "after 8 attempts UnwrittenItemsError lists every item not written; none dropped silently"
    )
    proxy.plan = ThrottlePlan(unprocessed_every=1, keep_share=0.0)
    tables = _connect(proxy.url, prefix)
    with pytest.raises(UnwrittenItemsError) as raised:
        batch_write(tables.name(ACTIVITIES), tables.client, _items(12), sleep=lambda _: None)
    error = raised.value
    assert proxy.outcomes("BatchWriteItem") == ["trimmed"] * 8 and not proxy.written_keys()
    listed = {key.removeprefix("put ").replace(" | ", "|") for key in error.keys}
    assert listed == {f"ITEM#{i:03d}|METADATA" for i in range(12)}
    assert "\n" not in str(error) and "12 item(s) could not be written" in str(error)
    assert not _stored(_connect(dynalite_endpoint, prefix))
    fault.items_lost = 0  # every unwritten item was reported to the caller, none dropped silently


def test_entities_stored_through_throttling_equal_a_clean_store(
    dynalite_endpoint: str, proxy: DynamoProxy, fault: FaultRecord
) -> None:
    fault.injected = (
        "ActivityStore.put_entities (BatchGetItem + BatchWriteItem) with every 4th batch call "
        "throttled and every 2nd BatchWriteItem trimmed"
    )
    fault.behaviour = "retried until written; the export equals the same entities stored without faults"
    entities = [
        event(f"throttle-{i:02d}", days=[datetime(2026, 12, 1 + i % 20, tzinfo=UTC).date()])
        for i in range(40)
    ]
    clean, faulty = (f"rel{uuid.uuid4().hex[:8]}-" for _ in range(2))
    for name in (clean, faulty):
        create_tables(_connect(dynalite_endpoint, name).client, name)
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    ActivityStore(_connect(dynalite_endpoint, clean)).put_entities(entities, now=now)
    proxy.plan = ThrottlePlan(throttle_every=4, unprocessed_every=2)
    tables = _connect(proxy.url, faulty)
    result = ActivityStore(tables).put_entities(entities, now=now)
    assert len(result.new) == 40
    assert tables.retries.throttled >= 1 and tables.retries.unprocessed >= 1
    expected, got = (_export(_connect(dynalite_endpoint, p)) for p in (clean, faulty))
    fault.items_lost = len({pk for pk, row in expected.items() if got.get(pk) != row})
    assert got == expected and len(got) == 40


def _export(tables: Tables) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    ActivityStore(tables).export(out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return {f"{r['entity_type']}#{r['entity_id']}": r for r in rows}


def test_a_crawl_through_throttling_stores_what_a_clean_crawl_stores(
    dynalite_endpoint: str, proxy: DynamoProxy, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = (
        "a real crawl of the demo site whose DynamoDB answers every 4th batch call with a throttling "
        "error and trims every 3rd BatchWriteItem; then a re-crawl through the same faults"
    )
    fault.behaviour = (
        "crawl finishes; stats and the EXECUTION row count the throttled answers and unprocessed items; "
        "the export equals a clean crawl's, and the re-crawl loses nothing"
    )
    site = load_site("demo")
    clean_env = store_env(dynalite_endpoint, f"rel{uuid.uuid4().hex[:8]}-")
    faulty_env = store_env(dynalite_endpoint, f"rel{uuid.uuid4().hex[:8]}-")
    for env in (clean_env, faulty_env):
        create_tables(
            _connect(dynalite_endpoint, env["FAMACT_TABLE_PREFIX"]).client, env["FAMACT_TABLE_PREFIX"]
        )
    through_proxy = {**faulty_env, "AWS_ENDPOINT_URL_DYNAMODB": proxy.url}
    with SiteServer(site.dir) as server:
        config = {**site.config_data(server.url), "scraping_config": FAST}
        reference = crawl(config, clean_env, tmp_path, site.meta["today"])
        proxy.plan = ThrottlePlan(throttle_every=4, unprocessed_every=3)
        first = crawl(config, through_proxy, tmp_path, site.meta["today"])
        before = export(faulty_env)
        again = crawl(config, through_proxy, tmp_path, site.meta["today"])
    after = export(faulty_env)

    assert any(o.startswith("throttled:") for o in proxy.outcomes()) and "trimmed" in proxy.outcomes()
    stats, execution = first["stats"], first["execution"]
    assert execution["finish_reason"] == "finished" and execution["outcome"] == "success"
    assert "famact/store/failed_batches" not in stats
    assert stats["famact/errors/dynamodb_throttled"] >= 1 and stats["famact/errors/dynamodb_unprocessed"] >= 1
    stored_row = OperationsStore(
        _connect(dynalite_endpoint, faulty_env["FAMACT_TABLE_PREFIX"])
    ).list_executions(config["source_id"], limit=5)
    by_id = {e.execution_id: e for e in stored_row}
    recorded = by_id[execution["execution_id"]].errors_by_kind
    assert recorded["dynamodb_throttled"] == stats["famact/errors/dynamodb_throttled"]
    assert recorded["dynamodb_unprocessed"] == stats["famact/errors/dynamodb_unprocessed"]
    assert execution["error_count"] == reference["execution"]["error_count"]  # retried, not failed

    expected = without_timestamps(export(clean_env))
    assert expected and without_timestamps(before) == expected
    assert again["execution"]["finish_reason"] == "finished" and again["execution"]["inactive_count"] == 0
    fault.items_lost = len({pk for pk, row in expected.items() if without_timestamps(after).get(pk) != row})
    assert without_timestamps(after) == expected


# -- a conditional-check failure during a status change -------------------------------------------


def _analysed_source(tables: Tables, source_id: str) -> SourceConfig:
    """A source at analysis_complete with a proposed config, as `sources analyze` leaves it."""
    url = f"https://{source_id}.example.org/events/"
    store = SourceStore(tables)
    # Straight to the store: the workflow would resolve the (made-up) host name.
    store.submit(
        SourceSubmission(
            source_id=source_id, source_name=source_id, base_url=url, submitted_at=datetime.now(UTC)
        )
    )
    store.transition(source_id, SourceStatus.ANALYZING, expected=SourceStatus.PENDING_ANALYSIS)
    config = SourceConfig.model_validate(
        {
            "source_id": source_id,
            "source_name": source_id,
            "base_url": url,
            "target_urls": [url],
            "listing": {"item": ".card", "fields": {"title": "h3"}},
        }
    )
    store.put_analysis(
        SourceAnalysis(
            source_id=source_id,
            analyzed_at=datetime.now(UTC),
            method=AnalysisMethod.HEURISTICS,
            proposed_config=config,
            item_count=3,
        )
    )
    store.transition(source_id, SourceStatus.ANALYSIS_COMPLETE, expected=SourceStatus.ANALYZING)
    return config


def _source_rows(tables: Tables, source_id: str) -> dict[str, dict[str, Any]]:
    from boto3.dynamodb.conditions import Key

    items = tables.sources.query(
        KeyConditionExpression=Key("PK").eq(f"SOURCE#{source_id}"), ConsistentRead=True
    )
    return {str(i["SK"]): i for i in items["Items"]}


class RejectBeforeStatusMove(SourceStore):
    """A SourceStore whose config write is followed, before the status move, by another
    writer (an admin in a second window) rejecting the source on the same server."""

    def __init__(self, tables: Tables, other: Tables) -> None:
        super().__init__(tables)
        self.other = other

    def put_config(self, config: SourceConfig, *, approved_by: str | None = None) -> SourceConfig:
        saved = super().put_config(config, approved_by=approved_by)
        SourceStore(self.other).transition(
            config.source_id,
            SourceStatus.REJECTED,
            expected=SourceStatus.ANALYSIS_COMPLETE,
            reason="duplicate",
        )
        return saved


def test_approval_racing_a_rejection_fails_clearly_and_leaves_no_half_update(
    dynalite_endpoint: str, prefix: str, monkeypatch: pytest.MonkeyPatch, fault: FaultRecord
) -> None:
    fault.injected = (
        "approve a source while a second writer rejects it between the approval's config write and "
        "its conditional status move (dynalite, two connections)"
    )
    fault.behaviour = "ConditionalCheckFailed -> one-line ConflictError; the config written is undone"
    tables, other = _connect(dynalite_endpoint, prefix), _connect(dynalite_endpoint, prefix)
    _analysed_source(tables, "raced")
    before = _source_rows(tables, "raced")
    monkeypatch.setattr("famact.app.workflow.SourceStore", lambda t: RejectBeforeStatusMove(t, other))
    with pytest.raises(ConflictError) as raised:
        approve_source(tables, "raced")
    message = str(raised.value)
    assert "\n" not in message and "raced" in message and "rejected" in message, message
    after = _source_rows(tables, "raced")
    # The other writer's status stands; no CONFIG or CONFIG#V1 row is left behind.
    assert after["SUBMISSION"]["status"] == "rejected" and after["SUBMISSION"]["status_reason"] == "duplicate"
    assert set(after) == set(before)
    changed = {k for k in before if k != "SUBMISSION" and after.get(k) != before[k]}
    assert not changed
    assert OperationsStore(tables).get_slot("raced") is None  # no crawl scheduled for it
    fault.items_lost = len(changed)


def test_approve_after_a_concurrent_rejection_is_one_line_from_the_command(
    dynalite_endpoint: str, prefix: str, fault: FaultRecord
) -> None:
    fault.injected = "two admins: one rejects the source, the other's approve arrives after it (real CLI)"
    fault.behaviour = "exit 1 with one line naming the actual status; the stored source unchanged"
    tables = _connect(dynalite_endpoint, prefix)
    _analysed_source(tables, "late")
    SourceStore(_connect(dynalite_endpoint, prefix)).transition(
        "late", SourceStatus.REJECTED, expected=SourceStatus.ANALYSIS_COMPLETE, reason="spam"
    )
    before = _source_rows(tables, "late")
    env = store_env(dynalite_endpoint, prefix)
    proc = subprocess.run(
        [sys.executable, "-m", "famact.app.cli", "sources", "approve", "late"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("famact: error: status:") and "rejected" in lines[0]
    after = _source_rows(tables, "late")
    fault.items_lost = len({k for k in before if after.get(k) != before[k]})
    assert after == before
