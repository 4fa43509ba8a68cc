"""The three table specs: one source of truth for local creation, tests and the CDK stack.

Specs are plain data (dataclasses); `create_table_request` turns one into the boto3
`create_table` arguments, and `deploy/` reads the same specs to build the CDK stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from famact.keys import GSI_ATTRS

TTL_ATTRIBUTE = "expires_at"


@dataclass(frozen=True)
class IndexSpec:
    name: str
    pk: str
    sk: str


@dataclass(frozen=True)
class TableSpec:
    key: str  # short name used in code: "activities", "sources", "operations"
    suffix: str  # table name after the prefix
    pk: str = "PK"
    sk: str = "SK"
    indexes: tuple[IndexSpec, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None

    def name(self, prefix: str) -> str:
        return f"{prefix}{self.suffix}"


def _gsi(n: int, name: str) -> IndexSpec:
    pk, sk = GSI_ATTRS[n]
    return IndexSpec(name=name, pk=pk, sk=sk)


LOCATION_DATE_INDEX = "location-date-index"
CATEGORY_AGE_INDEX = "category-age-index"
VENUE_ACTIVITY_INDEX = "venue-activity-index"
PROVIDER_INDEX = "provider-index"
STATUS_PRIORITY_INDEX = "status-priority-index"
NEXT_RUN_INDEX = "next-run-index"
SOURCE_EXECUTION_INDEX = "source-execution-index"

ACTIVITIES = TableSpec(
    key="activities",
    suffix="family-activities",
    indexes=(
        _gsi(1, LOCATION_DATE_INDEX),
        _gsi(2, CATEGORY_AGE_INDEX),
        _gsi(3, VENUE_ACTIVITY_INDEX),
        _gsi(4, PROVIDER_INDEX),
    ),
)
SOURCES = TableSpec(
    key="sources",
    suffix="source-management",
    indexes=(_gsi(1, STATUS_PRIORITY_INDEX),),
)
OPERATIONS = TableSpec(
    key="operations",
    suffix="scraping-operations",
    indexes=(_gsi(1, NEXT_RUN_INDEX), _gsi(2, SOURCE_EXECUTION_INDEX)),
    ttl_attribute=TTL_ATTRIBUTE,
)
ALL_TABLES: tuple[TableSpec, ...] = (ACTIVITIES, SOURCES, OPERATIONS)


def index_by_name(spec: TableSpec, name: str) -> IndexSpec:
    for index in spec.indexes:
        if index.name == name:
            return index
    raise KeyError(f"table {spec.suffix} has no index {name!r}")


def create_table_request(spec: TableSpec, prefix: str) -> dict[str, Any]:
    """boto3 `create_table` kwargs: on-demand billing, string keys, ALL projection."""
    attributes = {spec.pk, spec.sk}
    for index in spec.indexes:
        attributes.update((index.pk, index.sk))
    return {
        "TableName": spec.name(prefix),
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)
        ],
        "KeySchema": [
            {"AttributeName": spec.pk, "KeyType": "HASH"},
            {"AttributeName": spec.sk, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.pk, "KeyType": "HASH"},
                    {"AttributeName": index.sk, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in spec.indexes
        ],
    }
