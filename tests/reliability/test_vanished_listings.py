"""Listings that vanished from a source are marked inactive only after a complete crawl.

Table tests for the decision, then real crawls of the demo site into dynalite: a crawl cut
short by the page cap marks nothing, a complete crawl of the site with one listing removed
marks exactly that one, and a crawl that finds far fewer listings than the last complete one
marks nothing. Each stored entity is compared before and after.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from famact.constants import ExecutionOutcome
from famact.models import Execution
from famact_crawler.extensions.vanished import CrawlFacts, last_complete, refusal
from tests.support.site_server import SiteServer, load_site

ROOT = Path(__file__).resolve().parents[2]
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


def _env(endpoint: str, prefix: str) -> dict[str, str]:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-west-2",
        "FAMACT_TABLE_PREFIX": prefix,
        "FAMACT_ALLOW_PRIVATE_URLS": "1",
    }
    env.pop("OPENAI_API_KEY", None)
    return env


def _crawl(config: dict[str, Any], env: dict[str, str], tmp_path: Path, today: str) -> dict[str, Any]:
    path = tmp_path / f"config-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "famact_crawler.runner", "--config", str(path), "--today", today],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return summary


def _export(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    from famact.settings import Settings
    from famact.store.activities import ActivityStore
    from famact.store.dynamo import connect

    tables = connect(
        Settings(
            table_prefix=env["FAMACT_TABLE_PREFIX"],
            dynamodb_endpoint=env["AWS_ENDPOINT_URL_DYNAMODB"],
            aws_region="us-west-2",
        )
    )
    out = io.StringIO()
    ActivityStore(tables).export(out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return {f"{r['entity_type']}#{r['entity_id']}": r for r in rows}


def _without_timestamps(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("last_seen", "first_seen")}


def _remove_card(site_dir: Path, page: str, title: str) -> None:
    """Delete the card that links to `title` from one listing page of a copied site."""
    path = site_dir / "pages" / page / "index.html"
    html = path.read_text(encoding="utf-8")
    cards = html.split('<li class="card')
    kept = [cards[0]] + [c for c in cards[1:] if title not in c]
    assert len(kept) == len(cards) - 1, f"no single card for {title!r} on {page}"
    path.write_text('<li class="card'.join(kept), encoding="utf-8")


@pytest.mark.integration
def test_only_a_complete_crawl_marks_vanished_listings(dynalite_endpoint: str, tmp_path: Path) -> None:
    from famact.settings import Settings
    from famact.store.dynamo import connect, create_tables

    site = load_site("demo")
    prefix = f"van{uuid.uuid4().hex[:8]}-"
    env = _env(dynalite_endpoint, prefix)
    tables = connect(
        Settings(table_prefix=prefix, dynamodb_endpoint=dynalite_endpoint, aws_region="us-west-2")
    )
    create_tables(tables.client, prefix)
    today = site.meta["today"]

    copy = tmp_path / "site"
    shutil.copytree(site.dir, copy)
    with SiteServer(copy) as server:
        config = load_site(copy).config_data(server.url)
        # Loopback needs no politeness delay: 6,000 requests a minute keeps the test fast.
        config["scraping_config"] = {"rate_limit": {"requests_per_minute": 6000, "concurrent_requests": 8}}
        first = _crawl(config, env, tmp_path, today)
        assert first["execution"]["finish_reason"] == "finished"
        before = _export(env)
        assert len(before) >= 21 and not any(r["status"] == "inactive" for r in before.values())

        _remove_card(copy, "places", "Lakeside Story Walk")

        # Cut short by the page cap: the missing listing is not concluded to have vanished.
        capped = {**config, "scraping_config": {**config["scraping_config"], "max_pages": 4}}
        cut = _crawl(capped, env, tmp_path, today)
        assert cut["execution"]["finish_reason"] == "closespider_pagecount"
        assert cut["execution"]["inactive_count"] == 0
        assert "ended early" in cut["stats"]["famact/vanished/refused"]
        after_cut = _export(env)
        assert {k: _without_timestamps(v) for k, v in after_cut.items()} == {
            k: _without_timestamps(v) for k, v in before.items()
        }

        # Far fewer listings than the last complete crawl (one listing page only): refused.
        narrow = {**config, "target_urls": [u for u in config["target_urls"] if "/places/" in u]}
        few = _crawl(narrow, env, tmp_path, today)
        assert few["execution"]["finish_reason"] == "finished"
        assert "far fewer" in few["stats"]["famact/vanished/refused"]
        assert not any(r["status"] == "inactive" for r in _export(env).values())

        # A complete crawl: exactly the removed listing becomes inactive, nothing is deleted.
        full = _crawl(config, env, tmp_path, today)
        assert full["execution"]["inactive_count"] == 1
        after = _export(env)
        assert set(after) == set(before)
        inactive = [r["name"] for r in after.values() if r["status"] == "inactive"]
        assert inactive == ["Lakeside Story Walk"]
