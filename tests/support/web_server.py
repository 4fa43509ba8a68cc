"""A real `famact serve` process on 127.0.0.1 for tests that talk HTTP to the web app (the
browser journeys, the reliability suite's web faults)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import PROJECT_ROOT, free_port, stop_process, wait_for_port


@contextmanager
def famact_serve(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Start `famact serve` with `env` (its tables must exist), yield its base URL, stop it.
    The server's output goes to `log_path`."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "famact.app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process, "famact serve")
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_process(process)
