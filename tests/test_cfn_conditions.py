"""CloudFormation conditions never drop a value: an ``Fn::If`` whose condition cannot be decided
is an unknown naming the condition, wherever it stands (the whole Properties, one property, a
list item), never absent and never a file error; what both branches agree on is kept. A
template scanned without ``--region`` decides ``AWS::Region`` with the declared primary_region."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.config import parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.loaders.cloudformation import load_template
from hadr_lint.model import Ref, Unknown
from hadr_lint.rulebase import all_rules, select

# The shapes of cfn-lint's good fixture templates/good/core/conditions.yaml (a valid template):
# Properties as a nested Fn::If, a list behind a condition whose other branch is a list holding
# an Fn::If with AWS::NoValue, a property that is AWS::NoValue in one branch, a resource whose
# Condition needs the region.
CONDITIONS = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  myEnvironment:
    Type: String
Mappings:
  location:
    us-east-1:
      primary: 'True'
Conditions:
  isProduction: !Equals [!Ref myEnvironment, Prod]
  isPrimary: !Equals ['True', !FindInMap [location, !Ref 'AWS::Region', primary]]
  isPrimaryAndProduction: !And [{Condition: isProduction}, {Condition: isPrimary}]
  isDevelopment: !Equals [!Ref myEnvironment, Dev]
Resources:
  mySubnet:
    Condition: isPrimaryAndProduction
    Type: AWS::EC2::Subnet
    Properties:
      CidrBlock: 10.0.0.0/24
      VpcId: vpc-123456
  myInstance2:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-123456
      BlockDeviceMappings:
        Fn::If:
        - isPrimaryAndProduction
        - - VirtualName: !If [isPrimary, /dev/hda, /dev/hdb]
        - - Fn::If:
            - isDevelopment
            - VirtualName: /dev/hda
              Ebs: {}
            - !Ref AWS::NoValue
  myInstance3:
    Type: AWS::EC2::Instance
    Properties:
      Fn::If:
      - isPrimaryAndProduction
      - ImageId: ami-1234567
        InstanceType: t2.medium
        Monitoring: true
      - Fn::If:
        - isDevelopment
        - ImageId: ami-abcdefg
          InstanceType: t2.xlarge
          Monitoring: "true"
        - ImageId: ami-123abcd
          InstanceType: m3.medium
          Monitoring: true
  AMIIDLookup:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Role: !If [isPrimary, !GetAtt LambdaExecutionRole.Arn, !Ref 'AWS::NoValue']
      Runtime: nodejs20.x
  LambdaExecutionRole:
    Condition: isPrimary
    Type: AWS::IAM::Role
    Properties:
      Path: /
"""

UNDECIDED_PRODUCTION = "condition isPrimaryAndProduction cannot be decided"


def _resources(text: str, **kwargs):
    result = load_template("conditions.yaml", text, **kwargs)
    assert result.errors == ()
    return {r.name: r for r in result.resources}


def _reason(value) -> str:
    assert isinstance(value, Unknown), value
    return value.reason


def test_cfn_lint_good_conditions_template_loads_without_a_file_error():
    resources = _resources(CONDITIONS, region="us-east-1")
    assert set(resources) == {"mySubnet", "myInstance2", "myInstance3", "AMIIDLookup",
                              "LambdaExecutionRole"}


def test_whole_properties_behind_nested_if_keep_what_all_branches_agree_on():
    raw = _resources(CONDITIONS, region="us-east-1")["myInstance3"].raw
    assert set(raw) == {"ImageId", "InstanceType", "Monitoring"}
    assert UNDECIDED_PRODUCTION in _reason(raw["ImageId"])
    assert "parameter myEnvironment has no value" in _reason(raw["ImageId"])
    assert raw["Monitoring"] is True  # true in every branch ("true" is the same to AWS)


def test_property_with_no_value_branch_is_unknown_not_absent():
    raw = _resources(CONDITIONS)["AMIIDLookup"].raw  # no region: isPrimary undecided
    assert "condition isPrimary cannot be decided" in _reason(raw["Role"])
    assert "template region unknown" in _reason(raw["Role"])
    decided = _resources(CONDITIONS, region="us-east-1")["AMIIDLookup"].raw
    assert decided["Role"] == Ref("conditions.yaml::LambdaExecutionRole", "Arn")


def test_list_behind_undecided_condition_is_unknown_with_its_condition():
    raw = _resources(CONDITIONS, region="us-east-1")["myInstance2"].raw
    mappings = raw["BlockDeviceMappings"]
    # one item in either branch: the item is unknown (it may not be there at all)
    assert len(mappings) == 1
    assert UNDECIDED_PRODUCTION in _reason(mappings[0])


def test_undecided_reason_says_what_the_condition_compares():
    # eu-west-1 is not in the mapping isPrimary reads: CloudFormation itself would fail there
    raw = _resources(CONDITIONS, region="eu-west-1")["AMIIDLookup"].raw
    assert _reason(raw["Role"]) == ("condition isPrimary cannot be decided (Fn::FindInMap: "
                                    "location/eu-west-1/primary is not in the mappings)")
    undeclared = CONDITIONS.replace("!If [isPrimary,", "!If [isSecondary,")
    raw = _resources(undeclared, region="us-east-1")["AMIIDLookup"].raw
    assert _reason(raw["Role"]) == "condition isSecondary cannot be decided (it is not declared)"


def test_resource_condition_undecided_may_not_exist_with_the_condition_named():
    resources = _resources(CONDITIONS, region="us-east-1")
    assert resources["mySubnet"].may_not_exist.startswith(
        "exists only if condition isPrimaryAndProduction is true (")
    assert resources["LambdaExecutionRole"].may_not_exist == ""  # isPrimary true in us-east-1
    assert "exists only if condition isPrimary is true" in \
        _resources(CONDITIONS)["LambdaExecutionRole"].may_not_exist


LIST_ITEMS = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ZoneCount: {Type: String}
Conditions:
  UseThirdZone: !Equals [!Ref ZoneCount, "3"]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      Tags:
        - {Key: team, Value: web}
        - !If [UseThirdZone, {Key: zones, Value: "3"}, !Ref AWS::NoValue]
      VersioningConfiguration: !If
        - UseThirdZone
        - {Status: Enabled, MfaDelete: Disabled}
        - {Status: Enabled}
      ObjectLockEnabled: !If [UseThirdZone, true, false]
"""


def test_list_item_with_no_value_branch_stays_an_unknown_item():
    raw = _resources(LIST_ITEMS)["Bucket"].raw
    assert raw["Tags"][0] == {"Key": "team", "Value": "web"}
    assert "condition UseThirdZone cannot be decided" in _reason(raw["Tags"][1])


def test_items_after_one_that_may_be_absent_are_not_selected_by_position():
    text = LIST_ITEMS + """\
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Select
        - 2
        - [first, !If [UseThirdZone, middle, !Ref AWS::NoValue], last]
      FirstName: !Select [0, [first, !If [UseThirdZone, middle, !Ref AWS::NoValue]]]
      Count: {"Fn::Length": [a, !If [UseThirdZone, b, !Ref AWS::NoValue]]}
"""
    raw = _resources(text)["Queue"].raw
    assert raw["FirstName"] == "first"
    # "last" only if the middle item is there: otherwise index 2 is out of range
    assert "condition UseThirdZone cannot be decided" in _reason(raw["QueueName"])
    assert "condition UseThirdZone cannot be decided" in _reason(raw["Count"])


def test_mappings_merge_key_by_key():
    raw = _resources(LIST_ITEMS)["Bucket"].raw
    assert raw["VersioningConfiguration"]["Status"] == "Enabled"  # both branches agree
    assert "UseThirdZone" in _reason(raw["VersioningConfiguration"]["MfaDelete"])
    assert "UseThirdZone" in _reason(raw["ObjectLockEnabled"])


def test_given_parameter_decides_the_condition():
    raw = _resources(LIST_ITEMS, parameters={"ZoneCount": "2"})["Bucket"].raw
    assert raw["Tags"] == [{"Key": "team", "Value": "web"}]
    assert raw["VersioningConfiguration"] == {"Status": "Enabled"}
    assert raw["ObjectLockEnabled"] is False


# --- scans: the cfn-lint fixture and a database whose Multi-AZ follows the region -------------


def _scan(folder: Path, rule: str, *, region: str | None = None, config: dict | None = None):
    options = ScanOptions(paths=(folder,), region=region)
    return scan(options, parse_config(config or {}), select(all_rules(), [rule], []))


def test_cfn_lint_good_conditions_template_scans_without_errors(tmp_path):
    (tmp_path / "conditions.yaml").write_text(CONDITIONS)
    result = _scan(tmp_path, "HA012")
    assert result.errors == ()
    assert len(result.resources) == 5


REGIONAL_DB = """\
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  InPrimaryRegion: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.m6g.large
      AllocatedStorage: "100"
      MultiAZ: !If [InPrimaryRegion, true, false]
"""


def _db_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "stacks"
    folder.mkdir()
    (folder / "database.yaml").write_text(REGIONAL_DB)
    return folder


def test_declared_primary_region_decides_region_conditions_without_region_option(tmp_path):
    folder = _db_folder(tmp_path)
    result = _scan(folder, "HA005", config={"objectives": {"primary_region": "us-east-1"}})
    assert (result.findings, result.unknowns) == ((), ())  # Multi-AZ in us-east-1
    dr = _scan(folder, "HA005", config={"objectives": {"primary_region": "us-west-2"}})
    assert [f.resource for f in dr.findings] == ["Orders"]
    assert dr.unknowns == ()


def test_region_option_decides_region_conditions_and_wins_over_primary_region(tmp_path):
    folder = _db_folder(tmp_path)
    config = {"objectives": {"primary_region": "us-east-1"}}
    # the same template deployed as the DR stack in us-west-2: --region says where it runs
    result = _scan(folder, "HA005", region="us-west-2", config=config)
    assert [f.resource for f in result.findings] == ["Orders"]
    assert _scan(folder, "HA005", region="us-east-1").findings == ()


def test_workload_primary_region_applies_to_its_templates(tmp_path):
    folder = _db_folder(tmp_path)
    config = {"workloads": [{"path": str(folder), "objectives": {"primary_region": "us-west-2"}}]}
    result = _scan(folder, "HA005", config=config)
    assert [f.resource for f in result.findings] == ["Orders"]


def test_without_region_or_primary_region_the_check_is_unverified(tmp_path):
    result = _scan(_db_folder(tmp_path), "HA005")
    assert result.findings == ()
    assert [(u.resource, u.reason) for u in result.unknowns] == [
        ("Orders", "multi_az unknown: condition InPrimaryRegion cannot be decided (template "
                   "region unknown: pass --region)")]


REPLICATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Replicate: {Type: String}
Conditions:
  ShouldReplicate: !Equals [!Ref Replicate, "true"]
Resources:
  Documents:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration: !If
        - ShouldReplicate
        - Role: arn:aws:iam::111122223333:role/replication
          Rules:
            - Status: Enabled
              Destination: {Bucket: !GetAtt Archive.Arn}
        - !Ref AWS::NoValue
  Paused:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration: !If
        - ShouldReplicate
        - Role: arn:aws:iam::111122223333:role/replication
          Rules:
            - Status: Disabled
              Destination: {Bucket: !GetAtt Orders.Arn}
        - !Ref AWS::NoValue
  Mirror:
    Type: AWS::S3::Bucket
    Condition: ShouldReplicate
    Properties:
      ReplicationConfiguration:
        Role: arn:aws:iam::111122223333:role/replication
        Rules:
          - Status: Enabled
            Destination: {Bucket: !GetAtt Vault.Arn}
  Archive: {Type: AWS::S3::Bucket}
  Vault: {Type: AWS::S3::Bucket}
  Orders: {Type: AWS::S3::Bucket}
"""


def test_property_present_or_absent_keeps_its_structure():
    """An undecidable Fn::If between a mapping and AWS::NoValue keeps the mapping: unknown as a
    value, but its references still link the resources, and the canonical attributes read it
    both ways: known where both readings agree (a disabled rule copies nowhere either way), one
    of the readings where they differ."""
    from hadr_lint.graph import Graph
    from hadr_lint.model import MaybeAbsent, OneOf
    from hadr_lint.normalise import normalise

    resources = {n: normalise(r) for n, r in _resources(REPLICATION, region="us-east-1").items()}
    documents = resources["Documents"]
    raw = documents.raw["ReplicationConfiguration"]
    assert isinstance(raw, MaybeAbsent) and "condition ShouldReplicate" in raw.reason
    archive = Ref("conditions.yaml::Archive", "Arn")
    destinations = documents.get("replication_destinations")
    assert isinstance(destinations, OneOf) and destinations.options == ([archive], [])
    assert resources["Paused"].get("replication_destinations") == []
    graph = Graph(resources.values())
    assert resources["Archive"] in graph.targets(documents, "references")
    assert graph.may_designate(destinations, resources["Archive"])
    assert not graph.may_designate(destinations, resources["Orders"])
    assert graph.may_designate(Unknown("any"), resources["Orders"])
    # asked about no resource in particular: a known option may be any, no option none
    assert graph.may_designate(destinations)
    assert not graph.may_designate(OneOf("either", options=([], None)))


def test_conditional_replication_leaves_other_buckets_decidable(tmp_path):
    """DR005: only the buckets a conditional replication (a property behind Fn::If, or a bucket
    behind a Condition) may copy to are unverified; the others are judged."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "template.yaml").write_text(REPLICATION)
    result = _scan(folder, "DR005", region="us-east-1",
                   config={"objectives": {"strategy": "pilot-light"}})
    unknown = {u.resource: u.reason for u in result.unknowns}
    found = {f.resource for f in result.findings}
    assert "Documents copies to a bucket that may be this one" in unknown["Archive"]
    assert "Mirror copies to a bucket that may be this one" in unknown["Vault"]
    assert {"Orders", "Paused"} <= found and "Orders" not in unknown
