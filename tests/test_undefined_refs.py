"""References to addresses that no scanned file defines: unknown, and none of the scanned
resources (``Graph.may_designate``)."""

from __future__ import annotations

from hadr_lint.graph import Graph
from hadr_lint.loaders.cloudformation import load_file
from hadr_lint.model import Location, Resource, Undefined, Unknown

TEMPLATE = """
Resources:
  Logs:
    Type: AWS::S3::Bucket
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref Archive
      KMSKeyId: !GetAtt Key.Arn
"""


def bucket(address: str) -> Resource:
    return Resource(address=address, name=address.split("::")[-1], type="aws_s3_bucket",
                    location=Location("main.tf", 1), kind="s3_bucket")


def test_an_undefined_address_designates_no_scanned_resource() -> None:
    graph = Graph([bucket(".::aws_s3_bucket.logs")])
    assert graph.may_designate(Unknown("variable bucket has no value"))
    assert not graph.may_designate(Undefined("no scanned file declares resource "
                                             "aws_s3_bucket.archive",
                                             address=".::aws_s3_bucket.archive"))
    # a loader never makes one for a defined address; if it did, it may be that resource
    assert graph.may_designate(Undefined("?", address=".::aws_s3_bucket.logs"))
    assert not graph.may_designate("arn:aws:s3:::somewhere")  # known values: resolve() says


def test_cloudformation_ref_to_a_missing_logical_id_is_undefined() -> None:
    result = load_file("stack.yaml", TEMPLATE, region="us-east-1")
    trail = next(r for r in result.resources if r.name == "Trail")
    for key, name in (("S3BucketName", "Archive"), ("KMSKeyId", "Key")):
        value = trail.raw[key]
        assert isinstance(value, Undefined), value
        assert value.address == f"stack.yaml::{name}"
        assert "neither a parameter nor a resource of this template" in value.reason
