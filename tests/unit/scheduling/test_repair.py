"""SourceRepair (famact.app.repair) on a fixture site served on loopback, heuristics only:
a changed layout gets a candidate config with the item/field difference and the approved crawl
settings; an unchanged site whose listings really dropped is accepted, not flagged forever."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from famact.app.repair import SourceRepair
from famact.constants import ExecutionOutcome, SourceHealthStatus
from famact.models import Execution, SourceHealth, SourceSubmission
from famact.scheduling import health as monitor
from famact.settings import get_settings
from famact.store.sources import SourceStore
from tests.support.site_server import SiteServer, load_site

SITE = load_site("camp-directory")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, SiteServer]]:
    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("FAMACT_TODAY", SITE.meta["today"])
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    copy = tmp_path / "site"
    shutil.copytree(SITE.dir, copy)
    try:
        with SiteServer(copy) as server:
            yield copy, server
    finally:
        get_settings.cache_clear()


def _degraded(store_tables: Any, server: SiteServer) -> tuple[SourceHealth, Execution]:
    config = SITE.config(server.url)
    sources = SourceStore(store_tables)
    sources.submit(
        SourceSubmission(source_id="camps", source_name="Camps", base_url=config.target_urls[0],
                         submitted_at=datetime.now(UTC))
    )  # fmt: skip
    slow = config.scraping_config.model_copy(update={"max_pages": 40})
    sources.put_config(config.model_copy(update={"source_id": "camps", "scraping_config": slow}))
    now = datetime.now(UTC)
    health = SourceHealth(source_id="camps")
    for k in range(3):
        good = Execution(
            execution_id=f"e{k}", source_id="camps", started_at=now, outcome=ExecutionOutcome.SUCCESS,
            finish_reason="finished", pages_crawled=21, items_scraped=20, config_version=1,
            field_coverage={"title": 1.0, "date": 0.95},
        )  # fmt: skip
        health = monitor.add_sample(health, good)
    broken = good.model_copy(update={"execution_id": "e9", "items_scraped": 0, "field_coverage": {}})
    verdict = monitor.judge(broken, health, now)
    assert verdict is not None and verdict.status is SourceHealthStatus.DEGRADED
    return monitor.record(health, broken, verdict, now), broken


def test_a_changed_layout_gets_a_candidate_with_the_difference(
    store_tables: Any, site: tuple[Path, SiteServer]
) -> None:
    site_dir, server = site
    health, broken = _degraded(store_tables, server)
    for page in (site_dir / "pages").rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace("geodir", "lst"), encoding="utf-8")
    repaired = SourceRepair(store_tables)(health, broken)
    candidate = repaired.candidate
    assert candidate is not None and repaired.status is SourceHealthStatus.DEGRADED
    assert candidate.items_running == 0 and candidate.items_candidate >= 15 and candidate.items_baseline == 20
    assert candidate.fields["title"] == [1.0, 0.0, 1.0] and candidate.fields["date"][:2] == [0.95, 0.0]
    assert candidate.config.source_id == "camps" and candidate.config.scraping_config.max_pages == 40
    assert candidate.running_version == 1 and repaired.repair_note
    assert "candidate config queued" in repaired.repair_note


def test_a_passing_fault_is_not_repaired_nor_learned(
    store_tables: Any, site: tuple[Path, SiteServer]
) -> None:
    _, server = site
    health, broken = _degraded(store_tables, server)  # the site is as it was: the crawl met a fault
    repaired = SourceRepair(store_tables)(health, broken)
    assert repaired.candidate is None and repaired.status is SourceHealthStatus.OK
    assert repaired.repair_note and "the drop did not last" in repaired.repair_note
    assert "e9" not in [s.execution_id for s in repaired.recent]  # not the new normal


def test_a_site_that_lists_fewer_is_accepted_into_the_baseline(
    store_tables: Any, site: tuple[Path, SiteServer]
) -> None:
    site_dir, server = site
    health, broken = _degraded(store_tables, server)
    for page in (site_dir / "pages" / "camps").glob("index*.html"):  # out of season: no camps listed
        html = page.read_text(encoding="utf-8")
        listing = r"<ul [^>]*geodir-category-list-view.*?</ul>"
        empty = re.sub(listing, "<p>No camps right now.</p>", html, flags=re.S)
        assert empty != html
        page.write_text(empty, encoding="utf-8")
    repaired = SourceRepair(store_tables)(health, broken)
    assert repaired.candidate is None and repaired.status is SourceHealthStatus.OK, repaired.repair_note
    assert repaired.repair_note and "the site lists fewer now" in repaired.repair_note
    assert [s.execution_id for s in repaired.recent][-1] == "e9" and repaired.degraded_since is None
