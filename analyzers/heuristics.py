"""The heuristic (no-LLM) source analyzer: from a source's fetched pages, a `SourceConfig`.

Used alone (`--no-llm`, or no API key) and as a cross-check of the LLM's proposal. It has no
knowledge of particular sites; it reads what listing pages have in common:

1. structured data (schema.org Event/Course/Place in JSON-LD or microdata), counted per page,
   with the site's own Organization/Museum blocks (the same on every page) left out;
2. repeated structure (`analyzers.structure`): the group of same-signature elements, or of
   heading-led segments, that looks most like listings, with verified item and field selectors;
3. pagination and calendar traps (`analyzers.discovery`);
4. detail pages: when items link to same-site pages that look like details, a follow selector
   and page-level detail fields (from a fetched detail sample when there is one);
5. rendering: a browser only when the raw HTML has no listings and a render has them, or the
   raw page is an empty JavaScript shell.

The result is a `Proposal`: the config, what was found (`patterns`), what is missing
(`issues`) and a confidence in 0..1.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from analyzers.discovery import (
    canonical_url,
    detect_pagination,
    is_site_root,
    rank_listing_links,
    registered_domain,
    same_site,
)
from analyzers.platforms import (
    detect_platform_html,
    is_script_rendered,
    known_item_selectors,
    platform_source_type,
)
from analyzers.structure.detail import propose_detail_fields
from analyzers.structure.elements import class_tokens, element_text, is_element, iter_elements, stable_classes
from analyzers.structure.layouts import ListingLayout, find_listing_layouts
from analyzers.structure.patterns import LABEL_PREFIX_RE, has_date
from analyzers.structure.selecting import run_listing, select_value, spec_matches
from famact.constants import EntityType, RenderMode, SelectorKind, SourceType
from famact.models import (
    DetailConfig,
    ListingConfig,
    SelectorSpec,
    SourceConfig,
    SourceDefaults,
    StructuredDataConfig,
)
from famact.normalize.text import collapse_spaces
from famact_crawler.extract.structured import structured_listings, type_matches

# A best group scoring at least this is a listing (tuned on the unit pages: real listings
# score 0.45-1.0; menus, footers and prose paragraphs stay under 0.25).
LISTING_THRESHOLD = 0.33
# schema.org types that are listings by themselves (subtypes match by suffix: ChildrensEvent).
_LISTING_TYPES = ("Event", "Course", "CourseInstance", "EventSeries")
_PLACE_TYPES = ("Place", "LocalBusiness", "TouristAttraction", "Museum", "Park")
PageKind = Literal["listing", "detail", "other"]


@dataclass
class PageSample:
    """What the analyzer fetched."""

    url: str
    html: str
    rendered: bool = False  # True when this HTML came from a browser render


@dataclass
class Proposal:
    config: SourceConfig
    patterns: dict[str, Any]
    issues: list[str]
    confidence: float


# --------------------------------------------------------------------------------------------
# Structured data (counting only; extraction is famact_crawler.extract's job)


@dataclass
class _StructuredNode:
    type: str
    name: str
    syntax: Literal["json-ld", "microdata"]


def _structured_nodes(html: str, url: str) -> tuple[list[_StructuredNode], int]:
    """The page's schema.org listings of any default type, as the crawl's engine reads them,
    and the count of JSON-LD scripts that could not be parsed."""
    result = structured_listings(html, url, StructuredDataConfig())
    nodes = [
        _StructuredNode(item.structured_type, item.fields.get("title", ""), item.syntax)
        for item in result.items
    ]
    return nodes, result.malformed


def _is_type(name: str, bases: tuple[str, ...]) -> bool:
    return type_matches(name, list(bases))


# --------------------------------------------------------------------------------------------
# Per-page analysis


@dataclass
class _PageAnalysis:
    sample: PageSample
    platform: str | None
    structured: list[_StructuredNode]
    malformed: int
    layouts: list[ListingLayout]
    kind: PageKind = "other"
    listing_items: int = 0  # structured listing items (Event/Course)

    @property
    def best(self) -> ListingLayout | None:
        """The best layout whose items have titles: paragraphs of one page's prose repeat too,
        but a listing names its items."""
        return next((layout for layout in self.layouts if "title" in layout.fields), None)

    @property
    def has_listing(self) -> bool:
        best = self.best
        return self.listing_items >= 2 or (
            best is not None and best.score >= LISTING_THRESHOLD and best.count >= 3
        )


_CACHE: dict[tuple[str, int, bool], _PageAnalysis] = {}


def _analyze(page: PageSample) -> _PageAnalysis:
    key = (page.url, hash(page.html), page.rendered)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    platform = detect_platform_html(page.html)
    nodes, malformed = _structured_nodes(page.html, page.url)
    layouts = find_listing_layouts(page.html, known_item_selectors=known_item_selectors(platform))
    analysis = _PageAnalysis(page, platform, nodes, malformed, layouts)
    analysis.listing_items = sum(1 for n in nodes if _is_type(n.type, _LISTING_TYPES))
    analysis.kind = _classify(analysis)
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[key] = analysis
    return analysis


def _classify(a: _PageAnalysis) -> PageKind:
    page = Selector(text=a.sample.html)
    h1 = [collapse_spaces(t) for t in page.css("h1").xpath("string()").getall() if collapse_spaces(t)]
    best = a.best
    strong_listing = best is not None and best.score >= LISTING_THRESHOLD and best.count >= 3
    events = [n for n in a.structured if _is_type(n.type, _LISTING_TYPES)]
    if len(events) == 1 and h1 and (not strong_listing or _same_name(events[0].name, h1[0])):
        return "detail"
    if len(events) >= 2 or strong_listing:
        return "listing"
    og_type = (page.css('meta[property="og:type"]::attr(content)').get() or "").lower()
    main = page.css("main, article, [role=main]")
    main_el = main[0].root if main else page.root
    main_text = element_text(main_el)[:3000]
    labels = sum(1 for el in iter_elements(main_el) if LABEL_PREFIX_RE.match(element_text(el)[:40] or ""))
    depth = len([s for s in urlsplit(a.sample.url).path.split("/") if s])
    if len(h1) == 1 and (og_type == "event" or (has_date(main_text) and (labels >= 1 or depth >= 2))):
        return "detail"
    if best is not None and best.score >= LISTING_THRESHOLD and best.count >= 2:
        return "listing"
    return "other"


def _same_name(a: str, b: str) -> bool:
    a, b = collapse_spaces(a).lower(), collapse_spaces(b).lower()
    return bool(a) and (a == b or a in b or b in a)


# --------------------------------------------------------------------------------------------
# Public API


def discover_listing_urls(home: PageSample, *, limit: int = 5) -> list[str]:
    """Links on the home page (same site) likely to be listing pages, best first."""
    return rank_listing_links(home.html, home.url, limit=limit)


def classify_page(page: PageSample) -> PageKind:
    return _analyze(page).kind


def detect_platform(page: PageSample) -> str | None:
    return _analyze(page).platform


_APP_SHELL_IDS = re.compile(
    r"(?i)^(?:app|root|__next|__nuxt|___gatsby|calendar|events?|main-app|application|svelte)$"
)
_JS_REQUIRED = re.compile(
    r"(?i)(?:enable|requires?|need(?:s)?\s+to\s+enable|turn\s+on)\s+javascript|javascript\s+(?:is\s+)?(?:required|disabled)"
)
_FRAMEWORK_MARKERS = re.compile(
    r"(?i)(?:data-reactroot|ng-app|ng-version|data-v-app|data-server-rendered|__NEXT_DATA__|window\.__NUXT__|"
    r"id=\"___gatsby\"|data-sveltekit)"
)


def _visible_text_length(html: str) -> int:
    page = Selector(text=html)
    body = page.root.find(".//body")
    return len(element_text(body)) if body is not None else 0


def _app_shell_signals(html: str) -> list[str]:
    """Signs that a page's content is drawn by JavaScript after load."""
    page = Selector(text=html)
    signals = []
    for el in page.xpath("//body//*[@id]"):
        ident = el.attrib.get("id", "")
        if _APP_SHELL_IDS.match(ident) and len(element_text(el.root)) < 40:
            signals.append(f"empty #{ident} container")
    if page.xpath("//*[@ng-app or @data-reactroot or @data-v-app]"):
        signals.append("framework root element")
    noscript = " ".join(page.xpath("//noscript//text()").getall())
    if _JS_REQUIRED.search(noscript) or _JS_REQUIRED.search(
        " ".join(page.xpath("//body//text()[not(ancestor::script)]").getall())[:2000]
    ):
        signals.append('"enable JavaScript" notice')
    scripts = page.xpath("//script")
    script_chars = sum(len(s.xpath("string()").get() or "") for s in scripts)
    if _FRAMEWORK_MARKERS.search(html):
        signals.append("framework markers")
    if (
        re.search(r"(?i)fetch\(|XMLHttpRequest|\$\.(?:ajax|getJSON)|axios\.|/api/|\.json[\"'?]|wp-json", html)
        and scripts
    ):
        signals.append("scripts fetch data")
    if len(scripts) >= 3 and script_chars > 5 * max(1, _visible_text_length(html)):
        signals.append("scripts outweigh text")
    return signals


def needs_browser(raw: PageSample, rendered: PageSample | None) -> bool:
    """True when listings appear only after JavaScript runs."""
    raw_a = _analyze(raw)
    if rendered is not None:
        rend_a = _analyze(rendered)
        if not rend_a.has_listing:
            return False
        if not raw_a.has_listing:
            return True
        # Raw HTML shows a few server-rendered items, the render many more (infinite lists).
        raw_count = raw_a.best.count if raw_a.best else raw_a.listing_items
        rend_count = rend_a.best.count if rend_a.best else rend_a.listing_items
        return rend_count >= 2 * raw_count + 3
    if raw_a.has_listing:
        return False
    signals = _app_shell_signals(raw.html)
    strong = [s for s in signals if s.startswith(("empty #", "framework root", '"enable'))]
    little_text = _visible_text_length(raw.html) < 600
    if strong and little_text:
        return True
    return little_text and (len(signals) >= 2 or is_script_rendered(raw_a.platform))


# --------------------------------------------------------------------------------------------
# The proposal


@dataclass
class _Choice:
    analysis: _PageAnalysis
    layout: ListingLayout


def _layout_rank(a: _PageAnalysis, layout: ListingLayout, home_url: str) -> float:
    fields = layout.fields
    coverage = 1 + 0.3 * ("title" in fields) + 0.2 * ("date" in fields) + 0.1 * ("url" in fields)
    # A site's root page often shows a few featured items; the listing page is the real list.
    home = 0.8 if is_site_root(home_url) and canonical_url(a.sample.url) == canonical_url(home_url) else 1.0
    size = 1 + 0.15 * min(3.0, layout.count / 10)
    return layout.score * coverage * home * size


NEAR_TIE = 0.03  # layouts of one page scoring this close are the same kind of list


def _page_layout(a: _PageAnalysis) -> ListingLayout | None:
    """The page's best layout with titles; among lists that score alike, the one whose items
    link to the site itself: a venue's page lists its own events above a block of the sister
    venue's ("see also at our other arena"), and both are cards of one template."""
    titled = [x for x in a.layouts if "title" in x.fields]
    if not titled:
        return None
    page = Selector(text=a.sample.html)
    if _are_posts(a, titled[0], page):
        # A news or blog widget beside the programme: the programme, when it scores about as well.
        listing = next(
            (
                x
                for x in titled[1:]
                if x.score >= POSTS_GIVE_WAY * titled[0].score and not _are_posts(a, x, page)
            ),
            None,
        )
        if listing is not None:
            titled = [listing, *(x for x in titled if x is not listing)]
    near = [x for x in titled if x.score >= titled[0].score - NEAR_TIE and "url" in x.fields]
    if len(near) < 2:
        return titled[0]
    sites = _own_sites(a)
    shares = [_own_share(a, x, sites) for x in near]
    if max(shares) < 0.5 or max(shares) <= shares[0]:
        return titled[0]
    return near[shares.index(max(shares))]


# Words of an item's classes, or of its link's path, that say it is a post (news, a blog).
_POST_WORDS = frozenset({"news", "blog", "blogs", "post", "posts", "press", "article", "articles", "stories"})
POSTS_GIVE_WAY = 0.85  # a listing scoring this share of a posts widget's score is preferred to it


def _are_posts(a: _PageAnalysis, layout: ListingLayout, page: Selector) -> bool:
    """Most items (matched on the page, parsed once by the caller) are posts: their elements
    are classed "news-item", "blog-post"..., or their links lead under /news/ or /blog/."""
    items = spec_matches(page, layout.item)
    if not items:
        return False
    classed = sum(1 for item in items if class_tokens(item.root) & _POST_WORDS)
    urls = _item_urls(a, layout.item, layout.fields["url"]) if "url" in layout.fields else []
    pathed = sum(1 for u in urls if {seg.lower() for seg in urlsplit(u).path.split("/")} & _POST_WORDS)
    return classed >= 0.8 * len(items) or (bool(urls) and pathed >= 0.8 * len(urls))


def _own_sites(a: _PageAnalysis) -> list[str]:
    """The page's URL and the one its canonical link names (a saved or proxied copy): links to
    either's registered domain, its ticket or events subdomain too, are the site's own."""
    page = Selector(text=a.sample.html)
    named = page.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content").getall()
    return [a.sample.url, *(u.strip() for u in named)]


def _own_share(a: _PageAnalysis, layout: ListingLayout, sites: list[str]) -> float:
    urls = _item_urls(a, layout.item, layout.fields["url"])
    return sum(1 for u in urls if any(same_site(u, s) for s in sites)) / len(urls) if urls else 0.0


@dataclass
class _Template:
    """A listing layout and the page it was found on (one config may need several)."""

    url: str
    html: str
    item: SelectorSpec
    fields: dict[str, SelectorSpec]


def _as_xpath(spec: SelectorSpec) -> str:
    if spec.kind is SelectorKind.XPATH:
        return spec.query
    return str(HTMLTranslator().css_to_xpath(spec.query))


def _item_condition(t: _Template) -> str | None:
    """An XPath step true of this template's items (tag and shared classes), to keep each
    template's field selectors on its own items once item selectors are united."""
    page = Selector(text=t.html)
    roots = [m.root for m in spec_matches(page, t.item)]
    tags = {r.tag for r in roots}
    if len(tags) != 1:
        return None
    common = set(stable_classes(roots[0]))
    for r in roots[1:]:
        common &= set(stable_classes(r))
    preds = "".join(f"[contains(concat(' ', normalize-space(@class), ' '), ' {c} ')]" for c in sorted(common))
    return f"{tags.pop()}{preds}"


def _guard(spec: SelectorSpec, condition: str) -> str | None:
    """The field's XPath, evaluated only on items matching `condition`."""
    query = _as_xpath(spec).strip()
    if "|" in query:
        return None
    if query == ".":
        return f"self::{condition}"
    if query.startswith("./"):
        return f"self::{condition}{query[1:]}"
    return f"self::{condition}/{query}"


def _rows_by_path(
    html: str, item: SelectorSpec, fields: dict[str, SelectorSpec]
) -> dict[str, dict[str, str]]:
    page = Selector(text=html)
    tree = page.root.getroottree()
    rows: dict[str, dict[str, str]] = {}
    for match in spec_matches(page, item):
        values = {name: select_value(match, spec) for name, spec in fields.items()}
        rows[tree.getpath(match.root)] = {k: v for k, v in values.items() if v}
    return rows


def _united_fields(templates: list[_Template]) -> dict[str, SelectorSpec] | None:
    conditions = [_item_condition(t) for t in templates]
    if any(c is None for c in conditions) or len(set(conditions)) < len(conditions):
        return None  # the templates' items cannot be told apart
    fields: dict[str, SelectorSpec] = {}
    for name in sorted({n for t in templates for n in t.fields}):
        specs = [(t.fields[name], c) for t, c in zip(templates, conditions, strict=True) if name in t.fields]
        first = specs[0][0]
        if len(specs) == len(templates) and all(spec == first for spec, _ in specs):
            fields[name] = first  # the same selector everywhere: no union needed
            continue
        if any(
            (s.extract, s.attr, s.regex, s.multiple)
            != (first.extract, first.attr, first.regex, first.multiple)
            for s, _ in specs
        ):
            continue
        branches = [_guard(spec, cond) for spec, cond in specs if cond is not None]
        if any(b is None for b in branches):
            continue
        fields[name] = SelectorSpec(
            kind=SelectorKind.XPATH,
            query=" | ".join(f"({b})" for b in branches),
            extract=first.extract,
            attr=first.attr,
            regex=first.regex,
            multiple=first.multiple,
        )
    return fields


def _merge_layouts(templates: list[_Template]) -> tuple[SelectorSpec, dict[str, SelectorSpec]] | None:
    """One item selector and field set reading every template's items exactly as the template
    alone does (on its own page, and nothing on the others'). Fields that cannot be united
    are dropped; the title never is."""
    if all(t.item.kind is SelectorKind.CSS for t in templates):
        item = SelectorSpec(query=", ".join(dict.fromkeys(t.item.query for t in templates)))
    else:
        item = SelectorSpec(
            kind=SelectorKind.XPATH, query=" | ".join(f"({_as_xpath(t.item)})" for t in templates)
        )
    fields = _united_fields(templates)
    if fields is None or "title" not in fields:
        return None
    expected: dict[str, dict[str, dict[str, str]]] = {}
    for t in templates:
        for path, row in _rows_by_path(t.html, t.item, t.fields).items():
            if path in expected.setdefault(t.url, {}):
                return None  # two templates claim one element
            expected[t.url][path] = row
    pages = {t.url: t.html for t in templates}
    got = {url: _rows_by_path(html, item, fields) for url, html in pages.items()}
    for url in pages:
        if set(got[url]) != set(expected.get(url, {})):
            return None
    for name in list(fields):
        if any(
            got[url][p].get(name) != row.get(name)
            for url, rows in expected.items()
            for p, row in rows.items()
        ):
            if name == "title":
                return None
            del fields[name]
    return item, fields


def _second_kind(a: _PageAnalysis, best: ListingLayout, other: ListingLayout) -> bool:
    """Another group of listings on the same page: strong, titled, dated, and neither inside
    nor around the best group's items."""
    if other.score < max(0.5, 0.6 * best.score) or "title" not in other.fields:
        return False
    if other.shares.get("date", 0) < 0.5 or any(
        n.startswith(("part of", "wraps", "holds")) for n in other.notes
    ):
        return False
    page = Selector(text=a.sample.html)
    other_items = spec_matches(page, other.item)
    if _dated_by_publication(other_items, other) or (
        _are_posts(a, other, page) and not _are_posts(a, best, page)
    ):
        return False
    tree = page.root.getroottree()
    mine = [tree.getpath(m.root).split("/") for m in spec_matches(page, best.item)]
    theirs = [tree.getpath(m.root).split("/") for m in other_items]
    if not mine or not theirs:
        return False
    # The list container holds the best items; each item's subtree below it is one listing's
    # card. Members of the other group inside (or around) such a card belong to that listing.
    depth = 0
    while all(len(p) > depth + 1 and p[depth] == mine[0][depth] for p in mine):
        depth += 1
    cards = {"/".join(p[: depth + 1]) for p in mine}
    # A heading-led item's text runs on after the heading, but round-ups interleave other
    # listings there ("<p><strong>Name</strong> - ...</p>"): those are separate items, which
    # is why only the heads count as cards here (labels such as "When:" are no titles).
    for path in theirs:
        joined = "/".join(path)
        if any(joined == c or joined.startswith(c + "/") or c.startswith(joined + "/") for c in cards):
            return False
    return True


# Class, id and itemprop words that mark a date as when a post went out, not when anything happens.
_PUBLICATION_WORDS = {"published", "posted", "pubdate", "datepublished", "byline"}


def _dated_by_publication(items: list[Selector], layout: ListingLayout) -> bool:
    """Whether most of the layout's items (matched on the page) are dated only by a publication
    stamp (a news or press release feed beside a calendar: "<span class='date-published'>"):
    posts, not a second kind of listing, however well titled and dated they are."""
    date_spec = layout.fields.get("date")
    if date_spec is None:
        return False
    stamped = 0
    for item in items:
        found = spec_matches(item, date_spec)
        if found and _publication_stamp(found[0].root, item.root):
            stamped += 1
    return bool(items) and stamped >= 0.8 * len(items)


def _publication_stamp(node: Any, top: Any) -> bool:
    """The date element, or an element around it inside the item, names itself a publication date."""
    while node is not None and is_element(node):
        words = class_tokens(node) | {(node.get("itemprop") or "").lower()}
        if words & _PUBLICATION_WORDS:
            return True
        if node is top:
            return False
        node = node.getparent()
    return False


def _item_urls(a: _PageAnalysis, item: SelectorSpec, url_spec: SelectorSpec) -> list[str]:
    rows = run_listing(a.sample.html, item, {"url": url_spec})
    return [urljoin(a.sample.url, r["url"]) for r in rows if r.get("url")]


def _looks_like_detail_url(url: str, listing_url: str) -> bool:
    if not same_site(url, listing_url):
        return False
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    if not segments or canonical_url(url) == canonical_url(listing_url):
        return False
    last = segments[-1]
    listing_depth = len([s for s in urlsplit(listing_url).path.split("/") if s])
    return (
        len(segments) > listing_depth
        or "-" in last
        or bool(re.search(r"\d", last))
        or bool(re.search(r"(?i)(?:^|&)(?:id|event|eid|event_?id|program|course)=", urlsplit(url).query))
    )


def _structured_types(analyses: list[_PageAnalysis]) -> tuple[list[str], dict[str, int], list[str]]:
    """schema.org types worth extracting, counts by type, and site-wide blocks left out."""
    counts: Counter[str] = Counter()
    pages_with: dict[tuple[str, str], set[str]] = {}
    for a in analyses:
        for n in a.structured:
            counts[n.type] += 1
            pages_with.setdefault((n.type, n.name.lower()), set()).add(canonical_url(a.sample.url))
    site_wide = sorted(
        {f"{t} {name!r}" for (t, name), urls in pages_with.items() if len(urls) >= 2 and len(analyses) >= 2}
    )
    wanted: list[str] = []
    for a in analyses:
        per_page = Counter(n.type for n in a.structured)
        for t, c in per_page.items():
            if _is_type(t, _LISTING_TYPES):
                base = next(b for b in _LISTING_TYPES if type_matches(t, [b]))
                if base not in wanted:
                    wanted.append(base)
            elif _is_type(t, _PLACE_TYPES) and c >= 2 and a.kind == "listing" and t not in wanted:
                # Places count only as a list: one Museum block is the site describing itself.
                wanted.append(t)
    return wanted, dict(counts), site_wide


_PROGRAM_WORDS = re.compile(
    r"(?i)\b(?:camps?|campamentos?|classes|class|lessons?|courses?|clases|cursos|workshop series)\b"
)


def _entity_type_hint(titles: list[str], listing_pages: list[_PageAnalysis]) -> EntityType | None:
    """PROGRAM only for a clear camp/class directory; otherwise the classifier decides."""
    if len(titles) < 3:
        return None
    share = sum(1 for t in titles if _PROGRAM_WORDS.search(t)) / len(titles)
    page_says = any(
        _PROGRAM_WORDS.search(
            " ".join(
                [
                    urlsplit(a.sample.url).path.replace("-", " ").replace("/", " "),
                    *Selector(text=a.sample.html).css("h1, title").xpath("string()").getall(),
                ]
            )
        )
        for a in listing_pages
    )
    return EntityType.PROGRAM if share >= 0.7 or (share >= 0.4 and page_says) else None


def _confidence(choice: _Choice | None, runner_up: float, structured_items: int, pages_ok: float) -> float:
    if choice is None:
        return round(min(0.6, 0.35 + 0.03 * structured_items), 3) if structured_items >= 2 else 0.1
    layout = choice.layout
    strength = min(1.0, layout.score / 0.7)
    clarity = 1.0 - min(1.0, runner_up / layout.score) if layout.score > 0 else 0.0
    fields = (
        0.15 * ("title" in layout.fields) + 0.1 * ("date" in layout.fields) + 0.05 * ("url" in layout.fields)
    )
    value = 0.45 * strength + 0.15 * clarity + fields + 0.1 * pages_ok
    if structured_items >= 2:
        value += 0.05
    return round(max(0.0, min(1.0, value)), 3)


def _links_to_structured_details(effective: list[_PageAnalysis]) -> _Choice | None:
    """A weak layout (bare titled links, too plain to be a listing on its own) whose links
    lead to sampled pages that each describe one event or course in structured data: the
    listing is those links, the facts are on the pages they open."""
    described = {canonical_url(a.sample.url) for a in effective if a.listing_items == 1}
    if len(described) < 2:
        return None
    for a in effective:
        if a.kind == "detail":
            continue
        for layout in a.layouts:
            if "title" not in layout.fields or "url" not in layout.fields or layout.count < 2:
                continue
            urls = {canonical_url(u) for u in _item_urls(a, layout.item, layout.fields["url"])}
            if len(urls & described) >= 2:
                return _Choice(a, layout)
    return None


def propose_config(pages: list[PageSample], *, source_id: str, source_name: str, base_url: str) -> Proposal:
    """A config for the source from its fetched pages (home, listing, detail; raw or rendered)."""
    issues: list[str] = []
    # One effective sample per URL: the render only when the raw HTML lacks the listings.
    by_url: dict[str, dict[bool, PageSample]] = {}
    order: list[str] = []
    for p in pages:
        key = canonical_url(p.url)
        if key not in by_url:
            order.append(key)
        by_url.setdefault(key, {})[p.rendered] = p
    effective: list[_PageAnalysis] = []
    browser_reasons: list[str] = []
    for key in order:
        versions = by_url[key]
        raw, rendered = versions.get(False), versions.get(True)
        if raw is not None and needs_browser(raw, rendered):
            signals = ", ".join(_app_shell_signals(raw.html)) or "no content"
            browser_reasons.append(
                f"{raw.url}: listings appear only after JavaScript runs"
                if rendered is not None
                else f"{raw.url}: looks like a JavaScript app shell ({signals})"
            )
            if rendered is not None:
                effective.append(_analyze(rendered))
                continue
        if raw is not None:
            effective.append(_analyze(raw))
        elif rendered is not None:
            effective.append(_analyze(rendered))
            if _analyze(rendered).has_listing:
                browser_reasons.append(f"{rendered.url}: only a rendered sample was given")
    home_url = base_url
    listing_pages = [a for a in effective if a.kind == "listing"]
    detail_pages = [a for a in effective if a.kind == "detail"]
    platform = next((a.platform for a in listing_pages if a.platform), None) or next(
        (a.platform for a in effective if a.platform), None
    )

    # --- the listing layout
    choices = [
        _Choice(a, layout)
        for a in listing_pages
        for layout in [_page_layout(a)]
        if layout is not None and layout.score >= LISTING_THRESHOLD and layout.count >= 2
    ]
    if not choices:
        linked = _links_to_structured_details(effective)
        if linked is not None:
            choices.append(linked)
            if linked.analysis not in listing_pages:
                listing_pages.append(linked.analysis)
            issues.append(
                f"{linked.analysis.sample.url}: a plain list of links ({linked.layout.item.query}) to "
                "pages that describe one activity each in schema.org data: the crawl follows them"
            )
    choices.sort(key=lambda c: _layout_rank(c.analysis, c.layout, home_url), reverse=True)
    primary = choices[0] if choices else None
    item: SelectorSpec | None = primary.layout.item if primary else None
    fields: dict[str, SelectorSpec] = dict(primary.layout.fields) if primary else {}
    merged_with: list[str] = []
    target_pages: list[_PageAnalysis] = []
    if primary is not None and item is not None:
        templates = [_Template(primary.analysis.sample.url, primary.analysis.sample.html, item, fields)]
        # A second kind of item on the primary page (a round-up mixing "h3 + text" entries and
        # "bold name - details" paragraphs), then other listing pages with their own template.
        extra = [
            _Choice(primary.analysis, layout)
            for layout in primary.analysis.layouts[1:]
            if _second_kind(primary.analysis, primary.layout, layout)
        ]
        for choice in [*extra, *choices[1:]]:
            if (
                choice.analysis is not primary.analysis
                and len(run_listing(choice.analysis.sample.html, item, {})) >= 2
            ):
                continue  # the config so far already reads this page
            if choice.layout.count < 3 or choice.layout.score < 0.5:
                continue  # a few featured links on a home page, not a second listing template
            if choice.analysis is primary.analysis and choice not in extra:
                continue
            candidate = _Template(
                choice.analysis.sample.url,
                choice.analysis.sample.html,
                choice.layout.item,
                choice.layout.fields,
            )
            merged = _merge_layouts([*templates, candidate])
            if merged is not None:
                item, fields = merged
                templates.append(candidate)
                merged_with.append(f"{choice.analysis.sample.url} ({choice.layout.item.query})")
            elif choice.analysis is not primary.analysis:
                issues.append(
                    f"{choice.analysis.sample.url} uses a different layout ({choice.layout.item.query}) "
                    "that could not be merged into one selector"
                )
        for a in listing_pages:
            count = len(run_listing(a.sample.html, item, {}))
            is_home = is_site_root(home_url) and canonical_url(a.sample.url) == canonical_url(home_url)
            if count >= 2 and not (
                is_home and a is not primary.analysis and count < 0.5 * primary.layout.count
            ):
                target_pages.append(a)
    structured_pages = [a for a in effective if a.listing_items >= 2]
    for a in structured_pages:
        if a not in target_pages:
            target_pages.append(a)
    for a in effective:
        if not a.has_listing and a.kind != "detail" and a.sample.url != home_url:
            issues.append(f"no repeated listing structure found on {a.sample.url}")
    if primary is None:
        issues.append(
            "no listing layout found: "
            + ("structured data only" if structured_pages else "nothing to extract")
        )
    else:
        for name in ("title", "date"):
            if name not in fields:
                issues.append(f"no {name} field found in the listing items ({item.query if item else ''})")
    target_urls = [a.sample.url for a in target_pages if _http(a.sample.url)]
    if not target_urls:
        # The pages fetched as likely listings (hint URLs), else the home page's best links.
        sampled = [
            a.sample.url
            for a in effective
            if a.kind != "detail" and canonical_url(a.sample.url) != canonical_url(base_url)
        ]
        guesses = sampled or [
            u for a in effective for u in rank_listing_links(a.sample.html, a.sample.url, limit=2)
        ]
        target_urls = [u for u in guesses if _http(u)][:3] or [base_url]
        issues.append("no page with listings among the samples; targets are guesses")

    # --- pagination (from the primary listing page)
    pagination_info: dict[str, Any] | None = None
    listing_cfg: ListingConfig | None = None
    if item is not None and primary is not None:
        finding = detect_pagination(primary.analysis.sample.html, primary.analysis.sample.url)
        pagination = finding.config if finding else None
        if finding is not None:
            pagination_info = {
                "evidence": finding.evidence,
                "calendar": finding.calendar,
                "last_page": finding.last_page,
                "max_pages": finding.config.max_pages,
                "next_page": finding.config.next_page.query if finding.config.next_page else None,
                "url_template": finding.config.url_template,
            }
            issues.extend(finding.notes)
        listing_cfg = ListingConfig(item=item, fields=fields, pagination=pagination)

    # --- details
    detail_cfg: DetailConfig | None = None
    detail_info: dict[str, Any] = {}
    if primary is not None and "url" in fields:
        urls = [u for a in target_pages for u in _item_urls(a, item, fields["url"])] if item else []
        detail_like = [u for u in urls if _looks_like_detail_url(u, primary.analysis.sample.url)]
        item_keys = {canonical_url(u) for u in urls}
        samples = [a for a in effective if canonical_url(a.sample.url) in item_keys] or (
            detail_pages if detail_like else []
        )
        if urls and len(detail_like) >= 0.6 * len(urls) and len(set(urls)) >= 0.8 * len(urls):
            detail_fields, detail_cov = (
                propose_detail_fields([a.sample.html for a in samples]) if samples else ({}, {})
            )
            detail_cfg = DetailConfig(follow=fields["url"], fields=detail_fields)
            detail_info = {
                "follow": fields["url"].query,
                "sampled_detail_pages": [a.sample.url for a in samples],
                "fields": {k: v.query for k, v in detail_fields.items()},
                "field_coverage": detail_cov,
            }
            if not samples:
                issues.append("items link to detail pages but none was sampled: detail fields not proposed")
    elif detail_pages and primary is None and not structured_pages:
        detail_fields, detail_cov = propose_detail_fields([a.sample.html for a in detail_pages])
        detail_info = {"fields": {k: v.query for k, v in detail_fields.items()}, "field_coverage": detail_cov}
        submitted = [a for a in detail_pages if canonical_url(a.sample.url) == canonical_url(base_url)]
        if submitted and "title" in detail_fields:
            # The submitted page is itself one event, program or place: it is the target, read
            # as one item (SourceConfig.item_pages), instead of a guess at some listing page.
            detail_cfg = DetailConfig(follow=None, fields=detail_fields)
            target_urls = [a.sample.url for a in submitted]
            issues = [i for i in issues if not i.startswith(("no listing layout", "no page with listings"))]
            issues.append(f"{base_url} is one item's own page: the crawl reads it as one listing")
            detail_info["item_pages"] = target_urls

    # --- structured data
    wanted, type_counts, site_wide = _structured_types(effective)
    structured_cfg = StructuredDataConfig(enabled=True, types=wanted or list(_LISTING_TYPES))
    structured_items = sum(a.listing_items for a in effective)

    # --- rendering, type hints, source type
    listing_render = any(a.sample.rendered for a in target_pages)
    render = (
        RenderMode.BROWSER if (listing_render or (browser_reasons and primary is None)) else RenderMode.HTTP
    )
    if render is RenderMode.BROWSER:
        issues.extend(browser_reasons)
    titles: list[str] = []
    if item is not None and "title" in fields:
        for a in target_pages:
            titles.extend(
                r["title"]
                for r in run_listing(a.sample.html, item, {"title": fields["title"]})
                if r.get("title")
            )
    entity_hint = _entity_type_hint(titles, target_pages)
    source_type = platform_source_type(platform) or SourceType.OTHER
    if source_type is SourceType.OTHER:
        if entity_hint is EntityType.PROGRAM:
            source_type = SourceType.PROGRAM_DIRECTORY
        elif primary is not None and primary.layout.shares.get("date", 0) >= 0.6:
            source_type = SourceType.EVENT_CALENDAR
    allowed = sorted({registered_domain(urlsplit(u).hostname or "") for u in [*target_urls, base_url]})
    config = SourceConfig(
        source_id=source_id,
        source_name=source_name,
        source_type=source_type,
        base_url=base_url,
        target_urls=list(dict.fromkeys(target_urls)),
        allowed_domains=[d for d in allowed if d],
        render=render,
        listing=listing_cfg,
        detail=detail_cfg,
        structured_data=structured_cfg,
        defaults=SourceDefaults(entity_type=entity_hint),
    )

    runner_up = 0.0
    if primary is not None and len(primary.analysis.layouts) > 1:
        runner_up = primary.analysis.layouts[1].score
    pages_ok = len(target_pages) / max(1, len(listing_pages) or 1)
    confidence = _confidence(primary, runner_up, structured_items, min(1.0, pages_ok))
    patterns: dict[str, Any] = {
        "platform": platform,
        "page_kinds": {a.sample.url: a.kind for a in effective},
        "pages": {
            a.sample.url: {
                "kind": a.kind,
                "rendered": a.sample.rendered,
                "platform": a.platform,
                "structured_types": dict(Counter(n.type for n in a.structured)),
                "structured_listing_items": a.listing_items,
                "malformed_json_ld": a.malformed,
                "candidates": [layout.summary() for layout in a.layouts[:3]],
            }
            for a in effective
        },
        "listing": primary.layout.summary() if primary else None,
        "merged_layouts_from": merged_with,
        "pagination": pagination_info,
        "detail": detail_info,
        "structured_data": {"types": wanted, "counts": type_counts, "site_wide_ignored": site_wide},
        "render": {"mode": render.value, "reasons": browser_reasons},
        "entity_type_hint": entity_hint.value if entity_hint else None,
    }
    return Proposal(
        config=config, patterns=patterns, issues=list(dict.fromkeys(issues)), confidence=confidence
    )


def _http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


# Used by callers that only need the sample's main item values (e.g. the LLM cross-check).
def sample_items(pages: list[PageSample], config: SourceConfig, *, limit: int = 20) -> list[dict[str, str]]:
    """Listing values the config yields on the given pages, with absolute URLs."""
    if config.listing is None:
        return []
    out: list[dict[str, str]] = []
    for p in pages:
        for row in run_listing(p.html, config.listing.item, config.listing.fields):
            if "url" in row:
                row["url"] = urljoin(p.url, row["url"])
            out.append(row)
            if len(out) >= limit:
                return out
    return out


__all__ = [
    "LISTING_THRESHOLD",
    "PageSample",
    "Proposal",
    "classify_page",
    "detect_platform",
    "discover_listing_urls",
    "needs_browser",
    "propose_config",
    "sample_items",
]
