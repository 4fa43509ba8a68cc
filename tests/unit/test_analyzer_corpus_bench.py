"""The corpus benchmark's manifest loader, page server and scoring, on a tiny self-written corpus."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from benchmarks.analyzer_corpus import aggregate, dated_listings, load_corpus, score_items, serve


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


def test_a_merged_event_counts_once_per_occurrence_and_repeated_titles_pair_by_date() -> None:
    meeting = {
        "name": "Board Meeting",
        "entity_type": "EVENT",
        "start_date": "2024-01-08",
        "schedule": {
            # the first listing's own text: the other dates came from the other listings
            "text": "Mon, Jan 8, 2024",
            "occurrences": [{"date": "2024-01-08"}, {"date": "2024-02-12"}, {"date": "2024-03-11"}],
        },
    }
    camp = {**meeting, "name": "Camp", "entity_type": "PROGRAM"}
    assert [i["start_date"] for i in dated_listings([meeting])] == ["2024-01-08", "2024-02-12", "2024-03-11"]
    joined = {**meeting, "schedule": {**meeting["schedule"], "text": "3/11/2024 | 2/12/2024 | 1/8/2024"}}
    assert len(dated_listings([joined])) == 3  # the texts of three listings, joined
    assert len(dated_listings([camp])) == 1  # a program's sessions are one thing to enroll in
    expected = [
        {"name": "Board Meeting", "start_date": d} for d in ("2024-03-11", "2024-04-08", "2024-01-08")
    ]
    row = score_items(expected, [meeting])
    # 04-08 is missing: it takes no item that 01-08 or 03-11 matches exactly.
    assert (row["found"], row["matched"], row["date_checks"], row["date_ok"]) == (3, 3, 3, 2)


def test_a_run_of_one_split_prints_its_figures_and_never_replaces_the_recorded_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The recorded result holds both parts and the held-out history; a dev-only look while
    tuning must not overwrite it with an empty held-out part."""
    import benchmarks.analyzer_corpus as bench

    monkeypatch.setenv("FAMACT_CORPUS", str(_corpus(tmp_path / "corpus")))
    written: list[str] = []
    monkeypatch.setattr(bench, "write_result", lambda name, **_: written.append(name))
    bench.main(["--split", "dev", "--no-llm-tokens"])
    out = capsys.readouterr().out
    assert written == []
    assert '"split": "dev"' in out and "not written" in out


def test_precision_in_the_truths_span_leaves_out_the_years_the_truth_does_not_cover() -> None:
    """A peer kept March's meetings of a page that also shows 2019's: those are no error the
    truth can see, while a wrong listing inside March still is."""
    expected = [
        {"name": "Board Meeting", "start_date": "2024-03-04"},
        {"name": "Budget Hearing", "start_date": "2024-03-25"},
    ]
    found = [
        {"name": "Board Meeting", "start_date": "2024-03-04"},
        {"name": "Budget Hearing", "start_date": "2024-03-25"},
        {"name": "Office closed", "start_date": "2024-03-11"},
        *({"name": "Board Meeting", "start_date": f"2019-0{m}-04"} for m in (1, 2, 3)),
    ]
    row = score_items(expected, found)
    assert (row["found"], row["matched"], row["span_found"], row["span_matched"]) == (6, 2, 3, 2)
    agg = aggregate([{**row, "site": "a"}])
    assert agg["precision"] == 0.333 and agg["precision_in_truth_span"] == 0.667


def test_a_show_running_every_day_from_one_date_to_another_is_one_listing() -> None:
    """ "Tue 1 Dec - Sat 5 Dec": one listing whose schedule holds five days, not five listings."""
    show = {
        "name": "The Snow Queen",
        "entity_type": "EVENT",
        "start_date": "2020-12-01",
        "schedule": {
            "text": "Tue 1 Dec - Sat 5 Dec 2020",
            "occurrences": [{"date": f"2020-12-0{d}"} for d in range(1, 6)],
        },
    }
    row = score_items([{"name": "The Snow Queen", "start_date": "2020-12-01"}], [show])
    assert (row["found"], row["matched"], row["date_ok"]) == (1, 1, 1)


def test_a_date_the_crawl_moved_out_of_a_title_still_matches_and_the_strict_figure_is_kept() -> None:
    # The peer titles its meetings "November 7, 2024 Civil Service Commission"; the crawl puts
    # the date in the start and names the meeting: a match, with its date checked.
    expected = [
        {"name": "November 7, 2024 Civil Service Commission", "start_date": "2024-11-07"},
        {"name": "October 17, 2024 Civil Service Commission", "start_date": "2024-10-17"},
    ]
    items = [
        {"name": "Civil Service Commission", "start_date": "2024-11-07"},
        {"name": "Civil Service Commission", "start_date": "2024-10-18"},
    ]
    row = score_items(expected, items)
    assert (row["matched"], row["date_checks"], row["date_ok"], row["matched_titles_as_written"]) == (
        2,
        2,
        1,
        0,
    )
    agg = aggregate([{**row, "site": "a"}])
    assert agg["recall"] == 1.0 and agg["recall_titles_as_written"] == 0.0


def test_the_month_of_a_listings_own_date_in_its_title_is_no_title_difference() -> None:
    expected = [{"name": "Hit the Ode - January 2020", "start_date": "2020-01-31"}]
    assert score_items(expected, [{"name": "Hit the Ode", "start_date": "2020-01-31"}])["matched"] == 1
    assert score_items(expected, [{"name": "Hit the Ode", "start_date": "2020-02-28"}])["date_ok"] == 0
