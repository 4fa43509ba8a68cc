"""The facts the rule groups read and the features they fire.

`ListingText` is a listing's text folded once (`fold_words`, typos fixed in the fields that
decide a label) and joined the ways the rules read it; `Features` collects what fired, in
firing order, the first note of a feature kept; `Evidence` is the finished record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from famact.classify.model import ClassifierInput
from famact.classify.titles import HASHTAG
from famact.classify.vocabulary import fix_typos
from famact.classify.weights import WEIGHTS
from famact.normalize.text import fold_words


@dataclass(frozen=True)
class Evidence:
    """The features that fired for a listing, with a short note on what fired each one."""

    features: dict[str, str]

    def __contains__(self, name: object) -> bool:
        return name in self.features


class Features:
    """The features fired so far, each with a short note on what fired it."""

    def __init__(self) -> None:
        self.fired: dict[str, str] = {}

    def fire(self, name: str, note: str = "") -> None:
        if name not in WEIGHTS:  # a typo here would silently drop evidence
            raise KeyError(f"feature {name!r} has no row in WEIGHTS")
        self.fired.setdefault(name, note)

    def drop(self, name: str) -> None:
        """Withdraw a feature a later, more specific fact contradicts."""
        del self.fired[name]

    def __contains__(self, name: object) -> bool:
        return name in self.fired

    def evidence(self) -> Evidence:
        return Evidence(features=self.fired)


_OPEN_ENDED = re.compile(
    r"^\s*(?:ongoing|permanent(?: (?:exhibit|exhibition|collection))?|year[- ]round|all year|always open"
    r"|open year[- ]round|no end date|indefinitely)\s*[.!]?\s*$"
)
# A crawled "description" is sometimes a whole page; its facts sit near the top, and the
# bound keeps one listing near a millisecond whatever the page size.
_MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class ListingText:
    """A listing's fields folded, and the joins the rules read ("timing", "everything")."""

    title: str
    description: str
    date_text: str
    schedule_text: str
    price_text: str
    venue_text: str
    url: str
    label: str  # the site's own label ("camp", "class", "exhibit")
    schema: str  # the schema.org type, folded, spaces removed ("courseinstance")
    timing: str  # date and schedule fields, unless they only say "ongoing"
    everything: str  # title, timing, description, price and age text
    page_role: str = ""  # "list_entry" / "page_subject" when the crawl knows (PageContext)
    site_kind: str = ""  # "venue_site", "aggregator", "library"... when the crawl knows

    @classmethod
    def read(cls, listing: ClassifierInput) -> ListingText:
        title = HASHTAG.sub("", fix_typos(fold_words(listing.title))).strip()
        description = fix_typos(fold_words((listing.description or "")[:_MAX_DESCRIPTION]))
        date_text = fix_typos(fold_words(listing.date_text))
        schedule_text = fix_typos(fold_words(listing.schedule_text))
        price_text = fold_words(listing.price_text)
        # "Ongoing", "Permanent", "Year-round" in a date field name no time of their own.
        timing = " | ".join(t for t in (date_text, schedule_text) if t and not _OPEN_ENDED.match(t))
        body = " | ".join(t for t in (description, price_text, fold_words(listing.age_text)) if t)
        return cls(
            title=title,
            description=description,
            date_text=date_text,
            schedule_text=schedule_text,
            price_text=price_text,
            venue_text=fold_words(listing.venue_text),
            url=fold_words(listing.url),
            label=fold_words(listing.site_label),
            schema=fold_words(listing.structured_type).replace(" ", ""),
            timing=timing,
            everything=" | ".join(t for t in (title, timing, body) if t),
            page_role=(listing.context.page_role or "") if listing.context else "",
            site_kind=(listing.context.site_kind or "") if listing.context else "",
        )
