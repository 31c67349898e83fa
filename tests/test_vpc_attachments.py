"""VPC attachments of regional services (Lambda, interface endpoints, EFS mount targets) and
HA013: what the fixture harness cannot express."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadr_lint.config import parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.model import Location, Ref, Resource, Unknown
from hadr_lint.normalise import normalise
from hadr_lint.rulebase import all_rules, select


def _resource(rtype: str, source: str = "terraform", meta=None, **raw) -> Resource:
    return normalise(Resource(address="main::x", name="x", type=rtype,
                              location=Location("main.tf", 1), raw=raw, source=source,
                              meta=meta or {}))


def _scan(tmp_path: Path, name: str, text: str, min_azs: int = 3, region: str | None = None):
    (tmp_path / name).write_text(text)
    rules = select(all_rules(), ["HA013"], [])
    result = scan(ScanOptions(paths=(tmp_path,), region=region),
                  parse_config({"min_azs": min_azs}), rules)
    assert not result.errors, result.errors
    return ({f.resource: f.message for f in result.findings},
            {u.resource: u.reason for u in result.unknowns})


# ----- normalisation ------------------------------------------------------------------------------
def test_lambda_without_vpc_config_has_no_subnets() -> None:
    assert _resource("aws_lambda_function").get("subnets") is None
    plan = _resource("aws_lambda_function", source="plan", vpc_config=[])
    assert plan.kind == "lambda_function" and plan.get("subnets") is None
    cfn = _resource("AWS::Lambda::Function", source="cloudformation",
                    VpcConfig={"SubnetIds": [Ref("t::A")], "SecurityGroupIds": ["sg-1"]})
    assert cfn.get("subnets") == [Ref("t::A")]


@pytest.mark.parametrize(
    ("own", "shared", "expected"),
    [
        (None, None, None),
        ([Ref("t::A")], None, [Ref("t::A")]),
        (None, {"VpcConfig": {"SubnetIds": [Ref("t::B")]}}, [Ref("t::B")]),
        ([Ref("t::A")], {"VpcConfig": {"SubnetIds": [Ref("t::B")]}}, [Ref("t::A"), Ref("t::B")]),
        ([Ref("t::A")], {"Runtime": "python3.12"}, [Ref("t::A")]),
    ],
)
def test_sam_function_concatenates_globals_subnets(own, shared, expected) -> None:
    raw = {"VpcConfig": {"SubnetIds": own}} if own is not None else {}
    meta = {"sam_globals": shared} if shared is not None else {}
    found = _resource("AWS::Serverless::Function", source="cloudformation", meta=meta, **raw)
    assert found.kind == "lambda_function" and found.get("subnets") == expected


def test_sam_globals_unknown_makes_subnets_unknown() -> None:
    found = _resource("AWS::Serverless::Function", source="cloudformation",
                      meta={"sam_globals": Unknown("Fn::Transform")},
                      VpcConfig={"SubnetIds": [Ref("t::A")]})
    assert isinstance(found.get("subnets"), Unknown)


def test_endpoint_type_defaults_to_gateway() -> None:
    assert _resource("aws_vpc_endpoint").get("endpoint_type") == "gateway"
    assert _resource("AWS::EC2::VPCEndpoint", source="cloudformation",
                     VpcEndpointType="Interface").get("endpoint_type") == "interface"


def test_mount_target_subnet_is_a_one_item_list() -> None:
    found = _resource("aws_efs_mount_target", file_system_id=Ref("main::aws_efs_file_system.a"),
                      subnet_id="subnet-1")
    assert found.kind == "efs_mount_target" and found.get("subnets") == ["subnet-1"]
    assert found.get("file_system") == Ref("main::aws_efs_file_system.a")


# ----- HA013 --------------------------------------------------------------------------------------
SUBNETS = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.2.0/24"
  availability_zone = "eu-west-1b"
}
"""


def test_association_with_unknown_endpoint_leaves_endpoints_unverified(tmp_path) -> None:
    findings, unknowns = _scan(tmp_path, "main.tf", SUBNETS + """
variable "endpoint_id" {
  type = string
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = "vpc-1"
  service_name      = "com.amazonaws.eu-west-1.sqs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.a.id]
}

resource "aws_vpc_endpoint_subnet_association" "extra" {
  vpc_endpoint_id = var.endpoint_id
  subnet_id       = aws_subnet.b.id
}
""")
    assert findings == {}
    assert "aws_vpc_endpoint_subnet_association.extra may attach to it" in \
        unknowns["aws_vpc_endpoint.sqs"]


def test_mount_target_with_unknown_file_system_leaves_file_systems_unverified(tmp_path) -> None:
    findings, unknowns = _scan(tmp_path, "main.tf", SUBNETS + """
variable "file_system_id" {
  type = string
}

resource "aws_efs_file_system" "shared" {}

resource "aws_efs_mount_target" "a" {
  file_system_id = aws_efs_file_system.shared.id
  subnet_id      = aws_subnet.a.id
}

resource "aws_efs_mount_target" "b" {
  file_system_id = var.file_system_id
  subnet_id      = aws_subnet.b.id
}
""")
    assert findings == {}
    assert "aws_efs_mount_target.b may attach to it" in unknowns["aws_efs_file_system.shared"]


def test_gateway_load_balancer_endpoint_is_not_checked(tmp_path) -> None:
    findings, unknowns = _scan(tmp_path, "main.tf", SUBNETS + """
resource "aws_vpc_endpoint" "inspection" {
  vpc_id            = "vpc-1"
  service_name      = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.a.id]
}
""")
    assert findings == {} and unknowns == {}


def test_min_azs_two_accepts_two_zones(tmp_path) -> None:
    text = SUBNETS + """
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = ["sg-1"]
  }
}
"""
    assert _scan(tmp_path, "main.tf", text, min_azs=2) == ({}, {})
    findings, _ = _scan(tmp_path, "main.tf", text, min_azs=3)
    assert findings == {"aws_lambda_function.orders": "Lambda function's VPC subnets span "
                        "2 AZs (eu-west-1a, eu-west-1b); needs at least 3"}


def test_sam_globals_with_unknown_subnets_is_unverified(tmp_path) -> None:
    findings, unknowns = _scan(tmp_path, "template.yaml", """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  SharedSubnets:
    Type: List<AWS::EC2::Subnet::Id>
Globals:
  Function:
    VpcConfig:
      SubnetIds: !Ref SharedSubnets
Resources:
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-1
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: !Select [0, !GetAZs ""]
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: orders/
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
""", region="eu-west-1")
    assert findings == {}
    assert "SharedSubnets" in unknowns["Orders"]


def test_empty_efs_zone_name_is_regional_storage() -> None:
    """A state, or a plan of an existing Regional file system, carries an empty zone name."""
    found = _resource("aws_efs_file_system", source="plan", availability_zone_name="")
    assert found.get("availability_zone") is None
    one_zone = _resource("aws_efs_file_system", source="plan", availability_zone_name="eu-west-1a")
    assert one_zone.get("availability_zone") == "eu-west-1a"
