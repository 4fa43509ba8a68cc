"""The plain-Scrapy baseline of the crawl benchmark (a helper, not a benchmark).

`python -m benchmarks.plain_spider --config FILE` crawls a source the way a hand-written Scrapy
spider would: the same listing, detail-follow, field and next-page selectors as the famact
config, yielding plain dicts, with no item pipelines and no famact extensions. Its Scrapy
settings are famact's own (`famact_crawler.settings` plus the per-source values of
`source_settings`), minus the pipelines, extensions and browser settings, so both crawls run
with the same concurrency, download delay, AutoThrottle, robots.txt and retry settings.

Prints `{"stats": {...}}` (the crawl's final Scrapy stats) as one JSON line on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

import famact_crawler.settings as famact_settings
from famact.constants import ExtractMode, SelectorKind
from famact.models import SelectorSpec, SourceConfig
from famact_crawler.spiders.source import load_config_file, source_settings

# famact-only settings the baseline leaves out: everything else is copied.
EXCLUDED = ("ITEM_PIPELINES", "EXTENSIONS", "FAMACT_", "PLAYWRIGHT_", "SPIDER_MODULES", "NEWSPIDER_MODULE")


def baseline_settings(config: SourceConfig) -> dict[str, Any]:
    settings = {
        name: getattr(famact_settings, name)
        for name in dir(famact_settings)
        if name.isupper() and not name.startswith(EXCLUDED)
    }
    settings.update(source_settings(config))
    settings["LOG_LEVEL"] = "WARNING"
    return settings


def select(root: Any, spec: SelectorSpec) -> Any:
    return root.xpath(spec.query) if spec.kind is SelectorKind.XPATH else root.css(spec.query)


def value(root: Any, spec: SelectorSpec) -> str | None:
    """The first match's attribute or its whitespace-folded text, as a plain spider takes it."""
    matches = select(root, spec)
    if not matches:
        return None
    first = matches[0]
    if spec.extract is ExtractMode.ATTR:
        return first.attrib.get(spec.attr or "")
    return " ".join(" ".join(first.xpath(".//text()").getall()).split()) or None


class PlainSpider(scrapy.Spider):
    name = "plain"

    def __init__(self, config: SourceConfig, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.allowed_domains = list(config.allowed_domains)

    async def start(self) -> Any:
        for url in self.config.target_urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Response) -> Iterator[Any]:
        listing, detail = self.config.listing, self.config.detail
        assert listing is not None
        self.crawler.stats.inc_value("plain/pages/listing")
        for node in select(response, listing.item):
            teaser = {name: value(node, spec) for name, spec in listing.fields.items()}
            href = value(node, detail.follow) if detail and detail.follow else None
            if href:
                yield response.follow(href, callback=self.parse_detail, cb_kwargs={"teaser": teaser})
            else:
                yield teaser
        pagination = listing.pagination
        if pagination and pagination.next_page:
            href = value(response, pagination.next_page)
            if href:
                yield response.follow(href, callback=self.parse)

    def parse_detail(self, response: Response, teaser: dict[str, Any]) -> Iterator[dict[str, Any]]:
        assert self.config.detail is not None
        self.crawler.stats.inc_value("plain/pages/detail")
        item = dict(teaser)
        for name, spec in self.config.detail.fields.items():
            found = value(response, spec)
            if found:
                item[name] = found
        item["url"] = response.url
        yield item


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plain_spider")
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)
    config = load_config_file(args.config)
    process = CrawlerProcess(baseline_settings(config), install_root_handler=True)
    crawler = process.create_crawler(PlainSpider)
    process.crawl(crawler, config=config)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    json.dump({"stats": {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
