"""Shared pytest fixtures.

DynamoDB backends (store and search tests): `store_tables` runs each test twice, on moto
(`mock_aws`) and on a real dynalite server on 127.0.0.1, because the two disagree in places
(moto is stricter about some requests, dynalite lacks TTL) and the code must work on both.
One dynalite process per test session (per xdist worker), each test gets its own tables.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DYNALITE_BIN = PROJECT_ROOT / "node_modules" / ".bin" / "dynalite"


PORTS_LOW, PORTS_HIGH = 20_000, 32_000  # below the kernel's ephemeral range (32768-60999)


def worker_ports() -> range:
    """This pytest-xdist worker's own share of PORTS_LOW..PORTS_HIGH. Ports picked at random
    from one shared range collided across workers: a test that restarts its server on the same
    port (DynamoDB killed and restarted, `famact local down` then `up`) found it taken by the
    other worker's server, started in between."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    count = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    index = int(worker) % count if worker.isdigit() else 0
    span = (PORTS_HIGH - PORTS_LOW) // count
    return range(PORTS_LOW + index * span, PORTS_LOW + (index + 1) * span)


def free_port() -> int:
    """A free port of this worker's share, below the kernel's ephemeral range: a port the OS
    hands out (bind to 0) can be taken again, before the server binds it, by any outgoing
    connection of a parallel test."""
    ports = worker_ports()
    for _ in range(200):
        port = random.choice(ports)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1} on 127.0.0.1")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], name: str = "dynalite", timeout: float = 60.0
) -> None:
    """Wait until `process` (a server named `name`) answers on 127.0.0.1:`port`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer on port {port}")


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """famact reads its environment once per process (`get_settings` is cached): each test
    starts and ends with it unread, so an environment a test sets or removes is the one it
    gets, and a setting one test read never leaks into the next on the same worker."""
    from famact.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def dynalite_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dynalite server for the whole session, data in a temp dir, on a free port."""
    if not DYNALITE_BIN.exists():
        pytest.skip(f"{DYNALITE_BIN} missing: run `make setup` (npm ci)")
    data = tmp_path_factory.mktemp("dynalite")
    port = free_port()
    log = (data / "dynalite.log").open("wb")
    process = subprocess.Popen(
        [
            *(str(DYNALITE_BIN), "--host", "127.0.0.1", "--port", str(port), "--path", str(data / "db")),
            # Tables are ACTIVE at once: tests create three tables each.
            *("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)
        log.close()


@pytest.fixture(params=["moto", "dynalite"])
def store_tables(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Freshly created famact tables (a `famact.store.dynamo.Tables`) on moto or dynalite."""
    from famact.settings import Settings
    from famact.store.dynamo import connect, create_tables

    prefix = f"t{uuid.uuid4().hex[:10]}-"
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    if request.param == "moto":
        from moto import mock_aws

        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
        with mock_aws():
            tables = connect(Settings(table_prefix=prefix, dynamodb_endpoint=None, aws_region="us-west-2"))
            create_tables(tables.client, prefix)
            yield tables
        return
    endpoint = request.getfixturevalue("dynalite_endpoint")
    # No credentials in the environment: connect() must fall back to dummy ones.
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    tables = connect(Settings(table_prefix=prefix, dynamodb_endpoint=endpoint, aws_region="us-west-2"))
    create_tables(tables.client, prefix)
    try:
        yield tables
    finally:
        from botocore.exceptions import ClientError

        # Names sort after the bare prefix, so this finds them among any number of tables.
        for name in tables.client.list_tables(ExclusiveStartTableName=prefix)["TableNames"]:
            if name.startswith(prefix):
                try:
                    tables.client.delete_table(TableName=name)
                except ClientError as exc:  # already being deleted
                    if exc.response["Error"]["Code"] not in (
                        "ResourceNotFoundException",
                        "ResourceInUseException",
                    ):
                        raise


@pytest.fixture
def api_calls(store_tables: Any) -> Counter[str]:
    """Counts DynamoDB API calls (by operation name) made through the tables' clients."""
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    clients = {id(c): c for c in (store_tables.client, store_tables.activities.meta.client)}
    for client in clients.values():
        client.meta.events.register("before-call.dynamodb", count)
    return calls
