"""Runtime settings from the environment (pydantic-settings).

One `Settings` object, read once per process through `get_settings()`; tests call
`get_settings.cache_clear()` after changing the environment.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from famact.constants import TIMEZONE
from famact.models import RequestsPerMinute


class Settings(BaseSettings):
    # Fields can be set by name in code (tests); pydantic-settings then also reads a variable
    # named like the field, so no field may be named like a common variable ($HOME, $PATH).
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    table_prefix: str = Field(default="famact-", alias="FAMACT_TABLE_PREFIX")
    dynamodb_endpoint: str | None = Field(default=None, alias="AWS_ENDPOINT_URL_DYNAMODB")
    aws_region: str = Field(default="us-west-2", alias="AWS_DEFAULT_REGION")
    today: date | None = Field(default=None, alias="FAMACT_TODAY")
    allow_private_urls: bool = Field(default=False, alias="FAMACT_ALLOW_PRIVATE_URLS")
    famact_home: str = Field(default=".famact", alias="FAMACT_HOME")  # local data, pids, logs
    # The one Chromium both the crawl (scrapy-playwright) and the analyzer's renderer launch.
    chromium: str = Field(default="/usr/bin/chromium", alias="FAMACT_CHROMIUM")

    openai_api_key: str | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    llm_model: str = Field(default="gpt-4o-mini", alias="FAMACT_LLM_MODEL")
    # Per request, and how often the SDK retries a timeout, 429 or 5xx before giving up.
    llm_timeout_s: float = Field(default=60.0, gt=0, alias="FAMACT_LLM_TIMEOUT_S")
    llm_max_retries: int = Field(default=2, ge=0, alias="FAMACT_LLM_MAX_RETRIES")
    jina_api_key: str | None = Field(default=None, alias="JINA_API_KEY")
    jina_reader_url: str = Field(default="https://r.jina.ai", alias="JINA_READER_URL")
    # The Reader's rate limit on your plan; unset, its free limits (20 a minute without a
    # key, 200 with one). The analyzer never sends more than this in any minute.
    jina_requests_per_minute: int | None = Field(
        default=None, ge=1, le=100_000, alias="JINA_REQUESTS_PER_MINUTE"
    )
    # The first wait before the analyzer retries a page fetch that timed out, lost its
    # connection or got a 429/5xx; it doubles each retry. 0 retries at once: for a site on
    # this machine, where waiting only delays the answer (a Retry-After is still honoured).
    analysis_backoff_s: float = Field(default=1.0, ge=0, le=60, alias="FAMACT_ANALYSIS_BACKOFF_S")
    # The crawl rate the analyzer writes into the configs it proposes; unset, a proposal has
    # the config's own polite default. An operator may ask for gentler proposals, or a faster
    # one for a site of their own (a local mirror, the tests' fixture sites on loopback).
    proposed_requests_per_minute: RequestsPerMinute | None = Field(
        default=None, alias="FAMACT_PROPOSED_REQUESTS_PER_MINUTE"
    )

    scrapyd_nodes: str = Field(default="http://127.0.0.1:6800", alias="FAMACT_SCRAPYD_NODES")
    admin_password_hash: str | None = Field(default=None, alias="FAMACT_ADMIN_PASSWORD_HASH")
    # Signs admin session cookies; unset, each `famact serve` process makes its own (logins
    # then end when it restarts, and several processes behind one proxy do not share them).
    session_secret: str | None = Field(default=None, alias="FAMACT_SESSION_SECRET")
    user_agent: str = Field(
        default="famact/0.1 (+https://github.com/famact/famact; family activities finder)",
        alias="FAMACT_USER_AGENT",
    )

    def current_date(self) -> date:
        """Today in America/Los_Angeles, or `FAMACT_TODAY` when set (tests, replays)."""
        return self.today or datetime.now(TIMEZONE).date()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def today() -> date:
    return get_settings().current_date()


def crawl_today(setting: object = None) -> date:
    """A crawl's "today": the FAMACT_TODAY setting's value when given, else `today()`.

    Shared by the spider (an ICS feed's recurrence horizon starts here) and the pipelines
    (past listings), so both read the same day."""
    if setting:
        return date.fromisoformat(str(setting))
    return today()
