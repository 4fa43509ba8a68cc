"""Is a listing still on: cancelled, full, past or active.

Checked in that order: a cancellation notice wins, then "sold out" / "waitlist", then dates
that are all before today. The words are read carefully because listings use them in other
senses: "full-day camp", "fully accessible", "paid in full" and "full details" are not
"full"; "events may be cancelled for weather" and "cancellation policy" are not cancelled.
"""

from __future__ import annotations

import re
from datetime import date

from famact.constants import EntityStatus
from famact.normalize.dates import When
from famact.normalize.text import clean_text, fold

_CANCELLED_RE = re.compile(
    r"\bcancel+ed\b|\bpostponed\b|\bcancelad[oa]s?\b|\bsuspendid[oa]s?\b|\baplazad[oa]s?\b|\bpospuest[oa]s?\b"
    r"|\bcalled\s+off\b|已取消|活动取消|活動取消|取消了|延期"
)
# A conditional or a policy: "may be cancelled", "if cancelled", "will be cancelled if".
_CONDITIONAL_BEFORE_RE = re.compile(
    r"\b(?:may|might|could|can|if|unless|whether|subject\s+to|in\s+case|in\s+the\s+event"
    r"|puede|pueden|si|en\s+caso)\b[^.!;]{0,25}$"
)
_CONDITIONAL_AFTER_RE = re.compile(r"^\s*(?:\w+\s+){0,3}(?:if|unless|when|in\s+case|should)\b")
_FULL_RE = re.compile(
    r"\bsold[\s-]*out\b|\bwait[\s-]*list(?:ed)?\b|\bwaiting\s+list\b|\bat\s+capacity\b|\bno\s+(?:spots|spaces|seats)"
    r"\s+(?:left|available|remaining)\b|\blista\s+de\s+espera\b|\bagotad[oa]s?\b|\bsin\s+cupos?\b|\bcupo\s+lleno\b"
    r"|\bcurso\s+lleno\b|\best[aá]\s+llen[oa]\b|候补|已满|额满|名额已满|满员|售罄"
)
# "full" as a status: the whole text, or "is/now/class full", or "full" ending a clause.
_FULL_WORD_RE = re.compile(
    r"(?:\b(?:is|are|now|currently|class|classes|session|sessions|program|camp|event|course|registration"
    r"|enrollment|spots?|this)\s+full\b(?![\s-]*(?:day|days|week|time|size|service|price|refund|moon|length"
    r"|name|details?|list|schedule|calendar|program|color|access|year|description))"
    r"|^\W*full\W*$|(?:^|[(\[|:-])\s*full\s*(?:[)\]|!.]|$|-\s*wait))"
)
_FULL_NEGATION_RE = re.compile(r"\b(?:not|never|isn't|aren't)\s+(?:yet\s+)?$")
# "a waitlist will open when...", "waitlist available if the class fills": not full yet.
_FULL_LATER_RE = re.compile(
    r"^\s*(?:will\s+(?:open|be|start)|opens\s+(?:when|if|once)|(?:is\s+)?available\s+(?:if|when|once))"
)


def _cancelled(text: str) -> bool:
    for m in _CANCELLED_RE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 40]
        if _CONDITIONAL_BEFORE_RE.search(before) or _CONDITIONAL_AFTER_RE.search(after):
            continue
        if re.search(r"\bnot\s+(?:been\s+)?$", before):
            continue
        return True
    return False


def _full(text: str) -> bool:
    for rx in (_FULL_RE, _FULL_WORD_RE):
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 30) : m.start()]
            # "a waitlist opens when the class is full", "join before it is full"
            if re.search(r"\b(?:if|when|once|until|before|in\s+case)\b[^.!;]{0,20}$", before):
                continue
            if _FULL_NEGATION_RE.search(before) or _FULL_LATER_RE.match(text[m.end() :]):
                continue
            return True
    return False


def _last_date(when: When) -> date | None:
    dates = [d for d in (when.start_date, when.end_date) if d]
    dates.extend(o[0] for o in when.occurrences)
    return max(dates) if dates else None


def detect_status(*texts: str | None, when: When | None, today: date) -> EntityStatus:
    """The status a listing's texts (status label, title, registration line...) and dates
    give it. An open-ended recurring schedule (start date only) is never past."""
    folded = [fold(t) for t in (clean_text(x) for x in texts) if t]
    if any(_cancelled(t) for t in folded):
        return EntityStatus.CANCELLED
    if any(_full(t) for t in folded):
        return EntityStatus.FULL
    if when is not None and when.parsed:
        last = _last_date(when)
        open_ended = when.recurring and when.end_date is None and not when.occurrences
        if last is not None and last < today and not open_ended:
            return EntityStatus.PAST
    return EntityStatus.ACTIVE
