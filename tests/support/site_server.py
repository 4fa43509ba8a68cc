"""A static HTTP server for the fixture sites, and a loader for their metadata.

The crawler's tests and benchmarks run against saved sites under `tests/fixtures/sites/<name>/`
(and the bundled demo site in `famact/app/demo/site/`). Each site directory holds:

- `pages/`          the files served, laid out like the URL space (see "URL mapping" below);
- `routes.json`     optional special routes (errors, redirects, slow and huge responses);
- `site.json`       `{"today": "YYYY-MM-DD", "render": "http"|"browser", "platform", "notes"}`;
- `config.json`     a hand-written `SourceConfig` whose URLs start with `http://SITE_BASE`
                    (the demo site has `reference-config.json` instead);
- `expected.jsonl`  the exact items a correct crawl produces; `dropped.jsonl` the out-of-scope
                    listings a correct crawl drops.

URL mapping (path -> file under `pages/`), first match wins:

1. `routes.json` entry for the full `path?query`, then for the path alone;
2. the path as a file: `/a/b.html`, `/events.json`, `/robots.txt`;
3. `<path>.html`: `/events/slug` -> `events/slug.html` (Squarespace-style pretty URLs);
4. `<path>/index.html`: `/` -> `index.html`, `/events/page/2/` -> `events/page/2/index.html`.

In every text response (HTML, JSON, JS, CSS, robots.txt) the token `SITE_BASE` is replaced by the
server's `host:port`, so pages can carry absolute URLs like `http://SITE_BASE/event/x/` (as
WordPress and Squarespace pages do) and fixtures stay port-independent.

A query string selects a sibling file with `__<query>` inserted before the extension:
`/camps/?page=2` -> `camps/index__page=2.html`, `/a/b.html?x=1` -> `a/b__x=1.html`. There is no
fallback to the query-less file, so an unknown query (`?page=99`) is a 404, as a crawler that
overruns pagination should see. Anything else is a 404; paths never escape `pages/`.

`routes.json` maps a path to one of:
`{"status": 500}` (optionally `"body"`), `{"redirect": "/to/"}` (302, or `"status"`),
`{"delay": 3}` (sleep, then serve the mapped file or a small page), `{"generate_mb": 20}`
(stream that many MiB of valid HTML, with an exact Content-Length; `"no_length": true` sends it
without one, ended by closing the connection). The fault-injection tests add:
`"headers": {...}` (extra response headers, e.g. `Retry-After`), `"content_type"` (also for a
mapped file: a wrong or missing charset), `"times": N` (the route answers only the first N
requests for its path; later ones are served as if it were absent: a 429 that clears),
`{"hang": true}` (read the request, never answer) and `{"stall_after_bytes": K}` (send the
headers and the first K bytes of the mapped file, then nothing). A hung or stalled response
is released when the server stops.

`SiteServer(site_dir, generated={"/calendar/": page})` serves a path (any query) from a
function of the query string (`page("month=2026-12") -> bytes` of HTML): pages that never end.
Every request is logged in `SiteServer.requests` (monotonic time, `path?query`).

The server is test infrastructure: stdlib `ThreadingHTTPServer` on 127.0.0.1, port 0, in a
daemon thread. Run one by hand with `python -m tests.support.site_server SITE_DIR --port N`.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import posixpath
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from famact.models import SourceConfig

SITES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
DEMO_SITE_DIR = Path(__file__).resolve().parents[2] / "famact" / "app" / "demo" / "site"
SITE_BASE = "http://SITE_BASE"
# Pages may hold absolute URLs, as real sites do (`http://SITE_BASE/event/x/`, JSON-escaped
# `http:\/\/SITE_BASE\/...`, URL-encoded `%2F%2FSITE_BASE`): the server replaces the token with
# its own `host:port` in every text response, so links work whatever port it got.
SITE_HOST_TOKEN = b"SITE_BASE"
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/ld+json")
MIB = 1024 * 1024
# The `scraping_config` of a test crawl of a site on loopback: no politeness delay (the
# default 30 requests a minute waits 2 s between pages), only wall time to save.
FAST = {"rate_limit": {"requests_per_minute": 6000, "concurrent_requests": 8}}
# The same for a `famact` command whose crawl uses the config the analyzer proposed (no file
# to edit between analyze and crawl), and whose analysis retries a fetch from a dead
# loopback port without the back-off that spares a real site.
FAST_ENV = {
    "FAMACT_PROPOSED_REQUESTS_PER_MINUTE": str(FAST["rate_limit"]["requests_per_minute"]),
    "FAMACT_ANALYSIS_BACKOFF_S": "0",
}
ROUTE_KEYS = frozenset(
    {
        "status",
        "body",
        "redirect",
        "delay",
        "generate_mb",
        "no_length",
        "content_type",
        "headers",
        "times",
        "hang",
        "stall_after_bytes",
    }
)
GeneratedPage = Callable[[str], bytes]

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".json": "application/json",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".ics": "text/calendar; charset=utf-8",
}


class SiteError(ValueError):
    """A fixture site directory is malformed (missing file, bad routes.json, bad JSON line)."""


def content_type_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _CONTENT_TYPES:
        return _CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def load_routes(site_dir: Path) -> dict[str, dict[str, Any]]:
    """Read and check `routes.json`; an absent file means no special routes."""
    path = site_dir / "routes.json"
    if not path.exists():
        return {}
    try:
        routes = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SiteError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(routes, dict):
        raise SiteError(f"{path}: must be an object of path -> route, got {type(routes).__name__}")
    for route_path, route in routes.items():
        if not isinstance(route_path, str) or not route_path.startswith("/"):
            raise SiteError(f"{path}: route path must start with '/': {route_path!r}")
        if not isinstance(route, dict) or not route:
            raise SiteError(f"{path}: route {route_path!r} must be a non-empty object")
        unknown = set(route) - ROUTE_KEYS
        if unknown:
            raise SiteError(f"{path}: route {route_path!r} has unknown key(s) {sorted(unknown)}")
    return routes


def resolve_page(pages_dir: Path, url_path: str, query: str = "") -> Path | None:
    """The file under `pages_dir` that serves `url_path?query`, or None (a 404).

    Pure apart from `exists()` checks, so the mapping is testable without a server.
    """
    path = unquote(url_path)
    if "\x00" in path or "\\" in path:
        return None
    normalized = posixpath.normpath("/" + path.lstrip("/"))
    if normalized.startswith("/.."):
        return None
    relative = normalized.lstrip("/")
    if relative in (".", ""):
        relative = ""
    candidates: list[str] = []
    if relative and not path.endswith("/"):
        # A trailing slash names a directory only, as on a real server.
        candidates.append(relative)
        candidates.append(relative + ".html")
    candidates.append(posixpath.join(relative, "index.html") if relative else "index.html")
    if query:
        if "/" in query or "\\" in query or "\x00" in query:
            return None
        candidates = [_with_query(candidate, query) for candidate in candidates]
    root = pages_dir.resolve()
    for candidate in candidates:
        file_path = (root / candidate).resolve()
        if not file_path.is_relative_to(root):
            return None
        if file_path.is_file():
            return file_path
    return None


def _with_query(relative: str, query: str) -> str:
    stem, ext = posixpath.splitext(relative)
    return f"{stem}__{query}{ext}"


def generated_html_chunks(total_bytes: int, chunk_bytes: int = 64 * 1024) -> Iterator[bytes]:
    """Exactly `total_bytes` bytes of well-formed HTML, produced lazily (never held in memory)."""
    head = b"<!DOCTYPE html><html><head><title>Huge page</title></head><body>\n"
    tail = b"</body></html>\n"
    filler = b"<p>Lorem ipsum dolor sit amet, family fun filler paragraph.</p>\n"
    if total_bytes < len(head) + len(tail):
        yield (head + tail)[:total_bytes]
        return
    yield head
    remaining = total_bytes - len(head) - len(tail)
    block = filler * (chunk_bytes // len(filler) + 1)
    while remaining > 0:
        piece = block[: min(chunk_bytes, remaining)]
        remaining -= len(piece)
        yield piece
    yield tail


class _SiteHandler(BaseHTTPRequestHandler):
    server_version = "FixtureSite/1.0"
    protocol_version = "HTTP/1.1"
    site_dir: Path
    routes: dict[str, dict[str, Any]]
    site: SiteServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet: test output should show failures, not one access-log line per request.
        return

    def _respond_by_route(self, route: dict[str, Any], extra: dict[str, str], *, send_body: bool) -> bool:
        """Play a route's fault (delay, hang, redirect, huge body, status); True when answered."""
        if "delay" in route:
            time.sleep(float(route["delay"]))
        if route.get("hang"):
            self.site._stopping.wait()  # never answer; released when the server stops
            self.close_connection = True
            return True
        if "redirect" in route:
            self._send_bytes(int(route.get("status", 302)), b"", "text/html; charset=utf-8",
                             send_body, extra={**extra, "Location": str(route["redirect"])})
            return True
        if "generate_mb" in route:
            self._send_generated(int(float(route["generate_mb"]) * MIB), send_body,
                                 with_length=not route.get("no_length"))
            return True
        if "status" in route:
            status = int(route["status"])
            text = str(route.get("body", f"<html><body><h1>{status}</h1></body></html>"))
            self._send_bytes(status, text.encode("utf-8"),
                             str(route.get("content_type", "text/html; charset=utf-8")), send_body,
                             extra=extra)
            return True
        return False

    def _respond(self, *, send_body: bool) -> None:
        parts = urlsplit(self.path)
        full = f"{parts.path}?{parts.query}" if parts.query else parts.path
        self.site._log_request(full)
        route_key = full if full in self.routes else parts.path
        route = self.routes.get(route_key)
        if route is not None and "times" in route and self.site._route_used(route_key) > int(route["times"]):
            route = None  # the fault has cleared: serve the path as if there were no route
        pages_dir = self.site_dir / "pages"
        extra = {str(k): str(v) for k, v in (route or {}).get("headers", {}).items()}
        if route is not None and self._respond_by_route(route, extra, send_body=send_body):
            return
        generated = self.site.generated.get(parts.path)
        if generated is not None:
            self._send_bytes(200, generated(parts.query), "text/html; charset=utf-8", send_body, extra=extra)
            return
        file_path = resolve_page(pages_dir, parts.path, parts.query)
        if file_path is None:
            if route is not None:  # a delay-only route with no page behind it
                self._send_bytes(200, b"<html><body><p>Slow page.</p></body></html>",
                                 "text/html; charset=utf-8", send_body)
                return
            self._send_bytes(404, b"<html><body><h1>Not Found</h1></body></html>",
                             "text/html; charset=utf-8", send_body)
            return
        content_type = content_type_for(file_path)
        body = file_path.read_bytes()
        if content_type.startswith(_TEXT_TYPES):
            # The address this connection came in on: the server's own host:port.
            host, port = self.connection.getsockname()[:2]
            body = body.replace(SITE_HOST_TOKEN, f"{host!s}:{port}".encode())
        if route is not None and "content_type" in route:
            content_type = str(route["content_type"])  # may be "" : no Content-Type header at all
        if route is not None and "stall_after_bytes" in route:
            self._send_stalled(body, int(route["stall_after_bytes"]), content_type)
            return
        self._send_bytes(200, body, content_type, send_body, extra=extra)

    def _send_bytes(self, status: int, body: bytes, content_type: str, send_body: bool,
                    extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def _send_stalled(self, body: bytes, sent: int, content_type: str) -> None:
        """Promise the whole body, send `sent` bytes of it, then stall until the server stops."""
        self.send_response(200)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body[:sent])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.site._stopping.wait()
        self.close_connection = True

    def _send_generated(self, total: int, send_body: bool, with_length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Connection", "close")  # the body ends when the connection does
            self.close_connection = True
        self.end_headers()
        if not send_body:
            return
        try:
            for chunk in generated_html_chunks(total):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # A crawler with a max response size hangs up early: that is the point of the route.
            self.close_connection = True


class SiteServer:
    """Serve one site directory's `pages/` on 127.0.0.1 from a background thread.

    >>> with SiteServer(SITES_DIR / "museum") as server:
    ...     server.url  # "http://127.0.0.1:54321"
    """

    def __init__(
        self,
        site_dir: Path | str,
        port: int = 0,
        host: str = "127.0.0.1",
        generated: Mapping[str, GeneratedPage] | None = None,
    ) -> None:
        self.site_dir = Path(site_dir).resolve()
        if not (self.site_dir / "pages").is_dir():
            raise SiteError(f"site_dir {str(self.site_dir)!r} has no pages/ directory")
        self.routes = load_routes(self.site_dir)
        self.generated: dict[str, GeneratedPage] = dict(generated or {})
        self.requests: list[tuple[float, str]] = []  # (time.monotonic(), "path?query"), in order
        self._route_counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._host = host
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("SiteServer is not running: call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SiteServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        handler = type(
            "SiteHandler", (_SiteHandler,), {"site_dir": self.site_dir, "routes": self.routes, "site": self}
        )
        httpd = ThreadingHTTPServer((self._host, self._port), handler)
        httpd.daemon_threads = True  # a slow route must not block stop()
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name=f"site-server-{self.site_dir.name}",
                                        daemon=True)
        self._thread.start()
        return self

    def set_route(self, path: str, route: dict[str, Any]) -> None:
        """Add or replace one special route while the server runs (a fault injected mid-test)."""
        unknown = set(route) - ROUTE_KEYS
        if not path.startswith("/") or not route or unknown:
            raise SiteError(f"route {path!r}: must start with '/' and use known keys, not {sorted(unknown)}")
        with self._lock:
            self.routes[path] = route
            self._route_counts.pop(path, None)

    def requested(self, path: str) -> list[float]:
        """When each request for exactly `path` (with its query, if any) arrived."""
        with self._lock:
            return [at for at, requested in self.requests if requested == path]

    def _log_request(self, path: str) -> None:
        with self._lock:
            self.requests.append((time.monotonic(), path))

    def _route_used(self, route_key: str) -> int:
        """Count one more request answered by this route; the new count."""
        with self._lock:
            self._route_counts[route_key] = self._route_counts.get(route_key, 0) + 1
            return self._route_counts[route_key]

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # release hung and stalled responses
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------
# Site metadata


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SiteError(f"{path}:{number}: not valid JSON: {exc}") from exc
        if not isinstance(row, dict):
            raise SiteError(f"{path}:{number}: each line must be a JSON object")
        rows.append(row)
    return rows


def _rebase(value: Any, base_url: str) -> Any:
    if isinstance(value, str):
        return value.replace(SITE_BASE, base_url.rstrip("/"))
    if isinstance(value, list):
        return [_rebase(v, base_url) for v in value]
    if isinstance(value, dict):
        return {k: _rebase(v, base_url) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Site:
    """One fixture site: its directory, `site.json` and helpers for config and expectations."""

    name: str
    dir: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def pages_dir(self) -> Path:
        return self.dir / "pages"

    @property
    def today(self) -> date:
        return date.fromisoformat(str(self.meta["today"]))

    @property
    def render(self) -> str:
        return str(self.meta.get("render", "http"))

    @property
    def config_path(self) -> Path:
        """`config.json`, or the demo site's `reference-config.json`."""
        for candidate in ("config.json", "reference-config.json"):
            if (self.dir / candidate).exists():
                return self.dir / candidate
        raise SiteError(f"site {self.name!r} has neither config.json nor reference-config.json")

    def config_data(self, base_url: str = SITE_BASE) -> dict[str, Any]:
        data = json.loads(self.config_path.read_text(encoding="utf-8"))
        rebased: dict[str, Any] = _rebase(data, base_url)
        return rebased

    def config(self, base_url: str = SITE_BASE) -> SourceConfig:
        """The site's SourceConfig with `http://SITE_BASE` replaced by `base_url`."""
        return SourceConfig.model_validate(self.config_data(base_url))

    def expected(self, base_url: str | None = None) -> list[dict[str, Any]]:
        """The items a correct crawl produces; URLs rebased when `base_url` is given."""
        rows = _read_jsonl(self.dir / "expected.jsonl")
        return rows if base_url is None else [_rebase(r, base_url) for r in rows]

    def dropped(self) -> list[dict[str, Any]]:
        """Out-of-scope listings the crawler must drop (`name` + `reason`)."""
        return _read_jsonl(self.dir / "dropped.jsonl")

    def server(self, port: int = 0) -> SiteServer:
        return SiteServer(self.dir, port=port)


def site_names() -> list[str]:
    """Every fixture site under tests/fixtures/sites (directories holding a site.json)."""
    return sorted(p.name for p in SITES_DIR.iterdir() if (p / "site.json").is_file())


def load_site(name: str | Path) -> Site:
    """A fixture site by name (`"museum"`), `"demo"` for the bundled demo, or a directory path."""
    if isinstance(name, Path) or "/" in str(name):
        site_dir = Path(name).resolve()
    elif name == "demo":
        site_dir = DEMO_SITE_DIR
    else:
        site_dir = SITES_DIR / str(name)
    meta_path = site_dir / "site.json"
    if not meta_path.is_file():
        raise SiteError(f"no site.json in {str(site_dir)!r} (site name {str(name)!r})")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict) or "today" not in meta:
        raise SiteError(f"{meta_path}: must be an object with at least 'today'")
    return Site(name=site_dir.name if site_dir != DEMO_SITE_DIR else "demo", dir=site_dir, meta=meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve one fixture site's pages/ on 127.0.0.1.")
    parser.add_argument("site_dir", type=Path, help="a site directory (holding pages/)")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = SiteServer(args.site_dir, port=args.port).start()
    print(f"serving {args.site_dir} at {server.url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
