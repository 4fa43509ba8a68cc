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
    # Non-key attributes projected (INCLUDE); None projects ALL. The table and index keys
    # are always projected.
    include: tuple[str, ...] | None = None

    def projection(self) -> dict[str, Any]:
        """The DynamoDB `Projection` of the index."""
        if self.include is None:
            return {"ProjectionType": "ALL"}
        return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(self.include)}


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


def _gsi(n: int, name: str, include: tuple[str, ...] | None = None) -> IndexSpec:
    pk, sk = GSI_ATTRS[n]
    return IndexSpec(name=name, pk=pk, sk=sk, include=include)


LOCATION_DATE_INDEX = "location-date-index"
CATEGORY_AGE_INDEX = "category-age-index"
VENUE_ACTIVITY_INDEX = "venue-activity-index"
PROVIDER_INDEX = "provider-index"
STATUS_PRIORITY_INDEX = "status-priority-index"
NEXT_RUN_INDEX = "next-run-index"
SOURCE_EXECUTION_INDEX = "source-execution-index"

# What search (famact/search.py) reads from a family-activities index row: the inputs of
# every filter and a result card, written on each row by famact/store/rows.py. The indexes
# project only these small attributes, so a search never fetches a whole entity to decide
# whether to show it, and the indexes do not hold copies of descriptions and schedules.
# (DynamoDB allows 100 projected non-key attributes over all indexes of a table: 97 here.)
CARD_ATTRS: tuple[str, ...] = (
    "entity_type",
    "entity_id",
    "name",
    "entity_status",  # the entity's status on every row (`status` of a point row is its own)
    "region",
    "city",
    "category",
    "pricing",
    "age_groups",
    "min_age_months",
    "max_age_months",
    "venue_name",
    "address",
    "url",
    "start_date",
    "end_date",
    "search_text",  # the distinct words `q` is matched against (capped)
    "search_text_partial",  # set when the cap cut words off: search checks the record
    "row_format",
)
# A row at one point (INSTANCE, AGE): its date, time and status, and the date of the
# entity's previous point (shown, and also counting cancelled ones) so that a row knows
# whether it is the entity's first in a window without reading the others.
POINT_ATTRS: tuple[str, ...] = (
    "date",
    "start_time",
    "end_time",
    "status",
    "prev_active_date",
    "prev_listed_date",
)
POINTS_ATTR = "points"  # a METADATA row: every point of the entity (date|time|status)
# A METADATA row's owners and status (entity status; provider lists filter on it).
OWNER_ATTRS: tuple[str, ...] = ("venue_id", "provider_id", "status")

ACTIVITIES = TableSpec(
    key="activities",
    suffix="family-activities",
    indexes=(
        _gsi(1, LOCATION_DATE_INDEX, (*CARD_ATTRS, *POINT_ATTRS, POINTS_ATTR)),  # INSTANCE, METADATA
        _gsi(2, CATEGORY_AGE_INDEX, (*CARD_ATTRS, *POINT_ATTRS)),  # AGE rows
        _gsi(3, VENUE_ACTIVITY_INDEX, (*CARD_ATTRS, POINTS_ATTR, *OWNER_ATTRS)),  # METADATA
        _gsi(4, PROVIDER_INDEX, (*CARD_ATTRS, POINTS_ATTR, *OWNER_ATTRS)),  # METADATA
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
    """boto3 `create_table` kwargs: on-demand billing, string keys, each index's projection."""
    attributes = {spec.pk, spec.sk}
    for index in spec.indexes:
        attributes.update((index.pk, index.sk))
    return {
        "TableName": spec.name(prefix),
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
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
                "Projection": index.projection(),
            }
            for index in spec.indexes
        ],
    }
