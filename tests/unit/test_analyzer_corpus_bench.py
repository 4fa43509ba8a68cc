"""The corpus benchmark's manifest loader, page server and scoring, on a tiny self-written corpus."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from benchmarks.analyzer_corpus import aggregate, load_corpus, score_items, serve


def _corpus(tmp_path: Path, split: str = "dev") -> Path:
    page = tmp_path / "pages" / "p1"
    page.mkdir(parents=True)
    (page / "page.html").write_text("<h2>Story Time</h2>", encoding="utf-8")
    (page / "expected.jsonl").write_text(
        json.dumps({"title": "Story Time", "start_date": "2024-05-01"})
        + "\n"
        + json.dumps({"title": "Toddler Yoga", "start_date": None})
        + "\n",
        encoding="utf-8",
    )
    manifest = {
        "seed": 1,
        "pages": [
            {
                "id": "p1",
                "site": "lib.example",
                "platform": "libcal",
                "kind": "listing",
                "today": "2024-04-30",
                "url": "https://lib.example/events/list?x=1",
                "split": split,
            }
        ],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_load_and_serve_at_original_path(tmp_path: Path) -> None:
    (page,) = load_corpus(_corpus(tmp_path))
    assert page.expected == [{"name": "Story Time", "start_date": "2024-05-01"}, {"name": "Toddler Yoga"}]
    with serve(page) as url:
        assert url.endswith("/events/list?x=1")
        assert urllib.request.urlopen(url, timeout=5).read() == b"<h2>Story Time</h2>"


def test_bad_split_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        load_corpus(_corpus(tmp_path, split="train"))


def test_scoring_counts_matches_and_dates(tmp_path: Path) -> None:
    (page,) = load_corpus(_corpus(tmp_path))
    row = score_items(page.expected, [{"name": "story time", "start_date": "2024-05-02"}, {"name": "Closed"}])
    assert (row["expected"], row["found"], row["matched"], row["date_checks"], row["date_ok"]) == (
        2,
        2,
        1,
        1,
        0,
    )
    agg = aggregate([{**row, "site": "a", "crashed": True}])
    assert agg["recall"] == 0.5 and agg["precision"] == 0.5 and agg["start_date_accuracy"] == 0.0
    assert agg["crashed"] == 1
