"""OpenTofu: ``.tofu`` files, their precedence over ``.tf`` twins, provider ``for_each``."""

from __future__ import annotations

import json
from pathlib import Path

from hadr_lint.config import Config
from hadr_lint.discover import discover
from hadr_lint.engine import ScanOptions, load_all
from hadr_lint.loaders.terraform.roots import claims_file, terraform_folders


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def load(root: Path):
    results = load_all(ScanOptions(paths=(root,)), Config())
    resources = {r.address.split("::", 1)[1]: r for res in results for r in res.resources}
    errors = [e for res in results for e in res.errors]
    return resources, errors


def test_tofu_files_are_discovered_and_a_tofu_twin_replaces_its_tf_file(tmp_path):
    write(tmp_path, {
        "only_tofu/main.tofu": 'resource "aws_sqs_queue" "q" { name = "a" }\n',
        "twins/main.tf": 'resource "aws_sqs_queue" "q" { name = "from-tf" }\n'
                         'resource "aws_sqs_queue" "tf_only" { name = "gone" }\n',
        "twins/main.tofu": 'resource "aws_sqs_queue" "q" { name = "from-tofu" }\n',
        "twins/extra.tf": 'resource "aws_sqs_queue" "extra" { name = "kept" }\n',
        "twins/vars.tf.json": json.dumps({"variable": {"x": {"default": "tf"}}}),
        "twins/vars.tofu.json": json.dumps({"variable": {"x": {"default": "tofu"}}}),
        "twins/out.tf": 'resource "aws_sqs_queue" "v" { name = var.x }\n',
    })
    found = discover([tmp_path], claims={"terraform": claims_file})
    assert sorted(p.name for p in terraform_folders(found)) == ["only_tofu", "twins"]
    resources, errors = load(tmp_path)
    assert not errors, errors  # main.tf read as well would declare aws_sqs_queue.q twice
    assert resources["aws_sqs_queue.q"].raw["name"] == "from-tofu"
    assert resources["aws_sqs_queue.extra"].raw["name"] == "kept"
    assert resources["aws_sqs_queue.v"].raw["name"] == "tofu"
    assert "aws_sqs_queue.tf_only" not in resources


def test_provider_for_each_gives_one_region_per_instance(tmp_path):
    write(tmp_path, {
        "main.tofu": """
variable "regions" { default = ["us-east-1", "eu-west-1"] }
provider "aws" {
  for_each = toset(var.regions)
  alias    = "by_region"
  region   = each.value
}
provider "aws" { region = "us-west-2" }
resource "aws_s3_bucket" "logs" {
  for_each = toset(var.regions)
  provider = aws.by_region[each.key]
  bucket   = "logs-${each.key}"
}
resource "aws_s3_bucket" "fixed" {
  provider = aws.by_region["eu-west-1"]
  bucket   = "fixed"
}
resource "aws_s3_bucket" "missing" {
  provider = aws.by_region["ap-south-1"]
  bucket   = "missing"
}
resource "aws_s3_bucket" "plain" { bucket = "plain" }
module "app" {
  source    = "./modules/app"
  for_each  = toset(var.regions)
  providers = { aws = aws.by_region[each.key] }
}
""",
        "modules/app/main.tf": 'resource "aws_sqs_queue" "q" { name = "q" }\n',
    })
    resources, errors = load(tmp_path)
    assert not errors, errors
    assert resources['aws_s3_bucket.logs["us-east-1"]'].region == "us-east-1"
    assert resources['aws_s3_bucket.logs["eu-west-1"]'].region == "eu-west-1"
    assert resources["aws_s3_bucket.fixed"].region == "eu-west-1"
    assert "no instance 'ap-south-1'" in resources["aws_s3_bucket.missing"].region.reason
    assert resources["aws_s3_bucket.plain"].region == "us-west-2"
    assert resources['module.app["us-east-1"].aws_sqs_queue.q'].region == "us-east-1"
    assert resources['module.app["eu-west-1"].aws_sqs_queue.q'].region == "eu-west-1"


def test_provider_for_each_over_an_unknown_set_gives_unknown_regions_with_a_reason(tmp_path):
    write(tmp_path, {
        "main.tofu": """
variable "regions" {}
provider "aws" {
  for_each = toset(var.regions)
  alias    = "by_region"
  region   = each.value
}
resource "aws_s3_bucket" "b" {
  provider = aws.by_region["us-east-1"]
  bucket   = "b"
}
""",
    })
    resources, errors = load(tmp_path)
    assert not errors
    reason = resources["aws_s3_bucket.b"].region.reason
    assert "provider aws.by_region" in reason and "variable regions has no value" in reason
