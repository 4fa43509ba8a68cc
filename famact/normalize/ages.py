"""Who an activity is for: "ages 5-12", "18 mos - 3 yrs", "grades K-2", "toddlers", "All ages".

Output is explicit about units (the seed data mixed months and years silently): bounds in
months, plus one `AgeRange` per age group the range overlaps, stated in the unit the page
used. Conventions fixed by the lead (the fixtures use them):

- years -> months is `years * 12` for both bounds ("ages 5-12" -> 60..144);
- "under 5" excludes 5 (0..48), "5 and under" includes it (0..60), "3+" / "3 and up" -> 36..;
- grade g -> (g+5)..(g+6) years, K = 0, Pre-K/TK = -1 ("grades K-2" -> 60..96);
- words: infants 0..12, toddlers 12..36, preschoolers 36..60, tweens 108..156,
  teens 156..216, adults 216..; "kids"/"children" alone say nothing;
- "all ages", "everyone", "todas las edades" -> all ages; "families" only when nothing
  more precise is given.

Age numbers need a cue (an age word, a unit, a grade, or a text that is nothing but the
range), so "Dec 5-12" or "$5-12" is never an age range. "Children under 8 must be
accompanied by an adult" is a supervision rule, not an age limit, and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from famact.constants import AGE_GROUP_MONTHS, MAX_AGE_MONTHS, AgeGroup, AgeUnit
from famact.models import AgeRange
from famact.normalize.text import clean_text, fold


@dataclass(frozen=True)
class Ages:
    min_months: int | None = None
    max_months: int | None = None
    all_ages: bool = False
    groups: tuple[AgeRange, ...] = ()
    parsed: bool = False


@dataclass(frozen=True)
class _Range:
    lo: int
    hi: int | None
    months_unit: bool = False  # a bound was stated in months
    exclusive_hi: bool = False  # word ranges: "toddlers" 12..36 is not a preschooler


_NUM = r"(?P<{n}>\d{{1,3}}(?:\.\d{{1,2}})?)"
_MONTH_UNIT = r"(?:months?|mos?\.?|mths?|mnths?|meses|mes|个月|個月|m\b)"
_YEAR_UNIT = r"(?:years?[\s-]*olds?|years?|yrs?\.?|y/o|y\.o\.|yo\b|años|anos|año|岁|歲|周岁|y\b)"
_UNIT = rf"(?P<{{n}}>{_MONTH_UNIT}|{_YEAR_UNIT})"
_N = _NUM.format(n="n")
_U = _UNIT.format(n="u")
_RANGE_SEP = r"\s*(?:-|~|\bto\b|\bthru\b|\bthrough\b|\ba\b|\bal\b|\bhasta\b|\band\b|&|\by\b|至|到)\s*"
# No currency, digit, time or date glue around an age number: "$5-12", "10-11am", "12/5-6".
_PRE = r"(?<![$€£\d.,/:])"
_POST = r"(?![\d/:]|\s*(?:am|pm|a\.m|p\.m|%))"

_RANGE_RE = re.compile(
    rf"{_PRE}{_NUM.format(n='a')}\s*{_UNIT.format(n='ua')}?{_RANGE_SEP}{_NUM.format(n='b')}{_POST}\s*{_UNIT.format(n='ub')}?"
)
_PLUS_RE = re.compile(
    rf"{_PRE}{_N}\s*{_U}?\s*(?:\+|and\s+up\b|&\s*up\b|and\s+older\b|or\s+older\b"
    r"|and\s+over\b|&\s*over\b|or\s+over\b|y\s+mayores\b|y\s+m[aá]s\b|o\s+m[aá]s\b|en\s+adelante|以上|及以上)"
)
_AND_UNDER_RE = re.compile(
    rf"{_PRE}{_N}\s*{_U}?\s*(?:and\s+under|&\s*under|and\s+younger|or\s+younger|or\s+under"
    r"|and\s+below|y\s+menores|o\s+menos|以下|及以下)"
)
_UNDER_RE = re.compile(
    rf"(?:\bunder\b|younger\s+than|\bbelow\b|less\s+than|menores\s+de|menos\s+de)\s*(?:age\s*|the\s+age\s+of\s*)?"
    rf"{_N}{_POST}\s*{_U}?"
)
_UP_TO_RE = re.compile(rf"(?:up\s+to|hasta)\s*(?:age\s*)?{_N}{_POST}\s*{_U}?")
_OVER_RE = re.compile(rf"(?:\bover\b|older\s+than|mayores\s+de|m[aá]s\s+de)\s*(?:age\s*)?{_N}{_POST}\s*{_U}?")
_SINGLE_RE = re.compile(
    rf"(?:\bages?\b|\baged\b|\bedad(?:es)?\b|年龄)\s*:?\s*(?:de\s+)?{_N}{_POST}\s*{_U}?"
    rf"|{_PRE}{_NUM.format(n='n2')}{_POST}[\s-]*{_UNIT.format(n='u2')}"
)
_AGE_CUE_RE = re.compile(
    r"\bages?\b|\baged\b|\bedad(?:es)?\b|年龄|年齡|\bfor\b|\bpara\b|\bkids\b|\bchild(?:ren)?\b|\byouth\b"
    r"|\bni[nñ]os\b|\bstudents\b|\bteens?\b|\btweens?\b|\btoddlers?\b|\bbab(?:y|ies)\b|\binfants?\b"
    r"|\badults?\b|\bpreschoolers?\b|儿童|兒童"
)

_GRADE = r"(pre[\s-]?k(?:inder(?:garten)?)?|tk|k(?:inder(?:garten)?)?|\d{1,2}(?:st|nd|rd|th|º|°|o)?)"
_GRADE_RE = re.compile(
    rf"\b(?:grades?|grados?|gr\.?)\s*:?\s*{_GRADE}(?:\s*(?:-|to|thru|through|a|al|and|&)\s*{_GRADE})?\b"
    rf"|\b{_GRADE}(?:\s*(?:-|to|thru|through|and|&)\s*{_GRADE})?\s*(?:grades?|graders?|grado)\b"
    rf"|(?<![\w$])(k|tk|pre-?k)\s*-\s*(\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"|\b(pre[\s-]?k(?:indergarten)?|prekinder|transitional\s+kindergarten|kindergarten|kinder)\b"
)

_WORDS: list[tuple[re.Pattern[str], int, int | None]] = [
    (re.compile(r"\b(?:infants?|babies|baby|newborns?|beb[eé]s|lap\s*sit)\b|婴儿|嬰兒|宝宝|寶寶"), 0, 12),
    (re.compile(r"\b(?:toddlers?|walkers|ni[nñ]os\s+peque[nñ]os)\b|幼儿|幼兒"), 12, 36),
    (re.compile(r"\b(?:pre-?schoolers?|preschool|preescolar(?:es)?)\b|学龄前|學齡前"), 36, 60),
    (re.compile(r"\b(?:school[\s-]?age(?:d)?|elementary|primaria)\b|小学生|小學生"), 60, 132),
    (re.compile(r"\b(?:tweens?|pre-?teens?|preadolescentes)\b"), 108, 156),
    (re.compile(r"\b(?:teens?|teenagers?|adolescentes|high\s+school(?:ers)?)\b|青少年"), 156, 216),
    (re.compile(r"\b(?:adults?|adultos?|grown[\s-]?ups)\b|成人|成年人"), 216, None),
]
_ALL_AGES_RE = re.compile(
    r"\ball[\s-]+ages\b|\bany\s+age\b|\bages\s+all\b|\beveryone\b|\ball\s+welcome\b|\bopen\s+to\s+all\b"
    r"|\btodas\s+las\s+edades\b|\btodo\s+p[uú]blico\b|\bpara\s+toda\s+la\s+familia\b|所有年龄|所有年齡|老少皆宜"
    r"|不限年龄|不限年齡|全年龄|全年齡"
    r"|\b(?:kids|children|ni[nñ]os|youth)\s*(?:and|&|\+|y)\s*(?:their\s+)?(?:adults|grown[\s-]?ups|parents|adultos)\b"
    r"|\b(?:adults|parents)\s*(?:and|&|\+|y)\s*(?:kids|children|ni[nñ]os)\b"
)
_FAMILY_RE = re.compile(r"\bfamil(?:y|ies)\b|\bfamilias?\b|全家|亲子|親子|家庭")
_SUPERVISION_RE = re.compile(
    r"accompan|supervis|with\s+an?\s+(?:adult|parent|caregiver|guardian)|acompa[nñ]ad|must\s+be\s+with"
    r"|由家长陪同|家长陪同"
)
_UPPER_WORD_RE = re.compile(r"under|younger|below|menores|以下")


def _to_months(number: str, unit: str | None) -> int:
    value = Decimal(number)
    if unit and re.fullmatch(_MONTH_UNIT, unit):
        return int(value.to_integral_value(ROUND_HALF_UP))
    return int((value * 12).to_integral_value(ROUND_HALF_UP))


def _is_months(unit: str | None) -> bool:
    return bool(unit and re.fullmatch(_MONTH_UNIT, unit))


def _grade_value(raw: str) -> int:
    raw = raw.strip()
    if raw.startswith(("pre", "tk", "transitional")):
        return -1
    if raw.startswith("k"):
        return 0
    return int(re.match(r"\d+", raw).group(0))  # type: ignore[union-attr]


def _strip_supervision(text: str) -> str:
    """Drop clauses like "children under 8 must be accompanied by an adult"."""
    # A clause ends at ; ! ( ) [ ] or a full stop followed by a space ("2.5" stays whole).
    clauses = re.split(r"(?<=[;!()\[\]\n])|(?<=\.)(?=\s|$)|(?=\()", text)
    kept = [c for c in clauses if not (_SUPERVISION_RE.search(c) and _UPPER_WORD_RE.search(c))]
    return " ".join(kept)


def _bare(text: str) -> bool:
    """The whole text is an age expression without words ("5-12", "3+", "0-5 (yrs)")."""
    return bool(re.fullmatch(r"[\s(:]*[\d.]+\s*(?:[-~+]|to)?\s*[\d.]*\s*[+)]*\s*", text))


def _numeric(text: str) -> list[_Range]:
    found: list[_Range] = []
    taken: list[tuple[int, int]] = []
    cue = bool(_AGE_CUE_RE.search(text)) or _bare(text)
    baby_words = bool(_WORDS[0][0].search(text) or _WORDS[1][0].search(text))

    def free(m: re.Match[str]) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in taken)

    def add(m: re.Match[str], rng: _Range) -> None:
        found.append(rng)
        taken.append((m.start(), m.end()))

    for m in _GRADE_RE.finditer(text):
        groups = [g for g in m.groups() if g]
        if not groups:
            continue
        values = [_grade_value(g) for g in groups[:2]]
        lo_g, hi_g = min(values), max(values)
        if hi_g > 12:
            continue
        add(m, _Range((lo_g + 5) * 12, (hi_g + 6) * 12))
    for m in _RANGE_RE.finditer(text):
        if not free(m):
            continue
        ua, ub = m.group("ua"), m.group("ub")
        if not (ua or ub or cue):
            continue
        unit_a = ua or ub
        unit_b = ub or ua
        if not (ua or ub) and baby_words and Decimal(m.group("b")) > 6:
            unit_a = unit_b = "months"  # "Babies 0-18": months, not 18 years
        lo, hi = _to_months(m.group("a"), unit_a), _to_months(m.group("b"), unit_b)
        if lo > hi:
            lo, hi = hi, lo
        if hi > MAX_AGE_MONTHS:
            continue
        add(m, _Range(lo, hi, _is_months(unit_a) or _is_months(unit_b)))
    for m in _PLUS_RE.finditer(text):
        if not free(m):
            continue
        unit = m.group("u")
        plus_only = m.group(0).rstrip().endswith("+")
        if plus_only and not (unit or cue or _WORDS[6][0].search(text)):
            continue
        add(m, _Range(_to_months(m.group("n"), unit), None, _is_months(unit)))
    for m in _AND_UNDER_RE.finditer(text):
        if free(m):
            unit = m.group("u")
            add(m, _Range(0, _to_months(m.group("n"), unit), _is_months(unit)))
    for m in _UNDER_RE.finditer(text):
        if free(m):
            unit = m.group("u")
            # "under 5" leaves 5-year-olds out: one unit less.
            add(m, _Range(0, _to_months(str(Decimal(m.group("n")) - 1), unit), _is_months(unit)))
    for m in _UP_TO_RE.finditer(text):
        if free(m):
            unit = m.group("u")
            add(m, _Range(0, _to_months(m.group("n"), unit), _is_months(unit)))
    for m in _OVER_RE.finditer(text):
        if free(m):
            unit = m.group("u")
            bump = 1 if "older" in m.group(0) else 0  # "older than 5" is 6+; "over 18" is 18+
            add(m, _Range(_to_months(str(Decimal(m.group("n")) + bump), unit), None, _is_months(unit)))
    for m in _SINGLE_RE.finditer(text):
        if not free(m):
            continue
        number = m.group("n") or m.group("n2")
        unit = m.group("u") or m.group("u2")
        months = _to_months(number, unit)
        if months <= MAX_AGE_MONTHS:
            add(m, _Range(months, months, _is_months(unit)))
    return [r for r in found if r.hi is None or r.lo <= r.hi]


def _years(months: int) -> Decimal:
    value = Decimal(months) / Decimal(12)
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()


def age_groups(
    lo: int, hi: int | None, months_unit: bool, exclusive_hi: bool = False
) -> tuple[AgeRange, ...]:
    """One AgeRange per age group that [lo, hi] overlaps, bounded by the overlap."""
    top = MAX_AGE_MONTHS if hi is None else (hi - 1 if exclusive_hi and hi > lo else hi)
    out: list[AgeRange] = []
    for group, (g_lo, g_hi) in AGE_GROUP_MONTHS.items():
        o_lo, o_hi = max(lo, g_lo), min(top, g_hi)
        if o_lo > o_hi:
            continue
        open_top = hi is None and o_hi == g_hi == MAX_AGE_MONTHS
        if months_unit:
            out.append(
                AgeRange(
                    category=group,
                    min_age=Decimal(o_lo),
                    max_age=None if open_top else Decimal(o_hi),
                    unit=AgeUnit.MONTHS,
                )
            )
            continue
        min_age = _years(o_lo)
        if open_top:
            max_age = None
        elif o_hi == hi:
            max_age = _years(o_hi)  # the stated bound, exactly
        else:
            # A group's last month (131) is the last month of age 10: say 10, not 10.92.
            max_age = max(Decimal(o_hi // 12), min_age)
        out.append(AgeRange(category=group, min_age=min_age, max_age=max_age, unit=AgeUnit.YEARS))
    return tuple(out)


def _all_ages() -> Ages:
    return Ages(all_ages=True, groups=(AgeRange(category=AgeGroup.ALL_AGES),), parsed=True)


def parse_ages(text: str | None) -> Ages:
    """Ages from free text; `parsed` is False when the text names no age at all."""
    cleaned = clean_text(text)
    if not cleaned:
        return Ages()
    folded = fold(cleaned.replace("½", ".5"))
    folded = re.sub(r"(\d)\s+1/2\b", r"\1.5", folded)
    folded = re.sub(r"\b(?:birth|newborns?|nacimiento|infancy)\b|出生", "0", folded)
    # "walkers to 3 years": walking age, 12 months, starts a range
    folded = re.sub(r"\bwalkers?(?=\s*(?:-|to\b|thru\b))", "12 months", folded)
    if _ALL_AGES_RE.search(folded):
        return _all_ages()
    ranges = _numeric(_strip_supervision(folded))
    if not ranges:
        ranges = [_Range(lo, hi, exclusive_hi=True) for rx, lo, hi in _WORDS if rx.search(folded)]
    if not ranges:
        return _all_ages() if _FAMILY_RE.search(folded) else Ages()
    lo = min(r.lo for r in ranges)
    hi = None if any(r.hi is None for r in ranges) else max(r.hi for r in ranges if r.hi is not None)
    months_unit = any(r.months_unit for r in ranges)
    exclusive = all(r.exclusive_hi for r in ranges)
    return Ages(
        min_months=lo,
        max_months=hi,
        all_ages=False,
        groups=age_groups(lo, hi, months_unit, exclusive),
        parsed=True,
    )


# A film's certificate printed after its title: "Kick-Ass 2 (15)", "Wadjda (PG)", "Frozen (U)",
# "Elysium (Cert TBC)", "Met. Encore: Tosca (As Live: 12A)" (a screening rated as its live
# broadcast), "Inside the Mind of Leonardo 3D (E)" (exempt). British certificates 12, 15 and 18
# (and the US NC-17) set a minimum age; U, PG, 12A, G, PG-13 and R admit children (R and 12A
# with an adult), so they set none.
_CERTIFICATE = re.compile(
    r"\s*\((?:as\s+live:\s*)?(?P<cert>U|PG|12A?|15|18|R18|E|G|PG-13|R|NC-17|No\s+cert|Cert\s+TBC|TBC)\)\s*$",
    re.IGNORECASE,
)
_CERTIFICATE_MIN_AGE = {"12": 12, "15": 15, "18": 18, "r18": 18, "nc-17": 18}


def split_film_certificate(title: str) -> tuple[str, str | None]:
    """The title without a trailing film certificate, and the ages text the certificate
    implies ("ages 15+"), or None when it implies none. A title that is only a certificate,
    or none, comes back as it is."""
    match = _CERTIFICATE.search(title)
    if match is None or not title[: match.start()].strip():
        return title, None
    minimum = _CERTIFICATE_MIN_AGE.get(re.sub(r"\s+", " ", match.group("cert")).lower())
    return title[: match.start()].rstrip(), (f"ages {minimum}+" if minimum else None)
