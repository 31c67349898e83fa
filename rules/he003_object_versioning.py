"""S3 bucket without object versioning.

## What it does
Reports S3 buckets whose versioning is neither enabled inline (`versioning { enabled = true }`,
`VersioningConfiguration: {Status: Enabled}`) nor by an `aws_s3_bucket_versioning` resource
that refers to the bucket (by reference or by name) with status `Enabled`. `Suspended` counts as
off. The message says when the bucket is a replication source or destination.

A bucket that only receives logs is still reported, at severity `note`, with the logs it receives
named: S3 server access logs (`logging { target_bucket }`, `aws_s3_bucket_logging`,
`LoggingConfiguration`), load balancer access logs (`aws_lb`/`aws_alb`/`aws_elb` `access_logs`
when enabled, `access_logs.s3.*` load balancer attributes, `AccessLoggingPolicy`), CloudTrail
(`aws_cloudtrail`, `AWS::CloudTrail::Trail`), VPC flow logs delivered to S3 (`aws_flow_log`,
`AWS::EC2::FlowLog`), AWS Config (`aws_config_delivery_channel`, `AWS::Config::DeliveryChannel`)
and S3 inventory reports (`aws_s3_bucket_inventory`, `InventoryConfigurations`). Audit logs still
benefit from versioning or Object Lock (deleting logs is a common way to hide an intrusion), but
they are not the workload data this rule protects first. A bucket that is also a replication
source or destination keeps the warning, and so does a bucket whose own access logs or inventory
go into itself. A log delivery whose bucket, or whether it is enabled, cannot be resolved does not
lower the severity.

## Why is this bad?
Without versioning, an object that a person, a script or a faulty deployment overwrites or
deletes is gone. Replication does not help: it copies the overwrite and, with delete-marker
replication, the deletion. Versioning keeps the previous versions to restore from (add a lifecycle
rule to expire old versions), and S3 replication requires it on both buckets anyway.

## Example
```hcl
resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
}
```
```yaml
Invoices:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: acme-invoices
```

## Fix
```hcl
resource "aws_s3_bucket_versioning" "invoices" {
  bucket = aws_s3_bucket.invoices.id
  versioning_configuration {
    status = "Enabled"
  }
}
```
```yaml
Invoices:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: acme-invoices
    VersioningConfiguration:
      Status: Enabled
```

A versioning status from a variable without a value, or a versioning resource whose bucket cannot
be resolved, leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.log_deliveries import received_logs
from hadr_lint.analysis.recoverability import replication_roles, versioning
from hadr_lint.analysis.store_classes import store_class
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HE003",
    name="object-versioning",
    severity="warning",
    scope="human",
    kinds=("s3_bucket",),
    short="S3 bucket without object versioning",
    description="An S3 bucket without versioning cannot restore an object that was overwritten "
    "or deleted by mistake; replication copies the mistake.",
    tags=("human-error", "s3", "versioning"),
    equivalents={"checkov": "CKV_AWS_21", "cfn-lint": "none", "trivy": "AVD-AWS-0090",
                 "kics": "568a4d22-3517-44a6-a7ad-6a7eed88722c"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for bucket in graph.resources("s3_bucket"):
        state = versioning(graph, bucket)
        if isinstance(state, Unknown):
            yield unverified(bucket, f"versioning unknown: {state.reason}")
        elif state is False:
            yield _unversioned(graph, bucket, config)


def _unversioned(graph, bucket, config):
    roles = replication_roles(graph, bucket)
    logs = []
    if not roles and store_class(graph, bucket, config) == "logs":
        logs = received_logs(graph, bucket)[0] or ["logs"]
    if logs:
        return problem(bucket, f"S3 bucket receives {_join(logs)} and has no versioning: a "
                       "deleted or overwritten log object cannot be restored", severity="note")
    return problem(bucket, _message(roles))


def _join(items):
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _message(roles):
    if roles:
        return (f"S3 bucket is a replication {' and '.join(roles)} without versioning: S3 "
                "replication requires versioning on both buckets, and an overwritten or deleted "
                "object cannot be restored")
    return "S3 bucket has no versioning: an overwritten or deleted object cannot be restored"
