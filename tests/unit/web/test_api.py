"""The web app on moto and dynalite: every filter, cursor paging, errors, escaping, security
headers, the submission form and the calendar feed (read back by a strict line parser)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from famact.constants import AgeGroup, Category, EntityStatus
from famact.models import Pricing
from famact.store.activities import ActivityStore
from famact.web.app import create_app
from tests.unit.store import factories as f

TODAY = date(2026, 3, 2)


@pytest.fixture
def client(store_tables: Any) -> TestClient:
    ActivityStore(store_tables).put_entities(
        [
            f.event(
                "story-time",
                times=[(date(2026, 3, 3), "10:30"), (date(2026, 3, 10), "10:30")],
                ages=[AgeGroup.TODDLER],
                category=Category.EDUCATIONAL_STEM,
                description="Songs and picture books",
                venue_id="central-library",
                venue_name="Central Library",
                provider_id="spl",
                pricing=Pricing(type="free"),
            ),
            f.event(
                "teen-coding", days=[date(2026, 3, 5)], ages=[AgeGroup.TEEN], city="tacoma", region="tacoma"
            ),
            f.event(
                "xss",
                name="<script>alert(1)</script> Fair",
                days=[date(2026, 3, 6)],
                ages=[AgeGroup.TODDLER],
            ),
            f.event("called-off", days=[date(2026, 3, 4)], status=EntityStatus.CANCELLED),
            f.venue("central-library", name="Central Library", amenities=["Restrooms"]),
            f.program("art-camp"),
        ]
    )
    return TestClient(create_app(store_tables, today=TODAY, form_per_minute=3))


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(item["entity_id"] for item in response.json()["items"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "EVENT", "date_to": "2026-03-20"}, ["story-time", "teen-coding", "xss"]),
        ({"city": "tacoma"}, ["teen-coding"]),
        ({"region": "tacoma"}, ["teen-coding"]),
        ({"category": "educational-stem", "type": "event"}, ["story-time"]),
        ({"age_group": "teen", "type": "EVENT"}, ["teen-coding"]),
        ({"venue": "central-library", "type": "EVENT"}, ["story-time"]),
        ({"provider": "spl"}, ["story-time"]),
        ({"free": "true"}, ["story-time"]),
        ({"q": "picture books"}, ["story-time"]),
        ({"date_from": "2026-03-05", "date_to": "2026-03-05", "type": "EVENT"}, ["teen-coding"]),
    ],
)
def test_every_filter(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert ids(client.get("/api/activities", params=params)) == expected


def test_cancelled_entities_are_not_search_results(client: TestClient) -> None:
    assert "called-off" not in ids(client.get("/api/activities"))


def test_cursor_pages_through_every_result_once(client: TestClient) -> None:
    seen: list[str] = []
    params: dict[str, str] = {"type": "EVENT", "limit": "1"}
    for _ in range(10):
        body = client.get("/api/activities", params=params).json()
        seen += [i["entity_id"] for i in body["items"]]
        if not body["cursor"]:
            break
        params["cursor"] = body["cursor"]
    assert sorted(seen) == ["story-time", "teen-coding", "xss"]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "concert"}, "type"),
        ({"age_group": "ancient"}, "age_group"),
        ({"category": "x"}, "category"),
        ({"date_from": "March"}, "date_from"),
        ({"date_from": "2026-03-09", "date_to": "2026-03-01"}, "date_to"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"free": "perhaps"}, "free"),
        ({"colour": "red"}, "colour"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_400_json_naming_the_field(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/activities", params=params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["error"].startswith(f"invalid {field} ")


def test_a_cursor_of_another_search_is_refused(client: TestClient) -> None:
    cursor = client.get("/api/activities", params={"type": "EVENT", "limit": "1"}).json()["cursor"]
    response = client.get("/api/activities", params={"city": "tacoma", "cursor": cursor})
    assert response.status_code == 400


def test_entity_with_instances_and_venue(client: TestClient) -> None:
    body = client.get("/api/events/story-time").json()
    assert body["entity"]["name"] == "Story Time"
    assert [i["date"] for i in body["instances"]] == ["2026-03-03", "2026-03-10"]
    assert body["venue"]["entity_id"] == "central-library"
    assert client.get("/api/events/nope").status_code == 404
    assert client.get("/api/concerts/story-time").status_code == 400


def test_venue_and_provider_lists(client: TestClient) -> None:
    assert "story-time" in ids(client.get("/api/venues/central-library/activities"))
    assert ids(client.get("/api/providers/spl/activities")) == ["story-time"]
    assert client.get("/api/venues/a%23b/activities").status_code == 400


def test_openapi_lists_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/activities", "/api/activities.ics", "/api/venues/{venue_id}/activities"} <= set(paths)


def test_no_search_path_scans(client: TestClient, store_tables: Any) -> None:
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    for c in {id(c): c for c in (store_tables.client, store_tables.activities.meta.client)}.values():
        c.meta.events.register("before-call.dynamodb", count)
    for url in (
        "/api/activities",
        "/api/activities?age_group=toddler",
        "/api/activities?venue=central-library",
        "/api/activities?provider=spl",
        "/api/activities?city=tacoma&q=coding",
        "/api/activities.ics?age_group=toddler",
        "/api/events/story-time",
        "/?type=EVENT",
        "/venues/central-library",
    ):
        assert client.get(url).status_code == 200, url
    assert calls["Query"] > 0
    assert calls["Scan"] == 0, calls


def test_crawled_markup_is_shown_as_text(client: TestClient) -> None:
    page = client.get("/", params={"age_group": "toddler"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fair" in page.text
    assert "<script>" not in page.text
    detail = client.get("/events/xss")
    assert "&lt;script&gt;" in detail.text and "<script>" not in detail.text


def test_security_headers_and_body_limit(client: TestClient) -> None:
    response = client.get("/")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.post("/submit", content=b"x" * 20_000).status_code == 413
    # Streamed without a Content-Length: the limit trips while the endpoint reads the body,
    # inside the HTTP middlewares' task group.
    streamed = client.post("/submit", content=iter([b"name=" + b"y" * 4096] * 8))
    assert streamed.status_code == 413 and streamed.json()["error"].startswith("request body over")


def test_search_page_has_pills_cards_and_a_subscribe_link(client: TestClient) -> None:
    page = client.get("/", params={"type": "EVENT", "age_group": "toddler"}).text
    for pill in ("All", "Events", "Programs", "Venues", "Attractions"):
        assert f">{pill}</a>" in page
    assert 'href="/events/story-time"' in page and "Free" in page and "2026-03-03 10:30" in page
    assert "/api/activities.ics?type=EVENT&amp;age_group=toddler" in page
    assert client.get("/", params={"age_group": "old"}).status_code == 400


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/submit").text)
    assert match
    return match.group(1)


def test_submission_form_uses_the_cli_checks(client: TestClient) -> None:
    token = _csrf(client)
    form = {
        "csrf": token,
        "name": "Kids Museum",
        "url": "https://93.184.215.14/events",
    }  # a public address, no DNS
    done = client.post("/submit", data=form)
    assert done.status_code == 201 and "kids-museum" in done.text
    again = client.post("/submit", data={**form, "csrf": _csrf(client)})
    assert again.status_code == 400 and "already" in again.text.lower()
    private = client.post(
        "/submit", data={**form, "csrf": _csrf(client), "name": "Lan", "url": "http://10.0.0.1/"}
    )
    assert private.status_code == 400


def test_submission_needs_the_csrf_token_and_is_rate_limited(client: TestClient) -> None:
    form = {"name": "Zoo", "url": "https://zoo.example.org/"}
    assert client.post("/submit", data={**form, "csrf": "forged"}).status_code == 403
    codes = [client.post("/submit", data={**form, "csrf": "forged"}).status_code for _ in range(3)]
    assert codes[-1] == 429


# -- calendar feed ---------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    """RFC 5545 lines, strictly: CRLF endings, continuation lines joined, at most 75 octets."""
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    for line in raw:
        assert len(line.encode()) <= 75, line
    lines: list[str] = []
    for line in raw:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            assert re.match(r"^[A-Z-]+[;:]", line), line
            lines.append(line)
    return lines


def events_of(lines: list[str]) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    stack: list[str] = []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            events[-1][name] = value
    assert not stack
    return events


def test_calendar_feed(client: TestClient) -> None:
    response = client.get("/api/activities.ics", params={"type": "EVENT"})
    assert response.headers["content-type"].startswith("text/calendar")
    lines = unfold(response.text)
    assert lines[0] == "BEGIN:VCALENDAR" and "TZID:America/Los_Angeles" in lines
    events = {e["UID"]: e for e in events_of(lines)}
    assert set(events) == {
        "event-story-time@famact",
        "event-teen-coding@famact",
        "event-xss@famact",
        "event-called-off@famact",
    }
    assert events["event-called-off@famact"]["STATUS"] == "CANCELLED"
    assert events["event-story-time@famact"]["STATUS"] == "CONFIRMED"
    assert events["event-story-time@famact"]["DTSTART;TZID=America/Los_Angeles"] == "20260303T103000"
    assert events["event-teen-coding@famact"]["DTSTART;VALUE=DATE"] == "20260305"
    again = unfold(client.get("/api/activities.ics", params={"type": "EVENT"}).text)
    assert {e["UID"] for e in events_of(again)} == set(events)


def test_missing_tables_are_a_503_that_says_what_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto import mock_aws

    from famact.settings import Settings
    from famact.store.dynamo import connect

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    with mock_aws():
        tables = connect(
            Settings(table_prefix="never-created-", dynamodb_endpoint=None, aws_region="us-west-2")
        )
        response = TestClient(create_app(tables), raise_server_exceptions=False).get("/api/activities")
    assert response.status_code == 503
    assert response.json() == {"error": "the activity tables do not exist yet: run `famact tables create`"}
