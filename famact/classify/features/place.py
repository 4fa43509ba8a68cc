"""R1: facts that belong to a place of its own: hours, admission, address, parking, size,
amenities, the activities it offers, its opening date, open play all day (T6)."""

from __future__ import annotations

import re

from famact.classify.evidence import Features, ListingText
from famact.classify.vocabulary import NOUN_PATTERNS
from famact.normalize.date_facts import WEEKDAY, month_group

_HOURS = re.compile(
    r"\bhours?\s*:|\bopen (?:daily|every ?day|7 days|year[- ]round|tue|wed|thu|fri|sat|sun|mon|weekends|dawn)"
    rf"|\bopen\s+{WEEKDAY}\b|\bopen(?:s)? (?:from )?\d{{1,2}}(?::\d{{2}})?\s*(?:am|a\.m\.)?\s*-"
    rf"|\bdawn to dusk\b|\bclosed (?:mondays|tuesdays|on)\b"
    r"|\b(?:building|visitor center|office|front desk|box office|park|day-use|store|studio) hours\b"
    r"|\bhorario\b|营业时间|开放时间|\bopen \d|\bhours vary\b"
    r"|\bopen (?:april|may|june|memorial)\b|\bopen evryday\b"
    r"|\bopen (?:noon|10|9|8)\b|\bhours (?:mon|tue|wed|weekdays)|\bopen year round\b|\bopen 7 days\b"
    r"|\bevryday\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|a)?\s*(?:-|to)\s*\d{1,2}(?::\d{2})?\s*(?:pm|p)?\s+(?:daily|every ?day"
    r"|7 days)\b"
    r"|\bopen (?:sunrise|dawn|daylight)\b|\bdaylight hours\b|\bsunrise to sunset\b|\bopen (?:year-round"
    r"|all year)\b"
    r"|\babierto\b|\bmo cua\b|운영\s*시간|영업\s*시간|\bwalk-?ins welcome\b"
    r"|\bclosed (?:mon|tue|wed|thu|fri|sat|sun)"
)
_ADMISSION = re.compile(
    r"\badmission\b|\bday pass\b|\bper (?:child|kid|person|visit)\b|/\s*(?:child|kid)\b|\bentrada\b|门票"
    r"|\bjump passes\b"
    r"|\bkids? (?:\d+[- ]\d+ )?\$\d|\btickets?:|\bunder \d+ free\b|\b\d (?:&|and) under free\b"
    r"|\bgeneral admission\b"
    r"|\bpay[- ]what[- ]you[- ]can\b|\bby donation\b|\bper round\b|\bper ride\b|\bstudio fee\b"
    r"|\bpay as you play\b"
    r"|\btickets? (?:from )?\$\d|\badults? \$\d|\b(?:kids?|children|youth) (?:\(?\d+[- ]\d+\)? )?\$\d"
    r"|\$\d+(?:\.\d\d)? (?:adults?|kids?|children|youth|seniors?)\b"
    r"|\brentals? \$\d|\bper (?:player|climber|jumper|guest|car|vehicle)\b|\bpay per (?:attraction|ride"
    r"|play|game)\b|입장료|\bgia ve\b"
)
_ADDRESS = re.compile(
    r"\b\d{2,6}\s+(?:[nsew]{1,2}\s+)?(?:\d+(?:st|nd|rd|th)\s+|[a-z]+\s+){1,3}"
    r"(?:st|street|ave|avenue|blvd|rd|road|way|dr|drive|pkwy|hwy|pl|place|ln|lane|ct)\b|\bdireccion\b"
    r"|\baddress\b"
    r"|\bpier \d+\b|\bdia chi\b|주소|\blocated (?:at|on|behind|next to|near|across from|off)\b"
)
_PARKING = re.compile(r"\bparking\b|\bestacionamiento\b|停车|\bdau xe\b|주차|\bparqueo\b")
_SIZE = re.compile(
    r"\b\d[\d,.]*[- ]acres?\b|\bsq\.? ?ft\b|\bsquare feet\b|\b\d+[- ]lanes?\b|\b\d+-seat\b"
    r"|\b\d+ holes?\b|\b\d+-hole\b"
)
_AMENITIES = re.compile(
    r"\brestrooms?\b|\blockers?\b|\bpicnic (?:tables|shelters|meadow|areas?)\b|\bsnack bar\b|\bgift shop\b"
    r"|\bparty rooms?\b"
    r"|\bfree wi-?fi\b|\bmeeting rooms\b|\bcafe\b|\bespresso\b|\bpro shop\b|\bchanging rooms?\b"
    r"|\bcomputadoras\b"
    r"|\bstudy rooms\b|\bcoffee\b|\bbathhouse\b|\bcampground\b|\bcountry store\b|\bfarm (?:store|stand"
    r"|market)\b"
)
_OFFERS = re.compile(
    r"\b(?:classes|camps|lessons|storytimes|parties|programs)\b.{0,30}\b(?:available|offered|also)\b"
    r"|\balso (?:offers?|runs?|hosts?)\b|\bwe (?:host|offer|run)\b|\bhome (?:of|to)\b|\bbirthday parties\b"
    r"|\b(?:classes|lessons),? (?:and )?(?:summer )?camps\b|\bcamps and classes\b|\bsummer camps\b"
    r"|\bstorytimes? (?:weekly|every)\b|\bweekly storytimes\b|\bhosts? (?:mainstage|weekly)\b"
    r"|\bwith (?:\w+ ){0,2}(?:classes|lessons|camps)\b|\boffers? (?:\w+ ){0,2}(?:classes|lessons|camps)\b"
)

NOW_OPEN = re.compile(
    r"\bnow open\b|\bgrand opening\b(?! (?:party|celebration))|\bjust opened\b|\bopened (?:our doors"
    r"|\w+ \d)|\bbrand[- ]new\b|\bopen now\b"
)
_OPENS_DATE = re.compile(
    rf"\b(?:re-?)?open(?:s|ed|ing)?\b[^.]{{0,20}}{month_group('x')}\s+\d|\bopening (?:day|date)\b"
)
_OPEN_PLAY_ALL_DAY = re.compile(
    r"\bopen (?:play|jump|gym|court)\b.{0,60}\b(?:all day|during all|every day|daily"
    r"|included with admission|all (?:public|business) hours)"
    r"|\b(?:all day|daily)\b.{0,30}\bopen (?:play|jump)\b|\bback-to-back\b|\bunlimited play\b"
    r"|\bopen play (?:all day|is included)"
    r"|\bopen gym during all\b|\bwalk-?ins during all\b|\bopen court for walk-ins\b"
    r"|\bwalk in\b.{0,30}\bno appointment\b"
)


def is_address(text: str) -> bool:
    return bool(re.search(r"\d", text)) and _ADDRESS.search(text) is not None


def is_locality(text: str) -> bool:
    """"Kent, WA", "Wallingford, Seattle": a town or neighbourhood, not a named host place."""
    return not NOUN_PATTERNS["place"].search(text) and not NOUN_PATTERNS["garden"].search(text)


def place_features(text: ListingText, features: Features) -> None:
    fire = features.fire
    description = text.description
    place_text = " | ".join(t for t in (description, text.schedule_text, text.price_text) if t)
    if _HOURS.search(place_text):
        fire("hours")
    if _ADMISSION.search(place_text):
        fire("admission")
    if _ADDRESS.search(description) or (text.venue_text and is_address(text.venue_text)):
        fire("address")
    if _PARKING.search(description):
        fire("parking")
    if _SIZE.search(description):
        fire("size")
    if _AMENITIES.search(description):
        fire("amenities")
    if _OFFERS.search(description):
        fire("offers-activities")
    if _OPENS_DATE.search(description) or NOW_OPEN.search(description):
        fire("opening-date")
    if _OPEN_PLAY_ALL_DAY.search(place_text):
        fire("open-play-all-day")
