"""Classification accuracy that says how the classifier does on a writer it never saw.

Every labelled set in tests/fixtures/classification/ came from a different writer. Figures:

- the trained model leave-one-set-out (LOSO): each set scored by a model fitted on the others
  (famact.classify.training), overall, per type, per set and on items labelled "hard";
- the rules: they were tuned on every set after its first run, so their honest figure is each
  set's first run, reconstructed from the commit before the set was tuned on and kept in
  first_runs.jsonl (one answer and confidence per listing);
- the product path, the rules mixed with the model (famact.classify.scoring): the recorded
  first-run rule answer of each listing mixed with the LOSO model's answer, i.e. both parts
  as they were before they saw the set. This is `accuracy_leave_one_set_out`;
- the share of listings under the confidence line (sent to the LLM second opinion) and the
  tokens those calls cost against the fake OpenAI-compatible server on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, write_result
from famact.classify import DEFAULT_THRESHOLD, TYPES, ClassifierInput, PageContext, classify
from famact.classify.learned import mix, rule_distribution
from famact.classify.training import (
    DEFAULT_C,
    LABELLED_DIR,
    LABELLED_SETS,
    Prediction,
    Row,
    brier,
    calibrated,
    expected_calibration_error,
    fit_temperature,
    leave_one_set_out,
    load_rows,
)
from famact.constants import EntityType

FIRST_RUNS = LABELLED_DIR / "first_runs.jsonl"
# The first runs as each round recorded them (the per-listing file reproduces all but holdout2,
# whose first run came after the independent set's fixes: 56/60 then, 51/60 with the rules
# before them).
RECORDED_FIRST_RUNS = {
    "independent": 0.908,
    "holdout2": 0.933,
    "blind3": 0.955,
    "blind4": 0.950,
    "blind5": 0.968,
    "blind6": 0.9625,
    "blind7": 0.925,
    "blind8": 0.9667,
    "blind9": 0.975,
    "blind10": 0.9625,
    "blind11": 0.9542,
    "blind12": 0.975,
}
# Fresh blind sets scored once with the final classifier of their round, before joining the sets.
# blind7 (240 listings, 60 a type, 80 hard, 126 with a "context"): scored once at commit
# 05faeb7, before it joined the sets; rules = rules alone, model = the model alone, mixed = the
# product path.
BLIND_FIRST_RUNS: dict[str, dict[str, Any]] = {
    "blind7": {
        "rules": 0.925,
        "rules_VENUE": 0.8333,
        "rules_EVENT": 0.9667,
        "rules_PROGRAM": 0.9667,
        "rules_ATTRACTION": 0.9333,
        "rules_hard": 0.8125,
        "rules_with_context": 0.9365,
        "model": 0.8708,
        "model_VENUE": 0.5667,
        "model_EVENT": 0.95,
        "model_PROGRAM": 0.9667,
        "model_ATTRACTION": 1.0,
        "model_hard": 0.8375,
        "model_with_context": 0.8968,
        "mixed": 0.9583,
        "mixed_VENUE": 0.8667,
        "mixed_EVENT": 0.9833,
        "mixed_PROGRAM": 0.9833,
        "mixed_ATTRACTION": 1.0,
        "mixed_hard": 0.9,
        "mixed_with_context": 0.9603,
    },
    # blind8 (240 listings, 60 a type, 20 hard a type, 120 with a "context"), written by
    # someone who saw only the classification rules: scored once at 5d80b46 (the tie-breaker
    # override, the model fitted with blind7), before it joined the sets.
    "blind8": {
        "rules": 0.9667,
        "rules_VENUE": 0.9667,
        "rules_EVENT": 0.9333,
        "rules_PROGRAM": 0.9833,
        "rules_ATTRACTION": 0.9833,
        "rules_hard": 0.925,
        "rules_with_context": 0.975,
        "model": 0.9833,
        "model_VENUE": 0.9667,
        "model_EVENT": 1.0,
        "model_PROGRAM": 0.9667,
        "model_ATTRACTION": 1.0,
        "model_hard": 0.9625,
        "model_with_context": 1.0,
        "mixed": 0.9958,
        "mixed_VENUE": 1.0,
        "mixed_EVENT": 1.0,
        "mixed_PROGRAM": 0.9833,
        "mixed_ATTRACTION": 1.0,
        "mixed_hard": 0.9875,
        "mixed_with_context": 1.0,
    },
    # blind9 (240 listings, 60 a type, 20 hard a type, 129 with a "context"), written by
    # someone who saw only the classification rules: scored once at 892d067 (the model fitted
    # with blind8; the classifier unchanged since), before it joined the sets.
    "blind9": {
        "rules": 0.975,
        "rules_VENUE": 1.0,
        "rules_EVENT": 0.9833,
        "rules_PROGRAM": 1.0,
        "rules_ATTRACTION": 0.9167,
        "rules_hard": 0.975,
        "rules_with_context": 0.969,
        "model": 0.9792,
        "model_VENUE": 0.9833,
        "model_EVENT": 0.9667,
        "model_PROGRAM": 1.0,
        "model_ATTRACTION": 0.9667,
        "model_hard": 0.975,
        "model_with_context": 0.9922,
        "mixed": 0.9875,
        "mixed_VENUE": 1.0,
        "mixed_EVENT": 0.9833,
        "mixed_PROGRAM": 1.0,
        "mixed_ATTRACTION": 0.9667,
        "mixed_hard": 0.9875,
        "mixed_with_context": 0.9845,
    },
    # blind10 (240 listings, 60 a type, 20 hard a type, 130 with a "context"), written by a
    # new writer who saw only the classification rules: scored once at 6e07461 (the model
    # fitted with blind9; the classifier unchanged since 15246b4), before it joined the sets.
    "blind10": {
        "rules": 0.9625,
        "rules_VENUE": 0.9833,
        "rules_EVENT": 0.9667,
        "rules_PROGRAM": 0.9833,
        "rules_ATTRACTION": 0.9167,
        "rules_hard": 0.9625,
        "rules_with_context": 0.9615,
        "model": 0.9708,
        "model_VENUE": 0.95,
        "model_EVENT": 0.9667,
        "model_PROGRAM": 1.0,
        "model_ATTRACTION": 0.9667,
        "model_hard": 0.975,
        "model_with_context": 0.9846,
        "mixed": 0.9917,
        "mixed_VENUE": 1.0,
        "mixed_EVENT": 0.9833,
        "mixed_PROGRAM": 1.0,
        "mixed_ATTRACTION": 0.9833,
        "mixed_hard": 0.9875,
        "mixed_with_context": 0.9923,
    },
    # blind11 (240 listings, 60 a type, 20 hard a type, 120 with a "context"), written by a
    # new writer who saw only the classification rules: scored once at 12a800c (the model
    # fitted with blind10; the classifier unchanged since 15246b4), before it joined the sets.
    "blind11": {
        "rules": 0.9542,
        "rules_VENUE": 0.9167,
        "rules_EVENT": 0.9333,
        "rules_PROGRAM": 0.9833,
        "rules_ATTRACTION": 0.9833,
        "rules_hard": 0.8875,
        "rules_with_context": 0.9583,
        "model": 0.95,
        "model_VENUE": 0.9333,
        "model_EVENT": 0.95,
        "model_PROGRAM": 0.9667,
        "model_ATTRACTION": 0.95,
        "model_hard": 0.9125,
        "model_with_context": 0.95,
        "mixed": 0.9792,
        "mixed_VENUE": 0.9833,
        "mixed_EVENT": 0.9833,
        "mixed_PROGRAM": 0.9833,
        "mixed_ATTRACTION": 0.9667,
        "mixed_hard": 0.9625,
        "mixed_with_context": 0.9833,
    },
    # blind12 (240 listings, 60 a type, 20 hard a type, 128 with a "context"), written by a
    # new writer who saw only the classification rules: scored once at 362472e (the model
    # fitted with blind11; the classifier unchanged since 15246b4), before it joined the sets.
    "blind12": {
        "rules": 0.975,
        "rules_VENUE": 0.9667,
        "rules_EVENT": 0.9833,
        "rules_PROGRAM": 1.0,
        "rules_ATTRACTION": 0.95,
        "rules_hard": 0.9625,
        "rules_with_context": 0.9766,
        "model": 0.9792,
        "model_VENUE": 0.9833,
        "model_EVENT": 0.9333,
        "model_PROGRAM": 1.0,
        "model_ATTRACTION": 1.0,
        "model_hard": 0.975,
        "model_with_context": 0.9766,
        "mixed": 0.9958,
        "mixed_VENUE": 1.0,
        "mixed_EVENT": 0.9833,
        "mixed_PROGRAM": 1.0,
        "mixed_ATTRACTION": 1.0,
        "mixed_hard": 1.0,
        "mixed_with_context": 0.9922,
    },
}
LLM_SAMPLE = 40  # unsure listings sent to the fake server for the token figure


def _accuracy(predictions: Iterable[Prediction]) -> float | None:
    items = list(predictions)
    return round(sum(p.right for p in items) / len(items), 4) if items else None


def breakdown(predictions: Sequence[Prediction], prefix: str) -> dict[str, Any]:
    """Overall, per type, per set and hard-item accuracy of `predictions`."""
    out: dict[str, Any] = {prefix: _accuracy(predictions), f"{prefix}_listings": len(predictions)}
    for entity_type in TYPES:
        out[f"{prefix}_{entity_type.value}"] = _accuracy(p for p in predictions if p.row.label is entity_type)
    for name in dict.fromkeys(p.row.set_name for p in predictions):
        out[f"{prefix}_set_{name}"] = _accuracy(p for p in predictions if p.row.set_name == name)
    hard = [p for p in predictions if p.row.difficulty == "hard"]
    out[f"{prefix}_hard"] = _accuracy(hard)
    out[f"{prefix}_hard_listings"] = len(hard)
    return out


def first_run_predictions(rows: Sequence[Row]) -> list[Prediction]:
    """The rules' recorded first-run answers, as predictions of the rows they cover."""
    recorded: dict[tuple[str, str], dict[str, Any]] = {}
    for line in FIRST_RUNS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            recorded[(obj["set"], obj["id"])] = obj
    out = []
    for row in rows:
        answer = recorded.get((row.set_name, row.id))
        if answer is not None:
            out.append(
                Prediction(row, rule_distribution(EntityType(answer["type"]), float(answer["confidence"])))
            )
    return out


def mixed_predictions(rules: Sequence[Prediction], model: Sequence[Prediction]) -> list[Prediction]:
    by_row = {(p.row.set_name, p.row.id): p for p in model}
    return [
        Prediction(r.row, mix(r.probabilities, by_row[(r.row.set_name, r.row.id)].probabilities))
        for r in rules
        if (r.row.set_name, r.row.id) in by_row
    ]


def llm_tokens(unsure: Sequence[Row]) -> dict[str, Any]:
    """Tokens the LLM second opinion spends on unsure listings, against the fake server."""
    from famact.llm import LLMClient, TokenBudget
    from famact.second_opinion import LLMSecondOpinion
    from tests.support.fake_openai import FakeOpenAI

    sample = list(unsure)[:LLM_SAMPLE]
    with FakeOpenAI() as server:
        client = LLMClient(api_key="sk-bench", base_url=server.base_url, model="fake-model", timeout=5.0)
        try:
            budget = TokenBudget(limit=10_000_000)
            opinion = LLMSecondOpinion(client, budget)
            for row in sample:
                classify(row.listing, second_opinion=opinion, threshold=1.01)  # always ask
            calls = len(server.requests)
            used = budget.used
        finally:
            client.close()
    return {
        "llm_calls": calls,
        "llm_tokens_per_call": round(used / calls, 1) if calls else None,
    }


# The real-page corpus's listings (benchmarks/analyzer_corpus.py; outside the repository, so
# scored only where it is built): every one is a public body's meeting on a date of its own,
# which the rules label EVENT (R3). Scored per corpus split; the held-out pages were scored once
# before the vocabulary of meetings was added (first entry) and once after (second).
CORPUS_LISTINGS_FIRST_RUNS = (
    {"date": "2026-12-07", "git_commit": "5d80b46", "dev": 0.9585, "heldout": 0.9648},
    {"date": "2026-12-07", "git_commit": "after 5d80b46: meeting nouns", "dev": 0.988, "heldout": 0.9897},
)


def corpus_listings() -> dict[str, Any]:
    """EVENT share of the corpus's listings by split, as the crawl would classify them (a list
    entry with its title and start date)."""
    root = Path(os.environ.get("FAMACT_CORPUS") or ROOT / ".corpus")
    manifest = root / "manifest.json"
    if not manifest.exists():
        return {"corpus_listings": "not run (no corpus; make corpus MIRRORS=DIR builds it)"}
    totals: dict[str, list[int]] = {}
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["pages"]:
        right_total = totals.setdefault(entry["split"], [0, 0])
        expected = root / "pages" / entry["id"] / "expected.jsonl"
        for line in expected.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                listing = ClassifierInput(
                    title=row["title"],
                    date_text=row.get("start_date"),
                    context=PageContext(page_role="list_entry"),
                )
                right_total[0] += classify(listing).entity_type is EntityType.EVENT
                right_total[1] += 1
    out: dict[str, Any] = {}
    for split, (right, total) in sorted(totals.items()):
        out[f"corpus_listings_{split}"] = round(right / total, 4)
        out[f"corpus_listings_{split}_listings"] = total
    return out


def main() -> None:
    started = time.perf_counter()
    rows = load_rows(LABELLED_SETS)
    model_loso = leave_one_set_out(rows, rules=False, c=DEFAULT_C)
    temperature = fit_temperature(model_loso)
    model_loso = calibrated(model_loso, temperature)
    leaky_loso = leave_one_set_out(rows, rules=True, c=DEFAULT_C)
    rules_first = first_run_predictions(rows)
    product = mixed_predictions(rules_first, model_loso)
    unsure = [p for p in product if max(p.probabilities.values()) < DEFAULT_THRESHOLD]
    timed = [r.listing for r in rows[:300]]
    t0 = time.perf_counter()
    for listing in timed:
        classify(listing)
    ms_per_listing = 1000 * (time.perf_counter() - t0) / len(timed)

    metrics: dict[str, Any] = {
        "accuracy_leave_one_set_out": _accuracy(product),
        "accuracy_latest_blind": None,
        "listings": len(rows),
    }
    for entity_type in TYPES:
        metrics[f"accuracy_{entity_type.value}"] = _accuracy(p for p in product if p.row.label is entity_type)
    metrics["accuracy_hard"] = _accuracy(p for p in product if p.row.difficulty == "hard")
    metrics.update(breakdown(product, "mixed_loso"))
    metrics.update(breakdown(model_loso, "model_loso"))
    metrics["model_loso_brier"] = round(brier(model_loso), 4)
    metrics["model_loso_ece"] = round(expected_calibration_error(model_loso), 4)
    metrics["model_temperature"] = temperature
    metrics["mixed_loso_brier"] = round(brier(product), 4)
    metrics["mixed_loso_ece"] = round(expected_calibration_error(product), 4)
    metrics["model_with_rule_features_loso"] = _accuracy(leaky_loso)
    metrics.update(breakdown(rules_first, "rules_first_run"))
    for name, accuracy in RECORDED_FIRST_RUNS.items():
        metrics[f"rules_first_run_recorded_{name}"] = accuracy
    for name, figures in BLIND_FIRST_RUNS.items():
        for key, value in figures.items():
            metrics[f"first_run_{name}_{key}"] = value
    if BLIND_FIRST_RUNS:
        latest = list(BLIND_FIRST_RUNS.values())[-1]
        metrics["accuracy_latest_blind"] = latest.get("mixed")
    metrics["llm_share_under_confidence_line"] = round(len(unsure) / max(1, len(product)), 4)
    metrics.update(llm_tokens([p.row for p in unsure]))
    if metrics["llm_tokens_per_call"] is not None:
        metrics["llm_tokens_per_1000_listings"] = round(
            1000 * metrics["llm_share_under_confidence_line"] * metrics["llm_tokens_per_call"]
        )
    metrics.update(corpus_listings())
    metrics["ms_per_listing"] = round(ms_per_listing, 3)
    metrics["bench_seconds"] = round(time.perf_counter() - started, 1)
    sets_with_rules = sorted({p.row.set_name for p in rules_first}, key=LABELLED_SETS.index)
    write_result(
        "classification",
        params={
            "sets": list(LABELLED_SETS),
            "sets_with_first_run_rules": sets_with_rules,
            "model": f"logistic regression, C={DEFAULT_C}, over words, date shapes, facts, context",
            "product": "geometric mean of the rules' and the model's distributions",
            "first_runs": str(FIRST_RUNS.relative_to(ROOT)),
        },
        metrics=metrics,
        targets={
            "accuracy_leave_one_set_out": ">= 0.97",
            "accuracy_latest_blind": ">= 0.97",
            "accuracy_per_type": ">= 0.95",
            "accuracy_hard": ">= 0.90",
        },
        notes=NOTES,
        extra={"corpus_listings_first_runs": list(CORPUS_LISTINGS_FIRST_RUNS)},
    )


NOTES = (
    "No figure here is accuracy on a set that was tuned on. accuracy_leave_one_set_out is the "
    "product path (rules mixed with the model) on the sets whose rules' first-run answers are "
    "recorded (first_runs.jsonl: each listing's answer from the commit before its set was tuned "
    "on), each mixed with the answer of a model fitted without that set; labelled and holdout are "
    "left out of it because the rules were written on them. model_loso_* is the model alone, "
    "leave-one-set-out over every set. rules_first_run_* are the rules' honest first runs "
    "(recorded per round: independent 0.908, holdout2 0.933, blind3 0.955, blind4 0.950, "
    "blind5 0.968, blind6 0.9625). model_with_rule_features_loso is leaky and not a measure: the "
    "rule features were tuned until the rules fit every set, so a model over them learns to "
    "copy the rules and scores about 1.0; the shipped model reads no rule features for that "
    "reason. The mix and C were chosen on these same LOSO figures (the geometric mean, the "
    "untuned choice, was the best of the mixes tried; C among 0.3, 1, 3, 10), so they are "
    "slightly optimistic; the fresh blind set's first run (first_run_*) is the check. "
    "Calibration: the model's temperature is fitted on its LOSO predictions (Brier, ECE above). "
    "blind7, the fresh blind set of this round, scored once before it joined the sets "
    "(first_run_blind7_*): rules 0.925 (VENUE 0.833, hard 0.8125), model 0.871 (VENUE 0.567), "
    "mixed product path 0.958 (VENUE 0.867, EVENT 0.983, PROGRAM 0.983, ATTRACTION 1.0, hard "
    "0.900): the mix beat both parts on it too, but misses the 0.97 target and VENUE the 0.95 one. "
    "Gradient boosting (HistGradientBoosting over the same features) scored 0.911 LOSO alone "
    "and 0.948 mixed, below the logistic regression (0.963 / 0.984 before blind7), so it is "
    "not used. "
    "blind8 (240 listings, 60 a type, 80 hard, written from the rules alone), scored once at "
    "5d80b46 before it joined the sets (first_run_blind8_*): rules 0.967, model 0.983, mixed "
    "product path 0.996 (VENUE 1.0, EVENT 1.0, PROGRAM 0.983, ATTRACTION 1.0, hard 0.9875). "
    "That commit added the override of written tie-breakers (a camp's length, T1; a show running "
    "continuously with admission, R4): where one fired and the rules are sure (>= 0.8) the "
    "model is not mixed in. The LOSO mix above cannot show it (first runs record answers, not "
    "features); replayed on blind7 with 05faeb7's rules and model it changed 0 of 240 answers. "
    "blind9 (240 listings, 60 a type, 80 hard, 129 with a context, written from the rules alone "
    "by a new writer), scored once at 892d067 before it joined the sets (first_run_blind9_*): "
    "rules 0.975, model 0.979, mixed product path 0.9875 (VENUE 1.0, EVENT 0.983, PROGRAM 1.0, "
    "ATTRACTION 0.967, hard 0.9875): the second fresh set in a row to meet every target. "
    "blind10 (240 listings, 60 a type, 80 hard, 130 with a context, by another new writer from "
    "the rules alone), scored once at 6e07461 before it joined the sets (first_run_blind10_*): "
    "rules 0.9625, model 0.971, mixed product path 0.9917 (VENUE 1.0, EVENT 0.983, PROGRAM 1.0, "
    "ATTRACTION 0.983, hard 0.9875): the third fresh set in a row to meet every target. "
    "blind11 (240 listings, 60 a type, 80 hard, 120 with a context, by another new writer from "
    "the rules alone), scored once at 12a800c before it joined the sets (first_run_blind11_*): "
    "rules 0.9542, model 0.95, mixed product path 0.9792 (VENUE 0.9833, EVENT 0.9833, PROGRAM 0.9833, "
    "ATTRACTION 0.9667, hard 0.9625): the fourth fresh set in a row to meet every target. "
    "blind12 (240 listings, 60 a type, 80 hard, 128 with a context, by another new writer from "
    "the rules alone), scored once at 362472e before it joined the sets (first_run_blind12_*): "
    "rules 0.975, model 0.9792, mixed product path 0.9958 (VENUE 1.0, EVENT 0.9833, PROGRAM 1.0, "
    "ATTRACTION 1.0, hard 1.0): the fifth fresh set in a row to meet every target. "
    "corpus_listings_*: the real-page corpus's listings (public meetings; the rules say EVENT, "
    "R3), by the corpus's own split; first run dev 0.9585, held-out 0.9648, then after meeting "
    "nouns were added on dev errors (meetings, hearings, sittings' sessions) dev 0.988, held-out "
    "0.9897 (extra.corpus_listings_first_runs). "
    "LLM: share of listings under the confidence line (0.6) of the product path, and tokens per "
    "call of the real second-opinion code path against the fake OpenAI server (about 4 "
    "characters a token, as the fake counts)."
)


if __name__ == "__main__":
    main()
