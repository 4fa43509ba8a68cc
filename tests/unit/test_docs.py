"""docs/ stays true to the code: config examples validate, every config field, command, option
and make target is documented, links resolve, and nothing points outside the project."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from famact.models import SourceConfig

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DOC_FILES = sorted(DOCS.glob("*.md"))


def text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_the_docs_exist() -> None:
    assert {p.name for p in DOC_FILES} >= {
        "architecture.md",
        "commands.md",
        "data-model.md",
        "source-config.md",
    }


# -- source-config.md ---------------------------------------------------------------------------


def json_blocks(markdown: str) -> list[str]:
    return re.findall(r"```json\n(.*?)```", markdown, flags=re.DOTALL)


def test_every_config_example_is_a_valid_config() -> None:
    blocks = json_blocks(text("source-config.md"))
    assert len(blocks) >= 2
    for block in blocks:
        SourceConfig.model_validate(json.loads(block))


def models_of(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation) if get_origin(annotation) is not None else ():
        yield from models_of(arg)


def config_field_names() -> dict[str, set[str]]:
    """Field names of SourceConfig and of every model nested in it, by model name."""
    found: dict[str, set[str]] = {}
    todo: list[type[BaseModel]] = [SourceConfig]
    while todo:
        model = todo.pop()
        if model.__name__ in found:
            continue
        found[model.__name__] = set(model.model_fields)
        for info in model.model_fields.values():
            todo.extend(models_of(info.annotation))
    return found


def test_every_config_field_is_documented() -> None:
    doc = text("source-config.md")
    missing = sorted(
        f"{model}.{name}"
        for model, names in config_field_names().items()
        for name in names
        if f"`{name}`" not in doc and f"`rate_limit.{name}`" not in doc
    )
    assert not missing, f"docs/source-config.md does not describe: {missing}"


def test_every_raw_field_name_is_documented() -> None:
    from famact.models import RAW_FIELDS

    doc = text("source-config.md")
    assert [f for f in RAW_FIELDS if f"`{f}`" not in doc] == []


# -- commands.md --------------------------------------------------------------------------------


def famact_main() -> Callable[[list[str]], Any]:
    """The function the `famact` console script runs, as pyproject.toml names it."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, function = scripts["famact"].partition(":")
    main: Callable[[list[str]], Any] = getattr(importlib.import_module(module), function)
    return main


def help_text(path: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        famact_main()([*path, "--help"])
    return out.getvalue()


def subcommands(help_output: str) -> list[str]:
    """The sub-command names argparse lists under COMMAND / ACTION."""
    names: list[str] = []
    listing = False
    for line in help_output.splitlines():
        if line.strip() in ("COMMAND", "ACTION"):
            listing = True
            continue
        match = re.match(r"^    ([a-z][a-z-]*)\s", line)
        if listing and match:
            names.append(match.group(1))
        elif listing and line and not line.startswith(" " * 5):
            listing = False
    return names


def command_paths(path: list[str] | None = None) -> Iterator[tuple[list[str], str]]:
    path = path or []
    output = help_text(path)
    yield path, output
    for name in subcommands(output):
        yield from command_paths([*path, name])


def test_every_command_and_option_is_documented() -> None:
    doc = text("commands.md")
    paths = list(command_paths())
    assert len(paths) > 15  # famact, its commands and the sources actions
    missing = []
    for path, output in paths[1:]:
        command = "famact " + " ".join(path)
        if command not in doc:
            missing.append(command)
        for option in sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", output)) - {"--help"}):
            if option not in doc:
                missing.append(f"{command} {option}")
    assert not missing, f"docs/commands.md does not mention: {missing}"


def test_every_make_target_is_documented() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE)
    doc = text("commands.md")
    assert [t for t in targets if f"`make {t}" not in doc] == []


# -- every document -----------------------------------------------------------------------------


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {anchor(h) for h in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)}


@pytest.mark.parametrize("path", [*DOC_FILES, ROOT / "README.md"], ids=lambda p: p.name)
def test_links_resolve_and_nothing_points_outside_the_project(path: Path) -> None:
    content = path.read_text(encoding="utf-8")
    assert "../shared" not in content and "/work/" not in content
    for target in re.findall(r"\]\(([^)\s]+)\)", content):
        if re.match(r"^[a-z]+://", target):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.is_file(), f"{path.name}: broken link {target}"
        if fragment and linked.suffix == ".md":
            assert fragment in anchors(linked), f"{path.name}: no heading for #{fragment} in {linked.name}"
