"""A data feed's response as listings: the spider's counterpart of `extract.engine` for
sources of kind ics, rss and json_api.

The parsers live in the core (`famact.feeds`); this module wraps their raw fields as
`RawListing`s with the response's provenance, and returns the same `PageExtraction` the HTML
engine does so the spider counts and yields them the same way. A feed has no links to follow:
the only further request is a JSON API's next page.
"""

from __future__ import annotations

from datetime import date

from scrapy.http import Response

from famact.constants import SourceKind
from famact.feeds import FeedRecords
from famact.feeds.ics import parse_ics
from famact.feeds.jsonapi import parse_json
from famact.feeds.rss import parse_rss
from famact.models import FeedConfig, RawListing, SourceConfig
from famact_crawler.extract.engine import PageExtraction, url_allowed


def parse_feed(body: bytes | str, url: str, config: SourceConfig, today: date) -> FeedRecords:
    """The feed's records; raises `famact.feeds.FeedError` when the feed cannot be read."""
    feed = config.feed or FeedConfig()
    if config.kind is SourceKind.ICS:
        return parse_ics(body, today, feed.horizon_days, feed.max_items)
    if config.kind is SourceKind.RSS:
        return parse_rss(body, feed.max_items)
    if config.kind is SourceKind.JSON_API:
        return parse_json(body, feed, url)
    raise ValueError(f"not a feed source: kind {config.kind}")


def extract_feed(response: Response, config: SourceConfig, today: date) -> PageExtraction:
    return feed_extraction(response.body, response.url, config, today)


def feed_extraction(body: bytes | str, url: str, config: SourceConfig, today: date) -> PageExtraction:
    """The listings of one feed document at `url`: what the crawl yields and what the
    analyzer's trial run scores."""
    records = parse_feed(body, url, config, today)
    extraction = PageExtraction()
    for fields in records.records:
        link = fields.get("url")
        extraction.listings.append(
            RawListing(
                source_id=config.source_id,
                page_url=url,
                url=link if link and link.startswith(("http://", "https://")) else None,
                fields=fields,
                extracted_via="feed",
            )
        )
    extraction.stats["feed_records"] = len(records.records)
    for reason, count in records.skipped.items():
        extraction.stats[f"feed_skipped_{reason}"] = count
    if records.next_url and url_allowed(records.next_url, config.allowed_domains):
        extraction.next_pages.append(records.next_url)
    return extraction
