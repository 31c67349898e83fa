"""Data store has no copy in another region, though the DR strategy needs one.

## What it does
When a store's workload declares a multi-region strategy (`pilot-light`, `warm-standby` or
`active-active`, in `objectives:` or `workloads:` of `.hadr-lint.yaml`, a template's
`Metadata: HadrLint`, or `--strategy`), reports every RDS instance, Aurora, DocumentDB, Neptune,
Redshift and MemoryDB cluster, DynamoDB table, S3 bucket and EFS file system of that workload that
has no copy in another region. Copies that count:

* DynamoDB global table replicas (`replica { region_name }`, `aws_dynamodb_table_replica`,
  `AWS::DynamoDB::GlobalTable` `Replicas`);
* S3 replication to a bucket in another region (`aws_s3_bucket_replication_configuration`, inline
  `replication_configuration`, `ReplicationConfiguration`); same-region replication does not;
* an Aurora global database with a member cluster in another region (`aws_rds_global_cluster`,
  `global_cluster_identifier`), or a cross-region replica cluster;
* RDS cross-region read replicas (`replicate_source_db` naming this instance, by reference or
  ARN) and cross-region automated backup replication
  (`aws_db_instance_automated_backups_replication`, `AutomaticBackupReplicationRegion`);
* EFS replication to another region (`aws_efs_replication_configuration`,
  `ReplicationConfiguration`);
* DocumentDB and Neptune global clusters with a member in another region
  (`aws_docdb_global_cluster`, `aws_neptune_global_cluster`, `global_cluster_identifier`,
  `GlobalClusterIdentifier`);
* Redshift cross-region snapshot copy (`aws_redshift_snapshot_copy`, `snapshot_copy`,
  `DestinationRegion`);
* MemoryDB Multi-Region clusters with a regional cluster in another region
  (`multi_region_cluster_name`, `MultiRegionClusterName`).

ElastiCache is not checked: a cache is usually rebuilt rather than restored. A team that classes a
replication group as `workload` (`store_classes`: a Redis that holds sessions or queues) has it
checked, with an ElastiCache Global Datastore member in another region as its copy
(`aws_elasticache_global_replication_group` and the secondaries' `global_replication_group_id`;
`AWS::ElastiCache::GlobalReplicationGroup` `Members`). ECR repositories and Secrets Manager secrets
are artifacts the workload runs from, not its data (OB003 needs them in the DR region); a team that
classes one as `workload` (`store_classes`) has it checked here, with ECR registry replication
(`aws_ecr_replication_configuration`, `AWS::ECR::ReplicationConfiguration`, a rule whose prefix
filters match the repository) and secret replicas (`replica { region }`, `ReplicaRegions`) as its
copies.

Stores that are themselves replicas or secondaries are exempt. So are S3 buckets that receive
logs, which are per-region operational records, not the data a DR strategy restores:

* S3 server access logs (`logging { target_bucket }`, `aws_s3_bucket_logging`,
  `LoggingConfiguration.DestinationBucketName`);
* load balancer access logs, when enabled (`aws_lb`/`aws_alb` `access_logs` with
  `enabled = true`, `aws_elb` `access_logs`, the `access_logs.s3.enabled` / `access_logs.s3.bucket`
  load balancer attributes, the classic `AccessLoggingPolicy`);
* CloudTrail (`aws_cloudtrail` `s3_bucket_name` with logging on, `AWS::CloudTrail::Trail`
  `S3BucketName`);
* VPC flow logs delivered to S3 (`aws_flow_log` / `AWS::EC2::FlowLog` with destination type `s3`;
  the destination ARN may carry a key prefix, also when built from the bucket's ARN:
  `"${aws_s3_bucket.logs.arn}/vpc/"`, `!Sub "${Logs.Arn}/vpc/"`);
* AWS Config (`aws_config_delivery_channel` / `AWS::Config::DeliveryChannel` `S3BucketName`);
* S3 inventory reports (`aws_s3_bucket_inventory` `destination`, `InventoryConfigurations`).

A bucket's own access logs or inventory written into itself do not exempt it. A log delivery
whose bucket, or whether it is enabled, cannot be resolved leaves the check unverified for the
buckets it may designate. A team can set a store's class in `.hadr-lint.yaml`
(`store_classes: {aws_s3_bucket.audit: workload, aws_s3_bucket.tmp: artifacts}`): only
`workload` stores are checked. A workload without a declared strategy, or with `backup-restore`,
is not checked.

## Why is this bad?
Pilot light, warm standby and active-active all promise that the data is already in the recovery
region when the primary region fails. A store that exists in one region only turns that promise
into a restore from backup (if there is one) measured in hours, and loses everything written
since.

## Example
```hcl
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
```
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    TableName: orders
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
```

## Fix
```hcl
resource "aws_dynamodb_table" "orders" {
  # ...
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  replica { region_name = "us-west-2" }
}
```
```yaml
Orders:
  Type: AWS::DynamoDB::GlobalTable
  Properties:
    TableName: orders
    # ...
    Replicas:
      - Region: us-east-1
      - Region: us-west-2
```

A copy whose region cannot be resolved (an ARN without a region, a variable without a value),
or a global database none of whose other clusters is among the scanned files, leaves the check
unverified. The RPO estimates (OB004, the posture report) read the same copies: each kind's
typical lag is in `hadr-lint explain OB004`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.copies import STORE_KINDS, copies
from hadr_lint.analysis.region_scope import copy_strategies, region_of
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="DR005",
    name="no-cross-region-copy",
    severity="error",
    scope="region",
    kinds=STORE_KINDS,
    short="Data store has no copy in another region, though the DR strategy needs one",
    description="With a pilot-light, warm-standby or active-active strategy, an RDS instance, "
    "Aurora, DocumentDB, Neptune, Redshift or MemoryDB cluster, DynamoDB table, S3 bucket or EFS "
    "file system with no replica in another region is lost with its region.",
    tags=("reliability", "region", "data", "replication"),
    equivalents={"checkov": "CKV_AWS_144 (S3 replication; region not checked)", "cfn-lint": "none",
                 "trivy": "none"},
)

NAMES = {
    "db_instance": "RDS DB instance", "db_cluster": "Aurora cluster",
    "dynamodb_table": "DynamoDB table", "s3_bucket": "S3 bucket",
    "efs_file_system": "EFS file system", "docdb_cluster": "DocumentDB cluster",
    "neptune_cluster": "Neptune cluster", "redshift_cluster": "Redshift cluster",
    "memorydb_cluster": "MemoryDB cluster", "ecr_repository": "ECR repository",
    "secret": "Secrets Manager secret",
    "cache_replication_group": "ElastiCache replication group",
}


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    strategies = copy_strategies(graph, config)
    for store in graph.resources(*STORE_KINDS):
        strategy = strategies.get(store.address)
        if strategy is None:
            continue
        exempt, regions = copies(graph, store, config)
        if exempt is not True:
            yield from _judge(store, regions, config, strategy, exempt)


def _judge(store, regions, config, strategy, exempt):
    regions = [r if isinstance(r, (str, Unknown)) else Unknown(f"region {r} known only after "
               "apply") for r in regions]
    own = region_of(store, config)
    if regions and isinstance(own, Unknown):
        yield unverified(store, f"region unknown: {own.reason}")
        return
    if any(isinstance(r, str) and r != own for r in regions):
        return
    unknown = next((r for r in regions if isinstance(r, Unknown)), None)
    if unknown is not None:
        yield unverified(store, f"a copy's region is unknown: {unknown.reason}")
        return
    if isinstance(exempt, Unknown):
        yield unverified(store, exempt.reason)
        return
    where = f"only in {own}" if isinstance(own, str) else "in one region"
    yield problem(store, f"{NAMES[store.kind]} has no copy in another region (it lives {where}), "
                  f"but the declared strategy is {strategy}")
