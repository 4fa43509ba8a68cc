"""The crawl's extensions built from a crawler and driven by the signals a crawl sends, as
Scrapy's tests drive its own extensions; the URL guard middleware's wiring."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from famact.constants import TIMEZONE, EntityStatus, EntityType, ExecutionOutcome
from famact.keys import entity_pk
from famact.models import EntityBase, Execution, SourceConfig
from famact.settings import get_settings
from famact.store.activities import ActivityStore
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from famact_crawler.extensions.execution import ExecutionTracker, summarize
from famact_crawler.extensions.progress import ProgressReporter
from famact_crawler.extensions.vanished import VanishedListings
from famact_crawler.middlewares.urlguard import UnsafeRequestError, UrlGuardMiddleware
from famact_crawler.spiders.source import SourceSpider
from tests.unit.crawler.harness import BASE, crawler_with_spider, entity

# Scrapy's own extensions (LogStats, CoreStats...) stay out: they need a running reactor.
ONLY_OURS = {"EXTENSIONS_BASE": {}}
NO_STORE = {**ONLY_OURS, "FAMACT_STORE_ENABLED": False}
CONFIG = SourceConfig(source_id="src", source_name="Source", base_url=f"{BASE}/", version=3)


def close(crawler: Any, reason: str = "finished") -> None:
    crawler.signals.send_catch_log(signal=signals.spider_closed, spider=crawler.spider, reason=reason)


def open_(crawler: Any) -> None:
    crawler.signals.send_catch_log(signal=signals.spider_opened, spider=crawler.spider)


def set_stats(crawler: Any, **values: int) -> None:
    for key, value in values.items():
        crawler.stats.set_value(key.replace("__", "/"), value)


def scraped(crawler: Any, item: EntityBase) -> None:
    response = HtmlResponse(f"{BASE}/events/", body=b"<html></html>")
    crawler.signals.send_catch_log(
        signal=signals.item_scraped, item=item, response=response, spider=crawler.spider
    )


# -- ExecutionTracker ---------------------------------------------------------------------------


def test_the_tracker_can_be_turned_off() -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(ExecutionTracker, get_crawler(settings_dict={"FAMACT_TRACK_EXECUTIONS": False}))


def test_the_tracker_summarises_the_crawls_stats_and_errors_on_the_spider() -> None:
    crawler = crawler_with_spider(CONFIG, NO_STORE)
    tracker = build_from_crawler(ExecutionTracker, crawler)
    assert tracker.store is None
    spider = crawler.spider
    assert isinstance(spider, SourceSpider)
    open_(crawler)
    assert spider.execution_id.startswith("src-")
    assert spider.execution.config_version == 3
    assert spider.execution.outcome is ExecutionOutcome.RUNNING
    # A failed request reaches the tracker through the spider's crawl_error signal.
    spider._record_error("http_500", "HTTP 500", f"{BASE}/broken/")
    set_stats(
        crawler,
        response_received_count=10,
        famact__items__raw=4,
        famact__coverage__title=4,
        famact__coverage__date=3,
        famact__entities__EVENT=3,
        famact__entities__VENUE=1,
        famact__store__new=2,
        item_dropped_count=1,
    )
    close(crawler)
    execution = spider.execution
    assert isinstance(execution, Execution) and execution is tracker.execution
    assert execution.outcome is ExecutionOutcome.SUCCESS
    assert (execution.finish_reason, execution.pages_crawled, execution.items_scraped) == ("finished", 10, 4)
    assert execution.items_by_type == {"EVENT": 3, "VENUE": 1}
    assert (execution.new_count, execution.dropped_count, execution.error_count) == (2, 1, 1)
    assert execution.errors_by_kind == {"http_500": 1}
    assert execution.field_coverage == {"title": 1.0, "date": 0.75}
    assert [(e.n, e.kind, e.url) for e in tracker.errors] == [(1, "http_500", f"{BASE}/broken/")]


def test_a_shutdown_before_the_engine_runs_still_closes_the_execution() -> None:
    # SIGTERM between spider_opened and the engine's start stops the reactor without
    # spider_closed: the reactor's shutdown trigger closes the execution as "shutdown".
    crawler = crawler_with_spider(CONFIG, NO_STORE)
    tracker = build_from_crawler(ExecutionTracker, crawler)
    open_(crawler)
    assert tracker._shutdown_trigger is not None
    tracker.close_unfinished(crawler.spider)
    execution = crawler.spider.execution
    assert (execution.finish_reason, execution.outcome) == ("shutdown", ExecutionOutcome.FAILED)
    assert execution.finished_at is not None
    tracker.close_unfinished(crawler.spider, "finished")  # a second call changes nothing
    assert crawler.spider.execution.finish_reason == "shutdown"


def test_a_closed_execution_removes_its_shutdown_trigger() -> None:
    crawler = crawler_with_spider(CONFIG, NO_STORE)
    tracker = build_from_crawler(ExecutionTracker, crawler)
    open_(crawler)
    close(crawler)
    assert tracker._shutdown_trigger is None and crawler.spider.execution.finish_reason == "finished"


def test_a_pipeline_error_is_counted_and_kept_as_an_error_row() -> None:
    crawler = crawler_with_spider(CONFIG, NO_STORE)
    tracker = build_from_crawler(ExecutionTracker, crawler)
    open_(crawler)
    response = HtmlResponse(f"{BASE}/events/", body=b"<html></html>", request=Request(f"{BASE}/events/"))
    crawler.signals.send_catch_log(
        signal=signals.item_error,
        item={},
        response=response,
        spider=crawler.spider,
        failure=Failure(KeyError("venue")),
    )
    assert crawler.stats.get_value("famact/errors/pipeline") == 1
    assert [(e.kind, e.message, e.url) for e in tracker.errors] == [
        ("pipeline", "KeyError: 'venue'", f"{BASE}/events/")
    ]


def started() -> Execution:
    return Execution(execution_id="e", source_id="src", started_at=datetime(2026, 11, 24, 9, tzinfo=TIMEZONE))


@pytest.mark.parametrize(
    ("reason", "stats", "outcome"),
    [
        ("finished", {"response_received_count": 5, "famact/entities/EVENT": 2}, ExecutionOutcome.SUCCESS),
        # The page cap is a normal end of a big crawl.
        ("closespider_pagecount", {"response_received_count": 5, "famact/entities/EVENT": 2}, "success"),
        ("shutdown", {"response_received_count": 5, "famact/entities/EVENT": 2}, ExecutionOutcome.FAILED),
        ("finished", {"response_received_count": 0}, ExecutionOutcome.FAILED),
        ("finished", {"response_received_count": 5}, ExecutionOutcome.PARTIAL),
        (
            "finished",
            {"response_received_count": 5, "famact/entities/EVENT": 2, "famact/errors/total": 2},
            ExecutionOutcome.PARTIAL,
        ),
    ],
)
def test_the_outcome_of_a_crawl(reason: str, stats: dict[str, int], outcome: str) -> None:
    finished = datetime(2026, 11, 24, 9, 1, 30, tzinfo=TIMEZONE)
    execution = summarize(stats, started(), finished, reason)
    assert execution.outcome == ExecutionOutcome(outcome)
    assert execution.duration_s == 90.0


def test_the_tracker_writes_the_execution_its_errors_and_the_days_metrics(crawl_tables: Any) -> None:
    crawler = crawler_with_spider(CONFIG, ONLY_OURS)
    tracker = build_from_crawler(ExecutionTracker, crawler)
    assert tracker.store is not None
    open_(crawler)
    execution_id = crawler.spider.execution_id
    operations = OperationsStore(crawl_tables)
    running, _ = operations.get_execution(execution_id)
    assert running.outcome is ExecutionOutcome.RUNNING
    crawler.spider._record_error("http_404", "HTTP 404", f"{BASE}/gone/")
    set_stats(crawler, response_received_count=10, famact__entities__PROGRAM=2)
    close(crawler)
    stored, errors = operations.get_execution(execution_id)
    assert stored.outcome is ExecutionOutcome.SUCCESS and stored.items_by_type == {"PROGRAM": 2}
    assert [(e.kind, e.url) for e in errors] == [("http_404", f"{BASE}/gone/")]
    assert [e.execution_id for e in operations.list_executions("src")] == [execution_id]
    day = stored.started_at.date()
    (metrics,) = operations.get_metrics("src", day, day)
    assert (metrics.executions, metrics.successes, metrics.items_scraped) == (1, 1, 2)


# -- ProgressReporter ---------------------------------------------------------------------------


def test_progress_is_off_unless_asked_for() -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(ProgressReporter, get_crawler())


def test_progress_reports_pages_items_drops_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    crawler = get_crawler(settings_dict={"FAMACT_PROGRESS": True, "FAMACT_PROGRESS_INTERVAL": 0.5})
    reporter = build_from_crawler(ProgressReporter, crawler)
    assert reporter.interval == 0.5 and not reporter.tty  # pytest captures stderr
    set_stats(
        crawler,
        response_received_count=7,
        famact__entities__EVENT=2,
        famact__entities__VENUE=1,
        item_dropped_count=4,
        famact__errors__total=1,
    )
    assert reporter.line() == "pages 7, items 3, dropped 4, errors 1"
    for _ in range(19):
        reporter.report()
    # Not a terminal: one line every tenth tick, no carriage returns.
    assert capsys.readouterr().err == "  crawling: pages 7, items 3, dropped 4, errors 1\n"
    reporter.spider_closed(None, "finished")
    assert capsys.readouterr().err == "  crawled:  pages 7, items 3, dropped 4, errors 1   \n"


# -- VanishedListings ---------------------------------------------------------------------------


@pytest.mark.parametrize("settings", [NO_STORE, {"FAMACT_MARK_VANISHED": False}])
def test_vanished_listings_are_not_reconciled_without_a_store_or_when_off(settings: dict[str, bool]) -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(VanishedListings, get_crawler(settings_dict=settings))


def stored_listings(tables: Any) -> list[EntityBase]:
    listings = [
        entity(title="Family Science Night: Slime Lab", date="2026-12-11"),
        entity(title="Toddler Storytime", date="2026-12-02"),
        entity(title="Winter Lantern Walk", date="2026-12-19"),
    ]
    ActivityStore(tables).put_entities(listings)
    SourceStore(tables).link_entities("src", [entity_pk(e.entity_type, e.entity_id) for e in listings])
    return listings


def status(tables: Any, listing: EntityBase) -> EntityStatus:
    stored = ActivityStore(tables).get_entity(EntityType.EVENT, listing.entity_id)
    assert stored is not None
    return stored.to_model().status


def test_a_complete_crawl_marks_what_it_did_not_see_inactive_before_the_execution_is_summarised(
    crawl_tables: Any,
) -> None:
    slime, storytime, lanterns = stored_listings(crawl_tables)
    crawler = crawler_with_spider(CONFIG, ONLY_OURS)
    # Built in the order of EXTENSIONS: receivers of spider_closed run in connection order.
    # Held here: signal receivers are weak references (a crawl's ExtensionManager holds them).
    extensions = [
        build_from_crawler(VanishedListings, crawler),
        build_from_crawler(ExecutionTracker, crawler),
    ]
    open_(crawler)
    scraped(crawler, slime)
    scraped(crawler, storytime)
    set_stats(crawler, response_received_count=4, famact__entities__EVENT=2)
    close(crawler)
    assert crawler.stats.get_value("famact/store/inactive") == 1
    assert [status(crawl_tables, e) for e in (slime, storytime, lanterns)] == [
        EntityStatus.ACTIVE,
        EntityStatus.ACTIVE,
        EntityStatus.INACTIVE,
    ]
    assert crawler.spider.execution.inactive_count == 1
    assert crawler.stats.get_value("famact/vanished/refused") is None
    assert len(extensions) == 2


@pytest.mark.parametrize(
    ("reason", "stats", "why"),
    [
        ("shutdown", {"response_received_count": 4}, "ended early (shutdown)"),
        ("closespider_pagecount", {"response_received_count": 4}, "ended early"),
        ("finished", {"response_received_count": 4, "famact/store/failed_batches": 1}, "store writes failed"),
        ("finished", {"response_received_count": 4, "famact/errors/total": 1}, "failed requests"),
    ],
)
def test_an_incomplete_crawl_marks_nothing(
    crawl_tables: Any, reason: str, stats: dict[str, int], why: str
) -> None:
    listings = stored_listings(crawl_tables)
    crawler = crawler_with_spider(CONFIG, ONLY_OURS)
    ext = build_from_crawler(VanishedListings, crawler)
    scraped(crawler, listings[0])
    assert len(ext.seen) == 1
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    close(crawler, reason)
    assert why in crawler.stats.get_value("famact/vanished/refused")
    assert crawler.stats.get_value("famact/store/inactive") is None
    assert {status(crawl_tables, e) for e in listings} == {EntityStatus.ACTIVE}


def test_items_that_are_not_entities_do_not_count_as_seen(crawl_tables: Any) -> None:
    crawler = crawler_with_spider(CONFIG, ONLY_OURS)
    ext = build_from_crawler(VanishedListings, crawler)
    crawler.signals.send_catch_log(
        signal=signals.item_scraped, item={"title": "x"}, response=None, spider=crawler.spider
    )
    assert ext.seen == set()


# -- UrlGuardMiddleware -------------------------------------------------------------------------


@pytest.mark.parametrize(("allow", "refused"), [("", True), ("1", False)])
def test_the_url_guard_takes_the_private_address_exception_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, allow: str, refused: bool
) -> None:
    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", allow or "0")
    get_settings.cache_clear()
    try:
        crawler = get_crawler()
        guard = build_from_crawler(UrlGuardMiddleware, crawler)
    finally:
        get_settings.cache_clear()
    assert guard.allow_private is not refused
    request = Request("http://127.0.0.1:8777/")
    if refused:
        with pytest.raises(UnsafeRequestError):
            guard.process_request(request)
        assert crawler.stats.get_value("famact/url_guard/refused") == 1
    else:
        assert guard.process_request(request) is None
        assert crawler.stats.get_value("famact/url_guard/refused") is None
    with pytest.raises(UnsafeRequestError):  # metadata addresses stay refused either way
        guard.process_request(Request("http://169.254.169.254/latest/meta-data/"))


def test_the_url_guard_is_installed_ahead_of_the_downloaders_own_middlewares() -> None:
    from scrapy.settings import default_settings

    from famact_crawler import settings

    guard = settings.DOWNLOADER_MIDDLEWARES["famact_crawler.middlewares.urlguard.UrlGuardMiddleware"]
    robots = default_settings.DOWNLOADER_MIDDLEWARES_BASE[
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"
    ]
    assert guard < robots
    assert settings.TWISTED_DNS_RESOLVER == "famact_crawler.middlewares.urlguard.GuardedResolver"


def test_the_execution_records_the_capacity_units_its_crawl_consumed(crawl_tables: Any) -> None:
    """The units DynamoDB reported between spider open and close (the tracker's opening
    write included), and none from before the crawl opened: what `famact cost` prices."""
    from famact.store.capacity import CONSUMED

    crawl_tables.activities.put_item(Item={"PK": "before", "SK": "METADATA"})  # not this crawl's
    crawler = crawler_with_spider(CONFIG, ONLY_OURS)
    tracker = build_from_crawler(ExecutionTracker, crawler)  # signals hold it weakly
    assert tracker.store is not None
    before = CONSUMED.total()
    open_(crawler)
    for n in range(3):
        crawl_tables.activities.put_item(Item={"PK": f"EVENT#e{n}", "SK": "METADATA", "text": "x" * 1500})
    crawl_tables.activities.get_item(Key={"PK": "EVENT#e0", "SK": "METADATA"})
    set_stats(crawler, response_received_count=1, famact__entities__EVENT=3)
    used = CONSUMED.total() - before  # the row's own final update comes after its summary
    close(crawler)
    stored, _ = OperationsStore(crawl_tables).get_execution(crawler.spider.execution_id)
    assert stored.write_units >= 4  # the three entities and the execution row itself
    assert stored.read_units > 0
    assert (stored.read_units, stored.write_units) == (round(used.read, 1), round(used.write, 1))
