"""detect_status: cancelled, full, past, active, and the words that only look like them."""

from __future__ import annotations

from datetime import date

import pytest

from famact.constants import EntityStatus
from famact.normalize.dates import When, parse_when
from famact.normalize.status import detect_status

from .conftest import TODAY

CANCELLED, FULL, PAST, ACTIVE = (
    EntityStatus.CANCELLED,
    EntityStatus.FULL,
    EntityStatus.PAST,
    EntityStatus.ACTIVE,
)

TEXT_CASES: list[tuple[str, EntityStatus]] = [
    ("Cancelled", CANCELLED),
    ("CANCELED: Family Storytime", CANCELLED),
    ("This event has been cancelled.", CANCELLED),
    ("Canceled due to weather", CANCELLED),
    ("Classes are cancelled this week", CANCELLED),
    ("Postponed", CANCELLED),
    ("POSTPONED until further notice", CANCELLED),
    ("Cancelado", CANCELLED),
    ("Evento cancelado", CANCELLED),
    ("已取消", CANCELLED),
    ("活动取消", CANCELLED),
    ("❌ CANCELLED ❌", CANCELLED),
    ("Cancellation policy: full refund up to 7 days before", ACTIVE),
    ("Events may be cancelled due to weather", ACTIVE),
    ("Class will be cancelled if fewer than 5 register", ACTIVE),
    ("In case of rain the event is cancelled", ACTIVE),
    ("This event has not been cancelled", ACTIVE),
    ("Sold out", FULL),
    ("SOLD OUT!", FULL),
    ("Sold-out", FULL),
    ("FULL", FULL),
    ("Full", FULL),
    ("(Full)", FULL),
    ("Class full", FULL),
    ("Session is full", FULL),
    ("Registration: Full", FULL),
    ("Full - waitlist only", FULL),
    ("Waitlist", FULL),
    ("Join the wait list", FULL),
    ("Wait-list available", FULL),
    ("At capacity", FULL),
    ("Lista de espera", FULL),
    ("Agotado", FULL),
    ("已满", FULL),
    ("Full day camp", ACTIVE),
    ("Full-day camp", ACTIVE),
    ("FULL DAY", ACTIVE),
    ("Fully accessible", ACTIVE),
    ("Paid in full at registration", ACTIVE),
    ("Full details below", ACTIVE),
    ("A full schedule of activities", ACTIVE),
    ("Full moon hike", ACTIVE),
    ("A waitlist will open when the class is full", ACTIVE),
    ("This class is not full", ACTIVE),
    ("Register now", ACTIVE),
    ("", ACTIVE),
]


@pytest.mark.parametrize(("text", "status"), TEXT_CASES, ids=[c[0] or "empty" for c in TEXT_CASES])
def test_status_from_text(text: str, status: EntityStatus) -> None:
    assert detect_status(text, when=None, today=TODAY) is status


def test_any_text_can_carry_the_status() -> None:
    assert detect_status(None, "Family Yoga", "SOLD OUT", when=None, today=TODAY) is FULL
    assert detect_status("Waitlist", "CANCELLED: Family Yoga", when=None, today=TODAY) is CANCELLED


DATE_CASES: list[tuple[str | None, str | None, EntityStatus]] = [
    ("Nov 20", None, PAST),  # a recent past date
    ("Nov 23, 2026", None, PAST),
    ("Nov 24, 2026", None, ACTIVE),  # today is not past
    ("Dec 5", None, ACTIVE),
    ("Nov 1 - Nov 30", None, ACTIVE),  # still running
    ("Nov 1 - Nov 20", None, PAST),
    ("Nov 10, 17 & Dec 1", None, ACTIVE),  # one date still to come
    ("Nov 10 & 17", None, PAST),
    ("Mondays starting Nov 2", None, ACTIVE),  # open-ended repetition
    (None, "Tuesdays", ACTIVE),
    ("Ongoing", None, ACTIVE),
]


@pytest.mark.parametrize(
    ("date_text", "schedule", "status"), DATE_CASES, ids=[f"{c[0]}|{c[1]}" for c in DATE_CASES]
)
def test_status_from_dates(date_text: str | None, schedule: str | None, status: EntityStatus) -> None:
    when = parse_when(date_text, None, schedule, today=TODAY)
    assert detect_status(None, when=when, today=TODAY) is status


def test_text_status_wins_over_dates() -> None:
    past = parse_when("Nov 20", today=TODAY)
    assert detect_status("Cancelled", when=past, today=TODAY) is CANCELLED
    assert detect_status("Sold out", when=past, today=TODAY) is FULL


def test_another_today() -> None:
    when = When(start_date=date(2026, 12, 5), occurrences=((date(2026, 12, 5), None, None),), parsed=True)
    assert detect_status(when=when, today=date(2026, 12, 6)) is PAST
    assert detect_status(when=when, today=date(2026, 12, 5)) is ACTIVE
