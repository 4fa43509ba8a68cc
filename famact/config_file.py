"""A source config (`SourceConfig`) read from a JSON file: `famact crawl --config`, `famact
sources approve --config`, `scrapy crawl source -a config_file=PATH`."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from famact.errors import validation_message
from famact.models import SourceConfig


class ConfigError(ValueError):
    """No usable source config: the file is missing, not JSON, or not a valid config."""


def load_config_file(path: str | Path) -> SourceConfig:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config_file: no such file: {path}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"config_file: not valid JSON ({path}): {exc}") from exc
    try:
        return SourceConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"config_file {path}: {validation_message(exc)}") from exc
