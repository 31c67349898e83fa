"""Backups are not copied to another region.

## What it does
Reports AWS Backup plan rules with no `copy_action` (`CopyActions`) to a vault in another region,
and Data Lifecycle Manager policies with no cross-region copy (`cross_region_copy_rule`,
`CrossRegionCopyRules`, event-based `cross_region_copy`, default-policy copy targets). A copy's
region comes from the destination vault resource (`destination_vault_arn` referencing an
`aws_backup_vault` declared with another provider) or from the region field of the vault ARN.
The message names the resources the plan's selections protect.

## Why is this bad?
Backups kept in the region they protect die with it. When the region is lost, the backup plan
that was supposed to be the last line of defence is unreachable together with the data.

## Example
```hcl
resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 * * ? *)"
  }
}
```
```yaml
DailyPlan:
  Type: AWS::Backup::BackupPlan
  Properties:
    BackupPlan:
      BackupPlanName: daily
      BackupPlanRule:
        - RuleName: daily
          TargetBackupVault: !Ref Vault
          ScheduleExpression: cron(0 5 * * ? *)
```

## Fix
```hcl
resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 * * ? *)"
    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn   # provider = aws.dr (us-west-2)
    }
  }
}
```
```yaml
BackupPlanRule:
  - RuleName: daily
    TargetBackupVault: !Ref Vault
    ScheduleExpression: cron(0 5 * * ? *)
    CopyActions:
      - DestinationBackupVaultArn: arn:aws:backup:us-west-2:111122223333:backup-vault:dr
```

A destination vault whose region cannot be resolved leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.backup_links import covered_by
from hadr_lint.analysis.region_scope import is_region, region_of, value_region
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="DR007",
    name="backups-not-copied",
    severity="warning",
    scope="region",
    kinds=("backup_plan", "dlm_policy"),
    short="Backups are not copied to another region",
    description="AWS Backup plan rules without a copy action to another region's vault, and DLM "
    "policies without a cross-region copy: the backups die with their region.",
    tags=("reliability", "region", "backup"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for plan in graph.resources("backup_plan"):
        yield from _plan(graph, plan, config)
    for policy in graph.resources("dlm_policy"):
        yield from _dlm(policy, config)


def _plan(graph, plan, config):
    rules = plan.get("rules")
    if isinstance(rules, Unknown):
        yield unverified(plan, f"backup plan rules unknown: {rules.reason}")
        return
    own = region_of(plan, config)
    for rule in rules or []:
        if isinstance(rule, Unknown):
            yield unverified(plan, f"a backup plan rule is unknown: {rule.reason}")
            continue
        regions = _copy_regions(graph, rule.get("copy_actions"), config)
        verdict = _elsewhere(regions, own)
        name = rule.get("name") if isinstance(rule.get("name"), str) else "?"
        if isinstance(verdict, Unknown):
            yield unverified(plan, f"rule {name}: {verdict.reason}")
        elif verdict is False:
            yield problem(plan, f"backup plan rule {name} copies no backup to another region"
                          f"{_where(own)}{_protected(graph, plan)}")


def _copy_regions(graph, actions, config):
    if isinstance(actions, Unknown):
        return [actions]
    found = []
    for action in actions or []:
        vault = action.get("destination_vault") if isinstance(action, dict) else action
        found.append(value_region(graph, vault, config, ("backup_vault",)))
    return found


def _elsewhere(regions, own):
    """True when a copy goes to another region, False when none does, else Unknown."""
    if regions and isinstance(own, Unknown):
        if len({r for r in regions if isinstance(r, str)}) > 1:
            return True
        return Unknown(f"region unknown: {own.reason}")
    if any(isinstance(r, str) and r != own for r in regions):
        return True
    return next((r for r in regions if isinstance(r, Unknown)), False)


def _where(own):
    return f": they stay in {own}" if isinstance(own, str) else ""


def _protected(graph, plan):
    names = sorted(r.name for r in covered_by(graph, plan))
    if not names:
        return ""
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f", with the backups of {shown}"


def _dlm(policy, config):
    if policy.get("state") == "DISABLED":
        return
    targets = policy.get("copy_targets")
    if isinstance(targets, Unknown):
        yield unverified(policy, f"DLM copy rules unknown: {targets.reason}")
        return
    own = region_of(policy, config)
    regions = [t if is_region(t) or isinstance(t, Unknown) else
               Unknown(f"copy target {t} is not a region") for t in targets or []]
    verdict = _elsewhere(regions, own)
    if isinstance(verdict, Unknown):
        yield unverified(policy, f"DLM cross-region copy: {verdict.reason}")
    elif verdict is False:
        yield problem(policy, f"DLM policy copies no snapshot to another region{_where(own)}")
