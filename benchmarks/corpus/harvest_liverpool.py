"""Run inside a fawkesley/liverpool-events-scrapers checkout, with lxml: record what its tests parse.

The project (ScraperWiki's 2013 Liverpool talks-and-events listings, BSD-2-Clause) has one scraper
per venue in ``tool/scrapers/``; ``tool/tests.py`` opens the venue's saved listing page from
``tool/sample_data/``, hands the file to the scraper's listing parser (``process`` or
``get_all_listings``) in ``setUpClass``, and asserts how many events it finds, their headlines
and dates. Each test class is run as written; when all its tests pass, the rows the listing parser
returned on each saved page are that page's truth (headline and date), and the page's URL is the
scraper's ``URL``, the listing it downloads. A class with a failing test gives an error record.
A parser call that the test hands a filter as well as the page (philosophyinpubs drops the
events of venues it lists apart) is not recorded: its rows are not all the page shows.

The code was written for Python 2; it runs under Python 3 once three modules it imports but its
tests never use are stubbed: ``cStringIO`` (the download helper's buffer), ``requests_cache`` and
``nose.tools`` (three asserts, given unittest's). The clock is frozen at the day the pages were
saved (``CLOCK``): the parsers give a date shown without a year the next year after today, as
they did when the tests were written, and ``today`` of every page is that day.

Usage (by ``benchmarks.corpus.build``)::

    PEER_PYTHON harvest_liverpool.py CHECKOUT CLOCK > records.jsonl

This file imports nothing from famact: it runs under another interpreter.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import sys
import types
import unittest
from pathlib import Path

TOOL = "tool"
LISTING_PARSERS = ("process", "get_all_listings")


def _stub_imports() -> None:
    """Modules the peer imports but its tests never use, and nose's asserts as unittest's."""
    c_string_io = types.ModuleType("cStringIO")
    c_string_io.StringIO = io.BytesIO  # type: ignore[attr-defined]
    asserts = unittest.TestCase()
    tools = types.ModuleType("nose.tools")
    tools.assert_equal = asserts.assertEqual  # type: ignore[attr-defined]
    tools.assert_true = asserts.assertTrue  # type: ignore[attr-defined]
    tools.assert_false = asserts.assertFalse  # type: ignore[attr-defined]
    nose = types.ModuleType("nose")
    nose.tools = tools  # type: ignore[attr-defined]
    sys.modules.update(
        {
            "cStringIO": c_string_io,
            "requests_cache": types.ModuleType("requests_cache"),
            "nose": nose,
            "nose.tools": tools,
        }
    )


def _record_parsers(module: types.ModuleType, calls: list[tuple[str, str, list[dict]]]) -> None:
    """Wrap the scraper's listing parsers to note, per call on a saved page alone, the rows it gave."""
    url = getattr(module, "URL", None)

    def recording(original):
        def parse(page, *filters):
            rows = list(original(page, *filters))
            if url and not filters:
                calls.append((str(Path(page.name).resolve()), url, rows))
            return iter(rows)

        return parse

    for name in LISTING_PARSERS:
        if callable(getattr(module, name, None)):
            setattr(module, name, recording(getattr(module, name)))


def _record(test: str, clock: str, call: tuple[str, str, list[dict]], root: Path) -> dict:
    """One saved page's record: the rows one listing-parser call returned, dated ones as items."""
    path, url, rows = call
    items = []
    for row in rows:
        when = row.get("date")
        if isinstance(when, dt.date):
            items.append({"title": row["headline"], "start": when.isoformat()})
    return {
        "test": test,
        "spider": Path(path).stem.removesuffix("_listings"),
        "today": clock,
        "items": items,
        "reads": [{"path": str(Path(path).relative_to(root)), "url": url}],
    }


def _run_class(case: type) -> str | None:
    """Run one test class as written; the first failure or error, if any."""
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    problems = result.failures + result.errors
    return f"{problems[0][0]}: {problems[0][1].strip().splitlines()[-1]}"[:300] if problems else None


def main(checkout: str, clock: str) -> None:
    import freezegun

    root = Path(checkout).resolve()
    os.chdir(root / TOOL)
    sys.path[:0] = [str(root / TOOL), str(root / TOOL / "scrapers")]
    _stub_imports()
    with freezegun.freeze_time(clock):
        tests = importlib.import_module("tests")
        calls: list[tuple[str, str, list[dict]]] = []
        for value in vars(tests).values():
            if isinstance(value, types.ModuleType) and value.__name__.startswith("scrapers."):
                _record_parsers(value, calls)
        for name, case in sorted(vars(tests).items()):
            if not (isinstance(case, type) and issubclass(case, unittest.TestCase)):
                continue
            calls.clear()
            test = f"{TOOL}/tests.py::{name}"
            error = _run_class(case)
            if error:
                print(json.dumps({"test": test, "reads": [], "error": error}), flush=True)
                continue
            for call in calls:
                print(json.dumps(_record(test, clock, call, root)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
