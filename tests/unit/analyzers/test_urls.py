"""The SSRF guard and URL identity helpers (famact/urls.py)."""

from __future__ import annotations

import pytest

from famact.settings import get_settings
from famact.urls import (
    UnsafeURLError,
    canonical_url,
    check_public_url,
    registered_domain,
    same_site,
)

# (url, a fragment of the reason). Literal addresses and /etc/hosts names only: no DNS.
UNSAFE = [
    ("ftp://example.com/file", "scheme 'ftp'"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("javascript:alert(1)", "scheme 'javascript'"),
    ("gopher://127.0.0.1:70/", "scheme 'gopher'"),
    ("example.com/no-scheme", "scheme '(none)'"),
    ("http:///path-only", "no host"),
    ("", "empty URL"),
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8000/admin", "loopback"),
    ("http://127.255.0.9/", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://LOCALHOST./", "loopback"),
    ("http://2130706433/", "loopback"),  # decimal 127.0.0.1
    ("http://0x7f.1/", "loopback"),  # hex + short form
    ("http://0x7f000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),  # octal
    ("http://017700000001/", "loopback"),  # octal, one number
    ("http://127.1/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::ffff:10.1.2.3]/", "private"),
    ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 around 127.0.0.1
    ("http://[::7f00:1]/", "reserved"),  # IPv4-compatible (deprecated) form
    ("http://10.0.0.5/", "private"),
    ("http://172.16.3.4/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://[fc00::1]/", "private"),
    ("http://[fd12:3456::1]/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata"),
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata host"),
    ("http://100.100.100.200/latest/meta-data/", "cloud metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://100.127.255.254/", "carrier-grade NAT"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "reserved"),
    ("http://192.0.2.10/", "private"),  # TEST-NET-1 documentation range
    ("http://does-not-exist.invalid/", "cannot resolve"),
    ("http://exa mple.com:99999/", "malformed URL"),
]

SAFE = [
    "http://93.184.215.14/",
    "https://8.8.8.8/search?q=kids",
    "http://[2606:4700:4700::1111]/",
    "http://[::ffff:8.8.8.8]/",  # IPv4-mapped public address
    "HTTPS://1.1.1.1:8443/path",
]


@pytest.mark.parametrize(("url", "reason"), UNSAFE)
def test_unsafe_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError) as caught:
        check_public_url(url, allow_private=False)
    assert reason in caught.value.reason
    assert reason in str(caught.value)
    assert caught.value.url == url


@pytest.mark.parametrize("url", SAFE)
def test_public_addresses_pass_unchanged(url: str) -> None:
    assert check_public_url(url, allow_private=False) == url


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/", "http://localhost/", "http://10.0.0.5/", "http://0x7f.1/", "http://[::1]/"],
)
def test_allow_private_lets_local_addresses_through(url: str) -> None:
    assert check_public_url(url, allow_private=True) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/",
        "http://[::ffff:169.254.169.254]/",
        "file:///etc/passwd",
    ],
)
def test_metadata_and_bad_schemes_are_refused_even_when_private_is_allowed(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_public_url(url, allow_private=True)


def test_default_comes_from_famact_allow_private_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnsafeURLError, match="loopback"):
        check_public_url("http://127.0.0.1:9/")
    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    assert check_public_url("http://127.0.0.1:9/") == "http://127.0.0.1:9/"


def test_error_message_names_the_url() -> None:
    with pytest.raises(UnsafeURLError) as caught:
        check_public_url("http://2130706433/secret", allow_private=False)
    assert "http://2130706433/secret" in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://WWW.Example.COM:80/a/b/?b=2&a=1#frag", "http://www.example.com/a/b?a=1&b=2"),
        ("https://Example.com:443/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/events/", "https://example.com/events"),
        ("https://example.com:8443/events/", "https://example.com:8443/events"),
        ("http://example.com:443/x", "http://example.com:443/x"),  # not the default port of http
        ("https://example.com/a%20b/?q=%7e", "https://example.com/a%20b?q=~"),
        ("https://example.com/#top", "https://example.com/"),
        ("http://[::1]:80/x/", "http://[::1]/x"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.seattle.gov/parks/events", "seattle.gov"),
        ("events.kcls.org", "kcls.org"),
        ("https://a.b.example.co.uk/x", "example.co.uk"),
        ("https://WWW.Example.ORG.", "example.org"),
        ("example.org:8080", "example.org"),
        ("http://127.0.0.1:8123/events", "127.0.0.1"),
        ("http://[::1]:8123/", "::1"),
        ("localhost", "localhost"),
        ("https://kidsclub.github.io/events", "kidsclub.github.io"),  # private suffix: own site
        ("http://localhost:5000/", "localhost"),
    ],
)
def test_registered_domain(value: str, expected: str) -> None:
    assert registered_domain(value) == expected


def test_registered_domain_needs_a_host() -> None:
    with pytest.raises(ValueError, match="no host"):
        registered_domain("https:///nothing")


@pytest.mark.parametrize(
    ("url", "domains", "expected"),
    [
        ("https://www.example.org/a", ["example.org"], True),
        ("https://example.org/a", ["example.org"], True),
        ("https://events.EXAMPLE.org/a", ["example.org"], True),
        ("https://notexample.org/a", ["example.org"], False),
        ("https://example.org.evil.com/a", ["example.org"], False),
        ("https://evil.com/?u=example.org", ["example.org"], False),
        ("http://127.0.0.1:9/x", ["127.0.0.1"], True),
        ("https://b.com/", ["a.com", "b.com"], True),
        ("https://b.com/", [], False),
        ("not a url", ["example.org"], False),
    ],
)
def test_same_site(url: str, domains: list[str], expected: bool) -> None:
    assert same_site(url, domains) is expected
