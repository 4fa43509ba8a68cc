"""What the crawl knows about where the listing sat (`PageContext`): one entry of a list page
or the page's own subject, on what kind of site."""

from __future__ import annotations

from famact.classify.evidence import Features, ListingText

# Sites that are about one place: their list pages list what happens there.
_ONE_PLACE_SITES = ("venue_site", "business", "museum")


def context_features(text: ListingText, features: Features) -> None:
    if text.site_kind not in _ONE_PLACE_SITES:
        return
    if text.page_role == "list_entry":
        features.fire("context-entry-on-place-site", text.site_kind)
    elif text.page_role == "page_subject" and text.site_kind != "museum" and not text.timing:
        # A museum's own pages are often its exhibits (R4); a venue's own undated page is itself.
        features.fire("context-place-own-page", text.site_kind)
