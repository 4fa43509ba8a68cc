"""parse_ages: the lead's month conventions, grades, words, languages, and what is not an age."""

from __future__ import annotations

from decimal import Decimal

import pytest

from famact.constants import AgeGroup, AgeUnit
from famact.models import AgeRange
from famact.normalize.ages import Ages, age_groups, parse_ages, split_film_certificate

INF, TOD, PRE, ELEM, TWEEN, TEEN, ADULT = (
    AgeGroup.INFANT,
    AgeGroup.TODDLER,
    AgeGroup.PRESCHOOL,
    AgeGroup.ELEMENTARY,
    AgeGroup.TWEEN,
    AgeGroup.TEEN,
    AgeGroup.ADULT,
)

BOUNDS: list[tuple[str, int | None, int | None, tuple[AgeGroup, ...]]] = [
    # text, min_months, max_months, groups
    ("ages 5-12", 60, 144, (ELEM, TWEEN)),
    ("Ages 5 - 12", 60, 144, (ELEM, TWEEN)),
    ("AGES 5–12", 60, 144, (ELEM, TWEEN)),
    ("18 mos - 3 yrs", 18, 36, (TOD, PRE)),
    ("3+", 36, None, (PRE, ELEM, TWEEN, TEEN, ADULT)),
    ("3 and up", 36, None, (PRE, ELEM, TWEEN, TEEN, ADULT)),
    ("Ages 4 & up", 48, None, (PRE, ELEM, TWEEN, TEEN, ADULT)),
    ("ages 6 and older", 72, None, (ELEM, TWEEN, TEEN, ADULT)),
    ("under 5", 0, 48, (INF, TOD, PRE)),
    ("Kids under 5", 0, 48, (INF, TOD, PRE)),
    ("younger than 3", 0, 24, (INF, TOD)),
    ("5 and under", 0, 60, (INF, TOD, PRE, ELEM)),
    ("ages 12 & under", 0, 144, (INF, TOD, PRE, ELEM, TWEEN)),
    ("up to age 6", 0, 72, (INF, TOD, PRE, ELEM)),
    ("0-5", 0, 60, (INF, TOD, PRE, ELEM)),
    ("4-6", 48, 72, (PRE, ELEM)),
    ("birth to 5", 0, 60, (INF, TOD, PRE, ELEM)),
    ("Birth-3 yrs", 0, 36, (INF, TOD, PRE)),
    ("newborn-12 months", 0, 12, (INF, TOD)),
    ("6 mo - 2 yr", 6, 24, (INF, TOD)),
    ("6-18 months", 6, 18, (INF, TOD)),
    ("Babies 0-18 months", 0, 18, (INF, TOD)),
    ("12 months+", 12, None, (TOD, PRE, ELEM, TWEEN, TEEN, ADULT)),
    ("18 months and up", 18, None, (TOD, PRE, ELEM, TWEEN, TEEN, ADULT)),
    ("walkers to 3 years", 12, 36, (TOD, PRE)),
    ("grades K-2", 60, 96, (ELEM,)),
    ("Grades K–5", 60, 132, (ELEM, TWEEN)),
    ("grades 6-8", 132, 168, (TWEEN, TEEN)),
    ("Grade 3", 96, 108, (ELEM,)),
    ("3rd grade", 96, 108, (ELEM,)),
    ("1st-3rd grade", 72, 108, (ELEM,)),
    ("entering grades 1-5", 72, 132, (ELEM, TWEEN)),
    ("rising 6th-8th graders", 132, 168, (TWEEN, TEEN)),
    ("K-5", 60, 132, (ELEM, TWEEN)),
    ("Pre-K", 48, 60, (PRE, ELEM)),
    ("PreK", 48, 60, (PRE, ELEM)),
    ("kindergarten", 60, 72, (ELEM,)),
    ("grados 1-5", 72, 132, (ELEM, TWEEN)),
    ("infants", 0, 12, (INF,)),
    ("babies", 0, 12, (INF,)),
    ("Baby Storytime", 0, 12, (INF,)),
    ("toddlers", 12, 36, (TOD,)),
    ("TODDLERS", 12, 36, (TOD,)),
    ("preschoolers", 36, 60, (PRE,)),
    ("Preschool Storytime", 36, 60, (PRE,)),
    ("tweens", 108, 156, (ELEM, TWEEN)),
    ("teens", 156, 216, (TEEN,)),
    ("Teen Night", 156, 216, (TEEN,)),
    ("adults 18+", 216, None, (ADULT,)),
    ("ADULTS ONLY", 216, None, (ADULT,)),
    ("21+", 252, None, (ADULT,)),
    ("over 18", 216, None, (ADULT,)),
    ("toddlers and preschoolers", 12, 60, (TOD, PRE)),
    ("Babies & Toddlers", 0, 36, (INF, TOD)),
    ("Ages: 2–5", 24, 60, (TOD, PRE, ELEM)),
    ("(5-12 yrs)", 60, 144, (ELEM, TWEEN)),
    ("for ages 8 to 14", 96, 168, (ELEM, TWEEN, TEEN)),
    ("age 4", 48, 48, (PRE,)),
    ("Age: 10", 120, 120, (ELEM,)),
    ("4 year olds", 48, 48, (PRE,)),
    ("for 3-year-olds", 36, 36, (PRE,)),
    ("3 to 5 year olds", 36, 60, (PRE, ELEM)),
    ("ages 3 & 4", 36, 48, (PRE,)),
    ("2.5-5 years", 30, 60, (TOD, PRE, ELEM)),
    ("Ages 2½-5", 30, 60, (TOD, PRE, ELEM)),
    ("Ages 2 1/2 to 5", 30, 60, (TOD, PRE, ELEM)),
    ("1-3 yrs", 12, 36, (TOD, PRE)),
    ("Kids 6-10", 72, 120, (ELEM,)),
    ("Youth 8-12", 96, 144, (ELEM, TWEEN)),
    ("Teens (13-18)", 156, 216, (TEEN, ADULT)),
    ("👶 Ages 0-2 🍼", 0, 24, (INF, TOD)),
    ("edades 5-12 años", 60, 144, (ELEM, TWEEN)),
    ("de 3 a 5 años", 36, 60, (PRE, ELEM)),
    ("niños de 6 a 12 años", 72, 144, (ELEM, TWEEN)),
    ("mayores de 18 años", 216, None, (ADULT,)),
    ("menores de 5 años", 0, 48, (INF, TOD, PRE)),
    ("bebés", 0, 12, (INF,)),
    ("5至12岁", 60, 144, (ELEM, TWEEN)),
    ("3-6岁", 36, 72, (PRE, ELEM)),
    ("3岁以上", 36, None, (PRE, ELEM, TWEEN, TEEN, ADULT)),
    ("婴儿", 0, 12, (INF,)),
    ("Ages 5-12; children under 8 must be accompanied by an adult", 60, 144, (ELEM, TWEEN)),
    ("Ages 6-12. Kids under 6 must be accompanied by an adult.", 72, 144, (ELEM, TWEEN)),
    ("Ages 3-5 with a caregiver", 36, 60, (PRE, ELEM)),
    ("Storytime for babies 0-18 mos. Caregivers must stay.", 0, 18, (INF, TOD)),
]


@pytest.mark.parametrize(("text", "lo", "hi", "groups"), BOUNDS, ids=[c[0] for c in BOUNDS])
def test_bounds_and_groups(text: str, lo: int | None, hi: int | None, groups: tuple[AgeGroup, ...]) -> None:
    ages = parse_ages(text)
    assert ages.parsed
    assert not ages.all_ages
    assert (ages.min_months, ages.max_months) == (lo, hi)
    assert tuple(g.category for g in ages.groups) == groups


ALL_AGES = [
    "all ages",
    "All Ages!",
    "ALL-AGES",
    "All ages welcome",
    "families",
    "Family",
    "everyone",
    "Open to all",
    "todas las edades",
    "para toda la familia",
    "所有年龄",
    "老少皆宜",
    "kids & adults",
    "children and their grown-ups",
    "All ages; children under 12 must be with an adult",
]


@pytest.mark.parametrize("text", ALL_AGES)
def test_all_ages(text: str) -> None:
    assert parse_ages(text) == Ages(
        min_months=None,
        max_months=None,
        all_ages=True,
        groups=(AgeRange(category=AgeGroup.ALL_AGES),),
        parsed=True,
    )


def test_numbers_beat_family_words() -> None:
    ages = parse_ages("Family event for ages 3-10")
    assert (ages.min_months, ages.max_months, ages.all_ages) == (36, 120, False)


NOT_AGES = [
    None,
    "",
    "kids",
    "children",
    "Kids' activities",
    "niños",
    "Dec 5-12",
    "$5-12",
    "10-11am",
    "Room 5-12",
    "Join us for crafts!",
    "See description",
]


@pytest.mark.parametrize("text", NOT_AGES, ids=[repr(t) for t in NOT_AGES])
def test_not_ages(text: str | None) -> None:
    assert parse_ages(text) == Ages()


def test_group_bounds_are_in_the_stated_unit() -> None:
    assert parse_ages("ages 5-12").groups == (
        AgeRange(category=ELEM, min_age=Decimal(5), max_age=Decimal(10), unit=AgeUnit.YEARS),
        AgeRange(category=TWEEN, min_age=Decimal(11), max_age=Decimal(12), unit=AgeUnit.YEARS),
    )
    assert parse_ages("18 mos - 3 yrs").groups == (
        AgeRange(category=TOD, min_age=Decimal(18), max_age=Decimal(35), unit=AgeUnit.MONTHS),
        AgeRange(category=PRE, min_age=Decimal(36), max_age=Decimal(36), unit=AgeUnit.MONTHS),
    )


def test_an_open_range_has_no_upper_bound_in_the_adult_group() -> None:
    adult = parse_ages("3+").groups[-1]
    assert adult == AgeRange(category=ADULT, min_age=Decimal(18), max_age=None, unit=AgeUnit.YEARS)


def test_fractional_years_are_kept() -> None:
    toddler = parse_ages("2.5-5 years").groups[0]
    assert (toddler.min_age, toddler.max_age) == (Decimal("2.5"), Decimal("2.5"))


@pytest.mark.parametrize(
    ("lo", "hi", "months", "exclusive", "categories"),
    [
        (0, 12, False, True, (INF,)),
        (0, 12, False, False, (INF, TOD)),
        (12, 36, False, True, (TOD,)),
        (156, 216, False, True, (TEEN,)),
        (216, None, False, False, (ADULT,)),
        (60, 60, True, False, (ELEM,)),
    ],
)
def test_age_groups(
    lo: int, hi: int | None, months: bool, exclusive: bool, categories: tuple[AgeGroup, ...]
) -> None:
    groups = age_groups(lo, hi, months, exclusive)
    assert tuple(g.category for g in groups) == categories
    assert all(g.unit is (AgeUnit.MONTHS if months else AgeUnit.YEARS) for g in groups)


@pytest.mark.parametrize(
    ("title", "name", "ages"),
    [
        ("Kick-Ass 2 (15)", "Kick-Ass 2", "ages 15+"),
        ("Alan Partridge: Alpha Papa (1) (18)", "Alan Partridge: Alpha Papa (1)", "ages 18+"),
        ("Met. Encore: Tosca (As Live: 12A)", "Met. Encore: Tosca", None),
        ("Wadjda (PG)", "Wadjda", None),
        ("A Fragile Trust (Cert TBC)", "A Fragile Trust", None),
        ("Storytime (Ages 3-5)", "Storytime (Ages 3-5)", None),  # an age range, not a certificate
        ("(PG)", "(PG)", None),  # nothing but the certificate: kept as the title
    ],
)
def test_a_film_certificate_leaves_the_title_and_may_give_a_minimum_age(
    title: str, name: str, ages: str | None
) -> None:
    assert split_film_certificate(title) == (name, ages)
