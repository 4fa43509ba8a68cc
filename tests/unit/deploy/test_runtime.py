"""The deployed processes' own code: SSM parameters into the environment (moto), the
orchestrator pass as EMF metrics, the crawl node's refusal to run scrapyd without auth, and
the deploy settings' one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from famact.app.aws_env import PARAMETERS_VARIABLE, ParameterError, load_parameters, parse_mapping
from famact.app.cloudwatch import NAMESPACE, pass_metrics
from famact.app.local import LocalServerError
from famact.app.scrapyd_node import wait_and_deploy
from famact.scheduling.scrapyd import ScrapydClient
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "deploy"))

from famact_deploy.settings import DeploySettings, SettingsError  # noqa: E402


@pytest.fixture
def ssm(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    with mock_aws():
        client = boto3.client("ssm", region_name="us-west-2")
        client.put_parameter(Name="/famact/openai-api-key", Value="sk-test-1", Type="SecureString")
        client.put_parameter(Name="/famact/scrapyd-password", Value="pw", Type="SecureString")
        yield client


def test_parameters_are_decrypted_into_the_environment(ssm: Any) -> None:
    env = {
        PARAMETERS_VARIABLE: "OPENAI_API_KEY=/famact/openai-api-key,"
        " SCRAPYD_PASSWORD=/famact/scrapyd-password",
    }
    assert load_parameters(env, client=ssm) == ["OPENAI_API_KEY", "SCRAPYD_PASSWORD"]
    assert env["OPENAI_API_KEY"] == "sk-test-1" and env["SCRAPYD_PASSWORD"] == "pw"


def test_an_optional_parameter_may_be_missing_a_required_one_may_not(ssm: Any) -> None:
    env = {PARAMETERS_VARIABLE: "OPENAI_API_KEY=/famact/openai-api-key,JINA_API_KEY=/famact/jina-api-key?"}
    assert load_parameters(env, client=ssm) == ["OPENAI_API_KEY"]
    assert "JINA_API_KEY" not in env
    env = {PARAMETERS_VARIABLE: "JINA_API_KEY=/famact/jina-api-key"}
    with pytest.raises(ParameterError, match="/famact/jina-api-key"):
        load_parameters(env, client=ssm)
    assert "JINA_API_KEY" not in env


def test_a_variable_already_set_wins_and_nothing_mapped_asks_nothing(ssm: Any) -> None:
    env = {PARAMETERS_VARIABLE: "OPENAI_API_KEY=/famact/openai-api-key", "OPENAI_API_KEY": "local"}
    assert load_parameters(env, client=ssm) == []
    assert env["OPENAI_API_KEY"] == "local"
    assert load_parameters({}, client=object()) == []  # would fail on any call


@pytest.mark.parametrize("raw", ["OPENAI_API_KEY", "OPENAI_API_KEY=famact/x", "1X=/a", "=/a"])
def test_a_malformed_mapping_names_the_variable(raw: str) -> None:
    with pytest.raises(ParameterError, match=PARAMETERS_VARIABLE):
        parse_mapping(raw)


def test_the_launcher_execs_the_command_with_the_parameters_loaded(tmp_path: Path) -> None:
    """`python -m famact.app.aws_env CMD`: nothing mapped, so no AWS call; CMD runs."""
    env = {k: v for k, v in os.environ.items() if k != PARAMETERS_VARIABLE} | {"FAMACT_PROBE": "yes"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "famact.app.aws_env",
            sys.executable,
            "-c",
            "import os; print(os.environ['FAMACT_PROBE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "yes")
    bad = subprocess.run(
        [sys.executable, "-m", "famact.app.aws_env", "true"],
        env=env | {PARAMETERS_VARIABLE: "nonsense"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        f"famact: error: {PARAMETERS_VARIABLE}: 'nonsense' is not VARIABLE=/parameter/name"
    ]


def test_a_pass_becomes_one_emf_document() -> None:
    now = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    finished = {"a": "success", "b": "partial", "c": "failed", "d": "cancelled", "e": "success"}
    doc = pass_metrics(finished, started=3, errors=1, now=now)
    assert doc["_aws"] == {
        "Timestamp": 1796376600000,
        "CloudWatchMetrics": [
            {
                "Namespace": NAMESPACE,
                "Dimensions": [[]],
                "Metrics": [
                    {"Name": n, "Unit": "Count"}
                    for n in (
                        "ExecutionsStarted",
                        "ExecutionsFinished",
                        "ExecutionsSucceeded",
                        "ExecutionsFailed",
                        "OrchestratorErrors",
                    )
                ],
            }
        ],
    }
    values = {k: v for k, v in doc.items() if k != "_aws"}
    assert values == {
        "ExecutionsStarted": 3,
        "ExecutionsFinished": 5,
        "ExecutionsSucceeded": 2,
        "ExecutionsFailed": 2,
        "OrchestratorErrors": 1,
    }
    json.dumps(doc)  # one line of JSON


def test_the_node_refuses_to_run_scrapyd_without_auth() -> None:
    env = {"PATH": os.environ["PATH"], "SCRAPYD_USERNAME": "famact"}
    result = subprocess.run(
        ["sh", str(ROOT / "deploy" / "scrapyd" / "start.sh")],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "never runs without auth" in result.stderr


def test_the_node_config_binds_with_no_password_in_it() -> None:
    from configparser import ConfigParser

    config = ConfigParser()
    config.read(ROOT / "deploy" / "scrapyd" / "scrapyd.conf")
    section = config["scrapyd"]
    assert section["password"] == "" and section["username"] == ""
    assert section["jobstorage"] == "scrapyd.jobstorage.SqliteJobStorage"
    assert int(section["jobs_to_keep"]) >= 200 and section["logs_dir"].startswith("/var/lib/scrapyd")


def test_deploy_when_up_gives_up_with_one_line_when_scrapyd_never_answers(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    ticks = iter(range(0, 1000, 30))
    client = ScrapydClient([f"http://127.0.0.1:{port}/"], auth=("famact", "pw"), timeout_s=1)
    try:
        with pytest.raises(LocalServerError, match=rf"scrapyd at .*:{port}/ did not answer in 120 s"):
            wait_and_deploy(
                client, f"http://127.0.0.1:{port}/", tmp_path, sleep=lambda _: None, clock=lambda: next(ticks)
            )
    finally:
        client.close()


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("crawl_nodes", 0, "famact:crawlNodes"),
        ("crawl_node_instance_type", "t3.small", "famact:crawlNodeInstanceType"),
        ("crawl_window_hours", 1, "famact:crawlWindowHours"),
        ("alarm_email", "nobody", "famact:alarmEmail"),
        ("region", "oregon", "famact:region"),
    ],
)
def test_bad_deploy_settings_name_their_context_key(field: str, value: object, key: str) -> None:
    with pytest.raises(SettingsError, match=f"^{key}: "):
        DeploySettings(**{field: value})  # type: ignore[arg-type]
    DeploySettings(crawl_window_start_hour=20, crawl_window_hours=4)
    with pytest.raises(SettingsError, match="famact:crawlWindowHours"):
        DeploySettings(crawl_window_start_hour=22, crawl_window_hours=4)


def test_schedule_run_metrics_prints_one_emf_line_per_pass(dynalite_endpoint: str) -> None:
    """The orchestrator task's command, against dynalite, with nothing due and the only node
    down: the pass line, then the metrics line CloudWatch reads."""
    from tests.reliability.crawls import create_tables, store_env

    env = store_env(dynalite_endpoint, f"emf{os.getpid()}-") | {
        "FAMACT_SCRAPYD_NODES": f"http://127.0.0.1:{free_port()}/",
        "FAMACT_SCRAPYD_USERNAME": "famact",
        "FAMACT_SCRAPYD_PASSWORD": "pw",
    }
    create_tables(env)
    result = subprocess.run(
        [sys.executable, "-m", "famact.app.cli", "schedule", "run", "--once", "--metrics"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pass_line, metrics_line = result.stdout.strip().splitlines()[-2:]
    assert pass_line.startswith("pass: started 0")
    metrics = json.loads(metrics_line)
    assert metrics["_aws"]["CloudWatchMetrics"][0]["Namespace"] == NAMESPACE
    assert (metrics["ExecutionsFinished"], metrics["ExecutionsFailed"]) == (0, 0)
