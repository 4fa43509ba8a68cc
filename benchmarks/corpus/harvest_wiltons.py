"""Run inside a MuayChaiLatte/Cold-Lead-Generator checkout, with bs4 and pandas: record its parser's shows.

The project (MIT) lists London theatres' upcoming shows; ``parsers/base_parser.py``'s
``BaseParser(theatre, soup).extract_shows_from_html()`` reads a theatre's "what's on" page with
the CSS selectors configured for it. Its one test (``tests/test_base_parser.py``) parses Wilton's
Music Hall's saved page (``tests/test_base_parser/wiltons_whats_on.htm``) and asserts the shows
equal a CSV of title, first and last date. The test runs as written, the parser wrapped first so
the call the test makes is recorded: when the test passes, the shows it returned on the saved page
(the parsed document is compared with it) are the page's truth (title and first date), at the URL
the test gives the theatre.

The parser adds this year to dates shown without one: the clock is frozen at the day the test was
committed (``CLOCK``). The test freezes no date, so ``today`` is the earliest show's first date,
as for simonrw/whatson. pandas is imported before the clock is frozen (freezegun cannot patch it
while it loads).

Usage (by ``benchmarks.corpus.build``)::

    PEER_PYTHON harvest_wiltons.py CHECKOUT CLOCK > records.jsonl

This file imports nothing from famact: it runs under another interpreter.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

TEST = "tests/test_base_parser.py"
PAGE = "tests/test_base_parser/wiltons_whats_on.htm"


class Outcomes:
    """A pytest plugin that keeps each test's outcome."""

    def __init__(self) -> None:
        self.outcomes: list[str] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" or report.outcome != "passed":
            self.outcomes.append(report.outcome)


def _wrap_parser(calls: list[tuple[str, str, list[Any]]]) -> None:
    """Replace the parser's extraction by one that notes each call (URL, document, shows)."""
    from parsers.base_parser import BaseParser

    original = BaseParser.extract_shows_from_html

    def recording(self: Any) -> list[Any]:
        shows = original(self)
        calls.append((self.theatre.link, str(self.html_soup), list(shows)))
        return shows

    BaseParser.extract_shows_from_html = recording  # type: ignore[method-assign]


def _is_saved_page(root: Path, document: str) -> bool:
    from bs4 import BeautifulSoup

    return str(BeautifulSoup((root / PAGE).read_text(encoding="utf-8"), "html.parser")) == document


def main(checkout: str, clock: str) -> None:
    import freezegun
    import pytest

    base = {"test": TEST, "spider": "wiltons"}
    try:
        import pandas  # noqa: F401  (loaded before the clock is frozen)
    except ModuleNotFoundError as err:  # named by the build, so the requirements can be completed
        print(json.dumps({**base, "reads": [], "error": f"ModuleNotFoundError: {err}"}))
        return
    root = Path(checkout).resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    calls: list[tuple[str, str, list[Any]]] = []
    _wrap_parser(calls)
    plugin = Outcomes()
    with freezegun.freeze_time(clock), contextlib.redirect_stdout(sys.stderr):
        pytest.main([TEST, "-q", "-p", "no:cacheprovider"], plugins=[plugin])
    if not plugin.outcomes or any(o != "passed" for o in plugin.outcomes):
        print(json.dumps({**base, "reads": [], "error": f"the peer's test did not pass: {plugin.outcomes}"}))
        return
    mine = [c for c in calls if _is_saved_page(root, c[1])]
    if not mine:
        print(json.dumps({**base, "reads": [], "error": "the peer's test did not parse the saved page"}))
        return
    url, _, shows = mine[0]
    items = [{"title": s.title, "start": s.start_date} for s in shows if s.title and s.start_date]
    today = min((i["start"] for i in items), default=None)
    print(json.dumps({**base, "today": today, "items": items, "reads": [{"path": PAGE, "url": url}]}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
