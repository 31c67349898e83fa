"""Global Accelerator endpoint groups and CloudFront origin failover route between regions
without DNS records: the objectives' routing blocks count them (hadr_lint.analysis.front_doors)."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.analysis.front_doors import front_door_routes
from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.model import Unknown

CLOUDFRONT = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  OriginDomain:
    Type: String
Resources:
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: east
            DomainName: assets-east.s3.us-east-1.amazonaws.com
          - Id: west
            DomainName: assets-west.s3.us-west-2.amazonaws.com
          - Id: other
            DomainName: !Ref OriginDomain
        OriginGroups:
          Quantity: 2
          Items:
            - Id: failover
              FailoverCriteria:
                StatusCodes: {Quantity: 2, Items: [500, 503]}
              Members:
                Quantity: 2
                Items: [{OriginId: east}, {OriginId: west}]
            - Id: unknown
              FailoverCriteria:
                StatusCodes: {Quantity: 1, Items: [503]}
              Members:
                Quantity: 2
                Items: [{OriginId: east}, {OriginId: other}]
        DefaultCacheBehavior:
          TargetOriginId: failover
          ViewerProtocolPolicy: redirect-to-https
"""


def _doors(tmp_path: Path, text: str, name: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = scan(ScanOptions(paths=(tmp_path,), region="us-east-1"), Config(), [])
    assert not result.errors, result.errors
    return list(front_door_routes(result.graph, result.graph.resources(), Config()))


def test_cloudfront_origin_failover_over_two_regions(tmp_path: Path) -> None:
    doors = _doors(tmp_path, CLOUDFRONT, "site.yaml")
    assert [(d.what, d.known) for d in doors] == [
        ("CloudFront origin failover", ["us-east-1", "us-west-2"]),
        ("CloudFront origin failover", ["us-east-1"])]
    assert doors[0].unknown is None
    assert isinstance(doors[1].unknown, Unknown)  # the origin named by a parameter


def test_terraform_origin_group_and_accelerator(tmp_path: Path) -> None:
    text = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true
  origin {
    origin_id   = "east"
    domain_name = "assets-east.s3.us-east-1.amazonaws.com"
  }
  origin {
    origin_id   = "west"
    domain_name = "assets-west.s3.us-west-2.amazonaws.com"
  }
  origin_group {
    origin_id = "failover"
    failover_criteria {
      status_codes = [500, 503]
    }
    member {
      origin_id = "east"
    }
    member {
      origin_id = "west"
    }
  }
}

resource "aws_globalaccelerator_endpoint_group" "eu" {
  listener_arn          = "arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l"
  endpoint_group_region = "eu-west-1"
  endpoint_configuration {
    endpoint_id = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1"
  }
}
"""
    doors = _doors(tmp_path, text, "main.tf")
    found = {d.what: d.known for d in doors}
    assert found == {"Global Accelerator endpoint groups": ["eu-west-1"],
                     "CloudFront origin failover": ["us-east-1", "us-west-2"]}
