"""Process plumbing shared by the benchmarks: free ports, a private dynalite, and running a
child process while measuring its wall time, CPU time and memory.

Memory is measured two ways, because each misses something:
- `maxrss_mb`: the child's own peak RSS, its `VmHWM` from /proc polled every `poll_s` (the
  high-water mark is kept by the kernel, so polling misses only growth in the last interval).
  Not `wait4`'s `ru_maxrss`: Linux carries the parent's high-water RSS over fork/exec into it,
  so after a big benchmark in the same process every child "peaked" at the parent's size;
- `peak_tree_rss_mb`: the largest sum of RSS over the child's whole process tree, polled from
  /proc every `poll_s` (sees Chromium's renderer processes, but can miss a spike between polls,
  and double-counts pages that processes share). `peak_tree_pss_mb` is the same with PSS, which
  splits shared pages between the processes that share them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT
from famact.app.local import LocalDynamo
from famact.settings import Settings
from famact.store.dynamo import Tables, connect

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class ChildTimeout(RuntimeError):
    """A measured child process ran past its time limit (it was killed)."""


class ChildFailed(RuntimeError):
    """A measured child process exited with a non-zero status."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Dynalite:
    env: dict[str, str]  # what a client needs: endpoint, dummy credentials, region
    pid: int

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server has used so far."""
        return process_cpu_s(self.pid)

    def tables(self, prefix: str) -> Tables:
        """famact's table handles for one table prefix on this server."""
        settings = Settings.model_validate(
            {
                "FAMACT_TABLE_PREFIX": prefix,
                "AWS_ENDPOINT_URL_DYNAMODB": self.env["AWS_ENDPOINT_URL_DYNAMODB"],
                "AWS_DEFAULT_REGION": self.env["AWS_DEFAULT_REGION"],
            }
        )
        return connect(settings)

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "dynamodb",
            endpoint_url=self.env["AWS_ENDPOINT_URL_DYNAMODB"],
            region_name=self.env["AWS_DEFAULT_REGION"],
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
        )


@contextlib.contextmanager
def private_dynalite() -> Iterator[Dynalite]:
    """A dynalite of our own (temp home, free port), stopped and deleted on exit."""
    with tempfile.TemporaryDirectory(prefix="famact-bench-dynalite-") as home:
        local = LocalDynamo(Path(home), port=free_port(), root=ROOT)
        local.up()
        try:
            yield Dynalite(env=local.env(), pid=int(local.status()["pid"]))
        finally:
            local.down()


def process_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                text = Path(f"/proc/{pid}/task/{task}/children").read_text()
                kids.extend(int(k) for k in text.split())
    except OSError:
        pass
    return kids


def process_tree(root_pid: int) -> list[int]:
    tree, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(_children(pid))
    return tree


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def vm_hwm_bytes(pid: int | str) -> int:
    """Peak RSS of a process's current address space (VmHWM), 0 when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _pss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


@dataclass
class ChildRun:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float  # user + system of the child and the descendants it reaped
    maxrss_mb: float  # the child's VmHWM, polled
    peak_tree_rss_mb: float
    peak_tree_pss_mb: float
    max_tree_processes: int


def run_measured(
    cmd: Sequence[str],
    *,
    env: Mapping[str, str],
    timeout_s: float,
    cwd: Path = ROOT,
    poll_s: float = 0.1,
    pss: bool = False,
    check: bool = True,
) -> ChildRun:
    """Run `cmd` to completion, polling its process tree's memory; kill it on timeout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=dict(env), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a timeout kills the whole tree
        )  # fmt: skip
        peak_rss = peak_pss = hwm = 0
        most = 0
        status = 0
        usage = None
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid != 0:
                    break
                hwm = max(hwm, vm_hwm_bytes(proc.pid))
                tree = process_tree(proc.pid)
                most = max(most, len(tree))
                peak_rss = max(peak_rss, sum(_rss_bytes(p) for p in tree))
                if pss:
                    peak_pss = max(peak_pss, sum(_pss_bytes(p) for p in tree))
                if time.perf_counter() - started > timeout_s:
                    raise ChildTimeout(f"{' '.join(cmd[:4])}... still running after {timeout_s:.0f}s")
                time.sleep(poll_s)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        # Anything the child left behind in its group (it should leave nothing) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        out.seek(0)
        err.seek(0)
        result = ChildRun(
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            wall_s=wall,
            cpu_s=(usage.ru_utime + usage.ru_stime) if usage else float("nan"),
            maxrss_mb=hwm / 1024 / 1024,
            peak_tree_rss_mb=peak_rss / 1024 / 1024,
            peak_tree_pss_mb=peak_pss / 1024 / 1024,
            max_tree_processes=most,
        )
    if check and result.returncode != 0:
        raise ChildFailed(f"{' '.join(cmd[:4])}... exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result
