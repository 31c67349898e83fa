"""Stateful resource whose data is deleted with it.

## What it does
Looks at what happens to the data of a stateful resource (RDS, Aurora, Neptune and DocumentDB
databases, DynamoDB tables, EFS file systems, S3 buckets, Backup vaults) when the IaC tool deletes
or replaces it:

* CloudFormation: a `DeletionPolicy` or `UpdateReplacePolicy` that is (or defaults to) `Delete`.
  The defaults are CloudFormation's: `Snapshot` on deletion for `AWS::RDS::DBCluster` and for
  `AWS::RDS::DBInstance` without `DBClusterIdentifier`, `Delete` for every other type and for
  every `UpdateReplacePolicy` (warning).
* Terraform databases with `skip_final_snapshot = true`, or without `final_snapshot_identifier`
  (warning).
* Terraform stateful resources without `lifecycle { prevent_destroy = true }` (note: many teams
  protect state otherwise). Plan JSON does not record `lifecycle`, so this part is unverified
  there.
* S3 buckets and Backup vaults are exempt while AWS refuses to delete them non-empty (as in
  cfn-lint I3011), but `force_destroy = true` is reported (warning).

Aurora members and read replicas are exempt, and so are stores that hold no workload data:
buckets that receive logs (access logs, CloudTrail, flow logs, Config), or a store a team marks
`logs`, `cache` or `artifacts` in `.hadr-lint.yaml` (`store_classes:`); so is a resource with
deletion protection on, except for the final snapshot (HE001 covers deletion protection).

## Why is this bad?
A renamed logical id, a property change that forces replacement, or a stack deleted by mistake
makes the IaC tool delete the old resource, and its data with it. Replication does not help: it
copies the deletion. A Snapshot or Retain policy, a final snapshot or `prevent_destroy` keeps a
copy to restore from.

## Example
```hcl
resource "aws_db_instance" "orders" {
  engine              = "postgres"
  skip_final_snapshot = true
}
```
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
```

## Fix
```hcl
resource "aws_db_instance" "orders" {
  engine                    = "postgres"
  final_snapshot_identifier = "orders-final"

  lifecycle {
    prevent_destroy = true
  }
}
```
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  DeletionPolicy: Retain
  UpdateReplacePolicy: Retain
  Properties:
    BillingMode: PAY_PER_REQUEST
```

A policy or setting taken from a parameter or variable without a value leaves the check
unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.recoverability import EMPTY_BEFORE_DELETE, STATEFUL_KINDS, is_member
from hadr_lint.analysis.store_classes import NOT_WORKLOAD, store_class
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import SEVERITIES, Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HE002",
    name="retain-on-delete",
    severity="warning",
    scope="human",
    kinds=STATEFUL_KINDS,
    short="Stateful resource whose data is deleted with it (no Retain/Snapshot policy, final "
    "snapshot or prevent_destroy)",
    description="Stateful resources that CloudFormation or Terraform deletes together with their "
    "data when the resource is removed, replaced or its stack deleted.",
    tags=("human-error", "deletion-policy", "backup"),
    equivalents={
        "cfn-lint": "I3011 (stateful resources without DeletionPolicy/UpdateReplacePolicy)",
        "checkov": "none found (no final-snapshot or prevent_destroy check)",
    },
)

DB_NAMES = {
    "db_instance": "RDS DB instance",
    "db_cluster": "RDS DB cluster",
    "neptune_cluster": "Neptune cluster",
    "docdb_cluster": "DocumentDB cluster",
}


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for resource in graph.resources(*STATEFUL_KINDS):
        if resource.kind == "db_instance" and is_member(resource):
            continue
        kind = store_class(graph, resource, config)
        if kind in NOT_WORKLOAD:
            continue
        issues, unknown = _issues(resource)
        if issues and isinstance(kind, Unknown):
            yield unverified(resource, "; ".join(m for _, m in issues) + ", unless it only "
                             f"holds logs: {kind.reason}")
        elif issues:
            severity = max((s for s, _ in issues), key=SEVERITIES.index)
            yield problem(resource, "; ".join(m for _, m in issues), severity=severity)
        elif unknown:
            yield unverified(resource, "; ".join(unknown))


def _issues(resource):
    issues, unknown = [], []
    checks = [_final_snapshot]
    if resource.kind in EMPTY_BEFORE_DELETE:
        checks = [_force_destroy]
    elif resource.get("deletion_protection") is not True:
        checks += [_policy("retain_on_delete", "DeletionPolicy", "deleting the stack or "
                           "removing the resource deletes its data"),
                   _policy("retain_on_replace", "UpdateReplacePolicy", "a change that replaces "
                           "it deletes the old data"),
                   _prevent_destroy]
    for one in checks:
        found = one(resource)
        if isinstance(found, Unknown):
            unknown.append(found.reason)
        elif found:
            issues.append(found)
    if any(s != "note" for s, _ in issues):
        issues = [i for i in issues if i[0] != "note"]
    return issues, unknown


def _policy(attribute, setting, consequence):
    def read(resource):
        keeps = resource.get(attribute)
        if isinstance(keeps, Unknown):
            return keeps
        if keeps is False:
            return "warning", f"{setting} is Delete: {consequence} (use Retain or Snapshot)"
        return None

    return read


def _final_snapshot(resource):
    skip = resource.get("skip_final_snapshot")
    if isinstance(skip, Unknown):
        return Unknown(f"skip_final_snapshot unknown: {skip.reason}")
    name = DB_NAMES.get(resource.kind, "Database")
    if skip is True:
        return "warning", f"{name} skips its final snapshot: destroying it loses the data"
    identifier = resource.get("final_snapshot_identifier")
    if isinstance(identifier, Unknown) or skip is None:
        return None
    if identifier is None:
        return "warning", (f"{name} has no final_snapshot_identifier: destroy fails until "
                           "someone sets skip_final_snapshot = true, which loses the data")
    return None


def _force_destroy(resource):
    forced = resource.get("force_destroy")
    if isinstance(forced, Unknown):
        return Unknown(f"force_destroy unknown: {forced.reason}")
    if forced is True:
        return "warning", "force_destroy = true: destroying it deletes everything it holds"
    return None


def _prevent_destroy(resource):
    prevent = resource.get("prevent_destroy")
    if isinstance(prevent, Unknown):
        return prevent
    if prevent is False:
        return "note", "no lifecycle prevent_destroy: a destroy or replacement deletes its data"
    return None
