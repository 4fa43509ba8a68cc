"""A loopback HTTP proxy in front of a real DynamoDB-compatible server (dynalite) that injects
the throttling a busy table answers with.

boto3 is pointed at the proxy (`AWS_ENDPOINT_URL_DYNAMODB=proxy.url`); every request is
forwarded unchanged to the upstream server, except that, as `ThrottlePlan` says:

- the first and then every `throttle_every`-th request of the targeted operations is
  answered, without reaching the server, with HTTP 400 and a DynamoDB throttling error
  (`ProvisionedThroughputExceededException`, `ThrottlingException`, ... cycled), as AWS does;
- the first and every `unprocessed_every`-th BatchWriteItem is trimmed: only the first part of its write
  requests is forwarded, and the rest is added to the answer's `UnprocessedItems`, as
  DynamoDB does when a partition is hot.

The operation is read from the `X-Amz-Target` header (`DynamoDB_20120810.BatchWriteItem`).
A changed answer gets a fresh `x-amz-crc32`, which botocore checks. dynalite does not check
signatures, so a trimmed request body needs no re-signing. `events` records what happened to
each request (time, operation, outcome, write keys) for tests to assert on.

In-process: `with DynamoProxy(upstream, ThrottlePlan(throttle_every=3)) as proxy: ...`.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tests.support.fake_openai import LoopbackServer, QuietHandler

THROTTLE_CODES = ("ProvisionedThroughputExceededException", "ThrottlingException")
ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#"
AMZ_JSON = "application/x-amz-json-1.0"
# Headers that describe one hop, not the message (RFC 9110 section 7.6.1).
HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})


@dataclass
class ThrottlePlan:
    """Which requests get a fault. Counters are per plan, so a plan is deterministic."""

    throttle_every: int = 0  # 0: never throttle
    throttle_codes: tuple[str, ...] = THROTTLE_CODES
    throttle_operations: frozenset[str] = frozenset({"BatchWriteItem", "BatchGetItem"})
    unprocessed_every: int = 0  # 0: never trim a BatchWriteItem
    keep_share: float = 0.5  # share of a trimmed batch's write requests that is forwarded
    _seen: dict[str, int] = field(default_factory=dict)

    def next_fault(self, operation: str) -> str | None:
        """'throttle', 'trim' or None for the next request of `operation`."""
        if operation in self.throttle_operations and self.throttle_every:
            n = self._seen["throttle"] = self._seen.get("throttle", 0) + 1
            if (n - 1) % self.throttle_every == 0:  # the first, then every N-th
                return "throttle"
        if operation == "BatchWriteItem" and self.unprocessed_every:
            n = self._seen["trim"] = self._seen.get("trim", 0) + 1
            if (n - 1) % self.unprocessed_every == 0:
                return "trim"
        return None

    def throttle_code(self) -> str:
        n = self._seen["codes"] = self._seen.get("codes", 0) + 1
        return self.throttle_codes[(n - 1) % len(self.throttle_codes)]


@dataclass(frozen=True)
class ProxyEvent:
    at: float  # time.monotonic()
    operation: str
    outcome: str  # forwarded | throttled:<code> | trimmed | upstream-error
    written: tuple[str, ...] = ()  # "PK|SK" of the write requests that reached the server
    unprocessed: int = 0  # write requests handed back as UnprocessedItems


def _write_key(request: dict[str, Any]) -> str:
    body = request.get("PutRequest", {}).get("Item") or request.get("DeleteRequest", {}).get("Key") or {}
    return "|".join(str(body.get(attr, {}).get("S", "?")) for attr in ("PK", "SK"))


def trim_batch(body: dict[str, Any], keep_share: float) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Split a BatchWriteItem body: (the body to forward, the requests held back by table).

    With `keep_share` > 0 at least one request is forwarded and, of two or more, at least one
    held back; a one-request batch goes through whole, so a writer that retries always makes
    progress. `keep_share` 0 holds everything back (a table that accepts nothing)."""
    forward: dict[str, list[Any]] = {}
    held: dict[str, list[Any]] = {}
    for table, requests in body.get("RequestItems", {}).items():
        if keep_share <= 0:
            keep = 0
        elif len(requests) == 1:
            keep = 1
        else:
            keep = min(max(1, int(len(requests) * keep_share)), len(requests) - 1)
        if requests[:keep]:
            forward[table] = requests[:keep]
        if requests[keep:]:
            held[table] = requests[keep:]
    return {**body, "RequestItems": forward}, held


class DynamoProxyHandler(QuietHandler):
    fake: DynamoProxy

    def do_POST(self) -> None:
        raw = self.read_body()
        target = self.headers.get("X-Amz-Target", "")
        operation = target.rsplit(".", 1)[-1]
        fault = self.fake.next_fault(operation)
        if fault == "throttle":
            code = self.fake.plan.throttle_code()
            self.fake.record(ProxyEvent(time.monotonic(), operation, f"throttled:{code}"))
            payload = {
                "__type": ERROR_PREFIX + code,
                "message": "Rate of requests exceeds the allowed throughput.",
            }
            self._answer(400, json.dumps(payload).encode(), {"Content-Type": AMZ_JSON})
            return
        body = json.loads(raw) if raw else {}
        held: dict[str, list[Any]] = {}
        if fault == "trim":
            body, held = trim_batch(body, self.fake.plan.keep_share)
        written = (
            tuple(_write_key(r) for rs in body.get("RequestItems", {}).values() for r in rs)
            if operation == "BatchWriteItem"
            else ()
        )
        if fault == "trim" and not body["RequestItems"]:
            # Nothing left to forward (a one-item batch): DynamoDB answers all unprocessed.
            status, headers, answer = 200, {"Content-Type": AMZ_JSON}, b'{"UnprocessedItems":{}}'
        else:
            forwarded = json.dumps(body).encode() if fault == "trim" else raw
            status, headers, answer = self.fake.forward(self.path, dict(self.headers.items()), forwarded)
        if held and status == 200:
            parsed = json.loads(answer)
            unprocessed = parsed.setdefault("UnprocessedItems", {})
            for table, requests in held.items():
                unprocessed.setdefault(table, []).extend(requests)
            answer = json.dumps(parsed).encode()
        count = sum(len(r) for r in held.values())
        outcome = "trimmed" if held else ("forwarded" if status < 500 else "upstream-error")
        self.fake.record(ProxyEvent(time.monotonic(), operation, outcome, written, count))
        self._answer(status, answer, headers)

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in HOP_HEADERS and name.lower() != "x-amz-crc32":
                self.send_header(name, value)
        self.send_header("x-amz-crc32", str(zlib.crc32(body)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class DynamoProxy(LoopbackServer):
    """Forwards to `upstream` (`http://127.0.0.1:PORT`), injecting the faults of `plan`."""

    handler_class = DynamoProxyHandler

    def __init__(self, upstream: str, plan: ThrottlePlan | None = None, port: int = 0) -> None:
        super().__init__(port)
        parts = urlsplit(upstream)
        if parts.hostname not in ("127.0.0.1", "localhost") or parts.port is None:
            raise ValueError(f"upstream must be a loopback http://127.0.0.1:PORT, not {upstream!r}")
        self.upstream_port = parts.port
        self.plan = plan or ThrottlePlan()
        self.events: list[ProxyEvent] = []
        self._local = threading.local()

    def next_fault(self, operation: str) -> str | None:
        with self.lock:
            return self.plan.next_fault(operation)

    def record(self, event: ProxyEvent) -> None:
        with self.lock:
            self.events.append(event)

    def forward(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        """One request to the upstream server on this handler thread's own connection."""
        out = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS}
        out["Content-Length"] = str(len(body))
        for attempt in range(2):
            conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
            if conn is None:
                conn = self._local.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.upstream_port, timeout=30
                )
            try:
                conn.request("POST", path, body=body, headers=out)
                response = conn.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                self._local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def outcomes(self, operation: str | None = None) -> list[str]:
        with self.lock:
            return [e.outcome for e in self.events if operation is None or e.operation == operation]

    def written_keys(self) -> list[str]:
        with self.lock:
            return [key for e in self.events for key in e.written]
