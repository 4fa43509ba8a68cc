"""Crawl nodes: EC2 instances (Amazon Linux 2023, arm64) whose systemd runs scrapyd in the
famact image (deploy/scrapyd/). Chosen over Fargate because scrapyd is a long-lived daemon
with state on disk (eggs, job database, logs), and a small instance costs less than an
always-on task of the same memory; a crawl window stops it when nothing is crawled."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from famact_deploy.settings import SCRAPYD_PORT, DeploySettings

SCRAPYD_DIR = Path(__file__).resolve().parent.parent / "scrapyd"
ROOT_VOLUME_GB = 16
TIMEZONE = "America/Los_Angeles"


def user_data(
    image: ecr_assets.DockerImageAsset, settings: DeploySettings, log_group: logs.ILogGroup
) -> ec2.UserData:
    """Install docker, write node.env, scrapyd.conf and the unit, and start it."""
    unit = (SCRAPYD_DIR / "famact-scrapyd.service").read_text()
    config = (SCRAPYD_DIR / "scrapyd.conf").read_text()
    region = Stack.of(log_group).region
    registry = f"{Stack.of(log_group).account}.dkr.ecr.{region}.amazonaws.com"
    data = ec2.UserData.for_linux()
    data.add_commands(
        "set -euo pipefail",
        "dnf install -y docker",
        "systemctl enable --now docker",
        "install -d -m 0755 /etc/famact /var/lib/scrapyd",
        "cat > /etc/famact/node.env <<'FAMACT_EOF'",
        f"FAMACT_IMAGE={image.image_uri}",
        f"FAMACT_REGISTRY={registry}",
        f"AWS_REGION={region}",
        f"FAMACT_TABLE_PREFIX={settings.table_prefix}",
        f"FAMACT_LOG_GROUP={log_group.log_group_name}",
        "FAMACT_EOF",
        "cat > /etc/famact/scrapyd.conf <<'FAMACT_EOF'",
        config.rstrip("\n"),
        "FAMACT_EOF",
        "cat > /etc/systemd/system/famact-scrapyd.service <<'FAMACT_EOF'",
        unit.rstrip("\n"),
        "FAMACT_EOF",
        "systemctl daemon-reload",
        "systemctl enable --now famact-scrapyd.service",
    )
    return data


class CrawlNodes(Construct):
    """`count` nodes in public subnets (they crawl the web; no NAT gateway to pay for),
    reachable on the scrapyd port only from `clients`."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc: ec2.IVpc,
        image: ecr_assets.DockerImageAsset,
        role: iam.Role,
        settings: DeploySettings,
        log_group: logs.ILogGroup,
    ) -> None:
        super().__init__(scope, id)
        self.security_group = ec2.SecurityGroup(
            self,
            "NodeSecurityGroup",
            vpc=vpc,
            description="famact crawl nodes: scrapyd from the orchestrator only",
        )
        self.instances: list[ec2.Instance] = []
        for n in range(settings.crawl_nodes):
            instance = ec2.Instance(
                self,
                f"Node{n + 1}",
                vpc=vpc,
                vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
                instance_type=ec2.InstanceType(settings.crawl_node_instance_type),
                machine_image=ec2.MachineImage.latest_amazon_linux2023(
                    cpu_type=ec2.AmazonLinuxCpuType.ARM_64
                ),
                role=role,
                security_group=self.security_group,
                user_data=user_data(image, settings, log_group),
                user_data_causes_replacement=True,
                require_imdsv2=True,
                block_devices=[
                    ec2.BlockDevice(
                        device_name="/dev/xvda",
                        volume=ec2.BlockDeviceVolume.ebs(
                            ROOT_VOLUME_GB, volume_type=ec2.EbsDeviceVolumeType.GP3, encrypted=True
                        ),
                    )
                ],
            )
            self.instances.append(instance)

    def allow_from(self, peer: ec2.ISecurityGroup) -> None:
        self.security_group.add_ingress_rule(
            peer, ec2.Port.tcp(SCRAPYD_PORT), "scrapyd API from the orchestrator"
        )

    @property
    def scrapyd_nodes(self) -> str:
        """FAMACT_SCRAPYD_NODES: every node's private address (kept across stop/start)."""
        return ",".join(f"http://{i.instance_private_ip}:{SCRAPYD_PORT}/" for i in self.instances)

    def add_window(self, settings: DeploySettings) -> None:
        """Start the nodes at the window's start and stop them at its end, every day
        (EventBridge Scheduler calling EC2 directly; nothing runs in between)."""
        if settings.always_on:
            return
        stack = Stack.of(self)
        arns = [
            stack.format_arn(service="ec2", resource="instance", resource_name=i.instance_id)
            for i in self.instances
        ]
        role = iam.Role(self, "WindowRole", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com"))
        role.add_to_policy(
            iam.PolicyStatement(actions=["ec2:StartInstances", "ec2:StopInstances"], resources=arns)
        )
        start, end = (
            settings.crawl_window_start_hour,
            settings.crawl_window_start_hour + settings.crawl_window_hours,
        )
        for name, hour, action in (("Start", start, "startInstances"), ("Stop", end % 24, "stopInstances")):
            scheduler.CfnSchedule(
                self,
                f"{name}Nodes",
                description=f"famact crawl window: {action} at {hour:02d}:00 {TIMEZONE}",
                schedule_expression=f"cron(0 {hour} * * ? *)",
                schedule_expression_timezone=TIMEZONE,
                flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
                target=scheduler.CfnSchedule.TargetProperty(
                    arn=f"arn:aws:scheduler:::aws-sdk:ec2:{action}",
                    role_arn=role.role_arn,
                    input=stack.to_json_string({"InstanceIds": [i.instance_id for i in self.instances]}),
                ),
            )
