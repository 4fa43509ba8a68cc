"""Real crawls into a real DynamoDB server for the reliability tests: one subprocess per crawl
(the runner `famact crawl` uses), an export of every stored entity to compare before and after."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def store_env(endpoint: str, prefix: str) -> dict[str, str]:
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


def create_tables(env: dict[str, str]) -> None:
    from famact.store.dynamo import create_tables as create

    create(_tables(env).client, env["FAMACT_TABLE_PREFIX"])


def crawl_command(
    config: dict[str, Any], tmp_path: Path, today: str | None, *settings: str, store: bool = True
) -> list[str]:
    """The runner's command line; `settings` are `NAME=JSON` Scrapy settings."""
    path = tmp_path / f"config-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    command = [sys.executable, "-m", "famact_crawler.runner", "--config", str(path)]
    command += ["--today", today] if today else []
    command += [] if store else ["--no-store"]
    for setting in settings:
        command += ["--set", setting]
    return command


def crawl(
    config: dict[str, Any],
    env: dict[str, str],
    tmp_path: Path,
    today: str | None,
    *,
    store: bool = True,
    settings: Sequence[str] = (),
) -> dict[str, Any]:
    """Crawl to the end; the runner's summary (`execution`, `stats`) and its log (`stderr`).
    `settings` are `NAME=JSON` Scrapy settings, as for `crawl_command`."""
    proc = subprocess.run(
        crawl_command(config, tmp_path, today, *settings, store=store),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    summary["stderr"] = proc.stderr
    return summary


def _tables(env: dict[str, str]) -> Any:
    from famact.settings import Settings
    from famact.store.dynamo import connect

    return connect(
        Settings(
            table_prefix=env["FAMACT_TABLE_PREFIX"],
            dynamodb_endpoint=env["AWS_ENDPOINT_URL_DYNAMODB"],
            aws_region="us-west-2",
        )
    )


def export(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every stored entity by PK, as `famact export` writes it."""
    from famact.store.activities import ActivityStore

    out = io.StringIO()
    ActivityStore(_tables(env)).export(out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return {f"{r['entity_type']}#{r['entity_id']}": r for r in rows}


def without_timestamps(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        pk: {k: v for k, v in row.items() if k not in ("last_seen", "first_seen")} for pk, row in rows.items()
    }


def remove_card(site_dir: Path, page: str, title: str) -> None:
    """Delete the card that links to `title` from one listing page of a copied demo site."""
    path = site_dir / "pages" / page / "index.html"
    html = path.read_text(encoding="utf-8")
    cards = html.split('<li class="card')
    kept = [cards[0]] + [c for c in cards[1:] if title not in c]
    assert len(kept) == len(cards) - 1, f"no single card for {title!r} on {page}"
    path.write_text('<li class="card'.join(kept), encoding="utf-8")
