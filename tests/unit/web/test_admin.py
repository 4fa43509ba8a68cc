"""The admin dashboard through its HTTP API: login (argon2 hash, signed HttpOnly SameSite
cookie, rate limit), CSRF refused on every action, escaping of crawled text, the review page,
and each action going through the workflow (status, config versions, schedule slot)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from famact.catalog import load_catalog
from famact.constants import SourceStatus
from famact.settings import get_settings
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from famact.web.app import create_app
from famact.web.auth import hash_password
from tests.support.site_server import SiteServer, load_site
from tests.unit.web.reviewed import analysis, config, reviewed_source

PASSWORD = "correct horse battery"
# A cheap argon2 cost keeps each login fast in tests; the hash carries its own parameters.
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


@pytest.fixture
def app_client(store_tables: Any) -> TestClient:
    return TestClient(
        create_app(store_tables, admin_password_hash=PASSWORD_HASH, login_per_minute=4),
        follow_redirects=False,
    )


def _token(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def login(client: TestClient, password: str = PASSWORD) -> Any:
    token = _token(client.get("/admin/login").text)
    return client.post("/admin/login", data={"csrf": token, "password": password})


@pytest.fixture
def admin(app_client: TestClient) -> TestClient:
    assert login(app_client).status_code == 303
    return app_client


def session_csrf(client: TestClient, source_id: str = "kids-museum") -> str:
    page = client.get(f"/admin/sources/{source_id}")
    assert page.status_code == 200, page.text[:300]
    return _token(page.text)


def status(tables: Any, source_id: str = "kids-museum") -> SourceStatus:
    found = SourceStore(tables).get(source_id)
    assert found is not None
    return found.status


# -- login -------------------------------------------------------------------------------------


def test_pages_need_login(app_client: TestClient, store_tables: Any) -> None:
    reviewed_source(store_tables)
    for url in ("/admin", "/admin/sources/kids-museum"):
        response = app_client.get(url)
        assert response.status_code == 303 and response.headers["location"] == "/admin/login"
    refused = app_client.post("/admin/sources/kids-museum/approve", data={"csrf": "x"})
    assert refused.status_code == 401
    assert status(store_tables) is SourceStatus.ANALYSIS_COMPLETE


def test_login_sets_a_signed_httponly_samesite_cookie(app_client: TestClient) -> None:
    assert login(app_client, "wrong password").status_code == 401
    response = login(app_client)
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("famact_admin=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Path=/admin" in cookie
    assert app_client.get("/admin").status_code == 200


def test_a_forged_or_tampered_session_is_no_login(app_client: TestClient) -> None:
    login(app_client)
    value = app_client.cookies["famact_admin"]
    app_client.cookies.clear()
    app_client.cookies.set(
        "famact_admin", value[:-2] + ("AA" if not value.endswith("AA") else "BB"), path="/admin"
    )
    assert app_client.get("/admin").status_code == 303
    # A cookie signed by another server (another secret) is no login either.
    other = TestClient(create_app(app_client.app.state.tables, admin_password_hash=PASSWORD_HASH))
    assert login(other).status_code == 200  # followed the redirect: logged in there
    app_client.cookies.clear()
    app_client.cookies.set("famact_admin", other.cookies["famact_admin"], path="/admin")
    assert app_client.get("/admin").status_code == 303


def test_login_needs_its_csrf_token(app_client: TestClient) -> None:
    app_client.get("/admin/login")
    response = app_client.post("/admin/login", data={"csrf": "forged", "password": PASSWORD})
    assert response.status_code == 403 and "famact_admin" not in app_client.cookies


def test_login_is_rate_limited_even_with_the_right_password(app_client: TestClient) -> None:
    codes = [login(app_client, "guess").status_code for _ in range(4)]
    assert codes == [401] * 4
    assert login(app_client).status_code == 429
    assert "famact_admin" not in app_client.cookies


def test_login_is_off_without_a_password_hash(store_tables: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAMACT_ADMIN_PASSWORD_HASH", raising=False)
    get_settings.cache_clear()
    client = TestClient(create_app(store_tables), follow_redirects=False)
    page = client.get("/admin/login")
    assert "FAMACT_ADMIN_PASSWORD_HASH" in page.text
    assert login(client, "").status_code == 503
    get_settings.cache_clear()


def test_logout_needs_the_session_token(admin: TestClient) -> None:
    assert admin.post("/admin/logout", data={"csrf": "forged"}).status_code == 403
    token = _token(admin.get("/admin").text)
    response = admin.post("/admin/logout", data={"csrf": token})
    assert response.status_code == 303 and 'famact_admin=""' in response.headers["set-cookie"]


# -- pages -------------------------------------------------------------------------------------


def test_sources_by_status_and_priority(admin: TestClient, store_tables: Any) -> None:
    reviewed_source(store_tables, "museum-a")
    reviewed_source(store_tables, "parks-b", status=SourceStatus.ACTIVE, approved=config("parks-b"))
    SourceStore(store_tables).set_priority("museum-a", "high")  # type: ignore[arg-type]
    page = admin.get("/admin").text
    decide = page.index('id="st-analysis_complete"')
    running = page.index('id="st-active"')
    assert decide < page.index("/admin/sources/museum-a") < running < page.index("/admin/sources/parks-b")
    assert "high" in page[decide:running]


def test_catalog_page_shows_each_entry_with_its_status(admin: TestClient, store_tables: Any) -> None:
    assert admin.get("/admin").text.count('href="/admin/catalog"') == 1
    catalog = load_catalog()
    first, second = catalog.sources[0], catalog.sources[1]
    reviewed_source(store_tables, first.id)
    page = admin.get("/admin/catalog")
    assert page.status_code == 200
    rows = re.findall(r"<tr><td>.*?</tr>", page.text)
    assert len(rows) == len(catalog.sources)
    mine = next(r for r in rows if f"<small>{first.id}</small>" in r)
    assert "analysis complete" in mine and f'href="/admin/sources/{first.id}"' in mine
    assert re.search(r"<td>0\.\d\d</td>", mine)
    other = next(r for r in rows if f"<small>{second.id}</small>" in r)
    assert "not submitted" in other and "href=" not in other


def test_catalog_page_needs_a_login(store_tables: Any) -> None:
    with TestClient(create_app(store_tables), follow_redirects=False) as client:
        assert client.get("/admin/catalog").status_code in (302, 303)


def test_review_page_shows_the_analysis_and_escapes_crawled_text(
    admin: TestClient, store_tables: Any
) -> None:
    reviewed_source(store_tables)
    page = admin.get("/admin/sources/kids-museum").text
    assert "0.63" in page and "12 listings found" in page
    assert re.search(r"<th scope=\"row\">date</th>.*?40%.*?below 50%", page, re.S)
    assert "only 40% of listings have a date" in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Story Time" in page
    assert "<script>" not in page
    assert "Proposed by the analysis" in page and "Approve the proposed config" in page
    assert "default-src 'none'" in admin.get("/admin").headers["content-security-policy"]


def test_running_source_shows_candidate_difference_and_chart(admin: TestClient, store_tables: Any) -> None:
    reviewed_source(
        store_tables, status=SourceStatus.ACTIVE, approved=config("kids-museum", ".card"), executions=4
    )
    page = admin.get("/admin/sources/kids-museum").text
    assert "Candidate (from the analysis)" in page
    assert '<span class="del">-    &#34;container&#34;: &#34;.card&#34;,</span>' in page
    assert '<span class="add">+    &#34;container&#34;: &#34;.event&#34;,</span>' in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<rect") == 4 and svg.count('class="bar failed"') == 1 and "<polyline" in svg
    assert "success rate 75%" in page and "site unreachable" in page


def test_unknown_source_is_404(admin: TestClient) -> None:
    assert admin.get("/admin/sources/nope").status_code == 404


# -- actions -----------------------------------------------------------------------------------

ACTIONS = ("approve", "reject", "pause", "resume", "crawl", "config", "adopt")


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_refuses_a_missing_or_forged_csrf_token(
    admin: TestClient, store_tables: Any, action: str
) -> None:
    reviewed_source(store_tables)
    form = {"reason": "spam", "config": "{}"}
    for data in (form, {**form, "csrf": "forged"}):
        assert admin.post(f"/admin/sources/kids-museum/{action}", data=data).status_code == 403
    # The session's own token is no good without the session cookie.
    token = session_csrf(admin)
    admin.cookies.clear()
    assert admin.post(f"/admin/sources/kids-museum/{action}", data={**form, "csrf": token}).status_code == 401
    assert status(store_tables) is SourceStatus.ANALYSIS_COMPLETE
    assert SourceStore(store_tables).config_versions("kids-museum") == []


def test_approve(admin: TestClient, store_tables: Any) -> None:
    reviewed_source(store_tables)
    token = session_csrf(admin)
    response = admin.post("/admin/sources/kids-museum/approve", data={"csrf": token})
    assert response.status_code == 303 and response.headers["location"].endswith("?done=approved")
    assert status(store_tables) is SourceStatus.ACTIVE
    assert SourceStore(store_tables).config_versions("kids-museum") == [1]
    assert OperationsStore(store_tables).get_slot("kids-museum") is not None
    # A running source approves only a repair candidate; it has none.
    again = admin.post("/admin/sources/kids-museum/approve", data={"csrf": token})
    assert again.status_code == 409 and "already approved" in again.text


def test_reject_needs_a_reason(admin: TestClient, store_tables: Any) -> None:
    reviewed_source(store_tables)
    token = session_csrf(admin)
    missing = admin.post("/admin/sources/kids-museum/reject", data={"csrf": token, "reason": " "})
    assert missing.status_code == 400 and "reason: a rejection needs a reason" in missing.text
    done = admin.post("/admin/sources/kids-museum/reject", data={"csrf": token, "reason": "not for <kids>"})
    assert done.status_code == 303
    assert status(store_tables) is SourceStatus.REJECTED
    assert "not for &lt;kids&gt;" in admin.get("/admin/sources/kids-museum").text


def test_pause_resume_and_crawl_now(admin: TestClient, store_tables: Any) -> None:
    reviewed_source(store_tables, status=SourceStatus.ACTIVE, approved=config("kids-museum"))
    token = session_csrf(admin)
    before = datetime.now(UTC)
    assert admin.post("/admin/sources/kids-museum/crawl", data={"csrf": token}).status_code == 303
    slot = OperationsStore(store_tables).get_slot("kids-museum")
    assert slot is not None and before - timedelta(seconds=1) <= slot.next_run_at <= datetime.now(UTC)
    assert admin.post("/admin/sources/kids-museum/pause", data={"csrf": token}).status_code == 303
    assert status(store_tables) is SourceStatus.PAUSED
    refused = admin.post("/admin/sources/kids-museum/crawl", data={"csrf": token})
    assert refused.status_code == 409 and "not active" in refused.text
    assert admin.post("/admin/sources/kids-museum/resume", data={"csrf": token}).status_code == 303
    assert status(store_tables) is SourceStatus.ACTIVE


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("{not json", "config: not JSON"),
        ("[]", "config: must be a JSON object"),
        (json.dumps({"source_name": "X", "base_url": "ftp://x.example/"}), "base_url: not an http(s) URL"),
        (
            json.dumps(
                {
                    "source_id": "other",
                    "source_name": "X",
                    "base_url": "https://x.example/",
                    "content_selectors": {"container": ".e", "title": "h2"},
                }
            ),
            "config.source_id: &#39;other&#39; is not",
        ),
    ],
)
def test_bad_config_edits_are_refused_naming_the_field(
    admin: TestClient, store_tables: Any, text: str, error: str
) -> None:
    reviewed_source(store_tables)
    response = admin.post(
        "/admin/sources/kids-museum/config", data={"csrf": session_csrf(admin), "config": text}
    )
    assert response.status_code == 400 and error in response.text
    assert status(store_tables) is SourceStatus.ANALYSIS_COMPLETE
    assert SourceStore(store_tables).config_versions("kids-museum") == []


@pytest.fixture
def museum_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, SiteServer]]:
    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", "1")
    for name in ("JINA_API_KEY", "JINA_READER_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    site = load_site("squarespace-events")
    monkeypatch.setenv("FAMACT_TODAY", site.meta["today"])
    with SiteServer(site.dir) as server:
        yield site, server
    get_settings.cache_clear()


def test_an_edited_config_is_test_run_before_it_is_stored(
    admin: TestClient, store_tables: Any, museum_site: tuple[Any, SiteServer]
) -> None:
    site, server = museum_site
    good = site.config(server.url).model_copy(update={"source_id": "kids-museum"})
    reviewed_source(store_tables, status=SourceStatus.ACTIVE, approved=config("kids-museum"))
    token = session_csrf(admin)
    data = good.model_dump(mode="json", exclude_none=True)
    broken = json.loads(json.dumps(data))
    broken["listing"]["item"]["query"] = ".nothing-matches-this"
    refused = admin.post(
        "/admin/sources/kids-museum/config", data={"csrf": token, "config": json.dumps(broken)}
    )
    assert refused.status_code == 400 and "found no listings when test-run" in refused.text
    assert ".nothing-matches-this" in refused.text  # the edit is kept in the form
    assert SourceStore(store_tables).config_versions("kids-museum") == [1]
    saved = admin.post("/admin/sources/kids-museum/config", data={"csrf": token, "config": json.dumps(data)})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?done=config")
    stored = SourceStore(store_tables).get_config("kids-museum")
    assert stored is not None and stored.version == 2 and stored.listing == good.listing
    assert status(store_tables) is SourceStatus.ACTIVE


def test_admin_forms_may_be_larger_than_public_ones(admin: TestClient, store_tables: Any) -> None:
    reviewed_source(store_tables)
    big = {"csrf": session_csrf(admin), "config": "{" + " " * 40_000}
    assert admin.post("/admin/sources/kids-museum/config", data=big).status_code == 400  # parsed, not 413
    assert admin.post("/submit", content=b"x" * 40_000).status_code == 413


def test_hash_password_makes_a_hash_the_login_accepts() -> None:
    from famact.web.auth import AdminAuth

    auth = AdminAuth(hash_password("a long secret"))
    assert auth.check_password("a long secret") and not auth.check_password("a long secreT")
    assert not AdminAuth("not-a-hash").check_password("x")
    with pytest.raises(ValueError, match="password"):
        hash_password("short")


def test_a_running_source_adopts_the_candidate_after_a_test_run(
    admin: TestClient, store_tables: Any, museum_site: tuple[Any, SiteServer]
) -> None:
    site, server = museum_site
    reviewed_source(store_tables, status=SourceStatus.ACTIVE, approved=config("kids-museum"))
    token = session_csrf(admin)
    # The stored analysis proposes a config for an unreachable site: its test run finds nothing.
    refused = admin.post("/admin/sources/kids-museum/adopt", data={"csrf": token})
    assert refused.status_code == 400 and "found no listings when test-run" in refused.text
    good = site.config(server.url).model_copy(update={"source_id": "kids-museum"})
    SourceStore(store_tables).put_analysis(analysis("kids-museum", good))
    page = admin.get("/admin/sources/kids-museum").text
    assert "Test-run and adopt the candidate" in page
    done = admin.post("/admin/sources/kids-museum/adopt", data={"csrf": token})
    assert done.status_code == 303 and done.headers["location"].endswith("?done=adopted")
    stored = SourceStore(store_tables).get_config("kids-museum")
    assert stored is not None and stored.version == 2 and stored.listing == good.listing
    assert "Candidate (from the analysis)" in admin.get("/admin/sources/kids-museum").text
    assert "Test-run and adopt" not in admin.get("/admin/sources/kids-museum").text
