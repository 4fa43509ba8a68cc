"""The famact CDK app: `cdk synth` / `cdk deploy` run this (see deploy/README.md).

Settings come from cdk.json's `famact:*` context keys (override one with
`cdk deploy -c famact:crawlNodes=2`). The account is the CLI's; nothing here is looked up
in AWS at synth time, so `cdk synth` works without credentials.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import aws_cdk as cdk

sys.path.insert(0, str(Path(__file__).resolve().parent))

from famact_deploy.settings import DeploySettings
from famact_deploy.stack import BillingAlarmStack, FamactStack


def build(app: cdk.App) -> tuple[FamactStack, BillingAlarmStack]:
    settings = DeploySettings.from_context(app.node)
    account = os.environ.get("CDK_DEFAULT_ACCOUNT")
    main = FamactStack(
        app, "Famact", settings=settings, env=cdk.Environment(account=account, region=settings.region)
    )
    # AWS publishes the billing metric in us-east-1 only, so its alarm lives there.
    billing = BillingAlarmStack(
        app, "FamactBilling", settings=settings, env=cdk.Environment(account=account, region="us-east-1")
    )
    return main, billing


if __name__ == "__main__":
    app = cdk.App()
    build(app)
    app.synth()
