"""The local scrapyd: `famact local up` starts it beside dynalite and deploys the current code.

It listens on 127.0.0.1 only, with basic auth (a generated pair kept in
FAMACT_HOME/scrapyd-auth.json, mode 0600), SQLite job storage so the job history survives a
restart, and bounded output: the last `jobs_to_keep` logs per spider, no item feeds (items
go to DynamoDB) and `finished_to_keep` finished jobs. Its config, eggs, queues and logs live
under FAMACT_HOME/scrapyd; it runs there so no other scrapyd.conf / scrapy.cfg is read.

Spider processes inherit scrapyd's environment, so it is started with this process's
(`load_local_env` has already pointed it at the local DynamoDB).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from famact.app.local import (
    HOST,
    LocalServerError,
    _pid_alive,
    _port_answers,
    find_project_root,
    running_record,
)
from famact.scheduling.scrapyd import CREDENTIALS_FILE, PROJECT, ScrapydClient, ScrapydError
from famact.settings import get_settings

DEFAULT_PORT = 6800
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
JOBS_TO_KEEP = 5  # logs kept per spider
FINISHED_TO_KEEP = 100  # finished jobs kept in the job storage

CONFIG_TEMPLATE = """[scrapyd]
bind_address = {host}
http_port = {port}
username = {username}
password = {password}
jobstorage = scrapyd.jobstorage.SqliteJobStorage
finished_to_keep = {finished_to_keep}
jobs_to_keep = {jobs_to_keep}
eggs_dir = {root}/eggs
dbs_dir = {root}/dbs
logs_dir = {root}/logs
items_dir =
poll_interval = 1.0
max_proc = {max_proc}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _bin(name: str) -> Path:
    """A console script of this interpreter's environment (the venv's scrapyd)."""
    return Path(sys.executable).parent / name


def build_egg(root: Path) -> bytes:
    """The project egg, built by scrapyd-deploy exactly as a deploy to any target would."""
    with tempfile.TemporaryDirectory(prefix="famact-egg-") as tmp:
        egg = Path(tmp) / f"{PROJECT}.egg"
        result = subprocess.run(
            [str(_bin("scrapyd-deploy")), "--build-egg", str(egg)],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not egg.exists():
            tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise LocalServerError(f"building the egg failed: {tail[0]}")
        return egg.read_bytes()


def deploy(client: ScrapydClient, node: str, root: Path, version: str | None = None) -> str:
    """Build and upload the current code; the version deployed."""
    version = version or time.strftime("%Y%m%dT%H%M%S")
    try:
        spiders = client.add_version(node, version, build_egg(root))
    except ScrapydError as exc:
        raise LocalServerError(str(exc)) from None
    if spiders < 1:
        raise LocalServerError(f"scrapyd {node}: the egg has no spiders")
    return version


class LocalScrapyd:
    def __init__(
        self,
        home: Path | None = None,
        port: int | None = None,
        *,
        root: Path | None = None,
        max_proc: int = 4,
    ) -> None:
        self.root = root or find_project_root()
        home = home or Path(get_settings().famact_home)
        self.home = home if home.is_absolute() else self.root / home
        configured = os.environ.get("FAMACT_SCRAPYD_PORT")
        self.port = port or (int(configured) if configured else None)
        self.max_proc = max_proc
        self.started_pid: int | None = None  # the scrapyd this object started, if any

    @property
    def dir(self) -> Path:
        return self.home / "scrapyd"

    @property
    def pid_file(self) -> Path:
        return self.home / "scrapyd.pid"

    @property
    def log_file(self) -> Path:
        return self.dir / "scrapyd.log"

    @property
    def credentials_file(self) -> Path:
        return self.home / CREDENTIALS_FILE

    def credentials(self) -> tuple[str, str]:
        """The generated pair, created (mode 0600) on first use."""
        try:
            data = json.loads(self.credentials_file.read_text())
            return str(data["username"]), str(data["password"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self.home.mkdir(parents=True, exist_ok=True)
        pair = ("famact", secrets.token_urlsafe(24))
        fd = os.open(self.credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({"username": pair[0], "password": pair[1]}, out)
        os.chmod(self.credentials_file, 0o600)
        return pair

    def _running(self) -> dict[str, int] | None:
        return running_record(self.pid_file, b"scrapyd")

    @property
    def url(self) -> str:
        running = self._running()
        port = running["port"] if running else (self.port or DEFAULT_PORT)
        return f"http://{HOST}:{port}/"

    def client(self) -> ScrapydClient:
        return ScrapydClient([self.url], auth=self.credentials())

    def _pick_port(self) -> int:
        if self.port:
            if _port_answers(self.port):
                raise LocalServerError(f"port {self.port} on {HOST} is already in use by another process")
            return self.port
        return DEFAULT_PORT if not _port_answers(DEFAULT_PORT) else _free_port()

    def write_config(self, port: int) -> Path:
        username, password = self.credentials()
        for sub in ("eggs", "dbs", "logs"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        config = self.dir / "scrapyd.conf"
        config.write_text(
            CONFIG_TEMPLATE.format(
                host=HOST,
                port=port,
                username=username,
                password=password,
                root=self.dir,
                jobs_to_keep=JOBS_TO_KEEP,
                finished_to_keep=FINISHED_TO_KEEP,
                max_proc=self.max_proc,
            )
        )
        os.chmod(config, 0o600)  # it holds the password
        return config

    def up(self, *, deploy_code: bool = True) -> str:
        """Start scrapyd (or find it running), deploy the current code; its URL."""
        if self._running() is None:
            self._start()
        if deploy_code:
            with contextlib.closing(self.client()) as client:
                deploy(client, self.url, self.root)
        return self.url

    def _start(self) -> None:
        port = self._pick_port()
        self.write_config(port)
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                [str(_bin("scrapyd"))],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.dir,  # reads ./scrapyd.conf; no scrapy.cfg above FAMACT_HOME/scrapyd
                env=os.environ.copy(),
                start_new_session=True,
            )
        self.pid_file.write_text(json.dumps({"pid": process.pid, "port": port}))
        self.started_pid = process.pid
        deadline = time.monotonic() + START_TIMEOUT_S
        # Not self.url / self.client(): they read the pid file, and until the child has exec'd
        # scrapyd its /proc cmdline is still ours, so running_record would take the new pid
        # for a stale one and delete the file (the "pid file gone while scrapyd runs" bug).
        url = f"http://{HOST}:{port}/"
        with contextlib.closing(ScrapydClient([url], auth=self.credentials())) as client:
            while True:
                try:
                    client.daemon_status(url)
                    return
                except ScrapydError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    if process.poll() is None:
                        process.kill()
                        process.wait(timeout=5)
                    self.pid_file.unlink(missing_ok=True)
                    raise LocalServerError(f"scrapyd did not start on port {port}; see {self.log_file}")
                time.sleep(0.2)

    def down(self) -> bool:
        running = self._running()
        if not running:
            return False
        pid = running["pid"]
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while _pid_alive(pid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.1)
        # A spider it launched may still be closing with the listening socket: wait for the
        # port, so an `up` right after this one can bind it again.
        while _port_answers(running["port"]) and time.monotonic() < deadline + 5:
            time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> dict[str, Any]:
        running = self._running()
        out: dict[str, Any] = {
            "running": running is not None,
            "pid": running["pid"] if running else None,
            "url": self.url,
            "dir": str(self.dir),
            "credentials": str(self.credentials_file),
        }
        if running:
            with contextlib.closing(self.client()) as client:
                try:
                    daemon = client.daemon_status(self.url)
                    out.update(pending=daemon.pending, running_jobs=daemon.running, finished=daemon.finished)
                except ScrapydError as exc:
                    out["error"] = exc.reason
        return out
