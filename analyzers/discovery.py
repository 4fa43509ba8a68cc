"""Finding where the listings are: listing-page links on a home page, and pagination.

`rank_listing_links` scores a home page's same-site links by the words in their path and
anchor text (events, calendar, classes, camps, "what's on", and the Spanish equivalents), so
the analyzer fetches the few pages most likely to hold listings. `detect_pagination` finds a
listing page's way to its next page: a rel=next link, a "Next"/"›"/"Siguiente" link, or
numbered page links turned into a URL template; month-by-month calendar navigation is capped
because it never ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from analyzers.structure.elements import element_text, ranked_classes, stable_classes, xpath_literal
from famact import urls
from famact.constants import ExtractMode, SelectorKind
from famact.models import PaginationConfig, SelectorSpec
from famact.normalize.calendar_words import MONTH_WORDS, MONTHS_EN
from famact.normalize.text import collapse_spaces

_FILE_EXT = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|jpe?g|png|gif|svg|webp|zip|mp3|mp4|mov|ics|ical|xml|rss|css|js|json|txt)$",
    re.I,
)
# Words that name a listing page, with weights; matched against path tokens and link text.
_STRONG = {
    "events": 6,
    "event": 5,
    "calendar": 6,
    "programs": 5,
    "program": 4,
    "classes": 5,
    "class": 3,
    "camps": 6,
    "camp": 5,
    "activities": 5,
    "activity": 3,
    "things-to-do": 6,
    "thingstodo": 6,
    "whats-on": 6,
    "whatson": 6,
    "exhibits": 4,
    "exhibitions": 4,
    "exhibit": 3,
    "exhibition": 3,
    "schedule": 4,
    "storytime": 4,
    "storytimes": 4,
    "workshops": 4,
    "lessons": 4,
    "courses": 4,
    "kids": 3,
    "family": 3,
    "families": 3,
    "youth": 3,
    "shows": 3,
    "performances": 3,
    "tours": 2,
    "upcoming": 4,
    "registration": 2,
    "recreation": 3,
    "attractions": 5,
    "places": 5,
    "places-to-go": 6,
    "venues": 5,
    "parks": 4,
    "playgrounds": 4,
    "museums": 4,
    "directory": 4,
    "explore": 3,
    "outings": 4,
    "destinations": 4,
    "lugares": 5,
    "visit": 2,
    "learn": 1,
    "education": 2,
    "happenings": 5,
    "festivals": 4,
    "eventos": 6,
    "calendario": 6,
    "programas": 5,
    "clases": 5,
    "campamentos": 6,
    "actividades": 5,
    "talleres": 4,
    "cursos": 4,
    "exposiciones": 4,
    "exhibiciones": 4,
    "visita": 2,
    "familias": 3,
    "ninos": 3,
    "niños": 3,
    "que-hacer": 6,
    "qué-hacer": 6,
}
_PHRASES = {
    "what's on": 6,
    "whats on": 6,
    "things to do": 6,
    "plan your visit": 2,
    "qué hacer": 6,
    "que hacer": 6,
    "for kids": 3,
    "for families": 3,
    "upcoming events": 7,
    "event calendar": 7,
}
_NEGATIVE = {
    "login",
    "log-in",
    "signin",
    "sign-in",
    "account",
    "cart",
    "checkout",
    "donate",
    "donation",
    "give",
    "jobs",
    "careers",
    "employment",
    "privacy",
    "terms",
    "contact",
    "press",
    "shop",
    "store",
    "volunteer",
    "rental",
    "rentals",
    "rent",
    "sitemap",
    "feed",
    "rss",
    "wp-admin",
    "wp-login",
    "submit",
    "add-event",
    "submit-event",
    "past",
    "archive",
    "archives",
    "subscribe",
    "newsletter",
    "search",
    "tag",
    "author",
    "facebook",
    "instagram",
    "twitter",
    "youtube",
    "policy",
    "accessibility",
}
_TOKEN = re.compile(r"[a-z0-9ñáéíóú'’]+(?:-[a-z0-9ñáéíóú]+)*", re.I)


def registered_domain(host: str) -> str:
    """The site a host belongs to, by the project's one rule (famact.urls: `events.kcls.org` ->
    `kcls.org`, `kidsclub.github.io` its own); an empty host is itself."""
    try:
        return urls.registered_domain(host)
    except ValueError:
        return host


def same_site(url: str, base: str) -> bool:
    host, base_host = urlsplit(url).hostname or "", urlsplit(base).hostname or ""
    return bool(host) and registered_domain(host) == registered_domain(base_host)


def is_site_root(url: str) -> bool:
    """The site's home page ("https://x.org/", no query): a page of teasers, not the list."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def canonical_url(url: str) -> str:
    """Without fragment and trailing slash (but keeping the root '/')."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def _keyword_score(words: list[str], text: str) -> float:
    score = 0.0
    seen = set()
    for word in words:
        w = word.lower().replace("’", "'")
        for variant in (w, w.replace("-", "")):
            if variant in _STRONG and variant not in seen:
                score += _STRONG[variant]
                seen.add(variant)
                break
    low = text.lower().replace("’", "'")
    for phrase, weight in _PHRASES.items():
        if phrase in low:
            score += weight
    return score


def score_listing_link(url: str, anchor: str, home: str) -> float:
    """How likely a link leads to a page of listings (<= 0: not at all)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not same_site(url, home):
        return 0.0
    if _FILE_EXT.search(parts.path):
        return 0.0
    if canonical_url(url) == canonical_url(home):
        return 0.0
    segments = [s for s in parts.path.lower().split("/") if s]
    path_words: list[str] = []
    for seg in segments:
        path_words.append(seg)
        path_words.extend(re.split(r"[-_.]", seg))
    anchor_words = _TOKEN.findall(anchor.lower())
    if set(path_words) & _NEGATIVE or set(anchor_words) & _NEGATIVE:
        return 0.0
    path_score = _keyword_score(path_words, " ".join(segments).replace("-", " "))
    text_score = _keyword_score(anchor_words, anchor)
    score = 1.0 * path_score + 0.8 * text_score
    if score <= 0:
        return 0.0
    # Listing pages sit near the top of the site; a deep slug is one event, not the list.
    depth = len(segments)
    if depth <= 1:
        score += 2
    elif depth >= 3:
        score -= 2 * (depth - 2)
    if segments and re.search(r"\d{3,}|\d{4}-\d{2}-\d{2}", segments[-1]):
        score -= 3
    if segments and segments[0] in _STRONG:
        score += 1
    if parts.query and not re.search(r"(?i)(?:view|type|category|cat|age|tag)=", parts.query):
        score -= 1
    return score


def rank_listing_links(html: str, url: str, *, limit: int = 5) -> list[str]:
    """Same-site links most likely to be listing pages, best first, absolute, unique."""
    page = Selector(text=html)
    base = page.css("base::attr(href)").get()
    base_url = urljoin(url, base) if base else url
    best: dict[str, tuple[float, int, str]] = {}
    for order, a in enumerate(page.css("a[href]")):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        parts = urlsplit(urljoin(base_url, href))
        absolute = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
        anchor = collapse_spaces(
            " ".join(filter(None, [element_text(a.root), a.attrib.get("title"), a.attrib.get("aria-label")]))
        )
        score = score_listing_link(absolute, anchor, url)
        if score <= 0:
            continue
        key = canonical_url(absolute)
        prev = best.get(key)
        if prev is None:
            best[key] = (score, order, absolute)
        elif score > prev[0]:
            best[key] = (score, prev[1], prev[2])  # the best anchor text, the first spelling
    # "/events?type=family" is a filtered view of "/events": the full list covers it.
    bare = {key for key in best if not urlsplit(key).query}
    ranked = sorted(
        (v for key, v in best.items() if not (urlsplit(key).query and key.split("?", 1)[0] in bare)),
        key=lambda v: (-v[0], v[1]),
    )
    # "/events/teen-open-gym/" under a candidate "/events/" is one of its detail pages: the
    # listing page covers it, and a detail page is a poor sample of the listing layout.
    paths = {urlsplit(v[2]).path.rstrip("/") + "/" for v in ranked}
    ranked = [
        v
        for v in ranked
        if not any(
            p != "/" and urlsplit(v[2]).path.rstrip("/") + "/" != p and urlsplit(v[2]).path.startswith(p)
            for p in paths
        )
    ]
    return [absolute for _, _, absolute in ranked[:limit]]


# --------------------------------------------------------------------------------------------
# Pagination

_NEXT_TEXT = re.compile(
    r"(?i)^(?:next(?:\s+(?:page|events?|results?|entries|posts|\d+))?|older(?:\s+(?:posts|entries|events))?|"
    r"more\s+events|siguiente|sig\.?|pr[oó]xim[oa]s?|m[aá]s\s+eventos|›|»|>|→|>>|next\s*[›»>→])\s*[›»>→]*$"
)
# Month names from the one calendar vocabulary: English full names mark a calendar's links; a
# month in any spelling the classifier reads (English, Spanish) before an arrow is "next month".
_FULL_MONTHS = tuple(name for name, _ in MONTHS_EN[:12])
_CALENDAR_HINT = re.compile(
    r"(?i)(?:\bmonth\b|\bweek\b|\bmes\b|\bsemana\b|[?&](?:month|mes|ym|date|tribe-bar-date|week|cal(?:date)?|"
    r"start_?date|day)=|/\d{4}-\d{2}(?:-\d{2})?/?(?:$|\?)|/\d{4}/\d{1,2}/?(?:$|\?)|/(?:month|week|day)/|"
    rf"\b(?:{'|'.join(_FULL_MONTHS)})\b)"
)
_MONTH_ARROW = re.compile(
    r"(?i)^(?:(?:next\s+)?(?:month|week|mes|semana)"
    rf"|(?:{'|'.join(MONTH_WORDS)})\.?(?:\s+\d{{4}})?)\s*[›»>→]+$"
)
_PAGE_PARAMS = (
    "page",
    "pg",
    "paged",
    "p",
    "pagenum",
    "page_num",
    "pagenumber",
    "currentpage",
    "pageno",
    "pagina",
)
_PATH_PAGE = re.compile(r"/(page|pagina|p)/(\d+)/?$", re.I)


@dataclass
class PaginationFinding:
    config: PaginationConfig
    evidence: str
    calendar: bool = False
    last_page: int | None = None
    notes: list[str] = field(default_factory=list)


def _page_number(url: str, current: str) -> tuple[str, int] | None:
    """If `url` is `current` with a page number changed, (template, number)."""
    a, b = urlsplit(url), urlsplit(current)
    if (a.netloc and a.netloc != b.netloc) or not a.path:
        return None
    match = _PATH_PAGE.search(a.path)
    if match:
        base_path = a.path[: match.start()]
        current_base = _PATH_PAGE.sub("", b.path).rstrip("/")
        if base_path.rstrip("/") != current_base.rstrip("/"):
            return None
        template_path = f"{base_path}/{match.group(1)}/{{page}}/"
        return urlunsplit((a.scheme, a.netloc, template_path, a.query, "")), int(match.group(2))
    if a.path.rstrip("/") != b.path.rstrip("/"):
        return None
    query = parse_qsl(a.query, keep_blank_values=True)
    current_query = dict(parse_qsl(b.query, keep_blank_values=True))
    for i, (key, value) in enumerate(query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            others = {k: v for j, (k, v) in enumerate(query) if j != i}
            cur_others = {k: v for k, v in current_query.items() if k != key}
            if others != cur_others:
                return None
            parts = [*query[:i], (key, "PAGEPLACEHOLDER"), *query[i + 1 :]]
            templ = urlencode(parts).replace("PAGEPLACEHOLDER", "{page}")
            return urlunsplit((a.scheme, a.netloc, a.path, templ, "")), int(value)
    return None


def _link_selector(a: Any, page: Selector, *, volatile_text: bool = False) -> SelectorSpec | None:
    """A page-level selector for this link, verified to find it first. `volatile_text`: the
    link's text changes from page to page ("June »"), so never select by text."""
    el = a.root
    candidates: list[SelectorSpec] = []
    rel = (el.get("rel") or "").split()
    if "next" in rel:
        candidates.append(SelectorSpec(query='a[rel~="next"]', extract=ExtractMode.ATTR, attr="href"))
    classes = ranked_classes(stable_classes(el))
    for c in sorted(classes, key=lambda c: "next" not in c.lower()):
        candidates.append(SelectorSpec(query=f"a.{c}", extract=ExtractMode.ATTR, attr="href"))
    parent = el.getparent()
    if parent is not None:
        siblings = [c for c in parent if getattr(c, "tag", None) == "a"]
        for c in sorted(ranked_classes(stable_classes(parent)), key=lambda c: "next" not in c.lower())[:2]:
            candidates.append(
                SelectorSpec(query=f"{parent.tag}.{c} > a", extract=ExtractMode.ATTR, attr="href")
            )
            if siblings and siblings[-1] is el:
                candidates.append(
                    SelectorSpec(
                        query=f"{parent.tag}.{c} > a:last-of-type", extract=ExtractMode.ATTR, attr="href"
                    )
                )
    label = el.get("aria-label")
    if label and '"' not in label and "\\" not in label:
        candidates.append(
            SelectorSpec(query=f'a[aria-label="{label}"]', extract=ExtractMode.ATTR, attr="href")
        )
    text = element_text(el)
    if text and not volatile_text:
        candidates.append(
            SelectorSpec(
                kind=SelectorKind.XPATH,
                query=f"//a[normalize-space()={xpath_literal(text)}]",
                extract=ExtractMode.ATTR,
                attr="href",
            )
        )
    for spec in candidates:
        try:
            found = page.css(spec.query) if spec.kind is SelectorKind.CSS else page.xpath(spec.query)
        except ValueError:
            continue
        if found and found[0].root is el:
            return spec
    return None


@dataclass(frozen=True)
class _NextLink:
    spec: SelectorSpec
    href: str  # absolute
    calendar: bool  # a month or week arrow of a calendar
    evidence: str


def _next_link(page: Selector, url: str) -> _NextLink | None:
    """The first link that reads as "next page" (rel, text, class, aria label or a month arrow)
    and leads off this page, as a selector a crawl can follow."""
    for a in page.css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        el = a.root
        text = element_text(el)
        rel = (el.get("rel") or "").split()
        tokens = set(re.split(r"[-_\s]+", " ".join(filter(None, [el.get("class"), el.get("id")])).lower()))
        aria = (el.get("aria-label") or el.get("title") or "").lower()
        month_arrow = bool(_MONTH_ARROW.match(text))  # "June »": a calendar's next month
        is_next = (
            "next" in rel
            or bool(_NEXT_TEXT.match(text))
            or "next" in tokens
            or aria.startswith(("next", "siguiente"))
            or month_arrow
        )
        if not is_next or urljoin(url, href).rstrip("/") == url.rstrip("/"):
            continue
        if "prev" in tokens or "previous" in tokens:
            continue
        spec = _link_selector(a, page, volatile_text=month_arrow)
        if spec is None:
            continue
        calendar = month_arrow or bool(_CALENDAR_HINT.search(" ".join([text, aria, " ".join(tokens), href])))
        return _NextLink(spec, urljoin(url, href), calendar, f"next link {text or aria or href!r}")
    return None


def detect_pagination(html: str, url: str, *, default_max_pages: int = 10) -> PaginationFinding | None:
    """How to reach the listing page's next pages, or None when it has none."""
    page = Selector(text=html)
    link = _next_link(page, url)
    next_spec = link.spec if link else None
    next_href = link.href if link else None
    calendar = link.calendar if link else False
    evidence = link.evidence if link else ""
    numbers: dict[str, dict[int, str]] = {}
    for a in page.css("a[href]"):
        found = _page_number(urljoin(url, (a.attrib.get("href") or "").strip()), url)
        if found:
            numbers.setdefault(found[0], {})[found[1]] = element_text(a.root)
    template = None
    last_page = None
    start = 2
    zero_based = False
    if numbers:
        template, nums = max(numbers.items(), key=lambda kv: len(kv[1]))
        # Drupal and others count from 0: the link labelled "2" carries page=1.
        zero_based = 0 in nums or any(label.strip() == str(n + 1) for n, label in nums.items())
        start = 1 if zero_based else 2
        last_page = max(nums) + (1 if zero_based else 0)
    if next_spec is None and template is None:
        return None
    if next_href and not calendar:
        calendar = bool(_CALENDAR_HINT.search(next_href))
    max_pages = default_max_pages
    notes = []
    if last_page is not None and not calendar:
        # Pages shown as 1 2 3 ... 24: crawl them all (within reason) or recall suffers.
        max_pages = max(default_max_pages, min(last_page, 100))
    if calendar:
        max_pages = min(max_pages, 3)
        notes.append("calendar-style navigation (month/week): max_pages limited to 3")
    if next_spec is not None:
        config = PaginationConfig(next_page=next_spec, max_pages=max_pages)
        return PaginationFinding(config, evidence, calendar, last_page, notes)
    assert template is not None
    config = PaginationConfig(url_template=template, start=start, max_pages=max_pages)
    return PaginationFinding(config, f"numbered page links ({template})", calendar, last_page, notes)
