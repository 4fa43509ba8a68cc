"""`famact sources seed`: the bundled catalog of real Seattle-area sources, submitted through
the ordinary submission path. Offline: host names resolve through a fake resolver."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from famact.app.cli import main
from famact.app.seed import seed_sources
from famact.catalog import BUNDLED_CATALOG, MAX_EVIDENCE_CHARS, UNVERIFIED, CatalogError, load_catalog
from famact.constants import SourceStatus, SourceType
from famact.store.sources import SourceStore

PUBLIC_IP = "93.184.216.34"


@pytest.fixture(autouse=True)
def offline_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name the URL guard looks up resolves to one public address (the guard's
    own lookup only: the process's sockets, e.g. to dynalite, are untouched)."""
    asked: list[str] = []

    def fake_resolve(host: str, port: int | None) -> list[Any]:
        asked.append(host)
        return [ipaddress.ip_address(PUBLIC_IP)]

    monkeypatch.setattr("famact.urls._resolve", fake_resolve)
    monkeypatch.delenv("FAMACT_ALLOW_PRIVATE_URLS", raising=False)
    from famact.settings import get_settings

    get_settings.cache_clear()
    return asked


def test_the_bundled_catalog_has_25_real_sources_of_every_kind() -> None:
    catalog = load_catalog()
    assert len(catalog.sources) >= 25
    types = {s.source_type for s in catalog.sources}
    assert {
        SourceType.LIBRARY,
        SourceType.MUSEUM,
        SourceType.PROGRAM_DIRECTORY,
        SourceType.AGGREGATOR,
    } <= types
    names = " ".join(s.name for s in catalog.sources)
    for word in ("Library", "Parks", "Museum", "Zoo", "Aquarium", "Theatre", "Farm", "ParentMap"):
        assert word in names, word
    for source in catalog.sources:
        assert source.platform and source.expected_kinds
        assert urlsplit(source.base_url).scheme == "https"
        # Reviewed: every entry says where its platform and hints were seen (or what was
        # searched in vain), and a hint on another host than the site's is named there.
        assert source.evidence, source.name
        for hint in source.hint_urls:
            host = urlsplit(hint).hostname or ""
            assert host == urlsplit(source.base_url).hostname or host in source.evidence, hint
    assert sum(s.platform == UNVERIFIED for s in catalog.sources) >= 1
    assert sum(s.platform != UNVERIFIED for s in catalog.sources) >= 15


def test_seeding_submits_every_source_once_and_a_second_run_skips_them(
    store_tables: Any, offline_dns: list[str]
) -> None:
    catalog = load_catalog()
    first = seed_sources(store_tables, catalog)
    assert len(first.submitted) == len(catalog.sources) and not first.skipped and not first.refused
    store = SourceStore(store_tables)
    spl = store.get("the-seattle-public-library")
    assert spl is not None and spl.status is SourceStatus.PENDING_ANALYSIS
    assert "www.spl.org" in offline_dns  # the URL guard checked the host
    assert spl.hint_urls == ["https://www.spl.org/event-calendar"]
    assert spl.notes is not None
    assert spl.notes.startswith("platform: Trumba (webName kalendaro); expected: EVENT, PROGRAM")
    spl_entry = next(s for s in catalog.sources if s.id == "the-seattle-public-library")
    assert spl_entry.evidence and "kalendaro.json" in spl_entry.evidence
    assert "kalendaro.json" not in spl.notes  # the evidence stays in the catalog
    again = seed_sources(store_tables, catalog)
    assert again.submitted == [] and len(again.skipped) == len(catalog.sources)
    assert all("already" in why for why in again.skipped.values())


def test_a_source_submitted_by_hand_first_is_skipped(store_tables: Any) -> None:
    from famact.app import workflow

    workflow.submit_source(store_tables, name="Zoo by hand", url="https://WWW.ZOO.ORG")
    result = seed_sources(store_tables, load_catalog())
    assert "woodland-park-zoo" in result.skipped
    assert len(result.submitted) == len(load_catalog().sources) - 1


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(body, encoding="utf-8")
    return path


ENTRY = """
  - name: {name}
    base_url: {url}
    expected_kinds: [EVENT]
    platform: unverified
"""


ONE = "version: 1\nsources:" + ENTRY.format(name="A", url="https://example.org/")


def test_url_rules_apply_to_catalog_entries(store_tables: Any, tmp_path: Path) -> None:
    body = "version: 1\nsources:" + ENTRY.format(name="Fine", url="https://example.org/")
    body += ENTRY.format(name="Internal", url="http://10.1.2.3/events")
    body += ENTRY.format(name="Metadata", url="http://169.254.169.254/latest")
    result = seed_sources(store_tables, load_catalog(_write(tmp_path, body)))
    assert result.submitted == ["fine"]
    assert set(result.refused) == {"internal", "metadata"}
    assert "10.1.2.3" in result.refused["internal"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("version: 1\nsources:" + ENTRY.format(name="A", url="ftp://example.org/"), "sources.0.base_url"),
        (
            "version: 1\nsources:"
            + ENTRY.format(name="A", url="https://example.org/x")
            + ENTRY.format(name="B", url="https://EXAMPLE.org/x/"),
            "sources.1.base_url",
        ),
        (
            "version: 1\nsources:\n  - name: A\n    base_url: https://example.org/\n    platform: x\n",
            "expected_kinds",
        ),
        ("version: 1\nsources: [", "not YAML"),
        (ONE + "    evidense: a typo is refused\n", "sources.0.evidense"),
        (ONE + f"    evidence: {'x' * (MAX_EVIDENCE_CHARS + 1)}\n", "sources.0.evidence"),
    ],
)
def test_a_bad_catalog_is_refused_naming_the_field(tmp_path: Path, body: str, field: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(_write(tmp_path, body))
    assert field in str(caught.value) and "\n" not in str(caught.value)


def test_cli_seed(
    store_tables: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("famact.app.cli._tables", lambda: store_tables)
    assert main(["sources", "seed"]) == 0
    out = capsys.readouterr().out
    assert f"{len(load_catalog().sources)} submitted, 0 already there, 0 refused" in out
    assert main(["sources", "seed", "--catalog", str(BUNDLED_CATALOG)]) == 0
    assert "0 submitted" in capsys.readouterr().out
    assert main(["sources", "seed", "--catalog", "/nonexistent.yaml"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_catalog_status_shows_each_entry_at_a_glance(store_tables: Any) -> None:
    from famact.app import workflow
    from famact.app.seed import catalog_status

    catalog = load_catalog()
    workflow.submit_source(store_tables, name="Zoo by hand", url="https://www.zoo.org/")
    before = {r["name"]: r for r in catalog_status(store_tables, catalog)}
    assert before["Seattle Aquarium"]["status"] == "not submitted"
    seeded = seed_sources(store_tables, catalog)
    rows = {r["name"]: r for r in catalog_status(store_tables, catalog, seeded)}
    assert rows["Seattle Aquarium"]["status"] == "pending_analysis"
    assert rows["Seattle Aquarium"]["result"] == "submitted"
    zoo = rows["Woodland Park Zoo"]
    assert (zoo["source_id"], zoo["result"], zoo["status"]) == ("zoo-by-hand", "skipped", "pending_analysis")
