"""The `famact` command (ARCHITECTURE section 7: a stable interface).

Each subcommand parses its arguments, calls one function of the core (or the crawler /
analyzer, imported lazily so `famact search` and `famact classify` do not load Scrapy), and
prints the result.
Every error a user can cause ends as one line `famact: error: <field>: <what>` and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from famact.errors import validation_message

EXIT_USAGE = 2
EXIT_FAILED = 1


class CLIError(Exception):
    """A user-facing error: printed as one line, exit code 2 (bad input) or 1 (failure)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


_INVALID_CHOICE = re.compile(
    r"argument (?P<name>[^:]+): invalid choice: (?P<got>.+?) \(choose from (?P<choices>.*)\)$"
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument ends as one line like every other famact error.

    argparse prints its whole usage block before the error, which buries the one thing the
    user needs to read; `famact COMMAND --help` still shows the usage. Subparsers inherit
    this class (argparse builds them with the parent's class).
    """

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"famact: error: {one_line_usage_error(message)}\n")


def one_line_usage_error(message: str) -> str:
    """argparse's message, with an invalid choice said the way the rest of famact says it."""
    match = _INVALID_CHOICE.match(message.strip())
    if match is None:
        return " ".join(message.split())
    choices = ", ".join(c.strip().strip("'") for c in match["choices"].split(","))
    return f"{match['name']} must be one of {choices} (got {match['got']})"


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from exc
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


def _echo(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _print_json(data: Any) -> None:
    _echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    """A plain aligned text table: readable in a terminal, greppable in a script."""
    if not rows:
        _echo("(nothing found)")
        return
    cells = [[str(row.get(c, "") if row.get(c) is not None else "") for c in columns] for row in rows]
    widths = [min(max(len(c), *(len(r[i]) for r in cells)), 48) for i, c in enumerate(columns)]
    _echo("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in cells:
        _echo("  ".join(v[:w].ljust(w) for v, w in zip(r, widths, strict=True)))


# -- local services and tables ---------------------------------------------------------------


def cmd_local(args: argparse.Namespace) -> int:
    from famact.app.local import LocalDynamo
    from famact.app.scrapyd_local import LocalScrapyd

    local = LocalDynamo()
    scrapyd = LocalScrapyd()
    if args.action == "up":
        endpoint = local.up()
        local.write_env_file()
        from famact.app.local import load_local_env

        load_local_env()  # scrapyd's spiders inherit the endpoint
        _echo(f"dynalite (local DynamoDB) listening on {endpoint}, data in {local.home / 'dynalite'}")
        url = scrapyd.up(deploy_code=not args.no_deploy)
        deployed = "" if args.no_deploy else ", current code deployed"
        _echo(f"scrapyd listening on {url} (basic auth: {scrapyd.credentials_file}){deployed}")
        _echo(f"famact commands use them automatically; for other tools: source {local.home / 'local.env'}")
    elif args.action == "down":
        _echo("scrapyd: " + ("stopped" if scrapyd.down() else "not running"))
        _echo("dynalite: " + ("stopped" if local.down() else "not running"))
    else:
        _print_json({"dynamodb": local.status(), "scrapyd": scrapyd.status()})
    return 0


def _tables() -> Any:
    from famact.store.dynamo import connect

    return connect()


def cmd_tables(args: argparse.Namespace) -> int:
    from famact.settings import get_settings
    from famact.store.dynamo import create_tables, describe_tables

    tables = _tables()
    prefix = get_settings().table_prefix
    if args.action == "create":
        for name, state in create_tables(tables.client, prefix):
            _echo(f"{name}: {state}")
    elif args.action == "upgrade-rows":
        from famact.store.activities import ActivityStore

        rewritten, unreadable = ActivityStore(tables).upgrade_rows()
        _echo(
            f"rewrote {rewritten} entities in the current row format; {unreadable} unreadable left as stored"
        )
    else:
        _print_json(describe_tables(tables.client, prefix))
    return 0


# -- sources -------------------------------------------------------------------------------


def _sources_seed(tables: Any, args: argparse.Namespace) -> int:
    from famact.app.seed import catalog_status, seed_sources
    from famact.catalog import load_catalog

    catalog = load_catalog(args.catalog)
    seeded = seed_sources(tables, catalog)
    rows = catalog_status(tables, catalog, seeded)
    _table(rows, ("source_id", "result", "status", "quality", "platform"))
    for source_id, why in seeded.refused.items():
        _err(f"famact: warning: {source_id} refused: {why}")
    _echo(seeded.summary)
    return 0


def _sources_show(tables: Any, args: argparse.Namespace) -> int:
    from famact.app import workflow

    if args.json:
        _print_json(workflow.show_source(tables, args.source_id))
    else:
        from famact.app.review import format_review, load_review

        _echo(format_review(load_review(tables, args.source_id)))
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from famact.app import workflow

    tables = _tables()
    action = args.action
    if action == "schema":
        from famact.models import SourceConfig

        _print_json(SourceConfig.model_json_schema())
        return 0
    if action == "submit":
        submission = workflow.submit_source(
            tables,
            name=args.name,
            url=args.url,
            source_type=args.type,
            priority=args.priority,
            hint_urls=args.hint_url,
            notes=args.notes,
            source_id=args.id,
        )
        _echo(f"submitted {submission.source_id} ({submission.base_url}): status {submission.status.value}")
        _echo(f"next: famact sources analyze {submission.source_id}")
        return 0
    if action == "seed":
        return _sources_seed(tables, args)
    if action == "list":
        rows = workflow.list_sources(tables, status=args.status)
        if args.json:
            _print_json(rows)
        else:
            _table(rows, ("source_id", "status", "priority", "source_name", "base_url"))
        return 0
    if action == "show":
        return _sources_show(tables, args)
    if action == "analyze":
        report = workflow.analyze_source(tables, args.source_id, use_llm=not args.no_llm, progress=_echo)
        _echo(workflow.format_quality_report(report))
        return 0 if report.proposed_config is not None else EXIT_FAILED
    if action == "approve":
        config = workflow.approve_source(tables, args.source_id, config_file=args.config, approved_by=args.by)
        _echo(f"approved {config.source_id}: config version {config.version}, status active")
        return 0
    if action == "reject":
        workflow.reject_source(tables, args.source_id, reason=args.reason)
        _echo(f"rejected {args.source_id}")
        return 0
    if action in ("pause", "resume"):
        status = (
            workflow.pause_source(tables, args.source_id)
            if action == "pause"
            else workflow.resume_source(tables, args.source_id)
        )
        _echo(f"{args.source_id}: {status.value}")
        return 0
    raise CLIError(f"sources: unknown action {action!r}")


def cmd_analyze(args: argparse.Namespace) -> int:
    from famact.app import workflow

    analysis = workflow.analyze_url(
        args.url, hint_urls=args.hint_url, use_llm=not args.no_llm, name=args.name, progress=_err
    )
    _err(workflow.format_quality_report(analysis))
    if analysis.proposed_config is None:
        return EXIT_FAILED
    text = json.dumps(analysis.proposed_config.model_dump(mode="json", exclude_none=True), indent=2)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        _err(f"config written to {args.output}")
    else:
        _echo(text)
    return 0


def _err(text: str = "") -> None:
    sys.stderr.write(text + "\n")


# -- crawling and classification --------------------------------------------------------------


def cmd_crawl(args: argparse.Namespace) -> int:
    from famact.config_file import ConfigError, load_config_file
    from famact.settings import get_settings
    from famact_crawler.runner import run_crawl
    from famact_crawler.spiders.source import load_config_from_store

    if bool(args.source_id) == bool(args.config):
        raise CLIError("crawl: give a source ID or --config FILE (one of them)")
    if args.no_store and not args.output:
        _err("note: --no-store without --output keeps nothing; add --output items.jsonl")
    try:
        config = load_config_file(args.config) if args.config else load_config_from_store(args.source_id)
    except ConfigError as exc:
        raise CLIError(str(exc)) from exc
    store = not args.no_store
    if store:
        _ensure_tables()
    today = args.today or get_settings().today
    _err(
        f"crawling {config.source_id} ({len(config.target_urls)} start URL(s), render={config.render.value})"
    )
    execution, _ = run_crawl(
        config,
        store=store,
        output=Path(args.output) if args.output else None,
        today=today,
        progress=True,
        log_level=args.log_level,
    )
    if execution is None:
        raise CLIError("crawl did not start (see the log above)", EXIT_FAILED)
    _err(
        f"{execution.outcome.value}: {execution.pages_crawled} pages, {execution.items_scraped} items "
        f"{execution.items_by_type}, {execution.new_count} new / {execution.updated_count} updated / "
        f"{execution.unchanged_count} unchanged, {execution.error_count} errors, {execution.duration_s}s"
    )
    if args.output:
        _err(f"items written to {args.output}")
    return 0 if execution.outcome.value != "failed" else EXIT_FAILED


def _ensure_tables() -> None:
    from famact.settings import get_settings
    from famact.store.dynamo import create_tables

    create_tables(_tables().client, get_settings().table_prefix)


def cmd_classify(args: argparse.Namespace) -> int:
    """Classify every line first, then write: a bad line fails the command with nothing
    written. With OPENAI_API_KEY set, unsure listings get the LLM's second opinion, as in a
    crawl."""
    from famact.classify import DEFAULT_THRESHOLD, ClassifierInput, classify
    from famact.second_opinion import second_opinion_from_settings

    source = Path(args.input)
    if not source.exists():
        raise CLIError(f"input: no such file: {source}")
    second_opinion = second_opinion_from_settings(enabled=not args.no_llm)
    rows: list[dict[str, Any]] = []
    with source.open(encoding="utf-8") as fp:
        for n, line in enumerate(fp, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                listing = ClassifierInput.from_json(obj)
            except (json.JSONDecodeError, ValueError) as exc:
                raise CLIError(f"input line {n}: {exc}") from exc
            result = classify(listing, second_opinion=second_opinion, threshold=DEFAULT_THRESHOLD)
            rows.append(
                {
                    "id": obj.get("id"),
                    "entity_type": result.entity_type.value,
                    "confidence": round(result.confidence, 3),
                    "method": result.method.value,
                }
            )
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if args.output:
        target = Path(args.output)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        _err(f"classified {len(rows)} listings -> {args.output}")
    else:
        sys.stdout.write(text)
    return 0


# -- search and export ---------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    from famact.search import SearchQuery, search
    from famact.store.activities import ActivityStore

    query = SearchQuery(
        q=args.q,
        entity_type=args.type,
        region=args.region,
        city=args.city,
        category=args.category,
        age_group=args.age_group,
        date_from=args.date_from,
        date_to=args.date_to,
        venue_id=args.venue,
        provider_id=args.provider,
        limit=args.limit,
        cursor=args.cursor,
    )
    result = search(ActivityStore(_tables()), query)
    if args.json:
        _print_json({"items": result.items, "cursor": result.cursor, "index": result.index_used})
        return 0
    _table(
        [
            {
                "type": item.get("entity_type"),
                "name": item.get("name"),
                "date": item.get("next_date") or item.get("start_date") or "ongoing",
                "time": item.get("next_start_time"),
                "city": item.get("city"),
                "price": _price_label(item.get("pricing")),
                "ages": _ages_label(item),
            }
            for item in result.items
        ],
        ("type", "name", "date", "time", "city", "price", "ages"),
    )
    if result.cursor:
        _echo(f"(more: --cursor {result.cursor})")
    return 0


def _price_label(pricing: dict[str, Any] | None) -> str:
    if not pricing:
        return ""
    if pricing.get("type") == "free":
        return "free"
    cost = pricing.get("cost")
    return f"${cost}" if cost is not None else str(pricing.get("type", ""))


def _ages_label(item: dict[str, Any]) -> str:
    lo: int | None = item.get("min_age_months")
    hi: int | None = item.get("max_age_months")

    def fmt(months: int) -> str:
        return f"{months // 12}y" if months % 12 == 0 and months >= 24 else f"{months}m"

    if hi is None:
        return "all ages" if lo is None else f"{fmt(lo)}+"
    return f"{fmt(lo or 0)}-{fmt(hi)}"


def cmd_export(args: argparse.Namespace) -> int:
    from famact.store.activities import ActivityStore

    if bool(args.output) == bool(args.legacy_s3):
        raise CLIError("export: give --output FILE.jsonl or --legacy-s3 s3://BUCKET/KEY (one of them)")
    if args.legacy_s3:
        from famact.app.legacy_commands import export_legacy

        return export_legacy(args)
    path = Path(args.output)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fp:
        count = ActivityStore(_tables()).export(fp)
    tmp.replace(path)
    _err(f"exported {count} entities to {path}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from famact.web.app import create_app

    uvicorn.run(create_app(_tables()), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_admin(args: argparse.Namespace) -> int:
    """`famact admin hash-password`: the value for FAMACT_ADMIN_PASSWORD_HASH. The password
    is read from standard input when it is not a terminal, else asked for twice."""
    import getpass

    from famact.web.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("admin password: ")
        if getpass.getpass("again: ") != password:
            raise CLIError("password: the two entries differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    _echo(hash_password(password))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from famact.app.demo.run import run_demo

    return run_demo(use_llm=not args.no_llm, keep_serving=args.serve)


def cmd_cost(args: argparse.Namespace) -> int:
    from famact.app import cost

    try:
        usage = cost.Usage(
            sources=args.sources,
            crawls_per_source_month=args.crawls_per_month,
            searches_per_day=args.searches_per_day,
            window_hours=args.window_hours,
            instance_type=args.instance_type,
        )
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    profile = None
    if not args.no_db:
        try:
            profile = cost.load_recorded_profile(_tables())
        except Exception as exc:  # no tables reachable: price the stated profile, and say so
            _err(f"famact: note: no EXECUTION rows read ({type(exc).__name__}); the stated profile is priced")
    report = cost.monthly_cost(usage, profile or cost.STATED_PROFILE)
    if args.json:
        _print_json(report.as_dict())
    else:
        _echo(cost.format_report(report))
    return 0


# -- scheduling ----------------------------------------------------------------------------


def _scrapyd_client() -> Any:
    """Nodes from FAMACT_SCRAPYD_NODES, else the local scrapyd `famact local up` started."""
    from famact.app.scrapyd_local import LocalScrapyd
    from famact.scheduling.scrapyd import ScrapydClient

    local = LocalScrapyd()
    default = local.url if local.status()["running"] else None
    return ScrapydClient.from_env(local.home, default_node=default)


def cmd_schedule(args: argparse.Namespace) -> int:
    import time

    from famact.store.operations import OperationsStore

    tables = _tables()
    operations = OperationsStore(tables)
    client = _scrapyd_client()
    if args.action == "status":
        from famact.scheduling.status import schedule_status
        from famact.store.sources import SourceStore

        report = schedule_status(operations, SourceStore(tables), client, operations.clock())
        if args.json:
            _print_json(report)
            return 0
        _echo(f"due: {len(report['due'])}  running: {len(report['running'])}")
        _table(report["nodes"], ("node", "reachable", "pending", "running", "finished", "error"))
        _echo()
        _table(report["running"], ("source_id", "node", "job_id", "execution_id"))
        _echo()
        _table(
            report["sources"],
            ("source_id", "status", "runs_30d", "success_rate", "items_per_run", "last_success", "health",
             "failures_in_a_row", "candidate"),
        )  # fmt: skip
        for row in report["sources"]:
            for key in ("health_reason", "paused"):
                if row.get(key) and (key == "paused" or row.get("health") == "degraded"):
                    _echo(f"{row['source_id']}: {row[key]}")
        return 0
    from famact.app.repair import health_monitor
    from famact.scheduling.orchestrator import Orchestrator
    from famact.store.sources import SourceStore

    orchestrator = Orchestrator(
        operations, client, sources=SourceStore(tables), on_finished=health_monitor(tables)
    )
    while True:
        result = orchestrator.run_once()
        _echo(
            f"pass: started {len(result.started)}, following {len(result.following)}, "
            f"finished {len(result.finished)}, skipped {len(result.skipped)}, paused {len(result.paused)}, "
            f"errors {len(result.errors)}"
        )
        for line in result.errors:
            _err(f"famact: warning: {line}")
        if args.legacy_s3:
            from famact.legacy.objects import SnapshotError
            from famact.legacy.publish import publish_after_crawls

            try:  # the old frontend keeps its last snapshot; the crawls go on
                step = publish_after_crawls(tables, args.legacy_s3, result.finished)
                _err(f"legacy snapshot: {step.reason}")
            except SnapshotError as exc:
                _err(f"famact: warning: legacy snapshot not published: {exc}")
        if args.metrics:  # one EMF line: CloudWatch turns it into the alarms' metrics
            from datetime import UTC, datetime

            from famact.app.cloudwatch import pass_metrics_line

            started, errors = len(result.started), len(result.errors)
            _echo(pass_metrics_line(result.finished, started=started, errors=errors, now=datetime.now(UTC)))
        if args.once:
            return 0
        time.sleep(args.interval)


# -- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from famact.constants import AgeGroup, Category, EntityType, Priority, SourceStatus, SourceType

    parser = OneLineParser(
        prog="famact", description="Find family activities on the web: crawl, classify, search."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("local", help="local DynamoDB (dynalite) and scrapyd on 127.0.0.1")
    p.add_argument("action", choices=("up", "down", "status"))
    p.add_argument("--no-deploy", action="store_true", help="up: do not deploy the current code to scrapyd")
    p.set_defaults(func=cmd_local)

    schedule = sub.add_parser("schedule", help="run the crawl orchestrator on scrapyd, or show its status")
    schedule_sub = schedule.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = schedule_sub.add_parser("run", help="start due sources on scrapyd and follow their jobs")
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    p.add_argument("--interval", type=_positive_int, default=30, help="seconds between passes (default 30)")
    p.add_argument(
        "--legacy-s3", metavar="S3_URL", help="after a pass that finished crawls, publish the old snapshot"
    )
    p.add_argument("--metrics", action="store_true", help="print each pass as a CloudWatch EMF line (AWS)")
    p.set_defaults(func=cmd_schedule)
    p = schedule_sub.add_parser("status", help="due / running jobs per node and each source's record")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("cost", help="the monthly AWS cost of the deployed system (deploy/)")
    p.add_argument("--sources", type=_positive_int, required=True, help="number of crawled sources")
    p.add_argument("--crawls-per-month", type=float, default=30.42, help="crawls per source a month (daily)")
    p.add_argument("--searches-per-day", type=float, default=1000.0)
    p.add_argument("--window-hours", type=float, default=4.0, help="the crawl window (24: nodes always on)")
    p.add_argument("--instance-type", default="t4g.small", help="the crawl nodes' instance type")
    p.add_argument("--no-db", action="store_true", help="read no EXECUTION rows: the stated profile")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cost)

    p = sub.add_parser("tables", help="create or describe the three tables, or upgrade old rows")
    p.add_argument("action", choices=("create", "describe", "upgrade-rows"))
    p.set_defaults(func=cmd_tables)

    sources = sub.add_parser("sources", help="submit, analyze, approve and manage sources")
    ssub = sources.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = ssub.add_parser("submit", help="submit a new source")
    p.add_argument("--name", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--type", choices=[t.value for t in SourceType], default=SourceType.OTHER.value)
    p.add_argument("--priority", choices=[x.value for x in Priority], default=Priority.MEDIUM.value)
    p.add_argument("--hint-url", action="append", default=[], help="a page listing activities (repeatable)")
    p.add_argument("--notes")
    p.add_argument("--id", help="source id (default: a slug of the name)")
    p = ssub.add_parser("seed", help="submit the bundled catalog of real Seattle-area sources (idempotent)")
    p.add_argument("--catalog", help="a catalog YAML file (default: famact/data/seattle-sources.yaml)")
    p = ssub.add_parser("list", help="list sources, highest priority first")
    p.add_argument("--status", choices=[s.value for s in SourceStatus])
    p.add_argument("--json", action="store_true")
    p = ssub.add_parser("show", help="a source's review: status, quality, samples, config, executions")
    p.add_argument("source_id")
    p.add_argument("--json", action="store_true", help="the stored records as JSON, for scripts")
    ssub.add_parser("schema", help="JSON Schema of the source config")
    p = ssub.add_parser("analyze", help="analyze a source and propose a crawl config")
    p.add_argument("source_id")
    p.add_argument("--no-llm", action="store_true", help="heuristics only, even with OPENAI_API_KEY set")
    p = ssub.add_parser("approve", help="approve the analyzed config (or an edited one) and activate")
    p.add_argument("source_id")
    p.add_argument("--config", help="an edited config file: it is test-run before approval")
    p.add_argument("--by", default="admin")
    p = ssub.add_parser("reject", help="reject a source")
    p.add_argument("source_id")
    p.add_argument("--reason", required=True)
    for name in ("pause", "resume"):
        p = ssub.add_parser(name, help=f"{name} an active source's crawls")
        p.add_argument("source_id")
    sources.set_defaults(func=cmd_sources)

    p = sub.add_parser("analyze", help="analyze a URL and write a proposed config (no database)")
    p.add_argument("url")
    p.add_argument("--no-llm", action="store_true")
    p.add_argument("--hint-url", action="append", default=[])
    p.add_argument("--name", help="the source's name (default: from the page title)")
    p.add_argument("--output", "-o", help="write the config here (default: stdout)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("crawl", help="crawl an approved source, or a config file")
    p.add_argument("source_id", nargs="?")
    p.add_argument("--config", help="a SourceConfig JSON file (no database needed with --no-store)")
    p.add_argument("--output", "-o", help="write normalized entities as JSON Lines")
    p.add_argument("--no-store", action="store_true", help="do not write to DynamoDB")
    p.add_argument(
        "--today", type=_iso_date, help="crawl date for year inference (default: FAMACT_TODAY or today)"
    )
    p.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("classify", help="classify listings from a JSON Lines file")
    p.add_argument("input")
    p.add_argument("--output", "-o")
    p.add_argument("--no-llm", action="store_true", help="rules only, even with OPENAI_API_KEY set")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("search", help="search stored activities (GSI queries only)")
    p.add_argument("--q")
    p.add_argument("--type", choices=[t.value for t in EntityType])
    p.add_argument("--region")
    p.add_argument("--city")
    p.add_argument("--category", choices=[c.value for c in Category])
    p.add_argument("--age-group", choices=[a.value for a in AgeGroup])
    p.add_argument("--from", dest="date_from", type=_iso_date)
    p.add_argument("--to", dest="date_to", type=_iso_date)
    p.add_argument("--venue")
    p.add_argument("--provider")
    p.add_argument("--limit", type=_positive_int, default=20)
    p.add_argument("--cursor")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="export all entities as JSON Lines, or the old frontend's snapshot")
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_export)
    from famact.app.legacy_commands import add_parsers as add_legacy_parsers

    add_legacy_parsers(sub, p, _positive_int)
    from famact.app.merge_commands import add_parsers as add_merge_parsers

    add_merge_parsers(sub)

    p = sub.add_parser("serve", help="the web app: search API, pages, calendars, submission form")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("admin", help="admin dashboard tools: hash-password")
    p.add_argument("action", choices=("hash-password",))
    p.set_defaults(func=cmd_admin)

    p = sub.add_parser("demo", help="end to end on the bundled demo site")
    p.add_argument("--no-llm", action="store_true")
    p.add_argument("--serve", action="store_true", help="keep the demo site running at the end")
    p.set_defaults(func=cmd_demo)
    return parser


def _known_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [CLIError, ValidationError]
    try:
        from famact.store.errors import StoreError

        errors.append(StoreError)
    except ImportError:
        pass
    try:
        from famact.urls import UnsafeURLError

        errors.append(UnsafeURLError)
    except ImportError:
        pass
    for module_name, error_name in (
        ("famact.app.local", "LocalServerError"),
        ("famact.scheduling.scrapyd", "ScrapydError"),
    ):
        module = sys.modules.get(module_name)
        if module is not None:
            errors.append(getattr(module, error_name))
    # Only when the command loaded them (importing the analyzer costs a second).
    analyze_module = sys.modules.get("analyzers.analyze")
    if analyze_module is not None:
        errors.append(analyze_module.AnalysisError)
    fetch_module = sys.modules.get("analyzers.jina")
    if fetch_module is not None:
        errors.append(fetch_module.FetchError)
    return tuple(errors)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from famact.app.local import load_local_env

        load_local_env()
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except KeyboardInterrupt:
        _err("famact: interrupted")
        return 130
    except ValidationError as exc:
        _err(f"famact: error: {validation_message(exc)}")
        return EXIT_USAGE
    except _known_errors() as exc:
        code = getattr(exc, "code", EXIT_FAILED)
        _err(f"famact: error: {exc}")
        return code if isinstance(code, int) else EXIT_FAILED
    except ValueError as exc:
        _err(f"famact: error: {exc}")
        return EXIT_USAGE
    except Exception as exc:  # a last line of defence: one line, not a traceback
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, (BotoCoreError, ClientError)):
            _err(f"famact: error: DynamoDB: {exc} (is `famact local up` running?)")
            return EXIT_FAILED
        raise


if __name__ == "__main__":
    raise SystemExit(main())
