"""A crawl interrupted (SIGTERM, SIGKILL) or losing its DynamoDB server mid-way loses nothing
that was stored and marks nothing inactive.

Each test stores a complete crawl of the demo site, removes one listing from the site (so a
wrongly trusted partial crawl would mark it, and more, inactive), starts a slow re-crawl,
interrupts it, and compares the export with the one before.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.conftest import DYNALITE_BIN, free_port, wait_for_port
from tests.reliability.conftest import FaultRecord
from tests.reliability.crawls import (
    ROOT,
    crawl,
    crawl_command,
    create_tables,
    export,
    remove_card,
    store_env,
    without_timestamps,
)
from tests.support.site_server import FAST, SiteServer, load_site

pytestmark = pytest.mark.integration
# Two requests a second: the demo site's ~30 pages take ~15 s, time enough to interrupt.
SLOW = {"rate_limit": {"requests_per_minute": 120, "concurrent_requests": 1}}


class Dynalite:
    """A dynalite of this test's own, on a fixed port and data directory, so it can be killed
    and started again with its data."""

    def __init__(self, data: Path) -> None:
        if not DYNALITE_BIN.exists():
            pytest.skip(f"{DYNALITE_BIN} missing: run `make setup` (npm ci)")
        self.data = data
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *(
                    str(DYNALITE_BIN),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--path",
                    str(self.data),
                ),
                *("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def dynalite(tmp_path: Path) -> Iterator[Dynalite]:
    server = Dynalite(tmp_path / "db")
    server.start()
    yield server
    server.kill()


class StoredSite(NamedTuple):
    config: dict[str, Any]
    env: dict[str, str]
    today: str
    server: SiteServer


@pytest.fixture
def stored_site(dynalite: Dynalite, tmp_path: Path) -> Iterator[StoredSite]:
    """The demo site crawled once, completely, then changed, with a slow config for the re-crawl."""
    site = load_site("demo")
    copy = tmp_path / "site"
    shutil.copytree(site.dir, copy)
    env = store_env(dynalite.endpoint, f"int{uuid.uuid4().hex[:8]}-")
    create_tables(env)
    with SiteServer(copy) as server:
        config = load_site(copy).config_data(server.url)
        first = crawl({**config, "scraping_config": FAST}, env, tmp_path, site.meta["today"])
        assert first["execution"]["finish_reason"] == "finished"
        remove_card(copy, "places", "Lakeside Story Walk")
        yield StoredSite({**config, "scraping_config": SLOW}, env, site.meta["today"], server)


def _start(config: dict[str, Any], env: dict[str, str], tmp_path: Path, today: str) -> subprocess.Popen[str]:
    # Batches of two: writes happen all through the crawl, not only when it closes.
    return subprocess.Popen(
        crawl_command(config, tmp_path, today, "FAMACT_STORE_BATCH_SIZE=2"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_half_crawled(server: SiteServer, proc: subprocess.Popen[str], timeout: float = 180) -> None:
    """Return once the running re-crawl has fetched half the site's pages: its listings are
    flowing into the store (batches of two), and half the crawl's writes are still to come."""
    start = len(server.requests)
    pages = len({path for _, path in server.requests[:start]})
    deadline = time.monotonic() + timeout
    while len(server.requests) - start < pages // 2:
        assert proc.poll() is None, "the crawl ended before it was half done"
        assert time.monotonic() < deadline, f"the crawl fetched under half the site in {timeout:.0f} s"
        time.sleep(0.1)


def lost_or_changed(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> set[str]:
    """PKs stored before that are missing or different after (timestamps aside)."""
    kept, now = without_timestamps(before), without_timestamps(after)
    return {pk for pk, row in kept.items() if now.get(pk) != row}


def _assert_nothing_lost(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], fault: FaultRecord
) -> None:
    fault.items_lost = len(lost_or_changed(before, after))
    assert set(after) == set(before)
    assert not [r["name"] for r in after.values() if r["status"] == "inactive"]
    assert without_timestamps(after) == without_timestamps(before)


def test_sigterm_mid_crawl_stops_cleanly_and_marks_nothing(
    stored_site: StoredSite, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "SIGTERM half-way through a re-crawl (one listing removed from the site)"
    fault.behaviour = "graceful shutdown (finish reason 'shutdown'); vanished-marking refused"
    config, env, today, server = stored_site
    before = export(env)
    proc = _start(config, env, tmp_path, today)
    _wait_until_half_crawled(server, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["execution"]["finish_reason"] == "shutdown"
    assert "ended early (shutdown)" in summary["stats"]["famact/vanished/refused"]
    _assert_nothing_lost(before, export(env), fault)


def test_sigkill_mid_crawl_loses_nothing_stored(
    stored_site: StoredSite, tmp_path: Path, fault: FaultRecord
) -> None:
    fault.injected = "SIGKILL to the crawl process half-way through a re-crawl"
    fault.behaviour = "process dies; stored entities untouched, nothing marked inactive"
    config, env, today, server = stored_site
    before = export(env)
    proc = _start(config, env, tmp_path, today)
    _wait_until_half_crawled(server, proc)
    proc.kill()
    proc.communicate(timeout=30)
    _assert_nothing_lost(before, export(env), fault)


def test_dynamodb_killed_and_restarted_mid_crawl(
    stored_site: StoredSite,
    dynalite: Dynalite,
    tmp_path: Path,
    fault: FaultRecord,
) -> None:
    fault.injected = "the DynamoDB server (dynalite) killed half-way through a crawl, restarted 3 s later"
    fault.behaviour = "batches that met the outage written again; crawl completes"
    config, env, today, server = stored_site
    before = export(env)
    proc = _start(config, env, tmp_path, today)
    # Kill it mid-crawl, not on a clock: a loaded machine can take longer than any fixed
    # wait just to start the crawl, and the outage would then end before the first write.
    _wait_until_half_crawled(server, proc)
    dynalite.kill()
    time.sleep(3)
    dynalite.start()  # same port, same data directory
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err[-3000:]
    summary = json.loads(out.strip().splitlines()[-1])
    stats, execution = summary["stats"], summary["execution"]
    # The batches that met the outage were written again once the server was back: nothing
    # failed, so the crawl is complete and the one removed listing is marked, nothing else.
    assert stats.get("famact/store/outage_retries", 0) >= 1, "the outage did not hit a write"
    assert "famact/store/failed_batches" not in stats
    assert execution["finish_reason"] == "finished" and execution["inactive_count"] == 1
    after = export(env)
    assert set(after) == set(before)
    assert [r["name"] for r in after.values() if r["status"] == "inactive"] == ["Lakeside Story Walk"]
    changed = lost_or_changed(before, after)
    fault.items_lost = len([pk for pk in changed if after.get(pk, {}).get("name") != "Lakeside Story Walk"])
    assert {after[pk]["name"] for pk in changed} == {"Lakeside Story Walk"}
