"""`famact serve` for the web_search benchmark: the product app under uvicorn, with the public
API's per-client rate limit lifted (one benchmark client sends 1,000 searches a minute) and
every DynamoDB item the server reads (a query's ScannedCount) counted through botocore's
`after-call` event, served at `GET /_bench/reads` so the benchmark can divide by the items it
got back."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

import uvicorn

from famact.store.dynamo import connect
from famact.web.app import create_app

READS: Counter[str] = Counter()  # items read, by operation; "calls:<op>" = number of calls


def _count(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
    op = model.name
    READS[f"calls:{op}"] += 1
    if op in ("Query", "Scan"):
        # ScannedCount: every item the query evaluated (and was billed for), including those a
        # FilterExpression dropped before the answer; Items holds only what survived.
        READS[op] += int(parsed.get("ScannedCount", len(parsed.get("Items", []))))
        READS[f"returned:{op}"] += len(parsed.get("Items", []))
    elif op == "GetItem":
        READS[op] += 1 if parsed.get("Item") else 0
    elif op == "BatchGetItem":
        READS[op] += sum(len(rows) for rows in parsed.get("Responses", {}).values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    tables = connect()
    for client in {id(c): c for c in (tables.client, tables.activities.meta.client)}.values():
        client.meta.events.register("after-call.dynamodb", _count)
    app = create_app(tables, api_per_minute=1_000_000)

    @app.get("/_bench/reads")
    def reads() -> dict[str, int]:
        return dict(READS)

    # Ahead of the pages' `/{entity_type}/{entity_id}`, which would answer it otherwise.
    app.router.routes.insert(0, app.router.routes.pop())

    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
