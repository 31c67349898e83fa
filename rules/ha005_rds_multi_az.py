"""RDS DB instance is not Multi-AZ.

## What it does
Reports RDS DB instances without `multi_az = true` (`MultiAZ: true`). Aurora cluster members
(`aws_rds_cluster_instance`, or an instance with `db_cluster_identifier`) and read replicas
(`replicate_source_db` / `SourceDBInstanceIdentifier`) are exempt: their availability comes from
the cluster or the source.

## Why is this bad?
A single-AZ instance has no standby. When its zone fails, the database is down until AWS restores
the zone or someone restores a snapshot elsewhere, and writes since the last backup can be lost.
Multi-AZ keeps a synchronous standby in another zone and fails over in one to two minutes.

## Example
```hcl
resource "aws_db_instance" "main" {
  engine         = "postgres"
  instance_class = "db.r6g.large"
  multi_az       = false
}
```
```yaml
Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    MultiAZ: false
```

## Fix
```hcl
resource "aws_db_instance" "main" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
MultiAZ: true
```

A `multi_az` taken from a variable without a value leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified
from hadr_lint.ruleutil import is_set

RULE = Rule(
    id="HA005",
    name="rds-multi-az",
    severity="error",
    scope="az",
    kinds=("db_instance",),
    short="RDS DB instance is not Multi-AZ",
    description="A single-AZ RDS instance has no synchronous standby and is lost with its "
    "Availability Zone. Aurora members and read replicas are exempt.",
    tags=("reliability", "availability-zone", "rds"),
    equivalents={"checkov": "CKV_AWS_157", "cfn-lint": "none", "trivy": "none",
                 "kics": "2b1d4935-9acf-48a7-8466-10d18bf51a69 (CloudFormation)"},
)

NOT_RDS = ("aurora", "docdb", "neptune")


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for db in graph.resources("db_instance"):
        if is_set(db.get("cluster")) or is_set(db.get("replicate_source")):
            continue
        engine = db.get("engine")
        if isinstance(engine, str) and engine.startswith(NOT_RDS):
            continue
        multi_az = db.get("multi_az")
        if isinstance(multi_az, Unknown):
            yield unverified(db, f"multi_az unknown: {multi_az.reason}")
        elif multi_az is False:
            yield problem(db, "RDS DB instance is not Multi-AZ: a zone failure takes it down")
