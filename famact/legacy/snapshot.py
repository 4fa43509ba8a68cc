"""The old frontend's snapshot, `activities/latest.json`, as pydantic models.

The shape is the one the old frontend reads:
`{"metadata": {lastUpdated, totalActivities, sources, nextUpdate, version, region, coverage},
"activities": [Activity...]}`. Field names are the frontend's own (camelCase), so a model
dump is the file. Every model forbids unknown fields: a typo or a field this model does not
know is refused with its path (`activities.3.schedule.startDate: ...`), never dropped.

The old format names its fields but not every inner shape; where it is silent these models
take the plainest reading and say so: `schedule.times` is a list of "HH:MM" times,
`schedule.sessions` a session count or a list of dated sessions, `images` a list of URLs,
`coordinates` `{lat, lng}`, `metadata.sources` a list of source names (or a count) and
`metadata.coverage` a free JSON object.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints, model_validator

LegacyType = Literal["class", "camp", "event", "performance", "free-activity"]
LEGACY_TYPES: tuple[str, ...] = ("class", "camp", "event", "performance", "free-activity")

Text = Annotated[str, StringConstraints(max_length=20_000)]
Short = Annotated[str, StringConstraints(max_length=2_000)]


def _json_number(value: Decimal) -> int | float:
    """The frontend reads numbers, not pydantic's Decimal-as-string."""
    return int(value) if value == value.to_integral_value() else float(value)


Number = Annotated[Decimal, PlainSerializer(_json_number, when_used="json")]


class LegacyModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LegacySession(LegacyModel):
    date: date
    startTime: Short | None = None
    endTime: Short | None = None


class LegacySchedule(LegacyModel):
    type: Short | None = None  # "one-time", "recurring", "ongoing", "session"...
    startDate: date | None = None
    endDate: date | None = None
    startTime: Short | None = None  # "HH:MM" (24 h); "10:00 AM" is read too
    endTime: Short | None = None
    timezone: Short | None = None
    isAllDay: bool | None = None
    frequency: Short | None = None  # "weekly", "daily"...
    daysOfWeek: list[Short] = Field(default_factory=list)
    times: list[Short] = Field(default_factory=list)
    duration: Short | int | None = None
    sessions: int | list[LegacySession] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> LegacySchedule:
        if self.startDate and self.endDate and self.endDate < self.startDate:
            raise ValueError(f"endDate {self.endDate} is before startDate {self.startDate}")
        return self


class LegacyAgeGroup(LegacyModel):
    category: Short | None = None
    minAge: Number | None = Field(default=None, ge=0)
    maxAge: Number | None = Field(default=None, ge=0)
    unit: Literal["months", "years"] = "years"
    description: Short | None = None

    @model_validator(mode="after")
    def _ordered(self) -> LegacyAgeGroup:
        if self.minAge is not None and self.maxAge is not None and self.minAge > self.maxAge:
            raise ValueError(f"minAge {self.minAge} is above maxAge {self.maxAge}")
        return self


class LegacyCoordinates(LegacyModel):
    lat: Number = Field(ge=-90, le=90)
    lng: Number = Field(ge=-180, le=180)


class LegacyLocation(LegacyModel):
    name: Short | None = None
    address: Short | None = None
    city: Short | None = None
    state: Short | None = None
    zipCode: Short | None = None
    neighborhood: Short | None = None
    region: Short | None = None
    coordinates: LegacyCoordinates | None = None
    venueType: Short | None = None


class LegacyPricing(LegacyModel):
    type: Literal["free", "paid", "donation", "variable"]
    cost: Number | None = Field(default=None, ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    unit: Short | None = None  # "per child", "per session"
    description: Short | None = None


class LegacyRegistration(LegacyModel):
    required: bool | None = None
    method: Short | None = None  # "online", "phone", "drop-in"
    url: Short | None = None
    status: Short | None = None  # "open", "full", "waitlist", "closed"


class LegacyProvider(LegacyModel):
    name: Short
    type: Short | None = None
    website: Short | None = None
    verified: bool | None = None


class LegacySource(LegacyModel):
    url: Short | None = None
    domain: Short | None = None
    scrapedAt: datetime | None = None
    lastChecked: datetime | None = None
    reliability: Short | float | None = None


class LegacyActivity(LegacyModel):
    id: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    description: Text | None = None
    type: LegacyType
    category: Short | None = None
    subcategory: Short | None = None
    schedule: LegacySchedule = Field(default_factory=LegacySchedule)
    ageGroups: list[LegacyAgeGroup] = Field(default_factory=list)
    familyType: Short | None = None
    location: LegacyLocation = Field(default_factory=LegacyLocation)
    pricing: LegacyPricing | None = None
    registration: LegacyRegistration | None = None
    images: list[Short] = Field(default_factory=list)
    detailUrl: Short | None = None
    tags: list[Short] = Field(default_factory=list)
    provider: LegacyProvider | None = None
    source: LegacySource | None = None
    featured: bool = False
    createdAt: datetime | None = None
    updatedAt: datetime | None = None
    status: Short = "active"


class LegacyMetadata(LegacyModel):
    lastUpdated: datetime
    totalActivities: int = Field(ge=0)
    sources: list[Short] | int = Field(default_factory=list)
    nextUpdate: datetime | None = None
    version: Short | None = None
    region: Short | None = None
    coverage: dict[str, Any] | None = None


class LegacySnapshot(LegacyModel):
    metadata: LegacyMetadata
    activities: list[LegacyActivity]

    @model_validator(mode="after")
    def _consistent(self) -> LegacySnapshot:
        if self.metadata.totalActivities != len(self.activities):
            raise ValueError(
                f"metadata.totalActivities is {self.metadata.totalActivities} but the snapshot "
                f"holds {len(self.activities)} activities"
            )
        seen: dict[str, int] = {}
        for n, activity in enumerate(self.activities):
            if activity.id in seen:
                raise ValueError(
                    f"activities.{n}.id {activity.id!r} repeats activities.{seen[activity.id]}.id"
                )
            seen[activity.id] = n
        return self

    def to_json(self) -> str:
        """The file the old frontend reads (camelCase, ISO dates, no nulls it did not have)."""
        return self.model_dump_json(indent=None, exclude_none=True)
