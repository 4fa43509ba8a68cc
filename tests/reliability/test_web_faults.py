"""Web faults against a real `famact serve` on 127.0.0.1 over dynalite: oversized requests,
wrong values in every search parameter, XSS payloads in crawled text and in the submission
form, posts without their CSRF token, and a wrong admin password (rate-limited). Each compares
an export of the stored entities, and the source rows, before and after."""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from famact.constants import AgeGroup
from famact.store.activities import ActivityStore
from tests.reliability.conftest import BadInputRecord, FaultRecord
from tests.reliability.crawls import _tables, create_tables, export, store_env
from tests.support.web_server import famact_serve
from tests.unit.store import factories as f

PASSWORD = "reliability admin password"
XSS = "<script>alert('famact')</script>"
TODAY = "2026-03-02"


@dataclass
class Web:
    url: str
    env: dict[str, str]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=15, follow_redirects=False)

    def entities(self) -> dict[str, dict[str, Any]]:
        return export(self.env)

    def source_rows(self) -> list[dict[str, Any]]:
        table = _tables(self.env).sources
        rows: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {}
        while True:
            page = table.scan(**kwargs)
            rows += page["Items"]
            if "LastEvaluatedKey" not in page:
                return sorted(rows, key=lambda r: (r["PK"], r["SK"]))
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _web_env(dynalite_endpoint: str, tmp: Path) -> dict[str, str]:
    env = store_env(dynalite_endpoint, f"wf{uuid.uuid4().hex[:8]}-")
    # store_env keeps the test exception for loopback (nothing here resolves public names);
    # metadata and link-local addresses stay refused with it.
    env.update(
        {
            "FAMACT_TODAY": TODAY,
            "FAMACT_HOME": str(tmp / "home"),
            "FAMACT_ADMIN_PASSWORD_HASH": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
                PASSWORD
            ),
            "FAMACT_SESSION_SECRET": uuid.uuid4().hex,
        }
    )
    create_tables(env)
    ActivityStore(_tables(env)).put_entities(
        [
            f.event(
                "xss-fair",
                name=f"{XSS} Fair",
                description=f"Face painting {XSS}",
                days=[date(2026, 3, 6)],
                ages=[AgeGroup.TODDLER],
            ),
            f.event("story-time", days=[date(2026, 3, 3), date(2026, 3, 10)], ages=[AgeGroup.TODDLER]),
            f.venue("central-library", name="Central Library"),
        ]
    )
    return env


@pytest.fixture(scope="module")
def web(dynalite_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    tmp = tmp_path_factory.mktemp("web-faults")
    env = _web_env(dynalite_endpoint, tmp)
    with famact_serve(env, tmp / "serve.log") as url:
        yield Web(url, env)


@pytest.fixture
def fresh_web(dynalite_endpoint: str, tmp_path: Path) -> Iterator[Web]:
    """A server of its own, for a test that posts forms or logs in: the form and login rate
    limits (5 a minute from one client) are per server."""
    env = _web_env(dynalite_endpoint, tmp_path)
    with famact_serve(env, tmp_path / "serve.log") as url:
        yield Web(url, env)


def _csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _login(client: httpx.Client, password: str = PASSWORD) -> httpx.Response:
    return client.post("/admin/login", data={"csrf": _csrf(client, "/admin/login"), "password": password})


def _loopback_url(name: str) -> str:
    """A URL the form accepts under the test exception, new each time (duplicates are refused)."""
    return f"http://127.0.0.1:9/{name}-{uuid.uuid4().hex[:8]}/"


def _one_line_error(response: httpx.Response) -> str:
    body = response.json()
    message = str(body["error"])
    assert message and "\n" not in message and len(message) < 300, message
    return message


def test_oversized_requests_are_refused_and_store_nothing(web: Web, fault: FaultRecord) -> None:
    fault.injected = (
        "a 1 MiB submission form post, a streamed 64 KiB body without Content-Length, and a "
        "Content-Length that is not a number"
    )
    before = (web.entities(), web.source_rows())
    with web.client() as client:
        token = _csrf(client, "/submit")
        big = client.post(
            "/submit", data={"csrf": token, "name": "x" * (1 << 20), "url": "https://example.org"}
        )
        streamed = client.post("/submit", content=iter([b"name=" + b"y" * 4096] * 16))
        with socket.create_connection(("127.0.0.1", httpx.URL(web.url).port or 80), timeout=15) as raw:
            raw.sendall(b"POST /submit HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n")
            raw_answer = raw.recv(4096).decode("latin-1")
        still_up = client.get("/api/activities")
    after = (web.entities(), web.source_rows())
    fault.behaviour = (
        f"answered {big.status_code}, {streamed.status_code} and "
        f"{raw_answer.split(chr(13))[0]!r}; the app kept serving ({still_up.status_code})"
    )
    fault.items_lost = sum(1 for pk, row in before[0].items() if after[0].get(pk) != row)
    assert big.status_code == streamed.status_code == 413
    assert _one_line_error(big).startswith("request body over")
    assert raw_answer.split("\r\n")[0].split(" ")[1] in {"400", "413"}
    assert still_up.status_code == 200
    assert after == before


# One wrong value per search parameter, each shape a client gets wrong: a type outside the
# enum, a date that is no date, a flag that is no flag, a number that is none or out of range,
# an id with the key separator, a place with no letters, a query too long, a forged cursor,
# a parameter that does not exist.
WRONG_VALUES = [
    ("type", "FESTIVAL"),
    ("type", "1"),
    ("date_from", "tomorrow"),
    ("date_to", "2026-13-45"),
    ("date_to", "2026-02-01"),  # before date_from below
    ("category", "<b>"),
    ("age_group", "elderly"),
    ("free", "maybe"),
    ("limit", "abc"),
    ("limit", "1000"),
    ("limit", "-1"),
    ("venue", "a#b"),
    ("provider", "p" * 500),
    ("region", "!!!"),
    ("city", "???"),
    ("q", "q" * 5000),
    ("cursor", "not-a-cursor"),
    ("cursor", "eyJ4IjogMX0"),
    ("colour", "red"),
]


@pytest.mark.parametrize(("name", "value"), WRONG_VALUES)
@pytest.mark.parametrize("path", ["/api/activities", "/api/activities.ics"])
def test_a_wrong_value_in_any_search_parameter_is_one_clear_400(
    web: Web, bad_input: BadInputRecord, path: str, name: str, value: str
) -> None:
    params = {name: value}
    if name == "date_to" and value == "2026-02-01":
        params["date_from"] = "2026-03-01"
    bad_input.tried = f"GET {path}?{name}={value[:40]}"
    with web.client() as client:
        response = client.get(path, params=params)
    bad_input.answer = f"{response.status_code} {response.text[:200]}"
    assert response.status_code == 400, response.text[:500]
    message = _one_line_error(response)
    expected_field = "date_to" if name == "date_to" else name
    assert response.json().get("field") == expected_field, response.text
    bad_input.clear = expected_field in message


def test_xss_in_crawled_text_is_shown_as_text(web: Web, fault: FaultRecord) -> None:
    fault.injected = f"a stored event whose name and description hold {XSS}"
    with web.client() as client:
        pages = {
            "search": client.get("/", params={"q": "fair", "date_from": "2026-03-01"}),
            "detail": client.get("/event/xss-fair"),
            "api": client.get("/api/event/xss-fair"),
        }
    fault.behaviour = ", ".join(f"{name} {r.status_code}" for name, r in pages.items())
    for name in ("search", "detail"):
        page = pages[name]
        assert page.status_code == 200, page.text[:300]
        assert XSS not in page.text, f"the {name} page carries the raw script"
        assert "&lt;script&gt;" in page.text, f"the {name} page lost the crawled text"
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    # JSON is data, not markup: the API returns the text as stored, typed as JSON.
    assert pages["api"].headers["content-type"].startswith("application/json")
    assert XSS in pages["api"].json()["entity"]["name"]
    fault.behaviour += "; pages escape the script and send a CSP without inline scripts"


def test_xss_in_the_submission_form_is_stored_as_text_and_shown_escaped(
    fresh_web: Web, fault: FaultRecord
) -> None:
    name = f"{XSS} Kids Club"
    fault.injected = f"a submission named {name!r}, and one whose invalid URL echoes the payload back"
    with fresh_web.client() as client:
        refused = client.post(
            "/submit", data={"csrf": _csrf(client, "/submit"), "name": name, "url": f"javascript:{XSS}"}
        )
        accepted = client.post(
            "/submit",
            data={"csrf": _csrf(client, "/submit"), "name": name, "url": _loopback_url("xss")},
        )
        assert _login(client).status_code == 303
        admin = client.get("/admin", params={"status": "submitted"})
    fault.behaviour = (
        f"refused {refused.status_code}, accepted {accepted.status_code}, admin {admin.status_code}"
    )
    assert refused.status_code == 400 and XSS not in refused.text
    assert accepted.status_code == 201 and XSS not in accepted.text
    assert admin.status_code == 200
    assert XSS not in admin.text and "&lt;script&gt;" in admin.text
    stored = [r for r in fresh_web.source_rows() if r.get("source_name") == name]
    assert stored, "the submission was not stored with its name as given"
    fault.behaviour += "; stored as given, shown escaped on the admin page"


def test_posts_without_their_csrf_token_change_nothing(fresh_web: Web, fault: FaultRecord) -> None:
    fault.injected = "a submission and an admin approval posted without, and with a forged, CSRF token"
    with fresh_web.client() as client:
        submitted = client.post(
            "/submit",
            data={"csrf": _csrf(client, "/submit"), "name": "Token Club", "url": _loopback_url("token")},
        )
        source_id = re.search(r"source <strong>([^<]+)</strong> is queued", submitted.text)
        assert submitted.status_code == 201 and source_id, submitted.text[:500]
        before = (fresh_web.entities(), fresh_web.source_rows())
        data = {"name": "No Token Club", "url": "https://no-token.example.org/"}
        answers = [
            client.post("/submit", data=data).status_code,
            client.post("/submit", data={**data, "csrf": _csrf(client, "/submit")[::-1]}).status_code,
        ]
        assert _login(client).status_code == 303
        answers += [
            client.post(f"/admin/sources/{source_id.group(1)}/approve", data={}).status_code,
            client.post(f"/admin/sources/{source_id.group(1)}/approve", data={"csrf": "forged"}).status_code,
            client.post("/admin/logout", data={}).status_code,
        ]
        still_in = client.get("/admin").status_code
        after = (fresh_web.entities(), fresh_web.source_rows())
    fault.behaviour = f"answered {answers}; still logged in: {still_in == 200}"
    fault.items_lost = sum(1 for pk, row in before[0].items() if after[0].get(pk) != row)
    assert answers[:2] == [403, 403]
    assert answers[2:] == [403, 403, 403], answers
    assert still_in == 200
    assert after == before


def test_a_wrong_admin_password_is_refused_then_rate_limited(fresh_web: Web, fault: FaultRecord) -> None:
    fault.injected = "seven logins with a wrong password, then one with the right password, from one client"
    with fresh_web.client() as client:
        wrong = [_login(client, "guess-" + str(i)).status_code for i in range(7)]
        right = _login(client)
        session = client.get("/admin")
    fault.behaviour = f"answered {wrong}, then {right.status_code} to the right password"
    assert wrong[:5] == [401] * 5
    assert wrong[5:] == [429, 429]
    assert right.status_code == 429 and "Too many login attempts" in right.text
    assert session.status_code in (303, 401)


def test_the_form_refuses_a_metadata_address_in_one_line(fresh_web: Web, bad_input: BadInputRecord) -> None:
    url = "http://169.254.169.254/latest/meta-data/"
    bad_input.tried = f"POST /submit url={url}"
    before = fresh_web.source_rows()
    with fresh_web.client() as client:
        response = client.post("/submit", data={"csrf": _csrf(client, "/submit"), "name": "Meta", "url": url})
    message = re.search(r'<p role="alert" class="error">([^<]*)</p>', response.text)
    bad_input.answer = f"{response.status_code} {message.group(1) if message else response.text[:200]}"
    assert response.status_code == 400 and message, response.text[:500]
    assert fresh_web.source_rows() == before
    bad_input.clear = "169.254.169.254" in message.group(1) and "\n" not in message.group(1)
