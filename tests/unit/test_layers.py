"""The layers' arrows run one way (ARCHITECTURE section 1).

import-linter's contracts in pyproject.toml are the check (`make lint`); these tests keep the
contract's list of core modules complete and show what the layering buys a user: commands of
the core do not load Scrapy.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import famact

ROOT = Path(__file__).resolve().parents[2]


def _core_contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"].startswith("The domain core"))


def test_every_famact_module_outside_the_app_is_held_to_the_core_contract() -> None:
    listed = set(_core_contract()["source_modules"])  # type: ignore[arg-type]
    modules = [m.name for m in pkgutil.walk_packages(famact.__path__, "famact.")]
    assert "famact.app.cli" in modules and "famact.listing" in modules
    unlisted = [
        name
        for name in modules
        if not name.startswith(("famact.app", "famact.web"))
        and not any(name == core or name.startswith(core + ".") for core in listed)
    ]
    assert unlisted == [], f"add to the core contract in pyproject.toml: {unlisted}"


def test_core_contract_forbids_the_upper_layers_and_scrapy() -> None:
    forbidden = set(_core_contract()["forbidden_modules"])  # type: ignore[arg-type]
    assert {"famact.app", "famact_crawler", "analyzers", "scrapy", "twisted", "fastapi"} <= forbidden


def test_famact_classify_does_not_load_scrapy(tmp_path: Path) -> None:
    source = tmp_path / "listings.jsonl"
    source.write_text(
        json.dumps(
            {"id": "a", "title": "Toddler Storytime", "extra": {"schedule_text": "every Tuesday 10am"}}
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    script = (
        "import sys\n"
        "from famact.app.cli import main\n"
        f"code = main(['classify', {str(source)!r}, '--output', {str(out)!r}])\n"
        "upper = ('scrapy', 'twisted', 'famact_crawler', 'openai')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in upper)\n"
        "print(code, loaded)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 []"
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["id"] == "a" and row["entity_type"] == "EVENT"


def test_a_crawl_without_an_llm_key_does_not_load_the_openai_sdk() -> None:
    script = (
        "import sys\n"
        "import famact_crawler.pipelines.classify\n"
        "from famact.second_opinion import second_opinion_from_settings\n"
        "print(second_opinion_from_settings(True), 'openai' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None False"
