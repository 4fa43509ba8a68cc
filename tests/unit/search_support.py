"""What the search tests share (tests/unit/test_search.py, test_search_cards.py): the frozen
dates they store and search at, an ActivityStore on the `store_tables` backends, one-query and
result-id shorthands. One copy, so both files search the same "today" the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from famact.search import SearchQuery, SearchResult, search
from famact.store.activities import ActivityStore

TODAY = date(2026, 3, 2)
T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(name="store")
def activity_store(store_tables: Any) -> ActivityStore:
    """The `store` fixture: an ActivityStore on fresh tables (moto and dynalite, from
    `store_tables`). A module that imports `activity_store` gets it as `store`."""
    return ActivityStore(store_tables)


def run(store: ActivityStore, **params: Any) -> SearchResult:
    """One search on `TODAY` with `params` as the SearchQuery's fields."""
    return search(store, SearchQuery(**params), today=TODAY)


def ids(result: SearchResult) -> list[str]:
    """The entity ids of a result's items, in the order returned."""
    return [item["entity_id"] for item in result.items]
