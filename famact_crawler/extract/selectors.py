"""Evaluate one `SelectorSpec` (CSS or XPath, text / attribute / markup, optional regex).

This is the only place where a config's selector meets a page: the Scrapy SourceSpider and
the analyzer both call it (through `engine.py`), so a selector that works in the analyzer
works in the crawl. It takes parsel selectors built from a plain HTML string; no Scrapy.

Decisions worth knowing:
- Text is the *visible* text: script/style/noscript/template/svg content is left out, and
  `<br>`, block elements, table cells and list items separate words the way a browser lays
  them out ("Sat, Dec 5<br>10am" reads "Sat, Dec 5 10am"), and so do two elements with no
  text between them (a date badge's `<span>March</span><span>19</span>` reads "March 19";
  a superscript stays joined: "19th"). Whitespace is folded to single
  spaces; control characters (stray bytes of a malformed page) are dropped.
- Field selectors are relative to their item. XPath that starts with `/` or `//` (in the
  whole expression, a union branch or a function argument) would search the whole document
  and give every item the first match of the page, which is never what a field means, so it
  is rewritten to start from the item: `//h3` -> `.//h3`, `/span` -> `./span`. The rewrite
  applies only when the context node is an element below the document root; at the document
  root the query is evaluated as written.
- A title is read without its screen-reader-only parts (`sr-only`, `screen-reader-text`,
  `visually-hidden`...): "Board Meeting<span class="sr-only"> Details</span>" is titled
  "Board Meeting". Other fields keep them: a month grid may say its weekday and month only
  to screen readers.
- Without `multiple`, the first match with a non-empty value wins (an empty `<span class=
  "date">` before the filled one does not hide it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

import parsel
from lxml import etree
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from famact.constants import ExtractMode, SelectorKind
from famact.models import SelectorSpec

MULTIPLE_SEPARATOR = " | "
# A regex from a config runs on at most this much text: bounds the cost of a bad pattern.
MAX_REGEX_INPUT = 50_000

# Attributes whose value is a URL, made absolute against the page's base URL.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "srcset",
        "data-href",
        "data-src",
        "data-srcset",
        "data-url",
        "data-link",
        "data-lazy-src",
        "data-original",
        "action",
        "poster",
    }
)

# Never rendered as text by a browser (svg: icon titles such as "calendar-icon").
_INVISIBLE_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "title", "meta", "link"}
)
# Elements a browser lays out on their own line or cell: their boundaries separate words.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li",
        "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul", "button", "label", "select", "textarea",
    }
)  # fmt: skip
# Classes that hide an element from sight but not from screen readers (Bootstrap, WordPress,
# Drupal, Foundation, school CMSs): text a sighted reader never sees.
_SCREEN_READER_CLASSES = frozenset(
    {
        "sr-only", "sr_only", "sronly", "screen-reader-text", "screen-reader-only", "screenreader",
        "visually-hidden", "visuallyhidden", "u-visually-hidden", "element-invisible", "offscreen",
        "show-for-sr", "a11y-hidden", "hidden-accessible", "assistive-text", "sro", "fsstylesronly",
    }
)  # fmt: skip
# Set in the line of the text before them: no separation at their edges.
_JOINED_TAGS = frozenset({"sup", "sub", "wbr"})
_WHITESPACE = re.compile(r"\s+")
# C0/C1 control characters (stray bytes in a malformed page): a reader never sees them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")
_ATTR_AT_END = re.compile(r"@([\w:-]+)\s*\)?\s*$")


class SelectorEvaluationError(ValueError):
    """A selector compiled but failed on a page (e.g. an XPath calling an unknown function)."""

    def __init__(self, query: str, reason: str) -> None:
        super().__init__(f"selector {query!r} failed: {reason}")
        self.query = query
        self.reason = reason


def fold_whitespace(text: str) -> str:
    """Whitespace folded to single spaces, control characters dropped."""
    return _WHITESPACE.sub(" ", _CONTROL.sub("", text)).strip()


def visible_text(node: parsel.Selector | etree._Element | str, *, sighted: bool = False) -> str:
    """The text a reader sees in `node`, whitespace folded (see module docstring); with
    `sighted`, without the parts meant for screen readers only."""
    root = node.root if isinstance(node, parsel.Selector) else node
    if isinstance(root, str):
        return fold_whitespace(root)
    if not isinstance(root, etree._Element):
        return fold_whitespace(str(root))  # a number from an XPath such as count(...)
    return fold_whitespace("".join(_text_parts(root, sighted=sighted)))


def _screen_reader_only(element: etree._Element) -> bool:
    classes = element.get("class")
    return bool(classes) and not _SCREEN_READER_CLASSES.isdisjoint(classes.lower().split())


def _text_parts(top: etree._Element, *, sighted: bool = False) -> Iterator[str]:
    # An explicit stack rather than recursion: broken pages nest thousands of unclosed tags.
    stack: list[tuple[etree._Element, bool]] = [(top, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        name = etree.QName(tag).localname.lower() if tag else ""
        block = name in _BLOCK_TAGS
        if closing:
            if block or (element is not top and _boxed_next(element, name)):
                yield " "
            if element is not top and element.tail:
                yield element.tail
            continue
        hidden = name in _INVISIBLE_TAGS or (sighted and _screen_reader_only(element))
        if not tag or (hidden and element is not top):
            # Comments, processing instructions and invisible elements: only their tail shows.
            # The node asked for is always read (a spec may target a <script> on purpose).
            if element is not top and element.tail:
                yield element.tail
            continue
        if block:
            yield " "
        if element.text:
            yield element.text
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))


def _boxed_next(element: etree._Element, name: str) -> bool:
    """An element (`name`, its lower-case local name) followed straight by another, with no
    text between: date badges (`<span class="month">March</span><span class="day">19</span>`)
    set each part in its own box by style, which a reader sees apart ("March 19"), never as
    "March19". A superscript or subscript ("19<sup>th</sup>") stays joined."""
    if element.tail or name in _JOINED_TAGS:
        return False
    following = element.getnext()
    if following is None or not isinstance(following.tag, str):
        return False
    return etree.QName(following).localname.lower() not in _JOINED_TAGS


_XPATH_TOKEN = re.compile(r"""("[^"]*"|'[^']*')|(//?)|([(|,\[])|(\s+)|([^"'/(|,\[\s]+)""")


def relative_xpath(query: str) -> str:
    """Rewrite absolute location paths in `query` to start at the context node.

    `//a` -> `.//a`, `/a` -> `./a`, `(//a)[1]` -> `(.//a)[1]`, `//a | //b` -> `.//a | .//b`;
    string literals are left alone.
    """
    out: list[str] = []
    at_expression_start = True
    for match in _XPATH_TOKEN.finditer(query):
        literal, slashes, opener, space, other = match.groups()
        if slashes is not None:
            out.append("." + slashes if at_expression_start else slashes)
            at_expression_start = False
        elif opener is not None:
            out.append(opener)
            at_expression_start = True
        elif space is not None:
            out.append(space)  # whitespace keeps the "expression start" state
        else:
            out.append(literal if literal is not None else other)
            at_expression_start = False
    return "".join(out)


def _is_below_document_root(root: object) -> bool:
    if not isinstance(root, etree._Element):
        return False
    return root.getparent() is not None


def select_nodes(root: parsel.Selector | parsel.SelectorList, spec: SelectorSpec) -> parsel.SelectorList:
    """Every match of `spec` under `root` (under each selector when `root` is a list).

    Raises `SelectorEvaluationError` when the selector fails at evaluation time.
    """
    contexts: Iterable[parsel.Selector] = [root] if isinstance(root, parsel.Selector) else root
    matches: list[parsel.Selector] = []
    for context in contexts:
        if isinstance(context.root, str | bytes | float | int | bool):
            continue  # a text or attribute value has no descendants to select
        try:
            if spec.kind is SelectorKind.CSS:
                matches.extend(context.css(spec.query))
            else:
                query = relative_xpath(spec.query) if _is_below_document_root(context.root) else spec.query
                matches.extend(context.xpath(query))
        except ValueError as exc:  # parsel wraps lxml's XPathEvalError / cssselect errors in ValueError
            raise SelectorEvaluationError(spec.query, str(exc)) from exc
    return parsel.SelectorList(matches)


def absolute_url(value: str, base_url: str | None) -> str:
    """`value` (possibly relative, padded or with spaces) as an absolute, safely quoted URL."""
    value = strip_html5_whitespace(value)
    if base_url:
        value = urljoin(base_url, value)
    return safe_url_string(value)


def _url_attribute_value(attr: str, value: str, base_url: str | None) -> str:
    if attr.endswith("srcset"):
        # "a.jpg 1x, b.jpg 2x": the first candidate's URL.
        value = value.split(",", maxsplit=1)[0].strip().split(" ", maxsplit=1)[0]
    if not value or value.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
        return value
    return absolute_url(value, base_url)


def _match_value(
    match: parsel.Selector, spec: SelectorSpec, base_url: str | None, *, sighted: bool = False
) -> str | None:
    root = match.root
    if not isinstance(root, etree._Element):
        # text() / @attr / count(...) results are values already; XPath numbers are floats.
        if isinstance(root, float) and root.is_integer():
            root = int(root)
        value = fold_whitespace(str(root))
        attr_at_end = _ATTR_AT_END.search(spec.query)
        if spec.kind is SelectorKind.XPATH and attr_at_end and attr_at_end.group(1).lower() in URL_ATTRIBUTES:
            value = _url_attribute_value(attr_at_end.group(1).lower(), value, base_url)
        return value or None
    if spec.extract is ExtractMode.ATTR:
        attr = (spec.attr or "").strip()
        raw = match.attrib.get(attr)
        if raw is None:
            return None
        value = fold_whitespace(raw)
        if attr.lower() in URL_ATTRIBUTES:
            value = _url_attribute_value(attr.lower(), value, base_url)
        return value or None
    if spec.extract is ExtractMode.HTML:
        return match.get().strip() or None
    return (visible_text(match, sighted=True) if sighted else None) or visible_text(match) or None


def apply_regex(pattern: str, value: str) -> str | None:
    """The first group of `pattern` in `value` if it has groups, else the whole match."""
    found = re.search(pattern, value[:MAX_REGEX_INPUT])
    if found is None:
        return None
    if found.re.groups:
        group = next((g for g in found.groups() if g is not None), None)
        return fold_whitespace(group) if group is not None else None
    return fold_whitespace(found.group(0))


def extract_values(
    root: parsel.Selector | parsel.SelectorList,
    spec: SelectorSpec,
    *,
    base_url: str | None = None,
    sighted: bool = False,
) -> list[str]:
    """The non-empty value of every match, in document order (regex applied to each)."""
    values: list[str] = []
    for match in select_nodes(root, spec):
        value = _match_value(match, spec, base_url, sighted=sighted)
        if value is not None and spec.regex is not None:
            value = apply_regex(spec.regex, value)
        if value:
            values.append(value)
    return values


def extract_value(
    root: parsel.Selector | parsel.SelectorList,
    spec: SelectorSpec,
    *,
    base_url: str | None = None,
    sighted: bool = False,
) -> str | None:
    """The value `spec` selects under `root`, or None when nothing matches.

    text: visible text of the first match with text (all matches joined with " | " when
    `spec.multiple`); attr: the attribute, made absolute when it is a URL attribute; html: the
    outer HTML. A regex is then applied to each match's value (first group, else the match).
    `sighted` (titles): text without its screen-reader-only parts, when any text is left.
    """
    if spec.multiple:
        values = extract_values(root, spec, base_url=base_url, sighted=sighted)
        return MULTIPLE_SEPARATOR.join(values) if values else None
    for match in select_nodes(root, spec):
        value = _match_value(match, spec, base_url, sighted=sighted)
        if value is not None and spec.regex is not None:
            value = apply_regex(spec.regex, value)
        if value:
            return value
    return None
