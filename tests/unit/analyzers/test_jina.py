"""PageFetcher through the fake Jina Reader and directly, against a fake site on loopback."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from analyzers.jina import (
    MIN_BODY_CHARS,
    FetchError,
    PageFetcher,
    TokenBucket,
    TransientFetchError,
    parse_retry_after,
)
from famact.settings import Settings, get_settings
from famact.urls import check_public_url
from tests.support.fake_jina import FakeJina, FakeSite, JinaFailure

PAGE = (
    "<html><head><title>Family Events</title></head><body><main>"
    + "".join(
        f'<div class="event"><h3><a href="/events/{i}">Toddler Storytime {i}</a></h3>'
        f"<p>Songs, rhymes and books for ages 1-3. Free, no registration.</p></div>"
        for i in range(5)
    )
    + "</main></body></html>"
)


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def settings_for(**values: Any) -> Settings:
    values.setdefault("allow_private_urls", True)  # the fakes live on 127.0.0.1
    return Settings(**values)


@pytest.fixture
def make_fetcher(clock: FakeClock) -> Iterator[Callable[..., PageFetcher]]:
    made: list[PageFetcher] = []

    def make(settings: Settings | None = None, **kwargs: Any) -> PageFetcher:
        kwargs.setdefault("timeout_s", 2.0)
        kwargs.setdefault("jina_timeout_s", 2.0)
        kwargs.setdefault("backoff_initial_s", 0.5)
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("sleep", clock.sleep)
        fetcher = PageFetcher(settings or settings_for(), **kwargs)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


# ------------------------------------------------------------------------------ rate limit


def test_token_bucket_allows_a_burst_then_paces(clock: FakeClock) -> None:
    bucket = TokenBucket(60, capacity=2, clock=clock, sleep=clock.sleep)
    assert [bucket.acquire() for _ in range(2)] == [0.0, 0.0]
    assert bucket.acquire() == pytest.approx(1.0)  # 60/min: one token a second
    assert bucket.acquire() == pytest.approx(1.0)
    clock.now += 3600  # idle for an hour: the bucket holds `capacity`, not 60 tokens
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]


@pytest.mark.parametrize("limit", [20, 200])
def test_bucket_for_a_limit_never_exceeds_it_in_any_minute(clock: FakeClock, limit: int) -> None:
    bucket = TokenBucket.for_limit(limit, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(limit * 3):
        bucket.acquire()
        times.append(clock.now)
    window: deque[float] = deque()
    for t in times:
        window.append(t)
        while window and window[0] <= t - 60:
            window.popleft()
        assert len(window) <= limit
    # ...and sustains 90% of the limit: 3x the limit takes about 3.2 minutes, not longer.
    assert times[-1] - times[0] <= 60 * (3 * limit - limit // 10) / (0.9 * limit) + 1e-6


def test_rate_limit_depends_on_the_key(make_fetcher: Callable[..., PageFetcher]) -> None:
    without = make_fetcher(settings_for(jina_reader_url="http://127.0.0.1:9"))
    with_key = make_fetcher(settings_for(jina_api_key="jina_x"))
    assert without.rate_limiter.rate_per_second * 60 + without.rate_limiter.capacity == 20
    assert with_key.rate_limiter.rate_per_second * 60 + with_key.rate_limiter.capacity == 200


@pytest.mark.parametrize("key", [None, "jina_x"])
def test_the_rate_limit_setting_replaces_the_free_limits(
    make_fetcher: Callable[..., PageFetcher], key: str | None
) -> None:
    """JINA_REQUESTS_PER_MINUTE: a paid plan's limit, with or without the key's default."""
    fetcher = make_fetcher(settings_for(jina_api_key=key, jina_requests_per_minute=5000))
    assert fetcher.rate_limiter.rate_per_second * 60 + fetcher.rate_limiter.capacity == 5000
    assert fetcher.rate_limiter.capacity == 500  # the burst is a tenth of it, as for the free limits


def test_jina_requests_wait_for_the_rate_limiter(
    fake_jina: FakeJina, site: FakeSite, clock: FakeClock, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    bucket = TokenBucket(6, capacity=1, clock=clock, sleep=clock.sleep)  # one every 10 s
    fetcher = make_fetcher(settings_for(jina_reader_url=fake_jina.url), rate_limiter=bucket)
    for _ in range(3):
        fetcher.fetch(url)
    assert clock.sleeps == [pytest.approx(10.0), pytest.approx(10.0)]
    assert len(fake_jina.requests) == 3


# ------------------------------------------------------------------------------ mode choice


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, False), ({"JINA_API_KEY": "jina_x"}, True), ({"JINA_READER_URL": "http://127.0.0.1:9"}, True)],
)
def test_auto_mode_uses_jina_only_when_configured(
    monkeypatch: pytest.MonkeyPatch,
    make_fetcher: Callable[..., PageFetcher],
    env: dict[str, str],
    expected: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    assert make_fetcher(get_settings()).use_jina is expected


# ------------------------------------------------------------------------------ via Jina


def test_fetch_through_jina_as_html_with_the_key(
    fake_jina: FakeJina, site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    fetcher = make_fetcher(settings_for(jina_reader_url=fake_jina.url, jina_api_key="jina_secret"))
    page = fetcher.fetch(url)
    assert page.via == "jina"
    assert page.text == PAGE
    assert (page.url, page.final_url, page.status, page.content_type) == (url, url, 200, "text/html")
    request = fake_jina.requests[0]
    assert request.target == url
    assert request.authorization == "Bearer jina_secret"
    assert request.return_format == "html"
    assert site.paths == ["/events"]  # the fake Reader fetched it, not the fetcher


def test_fetch_through_jina_as_markdown_without_a_key(
    fake_jina: FakeJina, site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    page = make_fetcher(settings_for(jina_reader_url=fake_jina.url)).fetch(url, want="markdown")
    assert page.via == "jina" and page.content_type == "text/markdown"
    assert "Markdown Content:" in page.text
    assert "### [Toddler Storytime 0](/events/0)" in page.text
    assert fake_jina.requests[0].authorization is None
    assert fake_jina.requests[0].return_format == "markdown"


def test_retry_after_is_honoured(
    fake_jina: FakeJina, site: FakeSite, clock: FakeClock, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    fake_jina.fail(JinaFailure(status=429, retry_after="7"))
    fetcher = make_fetcher(settings_for(jina_reader_url=fake_jina.url, jina_api_key="k"))
    assert fetcher.fetch(url).via == "jina"
    assert clock.sleeps == [7.0]
    assert len(fake_jina.requests) == 2


def test_server_errors_back_off_exponentially(
    fake_jina: FakeJina, site: FakeSite, clock: FakeClock, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    fake_jina.fail(JinaFailure(status=500), JinaFailure(status=503), JinaFailure(status=502))
    fetcher = make_fetcher(settings_for(jina_reader_url=fake_jina.url, jina_api_key="k"), mode="jina")
    assert fetcher.fetch(url).text == PAGE
    assert clock.sleeps == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    ("settings", "sleeps"), [({}, [1.0, 2.0, 4.0]), ({"analysis_backoff_s": 0}, [0, 0, 0])]
)
def test_the_first_backoff_is_the_analysis_backoff_setting(  # noqa: PLR0917 (fixtures and parameters)
    fake_jina: FakeJina,
    site: FakeSite,
    clock: FakeClock,
    make_fetcher: Callable[..., PageFetcher],
    settings: dict[str, float],
    sleeps: list[float],
) -> None:
    """FAMACT_ANALYSIS_BACKOFF_S (default 1 s, doubling) sets the waits of a fetcher built
    without its own; 0 still makes every attempt, only without waiting between them."""
    url = site.page("/events", PAGE)
    fake_jina.fail(JinaFailure(status=500), JinaFailure(status=503), JinaFailure(status=502))
    fetcher = make_fetcher(
        settings_for(jina_reader_url=fake_jina.url, jina_api_key="k", **settings),
        mode="jina",
        backoff_initial_s=None,
    )
    assert fetcher.fetch(url).text == PAGE
    assert clock.sleeps == sleeps
    assert len(fake_jina.requests) == 4


def test_jina_mode_gives_up_after_its_attempts(
    fake_jina: FakeJina, site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    fake_jina.fail(*[JinaFailure(status=500)] * 3)
    fetcher = make_fetcher(settings_for(jina_reader_url=fake_jina.url), mode="jina", attempts=3)
    with pytest.raises(TransientFetchError) as caught:
        fetcher.fetch(url)
    assert caught.value.status == 500
    assert site.paths == []


@pytest.mark.parametrize(
    "failure",
    [JinaFailure(status=500), JinaFailure(status=200, delay_s=0.6, body=PAGE)],
    ids=["5xx", "timeout"],
)
def test_auto_mode_falls_back_to_direct_when_jina_is_down(
    fake_jina: FakeJina, site: FakeSite, make_fetcher: Callable[..., PageFetcher], failure: JinaFailure
) -> None:
    url = site.page("/events", PAGE)
    fake_jina.fail(*[failure] * 2)
    fetcher = make_fetcher(settings_for(jina_reader_url=fake_jina.url), attempts=2, jina_timeout_s=0.2)
    page = fetcher.fetch(url)
    assert page.via == "direct"
    assert page.text == PAGE
    assert len(fake_jina.requests) == 2
    assert site.paths == ["/events"]


def test_auto_mode_falls_back_when_jina_is_unreachable(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    fetcher = make_fetcher(settings_for(jina_reader_url="http://127.0.0.1:9"), attempts=1)
    assert fetcher.fetch(url).via == "direct"


def test_jina_client_error_is_not_retried_or_bypassed(
    fake_jina: FakeJina, site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = f"{site.url}/missing"  # the fake Reader answers 422 for a target that fails
    with pytest.raises(FetchError, match="HTTP 422") as caught:
        make_fetcher(settings_for(jina_reader_url=fake_jina.url)).fetch(url)
    assert not isinstance(caught.value, TransientFetchError)
    assert len(fake_jina.requests) == 1


@pytest.mark.parametrize("body", ["", "   ", "<html><body>Loading…</body></html>"])
def test_tiny_jina_body_is_rejected(
    fake_jina: FakeJina, site: FakeSite, make_fetcher: Callable[..., PageFetcher], body: str
) -> None:
    url = site.page("/events", body or "<html></html>")
    fake_jina.fail(JinaFailure(status=200, body=body))
    with pytest.raises(FetchError, match="tiny page"):
        make_fetcher(settings_for(jina_reader_url=fake_jina.url)).fetch(url)


# ------------------------------------------------------------------------------ direct


def test_direct_fetch_identifies_itself_and_follows_redirects(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    final = site.page("/calendar/", PAGE)
    site.redirect("/old", "/events", status=301)
    site.redirect("/events", final, status=302)  # absolute Location
    start = f"{site.url}/old"
    page = make_fetcher(settings_for(user_agent="famact-test/1 (+https://example.org/bot)")).fetch(start)
    assert page.via == "direct"
    assert (page.url, page.final_url, page.status) == (start, final, 200)
    assert page.text == PAGE
    assert site.paths == ["/old", "/events", "/calendar/"]
    assert {headers.get("User-Agent") for _path, headers in site.requests} == {
        "famact-test/1 (+https://example.org/bot)"
    }


def test_direct_fetch_as_markdown(site: FakeSite, make_fetcher: Callable[..., PageFetcher]) -> None:
    url = site.page("/events", PAGE)
    page = make_fetcher().fetch(url, want="markdown")
    assert page.content_type == "text/markdown"
    assert f"### [Toddler Storytime 1]({site.url}/events/1)" in page.text


def test_direct_fetch_decodes_declared_charsets(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    html = PAGE.replace("Family Events", "Café Événements")
    url = site.page("/latin", html.encode("latin-1"), content_type="text/html; charset=iso-8859-1")
    assert "Café Événements" in make_fetcher().fetch(url).text


def test_too_many_redirects(site: FakeSite, make_fetcher: Callable[..., PageFetcher]) -> None:
    for i in range(7):
        site.redirect(f"/r{i}", f"/r{i + 1}")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        make_fetcher().fetch(f"{site.url}/r0")
    assert len(site.requests) == 6


def test_size_cap(site: FakeSite, make_fetcher: Callable[..., PageFetcher]) -> None:
    url = site.page("/big", PAGE * 10)
    with pytest.raises(FetchError, match="larger than 2000 bytes"):
        make_fetcher(max_bytes=2000).fetch(url)


@pytest.mark.parametrize(
    ("status", "content_type", "message"),
    [
        (404, "text/html", "HTTP 404"),
        (403, "text/html", "HTTP 403"),
        (200, "application/pdf", "not a web page"),
        (200, "image/png", "not a web page"),
    ],
)
def test_direct_errors(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher], status: int, content_type: str, message: str
) -> None:
    url = site.page("/x", PAGE, status=status, content_type=content_type)
    with pytest.raises(FetchError, match=message):
        make_fetcher().fetch(url)
    assert len(site.requests) == 1  # client errors are not retried


def test_direct_server_error_is_retried(
    site: FakeSite, clock: FakeClock, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/flaky", PAGE, status=503, headers={"Retry-After": "3"})
    fetcher = make_fetcher(attempts=2)
    with pytest.raises(TransientFetchError, match="HTTP 503"):
        fetcher.fetch(url)
    assert len(site.requests) == 2
    assert clock.sleeps == [3.0]


def test_direct_timeout_is_a_transient_error(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/slow", PAGE, delay_s=0.6)
    with pytest.raises(TransientFetchError, match="timed out"):
        make_fetcher(timeout_s=0.2, attempts=1).fetch(url)


def test_tiny_direct_page_is_rejected(site: FakeSite, make_fetcher: Callable[..., PageFetcher]) -> None:
    url = site.page("/tiny", "<html><body><p>Hi</p></body></html>")
    with pytest.raises(FetchError, match=f"need {MIN_BODY_CHARS}"):
        make_fetcher().fetch(url)


# ------------------------------------------------------------------------------ SSRF


def test_private_address_refused_without_the_switch(
    fake_jina: FakeJina, site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    for settings in (Settings(), Settings(jina_reader_url=fake_jina.url)):
        with pytest.raises(FetchError, match="loopback"):
            make_fetcher(settings).fetch(url)
    assert site.requests == []
    assert fake_jina.requests == []  # the target is checked before Jina is asked


def test_switch_from_the_environment_allows_loopback(
    monkeypatch: pytest.MonkeyPatch, site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/events", PAGE)
    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    assert make_fetcher(get_settings()).fetch(url).text == PAGE


@pytest.mark.parametrize(
    "location", ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "file:///etc/passwd"]
)
def test_redirect_to_metadata_or_other_scheme_is_refused(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher], location: str
) -> None:
    url = site.redirect("/go", location)
    with pytest.raises(FetchError, match=r"redirect to .* refused"):
        make_fetcher().fetch(url)
    assert site.paths == ["/go"]


@pytest.mark.parametrize(
    "location", ["http://10.0.0.5/admin", "http://2130706433/", "http://[::ffff:192.168.0.1]/"]
)
def test_redirect_from_a_public_page_to_a_private_address_is_refused(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher], location: str
) -> None:
    # The fake site stands in for a public host: the guard trusts its origin only, and judges
    # every other URL with the production rule (private addresses refused).
    def guard(url: str) -> str:
        return url if url.startswith(site.url + "/") else check_public_url(url, allow_private=False)

    url = site.redirect("/go", location)
    with pytest.raises(FetchError, match=r"refused: host .* resolves to a"):
        make_fetcher(url_guard=guard).fetch(url)
    assert site.paths == ["/go"]


def test_sockets_open_only_to_approved_addresses(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    # A URL guard that says yes to everything stands in for a DNS answer that changed between
    # the check and the connection (rebinding): the connect-time check still refuses.
    url = site.page("/events", PAGE)
    fetcher = make_fetcher(Settings(), url_guard=lambda u: u)
    with pytest.raises(FetchError, match=r"connection to .* refused: .*loopback"):
        fetcher.fetch(url)
    assert site.requests == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("soon", None),
        (None, None),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=lambda: 1445412480.0) == expected


# ------------------------------------------------------------------------------ data (feeds)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"events": [{"title": "Lego Club"}]}', "application/json; charset=utf-8"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "application/octet-stream"),
        ('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "application/rss+xml"),
    ],
)
def test_data_fetch_takes_feeds_as_they_are_sent(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher], body: str, content_type: str
) -> None:
    url = site.page("/feed", body, content_type=content_type)
    page = make_fetcher().fetch(url, want="data")
    assert page.text == body  # small bodies are fine: a feed is not a page
    assert page.via == "direct"
    assert "application/json" in site.requests[0][1]["Accept"]


def test_data_fetch_is_direct_even_when_jina_is_configured(
    site: FakeSite, fake_jina: FakeJina, make_fetcher: Callable[..., PageFetcher]
) -> None:
    url = site.page("/api/events", '{"events": []}', content_type="application/json")
    fetcher = make_fetcher(settings_for(jina_reader_url=fake_jina.url, jina_api_key="k"), mode="jina")
    assert fetcher.fetch(url, want="data").text == '{"events": []}'
    assert fake_jina.requests == []


def test_data_fetch_refuses_binaries_and_empty_bodies(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    with pytest.raises(FetchError, match="not a feed or a web page"):
        make_fetcher().fetch(site.page("/logo", "PNG", content_type="image/png"), want="data")
    with pytest.raises(FetchError, match="empty response"):
        make_fetcher().fetch(site.page("/blank", "  \n", content_type="application/json"), want="data")
    # and HTML pages still need a page's worth of text
    with pytest.raises(FetchError, match="not a web page"):
        make_fetcher().fetch(site.page("/api", "{}", content_type="application/json"))


def test_a_dead_site_is_tried_once_for_the_feed_check_and_the_page(
    clock: FakeClock, make_fetcher: Callable[..., PageFetcher]
) -> None:
    """The analysis first asks whether the submitted URL is a feed, then reads it as a page:
    when nobody answers after the first round of retries, the page is not tried again."""
    from analyzers.analyze import PageCache

    cache = PageCache(make_fetcher(attempts=3))
    dead = "http://127.0.0.1:9/events"
    assert cache.get_data(dead) is None
    waited = list(clock.sleeps)
    assert cache.get(dead) is None
    assert clock.sleeps == waited == [0.5, 1.0]  # one round of back-off, not two
    assert "connection failed" in cache.failures[dead]


def test_a_page_answering_an_http_error_to_the_feed_check_is_still_read_as_a_page(
    site: FakeSite, make_fetcher: Callable[..., PageFetcher]
) -> None:
    """Only silence is remembered: a server that answered (with a page or an error) is asked
    for the page as usual."""
    from analyzers.analyze import PageCache

    url = site.page("/events", PAGE)
    cache = PageCache(make_fetcher(attempts=1))
    cache.data[url] = None
    cache.data_failures[url] = "HTTP 406"
    assert cache.get(url) == PAGE
