"""SourceStore: the source-management table (submission, analysis, versioned config, links).

Every state change is a conditional write, because two people (or a worker and an admin) may
act on one source at once without transactions (dynalite has none):
- `submit` claims the canonical base URL first (`BASEURL#...` row, conditional put), then
  writes the SUBMISSION; if that fails the claim is released, so no URL stays claimed by a
  source that does not exist;
- `transition` moves the one `status` only from an expected previous status, along
  `SOURCE_TRANSITIONS`, and moves the status-priority-index key with it;
- `put_config` writes history row `CONFIG#V{n+1}` conditionally first: of two approvers who
  both read version n, exactly one wins.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError
from w3lib.url import canonicalize_url

from famact import keys
from famact.constants import SOURCE_TRANSITIONS, Priority, SourceStatus
from famact.models import SourceAnalysis, SourceConfig, SourceSubmission
from famact.store.dynamo import (
    Tables,
    batch_get,
    batch_write,
    conditional_check_failed,
    error_code,
    from_item,
    to_item,
)
from famact.store.errors import ConflictError, NotFound, ValidationError
from famact.store.paging import Page, fingerprint, paged_query
from famact.tables import SOURCES, STATUS_PRIORITY_INDEX, index_by_name

DEFAULT_PORTS = {"http": 80, "https": 443}
_GSI1 = keys.GSI_ATTRS[1]
_ROW_KEYS = frozenset({"PK", "SK", *_GSI1})
_SUBMISSION_ROW_ONLY = _ROW_KEYS | {"canonical_url"}


def canonical_base_url(url: str) -> str:
    """The form of a base URL that decides "same site, already submitted": lowercase scheme
    and host, no default port, no user info, no fragment, no trailing slash, sorted query
    (w3lib), so `HTTPS://Example.org:443/Events/?b=2&a=1#x` == `https://example.org/Events?a=1&b=2`.
    The path keeps its case: servers may treat `/Events` and `/events` as different pages."""
    try:
        parts = urlsplit(canonicalize_url(url.strip(), keep_fragments=False))
        port = parts.port
    except ValueError as exc:  # w3lib and urllib refuse bad ports and hosts
        raise ValidationError("base_url", url, str(exc)) from exc
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        raise ValidationError("base_url", url, "is not an absolute http(s) URL")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SourceStore:
    def __init__(self, tables: Tables, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.tables = tables
        self.table = tables.sources
        self.table_name = tables.name(SOURCES)
        self.clock = clock

    # -- submission and status -----------------------------------------------------------------

    def submit(self, submission: SourceSubmission) -> SourceSubmission:
        """Store a new source; ConflictError when its id or its canonical base URL exists."""
        source_id = submission.source_id
        canonical = canonical_base_url(submission.base_url)
        claim_key = {"PK": keys.base_url_claim_pk(canonical), "SK": keys.BASE_URL_CLAIM_SK}
        try:
            response = self.table.put_item(
                Item={
                    **claim_key,
                    "source_id": source_id,
                    "base_url": canonical,
                    "claimed_at": to_item(self.clock()),
                },
                ConditionExpression="attribute_not_exists(PK) OR source_id = :id",
                ExpressionAttributeValues={":id": source_id},
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if not conditional_check_failed(exc):
                raise
            other = self.table.get_item(Key=claim_key, ConsistentRead=True).get("Item", {})
            owner = other.get("source_id", "?")
            raise ConflictError(
                f"base URL {canonical} is already submitted as source {owner!r}",
                expected=None,
                actual=owner,
            ) from None
        # A claim this source already held (a retried submit) is not ours to release.
        claimed_now = "Attributes" not in response
        try:
            self.table.put_item(
                Item=self._submission_item(submission, canonical),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as exc:
            if claimed_now:
                self._release_claim(claim_key, source_id)
            if conditional_check_failed(exc):
                raise ConflictError(f"source_id {source_id!r} already exists", actual=source_id) from None
            raise
        except BaseException:
            if claimed_now:
                self._release_claim(claim_key, source_id)
            raise
        return submission

    def _release_claim(self, claim_key: dict[str, str], source_id: str) -> None:
        try:
            self.table.delete_item(
                Key=claim_key,
                ConditionExpression="source_id = :id",
                ExpressionAttributeValues={":id": source_id},
            )
        except ClientError as exc:
            if not conditional_check_failed(exc):
                raise

    def _submission_item(self, submission: SourceSubmission, canonical: str) -> dict[str, Any]:
        return {
            **to_item(submission),
            "PK": keys.source_pk(submission.source_id),
            "SK": keys.SUBMISSION_SK,
            **keys.status_priority_keys(submission.status, submission.priority, submission.source_id),
            "canonical_url": canonical,
        }

    @staticmethod
    def _submission(row: dict[str, Any]) -> SourceSubmission:
        plain = from_item(row)
        data = {k: v for k, v in plain.items() if k not in _SUBMISSION_ROW_ONLY}
        return SourceSubmission.model_validate(data)

    def get(self, source_id: str) -> SourceSubmission | None:
        item = self.table.get_item(
            Key={"PK": keys.source_pk(source_id), "SK": keys.SUBMISSION_SK}, ConsistentRead=True
        ).get("Item")
        return self._submission(item) if item else None

    def transition(
        self,
        source_id: str,
        to: SourceStatus,
        *,
        expected: SourceStatus | Collection[SourceStatus],
        reason: str | None = None,
    ) -> SourceSubmission:
        """Move the status from one of `expected` to `to`, atomically.

        ValidationError when the move is not in SOURCE_TRANSITIONS; NotFound when the source
        does not exist; ConflictError (with the actual status) when it is not in `expected`.
        """
        to = SourceStatus(to)
        expected_set = (
            {SourceStatus(expected)} if isinstance(expected, str) else {SourceStatus(e) for e in expected}
        )
        if not expected_set:
            raise ValidationError("expected", expected, "give at least one expected status")
        for previous in sorted(expected_set):
            if to not in SOURCE_TRANSITIONS[previous]:
                raise ValidationError(
                    "status", to.value, f"a source cannot move from {previous.value} to {to.value}"
                )
        pk_attr = _GSI1[0]
        values: dict[str, Any] = {
            ":to": to.value,
            ":gpk": keys.status_pk(to),
            ":now": to_item(self.clock()),
        }
        names = {"#s": "status", "#gpk": pk_attr}
        placeholders = []
        for n, previous in enumerate(sorted(expected_set)):
            values[f":e{n}"] = previous.value
            placeholders.append(f":e{n}")
        update = "SET #s = :to, #gpk = :gpk, updated_at = :now"
        if reason is not None:
            update += ", status_reason = :reason"
            values[":reason"] = reason
        else:
            update += " REMOVE status_reason"
        try:
            response = self.table.update_item(
                Key={"PK": keys.source_pk(source_id), "SK": keys.SUBMISSION_SK},
                UpdateExpression=update,
                ConditionExpression=f"attribute_exists(PK) AND #s IN ({', '.join(placeholders)})",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if not conditional_check_failed(exc):
                raise
            current = self.get(source_id)
            if current is None:
                raise NotFound("source", source_id) from None
            wanted = " or ".join(sorted(e.value for e in expected_set))
            raise ConflictError(
                f"source {source_id!r} is {current.status.value}, not {wanted}: cannot move to {to.value}",
                expected=expected_set,
                actual=current.status,
            ) from None
        return self._submission(response["Attributes"])

    def set_priority(self, source_id: str, priority: Priority) -> SourceSubmission:
        priority = Priority(priority)
        sk_attr = _GSI1[1]
        try:
            response = self.table.update_item(
                Key={"PK": keys.source_pk(source_id), "SK": keys.SUBMISSION_SK},
                UpdateExpression="SET priority = :p, #gsk = :gsk, updated_at = :now",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#gsk": sk_attr},
                ExpressionAttributeValues={
                    ":p": priority.value,
                    # The status part of the keys does not matter here: only the SK is used.
                    ":gsk": keys.status_priority_keys(SourceStatus.ACTIVE, priority, source_id)[sk_attr],
                    ":now": to_item(self.clock()),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if conditional_check_failed(exc):
                raise NotFound("source", source_id) from None
            raise
        return self._submission(response["Attributes"])

    def list_by_status(self, status: SourceStatus, *, limit: int = 50, cursor: str | None = None) -> Page:
        """Submissions with one status, high priority first (status-priority-index)."""
        index = index_by_name(SOURCES, STATUS_PRIORITY_INDEX)
        status = SourceStatus(status)
        page = paged_query(
            self.table,
            [{"IndexName": index.name, "KeyConditionExpression": Key(index.pk).eq(keys.status_pk(status))}],
            limit=limit,
            cursor=cursor,
            query_fingerprint=fingerprint(STATUS_PRIORITY_INDEX, status),
            key_attrs=frozenset({"PK", "SK", index.pk, index.sk}),
        )
        items = [self._submission(row).model_dump(mode="json", exclude_none=True) for row in page.items]
        return Page(items=items, cursor=page.cursor)

    # -- analysis ------------------------------------------------------------------------------

    def _require(self, source_id: str) -> None:
        item = self.table.get_item(
            Key={"PK": keys.source_pk(source_id), "SK": keys.SUBMISSION_SK}, ProjectionExpression="PK"
        ).get("Item")
        if item is None:
            raise NotFound("source", source_id)

    def put_analysis(self, analysis: SourceAnalysis) -> None:
        self._require(analysis.source_id)
        item = {**to_item(analysis), "PK": keys.source_pk(analysis.source_id), "SK": keys.ANALYSIS_SK}
        try:
            self.table.put_item(Item=item)
        except ClientError as exc:
            if error_code(exc) == "ValidationException":
                # e.g. over 400 KB: say which record, not a botocore traceback.
                raise ValidationError("analysis", analysis.source_id, str(exc)) from exc
            raise

    def get_analysis(self, source_id: str) -> SourceAnalysis | None:
        item = self.table.get_item(Key={"PK": keys.source_pk(source_id), "SK": keys.ANALYSIS_SK}).get("Item")
        if item is None:
            return None
        plain = from_item(item)
        return SourceAnalysis.model_validate({k: v for k, v in plain.items() if k not in _ROW_KEYS})

    # -- config --------------------------------------------------------------------------------

    def put_config(self, config: SourceConfig, *, approved_by: str | None = None) -> SourceConfig:
        """Store `config` as version n+1 (n = the current CONFIG version, 0 when none) in
        `CONFIG` and in history row `CONFIG#V{n+1}`; ConflictError when another writer took
        version n+1 first."""
        source_id = config.source_id
        self._require(source_id)
        pk = keys.source_pk(source_id)
        current = self.table.get_item(
            Key={"PK": pk, "SK": keys.CONFIG_SK}, ProjectionExpression="version", ConsistentRead=True
        ).get("Item")
        previous = int(current["version"]) if current else 0
        stored = config.model_copy(
            update={
                "version": previous + 1,
                "updated_at": self.clock(),
                "approved_by": approved_by or config.approved_by,
            }
        )
        body = to_item(stored)
        history_key = {"PK": pk, "SK": keys.config_version_sk(stored.version)}
        try:
            self.table.put_item(Item={**body, **history_key}, ConditionExpression="attribute_not_exists(PK)")
        except ClientError as exc:
            if conditional_check_failed(exc):
                raise ConflictError(
                    f"config version {stored.version} of source {source_id!r} was written by someone "
                    "else; reload and retry",
                    expected=previous,
                    actual=stored.version,
                ) from None
            raise
        try:
            self.table.put_item(
                Item={**body, "PK": pk, "SK": keys.CONFIG_SK},
                ConditionExpression="attribute_not_exists(PK) OR version = :previous",
                ExpressionAttributeValues={":previous": previous},
            )
        except ClientError as exc:
            # Undo the history row, or every later writer would collide with it.
            self.table.delete_item(Key=history_key)
            if conditional_check_failed(exc):
                raise ConflictError(
                    f"config of source {source_id!r} changed while writing version {stored.version}",
                    expected=previous,
                ) from None
            raise
        return stored

    def withdraw_config(self, source_id: str, version: int) -> None:
        """Undo `put_config` of `version` (when what followed it failed, e.g. the status move
        of an approval): the previous version becomes current again, or no config when
        there was none. Conditional on `version` still being current, so a later writer's
        version is never withdrawn; its history row is deleted either way."""
        pk = keys.source_pk(source_id)
        previous = (
            self.table.get_item(
                Key={"PK": pk, "SK": keys.config_version_sk(version - 1)}, ConsistentRead=True
            ).get("Item")
            if version > 1
            else None
        )
        condition = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": version}}
        try:
            if previous is not None:
                self.table.put_item(Item={**previous, "SK": keys.CONFIG_SK}, **condition)
            else:
                self.table.delete_item(Key={"PK": pk, "SK": keys.CONFIG_SK}, **condition)
        except ClientError as exc:
            if not conditional_check_failed(exc):
                raise
            return  # a newer version is current: it is not ours to touch
        self.table.delete_item(Key={"PK": pk, "SK": keys.config_version_sk(version)})

    @staticmethod
    def _config(item: dict[str, Any]) -> SourceConfig:
        plain = from_item(item)
        return SourceConfig.model_validate({k: v for k, v in plain.items() if k not in _ROW_KEYS})

    def get_config(self, source_id: str, version: int | None = None) -> SourceConfig | None:
        sk = keys.CONFIG_SK if version is None else keys.config_version_sk(version)
        item = self.table.get_item(Key={"PK": keys.source_pk(source_id), "SK": sk}).get("Item")
        return self._config(item) if item else None

    def config_versions(self, source_id: str) -> list[int]:
        versions: list[int] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(keys.source_pk(source_id))
            & Key("SK").begins_with(keys.CONFIG_VERSION_PREFIX),
            "ProjectionExpression": "SK",
        }
        while True:
            response = self.table.query(**kwargs)
            versions.extend(
                int(str(i["SK"])[len(keys.CONFIG_VERSION_PREFIX) :]) for i in response.get("Items", [])
            )
            if "LastEvaluatedKey" not in response:
                return sorted(versions)
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # -- entity links --------------------------------------------------------------------------

    def link_entities(self, source_id: str, entity_pks: Iterable[str]) -> int:
        """Record that the source produced these entities; only new links are written (a
        re-crawl of an unchanged site writes nothing). Returns the number of new links."""
        pk = keys.source_pk(source_id)
        wanted = set(entity_pks)
        if not wanted:
            return 0
        # Look up only these links (one BatchGetItem per 100), not the source's whole set:
        # a crawl links in batches, and re-reading every link each time grows quadratically.
        existing = batch_get(
            self.table_name,
            self.tables.client,
            [{"PK": pk, "SK": keys.source_entity_sk(e)} for e in sorted(wanted)],
            projection=["entity_pk"],
            retries=self.tables.retries,
        )
        new = wanted - {str(row["entity_pk"]) for row in existing}
        now = to_item(self.clock())
        rows = [
            {"PK": pk, "SK": keys.source_entity_sk(entity_pk), "entity_pk": entity_pk, "linked_at": now}
            for entity_pk in sorted(new)
        ]
        if rows:
            batch_write(self.table_name, self.tables.client, rows, retries=self.tables.retries)
        return len(rows)

    def linked_entities(self, source_id: str) -> set[str]:
        linked: set[str] = set()
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(keys.source_pk(source_id))
            & Key("SK").begins_with(keys.ENTITY_LINK_PREFIX),
            "ProjectionExpression": "entity_pk",
        }
        while True:
            response = self.table.query(**kwargs)
            linked.update(str(i["entity_pk"]) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return linked
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
