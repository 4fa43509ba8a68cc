"""The month on AWS for 50 / 200 / 1,000 sources (target: 200 under $10), priced from the
DynamoDB units real crawls recorded.

Each HTTP fixture site is crawled twice with the store on, as scrapyd runs a crawl
(`famact_crawler.runner` in its own process, against a private dynalite): a first crawl,
then an unchanged re-crawl. Their EXECUTION rows' read/write units are what DynamoDB
reported (famact.store.capacity). The month is priced with the re-crawl mean, since a
scheduled source is re-crawled far more often than it is new, and once more with the
first-crawl mean as an upper bound. Durations on loopback say nothing about a rate-limited
crawl of a real site, so the node hours keep the stated profile's 120 s a crawl.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks._proc import private_dynalite
from benchmarks.common import write_result
from famact.app.cost import PRICES_DATE, STATED_PROFILE, CrawlProfile, Usage, monthly_cost
from famact.store.dynamo import create_tables
from tests.reliability.crawls import crawl
from tests.support.site_server import SiteServer, load_site, site_names

SOURCES = (50, 200, 1000)


def _profile(executions: list[dict[str, Any]], basis: str) -> CrawlProfile:
    n = len(executions)
    return replace(
        STATED_PROFILE,
        read_units=round(sum(e["read_units"] for e in executions) / n, 1),
        write_units=round(sum(e["write_units"] for e in executions) / n, 1),
        entities=round(sum(e["items_scraped"] for e in executions) / n, 1),
        basis=basis,
    )


def measure() -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    runs: dict[str, list[dict[str, Any]]] = {"first": [], "recrawl": []}
    sites = [n for n in site_names() if load_site(n).meta.get("render", "http") == "http"]
    with private_dynalite() as dynalite, tempfile.TemporaryDirectory(prefix="famact-cost-") as tmp:
        prefix = f"cost{uuid.uuid4().hex[:6]}-"
        create_tables(dynalite.tables(prefix).client, prefix)
        env = {**os.environ, **dynalite.env, "FAMACT_TABLE_PREFIX": prefix, "FAMACT_ALLOW_PRIVATE_URLS": "1"}
        env.pop("OPENAI_API_KEY", None)
        for name in sites:
            site = load_site(name)
            with SiteServer(site.dir) as server:
                config = json.loads(site.config(server.url).model_dump_json(exclude_none=True))
                for kind in ("first", "recrawl"):
                    summary = crawl(config, env, Path(tmp), str(site.meta["today"]))
                    execution = summary["execution"]
                    runs[kind].append({"site": name, **{k: execution[k] for k in _FIELDS}})
    return runs, sites


_FIELDS = ("read_units", "write_units", "items_scraped", "pages_crawled", "duration_s", "outcome")


def main() -> None:
    runs, sites = measure()
    recrawl = _profile(runs["recrawl"], f"re-crawl mean of {len(sites)} fixture sites")
    first = _profile(runs["first"], f"first-crawl mean of {len(sites)} fixture sites")
    metrics: dict[str, Any] = {}
    for n in SOURCES:
        metrics[f"monthly_usd_{n}_sources"] = round(monthly_cost(Usage(sources=n), recrawl).total, 2)
    for n in SOURCES:
        metrics[f"monthly_usd_{n}_sources_first_crawl_units"] = round(
            monthly_cost(Usage(sources=n), first).total, 2
        )
    for n in SOURCES:
        metrics[f"monthly_usd_{n}_sources_stated_profile"] = round(monthly_cost(Usage(sources=n)).total, 2)
    metrics.update(
        recrawl_read_units=recrawl.read_units,
        recrawl_write_units=recrawl.write_units,
        first_crawl_read_units=first.read_units,
        first_crawl_write_units=first.write_units,
        entities_per_source=recrawl.entities,
    )
    lines_200 = {
        line.component: round(line.usd, 3) for line in monthly_cost(Usage(sources=200), recrawl).lines
    }
    write_result(
        "cost",
        params={
            "sites": sites,
            "usage": "famact cost defaults: daily crawls, 1,000 searches/day, 4 h crawl window, t4g.small",
            "prices_date": PRICES_DATE,
        },
        metrics=metrics,
        targets={"monthly_usd_200_sources": "< 10", "monthly_usd_1000_sources": "< 50"},
        notes=(
            "Units are what dynalite reported per request (ReturnConsumedCapacity=TOTAL), summed on the "
            "EXECUTION rows; on-demand DynamoDB bills the same rounding (4 KB reads, 1 KB writes). Nodes "
            "use 120 s a crawl (loopback durations are not a real site's). Prices: famact/app/cost.py."
        ),
        extra={"runs": runs, "lines_200_sources": lines_200},
    )


if __name__ == "__main__":
    main()
