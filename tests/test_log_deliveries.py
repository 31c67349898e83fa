"""Log deliveries into S3 buckets (hadr_lint/normalise/logs.py) and what DR005 and HE003 make of
them. The rules run on fixtures (fixtures/rules/DR005, HE003); this pins every normalised field,
the severities the fixture convention cannot assert, and the cases fixtures do not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadr_lint.analysis.log_deliveries import received_logs
from hadr_lint.config import parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.graph import Graph
from hadr_lint.model import Location, Ref, Resource, Unknown
from hadr_lint.normalise import normalise
from hadr_lint.rulebase import all_rules, select

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
OFF = {"log_target": None, "log_enabled": None}


def make(type_: str, name: str, raw: dict, source: str = "terraform") -> Resource:
    meta = {"lifecycle": {}} if source == "terraform" else {}
    return normalise(Resource(address=name, name=name, type=type_, location=Location("x"),
                              raw=raw, source=source, meta=meta, region="us-east-1"))


def delivery(resource: Resource) -> dict:
    return {k: resource.get(k) for k in ("log_target", "log_enabled")}


# ----- load balancers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("type_", "raw", "source", "expected"),
    [
        # aws_lb: access_logs.enabled defaults to false, even with a bucket.
        ("aws_lb", {"access_logs": [{"bucket": "logs", "enabled": True}]}, "terraform",
         {"log_target": "logs", "log_enabled": True}),
        ("aws_alb", {"access_logs": {"bucket": "logs", "enabled": True}}, "terraform",
         {"log_target": "logs", "log_enabled": True}),
        ("aws_lb", {"access_logs": [{"bucket": "logs"}]}, "terraform", OFF),
        ("aws_lb", {"access_logs": [{"bucket": "logs", "enabled": False}]}, "terraform", OFF),
        ("aws_lb", {"access_logs": []}, "plan", OFF),
        ("aws_lb", {}, "terraform", OFF),
        # aws_elb: enabled defaults to true.
        ("aws_elb", {"access_logs": [{"bucket": "logs"}]}, "terraform",
         {"log_target": "logs", "log_enabled": True}),
        ("aws_elb", {"access_logs": [{"bucket": "logs", "enabled": "false"}]}, "terraform", OFF),
        ("AWS::ElasticLoadBalancingV2::LoadBalancer", {"LoadBalancerAttributes": [
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": Ref("t::Logs")}]}, "cloudformation",
         {"log_target": Ref("t::Logs"), "log_enabled": True}),
        ("AWS::ElasticLoadBalancingV2::LoadBalancer", {"LoadBalancerAttributes": [
            {"Key": "access_logs.s3.bucket", "Value": "logs"}]}, "cloudformation", OFF),
        ("AWS::ElasticLoadBalancingV2::LoadBalancer", {}, "cloudformation", OFF),
        ("AWS::ElasticLoadBalancing::LoadBalancer", {"AccessLoggingPolicy": {
            "Enabled": True, "S3BucketName": "logs", "EmitInterval": 5}}, "cloudformation",
         {"log_target": "logs", "log_enabled": True}),
        ("AWS::ElasticLoadBalancing::LoadBalancer", {"AccessLoggingPolicy": {
            "Enabled": False, "S3BucketName": "logs"}}, "cloudformation", OFF),
    ],
)
def test_load_balancer_access_logs(type_, raw, source, expected):
    resource = make(type_, "lb", raw, source)
    assert resource.kind == "load_balancer"
    assert delivery(resource) == expected


def test_unknown_enabled_keeps_the_target():
    tf = make("aws_lb", "lb", {"access_logs": [{"bucket": "logs",
                                                "enabled": Unknown("variable x has no value")}]})
    cfn = make("AWS::ElasticLoadBalancingV2::LoadBalancer", "lb", {"LoadBalancerAttributes": [
        {"Key": "access_logs.s3.enabled", "Value": Unknown("parameter Logs has no value")},
        {"Key": "access_logs.s3.bucket", "Value": "logs"}]}, "cloudformation")
    for resource in (tf, cfn):
        assert resource.get("log_target") == "logs"
        assert isinstance(resource.get("log_enabled"), Unknown)


def test_unknown_attribute_key_or_block_is_unknown():
    key = make("AWS::ElasticLoadBalancingV2::LoadBalancer", "lb", {"LoadBalancerAttributes": [
        {"Key": Unknown("Fn::If"), "Value": "true"}]}, "cloudformation")
    assert isinstance(key.get("log_target"), Unknown)
    block = make("aws_lb", "lb", {"access_logs": Unknown("dynamic block")})
    assert isinstance(block.get("log_target"), Unknown)


# ----- log_delivery ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("type_", "raw", "source", "what", "target"),
    [
        ("aws_cloudtrail", {"s3_bucket_name": "trail"}, "terraform", "CloudTrail logs", "trail"),
        ("AWS::CloudTrail::Trail", {"S3BucketName": "trail", "IsLogging": True},
         "cloudformation", "CloudTrail logs", "trail"),
        ("aws_flow_log", {"log_destination_type": "s3",
                          "log_destination": "arn:aws:s3:::flow/vpc-main/"}, "terraform",
         "VPC flow logs", "arn:aws:s3:::flow"),
        ("aws_flow_log", {"log_destination_type": "S3",
                          "log_destination": Ref("aws_s3_bucket.flow", "arn")}, "plan",
         "VPC flow logs", Ref("aws_s3_bucket.flow", "arn")),
        ("AWS::EC2::FlowLog", {"LogDestinationType": "s3",
                               "LogDestination": "arn:aws-us-gov:s3:::flow/AWSLogs/"},
         "cloudformation", "VPC flow logs", "arn:aws-us-gov:s3:::flow"),
        ("aws_config_delivery_channel", {"s3_bucket_name": "cfg"}, "terraform",
         "AWS Config history", "cfg"),
        ("AWS::Config::DeliveryChannel", {"S3BucketName": "cfg"}, "cloudformation",
         "AWS Config history", "cfg"),
        ("aws_s3_bucket_inventory", {"bucket": "src", "destination": [
            {"bucket": [{"bucket_arn": "arn:aws:s3:::inv", "format": "CSV"}]}]}, "terraform",
         "S3 inventory reports", "arn:aws:s3:::inv"),
    ],
)
def test_log_delivery(type_, raw, source, what, target):
    resource = make(type_, "d", raw, source)
    assert resource.kind == "log_delivery"
    assert resource.get("what") == what
    assert delivery(resource) == {"log_target": target, "log_enabled": True}


@pytest.mark.parametrize(
    ("type_", "raw"),
    [
        ("aws_cloudtrail", {"s3_bucket_name": "trail", "enable_logging": False}),
        ("aws_flow_log", {"log_destination": "arn:aws:logs:us-east-1:1:log-group:flow"}),
        ("aws_flow_log", {"log_destination_type": "cloud-watch-logs",
                          "log_destination": "arn:aws:logs:us-east-1:1:log-group:flow"}),
        ("aws_s3_bucket_inventory", {"bucket": "src", "enabled": False, "destination": [
            {"bucket": [{"bucket_arn": "arn:aws:s3:::inv"}]}]}),
    ],
)
def test_no_delivery_to_s3(type_, raw):
    assert delivery(make(type_, "d", raw)) == OFF


def test_cloudformation_trail_not_logging():
    trail = make("AWS::CloudTrail::Trail", "t", {"S3BucketName": "trail", "IsLogging": "false"},
                 "cloudformation")
    assert delivery(trail) == OFF


def test_inventory_source_bucket_and_unknowns():
    inventory = make("aws_s3_bucket_inventory", "i", {"bucket": "src", "destination": [
        {"bucket": [{"bucket_arn": "arn:aws:s3:::inv"}]}]})
    assert inventory.get("bucket") == "src"
    flow = make("aws_flow_log", "f", {"log_destination_type": Unknown("variable t has no value"),
                                      "log_destination": "arn:aws:s3:::flow"})
    assert flow.get("log_target") == "arn:aws:s3:::flow"
    assert isinstance(flow.get("log_enabled"), Unknown)
    trail = make("aws_cloudtrail", "t", {"s3_bucket_name": Unknown("variable b has no value")})
    assert isinstance(trail.get("log_target"), Unknown)


def test_cloudformation_inline_inventory_targets():
    bucket = make("AWS::S3::Bucket", "B", {"InventoryConfigurations": [
        {"Id": "a", "Enabled": True, "Destination": {"BucketArn": "arn:aws:s3:::inv/x"}},
        {"Id": "b", "Enabled": False, "Destination": {"BucketArn": "arn:aws:s3:::old"}},
        {"Id": "c", "Enabled": Unknown("parameter P has no value"),
         "Destination": {"BucketArn": "arn:aws:s3:::maybe"}},
    ]}, "cloudformation")
    first, second = bucket.get("inventory_targets")
    assert first == "arn:aws:s3:::inv"
    assert isinstance(second, Unknown) and "maybe" in second.reason
    assert make("AWS::S3::Bucket", "B", {}, "cloudformation").get("inventory_targets") == []


# ----- received_logs -----------------------------------------------------------------------------
def _bucket(name: str, **raw) -> Resource:
    return make("aws_s3_bucket", f"aws_s3_bucket.{name}", {"bucket": name, **raw})


def test_received_logs_names_each_delivery_once():
    logs = _bucket("logs")
    graph = Graph([
        logs, _bucket("data", logging=[{"target_bucket": "logs"}]),
        make("aws_cloudtrail", "aws_cloudtrail.a", {"s3_bucket_name": "logs"}),
        make("aws_cloudtrail", "aws_cloudtrail.b", {"s3_bucket_name": "logs"}),
        make("aws_flow_log", "aws_flow_log.f", {"log_destination_type": "s3",
                                                 "log_destination": "arn:aws:s3:::logs/vpc/"}),
    ])
    assert received_logs(graph, logs) == (
        ["CloudTrail logs", "S3 server access logs", "VPC flow logs"], None)


def test_own_access_logs_and_inventory_do_not_make_a_log_bucket():
    data = _bucket("data", logging=[{"target_bucket": "data"}])
    graph = Graph([data, make("aws_s3_bucket_inventory", "aws_s3_bucket_inventory.i", {
        "bucket": Ref("aws_s3_bucket.data"),
        "destination": [{"bucket": [{"bucket_arn": "arn:aws:s3:::data"}]}]})])
    assert received_logs(graph, data) == ([], None)


def test_unknown_enabled_is_unknown_only_for_its_bucket():
    logs, data = _bucket("logs"), _bucket("data")
    graph = Graph([logs, data, make("aws_lb", "aws_lb.web", {"access_logs": [
        {"bucket": "logs", "enabled": Unknown("variable on has no value")}]})])
    found, unknown = received_logs(graph, logs)
    assert found == [] and "may deliver load balancer access logs" in unknown.reason
    assert received_logs(graph, data) == ([], None)


def test_unknown_target_may_be_any_bucket():
    data = _bucket("data")
    graph = Graph([data, make("aws_config_delivery_channel", "aws_config_delivery_channel.c",
                              {"s3_bucket_name": Unknown("variable b has no value")})])
    found, unknown = received_logs(graph, data)
    assert found == [] and "AWS Config history to a bucket that may be this one" in unknown.reason


# ----- the rules on the fixtures -----------------------------------------------------------------
def _findings(rule_id: str, case: str, **options) -> dict[str, tuple[str, str]]:
    config = parse_config({"objectives": options.pop("objectives")} if "objectives" in options
                          else {})
    result = scan(ScanOptions(paths=(FIXTURES / rule_id / case,), **options), config,
                  select(all_rules(), [rule_id], []))
    assert not result.errors
    return {f.resource: (f.severity, f.message) for f in result.findings}


@pytest.mark.parametrize(
    ("case", "options", "notes", "warnings"),
    [
        ("tf-log-buckets", {}, ["aws_s3_bucket.access_logs", "aws_s3_bucket.cloudtrail",
                                "aws_s3_bucket.flow_logs"], ["aws_s3_bucket.invoices"]),
        ("cfn-log-buckets", {"region": "eu-west-1"}, ["AuditBucket", "FlowLogBucket"],
         ["AlbLogsBucket", "Reports"]),
        ("plan-log-buckets", {}, ["aws_s3_bucket.flow_logs"], ["aws_s3_bucket.exports"]),
        ("tf-unknown-log-target", {}, [], ["aws_s3_bucket.audit"]),
    ],
)
def test_he003_log_buckets_are_notes(case, options, notes, warnings):
    found = _findings("HE003", case, **options)
    assert sorted(r for r, (s, _) in found.items() if s == "note") == notes
    assert sorted(r for r, (s, _) in found.items() if s == "warning") == warnings


def test_he003_configured_severity_still_wins():
    config = parse_config({"severity": {"HE003": "error"}})
    result = scan(ScanOptions(paths=(FIXTURES / "HE003" / "tf-log-buckets",)), config,
                  select(all_rules(), ["HE003"], []))
    assert {f.severity for f in result.findings} == {"error"}


FLOW_LOG_TF = (
    'provider "aws" {\n  region = "us-east-1"\n}\n\n'
    'resource "aws_s3_bucket" "flow" {\n  bucket = "acme-flow"\n}\n\n'
    'resource "aws_flow_log" "vpc" {\n  vpc_id               = "vpc-0a1b2c3d"\n'
    '  traffic_type         = "ALL"\n  log_destination_type = "s3"\n'
    '  log_destination      = "DESTINATION"\n}\n')


@pytest.mark.parametrize(("destination", "unverified"), [
    ("${aws_s3_bucket.flow.arn}/vpc/", []),  # the bucket's ARN and a key prefix: that bucket
    ("${aws_s3_bucket.flow.arn}", []),
    ("${aws_s3_bucket.flow.id}/vpc/", ["aws_s3_bucket.flow"]),  # a name + text: not an ARN
    ("arn:aws:s3:::${aws_s3_bucket.flow.id}/vpc/", ["aws_s3_bucket.flow"]),
])
def test_dr005_flow_log_destination_built_from_the_bucket(tmp_path, destination, unverified):
    """``"${aws_s3_bucket.flow.arn}/vpc/"`` is unknown as text, but still that bucket."""
    (tmp_path / "main.tf").write_text(FLOW_LOG_TF.replace("DESTINATION", destination))
    config = parse_config({"objectives": {"strategy": "pilot-light"}})
    result = scan(ScanOptions(paths=(tmp_path,)), config, select(all_rules(), ["DR005"], []))
    assert not result.findings
    assert [u.resource for u in result.unknowns] == unverified


@pytest.mark.parametrize("destination", ['!Sub "${FlowBucket.Arn}/vpc/"',
                                         '!Join ["", [!GetAtt FlowBucket.Arn, "/vpc/"]]'])
def test_dr005_cloudformation_flow_log_destination_with_a_prefix(tmp_path, destination):
    (tmp_path / "template.yaml").write_text(f"""
Resources:
  FlowBucket:
    Type: AWS::S3::Bucket
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: vpc-0a1b2c3d
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: {destination}
""")
    config = parse_config({"objectives": {"strategy": "pilot-light"}})
    result = scan(ScanOptions(paths=(tmp_path,), region="us-east-1"), config,
                  select(all_rules(), ["DR005"], []))
    assert not result.findings and not result.unknowns
