"""Repeated-structure detection: find the listing items of a page and propose their selectors.

The heuristic analyzer has no model of any particular site. It looks for what every listing
page shares: a group of elements with the same tag and class signature (or the same heading
followed by paragraphs) that repeats at least a few times, whose members each hold a title,
a date, a link, a price or an age range, and which does not sit in the navigation, the
footer or a menu. The winning group gets an item selector that is verified to select exactly
its members, and field selectors that are verified on every member: a field is kept only when
it matches most items and its values behave like that field (dates look like dates, titles
vary, ...).

Everything here is a pure function of HTML text; the public entry points are
`find_listing_layouts`, `run_listing`, `select_value`, `propose_detail_fields` and the text
pattern helpers used by the other analyzer modules.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from parsel import Selector

from famact.constants import ExtractMode, SelectorKind
from famact.models import MAX_SELECTOR_CHARS, SelectorSpec
from famact.normalize.calendar_words import MONTHS_EN, MONTHS_ES, MONTHS_ES_ABBR, WEEKDAY_LABELS
from famact.normalize.text import collapse_spaces
from famact_crawler.extract.selectors import apply_regex, extract_value, select_nodes

# --------------------------------------------------------------------------------------------
# Text patterns (English and Spanish: the Seattle area publishes both)

_MONTHS = "|".join(word for word, _ in MONTHS_EN + MONTHS_ES + MONTHS_ES_ABBR)
_WEEKDAYS = "|".join(WEEKDAY_LABELS)
_MON = rf"(?:{_MONTHS})\.?"
_DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+\d{4})?"
_ONE_DATE = (
    rf"(?:(?:(?:{_WEEKDAYS})\.?,?\s+)?(?:{_MON}\s+{_DAYNUM}\b{_YEAR}"
    rf"|{_DAYNUM}\s+(?:de\s+)?{_MON}\b(?:\s+(?:de\s+)?\d{{4}})?)"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\d{4}-\d{2}-\d{2})"
)
_RANGE_TAIL = rf"(?:\s*(?:-|–|—|to|through|thru|al)\s*(?:{_ONE_DATE}|{_DAYNUM}\b{_YEAR}))?"
DATE_RE = re.compile(rf"(?i)\b({_ONE_DATE}{_RANGE_TAIL})")
# A compact form (a config regex is at most 500 characters) with one capturing group: used as
# a `SelectorSpec.regex` when a date sits inside running text ("Camp - April 7-11, 9am...").
_MON_SHORT = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic)[a-z]*\.?"
DATE_EXTRACT_REGEX = (
    r"(?i)\b((?:(?:mon|tue|wed|thu|fri|sat|sun|lun|mi[eé]|jue|vie|s[aá]b|dom)[a-zé]*\.?,?\s+)?"
    rf"(?:{_MON_SHORT}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}\s+de\s+{_MON_SHORT}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?)"
    r"(?:\s*(?:-|–|—|to|through|al)\s*(?:[a-z]+\.?\s+)?\d{1,2}(?:st|nd|rd|th)?(?:/\d{1,2}(?:/\d{2,4})?)?\b"
    r"(?:\s+de\s+[a-z]+)?)?(?:,?\s+\d{4})?)"
)
WEEKDAY_RE = re.compile(rf"(?i)\b(?:{_WEEKDAYS})(?:s|days)?\b\.?")
TIME_RE = re.compile(
    r"(?i)(?:\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])|\b(?:noon|midnight|mediod[ií]a)\b"
    r"|\b(?:[01]?\d|2[0-3]):[0-5]\d\b)"
)
PRICE_RE = re.compile(
    r"(?i)(?:\$\s?\d|\b\d+(?:\.\d{2})?\s*(?:usd|dollars)\b|\bfree\b(?!\s+(?:parking|wi-?fi))"
    r"|\bgratis\b|\bgratuito\b|\b(?:cost|fees?|price|admission|tuition|costo|precio)\s*:)"
)
AGE_RE = re.compile(
    r"(?i)(?:\bages?\s*:?\s*\d|\bedad(?:es)?\s*:?\s*\d|\bgrades?\s*:?\s*(?:k|pre-?k|\d)"
    r"|\b(?:pre-?k|k)\s*(?:-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\s*(?:yrs?|years?|y/?o|months?|mos?|años|meses)\b"
    r"|\b\d{1,2}\s*(?:yrs?|years?|months?|mos?|años)\s*(?:old|\+|and\s+(?:up|older)|y\s+m[aá]s)"
    r"|\b\d{1,2}\s*\+\s*(?:yrs?|years?)?\b(?=.{0,12}\b(?:age|kid|child|years?))|\ball\s+ages\b"
    r"|\btodas\s+las\s+edades\b|\b(?:\d{1,2}(?:st|nd|rd|th)?|k)\s*(?:-|–)\s*\d{1,2}(?:st|nd|rd|th)\s+grade)"
)
STREET_RE = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]{1,2}\.?\s+)?(?:[A-Z0-9][\w.']*\s+){1,4}"
    r"(?:St|Street|Ave|Avenue|Way|Blvd|Boulevard|Rd|Road|Dr|Drive|Pl|Place|Ln|Lane|Ct|Court|Pkwy|"
    r"Parkway|Hwy|Highway|Loop|Circle|Cir|Terrace|Ter)\b\.?|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
)


def has_date(text: str) -> bool:
    """A calendar date ("Sat, Jan 9", "1/9/2025", "9 de enero") or a weekday with a clock time."""
    return bool(DATE_RE.search(text)) or bool(WEEKDAY_RE.search(text) and TIME_RE.search(text))


# Label words printed before a value ("Ages: 5-8", "<dt>When</dt>") -> the raw field they name.
LABEL_FIELDS: dict[str, str] = {
    "when": "date",
    "date": "date",
    "dates": "date",
    "date(s)": "date",
    "fecha": "date",
    "fechas": "date",
    "cuándo": "date",
    "cuando": "date",
    "time": "time",
    "times": "time",
    "hora": "time",
    "horario": "time",
    "days": "schedule",
    "day": "schedule",
    "schedule": "schedule",
    "sessions": "schedule",
    "meets": "schedule",
    "días": "schedule",
    "ages": "ages",
    "age": "ages",
    "age range": "ages",
    "grades": "ages",
    "grade": "ages",
    "audience": "ages",
    "edades": "ages",
    "edad": "ages",
    "cost": "price",
    "fee": "price",
    "fees": "price",
    "price": "price",
    "prices": "price",
    "admission": "price",
    "tuition": "price",
    "tickets": "price",
    "costo": "price",
    "precio": "price",
    "location": "venue",
    "where": "venue",
    "venue": "venue",
    "place": "venue",
    "dónde": "venue",
    "donde": "venue",
    "lugar": "venue",
    "ubicación": "venue",
    "address": "address",
    "dirección": "address",
    "registration": "registration",
    "register": "registration",
    "category": "category",
    "categories": "category",
    "type": "type",
    "hours": "hours",
    "open hours": "hours",
    "horas": "hours",
    "organizer": "organizer",
    "presented by": "organizer",
    "host": "organizer",
    "phone": "phone",
    "status": "status",
}
_LABEL_ALT = "|".join(sorted((re.escape(k) for k in LABEL_FIELDS), key=len, reverse=True))
LABEL_PREFIX_RE = re.compile(rf"(?i)^\s*({_LABEL_ALT})\s*:")
_LABEL_ONLY_RE = re.compile(rf"(?i)^\s*({_LABEL_ALT})\s*:?\s*$")


def label_value_regex(label: str) -> str:
    """A regex whose group 1 is the value after `label:` up to the next "Label:" or the end
    ("When: Sat, March 8 Where: Magnuson Park" -> "Sat, March 8")."""
    return rf"(?i:{re.escape(label)})\s*:?\s*(.+?)(?=\s*[A-Z][A-Za-z/()' ]{{1,24}}:|$)"


# --------------------------------------------------------------------------------------------
# Element helpers

NO_TEXT_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "select", "option", "textarea", "head", "iframe"}
)
# Never listing items on their own: structure, inline formatting, cells, form controls.
NON_ITEM_TAGS = NO_TEXT_TAGS | frozenset(
    {
        "html",
        "body",
        "br",
        "hr",
        "img",
        "input",
        "button",
        "meta",
        "link",
        "source",
        "picture",
        "b",
        "i",
        "em",
        "strong",
        "small",
        "span",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "label",
        "path",
        "use",
        "g",
        "abbr",
        "sup",
        "sub",
        "u",
        "wbr",
        "time",
        "title",
        "caption",
        "col",
        "colgroup",
        "area",
        "map",
        "param",
        "track",
        "circle",
        "rect",
        "polygon",
        "form",
    }
)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_STATE_CLASSES = frozenset(
    {
        "active",
        "current",
        "selected",
        "open",
        "closed",
        "hidden",
        "show",
        "shown",
        "visible",
        "odd",
        "even",
        "first",
        "last",
        "alt",
        "clearfix",
        "featured",
        "sticky",
        "past",
        "today",
        "disabled",
        "expanded",
        "collapsed",
        "animated",
        "wow",
        "fade",
        "fadein",
        "lazy",
        "loaded",
        "lazyloaded",
        "in-view",
        "hover",
        "focus",
        "new",
        "sold-out",
        "soldout",
        "cancelled",
        "canceled",
        "full",
        "highlight",
        "highlighted",
        "even-row",
        "odd-row",
        "row-odd",
        "row-even",
    }
)
_STATE_PREFIXES = ("is-", "has-", "js-", "ng-", "v-", "x-", "aos-", "wow-", "animate__", "ember")
_CSS_IN_JS = re.compile(
    r"^(?:css|sc|jsx|emotion|styled|svelte|astro|chakra|makeStyles|tw)-|^_[A-Za-z0-9]{4,}$"
)
_BOILER_TOKENS = frozenset(
    {
        "nav",
        "navbar",
        "navigation",
        "menu",
        "menubar",
        "submenu",
        "megamenu",
        "dropdown",
        "footer",
        "breadcrumb",
        "breadcrumbs",
        "pagination",
        "pager",
        "paging",
        "social",
        "share",
        "sharing",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "comment",
        "comments",
        "skip",
        "toolbar",
        "masthead",
        "topbar",
        "offcanvas",
        "modal",
        "popup",
        "filter",
        "filters",
        "facet",
        "facets",
        "tagcloud",
        "language",
        "translate",
        "copyright",
        "sitemap",
        "subnav",
        "utility",
    }
)
_SIDE_TOKENS = frozenset({"sidebar", "aside", "related", "promo", "advert", "ad", "ads", "sponsor"})
_MAIN_TOKENS = frozenset({"main", "content", "primary", "results", "listing", "listings", "events"})
_SEMANTIC_CLASS_WORDS = (
    "event",
    "item",
    "card",
    "listing",
    "program",
    "class",
    "camp",
    "course",
    "activity",
    "result",
    "entry",
    "post",
    "teaser",
    "row",
    "article",
    "tile",
    "session",
    "exhibit",
    "offering",
    "media",
)
_UTILITY_CLASS = re.compile(
    r"^(?:flex|grid|col|row-cols|container|wrapper|inner|clearfix|d-|m[trblxy]?-|p[trblxy]?-|"
    r"text-|font-|w-|h-|bg-|border|rounded|shadow|gap-|items-|justify-|align-|float-|relative|absolute)"
)
_TOKEN_SPLIT = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")


def is_element(node: Any) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def _stable_class(token: str) -> bool:
    low = token.lower()
    if not token or len(token) > 60 or any(ch.isdigit() for ch in token):
        return False
    if low in _STATE_CLASSES or low.startswith(_STATE_PREFIXES) or _CSS_IN_JS.search(token):
        return False
    # "views-row-odd", "menu-item--active-trail", "pager__item--next": state or position words.
    tail = re.split(r"--|__|-|_", low)
    if tail[-1] in _STATE_CLASSES or "active" in tail or "current" in tail:
        return False
    # CSS-module hashes mix case at random: "card_Xy7" has digits, "sc-bdfBwQ" is caught above,
    # "aBcDeF" (no separator, three case switches) is caught here.
    return not (len(re.findall(r"[a-z][A-Z]", token)) >= 2 and "-" not in token and "_" not in token)


def stable_classes(el: Any) -> tuple[str, ...]:
    """The element's classes without generated, numbered or state classes, sorted."""
    return tuple(sorted({c for c in (el.get("class") or "").split() if _stable_class(c)}))


def stable_id(el: Any) -> str | None:
    value = (el.get("id") or "").strip()
    if (
        not value
        or any(ch.isdigit() for ch in value)
        or len(value) > 40
        or not re.fullmatch(r"[A-Za-z][\w-]*", value)
    ):
        return None
    return value


def class_tokens(el: Any) -> set[str]:
    """Words of the element's class, id and role, for boilerplate and field hints."""
    raw = " ".join(filter(None, [el.get("class"), el.get("id"), el.get("role"), el.get("aria-label")]))
    return {t.lower() for t in _TOKEN_SPLIT.split(raw) if t}


def _class_rank(token: str) -> float:
    low = token.lower()
    score = 0.0
    words = sum(1 for w in _SEMANTIC_CLASS_WORDS if w in low)
    if words:
        score += 1.5 + 0.5 * min(words, 3)
    if "__" in token:
        score += 0.5
    if "--" in token:
        score -= 1.0  # a BEM modifier: true of some items only, on other pages
    if _UTILITY_CLASS.match(low):
        score -= 2.0
    return score - len(token) / 100


def ranked_classes(classes: Iterable[str]) -> list[str]:
    return sorted(classes, key=_class_rank, reverse=True)


class TextCache:
    """Visible text of lxml elements, memoized (scoring reads the same subtrees many times)."""

    def __init__(self) -> None:
        self._cache: dict[Any, str] = {}

    def __call__(self, el: Any) -> str:
        cached = self._cache.get(el)
        if cached is None:
            cached = element_text(el)
            self._cache[el] = cached
        return cached


def element_text(el: Any) -> str:
    """Visible text of an element: text nodes joined by spaces, scripts and styles skipped."""
    parts: list[str] = []
    _collect_text(el, parts)
    return collapse_spaces(" ".join(parts))


def _collect_text(el: Any, parts: list[str]) -> None:
    if not is_element(el) or el.tag in NO_TEXT_TAGS:
        return
    if el.text:
        parts.append(el.text)
    for child in el:
        _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def iter_elements(root: Any) -> Iterator[Any]:
    """Every element under root (root included), skipping scripts, styles and comments."""
    stack = [root]
    while stack:
        el = stack.pop()
        if not is_element(el) or el.tag in NO_TEXT_TAGS:
            continue
        yield el
        stack.extend(reversed(list(el)))


def _edge_words(el: Any) -> set[str]:
    """First and last words of each class name and of the id: "site-footer", "nav-menu",
    "social-links" name chrome; "tweak-social-icons-style" (a theme switch) does not."""
    words: set[str] = set()
    for name in [*(el.get("class") or "").split(), el.get("id") or ""]:
        parts = [p.lower() for p in _TOKEN_SPLIT.split(name) if p]
        if parts:
            words.update((parts[0], parts[-1]))
    return words


_ROLE_WORDS = {"navigation": "nav", "contentinfo": "footer", "banner": "header", "complementary": "sidebar"}


def boilerplate_reason(el: Any, text: TextCache | None = None) -> tuple[str | None, float]:
    """Why an element sits in page chrome (nav, footer, menu...), and a score multiplier.

    Tags and roles (nav, footer, aside) are trusted; class and id words only on elements that
    hold a minor part of the page, because themes put switches such as "footer-on-bottom" or
    "dropdown-hover" on the body and on wrappers around everything."""
    multiplier = 1.0
    reason: str | None = None
    chain = []
    node = el
    while node is not None and is_element(node):
        chain.append(node)
        node = node.getparent()
    reader = text or element_text
    body = next((n for n in chain if n.tag == "body"), None)
    page_chars = len(reader(body)) if body is not None else 0
    in_content = False
    tags_above = [n.tag for n in chain]
    for i, node in enumerate(chain):
        if node.tag in ("html", "body"):
            break
        above = tags_above[i + 1 :]
        content_above = "main" in above or "article" in above
        role = _ROLE_WORDS.get((node.get("role") or "").lower())
        words = _edge_words(node) if node.get("class") or node.get("id") else set()
        if words and page_chars and len(reader(node)) >= 0.6 * page_chars:
            words = set()  # a wrapper around most of the page is not chrome, whatever its class
        tag = node.tag if node.tag in ("nav", "footer", "header", "aside") else role
        if tag in ("nav", "footer") or words & _BOILER_TOKENS:
            if tag == "footer" and content_above:
                continue  # an article's own footer
            return f"inside {tag or sorted(words & _BOILER_TOKENS)[0]}", 0.15
        if (tag == "header" or "header" in words) and not content_above and i > 0:
            return "inside header", 0.2
        if tag in ("aside", "sidebar") or words & _SIDE_TOKENS:
            reason, multiplier = "inside sidebar", min(multiplier, 0.5)
        if node.tag == "main" or node.get("role") == "main" or words & _MAIN_TOKENS:
            in_content = True
    if in_content and reason is None:
        multiplier = 1.15
    return reason, multiplier


def _node_flag(el: Any, text: Callable[[Any], str]) -> str:
    """Structure the class signature cannot see: a paragraph led by a bold title, a header row."""
    if el.tag == "tr":
        has_td = any(is_element(c) and c.tag == "td" for c in el)
        return "" if has_td else "th"
    if el.tag in ("p", "div", "li"):
        lead = _leading_bold(el)
        if lead is None:
            return ""
        whole = text(el)
        lead_text = text(lead)
        rest = whole[len(lead_text) :] if whole.startswith(lead_text) else whole
        if len(rest.strip(" :-–—|")) < 3:
            return "strong-only"
        if _LABEL_ONLY_RE.match(lead_text) or lead_text.rstrip().endswith(":"):
            return "lead-label"  # "<b>When:</b> Saturday...": a labelled line, not a titled item
        return "lead-strong"
    return ""


def _leading_bold(el: Any) -> Any | None:
    if el.text and el.text.strip():
        return None
    for child in el:
        if not is_element(child):
            if child.tail and child.tail.strip():
                return None
            continue
        if child.tag in ("strong", "b"):
            return child if element_text(child) else None
        if child.tag == "a" and len(child) == 1 and is_element(child[0]) and child[0].tag in ("strong", "b"):
            return child
        return None
    return None


def xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    parts = value.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


def _xpath_class(cls: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


# --------------------------------------------------------------------------------------------
# Evaluating selectors the way the extraction engine does


def spec_matches(context: Selector, spec: SelectorSpec) -> list[Selector]:
    """Every match of `spec` under `context`, evaluated by the crawler's extraction engine."""
    return list(select_nodes(context, spec))


def select_value(context: Selector, spec: SelectorSpec) -> str | None:
    """The value a field selector yields on one item, exactly as the crawl will read it
    (URLs stay relative here: the analyzer compares them, the crawl makes them absolute)."""
    return extract_value(context, spec)


def run_listing(
    html: str | Selector, item: SelectorSpec, fields: dict[str, SelectorSpec]
) -> list[dict[str, str]]:
    """Apply an item selector and its field selectors to a page: one dict per item."""
    page = html if isinstance(html, Selector) else Selector(text=html)
    rows = []
    for match in spec_matches(page, item):
        row = {}
        for name, spec in fields.items():
            value = select_value(match, spec)
            if value:
                row[name] = value
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# Candidate groups


@dataclass
class UnitFeatures:
    text: str
    has_date: bool
    has_time: bool
    has_link: bool
    link_ratio: float
    headings: int
    has_title: bool
    has_price: bool
    has_age: bool
    has_img: bool
    elements: int


@dataclass
class Group:
    """Elements that look like repetitions of one kind of thing on a page."""

    kind: Literal["element", "segment"]
    members: list[Any]  # item roots; for segments, the heading that starts each item
    units: list[list[Any]]  # the elements making up each item (segment: heading + followers)
    signature: str
    flag: str = ""
    features: list[UnitFeatures] = field(default_factory=list)
    quality: float = 0.0
    score: float = 0.0
    shares: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    platform_match: bool = False


def _signature(el: Any) -> str:
    classes = stable_classes(el)
    return el.tag + "".join("." + c for c in classes)


def _path_signatures(root: Any) -> dict[Any, str]:
    paths: dict[Any, str] = {}
    for el in iter_elements(root):
        parent = el.getparent()
        prefix = paths.get(parent, "") if parent is not None else ""
        paths[el] = prefix + "/" + _signature(el)
    return paths


def _core_split(elements: list[Any], min_size: int) -> list[list[Any]]:
    """Split same-path elements by the classes most of them share (per-item classes drop out)."""
    freq = Counter(c for e in elements for c in set(stable_classes(e)))
    core = {c for c, k in freq.items() if k >= 0.5 * len(elements)}
    parts: dict[frozenset[str], list[Any]] = defaultdict(list)
    for e in elements:
        parts[frozenset(set(stable_classes(e)) & core)].append(e)
    return [p for p in parts.values() if len(p) >= min_size]


def collect_groups(root: Any, text: TextCache, *, min_size: int = 2) -> list[Group]:
    """Every plausible group of repeated elements or heading-led segments under root."""
    paths = _path_signatures(root)
    by_path: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    by_class: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    flags: dict[Any, str] = {}
    for el in paths:
        if el.tag in NON_ITEM_TAGS:
            continue
        parent = el.getparent()
        flag = _node_flag(el, text)
        flags[el] = flag
        by_path[(paths.get(parent, ""), el.tag, flag)].append(el)
        classes = stable_classes(el)
        if classes:
            by_class[(el.tag, ".".join(classes), flag)].append(el)
    groups: list[Group] = []
    seen: set[tuple[str, frozenset[int]]] = set()

    def add(
        kind: Literal["element", "segment"], members: list[Any], units: list[list[Any]], flag: str
    ) -> None:
        key = (kind, frozenset(id(m) for m in members))
        if key in seen:
            return
        seen.add(key)
        groups.append(Group(kind, members, units, _signature(members[0]), flag=flag))

    for (_path, _tag, flag), els in by_path.items():
        if len(els) < min_size:
            continue
        parts = _core_split(els, min_size)
        for part in parts:
            add("element", part, [[m] for m in part], flag)
        if len(parts) > 1 and set.intersection(*(set(stable_classes(e)) for e in els)):
            # Optional per-item classes ("has-image", "has-excerpt") split one list in two:
            # the members sharing a class are also offered whole, and scoring decides.
            add("element", els, [[m] for m in els], flag)
    for (_tag, _classes, flag), els in by_class.items():
        if len(els) >= min_size:
            add("element", els, [[m] for m in els], flag)
    for members, units, flag in _segment_groups(root, flags, min_size=max(3, min_size)):
        add("segment", members, units, flag)
    return groups


_HEAD_RANK = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _segment_groups(
    root: Any, flags: dict[Any, str], *, min_size: int
) -> list[tuple[list[Any], list[list[Any]], str]]:
    """Headings (h2-h6, dt, bold-only paragraphs) repeated among siblings, each with the
    siblings that follow it up to the next such heading: the prose and definition-list forms."""
    found = []
    for parent in iter_elements(root):
        children = [c for c in parent if is_element(c) and c.tag not in NO_TEXT_TAGS]
        if len(children) < min_size:
            continue
        keys: Counter[tuple[str, str]] = Counter()
        for c in children:
            key = _head_key(c, flags)
            if key:
                keys[key] += 1
        for key, count in keys.items():
            if count < min_size:
                continue
            heads, units = [], []
            current: list[Any] | None = None
            for c in children:
                if _head_key(c, flags) == key:
                    current = [c]
                    heads.append(c)
                    units.append(current)
                elif current is not None:
                    rank = _HEAD_RANK.get(c.tag)
                    if rank is not None and key[0] in _HEAD_RANK and rank <= _HEAD_RANK[key[0]]:
                        current = None  # a same-or-higher heading closes the segment
                    else:
                        current.append(c)
            # Headings with nothing after them are a plain list of titles, not segments.
            if sum(len(u) > 1 for u in units) >= 0.6 * len(units):
                found.append((heads, units, key[1]))
    return found


def _head_key(el: Any, flags: dict[Any, str]) -> tuple[str, str] | None:
    if el.tag in ("h2", "h3", "h4", "h5", "h6"):
        return (el.tag, "")
    if el.tag == "dt":
        return ("dt", "")
    if el.tag == "p" and flags.get(el) == "strong-only":
        return ("p", "strong-only")
    return None


def unit_features(unit: list[Any], text: TextCache, base_host: str | None = None) -> UnitFeatures:
    body = collapse_spaces(" ".join(text(e) for e in unit))
    links = 0
    link_chars = 0
    headings = 0
    title_hint = False
    has_time_el = False
    price_hint = False
    age_hint = False
    img = False
    count = 0
    for top in unit:
        for el in iter_elements(top):
            count += 1
            tag = el.tag
            if tag == "a":
                href = (el.get("href") or "").strip()
                if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
                    links += 1
                    link_chars += len(text(el))
            elif tag in HEADING_TAGS:
                headings += 1
            elif tag == "time" or el.get("datetime"):
                has_time_el = True
            elif tag == "img" or (
                tag in ("div", "figure", "span") and "background-image" in (el.get("style") or "")
            ):
                img = True
            tokens = class_tokens(el) if el.get("class") or el.get("id") else set()
            if tokens:
                if tokens & {"title", "name", "heading", "headline"}:
                    title_hint = True
                if tokens & {"date", "when", "time", "datetime", "dates"}:
                    has_time_el = has_time_el or bool(text(el))
                if tokens & {"price", "cost", "fee", "fees", "admission"}:
                    price_hint = True
                if tokens & {"age", "ages", "grade", "grades", "audience"}:
                    age_hint = True
    first = unit[0]
    bold_lead = _leading_bold(first) is not None or first.tag in ("dt", "strong", "b")
    if not (headings or title_hint or bold_lead):
        # A link whose words read like a name ("Family Swim Night") is the item's title.
        title_hint = any(
            len(t) >= 8 and " " in t and not _BAD_TITLE.match(t)
            for top in unit
            for a in top.iter("a")
            for t in [text(a)]
        )
    return UnitFeatures(
        text=body,
        has_date=has_time_el or has_date(body),
        has_time=bool(TIME_RE.search(body)),
        has_link=links > 0,
        link_ratio=(link_chars / len(body)) if body else 0.0,
        headings=headings,
        has_title=headings > 0 or title_hint or bold_lead or first.tag in HEADING_TAGS,
        has_price=price_hint or bool(PRICE_RE.search(body)),
        has_age=age_hint or bool(AGE_RE.search(body)),
        has_img=img,
        elements=count,
    )


def _len_score(length: int) -> float:
    if 25 <= length <= 1500:
        return 1.0
    if 12 <= length < 25 or 1500 < length <= 4000:
        return 0.5
    return 0.0


def _count_factor(n: int) -> float:
    if n < 2:
        return 0.0
    if n == 2:
        return 0.4
    return 0.6 + 0.4 * min(1.0, math.log(n / 3 + 1) / math.log(5))


def score_group(group: Group, text: TextCache) -> None:
    """Fill in the group's features, quality (0..1 per item) and score (quality x count x place)."""
    feats = [unit_features(u, text) for u in group.units]
    group.features = feats
    n = len(feats)
    if n == 0:
        return

    def share(pred: Callable[[UnitFeatures], bool]) -> float:
        return sum(1 for f in feats if pred(f)) / n

    shares = {
        "date": share(lambda f: f.has_date),
        "link": share(lambda f: f.has_link),
        "title": share(lambda f: f.has_title),
        "price_or_age": share(lambda f: f.has_price or f.has_age),
        "time": share(lambda f: f.has_time),
        "length_ok": sum(_len_score(len(f.text)) for f in feats) / n,
        "rich": share(lambda f: f.elements >= 3 or len(f.text) >= 60),
        "image": share(lambda f: f.has_img),
    }
    if shares["date"] < 0.5 and group.kind == "element" and n >= 3 and shares["link"] >= 0.5:
        context = _heading_dates(group.members[:MAX_SCORED_ITEMS], text)
        if sum(1 for c in context if c) >= 0.8 * len(context) and len(set(context)) >= 2:
            shares["date"] = 1.0
            for f in feats:
                f.has_date = True
            group.notes.append("dates come from the headings above the items")
    quality = (
        0.28 * shares["date"]
        + 0.14 * shares["link"]
        + 0.18 * shares["title"]
        + 0.10 * shares["price_or_age"]
        + 0.06 * shares["time"]
        + 0.14 * shares["length_ok"]
        + 0.10 * shares["rich"]
    )
    notes = group.notes
    lengths = sorted(len(f.text) for f in feats)
    median = lengths[n // 2]
    modifier = 1.0
    if median < 12:
        modifier *= 0.2
        notes.append("members are single words")
    mean_link_ratio = sum(f.link_ratio for f in feats) / n
    if mean_link_ratio > 0.85 and shares["date"] < 0.6 and median < 40:
        modifier *= 0.35
        notes.append("members are bare links (a menu?)")
    distinct = len({f.text[:80].lower() for f in feats}) / n
    if distinct < 0.7:
        modifier *= 0.4
        notes.append("members repeat the same text")
    mean_headings = sum(f.headings for f in feats) / n
    if mean_headings > 1.6:
        modifier *= 0.6
        notes.append("members hold several headings (a container of items?)")
    if shares["date"] == 0 and shares["price_or_age"] == 0 and shares["title"] < 0.5:
        modifier *= 0.5
    if median > 3000:
        modifier *= 0.3
        notes.append("members are whole page sections")
    reason, place = boilerplate_reason(group.members[0], text)
    if reason and place < 1:
        notes.append(reason)
    modifier *= place
    if group.platform_match:
        modifier *= 1.25
    group.shares = shares
    group.quality = quality
    group.notes = notes
    group.score = quality * _count_factor(n) * modifier


_PRECEDING_HEADING = "preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][1]"


def _heading_dates(members: list[Any], text: TextCache) -> list[str | None]:
    """For each member, the nearest heading before it when that heading is a date
    (a calendar grouped by day: "Saturday, May 3" then the day's events)."""
    out: list[str | None] = []
    for m in members:
        found = m.xpath(_PRECEDING_HEADING)
        value = text(found[0]) if found else ""
        out.append(value if value and has_date(value) and len(value) < 60 else None)
    return out


def resolve_nesting(groups: list[Group]) -> None:
    """When one group's items each hold exactly one item of another group, they describe the
    same listings: keep the smallest element that still carries everything the larger has.
    A group whose members each hold several members of a good group is a container."""
    ordered = [g for g in sorted(groups, key=lambda g: g.score, reverse=True)[:40] if g.kind == "element"]
    # One walk up from every member: which members of other groups contain it (linear in the
    # page size, where pairwise walks were quadratic on pages with hundreds of items).
    member_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for gi, g in enumerate(ordered):
        for mi, m in enumerate(g.members):
            member_of[id(m)].append((gi, mi))
    owners: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)  # (inner, outer) -> member counts
    for gi, g in enumerate(ordered):
        for m in g.members:
            reached: set[int] = set()
            node = m.getparent()
            depth = 0
            while node is not None and depth < 60:
                for ogi, omi in member_of.get(id(node), ()):
                    if ogi not in reached:  # the nearest containing member only
                        reached.add(ogi)
                        owners[(gi, ogi)][omi] += 1
                node = node.getparent()
                depth += 1
    for oi, outer in enumerate(ordered):
        for ii, inner in enumerate(ordered):
            if inner is outer or inner.score <= 0 or outer.score <= 0:
                continue
            if len(inner.members) < len(outer.members):
                continue
            owned = owners.get((ii, oi))
            if not owned or sum(owned.values()) < 0.9 * len(inner.members):
                continue
            if len(owned) == len(outer.members) and all(v == 1 for v in owned.values()):
                covers = all(
                    inner.shares.get(k, 0) >= outer.shares.get(k, 0) - 0.05
                    for k in ("date", "link", "title", "price_or_age", "image")
                )
                outer_len = sum(len(f.text) for f in outer.features) or 1
                inner_len = sum(len(f.text) for f in inner.features)
                if covers and inner_len >= 0.8 * outer_len:
                    outer.score = min(outer.score, inner.score * 0.99)
                    outer.notes.append("wraps a group that carries the same fields")
                else:
                    inner.score = min(inner.score, outer.score * 0.99)
                    inner.notes.append("part of a larger item")
            elif sum(owned.values()) / max(1, len(owned)) >= 1.5 and inner.quality >= 0.8 * outer.quality:
                outer.score *= 0.7
                outer.notes.append("holds several items each")


# --------------------------------------------------------------------------------------------
# Item selectors


@dataclass
class _Step:
    tag: str
    classes: tuple[str, ...] = ()
    ident: str | None = None
    pred: str | None = None  # an XPath predicate CSS cannot say

    def css(self) -> str:
        out = self.tag if self.tag != "*" else ""
        if self.ident:
            out += "#" + self.ident
        out += "".join("." + c for c in self.classes)
        return out or "*"

    def xpath(self) -> str:
        out = self.tag
        if self.ident:
            out += f"[@id={xpath_literal(self.ident)}]"
        for c in self.classes:
            out += f"[{_xpath_class(c)}]"
        if self.pred:
            out += f"[{self.pred}]"
        return out


_FLAG_PREDICATES = {
    "lead-strong": "node()[normalize-space()][1][self::strong or self::b or self::a[strong or b]]"
    " and string-length(normalize-space()) > string-length(normalize-space(*[1])) + 2"
    " and not(substring(normalize-space(*[1]), string-length(normalize-space(*[1]))) = ':')",
    "strong-only": "(strong or b or a[strong or b]) and string-length(normalize-space()) <= "
    "string-length(normalize-space(*[1])) + 2",
    "th": "not(td)",
    "": "",
}


def _ancestor_step(el: Any) -> _Step | None:
    ident = stable_id(el)
    if ident:
        return _Step(el.tag, ident=ident)
    classes = ranked_classes(stable_classes(el))
    if classes:
        return _Step(el.tag, classes=(classes[0],))
    return None


def _render(chain: list[tuple[_Step, str]], use_xpath: bool) -> SelectorSpec | None:
    """chain: (step, combinator before it) with combinator '' (first), ' ' or '>'.
    None when the selector would be longer than a config may hold (a deep month grid)."""
    if not use_xpath:
        parts = []
        for step, comb in chain:
            if comb == ">":
                parts.append("> ")
            parts.append(step.css() + " ")
        kind, query = SelectorKind.CSS, " ".join("".join(parts).split())
    else:
        kind, query = SelectorKind.XPATH, ""
        for step, comb in chain:
            query += ("/" if comb == ">" else "//") + step.xpath()
    return SelectorSpec(kind=kind, query=query) if len(query) <= MAX_SELECTOR_CHARS else None


def item_selector_candidates(group: Group) -> list[SelectorSpec]:
    """Selectors for the group's members, simplest first."""
    el = group.members[0]
    pred = _FLAG_PREDICATES.get(group.flag) or None
    if group.flag == "" and el.tag == "tr":
        pred = "td"  # rows with cells, never the header row
    common = set(stable_classes(el))
    for m in group.members[1:]:
        common &= set(stable_classes(m))
    own_classes = ranked_classes(common)
    steps: list[_Step] = []
    if own_classes:
        steps.append(_Step(el.tag, classes=(own_classes[0],)))
        if len(own_classes) > 1:
            steps.append(_Step(el.tag, classes=tuple(own_classes[:2])))
    steps.append(_Step(el.tag))
    own_best = steps[0]
    chains: list[list[tuple[_Step, str]]] = []
    if own_classes:
        chains.append([(own_best, "")])
        if len(steps) > 2:
            chains.append([(steps[1], "")])
    # Ancestors shared by all members (nearest first), as context.
    ancestors: list[Any] = []
    node = el.getparent()
    while node is not None and is_element(node) and node.tag not in ("html",) and len(ancestors) < 40:
        ancestors.append(node)
        node = node.getparent()
    near = ancestors[:8]  # context steps come from the nearest ancestors; the path may go further
    parent = el.getparent()
    parent_step = _ancestor_step(parent) if parent is not None else None
    same_parent = all(m.getparent() is parent for m in group.members)
    for own in (own_best, _Step(el.tag)):
        if parent_step is not None:
            chains.append([(parent_step, ""), (own, ">")])
        for anc in near[1:]:
            step = _ancestor_step(anc)
            if step is None:
                continue
            if parent_step is not None:
                chains.append([(step, ""), (parent_step, " "), (own, ">")])
            chains.append([(step, ""), (own, " ")])
        if parent is not None and parent_step is None and same_parent is False:
            chains.append([(_Step(parent.tag), ""), (own, ">")])
    # Last resort: the tag path from the nearest identifiable ancestor.
    path: list[Any] = []
    for anc in ancestors:
        path.append(anc)
        if _ancestor_step(anc) is not None:
            break
    path.reverse()
    full: list[tuple[_Step, str]] = []
    for i, anc in enumerate(path):
        step = _ancestor_step(anc) or _Step(anc.tag, classes=stable_classes(anc)[:1])
        full.append((step, "" if i == 0 else ">"))
    full.append((own_best, ">" if full else ""))
    chains.append(full)
    chains.append([(_Step(el.tag), "")])
    specs: list[SelectorSpec] = []
    seen: set[str] = set()
    # CSS first (it reads better and survives small changes); the structural predicate that
    # only XPath can say (bold-led paragraph, data row) when CSS cannot isolate the group.
    rendered = [_render(chain, False) for chain in chains]
    if pred is not None:
        rendered += [
            _render([*chain[:-1], (replace(chain[-1][0], pred=pred), chain[-1][1])], True) for chain in chains
        ]
    for spec in rendered:
        if spec is not None and spec.query not in seen:
            seen.add(spec.query)
            specs.append(spec)
    return specs


def choose_item_selector(group: Group, page: Selector) -> tuple[SelectorSpec | None, float, float]:
    """The simplest candidate selecting exactly the group (else the best close one):
    (spec, precision, recall)."""
    wanted = {id(m) for m in group.members}
    best: tuple[float, SelectorSpec | None, float, float] = (-1.0, None, 0.0, 0.0)
    for spec in item_selector_candidates(group):
        try:
            found = [m.root for m in spec_matches(page, spec)]
        except ValueError:
            continue
        if not found:
            continue
        hit = sum(1 for f in found if id(f) in wanted)
        precision = hit / len(found)
        recall = hit / len(wanted)
        if precision == 1.0 and recall == 1.0:
            return spec, 1.0, 1.0
        f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
        if f1 > best[0]:
            best = (f1, spec, precision, recall)
    return best[1], best[2], best[3]


# --------------------------------------------------------------------------------------------
# Field selectors


@dataclass
class FieldCandidate:
    spec: SelectorSpec
    values: list[str | None]
    hint: set[str]  # class/tag words of the matched elements
    tag: str
    origin: str = ""  # "label:ages", "self", "preceding", "segment:2"
    elements: tuple[int | None, ...] = ()  # the first matched element in each item

    def same_element(self, other: FieldCandidate) -> bool:
        pairs = [(a, b) for a, b in zip(self.elements, other.elements, strict=False) if a is not None]
        return bool(pairs) and sum(1 for a, b in pairs if a == b) >= 0.8 * len(pairs)

    @property
    def coverage(self) -> float:
        return sum(1 for v in self.values if v) / len(self.values) if self.values else 0.0

    @property
    def present(self) -> list[str]:
        return [v for v in self.values if v]

    @property
    def distinct(self) -> float:
        present = self.present
        return len(set(present)) / len(present) if present else 0.0

    @property
    def avg_len(self) -> float:
        present = self.present
        return sum(len(v) for v in present) / len(present) if present else 0.0

    def share(self, pattern: Callable[[str], Any]) -> float:
        present = self.present
        return sum(1 for v in present if pattern(v)) / len(present) if present else 0.0

    def key(self) -> str:
        return f"{self.spec.kind}:{self.spec.query}:{self.spec.extract}:{self.spec.attr}:{self.spec.regex}"


_FIELD_TEXT_TAGS = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "time",
        "strong",
        "b",
        "em",
        "p",
        "address",
        "small",
        "dd",
        "figcaption",
        "cite",
        "a",
        "li",
        "span",
        "div",
    }
)
_BARE_TAGS_OK = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "time",
        "strong",
        "b",
        "em",
        "p",
        "address",
        "small",
        "dd",
        "figcaption",
        "cite",
        "span",
        "a",
    }
)


def _hint_words(el: Any) -> set[str]:
    words = class_tokens(el) if (el.get("class") or el.get("id")) else set()
    words.add(el.tag)
    if el.get("itemprop"):
        words.add("itemprop-" + el.get("itemprop").lower())
    return words


def _relative_css_candidates(member: Any) -> list[tuple[str, Any]]:
    """CSS selectors (relative to the item) for the item's descendants, with a sample element."""
    out: list[tuple[str, Any]] = []
    for el in iter_elements(member):
        if el is member:
            continue
        tag = el.tag
        classes = ranked_classes(stable_classes(el))
        for c in classes[:3]:
            out.append((f"{tag}.{c}", el))
            out.append((f".{c}", el))
        if tag in _BARE_TAGS_OK or tag == "img":
            out.append((tag, el))
        parent = el.getparent()
        if not classes and parent is not None and tag in _BARE_TAGS_OK:
            sibling_classes = {
                c
                for sib in parent
                if is_element(sib) and sib.tag == tag and sib is not el
                for c in stable_classes(sib)
            }
            if sibling_classes:
                out.append((tag + "".join(f":not(.{c})" for c in sorted(sibling_classes)[:3]), el))
        if parent is not None and parent is not member and not classes:
            pclasses = ranked_classes(stable_classes(parent))
            if pclasses:
                out.append((f"{parent.tag}.{pclasses[0]} > {tag}", el))
            elif parent.tag in HEADING_TAGS or parent.tag in ("p", "li", "dd"):
                out.append((f"{parent.tag} > {tag}", el))
        itemprop = el.get("itemprop")
        if itemprop and re.fullmatch(r"[A-Za-z]+", itemprop):
            out.append((f"[itemprop={itemprop}]", el))
    return out


# Attributes that carry a listing's facts for scripts and styles rather than for reading:
# `<div data-date="2026-01-06" data-title="...">`, `<meta itemprop="startDate" content=...>`.
_FACT_ATTR = re.compile(r"^data-(?:[a-z]+-)*(?:date|start|starts|start-date|datetime|title|name)$")


def _attribute_candidates(member: Any) -> list[tuple[SelectorSpec, Any]]:
    """Selectors reading a fact held only in an attribute of the item or a descendant."""
    out: list[tuple[SelectorSpec, Any]] = []
    for el in iter_elements(member):
        attrs = [a for a in el.attrib if _FACT_ATTR.match(a)]
        if el.tag == "meta" and el.get("itemprop") and el.get("content"):
            attrs.append("content")
        if not attrs:
            continue
        if el is member:
            query, kind = ".", SelectorKind.XPATH
        else:
            classes = ranked_classes(stable_classes(el))
            if el.tag == "meta" and re.fullmatch(r"[A-Za-z]+", el.get("itemprop", "")):
                query = f"meta[itemprop={el.get('itemprop')}]"
            elif classes:
                query = f"{el.tag}.{classes[0]}"
            else:
                query = f"{el.tag}[{attrs[0]}]"
            kind = SelectorKind.CSS
        for attr in attrs:
            out.append((SelectorSpec(kind=kind, query=query, extract=ExtractMode.ATTR, attr=attr), el))
    return out


def _label_candidates(member: Any, text: TextCache) -> list[tuple[SelectorSpec, str, Any]]:
    """XPath selectors keyed on printed labels ("Ages:", <dt>When</dt>): (spec, field, element)."""
    out: list[tuple[SelectorSpec, str, Any]] = []
    for el in iter_elements(member):
        if el is member:
            continue
        own = text(el)
        if not own or len(own) > 300:
            continue
        only = _LABEL_ONLY_RE.match(own)
        if only and el.tag in ("dt", "th"):
            value_tag = "dd" if el.tag == "dt" else "td"
            label = own
            query = f".//{el.tag}[normalize-space()={xpath_literal(label)}]/following-sibling::{value_tag}[1]"
            out.append(
                (SelectorSpec(kind=SelectorKind.XPATH, query=query), LABEL_FIELDS[only.group(1).lower()], el)
            )
            continue
        if only and el.tag in ("strong", "b", "span", "label", "em") and el.getparent() is not None:
            parent = el.getparent()
            if parent is member or len(text(parent)) <= len(own) + 1:
                continue
            label = own
            query = f".//{parent.tag}[{el.tag}[normalize-space()={xpath_literal(label)}]]"
            regex = label_value_regex(only.group(1))
            out.append(
                (
                    SelectorSpec(kind=SelectorKind.XPATH, query=query, regex=regex),
                    LABEL_FIELDS[only.group(1).lower()],
                    parent,
                )
            )
            continue
        prefix = LABEL_PREFIX_RE.match(own)
        if (
            prefix
            and el.tag in ("p", "li", "div", "dd", "span", "td")
            and len(own) > len(prefix.group(0)) + 1
        ):
            label = prefix.group(1)
            query = (
                f".//{el.tag}[starts-with(normalize-space(), {xpath_literal(own[: prefix.end()].strip())})]"
            )
            out.append(
                (
                    SelectorSpec(kind=SelectorKind.XPATH, query=query, regex=label_value_regex(label)),
                    LABEL_FIELDS[label.lower()],
                    el,
                )
            )
    return out


def _printed_labels(container: Any, text: TextCache) -> list[str]:
    """Labels printed as their own element inside container ("<b>When:</b> Sat..."), or at
    the start of a line of it; never a word that merely precedes a colon in a title."""
    labels: list[str] = []
    for el in iter_elements(container):
        own = text(el)
        if el.tag in ("strong", "b", "span", "em", "label", "dt", "th", "i"):
            only = _LABEL_ONLY_RE.match(own)
            if only:
                labels.append(only.group(1))
                continue
        if el.tag in ("p", "li", "div", "dd", "span", "td") and len(el) <= 2:
            start = LABEL_PREFIX_RE.match((el.text or "").strip())
            if start:
                labels.append(start.group(1))
    return list(dict.fromkeys(labels))


def _value_specs(css: str, el: Any) -> list[SelectorSpec]:
    """How a matched element can yield a value: its text, and for links/images/times an attr."""
    specs = []
    if el.tag == "a":
        specs.append(SelectorSpec(query=css, extract=ExtractMode.ATTR, attr="href"))
    if el.tag == "img":
        for attr in ("src", "data-src", "data-lazy-src"):
            if el.get(attr) and not el.get(attr, "").startswith("data:"):
                specs.append(SelectorSpec(query=css, extract=ExtractMode.ATTR, attr=attr))
                break
        return specs
    if el.get("datetime"):
        specs.append(SelectorSpec(query=css, extract=ExtractMode.ATTR, attr="datetime"))
    specs.append(SelectorSpec(query=css))
    return specs


_HEADER_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), f)
    for p, f in (
        (
            r"^(?:course|activity|class|program|programme|event|camp|name|title|session|workshop|"
            r"actividad|clase|programa|evento|nombre)(?:\s+(?:name|title))?$",
            "title",
        ),
        (r"^(?:dates?|date\(s\)|when|start(?:\s+date)?|fechas?)$", "date"),
        (r"^(?:days?|day\(s\)|schedule|meets|d[ií]as?)$", "schedule"),
        (r"^(?:times?|hours|hora|horario)$", "time"),
        (r"^(?:ages?|age range|grades?|edad(?:es)?|audience)$", "ages"),
        (r"^(?:fees?|cost|price|tuition|costo|precio|resident fee)$", "price"),
        (r"^(?:location|where|venue|site|facility|place|lugar|ubicaci[oó]n)$", "venue"),
        (r"^(?:address|direcci[oó]n)$", "address"),
        (r"^(?:description|details|about|descripci[oó]n)$", "description"),
        (r"^(?:status|availability|openings|spots)$", "status"),
        (r"^(?:category|type|tipo)$", "category"),
    )
)


def header_field_name(header: str) -> str | None:
    """The raw field a table column header names ("Course" -> title, "Fee" -> price)."""
    clean = collapse_spaces(header).strip(" :*").lower()
    for pattern, name in _HEADER_FIELDS:
        if pattern.match(clean):
            return name
    return None


def table_headers(row: Any) -> list[str]:
    """Column header texts of the table a row belongs to (thead, or the first row of th)."""
    table = row.getparent()
    while table is not None and table.tag != "table":
        table = table.getparent()
    if table is None:
        return []
    for tr in table.iter("tr"):
        cells = [c for c in tr if is_element(c) and c.tag in ("td", "th")]
        if cells and all(c.tag == "th" for c in cells):
            return [element_text(c) for c in cells]
        if tr is row:
            break
    return []


# Field selectors are scored on the first items only: enough to see variation, bounded cost.
MAX_SCORED_ITEMS = 60


def field_candidates(
    group_kind: str, contexts: list[Selector], flag: str, text: TextCache
) -> list[FieldCandidate]:
    """Every field selector worth testing on these items, evaluated on all of them."""
    proposals: dict[str, tuple[SelectorSpec, set[str], str, str]] = {}

    def propose(spec: SelectorSpec, el: Any | None, origin: str = "") -> None:
        key = f"{spec.kind}:{spec.query}:{spec.extract}:{spec.attr}:{spec.regex}"
        if key in proposals:
            if el is not None:
                proposals[key][1].update(_hint_words(el))
            return
        proposals[key] = (
            spec,
            _hint_words(el) if el is not None else set(),
            el.tag if el is not None else "",
            origin,
        )

    sample = contexts[:25]
    for ctx in sample:
        member = ctx.root
        if group_kind == "element":
            for css, el in _relative_css_candidates(member):
                try:
                    for spec in _value_specs(css, el):
                        propose(spec, el)
                except ValueError:
                    continue
            for spec, fname, el in _label_candidates(member, text):
                propose(spec, el, f"label:{fname}")
            if member.tag == "tr":
                cells = [c for c in member if is_element(c) and c.tag in ("td", "th")]
                headers = table_headers(member)
                for i, cell in enumerate(cells, start=1):
                    query = f"./*[self::td or self::th][{i}]"
                    header_field = header_field_name(headers[i - 1]) if i <= len(headers) else None
                    origin = f"label:{header_field}" if header_field else f"cell:{i}"
                    propose(SelectorSpec(kind=SelectorKind.XPATH, query=query), cell, origin)
                    link = next((a for a in cell.iter("a") if a.get("href")), None)
                    if link is not None:
                        propose(
                            SelectorSpec(
                                kind=SelectorKind.XPATH,
                                query=query + "//a",
                                extract=ExtractMode.ATTR,
                                attr="href",
                            ),
                            link,
                            f"cell:{i}",
                        )
            if member.tag == "a":
                propose(
                    SelectorSpec(kind=SelectorKind.XPATH, query=".", extract=ExtractMode.ATTR, attr="href"),
                    member,
                    "self",
                )
            for spec, el in _attribute_candidates(member):
                propose(spec, el, "attr")
        else:
            propose(SelectorSpec(kind=SelectorKind.XPATH, query="."), member, "head")
            if member.tag != "dt":
                propose(
                    SelectorSpec(
                        kind=SelectorKind.XPATH, query=".//a", extract=ExtractMode.ATTR, attr="href"
                    ),
                    member,
                    "self",
                )
            head_pred = _segment_head_predicate(member, flag)
            sibling = member.getnext()
            k = 0
            while sibling is not None and k < 5:
                if not is_element(sibling):
                    sibling = sibling.getnext()
                    continue
                k += 1
                if _segment_head_matches(sibling, member, flag):
                    break
                base = f"following-sibling::*[{k}][not({head_pred})]"
                if k > 1:
                    base += f"[not(preceding-sibling::*[position() < {k}][{head_pred}])]"
                propose(SelectorSpec(kind=SelectorKind.XPATH, query=base), sibling, f"segment:{k}")
                img = next((i for i in sibling.iter("img") if i.get("src")), None)
                if img is not None:
                    propose(
                        SelectorSpec(
                            kind=SelectorKind.XPATH,
                            query=base + "//img",
                            extract=ExtractMode.ATTR,
                            attr="src",
                        ),
                        img,
                        f"segment:{k}",
                    )
                if member.tag == "dt":
                    link = next((a for a in sibling.iter("a") if a.get("href")), None)
                    if link is not None:
                        propose(
                            SelectorSpec(
                                kind=SelectorKind.XPATH,
                                query=base + "//a",
                                extract=ExtractMode.ATTR,
                                attr="href",
                            ),
                            link,
                            f"segment:{k}",
                        )
                for label in _printed_labels(sibling, text):
                    propose(
                        SelectorSpec(kind=SelectorKind.XPATH, query=base, regex=label_value_regex(label)),
                        sibling,
                        f"label:{LABEL_FIELDS[label.lower()]}",
                    )
                sibling = sibling.getnext()
        # Text-pattern fallbacks on the whole item (dates inside running text).
        if group_kind == "element":
            propose(
                SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=DATE_EXTRACT_REGEX),
                member,
                "self-date",
            )
            propose(
                SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=PRICE_EXTRACT_REGEX),
                member,
                "self-price",
            )
            propose(
                SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=AGES_EXTRACT_REGEX),
                member,
                "self-ages",
            )
            if flag == "lead-strong":
                # A "<p><strong>Title</strong> - when, where, what</p>" item: the paragraph is
                # the description.
                propose(SelectorSpec(kind=SelectorKind.XPATH, query="."), member, "self")
            for label in _printed_labels(member, text):
                propose(
                    SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=label_value_regex(label)),
                    member,
                    f"label:{LABEL_FIELDS[label.lower()]}",
                )
            for level in ("h2", "h3", "h4"):
                if member.find(f".//{level}") is None:
                    propose(
                        SelectorSpec(kind=SelectorKind.XPATH, query=f"preceding::{level}[1]"),
                        None,
                        "preceding",
                    )
            if not any(member.find(f".//{h}") is not None for h in HEADING_TAGS):
                propose(SelectorSpec(kind=SelectorKind.XPATH, query=_PRECEDING_HEADING), None, "preceding")
    candidates = []
    scored = contexts[:MAX_SCORED_ITEMS]
    for spec, proposed_hints, tag, origin in proposals.values():
        hints = proposed_hints
        try:
            values = [select_value(ctx, spec) for ctx in scored]
            firsts = [spec_matches(ctx, spec)[:1] for ctx in contexts[:12]]
        except ValueError:
            continue
        elements = tuple(id(f[0].root) if f and is_element(f[0].root) else None for f in firsts)
        if spec.regex is None and spec.extract is ExtractMode.TEXT:
            # Hints come from what the selector really hits (a bare "p" may hit p.date).
            for f in firsts:
                if f and is_element(f[0].root):
                    hints = hints | _hint_words(f[0].root)
        candidates.append(FieldCandidate(spec, values, hints, tag, origin, elements))
    return candidates + _date_title_splits(candidates)


# "Wednesday, January 7th: Snow Day Crafts", "Jan 9 | Family Yoga", "Sat 1/10 - Kids Cooking":
# a date printed before the title in one element. Group 1 of each pattern is its part.
_SPLIT_SEP = r"(?::\s|\s\|\s|\s[-–—]\s)"
DATE_PREFIX_REGEX = rf"^\s*(.{{3,60}}?)\s*{_SPLIT_SEP}\s*\S.*$"
TITLE_AFTER_DATE_REGEX = rf"^\s*.{{3,60}}?\s*{_SPLIT_SEP}\s*(\S.*)$"
_DATE_PREFIX = re.compile(DATE_PREFIX_REGEX, re.S)


def _date_prefixed(value: str) -> bool:
    m = _DATE_PREFIX.match(value)
    if m is None or not has_date(m.group(1)):
        return False
    rest = re.sub(rf"^\s*{_SPLIT_SEP}\s*", "", value[m.end(1):])
    # "Tue, 02/04/2025 - 2:00pm" is a date and a time, not a date and a title.
    return not has_date(rest) and not TIME_RE.match(rest) and _looks_like_title(rest)


def _date_title_splits(candidates: list[FieldCandidate]) -> list[FieldCandidate]:
    """For an element whose text is "date: title" on most items, its two halves as a date and
    a title candidate (the whole text is then no title: see `_score_field`)."""
    out: list[FieldCandidate] = []
    for c in candidates:
        if c.spec.extract is not ExtractMode.TEXT or c.spec.regex is not None or c.coverage < 0.5:
            continue
        if c.share(_date_prefixed) < 0.8:
            continue
        for regex, origin in ((DATE_PREFIX_REGEX, "split-date"), (TITLE_AFTER_DATE_REGEX, "split-title")):
            values = [apply_regex(regex, v) if v else None for v in c.values]
            spec = c.spec.model_copy(update={"regex": regex})
            out.append(replace(c, spec=spec, values=values, origin=origin))
    return out


def _segment_head_predicate(head: Any, flag: str) -> str:
    if flag == "strong-only":
        return "self::p[" + _FLAG_PREDICATES["strong-only"] + "]"
    return f"self::{head.tag}"


def _segment_head_matches(el: Any, head: Any, flag: str) -> bool:
    if el.tag != head.tag:
        return el.tag in _HEAD_RANK and head.tag in _HEAD_RANK and _HEAD_RANK[el.tag] <= _HEAD_RANK[head.tag]
    if flag == "strong-only":
        return (
            _leading_bold(el) is not None
            and len(element_text(el)) <= len(element_text(_leading_bold(el))) + 2
        )
    return True


_TITLE_WORDS = {"title", "name", "heading", "headline", "summary", "itemprop-name"}
_DATE_WORDS = {"date", "dates", "when", "datetime", "day", "start", "itemprop-startdate", "time"}
_TIME_WORDS = {"time", "times", "hours", "clock"}
_PRICE_WORDS = {"price", "cost", "fee", "fees", "admission", "tuition", "ticket", "tickets", "itemprop-price"}
_AGE_WORDS = {"age", "ages", "grade", "grades", "audience"}
_VENUE_WORDS = {
    "venue",
    "location",
    "where",
    "place",
    "room",
    "branch",
    "facility",
    "itemprop-location",
    "site",
}
_ADDRESS_WORDS = {"address", "street", "adr", "itemprop-address", "addr"}
_DESC_WORDS = {
    "desc",
    "description",
    "summary",
    "excerpt",
    "teaser",
    "intro",
    "body",
    "content",
    "text",
    "details",
    "blurb",
    "itemprop-description",
    "abstract",
}
_CATEGORY_WORDS = {"category", "categories", "topic", "topics", "genre", "tags"}
_TYPE_WORDS = {"type", "kind", "format"}
_STATUS_WORDS = {"status", "badge", "availability", "spots"}
_BAD_TITLE = re.compile(
    r"(?i)^(?:read more|more info|learn more|details|register|view|see more|buy tickets|book now|more|info)\b"
)


def _looks_like_title(value: str) -> bool:
    if _LABEL_ONLY_RE.match(value) or (len(value) < 30 and value.rstrip().endswith(":")):
        return False  # "When:", "Tip:" are labels, not names
    return (
        3 <= len(value) <= 200
        and not _BAD_TITLE.match(value)
        and not (DATE_RE.fullmatch(value) or TIME_RE.fullmatch(value))
    )


_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


def _attribute_score(name: str, c: FieldCandidate, cov: float) -> float:
    """A value read from an attribute (`datetime`, `data-date`, `data-title`, a microdata
    `content`): a machine-readable date loses to a printed calendar date (a UTC stamp can fall
    on another local day) but beats a printed weekday and time; an attribute title only
    stands in when no printed title scores."""
    attr = (c.spec.attr or "").lower()
    if cov < 0.5:
        return 0.0
    if name == "date":
        iso = c.share(lambda v: _ISO_DATE.match(v) is not None)
        if attr == "datetime" or (iso >= 0.8 and ("date" in attr or "start" in attr or attr == "content")):
            return cov * 1.2
        return 0.0
    if name == "title" and attr.startswith("data-") and ("title" in attr or "name" in attr):
        return cov * c.distinct * c.share(_looks_like_title) * 0.8
    return 0.0


def _score_field(name: str, c: FieldCandidate, n: int) -> float:
    """How well a candidate fits a field (0 = not at all)."""
    cov = c.coverage
    if cov == 0:
        return 0.0
    hint = c.hint
    label = c.origin.startswith("label:")
    label_field = c.origin.split(":", 1)[1] if label else ""
    text_mode = c.spec.extract is ExtractMode.TEXT
    varies = c.distinct >= 0.6 or n < 3
    avg = c.avg_len
    if name == "url":
        if c.spec.extract is not ExtractMode.ATTR or c.spec.attr != "href":
            return 0.0
        good = c.share(lambda v: not v.startswith(("#", "javascript:", "mailto:", "tel:")))
        if cov < 0.5 or not varies or good < 0.8:
            return 0.0
        bonus = 1.0
        if c.origin == "self":
            bonus += 0.6
        if hint & (_TITLE_WORDS | set(HEADING_TAGS)) or re.search(r"\bh[1-6]\b", c.spec.query):
            bonus += 0.5
        if hint & {"register", "registration", "ticket", "tickets", "buy", "share", "facebook"}:
            bonus -= 0.5
        return cov * c.distinct * bonus
    if name == "image":
        if c.spec.extract is not ExtractMode.ATTR or c.tag != "img" or cov < 0.5:
            return 0.0
        return cov
    if not text_mode:
        return _attribute_score(name, c, cov)
    if label:
        if label_field != name:
            return 0.0
        # The labelled element itself beats a regex over the whole item.
        return (cov * 1.5 + (0.0 if c.spec.query == "." else 0.01)) if cov >= 0.3 else 0.0
    if c.origin == "preceding":
        return cov * 0.9 if name == "date" and c.share(has_date) >= 0.8 and cov >= 0.8 else 0.0
    if name == "title":
        if cov < 0.5 or not varies or avg > 200 or c.origin == "self" or c.origin.startswith("self-"):
            return 0.0
        titles = c.share(_looks_like_title)
        if titles < 0.7 or c.share(lambda v: DATE_RE.fullmatch(v.strip()) is not None) > 0.3:
            return 0.0
        if c.origin != "split-title" and c.share(_date_prefixed) >= 0.8:
            return 0.0  # "Wednesday, January 7th: Title": the title is the part after the date
        bonus = 1.0
        if c.tag in HEADING_TAGS or c.origin == "head":
            bonus += 0.8
        if hint & _TITLE_WORDS:
            bonus += 0.6
        if c.tag == "a":
            bonus += 0.3
        if c.tag in ("strong", "b"):
            bonus += 0.25
        if c.origin.startswith("cell:"):
            bonus += 0.2
        if hint & (_DATE_WORDS | _PRICE_WORDS | _AGE_WORDS | _VENUE_WORDS | _DESC_WORDS) - {"summary"}:
            bonus -= 0.6
        if avg > 120:
            bonus *= 0.5
        return cov * c.distinct * titles * bonus
    if name == "date":
        dates = c.share(has_date)
        hinted = bool(hint & _DATE_WORDS)
        if cov < 0.5 or (dates < 0.6 and not (hinted and dates >= 0.4)):
            return 0.0
        bonus = 1.0 + (0.4 if hinted else 0) + (0.4 if c.tag == "time" else 0)
        if c.origin == "self-date":
            bonus -= 0.4
        if c.share(lambda v: DATE_RE.search(v) is not None) < 0.5:
            bonus *= 0.5  # "Tue 10:30": a weekday and a time name no calendar day
        if c.origin != "split-date" and c.share(_date_prefixed) >= 0.8:
            bonus *= 0.5  # "Wednesday, January 7th: Title": the date is the part before the title
        brevity = min(1.0, 60 / avg) if avg else 0
        return cov * dates * bonus * brevity
    if name == "time":
        times = c.share(TIME_RE.search)
        if cov < 0.5 or times < 0.7 or not (hint & _TIME_WORDS):
            return 0.0
        return cov * times * min(1.0, 40 / max(avg, 1))
    if name in ("price", "ages", "venue", "address", "category", "type", "status"):
        words = {
            "price": _PRICE_WORDS,
            "ages": _AGE_WORDS,
            "venue": _VENUE_WORDS,
            "address": _ADDRESS_WORDS,
            "category": _CATEGORY_WORDS,
            "type": _TYPE_WORDS,
            "status": _STATUS_WORDS,
        }[name]
        hinted = bool(hint & words)
        pattern = {"price": PRICE_RE, "ages": AGE_RE, "address": STREET_RE}.get(name)
        fit = c.share(pattern.search) if pattern else 0.0
        if c.origin in ("self-price", "self-ages"):
            # A price or age range inside running text, taken with a regex: the fallback.
            wanted = "self-price" if name == "price" else "self-ages" if name == "ages" else ""
            return cov * 0.8 if c.origin == wanted and cov >= 0.6 else 0.0
        if c.origin in ("self", "self-date", "head"):
            return 0.0
        typical = {"venue": 50, "address": 60}.get(name, 30)
        if avg > typical * 3:
            return 0.0
        if name in ("venue", "category", "type", "status") and not hinted:
            return 0.0
        if name in ("venue", "category", "type") and c.share(has_date) > 0.5:
            return 0.0
        brevity = min(1.0, typical / max(avg, 1))
        if hinted and cov >= 0.3:
            return cov * (1.2 + fit) * (0.5 + 0.5 * brevity)
        if pattern is not None and fit >= 0.8 and cov >= 0.5 and avg <= typical * 1.5:
            return cov * fit * brevity
        return 0.0
    if name == "description":
        if cov < 0.5 or avg < 40 or not varies or c.origin.startswith("self-"):
            return 0.0
        bonus = 1.0 + (0.6 if hint & _DESC_WORDS else 0) + (0.2 if c.tag == "p" else 0)
        if c.origin == "self":
            bonus -= 0.5
        if hint & (_TITLE_WORDS | _DATE_WORDS | _VENUE_WORDS):
            bonus -= 0.5
        return cov * bonus * min(1.0, avg / 120)
    return 0.0


_FIELD_ORDER = (
    "url",
    "image",
    "date",
    "time",
    "title",
    "price",
    "ages",
    "venue",
    "address",
    "description",
    "category",
    "type",
    "status",
    "schedule",
    "registration",
)


def assign_fields(
    candidates: list[FieldCandidate], n: int
) -> tuple[dict[str, SelectorSpec], dict[str, float]]:
    """Pick at most one selector per field; an element's text serves one field only."""
    fields: dict[str, SelectorSpec] = {}
    coverage: dict[str, float] = {}
    chosen_by: dict[str, FieldCandidate] = {}
    values: dict[str, list[str | None]] = {}
    for name in _FIELD_ORDER:
        best: tuple[float, FieldCandidate | None] = (0.0, None)
        for c in candidates:
            plain_text = c.spec.extract is ExtractMode.TEXT and c.spec.regex is None
            if plain_text and any(
                o.spec.extract is ExtractMode.TEXT
                and o.spec.regex is None
                and o.origin != "self"
                and c.same_element(o)
                and not {name, other} <= {"price", "ages"}  # one "Ages 3-12 · $25" element: split below
                for other, o in chosen_by.items()
            ):
                continue
            if name in ("schedule", "registration"):
                score = c.coverage * 1.5 if c.origin == f"label:{name}" and c.coverage >= 0.3 else 0.0
            else:
                score = _score_field(name, c, n)
            if score > 0 and name == "description" and ("title" in values or "date" in values):
                # The description is the text beside the title and date, not a block holding them.
                holds = _containment(c.values, values.get("title"), values.get("date"))
                score = 0.0 if holds >= 0.8 and c.origin != "self" else score * (1 - 0.7 * holds)
            # Ties: a class-qualified CSS selector (robust), then the shorter one.
            if score > 0:
                score += 0.02 if (c.spec.kind is SelectorKind.CSS and "." in c.spec.query) else 0.0
                score -= len(c.spec.query) / 10_000 + (0.001 if c.spec.kind is SelectorKind.XPATH else 0)
            if score > best[0]:
                best = (score, c)
        chosen = best[1]
        if chosen is None or best[0] <= 0.05:
            continue
        if name == "time" and "date" in values and _share_present(values["date"], TIME_RE.search) >= 0.8:
            continue  # the date text already says when it starts and ends
        values[name] = chosen.values
        fields[name] = chosen.spec
        chosen_by[name] = chosen
        coverage[name] = round(chosen.coverage, 3)
    _split_shared(fields, chosen_by, coverage)
    return fields, coverage


def _share_present(values: list[str | None], pattern: Callable[[str], Any]) -> float:
    present = [v for v in values if v]
    return sum(1 for v in present if pattern(v)) / len(present) if present else 0.0


PRICE_EXTRACT_REGEX = (
    r"(?i)((?:\$\s?\d[\d,]*(?:\.\d{2})?(?:\s*(?:-|–|to|/)\s*\$?\s?\d[\d,]*(?:\.\d{2})?)?|\bfree\b|\bgratis\b)"
    r"(?:[^|·;]{0,40}?(?:members?|residents?|non-?members?|community|per\s+\w+|each))?)"
)
AGES_EXTRACT_REGEX = (
    r"(?i)(\b(?:ages?|edades?|grades?)\s*:?\s*\S+(?:\s*(?:-|–|to|and)\s*(?:up|older|\d+))?(?:\s*(?:yrs?|years?|months?))?"
    r"|\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\s*(?:yrs?|years?|months?|mos?)|all\s+ages)"
)


def _split_shared(
    fields: dict[str, SelectorSpec], chosen: dict[str, FieldCandidate], coverage: dict[str, float]
) -> None:
    """Price and ages printed in one element ("Ages 3-12 · $25"): take each with a regex."""
    price, ages = chosen.get("price"), chosen.get("ages")
    if price is None or ages is None or not price.same_element(ages) or price.spec.regex or ages.spec.regex:
        return
    for name, regex, cand in (("price", PRICE_EXTRACT_REGEX, price), ("ages", AGES_EXTRACT_REGEX, ages)):
        found = [re.search(regex, v) for v in cand.values if v]
        share = sum(1 for f in found if f) / len(cand.values) if cand.values else 0
        if share >= 0.5:
            fields[name] = cand.spec.model_copy(update={"regex": regex})
            coverage[name] = round(share, 3)
        elif name == "ages":
            del fields[name]
            coverage.pop(name, None)


def _containment(candidate: list[str | None], *others: list[str | None] | None) -> float:
    """Share of items whose candidate value contains another field's value."""
    hits = total = 0
    for i, value in enumerate(candidate):
        if not value:
            continue
        total += 1
        if any(o is not None and i < len(o) and o[i] and o[i] in value for o in others):  # type: ignore[operator]
            hits += 1
    return hits / total if total else 0.0


# --------------------------------------------------------------------------------------------
# Layouts: group + item selector + fields


@dataclass
class ListingLayout:
    """A proposed way to read the listings of one page."""

    kind: Literal["element", "segment"]
    item: SelectorSpec
    fields: dict[str, SelectorSpec]
    count: int
    score: float
    quality: float
    shares: dict[str, float]
    field_coverage: dict[str, float]
    precision: float
    recall: float
    signature: str
    notes: list[str]
    sample_titles: list[str]

    def summary(self) -> dict[str, Any]:
        return {
            "item": self.item.query,
            "item_kind": self.item.kind.value,
            "kind": self.kind,
            "count": self.count,
            "score": round(self.score, 3),
            "quality": round(self.quality, 3),
            "shares": {k: round(v, 2) for k, v in self.shares.items()},
            "fields": {k: describe_spec(v) for k, v in self.fields.items()},
            "field_coverage": self.field_coverage,
            "notes": self.notes,
            "sample_titles": self.sample_titles[:5],
        }


def describe_spec(spec: SelectorSpec) -> str:
    """A one-line human form of a selector: `h3 a @href`, `xpath:. ~/When.../`."""
    out = ("xpath:" if spec.kind is SelectorKind.XPATH else "") + spec.query
    if spec.extract is ExtractMode.ATTR:
        out += f" @{spec.attr}"
    if spec.regex:
        out += f" ~/{spec.regex[:30]}{'...' if len(spec.regex) > 30 else ''}/"
    return out


_WEEKDAY_TITLE = re.compile(
    rf"(?i)^(?:{'|'.join(WEEKDAY_LABELS)})s?\.?(?:\s*(?:-|–|—|to|&|and|y)\s*(?:{'|'.join(WEEKDAY_LABELS)})s?\.?)?:?$"
)
_MONTH_TITLE = re.compile(
    rf"(?i)^(?:{'|'.join(name for name, _ in MONTHS_EN + MONTHS_ES)})(?:\s+\d{{4}})?:?$"
)


def not_listings(titles: list[str]) -> str | None:
    """Why titles read like the rows of something that is not a list of activities, or None:
    weekday names (an opening-hours table), month names (calendar headings), questions (an FAQ)."""
    present = [collapse_spaces(t) for t in titles if t and t.strip()]
    if len(present) < 2:
        return None
    n = len(present)
    if sum(1 for t in present if _WEEKDAY_TITLE.match(t)) >= 0.6 * n:
        return "titles are weekday names: an opening-hours table"
    if sum(1 for t in present if _MONTH_TITLE.match(t)) >= 0.6 * n:
        return "titles are month names: calendar headings"
    if sum(1 for t in present if t.endswith("?")) >= 0.6 * n:
        return "titles are questions: an FAQ"
    return None


def find_listing_layouts(
    html: str,
    *,
    known_item_selectors: Iterable[str] = (),
    max_layouts: int = 5,
    min_size: int = 2,
) -> list[ListingLayout]:
    """Candidate listing layouts of a page, best first (empty when nothing repeats)."""
    page = Selector(text=html)
    body = page.root.find(".//body")
    root = body if body is not None else page.root
    text = TextCache()
    groups = collect_groups(root, text, min_size=min_size)
    platform_members: set[int] = set()
    for query in known_item_selectors:
        try:
            platform_members.update(id(m.root) for m in page.css(query))
        except ValueError:
            continue
    for g in groups:
        if platform_members and sum(1 for m in g.members if id(m) in platform_members) >= 0.8 * len(
            g.members
        ):
            g.platform_match = True
        score_group(g, text)
    resolve_nesting(groups)
    groups.sort(key=lambda g: g.score, reverse=True)
    layouts: list[ListingLayout] = []
    for g in groups[: max_layouts * 3]:
        if g.score <= 0.05 or len(layouts) >= max_layouts:
            break
        spec, precision, recall = choose_item_selector(g, page)
        if spec is None or precision < 0.8 or recall < 0.8:
            continue
        contexts = spec_matches(page, spec)
        candidates = field_candidates(g.kind, contexts, g.flag, text)
        fields, coverage = assign_fields(candidates, min(len(contexts), MAX_SCORED_ITEMS))
        titles = [select_value(c, fields["title"]) or "" for c in contexts] if "title" in fields else []
        if not_listings(titles):
            continue
        layouts.append(
            ListingLayout(
                kind=g.kind,
                item=spec,
                fields=fields,
                count=len(contexts),
                score=g.score,
                quality=g.quality,
                shares=g.shares,
                field_coverage=coverage,
                precision=precision,
                recall=recall,
                signature=g.signature,
                notes=g.notes,
                sample_titles=[t for t in titles if t],
            )
        )
    return layouts


# --------------------------------------------------------------------------------------------
# Detail pages


def propose_detail_fields(pages: list[str]) -> tuple[dict[str, SelectorSpec], dict[str, float]]:
    """Page-level field selectors for detail pages, verified on every sample given."""
    if not pages:
        return {}, {}
    sels = [Selector(text=h) for h in pages]
    text = TextCache()
    proposals: dict[str, tuple[SelectorSpec, set[str], str, str]] = {}

    def propose(spec: SelectorSpec, el: Any | None, origin: str = "") -> None:
        key = f"{spec.kind}:{spec.query}:{spec.extract}:{spec.attr}:{spec.regex}"
        if key not in proposals:
            proposals[key] = (
                spec,
                _hint_words(el) if el is not None else set(),
                el.tag if el is not None else "",
                origin,
            )

    for sel in sels:
        body = sel.root.find(".//body")
        if body is None:
            continue
        for el in iter_elements(body):
            if el is body or boilerplate_reason(el, text)[1] < 0.5:
                continue
            tag = el.tag
            for c in ranked_classes(stable_classes(el))[:2]:
                for spec in _value_specs(f"{tag}.{c}", el):
                    propose(spec, el)
            if tag in ("h1", "time", "address"):
                for spec in _value_specs(tag, el):
                    propose(spec, el)
        for relative, fname, el in _label_candidates(body, text):
            query = relative.query[1:] if relative.query.startswith(".//") else relative.query
            propose(relative.model_copy(update={"query": query}), el, f"label:{fname}")  # page-level //li
    candidates = []
    for spec, hints, tag, origin in proposals.values():
        try:
            values = [select_value(s, spec) for s in sels]
        except ValueError:
            continue
        candidates.append(FieldCandidate(spec, values, hints, tag, origin))
    fields: dict[str, SelectorSpec] = {}
    coverage: dict[str, float] = {}
    h1 = [c for c in candidates if c.spec.query == "h1" and c.spec.extract is ExtractMode.TEXT]
    if h1 and h1[0].coverage >= 0.5:
        fields["title"] = h1[0].spec
        coverage["title"] = h1[0].coverage
    chosen, cov = assign_fields([c for c in candidates if c.tag != "h1" or "title" not in fields], len(sels))
    for name, spec in chosen.items():
        if name in ("url", "title") and name in fields:
            continue
        if name == "url":
            continue  # a detail page's own URL is the request URL
        if name == "description" and cov[name] < 0.5:
            continue
        fields.setdefault(name, spec)
        coverage.setdefault(name, cov[name])
    if "image" not in fields and all(s.css('meta[property="og:image"]') for s in sels):
        fields["image"] = SelectorSpec(
            query='meta[property="og:image"]', extract=ExtractMode.ATTR, attr="content"
        )
        coverage["image"] = 1.0
    if "description" not in fields:
        desc = _main_text_selector(sels)
        if desc is not None:
            fields["description"] = desc
            coverage["description"] = 1.0
    return fields, coverage


def _main_text_selector(sels: list[Selector]) -> SelectorSpec | None:
    """The paragraphs of the main content block, joined, when one block clearly holds them."""
    for query in ("article p", "main p", "[role=main] p", ".entry-content p", "#content p", ".content p"):
        texts = [s.css(query).xpath("string()").getall() for s in sels]
        if all(sum(len(collapse_spaces(t)) for t in block) >= 80 for block in texts):
            return SelectorSpec(query=query, multiple=True)
    return None
