"""CloudFormation loader: decoding, intrinsic functions, conditions, lines, hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hadr_lint.loaders.cloudformation import (
    decode,
    load_file,
    load_template,
    looks_like_cloudformation,
)
from hadr_lint.loaders.cloudformation.context import DEFAULT_AZ_COUNT, TOO_DEEP
from hadr_lint.model import AZ, AccountArn, DeployAccount, LoadError, Ref, Unknown
from hadr_lint.regions import AZ_COUNTS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cloudformation" / "loader"
WEB = "fixtures/cloudformation/loader/web_stack.yaml"
INTRINSICS = "fixtures/cloudformation/loader/intrinsics.yaml"
CDK = "fixtures/cloudformation/loader/cdk_app.template.json"


def load(display_path: str, **kwargs):
    text = (FIXTURES / Path(display_path).name).read_text(encoding="utf-8")
    return load_template(display_path, text, **kwargs)


def by_name(result):
    return {resource.name: resource for resource in result.resources}


@pytest.fixture(scope="module")
def web():
    return by_name(load(WEB, region="us-east-1"))


@pytest.fixture(scope="module")
def web_prod():
    return by_name(load(WEB, parameters={"Environment": "prod", "DbMultiAZ": "true"}))


@pytest.fixture(scope="module")
def intrinsics():
    return by_name(load(INTRINSICS, region="us-east-1"))


# --- the web stack: ALB + ASG across three zones, RDS ------------------------------------------


def test_web_stack_loads_without_errors():
    result = load(WEB, region="us-east-1")
    assert result.errors == ()
    assert result.files == (WEB,)
    assert [r.name for r in result.resources] == [
        "Vpc",
        "SubnetA",
        "SubnetB",
        "SubnetC",
        "LoadBalancer",
        "TargetGroup",
        "LaunchTemplate",
        "WebAsg",
        "Database",
        "DbSubnetGroup",
        "ReportsBucket",
    ]


def test_resource_identity_and_region(web):
    subnet = web["SubnetB"]
    assert subnet.address == f"{WEB}::SubnetB"
    assert subnet.type == "AWS::EC2::Subnet"
    assert subnet.source == "cloudformation"
    assert subnet.region == "us-east-1"


def test_subnet_zones_from_getazs_select(web):
    assert web["SubnetA"].raw["AvailabilityZone"] == AZ("us-east-1", 0)
    assert web["SubnetB"].raw["AvailabilityZone"] == AZ("us-east-1", 1)
    # !GetAZs {Ref: AWS::Region} is the same as !GetAZs ""
    assert web["SubnetC"].raw["AvailabilityZone"] == AZ("us-east-1", 2)


def test_unknown_region_gives_zones_of_no_region(web_prod):
    subnet = web_prod["SubnetB"]
    assert subnet.raw["AvailabilityZone"] == AZ(None, 1)
    assert subnet.region == Unknown("template region unknown: pass --region")


def test_refs_to_resources(web):
    subnets = [Ref(f"{WEB}::Subnet{x}", "id") for x in "ABC"]
    assert web["LoadBalancer"].raw["Subnets"] == subnets
    assert web["WebAsg"].raw["VPCZoneIdentifier"] == subnets
    assert web["WebAsg"].raw["TargetGroupARNs"] == [Ref(f"{WEB}::TargetGroup", "id")]
    assert web["SubnetA"].raw["VpcId"] == Ref(f"{WEB}::Vpc", "id")


def test_getatt_short_and_list_forms(web, web_prod):
    version = web["WebAsg"].raw["LaunchTemplate"]["Version"]
    assert version == Ref(f"{WEB}::LaunchTemplate", "LatestVersionNumber")
    source = web_prod["DrReplica"].raw["SourceDBInstanceIdentifier"]
    assert source == Ref(f"{WEB}::Database", "DBInstanceArn")


def test_parameters_defaults_and_given_values(web, web_prod):
    assert web["Database"].raw["MultiAZ"] == "false"
    assert web_prod["Database"].raw["MultiAZ"] == "true"
    assert web["LoadBalancer"].raw["Name"] == "web-dev-alb"
    assert web_prod["Vpc"].raw["Tags"] == [{"Key": "Name", "Value": "web-prod-vpc"}]


def test_comma_delimited_list_parameter_is_split(web):
    rules = web["ReportsBucket"].raw["CorsConfiguration"]["CorsRules"]
    assert rules[0]["AllowedOrigins"] == ["10.0.0.0/8", "192.168.0.0/16"]


def test_parameter_without_value_and_ssm_parameter_are_unknown(web_prod):
    data = web_prod["LaunchTemplate"].raw["LaunchTemplateData"]
    assert data["KeyName"] == Unknown("parameter KeyName has no value")
    assert isinstance(data["ImageId"], Unknown)
    assert "SSM" in data["ImageId"].reason


def test_find_in_map_and_if(web, web_prod):
    assert web["WebAsg"].raw["MinSize"] == "1"
    assert web_prod["WebAsg"].raw["MinSize"] == "3"
    assert web["Database"].raw["BackupRetentionPeriod"] == 1
    assert web_prod["Database"].raw["BackupRetentionPeriod"] == 14


def test_no_value_removes_the_property(web):
    data = web["LaunchTemplate"].raw["LaunchTemplateData"]
    assert "KeyName" not in data
    assert data["InstanceType"] == "t3.small"


def test_base64_of_sub(web):
    import base64

    user_data = web["LaunchTemplate"].raw["LaunchTemplateData"]["UserData"]
    assert base64.b64decode(user_data).decode() == (
        '#!/bin/bash\necho "dev" > /etc/environment-name\n'
    )


def test_values_are_plain_python_data(web):
    raw = web["WebAsg"].raw
    assert type(raw) is dict
    assert all(type(key) is str for key in raw)
    assert type(raw["HealthCheckType"]) is str
    assert type(raw["VPCZoneIdentifier"]) is list
    assert raw["HealthCheckGracePeriod"] == 60
    assert raw["MaxSize"] == "6"  # kept as written: normalisation converts
    assert web["Database"].raw["StorageEncrypted"] is True


def test_pseudo_parameter_known_only_at_deploy_time(web):
    name = web["ReportsBucket"].raw["BucketName"]
    assert name == Unknown("pseudo parameter AWS::StackName is known only at deploy time")


# --- conditions ------------------------------------------------------------------------------


def test_resource_with_false_condition_is_omitted():
    result = load(WEB, region="us-east-1")
    names = by_name(result)
    assert "ReadReplica" not in names
    assert "DrReplica" not in names
    assert any("ReadReplica omitted" in note for note in result.notes)


def test_resource_with_true_condition(web_prod):
    replica = web_prod["ReadReplica"]
    assert replica.meta["condition"] == "IsProd"
    assert replica.meta["condition_unknown"] is False
    assert replica.raw["SourceDBInstanceIdentifier"] == Ref(f"{WEB}::Database", "id")


def test_undecidable_condition_keeps_resource_and_marks_it(web_prod):
    # ProdOutsideUsEast1 needs AWS::Region, which is unknown here
    assert web_prod["DrReplica"].meta["condition_unknown"] is True


def test_region_decides_condition():
    names = by_name(load(WEB, parameters={"Environment": "prod"}, region="eu-west-1"))
    assert names["DrReplica"].meta["condition_unknown"] is False
    names = by_name(load(WEB, parameters={"Environment": "prod"}, region="us-east-1"))
    assert "DrReplica" not in names


# --- lines and meta ----------------------------------------------------------------------------


def test_resource_lines(web):
    assert web["Vpc"].location.file == WEB
    assert (web["Vpc"].location.line, web["Vpc"].location.end_line) == (49, 55)
    assert (web["SubnetB"].location.line, web["SubnetB"].location.end_line) == (64, 69)
    assert (web["ReportsBucket"].location.line, web["ReportsBucket"].location.end_line) == (
        158,
        168,
    )


def test_properties_lines(web):
    lines = web["Database"].meta["properties_lines"]
    assert lines["MultiAZ"] == 133
    assert lines["BackupRetentionPeriod"] == 134
    assert lines["StorageEncrypted"] == 135  # a bool value: the key's line


def test_policies_depends_on_and_metadata(web):
    database = web["Database"].meta
    assert database["deletion_policy"] == "Snapshot"
    assert database["update_replace_policy"] == "Snapshot"
    assert "condition" not in database
    asg = web["WebAsg"].meta
    assert asg["depends_on"] == ["LoadBalancer"]
    assert asg["update_policy"] == {"AutoScalingRollingUpdate": {"MinInstancesInService": 1}}
    assert "deletion_policy" not in asg
    assert web["ReportsBucket"].meta["metadata"] == {"Comment": "nightly reports"}


def test_template_metadata_objectives_and_ignore():
    metadata = load(WEB, region="us-east-1").metadata
    assert metadata["objectives"] == {"rpo": "15m", "rto": "1h", "tier": "critical"}
    assert metadata["ignore"] == [
        {
            "rule": "HA010",
            "resource": "ReportsBucket",
            "reason": "scratch data, rebuilt nightly",
            "line": 11,
        },
        {"rule": "DR004", "line": 14},
    ]


# --- intrinsic functions ---------------------------------------------------------------------


def test_sub_with_variables_and_pseudo(intrinsics):
    assert intrinsics["Table"].raw["TableName"] == "shop-us-east-1-orders"
    assert intrinsics["Table"].raw["Literal"] == "${NotAVariable}-2"


def test_sub_of_a_single_resource_attribute_is_a_ref(intrinsics):
    arn = intrinsics["Table"].raw["StreamArnCopy"]
    assert arn == Ref(f"{INTRINSICS}::Stream", "StreamArn")


def test_find_in_map_with_region_key_default_value_and_number_key(intrinsics):
    assert intrinsics["Table"].raw["Replicas"] == [
        {"Region": "us-west-2"},
        {"Region": "us-east-2"},
    ]
    assert intrinsics["PeerSubnet"].raw["Account"] == "production"


def test_join_split_and_list_parameter(intrinsics):
    stream = intrinsics["Stream"].raw
    assert stream["ShardCount"] == 2  # YAML Default: 2 kept as given
    assert stream["Tags"][0]["Value"] == "subnet-aaa,subnet-bbb"
    assert intrinsics["PeerSubnet"].raw["FirstSubnet"] == "subnet-bbb"


def test_join_with_unknown_or_ref_part_is_unknown(intrinsics):
    stream = intrinsics["Stream"].raw
    assert stream["Name"] == Unknown("parameter Stage has no value")
    assert isinstance(stream["Tags"][1]["Value"], Unknown)
    assert "Table.Arn" in stream["Tags"][1]["Value"].reason


def test_getazs_of_explicit_region(intrinsics):
    peer = intrinsics["PeerSubnet"].raw
    # eu-west-1 has 3 zones: index 3 does not exist
    assert peer["AvailabilityZone"] == Unknown("Fn::Select index 3 is out of range (list of 3)")
    assert peer["LastZone"] == AZ("us-east-1", 5)


def test_if_branches(intrinsics):
    peer = intrinsics["PeerSubnet"].raw
    assert peer["Ipv6"] == "yes"
    assert "Gone" not in peer
    assert peer["Either"] == "same"  # undecided, both branches equal
    assert peer["Undecided"] == Unknown("condition HasStage cannot be decided (parameter Stage "
                                        "has no value)")


def test_unsupported_functions_are_unknown_with_reason(intrinsics):
    peer = intrinsics["PeerSubnet"].raw
    assert peer["VpcId"] == Unknown("Fn::ImportValue network-VpcId: exported by another stack")
    assert peer["CidrBlock"] == Unknown("Fn::Cidr is not computed")
    assert peer["Partition"] == "aws"
    user = intrinsics["ChildUser"].raw
    assert isinstance(user["TopicName"], Unknown)
    assert "nested stack Child" in user["TopicName"].reason
    assert user["KmsMasterKeyId"] == Ref(f"{INTRINSICS}::Child", "id")
    assert isinstance(user["DisplayName"], Unknown)
    assert isinstance(user["Macro"], Unknown)
    assert user["Weird"] == Unknown("intrinsic function Fn::Unheard is not supported")


def test_or_condition_decided_by_one_true_operand(intrinsics):
    assert intrinsics["ChildUser"].meta["condition_unknown"] is False


def test_parameters_change_conditions_and_zone_counts():
    names = by_name(
        load(
            INTRINSICS,
            parameters={"Stage": "blue", "Replicas": "3", "PeerRegion": "us-west-1"},
        )
    )
    peer = names["PeerSubnet"].raw
    assert peer["Undecided"] == "one"
    assert peer["Gone"] == "kept"
    assert peer["AvailabilityZone"] == Unknown("Fn::Select index 3 is out of range (list of 2)")
    assert names["Stream"].raw["Name"] == "blue-stream"
    assert names["Stream"].raw["ShardCount"] == "3"


def test_az_counts_table():
    assert AZ_COUNTS["us-east-1"] == 6
    assert AZ_COUNTS["us-west-1"] == 2
    assert DEFAULT_AZ_COUNT == 3


def test_select_beyond_assumed_zones_of_unknown_region():
    text = """
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      AvailabilityZone: !Select [4, !GetAZs ""]
"""
    raw = load_template("t.yaml", text).resources[0].raw
    assert isinstance(raw["AvailabilityZone"], Unknown)
    assert "region unknown" in raw["AvailabilityZone"].reason


# --- CDK output ----------------------------------------------------------------------------------


def test_cdk_template():
    result = load(CDK, region="eu-west-2")
    assert result.errors == ()
    names = by_name(result)
    assert "CDKMetadata" not in names  # CDKMetadataAvailable is false in eu-west-2
    table = names["OrdersTable0E7D4E3F"]
    assert table.meta["cdk_path"] == "OrdersStack/OrdersTable/Resource"
    assert table.meta["deletion_policy"] == "Retain"
    assert table.raw["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert (table.location.line, table.location.end_line) == (3, 28)
    handler = names["Handler886CB40B"]
    assert handler.raw["Role"] == Ref(f"{CDK}::HandlerServiceRole8B1A3E5D", "Arn")
    assert handler.raw["Environment"]["Variables"]["TABLE_NAME"] == Ref(
        f"{CDK}::OrdersTable0E7D4E3F", "id"
    )
    assert handler.meta["depends_on"] == ["HandlerServiceRole8B1A3E5D"]
    role = names["HandlerServiceRole8B1A3E5D"]
    assert role.raw["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]


def test_cdk_metadata_kept_when_its_condition_is_undecided():
    names = by_name(load(CDK))
    assert names["CDKMetadata"].meta["condition_unknown"] is True


# --- errors ------------------------------------------------------------------------------------


def test_malformed_yaml_reports_the_line():
    result = load("fixtures/cloudformation/loader/malformed.yaml")
    assert result.resources == ()
    assert result.errors == (
        LoadError(
            "fixtures/cloudformation/loader/malformed.yaml",
            8,
            "cannot parse template: line 8, column 3: expected ',' or ']' but found a value, "
            "in the list opened by '[' at line 7, column 13",
        ),
    )


def test_duplicate_key_reports_both_lines():
    result = load("fixtures/cloudformation/loader/duplicate_key.yaml")
    assert result.resources == ()
    assert [error.line for error in result.errors] == [7, 9]
    assert all("MultiAZ" in error.message for error in result.errors)


def test_list_document_is_an_error():
    result = load("fixtures/cloudformation/loader/list_document.yaml")
    assert result.errors == (
        LoadError(
            "fixtures/cloudformation/loader/list_document.yaml",
            1,
            "template is not a mapping (found a list)",
        ),
    )


@pytest.mark.parametrize("fast", ["0", "1"])
def test_decoder_exception_becomes_an_error(monkeypatch, fast):
    import cfnlint.decode

    from hadr_lint.loaders.cloudformation import fast_yaml

    def explode(text):
        raise RuntimeError("boom")

    monkeypatch.setenv("HADR_LINT_FAST_PATHS", fast)
    monkeypatch.setattr(cfnlint.decode, "decode_str", explode)
    monkeypatch.setattr(fast_yaml, "loads", explode)
    result = load_template("x.yaml", "Resources: {}")
    assert result.errors == (
        LoadError("x.yaml", None, "cannot decode template: RuntimeError: boom"),
    )


def test_malformed_sections_are_errors_not_tracebacks():
    text = """
AWSTemplateFormatVersion: "2010-09-09"
Conditions: [not, a, mapping]
Resources:
  NoType:
    Properties: {}
  NotAMapping: 3
  Ok:
    Type: AWS::SNS::Topic
    Properties: !Ref AWS::NoValue
"""
    result = load_template("bad.yaml", text)
    assert [r.name for r in result.resources] == ["Ok"]
    assert result.resources[0].raw == {}
    assert {(e.line, e.message) for e in result.errors} == {
        (3, "Conditions must be a mapping"),
        (5, "resource NoType has no Type"),
        (7, "resource NotAMapping must be a mapping"),
    }


def test_yaml_alias_bomb_is_rejected():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for this, prev in zip("bcdefg", "abcdef", strict=True):
        lines.append(f"{this}: &{this} [{','.join(['*' + prev] * 9)}]")
    result = load_template("bomb.yaml", "\n".join(lines) + "\n")
    assert result.resources == ()
    assert len(result.errors) == 1
    assert result.errors[0].file == "bomb.yaml"


def test_deeply_nested_intrinsics_become_unknown():
    nested = "{Fn::Base64: " * 300 + "x" + "}" * 300
    text = f"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: {nested}\n"
    result = load_template("deep.yaml", text)
    assert result.errors == ()
    assert result.resources[0].raw["X"] == Unknown(TOO_DEEP)


# --- detection and single decoding -------------------------------------------------------------


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"AWSTemplateFormatVersion": "2010-09-09"}, True),
        ({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}, True),
        ({"Resources": {"C": {"Type": "Custom::Thing"}}}, True),
        ({"Resources": {"M": {"Type": "MyOrg::Storage::Thing"}}}, True),
        ({"services": {"web": {"image": "nginx"}}}, False),
        ({"Resources": {"x": {"Type": "deployment"}}}, False),
        ({"Resources": ["AWS::S3::Bucket"]}, False),
        (["AWSTemplateFormatVersion"], False),
        ("AWSTemplateFormatVersion", False),
        (None, False),
    ],
)
def test_looks_like_cloudformation(data, expected):
    assert looks_like_cloudformation(data) is expected


def test_decode_once_then_load():
    text = (FIXTURES / "cdk_app.template.json").read_text(encoding="utf-8")
    decoded = decode(text)
    data, errors = decoded
    assert errors == ()
    assert looks_like_cloudformation(data)
    result = load_template(CDK, text, region="us-east-1", decoded=decoded)
    assert "CDKMetadata" in by_name(result)


def test_decode_errors_are_given_the_display_path():
    decoded = decode("a: [1\nb: 2\n")
    assert decoded[0] is None
    result = load_template("shown.yaml", "ignored", decoded=decoded)
    assert [e.file for e in result.errors] == ["shown.yaml"]


def test_not_cloudformation_gives_an_empty_result():
    result = load_template("compose.yaml", "services:\n  web:\n    image: nginx\n")
    assert result.resources == () and result.errors == () and result.files == ()


def test_large_template_loads_quickly():
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
    for i in range(2000):
        lines += [
            f"  Subnet{i}:",
            "    Type: AWS::EC2::Subnet",
            "    Properties:",
            f"      AvailabilityZone: !Select [{i % 3}, !GetAZs '']",
            f"      VpcId: !Ref Subnet{(i + 1) % 2000}",
        ]
    text = "\n".join(lines) + "\n"
    decoded = decode(text)
    start = time.perf_counter()
    result = load_template("big.yaml", text, region="eu-west-1", decoded=decoded)
    assert time.perf_counter() - start < 1.0
    assert len(result.resources) == 2000
    assert result.resources[-1].raw["AvailabilityZone"] == AZ("eu-west-1", 1999 % 3)
    assert result.resources[-1].location.line == 2 + 1999 * 5 + 1


def test_a_module_type_of_another_tool_is_a_note_not_an_error():
    text = (
        "Resources:\n"
        "  Bucket:\n"
        "    Type: AWS::S3::Bucket\n"
        "  Access:\n"
        '    Type: !Rain::Module "bucket-policy.yaml"\n'
    )
    result = load_file("rain.yaml", text, region="us-east-1")
    assert result.errors == ()
    assert [r.name for r in result.resources] == ["Bucket"]
    assert any("Access" in n and "not expanded" in n for n in result.notes)


def test_sub_and_join_of_a_reference_then_text_keep_the_reference():
    from hadr_lint.model import Prefixed

    template = """
Resources:
  Logs:
    Type: AWS::S3::Bucket
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${Logs.Arn}/vpc/"
      DisplayName: !Join ["", [!GetAtt Logs.Arn, "/vpc/", "x"]]
      KmsMasterKeyId: !Sub "arn:aws:s3:::${Logs}/vpc/"
"""
    raw = next(r for r in load_file("t.yaml", template).resources
               if r.name == "Topic").raw
    assert raw["TopicName"] == Prefixed(raw["TopicName"].reason, Ref("t.yaml::Logs", "Arn"),
                                        "/vpc/")
    assert raw["DisplayName"].suffix == "/vpc/x"
    assert type(raw["KmsMasterKeyId"]) is Unknown


def test_account_id_is_the_templates_deploying_account():
    """AWS::AccountId is unknown, but it is the account the template is deployed to: the same
    value wherever it stands, surviving Fn::Sub and Fn::Join in an ARN's account field (an
    AccountArn); elsewhere in a string, or in another template, it is not that value."""
    text = """\
Resources:
  Vault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: !Sub vault-${AWS::AccountId}
      BackupVaultTags:
        Account: !Ref AWS::AccountId
        Sub: !Sub arn:${AWS::Partition}:backup:${AWS::Region}:${AWS::AccountId}:backup-vault:dr
        Join: !Join [":", [arn, aws, backup, us-west-2, !Ref AWS::AccountId, backup-vault, dr]]
        Shifted: !Sub arn:aws:backup:${AWS::AccountId}:backup-vault:dr
        Field: !Sub "arn:aws:backup:us-west-2:${AWS::AccountId}x:backup-vault:dr"
"""
    first = load_template("a.yaml", text).resources[0].raw["BackupVaultTags"]
    other = load_template("b.yaml", text).resources[0].raw["BackupVaultTags"]
    account = first["Account"]
    assert isinstance(account, DeployAccount) and account != other["Account"]
    for key in ("Sub", "Join"):
        assert isinstance(first[key], AccountArn) and first[key].account == account, key
    for key in ("Shifted", "Field"):
        assert type(first[key]) is Unknown, key
    assert type(load_template("a.yaml", text).resources[0].raw["BackupVaultName"]) is Unknown
