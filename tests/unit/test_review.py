"""`famact sources show`: the readable review (and `--json` unchanged for scripts)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from famact.app import cli
from famact.app.review import config_diff, format_review, load_review
from famact.constants import SourceStatus
from famact.store.errors import NotFound
from tests.unit.web.reviewed import config, reviewed_source


def test_review_of_an_analysed_source(store_tables: Any) -> None:
    reviewed_source(store_tables)
    text = format_review(load_review(store_tables, "kids-museum"))
    assert "status: analysis_complete" in text
    assert "quality score: 0.63   listings found: 12" in text
    # Per-field completeness, best first, with the analysis' checks.
    rows = [line.split() for line in text.splitlines() if line.startswith("    ") and "%" in line]
    assert [(r[0], r[1]) for r in rows[:3]] == [("title", "100%"), ("price", "75%"), ("date", "40%")]
    assert "below 50%" in text.split("date")[1].splitlines()[0]
    assert "issue: only 40% of listings have a date" in text
    assert "sample items as stored (2 of 2)" in text
    assert "start_date=2026-03-03  start_time=10:30" in text
    assert "config: none approved" in text
    assert "proposed config (approve with: famact sources approve kids-museum)" in text
    assert "executions: none yet" in text


def test_review_of_a_running_source_shows_the_candidate_difference(store_tables: Any) -> None:
    reviewed_source(
        store_tables, status=SourceStatus.ACTIVE, approved=config("kids-museum", ".card"), executions=3
    )
    review = load_review(store_tables, "kids-museum")
    assert review.candidate is not None
    diff = config_diff(review.config, review.candidate)  # type: ignore[arg-type]
    assert any(line.startswith("-") and ".card" in line for line in diff)
    assert any(line.startswith("+") and ".event" in line for line in diff)
    text = format_review(review)
    assert "config (running):" in text and "listing item     .card" in text
    assert "candidate config from the analysis differs" in text
    assert "recent executions (3, success rate 67%)" in text
    newest = text.split("recent executions")[1].splitlines()[1]
    assert "failed" in newest and "site unreachable" in newest


def test_same_config_is_no_candidate(store_tables: Any) -> None:
    reviewed_source(store_tables, status=SourceStatus.ACTIVE, approved=config("kids-museum"))
    assert load_review(store_tables, "kids-museum").candidate is None


def test_unknown_source(store_tables: Any) -> None:
    with pytest.raises(NotFound):
        load_review(store_tables, "nope")


def test_cli_show_prints_the_review_and_json_on_request(
    store_tables: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reviewed_source(store_tables)
    monkeypatch.setattr(cli, "_tables", lambda: store_tables)
    assert cli.main(["sources", "show", "kids-museum"]) == 0
    assert "quality score: 0.63" in capsys.readouterr().out
    assert cli.main(["sources", "show", "kids-museum", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["submission"]["status"] == "analysis_complete"
    assert cli.main(["sources", "show", "nope"]) != 0
    assert "nope" in capsys.readouterr().err
