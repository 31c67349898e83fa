"""EC2 instances (kind ``instance``), their registrations with load balancers, and HA012: what
the fixture harness cannot express."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hadr_lint.config import Config, parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.graph import Graph
from hadr_lint.model import AZ, Location, Ref, Resource, Unknown
from hadr_lint.normalise import normalise
from hadr_lint.report import picture
from hadr_lint.rulebase import all_rules, sections, select


def _resource(rtype: str, source: str = "terraform", name: str = "x", **raw) -> Resource:
    return normalise(Resource(address=f"main::{name}", name=name, type=rtype,
                              location=Location("main.tf", 1), raw=raw, source=source))


# ----- normalisation ------------------------------------------------------------------------------
def test_terraform_instance_subnet_and_zone() -> None:
    found = _resource("aws_instance", subnet_id=Ref("main::aws_subnet.a"))
    assert found.kind == "instance"
    assert found.get("subnets") == [Ref("main::aws_subnet.a")]
    assert found.get("availability_zone") is None
    only_zone = _resource("aws_instance", availability_zone="eu-west-1b")
    assert only_zone.get("subnets") is None and only_zone.get("availability_zone") == "eu-west-1b"


def test_known_zone_wins_over_an_unknown_subnet() -> None:
    found = _resource("aws_instance", source="plan", subnet_id=Unknown("known after apply"),
                      availability_zone="eu-west-1c")
    assert found.get("subnets") is None
    assert Graph([found]).zones(found).zones == {"eu-west-1c"}
    unknown = _resource("aws_instance", source="plan", subnet_id=Unknown("known after apply"))
    assert not Graph([unknown]).zones(unknown).known


@pytest.mark.parametrize("index", [0, "0"])
def test_cloudformation_primary_interface_subnet(index) -> None:
    found = _resource("AWS::EC2::Instance", source="cloudformation", NetworkInterfaces=[
        {"DeviceIndex": "1", "SubnetId": "subnet-second"},
        {"DeviceIndex": index, "SubnetId": Ref("t::SubnetA")},
    ])
    assert found.kind == "instance" and found.get("subnets") == [Ref("t::SubnetA")]


def test_cloudformation_subnet_id_wins_and_odd_interfaces_are_unknown() -> None:
    direct = _resource("AWS::EC2::Instance", source="cloudformation", SubnetId="subnet-a",
                       NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": "subnet-b"}])
    assert direct.get("subnets") == ["subnet-a"]
    by_id = _resource("AWS::EC2::Instance", source="cloudformation",
                      NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": "eni-1"}])
    assert isinstance(by_id.get("subnets"), Unknown)
    secondary_only = _resource("AWS::EC2::Instance", source="cloudformation",
                               NetworkInterfaces=[{"DeviceIndex": 1, "SubnetId": "subnet-b"}])
    assert secondary_only.get("subnets") is None
    placed = _resource("AWS::EC2::Instance", source="cloudformation", AvailabilityZone="us-east-1a",
                       NetworkInterfaces=Unknown("parameter has no value"))
    assert placed.get("subnets") is None and placed.get("availability_zone") == "us-east-1a"


def test_registrations_are_canonical() -> None:
    group = _resource("AWS::ElasticLoadBalancingV2::TargetGroup", source="cloudformation",
                      Targets=[{"Id": Ref("t::WebA"), "Port": 80}, {"Port": 80}])
    assert group.get("targets") == [Ref("t::WebA"), None]
    assert group.get("target_type") == "instance"
    classic = _resource("AWS::ElasticLoadBalancing::LoadBalancer", source="cloudformation",
                        Instances=[Ref("t::WebA")])
    assert classic.get("instances") == [Ref("t::WebA")]
    assert _resource("aws_elb", instances=["i-1", "i-2"]).get("instances") == ["i-1", "i-2"]
    attachment = _resource("aws_elb_attachment", elb="legacy", instance="i-1")
    assert attachment.kind == "target_group_attachment"
    assert (attachment.get("target"), attachment.get("instance")) == ("legacy", "i-1")


# ----- the picture --------------------------------------------------------------------------------
def test_picture_places_an_instance_in_its_az() -> None:
    subnet = _resource("aws_subnet", name="aws_subnet.a",
                       availability_zone=AZ("us-east-1", 1))
    instance = dataclasses.replace(
        _resource("aws_instance", name="aws_instance.web", subnet_id=Ref("main::aws_subnet.a")),
        region="us-east-1")
    found = picture.layout(Graph([subnet, instance]), [], Config())
    (region,) = found.regions
    (az,) = region.azs
    assert az.label == "us-east-1 AZ 2"
    assert "aws_instance.web" in [m.name for n in az.nodes for m in n.members]


# ----- HA012 beyond the fixtures ------------------------------------------------------------------
TWO_IN_ONE_AZ = """
provider "aws" {
  region = "%(region)s"
}

resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.0.0/24"
  availability_zone = "%(region)sa"
}

resource "aws_subnet" "b" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "%(region)sb"
}

resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = "vpc-1"
  target_type = %(target_type)s
}

resource "aws_instance" "web" {
  count     = 2
  ami       = "ami-1"
  subnet_id = %(subnet)s
}

resource "aws_lb_target_group_attachment" "web" {
  count            = 2
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_instance.web[count.index].id
}
"""


def _ha012(tmp_path: Path, extra: str = "", min_azs: int = 3, **values):
    values = {"region": "eu-west-1", "target_type": '"instance"',
              "subnet": "aws_subnet.a.id", **values}
    (tmp_path / "main.tf").write_text(TWO_IN_ONE_AZ % values + extra)
    result = scan(ScanOptions(paths=(tmp_path,)), parse_config({"min_azs": min_azs}),
                  select(all_rules(), ["HA012"], []))
    return [f.message for f in result.findings], [u.reason for u in result.unknowns]


def test_two_zones_are_enough_in_a_two_zone_region(tmp_path: Path) -> None:
    spread = "[aws_subnet.a.id, aws_subnet.b.id][count.index]"
    assert _ha012(tmp_path, region="us-west-1", subnet=spread) == ([], [])
    messages, _ = _ha012(tmp_path, region="us-west-1")
    assert messages == ["Target group has 2 EC2 instance targets in 1 AZ (us-west-1a); needs at "
                        "least 2 (min_azs 3 capped to the 2 AZs of us-west-1)"]


def test_min_azs_is_read_from_the_configuration(tmp_path: Path) -> None:
    spread = "[aws_subnet.a.id, aws_subnet.b.id][count.index]"
    assert _ha012(tmp_path, subnet=spread, min_azs=2) == ([], [])
    assert len(_ha012(tmp_path, subnet=spread)[0]) == 1


def test_ip_targets_are_not_checked_and_an_unknown_type_is_unverified(tmp_path: Path) -> None:
    assert _ha012(tmp_path, target_type='"ip"') == ([], [])
    extra = 'variable "target_type" {\n  type = string\n}\n'
    messages, reasons = _ha012(tmp_path, extra, target_type="var.target_type")
    assert messages == [] and reasons and reasons[0].startswith("target type unknown")


def test_an_asg_with_unknown_target_groups_may_feed_it(tmp_path: Path) -> None:
    extra = """
variable "target_group_arns" {
  type = list(string)
}

resource "aws_autoscaling_group" "other" {
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.b.id]
  target_group_arns   = var.target_group_arns
}
"""
    messages, reasons = _ha012(tmp_path, extra)
    assert messages == [] and len(reasons) == 1
    assert "aws_autoscaling_group.other may register with it" in reasons[0]


def test_an_autoscaling_attachment_silences_it(tmp_path: Path) -> None:
    extra = """
resource "aws_autoscaling_attachment" "web" {
  autoscaling_group_name = "web-asg-from-another-stack"
  lb_target_group_arn    = aws_lb_target_group.web.arn
}
"""
    assert _ha012(tmp_path, extra) == ([], [])


def test_documented_tagged_and_a_warning() -> None:
    rule = {r.id: r for r in all_rules()}["HA012"]
    found = sections(rule.doc)
    assert list(found)[1:] == ["What it does", "Why is this bad?", "Example", "Fix"]
    assert "```hcl" in found["Example"] and "```yaml" in found["Example"]
    assert "```hcl" in found["Fix"] and "```yaml" in found["Fix"]
    assert "availability-zone" in rule.meta.tags
    assert rule.meta.severity == "warning" and rule.meta.scope == "az"
