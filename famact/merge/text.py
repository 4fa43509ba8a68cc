"""Titles and venue names as the duplicate matcher compares them.

Sources word the same activity differently: "Toddler Storytime at Ballard Library 🐻",
"TODDLER STORY TIME - Ballard Branch", "Toddler Storytime (ages 1-3)". The matching form
folds case, accents, punctuation and emoji (famact.normalize.text.fold), joins the usual
split compounds ("story time"), drops a trailing "at <venue>" part and calendar words (the
date belongs to the time match, not the title match).
"""

from __future__ import annotations

import re

from famact.normalize.text import fold


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say where, not what: a tail that contains one ("at Ballard Library") is a place.
VENUE_WORDS = _wordlist(
    """
    library branch park museum center centre zoo aquarium theater theatre hall school church
    playground pool studio gallery market garden gardens community campus room auditorium arena
    field plaza pavilion
    """
)
# Parts of venue names that every second venue has: they say nothing about which venue.
GENERIC_VENUE = _wordlist(
    """
    the of and at a for in on to with by public library branch seattle spl kcls king county wa
    city center centre community
    """
)
_CALENDAR = _wordlist(
    """
    mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday
    saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec january february march
    april may june july august september october november december am pm
    """
)
_FILLER = frozenset(["the", "a", "an", "and", "of", "for", "with", "in", "on", "at", "to"])
_COMPOUNDS = (
    (re.compile(r"\bstory ?times?\b"), "storytime"),
    (re.compile(r"\bsing ?alongs?\b"), "singalong"),
    (re.compile(r"\bplay ?times?\b"), "playtime"),
    (re.compile(r"\bplay ?groups?\b"), "playgroup"),
    (re.compile(r"\bwork ?shops?\b"), "workshop"),
    (re.compile(r"\bstorytimes\b"), "storytime"),
    (re.compile(r"\bkids?\b|\bchildren'?s?\b|\bchildrens\b"), "kids"),
    (re.compile(r"\s*[&+]\s*"), " and "),
)
# One word in its long and short forms: ordinals spelled out or in digits ("Fourth of July" /
# "4th of July") and the abbreviations of place names ("Lynnwood Rec Center").
_SAME_WORD = {
    "rec": "recreation",
    "ctr": "center",
    "cntr": "center",
    "mt": "mount",
    "natl": "national",
    "elem": "elementary",
    "lib": "library",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
# Where a title's place tail starts: " at ", " @ ", " - ", " | ", " – ", "(".
_TAIL = re.compile(r"\s+(?:at|@|-|\||:)\s+|\s*\(")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CLOCK = re.compile(r"^\d{1,2}(?::\d{2})?(?:am|pm)?$|^\d{1,2}(?:am|pm)$")
_STREET_WORDS = {
    "avenue": "ave",
    "av": "ave",
    "street": "st",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "place": "pl",
    "way": "way",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "court": "ct",
    "lane": "ln",
    "parkway": "pkwy",
    "highway": "hwy",
    "wy": "way",
}
# Words that say who the activity is for: two titles naming different audiences are two
# sessions ("Baby Storytime" / "Toddler Storytime"), however alike the rest.
AUDIENCE = _wordlist(
    """
    baby babies infant infants toddler toddlers preschool preschoolers tween tweens teen teens
    adult adults grownup grownups sensory bilingual spanish chinese mandarin cantonese
    vietnamese korean japanese russian somali amharic asl
    """
)
# Words of a post about an activity rather than of the activity: blogs wrap the title in them.
CHATTER = _wordlist(
    """
    our my we your this these that review honest take guide pick picks best top tips new fun
    favorite favourite edition week weekend today tonight tomorrow free go get out here there is
    are it its why how what where who you yes love loved really so opens reopens starts begins
    returns coming everything need know worth survival ultimate complete ranked
    """
)

# Words of a post about going somewhere ("A rainy day at the zoo"): no activity of their own.
VISIT = _wordlist(
    """
    day days visit visiting trip outing afternoon morning evening adventure adventures exploring
    rainy sunny family families
    """
)
# What kind of place a title names, by its head noun (the last such word: "Seattle Aquarium's
# Ocean Pavilion" names a pavilion). Water play is one kind however it is called.
_FACILITY_KINDS = (
    ("water play", r"splash\s+pads?|spray\s*(?:parks?|grounds?|playgrounds?|pads?)|wading\s+pools?"),
    ("pool", r"pools?|aquatic\s+cent(?:er|re)s?|natatorium"),
    ("playground", r"playgrounds?|play\s*grounds?"),
    ("park", r"parks?"),
    ("pavilion", r"pavilions?"),
    ("garden", r"gardens?|conservatory|arboretum"),
    ("farm", r"farms?"),
    ("zoo", r"zoo"),
    ("aquarium", r"aquarium"),
    ("museum", r"museum"),
    ("library", r"library|branch"),
    ("carousel", r"carousel"),
    ("beach", r"beach"),
    ("rink", r"rinks?"),
)
_FACILITY = re.compile(
    r"\b(?:" + "|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(_FACILITY_KINDS)) + r")\b",
    re.IGNORECASE,
)
# " at ", " in ": what follows says where the title's subject is ("Butterfly House in Riverside Park").
INSIDE = re.compile(r"\s+(?:at|in|inside|@)\s+", re.IGNORECASE)


def facility_kinds(title: str | None) -> frozenset[str]:
    """The kinds of place a title names by its head noun, with the ones joined to it ("Zoo &
    Aquarium", "Park and Playground"); none for "WildLanterns at Woodland Park Zoo", whose words
    after "at" say where, not what."""
    # before " at " or a parenthesis: "Colman Pool (Lincoln Park)" names a pool
    head = re.split(r"\s*\(", INSIDE.split(title or "", maxsplit=1)[0], maxsplit=1)[0]
    found = list(_FACILITY.finditer(head))
    kinds: set[str] = set()
    for match, after in zip(reversed(found), [None, *reversed(found)], strict=False):
        if after is not None and not re.fullmatch(r"\s*(?:and|&|\+|,)\s*", head[match.end() : after.start()]):
            break
        kinds.add(_kind_of(match))
    return frozenset(kinds)


def _kind_of(match: re.Match[str]) -> str:
    """The kind of place a match of `_FACILITY` names (its group k<i> is kind i)."""
    group = next(name for name, value in match.groupdict().items() if value)
    return _FACILITY_KINDS[int(group[1:])][0]


def ending_facility(title: str | None) -> str | None:
    """The kind of place a title's head (before " at ", " - ", ":", "(") ends with ("Winterfest
    Ice Rink at Seattle Center" -> "rink"), or None ("Toddler Time: Tide Pool Tots", "Third
    Thursday - Harbor History Museum")."""
    head = _TAIL.split(INSIDE.split(title or "", maxsplit=1)[0], maxsplit=1)[0].rstrip(" !.,:;-")
    found = list(_FACILITY.finditer(head))
    if not found or found[-1].end() != len(head):
        return None
    return _kind_of(found[-1])


# A race is entered on its own, with its own start: "Salmon Days Run 5K & Kids Dash" or "Fry
# Dash" is not the festival it is run at. A parade is for the admin too: one can march in it and
# it has its own hour, and writers disagree whether it is part of its festival or an activity of
# its own. A title that joins it to more ("Solstice Parade & Fair", "parade + fireworks") is the whole.
_RACE = re.compile(
    r"\b(?:\d{1,2}\s?k|fun\s+run|run\s*/\s*walk|dash|(?:half\s+)?marathon|triathlon|duathlon)\b",
    re.IGNORECASE,
)
_PARADE = re.compile(r"\bparade\b", re.IGNORECASE)
_JOINED_PARADE = re.compile(
    r"(?i)\bparade\s*(?:&|\+|,|\band\b)|(?:&|\+|\band\b)\s*(?:the\s+)?(?:\w+\s+)?parade\b"
)


def is_race_or_parade(title: str | None) -> bool:
    text = title or ""
    return bool(_RACE.search(text)) or bool(_PARADE.search(text) and not _JOINED_PARADE.search(text))


# US state codes: "Everett, WA" or "Bellevue WA 98004" is the city "Everett" or "Bellevue".
_STATES = _wordlist(
    """
    al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj
    nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy washington
    """
)
_ZIP = re.compile(r"\s+\d{5}(?:-\d{4})?$")


def city_key(value: str | None) -> str | None:
    """A city as the matcher compares it: folded, without a state or zip code after it
    ("Everett, WA" / "Bellevue WA 98004" / "everett" are "everett" / "bellevue"); None when
    unknown."""
    text = " ".join(fold(value or "", plain=True).replace("-", " ").split(",")[0].split())
    text = _ZIP.sub("", text)
    parts = text.split()
    if len(parts) > 1 and parts[-1] in _STATES:
        text = " ".join(parts[:-1])
    return text if text and text != "unknown" else None


def words(text: str | None, *, compounds: bool = True) -> list[str]:
    """Folded (accents, case, dashes) words of letters and digits; emoji and punctuation gone;
    the usual split compounds joined (unless `compounds=False`: initials need the words)."""
    folded = fold(text, plain=True).replace("'", "")
    for pattern, replacement in _COMPOUNDS if compounds else _COMPOUNDS[-1:]:
        folded = pattern.sub(replacement, folded)
    return [_SAME_WORD.get(w, w) for w in _NON_WORD.split(folded) if w]


def _is_place_tail(tail: str, place_words: set[str]) -> bool:
    """A tail names a place by a venue word ("at Ballard Library"), or by the listing's own
    venue or city words with nothing else ("- Kirkland"); "- Kirkland Tree Lighting" names an
    activity that carries the city's name, and stays."""
    tail_words = set(words(tail))
    if tail_words & VENUE_WORDS:
        return True
    rest = {w for w in tail_words - place_words - GENERIC_VENUE - _FILLER - _CALENDAR if not _CLOCK.match(w)}
    return bool(tail_words & place_words) and not rest


def title_words(title: str | None, *, venue_name: str | None = None, city: str | None = None) -> list[str]:
    """The words of a title that say what the activity is.

    A tail after " at ", " @ ", " - ", " | " or "(" is cut, with all after it, when its first
    part names a place (a venue word, or the listing's own venue or city words alone);
    calendar words and clock times go.
    """
    text = title or ""
    place_words = (set(words(venue_name)) | set(words(city))) - GENERIC_VENUE - _FILLER
    separators = list(_TAIL.finditer(text))
    for match, after in zip(separators, [*separators[1:], None], strict=False):
        # the tail's first part, up to the next separator: "at Point Defiance (Ages 6-9)" is a
        # place and then an age range
        head, tail = text[: match.start()], text[match.end() : after.start() if after else None]
        if words(head) and _is_place_tail(tail, place_words):
            text = head
            break
    kept = [
        w
        for w in words(text)
        if w not in _CALENDAR and not _CLOCK.match(w) and not re.fullmatch(r"20\d\d", w)
    ]
    return kept or words(title)


_HEAD = re.compile(r"\s*:\s+|\s+[-\u2013\u2014|]\s+")


def title_head(title: str | None) -> str | None:
    """The part of "Name: a tagline" or "Name - a tagline" before the first separator, or None
    when the title has none ("Peter Kirk Pool: outdoor swimming in Kirkland" -> "Peter Kirk Pool")."""
    parts = _HEAD.split(title or "", maxsplit=1)
    return parts[0] if len(parts) == 2 and parts[0].strip() else None


def title_key(title: str | None, *, venue_name: str | None = None, city: str | None = None) -> str:
    """Title words without filler words, joined: the string the similarity is measured on."""
    kept = [w for w in title_words(title, venue_name=venue_name, city=city) if w not in _FILLER]
    return " ".join(kept)


def rejoin(key: str, other_words: set[str]) -> str:
    """A title's words with two neighbours joined where the other title writes them as one
    word ("wild lanterns" against "wildlanterns", "bounce house" against "bouncehouse")."""
    out: list[str] = []
    for word in key.split():
        if out and out[-1] + word in other_words and out[-1] not in other_words:
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def rejoin_set(found: set[str], other_words: set[str]) -> set[str]:
    """`rejoin` for sets of words (their order is gone): any two that the other joins."""
    out = set(found)
    for x in found:
        for y in found:
            if x != y and x + y in other_words and x not in other_words and y not in other_words:
                out -= {x, y}
                out.add(x + y)
    return out


def content_words(title: str | None, *, venue_name: str | None = None, city: str | None = None) -> set[str]:
    """The title's words that name the activity: no filler, no chatter, and (when other words
    are left) none of its own venue's or city's words ("Marble runs at Mill Creek library this
    Sat" -> {"marble", "runs"})."""
    kept = set(title_key(title, venue_name=venue_name, city=city).split()) - _FILLER - CHATTER
    place = set(words(venue_name)) | set(words(city)) | VENUE_WORDS
    return (kept - place) or kept


def audience(title: str | None) -> set[str]:
    found = set(words(title)) & AUDIENCE
    return {w.rstrip("s") if w not in ("sensory",) else w for w in found} - {"babie"} | (
        {"baby"} if {"babies"} & found else set()
    )


def is_abbreviation(short: str | None, long: str | None) -> bool:
    """ "MOHAI" / "Museum of History & Industry", "SCT" / "Seattle Children's Theatre",
    "PacSci" / "Pacific Science Center": the initials, or the starts, of the long name (a
    generic word or the city after the short one is no part of it: "MOHAI Seattle")."""
    short_words, long_words = words(short, compounds=False), words(long, compounds=False)
    # "PacSci Seattle": the abbreviation with the city or a generic word after it (but
    # "Ballard Library" is no abbreviation of "Ballard Park": its word is one of the long name's)
    distinctive = [w for w in short_words if w not in GENERIC_VENUE]
    if len(distinctive) == 1 and distinctive[0] not in long_words:
        short_words = distinctive
    if len(short_words) != 1 or len(long_words) < 2:
        return False
    target = short_words[0]
    if len(target) < 2:
        return False
    initials = "".join(w[0] for w in long_words)
    if initials.startswith(target) and len(target) >= 3:
        return True

    def starts(rest: str, i: int) -> bool:
        if not rest:
            return True
        if i >= len(long_words):
            return False
        word = long_words[i]
        for n in range(min(len(word), len(rest)), 0, -1):
            if rest.startswith(word[:n]) and starts(rest[n:], i + 1):
                return True
        return starts(rest, i + 1) if word in GENERIC_VENUE else False

    return len(target) >= 4 and starts(target, 0)


def venue_words(name: str | None) -> set[str]:
    """The distinctive words of a venue name ("Ballard Branch, The Seattle Public Library"
    -> {"ballard"}); the generic ones are kept when nothing else is left."""
    all_words = set(words(name))
    return (all_words - GENERIC_VENUE) or all_words


_DIRECTIONS = frozenset(("n", "s", "e", "w", "ne", "nw", "se", "sw"))


def streets_match(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Two street keys name one address: equal, or equal but for a direction only one of them
    writes ("802 Mukilteo Blvd" / "802 E Mukilteo Blvd"). "N 50th St" / "S 50th St" differ."""
    if a == b:
        return True
    if a[0] != b[0]:
        return False
    words_a, words_b = a[1].split(), b[1].split()
    dirs_a, dirs_b = [w for w in words_a if w in _DIRECTIONS], [w for w in words_b if w in _DIRECTIONS]
    if dirs_a and dirs_b:
        return False
    return [w for w in words_a if w not in _DIRECTIONS] == [w for w in words_b if w not in _DIRECTIONS]


def street_key(address: str | None) -> tuple[str, str] | None:
    """(house number, street words) of an address, abbreviations folded ("5614 22nd Avenue
    Northwest" -> ("5614", "22nd ave nw")); None when it has no leading house number."""
    parts = words((address or "").split(",")[0])
    if len(parts) < 2 or not parts[0].isdigit():
        return None
    street: list[str] = []
    for raw in parts[1:]:
        word = _STREET_WORDS.get(raw, raw)
        # "N.W." reads as "n", "w": rejoin the letters of a direction
        if street and word in ("e", "w") and street[-1] in ("n", "s"):
            street[-1] += word
            continue
        street.append(word)
    return parts[0], " ".join(street)
