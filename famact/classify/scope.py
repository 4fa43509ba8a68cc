"""T7: listings that are not activities at all (memberships, passes, gift cards, party packages,
volunteer calls, jobs, ads, donation appeals, newsletters)."""

from __future__ import annotations

import re

from famact.classify.model import ClassifierInput
from famact.normalize.text import fold_words

# Read from the title: a listing that merely mentions a membership discount or gift cards in
# its body is still in scope.
_OUT_OF_SCOPE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gift-card", re.compile(
        r"\bgift ?cards?\b|\bgift certificates?\b|\be-?gift\b|礼品卡|\btarjetas? de regalo\b"
    )),
    ("birthday-party", re.compile(
        r"\bbirthday part(?:y|ies)\b.{0,25}\b(?:packages?|book|booking|rentals?|rooms?|host)\b"
        r"|\b(?:book|plan|host)\b.{0,25}\bbirthday part|^birthday parties$|^(?:private )?party (?:packages"
        r"|rentals)\b"
        r"|生日派对|\bfiestas? de cumpleanos\b"
    )),
    ("membership", re.compile(
        r"^(?:(?:family|annual|individual|household|premium|dual|grandparent) )*members?hips?\b(?!.*\bclass)"
        r"|\bbecome a member\b|\bjoin (?:as a member|today)\b|\bmembership (?:levels|options|benefits"
        r"|pricing)\b"
        r"|\bmembresia\b|会员|\bmembers?hip\s*$"
    )),
    ("pass", re.compile(
        r"\b(?:annual|season|seasonal|summer|winter|day|multi-visit|\d+-visit|unlimited|year"
        r"|family) pass(?:es)?\b(?!\s+holders?)"
        r"|\bpunch ?cards?\b|\b\d+-(?:visit|punch) (?:pass|card)\b|\bpase anual\b|年卡"
    )),
    ("volunteer", re.compile(
        r"\bvolunteers? (?:needed|wanted|opportunit\w*|positions?|application)\b|\bvolunteer (?:with"
        r"|for) us\b"
        r"|\bbecome a volunteer\b|\bcall for volunteers\b|^volunteer(?:ing)?(?: opportunities)?$"
        # A volunteer shift or work day is a call for help, not an activity ("Volunteer Park"
        # is a place: only these nouns after "volunteer" count).
        r"|\bvolunteer (?:call|day|shift|shifts|orientation|work ?party|sign-?up|training)\b"
        r"|\bvoluntari[oa]s\b|志愿者"
    )),
    ("job", re.compile(
        r"\b(?:we'?re|now|are) hiring\b|\bhiring\b|\bjob (?:opening|posting|opportunit\w*)s?\b|\bcareers?\b"
        r"|\bemployment\b|\bjoin our staff\b|\bpositions? (?:available|open)\b|\bempleo\b|招聘"
    )),
    ("ad", re.compile(
        r"^sponsored\b|\bsponsored:|\badvertisement\b|\badvertise (?:with|here)\b|\byour ad here\b"
        r"|^ad:|^promoted\b|\banuncio\b|广告"
    )),
    ("donation", re.compile(
        r"^(?:please )?donate\b|\bdonate (?:today|now|to)\b|\b(?:spring|annual|year-end|holiday"
        r"|fall) appeal\b"
        r"|\bmake a (?:gift|donation)\b|\bsupport (?:us|our work)\b|\bdonaciones\b|^donations?\b|捐款"
    )),
    ("newsletter", re.compile(
        r"\bnewsletter\b|\bsubscribe\b|\bsign up for (?:our )?(?:emails?|updates|e-?news)\b"
        r"|\bmailing list\b|订阅"
    )),
)


def out_of_scope_reason(listing: ClassifierInput) -> str | None:
    """T7: the reason ("membership", "gift-card", ...) when the listing is not an activity."""
    title = fold_words(listing.title)
    for reason, pattern in _OUT_OF_SCOPE:
        if pattern.search(title):
            return reason
    return None
