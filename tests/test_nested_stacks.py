"""Nested CloudFormation stacks: parameters flow from parent to child, outputs back.

fixtures/cloudformation/nested: main.yaml nests stacks/network.yaml and stacks/web.yaml by local
path, and passes the network stack's subnet outputs to the web stack's parameters.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.loaders.cloudformation.stack_links import nested_file

ROOT = Path(__file__).resolve().parent.parent
NESTED = ROOT / "fixtures" / "cloudformation" / "nested"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def scan(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["scan", str(path), "--region", "us-east-1", "--select",
                                       "HA001", "--format", "json", "--show-unknown", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def outcome(report: dict) -> tuple[set, set]:
    return ({f["resource"] for f in report["findings"]},
            {u["resource"] for u in report["unknowns"]})


def test_parent_passes_a_sibling_stacks_outputs_to_the_child_parameters():
    report = scan(NESTED)
    assert outcome(report) == ({"BatchGroup"}, set())  # WebGroup: the 3 joined subnets
    batch = report["findings"][0]
    assert batch["file"].endswith("stacks/web.yaml") and "spans 1 AZ" in batch["message"]


def test_children_scanned_without_their_parent_stay_unknown():
    assert outcome(scan(NESTED / "stacks")) == (set(), {"WebGroup", "BatchGroup"})


def test_template_urls_map_s3_urls_to_a_folder(tmp_path):
    copy = shutil.copytree(NESTED, tmp_path / "repo")
    main_yaml = copy / "main.yaml"
    main_yaml.write_text(main_yaml.read_text().replace(
        "TemplateURL: stacks/", "TemplateURL: https://s3.amazonaws.com/acme-cfn/v2/stacks/"))
    assert outcome(scan(copy)) == (set(), {"WebGroup", "BatchGroup"})  # URL: not guessed
    (copy / ".hadr-lint.yaml").write_text(
        "template_urls:\n  https://s3.amazonaws.com/acme-cfn/v2/: .\n")
    (copy / ".git").mkdir()
    assert outcome(scan(copy)) == ({"BatchGroup"}, set())


def test_a_template_nested_twice_is_loaded_on_its_own_with_a_note(tmp_path):
    copy = shutil.copytree(NESTED, tmp_path / "repo")
    main_yaml = copy / "main.yaml"
    main_yaml.write_text(main_yaml.read_text() + """
  WebCopy:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/web.yaml
      Parameters:
        Subnets: !GetAtt Network.Outputs.BatchSubnet
        BatchSubnet: !GetAtt Network.Outputs.BatchSubnet
""")
    report = scan(copy)
    assert outcome(report) == (set(), {"WebGroup", "BatchGroup"})
    assert any("web.yaml is nested by several stacks" in n for n in report["notes"])


def test_a_child_edit_reaches_the_other_child_through_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("HADR_LINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = shutil.copytree(NESTED, tmp_path / "repo")
    assert outcome(scan(copy)) == ({"BatchGroup"}, set())
    network = copy / "stacks" / "network.yaml"
    text = network.read_text().replace("Value: !Ref PrivateSubnetA", "Value: !Ref PrivateSubnetB")
    network.write_text(text.replace('AvailabilityZone: !Select [2, !GetAZs ""]',
                                    'AvailabilityZone: !Select [0, !GetAZs ""]'))
    report = scan(copy)
    assert outcome(report) == ({"WebGroup", "BatchGroup"}, set())  # web: now 2 AZs of 3
    assert list((tmp_path / "cache").rglob("*.pickle"))


def test_nested_children_also_import_exports(tmp_path):
    copy = shutil.copytree(NESTED, tmp_path / "repo")
    (copy / "shared.yaml").write_text("""
Resources:
  SharedSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-0123456789abcdef0
      CidrBlock: 10.99.0.0/24
      AvailabilityZone: !Select [2, !GetAZs ""]
Outputs:
  Shared:
    Value: !Ref SharedSubnet
    Export:
      Name: shared-subnet
""")
    web = copy / "stacks" / "web.yaml"
    web.write_text(web.read_text().replace("VPCZoneIdentifier: [!Ref BatchSubnet]",
                                           "VPCZoneIdentifier: [!Ref BatchSubnet, "
                                           "!ImportValue shared-subnet]"))
    report = scan(copy)
    batch = next(f for f in report["findings"] if f["resource"] == "BatchGroup")
    assert "spans 2 AZs (us-east-1 AZ 1, us-east-1 AZ 3)" in batch["message"]


def test_nested_file_locations(tmp_path):
    (tmp_path / "stacks").mkdir()
    child = tmp_path / "stacks" / "vpc.yaml"
    child.write_text("Resources: {}\n")
    parent = tmp_path / "main.yaml"
    assert nested_file(parent, "stacks/vpc.yaml", {}, tmp_path) == child.resolve()
    assert nested_file(parent, "stacks/missing.yaml", {}, tmp_path) is None
    url = "https://bucket.s3.eu-west-1.amazonaws.com/release/stacks/vpc.yaml"
    assert nested_file(parent, url, {}, tmp_path) is None
    mapping = {"https://bucket.s3.eu-west-1.amazonaws.com/": "elsewhere",
               "https://bucket.s3.eu-west-1.amazonaws.com/release/": "."}
    assert nested_file(parent, url, mapping, tmp_path) == child.resolve()  # longest prefix
    assert nested_file(parent, "s3://bucket/x.yaml", {}, tmp_path) is None


def test_a_nested_stack_that_nests_another_links_both_levels(tmp_path):
    """main -> platform -> web: the network outputs pass through the middle template."""
    copy = shutil.copytree(NESTED, tmp_path / "repo")
    (copy / "main.yaml").write_text("""
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/network.yaml
      Parameters:
        CidrBlock: 10.40.0.0/16
  Platform:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/platform.yaml
      Parameters:
        Subnets: !GetAtt Network.Outputs.PrivateSubnets
        BatchSubnet: !GetAtt Network.Outputs.BatchSubnet
""")
    (copy / "stacks" / "platform.yaml").write_text("""
Parameters:
  Subnets:
    Type: CommaDelimitedList
  BatchSubnet:
    Type: String
Resources:
  Web:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: web.yaml
      Parameters:
        Subnets: !Join [",", !Ref Subnets]
        BatchSubnet: !Ref BatchSubnet
""")
    assert outcome(scan(copy)) == ({"BatchGroup"}, set())
