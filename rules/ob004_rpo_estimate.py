"""The RPO the infrastructure can deliver exceeds the declared RPO.

## What it does
Estimates, for every stateful store of a workload, how much data a failure would lose, and
reports each store whose estimate exceeds the declared RPO (for the failure scope that gives the
larger loss):

* **Availability Zone loss**: 0 for data written synchronously to several zones (RDS Multi-AZ,
  Aurora, DocumentDB, Neptune, MemoryDB, Multi-AZ Redshift, DynamoDB, S3, EFS Standard); for
  single-zone data, the best copy elsewhere (RDS automated backups: 5 minutes; AWS Backup: its
  schedule); a single-AZ Redshift cluster is unknown (its node type decides).
* **Region loss**: the best copy in another region, the same copies DR005 counts. Asynchronous
  replication (DynamoDB global tables, Aurora Global Database, cross-region read replicas,
  DocumentDB and Neptune global clusters, MemoryDB Multi-Region): 1 second. S3 replication: 15
  minutes with Replication Time Control, unbounded without. EFS replication: 15 minutes. RDS
  automated backups replication: 5 minutes. Redshift cross-region snapshot copy: 8 hours (an
  automated snapshot every 8 hours or 5 GB per node of changes, each copied). AWS Backup copy
  actions: the longest gap of the rule's schedule, read from its `cron()` or `rate()`
  expression (`cron(0 5 * * ? *)` is 24h, `cron(0 */4 * * ? *)` 4h, `rate(12 hours)` 12h). No
  copy: unbounded, also when the store's region is unknown (nothing survives whatever its
  region is).
* ECR repositories and Secrets Manager secrets are artifacts and not counted, unless a team
  classes them as `workload` (`store_classes`): then ECR registry replication counts 30 minutes
  (AWS: most images replicate in under 30 minutes) and a secret replica 1 second (asynchronous).
* ElastiCache replication groups are caches and not counted, unless a team classes one as
  `workload`: then a member of its Global Datastore in another region counts 1 second
  (asynchronous replication, typically under a second).

Only workload data counts: buckets that receive logs (access logs, CloudTrail, flow logs,
Config) are left out, and a team can set a store's class in `.hadr-lint.yaml`
(`store_classes: {aws_s3_bucket.exports: workload, aws_s3_bucket.tmp: artifacts}`; classes:
`workload`, `logs`, `cache`, `artifacts`).

The message gives the evidence: which resource and attribute gave the number. A store whose
estimate depends on an unknown value (a schedule that cannot be read, a selection by unknown
tags, a region that cannot be resolved) is unverified. A declared RPO of 0 is met only by
synchronous copies: declare `1s` for "near zero" across regions.

## Why is this bad?
The RPO is the data the business agreed it can lose. A nightly backup copy gives up to 24 hours
of lost orders whatever the declaration says.

## Example
Declared `rpo: 1h`, but the only copy in another region is a daily AWS Backup copy:
```hcl
resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 * * ? *)"
    copy_action { destination_vault_arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr" }
  }
}
```
```yaml
Plan:
  Type: AWS::Backup::BackupPlan
  Properties:
    BackupPlan:
      BackupPlanName: daily
      BackupPlanRule:
        - RuleName: daily
          TargetBackupVault: main
          ScheduleExpression: cron(0 5 * * ? *)
          CopyActions:
            - DestinationBackupVaultArn: arn:aws:backup:us-west-2:123456789012:backup-vault:dr
```

## Fix
Copy more often (`cron(0 * * * ? *)` is hourly), or replicate the data continuously:
```hcl
schedule = "cron(0 * * * ? *)"
```
```yaml
ScheduleExpression: cron(0 * * * ? *)
```
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.store_classes import store_class
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.objectives.durations import format_duration
from hadr_lint.objectives.wording import assess, because, scope_text
from hadr_lint.rulebase import Rule, problem, unverified

NEAR_ZERO = " (only synchronous copies give 0; declare rpo: 1s for near zero)"

RULE = Rule(
    id="OB004",
    name="rpo-estimate",
    severity="error",
    scope="objectives",
    kinds=("db_instance", "db_cluster", "dynamodb_table", "s3_bucket", "efs_file_system",
           "ecr_repository", "secret"),
    short="The RPO the infrastructure can deliver exceeds the declared RPO",
    description="Estimates each stateful store's data loss for an Availability Zone and a "
    "region loss from its replication and backup copies, and compares it with the declared "
    "RPO.",
    tags=("disaster-recovery", "region", "availability-zone", "objectives", "rpo"),
    equivalents={},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for assessment in assess(graph, config):
        declared = assessment.workload.declared.rpo
        if declared is None:
            continue
        for store in assessment.stores:
            yield from _check_store(assessment, store, declared,
                                    store_class(graph, store, config))


def _check_store(assessment, store, declared: float, kind):
    pending = None
    for scope in ("region", "az"):
        found = assessment.store_rpo[scope][store.address]
        if found.exceeds(declared):
            hint = NEAR_ZERO if declared == 0 and found.value_seconds <= 1 else ""
            message = (f"RPO for {scope_text(scope)} is {found.text}, above the declared "
                       f"{format_duration(declared)}: {because(found, 1, store.name)}{hint}")
            if isinstance(kind, Unknown):
                yield unverified(store, f"{message}, unless it only holds logs: {kind.reason}")
            else:
                yield problem(store, message)
            return
        if not found.known and pending is None:
            pending = (scope, found)
    if pending is not None:
        scope, found = pending
        yield unverified(store, f"RPO for {scope_text(scope)} unknown: {found.unknown_reason}")
