"""Terragrunt units: a live tree over local modules, read without running terragrunt."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, display_path, load_all, scan
from hadr_lint.model import Unknown
from hadr_lint.rulebase import all_rules, select

LIVE = Path(__file__).resolve().parent.parent / "fixtures" / "terragrunt"
APPLIED = "dependency vpc (../vpc): its outputs are known only after it is applied"
MOCKS = "; --terragrunt-mock-outputs would use its mock_outputs"


def run(path: Path, mock: bool = False, rules: tuple[str, ...] = ("HA",)):
    options = ScanOptions(paths=(path,), terragrunt_mock_outputs=mock)
    return scan(options, Config(), select(all_rules(), list(rules), []))


def via(unit: str) -> str:
    return f" (via {display_path(LIVE / 'live' / unit)})"


def unit_of(message: str) -> str:
    return message.rpartition(" (via ")[2].rstrip(")").split("/live/")[-1]


def test_live_tree_findings_unverified_lines_and_suppressions():
    result = run(LIVE)
    assert not result.errors, result.errors
    findings = {(f.rule_id, f.resource, unit_of(f.message)) for f in result.findings}
    assert findings == {("HA001", "aws_autoscaling_group.web", "stage/us-east-1/app"),
                        ("HA005", "aws_db_instance.db", "stage/us-east-1/app")}
    assert all(f.file.endswith("fixtures/terragrunt/modules/app/main.tf")
               for f in result.findings)
    # without --terragrunt-mock-outputs both prod apps' AZs come from their vpc dependency:
    # unknown, one line per unit (never merged), naming the dependency
    prod_us, prod_eu = via("prod/us-east-1/app"), via("prod/eu-west-1/app")
    unknowns = {(u.rule_id, u.resource, u.reason) for u in result.unknowns}
    assert unknowns == {
        ("HA001", "aws_autoscaling_group.web", f"AZ spread unknown: {APPLIED}{MOCKS}{prod_us}"),
        ("HA003", "aws_autoscaling_group.web", f"AZ count unknown: {APPLIED}{MOCKS}{prod_us}"),
        ("HA001", "aws_autoscaling_group.web", f"AZ spread unknown: {APPLIED}{prod_eu}"),
        ("HA003", "aws_autoscaling_group.web", f"AZ count unknown: {APPLIED}{prod_eu}"),
    }
    # the comment above stage/eu-west-1's inputs suppresses its HA005 only: stage/us-east-1's
    # database, on the same module line, is still reported
    [suppressed] = result.suppressed
    assert suppressed.finding.rule_id == "HA005"
    assert suppressed.finding.message.endswith(via("stage/eu-west-1/app"))


def test_mock_outputs_only_when_asked():
    result = run(LIVE, mock=True)
    findings = {(f.rule_id, f.resource, unit_of(f.message)) for f in result.findings}
    assert findings == {("HA001", "aws_autoscaling_group.web", "stage/us-east-1/app"),
                        ("HA005", "aws_db_instance.db", "stage/us-east-1/app")}
    # prod/us-east-1 has mock_outputs (three AZs: passes); prod/eu-west-1 has none
    assert {(u.rule_id, u.reason) for u in result.unknowns} == {
        ("HA001", f"AZ spread unknown: {APPLIED}{via('prod/eu-west-1/app')}"),
        ("HA003", f"AZ count unknown: {APPLIED}{via('prod/eu-west-1/app')}")}


def test_units_get_their_region_from_the_generated_provider_and_inputs_from_includes():
    results = load_all(ScanOptions(paths=(LIVE,)), Config())
    by_unit: dict[str, dict] = {}
    for resource in (r for res in results for r in res.resources):
        unit, _, address = resource.address.partition("::")
        by_unit.setdefault(unit.split("/live/")[-1], {})[address] = resource
    assert sorted(by_unit) == ["prod/eu-west-1/app", "prod/eu-west-1/vpc", "prod/us-east-1/app",
                               "prod/us-east-1/vpc", "stage/eu-west-1/app",
                               "stage/us-east-1/app"]  # modules/ is not a root of its own
    for unit, found in by_unit.items():
        assert {r.region for r in found.values()} == {unit.split("/")[1]}, unit
    # name from root.hcl's inputs (its locals read env.hcl), overridden in stage/eu-west-1
    assert by_unit["prod/us-east-1/app"]["aws_db_instance.db"].raw["identifier"] == "shop-prod-db"
    assert by_unit["stage/eu-west-1/app"]["aws_db_instance.db"].raw["identifier"] == \
        "shop-stage-eu-db"
    assert by_unit["prod/eu-west-1/vpc"]["aws_subnet.private[2]"].raw["availability_zone"] == \
        "eu-west-1c"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


MODULE = """
variable "name" {
  type    = string
  default = "none"
}
variable "tags" {
  type    = map(string)
  default = {}
}
resource "aws_sqs_queue" "q" {
  name = var.name
  tags = var.tags
}
"""


def load(root: Path, mock: bool = False):
    results = load_all(ScanOptions(paths=(root,), terragrunt_mock_outputs=mock), Config())
    resources = {}
    for resource in (r for res in results for r in res.resources):
        unit, _, address = resource.address.partition("::")
        resources[f"{unit.rpartition('/')[2]}:{address}"] = resource
    notes = [n for res in results for n in res.notes]
    errors = [e for res in results for e in res.errors]
    return resources, notes, errors


def test_terragrunt_functions_are_evaluated_or_unknown_never_run(tmp_path):
    write(tmp_path, {
        "modules/q/main.tf": MODULE,
        "live/terragrunt.hcl": 'inputs = {\n  tags = { owner = "platform", team = "core" }\n}\n',
        "live/common.hcl": 'locals { prefix = "co" }\n',
        "live/a/terragrunt.hcl": """
include {
  path = find_in_parent_folders()
}
locals {
  common = read_terragrunt_config(find_in_parent_folders("common.hcl"))
}
terraform {
  source = "${get_terragrunt_dir()}/../../modules/q"
}
inputs = {
  name = "${local.common.locals.prefix}-${get_env("HOME", "nohome")}-${path_relative_to_include()}"
  tags = { team = "app" }
}
""",
        "live/b/terragrunt.hcl": """
terraform {
  source = "../../modules//q"
}
inputs = {
  name = run_cmd("sh", "-c", "echo hi")
  tags = { env = get_env("ENVIRONMENT") }
}
""",
    })
    resources, notes, errors = load(tmp_path)
    assert not errors, errors
    assert sorted(resources) == ["a:aws_sqs_queue.q", "b:aws_sqs_queue.q"]  # live/ is no unit
    a = resources["a:aws_sqs_queue.q"]
    assert a.raw["name"] == "co-nohome-a"  # get_env gives its default, never $HOME
    assert a.raw["tags"] == {"team": "app"}  # inputs merge shallowly: the unit's map wins whole
    b = resources["b:aws_sqs_queue.q"]
    assert "never runs a command" in b.raw["name"].reason
    assert "ENVIRONMENT" in b.raw["tags"]["env"].reason
    # no generate block and no provider in the module: the region is unknown, never guessed
    assert {r.region.reason for r in (a, b)} == {"no region configured for provider aws"}


def test_files_outside_the_tree_remote_sources_and_generated_providers(tmp_path):
    provider = ('generate "provider" {\n  path     = "provider.tf"\n  contents = <<EOF\n'
                '%s\nEOF\n}\n')
    write(tmp_path, {
        "secret.hcl": 'locals { region = "us-east-1" }\n',
        "repo/modules/q/main.tf": MODULE,
        "repo/live/out/terragrunt.hcl": """
locals {
  other = read_terragrunt_config("../../../secret.hcl")
}
terraform {
  source = "../../modules//q"
}
""" + provider % 'provider "aws" {\n  region = "${local.other.locals.region}"\n}',
        "repo/live/remote/terragrunt.hcl": """
terraform {
  source = "git::git@github.com:acme/modules.git//q?ref=v1.0.0"
}
""",
        "repo/live/literal/terragrunt.hcl": """
terraform {
  source = "../../modules//q"
}
""" + provider % 'provider "aws" {\n  region = "eu-central-1"\n}',
    })
    resources, notes, errors = load(tmp_path / "repo")
    assert not errors, errors
    region = resources["out:aws_sqs_queue.q"].region
    assert isinstance(region, Unknown) and "outside the scanned tree" in region.reason
    assert resources["literal:aws_sqs_queue.q"].region == "eu-central-1"
    # not loaded: one resource of type module with the unit's inputs (see the registry test)
    remote = resources["remote:module.remote"]
    assert remote.type == "module" and "never fetched" in remote.meta["not_loaded"]
    assert any("remote/terragrunt.hcl: module git::git@github.com:acme/modules.git//q?ref="
               "v1.0.0 not loaded: remote sources are never fetched" in n for n in notes), notes


def test_bad_files_are_errors_with_their_line_and_the_other_units_still_load(tmp_path):
    write(tmp_path, {
        "modules/q/main.tf": MODULE,
        "live/good/terragrunt.hcl": 'terraform {\n  source = "../../modules//q"\n}\n',
        "live/broken/terragrunt.hcl": 'terraform {\n  source = "../../modules//q"\n\n',
        "live/cycle/terragrunt.hcl": 'include "self" {\n  path = "terragrunt.hcl"\n}\n'
                                     'terraform {\n  source = "../../modules//q"\n}\n',
        "live/own/main.tf": MODULE,  # no terraform block: the unit's own files are the module
        "live/own/terragrunt.hcl": 'inputs = {\n  name = "own"\n}\n',
        "live/dynamic/terragrunt.hcl": """
terraform {
  source = "../../modules//q"
}
generate "provider" {
  path     = "provider.tf"
  contents = <<EOF
provider "aws" {
  region = "${get_env("AWS_REGION")}"
}
EOF
}
""",
    })
    resources, notes, errors = load(tmp_path)
    assert [(Path(e.file).name, e.file.split("/")[-2], e.line) for e in errors] == [
        ("terragrunt.hcl", "broken", 4)]
    assert sorted(resources) == ["cycle:aws_sqs_queue.q", "dynamic:aws_sqs_queue.q",
                                 "good:aws_sqs_queue.q", "own:aws_sqs_queue.q"]
    assert resources["own:aws_sqs_queue.q"].raw["name"] == "own"
    assert any("cycle/terragrunt.hcl:1: include not read: include cycle" in n for n in notes)
    reason = resources["dynamic:aws_sqs_queue.q"].region.reason
    assert "generated provider" in reason and "AWS_REGION" in reason


def test_scan_command_takes_the_mock_outputs_flag():
    from click.testing import CliRunner

    from hadr_lint.cli import main

    args = ["scan", str(LIVE), "--select", "HA001", "--show-unknown", "--format", "json"]
    plain = CliRunner().invoke(main, args)
    mocked = CliRunner().invoke(main, [*args, "--terragrunt-mock-outputs"])
    assert plain.exit_code == mocked.exit_code == 1, (plain.output, mocked.output)
    assert plain.output.count("its outputs are known only after it is applied") == 2
    assert mocked.output.count("its outputs are known only after it is applied") == 1


def test_include_merge_strategies(tmp_path):
    write(tmp_path, {
        "modules/q/main.tf": MODULE,
        "live/root.hcl": 'inputs = {\n  name = "from-root"\n}\n',
        "live/none/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders("root.hcl")'
                                    '\n  merge_strategy = "no_merge"\n}\n'
                                    'terraform {\n  source = "../../modules//q"\n}\n',
        "live/deep/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders("root.hcl")'
                                    '\n  merge_strategy = "deep"\n}\n'
                                    'terraform {\n  source = "../../modules//q"\n}\n',
    })
    resources, notes, errors = load(tmp_path)
    assert not errors
    assert resources["none:aws_sqs_queue.q"].raw["name"] == "none"  # the module's default
    assert resources["deep:aws_sqs_queue.q"].raw["name"] == "from-root"
    assert any("deep/terragrunt.hcl:1: include merge_strategy 'deep' read as shallow" in n
               for n in notes), notes


def test_terragrunt_files_in_hidden_folders_are_not_units(tmp_path):
    # gruntwork's modules example keeps a boilerplate template (not HCL) in .boilerplate/
    write(tmp_path, {
        "modules/q/main.tf": MODULE,
        "modules/q/.boilerplate/terragrunt.hcl": 'inputs = {\n  {{ range .vars }}\n}\n',
        "live/a/terragrunt.hcl": 'terraform {\n  source = "../../modules//q"\n}\n',
    })
    resources, notes, errors = load(tmp_path)
    assert not errors and sorted(resources) == ["a:aws_sqs_queue.q"]


def test_a_unit_given_as_a_file_reports_its_findings():
    unit = LIVE / "live" / "stage" / "us-east-1" / "app" / "terragrunt.hcl"
    result = run(unit)
    assert {(f.rule_id, unit_of(f.message)) for f in result.findings} == {
        ("HA001", "stage/us-east-1/app"), ("HA005", "stage/us-east-1/app")}


def test_a_registry_module_that_is_not_downloaded_is_mapped_like_a_module_call(tmp_path):
    write(tmp_path, {
        "live/db/terragrunt.hcl": """
generate "provider" {
  path     = "provider.tf"
  contents = "provider \\"aws\\" {\\n  region = \\"eu-west-1\\"\\n}\\n"
}

terraform {
  source = "tfr:///terraform-aws-modules/rds/aws?version=6.10.0"
}

inputs = {
  identifier = "orders"
  engine     = "postgres"
  multi_az   = false
}
""",
    })
    result = run(tmp_path, rules=("HA005",))
    [finding] = result.findings
    assert finding.resource == "module.db" and finding.line == 7
    assert finding.file.endswith("live/db/terragrunt.hcl")
    [resource] = result.resources
    assert resource.kind == "db_instance" and resource.region == "eu-west-1"
