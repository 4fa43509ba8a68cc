"""What an activity costs: "Free", "$85", "$15/child, $25/family", "$10–20", "by donation".

Output is a `famact.models.Pricing` with Decimal amounts (never floats), the type (free /
paid / donation / variable), labelled options, and the cleaned original text, always kept
because a price line often says more than fits in fields ("$5 off for siblings").

Rules worth knowing:
- an amount needs a currency mark (`$12`, `12€`, `USD 12`, `12 dollars`) unless the whole
  text is a number or follows a price word ("Fee: 85"), so ages and dates are never prices;
- "free" tied to a group ("members free", "kids under 2 free") is a 0 option, not the price;
- "free with admission" / "included with admission" is paid with an unknown cost: you pay
  admission to get in;
- `cost` is the lowest paying price, `max_cost` the highest when several are given.
`price-parser` reads each amount (thousands and decimal separators, currency symbols).
"""

from __future__ import annotations

import re
from decimal import Decimal

from price_parser import Price

from famact.constants import DEFAULT_CURRENCY, PricingType
from famact.models import MAX_TEXT_CHARS, PriceOption, Pricing
from famact.normalize.text import clean_text, fold, truncate

_CURRENCY_SYMBOLS: dict[str, str] = {
    "us$": "USD", "$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD", "dólares": "USD",
    "dolares": "USD", "c$": "CAD", "cad": "CAD", "€": "EUR", "eur": "EUR", "euros": "EUR",
    "euro": "EUR", "£": "GBP", "gbp": "GBP", "¥": "CNY", "元": "CNY", "块": "CNY", "rmb": "CNY",
    "cny": "CNY", "yuan": "CNY", "mxn": "MXN", "pesos": "MXN",
}  # fmt: skip
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_PREFIX_CUR = r"us\$|c\$|\$|€|£|¥|\busd\b|\bcad\b|\beur\b|\bgbp\b|\brmb\b"
_SUFFIX_CUR = (
    r"\$|€|£|元|块|\busd\b|\bcad\b|\beur\b|\bdollars?\b|\bd[oó]lares\b|\beuros?\b|\byuan\b|\bpesos\b"
)
_MONEY_RE = re.compile(
    rf"(?P<pc>{_PREFIX_CUR})\s*(?P<a>{_AMOUNT})"
    rf"(?:\s*(?:-|to|a|–)\s*(?:{_PREFIX_CUR})?\s*(?P<b>{_AMOUNT})(?![\d%]))?"
    rf"|(?<![\d.,])(?P<a2>{_AMOUNT})\s*(?P<sc>{_SUFFIX_CUR})"
)
_BARE_RE = re.compile(rf"^\s*(?:[a-z ]{{0,20}}:)?\s*(?P<a>{_AMOUNT})\s*(?:-|to)?\s*(?P<b>{_AMOUNT})?\s*$")
_PRICE_WORD_RE = re.compile(
    r"\b(?:cost|costs|fee|fees|price|prices|tuition|admission|tickets?|registration|precio|costo|cuota)\b"
    r"\s*:?\s*(?P<a>\d+(?:\.\d{1,2})?)(?![\d%/:])"
)
_FREE_RE = re.compile(
    r"\bfree\b|\bgratis\b|\bgratuit[oa]s?\b|\bentrada\s+libre\b|\bsin\s+costo\b|\bno\s+cost\b|\bno\s+charge\b"
    r"|\bcomplimentary\b|\bfree\s+of\s+charge\b|\bno\s+fee\b|免费|免費"
)
_WITH_ADMISSION_RE = re.compile(
    r"(?:free|included|includes?|incl\.?)\s+(?:with|in)\s+(?:paid\s+|general\s+|museum\s+|zoo\s+|park\s+"
    r"|regular\s+|daily\s+)*(?:admission|entry|entrance|ticket)"
    r"|\bwith\s+(?:paid\s+)?(?:general\s+|museum\s+)?admission\b|\bcon\s+(?:la\s+)?entrada\b"
)
_DONATION_RE = re.compile(
    r"\bdonation|\bdonat(?:e|ivo)|\bpay[\s-]+what[\s-]+you[\s-]+(?:can|wish|will|want)\b|\bpay[\s-]+as[\s-]+you[\s-]+wish\b"
    r"|\bpwyc\b|\bpay[\s-]+what[\s-]+you[\s-]+can\b|\bdonaci[oó]n|\baporte\s+voluntario|自愿捐|捐款"
)
_VARIABLE_RE = re.compile(
    r"\bprices?\s+var(?:y|ies)\b|\bvaries\b|\bvary\b|\bvariable\b|\bsliding[\s-]+scale\b|\bcall\s+for\b"
    r"|\bsee\s+(?:website|site|details|link)\b|\bvar[ií]a\b|\bdepends\b|\bcontact\s+us\s+for\b"
)
# "free" that belongs to a group of people is an option, not the price of the activity.
_QUALIFIED_FREE_RE = re.compile(
    r"(?:\b(?:members?|under\s+\d+|kids|children|child|infants?|babies|toddlers|lap|seniors?|residents?|students?"
    r"|ages?\s+\d+\s*(?:&|and)\s*under|\d+\s*(?:&|and)\s*under|chaperones?|adults?|parents?|caregivers?)"
    r"\b[^,;|/]{0,25}?\bfree\b)|(?:\bfree\s+(?:for|to|under|ages)\b)|(?:\bgratis\s+(?:para|a)\b)"
)
_MEMBER_RE = re.compile(r"^(?:for\s+)?(?:museum\s+|zoo\s+)?(?:members?|miembros|socios)\b|会员|會員")
_DONATION_ONLY_RE = re.compile(r"suggested|donation|donativo|donaci[oó]n|pay\s+what|optional")
_WELCOME_RE = re.compile(r"welcome|appreciated|accepted|encouraged|optional|bienvenid|agradec")
_LABEL_STOP = re.compile(
    r"^(?:per|each|a|an|the|for|/|:|-|–|only|just|cost|price|fee|is|are|and|or|plus|\+|at|of|y|por|para"
    r"|starting|starts|from|as|low|approx|approximately|about|around|desde|con)$"
)


# No activity costs more; larger numbers are phone numbers, IDs or noise (and would overflow
# Decimal's default 28-digit precision when rounded to cents).
MAX_AMOUNT = Decimal(1_000_000)


def _currency(mark: str | None) -> str:
    if not mark:
        return DEFAULT_CURRENCY
    return _CURRENCY_SYMBOLS.get(mark.strip().lower(), DEFAULT_CURRENCY)


def _amount(raw: str) -> Decimal | None:
    """Read one amount with price-parser ("1,200" -> 1200, "10,50" -> 10.50)."""
    price = Price.fromstring(raw)
    if price.amount is None:
        return None
    amount = Decimal(price.amount)
    if amount < 0 or amount > MAX_AMOUNT:
        return None  # a phone number, an ID or a page's noise, never a family activity's price
    # Two decimals at most (the model's rule); "85.00" -> 85.
    amount = amount.quantize(Decimal("0.01"))
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def _segments(text: str) -> list[str]:
    """Split a price line into labelled parts: "$15/child, $25/family", "$120 resident / $150"."""
    # A comma between digits ("1,200", "10,50 €") is part of the amount, not a boundary.
    parts = re.split(
        r"\s*(?:(?<!\d),|,(?!\d))\s*|\s*[;|\n•·!]\s*|\s+/\s+|\s+(?:and|or|y)\s+(?=\S*[$€£])|\s*\.\s+", text
    )
    return [p for p in parts if p.strip()]


def _label(segment: str, money: re.Match[str]) -> str | None:
    before = segment[: money.start()].rsplit(")", 1)[-1]
    after = segment[money.end() :].split("(", 1)[0]
    after_words = re.findall(r"[^\W\d_][\w'-]*|/", after)
    before_words = re.findall(r"[^\W\d_][\w'-]*", before)
    # "$15/child", "$85 per session", "$120 resident"
    words: list[str] = []
    for w in after_words:
        if _LABEL_STOP.match(w) and not words:
            continue
        if w == "/" or _LABEL_STOP.match(w):
            break
        words.append(w)
        if len(words) == 3:
            break
    if not words:
        # "Adults: $15", "nonmembers $12"
        words = [w for w in before_words if not _LABEL_STOP.match(w)][-3:]
    label = " ".join(words).strip(" :-").lower()
    return label or None


def parse_price(text: str | None) -> Pricing | None:
    """A `Pricing` from a price text; None when the text says nothing about price."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    kept = truncate(cleaned, MAX_TEXT_CHARS)
    folded = fold(cleaned)

    amounts: list[Decimal] = []
    options: list[PriceOption] = []
    currency: str | None = None
    ranged = False
    member_amounts: set[Decimal] = set()
    for segment in _segments(folded):
        for m in _MONEY_RE.finditer(segment):
            a = _amount(m.group("a") or m.group("a2"))
            if a is None:
                continue
            currency = currency or _currency(m.group("pc") or m.group("sc"))
            amounts.append(a)
            b = _amount(m.group("b")) if m.group("b") else None
            if b is not None and b > a:
                amounts.append(b)
                ranged = True
            label = _label(segment, m)
            if label and b is None:
                options.append(PriceOption(label=label, amount=a))
                if _MEMBER_RE.search(label):
                    member_amounts.add(a)
        if _QUALIFIED_FREE_RE.search(segment) and not _MONEY_RE.search(segment):
            label = re.sub(r"\bfree\b|\bgratis\b|\bgratuit[oa]s?\b|免费|[!:.]", "", segment)
            label = " ".join(label.split()).strip(" -").lower()[:80]
            if label:
                options.append(PriceOption(label=label, amount=Decimal(0)))
    # "Free-$10": a range from nothing to ten.
    free_range = re.search(rf"\bfree\s*(?:-|to)\s*(?:{_PREFIX_CUR})\s*(?P<b>{_AMOUNT})", folded)
    if free_range:
        amounts.append(Decimal(0))
        ranged = True
        options = [o for o in options if o.label != "free"]
    if not amounts:
        bare = _BARE_RE.match(folded) or _PRICE_WORD_RE.search(folded)
        if bare:
            a = _amount(bare.group("a"))
            if a is not None:
                amounts.append(a)
                b_text = bare.groupdict().get("b")
                b = _amount(b_text) if b_text else None
                if b is not None and b > a:
                    amounts.append(b)
                    ranged = True
    currency = currency or DEFAULT_CURRENCY
    # The price is what the public pays: member prices are options, not the cost
    # ("$45 ($40 for members)" costs 45), unless members' is the only price given.
    public = [a for a in amounts if a not in member_amounts] or amounts
    paying = [a for a in public if a > 0]
    low = min(paying) if paying else None
    high = max(paying) if paying and max(paying) != low else None
    if ranged and amounts and min(amounts) == 0:
        low, high = Decimal(0), max(amounts)

    def pricing(kind: PricingType, cost: Decimal | None, max_cost: Decimal | None = None) -> Pricing:
        return Pricing(type=kind, cost=cost, max_cost=max_cost, currency=currency, options=options, text=kept)

    free_words = _FREE_RE.search(folded)
    starts_free = bool(free_words) and folded.startswith(free_words.group(0))  # type: ignore[union-attr]
    unqualified_free = bool(free_words) and not _QUALIFIED_FREE_RE.search(folded)
    if _WITH_ADMISSION_RE.search(folded):
        return pricing(PricingType.PAID, low, high)
    # Every amount is a donation ("suggested donation $5"), or none is given ("by donation").
    donation_only = not any(
        _MONEY_RE.search(s) and not _DONATION_ONLY_RE.search(s) for s in _segments(folded)
    )
    if _DONATION_RE.search(folded) and donation_only and not (starts_free and _WELCOME_RE.search(folded)):
        return pricing(PricingType.DONATION, low, high)
    if _VARIABLE_RE.search(folded):
        return pricing(PricingType.VARIABLE, low, high)
    if not amounts:
        if free_words:
            return pricing(PricingType.FREE, Decimal(0))
        return None
    if not paying:
        return pricing(PricingType.FREE, Decimal(0))  # "$0"
    if unqualified_free and starts_free and not ranged:
        # "Free! Parking $5": the activity is free, extras are options.
        return pricing(PricingType.FREE, Decimal(0))
    return pricing(PricingType.PAID, low, high)
