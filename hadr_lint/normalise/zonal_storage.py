"""Storage and clusters that can live in a single AZ: EFS One Zone, FSx, OpenSearch, MSK, and the
node counts of ElastiCache.

Canonical kinds and attributes (both formats):

* ``efs_file_system`` (extends ``data_stores``): ``availability_zone`` (set for EFS One Zone;
  None for Regional storage, also when a state or plan carries an empty string).
* ``efs_mount_target``: ``file_system`` (the file system), ``subnets`` (its subnet, as a one-item
  list so ``Graph.zones`` reads it like any subnet list); ``count_unknown`` the reason when the
  block's count or for_each (or its module's) is unknown.
* ``cache_replication_group`` (extends ``data_stores``): ``nodes_per_shard`` (primary and
  replicas of each shard: ``num_cache_clusters``, or ``replicas_per_node_group`` + 1; None when
  the template leaves it to AWS), ``num_node_groups``.
* ``cache_cluster`` (extends ``data_stores``): ``num_cache_nodes`` (default 1),
  ``availability_zone`` (``availability_zone``, ``PreferredAvailabilityZone``: the AZ of a
  single-node cluster).
* ``fsx_file_system``: ``fs_type`` (windows, ontap, openzfs, lustre), ``deployment_type``
  (upper case, e.g. ``SINGLE_AZ_1``, ``MULTI_AZ_1``; Windows defaults to ``SINGLE_AZ_1``, Lustre
  to ``SCRATCH_1``).
* ``search_domain`` (OpenSearch and Elasticsearch domains): ``zone_awareness`` (default False),
  ``instance_count`` (default 1), ``multi_az_standby`` (default False).
* ``kafka_cluster`` (MSK provisioned): ``broker_count``, ``subnets`` (client subnets, one per AZ).
* ``memorydb_cluster``: ``replicas_per_shard`` (default 1, as in AWS), ``num_shards`` (default 1),
  ``multi_region_cluster`` (the MemoryDB Multi-Region cluster it belongs to).

The ``data_stores`` family defines the EFS and ElastiCache kinds; this module is merged after it
and adds its fields to the same specs rather than replacing them.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise import data_stores as _base
from hadr_lint.normalise.fields import (
    Spec,
    spec,
    to_bool,
    to_int,
    to_list,
    to_lower,
    to_str,
    to_upper,
)


def _extend(fmt: str, type_name: str, kind: str, derive=None, **fields: Any) -> Spec:
    """The base family's spec for ``type_name`` with more fields (or a new spec if none)."""
    made = spec(kind, derive, **fields)
    base = getattr(_base, fmt, {}).get(type_name)
    if base is None or base.kind != kind:
        return made
    return Spec(kind, {**base.fields, **made.fields}, _both(base.derive, made.derive))


def _both(first, second):
    if first is None or second is None:
        return first or second

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        found = first(raw, out)
        return dict(found, **second(raw, dict(out, **found)))

    return derive


def _zone_name(value: Any) -> Any:
    """An EFS One Zone zone; the empty string a state or a plan of an existing Regional file
    system carries means none."""
    return None if value == "" else to_str(value)


# ----- ElastiCache node counts ----------------------------------------------------------------
def _nodes_per_shard(clusters: str, legacy: str, replicas: str):
    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        count = raw.get(clusters, raw.get(legacy))
        if count is not None:
            return {"nodes_per_shard": to_int(count)}
        extra = to_int(raw.get(replicas))
        if isinstance(extra, int):
            return {"nodes_per_shard": extra + 1}
        return {"nodes_per_shard": extra}

    return derive


# ----- FSx ----------------------------------------------------------------------------------------
_FSX_DEFAULTS = {"windows": "SINGLE_AZ_1", "lustre": "SCRATCH_1"}
_FSX_CFN_BLOCKS = {
    "windows": "WindowsConfiguration", "ontap": "OntapConfiguration",
    "openzfs": "OpenZFSConfiguration", "lustre": "LustreConfiguration",
}


def _tf_fsx(fs_type: str):
    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        value = raw.get("deployment_type", _FSX_DEFAULTS.get(fs_type))
        return {"fs_type": fs_type, "deployment_type": to_upper(value)}

    return derive


def _cfn_fsx(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    fs_type = to_lower(raw.get("FileSystemType"))
    if not isinstance(fs_type, str):
        return {"fs_type": fs_type, "deployment_type": fs_type}
    block = raw.get(_FSX_CFN_BLOCKS.get(fs_type, ""))
    value = block.get("DeploymentType") if isinstance(block, dict) else None
    if isinstance(block, Unknown):
        value = block
    return {"fs_type": fs_type, "deployment_type": to_upper(value or _FSX_DEFAULTS.get(fs_type))}


_TF_SEARCH = dict(
    zone_awareness=("cluster_config.0.zone_awareness_enabled", to_bool, False),
    instance_count=("cluster_config.0.instance_count", to_int, 1),
    multi_az_standby=("cluster_config.0.multi_az_with_standby_enabled", to_bool, False),
)

TERRAFORM = {
    "aws_efs_file_system": _extend(
        "TERRAFORM", "aws_efs_file_system", "efs_file_system",
        availability_zone=("availability_zone_name", _zone_name),
    ),
    "aws_efs_mount_target": spec(
        "efs_mount_target",
        lambda raw, out: {"count_unknown": out.get("count_unknown")},
        file_system=("file_system_id", to_str),
        subnets=("subnet_id", to_list),
    ),
    "aws_elasticache_replication_group": _extend(
        "TERRAFORM", "aws_elasticache_replication_group", "cache_replication_group",
        _nodes_per_shard("num_cache_clusters", "number_cache_clusters", "replicas_per_node_group"),
        num_node_groups=("num_node_groups", to_int),
    ),
    "aws_elasticache_cluster": _extend(
        "TERRAFORM", "aws_elasticache_cluster", "cache_cluster",
        num_cache_nodes=("num_cache_nodes", to_int, 1),
        availability_zone=("availability_zone", _zone_name),
    ),
    "aws_fsx_windows_file_system": spec("fsx_file_system", _tf_fsx("windows")),
    "aws_fsx_ontap_file_system": spec("fsx_file_system", _tf_fsx("ontap")),
    "aws_fsx_openzfs_file_system": spec("fsx_file_system", _tf_fsx("openzfs")),
    "aws_fsx_lustre_file_system": spec("fsx_file_system", _tf_fsx("lustre")),
    "aws_opensearch_domain": spec("search_domain", **_TF_SEARCH),
    "aws_elasticsearch_domain": spec("search_domain", **_TF_SEARCH),
    "aws_msk_cluster": spec(
        "kafka_cluster",
        broker_count=("number_of_broker_nodes", to_int),
        subnets=("broker_node_group_info.0.client_subnets", to_list),
    ),
    "aws_memorydb_cluster": spec(
        "memorydb_cluster",
        replicas_per_shard=("num_replicas_per_shard", to_int, 1),
        num_shards=("num_shards", to_int, 1),
        multi_region_cluster=("multi_region_cluster_name", to_str),
    ),
}

CLOUDFORMATION = {
    "AWS::EFS::FileSystem": _extend(
        "CLOUDFORMATION", "AWS::EFS::FileSystem", "efs_file_system",
        availability_zone=("AvailabilityZoneName", _zone_name),
    ),
    "AWS::EFS::MountTarget": spec(
        "efs_mount_target",
        file_system=("FileSystemId", to_str),
        subnets=("SubnetId", to_list),
    ),
    "AWS::ElastiCache::ReplicationGroup": _extend(
        "CLOUDFORMATION", "AWS::ElastiCache::ReplicationGroup", "cache_replication_group",
        _nodes_per_shard("NumCacheClusters", "NumCacheClusters", "ReplicasPerNodeGroup"),
        num_node_groups=("NumNodeGroups", to_int),
    ),
    "AWS::ElastiCache::CacheCluster": _extend(
        "CLOUDFORMATION", "AWS::ElastiCache::CacheCluster", "cache_cluster",
        num_cache_nodes=("NumCacheNodes", to_int, 1),
        availability_zone=("PreferredAvailabilityZone", _zone_name),
    ),
    "AWS::FSx::FileSystem": spec("fsx_file_system", _cfn_fsx),
    "AWS::OpenSearchService::Domain": spec(
        "search_domain",
        zone_awareness=("ClusterConfig.ZoneAwarenessEnabled", to_bool, False),
        instance_count=("ClusterConfig.InstanceCount", to_int, 1),
        multi_az_standby=("ClusterConfig.MultiAZWithStandbyEnabled", to_bool, False),
    ),
    "AWS::Elasticsearch::Domain": spec(
        "search_domain",
        zone_awareness=("ElasticsearchClusterConfig.ZoneAwarenessEnabled", to_bool, False),
        instance_count=("ElasticsearchClusterConfig.InstanceCount", to_int, 1),
    ),
    "AWS::MSK::Cluster": spec(
        "kafka_cluster",
        broker_count=("NumberOfBrokerNodes", to_int),
        subnets=("BrokerNodeGroupInfo.ClientSubnets", to_list),
    ),
    "AWS::MemoryDB::Cluster": spec(
        "memorydb_cluster",
        replicas_per_shard=("NumReplicasPerShard", to_int, 1),
        num_shards=("NumShards", to_int, 1),
        multi_region_cluster=("MultiRegionClusterName", to_str),
    ),
}
