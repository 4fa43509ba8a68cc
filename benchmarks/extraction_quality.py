"""Extraction quality of the hand-written configs on the fixture sites: recall, precision,
field accuracy and type accuracy against each site's expected.jsonl.

Each site is crawled as tests/integration/test_fixture_crawls.py does it: the site served by
`SiteServer` on 127.0.0.1, the real SourceSpider in a fresh process (`python -m
famact_crawler.runner --no-store --output`), the crawl date frozen to the site's `today`. Output
items are scored with `tests.support.scoring.score` against the expected items rebased onto
the server's URL. Overall figures pool the counts of every site (micro averages). Browser
sites are skipped, and listed as skipped, when Chromium (`FAMACT_CHROMIUM`, default
/usr/bin/chromium) is missing. The crawls run 5 at a time (each is mostly idle, waiting out
its config's download delay), so per-site seconds are wall times under that sharing.
"""

from __future__ import annotations

import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.common import write_result
from famact.settings import get_settings
from famact_crawler.browser import chromium_available
from tests.support.analyze_crawl import crawl_no_store
from tests.support.scoring import SiteScore, load_jsonl, score
from tests.support.site_server import SiteServer, load_site, site_names

CRAWL_TIMEOUT_S = 300
PARALLEL_CRAWLS = 5


def crawl(name: str, workdir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    """(items, expected items, seconds) of one fixture site's crawl."""
    site = load_site(name)
    with SiteServer(site.dir) as server:
        config_path = workdir / f"{name}.config.json"
        config_path.write_text(site.config(server.url).model_dump_json(), encoding="utf-8")
        out = workdir / f"{name}.items.jsonl"
        started = time.perf_counter()
        proc = crawl_no_store(config_path, out, today=site.meta["today"], timeout_s=CRAWL_TIMEOUT_S)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(
                f"crawl of fixture site {name!r} failed ({proc.returncode}): {proc.stderr[-2000:]}"
            )
        expected = site.expected(base_url=server.url)
    return (load_jsonl(out) if out.exists() else []), expected, seconds


def site_figures(result: SiteScore, seconds: float) -> dict[str, Any]:
    type_checks = result.matched  # every expected row names its entity_type
    return {
        "expected": result.expected,
        "found": result.found,
        "matched": result.matched,
        "recall": round(result.recall, 4),
        "precision": round(result.precision, 4),
        "field_accuracy": round(result.field_accuracy, 4),
        "type_accuracy": round(result.type_ok / type_checks, 4) if type_checks else None,
        "field_checks": result.field_checks,
        "field_ok": result.field_ok,
        "seconds": round(seconds, 1),
        "missing": result.missing,
        "unexpected": result.unexpected,
        "mismatches": result.mismatches,
    }


def print_table(per_site: dict[str, dict[str, Any]]) -> None:
    header = f"{'site':<22}{'exp':>5}{'found':>7}{'recall':>8}{'prec':>7}{'fields':>8}{'type':>7}{'secs':>7}"
    print(header)
    print("-" * len(header))
    for name, f in per_site.items():
        type_acc = f"{f['type_accuracy']:.2f}" if f["type_accuracy"] is not None else "-"
        print(
            f"{name:<22}{f['expected']:>5}{f['found']:>7}{f['recall']:>8.2f}{f['precision']:>7.2f}"
            f"{f['field_accuracy']:>8.2f}{type_acc:>7}{f['seconds']:>7}"
        )


def main() -> None:
    per_site: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    totals = {"expected": 0, "found": 0, "matched": 0, "field_checks": 0, "field_ok": 0, "type_ok": 0}
    names = []
    for name in site_names():
        if load_site(name).render == "browser" and not chromium_available():
            skipped[name] = f"needs {get_settings().chromium}"
        else:
            names.append(name)
    with tempfile.TemporaryDirectory(prefix="famact-bench-extraction-") as tmp:
        # The crawls mostly wait on the configs' polite download delays (30 requests/min by
        # default), so they run side by side; each has its own server, port and process.
        with ThreadPoolExecutor(max_workers=PARALLEL_CRAWLS) as pool:
            crawls = list(pool.map(lambda name: crawl(name, Path(tmp)), names))
        for name, (items, expected, seconds) in zip(names, crawls, strict=True):
            result = score(expected, items)
            per_site[name] = site_figures(result, seconds)
            for key in ("expected", "found", "matched", "field_checks", "field_ok", "type_ok"):
                totals[key] += getattr(result, key)
    print_table(per_site)
    matched = totals["matched"]
    metrics = {
        "recall": round(matched / totals["expected"], 4) if totals["expected"] else None,
        "precision": round(matched / totals["found"], 4) if totals["found"] else None,
        "field_accuracy": round(totals["field_ok"] / totals["field_checks"], 4)
        if totals["field_checks"]
        else None,
        "type_accuracy": round(totals["type_ok"] / matched, 4) if matched else None,
        "sites": len(per_site),
        "expected_items": totals["expected"],
        "found_items": totals["found"],
        "sites_perfect": sum(
            1 for f in per_site.values() if f["recall"] == f["precision"] == f["field_accuracy"] == 1.0
        ),
    }
    write_result(
        "extraction_quality",
        params={
            "sites": list(per_site),
            "skipped": skipped,
            "method": "hand-written config.json, --no-store, no LLM",
        },
        metrics=metrics,
        targets={"recall": "== 1.0", "precision": "== 1.0", "field_accuracy": "== 1.0"},
        notes=(
            "Micro averages over every fixture site (counts pooled). An item matches an expected one by "
            "normalized name; field_accuracy is over the fields the expected row states "
            "(scoring.COMPARED_FIELDS); "
            "type_accuracy is the share of matched items with the expected entity_type. Targets are those of "
            "tests/integration/test_fixture_crawls.py (exact match). The fixture sites are "
            "the ones the configs and the normalizer were written against, so these figures are an upper "
            "bound for unseen sites. Per-site missing/unexpected/mismatched items are under per_site."
        ),
        extra={"per_site": per_site},
    )
    print(json.dumps({k: v for k, v in metrics.items()}, indent=None))
