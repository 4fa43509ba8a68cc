"""Run inside a simonrw/whatson checkout, with the peer's parsing dependencies: record what its tests parse.

whatson (UK theatre listings) has one fetcher per venue in ``whatson/ingest.py``; its tests in
``testing/test_ingest.py`` replace the page download with a mock that returns saved pages from
``testing/responses/`` (one, or several in turn for a venue whose listing runs over pages) and
assert how many shows the fetcher returns, and the first and last. Running each test function
as it is, with the fetchers' output recorded, gives per saved page the shows the peer's own
parser found on it (the shows yielded after a download belong to that download's page) and the
URL the fetcher asked for. A test whose assertions fail is recorded as an error, so a page only
carries truth the peer's test vouches for.

What is stubbed, only to import the peer: ``whatson.db`` (it connects to Postgres at import),
``psycopg2`` (one exception class) and ``selenium`` (the browser download the tests mock). The
clock is frozen at the date the pages were saved (``CLOCK``), because the parsers give dates
shown without a year the year of ``date.today()``, as they did when the tests were written.

Usage (by ``benchmarks.corpus.build``)::

    PEER_PYTHON harvest_whatson.py CHECKOUT CLOCK > records.jsonl

This file imports nothing from famact: it runs under another interpreter.
"""

from __future__ import annotations

import builtins
import importlib
import json
import os
import sys
import traceback
import types
from pathlib import Path
from unittest import mock

TESTS = "testing.test_ingest"
DOWNLOADS = ("_fetch_html_requests", "_fetch_html_selenium")


def _stub_imports() -> None:
    """Modules the peer imports but its tests never use: a database and a browser."""
    db = types.ModuleType("whatson.db")
    db.DB = None  # type: ignore[attr-defined]
    db.reset_database = lambda conn: None  # type: ignore[attr-defined]
    errors = types.ModuleType("psycopg2.errors")
    errors.UniqueViolation = type("UniqueViolation", (Exception,), {})  # type: ignore[attr-defined]
    psycopg2 = types.ModuleType("psycopg2")
    psycopg2.errors = errors  # type: ignore[attr-defined]
    selenium = types.ModuleType("selenium")
    selenium.webdriver = types.ModuleType("selenium.webdriver")  # type: ignore[attr-defined]
    sys.modules.update(
        {
            "whatson.db": db,
            "psycopg2": psycopg2,
            "psycopg2.errors": errors,
            "selenium": selenium,
            "selenium.webdriver": selenium.webdriver,  # type: ignore[attr-defined]
        }
    )


def _current_download(ingest) -> mock.Mock | None:
    """The test's mock of the page download, once the fetcher has called it."""
    for name in DOWNLOADS:
        download = getattr(ingest, name)
        if isinstance(download, mock.Mock) and download.call_count:
            return download
    return None


def _record_fetchers(ingest, shows: list[tuple[int, str, dict]]) -> None:
    """Wrap every fetcher's ``fetch`` to note, per show, which download (and URL) it came from."""

    def recording(original):
        def fetch(self):
            for show in original(self):
                download = _current_download(ingest)
                if download is not None:
                    shows.append((download.call_count - 1, download.call_args.args[0], show))
                yield show

        return fetch

    for fetcher in ingest.Fetcher.fetchers:
        fetcher.fetch = recording(fetcher.fetch)


def _record_opens(module, opened: list[str]) -> None:
    """The saved pages a test reads, in the order it hands them to its download mock."""

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return builtins.open(file, *args, **kwargs)

    module.open = recording_open


def _records(test: str, opened: list[str], shows: list[tuple[int, str, dict]]) -> list[dict]:
    records = []
    for page, path in enumerate(opened):
        mine = [(url, show) for n, url, show in shows if n == page]
        items = [{"title": s["title"], "start": s["start_date"].isoformat()} for _, s in mine]
        records.append(
            {
                "test": f"testing/test_ingest.py::{test}",
                "spider": test.removeprefix("test_"),
                "today": min((i["start"] for i in items), default=None),
                "items": items,
                "reads": [{"path": path, "url": mine[0][0] if mine else None}],
            }
        )
    return records


def main(checkout: str, clock: str) -> None:
    import freezegun

    os.chdir(Path(checkout).resolve())
    sys.path.insert(0, os.getcwd())
    _stub_imports()
    with freezegun.freeze_time(clock):
        ingest = importlib.import_module("whatson.ingest")
        tests = importlib.import_module(TESTS)
        shows: list[tuple[int, str, dict]] = []
        opened: list[str] = []
        _record_fetchers(ingest, shows)
        _record_opens(tests, opened)
        for name, test in sorted(vars(tests).items()):
            if not (name.startswith("test_") and callable(test)):
                continue
            shows.clear()
            opened.clear()
            try:
                test()  # its mock.patch decorator supplies the mocked download
            except BaseException as exc:  # a failing assertion: the peer does not vouch for the output
                error = {"test": f"testing/test_ingest.py::{name}", "reads": []}
                error["error"] = f"{type(exc).__name__}: {exc}"[:300]
                error["trace"] = traceback.format_exc(limit=2)[-600:]
                print(json.dumps(error), flush=True)
                continue
            for record in _records(name, opened, shows):
                print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
