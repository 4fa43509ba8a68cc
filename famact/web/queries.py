"""URL query parameters -> `SearchQuery`: one mapping shared by the API, the pages and the
calendar feed, so all three accept the same filters with the same errors."""

from __future__ import annotations

from collections.abc import Mapping

from famact.search import SearchQuery
from famact.store.errors import ValidationError

# URL name -> SearchQuery field.
PARAMS = {
    "q": "q",
    "type": "entity_type",
    "region": "region",
    "city": "city",
    "category": "category",
    "age_group": "age_group",
    "date_from": "date_from",
    "date_to": "date_to",
    "venue": "venue_id",
    "provider": "provider_id",
    "free": "free_only",
    "limit": "limit",
    "cursor": "cursor",
}


def search_query(params: Mapping[str, str], **fixed: object) -> SearchQuery:
    """Unknown names and repeated names are refused; `fixed` fields override the URL's."""
    values: dict[str, object] = {}
    for name, value in params.items():
        field = PARAMS.get(name)
        if field is None:
            raise ValidationError(name, value, "is not a search parameter")
        values[field] = value
    values.update(fixed)
    return SearchQuery(**values)  # type: ignore[arg-type]
