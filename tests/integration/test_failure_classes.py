"""One regression test per analyzer failure class, each on a page written to reproduce it.

A case is submitted the way a new user submits a URL: `famact analyze URL --no-llm`, then a
crawl with the proposed config. It must find exactly the listings a person sees, with their
start dates. See tests/fixtures/failure_classes/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.analyze_crawl import analyze_then_crawl
from tests.support.scoring import norm_name
from tests.support.site_server import FAST, SiteServer

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "failure_classes"


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "case.json").exists())


def _load(name: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((CASES / name / "case.json").read_text(encoding="utf-8"))
    return case


@pytest.mark.parametrize("name", _cases())
def test_failure_class(name: str, tmp_path: Path) -> None:
    case = _load(name)
    with SiteServer(CASES / name) as server:
        run = analyze_then_crawl(
            server.url + case["submit"],
            tmp_path,
            today=case["today"],
            hints=[server.url + h for h in case["hints"]],
            scraping=FAST,  # the crawl is what is tested, not its pace
        )
    assert not run.analysis_error, f"class {case['class']}: analysis failed: {run.analysis_error}"
    assert not run.crawl_error, f"class {case['class']}: crawl failed: {run.crawl_error}"
    found = sorted((norm_name(i.get("name", "")), i.get("start_date")) for i in run.items)
    wanted = sorted((norm_name(e["name"]), e["start_date"]) for e in case["expected"])
    assert found == wanted, f"class {case['class']} ({case['summary']})"
