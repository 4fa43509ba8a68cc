"""URL safety and identity: the SSRF guard, canonical URLs and registered domains.

Every URL that comes from a user (a submission, a hint URL) or from a page (a redirect, a
link the analyzer follows) passes `check_public_url` before anything connects to it
(ARCHITECTURE section 6). The guard resolves the host and refuses it when *any* address it
resolves to is not a public unicast address, so a DNS name that points at 127.0.0.1, the
numeric tricks `http://2130706433/` and `http://0x7f.1/`, and IPv4-mapped IPv6 all fail the
same way. Tests and the local demo serve pages on loopback and set
`FAMACT_ALLOW_PRIVATE_URLS=1`; cloud metadata endpoints stay refused even then, because no
test or demo needs them and they are the classic SSRF prize.

`public_addresses` is the same rule for a host name alone: HTTP clients call it when they open
a connection and connect to an address it returned, so a DNS-rebinding server that answers
differently on the second lookup gains nothing (see `analyzers.jina`).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url

from famact.settings import get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Cloud metadata services: AWS/GCP/Azure/OpenStack (169.254.169.254), AWS IPv6 (fd00:ec2::254),
# Alibaba (100.100.100.200), and the names that point at them.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),
        ipaddress.ip_address("fd00:ec2::254"),
        ipaddress.ip_address("100.100.100.200"),
    }
)
METADATA_HOSTNAMES = frozenset(
    {"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"}
)
# Shared address space (RFC 6598); not `is_private` in every Python version, so named here.
CGNAT = ipaddress.ip_network("100.64.0.0/10")

# What inet_aton accepts besides dotted quads: 2130706433, 0x7f.1, 0177.0.0.1, 127.1.
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)


class UnsafeURLError(ValueError):
    """A URL the system must not fetch; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"unsafe URL {url[:200]!r}: {reason}")


def _ip_problem(ip: IPAddress) -> str | None:
    """Why `ip` is not a public unicast address, or None when it is."""
    if ip in METADATA_ADDRESSES:
        return "cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 2002::/16 (6to4) and 64:ff9b::/96 carry an IPv4 address inside.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = _ip_problem(embedded)
            return f"{inner} (embedded in IPv6 {ip})" if inner else None
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("carrier-grade NAT", isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not globally routable", not ip.is_global),
    )
    return next((f"{name} address {ip}" for name, bad in checks if bad), None)


def _literal_ip(host: str) -> IPAddress | None:
    """The address a host literal denotes, including the legacy numeric IPv4 forms."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def _resolve(host: str, port: int | None) -> list[IPAddress]:
    infos = socket.getaddrinfo(host, port or 0, proto=socket.IPPROTO_TCP)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        # IPv6 sockaddr may carry a zone ("fe80::1%eth0"); the zone is not part of the address.
        text = str(sockaddr[0]).split("%", 1)[0]
        addresses.append(ipaddress.ip_address(text))
    return addresses


def public_addresses(
    host: str, port: int | None = None, *, allow_private: bool | None = None, resolve: bool = True
) -> list[IPAddress]:
    """The addresses `host` resolves to, all checked; raise `UnsafeURLError` if any is refused.

    HTTP clients call this at connect time too (and connect to an address it returned), so a
    name that resolves differently on the second lookup (DNS rebinding) gains nothing. With
    `resolve=False` a host name is not looked up (the caller checks its addresses when it
    connects: the crawl's DNS resolver does) and only literals and metadata names are checked.
    """
    if allow_private is None:
        allow_private = get_settings().allow_private_urls
    host = host.strip("[]").rstrip(".").lower()
    label = f"{host}:{port}" if port else host
    if host in METADATA_HOSTNAMES:
        raise UnsafeURLError(label, f"cloud metadata host {host!r}")
    literal = _literal_ip(host)
    if literal is not None:
        addresses = [literal]
    elif not resolve:
        return []
    else:
        try:
            addresses = _resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeURLError(label, f"cannot resolve host {host!r}: {exc}") from exc
        if not addresses:
            raise UnsafeURLError(label, f"cannot resolve host {host!r}: no addresses")
    for ip in addresses:
        check_address(ip, host=host, allow_private=allow_private)
    return addresses


def check_address(ip: IPAddress | str, *, host: str, allow_private: bool) -> IPAddress:
    """Refuse (`UnsafeURLError`) an address `host` resolved to unless it is public unicast, or
    private / loopback while `allow_private`; cloud metadata addresses are always refused."""
    address = ipaddress.ip_address(str(ip).split("%", 1)[0]) if isinstance(ip, str) else ip
    problem = _ip_problem(address)
    if problem is not None and (problem.startswith("cloud metadata") or not allow_private):
        raise UnsafeURLError(host, f"host {host!r} resolves to a {problem}")
    return address


def check_public_url(url: str, *, allow_private: bool | None = None, resolve: bool = True) -> str:
    """Return `url` unchanged when it is safe to fetch; raise `UnsafeURLError` otherwise.

    Safe means: http or https, a host, and every address the host resolves to is public.
    `allow_private` (default: `FAMACT_ALLOW_PRIVATE_URLS`) lifts the address rule for
    loopback/private networks, never for cloud metadata endpoints. `resolve=False` skips the
    DNS lookup of a host name, for callers that check addresses at connect time.
    """
    if not isinstance(url, str) or not url.strip():
        raise UnsafeURLError(str(url), "empty URL")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(url, f"malformed URL: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(url, f"scheme {parts.scheme or '(none)'!r} is not http or https")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeURLError(url, "no host")
    try:
        public_addresses(host, port, allow_private=allow_private, resolve=resolve)
    except UnsafeURLError as exc:
        raise UnsafeURLError(url, exc.reason) from exc
    return url


def canonical_url(url: str) -> str:
    """One spelling per page: w3lib canonical form (sorted query, normalised escapes), lower
    case host, no fragment, no default port, no trailing slash on the path except the root."""
    canonical = canonicalize_url(url.strip(), keep_fragments=False)
    parts = urlsplit(canonical)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The bundled public-suffix snapshot only: the system never fetches the list at run time.
    # Private suffixes count (github.io, blogspot.com): two users' sites there are two sites.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _host_of(url_or_host: str) -> str:
    text = url_or_host.strip()
    # A bare host ("www.example.org", "example.org:8080") parses as a network location.
    host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    return host.rstrip(".").lower()


def registered_domain(url_or_host: str) -> str:
    """`events.seattle.gov` -> `seattle.gov`; an IP address or `localhost` is its own domain."""
    host = _host_of(url_or_host)
    if not host:
        raise ValueError(f"no host in {url_or_host[:200]!r}")
    if _literal_ip(host) is not None:
        return host
    result = _extractor()(host)
    return result.top_domain_under_public_suffix or host


def same_site(url: str, allowed_domains: Iterable[str]) -> bool:
    """True when the URL's host is one of `allowed_domains` or a subdomain of one."""
    host = _host_of(url)
    if not host:
        return False
    domains = (d.strip().rstrip(".").lower() for d in allowed_domains)
    return any(d and (host == d or host.endswith("." + d)) for d in domains)
