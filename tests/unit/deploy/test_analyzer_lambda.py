"""The analyzer function's handler on moto tables and a fixture site on 127.0.0.1: it
analyses what waits in pending_analysis (heuristics: no OpenAI key), leaves sources for the
next invocation when time runs short, and touches no source in another status."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from famact.app import aws_lambda
from famact.app.workflow import submit_source
from famact.constants import SourceStatus
from famact.settings import Settings, get_settings
from famact.store.dynamo import connect, create_tables
from famact.store.sources import SourceStore
from tests.support.site_server import SiteServer, load_site

SITE = "squarespace-events"


class Context:
    """What the handler reads of Lambda's context object."""

    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def _status(store: SourceStore, source_id: str) -> SourceStatus:
    submission = store.get(source_id)
    assert submission is not None
    return submission.status


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    site = load_site(SITE)
    shutil.copytree(site.dir, tmp_path / "site")
    for name in ("OPENAI_API_KEY", "JINA_API_KEY", "AWS_ENDPOINT_URL_DYNAMODB", "FAMACT_SSM_PARAMETERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("FAMACT_TODAY", str(site.meta["today"]))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    get_settings.cache_clear()
    with mock_aws(), SiteServer(tmp_path / "site") as server:
        tables = connect(Settings(table_prefix="lam-", dynamodb_endpoint=None, aws_region="us-west-2"))
        create_tables(tables.client, "lam-")
        yield tables, site.config(server.url).target_urls[0]
    get_settings.cache_clear()


def test_pending_sources_are_analysed_and_the_rest_left_alone(world: tuple[Any, str]) -> None:
    tables, url = world
    submit_source(tables, name="Playhouse", url=url, source_id="playhouse")
    submit_source(tables, name="Paused one", url=url + "?other", source_id="other")
    store = SourceStore(tables)
    store.transition("other", SourceStatus.REJECTED, expected=SourceStatus.PENDING_ANALYSIS, reason="test")

    answer = aws_lambda.analyze_pending({}, Context(14 * 60 * 1000), tables=tables)

    assert answer == {"analyzed": {"playhouse": "config proposed"}, "failed": {}, "left": []}
    assert _status(store, "playhouse") is SourceStatus.ANALYSIS_COMPLETE
    assert _status(store, "other") is SourceStatus.REJECTED
    # Nothing is pending any more: the next invocation does nothing.
    assert aws_lambda.analyze_pending({}, Context(14 * 60 * 1000), tables=tables)["analyzed"] == {}


def test_sources_wait_for_the_next_invocation_when_time_is_short(world: tuple[Any, str]) -> None:
    tables, url = world
    submit_source(tables, name="Playhouse", url=url, source_id="playhouse")
    answer = aws_lambda.analyze_pending({}, Context(aws_lambda.MIN_REMAINING_MS - 1), tables=tables)
    assert answer == {"analyzed": {}, "failed": {}, "left": ["playhouse"]}
    assert _status(SourceStore(tables), "playhouse") is SourceStatus.PENDING_ANALYSIS
