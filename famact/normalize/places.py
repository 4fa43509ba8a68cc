"""Where: US street addresses, and the (city, region) slugs search is keyed on.

`parse_address` splits "1400 S Lane St, Seattle, WA 98144" (one line or several, with or
without commas) into street / city / state / postal code. `resolve_place` turns any texts
about a place (address, venue name, a city field) into `(city_slug, region_slug)` for the
location-date index: Seattle neighbourhoods map to the Seattle sub-regions, nearby cities to
their county-area regions. Matching is on whole words ("Kentucky" is not Kent) and a city
name used as a street ("Bellevue Ave E" in Seattle) does not count as that city.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from famact.constants import UNKNOWN
from famact.keys import place_slug
from famact.models import MAX_TEXT_CHARS, Address
from famact.normalize.text import clean_lines, clean_text, truncate

SEATTLE = "seattle"

# Region of each known city (slug -> region slug). A bare "Seattle" is region "seattle".
CITY_REGIONS: dict[str, str] = {
    "seattle": SEATTLE,
    # Eastside
    "bellevue": "eastside", "redmond": "eastside", "kirkland": "eastside", "issaquah": "eastside",
    "sammamish": "eastside", "mercer-island": "eastside", "snoqualmie": "eastside",
    "north-bend": "eastside", "woodinville": "eastside", "newcastle": "eastside", "medina": "eastside",
    "clyde-hill": "eastside", "yarrow-point": "eastside", "duvall": "eastside", "carnation": "eastside",
    "fall-city": "eastside", "preston": "eastside",
    # North end (north King and south Snohomish counties)
    "shoreline": "north-end", "lynnwood": "north-end", "edmonds": "north-end", "everett": "north-end",
    "mukilteo": "north-end", "bothell": "north-end", "kenmore": "north-end",
    "lake-forest-park": "north-end", "mountlake-terrace": "north-end", "mill-creek": "north-end",
    "brier": "north-end", "marysville": "north-end", "lake-stevens": "north-end",
    "snohomish": "north-end", "monroe": "north-end", "arlington": "north-end",
    "woodway": "north-end",
    # South King County
    "renton": "south-king", "kent": "south-king", "tukwila": "south-king", "burien": "south-king",
    "federal-way": "south-king", "auburn": "south-king", "seatac": "south-king",
    "des-moines": "south-king", "normandy-park": "south-king", "covington": "south-king",
    "maple-valley": "south-king", "enumclaw": "south-king", "black-diamond": "south-king",
    "white-center": "south-king", "skyway": "south-king", "algona": "south-king",
    "pacific": "south-king", "milton": "south-king",
    # Pierce County
    "tacoma": "pierce", "puyallup": "pierce", "lakewood": "pierce", "university-place": "pierce",
    "gig-harbor": "pierce", "fife": "pierce", "sumner": "pierce", "bonney-lake": "pierce",
    "steilacoom": "pierce", "dupont": "pierce", "orting": "pierce", "spanaway": "pierce",
    "parkland": "pierce", "eatonville": "pierce",
    # Islands and across the Sound
    "vashon": "islands", "vashon-island": "islands", "bainbridge-island": "islands",
    "bainbridge": "islands", "whidbey-island": "islands", "langley": "islands",
    "bremerton": "islands", "poulsbo": "islands", "port-orchard": "islands",
    "anderson-island": "islands", "fox-island": "islands",
}  # fmt: skip
# City names that are also words or names elsewhere: only counted with a ", WA" or in an
# address's city position ("Pacific Science Center" is not the city of Pacific).
_WEAK_CITIES = {"pacific", "milton", "monroe", "arlington", "medina", "preston", "brier", "fife",
                "carnation", "skyway", "bainbridge", "langley"}  # fmt: skip
_CITY_ALIASES: dict[str, str] = {
    "sea-tac": "seatac", "vashon-island": "vashon", "bainbridge": "bainbridge-island",
    "mercer-is": "mercer-island", "fed-way": "federal-way", "u-place": "university-place",
    "mlt": "mountlake-terrace",
}  # fmt: skip

# Seattle neighbourhoods -> Seattle sub-region.
NEIGHBOURHOODS: dict[str, str] = {
    # downtown and central
    "downtown seattle": "seattle-downtown", "belltown": "seattle-downtown",
    "pioneer square": "seattle-downtown", "international district": "seattle-downtown",
    "chinatown-international district": "seattle-downtown", "chinatown": "seattle-downtown",
    "chinatown international district": "seattle-downtown", "cid": "seattle-downtown",
    "south lake union": "seattle-downtown", "slu": "seattle-downtown",
    "seattle center": "seattle-downtown", "queen anne": "seattle-downtown",
    "upper queen anne": "seattle-downtown", "lower queen anne": "seattle-downtown",
    "uptown": "seattle-downtown", "capitol hill": "seattle-downtown", "cap hill": "seattle-downtown",
    "first hill": "seattle-downtown", "denny triangle": "seattle-downtown",
    "pike place": "seattle-downtown", "pike place market": "seattle-downtown",
    "seattle waterfront": "seattle-downtown", "waterfront park": "seattle-downtown",
    "central district": "seattle-downtown", "yesler terrace": "seattle-downtown",
    "eastlake": "seattle-downtown", "madison park": "seattle-downtown", "madrona": "seattle-downtown",
    "montlake": "seattle-downtown", "leschi": "seattle-downtown", "denny regrade": "seattle-downtown",
    "westlake": "seattle-downtown",
    # north
    "ballard": "seattle-north", "fremont": "seattle-north", "green lake": "seattle-north",
    "greenlake": "seattle-north", "u district": "seattle-north", "u-district": "seattle-north",
    "university district": "seattle-north", "wallingford": "seattle-north",
    "northgate": "seattle-north", "lake city": "seattle-north", "phinney ridge": "seattle-north",
    "phinney": "seattle-north", "greenwood": "seattle-north", "crown hill": "seattle-north",
    "ravenna": "seattle-north", "roosevelt": "seattle-north", "maple leaf": "seattle-north",
    "wedgwood": "seattle-north", "view ridge": "seattle-north", "sand point": "seattle-north",
    "laurelhurst": "seattle-north", "bryant": "seattle-north", "licton springs": "seattle-north",
    "haller lake": "seattle-north", "bitter lake": "seattle-north", "broadview": "seattle-north",
    "magnuson park": "seattle-north", "woodland park": "seattle-north", "magnolia": "seattle-north",
    "interbay": "seattle-north", "sunset hill": "seattle-north", "loyal heights": "seattle-north",
    "whittier heights": "seattle-north", "matthews beach": "seattle-north",
    "meadowbrook": "seattle-north", "pinehurst": "seattle-north", "olympic hills": "seattle-north",
    "discovery park": "seattle-north", "tangletown": "seattle-north", "north seattle": "seattle-north",
    "northeast seattle": "seattle-north", "northwest seattle": "seattle-north",
    # south
    "columbia city": "seattle-south", "beacon hill": "seattle-south", "georgetown": "seattle-south",
    "rainier beach": "seattle-south", "rainier valley": "seattle-south", "mount baker": "seattle-south",
    "mt baker": "seattle-south", "mt. baker": "seattle-south", "seward park": "seattle-south",
    "hillman city": "seattle-south", "othello": "seattle-south", "sodo": "seattle-south",
    "south park": "seattle-south", "new holly": "seattle-south", "newholly": "seattle-south",
    "brighton": "seattle-south", "dunlap": "seattle-south", "rainier view": "seattle-south",
    "industrial district": "seattle-south", "judkins park": "seattle-south",
    "south seattle": "seattle-south", "southeast seattle": "seattle-south",
    # west
    "west seattle": "seattle-west", "alki": "seattle-west", "delridge": "seattle-west",
    "admiral": "seattle-west", "fauntleroy": "seattle-west", "morgan junction": "seattle-west",
    "high point": "seattle-west", "arbor heights": "seattle-west", "highland park": "seattle-west",
    "west seattle junction": "seattle-west", "alaska junction": "seattle-west",
    "lincoln park": "seattle-west", "westwood village": "seattle-west", "genesee": "seattle-west",
    "pigeon point": "seattle-west", "seaview": "seattle-west", "gatewood": "seattle-west",
}  # fmt: skip
# Names that are common words or exist elsewhere: only counted inside Seattle.
_WEAK_NEIGHBOURHOODS = {"admiral", "brighton", "bryant", "roosevelt", "dunlap", "genesee", "seaview",
                        "gatewood", "high point", "phinney", "uptown", "westlake", "waterfront park",
                        "cid", "slu", "othello", "chinatown", "highland park", "lincoln park",
                        "magnolia", "georgetown", "greenwood", "fremont", "woodland park"}  # fmt: skip

# Seattle ZIP codes whose area lies in one sub-region.
SEATTLE_ZIP_REGIONS: dict[str, str] = {
    **dict.fromkeys(("98101", "98104", "98121", "98154", "98161", "98164", "98174", "98181",
                     "98191", "98102", "98109", "98112", "98119", "98122"), "seattle-downtown"),
    **dict.fromkeys(("98103", "98105", "98107", "98115", "98117", "98125", "98133", "98177",
                     "98195", "98199"), "seattle-north"),
    **dict.fromkeys(("98108", "98118", "98134", "98144", "98178"), "seattle-south"),
    **dict.fromkeys(("98106", "98116", "98126", "98136"), "seattle-west"),
}  # fmt: skip

_STATES = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
    "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    "BC",
}  # fmt: skip
_STATE_NAMES = {"washington": "WA", "wash": "WA", "oregon": "OR", "idaho": "ID", "california": "CA",
                "british columbia": "BC"}  # fmt: skip
_STREET_SUFFIX = (
    r"(?:ave|avenue|st|street|way|blvd|boulevard|rd|road|pl|place|dr|drive|ln|lane|pkwy|parkway|hwy"
    r"|highway|ct|court|ter|terrace|cir|circle|loop|sq)"
)
_STATE_ZIP_RE = re.compile(
    r"(?:^|[\s,])(?P<state>[A-Z]{2}|Washington|Wash\.?|Oregon|Idaho|California)\.?"
    r"(?:\s*,?\s*(?P<zip>\d{5}(?:-\d{4})?))?\s*(?:,?\s*(?:USA|US|United States))?\s*$"
)
_ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
_STREET_START_RE = re.compile(r"^(?:\d+[A-Za-z]?(?:-\d+)?\s+\S|p\.?\s*o\.?\s+box\b|one\s+\w)", re.IGNORECASE)


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.sub(r"[^\w\s.-]", " ", text).split())


def _city_pattern(slug: str) -> re.Pattern[str]:
    words = slug.split("-")
    return re.compile(r"(?<![\w])" + r"[\s-]+".join(map(re.escape, words)) + r"(?![\w])")


_CITY_PATTERNS = {slug: _city_pattern(slug) for slug in [*CITY_REGIONS, *_CITY_ALIASES]}
_NEIGHBOURHOOD_PATTERNS = {
    name: re.compile(r"(?<![\w])" + re.escape(name).replace(r"\ ", r"[\s-]+") + r"(?![\w])")
    for name in NEIGHBOURHOODS
}
_STREET_THEN_CITY_RE = re.compile(
    rf"(?i)^(.*?\b{_STREET_SUFFIX}\.?(?:\s+(?:[NS][EW]?|[EW]))?)\s+([A-Za-z .'-]+)$"
)
_AS_STREET_RE = re.compile(rf"\s+{_STREET_SUFFIX}\b")


def _known_city(name: str) -> str | None:
    slug = place_slug(name)
    slug = _CITY_ALIASES.get(slug, slug)
    return slug if slug in CITY_REGIONS else None


def _split_city_state(line: str) -> tuple[str | None, str | None, str | None]:
    """ "Seattle, WA 98144" -> ("Seattle", "WA", "98144"); no state -> (None, None, zip)."""
    m = _STATE_ZIP_RE.search(line)
    if not m or (len(m.group("state")) == 2 and m.group("state").upper() not in _STATES):
        zip_m = _ZIP_RE.search(line)
        return None, None, zip_m.group(1) if zip_m else None
    state_raw = m.group("state").rstrip(".")
    state = _STATE_NAMES.get(state_raw.lower(), state_raw.upper())
    city = line[: m.start()].strip(" ,")
    return city or None, state, m.group("zip")


def parse_address(text: str | None) -> Address | None:
    """Street / city / state / ZIP from a US address, one line or several; None if empty."""
    lines = clean_lines(text)
    if not lines:
        return None
    printed = truncate(", ".join(lines), MAX_TEXT_CHARS)
    parts = [p.strip() for line in lines for p in re.split(r"\s*[,|•·]\s*|\s+-\s+", line) if p.strip()]
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal: str | None = None
    # The city/state/ZIP part is the last part that carries a state; the city is the part
    # just before it when the state part holds nothing else ("Seattle, WA 98144").
    for i in range(len(parts) - 1, -1, -1):
        c, s, z = _split_city_state(parts[i])
        if s is None:
            continue
        state, postal = s, z
        if c:
            city = c
            before = parts[:i]
        elif i > 0:
            city = parts[i - 1]
            before = parts[: i - 1]
        else:
            before = []
        if city and _STREET_START_RE.match(city) and not before:
            # "1400 S Lane St Seattle WA": no comma between street and city
            street, city = _split_street_city(city)
        else:
            street = _street_among(before)
        break
    else:
        street = next((p for p in parts if _STREET_START_RE.match(p)), None)
        zip_m = _ZIP_RE.search(lines[-1])
        postal = zip_m.group(1) if zip_m and not _STREET_START_RE.match(lines[-1]) else None
        if street is None and len(parts) == 1 and _known_city(parts[0]):
            city = parts[0]
    if city and _STREET_START_RE.match(city):
        city = None
    if not (street or city or state or postal):
        return Address(text=printed)
    return Address(
        text=printed,
        street=street,
        city=_title(city) if city else None,
        state=state,
        postal_code=postal,
    )


def _street_among(parts: list[str]) -> str | None:
    """The first part that starts like a street, with a "Suite 200" / "Unit B" after it."""
    street = next((p for p in parts if _STREET_START_RE.match(p)), None)
    if street is None:
        return None
    idx = parts.index(street)
    extra = [p for p in parts[idx + 1 :] if re.match(r"(?i)(suite|ste|unit|apt|#|room|rm)\b", p)]
    return ", ".join([street, *extra])


def _title(city: str) -> str:
    return city if any(ch.islower() for ch in city) else city.title()


def _split_street_city(chunk: str) -> tuple[str | None, str | None]:
    """Find a known city name at the end of "1400 S Lane St Seattle"."""
    norm = chunk.lower()
    best: tuple[int, str] | None = None
    for slug, pattern in _CITY_PATTERNS.items():
        for m in pattern.finditer(norm):
            if m.end() == len(norm.rstrip()) and (best is None or m.start() < best[0]):
                best = (m.start(), slug)
    if best is None:
        # Otherwise the city is what follows the street suffix: "123 Main St Anytown".
        tail = _STREET_THEN_CITY_RE.search(chunk)
        if tail:
            return tail.group(1).strip(), tail.group(2).strip()
        return chunk, None
    return chunk[: best[0]].strip(" ,") or None, chunk[best[0] :].strip()


def _neighbourhood(norm: str, in_seattle: bool) -> str | None:
    best: tuple[int, int, str] | None = None
    for name, pattern in _NEIGHBOURHOOD_PATTERNS.items():
        if name in _WEAK_NEIGHBOURHOODS and not in_seattle:
            continue
        for m in pattern.finditer(norm):
            # Longest name wins ("west seattle junction" over "west seattle"); then first.
            key = (-(m.end() - m.start()), m.start(), name)
            if best is None or key < best:
                best = key
    return NEIGHBOURHOODS[best[2]] if best else None


def _cities(norm: str, strong_only: bool = False) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for slug, pattern in _CITY_PATTERNS.items():
        for m in pattern.finditer(norm):
            if _AS_STREET_RE.match(norm, m.end()):
                continue  # "Bellevue Ave E", "Renton Ave S": streets, not cities
            canonical = _CITY_ALIASES.get(slug, slug)
            weak = canonical in _WEAK_CITIES or slug in _WEAK_CITIES
            with_state = re.match(r"\s*,?\s*(?:wa|washington)\b", norm[m.end() :]) is not None
            if (weak or strong_only) and not with_state:
                continue
            # "Seattle Center", "West Seattle" are neighbourhoods; they still mean Seattle.
            found.append((m.start(), canonical))
    return sorted(found)


def _resolve_one(text: str) -> tuple[str, str] | None:
    address = parse_address(text)
    norm = _norm(text)
    zip_region = None
    if address and address.postal_code:
        zip_region = SEATTLE_ZIP_REGIONS.get(address.postal_code)
    # 1. The city an address prints in its city position is the strongest signal.
    if address and address.city and address.state in (None, "WA"):
        known = _known_city(address.city)
        if known == SEATTLE or (known is None and _neighbourhood(_norm(address.city), True)):
            region = _neighbourhood(norm, True) or zip_region or SEATTLE
            return SEATTLE, region
        if known:
            return known, CITY_REGIONS[known]
        if address.state == "WA":
            return place_slug(address.city), UNKNOWN
    if address and address.city and address.state not in (None, "WA"):
        return place_slug(address.city), UNKNOWN
    # 2. Names in free text: a non-Seattle city, Seattle itself, a neighbourhood.
    cities = _cities(norm)
    non_seattle = [c for _, c in cities if c != SEATTLE]
    hood = _neighbourhood(norm, in_seattle=SEATTLE in [c for _, c in cities])
    if non_seattle and not hood:
        return non_seattle[0], CITY_REGIONS[non_seattle[0]]
    if hood:
        return SEATTLE, hood
    if cities:
        return SEATTLE, zip_region or SEATTLE
    if zip_region:
        return SEATTLE, zip_region
    return None


def resolve_place(
    *texts: str | None, default_city: str | None = None, default_region: str | None = None
) -> tuple[str, str]:
    """(city_slug, region_slug) from the first text that names a known place.

    A bare "Seattle" is region "seattle" unless the source's default region is a Seattle
    sub-region (a Ballard library branch's page says only "Seattle, WA").
    """
    for raw in _nonblank(texts):
        found = _resolve_one(raw)
        if found is None:
            continue
        city, region = found
        same_city = default_city is None or place_slug(default_city) == city
        if region == SEATTLE and default_region and default_region.startswith("seattle-") and same_city:
            region = place_slug(default_region)
        if region == UNKNOWN and default_region and same_city:
            region = place_slug(default_region)
        return city, region
    city = place_slug(default_city) if default_city else UNKNOWN
    if default_region:
        return city, place_slug(default_region)
    known = _known_city(default_city) if default_city else None
    return city, CITY_REGIONS[known] if known else UNKNOWN


def _nonblank(texts: Iterable[str | None]) -> Iterable[str]:
    for text in texts:
        cleaned = clean_text(text)
        if cleaned:
            # keep line breaks for the address parser
            yield text if text and "\n" in text else cleaned


# --------------------------------------------------------------------------------------------
# Street addresses inside other text, and venue cells that carry an address

# A US street address as printed in running text: "8408 Greenwood Ave N", "15600 NE 8th St.",
# "1415 Fifth Ave., Suite 200". The street name is capitalized words or an ordinal ("8th")
# and a street suffix must end it, so "20 Things to Do" or "since 1998" are never addresses.
_DIRECTION = r"(?:NE|NW|SE|SW|N|S|E|W|North|South|East|West)\.?"
_STREET_WORD = r"(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][\w'’.-]*)"
STREET_ADDRESS = (
    rf"\d{{1,6}}[A-Za-z]?(?:-\d{{1,5}})?\s+(?:{_DIRECTION}\s+)?{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,3}}?"
    rf"\s+(?i:{_STREET_SUFFIX}|trail|trl|row)\b\.?(?:\s+{_DIRECTION}(?![\w]))?"
    r"(?:,?\s+(?:Suite|Ste\.?|Unit|Apt\.?|Room|Rm\.?|Bldg\.?|#)\s*[\w-]+)?"
)
_STREET_ADDRESS_START_RE = re.compile(rf"^(?:{STREET_ADDRESS}|(?i:p\.?\s*o\.?\s+box)\s+\d+)")
_STATE_TAIL_RE = re.compile(
    r"^(?:[A-Z]{2}|Washington|Wash\.?)\.?(?:\s*,?\s*\d{5}(?:-\d{4})?)?(?:\s*,?\s*(?:USA|US|United States))?$"
)
_VENUE_WORDS = {"park", "center", "centre", "market", "beach", "village", "square", "junction"}
# Where a venue cell's name may end: "Name, 123 Main St", "Name - 123 Main St", "Name | Seattle".
_VENUE_SEPARATORS = re.compile(r"\s*,\s*|\s+[-–—|•·]\s+|\s*\n\s*|\s*\|\s*")
# "Pier 62 ...", "Suite 5 ...": a number after these words is not where an address starts.
_UNIT_WORDS = re.compile(r"(?i)\b(?:suite|ste|unit|room|rm|no|pier|building|bldg|#)\.?$")
_UNIT_ONLY = re.compile(r"(?i)^(?:suite|ste|unit|apt|room|rm|bldg|building|floor|fl|#)\.?\s*[\w-]+$")


def known_city(name: str | None, *, with_state: bool = False) -> str | None:
    """The slug of a known Seattle-area city printed as `name` ("Mercer Island" ->
    "mercer-island"), or None. A city that is also a common word ("Pacific", "Monroe")
    counts only when the text around it said ", WA" (`with_state`)."""
    cleaned = clean_text(name)
    if not cleaned or not re.fullmatch(r"[A-Za-z][A-Za-z .'-]{1,40}", cleaned):
        return None
    slug = _known_city(cleaned)
    if slug is None:
        return None
    if not with_state and (slug in _WEAK_CITIES or place_slug(cleaned) in _WEAK_CITIES):
        return None
    return slug


def is_place_name(name: str | None, *, with_state: bool = False) -> bool:
    """A known city or a (distinctive) Seattle neighbourhood: "Kirkland", "Ballard"; not a
    neighbourhood named after its park or center ("Magnuson Park" is a venue too)."""
    cleaned = clean_text(name)
    if not cleaned:
        return False
    if known_city(cleaned, with_state=with_state):
        return True
    norm = _norm(cleaned)
    if norm.rsplit(" ", 1)[-1] in _VENUE_WORDS:
        return False
    return norm in NEIGHBOURHOODS and norm not in _WEAK_NEIGHBOURHOODS


def looks_like_street_address(text: str | None) -> bool:
    """True when `text` starts with a street address ("8408 Greenwood Ave N, Seattle")."""
    cleaned = clean_text(text)
    return bool(cleaned and _STREET_ADDRESS_START_RE.match(cleaned))


def _is_place_tail(text: str) -> bool:
    """ "Seattle", "Seattle, WA", "Seattle, WA 98103", "WA 98103": the place part of a
    venue cell that has no street."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or len(parts) > 3:
        return False
    with_state = len(parts) > 1 and _STATE_TAIL_RE.match(parts[1]) is not None
    if len(parts) == 1 and _STATE_TAIL_RE.match(parts[0]) and re.search(r"\d{5}", parts[0]):
        return True
    if not is_place_name(parts[0], with_state=with_state):
        return False
    return all(_STATE_TAIL_RE.match(p) for p in parts[1:])


def split_venue(text: str | None) -> tuple[str | None, str | None]:
    """Split a venue cell into (venue name, address or place part).

    "Sprocket Puppet Loft, 8408 Greenwood Ave N, Seattle" -> ("Sprocket Puppet Loft",
    "8408 Greenwood Ave N, Seattle"); "Venue - 123 Main St", "Venue (123 Main St)",
    "Venue | Seattle" and "Venue, Seattle, WA" split the same way; a bare address gives
    (None, address); a plain name ("Columbia Hills Library") is returned unchanged. The split
    happens only where the rest is clearly an address or a known place, so a name with a
    comma or a dash in it ("Seattle Children's Theatre - Charlotte Martin Theatre") is kept.
    """
    lines = clean_lines(text)
    if not lines:
        return None, None
    joined = "\n".join(lines)
    flat = ", ".join(lines)
    if looks_like_street_address(flat):
        return None, flat
    # "Venue Name (123 Main St)" / "Venue Name (Seattle)"
    paren = re.fullmatch(r"(?s)(?P<name>[^()]+?)\s*\((?P<place>[^()]+)\)", joined)
    if paren:
        place = " ".join(paren.group("place").split())
        if looks_like_street_address(place) or _is_place_tail(place):
            return paren.group("name").strip(), place
    for sep in _VENUE_SEPARATORS.finditer(joined):
        head = joined[: sep.start()].strip()
        tail = joined[sep.end() :].replace("\n", ", ").strip(" ,")
        if not head or not re.search(r"[^\W\d_]", head):
            continue
        if _UNIT_ONLY.match(head) and looks_like_street_address(tail):
            return None, flat  # "Suite 200, 123 Main St": all of it is the address
        if looks_like_street_address(tail) or _is_place_tail(tail):
            return head.replace("\n", ", "), tail
    # No separator: "Sprocket Puppet Loft 8408 Greenwood Ave N Seattle"
    for number in re.finditer(r"(?<=[^\W\d_])\s+(?=\d)", flat):
        head, tail = flat[: number.start()].strip(), flat[number.end() :].strip()
        if not _UNIT_WORDS.search(head) and looks_like_street_address(tail):
            return head, tail
    return flat, None
