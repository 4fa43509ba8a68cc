"""Committed snapshots of public contracts, and the one way to change them on purpose.

A snapshot pins something users and other programs depend on (the JSON Schema of a source
config, which `famact sources schema` prints and config authors validate against). The test
fails when the contract changes; after a deliberate change, regenerate and commit the file:

    PYTHONPATH=$PWD .venv/bin/python -m tests.unit.snapshots update

and review the diff like any other change to the contract.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from famact.models import SourceConfig

SNAPSHOT_DIR = Path(__file__).resolve().parent
UPDATE_COMMAND = "PYTHONPATH=$PWD .venv/bin/python -m tests.unit.snapshots update"


def source_config_schema() -> dict[str, Any]:
    return SourceConfig.model_json_schema()


# File name -> what it pins.
SNAPSHOTS: dict[str, Callable[[], Any]] = {
    "source_config.schema.json": source_config_schema,
}


def render(value: Any) -> str:
    """Stable text: sorted keys, two-space indent, a final newline (diffs stay readable)."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def update() -> list[Path]:
    """Write every snapshot from the current code; returns the files that changed."""
    changed = []
    for name, make in SNAPSHOTS.items():
        path = SNAPSHOT_DIR / name
        text = render(make())
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
