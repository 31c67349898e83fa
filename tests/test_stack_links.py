"""CloudFormation stacks linked by Outputs Export and Fn::ImportValue across scanned templates.

fixtures/cloudformation/stacks: network.yaml exports its subnets under names built from
AWS::StackName; app.yaml imports them through a NetworkStack parameter (default prod-network).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.loaders.cloudformation import Joined, load_file
from hadr_lint.model import Ref, Unknown

ROOT = Path(__file__).resolve().parent.parent
STACKS = ROOT / "fixtures" / "cloudformation" / "stacks"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def scan(*args: str, path: Path = STACKS) -> dict:
    result = CliRunner().invoke(main, ["scan", str(path), "--region", "us-east-1", "--select",
                                       "HA001", "--format", "json", "--show-unknown", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def findings(report: dict) -> set[tuple[str, str]]:
    return {(f["rule_id"], f["resource"]) for f in report["findings"]}


def test_without_stack_names_imports_stay_unknown_and_a_note_says_how_to_link():
    report = scan()
    assert findings(report) == set()
    reasons = {u["resource"]: u["reason"] for u in report["unknowns"]}
    assert "Fn::ImportValue prod-network-BatchSubnet" in reasons["BatchGroup"]
    assert any("--stack-name TEMPLATE=NAME" in n and "network.yaml" in n
               for n in report["notes"])


def test_stack_name_links_exports_to_imports_split_lists_included():
    report = scan("--stack-name", "fixtures/cloudformation/stacks/network.yaml=prod-network")
    assert findings(report) == {("HA001", "BatchGroup")}  # one subnet, one AZ
    assert report["unknowns"] == []  # WebGroup: !Split of the joined export gives 3 subnets
    batch = next(f for f in report["findings"] if f["resource"] == "BatchGroup")
    assert "spans 1 AZ" in batch["message"]


def test_stack_names_from_the_configuration_file(tmp_path):
    copy = shutil.copytree(STACKS, tmp_path / "stacks")
    (copy / ".hadr-lint.yaml").write_text("stack_names:\n  network.yaml: prod-network\n")
    report = scan(path=copy)
    assert findings(report) == {("HA001", "BatchGroup")}


def test_a_parameter_naming_another_stack_links_nothing(tmp_path):
    report = scan("--stack-name", "fixtures/cloudformation/stacks/network.yaml=prod-network",
                  "--parameter", "NetworkStack=staging-network")
    assert findings(report) == set()
    assert {u["resource"] for u in report["unknowns"]} == {"WebGroup", "BatchGroup"}


def test_an_export_declared_twice_is_not_linked(tmp_path):
    copy = shutil.copytree(STACKS, tmp_path / "stacks")
    shutil.copy(copy / "network.yaml", copy / "network-copy.yaml")
    report = scan("--stack-name", f"{copy / 'network.yaml'}=prod-network",
                  "--stack-name", f"{copy / 'network-copy.yaml'}=prod-network", path=copy)
    assert findings(report) == set()
    assert any("export prod-network-BatchSubnet is declared by" in n for n in report["notes"])


def test_an_edit_of_the_exporting_template_reaches_the_importer_through_the_cache(
        tmp_path, monkeypatch):
    monkeypatch.delenv("HADR_LINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = shutil.copytree(STACKS, tmp_path / "stacks")
    (copy / ".hadr-lint.yaml").write_text("stack_names:\n  network.yaml: prod-network\n")
    assert findings(scan(path=copy)) == {("HA001", "BatchGroup")}
    assert list((tmp_path / "cache" / "hadr-lint").rglob("*.pickle")), "the cache is in use"
    network = copy / "network.yaml"
    network.write_text(network.read_text().replace(
        "Value: !Ref BatchSubnet", "Value: !Join [',', [!Ref PrivateSubnetA]]"))
    joined = scan(path=copy)  # imported without !Split: a joined id, unknown until deployed
    assert findings(joined) == set()
    assert [u["resource"] for u in joined["unknowns"]] == ["BatchGroup"]
    network.write_text(network.read_text().replace(
        "Value: !Join [',', [!Ref PrivateSubnetA]]", "Value: !Ref PrivateSubnetA"))
    assert findings(scan(path=copy)) == {("HA001", "BatchGroup")}
    app = copy / "app.yaml"
    app.write_text(app.read_text().replace('"${NetworkStack}-BatchSubnet"',
                                           '"${NetworkStack}-PrivateSubnets"').replace(
        "      VPCZoneIdentifier:\n        - !ImportValue", "      VPCZoneIdentifier: !Split\n"
        "        - ','\n        - !ImportValue"))
    assert findings(scan(path=copy)) == set()


def test_loader_reports_its_exports_and_imports():
    text = (STACKS / "network.yaml").read_text()
    anonymous = load_file("network.yaml", text, region="us-east-1")
    assert "exports" not in anonymous.metadata
    assert anonymous.metadata["unnamed_exports"] == 2
    named = load_file("network.yaml", text, region="us-east-1", stack_name="prod-network")
    exports = named.metadata["exports"]
    assert exports["prod-network-BatchSubnet"] == Ref("network.yaml::BatchSubnet", "id")
    joined = exports["prod-network-PrivateSubnets"]
    assert isinstance(joined, Joined) and joined.delimiter == ","
    assert [r.address for r in joined.items] == [f"network.yaml::PrivateSubnet{x}"
                                                 for x in "ABC"]
    app = load_file("app.yaml", (STACKS / "app.yaml").read_text(), region="us-east-1",
                    exports={"prod-network-PrivateSubnets": joined})
    assert app.metadata["imports"] == ["prod-network-BatchSubnet", "prod-network-PrivateSubnets"]
    web = next(r for r in app.resources if r.name == "WebGroup")
    assert web.raw["VPCZoneIdentifier"] == list(joined.items)
    batch = next(r for r in app.resources if r.name == "BatchGroup")
    assert isinstance(batch.raw["VPCZoneIdentifier"][0], Unknown)


def test_a_joined_export_used_without_split_is_the_joined_text_or_unknown():
    template = """
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !ImportValue shared-names
      DisplayName: !ImportValue shared-subnets
"""
    result = load_file("t.yaml", template, exports={
        "shared-subnets": Joined(",", (Ref("n.yaml::A", "id"),)), "shared-names": "a,b"})
    raw = result.resources[0].raw
    assert raw["TopicName"] == "a,b"
    assert isinstance(raw["DisplayName"], Unknown)
    assert "known only at deploy time" in raw["DisplayName"].reason


def test_a_re_exported_import_links_through_two_stacks(tmp_path):
    copy = shutil.copytree(STACKS, tmp_path / "stacks")
    (copy / "app.yaml").unlink()
    (copy / "platform.yaml").write_text("""
Resources:
  Marker:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: platform
Outputs:
  WorkerSubnet:
    Value: !ImportValue prod-network-BatchSubnet
    Export:
      Name: platform-WorkerSubnet
""")
    (copy / "workers.yaml").write_text("""
Resources:
  Workers:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "2"
      MaxSize: "4"
      LaunchConfigurationName: workers
      VPCZoneIdentifier: [!ImportValue platform-WorkerSubnet]
""")
    report = scan("--stack-name", f"{copy / 'network.yaml'}=prod-network", path=copy)
    assert findings(report) == {("HA001", "Workers")}
