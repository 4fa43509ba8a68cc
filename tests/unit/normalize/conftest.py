"""The frozen crawl date of every normalize test unless a case says otherwise."""

from __future__ import annotations

from datetime import date

import pytest

TODAY = date(2026, 11, 24)


@pytest.fixture
def today() -> date:
    return TODAY
