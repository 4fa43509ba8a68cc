"""Page fetching for source analysis: through Jina Reader, or directly with httpx.

Jina Reader (`GET {JINA_READER_URL}/{url}`) renders JavaScript and returns clean HTML or
markdown, so the analyzer sees what a browser sees. It is rate limited (about 20 requests a
minute without a key, 200 with one; JINA_REQUESTS_PER_MINUTE for another plan), so calls pass
a token bucket and are retried with exponential back-off (FAMACT_ANALYSIS_BACKOFF_S) on
429/5xx/timeouts, honouring Retry-After. Without Jina configured, or when Jina is down or
answers an empty page in `auto` mode, pages are fetched directly with httpx.

Safety (ARCHITECTURE section 6): the target URL is checked with `check_public_url` before
any request; a direct fetch follows redirects itself (at most 5) and checks every hop, opens
sockets only to addresses the same rule approves (so DNS rebinding between check and connect
fails), caps the body at 5 MB and identifies itself with the configured User-Agent.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urljoin

import httpcore
import httpx
import tenacity
from w3lib.encoding import html_to_unicode

from analyzers.skeleton import html_to_text
from famact.settings import Settings, get_settings
from famact.urls import UnsafeURLError, check_public_url, public_addresses

log = logging.getLogger(__name__)

Want = Literal["html", "markdown", "data"]
Mode = Literal["auto", "jina", "direct"]

MIN_BODY_CHARS = 200
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
JINA_RPM_WITHOUT_KEY = 20
JINA_RPM_WITH_KEY = 200
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
TEXT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/xml",
    "application/xml",
    "text/markdown",
)
# Feeds and APIs, fetched as they are (`want="data"`): servers label ICS files and JSON APIs
# loosely, so any of these may hold one; `analyzers.feed_discovery.sniff_kind` reads the body.
DATA_TYPES = (
    *TEXT_TYPES,
    "application/json",
    "application/ld+json",
    "application/feed+json",
    "text/calendar",
    "application/calendar",
    "application/ics",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/octet-stream",
    "text/javascript",
    "application/javascript",
)
DATA_ACCEPT = (
    "application/json,text/calendar,application/rss+xml,application/atom+xml;q=0.9,text/html;q=0.5,*/*;q=0.1"
)


@dataclass(frozen=True)
class FetchedPage:
    url: str  # what was asked for
    final_url: str  # after redirects (Jina: the asked URL)
    status: int
    content_type: str
    text: str
    via: Literal["jina", "direct"]
    elapsed_s: float


class FetchError(Exception):
    """A page could not be fetched (or was refused); `reason` says why."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"cannot fetch {url[:200]!r}: {reason}")


class TransientFetchError(FetchError):
    """A failure worth retrying: 429, 5xx, a timeout or a dropped connection."""

    def __init__(
        self, url: str, reason: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(url, reason, status=status)
        self.retry_after = retry_after


class TinyPageError(FetchError):
    """The answer was empty or too small to be a page (a Reader that failed to render it)."""


class TokenBucket:
    """A token bucket: `capacity` requests at once, refilled at `rate_per_minute`.

    The clock and sleep are injectable so tests run it on a fake clock.
    """

    def __init__(
        self,
        rate_per_minute: float,
        *,
        capacity: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_minute <= 0 or capacity < 1:
            raise ValueError(
                f"rate_per_minute must be > 0 and capacity >= 1, got {rate_per_minute}, {capacity}"
            )
        self.rate_per_second = rate_per_minute / 60.0
        self.capacity = float(capacity)
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(capacity)
        self._updated = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate_per_second)
        self._updated = now

    def acquire(self) -> float:
        """Take one token, sleeping until one is available; returns the seconds waited."""
        waited = 0.0
        self._refill()
        # The epsilon stops float rounding (a refill of 0.9999999999) from spinning forever.
        while self._tokens < 1.0 - 1e-9:
            pause = (1.0 - self._tokens) / self.rate_per_second
            self._sleep(pause)
            waited += pause
            self._refill()
        self._tokens -= 1.0
        return waited

    @classmethod
    def for_limit(
        cls,
        requests_per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> TokenBucket:
        """A bucket that never exceeds `requests_per_minute` in any 60 s window: 10% of the
        limit as burst, the remaining 90% as steady refill."""
        burst = max(1, requests_per_minute // 10)
        return cls(max(1, requests_per_minute - burst), capacity=burst, clock=clock, sleep=sleep)


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError, IndexError):
        return None


class GuardedNetworkBackend(httpcore.SyncBackend):
    """Opens TCP connections only to addresses `public_addresses` approves, by IP.

    The URL guard runs before a request; this runs when the socket is opened, on the
    addresses actually used, so a DNS answer that changed in between (rebinding) is refused.
    TLS still verifies and sends SNI for the host name, which httpcore takes from the URL.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = public_addresses(host, port, allow_private=self.allow_private)  # UnsafeURLError
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"no address to connect to for {host!r}")


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~30 ms; one verified context serves every client.
    return httpx.create_ssl_context()


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with `GuardedNetworkBackend` under its connection pool."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        # httpx builds its pool without a network-backend option; rebuild it with ours. The
        # SSRF tests fail loudly if a future httpx renames this attribute.
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=GuardedNetworkBackend(allow_private=allow_private),
        )


def _jina_explicitly_configured(settings: Settings) -> bool:
    # pydantic-settings marks fields that came from the environment as set.
    return bool(settings.jina_api_key) or "jina_reader_url" in settings.model_fields_set


class PageFetcher:
    """Fetch pages for analysis (see the module docstring for the rules)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        mode: Mode = "auto",
        timeout_s: float = 20.0,
        jina_timeout_s: float = 60.0,
        max_bytes: int = MAX_BODY_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        attempts: int = 4,
        backoff_initial_s: float | None = None,
        backoff_max_s: float = 60.0,
        rate_limiter: TokenBucket | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        allow_private: bool | None = None,
        url_guard: Callable[[str], str] | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        if mode == "auto":
            self.use_jina = _jina_explicitly_configured(self.settings)
        else:
            self.use_jina = mode == "jina"
        self.mode = mode
        self.timeout_s = timeout_s
        self.jina_timeout_s = jina_timeout_s
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.attempts = max(1, attempts)
        # Unset: FAMACT_ANALYSIS_BACKOFF_S (1 s by default).
        self.backoff_initial_s = (
            self.settings.analysis_backoff_s if backoff_initial_s is None else backoff_initial_s
        )
        self.backoff_max_s = backoff_max_s
        self._clock = clock
        self._sleep = sleep
        limit = self.settings.jina_requests_per_minute or (
            JINA_RPM_WITH_KEY if self.settings.jina_api_key else JINA_RPM_WITHOUT_KEY
        )
        self.rate_limiter = rate_limiter or TokenBucket.for_limit(limit, clock=clock, sleep=sleep)
        allow = self.settings.allow_private_urls if allow_private is None else allow_private
        # The guard every URL passes before a connection: the target and each redirect hop.
        self.url_guard: Callable[[str], str] = url_guard or (
            lambda u: check_public_url(u, allow_private=allow)
        )
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1",
            "Accept-Language": "en-US,en;q=0.8",
        }
        # Direct page fetches: no redirects (followed by hand, checking each hop), no proxy
        # from the environment, and sockets opened only to approved addresses.
        self._http = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(timeout_s),
            headers=headers,
            transport=GuardedTransport(allow_private=allow),
        )
        # Jina Reader is the operator's configured endpoint, not user input: a plain client.
        self._jina_http = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(jina_timeout_s),
            headers=headers,
            trust_env=False,
            verify=_ssl_context(),
        )

    def close(self) -> None:
        self._http.close()
        self._jina_http.close()

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------- API

    def fetch(self, url: str, *, want: Want = "html") -> FetchedPage:
        """Fetch `url` as HTML (for selectors), markdown-like text, or as the server sends it
        (`data`: a feed or an API, always fetched directly); raise `FetchError`."""
        try:
            self.url_guard(url)
        except UnsafeURLError as exc:
            raise FetchError(url, exc.reason) from exc
        if not self.use_jina or want == "data":
            return self._retrying(lambda: self._fetch_direct(url, want))
        try:
            return self._retrying(lambda: self._fetch_jina(url, want))
        except (TransientFetchError, TinyPageError) as exc:
            # An empty 200 is how the Reader answers a page it failed to render; the site
            # itself may serve it fine.
            if self.mode != "auto":
                raise
            log.warning("Jina Reader failed for %s (%s); fetching directly", url, exc.reason)
            return self._retrying(lambda: self._fetch_direct(url, want))

    # ---------------------------------------------------------------------------- internals

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, TransientFetchError) and exc.retry_after is not None:
            return min(exc.retry_after, self.backoff_max_s)
        return min(self.backoff_initial_s * 2 ** (state.attempt_number - 1), self.backoff_max_s)

    def _retrying(self, call: Callable[[], FetchedPage]) -> FetchedPage:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(TransientFetchError),
            sleep=self._sleep,
            reraise=True,
            before_sleep=lambda s: log.info(
                "retrying fetch after %s (attempt %d)",
                s.outcome.exception() if s.outcome else "?",
                s.attempt_number,
            ),
        )
        return retrying(call)

    def _fetch_jina(self, url: str, want: Want) -> FetchedPage:
        endpoint = f"{self.settings.jina_reader_url.rstrip('/')}/{url}"
        headers = {"X-Return-Format": want, "Accept": "text/plain"}
        if self.settings.jina_api_key:
            headers["Authorization"] = f"Bearer {self.settings.jina_api_key}"
        self.rate_limiter.acquire()
        started = self._clock()
        try:
            response = self._jina_http.get(endpoint, headers=headers)
        except httpx.TimeoutException as exc:
            raise TransientFetchError(url, f"Jina Reader timed out: {exc}") from exc
        except httpx.TransportError as exc:
            raise TransientFetchError(url, f"cannot reach Jina Reader: {exc}") from exc
        if response.status_code in RETRY_STATUSES:
            raise TransientFetchError(
                url,
                f"Jina Reader answered HTTP {response.status_code}",
                status=response.status_code,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code >= 400:
            raise FetchError(
                url,
                f"Jina Reader answered HTTP {response.status_code}: {response.text[:200]}",
                status=response.status_code,
            )
        text = response.text
        self._check_size(url, text)
        return FetchedPage(
            url=url,
            final_url=url,
            status=response.status_code,
            content_type="text/html" if want == "html" else "text/markdown",
            text=text,
            via="jina",
            elapsed_s=self._clock() - started,
        )

    def _fetch_direct(self, url: str, want: Want) -> FetchedPage:
        started = self._clock()
        current = url
        for _hop in range(self.max_redirects + 1):
            try:
                self.url_guard(current)
            except UnsafeURLError as exc:
                raise FetchError(
                    url, f"redirect to {current!r} refused: {exc.reason}" if current != url else exc.reason
                ) from exc
            status, headers, body = self._get_capped(url, current, want)
            if status in REDIRECT_STATUSES and headers.get("location"):
                current = urljoin(current, headers["location"])
                continue
            if status in RETRY_STATUSES:
                raise TransientFetchError(
                    url,
                    f"HTTP {status}",
                    status=status,
                    retry_after=parse_retry_after(headers.get("retry-after")),
                )
            if status >= 400:
                raise FetchError(url, f"HTTP {status}", status=status)
            content_type = headers.get("content-type", "")
            media_type = content_type.split(";", 1)[0].strip().lower()
            allowed = DATA_TYPES if want == "data" else TEXT_TYPES
            if media_type and not media_type.startswith(allowed):
                what = "a feed or a web page" if want == "data" else "a web page"
                raise FetchError(url, f"not {what}: content type {media_type!r}", status=status)
            _encoding, html = html_to_unicode(content_type or None, body)
            text = html_to_text(html, base_url=current) if want == "markdown" else html
            if want == "data":
                if not text.strip():
                    raise FetchError(url, "empty response", status=status)
            else:
                self._check_size(url, text)
            return FetchedPage(
                url=url,
                final_url=current,
                status=status,
                content_type="text/markdown" if want == "markdown" else (media_type or "text/html"),
                text=text,
                via="direct",
                elapsed_s=self._clock() - started,
            )
        raise FetchError(url, f"more than {self.max_redirects} redirects")

    def _get_capped(self, url: str, current: str, want: Want = "html") -> tuple[int, httpx.Headers, bytes]:
        """One GET of `current` (no redirects), reading at most `max_bytes` of body."""
        headers = {"Accept": DATA_ACCEPT} if want == "data" else None
        try:
            with self._http.stream("GET", current, headers=headers) as response:
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(url, f"page is larger than {self.max_bytes} bytes ({declared})")
                chunks: list[bytes] = []
                size = 0
                if response.status_code not in REDIRECT_STATUSES:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchError(url, f"page is larger than {self.max_bytes} bytes")
                        chunks.append(chunk)
                return response.status_code, response.headers, b"".join(chunks)
        except UnsafeURLError as exc:  # raised by GuardedNetworkBackend when the socket opens
            raise FetchError(url, f"connection to {current!r} refused: {exc.reason}") from exc
        except httpx.TimeoutException as exc:
            raise TransientFetchError(url, f"timed out after {self.timeout_s}s") from exc
        except httpx.TransportError as exc:
            raise TransientFetchError(url, f"connection failed: {exc}") from exc

    def _check_size(self, url: str, text: str) -> None:
        if len(text.strip()) < MIN_BODY_CHARS:
            raise TinyPageError(
                url, f"empty or tiny page ({len(text.strip())} characters, need {MIN_BODY_CHARS})"
            )
