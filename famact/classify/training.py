"""Train the classifier's model from the labelled sets, and measure it leave-one-set-out.

`python -m famact.classify.training` (`make train-classifier`) fits a multinomial logistic
regression over `famact.classify.learned.model_features` on every labelled set, calibrates it
with a temperature fitted on leave-one-set-out predictions, and writes
famact/data/classifier_model.json. scikit-learn is a development dependency only: it is
imported here, never by the runtime, which reads the JSON (`learned.LinearModel`).

Leave-one-set-out (LOSO): each labelled set is scored by a model fitted on the others. The
sets come from different writers, so this is the figure that says how the model does on a
writer it never saw. The rule features were tuned on every set, so LOSO of a model that reads
them is optimistic; `rules=False` gives the figure without them.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from famact.classify.features import extract_evidence
from famact.classify.learned import MODEL_RESOURCE, LinearModel, model_features
from famact.classify.model import TYPES, ClassifierInput
from famact.constants import EntityType

ROOT = Path(__file__).resolve().parents[2]
LABELLED_DIR = ROOT / "tests" / "fixtures" / "classification"
# Every labelled set, oldest first; each came from a different writer (labelled and holdout
# from the same one).
LABELLED_SETS = (
    "labelled",
    "holdout",
    "independent",
    "holdout2",
    "blind3",
    "blind4",
    "blind5",
    "blind6",
    "blind7",
    "blind8",
    "blind9",
    "blind10",
    "blind11",
    "blind12",
)
MODEL_PATH = ROOT / "famact" / "data" / MODEL_RESOURCE
DEFAULT_C = 3.0  # chosen by LOSO among 0.3, 1, 3, 10 (benchmarks/classification.py notes)
MIN_FEATURE_ROWS = 2  # a feature seen in one training row only is noise and JSON weight
# Weights smaller than this are dropped from the JSON: it keeps about 12k of 27k features and
# changed leave-one-set-out accuracy by one listing in 1,354 (0.9645 -> 0.9631).
PRUNE_BELOW = 0.02


@dataclass
class Row:
    """One labelled listing, its features read once (with and without the rule features)."""

    set_name: str
    id: str
    label: EntityType
    listing: ClassifierInput
    difficulty: str | None
    features: dict[str, float] = field(default_factory=dict)
    word_features: dict[str, float] = field(default_factory=dict)


def load_rows(names: Iterable[str] = LABELLED_SETS, directory: Path = LABELLED_DIR) -> list[Row]:
    rows: list[Row] = []
    for name in names:
        path = directory / f"{name}.jsonl"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            try:
                listing = ClassifierInput.from_json(obj)
                label = EntityType(obj["label"])
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path.name} line {number}: {exc}") from exc
            evidence = extract_evidence(listing)
            rows.append(
                Row(
                    set_name=name,
                    id=str(obj.get("id", f"{name}:{number}")),
                    label=label,
                    listing=listing,
                    difficulty=obj.get("difficulty"),
                    features=model_features(listing, evidence, rules=True),
                    word_features=model_features(listing, None, rules=False),
                )
            )
    return rows


def _features(row: Row, rules: bool) -> dict[str, float]:
    return row.features if rules else row.word_features


def fit(
    rows: Sequence[Row], *, rules: bool = True, c: float = DEFAULT_C, temperature: float = 1.0
) -> LinearModel:
    """A logistic regression on `rows`, as a `LinearModel` (features seen in fewer than
    MIN_FEATURE_ROWS rows dropped)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen: dict[str, int] = {}
    for row in rows:
        for name in _features(row, rules):
            seen[name] = seen.get(name, 0) + 1
    kept = {name for name, n in seen.items() if n >= MIN_FEATURE_ROWS}
    samples = [{k: v for k, v in _features(row, rules).items() if k in kept} for row in rows]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(samples)
    classes = [t.value for t in TYPES]
    y = [classes.index(row.label.value) for row in rows]
    regression = LogisticRegression(C=c, max_iter=3000)
    regression.fit(x, y)
    order = [list(regression.classes_).index(i) for i in range(len(classes))]
    coef = regression.coef_[order]
    intercept = regression.intercept_[order]
    weights = {
        name: tuple(round(float(coef[k][j]), 3) for k in range(len(classes)))
        for name, j in vectorizer.vocabulary_.items()
        if any(abs(coef[k][j]) >= PRUNE_BELOW for k in range(len(classes)))
    }
    return LinearModel(
        classes=TYPES,
        intercept=tuple(round(float(v), 5) for v in intercept),
        weights=weights,
        temperature=temperature,
        rules=rules,
        meta={"C": c, "rows": len(rows), "features": len(weights)},
    )


@dataclass(frozen=True)
class Prediction:
    row: Row
    probabilities: dict[EntityType, float]

    @property
    def predicted(self) -> EntityType:
        return max(self.probabilities, key=lambda t: self.probabilities[t])

    @property
    def right(self) -> bool:
        return self.predicted is self.row.label


def leave_one_set_out(rows: Sequence[Row], *, rules: bool = True, c: float = DEFAULT_C) -> list[Prediction]:
    """Each set's rows scored by a model fitted on every other set (temperature 1)."""
    predictions: list[Prediction] = []
    for name in dict.fromkeys(row.set_name for row in rows):
        train = [row for row in rows if row.set_name != name]
        model = fit(train, rules=rules, c=c)
        for row in rows:
            if row.set_name == name:
                predictions.append(Prediction(row, model.probabilities(_features(row, rules))))
    return predictions


def _tempered(probabilities: dict[EntityType, float], temperature: float) -> dict[EntityType, float]:
    logs = {t: math.log(max(p, 1e-12)) / temperature for t, p in probabilities.items()}
    top = max(logs.values())
    exps = {t: math.exp(v - top) for t, v in logs.items()}
    total = sum(exps.values())
    return {t: v / total for t, v in exps.items()}


def fit_temperature(predictions: Sequence[Prediction]) -> float:
    """The temperature that minimises the log loss of out-of-set predictions."""

    def loss(temperature: float) -> float:
        return -sum(
            math.log(max(_tempered(p.probabilities, temperature)[p.row.label], 1e-12)) for p in predictions
        )

    candidates = [round(0.5 + 0.05 * i, 2) for i in range(51)]  # 0.5 .. 3.0
    return min(candidates, key=loss)


def calibrated(predictions: Sequence[Prediction], temperature: float) -> list[Prediction]:
    return [Prediction(p.row, _tempered(p.probabilities, temperature)) for p in predictions]


def brier(predictions: Sequence[Prediction]) -> float:
    """Mean multi-class Brier score (sum over types of the squared error), lower is better."""
    total = 0.0
    for p in predictions:
        total += sum((p.probabilities[t] - (1.0 if t is p.row.label else 0.0)) ** 2 for t in TYPES)
    return total / max(1, len(predictions))


def expected_calibration_error(predictions: Sequence[Prediction], bins: int = 10) -> float:
    """ECE of the top probability over `bins` equal-width bins."""
    buckets: list[list[Prediction]] = [[] for _ in range(bins)]
    for p in predictions:
        top = max(p.probabilities.values())
        buckets[min(bins - 1, int(top * bins))].append(p)
    error = 0.0
    for bucket in buckets:
        if bucket:
            confidence = sum(max(p.probabilities.values()) for p in bucket) / len(bucket)
            accuracy = sum(p.right for p in bucket) / len(bucket)
            error += len(bucket) / len(predictions) * abs(confidence - accuracy)
    return error


def train(
    rows: Sequence[Row], *, rules: bool = True, c: float = DEFAULT_C
) -> tuple[LinearModel, dict[str, Any]]:
    """The model fitted on every row, calibrated on its LOSO predictions; with LOSO figures."""
    predictions = leave_one_set_out(rows, rules=rules, c=c)
    temperature = fit_temperature(predictions)
    model = fit(rows, rules=rules, c=c, temperature=temperature)
    tempered = calibrated(predictions, temperature)
    report = {
        "loso_accuracy": round(sum(p.right for p in predictions) / max(1, len(predictions)), 4),
        "temperature": temperature,
        "loso_brier": round(brier(tempered), 4),
        "loso_ece": round(expected_calibration_error(tempered), 4),
        "loso_ece_uncalibrated": round(expected_calibration_error(predictions), 4),
    }
    meta = dict(model.meta or {})
    meta.update(report)
    meta["sets"] = list(dict.fromkeys(row.set_name for row in rows))
    return LinearModel(
        classes=model.classes,
        intercept=model.intercept,
        weights=model.weights,
        temperature=temperature,
        rules=rules,
        meta=meta,
    ), report


def write_model(model: LinearModel, path: Path = MODEL_PATH) -> None:
    text = json.dumps(model.to_json(), separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the classifier's model from the labelled sets")
    parser.add_argument("--sets-dir", type=Path, default=LABELLED_DIR, help="folder of <set>.jsonl files")
    parser.add_argument("--sets", nargs="+", default=list(LABELLED_SETS), help="set names to train on")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model JSON")
    parser.add_argument("--C", dest="c", type=float, default=DEFAULT_C, help="inverse regularisation")
    parser.add_argument(
        "--with-rules",
        action="store_true",
        help="also read the rule features (they fit every set already, so the model learns nothing more)",
    )
    args = parser.parse_args(argv)
    try:
        rows = load_rows(args.sets, args.sets_dir)
    except (OSError, ValueError) as exc:
        parser.exit(2, f"famact classify train: {exc}\n")
    if len({row.set_name for row in rows}) < 2:
        parser.exit(2, "famact classify train: --sets needs at least two sets (leave-one-set-out)\n")
    model, report = train(rows, rules=args.with_rules, c=args.c)
    write_model(model, args.out)
    print(json.dumps({"out": str(args.out), "rows": len(rows), "features": len(model.weights), **report}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
