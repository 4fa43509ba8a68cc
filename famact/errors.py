"""Errors as the one line a user reads (STYLE: "the CLI and API turn it into one clear line")."""

from __future__ import annotations

from pydantic import ValidationError


def validation_message(exc: ValidationError) -> str:
    """`field.path: what is wrong (+N more)`, naming the first bad field of a pydantic error:
    `listing.item.query: invalid CSS selector ...`."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or exc.title
    msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {msg}{more}"
