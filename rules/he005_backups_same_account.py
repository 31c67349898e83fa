"""Backups and replicas kept only in the account they protect.

## What it does
Reports AWS Backup plans whose every copy action (`copy_action.destination_vault_arn` /
`CopyActions[].DestinationBackupVaultArn`) goes to a vault in the plan's own account, and S3
buckets whose every enabled replication rule (inline, `aws_s3_bucket_replication_configuration`
or `ReplicationConfiguration`) writes to a bucket in the source bucket's own account.

The source account is what the files say: the one `allowed_account_ids` entry or the
`assume_role` `role_arn` account of the resource's provider, or (for a backup plan) an account in
an ARN its selections list. The destination account is the account in the vault ARN, the
replication destination's `account` / `account_id` / `Account`, or the account of a destination
vault or bucket among the scanned resources.

The account a stack or provider deploys into counts too, though its id is not in the files: a
CloudFormation template's resources and its `${AWS::AccountId}` (also inside an ARN built with
`Fn::Sub` or `Fn::Join`) are one account; so are a Terraform provider configuration's resources
and its `data "aws_caller_identity"` `account_id` (in a plan, the id Terraform read for it).

## Why is this bad?
A copy in the same account shares its fate: whoever (or whatever script) deletes resources in
that account, a compromised credential, ransomware or a closed account reaches the copies too.
A copy in a separate backup or recovery account survives them.

## Example
```hcl
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 * * ? *)"
    copy_action {
      destination_vault_arn = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
    }
  }
}
```
```yaml
Resources:
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: daily
        BackupPlanRule:
          - RuleName: daily
            TargetBackupVault: main
            CopyActions:
              - DestinationBackupVaultArn: !GetAtt DrVault.BackupVaultArn
  DrVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: dr
```

## Fix
```hcl
    copy_action {   # a vault in the backup account
      destination_vault_arn = "arn:aws:backup:us-west-2:222222222222:backup-vault:dr"
    }
```
```yaml
CopyActions:
  - DestinationBackupVaultArn: arn:aws:backup:us-west-2:222222222222:backup-vault:dr
```

An account id the files do not name leaves the check unverified when it is compared with
another account: a literal id against a deploying account (`${AWS::AccountId}`, a provider
without `allowed_account_ids` or `assume_role`), two provider configurations' deploying
accounts, two templates'. Plans without copy actions and buckets without replication are not
reported here (see DR007 and DR005).
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.accounts import same_account, source_account
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HE005",
    name="backups-same-account",
    severity="warning",
    scope="human",
    kinds=("backup_plan", "s3_bucket", "s3_replication"),
    short="Backup copies or S3 replicas only in the account they protect",
    description="Backup copies and replicas kept in the same account as their source are lost "
    "with it: one deletion, compromised credential or closed account reaches both.",
    tags=("human-error", "backup", "replication", "account"),
    equivalents={"checkov": "none", "trivy": "none"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for plan in graph.resources("backup_plan"):
        yield from _verdict(graph, plan, _copy_targets(plan), "backup copy", "vault")
    for bucket in graph.resources("s3_bucket", "s3_replication"):
        yield from _verdict(graph, bucket, bucket.get("replication_targets"), "replica",
                            "bucket")


def _copy_targets(plan) -> list | Unknown | None:
    """``[{vault, account}]`` of every copy action of the plan, or an Unknown."""
    rules = plan.get("rules")
    if not isinstance(rules, list):
        return rules if isinstance(rules, Unknown) else None
    found: list = []
    for rule in rules:
        actions = rule.get("copy_actions") if isinstance(rule, dict) else rule
        if isinstance(actions, Unknown) or not isinstance(actions, list):
            found.append(actions if isinstance(actions, Unknown) else Unknown("a rule is unknown"))
            continue
        found.extend(a if isinstance(a, Unknown) else {"vault": a.get("destination_vault")}
                     for a in actions)
    return found


def _verdict(graph, source, targets, what: str, where: str):
    if isinstance(targets, Unknown):
        yield unverified(source, f"{what} destinations unknown: {targets.reason}")
        return
    if not targets:
        return
    answers = [_same(graph, source, t, where) for t in targets]
    if any(a is False for a in answers):
        return
    unknown = next((a for a in answers if isinstance(a, Unknown)), None)
    if unknown is not None:
        yield unverified(source, f"{what} account unknown: {unknown.reason}")
        return
    account = source_account(graph, source)
    shown = f"account {account}" if isinstance(account, str) else "its own account"
    yield problem(source, f"every {what} is in {shown}, the account of what it protects: one "
                          "deletion, compromised credential or closed account loses both")


def _same(graph, source, target, where: str):
    if isinstance(target, Unknown):
        return target
    kind = "backup_vault" if where == "vault" else "s3_bucket"
    return same_account(graph, source, target.get(where), target.get("account"), (kind,))
