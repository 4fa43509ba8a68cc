"""The extraction engine: one HTML page + a `SourceConfig` -> raw listings, detail links, next pages.

Both the Scrapy SourceSpider and the analyzer call these functions, so a config behaves the
same when it is proposed and when it is crawled (ARCHITECTURE section 1: one engine). Nothing
here does I/O or imports Scrapy: the input is the page's markup and URL.

A listing page runs the config's selectors (one `RawListing` per item) and, when enabled, the
page's schema.org data (`structured.py`), and merges listings that describe the same thing.
Each selector listing carries the nearest heading above its item ("Winter 2027 Classes"),
because year-less dates ("Tue, Jan 5") are only datable with it. When the config has a detail
step, listings with a followable link become detail requests carrying the listing as a
teaser; `extract_detail` later merges the detail page into that teaser. A config without a
listing whose detail step follows nothing (`SourceConfig.item_pages`) reads each target page
as one item, the way a followed detail page is read.

Robustness: pages are truncated to `MAX_PAGE_BYTES` before parsing, bytes are decoded by
`decode_bytes` (BOM, valid UTF-8, a declared charset the bytes fit, windows-1252: a wrong
charset label gives no mojibake), and broken markup is parsed by lxml's forgiving HTML
parser. Selector failures and unreadable JSON-LD are counted in `stats`, never raised, so one
bad field does not lose a page.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import parsel
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, read_bom, resolve_encoding

from famact.constants import ExtractMode
from famact.models import (
    MAX_DESCRIPTION_CHARS,
    MAX_TEXT_CHARS,
    MAX_URL_CHARS,
    RawListing,
    SelectorSpec,
    SourceConfig,
    is_http_url,
)
from famact.normalize.dates import numeric_date_order
from famact.urls import same_site
from famact_crawler.extract.selectors import (
    MULTIPLE_SEPARATOR,
    SelectorEvaluationError,
    absolute_url,
    apply_regex,
    extract_value,
    fold_whitespace,
    select_nodes,
    visible_text,
)
from famact_crawler.extract.structured import StructuredItem, structured_listings

MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_ITEMS_PER_PAGE = 5_000  # an item selector matching more is broken (e.g. "div"); bound the cost
MAX_CONTEXT_CHARS = 300
MAX_HEADING_CHARS = 200  # a "season" element with more text is a container, not a heading

# Fields the page's structured data states more exactly than page text; selectors win the rest.
STRUCTURED_WINS = frozenset(
    {"date", "end_date", "time", "price", "address", "city", "latitude", "longitude", "status"}
)

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
_SEASON_CLASS = re.compile(r"season|(?:^|[\s_-])terms?(?:[\s_-]|$)", re.IGNORECASE)
_ARCHIVE_URL = re.compile(
    r"(?:^|[/_\-.?=&])(?:past|archives?|previous|expired)(?:[/_\-.?=&]|$)", re.IGNORECASE
)
_ARCHIVE_TEXT = re.compile(
    r"\b(?:past|previous|archived|expired)\s+(?:events?|programs?|classes|activities|exhibitions?|"
    r"exhibits?|camps?|performances?)\b|\b(?:events?|programs?|calendar|exhibitions?)\s+archives?\b",
    re.IGNORECASE,
)
_WORD_CHAR = re.compile(r"\w")


class PageUrlError(ValueError):
    """The page URL cannot be the `page_url` of a listing (not http(s), or too long)."""


@dataclass
class PageExtraction:
    listings: list[RawListing] = field(default_factory=list)  # complete listings, nothing to follow
    detail_requests: list[tuple[str, RawListing]] = field(default_factory=list)  # (detail URL, teaser)
    next_pages: list[str] = field(default_factory=list)  # absolute, allowed, de-duplicated, in order
    stats: Counter[str] = field(default_factory=Counter)
    page_context: dict[str, str] = field(default_factory=dict)  # page_title, h1, archive


@dataclass
class _Page:
    selector: parsel.Selector
    text: str
    url: str
    base_url: str
    context: dict[str, str]


@dataclass
class _Candidate:
    listing: RawListing
    follow: str | None = None  # the detail link found on the item, if any
    # Structured-only listings are complete as they are and never become detail requests (a
    # Course's instances share the course URL and would collapse into one request).
    from_item: bool = True


# --------------------------------------------------------------------------------------------
# Page loading


def decode_bytes(body: bytes, declared: str | None) -> str:
    """The page's bytes as text, by the first rule that fits (a charset label often lies: a
    server default of UTF-8 or Latin-1 over a page saved in another encoding):

    1. a byte-order mark;
    2. UTF-8, when the bytes are UTF-8: all valid, or more valid non-ASCII characters than
       invalid bytes (a UTF-8 page with stray bytes: those are replaced). Text in a legacy
       encoding almost never has valid UTF-8 sequences;
    3. the first declared encoding, `declared` (the HTTP header's) then the page's `<meta>`,
       under which the bytes are valid;
    4. windows-1252, the HTML standard's fallback for undeclared Western pages;
    5. else w3lib's reading (the declared encoding, invalid bytes replaced), as Scrapy's.

    A UTF-16/32 declaration is trusted as it is: its ASCII text is also valid UTF-8.
    """
    bom, bom_bytes = read_bom(body)
    if bom and bom_bytes:
        return body[len(bom_bytes) :].decode(bom, "replace")
    header = resolve_encoding(declared) if declared else None
    if header and header.startswith(("utf-16", "utf-32")):
        candidates: list[str | None] = [header]
    else:
        # final=False: a multi-byte character cut by the MAX_PAGE_BYTES truncation is no error.
        as_utf8 = codecs.getincrementaldecoder("utf-8")("replace").decode(body, final=False)
        invalid = as_utf8.count("\ufffd")
        non_ascii = len(as_utf8) - len(as_utf8.encode("ascii", "ignore"))
        if invalid == 0 or non_ascii - invalid > invalid:
            return as_utf8
        candidates = [header, resolve_encoding(html_body_declared_encoding(body) or ""), "cp1252"]
    for codec in candidates:
        if not codec:
            continue
        try:
            return codecs.getincrementaldecoder(codec)().decode(body, final=False)
        except UnicodeDecodeError:
            continue
    content_type = f"text/html; charset={declared}" if declared else None
    return html_to_unicode(content_type, body)[1]


def decode_page(html: str | bytes, encoding: str | None, stats: Counter[str]) -> str:
    """The page as text, truncated to MAX_PAGE_BYTES (bytes for bytes input, characters for str);
    bytes are decoded by `decode_bytes`, `encoding` being the HTTP header's charset, if any."""
    if isinstance(html, bytes):
        if len(html) > MAX_PAGE_BYTES:
            html = html[:MAX_PAGE_BYTES]
            stats["page_truncated"] += 1
        return decode_bytes(html, encoding)
    if len(html) > MAX_PAGE_BYTES:
        html = html[:MAX_PAGE_BYTES]
        stats["page_truncated"] += 1
    # Lone surrogates (from a bad upstream decode) cannot be handed to lxml.
    return html.encode("utf-8", "replace").decode("utf-8")


def url_allowed(url: str, allowed_domains: Iterable[str]) -> bool:
    """An http(s) URL whose host is an allowed domain or a subdomain of one (`SourceConfig`'s rule)."""
    return is_http_url(url) and same_site(url, allowed_domains)


def _same_page(a: str, b: str) -> bool:
    return urldefrag(a)[0].rstrip("/") == urldefrag(b)[0].rstrip("/")


def is_archive_page(url: str, page_title: str | None, h1: str | None) -> bool:
    """True when the URL path/query or the title/h1 says the page lists past events."""
    parts = urlsplit(url)
    if _ARCHIVE_URL.search(parts.path) or _ARCHIVE_URL.search(parts.query):
        return True
    return any(_ARCHIVE_TEXT.search(text) for text in (page_title, h1) if text)


def _load(html: str | bytes, url: str, encoding: str | None, stats: Counter[str]) -> _Page | None:
    if not is_http_url(url) or len(url) > MAX_URL_CHARS:
        raise PageUrlError(f"page url must be an http(s) URL of at most {MAX_URL_CHARS} chars: {url[:80]!r}")
    text = decode_page(html, encoding, stats)
    if not text.strip():
        stats["empty_page"] += 1
        return None
    selector = parsel.Selector(text=text, base_url=url)
    base_href = selector.xpath("//base/@href").get()
    base_url = url
    if base_href:
        candidate = absolute_url(base_href, url)
        base_url = candidate if is_http_url(candidate) else url
    context: dict[str, str] = {}
    title = visible_text(selector.xpath("//title")[0]) if selector.xpath("//title") else ""
    h1_nodes = selector.xpath("//h1")
    h1 = visible_text(h1_nodes[0]) if h1_nodes else ""
    if title:
        context["page_title"] = title[:MAX_CONTEXT_CHARS]
    if h1:
        context["h1"] = h1[:MAX_CONTEXT_CHARS]
    if is_archive_page(url, title, h1):
        context["archive"] = "1"
    if not selector.xpath("//body//text()[normalize-space()] | //script"):
        stats["empty_page"] += 1
    return _Page(selector, text, url, base_url, context)


# --------------------------------------------------------------------------------------------
# Field values


def _cap(name: str, value: str, stats: Counter[str]) -> str:
    limit = MAX_DESCRIPTION_CHARS if name == "description" or name.startswith("extra_") else MAX_TEXT_CHARS
    if len(value) > limit:
        stats[f"field_truncated:{name}"] += 1
        return value[:limit]
    return value


def _link_of(match: parsel.Selector, spec: SelectorSpec, base_url: str, image: bool = False) -> str | None:
    """The URL a match points to: an attribute spec's value, else the element's link or image.

    A `url` or `image` field, a detail `follow` link or a `next_page` link given as a plain
    selector ("a.more") means the link, not the words "Read more", so the element's href (or
    src), a descendant's or an enclosing link's is taken.
    """
    root = match.root
    value: str | None
    if not isinstance(root, etree._Element):
        value = str(root)
    elif spec.extract is ExtractMode.ATTR:
        value = match.attrib.get(spec.attr or "")
    elif image:
        value = (
            match.xpath("@src | @data-src | @srcset").get()
            or match.xpath(".//img/@src | .//img/@data-src | .//source/@srcset").get()
        )
    else:
        value = (
            match.xpath("@href | @data-href | @data-url").get()
            or match.xpath(".//a/@href").get()
            or match.xpath("ancestor::a[1]/@href").get()
        )
    if value is None and isinstance(root, etree._Element):
        value = visible_text(match)  # a URL printed as text
    if value is None:
        return None
    if spec.regex is not None:
        value = apply_regex(spec.regex, value)
        if value is None:
            return None
    value = fold_whitespace(value)
    if image and "," in value:
        value = value.split(",", maxsplit=1)[0].strip().split(" ", maxsplit=1)[0]
    if not value or value.lower().startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
        return None
    url = absolute_url(value, base_url)
    return url if is_http_url(url) and len(url) <= MAX_URL_CHARS else None


def _links(root: parsel.Selector, spec: SelectorSpec, base_url: str) -> list[str]:
    links: list[str] = []
    for match in select_nodes(root, spec):
        link = _link_of(match, spec, base_url)
        if link:
            links.append(link)
    return links


def _field_value(
    root: parsel.Selector, name: str, spec: SelectorSpec, base_url: str, stats: Counter[str]
) -> str | None:
    try:
        if name in ("url", "image") and spec.extract is not ExtractMode.HTML:
            value = next(
                (
                    link
                    for m in select_nodes(root, spec)
                    if (link := _link_of(m, spec, base_url, name == "image"))
                ),
                None,
            )
        else:
            value = extract_value(root, spec, base_url=base_url, sighted=name == "title")
    except SelectorEvaluationError:
        stats[f"selector_error:{name}"] += 1
        return None
    if not value:
        stats[f"selector_no_match:{name}"] += 1
        return None
    return _cap(name, value, stats)


def _has_title(listing: RawListing) -> bool:
    return bool(_WORD_CHAR.search(listing.fields.get("title", "")))


def _title_key(title: str | None) -> str:
    return " ".join(re.findall(r"\w+", (title or "").casefold()))


# --------------------------------------------------------------------------------------------
# Heading context


def _heading_text(element: etree._Element) -> str | None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _HEADING_TAGS:
        text = visible_text(element)
        return text[:MAX_HEADING_CHARS] or None
    if tag and _SEASON_CLASS.search(element.get("class") or ""):
        text = visible_text(element)
        if text and len(text) <= MAX_HEADING_CHARS:
            return text
    return None


def headings_before(document: etree._Element, items: list[etree._Element]) -> dict[int, str]:
    """For each item, the nearest h1-h4 (or "season"/"term" element) before it in document
    order, not counting its own descendants. Keyed by `id(item)`; one pass over the page."""
    wanted = {id(item) for item in items}
    found: dict[int, str] = {}
    current: str | None = None
    stack: list[etree._Element] = [document]
    while stack and len(found) < len(wanted):
        element = stack.pop()
        if id(element) in wanted:
            if current:
                found[id(element)] = current
            continue  # the item's own headings are its title, not context for the next item
        heading = _heading_text(element)
        if heading:
            if not any(id(inner) in wanted for inner in element.iterdescendants()):
                current = heading
                continue  # nothing inside a heading is another heading worth scanning
            # A short "season" block holding items: its leading words ("Fall 2026") are the context.
            lead = fold_whitespace(element.text or "")
            if lead:
                current = lead[:MAX_HEADING_CHARS]
        stack.extend(reversed(element))
    return found


# --------------------------------------------------------------------------------------------
# Merging


def _merge(primary: RawListing, secondary: RawListing, secondary_wins: frozenset[str]) -> RawListing:
    fields = {k: v for k, v in primary.fields.items() if v}
    kept = set(fields)
    added = False
    for name, value in secondary.fields.items():
        if not value:
            continue
        if name not in fields or (name in secondary_wins and fields[name] != value):
            fields[name] = value
            kept.discard(name)
            added = True
    if kept and added:
        via = "merged"
    elif added:
        via = secondary.extracted_via
    else:
        via = primary.extracted_via
    return primary.model_copy(
        update={
            "fields": fields,
            "url": primary.url or secondary.url,
            "structured_type": primary.structured_type or secondary.structured_type,
            "extracted_via": via,
            "page_context": {**secondary.page_context, **primary.page_context},
            "type_hint": primary.type_hint or secondary.type_hint,
        }
    )


def merge_listings(primary: RawListing, secondary: RawListing) -> RawListing:
    """`primary` with its missing fields filled from `secondary`; primary wins on conflicts.

    `extracted_via` is "merged" when both contributed a field, else that of the one that did.
    """
    return _merge(primary, secondary, frozenset())


def _merge_teasers(first: RawListing, second: RawListing) -> RawListing:
    """Two items linking one detail page (a weekly storytime listed per date): one request whose
    teaser keeps every date, joined like a `multiple` selector's values."""
    merged = merge_listings(first, second)
    known = first.fields.get("date", "").split(MULTIPLE_SEPARATOR)
    added = second.fields.get("date")
    if known != [""] and added and added not in known:
        merged.fields["date"] = MULTIPLE_SEPARATOR.join([*known, added])
    return merged


def _structured_listing(
    item: StructuredItem, page: _Page, config: SourceConfig, stats: Counter[str]
) -> RawListing:
    url = item.url if item.url and len(item.url) <= MAX_URL_CHARS else None
    return RawListing(
        source_id=config.source_id,
        page_url=page.url,
        url=url,
        fields={name: _cap(name, value, stats) for name, value in item.fields.items()},
        structured_type=item.structured_type,
        extracted_via=item.syntax,
        page_context=dict(page.context),
        type_hint=config.defaults.entity_type,
    )


def _pair_structured(
    candidates: list[_Candidate], structured: list[RawListing], page_url: str, stats: Counter[str]
) -> list[_Candidate]:
    """Merge each selector listing with the structured listing of the same thing (same URL,
    else same title, each structured listing used once, in page order); keep the rest."""
    used: set[int] = set()
    by_url: dict[str, int] = {}
    for index, listing in enumerate(structured):
        if listing.url and not _same_page(listing.url, page_url):
            by_url.setdefault(urldefrag(listing.url)[0], index)
    combined: list[_Candidate] = []
    for candidate in candidates:
        listing = candidate.listing
        match: int | None = None
        if listing.url and not _same_page(listing.url, page_url):
            by_same_url = by_url.get(urldefrag(listing.url)[0])
            match = by_same_url if by_same_url is not None and by_same_url not in used else None
        title = _title_key(listing.fields.get("title"))
        if match is None and title:
            match = next(
                (
                    i
                    for i, s in enumerate(structured)
                    if i not in used and _title_key(s.fields.get("title")) == title
                ),
                None,
            )
        if match is not None:
            used.add(match)
            stats["merged"] += 1
            listing = _merge(listing, structured[match], STRUCTURED_WINS)
        combined.append(_Candidate(listing, candidate.follow))
    combined.extend(_Candidate(s, from_item=False) for i, s in enumerate(structured) if i not in used)
    return combined


# --------------------------------------------------------------------------------------------
# Listing pages


def _selector_candidates(page: _Page, config: SourceConfig, stats: Counter[str]) -> list[_Candidate]:
    listing_config = config.listing
    if listing_config is None:
        return []
    try:
        matches = select_nodes(page.selector, listing_config.item)
    except SelectorEvaluationError:
        stats["selector_error:item"] += 1
        return []
    items = [m for m in matches if isinstance(m.root, etree._Element)]
    stats["items_matched"] += len(items)
    if len(items) > MAX_ITEMS_PER_PAGE:
        stats["items_capped"] += len(items) - MAX_ITEMS_PER_PAGE
        items = items[:MAX_ITEMS_PER_PAGE]
    headings = headings_before(page.selector.root, [item.root for item in items])
    follow_spec = config.detail.follow if config.detail else None
    candidates: list[_Candidate] = []
    for item in items:
        fields: dict[str, str] = {}
        for name, spec in listing_config.fields.items():
            value = _field_value(item, name, spec, page.base_url, stats)
            if value is not None:
                fields[name] = value
        follow: str | None = None
        if follow_spec is not None:
            try:
                follow = next(iter(_links(item, follow_spec, page.base_url)), None)
            except SelectorEvaluationError:
                stats["selector_error:follow"] += 1
        if not fields and follow is None:
            stats["items_empty"] += 1
            continue
        context = dict(page.context)
        heading = headings.get(id(item.root))
        if heading:
            context["heading"] = heading
        candidates.append(
            _Candidate(
                RawListing(
                    source_id=config.source_id,
                    page_url=page.url,
                    url=fields.get("url"),
                    fields=fields,
                    extracted_via="selectors",
                    page_context=context,
                    type_hint=config.defaults.entity_type,
                ),
                follow,
            )
        )
    return candidates


def _structured(page: _Page, config: SourceConfig, stats: Counter[str]) -> list[RawListing]:
    if not config.structured_data.enabled:
        return []
    result = structured_listings(page.text, page.url, config.structured_data, selector=page.selector)
    if result.malformed:
        stats["jsonld_malformed"] += result.malformed
    if result.errors:
        stats["microdata_errors"] += len(result.errors)
    stats["structured_items"] += len(result.items)
    return [_structured_listing(item, page, config, stats) for item in result.items]


def _follow_target(candidate: _Candidate, page: _Page, config: SourceConfig) -> str | None:
    if config.detail is None or not candidate.from_item:
        return None
    link = candidate.follow or candidate.listing.url
    if not link or not is_http_url(link) or _same_page(link, page.url):
        return None
    return link if url_allowed(link, config.allowed_domains) else None


def _next_pages(
    page: _Page, config: SourceConfig, page_number: int, found_items: bool, stats: Counter[str]
) -> list[str]:
    pagination = config.listing.pagination if config.listing else None
    if pagination is None:
        return []
    if page_number >= pagination.max_pages:
        # The cap, not the site, ended pagination (an endless "next" link, a calendar trap).
        try:
            more = pagination.next_page is not None and bool(
                _links(page.selector, pagination.next_page, page.base_url)
            )
        except SelectorEvaluationError:
            more = False
        if more or (pagination.url_template is not None and found_items):
            stats["pagination_max_pages_reached"] += 1
        return []
    proposed: list[str] = []
    if pagination.next_page is not None:
        try:
            proposed.extend(_links(page.selector, pagination.next_page, page.base_url))
        except SelectorEvaluationError:
            stats["selector_error:next_page"] += 1
    if pagination.url_template is not None and found_items:
        # Page 1 is the target URL; the template's first number (`start`) is page 2.
        number = pagination.start + page_number - 1
        proposed.append(absolute_url(pagination.url_template.replace("{page}", str(number)), page.url))
    pages: list[str] = []
    for url in (urldefrag(u)[0] for u in proposed):  # "#top" names the same page
        if not is_http_url(url) or len(url) > MAX_URL_CHARS or _same_page(url, page.url):
            continue
        if not url_allowed(url, config.allowed_domains):
            stats["next_page_off_domain"] += 1
            continue
        if url not in pages:
            pages.append(url)
    return pages


def _with_role(listing: RawListing, role: str, *, date_order: str | None = None) -> RawListing:
    context = {**listing.page_context, "page_role": role}
    if date_order:
        context["date_order"] = date_order
    return listing.model_copy(update={"page_context": context})


def extract_page(
    html: str | bytes,
    url: str,
    config: SourceConfig,
    *,
    page_number: int = 1,
    encoding: str | None = None,
) -> PageExtraction:
    """Everything a listing page yields under `config` (see module docstring).

    `page_number` is the 1-based position of this page in the crawl of its target URL; the
    engine proposes at most the next page and none once `pagination.max_pages` is reached.
    A `url_template` is only followed from a page that had items, so an empty page ends it.
    Raises `PageUrlError` when `url` is not a usable http(s) URL; never for the markup.
    """
    if config.item_pages:
        return extract_detail(html, url, config, encoding=encoding)
    result = PageExtraction()
    page = _load(html, url, encoding, result.stats)
    if page is None:
        return result
    result.page_context = dict(page.context)
    candidates = _selector_candidates(page, config, result.stats)
    structured = _structured(page, config, result.stats)
    combined = _pair_structured(candidates, structured, page.url, result.stats)

    # What the classifier may know of the page: one of many entries, or the page's own subject.
    role = "list_entry" if len(combined) > 1 else "page_subject"
    # The page's numeric date order ("25/12/2026" makes its "03/04/2026" the 3rd of April),
    # read from all its listings at once: one listing alone cannot tell.
    order = numeric_date_order(c.listing.fields.get("date") for c in combined)
    detail_index: dict[str, int] = {}
    for candidate in combined:
        candidate.listing = _with_role(candidate.listing, role, date_order=order)
        target = _follow_target(candidate, page, config)
        if target is not None:
            key = urldefrag(target)[0]
            if key in detail_index:  # two cards linking one page: one request, teasers merged
                index = detail_index[key]
                known = result.detail_requests[index][1]
                result.detail_requests[index] = (target, _merge_teasers(known, candidate.listing))
            else:
                detail_index[key] = len(result.detail_requests)
                result.detail_requests.append((target, candidate.listing))
        elif _has_title(candidate.listing):
            result.listings.append(candidate.listing)
        else:
            result.stats["items_without_title"] += 1

    found_items = bool(result.stats["items_matched"] or structured)
    result.next_pages = _next_pages(page, config, page_number, found_items, result.stats)
    result.stats["listings"] += len(result.listings)
    result.stats["detail_requests"] += len(result.detail_requests)
    result.stats["next_pages"] += len(result.next_pages)
    return result


# --------------------------------------------------------------------------------------------
# Detail pages


def _pick_structured(
    structured: list[RawListing], url: str, teaser: RawListing | None, title: str | None
) -> RawListing | None:
    """The structured listing this page is about: same URL, else same title, else the first."""
    if not structured:
        return None
    urls = [u for u in (url, teaser.url if teaser else None) if u]
    for listing in structured:
        if listing.url and any(_same_page(listing.url, u) for u in urls):
            return listing
    titles = {_title_key(t) for t in (title, teaser.fields.get("title") if teaser else None) if t}
    titles.discard("")
    for listing in structured:
        if _title_key(listing.fields.get("title")) in titles:
            return listing
    return structured[0]


def _truncated(title: str) -> bool:
    return title.endswith(("…", "...")) or len(title) < 4


def extract_detail(
    html: str | bytes,
    url: str,
    config: SourceConfig,
    teaser: RawListing | None = None,
    *,
    encoding: str | None = None,
) -> PageExtraction:
    """The one listing a detail page describes, merged with the teaser from its listing page.

    `config.detail.fields` are evaluated on the whole page; the page's structured data adds
    exact dates, prices and places (it wins for those, as on listing pages). The detail page
    wins over the teaser, whose fields fill the gaps and whose heading context is kept.
    `listings` holds exactly one listing, or none when no title can be found.
    """
    result = PageExtraction()
    page = _load(html, url, encoding, result.stats)
    if page is None:
        return result
    result.page_context = dict(page.context)
    fields: dict[str, str] = {}
    for name, spec in (config.detail.fields if config.detail else {}).items():
        value = _field_value(page.selector, name, spec, page.base_url, result.stats)
        if value is not None:
            fields[name] = value
    listing = RawListing(
        source_id=config.source_id,
        page_url=page.url,
        url=page.url,
        fields=fields,
        extracted_via="selectors",
        # A detail page followed from a list keeps the teaser's "list_entry" (merged below).
        page_context={**page.context, "page_role": "page_subject"},
        type_hint=config.defaults.entity_type,
    )
    structured = _structured(page, config, result.stats)
    chosen = _pick_structured(structured, page.url, teaser, fields.get("title"))
    if chosen is not None:
        listing = _merge(listing, chosen, STRUCTURED_WINS)
    if teaser is not None:
        listing = merge_listings(listing, teaser)
        teaser_title = (teaser.fields.get("title") or "").strip()
        if teaser_title and not _truncated(teaser_title) and listing.fields.get("title") != teaser_title:
            # The teaser's title was checked on every card of the listing page; a detail title
            # selector is one element of a page with many boxes ("Get Discovery News" in a
            # newsletter box), so the teaser's wins unless it was cut short ("Family Sci…").
            listing = listing.model_copy(update={"fields": {**listing.fields, "title": teaser_title}})
        # The listing page's heading ("Winter 2027") dates this page's year-less dates.
        listing = listing.model_copy(
            update={"page_context": {**teaser.page_context, **page.context}, "url": page.url}
        )
    if _has_title(listing):
        result.listings.append(listing)
    else:
        result.stats["items_without_title"] += 1
    result.stats["listings"] += len(result.listings)
    return result
