"""Property-based tests: the normalizers and key builders never raise on arbitrary text, and
round-trip where they should.

A crawled page can hold any text in any field; a normalizer that raises on one odd string
drops a listing (or, before the pipelines caught it, a crawl). Hypothesis generates the odd
strings: mixed scripts, control characters, huge numbers, half-dates.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from famact import keys
from famact.constants import AgeGroup, EntityType
from famact.normalize.ages import parse_ages
from famact.normalize.dates import parse_days, parse_time_range, parse_when
from famact.normalize.places import parse_address, split_venue
from famact.normalize.prices import parse_price
from famact.normalize.text import clean_text, fold

TODAY = date(2026, 11, 24)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks a little like listing fields: words, numbers, dates, times, prices, symbols.
FRAGMENTS = st.sampled_from(
    [
        "Dec",
        "December",
        "Sat",
        "Saturdays",
        "every",
        "Tuesday",
        "10",
        "10:30",
        "am",
        "pm",
        "-",
        "–",
        "to",
        "through",
        "2026",
        "2027",
        "31",
        "Feb 30",
        "ages",
        "3-5",
        "months",
        "yrs",
        "$",
        "$15",
        "free",
        "donation",
        "/child",
        "+",
        "@",
        ",",
        "(",
        ")",
        "noon",
        "midnight",
        "Jan 12 - Mar 2",
        "8 weeks",
        "9999999999999999",
        "0",
        "½",
        "🎉",
        "儿童",
        "niños",
        "\u200b",
        "\n",
        "\t",
        "#",
        "TBD",
    ]
)
LISTING_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(FRAGMENTS, max_size=20).map(" ".join),
)


@PROPERTY_SETTINGS
@given(
    date_text=st.none() | LISTING_TEXT, time_text=st.none() | LISTING_TEXT, schedule=st.none() | LISTING_TEXT
)
def test_parse_when_never_raises_and_keeps_dates_ordered(
    date_text: str | None, time_text: str | None, schedule: str | None
) -> None:
    when = parse_when(date_text, time_text, schedule, today=TODAY)
    if when.start_date and when.end_date:
        assert when.start_date <= when.end_date
    for value in (when.start_time, when.end_time):
        assert value is None or re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)


@PROPERTY_SETTINGS
@given(text=LISTING_TEXT)
def test_times_and_days_never_raise(text: str) -> None:
    start, end = parse_time_range(text)
    for value in (start, end):
        assert value is None or re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)
    assert all(day is not None for day in parse_days(text))


@PROPERTY_SETTINGS
@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_a_clock_time_round_trips(hour: int, minute: int) -> None:
    twelve = (hour % 12) or 12
    suffix = "am" if hour < 12 else "pm"
    assert parse_time_range(f"{twelve}:{minute:02d} {suffix}") == (f"{hour:02d}:{minute:02d}", None)


@PROPERTY_SETTINGS
@given(day=st.dates(min_value=date(2026, 11, 25), max_value=date(2027, 10, 31)))
def test_a_written_date_round_trips(day: date) -> None:
    when = parse_when(day.strftime("%A, %B %-d, %Y"), None, None, today=TODAY)
    assert when.start_date == day


@PROPERTY_SETTINGS
@given(text=st.none() | LISTING_TEXT)
def test_ages_never_raise_and_are_ordered(text: str | None) -> None:
    ages = parse_ages(text)
    for group in ages.groups:
        if group.min_age is not None and group.max_age is not None:
            assert group.min_age <= group.max_age


@PROPERTY_SETTINGS
@given(text=st.none() | LISTING_TEXT)
@example(text="100000000000000000000000000")  # found by hypothesis: overflowed rounding to cents
def test_prices_never_raise_and_are_decimal_and_non_negative(text: str | None) -> None:
    pricing = parse_price(text)
    if pricing is not None and pricing.cost is not None:
        assert isinstance(pricing.cost, Decimal) and pricing.cost >= 0


@PROPERTY_SETTINGS
@given(dollars=st.integers(1, 5000), cents=st.sampled_from([0, 50, 99]))
def test_a_price_round_trips(dollars: int, cents: int) -> None:
    pricing = parse_price(f"${dollars}.{cents:02d} per child")
    assert pricing is not None and pricing.cost == Decimal(f"{dollars}.{cents:02d}")


@PROPERTY_SETTINGS
@given(text=st.none() | LISTING_TEXT)
def test_places_and_text_helpers_never_raise(text: str | None) -> None:
    parse_address(text)
    split_venue(text)
    cleaned = clean_text(text)
    assert cleaned is None or cleaned == cleaned.strip()
    fold(text or "")


@PROPERTY_SETTINGS
@given(name=st.text(max_size=300), identity=st.lists(st.text(max_size=50), max_size=4))
def test_entity_ids_are_deterministic_slugs_and_round_trip_through_the_pk(
    name: str, identity: list[str]
) -> None:
    entity_id = keys.make_entity_id(name, *identity)
    assert entity_id == keys.make_entity_id(name, *identity)
    assert re.fullmatch(r"[a-z0-9-]{1,50}-[0-9a-f]{6}", entity_id)
    for entity_type in EntityType:
        assert keys.parse_entity_pk(keys.entity_pk(entity_type, entity_id)) == (entity_type, entity_id)


@PROPERTY_SETTINGS
@given(
    day=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    group=st.sampled_from(list(AgeGroup)),
    region=st.none() | st.text(max_size=80),
)
def test_index_keys_are_plain_strings_that_sort_by_date(
    day: date | None, group: AgeGroup, region: str | None
) -> None:
    sk = keys.age_sk(group, day)
    assert sk.startswith("AGE#") and (day is None or day.isoformat() in sk)
    slug = keys.place_slug(region)
    assert slug == "unknown" or re.fullmatch(r"[a-z0-9-]+", slug)
    if day is not None:
        later = day + timedelta(days=1)
        assert keys.date_sk_bound(day) < keys.date_sk_bound(later)


@PROPERTY_SETTINGS
@given(moment=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)))
def test_next_run_buckets_are_hour_truncations(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC)
    bucket = keys.next_run_bucket(aware)
    assert bucket == keys.next_run_bucket(aware.replace(minute=0, second=0, microsecond=0))
