"""The source config's JSON Schema is a public contract: pinned against a committed snapshot,
as zyte-spider-templates pins its spider parameters' schema."""

from __future__ import annotations

import difflib
import json

import pytest

from tests.unit.snapshots import SNAPSHOT_DIR, SNAPSHOTS, UPDATE_COMMAND, render


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_the_schema_matches_its_committed_snapshot(name: str) -> None:
    path = SNAPSHOT_DIR / name
    current = render(SNAPSHOTS[name]())
    assert path.exists(), f"{path} is missing; create it with: {UPDATE_COMMAND}"
    committed = path.read_text(encoding="utf-8")
    if committed != current:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                current.splitlines(keepends=True),
                f"{name} (committed)",
                f"{name} (current code)",
                n=2,
            )
        )
        pytest.fail(
            f"{name} changed: configs and tools rely on this schema. If the change is meant, "
            f"regenerate the snapshot with `{UPDATE_COMMAND}` and commit it.\n{diff[:6000]}",
            pytrace=False,
        )


def test_the_snapshot_pins_the_configs_contract() -> None:
    """The snapshot is the whole config: required fields, no unknown keys, every section."""
    schema = json.loads((SNAPSHOT_DIR / "source_config.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "SourceConfig"
    assert schema["required"] == ["source_id", "source_name", "base_url"]
    assert schema["additionalProperties"] is False  # a typo in a config is an error
    assert {"listing", "detail", "structured_data", "defaults", "scraping_config"} <= set(
        schema["properties"]
    )
