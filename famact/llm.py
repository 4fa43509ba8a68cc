"""The LLM client: structured JSON answers from any OpenAI-compatible server.

Used by the analyzer (config proposals) and by classification (`famact.second_opinion`).
Built on the real `openai` SDK (its own retries handle timeouts, 429 and 5xx) with three
things added that its callers rely on:

- safety: instructions go in the system message; page content goes only in a separate user
  message, inside delimited data blocks (`famact.page_data`), under a notice that it is
  untrusted data (ARCHITECTURE section 6);
- robust parsing: the answer is parsed by pydantic here, not trusted to `strict` mode, so a
  fenced block is unwrapped and anything else that is not the schema is an `LLMAnswerError`
  carrying the reason and an excerpt the retry feedback can quote;
- cost control: every call is estimated before it is sent and refused (`BudgetExceeded`)
  when it could overrun the source's `TokenBudget`; actual usage is counted per call and on
  the client.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Literal, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from famact.page_data import UNTRUSTED_DATA_NOTICE, contains_data_block
from famact.settings import Settings, get_settings

log = logging.getLogger(__name__)

SchemaT = TypeVar("SchemaT", bound=BaseModel)

CHARS_PER_TOKEN = 4  # the usual rough estimate for English text and HTML
DEFAULT_BUDGET_TOKENS = 8000
EXCERPT_CHARS = 300
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|json5)?[ \t]*\r?\n(.*?)\r?\n?[ \t]*```", re.DOTALL)


class LLMError(Exception):
    """Base of the LLM client's errors; callers that can do without the LLM catch this."""


class LLMUnavailable(LLMError):
    """The server could not answer (connection, timeout, 429, 5xx) after the SDK's retries,
    or refused the request (authentication, bad request)."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        self.reason = reason
        self.status = status
        super().__init__(f"LLM unavailable: {reason}")


class LLMAnswerError(LLMError):
    """The model answered, but not with JSON matching the schema."""

    def __init__(self, reason: str, raw_excerpt: str) -> None:
        self.reason = reason
        self.raw_excerpt = raw_excerpt
        super().__init__(f"unusable LLM answer: {reason}; answer began {raw_excerpt[:120]!r}")


class BudgetExceeded(LLMError):
    """A call was refused before sending because it could overrun the token budget."""

    def __init__(self, needed: int, remaining: int, limit: int, scope: str) -> None:
        self.needed = needed
        self.remaining = remaining
        self.limit = limit
        super().__init__(
            f"token budget exceeded ({scope}): the call needs up to {needed} tokens, "
            f"{remaining} of {limit} remain"
        )


@dataclass
class Usage:
    """Tokens as the server reported them (estimated when it reported none)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    calls: int = 0
    estimated: bool = False

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.total_tokens += other.total_tokens
        self.calls += other.calls
        self.estimated = self.estimated or other.estimated


class TokenBudget:
    """Tokens one source's analysis may spend, with an optional cap on any single call.

    A call is checked with its worst case (estimated prompt + `max_tokens` of answer) before
    it is sent, and charged with what it really used after.
    """

    def __init__(self, limit: int = DEFAULT_BUDGET_TOKENS, *, per_call_limit: int | None = None) -> None:
        if limit <= 0:
            raise ValueError(f"token budget limit must be positive, got {limit}")
        self.limit = limit
        self.per_call_limit = per_call_limit
        self.used = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def check(self, needed: int) -> None:
        if self.per_call_limit is not None and needed > self.per_call_limit:
            raise BudgetExceeded(needed, self.per_call_limit, self.per_call_limit, "per call")
        if needed > self.remaining:
            raise BudgetExceeded(needed, self.remaining, self.limit, "per source")

    def charge(self, tokens: int) -> None:
        self.used += max(0, tokens)


def estimate_tokens(*texts: str) -> int:
    return sum(len(t) for t in texts) // CHARS_PER_TOKEN + 1


def _schema_name(schema: type[BaseModel]) -> str:
    # The API wants ^[a-zA-Z0-9_-]{1,64}$.
    return re.sub(r"[^a-zA-Z0-9_-]", "_", schema.__name__)[:64] or "answer"


def extract_json_text(answer: str) -> str:
    """The JSON text in an answer: the answer itself, or the one fenced block in it."""
    stripped = answer.strip()
    if stripped.startswith(("{", "[")):
        return stripped
    blocks = _FENCE.findall(stripped)
    if len(blocks) == 1:
        return str(blocks[0]).strip()
    return stripped


def parse_answer(answer: str | None, schema: type[SchemaT]) -> SchemaT:
    """Validate a model's answer against `schema`, or raise `LLMAnswerError` saying why."""
    if answer is None or not answer.strip():
        raise LLMAnswerError("empty answer", answer or "")
    excerpt = answer.strip()[:EXCERPT_CHARS]
    text = extract_json_text(answer)
    try:
        return schema.model_validate_json(text)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if any(e["type"] == "json_invalid" for e in errors):
            raise LLMAnswerError("the answer is not JSON", excerpt) from exc
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in errors[:5]
        )
        raise LLMAnswerError(f"the answer does not match {schema.__name__}: {details}", excerpt) from exc


class LLMClient:
    """JSON completions from an OpenAI-compatible chat server, within a token budget."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        token_param: Literal["max_completion_tokens", "max_tokens"] = "max_completion_tokens",
    ) -> None:
        self.model = model
        self.token_param = token_param
        self.usage_total = Usage()
        self._client = openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, timeout: float | None = None, max_retries: int | None = None
    ) -> LLMClient | None:
        """A client configured from the environment, or None without `OPENAI_API_KEY`
        (the analyzer then falls back to heuristics)."""
        settings = settings or get_settings()
        if not settings.openai_api_key:
            return None
        return cls(
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            model=settings.llm_model,
            timeout=settings.llm_timeout_s if timeout is None else timeout,
            max_retries=settings.llm_max_retries if max_retries is None else max_retries,
        )

    def close(self) -> None:
        self._client.close()

    def build_messages(self, system: str, user_data: str) -> list[dict[str, str]]:
        """The two messages of a call: the fixed instructions, and the data under its notice.

        `user_data` must carry page content only inside `page_data_block`s; the system
        prompt must not contain a data block (that would put page text among instructions).
        """
        if contains_data_block(system):
            raise ValueError("the system prompt contains a PAGE_DATA block: page text belongs in user_data")
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": f"{UNTRUSTED_DATA_NOTICE}\n\n{user_data}"},
        ]

    def complete_json(
        self,
        system: str,
        user_data: str,
        schema: type[SchemaT],
        *,
        max_tokens: int,
        budget: TokenBudget | None = None,
    ) -> tuple[SchemaT, Usage]:
        """Ask for a JSON answer matching `schema` and return it parsed, with the call's usage.

        Raises `BudgetExceeded` (nothing sent), `LLMUnavailable` (after the SDK's retries) or
        `LLMAnswerError` (the answer was not the schema; its tokens are still counted).
        """
        messages = self.build_messages(system, user_data)
        json_schema = schema.model_json_schema()
        prompt_estimate = estimate_tokens(*(m["content"] for m in messages), json.dumps(json_schema))
        if budget is not None:
            budget.check(prompt_estimate + max_tokens)
        request: dict[str, object] = {
            "model": self.model,
            "messages": messages,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": _schema_name(schema), "schema": json_schema, "strict": False},
            },
            self.token_param: max_tokens,
        }
        try:
            response = self._client.chat.completions.create(**request)  # type: ignore[call-overload]
        except openai.APITimeoutError as exc:
            raise LLMUnavailable("the request timed out") from exc
        except openai.APIConnectionError as exc:
            raise LLMUnavailable(f"cannot connect: {exc}") from exc
        except openai.APIStatusError as exc:
            raise LLMUnavailable(f"HTTP {exc.status_code}: {exc.message}", status=exc.status_code) from exc

        choice = response.choices[0] if response.choices else None
        content = choice.message.content if choice is not None else None
        usage = self._usage_of(response, prompt_estimate, content)
        self.usage_total.add(usage)
        if budget is not None:
            budget.charge(usage.total_tokens)
        if choice is not None and choice.finish_reason == "length":
            raise LLMAnswerError(
                f"the answer was cut at max_tokens={max_tokens}", (content or "")[:EXCERPT_CHARS]
            )
        if choice is not None and getattr(choice.message, "refusal", None):
            raise LLMAnswerError(
                f"the model refused: {choice.message.refusal}", (content or "")[:EXCERPT_CHARS]
            )
        return parse_answer(content, schema), usage

    @staticmethod
    def _usage_of(response: object, prompt_estimate: int, content: str | None) -> Usage:
        reported = getattr(response, "usage", None)
        if reported is not None:
            prompt = int(reported.prompt_tokens or 0)
            completion = int(reported.completion_tokens or 0)
            total = int(reported.total_tokens or prompt + completion)
            return Usage(prompt, completion, total, calls=1)
        # Some compatible servers omit usage; count an estimate rather than zero so budgets hold.
        completion = estimate_tokens(content or "")
        return Usage(prompt_estimate, completion, prompt_estimate + completion, calls=1, estimated=True)
