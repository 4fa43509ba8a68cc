"""parse_price: free, paid, ranges, options, donations, admission, currencies; Decimal only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from famact.constants import PricingType
from famact.models import PriceOption
from famact.normalize.prices import parse_price

FREE, PAID, DONATION, VARIABLE = (
    PricingType.FREE,
    PricingType.PAID,
    PricingType.DONATION,
    PricingType.VARIABLE,
)

CASES: list[tuple[str, PricingType, str | None, str | None]] = [
    # text, type, cost, max_cost
    ("Free", FREE, "0", None),
    ("FREE!", FREE, "0", None),
    ("free admission", FREE, "0", None),
    ("Free and open to the public", FREE, "0", None),
    ("FREE 🎉", FREE, "0", None),
    ("gratis", FREE, "0", None),
    ("Gratuito", FREE, "0", None),
    ("Entrada libre", FREE, "0", None),
    ("免费", FREE, "0", None),
    ("No cost", FREE, "0", None),
    ("Free of charge", FREE, "0", None),
    ("Complimentary", FREE, "0", None),
    ("$0", FREE, "0", None),
    ("$0.00", FREE, "0", None),
    ("Free; donations welcome", FREE, "0", None),
    ("Free (registration required)", FREE, "0", None),
    ("Free! Parking $5", FREE, "0", None),
    ("$85", PAID, "85", None),
    ("$85.50", PAID, "85.50", None),
    ("$ 85", PAID, "85", None),
    ("85", PAID, "85", None),
    ("85.00", PAID, "85", None),
    ("Cost: 85", PAID, "85", None),
    ("Fee: $120", PAID, "120", None),
    ("$1,200 per session", PAID, "1200", None),
    ("$15/child, $25/family", PAID, "15", "25"),
    ("$10-$20", PAID, "10", "20"),
    ("$10–20", PAID, "10", "20"),
    ("$10 - $20", PAID, "10", "20"),
    ("$10 to $20", PAID, "10", "20"),
    ("Tickets $12 - $18", PAID, "12", "18"),
    ("$120 resident / $150 non-resident", PAID, "120", "150"),
    ("$8 members / $12 non-members", PAID, "12", None),  # the public price
    ("$45 ($40 for members)", PAID, "45", None),
    ("Members $5", PAID, "5", None),  # members' is the only price given
    ("Gratis para miembros, $10 público general", PAID, "10", None),
    ("Starting at $29", PAID, "29", None),
    ("$150/week or $35/day", PAID, "35", "150"),
    ("$10 adv / $15 door", PAID, "10", "15"),
    ("No fee; registration required", FREE, "0", None),
    ("Admission is free, but tickets are required", FREE, "0", None),
    ("Donation-based", DONATION, None, None),
    ("Members free, nonmembers $12", PAID, "12", None),
    ("Adults $15, Children $10, under 2 free", PAID, "10", "15"),
    ("Free for kids under 3; $10 per person", PAID, "10", None),
    ("Admission: $29.95 adults; $19.95 kids 3-12; free for 2 and under", PAID, "19.95", "29.95"),
    ("Tuition: $350/week", PAID, "350", None),
    ("$5 (10% sibling discount)", PAID, "5", None),
    ("Free–$10", PAID, "0", "10"),
    ("10 dólares", PAID, "10", None),
    ("$25 por niño", PAID, "25", None),
    ("by donation", DONATION, None, None),
    ("By Donation", DONATION, None, None),
    ("suggested donation $5", DONATION, "5", None),
    ("$5 suggested donation", DONATION, "5", None),
    ("pay what you can", DONATION, None, None),
    ("Pay-what-you-wish", DONATION, None, None),
    ("Donativo sugerido", DONATION, None, None),
    ("Free with admission", PAID, None, None),
    ("included with admission", PAID, None, None),
    ("FREE with paid museum admission", PAID, None, None),
    ("Included in general admission", PAID, None, None),
    ("Free with paid museum admission ($25)", PAID, "25", None),
    ("Prices vary", VARIABLE, None, None),
    ("Price varies by session", VARIABLE, None, None),
    ("Sliding scale $5-$20", VARIABLE, "5", "20"),
    ("Call for pricing", VARIABLE, None, None),
]


@pytest.mark.parametrize(("text", "kind", "cost", "max_cost"), CASES, ids=[c[0] for c in CASES])
def test_price_type_and_amounts(text: str, kind: PricingType, cost: str | None, max_cost: str | None) -> None:
    pricing = parse_price(text)
    assert pricing is not None
    assert pricing.type is kind
    assert pricing.cost == (Decimal(cost) if cost is not None else None)
    assert pricing.max_cost == (Decimal(max_cost) if max_cost is not None else None)
    for amount in (pricing.cost, pricing.max_cost, *(o.amount for o in pricing.options)):
        assert amount is None or isinstance(amount, Decimal)
    assert pricing.text is not None


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("€10", "EUR"),
        ("10,50 €", "EUR"),
        ("£5", "GBP"),
        ("80元", "CNY"),
        ("C$20", "CAD"),
        ("US$12", "USD"),
        ("$12", "USD"),
        ("12 USD", "USD"),
        ("Free", "USD"),
    ],
)
def test_currency(text: str, currency: str) -> None:
    pricing = parse_price(text)
    assert pricing is not None
    assert pricing.currency == currency


def test_decimal_comma_amount() -> None:
    pricing = parse_price("10,50 €")
    assert pricing is not None
    assert pricing.cost == Decimal("10.50")


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("$15/child, $25/family", [("child", "15"), ("family", "25")]),
        ("$120 resident / $150 non-resident", [("resident", "120"), ("non-resident", "150")]),
        ("Members free, nonmembers $12", [("members", "0"), ("nonmembers", "12")]),
        ("Adults: $15; Children: $10", [("adults", "15"), ("children", "10")]),
        ("$85 per session", [("session", "85")]),
        ("Gratis para miembros, $10 público general", [("para miembros", "0"), ("público general", "10")]),
        ("Starting at $29", []),
        ("$85", []),
        ("$10-$20", []),
    ],
)
def test_options(text: str, options: list[tuple[str, str]]) -> None:
    pricing = parse_price(text)
    assert pricing is not None
    assert pricing.options == [PriceOption(label=label, amount=Decimal(amount)) for label, amount in options]


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "&nbsp;",
        "Registration required",
        "ages 5-12",
        "See you there!",
        "Dec 5, 10am",
        "Room 12",
    ],
)
def test_no_price(text: str | None) -> None:
    assert parse_price(text) is None


def test_the_original_text_is_kept_cleaned_and_bounded() -> None:
    pricing = parse_price("  <b>$15</b>/child,&nbsp;$25/family  ")
    assert pricing is not None
    assert pricing.text == "$15/child, $25/family"
    long = parse_price("$10 " + "and more words " * 300)
    assert long is not None and long.text is not None
    assert len(long.text) <= 2000
    assert long.text.endswith("…")


def test_free_with_admission_keeps_its_text() -> None:
    pricing = parse_price("Free with admission")
    assert pricing is not None
    assert pricing.text == "Free with admission"
