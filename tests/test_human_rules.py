"""Human-error rules (HE001-HE004): the retention attributes the normaliser derives, and the
``recoverability`` summary the posture report shows. The rules themselves run on fixtures
(tests/test_rule_fixtures.py, fixtures/rules/HE00x)."""

from __future__ import annotations

import pytest

from hadr_lint.analysis.recoverability import recoverability, vault_locked, versioning
from hadr_lint.graph import Graph
from hadr_lint.model import Location, Ref, Resource, Unknown
from hadr_lint.normalise import normalise


def make(type_: str, name: str, raw: dict, source: str = "terraform", meta=None) -> Resource:
    if meta is None:
        meta = {"lifecycle": {}} if source == "terraform" else {}
    return normalise(Resource(address=name, name=name, type=type_, location=Location("x"),
                              raw=raw, source=source, meta=meta))


# ----- normalised retention attributes ------------------------------------------------------------
@pytest.mark.parametrize(
    ("type_", "raw", "meta", "delete", "replace"),
    [
        ("AWS::RDS::DBInstance", {"Engine": "postgres"}, {}, True, False),
        ("AWS::RDS::DBInstance", {"DBClusterIdentifier": "c"}, {}, False, False),
        ("AWS::RDS::DBCluster", {}, {}, True, False),
        ("AWS::DynamoDB::Table", {}, {}, False, False),
        ("AWS::DynamoDB::Table", {}, {"deletion_policy": "RetainExceptOnCreate",
                                      "update_replace_policy": "Snapshot"}, True, True),
        ("AWS::EFS::FileSystem", {}, {"deletion_policy": "Delete"}, False, False),
    ],
)
def test_cloudformation_policies_and_defaults(type_, raw, meta, delete, replace):
    resource = make(type_, "R", raw, "cloudformation", meta)
    assert resource.get("retain_on_delete") is delete
    assert resource.get("retain_on_replace") is replace
    assert resource.get("prevent_destroy") is None


def test_unknown_policy_stays_unknown():
    resource = make("AWS::DynamoDB::Table", "R", {}, "cloudformation",
                    {"deletion_policy": Unknown("parameter RetainPolicy has no value")})
    assert isinstance(resource.get("retain_on_delete"), Unknown)


def test_terraform_prevent_destroy_hcl_and_plan():
    hcl = make("aws_dynamodb_table", "t", {"name": "t"},
               meta={"lifecycle": {"prevent_destroy": True}})
    assert hcl.get("prevent_destroy") is True
    assert hcl.get("retain_on_delete") is None
    plan = make("aws_dynamodb_table", "t", {"name": "t"}, "plan", {"mode": "managed"})
    assert isinstance(plan.get("prevent_destroy"), Unknown)


def test_cloudformation_load_balancer_deletion_protection_and_scheme():
    lb = make("AWS::ElasticLoadBalancingV2::LoadBalancer", "Lb", {
        "LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]},
        "cloudformation")
    assert lb.get("deletion_protection") is True
    assert lb.get("internal") is False  # no Scheme: internet-facing
    bare = make("AWS::ElasticLoadBalancingV2::LoadBalancer", "Lb", {}, "cloudformation")
    assert bare.get("deletion_protection") is False


# ----- versioning and vault locks -----------------------------------------------------------------
def test_versioning_by_reference_by_name_and_unknown():
    bucket = make("aws_s3_bucket", "aws_s3_bucket.a", {"bucket": "acme-a"})
    by_ref = make("aws_s3_bucket_versioning", "v", {
        "bucket": Ref("aws_s3_bucket.a"), "versioning_configuration": [{"status": "Enabled"}]})
    assert versioning(Graph([bucket, by_ref]), bucket) is True
    by_name = make("aws_s3_bucket_versioning", "v", {
        "bucket": "acme-a", "versioning_configuration": [{"status": "Enabled"}]})
    assert versioning(Graph([bucket, by_name]), bucket) is True
    other = make("aws_s3_bucket_versioning", "v", {
        "bucket": "acme-b", "versioning_configuration": [{"status": "Enabled"}]})
    assert versioning(Graph([bucket, other]), bucket) is False
    unknown = make("aws_s3_bucket_versioning", "v", {
        "bucket": Unknown("var.bucket has no value"),
        "versioning_configuration": [{"status": "Enabled"}]})
    assert isinstance(versioning(Graph([bucket, unknown]), bucket), Unknown)


def test_vault_lock_terraform_and_cloudformation():
    vault = make("aws_backup_vault", "aws_backup_vault.v", {"name": "prod"})
    lock = make("aws_backup_vault_lock_configuration", "l", {"backup_vault_name": "prod"})
    assert vault_locked(Graph([vault, lock]), vault) is True
    assert vault_locked(Graph([vault]), vault) is False
    cfn = make("AWS::Backup::BackupVault", "V", {"LockConfiguration": {"MinRetentionDays": 7}},
               "cloudformation")
    assert vault_locked(Graph([cfn]), cfn) is True


# ----- recoverability -----------------------------------------------------------------------------
def test_dynamodb_pitr():
    table = make("aws_dynamodb_table", "t", {
        "name": "t", "point_in_time_recovery": [{"enabled": True}]})
    found = recoverability(Graph([table]), table)
    assert found["earliest"] == "35 days (PITR)"
    assert found["survives_deletion"] is True
    assert found["protected"] is False


def test_rds_backup_retention_and_final_snapshot():
    db = make("aws_db_instance", "db", {
        "engine": "postgres", "backup_retention_period": 7,
        "final_snapshot_identifier": "db-final", "deletion_protection": True})
    found = recoverability(Graph([db]), db)
    names = [m["name"] for m in found["mechanisms"]]
    assert names == ["automated backups", "final snapshot"]
    assert found["earliest"] == "7 days (automated backups)"
    assert found["survives_deletion"] is True
    assert found["protected"] is True


def test_rds_without_final_snapshot_does_not_survive_deletion():
    db = make("aws_db_instance", "db", {"engine": "postgres", "backup_retention_period": 3,
                                        "skip_final_snapshot": True})
    found = recoverability(Graph([db]), db)
    assert found["survives_deletion"] is False
    assert found["earliest"] == "3 days (automated backups)"


def test_aurora_member_reports_its_cluster():
    cluster = make("aws_rds_cluster", "aws_rds_cluster.c", {"backup_retention_period": 14})
    member = make("aws_rds_cluster_instance", "m", {"cluster_identifier": Ref("aws_rds_cluster.c")})
    found = recoverability(Graph([cluster, member]), member)
    assert found["resource"] == "aws_rds_cluster.c"
    assert found["earliest"] == "14 days (automated backups)"


def test_cloudformation_snapshot_policy_counts_as_a_copy():
    db = make("AWS::RDS::DBInstance", "Db", {"Engine": "postgres"}, "cloudformation")
    found = recoverability(Graph([db]), db)
    assert "snapshot or retained copy on stack deletion" in [m["name"] for m in found["mechanisms"]]
    assert found["survives_deletion"] is True


def test_s3_versioning_and_unknown():
    bucket = make("aws_s3_bucket", "b", {"bucket": "b", "versioning": [{"enabled": True}]})
    found = recoverability(Graph([bucket]), bucket)
    assert found["mechanisms"][0]["name"] == "versioning"
    assert found["earliest"] == "the last copy (versioning)"
    unknown = make("aws_s3_bucket", "b", {"bucket": "b",
                                         "versioning": Unknown("known after apply")})
    found = recoverability(Graph([unknown]), unknown)
    assert found["mechanisms"] == [] and found["survives_deletion"] is None
    assert "known after apply" in found["unknown"][0]


def test_aws_backup_through_a_locked_vault():
    table = make("aws_dynamodb_table", "aws_dynamodb_table.t", {"name": "t"})
    vault = make("aws_backup_vault", "aws_backup_vault.v", {"name": "prod"})
    lock = make("aws_backup_vault_lock_configuration", "l",
                {"backup_vault_name": Ref("aws_backup_vault.v", "name")})
    plan = make("aws_backup_plan", "aws_backup_plan.p", {"name": "daily", "rule": [{
        "rule_name": "daily", "target_vault_name": Ref("aws_backup_vault.v", "name"),
        "schedule": "cron(0 5 * * ? *)", "lifecycle": [{"delete_after": 90}]}]})
    selection = make("aws_backup_selection", "s", {
        "plan_id": Ref("aws_backup_plan.p"), "resources": [Ref("aws_dynamodb_table.t", "arn")]})
    found = recoverability(Graph([table, vault, lock, plan, selection]), table)
    assert found["mechanisms"] == [{"name": "AWS Backup (vault aws_backup_vault.v, locked)",
                                    "days": 90, "survives_deletion": True}]
    assert found["earliest"] == "90 days (AWS Backup (vault aws_backup_vault.v, locked))"


def test_aws_backup_selected_by_tag_counts():
    table = make("aws_dynamodb_table", "aws_dynamodb_table.t",
                 {"name": "t", "tags": {"backup": "daily"}})
    other = make("aws_dynamodb_table", "aws_dynamodb_table.o", {"name": "o"})
    vault = make("aws_backup_vault", "aws_backup_vault.v", {"name": "prod"})
    plan = make("aws_backup_plan", "aws_backup_plan.p", {"name": "daily", "rule": [{
        "rule_name": "daily", "target_vault_name": Ref("aws_backup_vault.v", "name"),
        "schedule": "cron(0 5 * * ? *)", "lifecycle": [{"delete_after": 30}]}]})
    selection = make("aws_backup_selection", "s", {
        "plan_id": Ref("aws_backup_plan.p"),
        "selection_tag": [{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}]})
    graph = Graph([table, other, vault, plan, selection])
    found = recoverability(graph, table)
    assert [m["days"] for m in found["mechanisms"]] == [30]
    assert found["survives_deletion"] is True
    assert recoverability(graph, other)["mechanisms"] == []


def test_nothing_known_to_recover_from():
    efs = make("aws_efs_file_system", "fs", {"creation_token": "fs"})
    found = recoverability(Graph([efs]), efs)
    assert found["mechanisms"] == [] and found["earliest"] is None
    assert found["survives_deletion"] is False


def test_efs_automatic_backups():
    efs = make("aws_efs_file_system", "aws_efs_file_system.fs", {"creation_token": "fs"})
    policy = make("aws_efs_backup_policy", "p", {
        "file_system_id": Ref("aws_efs_file_system.fs"), "backup_policy": [{"status": "ENABLED"}]})
    found = recoverability(Graph([efs, policy]), efs)
    assert found["earliest"] == "35 days (EFS automatic backups)"


def test_one_day_is_singular() -> None:
    from hadr_lint.analysis.recoverability import _earliest

    assert _earliest([{"name": "automated backups", "days": 1, "survives_deletion": True}]) \
        == "1 day (automated backups)"
