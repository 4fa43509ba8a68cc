"""Search latency through the HTTP API on 50,000 entities, and DynamoDB items read per item
returned (issue 16's benchmark; results/search_latency.json, names from BENCHMARKS.md).

50,000 generated entities (store_write's seeded generator: events and programs with 0-4 dated
instances, venues, attractions, 16 Seattle-area cities, 1-3 age groups) are written with
`ActivityStore.put_entities` into a private dynalite. The product app then runs as its own
process under uvicorn (`_web_child.py`: `create_app` with the API rate limit lifted and a
botocore counter of items read), and one client sends 1,000 mixed searches to
`GET /api/activities` over loopback, one at a time: a city, a region and city with a type, an
age group, a category with or without an age group, a venue, a provider, words in a city,
free-only in a city, and everything; most with a 7- to 30-day window, some following the
cursor to the next page. Latency is the client's wall time per request (connection kept
alive). Items read counts every item DynamoDB read for the server (every Query row it evaluated,
its ScannedCount, and GetItem and BatchGetItem items) divided by the items the API returned.

`detail.reads_by_kind` splits items read and returned by search kind (a followed page counts
as `cursor-page`), read from the server's counter after each request, outside the timing.
`WEB_SEARCH_ENTITIES=5000 make bench B=web_search` runs on fewer entities while investigating;
such a run prints its figures and leaves results/search_latency.json alone.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from benchmarks._proc import free_port, private_dynalite
from benchmarks.common import ROOT, median, percentile, write_result
from benchmarks.store_write import CITIES, START, WORDS, make_entities, naive_rows
from famact import keys
from famact.constants import AgeGroup, Category
from famact.store.activities import ActivityStore
from famact.store.dynamo import create_tables

ENTITIES = 50_000
ENTITIES_ENV = "WEB_SEARCH_ENTITIES"  # fewer entities for a quick look; not recorded
SEARCHES = 1_000
SEED = 20261204
BATCH = 100
VENUE_KINDS = ("Library", "Community Center", "Park", "Arts Center", "Pool")


def _window(rnd: random.Random) -> dict[str, str]:
    if rnd.random() < 0.2:
        return {}  # the default: today + 30 days
    start = START + timedelta(days=rnd.randrange(90))
    return {
        "date_from": start.isoformat(),
        "date_to": (start + timedelta(days=rnd.choice((7, 14, 30)))).isoformat(),
    }


def mixed_search(rnd: random.Random) -> tuple[str, dict[str, str]]:
    """One search as a parent's page or an app would send it: (kind, query parameters)."""
    city, region, city_name = rnd.choice(CITIES)
    venue = keys.slugify(f"{city_name} {rnd.choice(VENUE_KINDS)}")
    ages = [g.value for g in AgeGroup if g is not AgeGroup.ALL_AGES]
    kinds: list[tuple[float, str, dict[str, str]]] = [
        (0.20, "city", {"city": city, "region": region, **_window(rnd)}),
        (
            0.10,
            "city+type",
            {"city": city, "region": region, "type": rnd.choice(("EVENT", "PROGRAM")), **_window(rnd)},
        ),
        (0.15, "age", {"age_group": rnd.choice(ages), **_window(rnd)}),
        (
            0.10,
            "category+age",
            {"category": rnd.choice(list(Category)).value, "age_group": rnd.choice(ages), **_window(rnd)},
        ),
        (0.07, "category", {"category": rnd.choice(list(Category)).value, **_window(rnd)}),
        (0.10, "venue", {"venue": venue}),
        (0.05, "provider", {"provider": venue}),
        (
            0.10,
            "words+city",
            {"q": rnd.choice(WORDS).split()[0].lower(), "city": city, "region": region, **_window(rnd)},
        ),
        (0.08, "free+city", {"free": "true", "city": city, "region": region, **_window(rnd)}),
        (0.05, "everything", _window(rnd)),
    ]
    roll, total = rnd.random(), 0.0
    for weight, kind, params in kinds:
        total += weight
        if roll < total:
            return kind, params
    return kinds[-1][1], kinds[-1][2]


def _wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the web app exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the web app did not answer on port {port}")


CURSOR_PAGE = "cursor-page"  # the reads bucket of a followed page, whatever its search kind


def items_read(reads: dict[str, int]) -> int:
    """Every item DynamoDB read, from `_web_child`'s counter: per-operation item counts,
    without its `calls:` and `returned:` entries."""
    return sum(v for k, v in reads.items() if not k.startswith(("calls:", "returned:")))


@dataclass
class KindReads:
    """What one kind of search cost: requests, items DynamoDB read, Query calls, items returned."""

    searches: int = 0
    items_read: int = 0
    query_calls: int = 0
    query_rows_dropped_by_filter: int = 0  # ScannedCount - Count: read, then dropped server-side
    items_returned: int = 0

    def add(self, reads: dict[str, int], returned: int) -> None:
        self.searches += 1
        self.items_read += items_read(reads)
        self.query_calls += reads.get("calls:Query", 0)
        self.query_rows_dropped_by_filter += reads.get("Query", 0) - reads.get("returned:Query", 0)
        self.items_returned += returned

    def summary(self) -> dict[str, Any]:
        return {
            "searches": self.searches,
            "items_read": self.items_read,
            "items_returned": self.items_returned,
            "items_read_per_item_returned": round(self.items_read / max(1, self.items_returned), 3),
            "query_calls": self.query_calls,
            "query_rows_dropped_by_filter": self.query_rows_dropped_by_filter,
        }


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    reads_by_kind: dict[str, KindReads] = field(default_factory=lambda: defaultdict(KindReads))
    returned: int = 0
    empty: int = 0
    errors: int = 0
    pages_followed: int = 0


def run_searches(client: httpx.Client, rnd: random.Random) -> Run:
    run = Run()
    reads = client.get("/_bench/reads").json()
    while len(run.latencies) < SEARCHES:
        kind, params = mixed_search(rnd)
        reads_kind = kind
        follow = rnd.random() < 0.15
        while True:
            t0 = time.perf_counter()
            response = client.get("/api/activities", params=params)
            elapsed_ms = (time.perf_counter() - t0) * 1000
            run.latencies.append(elapsed_ms)
            run.by_kind[kind].append(elapsed_ms)
            body = response.json() if response.status_code == 200 else {"items": [], "cursor": None}
            now_reads = client.get("/_bench/reads").json()
            run.reads_by_kind[reads_kind].add(_delta(now_reads, reads), len(body["items"]))
            reads = now_reads
            if response.status_code != 200:
                run.errors += 1
                break
            run.returned += len(body["items"])
            run.empty += not body["items"]
            if not (follow and body["cursor"]) or len(run.latencies) >= SEARCHES:
                break
            params = {**params, "cursor": body["cursor"]}
            run.pages_followed += 1
            reads_kind = CURSOR_PAGE
            follow = False
    return run


def entity_count() -> int:
    """ENTITIES, or the count in WEB_SEARCH_ENTITIES for a quick, unrecorded run."""
    given = os.environ.get(ENTITIES_ENV, "").strip()
    if not given:
        return ENTITIES
    if not given.isdigit() or int(given) < 1:
        raise SystemExit(f"{ENTITIES_ENV} must be a positive whole number, not {given!r}")
    return int(given)


def load(tables: Any, count: int = ENTITIES) -> tuple[int, int, float]:
    """(instances, rows, seconds) of writing `count` entities through `put_entities`."""
    entities = make_entities(count)
    store = ActivityStore(tables)
    started = time.perf_counter()
    now = datetime.now(UTC)
    for i in range(0, len(entities), BATCH):
        store.put_entities(entities[i : i + BATCH], now=now)
    load_s = time.perf_counter() - started
    rows = len(naive_rows(entities, now))  # dynalite's ItemCount stays 0
    return sum(len(e.schedule.occurrences) for e in entities), rows, load_s


def main() -> None:
    prefix = f"bench-{uuid.uuid4().hex[:8]}-"
    entities = entity_count()
    with private_dynalite() as dynalite:
        tables = dynalite.tables(prefix)
        create_tables(tables.client, prefix)
        instances, rows, load_s = load(tables, entities)
        print(
            f"[web_search] stored {entities} entities ({instances} instances, {rows} rows) in {load_s:.0f}s"
        )
        port = free_port()
        env = {**dynalite.env, "FAMACT_TABLE_PREFIX": prefix, "FAMACT_TODAY": START.isoformat()}
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._web_child", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_for(port, server)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for _ in range(20):  # warm-up: imports, connection, geo partition cache
                    client.get("/api/activities", params=mixed_search(random.Random(1))[1])
                before = client.get("/_bench/reads").json()
                run = run_searches(client, random.Random(SEED))
                after = client.get("/_bench/reads").json()
            load_average = os.getloadavg()[0]  # other work on the shared cores inflates latency
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies, returned = run.latencies, run.returned

    reads = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    read = items_read(reads)
    thirds = [
        latencies[i : i + len(latencies) // 3]
        for i in range(0, 3 * (len(latencies) // 3), len(latencies) // 3)
    ]
    metrics: dict[str, Any] = {
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "items_read_per_item_returned": round(read / max(1, returned), 3),
        "entities": entities,
        "instances": instances,
        "rows": rows,
        "searches": len(latencies),
        "items_returned": returned,
        "items_read": read,
        "empty_results": run.empty,
        "errors": run.errors,
        "next_pages_followed": run.pages_followed,
        "scan_calls": reads.get("calls:Scan", 0),
        "p95_ms_by_third": [round(percentile(t, 95), 1) for t in thirds],
        "p95_ms_median_of_thirds": round(median([percentile(t, 95) for t in thirds]), 1),
        "load_s": round(load_s, 1),
        "load_average_1m_after_searches": round(load_average, 2),
    }
    detail = {
        kind: {
            "searches": len(v),
            "p50_ms": round(percentile(v, 50), 1),
            "p95_ms": round(percentile(v, 95), 1),
        }
        for kind, v in sorted(run.by_kind.items())
    }
    reads_by_kind = {kind: r.summary() for kind, r in sorted(run.reads_by_kind.items())}
    if entities != ENTITIES:
        print(f"[web_search] {entities} entities (not recorded): {metrics}")
        for kind, summary in reads_by_kind.items():
            print(f"[web_search]   {kind}: {summary}")
        return
    path = write_result(
        "search_latency",
        params={"entities": ENTITIES, "searches": SEARCHES, "seed": SEED, "limit": "API default (20)"},
        metrics=metrics,
        targets={
            "p95_ms": "< 100 (seed bar: 2000)",
            "items_read_per_item_returned": "<= 1.5",
            "scan_calls": "0",
        },
        notes=(
            "benchmarks/web_search.py. dynalite (single-threaded node), the uvicorn app and the "
            "client share 2 cores; sequential requests over loopback with keep-alive, so latency is "
            "the app + dynalite path, no network. Items read counts every item DynamoDB returned to "
            "the server. DynamoDB answers a Query in single-digit ms; dynalite's per-item CPU "
            "dominates here."
        ),
        extra={"detail": {"by_kind": detail, "reads_by_kind": reads_by_kind, "dynamodb_reads": reads}},
    )
    print(f"[web_search] {metrics} -> {path}")


if __name__ == "__main__":
    main()
