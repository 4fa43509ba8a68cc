"""One config-file loader and one ValidationError-to-one-line formatter for every caller."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from famact.config_file import ConfigError, load_config_file
from famact.errors import validation_message
from famact.models import SourceConfig

GOOD = {
    "source_id": "hub-events",
    "source_name": "Hub Events",
    "source_type": "other",
    "base_url": "https://hub.example.org/",
    "target_urls": ["https://hub.example.org/events/"],
    "listing": {"item": "li.card", "fields": {"title": "h3 a"}},
}


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert load_config_file(path) == SourceConfig.model_validate(GOOD)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "config_file: no such file: "),
        ("{not json", "config_file: not valid JSON ("),
        (json.dumps({**GOOD, "listing": {"item": "li[", "fields": {"title": "h3"}}}), "listing.item"),
    ],
    ids=["missing", "not-json", "bad-selector"],
)
def test_a_bad_file_is_one_line_naming_what_is_wrong(tmp_path: Path, text: str | None, message: str) -> None:
    path = tmp_path / "config.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config_file(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert "Value error, " not in str(info.value)


def test_validation_message_names_the_first_field_and_counts_the_rest() -> None:
    with pytest.raises(ValidationError) as info:
        SourceConfig.model_validate({**GOOD, "source_type": "nope", "target_urls": "not a list"})
    message = validation_message(info.value)
    assert message.startswith("source_type: ")
    assert message.endswith(" (+1 more)")


def test_the_crawler_and_the_cli_share_the_loader() -> None:
    from famact_crawler.spiders import source

    assert source.load_config_file is load_config_file
    assert source.ConfigError is ConfigError
