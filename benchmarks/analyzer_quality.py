"""Analyzer quality: heuristics-only analysis of each fixture site, then a crawl with the
proposed config, scored against the site's expected items (target: recall >= 0.8 and
precision >= 0.9 with no LLM); plus LLM tokens per source against the fake OpenAI server.

Each site is submitted the way a founder would: its home page as the base URL and its main
listing page as a hint URL. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import write_result
from famact_crawler.browser import chromium_available
from tests.support.analyze_crawl import analyze_then_crawl, worst_case_llm
from tests.support.scoring import score
from tests.support.site_server import SiteServer, load_site, site_names


def analyze_and_crawl(name: str, tmp: Path, llm_env: dict[str, str] | None = None) -> dict[str, Any]:
    """Submit the fixture site the way a founder would and score the crawl of the proposal."""
    site = load_site(name)
    work = tmp / name
    work.mkdir(parents=True, exist_ok=True)
    with SiteServer(site.dir) as server:
        hint = site.config(server.url).target_urls[0]
        run = analyze_then_crawl(
            server.url + "/", work, today=site.meta["today"], hints=[hint], llm_env=llm_env
        )
        expected = site.expected(base_url=server.url)
    if run.crawl_error:
        raise RuntimeError(f"{name}: crawl failed: {run.crawl_error}")
    if run.analysis_error:
        return {
            "site": name,
            "recall": 0.0,
            "precision": 1.0,
            "expected": len(expected),
            "found": 0,
            "tokens": run.tokens,
            "error": [run.analysis_error],
        }
    result = score(expected, run.items)
    return {
        "site": name,
        "recall": round(result.recall, 3),
        "precision": round(result.precision, 3),
        "field_accuracy": round(result.field_accuracy, 3),
        "expected": result.expected,
        "found": result.found,
        "matched": result.matched,
        "tokens": run.tokens,
    }


def _llm_tokens(tmp: Path, names: list[str]) -> float:
    """Tokens per source when an LLM is configured, in the worst case its budget allows."""
    per_source = []
    for name in names:
        with worst_case_llm() as env:
            per_source.append(analyze_and_crawl(name, tmp, env)["tokens"])
    return sum(per_source) / max(1, len(per_source))


def main() -> None:
    names = [
        n
        for n in site_names()
        if load_site(n).meta.get("render") != "browser" or chromium_available()
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            row = analyze_and_crawl(name, Path(tmp))
            print(
                f"  {name:<22} recall {row['recall']:.2f} precision {row['precision']:.2f} "
                f"({row.get('matched', 0)}/{row['expected']} expected, {row['found']} found)"
            )
            rows.append(row)
        tokens = _llm_tokens(Path(tmp), names[:3])
    expected = sum(r["expected"] for r in rows)
    matched = sum(r.get("matched", 0) for r in rows)
    found = sum(r["found"] for r in rows)
    write_result(
        "analyzer_quality",
        params={"sites": names, "llm": "none for recall/precision; fake server for tokens"},
        metrics={
            "heuristic_recall": round(matched / max(1, expected), 3),
            "heuristic_precision": round(matched / max(1, found), 3),
            "heuristic_recall_macro": round(sum(r["recall"] for r in rows) / max(1, len(rows)), 3),
            "llm_tokens_per_source": round(tokens, 1),
            "listings_expected": expected,
        },
        targets={
            "heuristic_recall": ">= 0.8",
            "heuristic_precision": ">= 0.9",
            "llm_tokens_per_source": "<= 8000 typical",
        },
        notes="Items are matched by name to the hand-labelled expected.jsonl of each fixture site. The "
        "token figure is the worst case (first call + two feedback retries, the fake model answering "
        "unusable proposals); a good first answer costs about a third of it.",
        extra={"per_site": rows},
    )
