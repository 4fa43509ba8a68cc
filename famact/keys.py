"""Every PK / SK / GSI key format of the three tables, in one place (ARCHITECTURE section 2).

Nothing else in the code base builds a key string: import the function from here.

family-activities holds four kinds of row under one entity partition `{TYPE}#{entity_id}`:
- `METADATA`: the entity; in location-date-index when undated (`DATE#ONGOING`) or one-time,
  and always in venue-activity-index and provider-index (when it has a venue / provider);
- `INSTANCE#{date}[#{HH:MM}]`: one dated occurrence; in location-date-index;
- `AGE#{age_group}#{date|ONGOING}[#{HH:MM}]`: a projection row per (age group, date) that puts
  the entity in category-age-index, so a query for any of its age groups finds it. A GSI key
  is one value, so serving several age groups from one row is impossible: fan-out rows are
  the documented design (they hold only keys and the few fields a result list shows).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime

from famact.constants import UNKNOWN, AgeGroup, EntityType, Priority, SourceStatus

SEP = "#"
METADATA_SK = "METADATA"
INSTANCE_PREFIX = "INSTANCE#"
AGE_PREFIX = "AGE#"
ONGOING = "ONGOING"

SUBMISSION_SK = "SUBMISSION"
ANALYSIS_SK = "ANALYSIS"
CONFIG_SK = "CONFIG"
CONFIG_VERSION_PREFIX = "CONFIG#V"
HEALTH_SK = "HEALTH"  # the source's crawl-health record and any repair candidate config
ENTITY_LINK_PREFIX = "ENTITY#"
SUMMARY_SK = "SUMMARY"
ERROR_PREFIX = "ERROR#"

# GSI attribute names: plain strings GSI{n}PK / GSI{n}SK, written only on rows that belong.
GSI_ATTRS: dict[int, tuple[str, str]] = {n: (f"GSI{n}PK", f"GSI{n}SK") for n in (1, 2, 3, 4)}


def _clean(part: str) -> str:
    """Key parts may not contain the separator: it would make keys ambiguous."""
    if SEP in part:
        raise ValueError(f"key part may not contain {SEP!r}: {part!r}")
    if not part:
        raise ValueError("key part may not be empty")
    return part


def slugify(text: str, max_length: int = 60) -> str:
    """Lowercase ASCII slug: `Family Paint Night!` -> `family-paint-night`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def short_hash(*parts: str, length: int = 6) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def make_entity_id(name: str, *identity: str) -> str:
    """Deterministic id: slug of the name plus a short hash of its identity parts.

    The same listing crawled again gives the same id; never a timestamp or uuid. Names that
    slug to nothing (all CJK, emoji) fall back to `item`.
    """
    slug = slugify(name, 50) or "item"
    return f"{slug}-{short_hash(*identity)}"


def make_venue_id(name: str, city: str | None = None) -> str:
    """A venue's id depends on its name and city only, so every source links to one venue."""
    norm = re.sub(r"\s+", " ", name.strip().lower())
    norm = re.sub(r"^the\s+", "", norm)
    return make_entity_id(norm, "venue", norm, (city or UNKNOWN).lower())


def place_slug(value: str | None) -> str:
    """Region and city are lowercase slugs; unknown -> `unknown`."""
    return slugify(value or "", 80) or UNKNOWN


def date_key(day: date | None) -> str:
    return day.isoformat() if day else ONGOING


# -- family-activities ------------------------------------------------------------------------


def entity_pk(entity_type: EntityType | str, entity_id: str) -> str:
    return f"{EntityType(entity_type).value}{SEP}{_clean(entity_id)}"


def parse_entity_pk(pk: str) -> tuple[EntityType, str]:
    type_part, _, entity_id = pk.partition(SEP)
    return EntityType(type_part), entity_id


def instance_sk(day: date, start_time: str | None = None) -> str:
    """`INSTANCE#{date}`, plus `#{HH:MM}` when one day has several occurrences."""
    sk = f"{INSTANCE_PREFIX}{day.isoformat()}"
    return f"{sk}{SEP}{start_time}" if start_time else sk


def age_sk(age_group: AgeGroup | str, day: date | None, start_time: str | None = None) -> str:
    sk = f"{AGE_PREFIX}{AgeGroup(age_group).value}{SEP}{date_key(day)}"
    return f"{sk}{SEP}{start_time}" if start_time else sk


def location_date_keys(
    region: str, city: str, day: date | None, entity_type: EntityType | str, entity_id: str
) -> dict[str, str]:
    """location-date-index: `GEO#{region}#{city}` -> `DATE#{date}#TYPE#{type}#{entity_id}`."""
    pk_attr, sk_attr = GSI_ATTRS[1]
    return {
        pk_attr: geo_pk(region, city),
        sk_attr: location_date_type_prefix(day, entity_type) + entity_id,
    }


def location_date_type_prefix(day: date | None, entity_type: EntityType | str) -> str:
    """`DATE#{date|ONGOING}#TYPE#{type}#`: the sort-key prefix of one type's location-date
    rows on one day (or ongoing), which sort together within the day."""
    return f"DATE{SEP}{date_key(day)}{SEP}TYPE{SEP}{EntityType(entity_type).value}{SEP}"


def geo_pk(region: str, city: str) -> str:
    return f"GEO{SEP}{_clean(region or UNKNOWN)}{SEP}{_clean(city or UNKNOWN)}"


GEO_REGISTRY_PK = "GEO_PARTITIONS"


def geo_registry_keys(region: str, city: str) -> dict[str, str]:
    """One row per (region, city) that has entities: `GEO_PARTITIONS` / `GEO#{region}#{city}`.
    Search over "every place" queries these partitions instead of scanning the table."""
    return {"PK": GEO_REGISTRY_PK, "SK": geo_pk(region, city)}


def date_sk_bound(day: date | None) -> str:
    """`DATE#{date}`: a sort-key bound for date-range queries on location-date and
    category-age indexes. `DATE#ONGOING` sorts after every ISO date."""
    return f"DATE{SEP}{date_key(day)}"


def category_age_keys(
    category: str | None, age_group: AgeGroup | str, day: date | None, featured: bool, entity_id: str
) -> dict[str, str]:
    """category-age-index: `CAT#{category}#{age_group}` -> `DATE#{date}#FEATURED#{0|1}#{id}`."""
    pk_attr, sk_attr = GSI_ATTRS[2]
    return {
        pk_attr: category_age_pk(category, age_group),
        sk_attr: f"DATE{SEP}{date_key(day)}{SEP}FEATURED{SEP}{int(featured)}{SEP}{entity_id}",
    }


def category_age_pk(category: str | None, age_group: AgeGroup | str) -> str:
    return f"CAT{SEP}{_clean(category or UNKNOWN)}{SEP}{AgeGroup(age_group).value}"


def venue_activity_keys(
    venue_id: str, entity_type: EntityType | str, start_date: date | None, entity_id: str
) -> dict[str, str]:
    """venue-activity-index: `VENUE#{venue_id}` -> `TYPE#{type}#{start_date}#{entity_id}`."""
    pk_attr, sk_attr = GSI_ATTRS[3]
    return {
        pk_attr: venue_pk(venue_id),
        sk_attr: f"TYPE{SEP}{EntityType(entity_type).value}{SEP}{date_key(start_date)}{SEP}{entity_id}",
    }


def venue_pk(venue_id: str) -> str:
    return f"VENUE{SEP}{_clean(venue_id)}"


def provider_keys(
    provider_id: str, entity_type: EntityType | str, status: str, entity_id: str
) -> dict[str, str]:
    """provider-index: `PROVIDER#{provider_id}` -> `TYPE#{type}#STATUS#{status}#{entity_id}`."""
    pk_attr, sk_attr = GSI_ATTRS[4]
    return {
        pk_attr: provider_pk(provider_id),
        sk_attr: f"TYPE{SEP}{EntityType(entity_type).value}{SEP}STATUS{SEP}{status}{SEP}{entity_id}",
    }


def provider_pk(provider_id: str) -> str:
    return f"PROVIDER{SEP}{_clean(provider_id)}"


def type_prefix(entity_type: EntityType | str | None) -> str:
    """Sort-key prefix for venue-activity and provider queries restricted to one type."""
    return f"TYPE{SEP}{EntityType(entity_type).value}{SEP}" if entity_type else f"TYPE{SEP}"


LEGACY_ALIAS_SK = "ALIAS"


def legacy_alias_pk(legacy_id: str) -> str:
    """`LEGACY#{old id}`: which entity an id of the old S3 snapshot became (no GSI keys, so
    never in an index). `#` in an old id is escaped, as in base-URL claims."""
    if not legacy_id:
        raise ValueError("key part may not be empty")
    return f"LEGACY{SEP}{legacy_id.replace(SEP, '%23')}"


def legacy_of_pk(entity_pk_value: str) -> str:
    """`LEGACY_OF#{TYPE}#{entity_id}`: the old id (and record) of an imported entity, kept
    outside the entity's partition, whose rows a rewrite replaces."""
    parse_entity_pk(entity_pk_value)
    return f"LEGACY_OF{SEP}{entity_pk_value}"


# -- source-management ------------------------------------------------------------------------


def source_pk(source_id: str) -> str:
    return f"SOURCE{SEP}{_clean(source_id)}"


def config_version_sk(version: int) -> str:
    """History rows `CONFIG#V0001`...; `CONFIG` itself always holds the approved version."""
    return f"{CONFIG_VERSION_PREFIX}{version:04d}"


def source_entity_sk(entity_pk_value: str) -> str:
    """`ENTITY#{TYPE}#{entity_id}`: which entities a source has produced, so a complete crawl
    can mark the ones that vanished `inactive` with a Query instead of a Scan."""
    return f"{ENTITY_LINK_PREFIX}{entity_pk_value}"


BASE_URL_CLAIM_SK = "CLAIM"  # the SK of a BASEURL# row: one fixed value, so the claim is unique


def base_url_claim_pk(canonical_url: str) -> str:
    """A uniqueness row per base URL: a conditional put refuses a second source for it."""
    return f"BASEURL{SEP}{canonical_url.replace(SEP, '%23')}"


def status_priority_keys(
    status: SourceStatus | str, priority: Priority | str, source_id: str
) -> dict[str, str]:
    """status-priority-index: `STATUS#{status}` -> `PRIORITY#{1-high}#{source_id}`."""
    pk_attr, sk_attr = GSI_ATTRS[1]
    return {
        pk_attr: status_pk(status),
        sk_attr: f"PRIORITY{SEP}{Priority(priority).sort_key}{SEP}{source_id}",
    }


def status_pk(status: SourceStatus | str) -> str:
    return f"STATUS{SEP}{SourceStatus(status).value}"


# -- scraping-operations ----------------------------------------------------------------------


def schedule_pk(day: date) -> str:
    return f"SCHEDULE{SEP}{day.isoformat()}"


def schedule_sk(source_id: str) -> str:
    return source_pk(source_id)


SLOT_POINTER_SK = "SLOT"


def slot_pointer_keys(source_id: str) -> dict[str, str]:
    """`SOURCE#{id}` / `SLOT`: where a source's one schedule slot currently lives, so moving
    the slot to another `SCHEDULE#{date}` partition can delete the old row without a Scan."""
    return {"PK": source_pk(source_id), "SK": SLOT_POINTER_SK}


def next_run_bucket(when: datetime) -> str:
    """Hour bucket of a UTC time: `2026-11-24T18`. The orchestrator reads due buckets."""
    return when.strftime("%Y-%m-%dT%H")


def next_run_keys(when: datetime, priority: Priority | str, source_id: str) -> dict[str, str]:
    """next-run-index: `NEXT_RUN#{bucket}` -> `PRIORITY#{1-high}#{source_id}`."""
    pk_attr, sk_attr = GSI_ATTRS[1]
    return {
        pk_attr: f"NEXT_RUN{SEP}{next_run_bucket(when)}",
        sk_attr: f"PRIORITY{SEP}{Priority(priority).sort_key}{SEP}{source_id}",
    }


def next_run_pk(bucket: str) -> str:
    return f"NEXT_RUN{SEP}{bucket}"


def execution_pk(execution_id: str) -> str:
    return f"EXECUTION{SEP}{_clean(execution_id)}"


def error_sk(n: int) -> str:
    return f"{ERROR_PREFIX}{n:05d}"


def source_executions_keys(source_id: str, started_at: datetime) -> dict[str, str]:
    """source-execution-index (an addition to ARCHITECTURE section 2): a source's executions,
    newest last, so the dashboard lists a source's runs without a Scan."""
    pk_attr, sk_attr = GSI_ATTRS[2]
    return {pk_attr: source_pk(source_id), sk_attr: f"STARTED{SEP}{started_at.isoformat()}"}


def metrics_pk(source_id: str) -> str:
    return f"METRICS{SEP}{_clean(source_id)}"


def metrics_sk(day: date) -> str:
    return f"DATE{SEP}{day.isoformat()}"


# -- cross-source merges (family-activities) --------------------------------------------------

MERGES_PK = "MERGES"  # one partition of merge records: the admin lists them with one Query
MERGE_PREFIX = "MERGE#"


def merge_id_of(entity_pk_a: str, entity_pk_b: str) -> str:
    """Deterministic id of a candidate pair, whichever side is named first: a re-run of the
    merge job proposes a pair once, and a rejected pair stays rejected."""
    first, second = sorted((entity_pk_a, entity_pk_b))
    return f"m-{short_hash(first, second, length=12)}"


def merge_record_keys(merge_id: str) -> dict[str, str]:
    """`MERGES` / `MERGE#{merge_id}`: a merge (or an unsure or rejected pair), no GSI keys."""
    return {"PK": MERGES_PK, "SK": f"{MERGE_PREFIX}{_clean(merge_id)}"}
