"""A listing title read the way a crawler finds it: its subject and the place that hosts it.

Site badges ("[FULL]", "SOLD OUT -", "NEW!", "Register Now:", "| City of Bellevue") are
dropped, and when one segment of a title names a place and another names something else
("Woodland Park Zoo: Penguin Encounter", "Baby Lapsit - Sammamish Library", "Woodland Park
Rose Garden") the place is the host, not the subject. Titles arrive folded
(`famact.normalize.text.fold_words`).
"""

from __future__ import annotations

import re

from famact.classify.vocabulary import LOCALITIES, NOUN_PATTERNS, noun_hits

_TITLE_PREFIX = re.compile(r"^(?:[\w' ]{0,25}\bpicks?|weekend pick|rainy day pick|camp pick)\s*:\s*")
HASHTAG = re.compile(r"(?<!\w)#\w+")
# "Glow in the Dark", "Once in the Sea"-style phrases are not "X held in the Y".
_IDIOM_IN_THE = re.compile(r"\b(?:glow|lights?|stars?) in the (?:dark|sky|night)\b")
_TITLE_AT = re.compile(
    r"\s(?:at|@|inside|in the|en|en el|en la|tai|del(?= (?:parque|museo|zoologico|zoo|acuario|centro"
    r"|jardin|biblioteca)\b))\s(?=\S)"
)
# Aggregator teasers put a verb before the subject: "Don't miss ...", "Hit the slopes at ...".
_LEAD_IN = re.compile(
    r"^(?:don'?t miss|do not miss|check out|head (?:over )?to|hit the \w+ (?:at|in)|rainy day\?"
    r"(?: head to)?)\s*:?\s+(?:(?:the|a|an) )?"
)
# "The zoo's new rhino reserve", "Woodland Park Zoo's WildLights": the possessor is the host and
# what follows is the subject. Only split when the possessor names a place.
_POSSESSIVE_HOST = re.compile(
    r"^(?P<host>(?:the )?[\w -]{2,40}?)'s\s+(?:(?:new|newest|brand-new|popular|famous|beloved|giant|annual"
    r"|year-round|indoor|outdoor|first|latest)\s+)*(?P<subject>\S.*)$"
)


# After a noun, these make it the owner or the host of what follows, not the subject:
# "Seattle Center's playground", "水族馆内的触摸池", "수족관의 터치풀".
POSSESSOR_AFTER = re.compile(r"'s\b|\s?(?:内|的|里|의)")
HEAD_FIRST = re.compile(
    r"^(?:clases?|campamento|exposicion|exhibicion|biblioteca|museo|programa|noche|taller|hora|jardin|parque"
    r"|zona|area|sala|fuente|juegos"
    r"|centro|fiesta|feria|mercado|curso|lop|le hoi|hoi cho|cong vien|khu vui choi|trien lam|thu vien"
    r"|bao tang|khoa hoc|ho boi|trung tam)\b"
)


# Crawled titles carry the site's badges and labels around the name: "[FULL] ...", "SOLD OUT -
# ...", "NEW! ...", "Register Now: ...", "Event: ...", "... | City of Bellevue". They say nothing
# about what the listing is (the enrollment words in them are still read from the whole title).
_SITE_NOISE_HEAD = re.compile(
    r"^(?:\[[^\]]{1,40}\]\s*"
    r"|\((?:sold out|full|cancell?ed|postponed|waitlist|new|updated|rescheduled)\)\s*"
    r"|(?:sold out|full|cancell?ed|postponed|waitlist(?:ed)?|rescheduled|new|updated|last chance"
    r"|few spots left|almost full|limited (?:spots|space)|just added|featured|register now"
    r"|registration(?: is)? open|sign up now|book now|tickets on sale|event|venue|location(?: details)?)"
    r"\s*(?:[!:|]+|-)\s+)+"
)
_SITE_NOISE_TAIL = re.compile(
    r"\s+\|\s+(?:city of|town of|kcls\b|king county library|[\w .'&]+ parks (?:&|and) rec)[^|]*$"
)
# A title made of segments ("Woodland Park Zoo: Penguin Encounter", "Baby Lapsit - Sammamish
# Library", "Upper Deck | Snoqualmie Falls Park"): one segment may name the host place and
# another the subject. Folding has already turned every dash into "-".
_SEGMENT = re.compile(r"\s+[-|]\s+|:\s+")
_AT_LEAD = re.compile(r"^(?:at|@|inside|in) (?:the )?")
# A segment after "Host:" that is a part of the host's site, not something at the host.
_PAGE_SECTION = re.compile(
    r"\b(?:visit|visiting|hours|admission|tickets?|directions|about|location|contact|info|information"
    r"|faq|plan|prices?|rates|home|overview|welcome|now open|closed|reopen\w*|things to do|what'?s on"
    r"|calendar|explore|guide|amenities|facilities|map|parking|accessibility|gallery hours)\b"
)


def _head_kind(text: str) -> tuple[str | None, set[str]]:
    """The kind of a segment's head noun and every kind it names."""
    hits = noun_hits(text)
    if not hits:
        return None, set()
    head = hits[0] if HEAD_FIRST.match(text) else hits[-1]
    return head[2], {kind for _, _, kind in hits}


def _segment_host(title: str) -> tuple[str, str] | None:
    """(subject, host) when one segment of the title names a place and the others do not."""
    separators = list(_SEGMENT.finditer(title))
    if not separators:
        return None
    segments: list[str] = []
    start = 0
    for match in separators:
        segments.append(title[start : match.start()].strip())
        start = match.end()
    segments.append(title[start:].strip())
    read = [_head_kind(_AT_LEAD.sub("", segment)) for segment in segments]
    hosts = [i for i, (head, _) in enumerate(read) if head == "place"]
    if len(hosts) != 1:
        return None
    index = hosts[0]
    others = [segment for i, segment in enumerate(segments) if i != index and segment]
    if not others:
        return None
    kinds: set[str] = set()
    for i, (_, seen) in enumerate(read):
        if i != index:
            kinds |= seen
    subject = " - ".join(others)
    if "place" in kinds or _PAGE_SECTION.search(subject):
        return None
    if kinds & {"feature", "seasonal", "event", "program", "class", "garden"}:
        return subject, segments[index]
    # "Kelsey Creek Farm: Pony & Goat Barn": after "Host:", a name of two or more words that is
    # neither a town nor a page of the host's site is something at the host.
    if (
        not kinds
        and index == 0
        and separators[0].group(0).startswith(":")
        and len(subject.split()) >= 2
        and not any(subject.strip(" !.") == town for town in LOCALITIES)
    ):
        return subject, segments[index]
    return None


def _modifier_host(title: str) -> tuple[str, str] | None:
    """"Woodland Park Rose Garden", "Carkeek Park Playground": a feature named after its host.

    When the head noun is a feature, a garden or a seasonal offering and a place noun comes
    before it, the place is the host and the rest is the subject.
    """
    hits = noun_hits(title)
    if len(hits) < 2 or HEAD_FIRST.match(title) or hits[-1][2] not in ("feature", "garden", "seasonal"):
        return None
    places = [end for _, end, kind in hits[:-1] if kind == "place"]
    if not places or any(kind == "place" for _, _, kind in hits[hits.index(hits[-1]) :]):
        return None
    subject = title[places[-1] :].strip(" -:|,")
    if not subject or POSSESSOR_AFTER.match(title, places[-1]):
        return None
    return subject, title[: places[-1]].strip()


def title_parts(title: str) -> tuple[str, str]:
    """Split a folded title into its subject and the place it names ("X at Y" -> X, Y)."""
    title = _TITLE_PREFIX.sub("", HASHTAG.sub("", title)).strip()
    title = _SITE_NOISE_HEAD.sub("", title).strip() or title
    title = _SITE_NOISE_TAIL.sub("", title).strip() or title
    title = _LEAD_IN.sub("", title).strip() or title
    title = _IDIOM_IN_THE.sub(lambda m: m.group(0).replace(" in the ", " in-the "), title)
    match = _TITLE_AT.search(title)
    if match and match.start() > 2:
        subject, host = title[: match.start()], title[match.end() :]
        host_hits = noun_hits(host)
        if (
            not noun_hits(subject)
            and host_hits
            and host_hits[-1][2] in ("feature", "seasonal")
            and not re.match(r"(?:the|our|a|an) ", host)
        ):
            # "Artists at Play Playground": the "at" sits inside a name ("at the carousel"
            # would name a host); the whole title is the subject.
            return title, ""
        return subject, host
    possessive = _POSSESSIVE_HOST.match(title)
    if possessive and NOUN_PATTERNS["place"].search(possessive.group("host")):
        return possessive.group("subject"), possessive.group("host")
    return _segment_host(title) or _modifier_host(title) or (title, "")


# Typos in the words that decide a label ("exibit", "sesion", "dispaly", "libary"). Each key
# word spawns its one-letter deletions and adjacent swaps, never touching the first or the
# last letter (few typos do; that keeps "heater" from reading as "theater", "light" as
