"""The RTO the infrastructure can deliver exceeds the declared RTO.

## What it does
Estimates how long a workload is down and reports when the estimate exceeds the declared RTO:

* **Region loss** (needs a declared strategy): detection + DNS TTL + the strategy's recovery
  step. Detection is the Route 53 health check's `failure_threshold x request_interval`
  (defaults 3 x 30 s) on the records that route between regions; a `CALCULATED` check follows
  the child whose failure takes it below its health threshold (threshold 1 or none: the slowest
  child; all children: the fastest; 0: never, so failover is not automatic), a
  `CLOUDWATCH_METRIC` check its alarm's `period x evaluation_periods` (unknown when the alarm is
  not scanned or uses metric math); without health-checked routing
  failover is manual and unbounded (set `recovery_steps: {manual_failover: 30m}` to count a
  rehearsed manual switch). The TTL is the record's `ttl`, 60 s for an alias to a load balancer.
  Recovery steps (defaults, configurable in `recovery_steps:`): `restore` 4h (backup-restore),
  `scale_out` 5m (pilot-light: start compute from zero), `scale_up` 1m (warm-standby), 0 for
  active-active.
* **Availability Zone loss**: the slowest store failover: RDS Multi-AZ 2 min (AWS: typically
  60-120 s), Aurora with a replica 30 s, Aurora with one instance 10 min, single-AZ data the
  `restore` step, regional services 0.

The message gives each contribution and the resource it comes from. The finding points at the first
resource its evidence names: the health check or record (region), the slowest store (zone); when the
evidence names none (manual failover), where the workload is declared: the `workloads:` entry or
`objectives:` line of `.hadr-lint.yaml`, the template's `Metadata: HadrLint` line; declared only on
the command line, or not at all, the workload's root folder (line 1). Unknown inputs leave it
unverified.

## Why is this bad?
The RTO is how long the business agreed to be down. A health check that takes 90 seconds to
notice, a 300-second TTL and servers that must boot first add up to more than a five-minute
promise.

## Example
Declared `warm-standby` with `rto: 2m`, a slow health check and a long TTL:
```hcl
resource "aws_route53_health_check" "primary" {
  fqdn              = "primary.example.com"
  type              = "HTTPS"
  failure_threshold = 5
  request_interval  = 30
}
```
```yaml
PrimaryCheck:
  Type: AWS::Route53::HealthCheck
  Properties:
    HealthCheckConfig: {Type: HTTPS, FullyQualifiedDomainName: primary.example.com,
                        FailureThreshold: 5, RequestInterval: 30}
```

## Fix
Detect faster and shorten the TTL (or relax the RTO):
```hcl
resource "aws_route53_health_check" "primary" {
  fqdn              = "primary.example.com"
  type              = "HTTPS"
  failure_threshold = 2
  request_interval  = 10
}
```
```yaml
HealthCheckConfig: {Type: HTTPS, FullyQualifiedDomainName: primary.example.com,
                    FailureThreshold: 2, RequestInterval: 10}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unverified
from hadr_lint.objectives.durations import format_duration
from hadr_lint.objectives.wording import assess, because, scope_text
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="OB005",
    name="rto-estimate",
    severity="error",
    scope="objectives",
    kinds=("dns_record", "health_check", "db_instance", "db_cluster"),
    short="The RTO the infrastructure can deliver exceeds the declared RTO",
    description="Estimates the downtime of a region loss (detection + DNS TTL + recovery step) "
    "and of a zone loss (store failover), and compares it with the declared RTO.",
    tags=("disaster-recovery", "region", "availability-zone", "objectives", "rto"),
    equivalents={},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for assessment in assess(graph, config):
        declared = assessment.workload.declared.rto
        if declared is None:
            continue
        for scope in ("region", "az"):
            if scope == "region" and assessment.workload.declared.strategy is None:
                continue
            yield from _check_scope(graph, assessment, scope, declared)


def _check_scope(graph, assessment, scope: str, declared: float):
    found = assessment.rto[scope]
    target = _target(graph, assessment, found)
    if found.exceeds(declared):
        yield problem(target, f"RTO for {scope_text(scope)} is {found.text}, above the declared "
                      f"{format_duration(declared)}: {because(found, 6)}")
    elif not found.known and (scope == "region" or assessment.stores):
        yield unverified(target, f"RTO for {scope_text(scope)} unknown: {found.unknown_reason}")


def _target(graph, assessment, found):
    """The first resource the evidence names (the slowest part), else the workload anchor."""
    names = {r.name: r for r in assessment.workload.resources}
    for item in found.evidence:
        if item.resource in names:
            return names[item.resource]
    for item in found.evidence:
        for resource in graph.resources():
            if resource.name == item.resource and resource.location.file == item.file:
                return resource
    return assessment.anchor
