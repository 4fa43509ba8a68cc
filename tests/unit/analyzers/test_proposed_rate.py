"""FAMACT_PROPOSED_REQUESTS_PER_MINUTE: the crawl rate written into the configs the analyzer
proposes. Unset, a proposal keeps the config's polite default (30 a minute); set, every
proposal carries it, and only the rate changes."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from analyzers.analyze import analyze, at_proposed_rate
from analyzers.jina import PageFetcher
from famact.models import SourceConfig
from famact.settings import Settings, get_settings
from tests.support.fake_jina import FakeSite

EVENTS_PAGE = (
    "<html><head><title>Family Events</title></head><body><main>"
    + "".join(
        f'<div class="event"><h3><a href="/events/{day}">Toddler Storytime {day}</a></h3>'
        f'<p class="when">December {day}, 2026, 10:00 am</p>'
        f"<p>Songs, rhymes and books for ages 1-3. Free, no registration.</p></div>"
        for day in range(10, 16)
    )
    + "</main></body></html>"
)


def _config(**scraping: object) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "source_id": "museum",
            "source_name": "Museum",
            "base_url": "https://museum.example/",
            "target_urls": ["https://museum.example/events/"],
            "listing": {"item": "div.event", "fields": {"title": "h3"}},
            "scraping_config": scraping,
        }
    )


def test_no_setting_keeps_the_polite_default() -> None:
    config = _config()
    assert at_proposed_rate(config, None) is config
    assert config.scraping_config.rate_limit.requests_per_minute == 30


def test_the_setting_replaces_the_rate_and_nothing_else() -> None:
    config = _config(rate_limit={"requests_per_minute": 20, "concurrent_requests": 1}, max_retries=5)
    faster = at_proposed_rate(config, 6000)
    assert faster.scraping_config.rate_limit.requests_per_minute == 6000
    assert faster.scraping_config.rate_limit.concurrent_requests == 1
    assert faster.scraping_config.max_retries == 5
    assert faster.model_dump(exclude={"scraping_config"}) == config.model_dump(exclude={"scraping_config"})
    assert config.scraping_config.rate_limit.requests_per_minute == 20  # the original is not changed


@pytest.mark.parametrize("value", ["0", "6001", "fast"])
def test_a_rate_outside_the_configs_range_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("FAMACT_PROPOSED_REQUESTS_PER_MINUTE", value)
    with pytest.raises(ValidationError, match="FAMACT_PROPOSED_REQUESTS_PER_MINUTE"):
        Settings()


@pytest.mark.parametrize(("env", "expected"), [(None, 30), ("6000", 6000), ("12", 12)])
def test_the_analysis_proposes_the_configured_rate(
    monkeypatch: pytest.MonkeyPatch, site: FakeSite, env: str | None, expected: int
) -> None:
    if env is not None:
        monkeypatch.setenv("FAMACT_PROPOSED_REQUESTS_PER_MINUTE", env)
    get_settings.cache_clear()
    url = site.page("/events/", EVENTS_PAGE)
    with PageFetcher(Settings(allow_private_urls=True), timeout_s=2.0, attempts=1) as fetcher:
        analysis = analyze(
            url, source_id="museum", source_name="Museum", use_llm=False, fetcher=fetcher,
            today=date(2026, 12, 1),
        )  # fmt: skip
    assert analysis.proposed_config is not None, analysis.issues
    assert analysis.proposed_config.scraping_config.rate_limit.requests_per_minute == expected
