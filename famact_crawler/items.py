"""Item types of the crawl. The spider yields `famact.models.RawListing` (a pydantic model,
which itemadapter supports); the pipelines turn it into a `NormalizedListing` and then an
entity model. They are re-exported here so Scrapy code has one place to import them from."""

from famact.listing import NormalizedListing
from famact.models import EntityBase, RawListing

__all__ = ["EntityBase", "NormalizedListing", "RawListing"]
