"""XML data documents read as JSON, so one record finder and one JSONPath config serve both.

Meeting portals, ticketing and library systems answer with XML that is neither RSS nor Atom
(`<meetings><meeting id=...><name>...</name><start><date>...</date></start>...`). Rather than a
second selector language, such a document becomes the JSON a person would write for it:

- an element with child elements is an object: its attributes and its children by tag name;
  a tag repeated under one parent is an array (`$.meetings.meeting[*]`);
- an element with text only is its text; its attributes go beside it in the parent as
  `tag@attr` (`<date format="yyyy-mm-dd">` -> `"date": "...", "date@format": "yyyy-mm-dd"`);
- mixed text beside child elements is kept as `#text`; an attribute whose name is also a
  child's tag is kept as `@name`;
- namespace prefixes are dropped (`dc:date` -> `date`); comments and processing instructions
  are not data.

The parser resolves no entities and fetches nothing (no DTDs, no external entities): a feed is
untrusted input.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from famact.feeds.base import FeedError, first_line

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "recover": True,  # exports are often not well-formed (a tag closed twice); read what parses
}


def looks_like_xml(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:512]
    return head.startswith("<") and "<html" not in head.lower()


def xml_document(text: str) -> dict[str, Any]:
    """The XML document as JSON-like data: `{root tag: root value}`; FeedError when no element
    can be read from it. Faults a parser can step over (a stray closing tag) are stepped over,
    as browsers and feed readers do."""
    data = text.lstrip("\ufeff \t\r\n").encode("utf-8")
    if data.startswith(b"<?xml"):
        # The declaration may name another encoding than the text now has: parse as UTF-8.
        end = data.find(b"?>")
        data = data[end + 2 :] if end > 0 else data
    try:
        root = etree.fromstring(data, etree.XMLParser(encoding="utf-8", **_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"invalid XML: {first_line(exc)}") from exc
    if root is None or not isinstance(root.tag, str):
        raise FeedError("invalid XML: no element could be read")
    return {_name(root.tag): _value(root)}


def _name(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _elements(element: Any) -> list[Any]:
    """Child elements (comments and processing instructions are no data)."""
    return [c for c in element if isinstance(c.tag, str)]


def _value(element: Any) -> Any:
    children = _elements(element)
    if not children:
        return (element.text or "").strip()
    out: dict[str, Any] = {}
    grouped: dict[str, list[Any]] = {}
    for child in children:
        name = _name(child.tag)
        value = _value(child)
        grouped.setdefault(name, []).append(value)
        if isinstance(value, str):  # a text-only child: its attributes sit beside it
            for attr, attr_value in child.attrib.items():
                out.setdefault(f"{name}@{_name(attr)}", attr_value)
    for attr, value in element.attrib.items():
        key = _name(attr)
        out[f"@{key}" if key in grouped else key] = value
    for name, values in grouped.items():
        out[name] = values[0] if len(values) == 1 else values
    text = " ".join(t.strip() for t in [element.text, *(c.tail for c in children)] if t and t.strip())
    if text:
        out["#text"] = text
    return out
