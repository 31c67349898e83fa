"""The building blocks each strategy needs, checked against the graph (OB003).

Cumulative, cheapest first; each strategy needs its own blocks and those of the cheaper ones:

* backup-restore: every stateful store backed up and the backups copied to another region
  (an AWS Backup copy action to a vault in another region, or RDS automated backups replication).
* pilot-light: + every stateful store replicated to another region (global table, Aurora Global
  Database, cross-region replica, S3 or EFS replication), the workload's artifacts there (each
  ECR repository its compute pulls images from covered by a registry replication rule to
  another region, each Secrets Manager secret it reads with a replica in another region:
  ``analysis.artifact_use``; a repository nothing in the scan uses needs none) and Route 53
  failover routing with a health check on the primary record (compute in the DR region may
  be off).
* warm-standby: + running compute in a DR region: an Auto Scaling group with ``min_size >= 1``
  behind a load balancer, an ECS service with ``desired_count >= 1`` or an EKS node group with
  ``min_size >= 1``. Health-checked latency, weighted or geo routing over two regions counts as
  failover routing too: Route 53 stops answering with a region whose records are unhealthy.
* active-active: + multi-region writable databases (DynamoDB global tables; Aurora Global
  Database with write forwarding on a secondary; a single-writer RDS instance never is), latency,
  weighted or geo routing with health checks over at least two regions (instead of failover
  routing; Global Accelerator endpoint groups in two regions, or a CloudFront origin group with
  failover criteria over origins in two regions, count as such routing too), and serving capacity
  (an Auto Scaling group with ``min_size >= 1`` behind a load balancer) in every region.

Each check answers True, False, or an ``Unknown`` with the reason (then the rule reports the
check as unverified).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from hadr_lint.analysis.artifact_use import artifact_use, compute_of, users
from hadr_lint.analysis.backup_links import is_covered
from hadr_lint.analysis.copies import copy_regions, global_members, store_copies
from hadr_lint.analysis.front_doors import front_door_routes
from hadr_lint.analysis.region_scope import target_region
from hadr_lint.analysis.store_classes import ARTIFACT_KINDS, store_class
from hadr_lint.model import Resource, Unknown
from hadr_lint.objectives import estimate
from hadr_lint.objectives.declare import Workload, workload_anchor
from hadr_lint.objectives.strategies import NAMES

WRITABLE_KINDS = ("dynamodb_table", "db_cluster", "db_instance")
COMPUTE_KINDS = ("autoscaling_group", "ecs_service", "eks_node_group")
COMPUTE_LABEL = "Auto Scaling group, ECS service or EKS node group"
MULTI_REGION_ROUTING = ("latency", "weighted", "geolocation", "geoproximity")


@dataclass(frozen=True)
class Block:
    strategy: str      # the cheapest strategy that needs the block
    name: str          # short name, e.g. "cross-region backup copy"
    resource: Resource  # what a finding points at
    present: Any       # True, False or Unknown
    detail: str        # why it is missing (False) or what is known


@dataclass(frozen=True)
class Regions:
    primary: Any                 # a region name, or Unknown
    dr: tuple[str, ...]
    source: str                  # how the primary region was found


def regions(graph, workload: Workload, config: Any) -> Regions:
    """Primary and DR regions: declared, else the PRIMARY failover record's target region,
    else the most common region of the workload's stores, then of its resources."""
    declared = workload.declared
    found = [estimate.region(r, config) for r in workload.resources]
    known = sorted({r for r in found if isinstance(r, str)})
    primary: Any = declared.primary_region
    source = "declared"
    if primary is None:
        primary, source = _primary_from_dns(graph, workload, config)
    if primary is None:
        stores = estimate.stateful_stores(graph, workload.resources, config=config)
        primary, source = _most_common([estimate.region(s, config) for s in stores]), \
            "region of most stateful stores"
    if primary is None:
        primary, source = _most_common(found), "region of most resources"
    if primary is None:
        unknown = next((r for r in found if isinstance(r, Unknown)), None)
        primary = unknown or Unknown("the workload has no resource with a known region")
    dr = declared.dr_regions or tuple(r for r in known if r != primary)
    return Regions(primary, tuple(dr), source)


def _primary_from_dns(graph, workload, config) -> tuple[Any, str]:
    for entry in estimate.routed_entries(graph, workload.resources):
        if entry.get("failover") == "PRIMARY":
            where = target_region(graph, entry, config)
            if isinstance(where, str):
                return where, f"target of the PRIMARY failover record {entry.resource.name}"
    return None, ""


def _most_common(values: list[Any]) -> str | None:
    counts = Counter(v for v in values if isinstance(v, str))
    if not counts:
        return None
    return sorted(counts.items(), key=lambda p: (-p[1], p[0]))[0][0]


def blocks(graph, workload: Workload, config: Any) -> list[Block]:
    """Every building block the declared strategy needs, present or not."""
    strategy = workload.declared.strategy
    if strategy is None:
        return []
    level = NAMES.index(strategy)
    where = regions(graph, workload, config)
    stores = estimate.stateful_stores(graph, workload.resources,
                                      where.primary if isinstance(where.primary, str) else None,
                                      config)
    anchor = workload_anchor(workload)
    found: list[Block] = [_doubt(graph, _backup_copy(graph, s, config), config)
                          for s in stores]
    if level >= 1:
        found += [_doubt(graph, _replicated(graph, s, config), config) for s in stores]
        found += _artifacts(graph, workload, config)
    if level in (1, 2):  # active-active needs multi-region routing instead (below)
        found.append(_failover_routing(graph, workload, config, anchor))
    if level >= 2:
        found.append(_dr_compute(graph, workload, where, config, anchor))
    if level >= 3:
        found += [_writable(graph, s, config) for s in stores if s.kind in WRITABLE_KINDS]
        found.append(_multi_region_routing(graph, workload, config, anchor))
        found += _capacity_everywhere(graph, workload, where, config, anchor)
    return found


def _doubt(graph, block: Block, config: Any) -> Block:
    """A missing block of a store that may not hold workload data (a bucket an unresolved log
    delivery may target) is unverified, never missing."""
    found = store_class(graph, block.resource, config)
    if block.present is False and isinstance(found, Unknown):
        reason = f"{block.detail}, unless it only holds logs: {found.reason}"
        return Block(block.strategy, block.name, block.resource, Unknown(reason), reason)
    return block


def _own_region(store: Resource, config: Any) -> Any:
    return estimate.region(store, config)


def _decide(estimates: list, name: str, store: Resource, strategy: str, missing: str,
            present: str) -> Block:
    if any(e.known for e in estimates):
        best = next(e for e in estimates if e.known)
        return Block(strategy, name, store, True, f"{present}: {best.summary}")
    pending = next((e for e in estimates if not e.known), None)
    if pending is not None:
        return Block(strategy, name, store, Unknown(pending.unknown_reason), pending.unknown_reason)
    return Block(strategy, name, store, False, missing)


def _backup_copy(graph, store: Resource, config: Any) -> Block:
    own = _own_region(store, config)
    name = "cross-region backup copy"
    if isinstance(own, Unknown):
        return Block("backup-restore", name, store, own, own.reason)
    copies = list(estimate.backup_copies(graph, store, own, config))
    covered = is_covered(graph, store)
    why = ("no AWS Backup plan selects it" if covered is False else
           "its AWS Backup rules copy to no vault in another region")
    return _decide(copies, name, store, "backup-restore",
                   f"{_label(store)} has no backup copied to another region: {why}",
                   "backups copied to another region")


def _replicated(graph, store: Resource, config: Any) -> Block:
    own = _own_region(store, config)
    name = "cross-region replication"
    if isinstance(own, Unknown):
        return Block("pilot-light", name, store, own, own.reason)
    copies = list(estimate.replication_copies(graph, store, own, config))
    copies += [e for c in store_copies(graph, store, config)
               if c.kind == SNAPSHOT_ONLY.get(store.kind) for e in estimate.copy_estimate(c, own)]
    return _decide(copies, name, store, "pilot-light",
                   f"{_label(store)} is not replicated to another region (pilot light needs the "
                   f"data live in the DR region)", "replicated")


# Stores with no live cross-region replication: their cross-region snapshot copy is the copy
# pilot light gets, as DR005 counts it.
SNAPSHOT_ONLY = {"redshift_cluster": "redshift_snapshot_copy"}
LABELS = {"db_instance": "RDS DB instance", "db_cluster": "DB cluster",
          "dynamodb_table": "DynamoDB table", "s3_bucket": "S3 bucket",
          "efs_file_system": "EFS file system", "ecr_repository": "ECR repository",
          "secret": "Secrets Manager secret", "docdb_cluster": "DocumentDB cluster",
          "neptune_cluster": "Neptune cluster", "redshift_cluster": "Redshift cluster",
          "memorydb_cluster": "MemoryDB cluster",
          "cache_replication_group": "ElastiCache replication group"}
ARTIFACT_MISSING = {
    "ecr_repository": "no registry replication rule copies it to another region (the DR region "
                      "cannot pull the workload's images)",
    "secret": "it has no replica in another region (the DR region cannot read it)",
}


def _artifacts(graph, workload: Workload, config: Any) -> list[Block]:
    """One block per ECR repository or secret the workload's compute uses (or may use)."""
    compute = compute_of(graph, workload.resources)
    found = []
    for artifact in workload.resources:
        if artifact.kind not in ARTIFACT_KINDS or \
                store_class(graph, artifact, config) != "artifacts":
            continue
        use = artifact_use(graph, compute, artifact)
        if use is not False:  # nothing in the scan pulls or reads it: the DR region needs none
            found.append(_artifact_copy(graph, artifact, config, use, compute))
    return found


def _artifact_copy(graph, artifact: Resource, config: Any, use: Any,
                   compute: list[Resource]) -> Block:
    """An ECR repository or secret the workload's compute uses: copied to another region?"""
    name = "artifacts in the DR region"
    own = _own_region(artifact, config)
    if isinstance(own, Unknown):
        return Block("pilot-light", name, artifact, own, own.reason)
    regions = copy_regions(graph, artifact, config)
    elsewhere = sorted(r for r in regions if isinstance(r, str) and r != own)
    if elsewhere:
        return Block("pilot-light", name, artifact, True,
                     f"{_label(artifact)} copied to {', '.join(elsewhere)}")
    unknown = next((r for r in regions if isinstance(r, Unknown)), None)
    if unknown is not None:
        return Block("pilot-light", name, artifact, unknown, unknown.reason)
    missing = f"{_label(artifact)} {artifact.name}: {ARTIFACT_MISSING[artifact.kind]}"
    if isinstance(use, Unknown):
        reason = f"{missing}, if the workload's compute uses it ({use.reason})"
        return Block("pilot-light", name, artifact, Unknown(reason), reason)
    who = ", ".join(u.name for u in users(graph, compute, artifact))
    return Block("pilot-light", name, artifact, False, f"{missing}; used by {who}")


def _label(store: Resource) -> str:
    return LABELS.get(store.kind, store.kind)


def _failover_routing(graph, workload: Workload, config: Any, anchor: Resource) -> Block:
    found = _failover_records(graph, workload, anchor)
    if found.present is True:
        return found
    spread = _multi_region_routing(graph, workload, config, anchor)
    if spread.present is True:
        return Block("pilot-light", found.name, spread.resource, True,
                     f"{spread.detail}: Route 53 stops answering with an unhealthy region")
    return found


def _failover_records(graph, workload: Workload, anchor: Resource) -> Block:
    entries = [e for e in estimate.routed_entries(graph, workload.resources)
               if e.get("routing") == "failover"]
    name = "health-checked failover routing"
    primaries = [e for e in entries if e.get("failover") == "PRIMARY"]
    secondaries = [e for e in entries if e.get("failover") == "SECONDARY"]
    target = (primaries or entries)[0].resource if entries else anchor
    watched = [e.watched for e in primaries]
    if primaries and secondaries and any(w is True for w in watched):
        checked = next(e for e, w in zip(primaries, watched, strict=True) if w is True)
        return Block("pilot-light", name, target, True,
                     f"failover records {primaries[0].label} with "
                     f"{estimate.check_text(graph, checked.get('health_check'))}")
    unknown = next((w for w in watched if isinstance(w, Unknown)), None)
    if unknown is not None and secondaries:
        return Block("pilot-light", name, target, unknown, unknown.reason)
    if not entries:
        why = "no Route 53 failover records route between regions"
    elif not secondaries or not primaries:
        why = "the failover records have no PRIMARY/SECONDARY pair"
    else:
        why = "the PRIMARY failover record has no health check"
    return Block("pilot-light", name, target, False,
                 f"{why}: failover to the DR region would be manual")


def _serving(graph, group: Resource) -> Any:
    """True when an Auto Scaling group runs at least one instance behind a load balancer."""
    size = group.get("min_size")
    if isinstance(size, Unknown):
        return Unknown(f"min_size of {group.name} unknown: {size.reason}")
    if not isinstance(size, int) or size < 1:
        return False
    for key in ("target_groups", "load_balancers", "traffic_sources"):
        value = group.get(key)
        if isinstance(value, Unknown):
            return Unknown(f"{key} of {group.name} unknown: {value.reason}")
        if value:
            return True
    if graph.sources(group, "group", kind="autoscaling_attachment"):
        return True
    return False


def _running(graph, unit: Resource) -> Any:
    """True when a compute unit runs: an ASG serving behind a load balancer, an ECS service
    with desired_count >= 1, an EKS node group with min_size >= 1."""
    if unit.kind == "autoscaling_group":
        return _serving(graph, unit)
    key = "desired_count" if unit.kind == "ecs_service" else "min_size"
    size = unit.get(key)
    if isinstance(size, Unknown):
        return Unknown(f"{key} of {unit.name} unknown: {size.reason}")
    return isinstance(size, int) and size >= 1


def _groups(graph, workload: Workload) -> list[Resource]:
    own = [r for r in workload.resources if r.kind in COMPUTE_KINDS]
    return own or graph.resources(*COMPUTE_KINDS)


def _dr_compute(graph, workload, where: Regions, config, anchor) -> Block:
    name = "running compute in the DR region"
    if isinstance(where.primary, Unknown):
        return Block("warm-standby", name, anchor, where.primary, where.primary.reason)
    groups = _groups(graph, workload)
    verdicts = []
    for group in groups:
        own = estimate.region(group, config)
        if isinstance(own, Unknown):
            verdicts.append((group, own))
        elif own != where.primary and (not where.dr or own in where.dr):
            verdicts.append((group, _running(graph, group)))
    for group, verdict in verdicts:
        if verdict is True:
            return Block("warm-standby", name, group, True,
                         f"{group.name} serves in {estimate.region(group, config)}")
    pending = next(((g, v) for g, v in verdicts if isinstance(v, Unknown)), None)
    if pending is not None:
        return Block("warm-standby", name, pending[0], pending[1], pending[1].reason)
    target = verdicts[0][0] if verdicts else (groups[0] if groups else anchor)
    dr = ", ".join(where.dr) or "any region other than " + where.primary
    why = ("its compute there runs nothing (an ASG with min_size 0 or no target group, a "
           "service or node group scaled to 0)" if verdicts else f"no {COMPUTE_LABEL} runs there")
    return Block("warm-standby", name, target, False,
                 f"no running compute in the DR region ({dr}): {why}")


def _writable(graph, store: Resource, config: Any) -> Block:
    name = "multi-region writable data"
    if store.kind == "db_instance":
        return Block("active-active", name, store, False,
                     "an RDS DB instance has a single writer: only one region can write")
    if store.kind == "dynamodb_table":
        own = _own_region(store, config)
        if isinstance(own, Unknown):
            return Block("active-active", name, store, own, own.reason)
        copies = list(estimate.replication_copies(graph, store, own, config))
        return _decide(copies, name, store, "active-active",
                       "DynamoDB table is not a global table: only its region can write",
                       "global table")
    return _cluster_writable(graph, store, name)


def _cluster_writable(graph, cluster: Resource, name: str) -> Block:
    value = cluster.get("global_cluster")
    if isinstance(value, Unknown):
        return Block("active-active", name, cluster, value, value.reason)
    if value is None:
        return Block("active-active", name, cluster, False,
                     "Aurora cluster is not part of a global database: only its region can "
                     "write")
    others = global_members(graph, cluster)
    flags = [c.get("write_forwarding") for c in others]
    if any(f is True for f in flags):
        return Block("active-active", name, cluster, True, "Aurora Global write forwarding")
    unknown = next((f for f in flags if isinstance(f, Unknown)), None)
    if unknown is not None:
        return Block("active-active", name, cluster, unknown, unknown.reason)
    return Block("active-active", name, cluster, False,
                 "no secondary cluster of its global database enables write forwarding "
                 "(enable_global_write_forwarding): only the primary region can write")


def _multi_region_routing(graph, workload, config, anchor) -> Block:
    name = "health-checked multi-region routing"
    entries = [e for e in estimate.routed_entries(graph, workload.resources)
               if e.get("routing") in MULTI_REGION_ROUTING]
    target = entries[0].resource if entries else anchor
    watched = [e for e in entries if e.watched is True]
    places = [target_region(graph, e, config) for e in watched]
    known = sorted({p for p in places if isinstance(p, str)})
    if len(known) >= 2:
        return Block("active-active", name, target, True,
                     f"{entries[0].get('routing')} routing with health checks over "
                     f"{', '.join(known)}")
    pending = next((p for p in places if isinstance(p, Unknown)), None)
    pending = pending or next((e.watched for e in entries if isinstance(e.watched, Unknown)),
                              None)
    if pending is not None:
        return Block("active-active", name, target, pending, pending.reason)
    door = _front_door(graph, workload, config)
    if door is not None and (len(door.known) >= 2 or door.unknown is not None):
        if len(door.known) >= 2:
            return Block("active-active", name, door.resource, True,
                         f"{door.what} over {', '.join(door.known)}")
        return Block("active-active", name, door.resource, door.unknown, door.unknown.reason)
    why = ("no latency, weighted or geo records" if not entries else
           f"health-checked records reach {len(known)} region(s)")
    return Block("active-active", name, target, False,
                 f"{why}: traffic cannot be served from two regions at once")


def _front_door(graph, workload, config):
    """The workload's front door (Global Accelerator, CloudFront origin failover) that routes to
    the most regions, if any."""
    doors = list(front_door_routes(graph, workload.resources, config))
    return max(doors, key=lambda d: (len(d.known), d.unknown is not None), default=None)


def _capacity_everywhere(graph, workload, where: Regions, config, anchor) -> list[Block]:
    name = "serving capacity in every region"
    if isinstance(where.primary, Unknown):
        return [Block("active-active", name, anchor, where.primary, where.primary.reason)]
    found = []
    groups = _groups(graph, workload)
    for place in (where.primary, *where.dr):
        here = [g for g in groups if estimate.region(g, config) == place]
        verdicts = [_running(graph, g) for g in here]
        target = here[0] if here else anchor
        if any(v is True for v in verdicts):
            found.append(Block("active-active", f"{name} ({place})", target, True, place))
            continue
        pending = next((v for v in verdicts if isinstance(v, Unknown)), None)
        if pending is not None:
            found.append(Block("active-active", f"{name} ({place})", target, pending,
                               pending.reason))
            continue
        found.append(Block("active-active", f"{name} ({place})", target, False,
                           f"no {COMPUTE_LABEL} serves in {place}"))
    return found
