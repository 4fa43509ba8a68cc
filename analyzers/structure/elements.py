"""Elements: their text, stable classes and ids, and whether they are page furniture."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from analyzers.structure.patterns import LABEL_ONLY_RE
from famact.normalize.text import collapse_spaces

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
# A grid's marks for the first and last item of a row ("production-list-item end"): whole
# classes only, since "event-start" or "time-end" name a field.
_GRID_POSITION = frozenset({"start", "end", "middle"})
_STATE_PREFIXES = ("is-", "has-", "js-", "ng-", "v-", "x-", "aos-", "wow-", "animate__", "ember")
_CSS_IN_JS = re.compile(
    r"^(?:css|sc|jsx|emotion|styled|svelte|astro|chakra|makeStyles|tw)-|^_[A-Za-z0-9]{4,}$"
)
# Chrome words that name a site's navigation (a menu may still list dated listings).
NAVIGATION_TOKENS = frozenset(
    {"nav", "navbar", "navigation", "menu", "menubar", "submenu", "megamenu", "dropdown", "subnav"}
)
_BOILER_TOKENS = NAVIGATION_TOKENS | frozenset(
    {
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
_CAMEL_WORDS = re.compile(r"(?:[a-z]{2,}|[A-Z][a-z]{2,})(?:[A-Z][a-z]{2,})*")
_STYLED_COMPONENT = re.compile(r"(?:^|-)sc-[a-z0-9]+(?:-\d+)?$", re.IGNORECASE)
_CSS_IDENT = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
_TOKEN_SPLIT = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")


def is_element(node: Any) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def _stable_class(token: str) -> bool:
    low = token.lower()
    if not token or len(token) > 60 or any(ch.isdigit() for ch in token):
        return False
    if not _CSS_IDENT.fullmatch(token):
        return False  # "[automation]whats-on-panel": no CSS selector can name it as a class
    if (
        low in _STATE_CLASSES
        or low in _GRID_POSITION
        or low.startswith(_STATE_PREFIXES)
        or _CSS_IN_JS.search(token)
    ):
        return False
    # "views-row-odd", "menu-item--active-trail", "pager__item--next": state or position words.
    tail = re.split(r"--|__|-|_", low)
    if tail[-1] in _STATE_CLASSES or "active" in tail or "current" in tail:
        return False
    # CSS-module hashes mix case at random: "card_Xy7" has digits, "sc-bdfBwQ" is caught above,
    # "kLmNoP" or "ibfnQQ" (no separator, capitals that start no word) is caught here. A camel-
    # or PascalCase name of words ("barItemContent", "fsCalendarEventLink": a school CMS's
    # calendar; "EventCard") is a class someone wrote and stays.
    if "-" in token or "_" in token or token.islower():
        return True
    return _CAMEL_WORDS.fullmatch(token) is not None


def stable_classes(el: Any) -> tuple[str, ...]:
    """The element's classes without generated, numbered or state classes, sorted.

    Beside a styled-components name ("Text-sc-1pb273e-0"), a token of letters without a
    separator ("erAton") is that component's generated class, however word-like it reads."""
    tokens = (el.get("class") or "").split()
    styled = any(_STYLED_COMPONENT.search(t) for t in tokens)
    return tuple(
        sorted({c for c in tokens if _stable_class(c) and not (styled and c.isalpha() and not c.islower())})
    )


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
    "social-links" name chrome; "tweak-social-icons-style" (a theme switch) does not, nor does
    a negated name ("noHeader", "no-sidebar", "hide-footer": a switch saying there is none)."""
    words: set[str] = set()
    for name in [*(el.get("class") or "").split(), el.get("id") or ""]:
        parts = [p.lower() for p in _TOKEN_SPLIT.split(name) if p]
        if parts and parts[0] in ("no", "without", "hide", "hidden"):
            continue
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


def node_flag(el: Any, text: Callable[[Any], str]) -> str:
    """Structure the class signature cannot see: a paragraph led by a bold title, a header row."""
    if el.tag == "tr":
        cells = [c for c in el if is_element(c) and c.tag in ("td", "th")]
        if not any(c.tag == "td" for c in cells):
            return "th"
        if len(cells) == 1 and (cells[0].get("colspan") or "1").strip() not in ("", "1"):
            return "span-row"  # one cell across the table: a section's heading ("March")
        return ""
    if el.tag in ("p", "div", "li"):
        lead = leading_bold(el)
        if lead is None:
            return ""
        whole = text(el)
        lead_text = text(lead)
        rest = whole[len(lead_text) :] if whole.startswith(lead_text) else whole
        if len(rest.strip(" :-–—|")) < 3:
            return "strong-only"
        if LABEL_ONLY_RE.match(lead_text) or lead_text.rstrip().endswith(":"):
            return "lead-label"  # "<b>When:</b> Saturday...": a labelled line, not a titled item
        return "lead-strong"
    return ""


def leading_bold(el: Any) -> Any | None:
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


def xpath_class(cls: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"
