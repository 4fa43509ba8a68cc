"""A fake OpenAI-compatible server on loopback, so tests run the real `openai` SDK code path.

Serves `POST /v1/chat/completions` and `GET /v1/models`. Each completion request takes the
next scripted reply from a queue (`enqueue`): an answer text, an HTTP error status (429, 500,
...) or a delay; with the queue empty it asks `responder(request_body)` when one is set, else
answers a minimal JSON object that fits the requested `json_schema` (good enough for demos).
Every request body is recorded (`requests`), so tests can check exactly what reached the
model. `usage` numbers are computed from the text (about 4 characters per token), like a real
server's.

In-process: `with FakeOpenAI() as server: ... server.base_url ...`.
Standalone:  `python -m tests.support.fake_openai --port 8765 [--replies answers.json]`.

`LoopbackServer` (a ThreadingHTTPServer on 127.0.0.1, port 0, in a thread) is shared with
`tests.support.fake_jina`.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


class LoopbackServer:
    """Base of the fakes: a threaded stdlib HTTP server on 127.0.0.1 with start/stop/url."""

    handler_class: ClassVar[type[BaseHTTPRequestHandler]]

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> Self:
        handler = type(f"{type(self).__name__}Handler", (self.handler_class,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._httpd.daemon_threads = True  # a scripted slow reply must not block stop()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},  # a fast stop() keeps the suite quick
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_until_interrupted(self) -> None:
        self.start()
        print(f"{type(self).__name__} listening on {self.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


class QuietHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's HTTP client expects
    fake: Any

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        return

    def send_body(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self.send_body(status, json.dumps(payload).encode(), "application/json", headers)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""


@dataclass
class ScriptedReply:
    """One scripted answer: `content` with status 200, or an error `status`; `delay_s` first."""

    content: str | None = None
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    usage: bool = True  # False: omit `usage`, as some compatible servers do


Responder = Callable[[dict[str, Any]], str]


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def minimal_instance(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """The smallest value that fits a JSON schema (required properties only, first enum)."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return minimal_instance(root.get("$defs", {}).get(name, {}), root)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return minimal_instance(options[0], root)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            name: minimal_instance(props[name], root) for name in schema.get("required", []) if name in props
        }
    defaults: dict[str, Any] = {
        "string": "",
        "integer": 0,
        "number": 0.0,
        "boolean": False,
        "array": [],
        "null": None,
    }
    return defaults.get(str(kind))


def schema_responder(body: dict[str, Any]) -> str:
    """Default answer: a minimal JSON object for the requested json_schema (or `{}`)."""
    response_format = body.get("response_format") or {}
    schema = (response_format.get("json_schema") or {}).get("schema")
    return json.dumps(minimal_instance(schema) if schema else {})


class FakeOpenAIHandler(QuietHandler):
    fake: FakeOpenAI

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            self.send_json(
                200,
                {
                    "object": "list",
                    "data": [{"id": self.fake.model, "object": "model", "created": 0, "owned_by": "fake"}],
                },
            )
        else:
            self.send_json(
                404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}}
            )

    def do_POST(self) -> None:
        raw = self.read_body()
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.send_json(
                404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}}
            )
            return
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            self.send_json(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
            return
        reply = self.fake.record_and_next(body, {k.lower(): v for k, v in self.headers.items()})
        if reply.delay_s:
            time.sleep(reply.delay_s)
        if reply.status != 200:
            headers = dict(reply.headers)
            if reply.status == 429 or reply.status >= 500:
                # Real servers send this too; it keeps the SDK's retry pause short in tests.
                headers.setdefault("retry-after-ms", "10")
            kind = "rate_limit_exceeded" if reply.status == 429 else "server_error"
            self.send_json(
                reply.status, {"error": {"message": f"scripted {reply.status}", "type": kind}}, headers
            )
            return
        content = reply.content if reply.content is not None else ""
        prompt = sum(_tokens(str(m.get("content") or "")) for m in body.get("messages", [])) + 7
        completion = _tokens(content)
        payload: dict[str, Any] = {
            "id": f"chatcmpl-fake-{len(self.fake.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.fake.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
        }
        if reply.usage:
            payload["usage"] = {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            }
        self.send_json(200, payload, reply.headers)


class FakeOpenAI(LoopbackServer):
    handler_class = FakeOpenAIHandler

    def __init__(
        self, port: int = 0, *, responder: Responder | None = None, model: str = "fake-model"
    ) -> None:
        super().__init__(port)
        self.responder = responder
        self.model = model
        self.queue: deque[ScriptedReply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.request_headers: list[dict[str, str]] = []  # names in lower case

    @property
    def base_url(self) -> str:
        """What to pass as `OPENAI_BASE_URL`."""
        return f"{self.url}/v1"

    def enqueue(self, *replies: ScriptedReply | str) -> None:
        with self.lock:
            self.queue.extend(
                r if isinstance(r, ScriptedReply) else ScriptedReply(content=r) for r in replies
            )

    def record_and_next(self, body: dict[str, Any], headers: dict[str, str]) -> ScriptedReply:
        with self.lock:
            self.requests.append(body)
            self.request_headers.append(headers)
            if self.queue:
                return self.queue.popleft()
        return ScriptedReply(content=(self.responder or schema_responder)(body))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake OpenAI-compatible server on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--replies", help="JSON file: a list of answer strings, used in order")
    args = parser.parse_args(argv)
    server = FakeOpenAI(args.port)
    if args.replies:
        with open(args.replies, encoding="utf-8") as handle:
            server.enqueue(*[str(r) for r in json.load(handle)])
    server.serve_until_interrupted()


if __name__ == "__main__":
    main()
