"""The corpus builder's page selection, on self-written pages (the real corpus is never in the repo)."""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import shutil
import subprocess
import sys
import types
import unittest
from pathlib import Path
from unittest import mock

import pytest

from benchmarks.corpus import (
    harvest_liverpool,
    harvest_peer,
    harvest_theatrescraper,
    harvest_whatson,
    harvest_wiltons,
)
from benchmarks.corpus.build import (
    BRANCH_SPIDERS,
    FORBIDDEN,
    FORK_SPIDERS,
    PEERS,
    REPOS,
    Candidate,
    candidates,
    coverage,
    git_dir,
    missing_modules,
    page_id,
    page_text,
    provenance,
    saved_on,
    select,
    sources,
    spiders_of,
    split_of,
    wanted,
)

HARVEST_AKRON = Path(__file__).parents[2] / "benchmarks" / "corpus" / "harvest_akron.mjs"


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
    assert not FORBIDDEN & set(PEERS)
    assert not set(PEERS) & set(REPOS)
    assert set(FORK_SPIDERS) <= set(REPOS)
    assert {repo for repo, _ in BRANCH_SPIDERS} <= set(REPOS)


def test_a_branch_gives_only_its_own_spiders_and_its_repository_s_pinned_commit_the_rest() -> None:
    (repo, commit), added = next(iter(BRANCH_SPIDERS.items()))
    branch = dataclasses.replace(_cand(next(iter(added)), b"<p>A</p>", ["A", "B"]), repo=repo, commit=commit)
    assert REPOS[repo][0] != commit
    assert wanted(branch)
    assert not wanted(dataclasses.replace(branch, spider="a_spider_the_pinned_commit_has"))
    assert spiders_of(repo, REPOS[repo][0]) == FORK_SPIDERS.get(repo)
    assert (repo, commit) in sources() and (repo, REPOS[repo][0]) in sources()
    assert provenance(branch)["commit"] == commit
    assert provenance(branch)["license"] == REPOS[repo][1]


def test_the_harvester_imports_only_the_named_spiders_tests(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    for stem in ("test_alpha", "test_beta", "test_alpha_detail"):
        (tmp_path / "tests" / f"{stem}.py").write_text("")
    assert [t.stem for t in harvest_peer._tests(tmp_path, ["alpha_detail", "beta"])] == [
        "test_alpha_detail",
        "test_beta",
    ]
    assert len(harvest_peer._tests(tmp_path, [])) == 3


def test_a_fork_gives_only_the_spiders_it_adds() -> None:
    fork = next(iter(FORK_SPIDERS))
    added = next(iter(FORK_SPIDERS[fork]))
    own = dataclasses.replace(_cand(added, b"<p>A</p>", ["A", "B"]), repo=fork)
    upstreams = dataclasses.replace(own, spider="a_spider_its_upstream_has")
    assert wanted(own)
    assert not wanted(upstreams)
    assert wanted(dataclasses.replace(upstreams, repo="City-Bureau/city-scrapers-akr"))


def test_a_snapshot_is_found_bare_in_a_repo_folder_or_in_its_work_tree(tmp_path: Path) -> None:
    assert git_dir(tmp_path, "o/bare") == tmp_path / "o+bare"
    (tmp_path / "o+folder" / "repo").mkdir(parents=True)
    assert git_dir(tmp_path, "o/folder") == tmp_path / "o+folder" / "repo"
    (tmp_path / "o+tree" / "repo" / ".git").mkdir(parents=True)
    assert git_dir(tmp_path, "o/tree") == tmp_path / "o+tree" / "repo" / ".git"


def test_tests_lost_to_a_missing_dependency_are_named() -> None:
    records = [
        {"test": "tests/test_a.py", "error": "ModuleNotFoundError: No module named 'icalendar'"},
        {"test": "tests/test_b.py", "error": "ModuleNotFoundError: No module named 'icalendar'"},
        {"test": "tests/test_c.py", "error": "ValueError: broken fixture"},
        {"test": "tests/test_d.py", "today": "2024-01-01", "items": []},
    ]
    assert missing_modules(records) == {"icalendar": ["tests/test_a.py", "tests/test_b.py"]}


def test_other_peers_pages_are_named_by_their_prefix_and_say_how_truth_was_had() -> None:
    taken: set[str] = set()
    whatson = _cand("albany", b"<p>A</p>", ["A", "B"])
    whatson.repo = "simonrw/whatson"
    city = _cand("akr_public_schools", b"<p>A</p>", ["A", "B"])
    city.repo = "City-Bureau/city-scrapers-akr"
    assert page_id(whatson, taken) == "whatson-albany"
    assert page_id(city, taken) == "cs-akr_public_schools"  # City Scrapers ids unchanged
    assert provenance(whatson)["license"] == "Apache-2.0"
    assert "test" in provenance(whatson)["truth"]
    assert "truth" not in provenance(city)


def test_a_record_may_name_its_spider_and_pages_of_one_spider_keep_the_best(tmp_path: Path) -> None:
    (tmp_path / "p1.html").write_text("<li>Aladdin</li><li>Cats</li>")
    (tmp_path / "p2.html").write_text("<li>Hamlet</li><li>Other</li>")
    records = [
        {
            "test": "testing/test_ingest.py::test_albany",
            "spider": "albany",
            "today": "2020-01-01",
            "items": [{"title": t, "start": "2020-01-02"} for t in titles],
            "reads": [{"path": path, "url": f"https://albany.example/{path}"}],
        }
        for path, titles in (("p1.html", ["Aladdin", "Cats"]), ("p2.html", ["Hamlet", "Macbeth"]))
    ]
    found = candidates("simonrw/whatson", "c" * 40, tmp_path, records)
    assert [(c.spider, c.path, c.covered) for c in found] == [
        ("albany", "p1.html", 1.0),
        ("albany", "p2.html", 0.5),
    ]
    assert [c.path for c in select(found)] == ["p1.html"]


def test_the_clock_is_the_day_the_saved_pages_last_changed(tmp_path: Path) -> None:
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    for day, folder in (("2020-01-04", "responses"), ("2020-01-08", "responses"), ("2021-05-26", "src")):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / f"{day}.txt").write_text(day)
        env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00"}
        subprocess.run([*git, "add", "."], check=True)
        subprocess.run([*git, "commit", "-qm", day], check=True, env=env)
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert saved_on(tmp_path / ".git", head, "responses") == "2020-01-08"


def _fake_ingest() -> types.SimpleNamespace:
    """A whatson-like module: fetchers that download pages in turn and yield one show per line."""

    class Fetcher:
        fetchers: set[type] = set()

    ingest = types.SimpleNamespace(Fetcher=Fetcher, _fetch_html_requests=None, _fetch_html_selenium=None)

    class Paged(Fetcher):
        def fetch(self):
            for url in ("https://t.example/on", "https://t.example/on/2"):
                for line in ingest._fetch_html_requests(url).splitlines():
                    yield {"title": line, "start_date": datetime.date(2020, 1, len(line))}

    Fetcher.fetchers.add(Paged)
    return ingest


def test_whatson_shows_belong_to_the_page_downloaded_before_them(tmp_path: Path) -> None:
    ingest = _fake_ingest()
    shows: list = []
    opened: list[str] = []
    harvest_whatson._record_fetchers(ingest, shows)
    test_module = types.SimpleNamespace()
    harvest_whatson._record_opens(test_module, opened)
    pages = []
    for name, text in (("one.html", "Cats\nHamlet"), ("two.html", "Aladdin")):
        (tmp_path / name).write_text(text)
        with test_module.open(tmp_path / name) as fh:  # as the peer's test reads its saved pages
            pages.append(fh.read())
    with mock.patch.object(ingest, "_fetch_html_requests", side_effect=pages):
        assert len(list(next(iter(ingest.Fetcher.fetchers))().fetch())) == 3
    records = harvest_whatson._records("test_paged", opened, shows)
    assert [(Path(r["reads"][0]["path"]).name, r["reads"][0]["url"]) for r in records] == [
        ("one.html", "https://t.example/on"),
        ("two.html", "https://t.example/on/2"),
    ]
    assert [[i["title"] for i in r["items"]] for r in records] == [["Cats", "Hamlet"], ["Aladdin"]]
    assert records[0]["today"] == "2020-01-04"  # the earliest show's date: the tests freeze none
    assert records[0]["spider"] == "paged"


def _liverpool_scraper(name: str, url: str, *, takes_filter: bool = False) -> types.ModuleType:
    """A venue scraper shaped like the peer's: a URL and a listing parser yielding rows from a file."""
    scraper = types.ModuleType(f"scrapers.{name}")
    scraper.URL = url  # type: ignore[attr-defined]

    def process(page, *excluded):
        for line in page.read().splitlines():
            day, headline = line.split("|")
            if headline not in excluded:
                yield {"headline": headline, "date": datetime.date.fromisoformat(day) if day else None}

    def listing(page):
        return process(page)

    scraper.process = process if takes_filter else listing  # type: ignore[attr-defined]
    return scraper


def test_liverpool_pages_are_the_rows_its_listing_parser_gave_a_test(tmp_path: Path) -> None:
    page = tmp_path / "tool" / "sample_data" / "hall_listings.html"
    page.parent.mkdir(parents=True)
    page.write_text("2013-08-20|Organ Recital\n2013-09-01|Heritage Tour\n|Every Sunday: Market")
    hall = _liverpool_scraper("hall", "https://hall.example/whatson")
    pubs = _liverpool_scraper("pubs", "https://pubs.example/schedule", takes_filter=True)
    calls: list = []
    harvest_liverpool._record_parsers(hall, calls)
    harvest_liverpool._record_parsers(pubs, calls)
    with page.open() as fh:
        assert len(list(hall.process(fh))) == 3  # the test still sees every row
    with page.open() as fh:
        list(pubs.process(fh, "Heritage Tour"))  # a venue filter handed in: not the page's truth
    hall_url = "https://hall.example/whatson"
    assert [(Path(p).name, url) for p, url, _ in calls] == [("hall_listings.html", hall_url)]
    record = harvest_liverpool._record("tool/tests.py::HallTest", "2013-08-19", calls[0], tmp_path)
    assert record["reads"] == [{"path": "tool/sample_data/hall_listings.html", "url": hall_url}]
    assert record["spider"] == "hall"
    assert record["items"] == [  # a row without a date is no listing with a start
        {"title": "Organ Recital", "start": "2013-08-20"},
        {"title": "Heritage Tour", "start": "2013-09-01"},
    ]
    assert record["today"] == "2013-08-19"  # the save day the clock was frozen at


def test_liverpool_test_classes_run_as_written_and_the_python2_imports_are_stubbed() -> None:
    class Passing(unittest.TestCase):
        def test_count(self) -> None:
            self.assertEqual(2, 1 + 1)

    class Failing(unittest.TestCase):
        def test_count(self) -> None:
            self.assertEqual(8, 1 + 1)

    assert harvest_liverpool._run_class(Passing) is None
    assert "AssertionError" in (harvest_liverpool._run_class(Failing) or "")
    with mock.patch.dict(sys.modules):
        harvest_liverpool._stub_imports()
        from cStringIO import StringIO  # type: ignore[import-not-found]
        from nose.tools import assert_equal  # type: ignore[import-not-found]

        assert StringIO(b"saved").read() == b"saved"
        with pytest.raises(AssertionError):
            assert_equal(8, 2)
    assert "nose.tools" not in sys.modules


_TANGIER_TEST = """import { test } from 'node:test'
import assert from 'node:assert/strict'
test('count', async () => assert.equal(1 + 1, EXPECTED))
"""

_TANGIER_SCRAPER = """export const parseTangierEvents = (html) =>
  [...html.matchAll(/<h2>([^<]+)<\\/h2><time>([^<]+)<\\/time>/g)].map((m) => ({ title: m[1], dateYmd: m[2] }))
"""


def _akron_checkout(root: Path, expected: int, page: str) -> None:
    (root / "node_modules").mkdir(parents=True)  # dependencies present: no npm install
    (root / "scripts" / "tests" / "fixtures").mkdir(parents=True)
    (root / "scripts" / "scrape-tangier.js").write_text(_TANGIER_SCRAPER)
    (root / "scripts" / "tests" / "test-tangier.js").write_text(
        _TANGIER_TEST.replace("EXPECTED", str(expected))
    )
    (root / "scripts" / "tests" / "fixtures" / "tangier-events.html").write_text(page)
    (root / "package.json").write_text('{"type": "module"}')


def _akron_records(root: Path) -> dict[str, dict]:
    run = subprocess.run(
        ["node", str(HARVEST_AKRON), str(root), "2026-08-22"], check=True, capture_output=True, text=True
    )
    return {r["spider"]: r for r in map(json.loads, run.stdout.splitlines())}


@pytest.mark.skipif(shutil.which("node") is None, reason="the akron-events harvester runs under node")
def test_akron_pages_need_a_passing_test_and_the_asserted_count(tmp_path: Path) -> None:
    three = "<h2>Frankie</h2><time>2026-08-19</time><h2>Halloween</h2><time>2026-10-31</time>"
    three += "<h2>New Year</h2><time>2026-12-31</time>"
    _akron_checkout(tmp_path / "ok", 2, three)
    records = _akron_records(tmp_path / "ok")
    assert records["tangier"]["items"][0] == {"title": "Frankie", "start": "2026-08-19"}
    assert records["tangier"]["today"] == "2026-08-19"
    assert records["tangier"]["reads"][0]["url"] == "https://www.thetangier.com/events"
    assert "error" in records["pegs_foundation"]  # a page whose scraper is absent is dropped, not fatal
    _akron_checkout(tmp_path / "failing", 3, three)  # the peer's test fails: no truth
    assert "fails" in _akron_records(tmp_path / "failing")["tangier"]["error"]
    _akron_checkout(tmp_path / "short", 2, three.split("<h2>New")[0])  # 2 events, the recipe says 3
    assert "asserts 3" in _akron_records(tmp_path / "short")["tangier"]["error"]


_PASSING_TEST = """import { test } from 'node:test'
test('passes', () => {})
"""


def _akron_feed_checkout(root: Path, rows: list[dict[str, str]], wix_events: int) -> None:
    """A checkout with Richfield's Revize rows (no asserted total) and Bath's Wix extract (nine asserted)."""
    (root / "node_modules").mkdir(parents=True)
    fixtures = root / "scripts" / "tests" / "fixtures"
    fixtures.mkdir(parents=True)
    (root / "scripts" / "lib").mkdir()
    (root / "package.json").write_text('{"type": "module"}')
    (root / "scripts" / "scrape-richfield-township.js").write_text(
        "export const revizeIsoToUtc = (raw) => raw ? new Date(`${raw}-04:00`).toISOString() : null\n"
    )
    (root / "scripts" / "lib" / "wix-events.js").write_text(
        "export const normaliseWixEvent = (ev) => ({ title: ev.title, start_at: ev.start })\n"
    )
    for test in ("test-richfield-township.js", "test-bath-business-assoc.js"):
        (root / "scripts" / "tests" / test).write_text(_PASSING_TEST)
    (fixtures / "richfield-township.json").write_text(json.dumps(rows))
    wix = [{"title": f"Event {n}", "start": f"2026-09-{n + 10}T16:00:00Z"} for n in range(wix_events)]
    (fixtures / "bath-business-events.json").write_text(json.dumps(wix))


@pytest.mark.skipif(shutil.which("node") is None, reason="the akron-events harvester runs under node")
def test_akron_feed_rows_keep_their_eastern_day_and_an_extract_says_so(tmp_path: Path) -> None:
    rows = [
        {"title": "Community Day", "start": "2026-08-13T09:00:00"},
        {"title": "Late Show", "start": "2026-08-14T23:30:00"},  # 03:30 UTC the next day
        {"title": "Snowbird Festival", "start": "2024-01-21T13:00:00"},
    ]
    _akron_feed_checkout(tmp_path / "ok", rows, 9)
    records = _akron_records(tmp_path / "ok")
    richfield = records["richfield_township"]  # its test asserts no total: every row is kept
    assert [i["start"] for i in richfield["items"]] == ["2026-08-13", "2026-08-14", "2024-01-21"]
    assert richfield["today"] == "2024-01-21" and "note" not in richfield
    assert "no total" in richfield["truth"] and "truth" not in records["bath_business_assoc"]
    assert len(records["bath_business_assoc"]["items"]) == 9
    assert "extract" in records["bath_business_assoc"]["note"]
    _akron_feed_checkout(tmp_path / "short", rows, 8)  # Bath's test asserts nine events
    assert "asserts 9" in _akron_records(tmp_path / "short")["bath_business_assoc"]["error"]


def test_a_record_s_note_on_its_page_reaches_the_provenance(tmp_path: Path) -> None:
    (tmp_path / "events.json").write_text('[{"title": "Sidewalk Sale"}, {"title": "Membership Luncheon"}]')
    record = {
        "test": "scripts/tests/test-explore-hudson.js",
        "spider": "explore_hudson",
        "today": "2026-07-14",
        "items": [{"title": t, "start": "2026-07-17"} for t in ("Sidewalk Sale", "Membership Luncheon")],
        "reads": [{"path": "events.json", "url": "https://api.example/events"}],
        "note": "an extract: the events of the feed's data.events array",
    }
    plain = {**record, "spider": "other"}
    del plain["note"]
    noted, bare = candidates("ByronDDelpinal/akron-events", "c" * 40, tmp_path, [record, plain])
    assert provenance(noted)["page"] == record["note"]
    assert "page" not in provenance(bare)
    assert provenance(bare)["truth"] == PEERS["ByronDDelpinal/akron-events"].truth
    own = candidates("ByronDDelpinal/akron-events", "c" * 40, tmp_path, [{**plain, "truth": "no total"}])
    assert provenance(own[0])["truth"] == "no total"


def _show(title: str, start: datetime.datetime | None) -> types.SimpleNamespace:
    return types.SimpleNamespace(title=title, performance_start_date=start)


def test_theatre_pages_are_the_shows_the_test_s_own_parser_call_returned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "tests" / "fixtures" / "hall_actual.html"
    page.parent.mkdir(parents=True)
    page.write_text("<ul><li>Hamlet</li><li>Cats</li></ul>", encoding="utf-8")
    scrapers = types.ModuleType("src.scrapers.hall")
    scrapers.extract_hall_shows = lambda soup, theater_id, url: [  # type: ignore[attr-defined]
        _show("Hamlet", datetime.datetime(2025, 3, 4)),
        _show("Cats", datetime.datetime(2025, 2, 1)),
        _show("Gift Vouchers", None),  # no first performance: no listing with a start
    ]
    monkeypatch.setitem(sys.modules, "src.scrapers.hall", scrapers)
    calls: list = []
    harvest_theatrescraper._wrap_parser("hall", calls)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")  # as one peer test reads it
    assert len(scrapers.extract_hall_shows(soup, "hall", "https://hall.example/whats-on")) == 3
    assert harvest_theatrescraper._is_saved_page(tmp_path, "hall", calls[0][2])
    assert not harvest_theatrescraper._is_saved_page(tmp_path, "hall", "<p>another page</p>")
    record = harvest_theatrescraper._record(tmp_path, "tests/scrapers/test_hall.py", "hall", calls[0])
    assert record["reads"] == [
        {"path": "tests/fixtures/hall_actual.html", "url": "https://hall.example/whats-on"}
    ]
    assert record["items"] == [
        {"title": "Hamlet", "start": "2025-03-04"},
        {"title": "Cats", "start": "2025-02-01"},
    ]
    assert record["today"] == "2025-02-01"  # the earliest show's date: the tests freeze none
    # A test the peer skips (as it does when its parser finds nothing) vouches for nothing.
    assert harvest_theatrescraper._failure(["passed"]) is None
    assert "skipped" in (harvest_theatrescraper._failure(["passed", "skipped"]) or "")
    assert harvest_theatrescraper._failure([]) is not None
    # Shows the parser mostly left undated are a part of the page's listings, not its truth.
    assert harvest_theatrescraper._mostly_undated(calls[0][3]) is None  # 2 of 3 dated
    undated = [_show("Nye", None), _show("Dear England", None), _show("End", datetime.datetime(2025, 1, 1))]
    assert "1 of the 3" in (harvest_theatrescraper._mostly_undated(undated) or "")


def test_wiltons_page_is_read_at_the_url_its_test_gives_the_theatre(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / harvest_wiltons.PAGE
    page.parent.mkdir(parents=True)
    page.write_text("<div class=show>Macbeth</div>", encoding="utf-8")

    class BaseParser:
        def __init__(self, theatre: types.SimpleNamespace, html_soup: object) -> None:
            self.theatre, self.html_soup = theatre, html_soup

        def extract_shows_from_html(self) -> list:
            return [types.SimpleNamespace(title="Macbeth", start_date="2025-07-30")]

    monkeypatch.setitem(sys.modules, "parsers.base_parser", types.SimpleNamespace(BaseParser=BaseParser))
    calls: list = []
    harvest_wiltons._wrap_parser(calls)
    from bs4 import BeautifulSoup

    theatre = types.SimpleNamespace(link="https://hall.example/whats-on/?category=theatre")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert [s.title for s in BaseParser(theatre, soup).extract_shows_from_html()] == ["Macbeth"]
    url, document, _ = calls[0]
    assert url == theatre.link
    assert harvest_wiltons._is_saved_page(tmp_path, document)
    assert not harvest_wiltons._is_saved_page(tmp_path, "<div>elsewhere</div>")
