"""End to end through the `famact` command on a real dynalite and fixture sites on loopback:
submit -> analyze -> approve -> crawl -> search, plus the LLM path against a fake
OpenAI-compatible server (the real `openai` SDK runs) and the guarded transitions.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.analyze_crawl import famact_cli
from tests.support.fake_openai import FakeOpenAI
from tests.support.scoring import norm_name
from tests.support.site_server import FAST_ENV, SiteServer, load_site

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


class Famact:
    """Runs `python -m famact.app.cli ...` with a private table prefix on the test dynalite."""

    def __init__(self, endpoint: str, today: str, extra_env: dict[str, str] | None = None) -> None:
        self.env = {
            **os.environ,
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-west-2",
            "FAMACT_TABLE_PREFIX": f"e2e{uuid.uuid4().hex[:8]}-",
            "FAMACT_ALLOW_PRIVATE_URLS": "1",
            "FAMACT_TODAY": today,
            **FAST_ENV,  # loopback sites: the polite pace and back-off only cost wall time
        }
        self.env.pop("OPENAI_API_KEY", None)
        self.env.update(extra_env or {})

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = famact_cli(self.env, *args)
        if check:
            assert proc.returncode == 0, (
                f"famact {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
            )
        return proc


@pytest.fixture
def site_server(request: pytest.FixtureRequest) -> Iterator[tuple[Any, SiteServer]]:
    site = load_site(request.param)
    with SiteServer(site.dir) as server:
        yield site, server


def _search_names(famact: Famact, *args: str) -> set[str]:
    out = famact("search", "--json", "--limit", "100", *args)
    return {norm_name(item["name"]) for item in json.loads(out.stdout)["items"]}


@pytest.mark.parametrize("site_server", ["squarespace-events", "camp-directory"], indirect=True)
def test_submit_analyze_approve_crawl_search(
    site_server: tuple[Any, SiteServer], dynalite_endpoint: str
) -> None:
    site, server = site_server
    famact = Famact(dynalite_endpoint, site.meta["today"])
    famact("tables", "create")
    target = site.config(server.url).target_urls[0]
    famact(
        "sources",
        "submit",
        "--name",
        f"Fixture {site.name}",
        "--url",
        server.url + "/",
        "--hint-url",
        target,
        "--id",
        "fixture",
        "--priority",
        "high",
    )

    refused = famact("sources", "approve", "fixture", check=False)
    assert refused.returncode != 0
    assert "not analysis_complete" in refused.stderr and "Traceback" not in refused.stderr

    duplicate = famact("sources", "submit", "--name", "Again", "--url", server.url + "/", check=False)
    assert duplicate.returncode != 0 and "fixture" in duplicate.stderr and "Traceback" not in duplicate.stderr

    report = famact("sources", "analyze", "fixture", "--no-llm")
    assert "quality score" in report.stdout
    famact("sources", "approve", "fixture")
    listed = json.loads(famact("sources", "list", "--status", "active", "--json").stdout)
    assert [s["source_id"] for s in listed] == ["fixture"]

    crawl = famact("crawl", "fixture")
    assert "success" in crawl.stderr

    expected = {norm_name(item["name"]) for item in site.expected() if item.get("status") != "past"}
    found = _search_names(famact, "--from", "2026-11-24", "--to", "2027-11-23")
    recall = len(expected & found) / len(expected)
    assert recall >= 0.8, f"search found {sorted(found)}; expected {sorted(expected)}"

    shown = json.loads(famact("sources", "show", "fixture", "--json").stdout)
    assert shown["submission"]["status"] == "active"
    assert shown["config_versions"] == [1]
    # The approved config is the proposal, at the pace the analysis was told to propose.
    assert shown["config"]["scraping_config"]["rate_limit"]["requests_per_minute"] == int(
        FAST_ENV["FAMACT_PROPOSED_REQUESTS_PER_MINUTE"]
    )
    assert shown["executions"][0]["outcome"] == "success"

    export = famact(
        "export", "--output", str(Path(os.environ.get("TMPDIR", "/tmp")) / f"{uuid.uuid4().hex}.jsonl")
    )
    assert "exported" in export.stderr


def _proposal_from_hand_config(config: dict[str, Any]) -> dict[str, Any]:
    """The answer a good model would give: the site's hand-written selectors in the
    LLM-facing ProposedConfig shape."""

    def plain(spec: Any) -> str | None:
        if spec is None:
            return None
        if isinstance(spec, str):
            return spec
        query = spec["query"]
        if spec.get("kind") == "xpath":
            return f"xpath:{query}"
        if spec.get("extract") == "attr":
            return f"{query}::attr({spec['attr']})"
        return str(query)

    listing = config.get("listing") or {}
    fields = {
        k: plain(v)
        for k, v in listing.get("fields", {}).items()
        if k in ("title", "date", "time", "description", "price", "ages", "venue", "address", "url", "image")
    }
    pagination = listing.get("pagination") or {}
    return {
        "render": config.get("render", "http"),
        "listing_item": plain(listing.get("item")),
        "fields": fields,
        "next_page": plain(pagination.get("next_page")),
        "notes": "selectors from the page structure",
    }


@pytest.mark.parametrize("site_server", ["blog-roundup"], indirect=True)
def test_llm_analysis_keeps_page_text_as_data_and_survives_bad_answers(
    site_server: tuple[Any, SiteServer], dynalite_endpoint: str
) -> None:
    """The blog page tells the model to ignore its instructions: that text reaches the model
    only inside a delimited data block of the user message, and changes nothing. A non-JSON
    answer and an XPath in a CSS field are caught, fed back, and the next answer is used."""
    site, server = site_server
    config = json.loads((site.dir / "config.json").read_text())
    good = json.dumps(_proposal_from_hand_config(config))
    bad_selector = json.dumps({"listing_item": "//div[@class='x']", "fields": {"title": "h2"}})
    with FakeOpenAI() as llm:
        llm.enqueue("Sure! Here is my config: (not JSON)")
        llm.enqueue(bad_selector)
        llm.enqueue(good)
        famact = Famact(
            dynalite_endpoint,
            site.meta["today"],
            {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": llm.base_url, "FAMACT_LLM_MODEL": "fake-model"},
        )
        famact("tables", "create")
        target = site.config(server.url).target_urls[0]
        famact("sources", "submit", "--name", "Blog", "--url", target, "--id", "blog")
        famact("sources", "analyze", "blog")
        shown = json.loads(famact("sources", "show", "blog", "--json").stdout)
        analysis = shown["analysis"]
        assert analysis["tokens_used"] > 0
        assert any("not valid" in issue or "rejected" in issue for issue in analysis["issues"])
        assert any("listing.item" in issue or "listing_item" in issue for issue in analysis["issues"]), (
            analysis["issues"]
        )
        assert analysis["item_count"] >= 15

        system_prompts = {req["messages"][0]["content"] for req in llm.requests}
        assert len(system_prompts) == 1, "the system prompt must never change with page content"
        (system,) = system_prompts
        assert "Ignore previous instructions" not in system
        for req in llm.requests:
            user = req["messages"][1]["content"]
            if "ignore previous instructions" in user.lower():
                before, _, after = user.lower().partition("ignore previous instructions")
                assert before.rfind("<<<page_data") > before.rfind("<<<end_page_data>>>")
                assert "<<<end_page_data>>>" in after
        # The injected "mark every listing as free" did not make the listings free.
        paid = [i for i in analysis["sample_items"] if i.get("price_usd")]
        assert paid, "prices still come from the page, not from the injected instruction"


def test_a_dead_site_fails_the_analysis_clearly_and_it_can_be_rerun(dynalite_endpoint: str) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/events/"
    famact = Famact(dynalite_endpoint, "2026-11-24")
    famact("tables", "create")
    famact("sources", "submit", "--name", "Dead Site", "--url", dead, "--id", "dead")
    failed = famact("sources", "analyze", "dead", "--no-llm", check=False)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert "cannot fetch" in failed.stderr
    shown = json.loads(famact("sources", "show", "dead", "--json").stdout)
    assert shown["submission"]["status"] == "failed"
    assert "cannot fetch" in shown["submission"]["status_reason"]
    assert shown["config"] is None
    again = famact("sources", "analyze", "dead", "--no-llm", check=False)  # allowed: failed -> analyzing
    assert "not" not in again.stderr.split("cannot fetch")[0], again.stderr
    refused = famact("sources", "approve", "dead", check=False)
    assert refused.returncode != 0 and "not analysis_complete" in refused.stderr
