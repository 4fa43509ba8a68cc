"""Paginated GSI queries with opaque cursors.

A query may run in phases (e.g. the dated part of location-date-index, then its `ONGOING`
part); the cursor records the phase and DynamoDB's LastEvaluatedKey, as urlsafe base64 JSON.
It also carries a fingerprint of the query, so a cursor from one query cannot silently page
through another. Cursors come from clients (URLs), so decoding validates every part and
raises a ValueError naming `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from famact.store.dynamo import from_item
from famact.store.errors import ValidationError

CURSOR_VERSION = 1
MAX_CURSOR_CHARS = 8_192
MAX_LIMIT = 1_000


@dataclass
class Page:
    items: list[dict[str, Any]]
    cursor: str | None
    scanned: int = 0  # items DynamoDB evaluated (ScannedCount): what the page cost to read
    # The cursor that resumes right after items[n - 1], for a reader that uses only part of
    # the page (`cursor_after`).
    resume: Callable[[int], str] | None = field(default=None, repr=False, compare=False)

    def cursor_after(self, n: int) -> str | None:
        """Resume after the first `n` items: `cursor` when the page is used up."""
        if n < 1:
            raise ValueError("cursor_after: n must be at least 1")
        if n >= len(self.items) or self.resume is None:
            return self.cursor
        return self.resume(n)


def fingerprint(*parts: Any) -> str:
    """A short hash of a query's parameters, stored in its cursors."""
    text = json.dumps([str(p) if p is not None else None for p in parts], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def encode_cursor(state: dict[str, Any]) -> str:
    raw = json.dumps({"v": CURSOR_VERSION, **state}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, *, expected_fingerprint: str) -> dict[str, Any]:
    """The state of a cursor made by `encode_cursor` for the same query; ValueError otherwise."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise ValidationError("cursor", cursor, "not a cursor returned by this query")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValidationError("cursor", cursor, "not valid base64 JSON") from exc
    if not isinstance(state, dict) or state.get("v") != CURSOR_VERSION:
        raise ValidationError("cursor", cursor, "unknown cursor version")
    if state.get("f") != expected_fingerprint:
        raise ValidationError("cursor", cursor, "belongs to a different query")
    return state


def check_limit(limit: int, *, maximum: int = MAX_LIMIT) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= maximum:
        raise ValidationError("limit", limit, f"must be an integer from 1 to {maximum}")
    return limit


def _check_key(value: Any, allowed: frozenset[str], cursor: str) -> dict[str, str] | None:
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or not value
        or not set(value) <= allowed
        or not all(isinstance(v, str) and v for v in value.values())
    ):
        raise ValidationError("cursor", cursor, "malformed position")
    return value


def paged_query(
    table: Any,
    phases: Sequence[dict[str, Any]],
    *,
    limit: int,
    cursor: str | None,
    query_fingerprint: str,
    key_attrs: frozenset[str],
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> Page:
    """Run `phases` (Table.query kwargs) in order until `limit` items are collected.

    `Limit` is always the number still wanted, so no page ever reads past what it returns
    and the LastEvaluatedKey is an exact resume point. `keep` drops rows after the read
    (e.g. expired operations rows); DynamoDB FilterExpressions in the phases do the same
    server-side. Items come back as plain Python values (`from_item`).
    """
    check_limit(limit)
    phase: int = 0
    start_key: dict[str, Any] | None = None
    if cursor is not None:
        state = decode_cursor(cursor, expected_fingerprint=query_fingerprint)
        given = state.get("p")
        if not isinstance(given, int) or isinstance(given, bool) or not 0 <= given < len(phases):
            raise ValidationError("cursor", cursor, "malformed phase")
        phase = given
        start_key = _check_key(state.get("k"), key_attrs, cursor)
    items: list[dict[str, Any]] = []
    item_phases: list[int] = []
    scanned = 0
    while phase < len(phases):
        kwargs = dict(phases[phase])
        kwargs["Limit"] = limit - len(items)
        if start_key:
            kwargs["ExclusiveStartKey"] = start_key
        response = table.query(**kwargs)
        rows = response.get("Items", [])
        scanned += int(response.get("ScannedCount", len(rows)))
        for row in rows:
            plain = from_item(row)
            if keep is None or keep(plain):
                items.append(plain)
                item_phases.append(phase)
        start_key = response.get("LastEvaluatedKey")
        if start_key is None:
            phase, start_key = phase + 1, None
        if len(items) >= limit:
            break

    def resume(n: int) -> str:
        # An item's own keys are an exact ExclusiveStartKey for the rest of its phase.
        last = items[n - 1]
        key = {k: last[k] for k in key_attrs if k in last}
        return encode_cursor({"f": query_fingerprint, "p": item_phases[n - 1], "k": key})

    if phase >= len(phases):
        return Page(items=items, cursor=None, scanned=scanned, resume=resume)
    next_key = from_item(start_key) if start_key else None
    return Page(
        items=items,
        cursor=encode_cursor({"f": query_fingerprint, "p": phase, "k": next_key}),
        scanned=scanned,
        resume=resume,
    )
