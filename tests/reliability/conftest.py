"""The reliability suite records what each fault test injected and what the system did.

A test takes the `fault` fixture and fills it (`fault.injected`, `fault.behaviour`,
`fault.items_lost`); bad-input tests use `bad_input` (`tried`, `answer`, `clear`). When
`FAMACT_RELIABILITY_LOG` names a file, each record is appended to it as one JSON line with the
test's outcome: `make bench B=reliability` runs this suite and summarises the log into
benchmarks/results/reliability.json. A record is written whether the test passed or not, so a
failing fault shows as not survived instead of vanishing from the figures.
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import pytest

LOG_ENV = "FAMACT_RELIABILITY_LOG"


@dataclass
class FaultRecord:
    test: str
    kind: str = "fault"
    injected: str = ""
    behaviour: str = ""
    items_lost: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class BadInputRecord:
    test: str
    kind: str = "bad_input"
    tried: str = ""
    answer: str = ""
    clear: bool = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_OUTCOME] = report.outcome
    return report


_OUTCOME = pytest.StashKey[str]()


def _write(request: pytest.FixtureRequest, record: FaultRecord | BadInputRecord) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    outcome = request.node.stash.get(_OUTCOME, "error")
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps({**asdict(record), "outcome": outcome}) + "\n")


@pytest.fixture
def fault(request: pytest.FixtureRequest) -> Iterator[FaultRecord]:
    record = FaultRecord(test=request.node.nodeid)
    yield record
    _write(request, record)


@pytest.fixture
def bad_input(request: pytest.FixtureRequest) -> Iterator[BadInputRecord]:
    record = BadInputRecord(test=request.node.nodeid)
    yield record
    _write(request, record)
