"""No recovery strategy, RPO or RTO declared for a workload.

## What it does
Reports each workload whose recovery objectives are incomplete: no disaster-recovery strategy
(`backup-restore`, `pilot-light`, `warm-standby`, `active-active`), no RPO (how much data may be
lost) or no RTO (how long the service may be down). Objectives come from `objectives:` in
`.hadr-lint.yaml`, a `workloads:` entry for a folder, a CloudFormation template's `Metadata:
{HadrLint: {Strategy, RPO, RTO}}`, or `--strategy`, `--rpo`, `--rto`. The finding is on the workload
(`workload NAME`) and points where the workload is declared: the `workloads:` entry or `objectives:`
line of `.hadr-lint.yaml`, the template's `Metadata: HadrLint` line; declared only on the command
line, or not at all, the workload's root folder (line 1).

## Why is this bad?
Without declared objectives nobody can tell whether the infrastructure is good enough: OB002-OB005
compare the declaration with what the strategy and the infrastructure can deliver, and they stay
silent until there is something to compare. Writing the objectives down next to the code is also
how the team agrees on them.

## Example
A repository with a database and no objectives anywhere:
```hcl
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
```

## Fix
Declare them in `.hadr-lint.yaml` (for Terraform and CloudFormation alike), per folder if parts
of the repository differ:
```yaml
# .hadr-lint.yaml
objectives: {strategy: warm-standby, rpo: 1m, rto: 5m, primary_region: us-east-1}
workloads:
  - path: services/payments
    objectives: {strategy: active-active, rpo: 1s, rto: 30s}
```
or in the CloudFormation template itself:
```yaml
Metadata:
  HadrLint: {Strategy: pilot-light, RPO: 10m, RTO: 30m}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
```
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unverified
from hadr_lint.objectives.wording import assess, workload_label
from hadr_lint.rulebase import Rule, problem

RULE = Rule(
    id="OB001",
    name="objectives-undeclared",
    severity="note",
    scope="objectives",
    kinds=(),
    short="No recovery strategy, RPO or RTO declared for a workload",
    description="A workload without a declared DR strategy, RPO and RTO cannot be checked "
    "against what its infrastructure delivers.",
    tags=("disaster-recovery", "region", "objectives"),
    equivalents={},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for assessment in assess(graph, config):
        missing = assessment.workload.declared.missing()
        if not missing:
            continue
        what = ", ".join(missing)
        yield problem(
            assessment.anchor,
            f"no {what} declared for {workload_label(assessment)}: set objectives "
            f"(strategy, rpo, rto) in .hadr-lint.yaml or the template's Metadata HadrLint",
        )
