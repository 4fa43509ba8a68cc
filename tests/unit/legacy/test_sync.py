"""Publishing, importing and comparing the old snapshot on moto S3 and moto DynamoDB."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from famact.app.cli import main
from famact.legacy.compare import compare
from famact.legacy.importer import import_snapshot
from famact.legacy.objects import BACKUP_CACHE_CONTROL, LATEST_CACHE_CONTROL, read_snapshot
from famact.legacy.publish import publish, publish_after_crawls
from famact.legacy.snapshot import LegacySnapshot
from famact.legacy.to_entity import LEGACY_SOURCE_ID
from famact.models import Occurrence
from famact.store.activities import ActivityStore
from famact.store.dynamo import Tables
from tests.unit.store import factories as f

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "legacy" / "latest.json"
BUCKET = "famact-legacy-test"
LATEST = f"s3://{BUCKET}/activities/latest.json"
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
WRITES = frozenset({"BatchWriteItem", "PutItem", "UpdateItem", "DeleteItem"})


@pytest.fixture(params=["moto", "dynalite"])
def aws(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Tables, Any, Counter[str]]]:
    """Tables on moto or on a real dynalite (prefix and endpoint in the environment, so the
    CLI finds them), a moto S3 bucket, and a counter of DynamoDB calls by operation."""
    from moto import mock_aws

    from famact.settings import Settings, get_settings
    from famact.store.dynamo import connect, create_tables

    endpoint = request.getfixturevalue("dynalite_endpoint") if request.param == "dynalite" else None
    prefix = f"t{uuid.uuid4().hex[:10]}-"
    for name in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    monkeypatch.setenv("FAMACT_TABLE_PREFIX", prefix)
    monkeypatch.setenv("FAMACT_TODAY", TODAY.isoformat())
    if endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
    get_settings.cache_clear()
    with mock_aws():  # S3 always; DynamoDB requests to a dynalite endpoint pass through
        tables = connect(Settings(table_prefix=prefix, dynamodb_endpoint=endpoint, aws_region="us-west-2"))
        create_tables(tables.client, prefix)
        s3 = boto3.client("s3", region_name="us-west-2")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        calls: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            calls[model.name] += 1

        for client in {id(c): c for c in (tables.client, tables.activities.meta.client)}.values():
            client.meta.events.register("before-call.dynamodb", count)
        yield tables, s3, calls
    get_settings.cache_clear()


def fixture_snapshot() -> LegacySnapshot:
    return LegacySnapshot.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


def by_id(snapshot: LegacySnapshot) -> dict[str, dict[str, Any]]:
    return {a.id: a.model_dump(mode="json", exclude_none=True) for a in snapshot.activities}


def test_round_trip_import_then_export_gives_the_same_activities(aws: Any) -> None:
    tables, s3, calls = aws
    s3.put_object(Bucket=BUCKET, Key="old/latest.json", Body=FIXTURE.read_bytes())
    result = import_snapshot(tables, read_snapshot(f"s3://{BUCKET}/old/latest.json"), now=NOW)
    assert len(result.new) == 6 and result.adopted == []
    calls.clear()
    published = publish(tables, LATEST, today=TODAY, now=NOW)
    assert calls["Scan"] == 0 and calls["Query"] > 0  # GSI queries, never a Scan
    exported = read_snapshot(LATEST)
    assert by_id(exported) == by_id(fixture_snapshot())
    assert exported.metadata.totalActivities == 6 == published.activities
    latest = s3.head_object(Bucket=BUCKET, Key="activities/latest.json")
    backup_key = "activities/backups/latest-20261130T150000Z.json"
    backup = s3.head_object(Bucket=BUCKET, Key=backup_key)
    assert latest["CacheControl"] == LATEST_CACHE_CONTROL and backup["CacheControl"] == BACKUP_CACHE_CONTROL
    assert latest["ContentType"].startswith("application/json")
    assert s3.get_object(Bucket=BUCKET, Key=backup_key)["Body"].read() == (
        s3.get_object(Bucket=BUCKET, Key="activities/latest.json")["Body"].read()
    )


def test_reimport_writes_nothing_new(aws: Any) -> None:
    tables, _, calls = aws
    import_snapshot(tables, fixture_snapshot(), now=NOW)
    calls.clear()
    again = import_snapshot(tables, fixture_snapshot(), now=NOW)
    assert (again.new, again.updated, again.alias_rows_written) == ([], [], 0)
    assert len(again.unchanged) == 6
    assert sum(calls[op] for op in WRITES) == 0, calls


def test_an_activity_changed_in_the_old_system_is_updated_in_place(aws: Any) -> None:
    tables, _, _ = aws
    first = import_snapshot(tables, fixture_snapshot(), now=NOW)
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["activities"][2]["title"] = "The Nutcracker (Sensory-Friendly)"
    changed = import_snapshot(tables, LegacySnapshot.model_validate(data), now=NOW)
    assert changed.new == [] and len(changed.updated) == 1
    assert changed.updated[0] in first.new  # the alias kept the id although the title moved
    assert changed.alias_rows_written == 1  # the kept original record, not a second alias


def test_an_invalid_snapshot_is_refused_naming_the_field_and_nothing_is_written(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables, _, calls = aws
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["activities"][3]["schedule"]["startDate"] = "next monday"
    bad = tmp_path / "latest.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    calls.clear()
    assert main(["import", "--legacy", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "activities.3.schedule.startDate" in err, err
    assert sum(calls[op] for op in WRITES) == 0
    data["activities"][3]["schedule"]["startDate"] = "2027-01-04"
    data["activities"][1]["status"] = "postponed-forever"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", "--legacy", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "activities.1.status" in err, err
    assert sum(calls[op] for op in WRITES) == 0
    assert ActivityStore(tables).geo_partitions() == []


def test_cli_import_and_export(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _, s3, _ = aws
    assert main(["import", "--legacy", str(FIXTURE)]) == 0
    assert "6 new" in capsys.readouterr().out
    assert main(["export", "--legacy-s3", LATEST]) == 0
    assert "published 6 activities" in capsys.readouterr().err
    assert (
        len(
            json.loads(s3.get_object(Bucket=BUCKET, Key="activities/latest.json")["Body"].read())[
                "activities"
            ]
        )
        == 6
    )
    assert main(["compare", "--legacy", LATEST, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"both": 6, "only_legacy": 0, "only_famact": 0}
    assert main(["export", "--legacy-s3", "https://example.org/latest.json"]) == 2
    assert "s3_url" in capsys.readouterr().err
    assert main(["export"]) == 2


def test_famact_changes_win_and_its_own_entities_are_published_with_famact_ids(aws: Any) -> None:
    tables, _, _ = aws
    import_snapshot(tables, fixture_snapshot(), now=NOW)
    store = ActivityStore(tables)
    camp_pk = next(
        pk for pk in import_snapshot(tables, fixture_snapshot(), now=NOW).unchanged if "science-camp" in pk
    )
    stored = store.get_entity(*camp_pk.split("#", 1))
    assert stored is not None
    camp = stored.to_model()
    store.put_entities(
        [
            camp.model_copy(
                update={
                    "schedule": camp.schedule.model_copy(update={"start_time": "08:30"}),
                    "content_hash": None,
                }
            )
        ],
        now=NOW,
    )
    crawled = f.event("family-bingo", days=[date(2026, 12, 5)], url="https://example.org/bingo")
    store.put_entities([crawled], now=NOW)
    publish(tables, LATEST, today=TODAY, now=NOW)
    activities = by_id(read_snapshot(LATEST))
    assert activities["act-0002"]["schedule"]["startTime"] == "08:30"
    assert activities["act-0002"]["tags"] == ["stem", "camp"]
    assert activities["famact-event-family-bingo"]["title"] == "Family Bingo"
    # Importing famact's own publication back aliases its entity and never overwrites it.
    result = import_snapshot(tables, read_snapshot(LATEST), now=NOW)
    assert result.adopted == ["EVENT#family-bingo"] and result.new == []
    assert store.get_entities(["EVENT#family-bingo"])["EVENT#family-bingo"]["source_id"] == f.SOURCE


def test_compare_lists_what_each_side_lacks(aws: Any) -> None:
    tables, _, _ = aws
    import_snapshot(tables, fixture_snapshot(), now=NOW)
    store = ActivityStore(tables)
    store.put_entities(
        [
            f.event("only-in-famact", days=[date(2026, 12, 3)]),
            # Crawled by famact, and also in the old snapshot under the old system's id:
            f.event("holiday-market", name="Holiday Market!", days=[date(2026, 12, 6)]),
        ],
        now=NOW,
    )
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    extra = {**data["activities"][2], "id": "old-9", "title": "Holiday market"}
    extra["schedule"] = {"type": "one-time", "startDate": "2026-12-06"}
    missing = {**data["activities"][2], "id": "old-10", "title": "Only in the old system"}
    data["activities"] += [extra, missing]
    data["metadata"]["totalActivities"] = len(data["activities"])
    report = compare(tables, LegacySnapshot.model_validate(data), today=TODAY).as_dict()
    assert report["summary"] == {"both": 7, "only_legacy": 1, "only_famact": 1}
    assert [r["id"] for r in report["only_legacy"]] == ["old-10"]
    assert [r["entity"] for r in report["only_famact"]] == ["EVENT#only-in-famact"]
    how = {r["id"]: r["matched_by"] for r in report["both"]}
    assert how["old-9"] == "title and date" and how["act-0001"] == "alias"


def test_the_scheduler_step_publishes_only_after_finished_crawls(aws: Any) -> None:
    tables, s3, _ = aws
    ActivityStore(tables).put_entities([f.event("story", days=[date(2026, 12, 1)])], now=NOW)
    skipped = publish_after_crawls(tables, LATEST, {"spl": "failed"}, now=NOW)
    assert skipped.published is None
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    done = publish_after_crawls(tables, LATEST, {"spl": "success", "zoo": "failed"}, now=NOW)
    assert done.published is not None and done.published.activities == 1
    assert "spl" in done.reason


def test_imported_entities_are_stored_under_the_legacy_source(aws: Any) -> None:
    tables, _, _ = aws
    result = import_snapshot(tables, fixture_snapshot(), now=NOW)
    rows = ActivityStore(tables).get_entities(result.new)
    assert {r["source_id"] for r in rows.values()} == {LEGACY_SOURCE_ID}
    story = next(r for r in rows.values() if r["name"] == "Toddler Story Time")
    assert story["first_seen"].startswith("2026-10-01")
    assert [
        o.date
        for o in ActivityStore(tables).get_entity("EVENT", story["entity_id"]).to_model().schedule.occurrences
    ] == [  # type: ignore[union-attr]
        Occurrence(date=date(2026, 12, d)).date for d in (1, 8, 15)
    ]


def test_one_place_listed_twice_is_one_venue_and_reimporting_still_writes_nothing(aws: Any) -> None:
    tables, _, calls = aws
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["activities"].append({**data["activities"][5], "id": "act-0006-dup"})
    data["metadata"]["totalActivities"] = 7
    twice = LegacySnapshot.model_validate(data)
    first = import_snapshot(tables, twice, now=NOW)
    assert len(first.new) == 6  # the park is one VENUE entity
    calls.clear()
    again = import_snapshot(tables, twice, now=NOW)
    assert again.writes == 0 and sum(calls[op] for op in WRITES) == 0
    exported = publish(tables, LATEST, today=TODAY, now=NOW)
    assert exported.activities == 6
    report = compare(tables, twice, today=TODAY).as_dict()
    assert report["summary"] == {"both": 7, "only_legacy": 0, "only_famact": 0}
