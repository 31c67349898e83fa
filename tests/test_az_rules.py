"""AZ-scope rules (HA002-HA011): what the fixture harness cannot express."""

from __future__ import annotations

import pytest

from hadr_lint.model import Location, Resource
from hadr_lint.normalise import normalise
from hadr_lint.normalise.registry_modules import registry_key
from hadr_lint.rulebase import all_rules, sections

AZ_RULES = [f"HA{n:03d}" for n in (2, 3, 4, 6, 7, 8, 9, 10, 11)]


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("terraform-aws-modules/vpc/aws", "terraform-aws-modules/vpc/aws"),
        ("registry.terraform.io/terraform-aws-modules/vpc/aws", "terraform-aws-modules/vpc/aws"),
        ("terraform-aws-modules/vpc/aws//modules/vpc-endpoints",
         "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"),
        ("git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=v5.8.1",
         "terraform-aws-modules/vpc/aws"),
        ("github.com/terraform-aws-modules/terraform-aws-rds-aurora",
         "terraform-aws-modules/rds-aurora/aws"),
        (None, ""),
    ],
)
def test_registry_key_drops_host_and_version(source, key) -> None:
    assert registry_key(source) == key


def _module(source: str, **raw) -> Resource:
    return Resource(address="module.x", name="module.x", type="module",
                    location=Location("main.tf", 1), raw=raw, meta={"source": source})


def test_module_mapped_to_canonical_kind() -> None:
    found = normalise(_module("terraform-aws-modules/autoscaling/aws", min_size=1,
                              vpc_zone_identifier=["subnet-1"]))
    assert found.kind == "autoscaling_group"
    assert found.get("min_size") == 1 and found.get("subnets") == ["subnet-1"]


def test_module_that_creates_nothing_is_not_mapped() -> None:
    assert normalise(_module("terraform-aws-modules/alb/aws", create=False)).kind == "other"
    assert normalise(_module("terraform-aws-modules/vpc/aws", create_vpc=False)).kind == "other"


def test_submodule_is_not_the_root_module() -> None:
    found = normalise(_module("terraform-aws-modules/vpc/aws//modules/vpc-endpoints"))
    assert found.kind == "other"


def test_elasticache_module_without_replication_group_is_a_cluster() -> None:
    found = normalise(_module("terraform-aws-modules/elasticache/aws", engine="memcached",
                              create_replication_group=False, create_cluster=True,
                              num_cache_nodes=2))
    assert found.kind == "cache_cluster" and found.get("num_cache_nodes") == 2


def test_zonal_fields_extend_the_data_store_specs() -> None:
    raw = {"num_cache_clusters": 2, "automatic_failover_enabled": True,
           "snapshot_retention_limit": 5}
    group = normalise(Resource("g", "g", "aws_elasticache_replication_group",
                               Location("main.tf"), raw=raw))
    assert group.get("nodes_per_shard") == 2
    assert group.get("automatic_failover") is True


def test_aurora_module_instances() -> None:
    found = normalise(_module("terraform-aws-modules/rds-aurora/aws", engine="aurora-mysql",
                              instances={"a": {"availability_zone": "eu-west-1a"}, "b": {}}))
    assert found.kind == "db_cluster"
    assert found.get("instance_count") == 2
    assert found.get("instance_zones") == ["eu-west-1a", None]


@pytest.mark.parametrize("rule_id", AZ_RULES)
def test_rule_documented_and_tagged(rule_id: str) -> None:
    rule = {r.id: r for r in all_rules()}[rule_id]
    found = sections(rule.doc)
    assert "```hcl" in found["Example"] and "```yaml" in found["Example"]
    assert "```hcl" in found["Fix"] and "```yaml" in found["Fix"]
    assert "availability-zone" in rule.meta.tags
    expected = "error" if rule_id in ("HA002", "HA006", "HA007") else "warning"
    assert rule.meta.severity == expected

