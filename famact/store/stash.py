"""Hiding a merged-away entity from every index, reversibly (famact/merge, store/merges.py).

The four indexes are sparse: a row is in an index only while it carries that index's key
attributes. A merged-away entity's rows keep all their data but move their GSI key
attributes into one map attribute, `merged_keys`; every GSI query (search, calendars, the
venue and provider pages) then skips it with no change to the readers, and undo moves the
exact values back. Nothing is deleted.
"""

from __future__ import annotations

from typing import Any

from famact import keys

STASH_ATTR = "merged_keys"  # on every row of a merged-away entity: its GSI keys
MERGED_INTO_ATTR = "merged_into"  # on its METADATA row: the keeper's PK
MERGE_ID_ATTR = "merge_id"  # on its METADATA row: the merge record's id
ALSO_LISTED_ATTR = "also_listed_by"  # on the keeper's METADATA row: every merged source's link
GSI_KEY_ATTRS: tuple[str, ...] = tuple(attr for pair in keys.GSI_ATTRS.values() for attr in pair)
MERGE_ROW_ATTRS: frozenset[str] = frozenset({STASH_ATTR, MERGED_INTO_ATTR, MERGE_ID_ATTR, ALSO_LISTED_ATTR})


def gsi_keys_of(row: dict[str, Any]) -> dict[str, Any]:
    return {attr: row[attr] for attr in GSI_KEY_ATTRS if attr in row}


def hidden_row(
    row: dict[str, Any], *, merged_into: str | None = None, merge_id: str | None = None
) -> dict[str, Any]:
    """The row as a merged-away entity stores it: GSI keys moved into `merged_keys`."""
    stash = gsi_keys_of(row)
    hidden = {k: v for k, v in row.items() if k not in stash}
    hidden[STASH_ATTR] = stash
    if row.get("SK") == keys.METADATA_SK:
        if merged_into:
            hidden[MERGED_INTO_ATTR] = merged_into
        if merge_id:
            hidden[MERGE_ID_ATTR] = merge_id
    return hidden


def keep_merge_state(rows: list[dict[str, Any]], stored: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A re-crawl rewrites an entity's rows: keep what merging recorded on them. A merged-away
    entity stays hidden (its new rows are stashed too); a keeper keeps its other sources."""
    if not stored:
        return rows
    merged_into, merge_id = stored.get(MERGED_INTO_ATTR), stored.get(MERGE_ID_ATTR)
    if merged_into:
        rows = [hidden_row(r, merged_into=str(merged_into), merge_id=str(merge_id or "")) for r in rows]
    also = stored.get(ALSO_LISTED_ATTR)
    if also:
        rows = [{**r, ALSO_LISTED_ATTR: also} if r.get("SK") == keys.METADATA_SK else r for r in rows]
    return rows
