"""Helpers for the human-error rules (HE...): what protects a stateful store from a mistaken delete
or a bad change, and what lets it be recovered afterwards.

``recoverability(graph, resource)`` is the public entry point (the posture report's "human error"
row); the rest serves HE001-HE004.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.analysis.backup_links import backup_coverage, is_covered
from hadr_lint.analysis.protection import (
    DB_KINDS,
    automated_backup_days,
    efs_automatic_backups,
    point_in_time_recovery,
)
from hadr_lint.model import Resource, Unknown
from hadr_lint.normalise.fields import to_int
from hadr_lint.ruleutil import is_set, plural

STATEFUL_KINDS = DB_KINDS + ("dynamodb_table", "s3_bucket", "efs_file_system", "backup_vault")
# AWS refuses to delete these while they hold data (objects, recovery points).
EMPTY_BEFORE_DELETE = ("s3_bucket", "backup_vault")
# DynamoDB keeps a system backup of a deleted table with PITR on for 35 days.
PITR_DAYS = 35
# EFS automatic backups go to the default Backup vault and are kept 35 days.
EFS_BACKUP_DAYS = 35


def is_member(resource: Resource) -> bool:
    """An Aurora cluster member or a read replica: the cluster or the source holds the data."""
    return is_set(resource.get("cluster")) or is_set(resource.get("replicate_source"))


def attached(graph, resource: Resource, kind: str, relation: str) -> tuple[list, list]:
    """Resources of ``kind`` whose ``relation`` designates ``resource`` (by reference, id or
    name), and those whose ``relation`` cannot be resolved, so may designate it."""
    linked = list(graph.sources(resource, relation=relation, kind=kind))
    unresolved = []
    name = resource.get("name")
    for other in graph.resources(kind):
        value = other.get(relation)
        if other in linked or graph.resolve(value) is not None:
            continue
        if isinstance(value, str):
            if value == name:
                linked.append(other)
            elif not isinstance(name, str):
                unresolved.append(other)
        elif isinstance(value, Unknown):
            unresolved.append(other)
    return linked, unresolved


def _unresolved_reason(items: list, relation: str) -> str:
    found = items[0].get(relation)
    why = found.reason if isinstance(found, Unknown) else "it cannot be matched by name"
    return f"{items[0].name} may apply to it: its {relation} is unknown ({why})"


def versioning(graph, bucket: Resource) -> Any:
    """True, False, or Unknown: is object versioning enabled on the bucket?"""
    inline = bucket.get("versioning")
    if inline is True:
        return True
    configs, unresolved = attached(graph, bucket, "s3_versioning", "bucket")
    states = [c.get("enabled") for c in configs]
    if True in states:
        return True
    unknown = next((s for s in [inline, *states] if isinstance(s, Unknown)), None)
    if unknown:
        return unknown
    if unresolved:
        return Unknown(_unresolved_reason(unresolved, "bucket"))
    return False


def vault_locked(graph, vault: Resource) -> Any:
    """True, False, or Unknown: does a Backup Vault Lock protect the vault's recovery points?"""
    locked = vault.get("locked")
    if locked is True:
        return True
    locks, unresolved = attached(graph, vault, "backup_vault_lock", "vault")
    if locks:
        return True
    if isinstance(locked, Unknown):
        return locked
    if unresolved:
        return Unknown(_unresolved_reason(unresolved, "vault"))
    return False


def replication_roles(graph, bucket: Resource) -> list[str]:
    """``source`` and/or ``destination`` when the bucket takes part in S3 replication."""
    roles = []
    inline = bucket.get("replication_destinations")
    if (isinstance(inline, list) and inline) or graph.sources(bucket, "bucket", "s3_replication"):
        roles.append("source")
    if graph.sources(bucket, "destinations", "s3_replication") or graph.sources(
            bucket, "replication_destinations", "s3_bucket"):
        roles.append("destination")
    return roles


# ----- recoverability --------------------------------------------------------------------------
def recoverability(graph, resource: Resource) -> dict[str, Any]:
    """How a stateful store can be recovered after a mistaken delete or a bad change.

    Returns ``{"resource", "kind", "protected", "mechanisms", "earliest", "survives_deletion",
    "unknown"}``: ``protected`` is the deletion protection (True/False/None when the kind has
    none/Unknown); ``mechanisms`` a list of ``{"name", "days", "survives_deletion"}`` (``days``:
    how far back it reaches, None when it is a single copy or unbounded); ``earliest`` the
    farthest-back restore point as text (``"35 days (PITR)"``, ``"7 days (automated
    backups)"``), None when nothing is known; ``survives_deletion`` True when some mechanism
    outlives the deletion of the resource itself, False when none does, None when unknown;
    ``unknown`` the reasons some mechanism could not be decided.
    """
    if resource.kind == "db_instance" and is_set(resource.get("cluster")):
        cluster = graph.resolve(resource.get("cluster"))
        if cluster is not None:
            return recoverability(graph, cluster)
    mechanisms: list[dict[str, Any]] = []
    unknown: list[str] = []
    for found in (_automated_backups(resource), _pitr(resource), _final_copy(resource),
                  _versioning(graph, resource), _efs_backups(graph, resource),
                  _secret_window(resource)):
        _collect(found, mechanisms, unknown)
    for found in _aws_backup(graph, resource):
        _collect(found, mechanisms, unknown)
    survives = any(m["survives_deletion"] for m in mechanisms) or (None if unknown else False)
    return {
        "resource": resource.name,
        "kind": resource.kind,
        "protected": resource.get("deletion_protection"),
        "mechanisms": mechanisms,
        "earliest": _earliest(mechanisms),
        "survives_deletion": survives,
        "unknown": unknown,
    }


def _collect(found: Any, mechanisms: list, unknown: list) -> None:
    if isinstance(found, Unknown):
        unknown.append(found.reason)
    elif found:
        mechanisms.append(found)


def _mechanism(name: str, days: int | None, survives: bool) -> dict[str, Any]:
    return {"name": name, "days": days, "survives_deletion": survives}


def _automated_backups(resource: Resource) -> Any:
    days = automated_backup_days(resource)
    if isinstance(days, Unknown):
        return days
    return _mechanism("automated backups", days, False) if days else None


def _pitr(resource: Resource) -> Any:
    enabled = point_in_time_recovery(resource)
    if isinstance(enabled, Unknown):
        return enabled
    days = resource.get("pitr_days")
    return _mechanism("PITR", days if isinstance(days, int) else PITR_DAYS, True) \
        if enabled else None


def _final_copy(resource: Resource) -> Any:
    """A final snapshot (Terraform) or a Snapshot/Retain DeletionPolicy (CloudFormation)."""
    if resource.kind not in STATEFUL_KINDS or resource.kind in EMPTY_BEFORE_DELETE:
        return None
    if resource.kind == "db_instance" and is_member(resource):
        return None
    retain = resource.get("retain_on_delete")
    if isinstance(retain, Unknown):
        return Unknown(retain.reason)
    if retain is True:
        return _mechanism("snapshot or retained copy on stack deletion", None, True)
    skip = resource.get("skip_final_snapshot")
    if isinstance(skip, Unknown):
        return Unknown(f"skip_final_snapshot unknown: {skip.reason}")
    if skip is False and is_set(resource.get("final_snapshot_identifier")):
        return _mechanism("final snapshot", None, True)
    return None


def _secret_window(resource: Resource) -> Any:
    """A deleted Secrets Manager secret can be restored for its recovery window (7-30 days)."""
    if resource.kind != "secret":
        return None
    days = resource.get("recovery_window")
    if isinstance(days, Unknown):
        return Unknown(f"recovery window unknown: {days.reason}")
    if days is None:
        return Unknown("the recovery window a stack deletion uses is not in the template")
    return _mechanism("deletion recovery window", days, True) if days > 0 else None


def _efs_backups(graph, resource: Resource) -> Any:
    """EFS automatic backups (AWS Backup's default vault, 35 days) from its backup policy."""
    enabled = efs_automatic_backups(graph, resource)
    if isinstance(enabled, Unknown):
        return enabled
    return _mechanism("EFS automatic backups", EFS_BACKUP_DAYS, True) if enabled else None


def _versioning(graph, resource: Resource) -> Any:
    if resource.kind != "s3_bucket":
        return None
    state = versioning(graph, resource)
    if isinstance(state, Unknown):
        return Unknown(f"versioning unknown: {state.reason}")
    return _mechanism("versioning", None, False) if state else None


def _aws_backup(graph, resource: Resource) -> list:
    """The AWS Backup rules protecting ``resource``: selections by ARN, wildcard or tag."""
    covered = is_covered(graph, resource)
    if isinstance(covered, Unknown):
        return [Unknown(f"AWS Backup coverage unknown: {covered.reason}")]
    if not covered:
        return []
    plans = backup_coverage(graph).get(resource.address, [])
    if not plans:
        return [Unknown("selected by an AWS Backup plan that is not among the scanned resources")]
    found: list = []
    for plan in plans:
        rules = plan.get("rules")
        if isinstance(rules, Unknown):
            found.append(Unknown(f"AWS Backup plan unknown: {rules.reason}"))
            continue
        found.extend(_backup_rule(graph, rule) for rule in rules or [])
    return found


def _backup_rule(graph, rule: Any) -> Any:
    if not isinstance(rule, dict):
        return Unknown("an AWS Backup rule cannot be read")
    vault = _vault(graph, rule.get("vault"))
    locked = vault_locked(graph, vault) if vault is not None else None
    state = {True: "locked", False: "not locked"}.get(locked, "lock unknown") \
        if isinstance(locked, bool) else "lock unknown"
    name = vault.name if vault is not None else str(rule.get("vault"))
    return _mechanism(f"AWS Backup (vault {name}, {state})", _delete_after(rule), True)


def _vault(graph, value: Any) -> Resource | None:
    found = graph.resolve(value)
    if found is not None:
        return found
    return next((v for v in graph.resources("backup_vault") if v.get("name") == value), None)


def _delete_after(rule: dict) -> int | None:
    lifecycle = rule.get("lifecycle")
    if not isinstance(lifecycle, dict):
        return None
    days = to_int(lifecycle.get("delete_after", lifecycle.get("DeleteAfterDays")))
    return days if isinstance(days, int) else None


def _earliest(mechanisms: list) -> str | None:
    timed = [m for m in mechanisms if m["days"]]
    if timed:
        best = max(timed, key=lambda m: m["days"])
        return f"{plural(best['days'], 'day')} ({best['name']})"
    if mechanisms:
        return f"the last copy ({mechanisms[0]['name']})"
    return None
