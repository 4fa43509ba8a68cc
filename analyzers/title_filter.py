"""A title filter from the source's name: one board's meetings on a calendar of every board.

A city's calendar lists the City Council, the Planning Commission and the Parks Board; a
source named "Hanford City Council" wants the council's meetings only. The filter is proposed
when the name picks out some of the listings and not others: a listing is named when every
distinctive word of its title (its words less the generic ones of meeting and event titles:
"regular", "special", "meeting", "session"...) is a word of the source's name. A lone body
word ("Regular Board Meeting" -> "board") is too vague to filter by; committees go with the
named body.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from famact.models import TitleFilter, same_word, title_words

# Words of any meeting or event title that name no board or series.
GENERIC_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "with",
        "by",
        "regular",
        "special",
        "meeting",
        "meetings",
        "session",
        "sessions",
        "study",
        "workshop",
        "joint",
        "adjourned",
        "annual",
        "agenda",
        "agendas",
        "minutes",
        "hearing",
        "hearings",
        "public",
        "notice",
        "cancelled",
        "canceled",
        "rescheduled",
        "postponed",
        "amended",
        "revised",
        "virtual",
        "online",
        "hybrid",
        "meets",
        "meet",
        "no",
        "am",
        "pm",
    )
)
# Words naming a body; one of these alone ("Regular Board Meeting" -> "board") is too vague
# to filter by (a committee is most often a body's part, so not here).
BODY_WORDS = frozenset(
    (
        "board", "boards", "commission", "commissions", "commissioners", "council", "authority",
        "district", "agency", "corporation", "foundation", "trust", "collaborative", "court",
        "department", "bureau", "panel", "assembly", "senate", "society", "association",
    )
)  # fmt: skip
# The share of listings the name must pick out: some, but neither none nor nearly all.
MIN_SHARE = 0.1
MAX_SHARE = 0.9
MIN_KEPT = 2


def _distinctive(title: str) -> list[str]:
    return [w for w in title_words(title) if w not in GENERIC_WORDS and not w.isdigit()]


# Query parameters by which a URL already picks one board, category or calendar
# (`$filter=categoryId in (31)`, `MeetingType=1`, `field_microsite_tid_1=27`, `Ids=...`).
_SCOPING_PARAM = re.compile(
    r"(?i)filter|categor|type|board|committee|body|bodies|department|dept|group|tid|^ids?$|calendar_?ids?"
)


def url_scoped(url: str) -> bool:
    """The URL's query already selects what it lists: a name must not filter it again."""
    return any(value.strip() and _SCOPING_PARAM.search(key) for key, value in parse_qsl(urlsplit(url).query))


def _named(words: list[str], name: set[str]) -> bool:
    return bool(words) and all(any(same_word(w, n) for n in name) for w in words)


_JOINERS = frozenset(("of", "the", "and", "for", "on"))


def _acronym_runs(words: list[str], acronym: str) -> list[list[str]]:
    """Runs of a title's words whose initials spell `acronym` ("board of supervisors" for
    "bos", with or without the joining "of")."""
    runs = []
    for i in range(len(words)):
        for j in range(i + 2, min(len(words), i + 8) + 1):
            run = words[i:j]
            if run[0] in _JOINERS or run[-1] in _JOINERS:
                continue
            spelled = {"".join(w[0] for w in run), "".join(w[0] for w in run if w not in _JOINERS)}
            if acronym in spelled:
                runs.append(run)
    return runs


def _phrase(title: str, name: set[str], acronyms: set[str]) -> str | None:
    """The words by which the name names this title, or None when it does not: every
    distinctive word of the title is a word of the name or spelled by one of its acronyms
    ("Kings BOS" names "Board of Supervisors Regular Meeting")."""
    words = _distinctive(title)
    if _named(words, name):
        return " ".join(dict.fromkeys(words))
    for acronym in acronyms:
        for run in _acronym_runs(title_words(title), acronym):
            rest = [w for w in words if w not in run]
            if not rest or _named(rest, name):
                return " ".join(dict.fromkeys(w for w in run if w not in _JOINERS))
    return None


def infer_title_filter(source_name: str, titles: list[str], url: str = "") -> TitleFilter | None:
    """The filter keeping the listings whose titles the name names, or None when the name
    does not tell the listings apart (it names all of them, none, or too few) or the URL
    already picks what it lists."""
    name = set(title_words(source_name))
    if not name or len(titles) < MIN_KEPT + 1 or url_scoped(url):
        return None
    # Short name words that no title spells out may be initials ("BOS", "BOCC", "BOE").
    seen = {w for t in titles for w in title_words(t)}
    acronyms = {w for w in name if 3 <= len(w) <= 5 and w.isalpha() and w not in seen}
    phrases: Counter[str] = Counter()
    others: list[str] = []
    for title in titles:
        phrase = _phrase(title, name, acronyms)
        words = set(_distinctive(title))
        if phrase and not (len(title_words(phrase)) == 1 and phrase in BODY_WORDS):
            phrases[phrase] += 1
        elif "committee" in words and not words & BODY_WORDS:
            # A committee is most often the named body's own ("Transportation Committee"
            # of a city council): kept with it.
            phrases["committee"] += 1
        else:
            others.append(title)
    if not set(phrases) - {"committee"}:
        return None  # only a bare "Board" or "Council" named: too vague to filter by
    kept = len(titles) - len(others)
    if kept < MIN_KEPT or not MIN_SHARE * len(titles) <= kept <= MAX_SHARE * len(titles):
        return None
    # Other titles must name something else: a calendar of one board whose titles carry
    # extra words ("City Council Budget Workshop") is not a calendar of several boards.
    if sum(1 for t in others if _distinctive(t)) < 0.5 * len(others):
        return None
    include = [p for p, _ in phrases.most_common(20)]
    candidate = TitleFilter(include=include)
    # The phrases must not keep the other boards' listings ("council" inside "youth council").
    if sum(1 for t in titles if candidate.keeps(t)) > MAX_SHARE * len(titles):
        return None
    return candidate
