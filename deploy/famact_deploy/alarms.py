"""CloudWatch alarms: DynamoDB throttling, failed crawl executions, the sources' success
rate, analyzer failures, and spend (in us-east-1, where AWS publishes billing metrics)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

from famact.app.cloudwatch import NAMESPACE

SUCCESS_RATE_FLOOR = 90  # percent of finished crawls in a day
FAILED_EXECUTIONS_PER_HOUR = 3


def _famact_metric(name: str, period: Duration) -> cloudwatch.Metric:
    return cloudwatch.Metric(namespace=NAMESPACE, metric_name=name, statistic="Sum", period=period)


class FamactAlarms(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        tables: dict[str, dynamodb.Table],
        analyzer: lambda_.IFunction,
        topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, id)
        five = Duration.minutes(5)
        throttles: dict[str, cloudwatch.IMetric] = {}
        for key, table in tables.items():
            throttles[f"r{key}"] = table.metric("ReadThrottleEvents", statistic="Sum", period=five)
            throttles[f"w{key}"] = table.metric("WriteThrottleEvents", statistic="Sum", period=five)
        self.throttling = cloudwatch.MathExpression(
            expression=" + ".join(f"FILL({name}, 0)" for name in throttles),
            using_metrics=throttles,
            period=five,
            label="throttled DynamoDB requests, all tables",
        ).create_alarm(
            self,
            "Throttling",
            alarm_description="DynamoDB throttled famact requests (the store retries; sustained is trouble)",
            threshold=0,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        hour = Duration.hours(1)
        self.failed_executions = _famact_metric("ExecutionsFailed", hour).create_alarm(
            self,
            "FailedExecutions",
            alarm_description=f"{FAILED_EXECUTIONS_PER_HOUR}+ crawls failed or vanished within an hour",
            threshold=FAILED_EXECUTIONS_PER_HOUR,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        day = Duration.days(1)
        self.success_rate = cloudwatch.MathExpression(
            expression="IF(finished > 0, 100 * succeeded / finished, 100)",
            using_metrics={
                "finished": _famact_metric("ExecutionsFinished", day),
                "succeeded": _famact_metric("ExecutionsSucceeded", day),
            },
            period=day,
            label="successful crawls, % of finished (all sources, one day)",
        ).create_alarm(
            self,
            "SourceSuccessRate",
            alarm_description=f"under {SUCCESS_RATE_FLOOR}% of the day's finished crawls succeeded",
            threshold=SUCCESS_RATE_FLOOR,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.analyzer_errors = analyzer.metric_errors(period=hour, statistic="Sum").create_alarm(
            self,
            "AnalyzerErrors",
            alarm_description="the analyzer function failed (a crash, not a source without a config)",
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        action = actions.SnsAction(topic)
        for alarm in (self.throttling, self.failed_executions, self.success_rate, self.analyzer_errors):
            alarm.add_alarm_action(action)


def spend_alarm(scope: Construct, topic: sns.ITopic, monthly_budget_usd: float) -> cloudwatch.Alarm:
    """The month's estimated charges past the budget (the metric exists in us-east-1 only,
    once billing alerts are enabled in the account's billing preferences)."""
    metric = cloudwatch.Metric(
        namespace="AWS/Billing",
        metric_name="EstimatedCharges",
        dimensions_map={"Currency": "USD"},
        statistic="Maximum",
        period=Duration.hours(6),
    )
    alarm = metric.create_alarm(
        scope,
        "Spend",
        alarm_description=f"estimated AWS charges this month passed ${monthly_budget_usd:g}",
        threshold=monthly_budget_usd,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluation_periods=1,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    alarm.add_alarm_action(actions.SnsAction(topic))
    return alarm
