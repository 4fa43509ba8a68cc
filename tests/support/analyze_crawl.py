"""Analyze a URL and crawl with the proposed config, the way a new user would.

`famact analyze URL --no-llm --output c.json`, then
`famact crawl --config c.json --no-store --output items.jsonl`, each in its own process, on
127.0.0.1 only. Used by the analyzer regression tests (tests/fixtures/failure_classes) and the
benchmarks that score the analyzer end to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]


def famact_env(today: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of an offline run: loopback sites allowed, the page's own date, no
    real LLM, Jina or DynamoDB endpoint leaking in from the shell."""
    env = {**os.environ, "FAMACT_ALLOW_PRIVATE_URLS": "1", "FAMACT_TODAY": today}
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AWS_ENDPOINT_URL_DYNAMODB", "JINA_API_KEY"):
        env.pop(key, None)
    env.update(extra or {})
    return env


def famact_cli(env: dict[str, str], *args: str, timeout_s: float = 600) -> subprocess.CompletedProcess[str]:
    """`famact ARGS...` in its own process with `env`, from the project root, no stdin: the one
    way the end-to-end and browser tests run the command (they check the exit code)."""
    return subprocess.run(
        [sys.executable, "-m", "famact.app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def crawl_no_store(
    config_path: Path, out: Path, *, today: str, timeout_s: float = 600
) -> subprocess.CompletedProcess[str]:
    """`famact crawl --config FILE --no-store --output OUT` in its own process, the crawl date
    frozen to `today`: the one way tests and benchmarks crawl a config file."""
    return subprocess.run(
        [
            sys.executable, "-m", "famact_crawler.runner",
            "--config", str(config_path), "--output", str(out), "--no-store", "--today", today,
        ],
        cwd=ROOT,
        env=famact_env(today),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )  # fmt: skip


@contextmanager
def worst_case_llm() -> Iterator[dict[str, str]]:
    """The environment of an analysis with an LLM whose fake model answers every call with an
    empty proposal: the analysis makes its first call and both feedback retries, the most
    tokens its budget allows (the figure benchmarks report per source)."""
    with FakeOpenAI() as llm:
        for _ in range(3):
            llm.enqueue(json.dumps({"listing_item": None, "fields": {}}))
        yield {
            "OPENAI_API_KEY": "sk-bench",
            "OPENAI_BASE_URL": llm.base_url,
            "FAMACT_LLM_MODEL": "fake-model",
        }


@dataclass
class Run:
    """What one analyze-then-crawl produced."""

    config: dict[str, Any] | None
    items: list[dict[str, Any]] = field(default_factory=list)
    analysis_error: str = ""
    crawl_error: str = ""
    analysis_log: str = ""

    @property
    def titles(self) -> list[str]:
        return [str(item.get("name", "")) for item in self.items]

    @property
    def tokens(self) -> int:
        """LLM tokens the analysis spent, from its closing log line ("... N tokens)")."""
        for line in self.analysis_log.splitlines():
            if "tokens)" in line and "analysis of" in line:
                return int(line.rsplit(",", 1)[1].split()[0])
        return 0


def analyze_then_crawl(
    url: str,
    tmp: Path,
    *,
    today: str,
    hints: list[str] | None = None,
    llm_env: dict[str, str] | None = None,
    scraping: dict[str, Any] | None = None,
    timeout_s: float = 600,
    name: str | None = None,
) -> Run:
    """`scraping` overrides parts of the proposed config's `scraping_config` before the crawl
    (tests lift the polite rate limit on loopback; the analysis itself is untouched)."""
    config_path = tmp / "config.json"
    args = ["analyze", url, "--output", str(config_path)]
    for hint in hints or []:
        args += ["--hint-url", hint]
    if name:
        args += ["--name", name]
    if llm_env is None:
        args.append("--no-llm")
    analysis = famact_cli(famact_env(today, llm_env), *args, timeout_s=timeout_s)
    if analysis.returncode != 0 or not config_path.exists():
        last = analysis.stderr.strip().splitlines()[-1:] or ["no output"]
        return Run(config=None, analysis_error=last[0], analysis_log=analysis.stderr)
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if scraping:
        crawl_config = {**config, "scraping_config": {**config.get("scraping_config", {}), **scraping}}
        config_path = tmp / "crawl-config.json"
        config_path.write_text(json.dumps(crawl_config), encoding="utf-8")
    out = tmp / "items.jsonl"
    crawl = crawl_no_store(config_path, out, today=today, timeout_s=timeout_s)
    if crawl.returncode != 0:
        return Run(config=config, crawl_error=crawl.stderr[-2000:], analysis_log=analysis.stderr)
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return Run(config=config, items=items, analysis_log=analysis.stderr)
