"""Short human labels for result cards (when, where, ages, price)."""

from __future__ import annotations

from typing import Any


def price(item: dict[str, Any]) -> str:
    pricing = item.get("pricing") or {}
    if not pricing:
        return ""
    if pricing.get("type") == "free":
        return "Free"
    cost = pricing.get("cost")
    return f"${cost}" if cost is not None else str(pricing.get("type", "")).capitalize()


def ages(item: dict[str, Any]) -> str:
    lo, hi = item.get("min_age_months"), item.get("max_age_months")

    def fmt(months: int) -> str:
        return f"{months // 12} yrs" if months % 12 == 0 and months >= 24 else f"{months} mo"

    if hi is None:
        return "All ages" if lo is None else f"{fmt(int(lo))}+"
    return f"{fmt(int(lo or 0))} - {fmt(int(hi))}"


def when(item: dict[str, Any]) -> str:
    day = item.get("next_date")
    if not day:
        return "Ongoing"
    start = item.get("next_start_time")
    return f"{day} {start}" if start else str(day)


def where(item: dict[str, Any]) -> str:
    address = item.get("address") or {}
    parts = [item.get("venue_name"), address.get("city") or item.get("city")]
    return ", ".join(str(p) for p in parts if p and p != "unknown")


def path(item: dict[str, Any]) -> str:
    return f"/{str(item['entity_type']).lower()}s/{item['entity_id']}"
