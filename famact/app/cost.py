"""`famact cost --sources N`: what the deployed system (deploy/) costs a month.

Pure arithmetic over three inputs: on-demand list prices (dated constants, each naming the
page it comes from), a per-crawl profile (the DynamoDB read/write units, duration and entity
count that EXECUTION rows recorded, or the stated profile below when there are none yet),
and the usage assumptions (sources, crawls per source, searches per day, analyses). Free
tiers are not counted: the figure is what the month costs once they run out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

HOURS_PER_MONTH = 730.0
DAYS_PER_MONTH = 30.42

# -- prices ----------------------------------------------------------------------------------
# List prices, on-demand, us-west-2 (the stack's default region), as the named pages gave them
# on PRICES_DATE. Re-check them there before a budget decision: prices change.
PRICES_DATE = "2025-05-01"
DYNAMODB_PAGE = "https://aws.amazon.com/dynamodb/pricing/on-demand/"
EC2_PAGE = "https://aws.amazon.com/ec2/pricing/on-demand/"
VPC_PAGE = "https://aws.amazon.com/vpc/pricing/ (public IPv4 addresses)"
EBS_PAGE = "https://aws.amazon.com/ebs/pricing/"
FARGATE_PAGE = "https://aws.amazon.com/fargate/pricing/"
LAMBDA_PAGE = "https://aws.amazon.com/lambda/pricing/"
API_GATEWAY_PAGE = "https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs)"
CLOUDWATCH_PAGE = "https://aws.amazon.com/cloudwatch/pricing/"
ECR_PAGE = "https://aws.amazon.com/ecr/pricing/"
OPENAI_PAGE = "https://openai.com/api/pricing/ (gpt-4o-mini)"
JINA_PAGE = "https://jina.ai/reader/ (token packs; an estimate per million tokens)"


@dataclass(frozen=True)
class Price:
    usd: float
    unit: str
    source: str


PRICES: dict[str, Price] = {
    "dynamodb_read_request": Price(0.125 / 1e6, "read request unit", DYNAMODB_PAGE),
    "dynamodb_write_request": Price(0.625 / 1e6, "write request unit", DYNAMODB_PAGE),
    "dynamodb_storage": Price(0.25, "GB-month", DYNAMODB_PAGE),
    "dynamodb_pitr": Price(0.20, "GB-month of continuous backup", DYNAMODB_PAGE),
    "ec2_t4g.micro": Price(0.0084, "instance-hour", EC2_PAGE),
    "ec2_t4g.small": Price(0.0168, "instance-hour", EC2_PAGE),
    "ec2_t4g.medium": Price(0.0336, "instance-hour", EC2_PAGE),
    "public_ipv4": Price(0.005, "address-hour", VPC_PAGE),
    "ebs_gp3": Price(0.08, "GB-month", EBS_PAGE),
    "fargate_arm_vcpu": Price(0.03238, "vCPU-hour (arm64)", FARGATE_PAGE),
    "fargate_arm_memory": Price(0.00356, "GB-hour (arm64)", FARGATE_PAGE),
    "lambda_arm_compute": Price(0.0000133334, "GB-second (arm64)", LAMBDA_PAGE),
    "lambda_request": Price(0.20 / 1e6, "request", LAMBDA_PAGE),
    "http_api_request": Price(1.00 / 1e6, "request", API_GATEWAY_PAGE),
    "cloudwatch_alarm": Price(0.10, "standard alarm-month", CLOUDWATCH_PAGE),
    "cloudwatch_logs": Price(0.50, "GB ingested", CLOUDWATCH_PAGE),
    "ecr_storage": Price(0.10, "GB-month", ECR_PAGE),
    "llm_input": Price(0.15 / 1e6, "input token", OPENAI_PAGE),
    "llm_output": Price(0.60 / 1e6, "output token", OPENAI_PAGE),
    "jina": Price(0.05 / 1e6, "token", JINA_PAGE),
}

# -- what the stack deploys (deploy/famact_deploy; keep in step) -------------------------------
NODE_ROOT_VOLUME_GB = 16
ORCHESTRATOR_VCPU, ORCHESTRATOR_GB = 0.25, 0.5
ORCHESTRATOR_PASSES_PER_HOUR = 6  # every 10 minutes
ORCHESTRATOR_BILLED_MINUTES = 1.0  # Fargate bills a minute at least; a pass takes seconds
ANALYZER_GB, API_GB = 2.0, 1.0
ANALYZER_IDLE_INVOCATIONS = HOURS_PER_MONTH  # hourly, most of them find nothing to do
ALARMS = 5  # throttling, failed executions, success rate, analyzer errors; spend (us-east-1)
IMAGE_GB = 0.8


@dataclass(frozen=True)
class CrawlProfile:
    """One crawl of one source, as DynamoDB bills it."""

    read_units: float
    write_units: float
    duration_s: float
    entities: float
    basis: str


# When no EXECUTION row has recorded units yet: a re-crawl of a source with 60 listings over
# 20 pages. Reads: the config, a BatchGetItem of the stored entities (~1.5 KB each, 0.5 unit)
# and the entity links. Writes: ~10% of the entities changed, at 6.34 rows each
# (benchmarks/results/store_write.json) and ~2 units a row, plus the execution and metrics rows
# (an unchanged re-crawl writes 0.1% of a first crawl: crawl_throughput.json).
STATED_PROFILE = CrawlProfile(
    read_units=40.0,
    write_units=80.0,
    duration_s=120.0,
    entities=60.0,
    basis="stated profile (no units recorded yet)",
)
SCHEDULING_READS_PER_CRAWL = 6.0  # due slots, lease, the job's execution row
SCHEDULING_WRITES_PER_CRAWL = 8.0  # lease, queued execution, slot rewrite, release
ANALYZER_TOKENS_OUTPUT_SHARE = 0.1


@dataclass(frozen=True)
class Usage:
    sources: int
    crawls_per_source_month: float = DAYS_PER_MONTH  # daily; the adaptive schedule crawls less
    searches_per_day: float = 1000.0
    analyses_per_month: float | None = None  # default: 10% of the sources, at least 5
    llm_tokens_per_analysis: float = 4749.0  # analyzer_quality.json, worst case against the fake server
    jina_tokens_per_analysis: float = 20000.0  # ~4 pages through the Reader
    analysis_seconds: float = 180.0
    instance_type: str = "t4g.small"
    crawls_at_once_per_node: int = 4  # scrapyd max_proc_per_cpu = 2 on 2 vCPUs
    window_hours: float = 4.0  # the crawl window (24: always on); cdk.json famact:crawlWindowHours
    rows_per_entity: float = 6.34  # store_write.json
    row_kb: float = 1.5
    search_read_units: float = 8.0  # one GSI query returning ~20 entities, ~30 rows read
    search_lambda_seconds: float = 0.2
    log_gb: float = 0.1

    def __post_init__(self) -> None:
        if self.sources < 1:
            raise ValueError(f"sources: {self.sources} must be 1 or more")
        if f"ec2_{self.instance_type}" not in PRICES:
            known = sorted(k.removeprefix("ec2_") for k in PRICES if k.startswith("ec2_"))
            raise ValueError(f"instance_type: {self.instance_type!r} is not priced here ({', '.join(known)})")
        if not 2 <= self.window_hours <= 24:
            raise ValueError(f"window_hours: {self.window_hours} must be between 2 and 24")
        for name in ("crawls_per_source_month", "searches_per_day", "crawls_at_once_per_node"):
            if getattr(self, name) < 0 or (
                name == "crawls_at_once_per_node" and self.crawls_at_once_per_node < 1
            ):
                raise ValueError(f"{name}: {getattr(self, name)} is out of range")

    @property
    def analyses(self) -> float:
        if self.analyses_per_month is not None:
            return self.analyses_per_month
        return float(max(5, math.ceil(0.1 * self.sources)))


@dataclass(frozen=True)
class Line:
    component: str
    usd: float
    detail: str


@dataclass(frozen=True)
class CostReport:
    usage: Usage
    profile: CrawlProfile
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(line.usd for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": self.usage.sources,
            "monthly_usd": round(self.total, 2),
            "lines": [
                {"component": x.component, "usd": round(x.usd, 4), "detail": x.detail} for x in self.lines
            ],
            "profile": self.profile.__dict__,
            "prices_date": PRICES_DATE,
            "prices": {k: {"usd": p.usd, "unit": p.unit, "source": p.source} for k, p in PRICES.items()},
        }


def _p(key: str) -> float:
    return PRICES[key].usd


def crawl_nodes(usage: Usage, profile: CrawlProfile) -> tuple[int, float]:
    """Nodes needed, and the hours each runs a month. A window keeps its last hour for the
    crawls started late to finish (the orchestrator stops starting them then)."""
    crawl_hours_per_day = (
        usage.sources * usage.crawls_per_source_month / DAYS_PER_MONTH * profile.duration_s / 3600
    )
    usable = usage.window_hours if usage.window_hours >= 24 else usage.window_hours - 1
    nodes = max(1, math.ceil(crawl_hours_per_day / (usable * usage.crawls_at_once_per_node)))
    return nodes, usage.window_hours * DAYS_PER_MONTH


def monthly_cost(usage: Usage, profile: CrawlProfile = STATED_PROFILE) -> CostReport:
    crawls = usage.sources * usage.crawls_per_source_month
    lines: list[Line] = []

    reads = crawls * (profile.read_units + SCHEDULING_READS_PER_CRAWL)
    writes = crawls * (profile.write_units + SCHEDULING_WRITES_PER_CRAWL)
    lines.append(
        Line(
            "DynamoDB crawl requests",
            reads * _p("dynamodb_read_request") + writes * _p("dynamodb_write_request"),
            f"{crawls:,.0f} crawls x ({profile.read_units:g}+{SCHEDULING_READS_PER_CRAWL:g} RRU, "
            f"{profile.write_units:g}+{SCHEDULING_WRITES_PER_CRAWL:g} WRU) [{profile.basis}]",
        )
    )

    searches = usage.searches_per_day * DAYS_PER_MONTH
    search_usd = searches * (
        usage.search_read_units * _p("dynamodb_read_request")
        + _p("http_api_request")
        + _p("lambda_request")
        + usage.search_lambda_seconds * API_GB * _p("lambda_arm_compute")
    )
    lines.append(
        Line(
            "searches (API)",
            search_usd,
            f"{searches:,.0f} requests: HTTP API + Lambda {usage.search_lambda_seconds:g} s x {API_GB:g} GB "
            f"+ {usage.search_read_units:g} RRU",
        )
    )

    # Every stored row is also copied into the GSIs it belongs to (ALL projection): ~1 more.
    gb = usage.sources * profile.entities * usage.rows_per_entity * usage.row_kb * 2 / 1e6
    lines.append(
        Line(
            "DynamoDB storage + PITR",
            gb * (_p("dynamodb_storage") + _p("dynamodb_pitr")),
            f"{gb:.3f} GB ({profile.entities:g} entities/source x {usage.rows_per_entity:g} rows x "
            f"{usage.row_kb:g} KB, x2 for the indexes)",
        )
    )

    nodes, hours = crawl_nodes(usage, profile)
    node_usd = nodes * (
        hours * (_p(f"ec2_{usage.instance_type}") + _p("public_ipv4")) + NODE_ROOT_VOLUME_GB * _p("ebs_gp3")
    )
    lines.append(
        Line(
            "scrapyd nodes",
            node_usd,
            f"{nodes} x {usage.instance_type}, {hours:,.0f} h (+ public IPv4), {NODE_ROOT_VOLUME_GB} GB gp3",
        )
    )

    # In a window the orchestrator runs from its start until an hour before the nodes stop.
    pass_hours = 24.0 if usage.window_hours >= 24 else usage.window_hours - 1
    passes = ORCHESTRATOR_PASSES_PER_HOUR * pass_hours
    task_hours = passes * DAYS_PER_MONTH * ORCHESTRATOR_BILLED_MINUTES / 60
    lines.append(
        Line(
            "orchestrator (Fargate)",
            task_hours
            * (
                ORCHESTRATOR_VCPU * _p("fargate_arm_vcpu")
                + ORCHESTRATOR_GB * _p("fargate_arm_memory")
                + _p("public_ipv4")
            ),
            f"{passes * DAYS_PER_MONTH:,.0f} passes x {ORCHESTRATOR_BILLED_MINUTES:g} min",
        )
    )

    analyses = usage.analyses
    tokens = analyses * usage.llm_tokens_per_analysis
    llm_usd = tokens * (
        (1 - ANALYZER_TOKENS_OUTPUT_SHARE) * _p("llm_input") + ANALYZER_TOKENS_OUTPUT_SHARE * _p("llm_output")
    )
    lines.append(
        Line(
            "LLM + Jina (analyses)",
            llm_usd + analyses * usage.jina_tokens_per_analysis * _p("jina"),
            f"{analyses:g} analyses x {usage.llm_tokens_per_analysis:,.0f} LLM tokens + "
            f"{usage.jina_tokens_per_analysis:,.0f} Reader tokens",
        )
    )
    lambda_seconds = analyses * usage.analysis_seconds + ANALYZER_IDLE_INVOCATIONS * 5.0
    lines.append(
        Line(
            "analyzer (Lambda)",
            lambda_seconds * ANALYZER_GB * _p("lambda_arm_compute")
            + (analyses + ANALYZER_IDLE_INVOCATIONS) * _p("lambda_request"),
            f"{analyses:g} x {usage.analysis_seconds:g} s + {ANALYZER_IDLE_INVOCATIONS:g} idle 5 s runs, "
            f"{ANALYZER_GB:g} GB",
        )
    )

    lines.append(
        Line(
            "alarms, logs, image",
            ALARMS * _p("cloudwatch_alarm")
            + usage.log_gb * _p("cloudwatch_logs")
            + IMAGE_GB * _p("ecr_storage"),
            f"{ALARMS} alarms, {usage.log_gb:g} GB logs, {IMAGE_GB:g} GB image",
        )
    )
    return CostReport(usage=usage, profile=profile, lines=lines)


def recorded_profile(executions: list[Any]) -> CrawlProfile | None:
    """The mean crawl of the finished executions that recorded units; None when none did."""
    measured = [
        e
        for e in executions
        if e.finished_at is not None and (e.read_units or e.write_units) and e.duration_s is not None
    ]
    if not measured:
        return None
    n = len(measured)
    return CrawlProfile(
        read_units=round(sum(e.read_units for e in measured) / n, 1),
        write_units=round(sum(e.write_units for e in measured) / n, 1),
        duration_s=round(sum(float(e.duration_s) for e in measured) / n, 1),
        entities=round(sum(e.items_scraped for e in measured) / n, 1) or STATED_PROFILE.entities,
        basis=f"mean of {n} EXECUTION rows",
    )


def load_recorded_profile(
    tables: Any, *, max_sources: int = 200, per_source: int = 20
) -> CrawlProfile | None:
    """The profile of the active and paused sources' recent executions (GSI queries only)."""
    from famact.constants import SourceStatus
    from famact.store.operations import OperationsStore
    from famact.store.sources import SourceStore

    sources, operations = SourceStore(tables), OperationsStore(tables)
    executions: list[Any] = []
    for status in (SourceStatus.ACTIVE, SourceStatus.PAUSED):
        for row in sources.list_by_status(status, limit=max_sources).items:
            executions.extend(operations.list_executions(str(row["source_id"]), limit=per_source))
    return recorded_profile(executions)


def format_report(report: CostReport) -> str:
    lines = [f"famact on AWS, {report.usage.sources:,} sources: ${report.total:,.2f} a month"]
    width = max(len(x.component) for x in report.lines)
    lines += [f"  {x.component:<{width}}  ${x.usd:>7.2f}  {x.detail}" for x in report.lines]
    lines.append(
        f"prices: on-demand list prices, us-west-2, as of {PRICES_DATE} (sources: famact/app/cost.py); "
        "free tiers not counted"
    )
    return "\n".join(lines)
