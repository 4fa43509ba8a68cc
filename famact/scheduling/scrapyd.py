"""A small scrapyd HTTP client over several nodes (schedule, listjobs, cancel, daemonstatus).

scrapyd answers `{"status": "error", "message": ...}` on bad requests and plain 500s on
crashes; both become a `ScrapydError` naming the node and the reason in one line, so the
orchestrator can skip a node and carry on. Nodes come from FAMACT_SCRAPYD_NODES
(comma-separated URLs); credentials from FAMACT_SCRAPYD_USERNAME / FAMACT_SCRAPYD_PASSWORD,
or `user:password@` in a node's URL, or the file `famact local up` writes under FAMACT_HOME.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

DEFAULT_TIMEOUT_S = 10.0
PROJECT = "famact"
SPIDER = "source"
CREDENTIALS_FILE = "scrapyd-auth.json"


class ScrapydError(RuntimeError):
    """One scrapyd request failed; `node` and `reason` say where and why."""

    def __init__(self, node: str, reason: str) -> None:
        super().__init__(f"scrapyd {node}: {reason}")
        self.node = node
        self.reason = reason


@dataclass(frozen=True)
class Job:
    """One scrapyd job as listjobs reports it; `state` is pending, running or finished."""

    id: str
    state: str
    spider: str = SPIDER
    start_time: str | None = None
    end_time: str | None = None
    log_url: str | None = None


@dataclass(frozen=True)
class NodeStatus:
    node: str
    pending: int
    running: int
    finished: int

    @property
    def load(self) -> int:
        return self.pending + self.running


def _split_auth(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without `user:password@`, and that pair if it was there."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        raise ValueError(f"not a scrapyd URL: {url!r}")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    auth = (parts.username, parts.password or "") if parts.username else None
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/") + "/", "", "")), auth


def load_credentials(home: Path) -> tuple[str, str] | None:
    """The pair `famact local up` generated, if there is one."""
    try:
        data = json.loads((home / CREDENTIALS_FILE).read_text())
        return str(data["username"]), str(data["password"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ScrapydClient:
    """Talks to one or more scrapyd nodes; `schedule` picks the least busy reachable one."""

    def __init__(
        self,
        nodes: list[str],
        *,
        auth: tuple[str, str] | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        project: str = PROJECT,
    ) -> None:
        if not nodes:
            raise ValueError("no scrapyd nodes: set FAMACT_SCRAPYD_NODES or run `famact local up`")
        self.project = project
        self.nodes: list[str] = []
        self._auth: dict[str, httpx.Auth | httpx._client.UseClientDefault] = {}
        for raw in nodes:
            url, url_auth = _split_auth(raw)
            self.nodes.append(url)
            pair = url_auth or auth
            self._auth[url] = httpx.BasicAuth(*pair) if pair else httpx.USE_CLIENT_DEFAULT
        self._http = httpx.Client(timeout=timeout_s)

    @classmethod
    def from_env(cls, home: Path, *, default_node: str | None = None) -> ScrapydClient:
        raw = os.environ.get("FAMACT_SCRAPYD_NODES", "")
        nodes = [n for n in (part.strip() for part in raw.split(",")) if n]
        if not nodes and default_node:
            nodes = [default_node]
        user = os.environ.get("FAMACT_SCRAPYD_USERNAME")
        auth = (user, os.environ.get("FAMACT_SCRAPYD_PASSWORD", "")) if user else load_credentials(home)
        return cls(nodes, auth=auth)

    def close(self) -> None:
        self._http.close()

    def _call(self, node: str, method: str, endpoint: str, **params: Any) -> dict[str, Any]:
        auth = self._auth.get(node, httpx.USE_CLIENT_DEFAULT)
        try:
            if method == "GET":
                response = self._http.get(node + endpoint, params=params, auth=auth)
            else:
                response = self._http.post(node + endpoint, data=params, auth=auth)
        except httpx.HTTPError as exc:
            raise ScrapydError(node, f"{endpoint}: {type(exc).__name__}: {exc}") from None
        return self._check(node, endpoint, response)

    @staticmethod
    def _check(node: str, endpoint: str, response: httpx.Response) -> dict[str, Any]:
        if response.status_code == 401:
            raise ScrapydError(node, f"{endpoint}: 401 unauthorized (check the scrapyd credentials)")
        if response.status_code >= 400:
            raise ScrapydError(node, f"{endpoint}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise ScrapydError(node, f"{endpoint}: answer is not JSON") from None
        if not isinstance(body, dict) or body.get("status") != "ok":
            message = str(body.get("message") if isinstance(body, dict) else body).strip()
            # scrapyd puts a whole traceback in `message`; its last line is the reason.
            lines = message.splitlines()
            raise ScrapydError(node, f"{endpoint}: {lines[-1] if lines else 'error'}")
        return body

    def daemon_status(self, node: str) -> NodeStatus:
        body = self._call(node, "GET", "daemonstatus.json")
        return NodeStatus(node, int(body["pending"]), int(body["running"]), int(body["finished"]))

    def reachable(self) -> list[NodeStatus]:
        """The nodes that answer daemonstatus, least busy first (down or failing ones skipped)."""
        statuses: list[NodeStatus] = []
        for node in self.nodes:
            try:
                statuses.append(self.daemon_status(node))
            except ScrapydError:
                continue
        return sorted(statuses, key=lambda s: (s.load, self.nodes.index(s.node)))

    def schedule_on(self, node: str, spider: str = SPIDER, **arguments: str) -> str:
        """Start a job on one node; its job id."""
        body = self._call(node, "POST", "schedule.json", project=self.project, spider=spider, **arguments)
        return str(body["jobid"])

    def schedule(self, spider: str = SPIDER, **arguments: str) -> tuple[str, str]:
        """Start a job on the least busy node that accepts it; (node, job id). Raises the last
        node's error when none does."""
        return self.schedule_least_busy({s.node: s.load for s in self.reachable()}, spider, **arguments)

    def schedule_least_busy(
        self, loads: dict[str, int], spider: str = SPIDER, **arguments: str
    ) -> tuple[str, str]:
        """Like `schedule`, from loads the caller keeps (one daemonstatus round per pass, not
        per job): a node that fails is dropped from `loads`, the chosen one counts one more."""
        last = ScrapydError(",".join(self.nodes), "no node reachable")
        for node in sorted(loads, key=lambda n: (loads[n], self.nodes.index(n))):
            try:
                job_id = self.schedule_on(node, spider, **arguments)
            except ScrapydError as exc:
                last = exc
                del loads[node]
                continue
            loads[node] += 1
            return node, job_id
        raise last

    def list_jobs(self, node: str) -> dict[str, Job]:
        """Every job the node knows for the project, by id."""
        body = self._call(node, "GET", "listjobs.json", project=self.project)
        jobs: dict[str, Job] = {}
        for state in ("pending", "running", "finished"):
            for row in body.get(state, []):
                jobs[str(row["id"])] = Job(
                    id=str(row["id"]),
                    state=state,
                    spider=str(row.get("spider", SPIDER)),
                    start_time=row.get("start_time"),
                    end_time=row.get("end_time"),
                    log_url=row.get("log_url"),
                )
        return jobs

    def add_version(self, node: str, version: str, egg: bytes) -> int:
        """Upload a project egg (what `scrapyd-deploy` does); the spider count scrapyd found."""
        auth = self._auth.get(node, httpx.USE_CLIENT_DEFAULT)
        try:
            response = self._http.post(
                node + "addversion.json",
                data={"project": self.project, "version": version},
                files={"egg": ("project.egg", egg)},
                auth=auth,
            )
        except httpx.HTTPError as exc:
            raise ScrapydError(node, f"addversion.json: {type(exc).__name__}: {exc}") from None
        body = self._check(node, "addversion.json", response)
        return int(body.get("spiders", 0))

    def cancel(self, node: str, job_id: str) -> str:
        """Cancel a job; its previous state as scrapyd reports it."""
        body = self._call(node, "POST", "cancel.json", project=self.project, job=job_id)
        return str(body.get("prevstate"))
