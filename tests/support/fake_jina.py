"""A fake Jina Reader and a fake web site, both on loopback.

`FakeJina` answers `GET /{url}` like r.jina.ai: it fetches the target URL itself (loopback
targets only: the fake never leaves 127.0.0.1) and returns the page as HTML or as crude
markdown, per the `X-Return-Format` header. Tests script failures first (`fail`: 429 with
Retry-After, 500, a delay, a tiny body) and read what arrived in `requests` (target,
Authorization, X-Return-Format).

`FakeSite` serves fixed pages and redirects from a route table, and records each request.

Standalone: `python -m tests.support.fake_jina --port 8766`.
"""

from __future__ import annotations

import argparse
import re
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from tests.support.fake_openai import LoopbackServer, QuietHandler

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass
class JinaFailure:
    """One scripted answer that replaces a real fetch: an error status, a delay, or a body."""

    status: int = 500
    retry_after: str | None = None
    delay_s: float = 0.0
    body: str = "scripted failure"


@dataclass
class JinaRequest:
    target: str
    authorization: str | None
    return_format: str | None
    headers: dict[str, str] = field(default_factory=dict)


class _TextCollector(HTMLParser):
    """Crude HTML -> markdown: headings as '#', links as [text](href), one block per line."""

    BLOCKS = frozenset(
        {
            "p",
            "div",
            "li",
            "tr",
            "br",
            "section",
            "article",
            "ul",
            "ol",
            "table",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
        }
    )
    SKIP = frozenset({"script", "style", "svg", "noscript", "head"})

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.parts: list[str] = []
        self._skip = 0
        self._in_title = False
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self._skip += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if re.fullmatch(r"h[1-6]", tag):
            self.parts.append("#" * int(tag[1]) + " ")
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.parts.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        if tag == "a":
            self.parts.append(f"]({self._href or ''})")
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        elif not self._skip:
            self.parts.append(data)

    def markdown(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n\n".join(line for line in lines if line)


def crude_markdown(html: str, url: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    return f"Title: {collector.title}\n\nURL Source: {url}\n\nMarkdown Content:\n{collector.markdown()}"


class FakeJinaHandler(QuietHandler):
    fake: FakeJina

    def do_GET(self) -> None:
        target = self.path[1:]
        request = JinaRequest(
            target=target,
            authorization=self.headers.get("Authorization"),
            return_format=self.headers.get("X-Return-Format"),
            headers=dict(self.headers.items()),
        )
        failure = self.fake.record_and_next(request)
        if failure is not None:
            if failure.delay_s:
                time.sleep(failure.delay_s)
            headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            self.send_body(failure.status, failure.body.encode(), "text/plain; charset=utf-8", headers)
            return
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or (parts.hostname or "") not in LOOPBACK_HOSTS:
            self.send_body(400, f"fake Jina only reads loopback URLs, not {target!r}".encode(), "text/plain")
            return
        try:
            with urllib.request.urlopen(target, timeout=5) as upstream:
                charset = upstream.headers.get_content_charset() or "utf-8"
                html = upstream.read().decode(charset, errors="replace")
        except urllib.error.HTTPError as exc:
            self.send_body(422, f"target returned HTTP {exc.code}".encode(), "text/plain")
            return
        except OSError as exc:
            self.send_body(422, f"cannot fetch target: {exc}".encode(), "text/plain")
            return
        if (request.return_format or "markdown").lower() == "html":
            text = html
        else:
            text = crude_markdown(html, target)
        self.send_body(200, text.encode(), "text/plain; charset=utf-8")


class FakeJina(LoopbackServer):
    handler_class = FakeJinaHandler

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.failures: deque[JinaFailure] = deque()
        self.requests: list[JinaRequest] = []

    def fail(self, *failures: JinaFailure) -> None:
        """Script the next answers (one per request), before real fetches resume."""
        with self.lock:
            self.failures.extend(failures)

    def record_and_next(self, request: JinaRequest) -> JinaFailure | None:
        with self.lock:
            self.requests.append(request)
            return self.failures.popleft() if self.failures else None


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class FakeSiteHandler(QuietHandler):
    fake: FakeSite

    def do_GET(self) -> None:
        route = self.fake.record_and_route(self.path, dict(self.headers.items()))
        if route.delay_s:
            time.sleep(route.delay_s)
        self.send_response(route.status)
        headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.write(route.body)


class FakeSite(LoopbackServer):
    """Pages and redirects by path (including the query string); 404 for anything else."""

    handler_class = FakeSiteHandler

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def page(
        self,
        path: str,
        html: str | bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay_s: float = 0.0,
    ) -> str:
        body = html.encode() if isinstance(html, str) else html
        self.routes[path] = Route(status, body, {"Content-Type": content_type, **(headers or {})}, delay_s)
        return f"{self.url}{path}" if self._httpd is not None else path

    def redirect(self, path: str, location: str, *, status: int = 302) -> str:
        self.routes[path] = Route(status, b"", {"Location": location})
        return f"{self.url}{path}" if self._httpd is not None else path

    def record_and_route(self, path: str, headers: dict[str, str]) -> Route:
        with self.lock:
            self.requests.append((path, headers))
            return self.routes.get(path, Route(404, b"<h1>not found</h1>"))

    @property
    def paths(self) -> list[str]:
        return [path for path, _headers in self.requests]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake Jina Reader on 127.0.0.1 (reads loopback URLs only)")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    FakeJina(args.port).serve_until_interrupted()


if __name__ == "__main__":
    main()


__all__: list[Any] = ["FakeJina", "FakeSite", "JinaFailure", "JinaRequest", "Route", "crude_markdown"]
