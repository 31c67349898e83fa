"""DR009's cross-region replica keys and the artifact copies (ECR, Secrets Manager) in cases the
rule fixtures do not show: a key whose region is unknown but that is the source's own key, a
key that only a variable names, and ECR filters the tool does not understand."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.api import scan

PROVIDERS = """
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

variable "key_region" {
  type = string
}

provider "aws" {
  alias  = "keys"
  region = var.key_region
}
"""


def _scan(tmp_path: Path, text: str, **options):
    (tmp_path / "main.tf").write_text(PROVIDERS + text)
    return scan(tmp_path, **options)


def test_same_key_reference_in_two_regions_is_a_finding(tmp_path: Path) -> None:
    """The key's own region is unknown, but one key cannot serve two regions."""
    result = _scan(tmp_path, """
resource "aws_kms_key" "shared" {
  provider = aws.keys
}

resource "aws_db_instance" "orders" {
  identifier = "orders"
  kms_key_id = aws_kms_key.shared.arn
}

resource "aws_db_instance" "orders_replica" {
  provider            = aws.west
  replicate_source_db = aws_db_instance.orders.arn
  kms_key_id          = aws_kms_key.shared.arn
}
""", select=["DR009"])
    assert [(f.resource, f.message) for f in result.findings] == [(
        "aws_db_instance.orders_replica",
        "read replica in us-west-2 uses the same KMS key reference as its source in us-east-1: "
        "a key of another region cannot encrypt it, so the replica cannot be built or read")]
    assert result.unknowns == ()


def test_key_of_unknown_region_on_its_own_is_unverified(tmp_path: Path) -> None:
    result = _scan(tmp_path, """
resource "aws_kms_key" "replica" {
  provider = aws.keys
}

resource "aws_db_instance" "orders" {
  identifier = "orders"
}

resource "aws_db_instance" "orders_replica" {
  provider            = aws.west
  replicate_source_db = aws_db_instance.orders.arn
  kms_key_id          = aws_kms_key.replica.arn
}
""", select=["DR009"])
    assert result.findings == ()
    assert [(u.resource, "KMS key region of the read replica unknown" in u.reason)
            for u in result.unknowns] == [("aws_db_instance.orders_replica", True)]


def test_same_region_replica_with_unknown_key_is_not_checked(tmp_path: Path) -> None:
    """A replica beside its source is no cross-region copy: its key is not DR009's business."""
    result = _scan(tmp_path, """
variable "key_arn" {
  type = string
}

resource "aws_db_instance" "orders" {
  identifier = "orders"
}

resource "aws_db_instance" "orders_replica" {
  replicate_source_db = aws_db_instance.orders.identifier
  kms_key_id          = var.key_arn
}
""", select=["DR009"])
    assert result.findings == () and result.unknowns == ()


ECR = """
resource "aws_ecr_repository" "app" {
  name = "prod/app"
}

resource "aws_ecr_replication_configuration" "registry" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "123456789012"
      }
      repository_filter {
        filter      = "%s"
        filter_type = "%s"
      }
    }
  }
}
"""


def _ecr(tmp_path: Path, prefix: str, filter_type: str):
    (tmp_path / ".hadr-lint.yaml").write_text(
        "objectives: {strategy: pilot-light, rpo: 1h, rto: 4h}\n"
        "store_classes: {aws_ecr_repository.app: workload}\n")
    return _scan(tmp_path, ECR % (prefix, filter_type), select=["DR005"])


def test_ecr_prefix_filter_decides_the_copy(tmp_path: Path) -> None:
    assert _ecr(tmp_path, "prod/", "PREFIX_MATCH").findings == ()
    missed = _ecr(tmp_path, "staging/", "PREFIX_MATCH")
    assert [f.resource for f in missed.findings] == ["aws_ecr_repository.app"]


def test_ecr_filter_type_not_understood_is_unverified(tmp_path: Path) -> None:
    result = _ecr(tmp_path, "prod/*", "WILDCARD_MATCH")
    assert result.findings == ()
    assert [u.resource for u in result.unknowns] == ["aws_ecr_repository.app"]
    assert "filter type WILDCARD_MATCH is not understood" in result.unknowns[0].reason


def test_ecr_replication_of_another_region_does_not_copy(tmp_path: Path) -> None:
    """A registry's replication copies that region's repositories only."""
    (tmp_path / ".hadr-lint.yaml").write_text(
        "objectives: {strategy: pilot-light, rpo: 1h, rto: 4h}\n")
    result = _scan(tmp_path, """
resource "aws_ecr_repository" "app" {
  name = "prod/app"
}

resource "aws_lambda_function" "app" {
  function_name = "app"
  role          = "arn:aws:iam::123456789012:role/app"
  package_type  = "Image"
  image_uri     = "${aws_ecr_repository.app.repository_url}:1.0"
}

resource "aws_ecr_replication_configuration" "west" {
  provider = aws.west
  replication_configuration {
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "123456789012"
      }
    }
  }
}
""", select=["OB003"])
    blocks = [f for f in result.findings if "artifacts in the DR region" in f.message]
    assert [f.resource for f in blocks] == ["aws_ecr_repository.app"]


def test_every_member_of_a_global_database_is_checked(tmp_path: Path) -> None:
    """The source (here the first member by address) is checked against its own region too."""
    result = _scan(tmp_path, """
resource "aws_rds_global_cluster" "ledger" {
  global_cluster_identifier = "ledger"
  engine                    = "aurora-postgresql"
}

resource "aws_rds_cluster" "a_west" {
  provider                  = aws.west
  global_cluster_identifier = aws_rds_global_cluster.ledger.id
  engine                    = "aurora-postgresql"
  kms_key_id                = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234"
}

resource "aws_rds_cluster" "b_east" {
  global_cluster_identifier = aws_rds_global_cluster.ledger.id
  engine                    = "aurora-postgresql"
  kms_key_id                = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234"
}
""", select=["DR009"])
    assert [(f.resource, f.message.split(":")[0]) for f in result.findings] == [(
        "aws_rds_cluster.a_west",
        "cluster of a global database in us-west-2 is encrypted with a KMS key of "
        "us-east-1")]
    assert result.unknowns == ()


def test_only_the_artifacts_the_compute_uses_need_a_copy(tmp_path: Path) -> None:
    """A repository only CI pushes to and a secret nothing reads need no copy; the image a
    task runs by its literal ECR URI and the secret a container reads by ARN do."""
    (tmp_path / ".hadr-lint.yaml").write_text(
        "objectives: {strategy: pilot-light, rpo: 1h, rto: 4h}\n")
    result = _scan(tmp_path, """
resource "aws_ecr_repository" "app" {
  name = "prod/app"
}

resource "aws_ecr_repository" "ci" {
  name = "ci/cache"
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_secretsmanager_secret" "unused" {
  name = "prod/unused"
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = <<JSON
[{"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/prod/app:1.0",
  "secrets": [{"name": "DB", "valueFrom":
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::"}]}]
JSON
}
""", select=["OB003"])
    blocks = [f.resource for f in result.findings if "artifacts in the DR region" in f.message]
    assert blocks == ["aws_ecr_repository.app", "aws_secretsmanager_secret.db"]
    assert [u.resource for u in result.unknowns] == []
