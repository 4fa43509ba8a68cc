"""Classify a listing as VENUE, EVENT, PROGRAM or ATTRACTION (docs/classification-rules.md).

What: a readable rules engine. The rule groups of `famact.classify.features` read the facts of
a listing into named features. When the facts are thin, a few "shape" features stand in for
what a reader would assume (a place fact pair with no dates is a place of its own, T4).
Every feature has one row in `WEIGHTS` naming the rule of the decision procedure it stands
for (R1..R4, T1..T6) and how much it pushes each entity type. The scores are summed, the
highest wins, and a softmax over the scores gives the confidence. `reasons` lists the rule
ids of the features that carried the winning type, so a reviewer can see why.

Why rules and not a trained model: the product owner's definition is a decision procedure,
listings come from sites nobody has seen, and a feature table can be read, argued with and
fixed one row at a time. When the rules are unsure a `SecondOpinion` (an LLM client) may be
asked; its answer is taken only when it is confident.

The package, one concern a module: `model` (input, result, second opinion), `weights`,
`vocabulary` (nouns, towns, typos), `titles` (subject and host of a title), `features` (one
module per rule group), `scoring` (`classify`), `scope` (T7: `out_of_scope_reason`) and
`categories` (`categorize`). Text is folded by `famact.normalize.text.fold_words`; days and
clock times are counted by `famact.normalize.date_facts`.
"""

from __future__ import annotations

from famact.classify.categories import CATEGORY_KEYWORDS, categorize
from famact.classify.evidence import Evidence
from famact.classify.features import extract_evidence
from famact.classify.model import (
    ATTRACTION,
    DEFAULT_THRESHOLD,
    EVENT,
    PAGE_ROLES,
    PROGRAM,
    SITE_KINDS,
    TYPES,
    VENUE,
    ClassificationResult,
    ClassifierInput,
    PageContext,
    SecondOpinion,
)
from famact.classify.scope import out_of_scope_reason
from famact.classify.scoring import classify, score
from famact.classify.vocabulary import NOUNS
from famact.classify.weights import TEMPERATURE, WEIGHTS, Weight
from famact.normalize.date_facts import DateFacts, TimeFacts, read_dates, read_times

# The classifier's text folding, under the name its callers have always imported.
from famact.normalize.text import fold_words as fold

__all__ = [
    "ATTRACTION",
    "CATEGORY_KEYWORDS",
    "DEFAULT_THRESHOLD",
    "EVENT",
    "NOUNS",
    "PAGE_ROLES",
    "PROGRAM",
    "SITE_KINDS",
    "TEMPERATURE",
    "TYPES",
    "VENUE",
    "WEIGHTS",
    "ClassificationResult",
    "ClassifierInput",
    "DateFacts",
    "Evidence",
    "PageContext",
    "SecondOpinion",
    "TimeFacts",
    "Weight",
    "categorize",
    "classify",
    "extract_evidence",
    "fold",
    "out_of_scope_reason",
    "read_dates",
    "read_times",
    "score",
]
