"""Terragrunt units: a live tree over local modules, read without running terragrunt."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, display_path, load_all, scan
from hadr_lint.model import Ref, Unknown
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
    # both prod apps depend on their region's vpc unit, which is in the scan: its outputs are
    # followed (prod/eu-west-1's subnets, prod/us-east-1's AZs), so their ASGs pass
    assert not result.unknowns, result.unknowns
    vpc = display_path(LIVE / "live" / "prod" / "eu-west-1" / "vpc")
    [asg] = [r for r in result.resources
             if r.address.endswith("prod/eu-west-1/app::aws_autoscaling_group.web")]
    assert asg.raw["vpc_zone_identifier"] == [Ref(f"{vpc}::aws_subnet.private[{i}]", "id")
                                              for i in range(3)]
    # the comment above stage/eu-west-1's inputs suppresses its HA005 only: stage/us-east-1's
    # database, on the same module line, is still reported
    [suppressed] = result.suppressed
    assert suppressed.finding.rule_id == "HA005"
    assert suppressed.finding.message.endswith(via("stage/eu-west-1/app"))


def test_mock_outputs_only_when_asked_and_only_for_a_dependency_not_in_the_scan():
    # the whole tree: the real outputs of the vpc units beat prod/us-east-1's one-AZ mocks
    result = run(LIVE, mock=True)
    findings = {(f.rule_id, f.resource, unit_of(f.message)) for f in result.findings}
    assert findings == {("HA001", "aws_autoscaling_group.web", "stage/us-east-1/app"),
                        ("HA005", "aws_db_instance.db", "stage/us-east-1/app")}
    assert not result.unknowns
    # a prod app scanned alone: its vpc is not in the scan; unknown, naming the dependency,
    # unless mocks are asked for and there are some (prod/us-east-1: one AZ, a finding)
    for app, mocks in (("prod/us-east-1/app", MOCKS), ("prod/eu-west-1/app", "")):
        alone = run(LIVE / "live" / app)
        assert not alone.findings
        assert {(u.rule_id, u.reason) for u in alone.unknowns} == {
            ("HA001", f"AZ spread unknown: {APPLIED}{mocks}{via(app)}"),
            ("HA003", f"AZ count unknown: {APPLIED}{mocks}{via(app)}")}
    mocked = run(LIVE / "live" / "prod" / "us-east-1" / "app", mock=True)
    assert [(f.rule_id, f.message) for f in mocked.findings] == [
        ("HA001", f"Auto Scaling group spans 1 AZ (us-east-1a); needs at least 3"
                  f"{via('prod/us-east-1/app')}")]
    assert not run(LIVE / "live" / "prod" / "eu-west-1" / "app", mock=True).findings


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

    app = LIVE / "live" / "prod" / "us-east-1" / "app"  # alone: its vpc is not in the scan
    args = ["scan", str(app), "--select", "HA001", "--show-unknown", "--format", "json"]
    plain = CliRunner().invoke(main, args)
    mocked = CliRunner().invoke(main, [*args, "--terragrunt-mock-outputs"])
    assert (plain.exit_code, mocked.exit_code) == (0, 1), (plain.output, mocked.output)
    assert plain.output.count("its outputs are known only after it is applied") == 1
    assert mocked.output.count("its outputs are known only after it is applied") == 0
    assert mocked.output.count("spans 1 AZ (us-east-1a)") == 1


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


APP = """
variable "subnet_ids" {
  type = list(string)
}
resource "aws_autoscaling_group" "web" {
  min_size            = 3
  max_size            = 6
  vpc_zone_identifier = var.subnet_ids
}
output "subnet_ids" {
  value = var.subnet_ids
}
"""

NET = """
variable "azs" {
  type = list(string)
}
resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 4, count.index)
  availability_zone = var.azs[count.index]
}
output "subnet_ids" {
  value = aws_subnet.private[*].id
}
"""

PROVIDER = """
generate "provider" {
  path     = "provider.tf"
  contents = "provider \\"aws\\" {\\n  region = \\"eu-west-1\\"\\n}\\n"
}
"""


def unit(module: str, inputs: str, dependency: str = "", mocks: str = "") -> str:
    block = (f'dependency "dep" {{\n  config_path = "{dependency}"\n{mocks}}}\n'
             if dependency else "")
    return (f'{PROVIDER}\nterraform {{\n  source = "../../modules//{module}"\n}}\n{block}'
            f"inputs = {{\n{inputs}\n}}\n")


def test_dependency_outputs_of_a_unit_in_the_scan_are_followed(tmp_path):
    mocks = '  mock_outputs = {\n    subnet_ids = ["subnet-1", "subnet-2", "subnet-3"]\n  }\n'
    write(tmp_path, {
        "modules/app/main.tf": APP,
        "modules/net/main.tf": NET,
        "live/net/terragrunt.hcl": unit("net", '  azs = ["eu-west-1a", "eu-west-1a"]'),
        # its subnets, from ../net's output: both in eu-west-1a; mocks would say otherwise.
        # live/app is discovered before live/net: read after it, its dependency first
        "live/app/terragrunt.hcl": unit(
            "app", "  subnet_ids = dependency.dep.outputs.subnet_ids", "../net", mocks),
        "live/typo/terragrunt.hcl": unit(
            "app", "  subnet_ids = dependency.dep.outputs.subnets", "../net"),
        "live/env/terragrunt.hcl": unit("net", '  azs = get_env("AZS")'),
        "live/from-env/terragrunt.hcl": unit(
            "app", "  subnet_ids = dependency.dep.outputs.subnet_ids", "../env"),
        "live/remote/terragrunt.hcl": unit("app", "").replace(
            "../../modules//app", "tfr:///acme/net/aws?version=1.0.0"),
        "live/on-remote/terragrunt.hcl": unit(
            "app", "  subnet_ids = dependency.dep.outputs.subnet_ids", "../remote", mocks),
        "live/ping/terragrunt.hcl": unit(
            "app", "  subnet_ids = dependency.dep.outputs.subnet_ids", "../pong"),
        "live/pong/terragrunt.hcl": unit(
            "app", "  subnet_ids = dependency.dep.outputs.subnet_ids", "../ping"),
    })
    for mock in (False, True):  # real outputs beat mocks
        result = run(tmp_path, mock, rules=("HA001",))
        assert not result.errors, result.errors
        assert [(f.rule_id, f.message.split(" (via ")[0], f.message.rpartition("/")[2])
                for f in result.findings] == [
            ("HA001", "Auto Scaling group spans 1 AZ (eu-west-1a); needs at least 3", "app)")]
        reasons = {u.reason.rpartition("/")[2]: u.reason.split(" (via ")[0]
                   for u in result.unknowns}
        # a unit whose module is not loaded has no real outputs: its dependants' mocks apply
        remote = reasons.pop("on-remote)", "")
        if mock:  # the mocks' ids, not subnets of the scan
            assert remote.startswith("AZ spread unknown: subnet subnet-1 is not defined in the "
                                     "scanned files"), remote
        else:
            assert remote == (
                "AZ spread unknown: dependency dep (../remote): its outputs are known only after "
                "it is applied (its module tfr:///acme/net/aws?version=1.0.0 is not loaded: "
                "remote sources are never fetched (after terragrunt init, hadr-lint reads them "
                f"from .terragrunt-cache)){MOCKS}")
        assert reasons == {
            "typo)": "AZ spread unknown: dependency dep (../net): its module declares no "
                     "output 'subnets'",
            "from-env)": "AZ spread unknown: dependency dep (../env): output subnet_ids: "
                         "count is unknown (get_env('AZS') has no default: the environment "
                         "is never read (a scan must not depend on it))",
            "ping)": "AZ spread unknown: dependency dep (../pong): its outputs are not "
                     f"followed: the units depend on each other in a cycle ({cycle(tmp_path)})",
            "pong)": "AZ spread unknown: dependency dep (../ping): its outputs are not "
                     f"followed: the units depend on each other in a cycle ({cycle(tmp_path)})",
        }
    # the Refs name the net unit's subnets, namespaced like them (not as the app's own)
    resources, _, _ = load(tmp_path)
    net = display_path((tmp_path / "live" / "net").resolve())
    assert resources["app:aws_autoscaling_group.web"].raw["vpc_zone_identifier"] == [
        Ref(f"{net}::aws_subnet.private[0]", "id"), Ref(f"{net}::aws_subnet.private[1]", "id")]
    assert {"net:aws_subnet.private[0]", "net:aws_subnet.private[1]"} <= set(resources)


def cycle(root: Path) -> str:
    return ", ".join(sorted(display_path((root / "live" / n).resolve()) for n in ("ping", "pong")))
