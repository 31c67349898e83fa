"""The picture draws the architecture and folds the plumbing: by normalised kind, so Terraform
and CloudFormation fold alike; single-AZ stores in their AZ; a node budget beyond which it
groups further, keeping the Mermaid diagram within what GitHub renders."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.graph import Graph
from hadr_lint.model import Location, Resource
from hadr_lint.report import picture
from hadr_lint.report.picture.fold import NODE_BUDGET, family
from hadr_lint.rulebase import all_rules
from tests.test_picture import check_mermaid, check_svg

ROOT = Path(__file__).resolve().parent.parent
FOLD = ROOT / "fixtures" / "picture-fold"
GITHUB_MERMAID_TEXT, GITHUB_MERMAID_EDGES = 50_000, 500  # maxTextSize, maxEdges defaults


def _layout(folder: Path, **options):
    result = scan(ScanOptions(paths=(folder,)), Config(), all_rules())
    return picture.layout(result.graph, result.findings, result.config, **options)


@pytest.fixture(scope="module")
def both():
    return {fmt: _layout(FOLD / fmt) for fmt in ("terraform", "cloudformation")}


def _where(found) -> list[tuple]:
    """Every node as (where, kind, note, size), where = global, regional or the AZ's position:
    the same for both formats whatever the region and AZ names."""
    out = [("global", n.kind, n.note, n.count) for n in found.global_nodes]
    for region in found.regions:
        out += [("regional", n.kind, n.note, n.count) for n in region.nodes]
        for index, az in enumerate(region.azs):
            out += [(f"AZ {index + 1}", n.kind, n.note, n.count) for n in az.nodes]
    return sorted(out)


def _supporting(found) -> Counter:
    members = [m for n in found.nodes() if n.kind == "supporting" for m in n.members]
    return Counter(family(m.kind, m.type) for m in members)


def test_terraform_and_cloudformation_fold_alike(both):
    terraform, cloudformation = both["terraform"], both["cloudformation"]
    assert _where(terraform) == _where(cloudformation)
    assert _supporting(terraform) == _supporting(cloudformation)
    labels = {fmt: sorted(n.label + " | " + n.detail for n in found.nodes()
                          if n.kind == "supporting") for fmt, found in both.items()}
    assert labels["terraform"] == labels["cloudformation"]


def test_plumbing_is_folded_into_one_node_per_region_counted_by_family(both):
    found = both["terraform"]
    region = found.regions[0]
    drawn = sorted(n.kind for n in found.nodes() if n.kind != "supporting")
    assert drawn == ["autoscaling_group", "cache_cluster", "db_cluster", "db_instance",
                     "db_instance", "db_instance", "db_instance", "efs_file_system",
                     "load_balancer", "nat_gateway", "s3_bucket"]
    folded = [n for n in region.nodes if n.kind == "supporting"]
    assert len(folded) == 1 and folded[0].label == "16 supporting resources"
    assert _supporting(found) == Counter({
        "IAM": 2, "routes": 4, "network": 3, "security groups": 2, "subnets": 2,
        "bucket settings": 1, "launch templates": 1, "listeners": 1, "target groups": 1,
        "log groups": 1})
    assert [n.label for n in found.global_nodes] == ["2 supporting resources"]
    assert folded[0].detail.startswith("routes ×4, network ×3, security groups ×2")
    assert found.notes[0].startswith("18 supporting resources (routes ×4, network ×3, IAM ×2,")


@pytest.mark.parametrize("fmt", ["terraform", "cloudformation"])
def test_single_az_stores_sit_in_their_az(both, fmt):
    found = both[fmt]
    region = found.regions[0]
    names = {"terraform": {"reports": "aws_db_instance.reports", "shared":
                           "aws_efs_file_system.shared", "scratch":
                           "aws_elasticache_cluster.scratch", "writer":
                           "aws_rds_cluster_instance.writer", "reader":
                           "aws_rds_cluster_instance.reader", "orders":
                           "aws_db_instance.orders"},
             "cloudformation": {"reports": "Reports", "shared": "Shared", "scratch": "Scratch",
                                "writer": "Writer", "reader": "Reader", "orders": "Orders"}}[fmt]
    in_az = [{m.name for n in az.nodes for m in n.members} for az in region.azs]
    assert {names["reports"], names["shared"]} <= in_az[0]  # RDS in its AZ, EFS One Zone
    assert {names["scratch"], names["writer"]} <= in_az[1]  # single-node cache, Aurora member
    regional = {n.members[0].name: n.note for n in region.nodes if n.count == 1}
    assert regional[names["orders"]] == "Multi-AZ"  # a standby elsewhere: not one AZ's
    assert regional[names["reader"]] == "AZ not set"  # AZ unknown: stays regional


def _many_regions(regions: int) -> Graph:
    """Single-AZ instances and databases in three AZs of each of ``regions`` regions."""
    found = []
    for r in range(regions):
        region = f"xx-test-{r + 1}"
        for zone in "abc":
            for type_, kind in (("aws_instance", "instance"), ("aws_db_instance", "db_instance")):
                name = f"{type_}.{zone}{r}"
                found.append(Resource(
                    address=f"main.tf::{name}", name=name, type=type_, kind=kind,
                    location=Location("main.tf", len(found) + 1), region=region,
                    attributes={"availability_zone": f"{region}{zone}"}))
    return Graph(found)


def test_node_budget_groups_single_az_resources_per_region_beyond_it():
    graph = _many_regions(12)  # 72 single-AZ nodes: more than the budget
    found = picture.layout(graph)
    assert len(found.nodes()) == 24 <= NODE_BUDGET  # one node per kind and region
    assert all(not r.azs for r in found.regions)
    assert sum(n.count for n in found.nodes()) == found.resources == 72
    assert {(n.label, n.note) for n in found.regions[0].nodes} == {
        ("aws_instance ×3", "one AZ each"), ("aws_db_instance ×3", "one AZ each")}
    assert any("72 nodes exceed the node budget of 60" in note for note in found.notes)
    check_mermaid(picture.render_mermaid(found))
    check_svg(picture.render_svg(found))
    small = picture.layout(_many_regions(2))  # 12 nodes: drawn one by one in their AZs
    assert len(small.nodes()) == 12 and not small.notes
    assert all(len(r.azs) == 3 for r in small.regions)


def test_over_budget_after_grouping_says_so():
    found = picture.layout(_many_regions(12), budget=10)
    assert len(found.nodes()) == 24
    assert found.notes[-1] == "Still 24 nodes after grouping."


def test_mermaid_within_githubs_limits_at_the_budget():
    found = picture.layout(_many_regions(40))  # 240 resources, 80 region-level groups
    text = picture.render_mermaid(found)
    parsed = check_mermaid(text)
    assert len(text) < GITHUB_MERMAID_TEXT and len(parsed["edges"]) < GITHUB_MERMAID_EDGES


def test_markdown_report_says_what_was_folded():
    outcome = CliRunner().invoke(main, ["report", str(FOLD / "terraform"), "--format",
                                       "markdown"])
    assert outcome.exit_code in (0, 1), outcome.output
    after = outcome.output.split("```mermaid", 1)[1].split("```", 2)[1]
    assert re.search(r"18 supporting resources \(routes ×4, network ×3, IAM ×2, .*\) are "
                     "folded", after)


def test_an_edge_end_is_drawn_whatever_its_kind(tmp_path):
    """A replication configuration is plumbing, but when its source bucket is not in the scan
    it is the arrow's start: drawn, not folded."""
    (tmp_path / "main.tf").write_text('''
provider "aws" {
  region = "us-east-1"
}
resource "aws_s3_bucket" "copy" {
  bucket = "orders-copy"
}
resource "aws_s3_bucket_replication_configuration" "orders" {
  bucket = "orders-managed-elsewhere"
  role   = "arn:aws:iam::123456789012:role/replication"
  rule {
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.copy.arn
    }
  }
}
''', encoding="utf-8")
    found = _layout(tmp_path)
    names = {n.id: n.label for n in found.nodes()}
    assert [(names[e.source], names[e.target], e.label) for e in found.edges] == [
        ("aws_s3_bucket_replication_configuration.orders", "aws_s3_bucket.copy",
         "S3 replication")]
    assert not any(n.kind == "supporting" for n in found.nodes()) and not found.notes


@pytest.mark.parametrize(("type_", "kind", "attributes", "drawn"), [
    ("aws_vpc_endpoint", "vpc_endpoint", {"endpoint_type": "gatewayloadbalancer"}, True),
    ("AWS::EC2::VPCEndpoint", "vpc_endpoint", {"endpoint_type": "interface"}, False),
    ("aws_networkfirewall_firewall", "network_firewall", {}, True),
    ("AWS::GlobalAccelerator::Accelerator", "global_accelerator", {}, True),
    ("aws_cloudfront_distribution", "cdn_distribution", {}, True),
    ("AWS::Route53::HealthCheck", "health_check", {}, True),
    ("aws_lb_listener", "lb_listener", {}, False),
    ("AWS::EC2::SecurityGroup", "other", {}, False),
])
def test_architecture_kinds(type_, kind, attributes, drawn):
    from hadr_lint.report.picture.fold import is_architecture

    resource = Resource(address=f"f::{type_}.x", name="x", type=type_, kind=kind,
                        location=Location("f", 1), region="us-east-1", attributes=attributes)
    assert is_architecture(resource) is drawn
