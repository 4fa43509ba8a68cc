"""Reading and writing the snapshot file: a local path or an `s3://bucket/key` URL.

Writes go to S3 with the headers the old frontend relies on: `application/json`, a short
`max-age` on `latest.json` (the frontend must see a new snapshot within minutes) and a long,
immutable one on the timestamped copy under `backups/` (its name never gets other content).
The backup is written first, so a `latest.json` always has its copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import boto3
import pydantic
from botocore.exceptions import BotoCoreError, ClientError

from famact.errors import validation_message
from famact.legacy.snapshot import LegacySnapshot
from famact.settings import get_settings

LATEST_CACHE_CONTROL = "public, max-age=300"
BACKUP_CACHE_CONTROL = "public, max-age=31536000, immutable"
CONTENT_TYPE = "application/json; charset=utf-8"
MAX_SNAPSHOT_BYTES = 200 * 1024 * 1024  # refuse to read more than this into memory


class SnapshotError(ValueError):
    """The snapshot cannot be read or written; the message names the file and the field."""


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    def backup(self, at: datetime) -> S3Location:
        """`activities/latest.json` -> `activities/backups/latest-20261204T193000Z.json`."""
        path = PurePosixPath(self.key)
        stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        name = f"{path.stem}-{stamp}{path.suffix or '.json'}"
        parent = "" if str(path.parent) == "." else f"{path.parent}/"
        return S3Location(self.bucket, f"{parent}backups/{name}")


def is_s3_url(location: str) -> bool:
    return location.startswith("s3://")


def parse_s3_url(url: str) -> S3Location:
    parts = urlsplit(url)
    key = parts.path.lstrip("/")
    if parts.scheme != "s3" or not parts.netloc or not key or key.endswith("/"):
        raise SnapshotError(f"s3_url: expected s3://BUCKET/path/latest.json, got {url!r}")
    return S3Location(parts.netloc, key)


def s3_client() -> Any:
    """boto3's S3 client; `AWS_ENDPOINT_URL_S3` (read by boto3) points it at another server."""
    return boto3.session.Session(region_name=get_settings().aws_region).client("s3")


def parse_snapshot(text: str | bytes, *, where: str) -> LegacySnapshot:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{where}: not JSON: {exc}") from exc
    try:
        return LegacySnapshot.model_validate(data)
    except pydantic.ValidationError as exc:
        raise SnapshotError(f"{where}: {validation_message(exc)}") from exc


def read_snapshot(location: str, *, client: Any = None) -> LegacySnapshot:
    """The snapshot at a path or an s3:// URL, validated; SnapshotError names the bad field."""
    if is_s3_url(location):
        target = parse_s3_url(location)
        try:
            body = (client or s3_client()).get_object(Bucket=target.bucket, Key=target.key)["Body"]
            data = body.read(MAX_SNAPSHOT_BYTES + 1)
        except (BotoCoreError, ClientError) as exc:
            raise SnapshotError(f"{location}: cannot read: {exc}") from exc
    else:
        path = Path(location)
        if not path.is_file():
            raise SnapshotError(f"snapshot: no such file: {location}")
        if path.stat().st_size > MAX_SNAPSHOT_BYTES:
            raise SnapshotError(f"{location}: larger than {MAX_SNAPSHOT_BYTES} bytes")
        data = path.read_bytes()
    if len(data) > MAX_SNAPSHOT_BYTES:
        raise SnapshotError(f"{location}: larger than {MAX_SNAPSHOT_BYTES} bytes")
    return parse_snapshot(data, where=location)


@dataclass(frozen=True)
class Published:
    latest: S3Location
    backup: S3Location
    activities: int
    bytes: int


def write_snapshot(snapshot: LegacySnapshot, url: str, *, at: datetime, client: Any = None) -> Published:
    """Put the snapshot at `url` and its timestamped copy under `backups/`."""
    target = parse_s3_url(url)
    backup = target.backup(at)
    body = snapshot.to_json().encode("utf-8")
    s3 = client or s3_client()
    try:
        for where, cache in ((backup, BACKUP_CACHE_CONTROL), (target, LATEST_CACHE_CONTROL)):
            s3.put_object(
                Bucket=where.bucket, Key=where.key, Body=body, ContentType=CONTENT_TYPE, CacheControl=cache
            )
    except (BotoCoreError, ClientError) as exc:
        raise SnapshotError(f"{url}: cannot write: {exc}") from exc
    return Published(latest=target, backup=backup, activities=len(snapshot.activities), bytes=len(body))
