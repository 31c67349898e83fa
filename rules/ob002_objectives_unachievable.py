"""Declared RPO or RTO is tighter than the declared strategy can deliver.

## What it does
Compares the declared RPO and RTO with what the declared disaster-recovery strategy can deliver
at best, from the reference table (AWS whitepaper "Disaster Recovery of Workloads on AWS:
Recovery in the Cloud", and the project's reference notes, "DR Strategies"):

| strategy | RPO | RTO |
|---|---|---|
| backup-restore | 24 hours | hours (bound: 24h) |
| pilot-light | ~10 minutes | ~10 minutes |
| warm-standby | ~1 minute | ~1 minute |
| active-active | near zero | near zero (bound: 0) |

The message names the cheapest strategy that can meet the declaration. Teams change the table
with `strategies:` in `.hadr-lint.yaml` (e.g. `strategies: {pilot-light: {rpo: 15m, rto: 30m}}`).
The finding points at the workload's first stateful store, else its first resource.

## Why is this bad?
An objective the strategy cannot deliver is a promise that breaks on the day of the disaster:
restoring last night's backup cannot give a one-minute RPO however well it is run. Either the
objective is wrong, or the strategy (and its cost) must change.

## Example
```hcl
# .hadr-lint.yaml: objectives: {strategy: backup-restore, rpo: 1h, rto: 4h}
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
Metadata:
  HadrLint: {Strategy: pilot-light, RPO: 1m, RTO: 5m}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
```

## Fix
Pick a strategy that can meet the objectives (here warm-standby), or relax the objectives:
```hcl
# .hadr-lint.yaml: objectives: {strategy: backup-restore, rpo: 24h, rto: 24h}
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
Metadata:
  HadrLint: {Strategy: warm-standby, RPO: 1m, RTO: 5m}
```
"""

from __future__ import annotations

from hadr_lint.objectives.durations import format_duration
from hadr_lint.objectives.strategies import cheapest_for, table
from hadr_lint.objectives.wording import assess, workload_label
from hadr_lint.rulebase import Rule, problem

RULE = Rule(
    id="OB002",
    name="objectives-unachievable",
    severity="error",
    scope="objectives",
    kinds=(),
    short="Declared RPO or RTO is tighter than the declared strategy can deliver",
    description="The declared strategy cannot deliver the declared RPO or RTO even when "
    "implemented perfectly; the message names the cheapest strategy that can.",
    tags=("disaster-recovery", "region", "objectives"),
    equivalents={},
)


def check(graph, config):
    strategies = table(config.strategies)
    for assessment in assess(graph, config):
        declared = assessment.workload.declared
        if declared.strategy is None:
            continue
        strategy = strategies[declared.strategy]
        short = [
            f"{name} {format_duration(wanted)} is tighter than {strategy.name} can deliver "
            f"({text})"
            for name, wanted, bound, text in (
                ("RPO", declared.rpo, strategy.rpo, strategy.rpo_text),
                ("RTO", declared.rto, strategy.rto, strategy.rto_text),
            )
            if wanted is not None and wanted < bound
        ]
        if short:
            yield problem(assessment.anchor, f"declared {' and '.join(short)} for "
                          f"{workload_label(assessment)}; {_advice(declared, strategies)}")


def _advice(declared, strategies) -> str:
    found = cheapest_for(declared.rpo, declared.rto, strategies)
    if found is None:
        return "no strategy in the reference table can: relax the objectives"
    return (f"the cheapest strategy that can is {found.name} (RPO {found.rpo_text}, "
            f"RTO {found.rto_text})")
