"""T1: a camp's length decides it almost alone (one day: EVENT; several days: PROGRAM)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from famact.classify.evidence import Features, ListingText
from famact.classify.features.nouns import TitleFacts
from famact.classify.features.timing import WEEKDAY_RANGE
from famact.normalize.date_facts import read_dates

# "ZooCamp", "ArtCamp", "DayCamp" are camps too ("scamp", "campus", "campground" are not).
_CAMP = re.compile(r"\b(?:[a-z]{2,12})?camps?\b|campamento|夏令营|冬令营|训练营|캠프|\btrai he\b")
_CAMP_ONE_DAY = re.compile(
    r"\bone[- ]day\b|\b1[- ]day\b|\bsingle[- ]day\b|no[- ]school day|\bpd day\b|professional development day"
    r"|\bcamp day\b|\bday off\b|in-?service day|teacher work day|\bone day only\b|\bun dia\b"
)
_CAMP_MULTI = re.compile(
    r"\bweek(?:s|-long|long)?\b|\ball week\b|\bovernight\b|\bsessions?\b|\bsemana\b|\bmonday-friday\b"
    r"|\b(?:two|three|four|five|2|3|4|5|6|7|8|9|10)[- ](?:days?|mornings|afternoons|evenings|nights)\b"
    r"|\b(?:[2-9]|10)-day\b|\ball summer\b|\bmonday\W+friday\b|\blunes a viernes\b|\beach day\b|\bevery day\b"
    r"|\bdaily\b|\bboth days\b"
)
# A listing whose title names no camp may say so first thing: "A gentle half-day camp of stories
# ...", "This week-long camp ..." (the description's lead names what the listing is).
_LEAD_CAMP = re.compile(r"^(?:a|an|this)\s+(?:[\w'-]+\s+){0,3}camps?\b(?!\s*(?:site|ground|store|shop)s?\b)")

# Sites file camps under a path of their own: ".../camps/archery-and-outdoor-skills/".
_URL_CAMP = re.compile(r"/(?:[a-z0-9]+-)*camps?(?:/|-|$)")


def _path(url: str) -> str:
    return urlsplit(url).path.lower() if url else ""


def camp_features(text: ListingText, title: TitleFacts, features: Features) -> bool:
    """Fire the camp-length feature of a camp; False when the listing is no camp."""
    if not (
        _CAMP.search(title.subject)
        or text.label == "camp"
        or _LEAD_CAMP.match(text.description)
        or _URL_CAMP.search(_path(text.url))
    ):
        return False
    dates = read_dates(text.timing + " | " + text.description + " | " + text.title)
    multi_text = " | ".join((text.title, text.timing, text.description, text.price_text))
    if _CAMP_ONE_DAY.search(multi_text) and not (dates.max_span >= 1 or dates.count >= 2):
        features.fire("camp-one-day", "one-day wording")
    elif (
        dates.max_span >= 1
        or dates.count >= 2
        or WEEKDAY_RANGE.search(multi_text)
        or _CAMP_MULTI.search(multi_text)
    ):
        features.fire("camp-multi-day", f"span={dates.max_span},dates={dates.count}")
    elif dates.count == 1:
        features.fire("camp-one-day", "single date")
    else:
        features.fire("camp-length-unknown")
    return True
