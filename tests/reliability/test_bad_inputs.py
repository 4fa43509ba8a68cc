"""Bad input to the `famact` command: each answered with exactly one line naming the field,
a non-zero exit, and nothing stored changed (the real command, on the test dynalite)."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

from famact.settings import Settings
from famact.store.dynamo import connect, create_tables
from tests.reliability.conftest import BadInputRecord
from tests.reliability.crawls import store_env
from tests.support.analyze_crawl import famact_cli

pytestmark = pytest.mark.integration

GOOD_CONFIG = {
    "source_id": "bad-input",
    "source_name": "Bad input",
    "base_url": "https://example.org/",
    "target_urls": ["https://example.org/events/"],
    "listing": {"item": ".card", "fields": {"title": "h3"}},
}


def _famact(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return famact_cli(env, *args, timeout_s=120)


def _answer(proc: subprocess.CompletedProcess[str], record: BadInputRecord, field: str) -> str:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    record.answer = lines[0] if len(lines) == 1 else proc.stderr[-500:]
    record.clear = (
        proc.returncode != 0 and len(lines) == 1 and "Traceback" not in proc.stderr and field in lines[0]
    )
    assert record.clear, (proc.returncode, proc.stderr)
    return lines[0]


@pytest.fixture
def env(dynalite_endpoint: str) -> dict[str, str]:
    prefix = f"bad{uuid.uuid4().hex[:8]}-"
    tables = connect(
        Settings(table_prefix=prefix, dynamodb_endpoint=dynalite_endpoint, aws_region="us-west-2")
    )
    create_tables(tables.client, prefix)
    out = store_env(dynalite_endpoint, prefix)
    out.pop("FAMACT_ALLOW_PRIVATE_URLS")  # private URLs must be refused here
    return out


def _stored_rows(env: dict[str, str]) -> list[dict[str, object]]:
    tables = connect(
        Settings(
            table_prefix=env["FAMACT_TABLE_PREFIX"],
            dynamodb_endpoint=env["AWS_ENDPOINT_URL_DYNAMODB"],
            aws_region="us-west-2",
        )
    )
    return [row for table in (tables.sources, tables.activities) for row in table.scan()["Items"]]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{not json", "config"),
        (json.dumps({**GOOD_CONFIG, "target_urls": "https://example.org/"}), "target_urls"),
        (json.dumps({**GOOD_CONFIG, "max_pagez": 3}), "max_pagez"),
    ],
    ids=["not-json", "wrong-type", "unknown-field"],
)
def test_a_broken_config_file_is_refused_in_one_line(
    text: str, field: str, env: dict[str, str], tmp_path: Path, bad_input: BadInputRecord
) -> None:
    path = tmp_path / "config.json"
    path.write_text(text, encoding="utf-8")
    bad_input.tried = f"famact crawl --config FILE --no-store --output OUT, FILE = {text[:80]!r}"
    output = str(tmp_path / "items.jsonl")
    _answer(_famact(env, "crawl", "--config", str(path), "--no-store", "--output", output), bad_input, field)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("not a url", "not a url"),
        ("ftp://example.org/events", "ftp"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://10.0.0.8/events", "10.0.0.8"),
    ],
    ids=["bad-url", "not-http", "metadata", "private"],
)
def test_an_invalid_submission_is_refused_and_stores_nothing(
    url: str, field: str, env: dict[str, str], bad_input: BadInputRecord
) -> None:
    bad_input.tried = f"famact sources submit --name Test --url {url!r}"
    before = _stored_rows(env)
    _answer(_famact(env, "sources", "submit", "--name", "Test", "--url", url), bad_input, field)
    assert _stored_rows(env) == before


def test_a_bad_priority_is_refused_and_stores_nothing(env: dict[str, str], bad_input: BadInputRecord) -> None:
    bad_input.tried = "famact sources submit --name Test --url https://example.org/ --priority urgent"
    before = _stored_rows(env)
    proc = _famact(
        env, "sources", "submit", "--name", "Test", "--url", "https://example.org/", "--priority", "urgent"
    )
    line = _answer(proc, bad_input, "--priority")
    assert proc.returncode == 2
    assert line == "famact: error: --priority must be one of high, medium, low (got 'urgent')"
    assert _stored_rows(env) == before


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("sources", "submit", "--name", "Test"), "--url"),
        (("search", "--limit", "many"), "--limit"),
        (("crawl", "--log-level", "LOUD"), "--log-level"),
        (("sources", "launch", "x"), "launch"),
    ],
    ids=["missing-required", "wrong-type", "bad-choice", "unknown-action"],
)
def test_every_argument_error_is_one_line_and_exit_2(
    args: tuple[str, ...], field: str, env: dict[str, str], bad_input: BadInputRecord
) -> None:
    """argparse's usage block is not printed: the one line names the argument."""
    bad_input.tried = "famact " + " ".join(args)
    proc = _famact(env, *args)
    line = _answer(proc, bad_input, field)
    assert proc.returncode == 2 and line.startswith("famact: error:") and "usage:" not in proc.stderr


@pytest.mark.parametrize("url", ["not-a-url", "http://127.0.0.1:9/"], ids=["not-a-url", "loopback"])
def test_analyze_of_a_bad_url_is_one_line(url: str, env: dict[str, str], bad_input: BadInputRecord) -> None:
    bad_input.tried = f"famact analyze {url} --no-llm"
    line = _answer(_famact(env, "analyze", url, "--no-llm"), bad_input, url)
    assert line.startswith("famact: error:")
