"""The corpus builder's page selection, on self-written pages (the real corpus is never in the repo)."""

from __future__ import annotations

from benchmarks.corpus.build import (
    FORBIDDEN,
    REPOS,
    Candidate,
    coverage,
    missing_modules,
    page_text,
    select,
    split_of,
)


def _cand(spider: str, body: bytes, titles: list[str], covered: float = 1.0, url: str = "") -> Candidate:
    items = [{"title": t, "start": "2024-05-01T10:00:00"} for t in titles]
    return Candidate(
        "o/r",
        "c" * 40,
        spider,
        f"tests/test_{spider}.py",
        "p.html",
        url or f"https://x.example/{spider}",
        "2024-04-30",
        items,
        body,
        covered,
    )


def test_coverage_counts_a_title_at_most_as_often_as_the_page_shows_it() -> None:
    text = page_text(
        b"<ul><li>Board Meeting</li><li>Story&nbsp;Time</li><script>x='Gone'</script></ul>", "html"
    )
    assert coverage([{"title": "Story Time"}, {"title": "board meeting"}], text) == 1.0
    # A schedule expanded into 4 dated items shows its title once: 1 of 4 can be found on the page.
    assert coverage([{"title": "Board Meeting"}] * 4, text) == 0.25
    assert coverage([{"title": "Gone"}], text) == 0.0


def test_select_keeps_one_page_per_spider_and_drops_bytes_read_with_two_truths() -> None:
    page, detail, shared = b"<p>A</p><p>B</p>", b"<p>A</p>", b"<p>S</p>"
    kept = select(
        [
            _cand("alpha", page, ["A", "B"]),
            _cand("alpha_detail", detail, ["A", "B"], covered=0.5),
            _cand("beta", shared, ["S", "S"]),
            _cand("gamma", shared, ["S", "T"]),
        ]
    )
    assert [(c.spider, c.body) for c in kept] == [("alpha", page)]


def test_one_url_filtered_by_several_spiders_is_dropped() -> None:
    # Two saved copies of one calendar, each spider keeping its own board's meetings.
    calendar = "https://city.example/calendar.aspx"
    kept = select(
        [
            _cand("council", b"<p>Council</p><p>Parks</p>", ["Council", "Council"], url=calendar),
            _cand("parks", b"<p>Council</p> <p>Parks</p>", ["Parks", "Parks"], url=calendar),
            _cand("library", b"<p>Story</p><p>Craft</p>", ["Story", "Craft"]),
        ]
    )
    assert [c.spider for c in kept] == ["library"]


def test_split_is_fixed_by_site_and_seen_spiders_stay_dev() -> None:
    sites = [f"site{i}.example" for i in range(300)]
    held = [s for s in sites if split_of(s, "any") == "heldout"]
    assert 70 < len(held) < 130  # about one in three
    assert all(split_of(s, "any") == split_of(s, "other") for s in sites)
    assert split_of(held[0], "la_county_bos") == "dev"


def test_no_held_out_project_is_a_corpus_source() -> None:
    assert not FORBIDDEN & set(REPOS)


def test_tests_lost_to_a_missing_dependency_are_named() -> None:
    records = [
        {"test": "tests/test_a.py", "error": "ModuleNotFoundError: No module named 'icalendar'"},
        {"test": "tests/test_b.py", "error": "ModuleNotFoundError: No module named 'icalendar'"},
        {"test": "tests/test_c.py", "error": "ValueError: broken fixture"},
        {"test": "tests/test_d.py", "today": "2024-01-01", "items": []},
    ]
    assert missing_modules(records) == {"icalendar": ["tests/test_a.py", "tests/test_b.py"]}
