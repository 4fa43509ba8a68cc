"""`famact demo`: the whole flow on a bundled site, on the local embedded default.

local DynamoDB up -> tables -> serve the demo site on 127.0.0.1 -> submit -> analyze
(heuristics, or the LLM when OPENAI_API_KEY is set) -> approve -> crawl -> show what was found
and a few searches. A second run is idempotent: the source is found again and re-crawled, and
unchanged listings cost no writes.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SITE_DIR = Path(__file__).resolve().parent / "site"
SOURCE_ID = "rainier-valley-family-hub"
SOURCE_NAME = "Rainier Valley Family Hub"
DEFAULT_PORT = 8777


def say(step: str) -> None:
    sys.stdout.write(f"==> {step}\n")
    sys.stdout.flush()


def info(text: str) -> None:
    sys.stdout.write(f"    {text}\n")
    sys.stdout.flush()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve_site(port: int) -> Iterator[str]:
    """Serve the demo site's pages on 127.0.0.1 (the standard library's static server)."""
    handler = functools.partial(_QuietHandler, directory=str(SITE_DIR / "pages"))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise RuntimeError(f"demo site: port {port} is busy ({exc}); set FAMACT_DEMO_PORT") from exc
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def _site_today() -> date | None:
    meta = SITE_DIR / "site.json"
    if meta.exists():
        value = json.loads(meta.read_text(encoding="utf-8")).get("today")
        return date.fromisoformat(value) if value else None
    return None


def run_demo(*, use_llm: bool = True, keep_serving: bool = False) -> int:
    from famact.app.local import LocalDynamo, load_local_env
    from famact.constants import SourceStatus
    from famact.settings import get_settings
    from famact.store.dynamo import connect, create_tables
    from famact.store.sources import SourceStore

    started = time.monotonic()
    # The demo site is on 127.0.0.1: allow private URLs for this process only.
    os.environ["FAMACT_ALLOW_PRIVATE_URLS"] = "1"
    today = _site_today()
    if today is not None and not os.environ.get("FAMACT_TODAY"):
        os.environ["FAMACT_TODAY"] = today.isoformat()
    get_settings.cache_clear()

    say("starting local services")
    if not os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"):
        local = LocalDynamo()
        endpoint = local.up()
        local.write_env_file()
        load_local_env()
        get_settings.cache_clear()
        info(f"local DynamoDB (dynalite) on {endpoint}, data in {local.home}")
    else:
        info(f"using DynamoDB at {os.environ['AWS_ENDPOINT_URL_DYNAMODB']}")
    tables = connect()
    for name, state in create_tables(tables.client, get_settings().table_prefix):
        info(f"table {name}: {state}")

    port = int(os.environ.get("FAMACT_DEMO_PORT", DEFAULT_PORT))
    with serve_site(port) as base_url:
        say(f"serving the demo site at {base_url}")
        store = SourceStore(tables)
        submission = store.get(SOURCE_ID)
        if submission is None:
            say("submitting the source")
            from famact.app.workflow import submit_source

            submission = submit_source(
                tables,
                name=SOURCE_NAME,
                url=base_url,
                source_type="aggregator",
                priority="high",
                notes="bundled demo site",
                source_id=SOURCE_ID,
            )
            info(f"{submission.source_id}: {submission.status.value}")
        else:
            info(f"{SOURCE_ID} already submitted ({submission.status.value}): reusing it")

        if submission.status not in (SourceStatus.ACTIVE, SourceStatus.PAUSED):
            say(
                "analyzing it"
                + (" (LLM + heuristics)" if use_llm and get_settings().openai_api_key else " (heuristics)")
            )
            from famact.app.workflow import analyze_source, approve_source, format_quality_report

            analysis = analyze_source(tables, SOURCE_ID, use_llm=use_llm, progress=info)
            for line in format_quality_report(analysis).splitlines():
                info(line)
            if analysis.proposed_config is None:
                say("analysis found no working config: stopping")
                return 1
            say("approving the proposed config")
            config = approve_source(tables, SOURCE_ID, approved_by="demo")
            info(f"config version {config.version} approved; source active")
        elif submission.status is SourceStatus.PAUSED:
            from famact.app.workflow import resume_source

            resume_source(tables, SOURCE_ID)
            info("resumed")

        approved = store.get_config(SOURCE_ID)
        if approved is None:
            say("no approved config: stopping")
            return 1
        say("crawling it")
        from famact_crawler.runner import run_crawl

        execution, _ = run_crawl(approved, store=True, today=get_settings().today, progress=True)
        if execution is None:
            say("the crawl did not run")
            return 1
        e = execution
        info(
            f"{e.outcome.value}: {e.pages_crawled} pages, {e.items_scraped} listings, {e.new_count} new, "
            f"{e.updated_count} updated, {e.unchanged_count} unchanged, {e.error_count} errors"
        )
        say("found, by type")
        for entity_type, count in sorted(execution.items_by_type.items()):
            info(f"{entity_type:<11} {count}")
        _show_searches(tables)
        say(f"done in {time.monotonic() - started:.0f}s")
        info(
            "try: famact search --type EVENT    famact search --age-group toddler    famact sources show "
            + SOURCE_ID
        )
        if keep_serving:
            info(f"the demo site stays up at {base_url} (Ctrl-C to stop)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0


def _show_searches(tables: Any) -> None:
    from famact.constants import AgeGroup, EntityType
    from famact.search import SearchQuery, search
    from famact.settings import get_settings
    from famact.store.activities import ActivityStore

    store = ActivityStore(tables)
    today = get_settings().current_date()
    examples = [
        ("events in the next 30 days", SearchQuery(entity_type=EntityType.EVENT, date_from=today, limit=5)),
        ("for toddlers", SearchQuery(age_group=AgeGroup.TODDLER, limit=5)),
        (
            "programs and camps starting in the next 90 days",
            SearchQuery(
                entity_type=EntityType.PROGRAM, date_from=today, date_to=today + timedelta(days=90), limit=5
            ),
        ),
        ("places to go", SearchQuery(entity_type=EntityType.VENUE, limit=5)),
    ]
    for title, query in examples:
        result = search(store, query)
        say(f"search: {title} ({result.index_used})")
        if not result.items:
            info("(nothing)")
        for item in result.items:
            when = item.get("next_date") or item.get("start_date") or "ongoing"
            info(f"[{item.get('entity_type')}] {item.get('name')} ({when}, {item.get('city')})")
