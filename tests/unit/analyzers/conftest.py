"""Fixtures of the analyzer tests: a clean environment and the loopback fakes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from famact.settings import get_settings
from tests.support.fake_jina import FakeJina, FakeSite
from tests.support.fake_openai import FakeOpenAI

ENV_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "FAMACT_LLM_MODEL",
    "JINA_API_KEY",
    "JINA_READER_URL",
    "JINA_REQUESTS_PER_MINUTE",
    "FAMACT_ALLOW_PRIVATE_URLS",
    "FAMACT_USER_AGENT",
    "FAMACT_ANALYSIS_BACKOFF_S",
    "FAMACT_PROPOSED_REQUESTS_PER_MINUTE",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No key, URL or switch from the developer's shell leaks into a test."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_jina() -> Iterator[FakeJina]:
    server = FakeJina()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site() -> Iterator[FakeSite]:
    server = FakeSite()
    server.start()
    yield server
    server.stop()
