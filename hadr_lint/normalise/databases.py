"""Databases: RDS instances, Aurora clusters and their members, Redshift clusters.

* ``db_instance`` and ``db_cluster`` have ``kms_key`` (``kms_key_id`` / ``KmsKeyId``: the key
  that encrypts the storage, as written: an ARN, a reference, an alias or a key id; DR009).

* ``redshift_cluster`` (``aws_redshift_cluster``, ``AWS::Redshift::Cluster``): ``multi_az``
  (default False), ``az_relocation`` (default False), ``backup_retention`` (automated snapshot
  retention in days, default 1), ``identifier``, ``tags``, ``snapshot_copy_region`` (the
  region snapshots are copied to: ``snapshot_copy`` block, ``DestinationRegion``).
* ``redshift_snapshot_copy`` (``aws_redshift_snapshot_copy``): ``cluster``,
  ``destination_region``.
"""

from __future__ import annotations

from hadr_lint.normalise.data_stores import to_tags
from hadr_lint.normalise.fields import spec, to_bool, to_int, to_lower, to_str
from hadr_lint.normalise.protection import cfn_retention, tf_retention

# Final snapshot on destroy (Terraform); CloudFormation's DeletionPolicy covers it there.
_TF_FINAL_SNAPSHOT = dict(
    skip_final_snapshot=("skip_final_snapshot", to_bool, False),
    final_snapshot_identifier=("final_snapshot_identifier", to_str),
)


def _count_unknown(raw: dict, out: dict) -> dict:
    """An instance block whose count/for_each is unknown stands for an unknown number."""
    return {"count_unknown": out.get("count_unknown")}


TERRAFORM = {
    "aws_db_instance": spec(
        "db_instance",
        tf_retention,
        **_TF_FINAL_SNAPSHOT,
        engine=("engine", to_lower),
        multi_az=("multi_az", to_bool, False),
        cluster=("db_cluster_identifier", to_str),
        replicate_source=("replicate_source_db", to_str),
        kms_key=("kms_key_id", to_str),
        identifier=("identifier", to_str),
        tags=("tags", to_tags),
        availability_zone=("availability_zone", to_str),
        backup_retention=("backup_retention_period", to_int),
        deletion_protection=("deletion_protection", to_bool, False),
    ),
    "aws_rds_cluster": spec(
        "db_cluster",
        tf_retention,
        **_TF_FINAL_SNAPSHOT,
        engine=("engine", to_lower),
        engine_mode=("engine_mode", to_lower, "provisioned"),
        identifier=("cluster_identifier", to_str),
        scalability_type=("cluster_scalability_type", to_lower, "standard"),
        tags=("tags", to_tags),
        global_cluster=("global_cluster_identifier", to_str),
        write_forwarding=("enable_global_write_forwarding", to_bool, False),
        replication_source=("replication_source_identifier", to_str),
        kms_key=("kms_key_id", to_str),
        availability_zones=("availability_zones"),
        backup_retention=("backup_retention_period", to_int, 1),
        deletion_protection=("deletion_protection", to_bool, False),
    ),
    "aws_rds_cluster_instance": spec(
        "db_instance",
        _count_unknown,
        engine=("engine", to_lower),
        cluster=("cluster_identifier", to_str),
        availability_zone=("availability_zone", to_str),
    ),
    # Region-scope copies (DR rules): a global database, and RDS automated backups replicated
    # to the region of the provider that declares the replication.
    "aws_rds_global_cluster": spec(
        "db_global_cluster",
        identifier=("global_cluster_identifier", to_str),
        source_cluster=("source_db_cluster_identifier", to_str),
        deletion_protection=("deletion_protection", to_bool, False),
    ),
    "aws_redshift_cluster": spec(
        "redshift_cluster",
        tf_retention,
        **_TF_FINAL_SNAPSHOT,
        identifier=("cluster_identifier", to_str),
        multi_az=("multi_az", to_bool, False),
        az_relocation=("availability_zone_relocation_enabled", to_bool, False),
        backup_retention=("automated_snapshot_retention_period", to_int, 1),
        snapshot_copy_region=("snapshot_copy.0.destination_region", to_str),
        tags=("tags", to_tags),
    ),
    "aws_redshift_snapshot_copy": spec(
        "redshift_snapshot_copy",
        cluster=("cluster_identifier", to_str),
        destination_region=("destination_region", to_str),
    ),
    "aws_db_instance_automated_backups_replication": spec(
        "db_backup_replication",
        source=("source_db_instance_arn", to_str),
    ),
}

CLOUDFORMATION = {
    "AWS::RDS::DBInstance": spec(
        "db_instance",
        cfn_retention("AWS::RDS::DBInstance"),
        engine=("Engine", to_lower),
        multi_az=("MultiAZ", to_bool, False),
        cluster=("DBClusterIdentifier", to_str),
        replicate_source=("SourceDBInstanceIdentifier", to_str),
        kms_key=("KmsKeyId", to_str),
        identifier=("DBInstanceIdentifier", to_str),
        tags=("Tags", to_tags),
        backup_replication_region=("AutomaticBackupReplicationRegion", to_str),
        availability_zone=("AvailabilityZone", to_str),
        backup_retention=("BackupRetentionPeriod", to_int),
        deletion_protection=("DeletionProtection", to_bool, False),
    ),
    "AWS::RDS::DBCluster": spec(
        "db_cluster",
        cfn_retention("AWS::RDS::DBCluster"),
        engine=("Engine", to_lower),
        engine_mode=("EngineMode", to_lower, "provisioned"),
        identifier=("DBClusterIdentifier", to_str),
        scalability_type=("ClusterScalabilityType", to_lower, "standard"),
        tags=("Tags", to_tags),
        global_cluster=("GlobalClusterIdentifier", to_str),
        write_forwarding=("EnableGlobalWriteForwarding", to_bool, False),
        replication_source=("ReplicationSourceIdentifier", to_str),
        kms_key=("KmsKeyId", to_str),
        availability_zones=("AvailabilityZones"),
        backup_retention=("BackupRetentionPeriod", to_int, 1),
        deletion_protection=("DeletionProtection", to_bool, False),
    ),
    "AWS::Redshift::Cluster": spec(
        "redshift_cluster",
        cfn_retention("AWS::Redshift::Cluster"),
        identifier=("ClusterIdentifier", to_str),
        multi_az=("MultiAZ", to_bool, False),
        az_relocation=("AvailabilityZoneRelocation", to_bool, False),
        backup_retention=("AutomatedSnapshotRetentionPeriod", to_int, 1),
        snapshot_copy_region=("DestinationRegion", to_str),
        tags=("Tags", to_tags),
    ),
    "AWS::RDS::GlobalCluster": spec(
        "db_global_cluster",
        identifier=("GlobalClusterIdentifier", to_str),
        source_cluster=("SourceDBClusterIdentifier", to_str),
        deletion_protection=("DeletionProtection", to_bool, False),
    ),
}
