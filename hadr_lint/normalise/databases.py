"""Databases: RDS instances, Aurora clusters and their members."""

from __future__ import annotations

from hadr_lint.normalise.fields import spec, to_bool, to_int, to_lower, to_str

TERRAFORM = {
    "aws_db_instance": spec(
        "db_instance",
        engine=("engine", to_lower),
        multi_az=("multi_az", to_bool, False),
        cluster=("db_cluster_identifier", to_str),
        replicate_source=("replicate_source_db", to_str),
        availability_zone=("availability_zone", to_str),
        backup_retention=("backup_retention_period", to_int),
        deletion_protection=("deletion_protection", to_bool, False),
    ),
    "aws_rds_cluster": spec(
        "db_cluster",
        engine=("engine", to_lower),
        engine_mode=("engine_mode", to_lower, "provisioned"),
        global_cluster=("global_cluster_identifier", to_str),
        replication_source=("replication_source_identifier", to_str),
        availability_zones=("availability_zones"),
        backup_retention=("backup_retention_period", to_int, 1),
        deletion_protection=("deletion_protection", to_bool, False),
    ),
    "aws_rds_cluster_instance": spec(
        "db_instance",
        engine=("engine", to_lower),
        cluster=("cluster_identifier", to_str),
        availability_zone=("availability_zone", to_str),
    ),
}

CLOUDFORMATION = {
    "AWS::RDS::DBInstance": spec(
        "db_instance",
        engine=("Engine", to_lower),
        multi_az=("MultiAZ", to_bool, False),
        cluster=("DBClusterIdentifier", to_str),
        replicate_source=("SourceDBInstanceIdentifier", to_str),
        availability_zone=("AvailabilityZone", to_str),
        backup_retention=("BackupRetentionPeriod", to_int),
        deletion_protection=("DeletionProtection", to_bool, False),
    ),
    "AWS::RDS::DBCluster": spec(
        "db_cluster",
        engine=("Engine", to_lower),
        engine_mode=("EngineMode", to_lower, "provisioned"),
        global_cluster=("GlobalClusterIdentifier", to_str),
        replication_source=("ReplicationSourceIdentifier", to_str),
        availability_zones=("AvailabilityZones"),
        backup_retention=("BackupRetentionPeriod", to_int, 1),
        deletion_protection=("DeletionProtection", to_bool, False),
    ),
}
