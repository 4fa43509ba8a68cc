"""Proposing a config for a source's data feed, and deciding when the feed beats the page.

The order is data before markup: a submitted URL that answers with ICS, RSS/Atom or JSON is
analyzed as that feed; a page that announces a feed (or runs on a platform with a well-known
feed endpoint) gets its feed tried beside the page's own markup. Both proposals are tested by
running them, and the feed is chosen when it covers what the page lists, by count and by
titles, so a feed of last year's news never replaces a page of this month's events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from analyzers.discovery import registered_domain
from analyzers.feed_discovery import FeedLink, feed_links, find_records, sniff_kind
from analyzers.platforms import detect_platform_html
from famact.constants import SelectorKind, SourceKind, SourceType
from famact.feeds.base import FeedError
from famact.feeds.jsonapi import load_document
from famact.models import FeedConfig, SelectorSpec, SourceConfig
from famact.normalize.text import collapse_spaces

MAX_FEED_PROBES = 3
# A feed covers a page when it holds at least this share of the page's listings, by count
# and by title.
COVERAGE = 0.6
# A record field guessed by `find_records` -> the listing field the config names.
_ROLE_FIELDS = {
    "title": "title",
    "start_date": "date",
    "end_date": "end_date",
    "url": "url",
    "venue": "venue",
    "description": "description",
    "price": "price",
    "ages": "ages",
}


@dataclass(frozen=True)
class FeedCandidate:
    """A URL whose body is a feed, with what it is and why it was tried."""

    url: str
    kind: SourceKind
    why: str
    body: str


def probe(url: str, why: str, fetch_data: Callable[[str], str | None]) -> FeedCandidate | None:
    """The feed at `url`, by its body (links lie: a `.ics` link may answer with a page)."""
    body = fetch_data(url)
    if body is None:
        return None
    kind = sniff_kind(body)
    if kind is SourceKind.HTML:
        return None
    return FeedCandidate(url=url, kind=kind, why=why, body=body)


def announced_feeds(
    pages: list[tuple[str, str]], fetch_data: Callable[[str], str | None], *, limit: int = MAX_FEED_PROBES
) -> list[FeedCandidate]:
    """Feeds the fetched pages (url, html) announce or their platform serves, at most `limit`
    probed."""
    links: dict[str, FeedLink] = {}
    for url, html in pages:
        for link in feed_links(html, url, detect_platform_html(html)):
            links.setdefault(link.url, link)
    found = []
    for link in list(links.values())[:limit]:
        candidate = probe(link.url, link.why, fetch_data)
        if candidate is not None:
            found.append(candidate)
    return found


def feed_config(
    candidate: FeedCandidate,
    *,
    source_id: str,
    source_name: str,
    base_url: str,
    source_type: SourceType = SourceType.EVENT_CALENDAR,
) -> SourceConfig | None:
    """A config that crawls the feed (from the feed's and the base URL's sites); None for a
    JSON document with no listing records."""
    feed = FeedConfig()
    if candidate.kind is SourceKind.JSON_API:
        try:
            guess = find_records(load_document(candidate.body))
        except (FeedError, ValueError):
            return None
        if guess is None:
            return None
        feed = FeedConfig(
            records=guess.records,
            fields={
                _ROLE_FIELDS[role]: SelectorSpec(kind=SelectorKind.JSONPATH, query=path)
                for role, path in guess.fields.items()
            },
        )
    return SourceConfig(
        source_id=source_id,
        source_name=source_name,
        source_type=source_type,
        kind=candidate.kind,
        base_url=base_url,
        target_urls=[candidate.url],
        allowed_domains=sorted(
            {
                registered_domain(host)
                for host in (urlsplit(u).hostname for u in (candidate.url, base_url))
                if host
            }
        ),
        feed=feed,
    )


def _title_key(title: str) -> str:
    return collapse_spaces(title).casefold()


def coverage(feed_titles: list[str], page_titles: list[str]) -> float:
    """The share of the page's listing titles the feed also holds (1.0 for an empty page)."""
    wanted = {_title_key(t) for t in page_titles if t.strip()}
    if not wanted:
        return 1.0
    have = {_title_key(t) for t in feed_titles if t.strip()}
    return len(wanted & have) / len(wanted)


def feed_wins(feed_titles: list[str], page_titles: list[str]) -> tuple[bool, str]:
    """Whether the feed replaces the page's markup, and the reason recorded in the analysis."""
    if not feed_titles:
        return False, "the feed held no listings"
    if not page_titles:
        return True, f"the page's markup gave no listings; the feed gave {len(feed_titles)}"
    share = coverage(feed_titles, page_titles)
    enough = len(feed_titles) >= COVERAGE * len(page_titles)
    if share >= COVERAGE and enough:
        return True, (
            f"its {len(feed_titles)} listings cover {share:.0%} of the page's {len(page_titles)} titles"
        )
    if share < COVERAGE:
        return False, f"the feed covers only {share:.0%} of the page's {len(page_titles)} titles"
    return False, f"the feed has {len(feed_titles)} listings against the page's {len(page_titles)}"
