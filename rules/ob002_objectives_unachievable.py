"""Declared RPO or RTO is tighter than any setup of the declared strategy can deliver.

## What it does
Compares the declared RPO and RTO with the *floor* of the declared disaster-recovery strategy:
the tightest values any configuration of it can deliver, however well it is built. Typical
values come from the AWS whitepaper "Disaster Recovery of Workloads on AWS: Recovery in the
Cloud" and the project's reference notes; the floors say why no setup does better:

| strategy | typical RPO / RTO | RPO floor | RTO floor |
|---|---|---|---|
| backup-restore | 24 hours / hours | 5m (continuous backups) | the `restore` step (4h) |
| pilot-light | ~10 minutes | 1s (asynchronous replication) | the `scale_out` step (5m) |
| warm-standby | ~1 minute | 1s (asynchronous replication) | the `scale_up` step (1m) |
| active-active | near zero | 0 | 0 |

Continuous backups (point-in-time recovery) restore to within about five minutes: no backup gives
less. The RTO floors follow `recovery_steps:` in `.hadr-lint.yaml` (e.g. `recovery_steps: {restore:
1h}` for a small stack restored by automation), and `strategies:` sets floors directly (e.g.
`strategies: {pilot-light: {rpo: 15m, rto: 30m}}`). A declaration above the floor but beyond what
*this* infrastructure delivers is OB004's and OB005's business. The message names the cheapest
strategy whose floors meet the declaration. The finding is on the workload and points where the
workload is declared: the `workloads:` entry or `objectives:` line of `.hadr-lint.yaml`, the
template's `Metadata: HadrLint` line; declared only on the command line, or not at all, the
workload's root folder (line 1).

## Why is this bad?
An objective the strategy cannot deliver is a promise that breaks on the day of the disaster:
restoring a backup cannot give a one-minute RPO however often it is taken, and starting compute
from zero cannot give a one-minute RTO. Either the objective is wrong, or the strategy (and its
cost) must change.

## Example
```hcl
# .hadr-lint.yaml: objectives: {strategy: backup-restore, rpo: 1m, rto: 1h}
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
Metadata:
  HadrLint: {Strategy: pilot-light, RPO: 1m, RTO: 2m}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
```

## Fix
Pick a strategy that can meet the objectives (here warm-standby), or relax the objectives:
```hcl
# .hadr-lint.yaml: objectives: {strategy: backup-restore, rpo: 1h, rto: 8h}
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
Metadata:
  HadrLint: {Strategy: warm-standby, RPO: 1m, RTO: 2m}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unverified
from hadr_lint.objectives.durations import format_duration
from hadr_lint.objectives.estimate import steps
from hadr_lint.objectives.strategies import cheapest_for, table
from hadr_lint.objectives.wording import assess, workload_label
from hadr_lint.rulebase import Rule, problem

RULE = Rule(
    id="OB002",
    name="objectives-unachievable",
    severity="error",
    scope="objectives",
    kinds=(),
    short="Declared RPO or RTO is tighter than any setup of the declared strategy can deliver",
    description="No configuration of the declared strategy can deliver the declared RPO or RTO "
    "(each strategy's floor is documented and configurable); the message names the cheapest "
    "strategy that can.",
    tags=("disaster-recovery", "region", "objectives"),
    equivalents={},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    strategies = table(config.strategies, steps(config))
    for assessment in assess(graph, config):
        declared = assessment.workload.declared
        if declared.strategy is None:
            continue
        strategy = strategies[declared.strategy]
        short = [
            f"{name} {format_duration(wanted)} is tighter than any {strategy.name} setup can "
            f"deliver (at best {format_duration(floor)}: {why})"
            for name, wanted, floor, why in (
                ("RPO", declared.rpo, strategy.rpo, strategy.rpo_floor_text),
                ("RTO", declared.rto, strategy.rto, strategy.rto_floor_text),
            )
            if wanted is not None and wanted < floor
        ]
        if short:
            yield problem(assessment.anchor, f"declared {' and '.join(short)} for "
                          f"{workload_label(assessment)}; {_advice(declared, strategies)}")


def _advice(declared, strategies) -> str:
    found = cheapest_for(declared.rpo, declared.rto, strategies)
    if found is None:
        return "no strategy can: relax the objectives"
    return (f"the cheapest strategy that can is {found.name} (at best RPO "
            f"{format_duration(found.rpo)}, RTO {format_duration(found.rto)}; typically "
            f"{found.rpo_text} and {found.rto_text})")
