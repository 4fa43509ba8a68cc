"""Point the crawl components' own `connect()` at the test's tables (moto or dynalite)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from famact.settings import get_settings


@pytest.fixture
def crawl_tables(store_tables: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`store_tables`, with the environment set so that a component's `connect()` opens them."""
    monkeypatch.setenv("FAMACT_TABLE_PREFIX", store_tables.prefix)
    endpoint = str(store_tables.client.meta.endpoint_url)
    if endpoint.startswith("http://127.0.0.1"):  # dynalite; moto intercepts the AWS endpoint
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
    get_settings.cache_clear()
    yield store_tables
    get_settings.cache_clear()
