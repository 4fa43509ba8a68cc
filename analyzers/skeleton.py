"""Page reduction for the LLM: an HTML skeleton and a plain-text rendering.

A listing page is often 200-800 KB of HTML, most of it scripts, styles, SVG icons, tracking
attributes and dozens of near-identical cards. The model needs none of that to propose
selectors: it needs the tag/class structure around a few example listings and enough text to
recognise titles, dates and prices. `html_skeleton` keeps exactly that, so a typical analysis
fits in the 8,000-token budget (ARCHITECTURE section 4). `html_to_text` renders a page as
markdown-like text for direct fetches that asked for text (what Jina's markdown mode returns).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# Elements whose content never helps to find listings (and may be megabytes of JS/SVG).
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "svg",
        "noscript",
        "iframe",
        "template",
        "object",
        "embed",
        "canvas",
        "link",
        "meta",
        "base",
        "picture-source",
        "source",
        "track",
        "map",
        "audio",
        "video",
    }
)
KEEP_ATTRS = frozenset({"class", "id", "href", "itemprop", "itemtype", "itemscope", "datetime"})
ATTR_MAX_CHARS = {"href": 120, "class": 80}
DEFAULT_ATTR_MAX_CHARS = 60
TEXT_MAX_CHARS = 80
KEEP_SIMILAR = 3  # siblings kept from a run of structurally identical ones
TRUNCATION_MARK = "<!-- truncated -->"
_WS = re.compile(r"\s+")


def _parse(html: str) -> etree._Element | None:
    if not html or not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _squash(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _signature(el: etree._Element) -> tuple[object, ...]:
    """Structure of an element: its tag, classes and the (squeezed) sequence of child tags.

    Two cards with the same shape but different text share a signature; a header and a
    main section that happen to be both <div> do not.
    """
    classes = tuple(sorted((el.get("class") or "").split()))
    child_tags: list[str] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if not child_tags or child_tags[-1] != child.tag:
            child_tags.append(child.tag)
    return (el.tag, classes, tuple(child_tags))


def _strip(root: etree._Element) -> None:
    """Remove non-content elements and comments, and prune attributes."""
    for node in list(root.iter()):
        if node.getparent() is None:
            continue
        if not isinstance(node.tag, str) or node.tag in DROP_TAGS:
            _remove_keep_tail(node)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name in list(el.attrib):
            if name in KEEP_ATTRS or name.startswith("data-"):
                limit = ATTR_MAX_CHARS.get(name, DEFAULT_ATTR_MAX_CHARS)
                el.attrib[name] = _clip(_squash(el.attrib[name]), limit)
            else:
                del el.attrib[name]


def _remove_keep_tail(node: etree._Element) -> None:
    """Remove an element (with its subtree) or a comment, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _collapse(el: etree._Element) -> None:
    """Keep the first few of each run of structurally identical siblings, recursively."""
    children = [c for c in el if isinstance(c.tag, str)]
    run: list[etree._Element] = []

    def flush() -> None:
        if len(run) > KEEP_SIMILAR:
            extra = run[KEEP_SIMILAR:]
            marker = etree.Comment(f" +{len(extra)} more like this ")
            run[KEEP_SIMILAR - 1].addnext(marker)
            for sibling in extra:
                el.remove(sibling)
        run.clear()

    for child in children:
        if run and _signature(run[0]) != _signature(child):
            flush()
        run.append(child)
    flush()
    for child in el:
        if isinstance(child.tag, str):
            _collapse(child)


def _shorten_text(root: etree._Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str):
            el.text = _clip(_squash(el.text), TEXT_MAX_CHARS) or None
        el.tail = _clip(_squash(el.tail), TEXT_MAX_CHARS) or None


def cut_on_tag_boundary(markup: str, max_chars: int) -> str:
    """`markup` if it fits, else its longest prefix ending at a tag's `>` plus a mark, all
    within `max_chars`."""
    if len(markup) <= max_chars:
        return markup
    room = max_chars - len(TRUNCATION_MARK)
    if room <= 0:
        return markup[:max_chars]
    end = markup.rfind(">", 0, room)
    return (markup[: end + 1] if end >= 0 else markup[:room]) + TRUNCATION_MARK


def html_skeleton(html: str, *, max_chars: int = 12000) -> str:
    """The page reduced to its structure: what the model sees instead of the whole page.

    Scripts, styles, SVG, iframes, comments and the <head> (except <title>) go; attributes
    other than class/id/href/itemprop/itemtype/datetime/data-* go and the kept ones are
    trimmed; text nodes are cut to ~80 characters; runs of identical siblings keep their first
    three plus `<!-- +N more like this -->`; the result is cut to `max_chars` on a tag boundary.
    """
    root = _parse(html)
    if root is None:
        return ""
    title = _squash(root.findtext(".//title"))
    head = root.find("head")
    if head is not None:
        root.remove(head)
    _strip(root)
    _collapse(root)
    _shorten_text(root)
    body = root.find("body")
    target = body if body is not None else root
    markup = lxml_html.tostring(target, encoding="unicode", with_tail=False)
    if title:
        markup = f"<title>{_clip(title, 200)}</title>{markup}"
    return cut_on_tag_boundary(markup, max_chars)


BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol",
        "li", "table", "tr", "td", "th", "dl", "dt", "dd", "br", "hr", "form", "figure",
        "figcaption", "blockquote", "pre", "address",
    }
)  # fmt: skip
HEADING_TAGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####", "h5": "#####", "h6": "######"}


def html_to_text(html: str, *, base_url: str | None = None) -> str:
    """Readable markdown-like text of a page: headings as `#`, list items as `- `, links as
    `[text](href)`, one block per line. Used when a direct fetch asked for text."""
    root = _parse(html)
    if root is None:
        return ""
    if base_url:
        root.make_links_absolute(base_url, resolve_base_href=True, handle_failures="ignore")
    title = _squash(root.findtext(".//title"))
    head = root.find("head")
    if head is not None:
        root.remove(head)
    for node in list(root.iter()):
        if node.getparent() is not None and (not isinstance(node.tag, str) or node.tag in DROP_TAGS):
            _remove_keep_tail(node)

    lines: list[str] = []
    current: list[str] = []

    def end_block() -> None:
        text = _squash(" ".join(current))
        if text:
            lines.append(text)
        current.clear()

    def inline(el: etree._Element) -> str:
        """An element's text with links kept as [text](href) (for headings)."""
        if el.tag == "a" and el.get("href") and _squash(el.text_content()):
            return f"[{_squash(el.text_content())}]({el.get('href')})"
        pieces = [el.text or ""]
        for child in el:
            pieces.append(inline(child) if isinstance(child.tag, str) else "")
            pieces.append(child.tail or "")
        return _squash(" ".join(pieces))

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in HEADING_TAGS:
            end_block()
            lines.append(f"{HEADING_TAGS[tag]} {inline(el)}")
        elif tag == "a" and el.get("href") and _squash(el.text_content()):
            current.append(f"[{_squash(el.text_content())}]({el.get('href')})")
        elif tag == "img" and el.get("alt"):
            current.append(f"![{_squash(el.get('alt'))}]({el.get('src') or ''})")
        else:
            if tag in BLOCK_TAGS:
                end_block()
                if tag == "li":
                    current.append("-")
            if el.text:
                current.append(el.text)
            for child in el:
                walk(child)
            if tag in BLOCK_TAGS:
                end_block()
        if el.tail:
            current.append(el.tail)

    walk(root)
    end_block()
    if title:
        lines.insert(0, f"Title: {title}")
    return "\n\n".join(line for line in lines if line != "-")
