"""The famact AWS CDK app: tables from famact/tables.py, per-role IAM, crawl nodes, the
orchestrator, the analyzer and API functions, and the alarms."""
