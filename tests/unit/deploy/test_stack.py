"""The CDK app, synthesized by the real `cdk synth` (the npm CLI running deploy/app.py), then
checked with aws_cdk.assertions: the tables equal famact/tables.py's specs, every role
reaches only its tables and nothing grants every action on every resource, the alarms
exist, and cfn-lint passes on both templates. Offline: synth looks nothing up in AWS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="make setup installs deploy/requirements.txt")

from aws_cdk.assertions import Match, Template

from famact.tables import ALL_TABLES, OPERATIONS, TableSpec, create_table_request

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
CDK = ROOT / "node_modules" / ".bin" / "cdk"
PREFIX = "famact-"
SYNTH_ENV = {
    "CDK_DISABLE_CLI_TELEMETRY": "true",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
}
ROLE_PRINCIPALS = {
    "crawl": "ec2.amazonaws.com",
    "orchestrator": "ecs-tasks.amazonaws.com",
}


@pytest.fixture(scope="module")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CDK.exists():
        pytest.fail("node_modules/.bin/cdk missing: run `make setup` (aws-cdk is in package.json)")
    out = tmp_path_factory.mktemp("cdk.out")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))} | SYNTH_ENV
    result = subprocess.run(
        [
            str(CDK),
            "synth",
            "--app",
            f"{sys.executable} app.py",
            "--no-notices",
            "--quiet",
            "--output",
            str(out),
        ],
        cwd=DEPLOY,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def _load(cdk_out: Path, stack: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((cdk_out / f"{stack}.template.json").read_text())
    return data


@pytest.fixture(scope="module")
def template_json(cdk_out: Path) -> dict[str, Any]:
    return _load(cdk_out, "Famact")


@pytest.fixture(scope="module")
def template(template_json: dict[str, Any]) -> Template:
    return Template.from_json(template_json)


def _resources(template_json: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template_json["Resources"].items() if r["Type"] == kind}


def _table(template_json: dict[str, Any], spec: TableSpec) -> dict[str, Any]:
    found = [
        r["Properties"]
        for r in _resources(template_json, "AWS::DynamoDB::Table").values()
        if r["Properties"]["TableName"] == spec.name(PREFIX)
    ]
    assert len(found) == 1, f"{spec.name(PREFIX)}: {len(found)} tables"
    return found[0]


# -- tables ---------------------------------------------------------------------------


def test_exactly_the_three_tables(template: Template) -> None:
    template.resource_count_is("AWS::DynamoDB::Table", len(ALL_TABLES))


@pytest.mark.parametrize("spec", ALL_TABLES, ids=lambda s: s.key)
def test_each_table_has_the_keys_and_indexes_of_its_spec(
    template_json: dict[str, Any], spec: TableSpec
) -> None:
    """Compared with `create_table_request`, the request `famact tables create` sends."""
    table = _table(template_json, spec)
    local = create_table_request(spec, PREFIX)
    assert table["BillingMode"] == local["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == local["KeySchema"]
    by_name = lambda defs: sorted(defs, key=lambda d: d["AttributeName"])  # noqa: E731
    assert by_name(table["AttributeDefinitions"]) == by_name(local["AttributeDefinitions"])
    indexes = {i["IndexName"]: i for i in table.get("GlobalSecondaryIndexes", [])}
    assert set(indexes) == {i["IndexName"] for i in local["GlobalSecondaryIndexes"]}
    for want in local["GlobalSecondaryIndexes"]:
        got = indexes[want["IndexName"]]
        assert got["KeySchema"] == want["KeySchema"]
        assert got["Projection"] == want["Projection"]
        assert "ProvisionedThroughput" not in got


@pytest.mark.parametrize("spec", ALL_TABLES, ids=lambda s: s.key)
def test_ttl_protection_and_recovery_follow_the_spec(template_json: dict[str, Any], spec: TableSpec) -> None:
    table = _table(template_json, spec)
    if spec.ttl_attribute:
        assert table["TimeToLiveSpecification"] == {"AttributeName": spec.ttl_attribute, "Enabled": True}
    else:
        assert "TimeToLiveSpecification" not in table
    protected = spec is not OPERATIONS
    pitr = table.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled", False)
    assert pitr is protected
    assert table.get("DeletionProtectionEnabled", False) is protected


def test_business_and_source_tables_survive_a_stack_delete(template_json: dict[str, Any]) -> None:
    for key, resource in _resources(template_json, "AWS::DynamoDB::Table").items():
        name = resource["Properties"]["TableName"]
        expected = "Delete" if name == OPERATIONS.name(PREFIX) else "Retain"
        assert resource["DeletionPolicy"] == expected, key


# -- IAM ------------------------------------------------------------------------------


def _statements(template_json: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for key, resource in template_json["Resources"].items():
        props = resource.get("Properties", {})
        docs = []
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            docs.append(props["PolicyDocument"])
        if resource["Type"] == "AWS::IAM::Role":
            docs.extend(p["PolicyDocument"] for p in props.get("Policies", []))
        for doc in docs:
            found.extend((key, s) for s in doc["Statement"])
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("stack", ["Famact", "FamactBilling"])
def test_no_statement_allows_every_action_on_every_resource(cdk_out: Path, stack: str) -> None:
    statements = _statements(_load(cdk_out, stack))
    assert statements or stack == "FamactBilling"
    for key, statement in statements:
        assert "NotAction" not in statement and "NotResource" not in statement, key
        actions = _as_list(statement["Action"])
        resources = _as_list(statement.get("Resource", []))
        for action in actions:
            service_wide = action == "*" or str(action).endswith(":*")
            assert not service_wide, f"{key}: {action}"
        if "*" in resources:
            # Only actions AWS defines on no resource may name "*" (ECR's login token).
            assert actions == ["ecr:GetAuthorizationToken"], f"{key}: {actions} on *"


def test_no_role_has_a_managed_policy(template_json: dict[str, Any]) -> None:
    for key, role in _resources(template_json, "AWS::IAM::Role").items():
        assert "ManagedPolicyArns" not in role["Properties"], key


def _table_refs(template_json: dict[str, Any]) -> dict[str, str]:
    """Logical id of each table -> its spec key."""
    names = {spec.name(PREFIX): spec.key for spec in ALL_TABLES}
    return {
        key: names[r["Properties"]["TableName"]]
        for key, r in _resources(template_json, "AWS::DynamoDB::Table").items()
    }


def _role_of_policy(policy: dict[str, Any]) -> str:
    roles = policy["Properties"]["Roles"]
    assert len(roles) == 1
    return str(roles[0]["Ref"])


def _dynamodb_access(template_json: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    """Role logical id -> table key -> DynamoDB actions, read from the policies."""
    tables = _table_refs(template_json)
    access: dict[str, dict[str, set[str]]] = {}
    for policy in _resources(template_json, "AWS::IAM::Policy").values():
        role = _role_of_policy(policy)
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = {a for a in _as_list(statement["Action"]) if str(a).startswith("dynamodb:")}
            if not actions:
                continue
            text = json.dumps(statement["Resource"])
            reached = {key for logical, key in tables.items() if logical in text}
            assert reached, f"{role}: DynamoDB actions on something that is not a famact table: {text}"
            for key in reached:
                access.setdefault(role, {}).setdefault(key, set()).update(actions)
    return access


def _role_by_description(template_json: dict[str, Any], role: str) -> str:
    found = [
        key
        for key, r in _resources(template_json, "AWS::IAM::Role").items()
        if r["Properties"].get("Description") == f"famact {role}"
    ]
    assert len(found) == 1, role
    return found[0]


def test_each_role_reaches_only_its_tables_with_only_its_actions(template_json: dict[str, Any]) -> None:
    sys.path.insert(0, str(DEPLOY))
    from famact_deploy.access import ROLE_TABLE_ACTIONS

    access = _dynamodb_access(template_json)
    for role, wanted in ROLE_TABLE_ACTIONS.items():
        logical = _role_by_description(template_json, role)
        assert access.pop(logical) == {k: set(v) for k, v in wanted.items()}, role
    assert access == {}, f"roles with DynamoDB access beyond the four: {sorted(access)}"
    every = {a for table in ROLE_TABLE_ACTIONS.values() for actions in table.values() for a in actions}
    assert "dynamodb:Scan" not in every and not any("Table" in a and "Describe" not in a for a in every)


def test_the_api_cannot_write_activities_and_the_orchestrator_sees_only_operations() -> None:
    sys.path.insert(0, str(DEPLOY))
    from famact_deploy.access import ROLE_TABLE_ACTIONS

    assert not any(
        a.endswith(("PutItem", "UpdateItem", "BatchWriteItem"))
        for a in ROLE_TABLE_ACTIONS["api"]["activities"]
    )
    assert set(ROLE_TABLE_ACTIONS["orchestrator"]) == {"operations"}
    assert set(ROLE_TABLE_ACTIONS["analyzer"]) == {"sources"}


def test_secrets_are_read_from_named_ssm_parameters_only(template_json: dict[str, Any]) -> None:
    for key, statement in _statements(template_json):
        if "ssm:GetParameters" in _as_list(statement["Action"]):
            assert _as_list(statement["Action"]) == ["ssm:GetParameters"]
            assert ":parameter/famact/" in json.dumps(statement["Resource"]), key
    text = json.dumps(template_json)
    for marker in ("sk-", "OPENAI_API_KEY=sk", "jina_"):
        assert marker not in text


# -- compute, schedule, HTTPS, alarms --------------------------------------------------


def test_nodes_run_scrapyd_under_systemd_reachable_from_the_orchestrator_only(
    template: Template, template_json: dict[str, Any]
) -> None:
    template.resource_count_is("AWS::EC2::Instance", 1)
    user_data = json.dumps(
        next(iter(_resources(template_json, "AWS::EC2::Instance").values()))["Properties"]["UserData"]
    )
    assert "systemctl enable --now famact-scrapyd.service" in user_data
    assert (
        "bind_address = 0.0.0.0" in user_data
        and "jobstorage = scrapyd.jobstorage.SqliteJobStorage" in user_data
    )
    ingress = list(_resources(template_json, "AWS::EC2::SecurityGroupIngress").values())
    assert len(ingress) == 1
    rule = ingress[0]["Properties"]
    assert (rule["FromPort"], rule["ToPort"], rule["IpProtocol"]) == (6800, 6800, "tcp")
    assert "SourceSecurityGroupId" in rule and "CidrIp" not in rule
    for group in _resources(template_json, "AWS::EC2::SecurityGroup").values():
        assert "SecurityGroupIngress" not in group["Properties"]


def test_the_orchestrator_and_the_nodes_follow_the_crawl_window(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Scheduler::Schedule",
        {
            "ScheduleExpression": "cron(0/10 1-3 * * ? *)",
            "ScheduleExpressionTimezone": "America/Los_Angeles",
            "Target": Match.object_like({"EcsParameters": Match.object_like({"LaunchType": "FARGATE"})}),
        },
    )
    for hour, action in ((1, "startInstances"), (5, "stopInstances")):
        template.has_resource_properties(
            "AWS::Scheduler::Schedule",
            {
                "ScheduleExpression": f"cron(0 {hour} * * ? *)",
                "Target": Match.object_like({"Arn": f"arn:aws:scheduler:::aws-sdk:ec2:{action}"}),
            },
        )
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        {
            "ContainerDefinitions": [
                Match.object_like(
                    {
                        "Command": [
                            "python",
                            "-m",
                            "famact.app.aws_env",
                            "famact",
                            "schedule",
                            "run",
                            "--once",
                            "--metrics",
                        ]
                    }
                )
            ]
        },
    )


def test_the_analyzer_is_a_scheduled_lambda_and_the_api_an_https_endpoint(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "ImageConfig": {
                "Command": ["famact.app.aws_lambda.analyze_pending"],
                "EntryPoint": ["python", "-m", "awslambdaric"],
            }
        },
    )
    template.has_resource_properties("AWS::Events::Rule", {"ScheduleExpression": "rate(1 hour)"})
    template.has_resource_properties("AWS::ApiGatewayV2::Api", {"ProtocolType": "HTTP"})
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"DefaultRouteSettings": {"ThrottlingBurstLimit": 50, "ThrottlingRateLimit": 20}},
    )
    template.has_output("ApiUrl", {})


def test_alarms_cover_throttling_failures_success_rate_and_spend(
    template_json: dict[str, Any], cdk_out: Path
) -> None:
    alarms = json.dumps(list(_resources(template_json, "AWS::CloudWatch::Alarm").values()))
    for metric in (
        "ReadThrottleEvents",
        "WriteThrottleEvents",
        "ExecutionsFailed",
        "ExecutionsSucceeded",
        "Errors",
    ):
        assert metric in alarms, metric
    assert "100 * succeeded / finished" in alarms and '"Threshold": 90' in alarms
    billing = json.dumps(_load(cdk_out, "FamactBilling"))
    assert "EstimatedCharges" in billing and "AWS/Billing" in billing


def test_cfn_lint_passes_on_both_templates(cdk_out: Path) -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "cfn-lint"),
            "--config-file",
            str(DEPLOY / ".cfnlintrc.yaml"),
            "--",
            str(cdk_out / "Famact.template.json"),
            str(cdk_out / "FamactBilling.template.json"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
