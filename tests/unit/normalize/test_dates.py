"""parse_when and its parts: the date/time formats of US calendars, year inference, weekly
repetition, Spanish and Chinese, and texts with no date at all. Today is 2026-11-24 (a
Tuesday) unless a case says otherwise."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from famact.constants import Weekday
from famact.normalize.dates import (
    DateParseError,
    When,
    expand_weekly,
    infer_year,
    parse_days,
    parse_time_range,
    parse_when,
    season_year,
    to_local,
)

from .conftest import TODAY

D = date
MO, TU, WE, TH, FR, SA, SU = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
    Weekday.SATURDAY,
    Weekday.SUNDAY,
)


def check(when: When, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        if key == "occ_dates":
            assert [o[0] for o in when.occurrences] == value, when
        elif key == "n_occ":
            assert len(when.occurrences) == value, when
        else:
            assert getattr(when, key) == value, (key, when)


# -- single dates and times in one text --------------------------------------------------------

SINGLE_CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "Sat, Dec 5, 2026 10:00 am - 12:00 pm",
        {
            "start_date": D(2026, 12, 5),
            "end_date": None,
            "start_time": "10:00",
            "end_time": "12:00",
            "days_of_week": (),
            "recurring": False,
            "occurrences": ((D(2026, 12, 5), "10:00", "12:00"),),
            "parsed": True,
        },
    ),
    ("December 5th @ 10am", {"start_date": D(2026, 12, 5), "start_time": "10:00", "end_time": None}),
    ("12/5/2026", {"start_date": D(2026, 12, 5), "start_time": None, "occ_dates": [D(2026, 12, 5)]}),
    ("12/05/26", {"start_date": D(2026, 12, 5)}),
    ("2026-12-05", {"start_date": D(2026, 12, 5), "start_time": None}),
    ("2026-12-05T10:00:00-08:00", {"start_date": D(2026, 12, 5), "start_time": "10:00"}),
    ("2026-12-05T18:00:00Z", {"start_date": D(2026, 12, 5), "start_time": "10:00"}),
    ("2026-12-06T05:30:00Z", {"start_date": D(2026, 12, 5), "start_time": "21:30"}),  # UTC next day
    ("2026-07-04T19:00:00Z", {"start_date": D(2026, 7, 4), "start_time": "12:00"}),  # PDT
    (
        "2026-12-05T10:00:00-08:00/2026-12-05T12:00:00-08:00",
        {"start_date": D(2026, 12, 5), "end_date": None, "start_time": "10:00", "end_time": "12:00"},
    ),
    ("Dec 5 | 10-11:30am", {"start_date": D(2026, 12, 5), "start_time": "10:00", "end_time": "11:30"}),
    ("Dec 5th", {"start_date": D(2026, 12, 5)}),
    ("DECEMBER 5, 2026", {"start_date": D(2026, 12, 5)}),
    ("Saturday, December 5", {"start_date": D(2026, 12, 5), "days_of_week": ()}),
    ("Sat 12/5 1-3p", {"start_date": D(2026, 12, 5), "start_time": "13:00", "end_time": "15:00"}),
    ("Fri 12/4 @ 7", {"start_date": D(2026, 12, 4), "start_time": "19:00"}),
    ("5 December 2026", {"start_date": D(2026, 12, 5)}),
    ("the 5th of December", {"start_date": D(2026, 12, 5)}),
    ("4th of July", {"start_date": D(2027, 7, 4)}),
    ("Dec. 5", {"start_date": D(2026, 12, 5)}),
    ("Decmber 5", {"start_date": D(2026, 12, 5)}),  # typo
    ("Febuary 14", {"start_date": D(2027, 2, 14)}),  # typo
    ("Sept 12, 2027", {"start_date": D(2027, 9, 12)}),
    ("12-05-2026", {"start_date": D(2026, 12, 5)}),
    ("2026/12/05", {"start_date": D(2026, 12, 5)}),
    ("27/2/2027", {"start_date": D(2027, 2, 27)}),  # day first when it cannot be a month
    ("🎄 Sat Dec 5 🎄 10AM–NOON", {"start_date": D(2026, 12, 5), "start_time": "10:00", "end_time": "12:00"}),
    (
        "Wed, Dec 9 from 6:30 to 8 pm",
        {"start_date": D(2026, 12, 9), "start_time": "18:30", "end_time": "20:00"},
    ),
    ("Dec 5, 2026 — 7:00 PM", {"start_date": D(2026, 12, 5), "start_time": "19:00"}),
    ("today", {"start_date": TODAY}),
    ("Tonight at 7pm", {"start_date": TODAY, "start_time": "19:00"}),
    ("tomorrow at 3pm", {"start_date": D(2026, 11, 25), "start_time": "15:00"}),
    ("Dec 5, 3 sessions", {"start_date": D(2026, 12, 5), "session_count": 3}),  # 3 is not Dec 3
    # Spanish
    ("sábado 5 de diciembre", {"start_date": D(2026, 12, 5), "days_of_week": ()}),
    ("SÁBADO 5 DE DICIEMBRE DE 2026", {"start_date": D(2026, 12, 5)}),
    ("5 de dic. a las 10:30", {"start_date": D(2026, 12, 5), "start_time": "10:30"}),
    ("domingo 6 de diciembre, 2 p.m.", {"start_date": D(2026, 12, 6), "start_time": "14:00"}),
    (
        "martes 5 de enero de 10:00 a 12:00",
        {"start_date": D(2027, 1, 5), "start_time": "10:00", "end_time": "12:00", "recurring": False},
    ),
    # Chinese
    ("12月5日", {"start_date": D(2026, 12, 5)}),
    ("2027年1月9日", {"start_date": D(2027, 1, 9)}),
    ("12月5日 下午2点半", {"start_date": D(2026, 12, 5), "start_time": "14:30"}),
    ("12月5日 上午10:00-11:30", {"start_date": D(2026, 12, 5), "start_time": "10:00", "end_time": "11:30"}),
    ("１２月５日（星期六）", {"start_date": D(2026, 12, 5)}),
    # other languages through the dateparser fallback
    ("5 décembre", {"start_date": D(2026, 12, 5)}),
    ("Samstag, 5. Dezember", {"start_date": D(2026, 12, 5)}),
    ("ngày 5 tháng 12", {"start_date": D(2026, 12, 5)}),
]


@pytest.mark.parametrize(("text", "expected"), SINGLE_CASES, ids=[c[0] for c in SINGLE_CASES])
def test_single_date_texts(text: str, expected: dict[str, Any]) -> None:
    check(parse_when(text, today=TODAY), expected)


# -- ranges ------------------------------------------------------------------------------------

RANGE_CASES: list[tuple[str, date, date]] = [
    ("1/9-2/27", D(2027, 1, 9), D(2027, 2, 27)),
    ("Jan 9 - Feb 27", D(2027, 1, 9), D(2027, 2, 27)),
    ("Jan. 9 – Feb. 27, 2027", D(2027, 1, 9), D(2027, 2, 27)),
    ("January 9 through February 27", D(2027, 1, 9), D(2027, 2, 27)),
    ("Dec 28 - Jan 3", D(2026, 12, 28), D(2027, 1, 3)),  # crosses the year
    ("Dec 28, 2026 – Jan 3, 2027", D(2026, 12, 28), D(2027, 1, 3)),
    ("Dec 28 - Jan 3, 2027", D(2026, 12, 28), D(2027, 1, 3)),  # end year given, start crosses back
    ("Dec 28, 2026 - Jan 3", D(2026, 12, 28), D(2027, 1, 3)),
    ("Jun 22-26", D(2027, 6, 22), D(2027, 6, 26)),
    ("June 22 thru 26", D(2027, 6, 22), D(2027, 6, 26)),
    ("June 22 to 26, 2027", D(2027, 6, 22), D(2027, 6, 26)),
    ("JUNE 22–26", D(2027, 6, 22), D(2027, 6, 26)),
    ("Jun 29 - Jul 2", D(2027, 6, 29), D(2027, 7, 2)),
    ("12/5-6", D(2026, 12, 5), D(2026, 12, 6)),
    ("12/21/26 - 1/4/27", D(2026, 12, 21), D(2027, 1, 4)),
    ("2027-01-09 to 2027-02-27", D(2027, 1, 9), D(2027, 2, 27)),
    ("Jun 1 - Dec 31", D(2026, 6, 1), D(2026, 12, 31)),  # placed by its end: still running
    ("Sep 26 – Oct 31", D(2026, 9, 26), D(2026, 10, 31)),  # ended 24 days ago: a recent past run
    ("Jun 1 - Aug 15", D(2027, 6, 1), D(2027, 8, 15)),  # ended >90 days ago: next season
    ("del 9 de enero al 27 de febrero", D(2027, 1, 9), D(2027, 2, 27)),
    ("del 22 al 26 de junio", D(2027, 6, 22), D(2027, 6, 26)),
    ("22-26 June", D(2027, 6, 22), D(2027, 6, 26)),
    ("12月21日至1月3日", D(2026, 12, 21), D(2027, 1, 3)),
    ("12月5日-19日", D(2026, 12, 5), D(2026, 12, 19)),
    ("Saturdays, Jan 10 – Mar 14", D(2027, 1, 10), D(2027, 3, 14)),
]


@pytest.mark.parametrize(("text", "start", "end"), RANGE_CASES, ids=[c[0] for c in RANGE_CASES])
def test_ranges(text: str, start: date, end: date) -> None:
    when = parse_when(text, today=TODAY)
    assert (when.start_date, when.end_date) == (start, end)
    assert when.parsed


def test_a_short_run_lists_each_day() -> None:
    when = parse_when("Jun 22-26", "9am-3pm", today=TODAY)
    assert [o[0] for o in when.occurrences] == [D(2027, 6, d) for d in range(22, 27)]
    assert all(o[1:] == ("09:00", "15:00") for o in when.occurrences)
    assert when.recurring is False


def test_a_long_run_is_a_span_without_occurrences() -> None:
    when = parse_when("Jan 9 - Feb 27", today=TODAY)
    assert when.occurrences == ()
    assert when.recurring is False


def test_a_range_ending_before_it_starts_is_not_used() -> None:
    when = parse_when("Feb 27, 2027 - Jan 9, 2027", today=TODAY)
    assert when.start_date != D(2027, 2, 27) or when.end_date is None


# -- times alone -------------------------------------------------------------------------------

TIME_CASES: list[tuple[str, tuple[str | None, str | None]]] = [
    ("10am-noon", ("10:00", "12:00")),
    ("noon", ("12:00", None)),
    ("12 noon - 1pm", ("12:00", "13:00")),
    ("Noon–2 PM", ("12:00", "14:00")),
    ("7 pm", ("19:00", None)),
    ("7:30pm", ("19:30", None)),
    ("7:30 P.M.", ("19:30", None)),
    ("19:00", ("19:00", None)),
    ("19:00-21:00", ("19:00", "21:00")),
    ("08:00", ("08:00", None)),
    ("10:00–11:30 a.m.", ("10:00", "11:30")),
    ("10:00 - 11:30 AM", ("10:00", "11:30")),
    ("10-11:30am", ("10:00", "11:30")),
    ("11-1pm", ("11:00", "13:00")),  # the start is morning
    ("11am-1", ("11:00", "13:00")),
    ("10am - 12pm", ("10:00", "12:00")),
    ("12-2pm", ("12:00", "14:00")),
    ("6:30-8pm", ("18:30", "20:00")),
    ("9a-3p", ("09:00", "15:00")),
    ("10a - 2p", ("10:00", "14:00")),
    ("1-3 PM", ("13:00", "15:00")),
    ("2:00-4:00", ("14:00", "16:00")),  # no am/pm: afternoon hours on a family calendar
    ("10:00", ("10:00", None)),
    ("10-5", ("10:00", "17:00")),  # a time field: bare hours are a time range
    ("8pm-midnight", ("20:00", "23:59")),
    ("midnight", ("00:00", None)),
    ("at 10:30", ("10:30", None)),
    ("Doors 6pm, show 7pm", ("18:00", None)),
    ("de 10:00 a 12:00", ("10:00", "12:00")),
    ("10 de la mañana", ("10:00", None)),
    ("7 de la noche", ("19:00", None)),
    ("下午2点", ("14:00", None)),
    ("晚上7点半", ("19:30", None)),
    ("上午9:00-11:00", ("09:00", "11:00")),
    ("10h30", ("10:30", None)),
    ("", (None, None)),
    ("TBA", (None, None)),
    ("all day", (None, None)),
    ("ages 5-12", (None, None)),
    ("$85.50", (None, None)),
    ("2.5 hours", (None, None)),
]


@pytest.mark.parametrize(("text", "expected"), TIME_CASES, ids=[c[0] or "empty" for c in TIME_CASES])
def test_parse_time_range(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_time_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10am-noon", ("10:00", "12:00")),
        ("7 pm", ("19:00", None)),
        ("noon", ("12:00", None)),
        ("19:00", ("19:00", None)),
    ],
)
def test_a_time_alone_in_the_date_field_is_parsed_without_a_date(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    when = parse_when(text, today=TODAY)
    assert (when.start_time, when.end_time) == expected
    assert when.start_date is None and when.occurrences == ()
    assert when.parsed


def test_bare_day_ranges_in_a_date_text_are_not_times() -> None:
    when = parse_when("Jun 22-26", today=TODAY)
    assert when.start_time is None


def test_several_showtimes_make_several_occurrences() -> None:
    when = parse_when("Dec 5", "11am, 1pm & 3pm", today=TODAY)
    assert when.start_time == "11:00"
    assert when.occurrences == (
        (D(2026, 12, 5), "11:00", None),
        (D(2026, 12, 5), "13:00", None),
        (D(2026, 12, 5), "15:00", None),
    )


def test_the_time_field_wins_over_times_in_the_date_field() -> None:
    when = parse_when("Dec 5, 10am", "2-4pm", today=TODAY)
    assert (when.start_time, when.end_time) == ("14:00", "16:00")


def test_an_iso_datetime_keeps_its_local_time_when_no_time_field() -> None:
    when = parse_when("2026-12-05T18:00:00Z", None, today=TODAY)
    assert when.occurrences == ((D(2026, 12, 5), "10:00", None),)


# -- days of week and repetition ---------------------------------------------------------------

DAYS_CASES: list[tuple[str, tuple[Weekday, ...], bool]] = [
    ("every Tuesday at 10:30am", (TU,), True),
    ("Tuesdays", (TU,), True),
    ("TUESDAYS", (TU,), True),
    ("Tuesdays & Thursdays", (TU, TH), True),
    ("Tuesdays and Thursdays", (TU, TH), True),
    ("Tu/Th", (TU, TH), True),
    ("T/Th", (TU, TH), True),
    ("TTh", (TU, TH), True),
    ("M/W", (MO, WE), True),
    ("M/W/F", (MO, WE, FR), True),
    ("MWF", (MO, WE, FR), True),
    ("M, W, F", (MO, WE, FR), True),
    ("MTWThF", (MO, TU, WE, TH, FR), True),
    ("Sa", (SA,), False),
    ("Su", (SU,), False),
    ("Sa/Su", (SA, SU), True),
    ("Mon-Fri", (MO, TU, WE, TH, FR), True),
    ("M-F", (MO, TU, WE, TH, FR), True),
    ("Monday through Friday", (MO, TU, WE, TH, FR), True),
    ("Fri-Sun", (FR, SA, SU), True),
    ("Sat & Sun", (SA, SU), False),
    ("weekdays", (MO, TU, WE, TH, FR), True),
    ("weekends", (SA, SU), True),
    ("Weekends 10-4", (SA, SU), True),
    ("daily", (MO, TU, WE, TH, FR, SA, SU), True),
    ("Open every day", (MO, TU, WE, TH, FR, SA, SU), True),
    ("Every other Saturday", (SA,), True),
    ("Mondays & Wednesdays, 4-5pm", (MO, WE), True),
    ("weekly on Thursday", (TH,), True),
    ("Saturday", (SA,), False),
    ("los sábados", (SA,), True),
    ("todos los martes", (TU,), True),
    ("lunes a viernes", (MO, TU, WE, TH, FR), True),
    ("fines de semana", (SA, SU), True),
    ("每周二", (TU,), True),
    ("星期六", (SA,), False),
    ("周一至周五", (MO, TU, WE, TH, FR), True),
    ("Fun in the sun", (), False),
    ("Mar 3", (), False),  # March, not martes
    ("Join us for fun!", (), False),
    ("FT/PT staff", (), False),
    # A Days column holding one code is a schedule (parks & rec guides).
    ("Tu", (TU,), True),
    ("F", (FR,), True),
    ("M", (MO,), True),
    ("T", (), False),  # Tuesday or Thursday: too ambiguous alone
]


@pytest.mark.parametrize(("text", "days", "recurring"), DAYS_CASES, ids=[c[0] for c in DAYS_CASES])
def test_days_and_repetition(text: str, days: tuple[Weekday, ...], recurring: bool) -> None:
    assert parse_days(text) == days
    when = parse_when(None, None, text, today=TODAY)
    if days:
        assert when.days_of_week == days
        assert when.recurring is recurring
    else:
        assert when.days_of_week == ()


def test_saturdays_in_a_term_expand_to_weekly_occurrences() -> None:
    when = parse_when("Saturdays, Jan 10 – Mar 14", today=TODAY)
    assert when.days_of_week == (SA,)
    assert when.recurring is True
    assert when.session_count is None  # not stated
    # Jan 10 2027 is a Sunday: the first Saturday is Jan 16.
    assert [o[0] for o in when.occurrences] == [
        D(2027, 1, 16), D(2027, 1, 23), D(2027, 1, 30), D(2027, 2, 6), D(2027, 2, 13),
        D(2027, 2, 20), D(2027, 2, 27), D(2027, 3, 6), D(2027, 3, 13),
    ]  # fmt: skip


def test_a_term_from_three_fields() -> None:
    when = parse_when("Jan 12 - Feb 16", "4:00-5:00 pm", "Tuesdays, 6 sessions", today=TODAY)
    assert (when.start_date, when.end_date) == (D(2027, 1, 12), D(2027, 2, 16))
    assert (when.start_time, when.end_time) == ("16:00", "17:00")
    assert when.days_of_week == (TU,)
    assert when.session_count == 6
    assert len(when.occurrences) == 6
    assert when.occurrences[0] == (D(2027, 1, 12), "16:00", "17:00")


def test_starting_date_with_sessions_expands_from_the_start() -> None:
    when = parse_when("Mondays starting Jan 4, 2027", None, "6 sessions", today=TODAY)
    assert when.start_date == D(2027, 1, 4)
    assert [o[0] for o in when.occurrences] == [D(2027, 1, 4 + 7 * i) for i in range(4)] + [
        D(2027, 2, 1),
        D(2027, 2, 8),
    ]
    assert when.end_date == D(2027, 2, 8)


def test_starting_date_without_an_end_has_no_occurrences() -> None:
    when = parse_when("Every Tuesday starting Jan 5", today=TODAY)
    assert when.start_date == D(2027, 1, 5)
    assert when.end_date is None
    assert when.occurrences == ()
    assert when.recurring is True


def test_weekday_range_over_a_camp_week() -> None:
    when = parse_when("Mon-Fri, June 21-25, 2027", "9am-3pm", today=TODAY)
    assert [o[0] for o in when.occurrences] == [D(2027, 6, d) for d in range(21, 26)]
    assert when.days_of_week == (MO, TU, WE, TH, FR)


LIST_CASES: list[tuple[str, list[date]]] = [
    ("Dec 5, 12 & 19", [D(2026, 12, 5), D(2026, 12, 12), D(2026, 12, 19)]),
    ("Dec 5, 12, and 19, 2026", [D(2026, 12, 5), D(2026, 12, 12), D(2026, 12, 19)]),
    ("Dec 5 & Dec 12", [D(2026, 12, 5), D(2026, 12, 12)]),
    ("Dec 19, 26 & Jan 2", [D(2026, 12, 19), D(2026, 12, 26), D(2027, 1, 2)]),
    ("12/5, 12/12, 12/19", [D(2026, 12, 5), D(2026, 12, 12), D(2026, 12, 19)]),
    ("5, 12 y 19 de diciembre", [D(2026, 12, 5), D(2026, 12, 12), D(2026, 12, 19)]),
    ("Dec 5; Jan 9; Feb 6", [D(2026, 12, 5), D(2027, 1, 9), D(2027, 2, 6)]),
]


@pytest.mark.parametrize(("text", "dates"), LIST_CASES, ids=[c[0] for c in LIST_CASES])
def test_lists_of_dates(text: str, dates: list[date]) -> None:
    when = parse_when(text, today=TODAY)
    assert [o[0] for o in when.occurrences] == dates
    assert (when.start_date, when.end_date) == (dates[0], dates[-1])
    assert when.recurring is True


# -- sessions ----------------------------------------------------------------------------------

SESSION_CASES: list[tuple[str, int | None]] = [
    ("6 sessions", 6),
    ("8 weeks", 8),
    ("8-week session", 8),
    ("4 classes", 4),
    ("six sessions", 6),
    ("10 lessons", 10),
    ("Tuesdays, 8 weeks", 8),
    ("M/W for 4 weeks", 8),  # twice a week
    ("6 sesiones", 6),
    ("8 semanas", 8),
    ("共8次课", 8),
    ("Register 2 weeks before", None),
    ("for babies 8 weeks old", None),
    ("Ongoing", None),
]


@pytest.mark.parametrize(("text", "count"), SESSION_CASES, ids=[c[0] for c in SESSION_CASES])
def test_session_count(text: str, count: int | None) -> None:
    assert parse_when(None, None, text, today=TODAY).session_count == count


def test_sessions_are_never_read_as_a_date() -> None:
    when = parse_when("8 weeks", today=TODAY)
    assert when.start_date is None
    assert when.session_count == 8


# -- nothing usable ----------------------------------------------------------------------------

NO_DATE = [
    None,
    "",
    "   ",
    "Join us for fun!",
    "TBD",
    "Ongoing",
    "Call for dates",
    "See website",
    "Coming soon 🎉",
    "5",
    "Room 5",
    "ages 5-12",
    "$10-$20",
    "Spring break",
    "9 a 12",
    "Sat 5",  # not September 5 in some other language
    "Dec 45",
    "13/45/2026",
    "December",
]


@pytest.mark.parametrize("text", NO_DATE, ids=[repr(t) for t in NO_DATE])
def test_texts_without_a_date(text: str | None) -> None:
    when = parse_when(text, today=TODAY)
    assert when.start_date is None
    assert when.occurrences == ()


@pytest.mark.parametrize("text", [None, "", "Join us for fun!", "TBD", "Ongoing", "Coming soon 🎉"])
def test_nothing_usable_is_not_parsed(text: str | None) -> None:
    assert parse_when(text, None, None, today=TODAY) == When(parsed=False)


# -- year inference ----------------------------------------------------------------------------

YEAR_CASES: list[tuple[str, str | None, bool, date, date, date | None]] = [
    # text, context, archive, today, expected start, expected end
    ("Jan. 9", None, False, TODAY, D(2027, 1, 9), None),
    ("Nov 20", None, False, TODAY, D(2026, 11, 20), None),  # a recent past date
    ("Aug 27", None, False, TODAY, D(2026, 8, 27), None),  # 89 days ago
    ("Aug 25", None, False, TODAY, D(2027, 8, 25), None),  # 91 days ago: next year
    ("Dec 5", None, False, TODAY, D(2026, 12, 5), None),
    ("Dec 20", None, False, D(2026, 1, 5), D(2025, 12, 20), None),  # last month, not next Dec
    ("Mar 5", None, False, D(2026, 1, 5), D(2026, 3, 5), None),
    ("Dec 5", None, False, D(2026, 3, 1), D(2026, 12, 5), None),
    ("Dec 20 - Dec 31", None, False, D(2026, 1, 5), D(2025, 12, 20), D(2025, 12, 31)),
    ("Jan 5 - Dec 20", None, False, D(2026, 1, 2), D(2026, 1, 5), D(2026, 12, 20)),
    ("1/9-2/27", "Winter 2027", False, TODAY, D(2027, 1, 9), D(2027, 2, 27)),
    ("Dec 12", "Winter 2027", False, TODAY, D(2026, 12, 12), None),
    ("Dec 12 - Jan 30", "Winter 2027 Activity Guide", False, TODAY, D(2026, 12, 12), D(2027, 1, 30)),
    ("Mar 1", "WINTER 2027 CLASSES", False, TODAY, D(2027, 3, 1), None),
    ("Jan 9", "Winter 2026-27", False, TODAY, D(2027, 1, 9), None),
    ("Jun 22-26", "Summer Camps 2027", False, TODAY, D(2027, 6, 22), D(2027, 6, 26)),
    ("Jul 6", "Summer 2026", False, TODAY, D(2026, 7, 6), None),  # the context wins over "next year"
    ("Sep 14", "2026-27 School Year", False, TODAY, D(2026, 9, 14), None),
    ("Jan 9", "2026-27 School Year", False, TODAY, D(2027, 1, 9), None),
    ("Jan 9", "2026/2027 school year", False, TODAY, D(2027, 1, 9), None),
    ("Oct 3", "Fall 2027", False, TODAY, D(2027, 10, 3), None),
    ("Dec 5", "December 2027 events", False, TODAY, D(2027, 12, 5), None),
    ("Jan 9", "Calendar | © 2025 City of Seattle", False, TODAY, D(2027, 1, 9), None),  # copyright ignored
    ("Jan 9, 2029", "Winter 2027", False, TODAY, D(2029, 1, 9), None),  # a stated year wins
    ("Jan 9", None, True, TODAY, D(2026, 1, 9), None),  # archive: latest not after today
    ("Dec 5", None, True, TODAY, D(2025, 12, 5), None),
    ("Nov 24", None, True, TODAY, D(2026, 11, 24), None),
    ("Dec 28 - Jan 3", None, True, TODAY, D(2025, 12, 28), D(2026, 1, 3)),
]


@pytest.mark.parametrize("case", YEAR_CASES, ids=[f"{c[0]}|{c[1]}|{c[2]}|{c[3]}" for c in YEAR_CASES])
def test_year_inference(case: tuple[str, str | None, bool, date, date, date | None]) -> None:
    text, context, archive, today, start, end = case
    when = parse_when(text, today=today, context=context, archive=archive)
    assert when.start_date == start
    if end is not None:
        assert when.end_date == end


INFER_CASES: list[tuple[int, int, date, int | None, bool, int]] = [
    # month, day, today, context_year, archive, year
    (1, 9, TODAY, None, False, 2027),
    (11, 20, TODAY, None, False, 2026),
    (8, 26, TODAY, None, False, 2026),  # exactly 90 days ago
    (8, 25, TODAY, None, False, 2027),
    (12, 31, TODAY, None, False, 2026),
    (12, 20, D(2026, 1, 5), None, False, 2025),
    (6, 1, D(2026, 1, 5), None, False, 2026),
    (1, 9, TODAY, 2030, False, 2030),
    (11, 25, TODAY, None, True, 2025),
    (11, 24, TODAY, None, True, 2026),
    (2, 29, TODAY, None, False, 2027),
]


@pytest.mark.parametrize("case", INFER_CASES, ids=[str(c) for c in INFER_CASES])
def test_infer_year(case: tuple[int, int, date, int | None, bool, int]) -> None:
    month, day, today, context_year, archive, year = case
    assert infer_year(month, day, today=today, context_year=context_year, archive=archive) == year


def test_infer_year_rejects_impossible_dates() -> None:
    with pytest.raises(DateParseError, match="month=13"):
        infer_year(13, 1, today=TODAY)


@pytest.mark.parametrize(
    ("context", "year"),
    [
        ("Winter 2027", 2027),
        ("2026-27 School Year", 2026),
        ("Summer Camps 2027 | Seattle Parks", 2027),
        ("© 2025 Seattle Parks", None),
        ("Events", None),
        (None, None),
        ("Verano 2027", 2027),
        ("2027年夏季", 2027),
    ],
)
def test_season_year(context: str | None, year: int | None) -> None:
    assert season_year(context) == year


# -- helpers -----------------------------------------------------------------------------------


def test_expand_weekly() -> None:
    days = expand_weekly(D(2027, 1, 10), D(2027, 1, 31), (TU, TH), 120)
    assert days == [
        D(2027, 1, 12),
        D(2027, 1, 14),
        D(2027, 1, 19),
        D(2027, 1, 21),
        D(2027, 1, 26),
        D(2027, 1, 28),
    ]


def test_expand_weekly_respects_the_limit_and_empty_days() -> None:
    assert len(expand_weekly(D(2027, 1, 1), D(2030, 1, 1), (MO, TU, WE, TH, FR, SA, SU), 120)) == 120
    assert expand_weekly(D(2027, 1, 1), D(2027, 2, 1), (), 120) == []
    assert expand_weekly(D(2027, 2, 1), D(2027, 1, 1), (MO,), 120) == []


def test_daily_schedule_occurrences_are_capped() -> None:
    when = parse_when("Jan 1 - Dec 31, 2027", None, "daily", today=TODAY)
    assert len(when.occurrences) == 120


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-05T10:00:00-08:00", (D(2026, 12, 5), "10:00")),
        ("2026-12-05T18:00:00Z", (D(2026, 12, 5), "10:00")),
        ("2026-12-05T18:00:00.000Z", (D(2026, 12, 5), "10:00")),
        ("2026-12-05T10:00:00-0800", (D(2026, 12, 5), "10:00")),
        ("2026-12-06T02:00:00Z", (D(2026, 12, 5), "18:00")),
        ("2026-07-04T21:00:00-04:00", (D(2026, 7, 4), "18:00")),
        ("2026-12-05T10:00", (D(2026, 12, 5), "10:00")),
        ("2026-12-05 10:00", (D(2026, 12, 5), "10:00")),
        ("2026-12-05", (D(2026, 12, 5), None)),
        # A fixed -08:00 in summer (a common CMS bug) keeps the wall-clock time as written.
        ("2026-09-12T12:00:00-0800", (D(2026, 9, 12), "12:00")),
        ("2026-07-04T10:00:00-07:00", (D(2026, 7, 4), "10:00")),
        ("2026-07-04T17:00:00Z", (D(2026, 7, 4), "10:00")),
    ],
)
def test_to_local(text: str, expected: tuple[date, str | None]) -> None:
    assert to_local(text) == expected


@pytest.mark.parametrize("text", ["", "Dec 5", "2026-13-05T10:00:00Z", "soon"])
def test_to_local_rejects_non_iso_text(text: str) -> None:
    with pytest.raises(DateParseError, match="ISO 8601"):
        to_local(text)


def test_occurrences_are_sorted_and_unique() -> None:
    when = parse_when("Dec 19, Dec 5, Dec 12, Dec 5", today=TODAY)
    assert [o[0] for o in when.occurrences] == [D(2026, 12, 5), D(2026, 12, 12), D(2026, 12, 19)]


def test_a_weekday_beside_a_range_repeats() -> None:
    when = parse_when("Jan 12-Feb 16 | Tue | 9:30-10:15am", today=TODAY)
    assert when.days_of_week == (TU,)
    assert when.recurring is True
    assert [o[0] for o in when.occurrences] == [D(2027, 1, 12 + 7 * i) for i in range(3)] + [
        D(2027, 2, 2),
        D(2027, 2, 9),
        D(2027, 2, 16),
    ]


def test_weekdays_naming_the_ends_of_a_range_are_not_a_repetition() -> None:
    when = parse_when("Sat, Jan 9 - Sun, Feb 28", today=TODAY)
    assert (when.start_date, when.end_date) == (D(2027, 1, 9), D(2027, 2, 28))
    assert when.days_of_week == ()
    assert when.recurring is False


def test_same_weekday_at_both_ends_of_a_long_range_is_weekly() -> None:
    when = parse_when("Tue, Jan 12 - Tue, Feb 16", today=TODAY)
    assert when.days_of_week == (TU,)
    assert len(when.occurrences) == 6


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Winter Break Camp: Dec 21-23 & 28-30", [D(2026, 12, d) for d in (21, 22, 23, 28, 29, 30)]),
        ("Jun 22-26 & Jul 6-8", [D(2027, 6, d) for d in range(22, 27)] + [D(2027, 7, d) for d in (6, 7, 8)]),
    ],
)
def test_several_short_runs_list_their_days(text: str, dates: list[date]) -> None:
    when = parse_when(text, today=TODAY)
    assert [o[0] for o in when.occurrences] == dates
    assert (when.start_date, when.end_date) == (dates[0], dates[-1])


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("Now through Feb 28", D(2027, 2, 28)),
        ("Through Jan 3", D(2027, 1, 3)),
        ("Until March 1, 2027", D(2027, 3, 1)),
        ("On view through Jan 3", D(2027, 1, 3)),
        ("Hasta el 3 de enero", D(2027, 1, 3)),
    ],
)
def test_an_end_only_date(text: str, end: date) -> None:
    when = parse_when(text, today=TODAY)
    assert (when.start_date, when.end_date) == (None, end)
    assert when.occurrences == ()
    assert when.parsed


@pytest.mark.parametrize(
    ("text", "start", "end", "sessions"),
    [
        ("Sept 15 – Oct 20 (6 weeks)", D(2026, 9, 15), D(2026, 10, 20), 6),
        ("Jan 12 - Mar 2 (8 wks)", D(2027, 1, 12), D(2027, 3, 2), 8),
        ("July 12 - 23, 2027 · 10 sessions", D(2027, 7, 12), D(2027, 7, 23), 10),
    ],
)
def test_a_session_count_beside_a_range_keeps_the_range(
    text: str, start: date, end: date, sessions: int
) -> None:
    when = parse_when(text, None, None, today=D(2026, 9, 10))
    assert (when.start_date, when.end_date, when.session_count) == (start, end, sessions)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Wednesday, January 7th: Snow Day Crafts", date(2027, 1, 7)),  # a date, then the title
        ("January 7: Family Yoga", date(2027, 1, 7)),  # "7:" then a space is no clock time
        ("January 7th Family Yoga", date(2027, 1, 7)),  # an ordinal after a month is the day
        ("May 3 sessions", None),  # a bare number before a word may count something else
        ("Jan 7 7:30pm", date(2027, 1, 7)),
    ],
)
def test_a_title_after_the_date_does_not_hide_it(text: str, start: date | None) -> None:
    assert parse_when(text, today=TODAY).start_date == start


# -- dates printed in titles, stamps and sort keys ----------------------------------------------


def test_date_tail_and_head_leave_the_title() -> None:
    from famact.normalize.dates import without_date_head, without_date_tail

    assert without_date_tail("Regular Meeting - Dec 14 2026 (DRAFT AGENDA)") == "Regular Meeting"
    assert without_date_tail("Kids Fair - Saturday, May 3, 2025 at 10 am") == "Kids Fair"
    assert without_date_tail("Jan 5 - Feb 2") == "Jan 5 - Feb 2"  # nothing but dates
    assert without_date_tail("Monday - Jan 5") == "Monday - Jan 5"
    assert without_date_head("9/24/2024 1:00 PM - 4:00 PM Bond Committee") == "Bond Committee"
    assert without_date_head("12/05/22 Regular Meeting") == "Regular Meeting"
    assert without_date_head("December 18th, 2025 Regular Council Meeting") == "Regular Council Meeting"
    assert without_date_head("1/2 Price Tickets") == "1/2 Price Tickets"
    assert without_date_head("March 5 Storytime") == "March 5 Storytime"
    assert without_date_head("May Day Parade") == "May Day Parade"
    assert without_date_head("May 8, 2020 (Fri) Civil Service Commission") == "Civil Service Commission"


def test_stamps_weekday_marks_and_sort_keys_do_not_hide_the_date() -> None:
    today = date(2022, 9, 20)
    posted = parse_when("Sep 12, 2022 — Posted Sep 9, 2022 12:58 PM", today=today)
    assert posted.start_date == date(2022, 9, 12)
    assert parse_when("Posted Sep 9, 2022", today=today).start_date == date(2022, 9, 9)
    assert parse_when("October 12(W) - 13(TH), 2022", today=today).start_date == date(2022, 10, 12)
    assert parse_when("1645516800Feb 22, 2022", today=today).start_date == date(2022, 2, 22)


def test_a_year_printed_before_month_and_day_is_the_dates_year() -> None:
    # "2020 May 20": a year column before month and day columns; the year is stated, not guessed.
    assert parse_when("2020 May 20", today=TODAY).start_date == date(2020, 5, 20)
    assert parse_when("2019 March 3 - 5", today=TODAY).start_date == date(2019, 3, 3)
    # A year followed by a month but no day is still no date.
    assert parse_when("2020 May", today=TODAY).start_date is None


def test_a_date_field_of_eight_digits_is_a_compact_date() -> None:
    # A JSON API's `numberdate`; the digits inside other text, or an impossible month, are not.
    assert parse_when("20241220", today=TODAY).start_date == date(2024, 12, 20)
    assert parse_when(" 20270105 ", today=TODAY).start_date == date(2027, 1, 5)
    assert parse_when("20241320", today=TODAY).start_date is None
    assert parse_when("Meeting 20241220", today=TODAY).start_date is None


def test_the_month_of_a_listings_own_date_leaves_its_title() -> None:
    from famact.normalize.dates import without_month_tail

    august = date(2013, 8, 4)
    assert without_month_tail("Life Drawing - August", august) == "Life Drawing"
    assert without_month_tail("Pudding Club August 2013", august) == "Pudding Club"
    assert without_month_tail("Allah Las, Aug", august) == "Allah Las"
    # another month or year, a series' span, or nothing left: kept
    assert without_month_tail("Retro Sunday - July", august) == "Retro Sunday - July"
    assert without_month_tail("Pudding Club August 2014", august) == "Pudding Club August 2014"
    assert without_month_tail("Open Mic - Tuesdays in August", august) == "Open Mic - Tuesdays in August"
    assert without_month_tail("August", august) == "August"


def test_a_dashed_date_stamp_before_a_title_leaves_it() -> None:
    from famact.normalize.dates import without_date_head

    assert without_date_head("01-05-22 - Board meeting") == "Board meeting"
    assert without_date_head("12-12-2022 Regular Meeting") == "Regular Meeting"
    assert without_date_head("5-12 Year Olds Soccer") == "5-12 Year Olds Soccer"
