"""The analyzer as a Lambda function: each scheduled invocation analyses the sources that
wait in `pending_analysis`, highest priority first, while time is left.

The move `pending_analysis -> analyzing` is a conditional update, so two invocations that
overlap never analyse the same source twice; a source whose analysis raises is marked
`failed` by `analyze_source` and the next one is tried.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from famact.app.aws_env import load_parameters
from famact.constants import SourceStatus

log = logging.getLogger(__name__)

# Stop taking sources when less than this is left: one analysis (Jina fetches, up to three
# LLM rounds, extraction runs) takes a few minutes at most.
MIN_REMAINING_MS = 5 * 60 * 1000
MAX_SOURCES_PER_RUN = 10



@functools.cache
def _load_parameters_once() -> tuple[str, ...]:
    """SSM into the environment once per cold start, before the settings are first read."""
    return tuple(load_parameters())


def analyze_pending(event: dict[str, Any] | None, context: Any, *, tables: Any = None) -> dict[str, Any]:
    """Lambda handler; the answer lists what was analysed, failed and left for later."""
    _load_parameters_once()
    from famact.app.workflow import analyze_source
    from famact.settings import get_settings
    from famact.store.dynamo import connect
    from famact.store.errors import ConflictError
    from famact.store.sources import SourceStore

    tables = tables or connect()
    limit = int((event or {}).get("max_sources", MAX_SOURCES_PER_RUN))
    pending = SourceStore(tables).list_by_status(SourceStatus.PENDING_ANALYSIS, limit=limit).items
    use_llm = bool(get_settings().openai_api_key)
    done: dict[str, str] = {}
    failed: dict[str, str] = {}
    left: list[str] = []
    for row in pending:
        source_id = str(row["source_id"])
        remaining = context.get_remaining_time_in_millis() if context is not None else None
        if remaining is not None and remaining < MIN_REMAINING_MS:
            left.append(source_id)
            continue
        try:
            analysis = analyze_source(tables, source_id, use_llm=use_llm)
        except ConflictError:
            continue  # another invocation took it first
        except Exception as exc:  # the source is marked failed with the reason; go on
            log.exception("analysis of %s failed", source_id)
            failed[source_id] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        done[source_id] = "config proposed" if analysis.proposed_config is not None else "no working config"
    return {"analyzed": done, "failed": failed, "left": left}
