"""What each data store holds, decided once per scan: the one notion of "workload data".

Classes:

* ``workload`` (the default): data the business needs back after a failure; the recovery
  objectives (OB003, OB004, the report's headline RPO) and the data rules judge it.
* ``logs``: a bucket that receives logs (ALB/CloudFront/S3 server access logs, CloudTrail, VPC
  flow logs, AWS Config, S3 inventory: ``log_deliveries.received_logs``). Not workload data.
* ``cache``: an ElastiCache cluster or replication group, rebuilt from its source (a MemoryDB
  cluster is a durable primary database: ``workload``).
* ``artifacts``: what the workload runs from rather than the data it keeps: ECR repositories
  (images rebuilt by a pipeline) and Secrets Manager secrets by default, build artifacts and
  disposable buckets when a team says so. The data rules and the RPO leave them out; OB003 needs
  them in the DR region for pilot light and warmer strategies.

A team overrides a store's class in ``.hadr-lint.yaml``::

    store_classes:
      aws_s3_bucket.alb_logs: logs
      aws_elasticache_replication_group.sessions: workload

keyed by the resource as messages name it (``name``), as reports name it (``label``) or by its
address. ``store_class`` answers a class name, or an ``Unknown`` when a log delivery that cannot
be resolved may go to the bucket (then it may be logs, or workload data).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hadr_lint.analysis.log_deliveries import received_logs
from hadr_lint.model import Resource, Unknown

CLASSES = ("workload", "logs", "cache", "artifacts")
NOT_WORKLOAD = ("logs", "cache", "artifacts")
CACHE_KINDS = ("cache_replication_group", "cache_cluster")
ARTIFACT_KINDS = ("ecr_repository", "secret")


def store_class(graph, store: Resource, config: Any = None) -> Any:
    """The class of ``store``: the team's override, else the one derived from the graph."""
    override = _override(store, config)
    if override is not None:
        return override
    known = graph.memo("store classes", dict)
    if store.address not in known:
        known[store.address] = _derived(graph, store)
    return known[store.address]


def _override(store: Resource, config: Any) -> str | None:
    table: Mapping[str, str] = getattr(config, "store_classes", None) or {}
    for key in (store.name, store.label, store.address):
        if key in table:
            return table[key]
    return None


def _derived(graph, store: Resource) -> Any:
    if store.kind in CACHE_KINDS:
        return "cache"
    if store.kind in ARTIFACT_KINDS:
        return "artifacts"
    if store.kind != "s3_bucket":
        return "workload"
    logs, maybe = received_logs(graph, store)
    if logs:
        return "logs"
    return maybe or "workload"


def unmatched_overrides(graph, config: Any) -> list[str]:
    """A note for each ``store_classes`` key that names no resource of the scan: a typo, or a
    resource scanned elsewhere; its class applies to nothing here."""
    table: Mapping[str, str] = getattr(config, "store_classes", None) or {}
    if not table:
        return []
    names = {key for r in graph.resources() for key in (r.name, r.label, r.address)}
    return [f"store_classes: {key} names no resource of this scan; its class {table[key]!r} "
            "applies to nothing (a typo, or a resource scanned elsewhere?)"
            for key in table if key not in names]


def describe(found: Any) -> str:
    """The class as the report shows it."""
    if isinstance(found, Unknown):
        return f"unknown ({found.reason})"
    return found
