"""One notion of workload data (hadr_lint/analysis/store_classes.py): log buckets, caches and
the team's overrides, read by the objectives, the data rules and the posture report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.analysis.store_classes import store_class
from hadr_lint.cli import main
from hadr_lint.config import Config, ConfigError, check_file, load_config, parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.model import Unknown

ROOT = Path(__file__).resolve().parent.parent
WARM = ROOT / "fixtures" / "rules" / "OB003" / "tf-warm-standby-aurora-global-log-buckets"
STORES = """
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
}

resource "aws_memorydb_cluster" "profiles" {
  name      = "profiles"
  node_type = "db.r7g.large"
  acl_name  = "open-access"
}

resource "aws_s3_bucket" "orders" {
  bucket = "acme-orders"
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-trail"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_s3_bucket" "maybe" {
  bucket = "acme-maybe"
}

resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123456789abcdef0"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = var.flow_log_bucket_arn
}
"""


def classes(path: Path, config: Config) -> dict[str, object]:
    result = scan(ScanOptions(paths=(path,), region="us-east-1"), config, [])
    graph = result.graph
    return {r.name: store_class(graph, r, config) for r in graph.resources()
            if r.kind in ("s3_bucket", "cache_replication_group", "memorydb_cluster")}


def test_default_classes(tmp_path):
    (tmp_path / "main.tf").write_text(STORES)
    found = classes(tmp_path, Config())
    assert found["aws_elasticache_replication_group.sessions"] == "cache"
    assert found["aws_memorydb_cluster.profiles"] == "workload"
    assert found["aws_s3_bucket.trail"] == "logs"
    # A flow log to a bucket that cannot be resolved may deliver to any bucket.
    assert isinstance(found["aws_s3_bucket.orders"], Unknown)
    assert "aws_flow_log.vpc" in found["aws_s3_bucket.orders"].reason


def test_overrides_win_both_ways(tmp_path):
    (tmp_path / "main.tf").write_text(STORES.split('resource "aws_s3_bucket" "maybe"')[0])
    config = parse_config({"store_classes": {
        "aws_s3_bucket.trail": "workload", "aws_s3_bucket.orders": "artifacts",
        "aws_elasticache_replication_group.sessions": "workload",
        "aws_memorydb_cluster.profiles": "cache"}})
    found = classes(tmp_path, config)
    assert found == {"aws_s3_bucket.trail": "workload", "aws_s3_bucket.orders": "artifacts",
                     "aws_elasticache_replication_group.sessions": "workload",
                     "aws_memorydb_cluster.profiles": "cache"}
    assert classes(tmp_path, Config())["aws_s3_bucket.orders"] == "workload"


def test_unknown_class_refused_with_file_and_line(tmp_path):
    path = tmp_path / ".hadr-lint.yaml"
    path.write_text("min_azs: 2\nstore_classes:\n  aws_s3_bucket.logs: logs\n"
                    "  aws_s3_bucket.tmp: scratch\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:4: store_classes.aws_s3_bucket.tmp: unknown "
                                        "class 'scratch'")
    problems = check_file(path, known=[])
    assert problems and all(p.startswith(f"{path}:4: store_classes.aws_s3_bucket.tmp: ")
                            for p in problems), problems


def test_store_classes_must_be_a_mapping():
    with pytest.raises(ConfigError, match="store_classes must be a mapping"):
        parse_config({"store_classes": ["aws_s3_bucket.logs"]})


def test_report_headline_ignores_log_buckets_and_shows_classes(monkeypatch):
    monkeypatch.chdir(ROOT)
    args = ["report", str(WARM.relative_to(ROOT)), "--strategy", "warm-standby",
            "--rpo", "1m", "--rto", "10m", "--format", "json"]
    out = CliRunner().invoke(main, args, catch_exceptions=False).output
    workload = json.loads(out)["workloads"][0]
    assert workload["rpo"]["region"]["seconds"] == 1.0
    stores = {s["resource"]: s for s in workload["stores"]}
    assert stores["aws_rds_cluster.orders_primary"]["class"] == "workload"
    for name in ("aws_s3_bucket.alb_logs_primary", "aws_s3_bucket.alb_logs_dr"):
        assert stores[name]["class"] == "logs"
        assert stores[name]["rpo_region"] == "not counted (logs)"
    markdown = CliRunner().invoke(main, args[:-2], catch_exceptions=False).output
    assert "| `aws_s3_bucket.alb_logs_primary` | logs | us-east-1 |" in markdown


def test_an_override_naming_no_resource_is_a_note(tmp_path):
    # a typo in store_classes must not pass silently: the class would apply to nothing
    (tmp_path / "main.tf").write_text(STORES.split('resource "aws_s3_bucket" "maybe"')[0])
    config = parse_config({"store_classes": {"aws_s3_bucket.trail": "workload",
                                             "aws_s3_bucket.ordres": "artifacts"}})
    result = scan(ScanOptions(paths=(tmp_path,), region="us-east-1"), config, [])
    typo = [n for n in result.notes if n.startswith("store_classes:")]
    assert typo == ["store_classes: aws_s3_bucket.ordres names no resource of this scan; its "
                    "class 'artifacts' applies to nothing (a typo, or a resource scanned "
                    "elsewhere?)"]
