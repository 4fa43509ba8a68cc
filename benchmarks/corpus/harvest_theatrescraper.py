"""Run inside an amac0/TheatreScraper checkout, with bs4 and lxml: record what its tests parse.

The project (a London theatre listings monitor, MIT) has one parser per theatre,
``src/scrapers/<theatre>.py``'s ``extract_<theatre>_shows(soup, theater_id, url)``, and one test
per theatre, ``tests/scrapers/test_<theatre>.py``, that reads the theatre's saved "what's on" page
(``tests/fixtures/<theatre>_actual.html``), hands it to that parser with the theatre's URL and
checks the shows it returns. Each test file runs as written under pytest; the parser is wrapped
first, so the call the test itself makes is recorded: its URL and the shows it returned. When the
file's tests all pass (a test the peer skips, as it does when a parser finds nothing, vouches for
nothing), the shows with a first performance date are the page's truth (title and that date), if
the page the test parsed is the theatre's saved page (the parsed document is compared with it)
and the parser dated at least half the shows it found there (else the truth is a part of the page).

The parsers read dates with dateutil, which gives a date shown without a year this year: the clock
is frozen at the day the pages were committed (``CLOCK``, 2025-05-12), the year they were saved in.
They were saved some months before (the Soho pages list from 25 February), and the tests freeze no
date, so ``today`` of a page is its earliest show's first date, as for simonrw/whatson.

Usage (by ``benchmarks.corpus.build``)::

    PEER_PYTHON harvest_theatrescraper.py CHECKOUT CLOCK > records.jsonl

This file imports nothing from famact: it runs under another interpreter.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

TESTS = Path("tests/scrapers")
FIXTURES = Path("tests/fixtures")


class Outcomes:
    """A pytest plugin that keeps each test's outcome, by test file."""

    def __init__(self) -> None:
        self.by_file: dict[str, list[str]] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" or report.outcome != "passed":
            self.by_file.setdefault(report.nodeid.split("::")[0], []).append(report.outcome)


def _wrap_parser(theatre: str, calls: list[tuple[str, str, Any, list[Any]]]) -> None:
    """Replace the theatre's parser by one that notes each call (id, URL, document, shows)."""
    module = importlib.import_module(f"src.scrapers.{theatre}")
    name = f"extract_{theatre}_shows"
    original = getattr(module, name)

    def recording(soup: Any, theater_id: str, url: str) -> list[Any]:
        shows = original(soup, theater_id, url)
        calls.append((theater_id, url, str(soup), list(shows)))
        return shows

    setattr(module, name, recording)


def _saved_page(root: Path, theatre: str) -> Path:
    return root / FIXTURES / f"{theatre}_actual.html"


def _is_saved_page(root: Path, theatre: str, document: str) -> bool:
    """Whether the document a test parsed is the theatre's saved page, read as the tests read it
    (with lxml, or with html.parser as the Drury Lane test does)."""
    from bs4 import BeautifulSoup

    page = _saved_page(root, theatre)
    if not page.exists():
        return False
    text = page.read_text(encoding="utf-8")
    return any(str(BeautifulSoup(text, parser)) == document for parser in ("lxml", "html.parser"))


def _failure(outcomes: list[str]) -> str | None:
    if not outcomes:
        return "the peer's test ran nothing"
    if any(o != "passed" for o in outcomes):
        return f"the peer's test did not pass: {', '.join(sorted(set(outcomes)))}"
    return None


def _mostly_undated(shows: list[Any]) -> str | None:
    """Why the shows cannot be a page's truth when the parser dated fewer than half of them.

    The tests check titles, rarely dates: the National Theatre's parser finds nine shows but reads
    a date for two (and "until 5 April" as a first night), so its truth would list two of the nine
    shows the page dates, and a reader finding the other seven would be counted wrong.
    """
    dated = sum(1 for show in shows if show.title and show.performance_start_date)
    if 2 * dated < len(shows):
        return f"the parser dated {dated} of the {len(shows)} shows it found: not the page's listings"
    return None


def _record(root: Path, test: str, theatre: str, call: tuple[str, str, Any, list[Any]]) -> dict:
    """The page's record: the shows the test's own parser call returned, those with a start date."""
    _, url, _, shows = call
    items = [
        {"title": show.title, "start": show.performance_start_date.date().isoformat()}
        for show in shows
        if show.title and show.performance_start_date
    ]
    path = _saved_page(root, theatre).relative_to(root)
    today = min((i["start"] for i in items), default=None)
    return {
        "test": test,
        "spider": theatre,
        "today": today,
        "items": items,
        "reads": [{"path": str(path), "url": url}],
    }


def main(checkout: str, clock: str) -> None:
    import freezegun
    import pytest

    root = Path(checkout).resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    for test_file in sorted((root / TESTS).glob("test_*.py")):
        theatre = test_file.stem.removeprefix("test_")
        test = str(test_file.relative_to(root))
        calls: list[tuple[str, str, Any, list[Any]]] = []
        try:
            _wrap_parser(theatre, calls)
        except (ImportError, AttributeError) as err:
            print(
                json.dumps({"test": test, "spider": theatre, "reads": [], "error": str(err)[:300]}),
                flush=True,
            )
            continue
        outcomes = Outcomes()
        # pytest reports on stdout, where the records go: its report goes to stderr instead.
        with freezegun.freeze_time(clock), contextlib.redirect_stdout(sys.stderr):
            pytest.main([test, "-q", "-p", "no:cacheprovider"], plugins=[outcomes])
        error = _failure(outcomes.by_file.get(test, []))
        mine = [c for c in calls if c[0] == theatre and _is_saved_page(root, theatre, c[2])]
        if not error and not mine:
            error = "the peer's test did not parse the theatre's saved page"
        if not error:
            error = _mostly_undated(mine[0][3])
        if error:
            print(json.dumps({"test": test, "spider": theatre, "reads": [], "error": error}), flush=True)
            continue
        print(json.dumps(_record(root, test, theatre, mine[0])), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
