"""The trained classifier: what it reads of a listing, and its pure-Python inference.

`model_features` turns a listing into sparse named features: word unigrams and bigrams of
the title and of the body, character 3- and 4-grams of the title and the body's start, the
*shape* of the date and schedule fields ("<mon> <n> - <mon> <n>", "every <day> <t>"),
counts of dates, spans and clock times,
which fields are present, the site's own label and schema.org type, and the page context;
optionally (`rules=True`) the rule features that fired and the rules' per-type verdict.

`LinearModel` is a multinomial logistic regression fitted by `famact.classify.training`
(scikit-learn, a development dependency only) and shipped as JSON in `famact/data/`: the
runtime needs no numpy or scikit-learn. A temperature fitted on leave-one-set-out
predictions calibrates its probabilities.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from famact.classify.evidence import Evidence, ListingText
from famact.classify.model import TYPES, ClassifierInput
from famact.classify.weights import PRIOR, TEMPERATURE, WEIGHTS
from famact.constants import EntityType
from famact.normalize.calendar_words import MONTHS, WEEKDAY_STEMS
from famact.normalize.date_facts import read_dates, read_times
from famact.normalize.text import fold_words

MODEL_RESOURCE = "classifier_model.json"
MODEL_FORMAT = 1

_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Calendar words from the one vocabulary; a date field is not running text, so every spelling.
_MONTHS = frozenset(MONTHS)
_DAYS = frozenset(
    [stem for stems in WEEKDAY_STEMS.values() for stem in stems]
    + [f"{stems[0]}s" for stems in WEEKDAY_STEMS.values()]
    + ["weekday", "weekdays", "weekend", "weekends"]
)
_CLOCK = re.compile(r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|[ap]\b)|\d{1,2}:\d{2}|\bnoon\b")
_SHAPE_TOKEN = re.compile(r"<t>|[^\W_]+|[-–/&,+]")
_MAX_BODY_CHARS = 1500  # the facts of a crawled page sit near its top
_MAX_CHAR_GRAM_CHARS = 400


def _words(text: str) -> list[str]:
    words: list[str] = []
    for token in _WORD.findall(text):
        if _CJK.search(token):
            # No spaces between CJK words: characters and their pairs stand in for words.
            chars = [c for c in token if _CJK.match(c)]
            words.extend(chars)
            words.extend(a + b for a, b in pairwise(chars))
        elif any(c.isdigit() for c in token):
            words.append("<n>")
        else:
            words.append(token)
    return words


def _grams(prefix: str, words: list[str], out: dict[str, float]) -> None:
    for word in words:
        out[f"{prefix}:{word}"] = 1.0
    for a, b in pairwise(words):
        out[f"{prefix}2:{a} {b}"] = 1.0


def _char_grams(prefix: str, text: str, out: dict[str, float]) -> None:
    """Character 3- and 4-grams: a typo, an inflection or an unspaced language still shares
    most of them with the word it stands for."""
    padded = f" {text} "
    for n in (3, 4):
        for i in range(len(padded) - n + 1):
            out[f"{prefix}:{padded[i : i + n]}"] = 1.0


def date_shape(text: str) -> list[str]:
    """A date or schedule text as the shape of its tokens: months, weekdays, numbers and clock
    times abstracted, connecting words kept ("Sat Dec 6, 10am" -> <day> <mon> <n> , <t>)."""
    shaped: list[str] = []
    for token in _SHAPE_TOKEN.findall(_CLOCK.sub(" <t> ", text)):
        if token == "<t>":
            shaped.append(token)
        elif token.isdigit() or any(c.isdigit() for c in token):
            shaped.append("<n>")
        elif token in _MONTHS:
            shaped.append("<mon>")
        elif token in _DAYS:
            shaped.append("<day>")
        elif token in "-–/&,+":
            shaped.append("-" if token in "-–" else token)
        else:
            shaped.append(token)
    return shaped


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _fact_features(text: ListingText, out: dict[str, float]) -> None:
    for where, body in (("timing", text.timing), ("desc", text.description[:_MAX_BODY_CHARS])):
        if not body:
            continue
        dates = read_dates(body)
        times = read_times(body)
        out[f"f:{where}:dates={_bucket(dates.count, (0, 1, 2, 3, 5))}"] = 1.0
        out[f"f:{where}:span={_bucket(dates.max_span, (-1, 0, 2, 6, 14, 60))}"] = 1.0
        if dates.month_span > 0:
            out[f"f:{where}:months={_bucket(dates.month_span, (31, 92))}"] = 1.0
        if dates.listed:
            out[f"f:{where}:listed"] = 1.0
        if dates.until:
            out[f"f:{where}:until"] = 1.0
        out[f"f:{where}:ranges={_bucket(times.ranges, (0, 1))}"] = 1.0
        out[f"f:{where}:singles={_bucket(times.singles, (0, 1))}"] = 1.0


def rule_totals(evidence: Evidence) -> dict[EntityType, float]:
    """The rules' per-type sums with the prior, as `famact.classify.scoring` adds them."""
    totals = {t: PRIOR.get(t, 0.0) for t in TYPES}
    for name in evidence.features:
        for entity_type in TYPES:
            totals[entity_type] += WEIGHTS[name].of(entity_type)
    return totals


def _rule_features(evidence: Evidence, out: dict[str, float]) -> None:
    for name in evidence.features:
        out[f"r:{name}"] = 1.0
    totals = rule_totals(evidence)
    top = max(totals.values())
    exps = {t: math.exp((s - top) / TEMPERATURE) for t, s in totals.items()}
    norm = sum(exps.values())
    for entity_type in TYPES:
        out[f"p:{entity_type.value}"] = exps[entity_type] / norm
    out[f"win:{max(TYPES, key=lambda t: totals[t]).value}"] = 1.0


def model_features(
    listing: ClassifierInput, evidence: Evidence | None, *, rules: bool = True
) -> dict[str, float]:
    """The sparse features the trained model reads; `rules=False` leaves out what the rules
    found (the honest measure: the rule features were tuned on every labelled set)."""
    text = ListingText.read(listing)
    out: dict[str, float] = {"bias": 1.0}
    _grams("t", _words(text.title), out)
    _grams("d", _words(text.description[:_MAX_BODY_CHARS]), out)
    _char_grams("tc", text.title, out)
    _char_grams("dc", text.description[:_MAX_CHAR_GRAM_CHARS], out)
    for prefix, value in (
        ("pr", text.price_text),
        ("age", fold_words(listing.age_text)),
        ("lbl", text.label),
    ):
        for word in _words(value):
            out[f"{prefix}:{word}"] = 1.0
    if text.schema:
        out[f"sch:{text.schema}"] = 1.0
    for prefix, value in (("ds", text.date_text), ("ss", text.schedule_text)):
        _grams(prefix, date_shape(value), out)
    for name in ("description", "date_text", "schedule_text", "price_text", "age_text", "venue_text", "url"):
        if getattr(listing, name):
            out[f"has:{name}"] = 1.0
    _fact_features(text, out)
    context = listing.context
    if context is not None:
        role, kind = context.page_role or "?", context.site_kind or "?"
        out[f"ctx:role:{role}"] = out[f"ctx:site:{kind}"] = out[f"ctx:{role}+{kind}"] = 1.0
        if context.default_type is not None:
            out[f"ctx:default:{context.default_type.value}"] = 1.0
    if rules and evidence is not None:
        _rule_features(evidence, out)
    return out


@dataclass(frozen=True)
class LinearModel:
    """A fitted multinomial logistic regression: one weight per (feature, type)."""

    classes: tuple[EntityType, ...]
    intercept: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    temperature: float = 1.0
    rules: bool = True  # whether it reads the rule features
    meta: Mapping[str, Any] | None = None

    def probabilities(self, features: Mapping[str, float]) -> dict[EntityType, float]:
        logits = list(self.intercept)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for i, w in enumerate(row):
                    logits[i] += w * value
        top = max(logits)
        exps = [math.exp((z - top) / self.temperature) for z in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def distribution(self, listing: ClassifierInput, evidence: Evidence | None) -> dict[EntityType, float]:
        return self.probabilities(model_features(listing, evidence, rules=self.rules))

    def predict(self, listing: ClassifierInput, evidence: Evidence | None) -> tuple[EntityType, float]:
        probabilities = self.distribution(listing, evidence)
        winner = max(self.classes, key=lambda c: probabilities[c])
        return winner, probabilities[winner]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "classes": [c.value for c in self.classes],
            "intercept": list(self.intercept),
            "temperature": self.temperature,
            "rules": self.rules,
            "meta": dict(self.meta or {}),
            "weights": {name: list(row) for name, row in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> LinearModel:
        if obj.get("format") != MODEL_FORMAT:
            raise ValueError(f"field 'format' must be {MODEL_FORMAT}, got {obj.get('format')!r}")
        classes = tuple(EntityType(c) for c in obj["classes"])
        weights = {str(k): tuple(float(x) for x in v) for k, v in obj["weights"].items()}
        if any(len(row) != len(classes) for row in weights.values()) or len(obj["intercept"]) != len(classes):
            raise ValueError("field 'weights' must have one value per class in every row")
        temperature = float(obj.get("temperature", 1.0))
        if not temperature > 0:
            raise ValueError(f"field 'temperature' must be positive, got {temperature!r}")
        return cls(
            classes=classes,
            intercept=tuple(float(x) for x in obj["intercept"]),
            weights=weights,
            temperature=temperature,
            rules=bool(obj.get("rules", True)),
            meta=obj.get("meta") or {},
        )


@cache
def shipped_model() -> LinearModel | None:
    """The model in famact/data/, or None when none has been trained."""
    resource = resources.files("famact.data").joinpath(MODEL_RESOURCE)
    if not resource.is_file():
        return None
    return LinearModel.from_json(json.loads(resource.read_text(encoding="utf-8")))


def rule_distribution(winner: EntityType, confidence: float) -> dict[EntityType, float]:
    """The rules' answer as a distribution: their confidence on their winner, the rest shared
    evenly (the form their recorded first-run answers have, on which the mix was measured)."""
    rest = (1.0 - confidence) / (len(TYPES) - 1)
    return {t: confidence if t is winner else rest for t in TYPES}


def mix(rules: Mapping[EntityType, float], model: Mapping[EntityType, float]) -> dict[EntityType, float]:
    """The normalised geometric mean of the rules' and the model's distributions: each vetoes
    what it finds unlikely, and where one is unsure the other decides."""
    scores = {t: math.sqrt(max(rules[t], 1e-9) * max(model[t], 1e-9)) for t in TYPES}
    total = sum(scores.values())
    return {t: s / total for t, s in scores.items()}
