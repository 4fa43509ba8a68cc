"""Shared helpers for the heuristic analyzer tests: load a page, compare element sets, read
titles with the crawler's own extraction engine."""

from __future__ import annotations

from pathlib import Path

from parsel import Selector

from analyzers.heuristics import PageSample
from famact.models import SelectorSpec, SourceConfig
from famact_crawler.extract.engine import extract_page
from famact_crawler.extract.selectors import select_nodes

PAGES = Path(__file__).parent / "pages"


def load(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def sample(name: str, url: str, *, rendered: bool = False) -> PageSample:
    return PageSample(url=url, html=load(name), rendered=rendered)


def element_paths(html: str, spec: SelectorSpec) -> list[str]:
    """Document paths of the elements a selector matches (to compare two selectors)."""
    page = Selector(text=html)
    tree = page.root.getroottree()
    return [tree.getpath(m.root) for m in select_nodes(page, spec)]


def engine_titles(html: str, url: str, config: SourceConfig) -> list[str]:
    """Titles the crawl would get from this page: listings plus the teasers of detail requests."""
    result = extract_page(html, url, config)
    titles = [item.fields.get("title", "") for item in result.listings]
    titles += [teaser.fields.get("title", "") for _, teaser in result.detail_requests]
    return titles


def precision_recall(found: list[str], expected: list[str]) -> tuple[float, float]:
    found_set, expected_set = set(found), set(expected)
    hits = len(found_set & expected_set)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(expected_set) if expected_set else 1.0
    return precision, recall
