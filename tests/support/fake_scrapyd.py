"""A small scrapyd-compatible JSON API on 127.0.0.1 for fast unit tests of the orchestrator
(the integration and reliability tests use the real scrapyd through LocalScrapyd).

It answers daemonstatus.json, schedule.json, listjobs.json and cancel.json as scrapyd 1.5
does, keeps jobs in memory, and never runs anything: the test moves a job along with
`finish(job_id)` (and writes the EXECUTION row a spider would have written itself).
`status_code = 500` makes every answer an HTTP 500, `failing = {"schedule.json"}` only those
endpoints' (a node that reports itself idle but cannot start jobs); `scheduled` records each
schedule call's arguments.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.support.fake_openai import LoopbackServer, QuietHandler


class _Handler(QuietHandler):
    fake: FakeScrapyd

    def _answer(self, params: dict[str, str]) -> None:
        fake = self.fake
        endpoint = urlsplit(self.path).path.rsplit("/", 1)[-1]
        with fake.lock:
            fake.requests.append(endpoint)
            if fake.status_code != 200 or endpoint in fake.failing:
                self.send_body(500 if fake.status_code == 200 else fake.status_code, b"boom", "text/plain")
                return
            if endpoint == "daemonstatus.json":
                counts = {s: sum(1 for j in fake.jobs.values() if j["state"] == s) for s in fake.STATES}
                self.send_json(200, {"status": "ok", "node_name": "fake", **counts})
            elif endpoint == "schedule.json":
                job_id = uuid.uuid4().hex
                fake.jobs[job_id] = {"id": job_id, "spider": params.get("spider", ""), "state": "pending"}
                fake.scheduled.append(dict(params))
                self.send_json(200, {"status": "ok", "jobid": job_id})
            elif endpoint == "listjobs.json":
                body: dict[str, Any] = {"status": "ok"}
                for state in fake.STATES:
                    body[state] = [
                        {"id": j["id"], "spider": j["spider"]}
                        for j in fake.jobs.values()
                        if j["state"] == state
                    ]
                self.send_json(200, body)
            elif endpoint == "cancel.json":
                job = fake.jobs.pop(params.get("job", ""), None)
                self.send_json(200, {"status": "ok", "prevstate": job["state"] if job else None})
            else:
                self.send_json(404, {"status": "error", "message": f"no endpoint {endpoint}"})

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        self._answer({k: v[0] for k, v in query.items()})

    def do_POST(self) -> None:
        form = parse_qs(self.read_body().decode())
        self._answer({k: v[0] for k, v in form.items()})


class FakeScrapyd(LoopbackServer):
    handler_class: ClassVar[type[QuietHandler]] = _Handler
    STATES = ("pending", "running", "finished")

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.jobs: dict[str, dict[str, Any]] = {}
        self.scheduled: list[dict[str, str]] = []
        self.requests: list[str] = []
        self.status_code = 200
        self.failing: set[str] = set()

    def finish(self, job_id: str) -> None:
        with self.lock:
            self.jobs[job_id]["state"] = "finished"

    def __enter__(self) -> FakeScrapyd:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
