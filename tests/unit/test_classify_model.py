"""The classifier's trained model: pure-Python inference, the training command, the mix with
the rules, and the page context the crawl passes (famact.classify.learned / training)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from famact.classify import ClassifierInput, PageContext, classify, extract_evidence
from famact.classify.learned import (
    LinearModel,
    date_shape,
    mix,
    model_features,
    rule_distribution,
    shipped_model,
)
from famact.classify.training import main as train_main
from famact.constants import ClassificationMethod, EntityType
from famact.listing import normalize_listing
from famact.models import RawListing, SourceConfig
from famact_crawler.extract.engine import extract_detail, extract_page
from famact_crawler.pipelines.classify import ClassifyPipeline

V, E, P, A = EntityType.VENUE, EntityType.EVENT, EntityType.PROGRAM, EntityType.ATTRACTION

# A model small enough to work out by hand: "storytime" in a title pushes EVENT by 2.
TINY = {
    "format": 1,
    "classes": ["VENUE", "EVENT", "PROGRAM", "ATTRACTION"],
    "intercept": [0.0, 0.0, 0.0, 0.0],
    "temperature": 1.0,
    "rules": False,
    "weights": {"t:storytime": [0.0, 2.0, 0.0, 0.0], "d:weeks": [0.0, 0.0, 1.0, 0.0]},
}


def test_tiny_model_gives_the_softmax_of_its_weights() -> None:
    model = LinearModel.from_json(TINY)
    probabilities = model.distribution(ClassifierInput("Storytime"), None)
    expected_event = math.exp(2) / (math.exp(2) + 3)
    assert probabilities[E] == pytest.approx(expected_event)
    assert probabilities[V] == pytest.approx(1 / (math.exp(2) + 3))
    assert model.predict(ClassifierInput("Storytime"), None) == (E, pytest.approx(expected_event))
    # Unknown words weigh nothing: an even split.
    assert model.distribution(ClassifierInput("Blue Door"), None) == {t: 0.25 for t in (V, E, P, A)}


def test_temperature_flattens_and_json_round_trips() -> None:
    warm = LinearModel.from_json({**TINY, "temperature": 2.0})
    assert warm.distribution(ClassifierInput("Storytime"), None)[E] == pytest.approx(
        math.exp(1) / (math.exp(1) + 3)
    )
    assert LinearModel.from_json(warm.to_json()) == warm


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"format": 2}, "format"),
        ({"weights": {"t:x": [1.0, 2.0]}}, "weights"),
        ({"temperature": 0}, "temperature"),
    ],
)
def test_bad_model_json_names_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        LinearModel.from_json({**TINY, **change})


def test_features_read_words_date_shapes_facts_and_context() -> None:
    listing = ClassifierInput(
        "Toddler Tumbling",
        description="Six weeks of tumbling.",
        date_text="Sat Jan 9 - Feb 13, 10am",
        context=PageContext(page_role="list_entry", site_kind="venue_site", default_type=P),
    )
    features = model_features(listing, extract_evidence(listing), rules=True)
    assert {"t:toddler", "t2:toddler tumbling", "d:weeks", "has:date_text"} <= set(features)
    assert "ds2:<mon> <n>" in features
    assert {"ctx:role:list_entry", "ctx:site:venue_site", "ctx:default:PROGRAM"} <= set(features)
    assert any(name.startswith("r:") for name in features)
    assert not any(name.startswith(("r:", "p:")) for name in model_features(listing, None, rules=False))
    assert date_shape("sat dec 6, 10am") == ["<day>", "<mon>", "<n>", ",", "<t>"]


def test_mix_is_the_normalised_geometric_mean() -> None:
    rules = rule_distribution(V, 0.55)
    assert rules[V] == 0.55 and rules[E] == pytest.approx(0.15)
    model = {V: 0.1, E: 0.8, P: 0.05, A: 0.05}
    mixed = mix(rules, model)
    assert sum(mixed.values()) == pytest.approx(1.0)
    assert max(mixed, key=lambda t: mixed[t]) is E  # a sure model outvotes unsure rules


def test_classify_reports_when_the_model_changed_the_rules_answer() -> None:
    listing = ClassifierInput("Storytime Weeks")
    rules_only = classify(listing, model=False)
    strong = LinearModel.from_json({**TINY, "weights": {"t:weeks": [0.0, 0.0, 9.0, 0.0]}})
    result = classify(listing, model=strong)
    assert rules_only.entity_type is E
    assert (result.entity_type, result.method) == (P, ClassificationMethod.MODEL)
    assert result.reasons[-1] == "ML:model-PROGRAM"
    assert classify(listing, model=LinearModel.from_json(TINY)).method is ClassificationMethod.RULES


def test_the_shipped_model_is_one_that_reads_no_rule_features() -> None:
    model = shipped_model()
    assert model is not None and not model.rules
    assert model.meta and model.meta["loso_accuracy"] > 0.9


def _set(path: Path, rows: list[tuple[str, str, str]]) -> None:
    lines = [json.dumps({"id": f"{path.stem}-{i}", "title": t, "description": d, "label": label})
             for i, (t, d, label) in enumerate(rows)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_training_command_fits_and_writes_a_loadable_model(tmp_path: Path, capsys: Any) -> None:
    base = [
        ("Green Lake Park", "A park with a beach and trails.", "VENUE"),
        ("Riverside Library", "Branch library, open daily.", "VENUE"),
        ("Winter Concert", "One night only, Dec 12 at 7pm.", "EVENT"),
        ("Family Concert", "Saturday at 7pm, one night.", "EVENT"),
        ("Swim Lessons", "Eight weeks, register for the session.", "PROGRAM"),
        ("Art Lessons", "Six weeks, register for the term.", "PROGRAM"),
        ("Dinosaur Exhibit", "On view daily in the main hall.", "ATTRACTION"),
        ("Ocean Exhibit", "Open daily in the east hall.", "ATTRACTION"),
    ]
    _set(tmp_path / "one.jsonl", base)
    _set(tmp_path / "two.jsonl", base[::-1])
    out = tmp_path / "model.json"
    assert train_main(["--sets-dir", str(tmp_path), "--sets", "one", "two", "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == 16 and 0.5 <= report["temperature"] <= 3.0
    model = LinearModel.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert model.predict(ClassifierInput("Bird Exhibit", description="Open daily in the hall."), None)[0] is A
    assert model.predict(ClassifierInput("Piano Lessons", description="Ten weeks, register."), None)[0] is P


def test_training_command_rejects_a_bad_set_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "one.jsonl").write_text('{"title": "X", "label": "PLACE"}\n', encoding="utf-8")
    _set(tmp_path / "two.jsonl", [("Park", "A park.", "VENUE")])
    with pytest.raises(SystemExit) as exc:
        train_main(["--sets-dir", str(tmp_path), "--sets", "one", "two", "--out", str(tmp_path / "m.json")])
    assert exc.value.code == 2


def test_context_loads_from_a_listing_line_and_is_optional() -> None:
    line = {"title": "Storytime", "context": {"page_role": "list_entry", "site_kind": "library"}}
    assert ClassifierInput.from_json(line).context == PageContext("list_entry", "library")
    assert ClassifierInput.from_json({"title": "Storytime"}).context is None
    with pytest.raises(ValueError, match=r"context\.site_kind"):
        ClassifierInput.from_json({"title": "Storytime", "context": {"site_kind": "mall"}})
    with pytest.raises(ValueError, match=r"context\.default_type"):
        ClassifierInput.from_json({"title": "Storytime", "context": {"default_type": "PLACE"}})


def test_rules_read_the_context_of_a_single_place_site() -> None:
    entry = ClassifierInput("Lil Climbers", context=PageContext("list_entry", "venue_site"))
    own = ClassifierInput("Lil Climbers", context=PageContext("page_subject", "venue_site"))
    assert "context-entry-on-place-site" in extract_evidence(entry)
    assert "context-place-own-page" in extract_evidence(own)
    assert "context-place-own-page" not in extract_evidence(ClassifierInput("Lil Climbers"))


CARDS = """<html><body><ul>
<li class="c"><h3>Toddler Time</h3><p class="d">Wed 10am</p></li>
<li class="c"><h3>Lego Club</h3><p class="d">Thu 4pm</p></li>
</ul></body></html>"""


def _config(source_type: str = "venue_website", **extra: Any) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "source_id": "playhouse",
            "source_name": "Playhouse",
            "source_type": source_type,
            "base_url": "https://playhouse.example.org/",
            "listing": {"item": "li.c", "fields": {"title": "h3", "date": "p.d"}},
            **extra,
        }
    )


def test_extractor_marks_list_entries_and_page_subjects() -> None:
    listings = extract_page(CARDS, "https://playhouse.example.org/", _config()).listings
    assert [item.page_context.get("page_role") for item in listings] == ["list_entry", "list_entry"]
    detail = _config(detail={"fields": {"title": "h1"}})
    page = "<html><body><h1>Playhouse Cafe</h1></body></html>"
    alone = extract_detail(page, "https://playhouse.example.org/about", detail).listings
    assert [item.page_context.get("page_role") for item in alone] == ["page_subject"]
    teaser = listings[0]
    followed = extract_detail(page, "https://playhouse.example.org/t", detail, teaser).listings
    assert followed[0].page_context.get("page_role") == "list_entry"  # one of many on its list


class Recorder:
    def __init__(self) -> None:
        self.seen: list[ClassifierInput] = []

    def classify(self, listing: ClassifierInput) -> tuple[EntityType, float] | None:
        self.seen.append(listing)
        return None


def test_classify_pipeline_passes_the_page_context() -> None:
    from datetime import date

    config = _config(defaults={"entity_type": "EVENT"})
    raw = RawListing(
        source_id="playhouse",
        page_url="https://playhouse.example.org/",
        fields={"title": "Messy Art"},
        page_context={"page_role": "list_entry"},
    )
    crawler = get_crawler(settings_dict={"FAMACT_LLM_SECOND_OPINION": False})
    crawler.spider = SimpleNamespace(config=config)
    recorder = Recorder()
    pipeline = ClassifyPipeline(crawler, recorder)
    pipeline.process_item(normalize_listing(raw, today=date(2026, 12, 1), defaults=config.defaults))
    assert [listing.context for listing in recorder.seen] == [PageContext("list_entry", "venue_site", E)]
