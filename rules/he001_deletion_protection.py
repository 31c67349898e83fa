"""Database or public load balancer without deletion protection.

## What it does
Reports RDS DB instances and clusters, Aurora global databases (`aws_rds_global_cluster`,
`AWS::RDS::GlobalCluster`), Neptune and DocumentDB clusters and DynamoDB tables without
deletion protection (`deletion_protection`, `deletion_protection_enabled`;
`DeletionProtection`, `DeletionProtectionEnabled`), and internet-facing load balancers without
`enable_deletion_protection` (`deletion_protection.enabled` in `LoadBalancerAttributes`). Aurora
members and read replicas are exempt (the cluster or the source holds the data); internal load
balancers and Classic Load Balancers (which have no such setting) are exempt too.

Databases are reported as errors, except a DynamoDB table with point-in-time recovery, which AWS
keeps a 35-day backup of after deletion (warning); load balancers and global databases (which
cannot be deleted while regional clusters are attached) as warnings.

## Why is this bad?
Replication and Multi-AZ do not help against a person or a pipeline deleting the resource: the
deletion is replicated too. A mistaken `terraform destroy` in the wrong workspace, a stack deleted
by a cleanup script or a console click removes the database and its automated backups, or the load
balancer whose DNS name every client resolves. Deletion protection makes the API refuse until
someone deliberately turns it off.

## Example
```hcl
resource "aws_db_instance" "orders" {
  engine              = "postgres"
  instance_class      = "db.r6g.large"
  deletion_protection = false
}

resource "aws_lb" "public" {
  internal                   = false
  enable_deletion_protection = false
}
```
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    DeletionProtectionEnabled: false
```

## Fix
```hcl
resource "aws_db_instance" "orders" {
  deletion_protection = true
}

resource "aws_lb" "public" {
  enable_deletion_protection = true
}
```
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    DeletionProtectionEnabled: true
```

A value taken from a variable without a value leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.recoverability import DB_KINDS, is_member
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HE001",
    name="deletion-protection",
    severity="error",
    scope="human",
    kinds=DB_KINDS + ("db_global_cluster", "dynamodb_table", "load_balancer"),
    short="Database or internet-facing load balancer without deletion protection",
    description="Databases (RDS, Aurora, Neptune, DocumentDB, DynamoDB) and internet-facing load "
    "balancers without deletion protection can be deleted by one mistaken command; replication "
    "copies the deletion.",
    tags=("human-error", "deletion-protection", "rds", "dynamodb", "load-balancer"),
    equivalents={
        "checkov": "CKV_AWS_293 (RDS instance), CKV_AWS_139 (RDS cluster), CKV_AWS_150 (LB), "
        "CKV2_AWS_58 (Neptune); none for DynamoDB or DocumentDB",
        "cfn-lint": "none",
        "trivy": "AVD-AWS-0177 (RDS instance), AVD-AWS-0343 (RDS cluster)",
        "kics": "afecd1f1-6378-4f7e-bb3b-60c35801fdd4 (ALB)",
    },
)

NAMES = {
    "db_instance": "RDS DB instance",
    "db_cluster": "RDS DB cluster",
    "neptune_cluster": "Neptune cluster",
    "docdb_cluster": "DocumentDB cluster",
    "db_global_cluster": "Aurora global database",
    "dynamodb_table": "DynamoDB table",
    "load_balancer": "Internet-facing load balancer",
}


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for resource in graph.resources(*RULE.kinds):
        if resource.kind == "db_instance" and is_member(resource):
            continue
        if resource.kind == "load_balancer":
            internal = resource.get("internal")
            if isinstance(internal, Unknown):
                yield unverified(resource, f"scheme unknown: {internal.reason}")
                continue
            if internal is not False:
                continue
        yield from _protection(resource)


def _protection(resource):
    protected = resource.get("deletion_protection")
    if isinstance(protected, Unknown):
        yield unverified(resource, f"deletion protection unknown: {protected.reason}")
    elif protected is False:
        yield problem(resource, f"{NAMES[resource.kind]} has no deletion protection: one "
                      f"mistaken delete removes it{_consequence(resource)}",
                      severity=_severity(resource))


def _severity(resource):
    if resource.kind in ("load_balancer", "db_global_cluster") or resource.get("pitr") is True:
        return "warning"
    return "error"


def _consequence(resource):
    if resource.kind == "load_balancer":
        return " and the DNS name clients use"
    if resource.kind == "db_global_cluster":
        return " once its regional clusters are detached, and with it the cross-region setup"
    if resource.get("pitr") is True:
        return " (a PITR system backup is kept 35 days)"
    return " with its automated backups"
