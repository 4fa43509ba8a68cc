"""JSON APIs: `feed.records` (JSONPath) finds the array of records, `feed.fields` maps each
record to listing fields with JSONPaths relative to the record.

An XML data document (not RSS or Atom) is read the same way, as the JSON of
`famact.feeds.xmldata`: one record finder and one selector language for both."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from famact.feeds.base import FeedError, FeedRecords, looks_like_html, text_of
from famact.feeds.xmldata import looks_like_xml, xml_document
from famact.models import FeedConfig, compile_jsonpath


def load_document(body: bytes | str) -> Any:
    """The JSON document, or an XML one as JSON; FeedError when it is neither."""
    text = text_of(body)
    if looks_like_html(text):
        raise FeedError("not a JSON API: the URL answered with an HTML page")
    if looks_like_xml(text):
        return xml_document(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc


def parse_json(body: bytes | str, feed: FeedConfig, base_url: str) -> FeedRecords:
    document = load_document(body)
    records = [m.value for m in compile_jsonpath(feed.records or "$[*]").find(document)]
    if len(records) == 1 and isinstance(records[0], list):
        records = records[0]  # `$.events` named the array itself, not its members
    paths = {name: compile_jsonpath(spec.query) for name, spec in feed.fields.items()}
    result = FeedRecords()
    for record in records:
        if not isinstance(record, dict):
            result.skipped["not_an_object"] += 1
            continue
        fields = {name: _value(path, record, feed.fields[name].multiple) for name, path in paths.items()}
        if fields.get("url"):
            fields["url"] = urljoin(base_url, str(fields["url"]))
        result.add(fields, feed.max_items)
    if feed.next:
        found = [
            m.value
            for m in compile_jsonpath(feed.next).find(document)
            if isinstance(m.value, str) and m.value
        ]
        result.next_url = urljoin(base_url, found[0]) if found else None
    return result


def _value(path: Any, record: dict[str, Any], multiple: bool) -> str | None:
    values = [_text(m.value) for m in path.find(record)]
    values = [v for v in values if v]
    if not values:
        return None
    return " | ".join(values) if multiple else values[0]


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""  # a nested object is not a field's text; name a path into it
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)
