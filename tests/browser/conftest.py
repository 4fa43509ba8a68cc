"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium, through
`executable_path`: Playwright's own browser builds cannot be downloaded here) against a real
`famact serve` process on 127.0.0.1, on the test session's dynalite, crawling a fixture site on
loopback. Screenshots of each step go to `test-artifacts/browser/` (gitignored; another
directory with FAMACT_TEST_ARTIFACTS)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from famact_crawler.browser import chromium_available, launch_options
from tests.conftest import PROJECT_ROOT
from tests.support.analyze_crawl import famact_cli, famact_env
from tests.support.site_server import FAST_ENV, Site, SiteServer, load_site
from tests.support.web_server import famact_serve

ADMIN_PASSWORD = "browser-test admin password"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def artifacts() -> Path:
    root = Path(os.environ.get("FAMACT_TEST_ARTIFACTS") or PROJECT_ROOT / "test-artifacts") / "browser"
    root.mkdir(parents=True, exist_ok=True)
    return root


# Module scope, not session: Playwright's sync API keeps an event loop running in the thread
# while it is open, and a later test of the same worker that calls asyncio.run would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not chromium_available():
        pytest.skip("Chromium missing: run `make setup` as root (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, artifacts: Path) -> Iterator[Any]:
    """A fresh browser context (no cookies) with a phone-sized window; on failure the last
    screen is saved as `<test>-failed.png`."""
    context = browser.new_context(viewport={"width": 412, "height": 915})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        if getattr(request.node, "failed", False):
            tab.screenshot(path=str(artifacts / f"{request.node.name}-failed.png"), full_page=True)
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        item.failed = True  # type: ignore[attr-defined]
    return report


@dataclass
class World:
    """The site being crawled, the web app serving the tables, and `famact` for the steps a
    worker does between the browser's (analysis, crawl)."""

    site: Site
    site_url: str
    app_url: str
    env: dict[str, str]

    def famact(self, *args: str) -> subprocess.CompletedProcess[str]:
        proc = famact_cli(self.env, *args)
        assert proc.returncode == 0, f"famact {' '.join(args)}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
        return proc


@pytest.fixture
def world(dynalite_endpoint: str, tmp_path: Path) -> Iterator[World]:
    site = load_site("squarespace-events")
    env = famact_env(
        site.meta["today"],
        {
            "AWS_ENDPOINT_URL_DYNAMODB": dynalite_endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-west-2",
            "FAMACT_TABLE_PREFIX": f"br{uuid.uuid4().hex[:8]}-",
            "FAMACT_HOME": str(tmp_path / "famact-home"),
            # A cheap argon2 cost keeps the login quick; the hash carries its parameters.
            "FAMACT_ADMIN_PASSWORD_HASH": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
                ADMIN_PASSWORD
            ),
            "FAMACT_SESSION_SECRET": uuid.uuid4().hex,
            **FAST_ENV,  # the fixture site is on loopback: its crawl need not be polite
        },
    )
    with SiteServer(site.dir) as server:
        world = World(site=site, site_url=server.url, app_url="", env=env)
        world.famact("tables", "create")
        with famact_serve(env, tmp_path / "serve.log") as app_url:
            world.app_url = app_url
            yield world
