"""The famact stack: tables, roles, the image, crawl nodes, orchestrator, analyzer, API,
alarms; and the us-east-1 billing alarm stack. deploy/README.md walks through a deploy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from famact_deploy.access import table_statements
from famact_deploy.alarms import FamactAlarms, spend_alarm
from famact_deploy.nodes import TIMEZONE, CrawlNodes
from famact_deploy.settings import (
    ADMIN_HASH_PARAMETER,
    JINA_KEY_PARAMETER,
    OPENAI_KEY_PARAMETER,
    SCRAPYD_PASSWORD_PARAMETER,
    SCRAPYD_USERNAME,
    SESSION_SECRET_PARAMETER,
    DeploySettings,
)
from famact_deploy.tables import build_tables

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = "deploy/image/Dockerfile"
# What the image's build context leaves out: the image runs the code, not its tests.
IMAGE_EXCLUDE = [
    ".git",
    ".venv",
    "node_modules",
    ".famact",
    "**/__pycache__",
    "**/.pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "*.egg-info",
    "deploy/cdk.out",
    "tests",
    "benchmarks",
    "docs",
]
LOG_RETENTION = logs.RetentionDays.ONE_MONTH
ORCHESTRATOR_EVERY_MINUTES = 10
API_RATE_PER_S = 20
API_BURST = 50


def _ssm_arns(stack: Stack, *names: str) -> list[str]:
    return [
        stack.format_arn(service="ssm", resource="parameter", resource_name=name.lstrip("/"))
        for name in names
    ]


def _parameters(**mapping: str) -> str:
    """FAMACT_SSM_PARAMETERS (famact/app/aws_env.py): VARIABLE=/name pairs."""
    return ",".join(f"{variable}={name}" for variable, name in mapping.items())


class FamactStack(Stack):
    def __init__(self, scope: Construct, id: str, *, settings: DeploySettings, **kwargs: Any) -> None:
        super().__init__(scope, id, description="famact: family activities finder", **kwargs)
        Tags.of(self).add("project", "famact")
        self.settings = settings
        self.tables = build_tables(self, settings.table_prefix)
        self.topic = sns.Topic(self, "AlarmTopic", display_name="famact alarms")
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))

        # Public subnets only: the nodes crawl the web directly and a NAT gateway would cost
        # more than everything else together. DynamoDB and S3 (ECR layers) go through free
        # gateway endpoints.
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24)
            ],
            gateway_endpoints={
                "DynamoDb": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.DYNAMODB),
                "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3),
            },
        )
        self.image = ecr_assets.DockerImageAsset(self, "Image", **_image_options())

        self.nodes = self._crawl_nodes()
        self.orchestrator_role = self._orchestrator()
        self.analyzer = self._analyzer()
        self.api_function, self.http_api = self._api()
        FamactAlarms(self, "Alarms", tables=self.tables, analyzer=self.analyzer, topic=self.topic)
        if settings.alarm_email:
            _budget(self, settings)

        CfnOutput(
            self, "ApiUrl", value=self.http_api.api_endpoint, description="the API and pages, over HTTPS"
        )
        CfnOutput(self, "ScrapydNodes", value=self.nodes.scrapyd_nodes, description="FAMACT_SCRAPYD_NODES")
        CfnOutput(self, "AlarmTopicArn", value=self.topic.topic_arn)

    # -- the parts ---------------------------------------------------------------------

    def _role(self, id: str, principal: str, role: str) -> iam.Role:
        created = iam.Role(self, id, assumed_by=iam.ServicePrincipal(principal), description=f"famact {role}")
        for statement in table_statements(role, self.tables):
            created.add_to_policy(statement)
        return created

    def _log_group(self, id: str) -> logs.LogGroup:
        return logs.LogGroup(self, id, retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY)

    def _crawl_nodes(self) -> CrawlNodes:
        role = self._role("CrawlNodeRole", "ec2.amazonaws.com", "crawl")
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ssm:GetParameters"], resources=_ssm_arns(self, SCRAPYD_PASSWORD_PARAMETER)
            )
        )
        self.image.repository.grant_pull(role)
        log_group = self._log_group("CrawlNodeLogs")
        log_group.grant_write(role)
        nodes = CrawlNodes(
            self,
            "CrawlNodes",
            vpc=self.vpc,
            image=self.image,
            role=role,
            settings=self.settings,
            log_group=log_group,
        )
        nodes.add_window(self.settings)
        return nodes

    def _orchestrator(self) -> iam.Role:
        role = self._role("OrchestratorRole", "ecs-tasks.amazonaws.com", "orchestrator")
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ssm:GetParameters"], resources=_ssm_arns(self, SCRAPYD_PASSWORD_PARAMETER)
            )
        )
        cluster = ecs.Cluster(self, "Cluster", vpc=self.vpc)
        task = ecs.FargateTaskDefinition(
            self,
            "OrchestratorTask",
            cpu=256,
            memory_limit_mib=512,
            task_role=role,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.ARM64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )
        task.add_container(
            "orchestrator",
            image=ecs.ContainerImage.from_docker_image_asset(self.image),
            command=[
                "python",
                "-m",
                "famact.app.aws_env",
                "famact",
                "schedule",
                "run",
                "--once",
                "--metrics",
            ],
            environment={
                "AWS_DEFAULT_REGION": self.region,
                "FAMACT_TABLE_PREFIX": self.settings.table_prefix,
                "FAMACT_SCRAPYD_NODES": self.nodes.scrapyd_nodes,
                "FAMACT_SCRAPYD_USERNAME": SCRAPYD_USERNAME,
                "FAMACT_SSM_PARAMETERS": _parameters(FAMACT_SCRAPYD_PASSWORD=SCRAPYD_PASSWORD_PARAMETER),
            },
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix="orchestrator", log_group=self._log_group("OrchestratorLogs")
            ),
        )
        security_group = ec2.SecurityGroup(self, "OrchestratorSecurityGroup", vpc=self.vpc)
        self.nodes.allow_from(security_group)

        run_role = iam.Role(
            self, "OrchestratorScheduleRole", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com")
        )
        run_role.add_to_policy(
            iam.PolicyStatement(
                actions=["ecs:RunTask"],
                resources=[task.task_definition_arn],
                conditions={"ArnEquals": {"ecs:cluster": cluster.cluster_arn}},
            )
        )
        passed = [role.role_arn]
        if task.execution_role is not None:
            passed.append(task.execution_role.role_arn)
        run_role.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], resources=passed))
        scheduler.CfnSchedule(
            self,
            "OrchestratorSchedule",
            description="famact orchestrator: one pass (famact schedule run --once)",
            schedule_expression=self._orchestrator_expression(),
            schedule_expression_timezone=TIMEZONE,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=cluster.cluster_arn,
                role_arn=run_role.role_arn,
                ecs_parameters=scheduler.CfnSchedule.EcsParametersProperty(
                    task_definition_arn=task.task_definition_arn,
                    launch_type="FARGATE",
                    task_count=1,
                    network_configuration=scheduler.CfnSchedule.NetworkConfigurationProperty(
                        awsvpc_configuration=scheduler.CfnSchedule.AwsVpcConfigurationProperty(
                            subnets=[s.subnet_id for s in self.vpc.public_subnets],
                            security_groups=[security_group.security_group_id],
                            assign_public_ip="ENABLED",  # reaches SSM and ECR without a NAT
                        )
                    ),
                ),
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(maximum_retry_attempts=0),
            ),
        )
        return role

    def _orchestrator_expression(self) -> str:
        """Every 10 minutes; with a crawl window, from its start until an hour before the
        nodes stop, so the last crawls started can finish."""
        every = ORCHESTRATOR_EVERY_MINUTES
        if self.settings.always_on:
            return f"rate({every} minutes)"
        start = self.settings.crawl_window_start_hour
        last = start + self.settings.crawl_window_hours - 2
        return (
            f"cron(0/{every} {start}-{last} * * ? *)" if last > start else f"cron(0/{every} {start} * * ? *)"
        )

    def _function(
        self,
        id: str,
        role_name: str,
        *,
        cmd: list[str],
        entrypoint: list[str] | None,
        memory: int,
        timeout: Duration,
        environment: dict[str, str],
        parameters: tuple[str, ...],
    ) -> lambda_.DockerImageFunction:
        role = self._role(f"{id}Role", "lambda.amazonaws.com", role_name)
        if parameters:
            role.add_to_policy(
                iam.PolicyStatement(actions=["ssm:GetParameters"], resources=_ssm_arns(self, *parameters))
            )
        log_group = self._log_group(f"{id}Logs")
        log_group.grant_write(role)
        return lambda_.DockerImageFunction(
            self,
            id,
            code=lambda_.DockerImageCode.from_image_asset(**_image_options(), cmd=cmd, entrypoint=entrypoint),
            architecture=lambda_.Architecture.ARM_64,
            memory_size=memory,
            timeout=timeout,
            role=role,
            log_group=log_group,
            environment={"FAMACT_TABLE_PREFIX": self.settings.table_prefix, **environment},
        )

    def _analyzer(self) -> lambda_.DockerImageFunction:
        """Lambda, as the seed planned: an analysis is minutes of waiting on Jina and the LLM
        a few times a week, which Lambda bills by the second and otherwise costs nothing."""
        function = self._function(
            "Analyzer",
            "analyzer",
            cmd=["famact.app.aws_lambda.analyze_pending"],
            entrypoint=["python", "-m", "awslambdaric"],
            memory=2048,  # Chromium, when a listing needs rendering to be analysed
            timeout=Duration.minutes(15),
            environment={
                "FAMACT_SSM_PARAMETERS": _parameters(
                    OPENAI_API_KEY=OPENAI_KEY_PARAMETER + "?", JINA_API_KEY=JINA_KEY_PARAMETER + "?"
                ),
            },
            parameters=(OPENAI_KEY_PARAMETER, JINA_KEY_PARAMETER),
        )
        events.Rule(
            self,
            "AnalyzerSchedule",
            description="famact analyzer: analyse sources waiting in pending_analysis",
            schedule=events.Schedule.rate(Duration.hours(1)),
            targets=[targets.LambdaFunction(function, retry_attempts=0)],
        )
        return function

    def _api(self) -> tuple[lambda_.DockerImageFunction, apigw.HttpApi]:
        """`famact serve` under the Lambda Web Adapter, behind an API Gateway HTTP API:
        HTTPS on the API's own domain (add a custom domain in the console or here), billed
        per request, throttled per route."""
        function = self._function(
            "Api",
            "api",
            cmd=[
                "python",
                "-m",
                "famact.app.aws_env",
                "famact",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "8080",
            ],
            entrypoint=None,
            memory=1024,
            timeout=Duration.seconds(29),
            environment={
                "AWS_LWA_PORT": "8080",
                "AWS_LWA_READINESS_CHECK_PATH": "/",
                # The admin login; one session secret for every instance of the function, so
                # a session signed by one is valid on the next.
                "FAMACT_SSM_PARAMETERS": _parameters(
                    FAMACT_ADMIN_PASSWORD_HASH=ADMIN_HASH_PARAMETER + "?",
                    FAMACT_SESSION_SECRET=SESSION_SECRET_PARAMETER + "?",
                ),
            },
            parameters=(ADMIN_HASH_PARAMETER, SESSION_SECRET_PARAMETER),
        )
        http_api = apigw.HttpApi(
            self,
            "HttpApi",
            description="famact search API and pages",
            default_integration=integrations.HttpLambdaIntegration("ApiIntegration", function),
        )
        stage = http_api.default_stage
        if stage is not None:
            cfn_stage = stage.node.default_child
            assert isinstance(cfn_stage, apigw.CfnStage)
            cfn_stage.default_route_settings = apigw.CfnStage.RouteSettingsProperty(
                throttling_rate_limit=API_RATE_PER_S, throttling_burst_limit=API_BURST
            )
        return function, http_api


def _image_options() -> dict[str, Any]:
    return {
        "directory": str(ROOT),
        "file": DOCKERFILE,
        "platform": ecr_assets.Platform.LINUX_ARM64,
        "exclude": IMAGE_EXCLUDE,
    }


def _budget(stack: Stack, settings: DeploySettings) -> None:
    """An AWS Budget besides the alarm: it also warns on the month's forecast."""
    subscriber = budgets.CfnBudget.SubscriberProperty(subscription_type="EMAIL", address=settings.alarm_email)
    budgets.CfnBudget(
        stack,
        "MonthlyBudget",
        budget=budgets.CfnBudget.BudgetDataProperty(
            budget_type="COST",
            time_unit="MONTHLY",
            budget_limit=budgets.CfnBudget.SpendProperty(amount=settings.monthly_budget_usd, unit="USD"),
        ),
        notifications_with_subscribers=[
            budgets.CfnBudget.NotificationWithSubscribersProperty(
                notification=budgets.CfnBudget.NotificationProperty(
                    notification_type=kind, comparison_operator="GREATER_THAN", threshold=100
                ),
                subscribers=[subscriber],
            )
            for kind in ("ACTUAL", "FORECASTED")
        ],
    )


class BillingAlarmStack(Stack):
    """The spend alarm: AWS publishes EstimatedCharges in us-east-1 only."""

    def __init__(self, scope: Construct, id: str, *, settings: DeploySettings, **kwargs: Any) -> None:
        super().__init__(scope, id, description="famact: spend alarm (us-east-1)", **kwargs)
        Tags.of(self).add("project", "famact")
        topic = sns.Topic(self, "SpendTopic", display_name="famact spend")
        if settings.alarm_email:
            topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        spend_alarm(self, topic, settings.monthly_budget_usd)
