"""The local DynamoDB: dynalite from the project's own node_modules, on 127.0.0.1.

`famact local up` starts it detached (pid file and log under FAMACT_HOME, data in
FAMACT_HOME/dynalite so it persists across restarts) and writes FAMACT_HOME/local.env.
`load_local_env()` lets every later `famact` command find it without exporting anything:
when AWS_ENDPOINT_URL_DYNAMODB is unset and the recorded dynalite process is alive, it sets
the endpoint, dummy credentials and the region in os.environ.

dynalite is used rather than DynamoDB Local because it is a small pinned npm package (no
Java); its gaps (no TTL API, no transactions) are ones the store does not depend on.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from famact.settings import get_settings

DEFAULT_PORT = 8765
HOST = "127.0.0.1"
DUMMY_CREDENTIAL = "famact-local"
START_TIMEOUT_S = 60.0  # generous: node starts slowly on a loaded machine
STOP_TIMEOUT_S = 10.0


class LocalServerError(RuntimeError):
    """The local server cannot be started, found or stopped; the message says what to do."""


def find_project_root(start: Path | None = None) -> Path:
    """The directory holding package.json: the package's checkout, else the current
    directory or one of its parents."""
    package_root = Path(__file__).resolve().parents[2]
    candidates = [package_root] if start is None else []
    here = (start or Path.cwd()).resolve()
    candidates.extend([here, *here.parents])
    for candidate in candidates:
        if (candidate / "package.json").is_file():
            return candidate
    raise LocalServerError(f"cannot find the famact project root (package.json) from {here}")


def _port_answers(port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaps it if it is our own exited child
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        # A zombie still answers kill(0); field 3 of /proc/PID/stat is its state.
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def running_record(pid_file: Path, marker: bytes) -> dict[str, int] | None:
    """The `{"pid", "port"}` a server's pid file records, if that process is alive and its
    command line holds `marker` (a recycled pid is never taken for it); a stale file is removed."""
    try:
        record = json.loads(pid_file.read_text())
        pid, port = int(record["pid"]), int(record["port"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        pid_file.unlink(missing_ok=True)
        return None
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        ours = not cmdline.exists() or marker in cmdline.read_bytes()  # no /proc (macOS): trust it
    except OSError:
        ours = False
    if _pid_alive(pid) and ours:
        return {"pid": pid, "port": port}
    pid_file.unlink(missing_ok=True)
    return None


class LocalDynamo:
    def __init__(
        self, home: Path | None = None, port: int = DEFAULT_PORT, *, root: Path | None = None
    ) -> None:
        self.root = root or find_project_root()
        home = home or Path(get_settings().famact_home)
        self.home = home if home.is_absolute() else self.root / home
        self.port = port

    @property
    def binary(self) -> Path:
        return self.root / "node_modules" / ".bin" / "dynalite"

    @property
    def pid_file(self) -> Path:
        return self.home / "dynalite.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "dynalite.log"

    @property
    def data_dir(self) -> Path:
        return self.home / "dynalite"

    @property
    def env_file(self) -> Path:
        return self.home / "local.env"

    def _running(self) -> dict[str, int] | None:
        """The recorded server if its process is alive; a stale pid file is removed."""
        return running_record(self.pid_file, b"dynalite")

    @property
    def endpoint(self) -> str:
        running = self._running()
        return f"http://{HOST}:{running['port'] if running else self.port}"

    def up(self) -> str:
        """Start dynalite (or find it running) and return its endpoint URL."""
        running = self._running()
        if running:
            self.write_env_file()
            return self.endpoint
        if not self.binary.exists():
            raise LocalServerError(
                f"dynalite is not installed ({self.binary} missing): run `make setup` (npm ci)"
            )
        if _port_answers(self.port):
            raise LocalServerError(f"port {self.port} on {HOST} is already in use by another process")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(self.binary),
            "--host", HOST,
            "--port", str(self.port),
            "--path", str(self.data_dir),
        ]  # fmt: skip
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,  # survives the CLI process that started it
            )
        self.pid_file.write_text(json.dumps({"pid": process.pid, "port": self.port}))
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _port_answers(self.port):
            if process.poll() is not None or time.monotonic() > deadline:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=5)
                self.pid_file.unlink(missing_ok=True)
                raise LocalServerError(
                    f"dynalite did not start on port {self.port}; log {self.log_file}:\n{self._log_tail()}"
                )
            time.sleep(0.1)
        self.write_env_file()
        return self.endpoint

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def down(self) -> bool:
        """Stop the recorded server; False when none was running."""
        running = self._running()
        if not running:
            return False
        pid = running["pid"]
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not self._wait_gone(pid, STOP_TIMEOUT_S):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            if not self._wait_gone(pid, 5.0):
                raise LocalServerError(f"dynalite (pid {pid}) did not stop")
        self.pid_file.unlink(missing_ok=True)
        return True

    @staticmethod
    def _wait_gone(pid: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while _pid_alive(pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def status(self) -> dict[str, Any]:
        running = self._running()
        return {
            "running": running is not None,
            "pid": running["pid"] if running else None,
            "port": running["port"] if running else self.port,
            "endpoint": self.endpoint,
            "data_dir": str(self.data_dir),
            "log": str(self.log_file),
            "env_file": str(self.env_file),
        }

    def env(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint,
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIAL,
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIAL,
            "AWS_DEFAULT_REGION": get_settings().aws_region,
        }

    def write_env_file(self) -> Path:
        """HOME/local.env: `set -a; . .famact/local.env` points any shell at the server."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in self.env().items()))
        return self.env_file


def load_local_env(home: Path | None = None, *, root: Path | None = None) -> bool:
    """Point this process at the running local server, unless an endpoint is already set.

    Returns True when the environment was changed. Credentials and region are only filled
    in when absent, so real AWS settings are never overwritten.
    """
    if os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"):
        return False
    try:
        local = LocalDynamo(home, root=root)
    except LocalServerError:
        return False  # not in a checkout: nothing local to find
    if local._running() is None:
        return False
    env = local.env()
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = env["AWS_ENDPOINT_URL_DYNAMODB"]
    if not os.environ.get("AWS_ACCESS_KEY_ID"):
        os.environ["AWS_ACCESS_KEY_ID"] = env["AWS_ACCESS_KEY_ID"]
        os.environ["AWS_SECRET_ACCESS_KEY"] = env["AWS_SECRET_ACCESS_KEY"]
    os.environ.setdefault("AWS_DEFAULT_REGION", env["AWS_DEFAULT_REGION"])
    get_settings.cache_clear()
    return True
