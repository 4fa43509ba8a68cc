"""R2, T2, T3: enrollment versus drop-in. A series you sign up for as a whole (session counts,
per-week commitments, terms, tuition, registration for the series) is a PROGRAM; "drop in any
week", "no registration" is an EVENT, unless drop-ins are only welcome when there is space
(R2a) or the first class is a free trial (R2b)."""

from __future__ import annotations

import re

from famact.classify.evidence import Features, ListingText
from famact.classify.features.timing import TimingFacts

_SESSION_COUNT = re.compile(
    r"\b(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen)[- ]?"
    r"(?:sessions?|classes|lessons|weeks?|wks?|semanas|clases|part series|saturday sessions|sunday sessions|"
    r"weekly sessions|meetings)\b"
    r"|\b(?:\d{1,2}|two|three|four|five|six|eight|ten|twelve)-(?:week|part|session|class)\b|共\d+(?:节|次|周)"
    r"|\d+节课"
    r"|\b(?:[2-9]|1\d|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:(?:mon|tues|wednes|thurs|fri"
    r"|satur|sun)day|weekly|morning|evening|afternoon)\s+(?:lessons|classes|sessions|meetings|hikes|outings"
    r"|practices|rehearsals|workshops|trips)\b"
    # "four Wednesdays in May", "10 Fridays", "8 mtgs", Korean "8주 과정", Vietnamese "10 tuần"
    r"|\b(?:[2-9]|1\d|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:consecutive\s+)?"
    r"(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekends|evenings|mornings"
    r"|afternoons"
    r"|saturday mornings|sunday afternoons)\b"
    r"|\b(?:\d{1,2}|two|three|four|five|six|eight|ten)\s+(?:weekly\s+)?(?:meetups|meetings|gatherings"
    r"|practices"
    r"|rehearsals|visits|outings|field trips)\b"
    r"|\b\d{1,2}\s*mtgs?\b|\d{1,2}\s*주\s*(?:과정|간|코스)|(?:[2-9]|\d{2})\s*회\s*(?:과정|수업)"
    r"|\b\d{1,2}\s*(?:tuan|buoi)\b|\b(?:\d{1,2}|two|three|four|five|six|eight|ten)[- ]week\b"
)
# "3 mornings a week", "practices 3x/week", "twice a week": a weekly commitment, not a drop-in.
_PER_WEEK = re.compile(
    r"(?<!open )\b(?:[1-5]|one|two|three|four|five)\s*(?:x|times?|days?|mornings?|afternoons?|evenings?"
    r"|nights?|practices?|games?|classes|lessons|sessions?)\s*(?:a|per|/|each)\s*(?:week|wk)\b"
    r"|\btwice (?:a |per )?week(?:ly)?\b|\b\d\s*x\s*/\s*(?:week|wk)\b"
    r"|每周\s*[两二三四五1-5]\s*次|주\s*[1-5]\s*회"
)
_ENROLL = re.compile(
    r"\benrol(?:l|ls|led|ling|lment|ment)?\b|\btuition\b|\bregister (?:once|for (?:the |all |both )?"
    r"(?:series|season|term|semester|full|whole|year|course|program|sessions?|days|classes|weeks))\b"
    r"|\bregistration (?:covers|for (?:the |all )?(?:series|whole|season|term))|\bsign up (?:for the year"
    r"|your)"
    r"|\bapply (?:for|by|now|today|online)\b|\bapplications? (?:due|open|close)\b"
    r"|\binscripcion\b|\binscribete\b|报名|注册|\bjoin the semester\b"
    r"|\bnow enrolling\b|\bjoin (?:our|the) (?:team|troop|pack|club|squad)\b|\bannual registration\b"
    r"|\bregist(?:er|ration) (?:by|closes|deadline|ends)\b|\bdeadline to register\b"
    r"|\bdang ky\b|등록|\bsign up once\b|\bauditions?\b|\btryouts?\b|\bsign up for the (?:session|term|season"
    r"|series|year)\b"
    r"|\bsign up\b.{0,40}\bseason\b"
    r"|\bregister (?:now )?for the (?:spring|summer|fall|winter) season\b|\bregistration by (?:semester"
    r"|term)\b"
    r"|\bplaced on teams\b|\bseason (?:registration|auditions)\b"
)
_TUITION = re.compile(
    r"\bschool year\b|\bacademic year\b|\bhoc phi\b|수강료|등록비|\btuition\b|\byear-long (?:class|program)"
    r"|\b(?:semester|term|season|school year)-long\b"
    r"|\bbilled monthly\b|\bmensualidad\b|学费"
)
_SERIES_REGISTRATION = re.compile(
    r"\bregist\w* (?:for|covers) (?:the )?(?:whole |full |entire )?(?:series|course)|all (?:four|six|eight"
    r"|\d+) "
    r"(?:sessions|weeks|classes)|\bmust register for all\b|\bcannot drop in\b|\battend (?:all|every)\b"
    r"|\bplan to attend every\b|\benroll in the (?:whole|full|entire) series\b|\bfor the full (?:series"
    r"|course)\b"
    r"|\bseries\b.{0,40}\bregist|\bregist\w+.{0,40}\bseries\b|\bfull series\b|\bwhole series\b"
)
_PRICE_PER_TERM = re.compile(
    r"/\s*(?:term|session|semester|season|year|学期|month)\b|per (?:term|session|semester|month)"
    r"|\bmonthly tuition\b|/学期"
)
_READING = re.compile(
    r"reading (?:challenge|program|bingo|log)|\blog (?:your |their )?(?:reading|books|minutes|hours)\b"
    r"|\blog books\b"
    r"|\bread \d+ (?:hours|books|minutes)|\bbooks before kindergarten\b"
)
_DROP_IN = re.compile(
    r"\bdrop[- ]?in\b|\bno registration\b|\bno sign-?up\b|\bcome and go\b|\bcome to one\b"
    r"|\bpay at the (?:door|desk)\b"
    r"|\bfirst come\b|\bany week\b|\bno (?:class|series) commitment\b|\bwalk-?ins? welcome\b|\bjust drop in\b"
    r"|\bregistration (?:is )?not required\b|\bsin inscripcion\b|无需报名|\bno se requiere inscripcion\b"
    r"|\bjust show up\b|\bshow up and\b|\bno (?:advance )?(?:registration|sign-?up|rsvp) (?:needed"
    r"|required)\b"
    r"|\bwalk-?ins? (?:welcome|only)\b|\bkhong can dang ky\b|등록 불필요|예약 없이"
    r"|\bno need to register\b|\bdrop in any\b"
)
_DROP_IN_IF_SPACE = re.compile(r"drop-?ins? (?:are )?(?:welcome|ok|okay)\b(?: if| when)?|\bdrop-?ins? ok\b")
_FREE_TRIAL = re.compile(
    r"\bfree trial\b|\bfirst (?:class|lesson|week) (?:is )?free\b|\btry (?:a"
    r"|your first) (?:free )?class\b|\btrial class\b"
)
_REGISTRATION = re.compile(
    r"\bregistration required\b|\bpre-?registration\b|\bregister\b|\bregistration\b|需报名"
)
_RSVP = re.compile(r"\brsvp\b")


def enrollment_features(text: ListingText, timing: TimingFacts, features: Features) -> None:
    _commitment_features(text, timing, features)
    _drop_in_features(text, features)


def _commitment_features(text: ListingText, timing: TimingFacts, features: Features) -> None:
    """A commitment over weeks: sessions, terms, tuition, registration for the series."""
    fire = features.fire
    everything = text.everything
    if _SESSION_COUNT.search(everything):
        fire("session-count")
    if _SESSION_COUNT.search(text.title):
        fire("title-session-count")
    if _PER_WEEK.search(everything):
        fire("per-week")
    if (
        (timing.recurring or timing.day_slot or timing.has_weekday)
        and timing.dates.max_span >= 13
        and not timing.daily
        and not timing.showtimes
    ):
        fire("term-schedule")
    if _ENROLL.search(everything):
        fire("enroll")
    if _TUITION.search(everything):
        fire("tuition")
    if _SERIES_REGISTRATION.search(everything):
        fire("series-registration")
    if timing.term_start:
        fire("term-start")
    if _PRICE_PER_TERM.search(" | ".join((text.price_text, text.description))):
        fire("price-per-term")
    if _READING.search(everything):
        fire("reading-challenge")


def _drop_in_features(text: ListingText, features: Features) -> None:
    """Come when you like, or sign up for the one date."""
    fire = features.fire
    everything = text.everything
    if _DROP_IN_IF_SPACE.search(everything):
        fire("drop-in-if-space")
    elif _DROP_IN.search(everything):
        fire("drop-in")
    if _FREE_TRIAL.search(everything):
        fire("free-trial")
    if _REGISTRATION.search(everything):
        fire("registration-required")
    if _RSVP.search(everything):
        fire("rsvp")
