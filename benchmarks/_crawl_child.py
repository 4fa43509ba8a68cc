"""`python -m benchmarks._crawl_child COUNTS_FILE RUNNER_ARGS...`: famact's crawl runner, with
every DynamoDB write request counted.

This is `python -m famact_crawler.runner RUNNER_ARGS...` in the same process, plus a counter
wrapped around botocore's `BaseClient._make_api_call` (a library, not famact code), because
dynalite does not report consumed capacity. Counted per operation: every item put or deleted
by BatchWriteItem (retries of unprocessed items count again, as they cost again), every
PutItem / UpdateItem / DeleteItem, and an estimate of the write capacity units they would use
on DynamoDB: ceil(item size / 1 KB) for the table plus the same again for each index the item
is in (every index projects ALL attributes); 1 unit per delete, update or table for the
update and delete paths whose item size the request does not show. Conditional writes that
fail still cost on DynamoDB, and are counted here because the request was sent.

The counts, and the process's peak RSS (`vm_hwm_bytes`), are written to COUNTS_FILE as JSON
when the process exits.
"""

from __future__ import annotations

import atexit
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.client import BaseClient

from benchmarks._proc import vm_hwm_bytes
from famact.keys import GSI_ATTRS

WRITE_OPS = ("PutItem", "UpdateItem", "DeleteItem")


def attribute_size(value: dict[str, Any]) -> int:
    """Approximate DynamoDB size in bytes of one attribute value (low-level client form)."""
    ((kind, inner),) = value.items()
    if kind in ("S", "B"):
        return len(inner.encode("utf-8")) if isinstance(inner, str) else len(inner)
    if kind == "N":
        return len(str(inner).lstrip("-").replace(".", "")) // 2 + 2
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + attribute_size(v) for k, v in inner.items())
    if kind == "L":
        return 3 + sum(1 + attribute_size(v) for v in inner)
    if kind in ("SS", "NS", "BS"):
        return sum(len(str(v)) for v in inner)
    return len(json.dumps(inner))


AV_TAGS = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})
_serializer = TypeSerializer()


def as_attribute_value(value: Any) -> dict[str, Any]:
    """Low-level form of a value: resource calls (`table.put_item`) reach botocore with plain
    Python values, which boto3 serializes only later, in an event handler."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in AV_TAGS:
        return value
    try:
        return _serializer.serialize(value)
    except TypeError:
        return {"S": json.dumps(value, default=str)}


def item_units(item: dict[str, Any]) -> int:
    size = sum(len(k.encode()) + attribute_size(as_attribute_value(v)) for k, v in item.items())
    indexes = sum(1 for pk, sk in GSI_ATTRS.values() if pk in item and sk in item)
    return math.ceil(max(size, 1) / 1024) * (1 + indexes)


def row_kind(table: str, item: dict[str, Any]) -> str:
    """`<table>/<first part of SK>` (`family-activities/INSTANCE`): which rows the writes went to."""
    sort_key = as_attribute_value(item.get("SK", "")).get("S", "")
    return f"{table}/{str(sort_key).split('#', 1)[0] or '?'}"


class WriteCounter:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def observe(self, operation: str, params: dict[str, Any]) -> None:
        self.counts[f"calls/{operation}"] += 1
        if operation == "BatchWriteItem":
            for table, requests in params.get("RequestItems", {}).items():
                for request in requests:
                    if "PutRequest" in request:
                        self.counts["puts"] += 1
                        self.counts[f"puts/{row_kind(table, request['PutRequest']['Item'])}"] += 1
                        self.counts["wcu_estimate"] += item_units(request["PutRequest"]["Item"])
                    else:
                        self.counts["deletes"] += 1
                        self.counts[f"deletes/{row_kind(table, request['DeleteRequest']['Key'])}"] += 1
                        self.counts["wcu_estimate"] += 1
        elif operation == "PutItem":
            self.counts["puts"] += 1
            self.counts[f"puts/{row_kind(params.get('TableName', '?'), params.get('Item', {}))}"] += 1
            self.counts["wcu_estimate"] += item_units(params.get("Item", {}))
        elif operation in ("UpdateItem", "DeleteItem"):
            self.counts["updates" if operation == "UpdateItem" else "deletes"] += 1
            self.counts["wcu_estimate"] += 1
        if operation == "BatchWriteItem" or operation in WRITE_OPS:
            self.counts["write_requests"] = (
                self.counts["puts"] + self.counts["deletes"] + self.counts["updates"]
            )

    def install(self) -> None:
        original = BaseClient._make_api_call
        counter = self

        def counted(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
            if client.meta.service_model.service_name == "dynamodb":
                counter.observe(operation_name, api_params)
            return original(client, operation_name, api_params)

        BaseClient._make_api_call = counted


def main(argv: list[str]) -> int:
    counts_file, runner_args = Path(argv[0]), argv[1:]
    counter = WriteCounter()
    counter.install()

    def record() -> None:
        # The exact peak RSS of this process (VmHWM), read as it ends: see benchmarks/_proc.py.
        counts = {**counter.counts, "vm_hwm_bytes": vm_hwm_bytes("self")}
        counts_file.write_text(json.dumps(counts))

    atexit.register(record)
    from famact_crawler.runner import main as runner_main

    return runner_main(runner_args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
