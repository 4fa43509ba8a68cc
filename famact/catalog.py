"""The source catalog: a YAML list of real sources for `famact sources seed`.

The bundled catalog is `famact/data/seattle-sources.yaml`; `--catalog FILE` takes another
of the same shape. It is validated whole before anything is submitted: a bad entry is
refused with its path (`sources.3.base_url: ...`), and two entries with one canonical base
URL are refused (a catalog that submits one site twice is a mistake, not a skip).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pydantic
import yaml
from pydantic import Field, StringConstraints, field_validator, model_validator

from famact.constants import EntityType, Priority, SourceType
from famact.errors import validation_message
from famact.keys import slugify
from famact.models import MAX_NAME_CHARS, FamactModel, Url, require_http_urls
from famact.store.sources import canonical_base_url

BUNDLED_CATALOG = Path(__file__).resolve().parent / "data" / "seattle-sources.yaml"
UNVERIFIED = "unverified"  # a platform nobody has checked yet: the analysis will tell
MAX_EVIDENCE_CHARS = 800  # a note, not a report: where the platform and hints were seen


class CatalogError(ValueError):
    """The catalog file cannot be read; the message names the file and the field."""


class CatalogSource(FamactModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_CHARS)]
    base_url: Url
    hint_urls: list[Url] = Field(default_factory=list, max_length=20)
    source_type: SourceType = SourceType.OTHER
    expected_kinds: list[EntityType] = Field(min_length=1)
    priority: Priority = Priority.MEDIUM
    platform: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    notes: Annotated[str, StringConstraints(max_length=1_000)] | None = None
    # Where the platform and hint URLs were seen (repository and commit, or page, and date):
    # for the catalog's reviewers only, it is not submitted with the source.
    evidence: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_EVIDENCE_CHARS)]
        | None
    ) = None
    source_id: str | None = Field(default=None, max_length=120, pattern=r"^[a-z0-9][a-z0-9_-]*$")

    @field_validator("base_url", "hint_urls")
    @classmethod
    def _http_urls(cls, value: Any) -> Any:
        return require_http_urls(value)

    @property
    def id(self) -> str:
        return self.source_id or slugify(self.name, 60)

    @property
    def submission_notes(self) -> str:
        """What the submission's notes say: the platform and kinds, for the reviewer."""
        kinds = ", ".join(k.value for k in self.expected_kinds)
        parts = [f"platform: {self.platform}", f"expected: {kinds}", "from the starter catalog"]
        return "; ".join(parts) + (f". {self.notes}" if self.notes else "")


class SourceCatalog(FamactModel):
    version: int = Field(ge=1)
    region: str | None = Field(default=None, max_length=200)
    sources: list[CatalogSource] = Field(min_length=1, max_length=1_000)

    @model_validator(mode="after")
    def _unique(self) -> SourceCatalog:
        urls: dict[str, int] = {}
        ids: dict[str, int] = {}
        for n, source in enumerate(self.sources):
            canonical = canonical_base_url(source.base_url)
            if canonical in urls:
                raise ValueError(
                    f"sources.{n}.base_url {canonical} repeats sources.{urls[canonical]}.base_url"
                )
            if not source.id or source.id in ids:
                raise ValueError(
                    f"sources.{n}.name gives source id {source.id!r} twice (or none): set source_id"
                )
            urls[canonical], ids[source.id] = n, n
        return self


def load_catalog(path: str | Path | None = None) -> SourceCatalog:
    """The catalog at `path` (default: the bundled Seattle catalog), validated."""
    target = Path(path) if path is not None else BUNDLED_CATALOG
    if not target.is_file():
        raise CatalogError(f"catalog: no such file: {target}")
    try:
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{target.name}: not YAML: {' '.join(str(exc).split())}") from exc
    try:
        return SourceCatalog.model_validate(data)
    except pydantic.ValidationError as exc:
        raise CatalogError(f"{target.name}: {validation_message(exc)}") from exc
