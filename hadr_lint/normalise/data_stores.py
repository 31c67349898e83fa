"""Data stores: DynamoDB, S3, EFS, ElastiCache, and the resources that copy them elsewhere.

Canonical kinds and attributes (both formats):

* ``dynamodb_table``: ``name``, ``tags`` (dict), ``pitr`` (bool, default False),
  ``replica_regions`` (list of region names of global-table replicas; a CloudFormation
  ``AWS::DynamoDB::GlobalTable`` lists its own region too), ``global_table`` (True for
  ``AWS::DynamoDB::GlobalTable``), ``kms_key`` (its customer managed key, as written),
  ``replica_keys`` (``[{region, key}]`` per replica: ``kms_key_arn``,
  ``SSESpecification.KMSMasterKeyId``; ``key`` None when not given).
* ``dynamodb_replica`` (``aws_dynamodb_table_replica``): ``table`` (the global table ARN it
  extends), ``kms_key``; its region is the resource's region.
* ``s3_bucket``: ``name``, ``tags``, ``replication_destinations`` (destination bucket ARNs/Refs
  of inline, enabled replication rules).
* ``s3_replication`` (``aws_s3_bucket_replication_configuration``): ``bucket`` (the source),
  ``destinations`` (destination bucket ARNs/Refs of enabled rules). Both carry
  ``replication_targets``: ``[{bucket, account}]`` of enabled rules (``account`` the destination
  account id as written, None when not given), and
  ``replication_time``: True when every enabled rule has Replication Time Control on.
* S3 encryption and replication of KMS-encrypted objects (DR009): ``s3_bucket`` has
  ``kms_encrypted`` (True when its default encryption is SSE-KMS or DSSE-KMS, False for SSE-S3
  or none, None when not set inline); ``s3_encryption``
  (``aws_s3_bucket_server_side_encryption_configuration``) has ``bucket`` and ``kms_encrypted``.
  ``s3_bucket`` (inline rules) and ``s3_replication`` have ``kms_replicated``: True when every
  enabled rule replicates SSE-KMS objects (``sse_kms_encrypted_objects`` enabled) with a replica
  KMS key, False when one does not, None without enabled rules.
* ``s3_bucket`` has ``log_target`` (the bucket its access logs go to); ``s3_logging``
  (``aws_s3_bucket_logging``) has ``bucket`` and ``log_target``. ``s3_bucket`` also has
  ``inventory_targets`` (CloudFormation inline inventory destinations, see logs.py).
* ``efs_file_system``: ``tags``, ``backup_policy`` (``ENABLED``/``DISABLED``/None, upper case),
  ``replication_regions`` (CloudFormation ``ReplicationConfiguration.Destinations[].Region``).
* ``efs_backup_policy`` (``aws_efs_backup_policy``): ``file_system``, ``status`` (upper case).
* ``efs_replication`` (``aws_efs_replication_configuration``): ``file_system`` (the source),
  ``destination_regions`` (None in an item means "the provider's region"),
  ``destination_file_systems`` (existing destination file systems, when given).
* ``cache_replication_group`` and ``cache_cluster`` (ElastiCache): ``engine`` (lower case),
  ``snapshot_retention`` (int, default 0), ``replication_group`` (cache clusters that are members
  of a replication group), ``automatic_failover`` (bool), ``multi_az`` (bool),
  ``global_replication_group``, ``tags``.
* ``cache_global_group`` (ElastiCache Global Datastore:
  ``aws_elasticache_global_replication_group``, ``AWS::ElastiCache::GlobalReplicationGroup``):
  ``members``, a list of ``{group, region, role}`` (the member replication group, its
  region, None for "the resource's own", and ``PRIMARY`` / ``SECONDARY``), or an Unknown.
  Terraform names only the primary (``primary_replication_group_id``); its secondaries
  name the global datastore (``global_replication_group_id``). CloudFormation lists every
  member (``Members``).

``to_tags`` turns a Terraform map or a CloudFormation ``[{Key, Value}]`` list into a dict; other
families import it. Terraform ``tags_all`` (plan JSON, provider ``default_tags`` included) is
preferred over ``tags`` when present.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.fields import chain, spec, to_bool, to_int, to_lower, to_str, to_upper
from hadr_lint.normalise.logs import cfn_inventory_targets
from hadr_lint.normalise.protection import cfn_retention, tf_retention, to_enabled


def to_tags(value: Any) -> Any:
    """A dict of tags, from a map or a ``[{Key, Value}]`` list; absent is an empty dict."""
    if value is None:
        return {}
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        tags = {}
        for item in value:
            if not isinstance(item, dict) or not isinstance(item.get("Key"), str):
                return Unknown("tags that are not Key/Value pairs")
            tags[item["Key"]] = item.get("Value")
        return tags
    return Unknown("tags that are neither a map nor a list")


def tf_tags(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """``tags_all`` (plan JSON: default tags included) when present, else ``tags``."""
    tags_all = raw.get("tags_all")
    if isinstance(tags_all, dict):
        return {"tags": to_tags(tags_all)}
    return {"tags": to_tags(raw.get("tags"))}


def cfn_tags(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return {"tags": to_tags(raw.get("Tags"))}


def as_blocks(value: Any) -> Any:
    """A repeated block (list of dicts) or a single dict as a list; Unknown kept."""
    if value is None:
        return []
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return value
    return Unknown("expected blocks")


def block_items(blocks: Any, read) -> Any:
    """``read(block)`` for each block; an Unknown list or block gives an Unknown element."""
    if isinstance(blocks, Unknown):
        return blocks
    out = []
    for block in blocks:
        if isinstance(block, dict):
            out.extend(read(block))
        else:
            out.append(block if isinstance(block, Unknown) else Unknown("block not a mapping"))
    return out


# ----- DynamoDB ----------------------------------------------------------------------------------
def _tf_replicas(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    replicas = as_blocks(raw.get("replica"))
    regions = block_items(replicas, lambda b: [to_str(b.get("region_name"))])
    keys = block_items(replicas, lambda b: [{"region": to_str(b.get("region_name")),
                                        "key": to_str(b.get("kms_key_arn"))}])
    return {"replica_regions": regions, "replica_keys": keys}


def _cfn_global_table(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    replicas = as_blocks(raw.get("Replicas"))
    regions = block_items(replicas, lambda b: [to_str(b.get("Region"))])
    flags = block_items(replicas, lambda b: [to_bool(_path(b, "PointInTimeRecoverySpecification",
                                                       "PointInTimeRecoveryEnabled"))])
    keys = block_items(replicas, lambda b: [{
        "region": to_str(b.get("Region")),
        "key": to_str(_path(b, "SSESpecification", "KMSMasterKeyId"))}])
    return {"replica_regions": regions, "global_table": True, "pitr": _any_true(flags),
            "replica_keys": keys}


def _path(block: Any, *keys: str) -> Any:
    """``block[k1][k2]...``: None where a key is absent, an Unknown met on the way kept."""
    for key in keys:
        if isinstance(block, Unknown):
            return block
        if not isinstance(block, dict):
            return None
        block = block.get(key)
    return block


def _any_true(flags: Any) -> Any:
    if isinstance(flags, Unknown):
        return flags
    if any(f is True for f in flags):
        return True
    unknown = next((f for f in flags if isinstance(f, Unknown)), None)
    return unknown or False


# ----- S3 -----------------------------------------------------------------------------------------
def _enabled_destinations(rules: Any, status_key: str, dest_key: str, bucket_key: str) -> Any:
    def read(rule: dict) -> list:
        status = rule.get(status_key)
        if isinstance(status, str) and status.lower() != "enabled":
            return []
        dest = as_blocks(rule.get(dest_key))
        found = block_items(dest, lambda d: [d.get(bucket_key)])
        if isinstance(found, Unknown):
            return [found]
        if isinstance(status, Unknown):
            return [status]
        return found

    return block_items(as_blocks(rules), read)


def _enabled_targets(rules: Any, keys: tuple[str, str, str, str]) -> Any:
    """``[{bucket, account}]`` of every enabled rule's destination (``account`` the destination
    account id as written, None when not given); Unknown items where a rule is unknown."""
    status_key, dest_key, bucket_key, account_key = keys

    def read(rule: dict) -> list:
        status = rule.get(status_key)
        if isinstance(status, str) and status.lower() != "enabled":
            return []
        if isinstance(status, Unknown):
            return [status]
        return block_items(as_blocks(rule.get(dest_key)), lambda d: [
            {"bucket": d.get(bucket_key), "account": to_str(d.get(account_key))}])

    return block_items(as_blocks(rules), read)


def _replication_time(rules: Any, keys: tuple[str, str, str, str]) -> Any:
    """True when every enabled rule has Replication Time Control on (15-minute SLA), False when
    one has not, Unknown when it cannot be told; None without rules. (objectives: OB004)"""
    status_key, dest_key, rtc_key, rtc_status = keys
    blocks = as_blocks(rules)
    if isinstance(blocks, Unknown):
        return blocks
    found: list = []
    for rule in blocks:
        status = rule.get(status_key) if isinstance(rule, dict) else None
        if isinstance(status, str) and status.lower() != "enabled":
            continue
        dest = as_blocks(rule.get(dest_key)) if isinstance(rule, dict) else Unknown("rule")
        rtc = _path(dest[0], rtc_key) if isinstance(dest, list) and dest else dest
        rtc = rtc[0] if isinstance(rtc, list) and rtc else rtc
        value = rtc.get(rtc_status) if isinstance(rtc, dict) else rtc
        found.append(value.lower() == "enabled" if isinstance(value, str) else
                     value if isinstance(value, Unknown) else False)
    if not found:
        return None
    if any(f is False for f in found):
        return False
    return next((f for f in found if isinstance(f, Unknown)), True)


_TF_RTC = ("status", "destination", "replication_time", "status")


def _nested(block: Any, *keys: str) -> Any:
    """Like ``_path``, taking the first item of each repeated block on the way (Terraform)."""
    for key in keys:
        block = block[0] if isinstance(block, list) and block else block
        block = _path(block, key)
    return block[0] if isinstance(block, list) and block else block


def _kms_algorithm(rules: Any, *path: str) -> Any:
    """True when a default-encryption rule uses SSE-KMS or DSSE-KMS, False when none does."""
    found = block_items(as_blocks(rules), lambda rule: [_nested(rule, *path)])
    if isinstance(found, Unknown):
        return found
    if any(isinstance(a, str) and a.lower().startswith("aws:kms") for a in found):
        return True
    return next((a for a in found if isinstance(a, Unknown)), False)


# For each format: (status, (path to the KMS objects switch), (path to the replica key)).
KMS_REPLICATION = {
    "tf_inline": ("status", ("source_selection_criteria", "sse_kms_encrypted_objects", "enabled"),
                  ("destination", "replica_kms_key_id")),
    "tf": ("status", ("source_selection_criteria", "sse_kms_encrypted_objects", "status"),
           ("destination", "encryption_configuration", "replica_kms_key_id")),
    "cfn": ("Status", ("SourceSelectionCriteria", "SseKmsEncryptedObjects", "Status"),
            ("Destination", "EncryptionConfiguration", "ReplicaKmsKeyID")),
}


def _kms_replicated(rules: Any, form: str) -> Any:
    """Whether every enabled replication rule copies SSE-KMS objects with a replica key."""
    status_key, switch_path, key_path = KMS_REPLICATION[form]
    blocks = as_blocks(rules)
    if isinstance(blocks, Unknown):
        return blocks
    found: list = []
    for rule in blocks:
        if not isinstance(rule, dict):
            found.append(Unknown("a replication rule is unknown"))
            continue
        status = rule.get(status_key)
        if isinstance(status, str) and status.lower() != "enabled":
            continue
        switch, key = _nested(rule, *switch_path), _nested(rule, *key_path)
        on = switch if isinstance(switch, (bool, Unknown)) else (
            isinstance(switch, str) and switch.lower() in ("enabled", "true"))
        found.append(on if on is not True else key if isinstance(key, Unknown) else bool(key))
    if not found:
        return None
    if False in found:
        return False
    return next((f for f in found if isinstance(f, Unknown)), True)


def _tf_inline_replication(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    config = as_blocks(raw.get("replication_configuration"))
    rules = block_items(config, lambda c: as_blocks(c.get("rules")) or [])
    encryption = raw.get("server_side_encryption_configuration")
    return {"replication_destinations": _enabled_destinations(rules, "status", "destination",
                                                              "bucket"),
            "replication_targets": _enabled_targets(
                rules, ("status", "destination", "bucket", "account_id")),
            "replication_time": _replication_time(rules, _TF_RTC),
            "kms_replicated": _kms_replicated(rules, "tf_inline"),
            "kms_encrypted": None if encryption is None else _kms_algorithm(
                _nested(encryption, "rule"), "apply_server_side_encryption_by_default",
                "sse_algorithm")}


def _tf_replication(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return {"destinations": _enabled_destinations(raw.get("rule"), "status", "destination",
                                                  "bucket"),
            "replication_targets": _enabled_targets(
                raw.get("rule"), ("status", "destination", "bucket", "account")),
            "replication_time": _replication_time(raw.get("rule"), _TF_RTC),
            "kms_replicated": _kms_replicated(raw.get("rule"), "tf")}


def _tf_encryption(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return {"kms_encrypted": _kms_algorithm(raw.get("rule"),
                                            "apply_server_side_encryption_by_default",
                                            "sse_algorithm")}


def _cfn_bucket_replication(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    rules = _path(raw, "ReplicationConfiguration", "Rules")
    encryption = _path(raw, "BucketEncryption", "ServerSideEncryptionConfiguration")
    return {"replication_destinations": _enabled_destinations(rules, "Status", "Destination",
                                                              "Bucket"),
            "replication_targets": _enabled_targets(
                rules, ("Status", "Destination", "Bucket", "Account")),
            "replication_time": _replication_time(
                rules, ("Status", "Destination", "ReplicationTime", "Status")),
            "kms_replicated": _kms_replicated(rules, "cfn"),
            "kms_encrypted": _kms_algorithm(encryption, "ServerSideEncryptionByDefault",
                                            "SSEAlgorithm")}


# ----- EFS ----------------------------------------------------------------------------------------
def _tf_efs_replication(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    dest = as_blocks(raw.get("destination"))
    return {
        "destination_regions": block_items(dest, lambda d: [to_str(d.get("region"))]),
        "destination_file_systems": block_items(
            dest, lambda d: [d["file_system_id"]] if d.get("file_system_id") else []),
    }


def _cfn_efs_replication(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    dest = as_blocks(_path(raw, "ReplicationConfiguration", "Destinations"))
    return {"replication_regions": block_items(dest, lambda d: [to_str(d.get("Region"))])}


def _tf_global_members(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    primary = raw.get("primary_replication_group_id")
    return {"members": [{"group": to_str(primary), "region": None, "role": "PRIMARY"}]}


def _cfn_global_members(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return {"members": block_items(as_blocks(raw.get("Members")), lambda m: [{
        "group": to_str(m.get("ReplicationGroupId")),
        "region": to_str(m.get("ReplicationGroupRegion")),
        "role": to_upper(m.get("Role"))}])}


_TF_CACHE = dict(
    engine=("engine", to_lower, "redis"),
    snapshot_retention=("snapshot_retention_limit", to_int, 0),
    global_replication_group=("global_replication_group_id", to_str),
)

TERRAFORM = {
    "aws_dynamodb_table": spec(
        "dynamodb_table",
        chain(tf_tags, _tf_replicas, lambda raw, out: {"global_table": False}, tf_retention),
        name=("name", to_str),
        kms_key=("server_side_encryption.0.kms_key_arn", to_str),
        pitr=("point_in_time_recovery.0.enabled", to_bool, False),
        pitr_days=("point_in_time_recovery.0.recovery_period_in_days", to_int),
        deletion_protection=("deletion_protection_enabled", to_bool, False),
    ),
    "aws_dynamodb_table_replica": spec(
        "dynamodb_replica",
        tf_tags,
        table=("global_table_arn", to_str),
        kms_key=("kms_key_arn", to_str),
    ),
    "aws_s3_bucket": spec(
        "s3_bucket",
        chain(tf_tags, _tf_inline_replication, tf_retention),
        name=("bucket", to_str),
        log_target=("logging.0.target_bucket", to_str),
        versioning=("versioning.0.enabled", to_bool),
        force_destroy=("force_destroy", to_bool, False),
    ),
    "aws_s3_bucket_logging": spec(
        "s3_logging",
        bucket=("bucket", to_str),
        log_target=("target_bucket", to_str),
    ),
    "aws_s3_bucket_server_side_encryption_configuration": spec(
        "s3_encryption",
        _tf_encryption,
        bucket=("bucket", to_str),
    ),
    "aws_s3_bucket_replication_configuration": spec(
        "s3_replication",
        _tf_replication,
        bucket=("bucket", to_str),
    ),
    "aws_efs_file_system": spec(
        "efs_file_system",
        chain(tf_tags, tf_retention),
        name=("creation_token", to_str),
    ),
    "aws_efs_backup_policy": spec(
        "efs_backup_policy",
        file_system=("file_system_id", to_str),
        status=("backup_policy.0.status", to_upper),
    ),
    "aws_efs_replication_configuration": spec(
        "efs_replication",
        _tf_efs_replication,
        file_system=("source_file_system_id", to_str),
    ),
    "aws_elasticache_replication_group": spec(
        "cache_replication_group",
        tf_tags,
        name=("replication_group_id", to_str),
        automatic_failover=("automatic_failover_enabled", to_bool, False),
        multi_az=("multi_az_enabled", to_bool, False),
        **_TF_CACHE,
    ),
    "aws_elasticache_global_replication_group": spec(
        "cache_global_group", _tf_global_members,
        name=("global_replication_group_id_suffix", to_str)),
    "aws_elasticache_cluster": spec(
        "cache_cluster",
        tf_tags,
        name=("cluster_id", to_str),
        replication_group=("replication_group_id", to_str),
        engine=("engine", to_lower),
        snapshot_retention=("snapshot_retention_limit", to_int, 0),
        az_mode=("az_mode", to_lower),
    ),
}

CLOUDFORMATION = {
    "AWS::DynamoDB::Table": spec(
        "dynamodb_table",
        chain(cfn_tags, lambda raw, out: {"replica_regions": [], "global_table": False,
                                           "replica_keys": []},
               cfn_retention("AWS::DynamoDB::Table")),
        name=("TableName", to_str),
        kms_key=("SSESpecification.KMSMasterKeyId", to_str),
        pitr=("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", to_bool, False),
        pitr_days=("PointInTimeRecoverySpecification.RecoveryPeriodInDays", to_int),
        deletion_protection=("DeletionProtectionEnabled", to_bool, False),
    ),
    "AWS::DynamoDB::GlobalTable": spec(
        "dynamodb_table",
        chain(_cfn_global_table, cfn_retention("AWS::DynamoDB::GlobalTable")),
        name=("TableName", to_str),
        tags=("Replicas.0.Tags", to_tags),
    ),
    "AWS::S3::Bucket": spec(
        "s3_bucket",
        chain(cfn_tags, _cfn_bucket_replication, cfn_retention("AWS::S3::Bucket"),
               cfn_inventory_targets),
        name=("BucketName", to_str),
        log_target=("LoggingConfiguration.DestinationBucketName", to_str),
        versioning=("VersioningConfiguration.Status", to_enabled, "Suspended"),
    ),
    "AWS::EFS::FileSystem": spec(
        "efs_file_system",
        chain(_cfn_efs_replication, cfn_retention("AWS::EFS::FileSystem")),
        tags=("FileSystemTags", to_tags),
        backup_policy=("BackupPolicy.Status", to_upper),
    ),
    "AWS::ElastiCache::ReplicationGroup": spec(
        "cache_replication_group",
        cfn_tags,
        name=("ReplicationGroupId", to_str),
        engine=("Engine", to_lower, "redis"),
        snapshot_retention=("SnapshotRetentionLimit", to_int, 0),
        automatic_failover=("AutomaticFailoverEnabled", to_bool, False),
        multi_az=("MultiAZEnabled", to_bool, False),
        global_replication_group=("GlobalReplicationGroupId", to_str),
    ),
    "AWS::ElastiCache::GlobalReplicationGroup": spec(
        "cache_global_group", _cfn_global_members,
        name=("GlobalReplicationGroupIdSuffix", to_str)),
    "AWS::ElastiCache::CacheCluster": spec(
        "cache_cluster",
        cfn_tags,
        name=("ClusterName", to_str),
        engine=("Engine", to_lower),
        snapshot_retention=("SnapshotRetentionLimit", to_int, 0),
        az_mode=("AZMode", to_lower),
    ),
}
