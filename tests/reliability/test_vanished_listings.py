"""Listings that vanished from a source are marked inactive only after a complete crawl.

Table tests for the decision, then real crawls of the demo site into dynalite: a crawl cut
short by the page cap marks nothing, a complete crawl of the site with one listing removed
marks exactly that one, and a crawl that finds far fewer listings than the last complete one
marks nothing. Each stored entity is compared before and after.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from famact.constants import ExecutionOutcome
from famact.models import Execution
from famact_crawler.extensions.vanished import CrawlFacts, last_complete, refusal
from tests.reliability.conftest import FaultRecord
from tests.reliability.crawls import (
    crawl,
    create_tables,
    export,
    remove_card,
    store_env,
    without_timestamps,
)
from tests.support.site_server import FAST, SiteServer, load_site

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)


def _execution(n: int, items: int, reason: str = "finished", **extra: Any) -> Execution:
    return Execution(
        execution_id=f"e{n}",
        source_id="s",
        started_at=T0 + timedelta(hours=n),
        finished_at=T0 + timedelta(hours=n, minutes=5),
        finish_reason=reason,
        outcome=extra.pop("outcome", ExecutionOutcome.SUCCESS),
        items_scraped=items,
        **extra,
    )


def _facts(**changes: Any) -> CrawlFacts:
    values = {
        "reason": "finished",
        "pages": 40,
        "failed_requests": 0,
        "failed_writes": 0,
        "listings_seen": 20,
    }
    return CrawlFacts(**{**values, **changes})


@pytest.mark.parametrize(
    ("facts", "previous", "refused_because"),
    [
        (_facts(), None, None),
        (_facts(), _execution(1, 30), None),  # 20 of 30: a normal change
        (_facts(reason="closespider_pagecount"), None, "ended early (closespider_pagecount)"),
        (_facts(reason="closespider_errorcount"), None, "ended early"),
        (_facts(reason="shutdown"), None, "ended early (shutdown)"),
        (_facts(reason="cancelled"), None, "ended early"),
        (_facts(pages=0), None, "no pages"),
        (_facts(listings_seen=0), None, "no listings"),
        (_facts(failed_listing_pages=1), None, "1 listing page(s) could not be read"),
        (_facts(failed_requests=3), None, "3 failed requests in 40 pages"),
        (_facts(failed_requests=2), None, None),  # 5% of 40
        (_facts(failed_writes=1), None, "store writes failed"),
        (_facts(listings_seen=9), _execution(1, 20), "far fewer than the 20"),
        (_facts(listings_seen=10), _execution(1, 20), None),
    ],
)
def test_refusal(facts: CrawlFacts, previous: Execution | None, refused_because: str | None) -> None:
    why = refusal(facts, previous)
    if refused_because is None:
        assert why is None
    else:
        assert why is not None and refused_because in why


def test_last_complete_skips_the_current_unfinished_and_cut_short_crawls() -> None:
    history = [
        _execution(1, 25),
        _execution(2, 3, reason="closespider_pagecount"),
        _execution(3, 0),
        _execution(4, 40, outcome=ExecutionOutcome.FAILED),
        Execution(execution_id="now", source_id="s", started_at=T0 + timedelta(hours=5)),
    ]
    chosen = last_complete(history, "now")
    assert chosen is not None and chosen.execution_id == "e1"
    assert last_complete([], "now") is None


# -- real crawls into dynalite ------------------------------------------------------------------


@pytest.mark.integration
def test_only_a_complete_crawl_marks_vanished_listings(
    dynalite_endpoint: str, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "re-crawls after a listing left the site: cut by the page cap, then one page of three"
    fault.behaviour = "neither marks anything inactive; the next complete crawl marks exactly that listing"
    site = load_site("demo")
    env = store_env(dynalite_endpoint, f"van{uuid.uuid4().hex[:8]}-")
    create_tables(env)
    today = site.meta["today"]

    copy = tmp_path / "site"
    shutil.copytree(site.dir, copy)
    with SiteServer(copy) as server:
        config = load_site(copy).config_data(server.url)
        config["scraping_config"] = FAST
        first = crawl(config, env, tmp_path, today)
        assert first["execution"]["finish_reason"] == "finished"
        before = export(env)
        assert len(before) >= 21 and not any(r["status"] == "inactive" for r in before.values())

        remove_card(copy, "places", "Lakeside Story Walk")

        # Cut short by the page cap: the missing listing is not concluded to have vanished.
        capped = {**config, "scraping_config": {**config["scraping_config"], "max_pages": 4}}
        cut = crawl(capped, env, tmp_path, today)
        assert cut["execution"]["finish_reason"] == "closespider_pagecount"
        assert cut["execution"]["inactive_count"] == 0
        assert "ended early" in cut["stats"]["famact/vanished/refused"]
        after_cut = export(env)
        fault.items_lost = sum(
            1
            for pk, row in without_timestamps(before).items()
            if without_timestamps(after_cut).get(pk) != row
        )
        assert without_timestamps(after_cut) == without_timestamps(before)

        # Far fewer listings than the last complete crawl (one listing page only): refused.
        narrow = {**config, "target_urls": [u for u in config["target_urls"] if "/places/" in u]}
        few = crawl(narrow, env, tmp_path, today)
        assert few["execution"]["finish_reason"] == "finished"
        assert "far fewer" in few["stats"]["famact/vanished/refused"]
        assert not any(r["status"] == "inactive" for r in export(env).values())

        # A complete crawl: exactly the removed listing becomes inactive, nothing is deleted.
        full = crawl(config, env, tmp_path, today)
        assert full["execution"]["inactive_count"] == 1
        after = export(env)
        assert set(after) == set(before)
        inactive = [r["name"] for r in after.values() if r["status"] == "inactive"]
        assert inactive == ["Lakeside Story Walk"]
