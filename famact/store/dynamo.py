"""boto3 plumbing shared by the repositories: connection, table creation, item conversion and
batched reads/writes with retries.

Why these pieces live together: every repository needs the same three things done the same
way, and each has a trap that must be handled once:
- DynamoDB numbers are Decimal; a binary float (0.1 -> 0.1000000000000000055...) must never
  reach it, so floats go through `str()`;
- BatchWriteItem / BatchGetItem may return part of the request unprocessed under load; those
  items are retried with jittered exponential back-off (tenacity) and, when attempts run out,
  the call raises listing what was not written: nothing is silently dropped. Throttling
  errors are retried by botocore first (standard mode), then by the same loop; every
  throttled answer and every unprocessed item is counted on `Tables.retries` so a crawl can
  report them;
- dynalite (the local server) lacks the TTL API, so TTL setup is best-effort with a warning.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

import boto3
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError
from pydantic import BaseModel
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from famact.settings import Settings, get_settings
from famact.store.capacity import CONSUMED
from famact.store.errors import StoreError, UnwrittenItemsError, ValidationError
from famact.tables import ACTIVITIES, ALL_TABLES, OPERATIONS, SOURCES, TableSpec, create_table_request

log = logging.getLogger(__name__)

BATCH_WRITE_SIZE = 25  # BatchWriteItem's hard limit
WRITE_CONCURRENCY = 4  # BatchWriteItem requests in flight at once
BATCH_GET_SIZE = 100  # BatchGetItem's hard limit
KEY_ATTRS = ("PK", "SK")
THROTTLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
    }
)
# What a server without the TTL API (dynalite) answers to UpdateTimeToLive.
MISSING_API_CODES = frozenset(
    {"UnknownOperationException", "UnknownOperation", "NotImplementedException", "InvalidAction"}
)
DUMMY_CREDENTIAL = "famact-local"

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class StoreRetries:
    """What DynamoDB made this process retry: throttled answers (each retried by botocore or
    by the batch loops) and batch items handed back unprocessed (each sent again).
    Thread-safe: batch writes run on several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.throttled = 0
        self.unprocessed = 0

    def add(self, *, throttled: int = 0, unprocessed: int = 0) -> None:
        with self._lock:
            self.throttled += throttled
            self.unprocessed += unprocessed

    def on_attempt(self, response: Any = None, caught_exception: Any = None, **_: Any) -> None:
        """botocore `needs-retry` handler: runs after every HTTP attempt, before botocore
        decides to retry; returns None so botocore's own retry decision stands."""
        if response is None:
            return
        parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else {}
        code = parsed.get("Error", {}).get("Code") if isinstance(parsed, dict) else None
        if code in THROTTLE_CODES:
            self.add(throttled=1)


@dataclass(frozen=True)
class Tables:
    """The three tables of one deployment (one table prefix) and the low-level client.

    Table objects take and return plain Python values (Decimal numbers); the client is used
    for BatchWriteItem / BatchGetItem, whose partial results the store retries itself.
    """

    client: Any
    activities: Any
    sources: Any
    operations: Any
    prefix: str
    retries: StoreRetries = field(default_factory=StoreRetries)

    def name(self, spec: TableSpec) -> str:
        return spec.name(self.prefix)


def connect(settings: Settings | None = None) -> Tables:
    """Open the three tables named by the settings' prefix, on AWS or a local endpoint."""
    settings = settings or get_settings()
    endpoint = settings.dynamodb_endpoint
    session_args: dict[str, Any] = {"region_name": settings.aws_region}
    has_credentials = bool(os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE"))
    if endpoint and not has_credentials:
        # dynalite accepts any signature, but botocore refuses to sign without credentials.
        session_args["aws_access_key_id"] = DUMMY_CREDENTIAL
        session_args["aws_secret_access_key"] = DUMMY_CREDENTIAL
    session = boto3.session.Session(**session_args)
    config = Config(
        retries={"mode": "standard", "max_attempts": 5},
        connect_timeout=5,
        read_timeout=30,
    )
    client = session.client("dynamodb", endpoint_url=endpoint, config=config)
    resource = session.resource("dynamodb", endpoint_url=endpoint, config=config)
    retries = StoreRetries()
    for low_level in (client, resource.meta.client):
        low_level.meta.events.register("needs-retry.dynamodb", retries.on_attempt)
        CONSUMED.register(low_level)  # the units an EXECUTION row records (famact cost)
    prefix = settings.table_prefix
    return Tables(
        client=client,
        activities=resource.Table(ACTIVITIES.name(prefix)),
        sources=resource.Table(SOURCES.name(prefix)),
        operations=resource.Table(OPERATIONS.name(prefix)),
        prefix=prefix,
        retries=retries,
    )


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


# --------------------------------------------------------------------------------------------
# Tables


def create_tables(
    client: Any, prefix: str, *, timeout_s: float = 120.0, specs: Iterable[TableSpec] = ALL_TABLES
) -> list[tuple[str, str]]:
    """Create every table that is missing; idempotent. Returns (name, "created" | "exists")."""
    results: list[tuple[str, str]] = []
    for spec in specs:
        name = spec.name(prefix)
        try:
            client.create_table(**create_table_request(spec, prefix))
            results.append((name, "created"))
        except ClientError as exc:
            if error_code(exc) != "ResourceInUseException":
                raise
            results.append((name, "exists"))
        wait_until_active(client, name, timeout_s=timeout_s)
        if spec.ttl_attribute:
            _enable_ttl(client, name, spec.ttl_attribute)
    return results


def wait_until_active(client: Any, name: str, *, timeout_s: float = 120.0) -> None:
    """Poll DescribeTable until the table and its indexes are ACTIVE (botocore's waiter
    sleeps 20 s between polls, far too long for a local server)."""
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while True:
        table = client.describe_table(TableName=name)["Table"]
        indexes = table.get("GlobalSecondaryIndexes", [])
        if table["TableStatus"] == "ACTIVE" and all(i["IndexStatus"] == "ACTIVE" for i in indexes):
            return
        if time.monotonic() > deadline:
            raise StoreError(f"table {name} not ACTIVE after {timeout_s:.0f}s: {table['TableStatus']}")
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def _enable_ttl(client: Any, name: str, attribute: str) -> None:
    try:
        current = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if current.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            return
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
        )
    except ClientError as exc:
        if error_code(exc) not in MISSING_API_CODES:
            raise
        # Reads filter expired rows themselves, so a server without TTL only keeps more rows.
        log.warning("TTL not supported by this DynamoDB endpoint (%s); skipped for %s", error_code(exc), name)


def describe_tables(client: Any, prefix: str) -> list[dict[str, Any]]:
    """Status, item count (approximate on AWS), indexes and TTL of each table."""
    out: list[dict[str, Any]] = []
    for spec in ALL_TABLES:
        name = spec.name(prefix)
        try:
            table = client.describe_table(TableName=name)["Table"]
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
            out.append({"name": name, "status": "MISSING"})
            continue
        ttl = "n/a"
        if spec.ttl_attribute:
            try:
                desc = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
                ttl = str(desc.get("TimeToLiveStatus", "DISABLED"))
            except ClientError as exc:
                if error_code(exc) not in MISSING_API_CODES:
                    raise
                ttl = "unsupported"
        out.append(
            {
                "name": name,
                "status": table["TableStatus"],
                "item_count": int(table.get("ItemCount", 0)),
                "indexes": sorted(i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])),
                "ttl": ttl,
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# Item conversion


def to_item(value: Any) -> Any:
    """Python / pydantic value -> what boto3 stores: Decimal numbers, ISO strings for dates,
    enum values, no None attributes. Floats go through str() so 0.1 is stored as 0.1."""
    if isinstance(value, BaseModel):
        return to_item(value.model_dump(mode="python"))
    if isinstance(value, Enum):
        return to_item(value.value)
    if value is None or isinstance(value, (str, bool, Decimal, bytes, Binary)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError("number", value, "DynamoDB cannot store NaN or infinity")
        return Decimal(str(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_item(v) for k, v in value.items() if v is not None}
    if isinstance(value, (set, frozenset)):
        return sorted(to_item(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [to_item(v) for v in value]
    raise ValidationError("item value", value, f"cannot store a {type(value).__name__}")


def from_item(value: Any) -> Any:
    """boto3 value -> plain Python: integral Decimals become int, others float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: from_item(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(from_item(v) for v in value)
    if isinstance(value, list):
        return [from_item(v) for v in value]
    if isinstance(value, Binary):
        return value.value
    return value


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """A plain item -> the low-level client's attribute-value map."""
    return {k: _serializer.serialize(v) for k, v in to_item(item).items()}


def deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """The low-level client's attribute-value map -> a plain item (numbers still Decimal)."""
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def key_of(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in KEY_ATTRS}


def key_text(key: Mapping[str, Any]) -> str:
    """A readable `PK | SK` for error messages; accepts plain or attribute-value keys."""
    parts = []
    for attr in KEY_ATTRS:
        value = key.get(attr)
        if isinstance(value, Mapping):
            value = value.get("S", value)
        parts.append(str(value))
    return " | ".join(parts)


# --------------------------------------------------------------------------------------------
# Batched writes and reads


class _Pending(Exception):
    """Part of a batch request is still unprocessed (or the call was throttled): retry it."""


def _retrying(max_attempts: int, base_delay: float, sleep: Callable[[float], None]) -> Retrying:
    # Full jitter (random in [0, base * 2^n], capped): spreads retries of parallel writers.
    return Retrying(
        stop=stop_after_attempt(max_attempts),
        wait=wait_random_exponential(multiplier=base_delay, max=5.0),
        retry=retry_if_exception_type(_Pending),
        sleep=sleep,
        reraise=True,
    )


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def batch_write(
    table_name: str,
    client: Any,
    puts: Iterable[Mapping[str, Any]] = (),
    deletes: Iterable[Mapping[str, Any]] = (),
    *,
    max_attempts: int = 8,
    base_delay: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
    retries: StoreRetries | None = None,
) -> int:
    """Write `puts` (whole items) and delete `deletes` (keys) through BatchWriteItem.

    Chunks of 25; UnprocessedItems and throttling errors are retried with back-off. One key
    may appear once per request, so a later put of the same key wins and a delete of a key
    that is also put is dropped. Returns the number of requests written; raises
    `UnwrittenItemsError` (a StoreError) listing every item not written when attempts run out.
    Items handed back unprocessed are counted on `retries` (throttled answers are counted
    by `StoreRetries.on_attempt`, which sees every attempt).
    """
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for item in puts:
        key = (str(item["PK"]), str(item["SK"]))
        by_key[key] = {"PutRequest": {"Item": serialize(item)}}
    for key_item in deletes:
        key = (str(key_item["PK"]), str(key_item["SK"]))
        by_key.setdefault(key, {"DeleteRequest": {"Key": serialize(key_of(key_item))}})
    requests = list(by_key.values())
    chunks = list(_chunks(requests, BATCH_WRITE_SIZE))

    def write_chunk(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Write one chunk with retries; return what is still unwritten (empty on success)."""
        pending = chunk

        def send() -> None:
            nonlocal pending
            try:
                response = client.batch_write_item(RequestItems={table_name: pending})
            except ClientError as exc:
                if error_code(exc) in THROTTLE_CODES:
                    raise _Pending(error_code(exc)) from exc
                raise
            pending = response.get("UnprocessedItems", {}).get(table_name, [])
            if pending:
                if retries is not None:
                    retries.add(unprocessed=len(pending))
                raise _Pending(f"{len(pending)} unprocessed")

        try:
            for attempt in _retrying(max_attempts, base_delay, sleep):
                with attempt:
                    send()
        except _Pending:
            return pending
        return []

    if len(chunks) <= 1:
        unwritten = [r for chunk in chunks for r in write_chunk(chunk)]
    else:
        # A few chunks in flight at once: BatchWriteItem latency, not bandwidth, bounds a
        # single writer (the store_write benchmark measures it). boto3 clients are thread-safe.
        with ThreadPoolExecutor(max_workers=min(WRITE_CONCURRENCY, len(chunks))) as pool:
            unwritten = [r for rest in pool.map(write_chunk, chunks) for r in rest]
    if unwritten:
        raise UnwrittenItemsError(table_name, map(_request_key_text, unwritten), max_attempts)
    return len(requests)


def _request_key_text(request: Mapping[str, Any]) -> str:
    if "PutRequest" in request:
        return "put " + key_text(request["PutRequest"]["Item"])
    return "delete " + key_text(request["DeleteRequest"]["Key"])


def batch_get(
    table_name: str,
    client: Any,
    keys: Iterable[Mapping[str, Any]],
    *,
    projection: Iterable[str] | None = None,
    consistent: bool = False,
    max_attempts: int = 8,
    base_delay: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
    retries: StoreRetries | None = None,
) -> list[dict[str, Any]]:
    """Read items by key through BatchGetItem (100 keys a call), retrying UnprocessedKeys.

    Returns plain items (Decimal numbers) in no particular order; missing keys are absent.
    """
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for key in keys:
        unique[(str(key["PK"]), str(key["SK"]))] = serialize(key_of(key))
    spec: dict[str, Any] = {"ConsistentRead": consistent}
    if projection is not None:
        names = {f"#p{i}": name for i, name in enumerate(dict.fromkeys([*KEY_ATTRS, *projection]))}
        spec["ProjectionExpression"] = ", ".join(names)
        spec["ExpressionAttributeNames"] = names
    found: list[dict[str, Any]] = []
    for chunk in _chunks(list(unique.values()), BATCH_GET_SIZE):
        pending: list[dict[str, Any]] = chunk

        def fetch() -> None:
            nonlocal pending
            try:
                response = client.batch_get_item(RequestItems={table_name: {**spec, "Keys": pending}})
            except ClientError as exc:
                if error_code(exc) in THROTTLE_CODES:
                    raise _Pending(error_code(exc)) from exc
                raise
            found.extend(deserialize(i) for i in response.get("Responses", {}).get(table_name, []))
            pending = response.get("UnprocessedKeys", {}).get(table_name, {}).get("Keys", [])
            if pending:
                if retries is not None:
                    retries.add(unprocessed=len(pending))
                raise _Pending(f"{len(pending)} unprocessed keys")

        try:
            for attempt in _retrying(max_attempts, base_delay, sleep):
                with attempt:
                    fetch()
        except _Pending:
            raise StoreError(
                f"{len(pending)} key(s) could not be read from {table_name} after {max_attempts} "
                f"attempts: {', '.join(key_text(k) for k in pending[:10])}"
            ) from None
    return found


def conditional_check_failed(exc: ClientError) -> bool:
    return error_code(exc) == "ConditionalCheckFailedException"
