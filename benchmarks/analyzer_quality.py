"""Analyzer quality: heuristics-only analysis of each fixture site, then a crawl with the
proposed config, scored against the site's expected items (target: recall >= 0.8 and
precision >= 0.9 with no LLM); plus LLM tokens per source against the fake OpenAI server.

Each site is submitted the way a founder would: its home page as the base URL and its main
listing page as a hint URL. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, write_result
from tests.support.fake_openai import FakeOpenAI
from tests.support.scoring import load_jsonl, score
from tests.support.site_server import SiteServer, load_site, site_names


def _env(today: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "FAMACT_ALLOW_PRIVATE_URLS": "1", "FAMACT_TODAY": today}
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        env.pop(key, None)
    env.update(extra or {})
    return env


def analyze_and_crawl(name: str, tmp: Path, llm_env: dict[str, str] | None = None) -> dict[str, Any]:
    site = load_site(name)
    today = site.meta["today"]
    with SiteServer(site.dir) as server:
        hint = site.config(server.url).target_urls[0]
        config_path = tmp / f"{name}.json"
        args = ["analyze", server.url + "/", "--hint-url", hint, "--output", str(config_path)]
        if llm_env is None:
            args.append("--no-llm")
        analysis = subprocess.run(
            [sys.executable, "-m", "famact.app.cli", *args],
            cwd=ROOT,
            env=_env(today, llm_env),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        tokens = 0
        for line in analysis.stderr.splitlines():
            if "tokens)" in line and "analysis of" in line:
                tokens = int(line.rsplit(",", 1)[1].split()[0])
        if analysis.returncode != 0 or not config_path.exists():
            expected = site.expected(base_url=server.url)
            return {
                "site": name,
                "recall": 0.0,
                "precision": 1.0,
                "expected": len(expected),
                "found": 0,
                "tokens": tokens,
                "error": analysis.stderr.strip().splitlines()[-1:],
            }
        out = tmp / f"{name}.jsonl"
        crawl = subprocess.run(
            [
                sys.executable,
                "-m",
                "famact_crawler.runner",
                "--config",
                str(config_path),
                "--output",
                str(out),
                "--no-store",
                "--today",
                today,
            ],
            cwd=ROOT,
            env=_env(today),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if crawl.returncode != 0:
            raise RuntimeError(f"{name}: crawl failed: {crawl.stderr[-2000:]}")
        result = score(site.expected(base_url=server.url), load_jsonl(out))
    return {
        "site": name,
        "recall": round(result.recall, 3),
        "precision": round(result.precision, 3),
        "field_accuracy": round(result.field_accuracy, 3),
        "expected": result.expected,
        "found": result.found,
        "matched": result.matched,
        "tokens": tokens,
    }


def _llm_tokens(tmp: Path, names: list[str]) -> float:
    """Tokens per source when an LLM is configured: the fake server answers every call with
    an empty proposal, so each source makes its first call and its two feedback retries —
    the worst case the budget allows."""
    per_source = []
    for name in names:
        with FakeOpenAI() as llm:
            for _ in range(3):
                llm.enqueue(json.dumps({"listing_item": None, "fields": {}}))
            env = {
                "OPENAI_API_KEY": "sk-bench",
                "OPENAI_BASE_URL": llm.base_url,
                "FAMACT_LLM_MODEL": "fake-model",
            }
            per_source.append(analyze_and_crawl(name, tmp, env)["tokens"])
    return sum(per_source) / max(1, len(per_source))


def main() -> None:
    names = [
        n
        for n in site_names()
        if load_site(n).meta.get("render") != "browser" or os.access("/usr/bin/chromium", os.X_OK)
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
