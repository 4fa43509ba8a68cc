"""What DynamoDB says this process consumed: read and write capacity units, as the service
reports them per request (ReturnConsumedCapacity=TOTAL, asked on every request that takes
it; the answer costs nothing). On-demand tables bill exactly these units, so a crawl's
EXECUTION row records them and `famact cost` prices the month from them.

One meter per process: the spider's store pipeline, the execution tracker and the vanished
check each open their own connection, and a scrapyd crawl is its own process, so the
process's totals between spider open and close are the crawl's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

READ_OPERATIONS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
PARAMETER = "ReturnConsumedCapacity"


@dataclass(frozen=True)
class Units:
    read: float = 0.0
    write: float = 0.0

    def __sub__(self, other: Units) -> Units:
        return Units(read=self.read - other.read, write=self.write - other.write)


class CapacityMeter:
    """botocore handlers: `ask` adds ReturnConsumedCapacity=TOTAL where the operation takes
    it (and the caller did not choose), `count` adds up the units each answer reports."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read = 0.0
        self._write = 0.0

    def ask(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        shape = getattr(model, "input_shape", None)
        if shape is not None and PARAMETER in shape.members and PARAMETER not in params:
            params[PARAMETER] = "TOTAL"

    def count(self, parsed: Any = None, model: Any = None, **_: Any) -> None:
        if not isinstance(parsed, dict) or model is None:
            return
        consumed = parsed.get("ConsumedCapacity")
        entries = consumed if isinstance(consumed, list) else [consumed] if consumed else []
        units = sum(float(e.get("CapacityUnits", 0) or 0) for e in entries if isinstance(e, dict))
        if not units:
            return
        with self._lock:
            if model.name in READ_OPERATIONS:
                self._read += units
            else:
                self._write += units

    def register(self, client: Any) -> None:
        client.meta.events.register("provide-client-params.dynamodb.*", self.ask)
        client.meta.events.register("after-call.dynamodb.*", self.count)

    def total(self) -> Units:
        with self._lock:
            return Units(read=self._read, write=self._write)


CONSUMED = CapacityMeter()
