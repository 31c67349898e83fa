"""AWS Backup vault without a vault lock.

## What it does
Reports AWS Backup vaults that no Backup Vault Lock protects: no
`aws_backup_vault_lock_configuration` refers to the vault (by reference or by name), and no
`LockConfiguration` is set on `AWS::Backup::BackupVault`.

## Why is this bad?
Backups are the last line against a mistaken delete or a corrupting change, but without a lock the
same role, pipeline or compromised credentials that broke production can delete the recovery points
too, or shorten their retention. A vault lock makes AWS refuse to delete recovery points before
their retention ends (governance mode: except for principals allowed to bypass it; compliance
mode, with `changeable_for_days`: for anyone once the grace period ends).

## Example
```hcl
resource "aws_backup_vault" "prod" {
  name = "prod"
}
```
```yaml
ProdVault:
  Type: AWS::Backup::BackupVault
  Properties:
    BackupVaultName: prod
```

## Fix
```hcl
resource "aws_backup_vault_lock_configuration" "prod" {
  backup_vault_name  = aws_backup_vault.prod.name
  min_retention_days = 7
  max_retention_days = 365
}
```
```yaml
ProdVault:
  Type: AWS::Backup::BackupVault
  Properties:
    BackupVaultName: prod
    LockConfiguration:
      MinRetentionDays: 7
      MaxRetentionDays: 365
```

A lock configuration whose vault name cannot be resolved leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.recoverability import vault_locked
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HE004",
    name="backup-vault-protection",
    severity="warning",
    scope="human",
    kinds=("backup_vault",),
    short="AWS Backup vault without a vault lock",
    description="Recovery points in an unlocked Backup vault can be deleted by the same hands "
    "that broke production.",
    tags=("human-error", "backup", "vault-lock"),
    equivalents={"checkov": "none found", "cfn-lint": "none"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for vault in graph.resources("backup_vault"):
        locked = vault_locked(graph, vault)
        if isinstance(locked, Unknown):
            yield unverified(vault, f"vault lock unknown: {locked.reason}")
        elif locked is False:
            yield problem(vault, "Backup vault has no vault lock: whoever can break production "
                          "can also delete its recovery points")
