"""Exceptions of the store layer.

Callers (CLI, web API, pipelines) turn these into one clear line or a 4xx body, so each one
names what was wrong: the key, the field and value, or the expected and actual state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class StoreError(Exception):
    """A store operation failed (including writes that could not be completed)."""


class NotFound(StoreError):
    """The row that an operation needs does not exist."""

    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"{what} not found: {key}")
        self.what = what
        self.key = key


class ConflictError(StoreError):
    """A conditional write was refused: the stored state is not what the caller expected."""

    def __init__(self, message: str, *, expected: Any = None, actual: Any = None) -> None:
        super().__init__(message)
        self.expected = expected
        self.actual = actual


class ValidationError(StoreError, ValueError):
    """An argument of a store or search call is invalid; names the field and the value."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        shown = repr(value)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        super().__init__(f"invalid {field} {shown}: {reason}")
        self.field = field
        self.value = value
        self.reason = reason


class UnwrittenItemsError(StoreError):
    """BatchWriteItem gave up with items still unprocessed; lists which ones."""

    def __init__(self, table_name: str, keys: Iterable[str], attempts: int) -> None:
        self.table_name = table_name
        self.keys = list(keys)
        self.attempts = attempts
        shown = ", ".join(self.keys[:10]) + (" ..." if len(self.keys) > 10 else "")
        super().__init__(
            f"{len(self.keys)} item(s) could not be written to {table_name} after "
            f"{attempts} attempts: {shown}"
        )
