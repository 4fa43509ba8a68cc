"""The three people who use the web app, in a real browser, one after another on the same
data: a founder submits a fixture site through the form; (the analysis worker analyses it) an
admin logs in, reviews the analysis and approves it; (the crawl runs) a parent searches by date
and age, opens the detail page and takes its calendar link, which the icalendar library reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import icalendar
import pytest

from tests.browser.conftest import ADMIN_PASSWORD, World

pytestmark = pytest.mark.browser

SOURCE_ID = "fremont-family-playhouse"


def _status(world: World) -> str:
    shown = json.loads(world.famact("sources", "show", SOURCE_ID, "--json").stdout)
    return str(shown["submission"]["status"])


def test_founder_admin_and_parent(page: Any, world: World, artifacts: Path) -> None:
    founder_submits(page, world, artifacts)
    world.famact("sources", "analyze", SOURCE_ID, "--no-llm")  # the analysis worker's step
    admin_reviews_and_approves(page, world, artifacts)
    world.famact("crawl", SOURCE_ID)  # the scheduled crawl's step
    admin_sees_the_crawl(page, world, artifacts)
    parent_finds_and_subscribes(page, world, artifacts)


def admin_sees_the_crawl(page: Any, world: World, artifacts: Path) -> None:
    from playwright.sync_api import expect

    page.goto(f"{world.app_url}/admin/sources/{SOURCE_ID}")
    expect(page.locator("table.executions tbody tr")).to_have_count(1)
    expect(page.locator("table.executions")).to_contain_text("success")
    expect(page.locator("svg.chart rect.bar.success")).to_have_count(1)
    page.screenshot(path=str(artifacts / "4-admin-executions.png"), full_page=True)


def founder_submits(page: Any, world: World, artifacts: Path) -> None:
    from playwright.sync_api import expect

    page.goto(world.app_url + "/")
    page.get_by_role("link", name="Suggest a source").click()
    page.get_by_label("Name", exact=True).fill("Fremont Family Playhouse")
    page.get_by_label("Web address").fill(world.site_url + "/")
    page.get_by_label("Kind").select_option("event_calendar")
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Pages with listings (one per line)").fill(world.site_url + "/events")
    page.get_by_label("Your name").fill("Founder")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status")).to_contain_text(f"source {SOURCE_ID} is queued for analysis")
    page.screenshot(path=str(artifacts / "1-founder-submitted.png"), full_page=True)
    assert _status(world) == "pending_analysis"


def admin_reviews_and_approves(page: Any, world: World, artifacts: Path) -> None:
    from playwright.sync_api import expect

    app = world.app_url
    page.goto(app + "/admin")
    expect(page).to_have_url(app + "/admin/login")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong password.")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(app + "/admin")
    waiting = page.locator("section", has=page.locator("#st-analysis_complete"))
    waiting.get_by_role("link", name="Fremont Family Playhouse").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fremont Family Playhouse")
    expect(page.locator(".score")).to_have_text(_score(page))
    completeness = page.locator("table.completeness")
    expect(completeness.get_by_role("rowheader", name="title")).to_be_visible()
    samples = page.locator("table.samples")
    expect(samples).to_contain_text("Toddler Dance Party")
    page.screenshot(path=str(artifacts / "2-admin-review.png"), full_page=True)
    page.get_by_role("button", name="Approve the proposed config").click()
    expect(page.get_by_role("status")).to_contain_text("Approved")
    expect(page.locator(".status-active")).to_be_visible()
    page.screenshot(path=str(artifacts / "3-admin-approved.png"), full_page=True)
    assert _status(world) == "active"


def parent_finds_and_subscribes(page: Any, world: World, artifacts: Path) -> None:
    from playwright.sync_api import expect

    page.goto(world.app_url + "/")
    page.get_by_label("From", exact=True).fill("2026-12-15")
    page.get_by_label("To", exact=True).fill("2026-12-20")
    page.get_by_role("combobox", name="Age").select_option("toddler")
    page.get_by_role("button", name="Search").click()
    card = page.locator(".card", has_text="Toddler Dance Party")
    expect(card).to_contain_text("2026-12-18 09:30")
    expect(page.locator(".card", has_text="Winter Puppet Festival")).to_have_count(0)  # no age given
    page.screenshot(path=str(artifacts / "5-parent-search.png"), full_page=True)
    card.get_by_role("link", name="Toddler Dance Party").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toddler Dance Party")
    page.screenshot(path=str(artifacts / "6-parent-detail.png"), full_page=True)
    calendar_link = page.get_by_role("link", name="Add to calendar")
    if calendar_link.count() == 0:  # an event with neither venue nor provider: the search's feed
        page.go_back()
        calendar_link = page.get_by_role("link", name="Subscribe to these results (calendar)")
    href = calendar_link.get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    events = {str(e.get("summary")): e for e in calendar.walk("VEVENT")}
    assert "Toddler Dance Party" in events, sorted(events)
    dance = events["Toddler Dance Party"]
    assert dance.decoded("dtstart").isoformat() == "2026-12-18T09:30:00-08:00"
    assert str(dance.get("uid")).startswith("event-") and str(dance.get("status")) == "CONFIRMED"
    assert any(c.name == "VTIMEZONE" and str(c.get("tzid")) == "America/Los_Angeles" for c in calendar.walk())


def _score(page: Any) -> str:
    """The score the page shows must be a two-decimal number above zero."""
    text = page.locator(".score").inner_text()
    assert float(text) > 0, text
    return text
