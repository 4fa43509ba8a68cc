"""From features to an answer: the weights summed per type, a softmax for the confidence, the
rule ids that carried the winner, the trained model mixed in, and a second opinion when the
answer is unsure.

The shipped model (`famact.classify.learned`) reads words, date shapes and page context, not
the rule features; its distribution and the rules' are combined by a geometric mean. That
mix scored higher leave-one-set-out than either alone (benchmarks/classification.py), which
is why it is the product path; `model=False` gives the rules alone.

One exception: where the written procedure itself decides (`DECISIVE`: a camp's length, T1; a
show that runs continuously as part of admission, R4) and the rules are sure, the rules' answer
stands. The model learns words, and words like "camp day" or "show" lean the other way."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from famact.classify.evidence import Evidence
from famact.classify.features import extract_evidence
from famact.classify.learned import LinearModel, mix, rule_distribution, shipped_model
from famact.classify.model import (
    DEFAULT_THRESHOLD,
    TYPES,
    ClassificationResult,
    ClassifierInput,
    SecondOpinion,
)
from famact.classify.weights import PRIOR, TEMPERATURE, WEIGHTS
from famact.constants import ClassificationMethod, EntityType


def score(evidence: Evidence) -> dict[EntityType, float]:
    totals = dict.fromkeys(TYPES, 0.0)
    for name in evidence.features:
        weight = WEIGHTS[name]
        for entity_type in TYPES:
            totals[entity_type] += weight.of(entity_type)
    return totals


def _softmax(scores: Mapping[EntityType, float]) -> dict[EntityType, float]:
    top = max(scores.values())
    exps = {t: math.exp((s - top) / TEMPERATURE) for t, s in scores.items()}
    total = sum(exps.values())
    return {t: v / total for t, v in exps.items()}


def _reasons(evidence: Evidence, winner: EntityType, limit: int = 4) -> tuple[str, ...]:
    contributions = sorted(
        ((WEIGHTS[name].of(winner), name) for name in evidence.features if WEIGHTS[name].of(winner) > 0),
        reverse=True,
    )
    return tuple(f"{WEIGHTS[name].rule}:{name}" for _, name in contributions[:limit])


def _decide(evidence: Evidence) -> tuple[EntityType, float]:
    totals = score(evidence)
    for entity_type, prior in PRIOR.items():
        totals[entity_type] += prior
    probabilities = _softmax(totals)
    winner = max(TYPES, key=lambda t: totals[t])
    return winner, probabilities[winner]


# Tie-breakers the classification rules write out in so many words: when every feature of a row
# fired and the rules, sure of themselves, chose its type, the model is not mixed in.
DECISIVE: tuple[tuple[frozenset[str], EntityType], ...] = (
    (frozenset({"camp-multi-day"}), EntityType.PROGRAM),  # T1: a camp of two or more days
    (frozenset({"camp-one-day"}), EntityType.EVENT),  # T1: a one-day camp
    # R4: "shows that run continuously as part of daily admission"
    (frozenset({"continuous-show", "included-with-admission"}), EntityType.ATTRACTION),
)
DECISIVE_CONFIDENCE = 0.8


def decided_by_rule(evidence: Evidence, winner: EntityType, confidence: float) -> bool:
    """True when a written tie-breaker fired for the rules' winner and the rules are sure."""
    return confidence >= DECISIVE_CONFIDENCE and any(
        entity_type is winner and all(name in evidence for name in names) for names, entity_type in DECISIVE
    )


_STRUCTURED_FEATURES = ("schema-event", "schema-course", "schema-place", "schema-attraction")


def classify(
    listing: ClassifierInput,
    *,
    second_opinion: SecondOpinion | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    model: LinearModel | Literal[False] | None = None,
) -> ClassificationResult:
    """Classify one listing: the rules mixed with the trained model (`model`, the shipped one
    when None, none when False); a second opinion only when the answer is unsure."""
    evidence = extract_evidence(listing)
    rule_winner, rule_confidence = _decide(evidence)
    winner, confidence = rule_winner, rule_confidence
    method = ClassificationMethod.RULES
    fitted = shipped_model() if model is None else model or None
    if fitted is not None and not decided_by_rule(evidence, rule_winner, rule_confidence):
        mixed = mix(rule_distribution(rule_winner, rule_confidence), fitted.distribution(listing, evidence))
        winner = max(mixed, key=lambda t: mixed[t])
        confidence = mixed[winner]
        if winner is not rule_winner:
            method = ClassificationMethod.MODEL
    reasons = _reasons(evidence, winner)
    if method is ClassificationMethod.MODEL:
        reasons = (*reasons, f"ML:model-{winner.value}")
    structured = [name for name in _STRUCTURED_FEATURES if name in evidence]
    if structured:
        # The schema.org type "decided it" when without it the rules would say otherwise or
        # would be unsure.
        without = Evidence({k: v for k, v in evidence.features.items() if k not in structured})
        alt_winner, alt_confidence = _decide(without)
        if (
            method is ClassificationMethod.RULES
            and WEIGHTS[structured[0]].of(winner) > 0
            and (alt_winner != winner or alt_confidence < threshold)
        ):
            method = ClassificationMethod.STRUCTURED_DATA
    if confidence < threshold and second_opinion is not None:
        answer = second_opinion.classify(listing)
        if answer is not None:
            other_type, other_confidence = answer
            if other_confidence >= threshold:
                return ClassificationResult(
                    entity_type=EntityType(other_type),
                    confidence=round(min(max(other_confidence, 0.0), 1.0), 3),
                    method=ClassificationMethod.LLM,
                    reasons=(*reasons, f"LLM:second-opinion-{EntityType(other_type).value}"),
                )
    return ClassificationResult(
        entity_type=winner,
        confidence=round(confidence, 3),
        method=method,
        reasons=reasons or ("R0:no-evidence",),
    )
