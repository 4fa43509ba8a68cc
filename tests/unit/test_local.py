"""LocalDynamo: the real dynalite from the project's node_modules, in a temp home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from famact.app.local import LocalDynamo, LocalServerError, find_project_root, load_local_env
from tests.conftest import DYNALITE_BIN, PROJECT_ROOT, free_port

pytestmark = pytest.mark.skipif(not DYNALITE_BIN.exists(), reason="node_modules missing: make setup")

ENV_NAMES = ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from famact.settings import get_settings

    for name in (*ENV_NAMES, "AWS_PROFILE", "FAMACT_HOME"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def local(tmp_path: Path, clean_env: None) -> Iterator[LocalDynamo]:
    server = LocalDynamo(tmp_path / "home", port=free_port(), root=PROJECT_ROOT)
    try:
        yield server
    finally:
        server.down()


def _client(endpoint: str) -> object:
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-west-2",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )


def test_up_status_down_and_data_persists(local: LocalDynamo) -> None:
    assert local.status()["running"] is False
    endpoint = local.up()
    assert endpoint == f"http://127.0.0.1:{local.port}"
    status = local.status()
    assert status["running"] is True and isinstance(status["pid"], int)
    assert local.up() == endpoint  # idempotent: same server
    assert local.status()["pid"] == status["pid"]
    client = _client(endpoint)
    client.create_table(  # type: ignore[attr-defined]
        TableName="persisted",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
    )
    assert local.down() is True
    assert local.status()["running"] is False and not local.pid_file.exists()
    assert local.down() is False
    # Restart on a fresh port: the freed one may already serve another test's server on this
    # shared machine, and what must persist is the data directory, not the port.
    local.port = free_port()
    local.up()
    assert "persisted" in _client(local.endpoint).list_tables()["TableNames"]  # type: ignore[attr-defined]
    assert (local.home / "dynalite").is_dir() and local.log_file.exists()


def test_env_file_and_load_local_env(local: LocalDynamo, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_local_env(local.home, root=PROJECT_ROOT) is False  # not running yet
    assert "AWS_ENDPOINT_URL_DYNAMODB" not in os.environ
    local.up()
    lines = local.env_file.read_text().splitlines()
    assert f"AWS_ENDPOINT_URL_DYNAMODB={local.endpoint}" in lines
    assert "AWS_ACCESS_KEY_ID=famact-local" in lines and "AWS_DEFAULT_REGION=us-west-2" in lines
    assert load_local_env(local.home, root=PROJECT_ROOT) is True
    assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == local.endpoint
    assert os.environ["AWS_ACCESS_KEY_ID"] == "famact-local"
    from famact.settings import get_settings

    assert get_settings().dynamodb_endpoint == local.endpoint
    # An endpoint already set wins: nothing is changed.
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1")
    assert load_local_env(local.home, root=PROJECT_ROOT) is False
    assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == "http://127.0.0.1:1"


def test_real_credentials_are_not_overwritten(local: LocalDynamo, monkeypatch: pytest.MonkeyPatch) -> None:
    local.up()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    assert load_local_env(local.home, root=PROJECT_ROOT)
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREAL"
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == "real-secret"


def test_stale_pid_file_is_not_running(local: LocalDynamo) -> None:
    local.home.mkdir(parents=True)
    local.pid_file.write_text('{"pid": 999999999, "port": 1}')
    assert local.status()["running"] is False
    assert not local.pid_file.exists()
    local.pid_file.write_text("garbage")
    assert local.status()["running"] is False


def test_missing_node_modules_says_run_make_setup(tmp_path: Path, clean_env: None) -> None:
    (tmp_path / "package.json").write_text("{}")
    server = LocalDynamo(tmp_path / "home", port=free_port(), root=tmp_path)
    with pytest.raises(LocalServerError, match=r"run `make setup` \(npm ci\)"):
        server.up()


def test_port_in_use_is_a_clear_error(local: LocalDynamo, tmp_path: Path) -> None:
    endpoint = local.up()
    other = LocalDynamo(tmp_path / "other", port=local.port, root=PROJECT_ROOT)
    with pytest.raises(LocalServerError, match=f"port {local.port}"):
        other.up()
    assert local.status()["endpoint"] == endpoint


def test_relative_home_is_under_the_project_root(tmp_path: Path, clean_env: None) -> None:
    (tmp_path / "package.json").write_text("{}")
    assert LocalDynamo(Path(".famact"), root=tmp_path).home == tmp_path / ".famact"


def test_find_project_root(tmp_path: Path) -> None:
    assert find_project_root() == PROJECT_ROOT  # from the package location
    (tmp_path / "package.json").write_text("{}")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_project_root(nested) == tmp_path
    with pytest.raises(LocalServerError, match=r"package\.json"):
        find_project_root(Path("/proc/self"))
