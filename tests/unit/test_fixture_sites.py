"""The fixture sites and their static server are consistent with what tests rely on.

Checks every site under tests/fixtures/sites (and the bundled demo site): configs validate as
`SourceConfig`, expected.jsonl lines use only known keys with valid values and the labelling
conventions of tests/fixtures/sites/README.md, every expected name is really on the site,
every expected `url` is served, and each config's item + title selectors select the expected
listings (and nothing else but dropped ones). The `SiteServer` URL mapping, routes and
20 MiB streaming are tested over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import html
import http.client
import json
import re
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import parsel
import pytest

from famact.constants import EntityStatus, EntityType, ExtractMode, SelectorKind, Weekday
from famact.models import SelectorSpec, SourceConfig
from famact.normalize.text import collapse_spaces
from tests.support.site_server import (
    DEMO_SITE_DIR,
    MIB,
    SITE_BASE,
    SiteError,
    SiteServer,
    generated_html_chunks,
    load_routes,
    load_site,
    resolve_page,
    site_names,
)

EXPECTED_KEYS = frozenset({
    "name", "entity_type", "start_date", "end_date", "start_time", "end_time", "days_of_week",
    "recurring", "price_usd", "min_age_months", "max_age_months", "venue_name", "status", "url",
    "city",
})
EXPECTED_STATUSES = {EntityStatus.ACTIVE, EntityStatus.CANCELLED, EntityStatus.PAST, EntityStatus.FULL}
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ALL_SITES = [*site_names(), "demo"]


def page_text(text: str) -> str:
    """Text as a reader sees it: entities unescaped, whitespace collapsed."""
    return collapse_spaces(html.unescape(text))


def fetch(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects; error statuses are returned, not raised."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# The set of sites


def test_there_are_enough_sites_and_items() -> None:
    names = site_names()
    assert len(names) >= 8, names
    counts = {name: len(load_site(name).expected()) for name in names}
    assert all(6 <= n <= 25 for n in counts.values()), counts
    assert sum(counts.values()) >= 120, counts


@pytest.mark.parametrize("name", ALL_SITES)
def test_site_has_its_files(name: str) -> None:
    site = load_site(name)
    assert (site.pages_dir / "index.html").is_file()
    assert (site.dir / "expected.jsonl").is_file()
    assert site.render in ("http", "browser")
    assert isinstance(site.today, date)
    assert site.meta.get("platform") and site.meta.get("notes")


def test_demo_site_is_the_bundled_one_with_a_reference_config() -> None:
    demo = load_site("demo")
    assert demo.dir == DEMO_SITE_DIR
    assert (DEMO_SITE_DIR.parent / "__init__.py").is_file()
    assert not (demo.dir / "config.json").exists()  # the analyzer proposes one
    assert demo.config_path.name == "reference-config.json"
    types = {row["entity_type"] for row in demo.expected()}
    assert types == {t.value for t in EntityType}
    assert 18 <= len(demo.expected()) <= 25


def test_load_site_rejects_unknown_names() -> None:
    with pytest.raises(SiteError, match="no-such-site"):
        load_site("no-such-site")


# --------------------------------------------------------------------------------------------
# Configs


@pytest.mark.parametrize("name", ALL_SITES)
def test_config_validates_and_rebases(name: str) -> None:
    site = load_site(name)
    raw = site.config()  # with the literal SITE_BASE host
    assert raw.base_url.startswith(SITE_BASE)
    assert all(u.startswith(SITE_BASE) for u in raw.target_urls)
    config = site.config("http://127.0.0.1:8123")
    assert isinstance(config, SourceConfig)
    assert config.base_url == "http://127.0.0.1:8123/"
    assert all(u.startswith("http://127.0.0.1:8123/") for u in config.target_urls)
    assert config.allowed_domains == ["127.0.0.1"]
    assert config.render.value == site.render
    assert config.listing is not None and "title" in config.listing.fields
    if site.render == "browser":
        assert config.browser.wait_for is not None


def test_config_uses_structured_data_where_the_site_has_json_ld() -> None:
    for name in ALL_SITES:
        site = load_site(name)
        has_json_ld = any("application/ld+json" in p.read_text(encoding="utf-8", errors="replace")
                          for p in site.pages_dir.rglob("*.html"))
        config = site.config()
        if has_json_ld and name not in ("camp-directory", "blog-roundup"):
            # (those two only carry site-wide WebSite/Article JSON-LD, not listings)
            assert config.structured_data.enabled, name


# --------------------------------------------------------------------------------------------
# expected.jsonl / dropped.jsonl


def _check_expected_row(row: dict[str, Any]) -> None:
    where = row.get("name", row)
    unknown = set(row) - EXPECTED_KEYS
    assert not unknown, f"{where}: unknown keys {unknown}"
    assert isinstance(row.get("name"), str) and row["name"] == page_text(row["name"]) and row["name"], where
    entity_type = EntityType(row["entity_type"])
    _check_when(row, where)
    # Conventions (README): `recurring` on every EVENT and only there; status everywhere.
    assert ("recurring" in row) == (entity_type is EntityType.EVENT), where
    assert EntityStatus(row["status"]) in EXPECTED_STATUSES, where
    if "price_usd" in row:
        price = row["price_usd"]
        assert isinstance(price, int | float) and not isinstance(price, bool) and price >= 0, where
    for key in ("min_age_months", "max_age_months"):
        if key in row:
            assert isinstance(row[key], int) and 0 <= row[key] <= 1200, where
    if "min_age_months" in row and "max_age_months" in row:
        assert row["min_age_months"] <= row["max_age_months"], where
    if "url" in row:
        assert row["url"].startswith(SITE_BASE + "/"), where
    if "city" in row:
        assert SLUG.match(row["city"]), where
    if entity_type in (EntityType.VENUE, EntityType.ATTRACTION):
        assert "start_time" not in row and "end_time" not in row, f"{where}: hours are not times"
    if entity_type is EntityType.VENUE:
        assert "venue_name" not in row, f"{where}: a venue does not name itself as venue"


def _check_when(row: dict[str, Any], where: object) -> None:
    """Dates, times, days and `recurring` of an expected row are well-formed."""
    for key in ("start_date", "end_date"):
        if key in row:
            date.fromisoformat(row[key])
    if "start_date" in row and "end_date" in row:
        assert row["end_date"] > row["start_date"], f"{where}: end_date must follow start_date"
    for key in ("start_time", "end_time"):
        if key in row:
            assert HHMM.match(row[key]), f"{where}: {key}={row[key]!r}"
    if "days_of_week" in row:
        days = row["days_of_week"]
        assert days and all(Weekday(d) for d in days), where
    if "recurring" in row:
        assert isinstance(row["recurring"], bool), where


@pytest.mark.parametrize("name", ALL_SITES)
def test_expected_rows_are_well_formed(name: str) -> None:
    rows = load_site(name).expected()
    assert rows
    for row in rows:
        _check_expected_row(row)
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "one item per listing: no duplicate names"


@pytest.mark.parametrize("name", ALL_SITES)
def test_dropped_rows_are_well_formed_and_not_expected(name: str) -> None:
    site = load_site(name)
    expected_names = {r["name"] for r in site.expected()}
    for row in site.dropped():
        assert set(row) <= {"name", "reason", "url"}, row
        assert row["name"] and row["reason"], row
        assert row["name"] not in expected_names, row


@pytest.mark.parametrize("name", ALL_SITES)
def test_expected_names_appear_on_the_site(name: str) -> None:
    site = load_site(name)
    texts = []
    for path in site.pages_dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json"):
            raw = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json":
                raw = json.dumps(json.loads(raw), ensure_ascii=False)
            texts.append(page_text(re.sub(r"<[^>]+>", "", raw)))
    corpus = "\n".join(texts)
    for row in site.expected() + site.dropped():
        assert row["name"] in corpus, f"{name}: {row['name']!r} is not on any page"


def test_crawl_date_decides_past_and_upcoming() -> None:
    for name in ALL_SITES:
        site = load_site(name)
        for row in site.expected():
            last = row.get("end_date") or row.get("start_date")
            if last is None:
                continue
            is_past = date.fromisoformat(last) < site.today
            assert (row["status"] == "past") == is_past, f"{name}: {row['name']} status vs {site.today}"


# --------------------------------------------------------------------------------------------
# The configs select the expected listings (a check of the fixtures, not of the crawler)


def _select(root: parsel.Selector, spec: SelectorSpec) -> parsel.SelectorList[parsel.Selector]:
    return root.xpath(spec.query) if spec.kind is SelectorKind.XPATH else root.css(spec.query)


def _spec_values(root: parsel.Selector, spec: SelectorSpec) -> list[str]:
    values = []
    for match in _select(root, spec):
        if spec.extract is ExtractMode.ATTR:
            value = match.attrib.get(spec.attr or "", "")
        elif isinstance(match.root, str):
            value = match.root
        else:
            value = " ".join(match.xpath(".//text()").getall())
        values.append(page_text(value))
    return values


def _page_file(site_pages: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    return resolve_page(site_pages, parts.path, parts.query)


def _titles_selected(name: str) -> set[str]:
    site = load_site(name)
    config = site.config()
    assert config.listing is not None
    titles: set[str] = set()
    queue = list(config.target_urls)
    seen: set[str] = set()
    max_pages = config.listing.pagination.max_pages if config.listing.pagination else 1
    while queue and len(seen) < len(config.target_urls) + max_pages:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path = _page_file(site.pages_dir, url)
        assert path is not None, f"{name}: {url} is not served"
        root = parsel.Selector(path.read_text(encoding="utf-8"))
        for item in _select(root, config.listing.item):
            values = _spec_values(item, config.listing.fields["title"])
            if values and values[0]:
                titles.add(values[0])
        if config.listing.pagination and config.listing.pagination.next_page:
            for href in _spec_values(root, config.listing.pagination.next_page)[:1]:
                queue.append(urljoin(url, href))
    return titles


@pytest.mark.parametrize("name", [n for n in ALL_SITES if load_site(n).render == "http"])
def test_config_selects_expected_listings(name: str) -> None:
    site = load_site(name)
    expected = {r["name"] for r in site.expected()}
    dropped = {r["name"] for r in site.dropped()}
    titles = _titles_selected(name)
    assert titles <= expected | dropped, f"selected but not expected: {titles - expected - dropped}"
    # Only a site's own VENUE row (described by the home page and its JSON-LD or microdata,
    # not by a repeated card) may come from elsewhere than the listing selectors.
    missing = {r["name"]: r["entity_type"] for r in site.expected() if r["name"] not in titles}
    assert set(missing.values()) <= {"VENUE"} and len(missing) <= 1, f"not selected: {missing}"


def test_js_calendar_needs_the_browser() -> None:
    site = load_site("js-calendar")
    raw = (site.pages_dir / "calendar" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div id="calendar"[^>]*></div>', raw), "the raw calendar container is empty"
    assert "cal-card" not in raw
    data = json.loads((site.pages_dir / "events.json").read_text(encoding="utf-8"))
    assert {e["title"] for e in data["events"]} == {r["name"] for r in site.expected()}


# --------------------------------------------------------------------------------------------
# The server


@pytest.fixture(scope="module")
def servers() -> Any:
    started: dict[str, SiteServer] = {}

    def get(name: str) -> SiteServer:
        if name not in started:
            started[name] = load_site(name).server().start()
        return started[name]

    yield get
    for server in started.values():
        server.stop()


@pytest.mark.parametrize("name", ALL_SITES)
def test_every_expected_url_is_served(name: str, servers: Any) -> None:
    site = load_site(name)
    server = servers(name)
    for row in site.expected(base_url=server.url) + [dict(r) for r in site.dropped()]:
        if "url" not in row:
            continue
        url = row["url"].replace(SITE_BASE, server.url)
        assert _page_file(site.pages_dir, url) is not None, f"{name}: no page file for {url}"
        status, headers, body = fetch(url)
        assert status == 200 and body, f"{name}: {url} -> {status}"
        assert headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("name", ALL_SITES)
def test_target_urls_are_served(name: str, servers: Any) -> None:
    server = servers(name)
    for url in load_site(name).config(server.url).target_urls:
        status, _, body = fetch(url)
        assert status == 200 and body, url


@pytest.fixture()
def tiny_site(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    files = {
        "index.html": "<h1>home</h1>",
        "events/index.html": "<h1>events</h1>",
        "events/page/2/index.html": "<h1>events page 2</h1>",
        "events/slug.html": "<h1>pretty url</h1>",
        "a/b.html": "<h1>b</h1>",
        "events.json": '{"events": []}',
        "camps/index.html": "<h1>camps 1</h1>",
        "camps/index__page=2.html": "<h1>camps 2</h1>",
        "a/b__x=1.html": "<h1>b with x</h1>",
        "slow/index.html": "<h1>slow page</h1>",
    }
    for rel, text in files.items():
        (pages / rel).parent.mkdir(parents=True, exist_ok=True)
        (pages / rel).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside pages/")
    routes = {
        "/broken/": {"status": 500},
        "/gone/": {"status": 404},
        "/loop/": {"redirect": "/loop/"},
        "/slow/": {"delay": 0.3},
        "/huge/": {"generate_mb": 1},
        "/teapot/": {"status": 418, "body": "short and stout"},
    }
    (tmp_path / "routes.json").write_text(json.dumps(routes))
    return tmp_path


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/", 200, b"<h1>home</h1>"),
        ("/events/", 200, b"<h1>events</h1>"),
        ("/events/page/2/", 200, b"<h1>events page 2</h1>"),
        ("/events/slug", 200, b"<h1>pretty url</h1>"),
        ("/a/b.html", 200, b"<h1>b</h1>"),
        ("/events.json", 200, b'{"events": []}'),
        ("/camps/?page=2", 200, b"<h1>camps 2</h1>"),
        ("/a/b.html?x=1", 200, b"<h1>b with x</h1>"),
        ("/camps/?page=99", 404, None),  # no fallback to the query-less page
        ("/events/slug/", 404, None),  # a trailing slash names a directory
        ("/nope/", 404, None),
        ("/robots.txt", 404, None),
        ("/../secret.txt", 404, None),
        ("/%2e%2e/secret.txt", 404, None),
        ("/broken/", 500, None),
        ("/gone/", 404, None),
        ("/teapot/", 418, b"short and stout"),
    ],
)
def test_server_maps_paths_queries_and_routes(
    tiny_site: Path, path: str, status: int, body: bytes | None
) -> None:
    with SiteServer(tiny_site) as server:
        got_status, _, got_body = fetch(server.url + path)
    assert got_status == status
    if body is not None:
        assert got_body == body


def test_server_replaces_the_site_base_token(tiny_site: Path) -> None:
    pages = tiny_site / "pages"
    (pages / "abs.html").write_text('<a href="http://SITE_BASE/events/">x</a>', encoding="utf-8")
    (pages / "ld.json").write_text('{"url": "http:\\/\\/SITE_BASE\\/e\\/"}', encoding="utf-8")
    with SiteServer(tiny_site) as server:
        host = server.url.removeprefix("http://")
        _, headers, body = fetch(server.url + "/abs.html")
        assert body == f'<a href="{server.url}/events/">x</a>'.encode()
        assert int(headers["content-length"]) == len(body)
        assert json.loads(fetch(server.url + "/ld.json")[2])["url"] == f"http://{host}/e/"


def test_demo_pages_need_no_token_rewrite() -> None:
    # `famact demo` serves these files with the stdlib static handler, which rewrites nothing.
    for path in (DEMO_SITE_DIR / "pages").rglob("*"):
        if path.is_file():
            assert b"SITE_BASE" not in path.read_bytes(), path


def test_links_on_served_pages_stay_on_the_server(servers: Any) -> None:
    server = servers("wp-events-calendar")
    page = fetch(server.url + "/events/list/")[2].decode()
    next_link = parsel.Selector(page).css("a.tribe-events-c-nav__next::attr(href)").get()
    assert next_link == server.url + "/events/list/page/2/"
    assert fetch(server.url + "/events/list/page/2/")[0] == 200


def test_server_content_types(tiny_site: Path) -> None:
    with SiteServer(tiny_site) as server:
        assert fetch(server.url + "/events.json")[1]["content-type"] == "application/json"
        assert fetch(server.url + "/")[1]["content-type"] == "text/html; charset=utf-8"


def test_redirect_loop_route_points_at_itself(tiny_site: Path) -> None:
    with SiteServer(tiny_site) as server:
        status, headers, _ = fetch(server.url + "/loop/")
        assert status == 302 and headers["location"] == "/loop/"
        with pytest.raises(urllib.error.HTTPError) as excinfo:
            urllib.request.urlopen(server.url + "/loop/", timeout=10)
        assert excinfo.value.code == 302  # urllib gives up on the infinite loop


def test_delay_route_is_slow_then_serves_the_page(tiny_site: Path) -> None:
    with SiteServer(tiny_site) as server:
        started = time.monotonic()
        status, _, body = fetch(server.url + "/slow/")
        elapsed = time.monotonic() - started
    assert status == 200 and body == b"<h1>slow page</h1>"
    assert elapsed >= 0.3


def test_generated_route_streams_exact_size(tiny_site: Path) -> None:
    with SiteServer(tiny_site) as server, urllib.request.urlopen(server.url + "/huge/", timeout=10) as resp:
        assert int(resp.headers["Content-Length"]) == MIB
        body = resp.read()
    assert len(body) == MIB
    assert body.startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>")


def test_edge_cases_huge_route_streams_20_mib(servers: Any) -> None:
    server = servers("edge-cases")
    total = 0
    with urllib.request.urlopen(server.url + "/huge/", timeout=30) as response:
        assert int(response.headers["Content-Length"]) == 20 * MIB
        while chunk := response.read(1 << 20):
            total += len(chunk)
    assert total == 20 * MIB


def test_edge_cases_routes_as_documented(servers: Any) -> None:
    server = servers("edge-cases")
    assert fetch(server.url + "/broken/")[0] == 500
    assert fetch(server.url + "/gone/")[0] == 404
    assert fetch(server.url + "/loop/")[:2][0] == 302
    assert fetch(server.url + "/empty.html")[2] == b""
    listing = fetch(server.url + "/listings/")[2].decode()
    for href in ("/broken/", "/gone/", "/loop/", "/huge/", "/slow/", "/empty.html"):
        assert f'href="{href}"' in listing


def test_generated_chunks_sum_to_total() -> None:
    for total in (0, 10, 100, 64 * 1024 + 7, 3 * MIB):
        assert sum(len(c) for c in generated_html_chunks(total)) == total


def test_robots_txt_served_when_present(servers: Any) -> None:
    status, headers, body = fetch(servers("wp-events-calendar").url + "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain") and b"User-agent" in body


def test_head_request_has_no_body(tiny_site: Path) -> None:
    with SiteServer(tiny_site) as server:
        request = urllib.request.Request(server.url + "/events/", method="HEAD")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200 and response.read() == b""


def test_server_lifecycle(tiny_site: Path) -> None:
    server = SiteServer(tiny_site)
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url
    server.start()
    url = server.url
    assert re.match(r"^http://127\.0\.0\.1:\d+$", url)
    server.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/", timeout=2)
    server.stop()  # idempotent


def test_server_rejects_a_directory_without_pages(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="pages/"):
        SiteServer(tmp_path)


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ('{"/x/": {"stauts": 500}}', "stauts"),
        ('{"x/": {"status": 500}}', "must start with"),
        ('["/x/"]', "must be an object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_routes_json_is_a_clear_error(tmp_path: Path, routes: str, message: str) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "routes.json").write_text(routes)
    with pytest.raises(SiteError, match=message):
        load_routes(tmp_path)
