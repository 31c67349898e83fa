"""Region-scope helpers: regions, DNS entries, ARNs and the AWS Backup coverage API."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hadr_lint.analysis.backup_links import arn_parts, backup_coverage, covered_by, is_covered
from hadr_lint.analysis.region_scope import dns_entries, endpoint_region, region_of, value_region
from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, load_all, normalise_all
from hadr_lint.graph import Graph
from hadr_lint.model import REGION_FALLBACK, Unknown

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


def _graph(tmp_path: Path, files: dict[str, str], region: str | None = None) -> Graph:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    options = ScanOptions(paths=(tmp_path,), region=region)
    return Graph(normalise_all(load_all(options, Config())))


def _by_name(graph: Graph, name: str):
    return next(r for r in graph.resources() if r.name == name)


def test_cloudformation_region_falls_back_to_primary_region(tmp_path):
    graph = _graph(tmp_path, {"t.yaml": "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"})
    table = _by_name(graph, "T")
    assert isinstance(region_of(table, Config()), Unknown)
    assert region_of(table, Config(objectives={"primary_region": "eu-west-1"})) == "eu-west-1"


def test_the_fallback_follows_the_unknowns_kind_not_its_text(tmp_path):
    graph = _graph(tmp_path, {"t.yaml": "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"})
    table = _by_name(graph, "T")
    assert table.region.kind == REGION_FALLBACK
    config = Config(objectives={"primary_region": "eu-west-1"})
    same_text = dataclasses.replace(table, region=Unknown(table.region.reason))
    assert region_of(same_text, config) == Unknown(table.region.reason)
    other_text = dataclasses.replace(table, region=Unknown("reworded", kind=REGION_FALLBACK))
    assert region_of(other_text, config) == "eu-west-1"


def test_terraform_unknown_region_does_not_fall_back(tmp_path):
    graph = _graph(tmp_path, {"main.tf": 'resource "aws_s3_bucket" "b" { bucket = "b" }\n'})
    bucket = _by_name(graph, "aws_s3_bucket.b")
    assert isinstance(region_of(bucket, Config(objectives={"primary_region": "eu-west-1"})),
                      Unknown)


def test_provider_alias_and_module_providers_resolve_regions():
    case = FIXTURES / "DR001" / "tf-modules"
    graph = Graph(normalise_all(load_all(ScanOptions(paths=(case,)), Config())))
    regions = {r.name: r.region for r in graph.resources("load_balancer")}
    assert sorted(regions.values()) == ["us-east-1", "us-west-2"]


def test_record_set_group_members_are_entries():
    case = FIXTURES / "DR001" / "cfn-group-pair"
    options = ScanOptions(paths=(case,), region="us-east-1")
    graph = Graph(normalise_all(load_all(options, Config())))
    entries = [e for e in dns_entries(graph) if e.resource.name == "ApiRecords"]
    assert [e.get("failover") for e in entries] == ["PRIMARY", "SECONDARY"]
    assert entries[0].key == entries[1].key == (("name", "example.com"), "api.example.com",
                                                "CNAME")


def test_arn_and_endpoint_regions(tmp_path):
    graph = _graph(tmp_path, {"main.tf": 'resource "aws_s3_bucket" "b" { bucket = "b" }\n'})
    assert arn_parts("arn:aws:rds:us-west-2:1:db:x")["region"] == "us-west-2"
    assert value_region(graph, "arn:aws:rds:us-west-2:1:db:x", Config()) == "us-west-2"
    assert isinstance(value_region(graph, "arn:aws:s3:::elsewhere", Config()), Unknown)
    assert endpoint_region("dualstack.app-1.eu-west-1.elb.amazonaws.com") == "eu-west-1"
    assert endpoint_region("d111111abcdef8.cloudfront.net") is None


SELECTIONS = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "r"
    target_vault_name = "Default"
    schedule          = "cron(0 5 * * ? *)"
  }
}

resource "aws_backup_selection" "tables" {
  name         = "tables"
  iam_role_arn = "arn:aws:iam::1:role/b"
  plan_id      = aws_backup_plan.p.id
  resources    = ["arn:aws:dynamodb:*:*:table/orders-*"]
  not_resources = ["arn:aws:dynamodb:us-east-1:1:table/orders-tmp"]
}

resource "aws_backup_selection" "prod" {
  name         = "prod"
  iam_role_arn = "arn:aws:iam::1:role/b"
  plan_id      = "plan-outside-the-scan"
  resources    = ["*"]
  condition {
    string_like {
      key   = "aws:ResourceTag/env"
      value = "prod*"
    }
  }
}

resource "aws_dynamodb_table" "orders_eu" {
  name     = "orders-eu"
  hash_key = "id"
}

resource "aws_dynamodb_table" "orders_tmp" {
  name     = "orders-tmp"
  hash_key = "id"
}

resource "aws_dynamodb_table" "carts" {
  name     = "carts"
  hash_key = "id"
  tags     = { env = "production" }
}

resource "aws_dynamodb_table" "logs" {
  name     = "logs"
  hash_key = "id"
  tags     = { env = "dev" }
}
"""


def test_backup_coverage_patterns_conditions_and_outside_plans(tmp_path):
    graph = _graph(tmp_path, {"main.tf": SELECTIONS})
    coverage = backup_coverage(graph)
    names = {graph.get(a).name: [p.name for p in plans] for a, plans in coverage.items()}
    assert names == {
        "aws_dynamodb_table.orders_eu": ["aws_backup_plan.p"],
        "aws_dynamodb_table.carts": [],
    }
    assert is_covered(graph, _by_name(graph, "aws_dynamodb_table.carts")) is True
    assert is_covered(graph, _by_name(graph, "aws_dynamodb_table.orders_tmp")) is False
    assert is_covered(graph, _by_name(graph, "aws_dynamodb_table.logs")) is False
    plan = _by_name(graph, "aws_backup_plan.p")
    assert [r.name for r in covered_by(graph, plan)] == ["aws_dynamodb_table.orders_eu"]


def test_unknown_selection_is_unknown_coverage(tmp_path):
    text = SELECTIONS.replace('resources    = ["*"]', "resources    = var.arns") + (
        'variable "arns" {\n  type = list(string)\n}\n')
    graph = _graph(tmp_path, {"main.tf": text})
    assert isinstance(is_covered(graph, _by_name(graph, "aws_dynamodb_table.carts")), Unknown)
    # the tag condition excludes logs whatever the unknown resource list holds
    assert is_covered(graph, _by_name(graph, "aws_dynamodb_table.logs")) is False


ORDERS_TABLE = """
provider "aws" {
  region = "eu-west-1"
}
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""


def test_dr005_follows_each_workloads_strategy_from_every_source(tmp_path, monkeypatch):
    """The strategy comes from workloads: and --strategy too, not only from objectives:."""
    import json

    from click.testing import CliRunner

    from hadr_lint.cli import main

    for folder in ("shop", "reporting"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(ORDERS_TABLE)
    (tmp_path / ".hadr-lint.yaml").write_text(
        "workloads:\n"
        "  - path: shop\n    objectives: {strategy: warm-standby}\n"
        "  - path: reporting\n    objectives: {strategy: backup-restore}\n")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)

    def dr005(*args):
        result = CliRunner().invoke(main, ["scan", ".", "--select", "DR005", "--format", "json",
                                           *args])
        return sorted(f["file"] for f in json.loads(result.output)["findings"])

    assert dr005() == ["shop/main.tf"]
    assert dr005("--strategy", "pilot-light") == ["reporting/main.tf", "shop/main.tf"]
    assert dr005("--strategy", "backup-restore") == []
