"""Clocks the scheduling tests hand to an orchestrator in place of `datetime.now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ShiftedClock:
    """The real UTC time plus an `offset` the test moves forward (a lease expiring, a day
    passing) while real servers keep their own time."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset
