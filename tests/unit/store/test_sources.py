"""SourceStore on moto and dynalite: URL claims, conditional transitions, config versions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from famact import keys
from famact.constants import AnalysisMethod, Priority, SourceStatus
from famact.models import SourceAnalysis, SourceConfig, SourceSubmission
from famact.store.errors import ConflictError, NotFound, ValidationError
from famact.store.sources import SourceStore, canonical_base_url

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(store_tables: Any) -> SourceStore:
    return SourceStore(store_tables, clock=lambda: NOW)


def submission(source_id: str, url: str, priority: Priority = Priority.MEDIUM) -> SourceSubmission:
    return SourceSubmission(
        source_id=source_id,
        source_name=source_id.title(),
        base_url=url,
        priority=priority,
        submitted_at=NOW,
    )


def config(source_id: str, **extra: Any) -> SourceConfig:
    return SourceConfig(
        source_id=source_id,
        source_name="Events",
        base_url="https://example.org/events",
        content_selectors={"container": ".event", "title": "h2"},
        **extra,
    )


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.ORG:443/Events/?b=2&a=1#top", "https://example.org/Events?a=1&b=2"),
        ("http://example.org:80/", "http://example.org"),
        ("http://example.org:8080/x/", "http://example.org:8080/x"),
        ("https://user:pw@example.org/a", "https://example.org/a"),
        ("https://example.org./a", "https://example.org/a"),
        ("  https://example.org/a b ", "https://example.org/a%20b"),
        ("https://[2001:db8::1]:443/", "https://[2001:db8::1]"),
    ],
)
def test_canonical_base_url(url: str, canonical: str) -> None:
    assert canonical_base_url(url) == canonical


@pytest.mark.parametrize("bad", ["ftp://example.org/", "example.org/events", "https://example.org:99999/"])
def test_canonical_base_url_refuses_non_http(bad: str) -> None:
    with pytest.raises(ValidationError, match="base_url"):
        canonical_base_url(bad)


def test_submit_and_get(store: SourceStore) -> None:
    sub = submission("kids-events", "https://example.org/events")
    assert store.submit(sub) == sub
    assert store.get("kids-events") == sub
    assert store.get("nope") is None
    row = store.table.get_item(Key={"PK": "SOURCE#kids-events", "SK": "SUBMISSION"})["Item"]
    assert (row["GSI1PK"], row["GSI1SK"]) == ("STATUS#pending_analysis", "PRIORITY#2-medium#kids-events")
    claim = store.table.get_item(
        Key={"PK": keys.base_url_claim_pk("https://example.org/events"), "SK": keys.BASE_URL_CLAIM_SK}
    )["Item"]
    assert claim["source_id"] == "kids-events"


def test_duplicate_url_in_another_form_names_the_other_source(store: SourceStore) -> None:
    store.submit(submission("first", "https://example.org/events"))
    with pytest.raises(ConflictError, match="'first'") as caught:
        store.submit(submission("second", "HTTPS://EXAMPLE.org:443/events/#calendar"))
    assert caught.value.actual == "first"
    assert store.get("second") is None


def test_duplicate_source_id_releases_the_new_url_claim(store: SourceStore) -> None:
    store.submit(submission("dup", "https://a.example/"))
    with pytest.raises(ConflictError, match="source_id 'dup' already exists"):
        store.submit(submission("dup", "https://b.example/"))
    # b.example was released: another source may take it.
    store.submit(submission("other", "https://b.example/"))
    # A retried submit of the same source and URL must not release its own claim.
    with pytest.raises(ConflictError):
        store.submit(submission("dup", "https://a.example/"))
    with pytest.raises(ConflictError, match="'dup'"):
        store.submit(submission("third", "https://a.example"))


def test_transition_moves_status_and_index_key(store: SourceStore) -> None:
    store.submit(submission("s1", "https://s1.example/"))
    moved = store.transition("s1", SourceStatus.ANALYZING, expected=SourceStatus.PENDING_ANALYSIS)
    assert moved.status is SourceStatus.ANALYZING and moved.updated_at == NOW
    assert [i["source_id"] for i in store.list_by_status(SourceStatus.ANALYZING).items] == ["s1"]
    assert store.list_by_status(SourceStatus.PENDING_ANALYSIS).items == []
    failed = store.transition("s1", SourceStatus.FAILED, expected=[SourceStatus.ANALYZING], reason="timeout")
    assert failed.status_reason == "timeout"
    again = store.transition(
        "s1", SourceStatus.ANALYZING, expected={SourceStatus.FAILED, SourceStatus.REJECTED}
    )
    assert again.status_reason is None  # a new move clears the old reason


def test_transition_refuses_an_unexpected_previous_status(store: SourceStore) -> None:
    store.submit(submission("s2", "https://s2.example/"))
    store.transition("s2", SourceStatus.ANALYZING, expected=SourceStatus.PENDING_ANALYSIS)
    with pytest.raises(ConflictError, match="is analyzing, not pending_analysis") as caught:
        store.transition("s2", SourceStatus.ANALYZING, expected=SourceStatus.PENDING_ANALYSIS)
    assert caught.value.actual is SourceStatus.ANALYZING
    current = store.get("s2")
    assert current is not None and current.status is SourceStatus.ANALYZING


def test_transition_refuses_moves_outside_the_lifecycle(store: SourceStore) -> None:
    store.submit(submission("s3", "https://s3.example/"))
    with pytest.raises(ValidationError, match="cannot move from pending_analysis to active"):
        store.transition("s3", SourceStatus.ACTIVE, expected=SourceStatus.PENDING_ANALYSIS)
    with pytest.raises(NotFound, match="ghost"):
        store.transition("ghost", SourceStatus.ANALYZING, expected=SourceStatus.PENDING_ANALYSIS)
    with pytest.raises(ValidationError, match="expected"):
        store.transition("s3", SourceStatus.ANALYZING, expected=[])


def test_list_by_status_high_priority_first_with_pages(store: SourceStore) -> None:
    for n, priority in enumerate([Priority.LOW, Priority.HIGH, Priority.MEDIUM, Priority.HIGH]):
        store.submit(submission(f"p{n}", f"https://p{n}.example/", priority))
    first = store.list_by_status(SourceStatus.PENDING_ANALYSIS, limit=3)
    assert [i["source_id"] for i in first.items] == ["p1", "p3", "p2"]
    assert first.cursor
    rest = store.list_by_status(SourceStatus.PENDING_ANALYSIS, limit=3, cursor=first.cursor)
    assert [i["source_id"] for i in rest.items] == ["p0"] and rest.cursor is None
    store.set_priority("p0", Priority.HIGH)
    ranked = store.list_by_status(SourceStatus.PENDING_ANALYSIS).items
    assert [i["source_id"] for i in ranked] == ["p0", "p1", "p3", "p2"]
    with pytest.raises(NotFound):
        store.set_priority("ghost", Priority.LOW)


def test_analysis_round_trip(store: SourceStore) -> None:
    analysis = SourceAnalysis(
        source_id="a1",
        analyzed_at=NOW,
        method=AnalysisMethod.HEURISTICS,
        field_completeness={"title": 1.0, "date": 0.75},
        quality_score=0.8125,
        sample_items=[{"title": "Story time", "price": 0.1}],
        proposed_config=config("a1"),
    )
    with pytest.raises(NotFound):
        store.put_analysis(analysis)
    store.submit(submission("a1", "https://a1.example/"))
    store.put_analysis(analysis)
    assert store.get_analysis("a1") == analysis
    assert store.get_analysis("a2") is None


def test_config_versions_increase(store: SourceStore) -> None:
    store.submit(submission("c1", "https://c1.example/"))
    assert store.get_config("c1") is None and store.config_versions("c1") == []
    v1 = store.put_config(config("c1"), approved_by="ana")
    v2 = store.put_config(config("c1", render="browser"))
    v3 = store.put_config(config("c1", version=40))  # the given version is not trusted
    assert (v1.version, v2.version, v3.version) == (1, 2, 3)
    assert store.config_versions("c1") == [1, 2, 3]
    current = store.get_config("c1")
    assert current is not None and current.version == 3 and current.updated_at == NOW
    first = store.get_config("c1", version=1)
    assert first is not None and first.approved_by == "ana" and first.render.value == "http"
    second = store.get_config("c1", version=2)
    assert second is not None and second.render.value == "browser"
    assert store.get_config("c1", version=9) is None
    with pytest.raises(NotFound):
        store.put_config(config("nobody"))


def test_two_approvers_cannot_both_write_the_next_version(store: SourceStore) -> None:
    store.submit(submission("c2", "https://c2.example/"))
    store.put_config(config("c2"))
    # Another approver read version 1 too and wrote version 2's history row first.
    store.table.put_item(Item={"PK": "SOURCE#c2", "SK": keys.config_version_sk(2), "version": 2})
    with pytest.raises(ConflictError, match="version 2"):
        store.put_config(config("c2"))
    current = store.get_config("c2")
    assert current is not None and current.version == 1


def test_entity_links_are_written_once(store: SourceStore) -> None:
    assert store.link_entities("l1", ["EVENT#a", "VENUE#b"]) == 2
    assert store.link_entities("l1", ["EVENT#a", "VENUE#b", "EVENT#c"]) == 1
    assert store.linked_entities("l1") == {"EVENT#a", "VENUE#b", "EVENT#c"}
    assert store.linked_entities("l2") == set()
    row = store.table.get_item(Key={"PK": "SOURCE#l1", "SK": "ENTITY#EVENT#a"})["Item"]
    assert row["entity_pk"] == "EVENT#a"
