"""The logs delivered into each bucket (``received_logs``): S3 server access logs, load
balancer access logs, CloudTrail, VPC flow logs, AWS Config and S3 inventory reports. A bucket
that receives them holds logs, not workload data (``store_classes``; HE003 names them)."""

from __future__ import annotations

from typing import Any

from hadr_lint.analysis.region_scope import find_store
from hadr_lint.model import Unknown, existence


def _listed(value: Any) -> list[Any]:
    if isinstance(value, Unknown):
        return [value]
    return list(value or [])


LOG_KINDS = ("s3_bucket", "s3_logging", "load_balancer", "log_delivery")
ACCESS_LOGS = "S3 server access logs"
LB_LOGS = "load balancer access logs"
INVENTORY = "S3 inventory reports"


def received_logs(graph, bucket) -> tuple[list[str], Unknown | None]:
    """The logs delivered into ``bucket`` (e.g. ``["CloudTrail logs"]``), and an Unknown when a
    delivery whose bucket or whose state cannot be resolved may also go to it.

    Deliveries: S3 server access logs (``log_target`` of ``s3_bucket``/``s3_logging``), load
    balancer access logs, CloudTrail, VPC flow logs, AWS Config and S3 inventory
    (``log_delivery``, ``inventory_targets``). A bucket's own access logs or inventory written
    into itself do not count: it still holds its data. Every delivery is resolved once per scan
    (``_delivery_index``), not once per bucket.
    """
    targeted, undecided = graph.memo("log deliveries", lambda: _delivery_index(graph))
    found: list[str] = []
    doubts: list[tuple[int, Unknown]] = []
    for order, source, what, item, own in undecided:
        if own != bucket.address and graph.may_designate(item, bucket, lambda v: find_store(
                graph, v, ("s3_bucket",))):
            doubts.append((order, Unknown(f"{source.name} delivers {what} to a bucket that may "
                                          f"be this one: {item.reason}")))
    for order, source, what, enabled in targeted.get(bucket.address, ()):
        if isinstance(enabled, Unknown):
            doubts.append((order, Unknown(f"{source.name} may deliver {what} to this bucket: "
                                          f"{enabled.reason}")))
        else:
            found.append(what)
    unknown = min(doubts, key=lambda d: d[0])[1] if doubts else None
    return sorted(set(found), key=str.lower), unknown


def _delivery_index(graph) -> tuple[dict[str, list], list]:
    """Bucket address -> (order, source, what, enabled) of the deliveries resolved to it; and
    (order, source, what, unknown target, the source's own bucket) of the unresolved ones."""
    targeted: dict[str, list] = {}
    undecided: list = []
    order = 0
    for source in graph.resources(*LOG_KINDS):
        own = _own_bucket(graph, source)
        for what, item, enabled in _deliveries(source):
            order += 1
            if isinstance(item, Unknown):
                if graph.may_designate(item):
                    undecided.append((order, source, what, item, own))
            elif item is not None and enabled is not False:
                enabled = enabled if existence(source) is True else existence(source)
                target = find_store(graph, item, ("s3_bucket",))
                if target is not None and target.address != own:
                    targeted.setdefault(target.address, []).append((order, source, what,
                                                                    enabled))
    return targeted, undecided


def _deliveries(source) -> list[tuple[str, Any, Any]]:
    """(what, target bucket, enabled) of each delivery a resource makes."""
    target, enabled = source.get("log_target"), source.get("log_enabled")
    if source.kind in ("s3_bucket", "s3_logging"):
        inventory = _listed(source.get("inventory_targets"))
        return [(ACCESS_LOGS, target, True)] + [(INVENTORY, item, True) for item in inventory]
    if source.kind == "load_balancer":
        return [(LB_LOGS, target, enabled)]
    what = source.get("what")
    return [(what if isinstance(what, str) else "logs", target, enabled)]


def _own_bucket(graph, source) -> str | None:
    """The address of the bucket whose own access logs or inventory ``source`` describes: they
    do not make that bucket a log bucket."""
    if source.kind == "s3_bucket":
        return source.address
    own = source.get("bucket")
    if own is None or isinstance(own, Unknown):
        return None
    found = find_store(graph, own, ("s3_bucket",))
    return found.address if found is not None else None
