"""Test doubles around a real boto3 client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

# The operations stores' tests start their clocks here.
T0 = datetime(2026, 3, 10, 15, 20, tzinfo=UTC)


class Clock:
    """A clock the test sets by hand (`clock.now = ...`)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class FlakyClient:
    """Wraps the real client: the first `failures` BatchWriteItem / BatchGetItem calls write
    (read) only the first request and report the rest unprocessed, as DynamoDB does under
    load; `throttle` calls before that raise ProvisionedThroughputExceededException."""

    def __init__(self, real: Any, *, failures: int = 0, throttle: int = 0) -> None:
        self.real = real
        self.failures = failures
        self.throttle = throttle
        self.calls = 0

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.throttle:
            self.throttle -= 1
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                "BatchWriteItem",
            )
        if self.failures:
            self.failures -= 1
            ((table, requests),) = RequestItems.items()
            self.real.batch_write_item(RequestItems={table: requests[:1]})
            return {"UnprocessedItems": {table: requests[1:]} if requests[1:] else {}}
        return dict(self.real.batch_write_item(RequestItems=RequestItems))

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            ((table, spec),) = RequestItems.items()
            first = self.real.batch_get_item(RequestItems={table: {**spec, "Keys": spec["Keys"][:1]}})
            rest = spec["Keys"][1:]
            return {
                "Responses": first["Responses"],
                "UnprocessedKeys": {table: {**spec, "Keys": rest}} if rest else {},
            }
        return dict(self.real.batch_get_item(RequestItems=RequestItems))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)
