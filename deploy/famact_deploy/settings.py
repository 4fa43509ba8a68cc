"""The deployment's knobs, read from the CDK context (cdk.json `famact:*`, or `-c`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CONTEXT_PREFIX = "famact:"
SCRAPYD_PORT = 6800
# The SecureString parameters the deployer creates (deploy/README.md); the stack only grants
# reading them, so their values never pass through CloudFormation.
PARAMETER_PREFIX = "/famact"
OPENAI_KEY_PARAMETER = f"{PARAMETER_PREFIX}/openai-api-key"
JINA_KEY_PARAMETER = f"{PARAMETER_PREFIX}/jina-api-key"
ADMIN_HASH_PARAMETER = f"{PARAMETER_PREFIX}/admin-password-hash"
SESSION_SECRET_PARAMETER = f"{PARAMETER_PREFIX}/session-secret"
SCRAPYD_PASSWORD_PARAMETER = f"{PARAMETER_PREFIX}/scrapyd-password"
SCRAPYD_USERNAME = "famact"


class SettingsError(ValueError):
    """A context value that cannot be deployed; the message names the key."""


@dataclass(frozen=True)
class DeploySettings:
    region: str = "us-west-2"
    table_prefix: str = "famact-"
    crawl_nodes: int = 1
    crawl_node_instance_type: str = "t4g.small"
    crawl_window_start_hour: int = 1  # America/Los_Angeles
    crawl_window_hours: int = 4  # 24 = the nodes never stop
    alarm_email: str = ""
    monthly_budget_usd: float = 10.0

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", self.region):
            raise SettingsError(f"famact:region: {self.region!r} is not an AWS region name")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", self.table_prefix):
            raise SettingsError(
                f"famact:tablePrefix: {self.table_prefix!r} has characters a table name cannot"
            )
        if not 1 <= self.crawl_nodes <= 10:
            raise SettingsError(f"famact:crawlNodes: {self.crawl_nodes} is not between 1 and 10")
        if not re.fullmatch(r"[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+", self.crawl_node_instance_type):
            raise SettingsError(
                f"famact:crawlNodeInstanceType: {self.crawl_node_instance_type!r} is not an instance type"
            )
        if not self.crawl_node_instance_type.split(".")[0].endswith("g"):
            # The one image is built for arm64 (Graviton); an x86 node could not run it.
            raise SettingsError(
                f"famact:crawlNodeInstanceType: {self.crawl_node_instance_type!r} is not Graviton (arm64)"
            )
        if not 0 <= self.crawl_window_start_hour <= 23:
            raise SettingsError(f"famact:crawlWindowStartHour: {self.crawl_window_start_hour} is not 0-23")
        if (
            self.crawl_window_hours != 24
            and not 2 <= self.crawl_window_hours <= 24 - self.crawl_window_start_hour
        ):
            raise SettingsError(
                f"famact:crawlWindowHours: {self.crawl_window_hours}: use 24, or 2+ hours ending by midnight"
            )
        if self.alarm_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.alarm_email):
            raise SettingsError(f"famact:alarmEmail: {self.alarm_email!r} is not an email address")
        if self.monthly_budget_usd <= 0:
            raise SettingsError(f"famact:monthlyBudgetUsd: {self.monthly_budget_usd} must be > 0")

    @property
    def always_on(self) -> bool:
        return self.crawl_window_hours == 24

    @classmethod
    def from_context(cls, node: Any) -> DeploySettings:
        def get(key: str, default: Any, kind: type) -> Any:
            value = node.try_get_context(CONTEXT_PREFIX + key)
            if value is None or value == "":
                return default
            try:
                return kind(value)
            except (TypeError, ValueError):
                raise SettingsError(f"{CONTEXT_PREFIX}{key}: {value!r} is not a {kind.__name__}") from None

        d = cls()
        return cls(
            region=get("region", d.region, str),
            table_prefix=get("tablePrefix", d.table_prefix, str),
            crawl_nodes=get("crawlNodes", d.crawl_nodes, int),
            crawl_node_instance_type=get("crawlNodeInstanceType", d.crawl_node_instance_type, str),
            crawl_window_start_hour=get("crawlWindowStartHour", d.crawl_window_start_hour, int),
            crawl_window_hours=get("crawlWindowHours", d.crawl_window_hours, int),
            alarm_email=get("alarmEmail", d.alarm_email, str),
            monthly_budget_usd=get("monthlyBudgetUsd", d.monthly_budget_usd, float),
        )
