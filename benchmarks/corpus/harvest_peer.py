"""Run inside a peer project's checkout, with the peer's own dependencies: record what its tests parse.

A City Scrapers style test module builds a response from a saved page at import time
(``file_response(path, url=...)``), freezes the clock, and parses it into module-level
``parsed_items``. Importing each module with ``file_response`` instrumented gives, per test, the
saved files it read (with their original URLs), the frozen date, and the items the peer's own
spider found on them: the truth of a corpus page, as the peer's tests assert it.

Usage (by ``benchmarks.corpus.build``, one process per checkout)::

    PEER_PYTHON harvest_peer.py CHECKOUT [SPIDER ...] > records.jsonl

Naming spiders imports only their test modules (``tests/test_SPIDER.py``): a source read only for
the spiders it adds need not import the dozens of others, each of which parses its saved pages.

This file imports nothing from famact: it runs under another interpreter.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import signal
import sys
import traceback
from pathlib import Path


def _instrument(reads: list[dict]) -> None:
    from city_scrapers_core import utils

    original = utils.file_response

    def recording(file_name, mode="r", url=None, *args, **kwargs):
        reads.append({"path": os.path.abspath(file_name), "url": url})
        return original(file_name, *args, mode=mode, url=url, **kwargs)

    utils.file_response = recording


def _when(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return None


def _frozen_date(module) -> str | None:
    for value in vars(module).values():
        freeze = getattr(value, "time_to_freeze", None)
        if isinstance(freeze, dt.datetime):
            return freeze.date().isoformat()
    return None


def _items(module) -> list[dict]:
    items = getattr(module, "parsed_items", None)
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        try:
            title = item.get("title")
        except AttributeError:
            continue
        if isinstance(title, str) and title.strip():
            out.append({"title": title, "start": _when(item.get("start"))})
    return out


def _timeout(*_):
    raise TimeoutError("test module took longer than 60 s to import")


def _tests(root: Path, spiders: list[str]) -> list[Path]:
    found = sorted((root / "tests").glob("test_*.py"))
    if not spiders:
        return found
    return [test for test in found if test.stem.removeprefix("test_") in spiders]


def main(checkout: str, spiders: list[str]) -> None:
    root = Path(checkout).resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    reads: list[dict] = []
    _instrument(reads)
    signal.signal(signal.SIGALRM, _timeout)
    for test in _tests(root, spiders):
        reads.clear()
        record: dict[str, object] = {"test": str(test.relative_to(root))}
        signal.alarm(60)
        try:
            module = importlib.import_module(f"tests.{test.stem}")
        except BaseException as exc:  # a peer's broken or unsupported test: recorded, not fatal
            record["error"] = f"{type(exc).__name__}: {exc}"[:300]
            record["trace"] = traceback.format_exc(limit=2)[-600:]
        else:
            record["today"] = _frozen_date(module)
            record["items"] = _items(module)
        finally:
            signal.alarm(0)
        record["reads"] = [
            {"path": str(Path(r["path"]).relative_to(root)), "url": r["url"]}
            for r in reads
            if Path(r["path"]).is_relative_to(root)
        ]
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
