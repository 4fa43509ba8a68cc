"""The features of a listing, read by rule group in the order the decision procedure reads them.

`extract_evidence` reads the facts of a listing (title nouns, specific dates and how far a date
range spans, clock start times versus opening-hour ranges, weekly patterns, session counts,
enrollment and drop-in language, place facts such as hours, admission, address and parking,
exhibit/feature words, camp length) into named features, each a row of `WEIGHTS`. The order
matters where a later group reads what an earlier one fired ("hosted-elsewhere", "address").
"""

from __future__ import annotations

from famact.classify.evidence import Evidence, Features, ListingText
from famact.classify.features.camps import camp_features
from famact.classify.features.context import context_features
from famact.classify.features.enrollment import enrollment_features
from famact.classify.features.hosted import hosted_features
from famact.classify.features.nouns import body_features, title_features
from famact.classify.features.place import place_features
from famact.classify.features.shape import shape_features
from famact.classify.features.site import site_features
from famact.classify.features.timing import named_day_features, timing_features
from famact.classify.model import ClassifierInput


def extract_evidence(listing: ClassifierInput) -> Evidence:
    """Read the facts of a listing into named features (the keys of WEIGHTS)."""
    text = ListingText.read(listing)
    features = Features()
    title = title_features(text, features)
    camp = camp_features(text, title, features)
    body_features(text, title, features)
    place_features(text, features)
    hosted_features(text, features)
    timing = timing_features(text, title, camp, features)
    enrollment_features(text, timing, features)
    named_day_features(text, timing, features)
    shape_features(text, title, timing, camp, features)
    site_features(text, features)
    context_features(text, features)
    return features.evidence()
