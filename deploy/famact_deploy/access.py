"""Who may do what to which table: one table per deployed role, read from here by the stack
and by the tests. Actions are the ones each role's code calls (famact/store); no role gets
Scan (only `famact export`, run by an admin with their own credentials, scans) nor any
table-management action.
"""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam

READ = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:DescribeTable")
WRITE = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem")
DELETE = ("dynamodb:DeleteItem",)

# role -> table key -> actions.
ROLE_TABLE_ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    # The spider and its pipelines: entities and instances, the source's config and entity
    # links, its EXECUTION / METRICS rows. Nothing is deleted (vanished listings are marked).
    "crawl": {
        "activities": READ + WRITE,
        "sources": READ + WRITE,
        "operations": READ + WRITE,
    },
    # Schedule slots, leases and the executions it follows; a moved slot deletes the old one.
    "orchestrator": {"operations": READ + WRITE + DELETE},
    # Submissions, ANALYSIS rows and status moves.
    "analyzer": {"sources": READ + WRITE + DELETE},
    # Search reads entities; the submission form and the admin pages write sources (a base-URL
    # claim is deleted when a submission is undone) and an approval puts the first slot.
    "api": {
        "activities": READ,
        "sources": READ + WRITE + DELETE,
        "operations": READ + WRITE + DELETE,
    },
}


def table_statements(role: str, tables: dict[str, dynamodb.Table]) -> list[iam.PolicyStatement]:
    """One statement per table: its actions on the table and its indexes, nothing else."""
    statements = []
    for key, actions in ROLE_TABLE_ACTIONS[role].items():
        table = tables[key]
        statements.append(
            iam.PolicyStatement(
                actions=list(actions),
                resources=[table.table_arn, f"{table.table_arn}/index/*"],
            )
        )
    return statements
