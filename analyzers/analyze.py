"""The analysis pipeline: fetch a source's pages, propose a crawl config, RUN it, score it.

1. Fetch the base URL and the hint URLs (Jina Reader or directly, SSRF-checked), discover
   likely listing pages from the home page, fetch those too.
2. Propose a config with the heuristics (always) and, when an OpenAI key is set, with the LLM
   from trimmed HTML skeletons; render in Chromium when the raw HTML has no listings.
3. Test every proposal by running it through the crawler's own extraction engine and the same
   listing path as a crawl (`famact.listing.process_listing`), on the fetched pages (plus a
   few detail pages and the next listing page), and score per-field completeness and item
   count.
4. A failing LLM proposal gets the test's findings back as feedback, at most twice; the best
   scoring config wins (the heuristics cross-check the model and catch its mistakes).

`analyze` returns a `SourceAnalysis`; the workflow stores it and moves the source's status.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from analyzers import feed_analysis
from analyzers.discovery import is_site_root
from analyzers.feed_discovery import looks_like_feed_url
from analyzers.heuristics import (
    PageSample,
    Proposal,
    classify_page,
    discover_listing_urls,
    needs_browser,
    propose_config,
)
from analyzers.jina import MIN_BODY_CHARS, FetchError, PageFetcher, TransientFetchError
from analyzers.title_filter import infer_title_filter
from famact.constants import AnalysisMethod, EntityType, RenderMode, SourceKind
from famact.errors import validation_message
from famact.feeds import FeedError
from famact.listing import Dropped, output_row, process_listing
from famact.models import FieldCheck, RawListing, SourceAnalysis, SourceConfig
from famact.settings import get_settings
from famact_crawler.extract.engine import extract_detail, extract_page
from famact_crawler.extract.feeds import feed_extraction

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]

MAX_LISTING_PAGES = 4
MAX_DETAIL_SAMPLES = 3
MAX_LLM_RETRIES = 2
# A typical analysis is one call of ~3,000 tokens; the cap leaves room for two feedback
# retries, which resend smaller skeletons.
TOKEN_BUDGET = 12_000
SKELETON_CHARS = 6_000
ANSWER_TOKENS = 700
GOOD_ENOUGH = 0.75
# Field weights of the quality score: what a parent needs to act on a listing.
FIELD_WEIGHTS = {
    "title": 0.3,
    "date": 0.25,
    "url": 0.1,
    "description": 0.1,
    "price": 0.1,
    "venue": 0.1,
    "ages": 0.05,
}


class AnalysisError(Exception):
    """The analysis could not run at all (the base URL cannot be fetched)."""


@dataclass
class ConfigTestResult:
    config: SourceConfig
    item_count: int = 0
    listings: list[RawListing] = field(default_factory=list)
    sample_items: list[dict[str, Any]] = field(default_factory=list)
    field_completeness: dict[str, float] = field(default_factory=dict)
    pages_tested: list[dict[str, Any]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    score: float = 0.0
    # Listings the crawl would drop, by reason ("membership", "no_title", "invalid_entity").
    dropped: Counter[str] = field(default_factory=Counter)


def _quiet(_: str) -> None:
    return None


class PageCache:
    """Fetched pages by URL, so every proposal is tested on the same HTML."""

    def __init__(self, fetcher: PageFetcher) -> None:
        self.fetcher = fetcher
        self.pages: dict[str, str] = {}
        self.failures: dict[str, str] = {}
        self.data: dict[str, str | None] = {}
        self.data_failures: dict[str, str] = {}
        self.unreachable: set[str] = set()

    def get_data(self, url: str) -> str | None:
        """The body of a feed or API as sent (fetched directly, never through Jina)."""
        if url not in self.data:
            try:
                self.data[url] = self.fetcher.fetch(url, want="data").text
            except FetchError as exc:
                self.data_failures[url] = str(exc)
                self.data[url] = None
                if isinstance(exc, TransientFetchError) and exc.status is None:
                    self.unreachable.add(url)  # no answer after every retry: no server there
        return self.data[url]

    def getter(self, config: SourceConfig) -> Callable[[str], str | None]:
        """How a config's target pages are read: feeds as sent, pages as HTML."""
        return self.get if config.kind is SourceKind.HTML else self.get_data

    def get(self, url: str) -> str | None:
        if url in self.pages:
            return self.pages[url]
        fetched_as_data = self.data.get(url)
        if not self.fetcher.use_jina and fetched_as_data and len(fetched_as_data.strip()) >= MIN_BODY_CHARS:
            # The same direct GET already answered with this page: no second request.
            self.pages[url] = fetched_as_data
            return fetched_as_data
        if url in self.failures:
            return None
        if url in self.unreachable and not self.fetcher.use_jina:
            # The same direct GET found nobody answering, after its retries: a second round
            # of them would only double the wait on a dead site.
            self.failures[url] = self.data_failures[url]
            return None
        try:
            page = self.fetcher.fetch(url, want="html")
        except FetchError as exc:
            self.failures[url] = str(exc)
            return None
        self.pages[url] = page.text
        if page.final_url and page.final_url != url:
            self.pages.setdefault(page.final_url, page.text)
        return page.text


# -- testing a config ------------------------------------------------------------------------


def trial_config(
    config: SourceConfig,
    fetch: Callable[[str], str | None],
    *,
    today: date,
    max_detail: int = MAX_DETAIL_SAMPLES,
    follow_next: bool = True,
) -> ConfigTestResult:
    """Run `config` with the crawler's extraction engine on its target pages (and a few detail
    pages and the next listing page) and score what comes out."""
    if config.kind is not SourceKind.HTML:
        return _trial_feed(config, fetch, today=today)
    result = ConfigTestResult(config=config)
    listings: list[RawListing] = []
    teasers: list[RawListing] = []
    detail_urls: list[tuple[str, RawListing]] = []
    queue = [(url, 1) for url in config.target_urls[:MAX_LISTING_PAGES]]
    seen_pages: set[str] = set()
    stats: Counter[str] = Counter()
    while queue:
        url, number = queue.pop(0)
        if url in seen_pages:
            continue
        seen_pages.add(url)
        html = fetch(url)
        if html is None:
            result.issues.append(f"could not fetch {url}")
            continue
        extraction = extract_page(html, url, config, page_number=number)
        stats.update(extraction.stats)
        listings.extend(extraction.listings)
        detail_urls.extend(extraction.detail_requests)
        result.pages_tested.append(
            {
                "url": url,
                "page": number,
                "listings": len(extraction.listings),
                "detail_links": len(extraction.detail_requests),
                "next_pages": extraction.next_pages[:2],
            }
        )
        found = len(extraction.listings) + len(extraction.detail_requests)
        if follow_next and number == 1 and found and extraction.next_pages:
            queue.append((extraction.next_pages[0], 2))
    for url, teaser in detail_urls[:max_detail]:
        html = fetch(url)
        if html is None:
            result.issues.append(f"could not fetch detail page {url}")
            listings.append(teaser)
            continue
        detail = extract_detail(html, url, config, teaser)
        stats.update(detail.stats)
        listings.extend(detail.listings or [teaser])
    teasers = [teaser for _, teaser in detail_urls[max_detail:]]
    result.item_count = len(listings) + len(teasers)
    result.listings = listings + teasers
    if stats.get("jsonld_malformed"):
        result.issues.append(f"{stats['jsonld_malformed']} malformed JSON-LD block(s) skipped")
    _score(result, today)
    return result


def _trial_feed(config: SourceConfig, fetch: Callable[[str], str | None], *, today: date) -> ConfigTestResult:
    """A feed config's trial: its feed URLs parsed as the crawl parses them (and a JSON API's
    next page), scored like a page's listings."""
    result = ConfigTestResult(config=config)
    queue = list(config.target_urls[:MAX_LISTING_PAGES])
    seen: set[str] = set()
    while queue and len(seen) < MAX_LISTING_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        body = fetch(url)
        if body is None:
            result.issues.append(f"could not fetch {url}")
            continue
        try:
            extraction = feed_extraction(body, url, config, today)
        except FeedError as exc:
            result.issues.append(f"{url}: {exc}")
            continue
        result.listings.extend(extraction.listings)
        result.pages_tested.append({"url": url, "page": len(seen), "listings": len(extraction.listings)})
        queue.extend(extraction.next_pages[:1])
        skipped = {k: v for k, v in extraction.stats.items() if k.startswith("feed_skipped_")}
        if skipped:
            result.issues.append(
                "feed records skipped: "
                + ", ".join(f"{k.removeprefix('feed_skipped_')} {v}" for k, v in skipped.items())
            )
    result.item_count = len(result.listings)
    _score(result, today)
    return result


def _score(result: ConfigTestResult, today: date) -> None:
    sample = result.listings
    if not sample:
        result.issues.append("the config found no listings on the tested pages")
        result.score = 0.0
        return
    counts: Counter[str] = Counter()
    for listing in sample:
        present = {name for name, value in listing.fields.items() if value and value.strip()}
        if listing.url:
            present.add("url")
        counts.update(present)
    n = len(sample)
    result.field_completeness = {name: round(counts[name] / n, 3) for name in sorted(counts)}
    items: list[dict[str, Any]] = []
    types: Counter[str] = Counter()
    for listing in sample:
        # The crawl's own listing path (no second opinion: an analysis spends its tokens on
        # the config), so the samples are what a crawl of this config would store.
        entity = process_listing(listing, result.config, today)
        if isinstance(entity, Dropped):
            result.dropped[entity.scope or entity.reason] += 1
            continue
        types[entity.entity_type.value] += 1
        if len(items) < 25:
            row = output_row(entity)
            items.append(
                {
                    key: row.get(key)
                    for key in (
                        "entity_type",
                        "name",
                        "start_date",
                        "end_date",
                        "start_time",
                        "days_of_week",
                        "recurring",
                        "price_usd",
                        "min_age_months",
                        "max_age_months",
                        "venue_name",
                        "status",
                        "url",
                        "category",
                    )
                }
                | {"classification": row.get("classification")}
            )
    result.sample_items = items
    weights = dict(FIELD_WEIGHTS)
    if types and (types["VENUE"] + types["ATTRACTION"]) > n / 2:
        # Places have no dates: their quality is in description, address and hours.
        weights["description"] += weights.pop("date")
    completeness = sum(w * result.field_completeness.get(f, 0.0) for f, w in weights.items()) / sum(
        weights.values()
    )
    # One listing per title and date: a weekly storytime or a board's monthly meeting repeats
    # its title on other dates, and that is not a selector that is too broad.
    keys = [
        ((listing.fields.get("title") or "").strip().lower(), (listing.fields.get("date") or "").strip())
        for listing in sample
    ]
    uniqueness = len(set(keys)) / max(len(keys), 1)
    item_score = min(1.0, n / 5)
    result.score = round(0.35 * item_score + 0.65 * completeness * uniqueness, 3)
    if uniqueness < 0.7:
        result.issues.append(
            f"only {uniqueness:.0%} of listings differ in title or date: the item selector may be too broad"
        )
    for name in ("title", "date"):
        share = result.field_completeness.get(name, 0.0)
        if share < 0.5 and not (name == "date" and "date" not in weights):
            result.issues.append(f"field {name!r} found in {share:.0%} of listings")


# -- proposing ---------------------------------------------------------------------------------


def _gather_pages(
    base_url: str, hint_urls: list[str], cache: PageCache, progress: Progress
) -> tuple[list[PageSample], list[str]]:
    progress(f"fetching {base_url}")
    home_html = cache.get(base_url)
    if home_html is None:
        raise AnalysisError(
            f"base_url: cannot fetch {base_url}: {cache.failures.get(base_url, 'unknown error')}"
        )
    home = PageSample(url=base_url, html=home_html)
    # The submitted page is what the founder wants crawled: it is sampled first, then the
    # hints; discovery only adds pages after them. A site's root page is the exception: its
    # listings are often teasers of the pages discovered from it, so it comes last, and only
    # when it lists anything.
    root = is_site_root(base_url)
    candidates: list[str] = [] if root else [base_url]
    candidates += hint_urls
    candidates += discover_listing_urls(home, limit=MAX_LISTING_PAGES)
    if root and classify_page(home) == "listing":
        candidates.append(base_url)
    issues: list[str] = []
    samples: list[PageSample] = []
    seen: set[str] = set()
    for url in candidates:
        if url in seen or len(samples) >= MAX_LISTING_PAGES:
            continue
        seen.add(url)
        if url != base_url:
            progress(f"fetching {url}")
        html = cache.get(url)
        if html is None:
            issues.append(f"could not fetch {url}: {cache.failures.get(url)}")
            continue
        samples.append(PageSample(url=url, html=html))
    if not samples:
        samples = [home]
    return samples, issues


def _with_detail_samples(
    pages: list[PageSample], proposal: Proposal, cache: PageCache, progress: Progress
) -> Proposal:
    """When the proposal follows detail links, fetch two detail pages and propose again so
    the detail fields come from real detail pages."""
    config = proposal.config
    if config.detail is None:
        return proposal
    detail_pages: list[PageSample] = []
    for page in pages:
        extraction = extract_page(page.html, page.url, config)
        for url, _ in extraction.detail_requests[:2]:
            progress(f"fetching detail page {url}")
            html = cache.get(url)
            if html is not None:
                detail_pages.append(PageSample(url=url, html=html))
        if detail_pages:
            break
    if not detail_pages:
        return proposal
    return propose_config(
        pages + detail_pages,
        source_id=config.source_id,
        source_name=config.source_name,
        base_url=config.base_url,
    )


def _render_pages(pages: list[PageSample], progress: Progress) -> list[PageSample]:
    from analyzers.render import RenderError, browser_available, render_pages

    if not browser_available():
        return []
    urls = [page.url for page in pages[:2]]
    progress(f"rendering {', '.join(urls)} in Chromium")
    try:
        outs = render_pages(urls, user_agent=get_settings().user_agent)
    except RenderError as exc:
        logger.warning("%s", exc)
        return []
    rendered = []
    for url, out in zip(urls, outs, strict=True):
        if isinstance(out, RenderError):
            logger.warning("%s", out)
            continue
        rendered.append(PageSample(url=url, html=out.html, rendered=True))
    return rendered


def _heuristic_result(
    pages: list[PageSample],
    *,
    source_id: str,
    source_name: str,
    base_url: str,
    cache: PageCache,
    today: date,
    progress: Progress,
) -> tuple[Proposal | None, ConfigTestResult | None, list[str]]:
    issues: list[str] = []
    try:
        proposal = propose_config(pages, source_id=source_id, source_name=source_name, base_url=base_url)
    except (ValueError, ValidationError) as exc:
        return None, None, [f"heuristics: {exc}"]
    proposal = _with_detail_samples(pages, proposal, cache, progress)
    result = trial_config(proposal.config, cache.get, today=today)
    if result.item_count == 0:
        rendered = _render_pages(pages, progress)
        if rendered and any(needs_browser(raw, ren) for raw, ren in zip(pages, rendered, strict=False)):
            for page in rendered:
                cache.pages[page.url] = page.html  # test on what the browser shows
            try:
                proposal = propose_config(
                    rendered, source_id=source_id, source_name=source_name, base_url=base_url
                )
            except (ValueError, ValidationError) as exc:
                return None, None, [f"heuristics on rendered pages: {exc}"]
            config = proposal.config.model_copy(update={"render": RenderMode.BROWSER})
            proposal = Proposal(
                config=config,
                patterns=proposal.patterns | {"rendered": True},
                issues=proposal.issues,
                confidence=proposal.confidence,
            )
            result = trial_config(config, cache.get, today=today)
            issues.append("listings appear only after JavaScript runs: render: browser")
    return proposal, result, issues + proposal.issues


def _proposal_prompt(data_blocks: list[str], feedback: list[str]) -> str:
    """The pages' data, and what running the previous proposal found, if there was one."""
    user = "\n\n".join(data_blocks)
    if feedback:
        user += "\n\nYour previous proposal was tested by running it. Findings:\n- " + "\n- ".join(
            feedback[-6:]
        )
        user += "\nPropose a corrected config."
    return user


def _llm_result(
    pages: list[PageSample],
    *,
    source_id: str,
    source_name: str,
    base_url: str,
    cache: PageCache,
    today: date,
    progress: Progress,
    heuristic: ConfigTestResult | None,
) -> tuple[ConfigTestResult | None, int, int, list[str], str | None]:
    """Returns (best LLM result, tokens used, attempts, issues, model)."""
    from analyzers.llm_schemas import ProposedConfig
    from analyzers.prompts import CONFIG_PROPOSAL_SYSTEM
    from analyzers.skeleton import html_skeleton
    from famact.llm import BudgetExceeded, LLMAnswerError, LLMClient, LLMUnavailable, TokenBudget
    from famact.page_data import page_data_block

    client = LLMClient.from_settings(get_settings())
    if client is None:
        return None, 0, 0, [], None
    budget = TokenBudget(limit=TOKEN_BUDGET)
    per_page = max(2_000, SKELETON_CHARS // max(1, min(len(pages), 2)))

    def data_blocks(chars: int) -> list[str]:
        return [
            page_data_block(i + 1, p.url, html_skeleton(p.html, max_chars=chars))
            for i, p in enumerate(pages[:2])
        ]

    target_urls = [p.url for p in pages[:2]]
    issues: list[str] = []
    best: ConfigTestResult | None = None
    feedback: list[str] = []
    attempts = 0
    try:
        for attempt in range(1 + MAX_LLM_RETRIES):
            attempts = attempt + 1
            progress(f"asking {client.model} for a config (attempt {attempts})")
            user = _proposal_prompt(data_blocks(per_page if attempt == 0 else per_page // 2), feedback)
            try:
                answer, _ = client.complete_json(
                    CONFIG_PROPOSAL_SYSTEM, user, ProposedConfig, max_tokens=ANSWER_TOKENS, budget=budget
                )
                config = answer.to_source_config(source_id, source_name, base_url, target_urls)
            except LLMAnswerError as exc:
                issues.append(f"LLM answer rejected: {exc}")
                feedback = [f"your answer was not valid: {exc}"]
                continue
            except ValidationError as exc:
                issues.append(f"LLM config invalid at {validation_message(exc)}")
                feedback = [f"the config was invalid at {validation_message(exc)}"]
                continue
            result = trial_config(config, cache.get, today=today)
            if best is None or result.score > best.score:
                best = result
            if result.score >= GOOD_ENOUGH and result.item_count > 0:
                break
            feedback = result.issues or [
                f"the config scored {result.score:.2f}; found {result.item_count} listings"
            ]
            if heuristic is not None and heuristic.item_count > result.item_count:
                feedback.append(f"a structural analysis found {heuristic.item_count} listings on these pages")
    except BudgetExceeded as exc:
        issues.append(f"LLM token budget reached: {exc}")
    except LLMUnavailable as exc:
        issues.append(f"LLM unavailable, heuristics used: {exc}")
    finally:
        tokens = client.usage_total.total_tokens
        client.close()
    return best, tokens, attempts, issues, client.model


def analyze(
    base_url: str,
    *,
    source_id: str,
    source_name: str,
    hint_urls: list[str] | None = None,
    use_llm: bool = True,
    progress: Progress = _quiet,
    fetcher: PageFetcher | None = None,
    today: date | None = None,
) -> SourceAnalysis:
    today = today or get_settings().current_date()
    own_fetcher = fetcher is None
    fetcher = fetcher or PageFetcher()
    cache = PageCache(fetcher)
    names = {"source_id": source_id, "source_name": source_name, "base_url": base_url}
    proposal: Proposal | None = None
    heuristic: ConfigTestResult | None = None
    llm_best, tokens, attempts, model = None, 0, 1, None
    feed_best: ConfigTestResult | None = None
    pages: list[PageSample] = []
    try:
        submitted = _submitted_feed(base_url, cache, progress)
        if submitted is not None:
            # Data before markup: a submitted feed is analyzed as the feed it is.
            feed_best, issues = _feed_result([submitted], cache, today, progress, **names)
            if feed_best is None:
                issues.append(
                    f"nothing found, because {submitted.url} is {submitted.kind} with no listing records"
                )
            feed_best = _filtered_by_name(feed_best, source_name, base_url, today, issues)
            return _to_analysis(
                source_id,
                method=AnalysisMethod.HEURISTICS,
                model=None,
                patterns={"feed": _feed_pattern(feed_best)},
                fetched=[base_url],
                best=feed_best,
                issues=issues,
                tokens=0,
                attempts=1,
            )
        pages, issues = _gather_pages(base_url, list(hint_urls or []), cache, progress)
        progress(f"proposing a config from {len(pages)} page(s) (heuristics)")
        proposal, heuristic, h_issues = _heuristic_result(
            pages,
            source_id=source_id,
            source_name=source_name,
            base_url=base_url,
            cache=cache,
            today=today,
            progress=progress,
        )
        issues += h_issues
        if use_llm:
            llm_best, tokens, llm_attempts, llm_issues, model = _llm_result(
                pages,
                source_id=source_id,
                source_name=source_name,
                base_url=base_url,
                cache=cache,
                today=today,
                progress=progress,
                heuristic=heuristic,
            )
            attempts = max(1, llm_attempts)
            issues += llm_issues
        announced = feed_analysis.announced_feeds([(p.url, p.html) for p in pages], cache.get_data)
        if announced:
            feed_best, feed_issues = _feed_result(announced, cache, today, progress, **names)
            issues += feed_issues
    finally:
        if own_fetcher:
            fetcher.close()

    candidates = [(r, AnalysisMethod.HEURISTICS) for r in (heuristic,) if r is not None]
    if llm_best is not None:
        candidates.append((llm_best, AnalysisMethod.LLM))
    best, method = max(
        candidates,
        key=lambda c: (c[0].score, c[1] is AnalysisMethod.LLM),
        default=(None, AnalysisMethod.HEURISTICS),
    )
    if llm_best is not None and heuristic is not None and best is heuristic:
        issues.append(
            f"heuristic config scored higher ({heuristic.score:.2f}) than the LLM's ({llm_best.score:.2f})"
        )
    patterns = proposal.patterns if proposal else {}
    if feed_best is not None:
        wins, why = feed_analysis.feed_wins(_titles(feed_best), _titles(best) if best else [])
        feed_url = feed_best.config.target_urls[0]
        issues.append(f"{feed_best.config.kind} feed {feed_url} {'chosen' if wins else 'not chosen'}: {why}")
        patterns = patterns | {"feed": _feed_pattern(feed_best) | {"chosen": wins, "why": why}}
        if wins:
            best, method = feed_best, AnalysisMethod.HEURISTICS
    best = _filtered_by_name(best, source_name, base_url, today, issues)
    return _to_analysis(
        source_id,
        method=method,
        model=model if method is AnalysisMethod.LLM else None,
        patterns=patterns,
        fetched=[p.url for p in pages],
        best=best,
        issues=issues,
        tokens=tokens,
        attempts=attempts,
    )


def _filtered_by_name(
    best: ConfigTestResult | None, source_name: str, url: str, today: date, issues: list[str]
) -> ConfigTestResult | None:
    """The config with a title filter when the source's name picks one board's listings out
    of a calendar of many (see `analyzers.title_filter`), rescored on the listings it keeps."""
    if best is None or not best.listings or best.config.title_filter is not None:
        return best
    found = infer_title_filter(source_name, _titles(best), url)
    if found is None:
        return best
    total = len(best.listings)
    best.config = best.config.model_copy(update={"title_filter": found})
    best.listings = [x for x in best.listings if found.keeps(x.fields.get("title") or "")]
    best.item_count = len(best.listings)
    _score(best, today)
    issues.append(
        f"title filter from the source name {source_name!r}: titles naming {found.include} "
        f"({len(best.listings)} of {total} listings kept)"
    )
    return best


def _titles(result: ConfigTestResult) -> list[str]:
    return [listing.fields.get("title") or "" for listing in result.listings]


def _submitted_feed(
    base_url: str, cache: PageCache, progress: Progress
) -> feed_analysis.FeedCandidate | None:
    """The submitted URL as a feed, when its body is one (checked before any page is read).

    Fetched directly, the answer is reused as the page when it is HTML; through Jina Reader,
    only a URL shaped like a feed is probed, to spend no direct request on every page."""
    if cache.fetcher.use_jina and not looks_like_feed_url(base_url):
        return None
    progress(f"checking whether {base_url} is a feed")
    return feed_analysis.probe(base_url, "the submitted URL", cache.get_data)


def _feed_result(
    candidates: list[feed_analysis.FeedCandidate],
    cache: PageCache,
    today: date,
    progress: Progress,
    *,
    source_id: str,
    source_name: str,
    base_url: str,
) -> tuple[ConfigTestResult | None, list[str]]:
    """The best-scoring trial of the feeds found, with what went wrong on the others."""
    best: ConfigTestResult | None = None
    issues: list[str] = []
    for candidate in candidates:
        progress(f"testing the {candidate.kind} feed {candidate.url} ({candidate.why})")
        try:
            config = feed_analysis.feed_config(
                candidate, source_id=source_id, source_name=source_name, base_url=base_url
            )
        except ValidationError as exc:
            issues.append(f"feed {candidate.url}: config invalid at {validation_message(exc)}")
            continue
        if config is None:
            issues.append(f"feed {candidate.url}: no array of listing records found")
            continue
        result = trial_config(config, cache.get_data, today=today)
        if result.item_count and (best is None or result.score > best.score):
            best = result
    return best, issues


def _feed_pattern(result: ConfigTestResult | None) -> dict[str, Any]:
    if result is None:
        return {}
    return {"url": result.config.target_urls[0], "kind": str(result.config.kind), "items": result.item_count}


def _to_analysis(
    source_id: str,
    *,
    method: AnalysisMethod,
    model: str | None,
    patterns: dict[str, Any],
    fetched: list[str],
    best: ConfigTestResult | None,
    issues: list[str],
    tokens: int,
    attempts: int,
) -> SourceAnalysis:
    working = best is not None and best.item_count > 0
    return SourceAnalysis(
        source_id=source_id,
        analyzed_at=datetime.now(UTC),
        method=method,
        model=model,
        discovered_patterns=patterns | {"fetched_pages": fetched},
        extraction_results=best.pages_tested if best else [],
        sample_items=best.sample_items if best else [],
        field_completeness=best.field_completeness if best else {},
        item_count=best.item_count if best else 0,
        quality_score=best.score if best else 0.0,
        checks=_checks(best),
        issues=_dedupe(issues + (best.issues if best else [])),
        recommendations=_recommendations(best),
        tokens_used=tokens,
        attempts=attempts,
        proposed_config=_proposed(best) if working and best else None,
    )


def _proposed(best: ConfigTestResult) -> SourceConfig:
    return at_proposed_rate(best.config, get_settings().proposed_requests_per_minute)


def at_proposed_rate(config: SourceConfig, requests_per_minute: int | None) -> SourceConfig:
    """The config crawled at the operator's proposal rate (FAMACT_PROPOSED_REQUESTS_PER_MINUTE),
    or as it is when none is set. Applied where the analysis is built, whichever path made
    the proposal (heuristics, LLM, feed), so none of them keeps a different rate."""
    if requests_per_minute is None:
        return config
    scraping = config.scraping_config
    rate_limit = scraping.rate_limit.model_copy(update={"requests_per_minute": requests_per_minute})
    scraping = scraping.model_copy(update={"rate_limit": rate_limit})
    return config.model_copy(update={"scraping_config": scraping})


def retest_config(
    config: SourceConfig, *, progress: Progress = _quiet, fetcher: PageFetcher | None = None
) -> ConfigTestResult:
    """Run an (edited) config against freshly fetched pages before it can be approved."""
    own = fetcher is None
    fetcher = fetcher or PageFetcher()
    try:
        progress(f"test-running config v{config.version} of {config.source_id}")
        cache = PageCache(fetcher)
        return trial_config(config, cache.getter(config), today=get_settings().current_date())
    finally:
        if own:
            fetcher.close()


def _checks(result: ConfigTestResult | None) -> list[FieldCheck]:
    if result is None:
        return [FieldCheck(name="item_count", passed=False, value=0, threshold=1)]
    return [
        FieldCheck(name="item_count", passed=result.item_count >= 1, value=result.item_count, threshold=1),
        FieldCheck(
            name="title_coverage",
            passed=result.field_completeness.get("title", 0) >= 0.95,
            value=result.field_completeness.get("title", 0),
            threshold=0.95,
        ),
        FieldCheck(
            name="date_coverage",
            passed=result.field_completeness.get("date", 0) >= 0.5,
            value=result.field_completeness.get("date", 0),
            threshold=0.5,
            detail="venues and attractions have no dates",
        ),
        FieldCheck(name="quality_score", passed=result.score >= 0.5, value=result.score, threshold=0.5),
    ]


def _recommendations(result: ConfigTestResult | None) -> list[str]:
    if result is None or result.item_count == 0:
        return ["give a hint URL of a page that lists activities (--hint-url), or write the config by hand"]
    recs = []
    if result.field_completeness.get("date", 0) < 0.5:
        types = Counter(str(i.get("entity_type")) for i in result.sample_items)
        if types[EntityType.EVENT.value] + types[EntityType.PROGRAM.value] > len(result.sample_items) / 2:
            recs.append("dates are missing for most events/programs: check the date selector or detail pages")
    if result.config.detail is None and result.field_completeness.get("description", 0) < 0.3:
        recs.append("descriptions are short or missing: consider following detail pages")
    if result.score < 0.5:
        recs.append("low quality score: review the sample items before approving")
    return recs


def _dedupe(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
