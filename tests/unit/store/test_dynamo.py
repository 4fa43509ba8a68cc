"""famact.store.dynamo: conversion, table creation, batched writes/reads with retries."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError

from famact.constants import AgeGroup, Priority
from famact.settings import Settings
from famact.store.dynamo import (
    Tables,
    batch_get,
    batch_write,
    connect,
    create_tables,
    describe_tables,
    from_item,
    to_item,
)
from famact.store.errors import StoreError, UnwrittenItemsError, ValidationError
from tests.unit.store.fakes import FlakyClient

# -- conversion ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (0.1, Decimal("0.1")),
        (12.5, Decimal("12.5")),
        (3, 3),
        (True, True),
        ("text", "text"),
        (date(2026, 3, 1), "2026-03-01"),
        (datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-8))), "2026-03-01T09:30:00-08:00"),
        (AgeGroup.TODDLER, "toddler"),
        (Priority.HIGH, "high"),
        ({"a": None, "b": 1.25, "c": [0.5, None]}, {"b": Decimal("1.25"), "c": [Decimal("0.5"), None]}),
        ({"x", "a"}, ["a", "x"]),
        ((1, 2), [1, 2]),
    ],
)
def test_to_item(value: Any, stored: Any) -> None:
    assert to_item(value) == stored


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), object()])
def test_to_item_refuses_what_dynamodb_cannot_store(bad: Any) -> None:
    with pytest.raises(ValidationError):
        to_item({"v": bad})


@pytest.mark.parametrize(
    ("stored", "value"),
    [
        (Decimal("3"), 3),
        (Decimal("3.0"), 3),
        (Decimal("2.50"), 2.5),
        ({"n": [Decimal("1"), {"m": Decimal("0.1")}]}, {"n": [1, {"m": 0.1}]}),
        ({"b", "a"}, ["a", "b"]),
        ("s", "s"),
    ],
)
def test_from_item(stored: Any, value: Any) -> None:
    result = from_item(stored)
    assert result == value and type(result) is type(value)


# -- tables ----------------------------------------------------------------------------------


def test_create_tables_is_idempotent_and_describe_lists_indexes(store_tables: Tables) -> None:
    again = create_tables(store_tables.client, store_tables.prefix)
    assert [state for _, state in again] == ["exists", "exists", "exists"]
    described = {
        t["name"].removeprefix(store_tables.prefix): t
        for t in describe_tables(store_tables.client, store_tables.prefix)
    }
    assert described["family-activities"]["indexes"] == [
        "category-age-index", "location-date-index", "provider-index", "venue-activity-index",
    ]  # fmt: skip
    assert described["source-management"]["indexes"] == ["status-priority-index"]
    assert described["scraping-operations"]["indexes"] == ["next-run-index", "source-execution-index"]
    assert all(t["status"] == "ACTIVE" for t in described.values())
    missing = describe_tables(store_tables.client, "nothing-here-")
    assert {t["status"] for t in missing} == {"MISSING"}


class _NoTtlClient:
    """A real client whose server lacks the TTL API, as dynalite answers it."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def update_time_to_live(self, **_: Any) -> Any:
        raise ClientError({"Error": {"Code": "UnknownOperationException", "Message": ""}}, "UpdateTimeToLive")

    def describe_time_to_live(self, **_: Any) -> Any:
        return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_missing_ttl_api_is_a_warning_not_an_error(
    store_tables: Tables, caplog: pytest.LogCaptureFixture
) -> None:
    prefix = store_tables.prefix + "ttl-"
    with caplog.at_level(logging.WARNING, logger="famact.store.dynamo"):
        result = create_tables(_NoTtlClient(store_tables.client), prefix)
    assert [state for _, state in result] == ["created"] * 3
    assert "TTL not supported" in caplog.text


def test_ttl_is_enabled_or_skipped_with_a_warning_on_the_real_backend(
    store_tables: Tables, caplog: pytest.LogCaptureFixture
) -> None:
    prefix = store_tables.prefix + "ttl2-"
    with caplog.at_level(logging.WARNING, logger="famact.store.dynamo"):
        created = create_tables(store_tables.client, prefix)
    name = prefix + "scraping-operations"
    assert [state for _, state in created] == ["created"] * 3
    if store_tables.client.meta.endpoint_url.startswith("http://127.0.0.1"):
        # dynalite has no UpdateTimeToLive: its real error must be recognised.
        assert "TTL not supported" in caplog.text
    else:
        status = store_tables.client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        assert status == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
        assert caplog.text == ""


def test_connect_uses_dummy_credentials_for_a_local_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    tables = connect(
        Settings(table_prefix="x-", dynamodb_endpoint="http://127.0.0.1:9", aws_region="eu-west-1")
    )
    credentials = tables.client._request_signer._credentials
    assert credentials.access_key == "famact-local"
    assert tables.client.meta.endpoint_url == "http://127.0.0.1:9"
    assert tables.client.meta.region_name == "eu-west-1"
    assert tables.activities.name == "x-family-activities"


# -- batch writes ----------------------------------------------------------------------------


def _items(n: int) -> list[dict[str, Any]]:
    return [{"PK": f"T#{i}", "SK": "METADATA", "n": i, "price": 1.1} for i in range(n)]


def _count(tables: Tables) -> int:
    response = tables.activities.scan(Select="COUNT")
    return int(response["Count"])


def test_batch_write_in_chunks_of_25(store_tables: Tables) -> None:
    client = FlakyClient(store_tables.client)
    assert batch_write(store_tables.activities.name, client, _items(60)) == 60
    assert client.calls == 3
    assert _count(store_tables) == 60
    item = store_tables.activities.get_item(Key={"PK": "T#7", "SK": "METADATA"})["Item"]
    assert item["price"] == Decimal("1.1")


def test_unprocessed_items_are_retried_until_all_are_stored(store_tables: Tables) -> None:
    client = FlakyClient(store_tables.client, failures=5)
    written = batch_write(store_tables.activities.name, client, _items(30), sleep=lambda _: None)
    assert written == 30 and _count(store_tables) == 30
    assert client.calls == 2 + 5


def test_throttling_errors_are_retried(store_tables: Tables) -> None:
    client = FlakyClient(store_tables.client, throttle=2)
    batch_write(store_tables.activities.name, client, _items(3), sleep=lambda _: None)
    assert _count(store_tables) == 3 and client.calls == 3


def test_write_gives_up_listing_what_was_not_written(store_tables: Tables) -> None:
    client = FlakyClient(store_tables.client, failures=10_000)
    sleeps: list[float] = []
    with pytest.raises(UnwrittenItemsError) as caught:
        batch_write(store_tables.activities.name, client, _items(30), max_attempts=3, sleep=sleeps.append)
    error = caught.value
    assert isinstance(error, StoreError)
    # Both chunks are tried (in parallel); each of their 3 attempts wrote one item:
    # chunk 1 (25) has 22 left, chunk 2 (5) has 2 left. Nothing is silently dropped.
    assert len(error.keys) == 22 + 2
    assert "put T#3 | METADATA" in error.keys and "put T#29 | METADATA" in error.keys
    assert "after 3 attempts" in str(error)
    assert len(sleeps) == 4 and all(0 <= s <= 5 for s in sleeps)
    assert _count(store_tables) == 30 - 24


def test_batch_write_puts_and_deletes_with_one_request_per_key(store_tables: Tables) -> None:
    name = store_tables.activities.name
    batch_write(name, store_tables.client, _items(5))
    puts = [{"PK": "T#0", "SK": "METADATA", "n": 100}, {"PK": "T#0", "SK": "METADATA", "n": 200}]
    deletes = [{"PK": "T#1", "SK": "METADATA"}, {"PK": "T#0", "SK": "METADATA"}]
    batch_write(name, store_tables.client, puts, deletes)
    assert store_tables.activities.get_item(Key={"PK": "T#0", "SK": "METADATA"})["Item"]["n"] == 200
    assert "Item" not in store_tables.activities.get_item(Key={"PK": "T#1", "SK": "METADATA"})
    assert _count(store_tables) == 4


def test_batch_get_reads_more_than_100_keys_and_retries_unprocessed(store_tables: Tables) -> None:
    name = store_tables.activities.name
    batch_write(name, store_tables.client, _items(130))
    client = FlakyClient(store_tables.client, failures=3)
    keys = [{"PK": f"T#{i}", "SK": "METADATA"} for i in range(130)] + [{"PK": "T#0", "SK": "METADATA"}]
    found = batch_get(name, client, keys, projection=["n"], sleep=lambda _: None)
    assert sorted(int(i["n"]) for i in found) == list(range(130))
    assert set(found[0]) == {"PK", "SK", "n"}


def test_tables_is_frozen(store_tables: Tables) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        store_tables.prefix = "other"  # type: ignore[misc]


def test_datetime_conversion_keeps_the_offset() -> None:
    assert to_item(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00+00:00"
