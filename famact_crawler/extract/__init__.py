"""The one extraction engine (selectors + schema.org data) shared by the spider and the analyzer.

It works on a plain HTML string and never imports Scrapy: `engine.extract_page` /
`engine.extract_detail` for whole pages, `selectors` for one selector, `structured` for
JSON-LD and microdata.
"""

from famact_crawler.extract.engine import PageExtraction, extract_detail, extract_page, merge_listings
from famact_crawler.extract.selectors import extract_value, select_nodes, visible_text
from famact_crawler.extract.structured import StructuredItem, StructuredResult, structured_listings

__all__ = [
    "PageExtraction",
    "StructuredItem",
    "StructuredResult",
    "extract_detail",
    "extract_page",
    "extract_value",
    "merge_listings",
    "select_nodes",
    "structured_listings",
    "visible_text",
]
