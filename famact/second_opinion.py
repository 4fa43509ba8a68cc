"""The LLM's second opinion on listings the classification rules are unsure about.

`famact.classify.classify` asks a `SecondOpinion` only when its rules are below the
threshold, and takes the answer only when it is confident; `LLMSecondOpinion` is that second
opinion over the LLM client. The listing's text goes to the model only inside a data block,
under the classification rules as a constant system prompt (ARCHITECTURE section 6).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from famact.classify import ClassifierInput, SecondOpinion
from famact.constants import EntityType
from famact.page_data import SAFETY_RULES, page_data_block
from famact.settings import get_settings

if TYPE_CHECKING:
    # The client is imported only when one is built: the openai SDK takes about half a second
    # to import, and a crawl or `famact classify` without OPENAI_API_KEY never needs it.
    from famact.llm import LLMClient, TokenBudget

log = logging.getLogger(__name__)

# Tokens one crawl (or one `famact classify` run) may spend on second opinions.
CRAWL_BUDGET_TOKENS = 20_000

CLASSIFICATION_SYSTEM = f"""\
You classify one listing from a family-activities web site as VENUE, EVENT, PROGRAM or
ATTRACTION. Apply these rules in order; the first that fits wins.

R1 VENUE: the listing is about a place as a whole (business, facility, park, museum, library
branch, farm, pool, play cafe, theater building): address, hours, admission, amenities. It
stays a VENUE when it mentions things that happen there, seasonal hours or an opening date. A
park as a whole is a VENUE; a named feature inside it is an ATTRACTION.
R2 PROGRAM: you enroll in a set of sessions or days sold as one unit: multi-week classes,
lesson terms, leagues, clubs with term enrollment, after-school programs, preschool, camps of
two or more days, registration-for-every-session series, multi-week sign-up challenges.
Drop-ins allowed or a free trial class do not change this.
R3 EVENT: a happening with its own date(s)/start time(s) attended one occurrence at a time:
festivals, performances, markets, races, talks, workshops; a single-session class even with
registration; a one-day camp; recurring drop-in sessions (storytime, open gym/swim slots,
sensory hours, movie nights, free days) even without a printed date; scheduled tours or
departures on specific dates. A multi-day festival or a run of performances is one EVENT.
R4 ATTRACTION: an ongoing feature or offering you can visit any time it is open, with no
start time: exhibits, playgrounds, splash pads, carousels, trails, gardens inside a venue;
seasonal offerings open for weeks (pumpkin patches, corn mazes, light displays, seasonal
rinks, u-pick); shows that run continuously as part of admission.
Tie-breakers: a one-day camp is an EVENT, two or more days a PROGRAM. Registration alone does
not make a PROGRAM; enrolling in several sessions does. If you can come to one session without
signing up for the rest it is an EVENT. Own pin on a map with own hours -> VENUE; inside
something else sharing its hours -> ATTRACTION. A season of two weeks or more on a regular
schedule with no start times -> ATTRACTION; one to three specific days with scheduled
activities -> EVENT. "Festival" in the name decides nothing. Memberships, passes, gift cards,
party packages, volunteer calls, job posts and ads are NOT_A_LISTING.
The label never depends on language, typos or formatting: read the facts.

Answer with entity_type, confidence (0 to 1, how sure you are) and a one-sentence reason.

{SAFETY_RULES}"""


class ClassificationAnswer(BaseModel):
    """The LLM's second opinion on one listing's entity type."""

    # An unknown key in an answer is an error, not a silent loss.
    model_config = ConfigDict(extra="forbid")

    entity_type: Literal["VENUE", "EVENT", "PROGRAM", "ATTRACTION", "NOT_A_LISTING"]
    confidence: float = Field(ge=0, le=1)
    reason: str = Field(default="", max_length=1000)

    @property
    def as_entity_type(self) -> EntityType | None:
        """The answer as an `EntityType`, or None for NOT_A_LISTING."""
        return None if self.entity_type == "NOT_A_LISTING" else EntityType(self.entity_type)


LISTING_FIELDS = (
    ("title", 300),
    ("site_label", 100),
    ("structured_type", 100),
    ("date_text", 300),
    ("schedule_text", 300),
    ("price_text", 200),
    ("age_text", 200),
    ("venue_text", 300),
    ("description", 1500),
)


def listing_as_data(listing: ClassifierInput) -> str:
    """The listing's fields as `name: value` lines (one data block's content)."""
    lines = []
    for name, limit in LISTING_FIELDS:
        value = getattr(listing, name, None)
        if value:
            lines.append(f"{name}: {' '.join(str(value).split())[:limit]}")
    return "\n".join(lines)


class LLMSecondOpinion:
    """Classification by the LLM for listings the rules are unsure about.

    Returns None whenever it cannot help (no answer, unusable answer, budget spent, or the
    model says it is not a listing), so the rules' answer stands.
    """

    def __init__(self, client: LLMClient, budget: TokenBudget, *, max_tokens: int = 200) -> None:
        self.client = client
        self.budget = budget
        self.max_tokens = max_tokens

    def classify(self, listing: ClassifierInput) -> tuple[EntityType, float] | None:
        from famact.llm import LLMError  # loaded with the client this object holds

        data = listing_as_data(listing)
        if not data:
            return None
        user = "Classify this listing.\n\n" + page_data_block(1, getattr(listing, "url", None) or "", data)
        try:
            answer, _usage = self.client.complete_json(
                CLASSIFICATION_SYSTEM,
                user,
                ClassificationAnswer,
                max_tokens=self.max_tokens,
                budget=self.budget,
            )
        except LLMError as exc:
            log.warning("LLM second opinion unavailable for %r: %s", (listing.title or "")[:80], exc)
            return None
        entity_type = answer.as_entity_type
        if entity_type is None:
            return None
        return entity_type, answer.confidence


def second_opinion_from_settings(enabled: bool = True) -> SecondOpinion | None:
    """The LLM second opinion when `enabled` and OPENAI_API_KEY is set, else None (rules only)."""
    if not enabled or not get_settings().openai_api_key:
        return None
    from famact.llm import LLMClient, TokenBudget

    client = LLMClient.from_settings(get_settings())
    if client is None:
        return None
    return LLMSecondOpinion(client, TokenBudget(limit=CRAWL_BUDGET_TOKENS))
