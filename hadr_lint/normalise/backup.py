"""Backups: AWS Backup plans, selections and vaults; Data Lifecycle Manager policies.

Canonical kinds and attributes (both formats):

* ``backup_plan``: ``name``, ``rules``: a list of dicts ``{name, schedule, vault, lifecycle,
  copy_actions: [{destination_vault, lifecycle}]}`` (``destination_vault`` is a vault ARN
  string or a Ref to a vault); ``rules`` or any part of it may be Unknown.
* ``backup_selection``: ``plan`` (plan id: Ref or string), ``resources`` and ``not_resources``
  (lists of ARNs, Refs, or ``"*"`` / ARN patterns), ``tags`` (``[{key, value}]``: selection tags,
  any of which selects a resource), ``conditions`` (``[{op, key, value}]`` with ``op`` one of
  ``equals``, ``like``, ``not_equals``, ``not_like``: all must hold). Tag keys have their
  ``aws:ResourceTag/`` prefix removed. ``analysis.backup_links.backup_coverage`` links them
  to resources.
* ``backup_vault``: ``name``; its region is the resource's region. ``locked``,
  ``lock_min_retention``, ``force_destroy`` and the retention attributes: see protection.py.
* ``dlm_policy``: ``policy_type`` (upper case), ``state`` (upper case), ``schedules``: a list of
  dicts ``{name, copy_targets}`` and ``copy_targets``: every cross-region copy target of the policy
  (region names, or Outpost ARNs), from schedule copy rules, event-based actions and default
  policies.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.fields import chain, spec, to_bool, to_list, to_str, to_upper
from hadr_lint.normalise.protection import cfn_retention, cfn_vault_lock, tf_retention

TAG_PREFIX = "aws:ResourceTag/"
OPS = {
    "string_equals": "equals", "string_like": "like", "string_not_equals": "not_equals",
    "string_not_like": "not_like", "StringEquals": "equals", "StringLike": "like",
    "StringNotEquals": "not_equals", "StringNotLike": "not_like",
}


def _blocks(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, (Unknown, list)):
        return value
    if isinstance(value, dict):
        return [value]
    return Unknown("expected a list of blocks")


def _each(value: Any, read) -> Any:
    """``read(block)`` for each block; Unknown blocks stay Unknown elements."""
    blocks = _blocks(value)
    if isinstance(blocks, Unknown):
        return blocks
    return [read(b) if isinstance(b, dict) else _unknown(b) for b in blocks]


def _unknown(value: Any) -> Unknown:
    return value if isinstance(value, Unknown) else Unknown("block is not a mapping")


def _flat(items: Any) -> Any:
    """Lists of lists flattened; an Unknown anywhere on the outer level stays an element."""
    if isinstance(items, Unknown):
        return items
    out: list = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        else:
            out.append(item)
    return out


def _tag_key(key: Any) -> Any:
    key = to_str(key)
    if isinstance(key, str) and key.startswith(TAG_PREFIX):
        return key[len(TAG_PREFIX):]
    return key


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


# ----- AWS Backup plans --------------------------------------------------------------------------
def _tf_plan(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    def rule(block: dict) -> dict:
        return {
            "name": to_str(block.get("rule_name")),
            "schedule": to_str(block.get("schedule")),
            "vault": to_str(block.get("target_vault_name")),
            "lifecycle": _first(block.get("lifecycle")),
            "copy_actions": _each(block.get("copy_action"), lambda c: {
                "destination_vault": to_str(c.get("destination_vault_arn")),
                "lifecycle": _first(c.get("lifecycle")),
            }),
        }

    return {"rules": _each(raw.get("rule"), rule)}


def _cfn_plan(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    plan = raw.get("BackupPlan")
    if isinstance(plan, Unknown):
        return {"rules": plan, "name": plan}
    plan = plan if isinstance(plan, dict) else {}

    def rule(block: dict) -> dict:
        return {
            "name": to_str(block.get("RuleName")),
            "schedule": to_str(block.get("ScheduleExpression")),
            "vault": to_str(block.get("TargetBackupVault")),
            "lifecycle": block.get("Lifecycle"),
            "copy_actions": _each(block.get("CopyActions"), lambda c: {
                "destination_vault": to_str(c.get("DestinationBackupVaultArn")),
                "lifecycle": c.get("Lifecycle"),
            }),
        }

    return {"name": to_str(plan.get("BackupPlanName")),
            "rules": _each(plan.get("BackupPlanRule"), rule)}


# ----- AWS Backup selections ---------------------------------------------------------------------
def _tf_selection(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    tags = _each(raw.get("selection_tag"), lambda t: {
        "key": _tag_key(t.get("key")), "value": to_str(t.get("value"))})
    return {"tags": tags, "conditions": _conditions(raw.get("condition"), "key", "value")}


def _conditions(value: Any, key_name: str, value_name: str) -> Any:
    def read(block: dict) -> list:
        found: list = []
        for name, op in OPS.items():
            items = _each(block.get(name), lambda c, op=op: {
                "op": op, "key": _tag_key(c.get(key_name)), "value": to_str(c.get(value_name))})
            found.extend([items] if isinstance(items, Unknown) else items)
        return found

    return _flat(_each(value, read))


def _cfn_selection(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    body = raw.get("BackupSelection")
    if isinstance(body, Unknown):
        return {"resources": body, "tags": body, "conditions": body}
    body = body if isinstance(body, dict) else {}
    tags = _each(body.get("ListOfTags"), lambda t: {
        "key": _tag_key(t.get("ConditionKey")), "value": to_str(t.get("ConditionValue"))})
    return {
        "name": to_str(body.get("SelectionName")),
        "resources": to_list(body.get("Resources")),
        "not_resources": to_list(body.get("NotResources")),
        "tags": tags,
        "conditions": _conditions(body.get("Conditions"), "ConditionKey", "ConditionValue"),
    }


# ----- Data Lifecycle Manager --------------------------------------------------------------------
def _targets(blocks: Any, *keys: str) -> Any:
    def read(block: dict) -> Any:
        for key in keys:
            if block.get(key) is not None:
                return to_str(block[key])
        return Unknown("cross-region copy rule without a target")

    return _each(blocks, read)


def _dlm(details: Any, names: dict[str, Any], default_targets: Any) -> dict[str, Any]:
    if isinstance(details, Unknown):
        return {"schedules": details, "copy_targets": details}
    details = details if isinstance(details, dict) else {}
    schedules = _each(details.get(names["schedules"]), lambda s: {
        "name": to_str(s.get(names["name"])),
        "copy_targets": _targets(s.get(names["copy"]), *names["target"]),
    })
    actions = _each(details.get(names["actions"]), lambda a: _targets(
        a.get(names["action_copy"]), *names["target"]))
    parts = [
        [s["copy_targets"] for s in schedules if isinstance(s, dict)]
        if not isinstance(schedules, Unknown) else [schedules],
        actions if not isinstance(actions, Unknown) else [actions],
        [_targets(details.get(names["default"]), "TargetRegion", "target_region"),
         _targets(default_targets, "TargetRegion", "target_region")],
    ]
    targets: list = []
    for part in parts:
        for item in part:
            targets.extend(item if isinstance(item, list) else [item])
    return {
        "policy_type": to_upper(details.get(names["type"])),
        "schedules": schedules,
        "copy_targets": targets,
    }


TF_DLM = {
    "schedules": "schedule", "name": "name", "copy": "cross_region_copy_rule",
    "target": ("target", "target_region"), "actions": "action",
    "action_copy": "cross_region_copy", "default": "cross_region_copy_target",
    "type": "policy_type",
}
CFN_DLM = {
    "schedules": "Schedules", "name": "Name", "copy": "CrossRegionCopyRules",
    "target": ("Target", "TargetRegion"), "actions": "Actions",
    "action_copy": "CrossRegionCopy", "default": "CrossRegionCopyTargets",
    "type": "PolicyType",
}


def _tf_dlm(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    found = _dlm(_first(raw.get("policy_details")), TF_DLM, None)
    if found.get("policy_type") is None:
        found["policy_type"] = "EBS_SNAPSHOT_MANAGEMENT"
    return found


def _cfn_dlm(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    found = _dlm(raw.get("PolicyDetails"), CFN_DLM, raw.get("CrossRegionCopyTargets"))
    if found.get("policy_type") is None:
        found["policy_type"] = "EBS_SNAPSHOT_MANAGEMENT"
    return found


TERRAFORM = {
    "aws_backup_plan": spec("backup_plan", _tf_plan, name=("name", to_str)),
    "aws_backup_selection": spec(
        "backup_selection",
        _tf_selection,
        name=("name", to_str),
        plan=("plan_id", to_str),
        resources=("resources", to_list),
        not_resources=("not_resources", to_list),
    ),
    "aws_backup_vault": spec(
        "backup_vault",
        tf_retention,  # protection.py: lock, deletion attributes (human-error rules)
        name=("name", to_str),
        force_destroy=("force_destroy", to_bool, False),
    ),
    "aws_dlm_lifecycle_policy": spec("dlm_policy", _tf_dlm, state=("state", to_upper, "ENABLED")),
}

CLOUDFORMATION = {
    "AWS::Backup::BackupPlan": spec("backup_plan", _cfn_plan),
    "AWS::Backup::BackupSelection": spec(
        "backup_selection", _cfn_selection, plan=("BackupPlanId", to_str)),
    "AWS::Backup::BackupVault": spec(
        "backup_vault",
        chain(cfn_retention("AWS::Backup::BackupVault"), cfn_vault_lock),
        name=("BackupVaultName", to_str),
    ),
    "AWS::DLM::LifecyclePolicy": spec("dlm_policy", _cfn_dlm, state=("State", to_upper, "ENABLED")),
}
