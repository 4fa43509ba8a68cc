"""Run one SourceSpider crawl in this process (what `famact crawl` and `famact demo` call).

`scrapy crawl source -a source_id=ID` is the same crawl through Scrapy's own command. The
Twisted reactor runs once per process, so callers that crawl several times (tests,
benchmarks) run each crawl in a subprocess: `python -m famact_crawler.runner ...`.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from famact.models import Execution, SourceConfig
from famact_crawler.spiders.source import SourceSpider


def crawl_settings(
    *,
    store: bool,
    output: Path | None,
    today: date | None,
    progress: bool = False,
    log_level: str = "WARNING",
    extra: dict[str, Any] | None = None,
) -> Any:
    settings = get_project_settings()
    settings.setmodule("famact_crawler.settings", priority="project")
    settings.set("FAMACT_STORE_ENABLED", store, priority="cmdline")
    settings.set("FAMACT_OUTPUT_FILE", str(output) if output else None, priority="cmdline")
    settings.set("FAMACT_PROGRESS", progress, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if today is not None:
        settings.set("FAMACT_TODAY", today.isoformat(), priority="cmdline")
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(
    config: SourceConfig,
    *,
    store: bool = True,
    output: Path | None = None,
    today: date | None = None,
    progress: bool = False,
    log_level: str = "WARNING",
    extra_settings: dict[str, Any] | None = None,
) -> tuple[Execution | None, dict[str, Any]]:
    """Crawl one source; return its execution summary and the crawl's final stats."""
    settings = crawl_settings(
        store=store, output=output, today=today, progress=progress, log_level=log_level, extra=extra_settings
    )
    if config.render.value == "browser":
        settings.set(
            "TWISTED_REACTOR", "twisted.internet.asyncioreactor.AsyncioSelectorReactor", priority="cmdline"
        )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SourceSpider)
    process.crawl(crawler, config=config)
    process.start()
    spider = crawler.spider
    execution = getattr(spider, "execution", None)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return execution, stats


def main(argv: list[str] | None = None) -> int:
    """`python -m famact_crawler.runner --config FILE [--output F] [--no-store] [--today D]`:
    one crawl in a fresh process; prints the execution summary as JSON on stdout."""
    parser = argparse.ArgumentParser(prog="python -m famact_crawler.runner")
    parser.add_argument("--config", required=True)
    parser.add_argument("--output")
    parser.add_argument("--no-store", action="store_true")
    parser.add_argument("--today")
    parser.add_argument("--set", action="append", default=[], help="SETTING=JSON_VALUE")
    args = parser.parse_args(argv)
    from famact.config_file import load_config_file

    config = load_config_file(args.config)
    extra = {}
    for item in args.set:
        key, _, value = item.partition("=")
        extra[key] = json.loads(value)
    execution, stats = run_crawl(
        config,
        store=not args.no_store,
        output=Path(args.output) if args.output else None,
        today=date.fromisoformat(args.today) if args.today else None,
        extra_settings=extra,
    )
    summary = {
        "execution": execution.model_dump(mode="json") if execution else None,
        "stats": {k: v for k, v in stats.items() if isinstance(v, (int, float, str))},
    }
    json.dump(summary, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
