"""Data feeds read as listings: ICS, RSS/Atom and JSON APIs (data before markup).

Each parser turns a feed's bytes into the same raw field dicts the HTML extraction fills
(`RAW_FIELDS`: title, description, date, end_date, venue, url ...), so the validate,
normalize, classify and store pipelines apply unchanged. A feed that cannot be read raises
`FeedError` with a one-line reason; one record without a title or a date is skipped and
counted, never a crash.
"""

from famact.feeds.base import FeedError, FeedRecords

__all__ = ["FeedError", "FeedRecords"]
