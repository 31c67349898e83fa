"""RPO and RTO the infrastructure can deliver, per failure scope, each with its evidence chain.

Pure functions of the graph and the configuration. An estimate is a number of seconds,
``math.inf`` ("unbounded": no copy survives, or a manual step nobody bounded), or unknown (None,
with the reason). It is unknown whenever an input it needs is unknown; it is never guessed.

RPO of a stateful store (``store_rpo``)
  * Availability Zone loss: 0 for data the service writes synchronously to several zones (RDS
    Multi-AZ, Aurora and Multi-AZ DB clusters, DynamoDB, S3, EFS Standard); for single-zone data
    (RDS single-AZ, EFS One Zone) the best copy outside the zone: automated backups (5 minutes:
    RDS uploads transaction logs every 5 minutes; an unset retention is AWS's default of 1 day),
    EFS automatic backups (daily), AWS Backup (the rule's schedule), or any cross-region copy
    below. Which backups a store has comes from ``hadr_lint.analysis.protection``, as in the
    posture report's stores table.
  * Region loss: the best copy in another region. Which copies a store has, of what kind, in
    which region and with what typical lag is ``hadr_lint.analysis.copies`` (``store_copies``,
    ``COPY_KINDS``: the copies DR005 counts): asynchronous replication (DynamoDB global tables,
    Aurora, DocumentDB and Neptune global databases, cross-region read replicas, MemoryDB
    Multi-Region, secret replicas) 1 s; S3 replication 15 min with Replication Time Control,
    unbounded without; EFS replication 15 min; RDS automated backups replicated 5 min; Redshift
    snapshot copy 8 h; ECR registry replication 30 min. AWS Backup copy actions to a vault in
    another region: the interval of the rule's ``cron()``/``rate()`` schedule. Nothing:
    unbounded, also when the store's region is unknown (no copy of any kind survives whatever
    its region is; ``_no_region``).
  The workload RPO is the worst store's.

RTO of a workload for a region loss (``region_rto``)
  detection + DNS TTL + the strategy's recovery step:
  * detection: Route 53 health check ``failure_threshold x request_interval`` (defaults 3 x 30 s;
    a CALCULATED check: the child that takes it below its health threshold, the slowest for
    threshold 1; a CLOUDWATCH_METRIC check: its alarm's ``period x
    evaluation_periods``, or unknown; never defaults it does not have)
    of the health-checked records that route between regions (with failover routing, the PRIMARY
    records; the slowest one decides) (an alias that evaluates target
    health without a health check: 60 s); without such routing, failover is manual:
    ``recovery_steps.manual_failover`` (default unbounded).
  * TTL: the record's ``ttl``; an alias record answers with the target's TTL (60 s for load
    balancers).
  * recovery step (``RECOVERY_STEPS``, each overridable in ``recovery_steps:``): ``restore`` 4 h
    (backup-restore: restore data from backups and provision the stack), ``scale_out`` 5 min
    (pilot-light: start compute from zero and pass health checks), ``scale_up`` 1 min
    (warm-standby: the standby already serves; scale it up), ``none`` 0 (active-active).

RTO of a workload for an Availability Zone loss (``az_rto``): the slowest store failover: RDS
Multi-AZ 2 min (AWS: typically 60-120 s), Aurora with a replica 30 s, Aurora without a replica
10 min (the writer is re-created), regional services 0, single-AZ data the ``restore`` step;
DocumentDB, Neptune, Redshift and MemoryDB unknown (not modelled).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from hadr_lint.analysis.backup_links import find_store
from hadr_lint.analysis.copies import (
    BACKUP_COPY_KINDS,
    GLOBAL_KINDS,
    STORE_KINDS,
    Copy,
    cache_global,
    global_group,
    global_source,
    is_copy,
    store_copies,
)
from hadr_lint.analysis.protection import (
    automated_backup_days,
    backup_plans,
    efs_automatic_backups,
    zone_redundancy,
)
from hadr_lint.analysis.region_scope import dns_entries, region_of
from hadr_lint.analysis.region_scope import value_region as found_region
from hadr_lint.analysis.store_classes import NOT_WORKLOAD, store_class
from hadr_lint.model import Resource, Unknown
from hadr_lint.objectives.durations import format_duration, parse_duration
from hadr_lint.objectives.schedule import interval_seconds
from hadr_lint.objectives.strategies import table

INF = math.inf
RECOVERY_STEPS: dict[str, float] = {
    "restore": 4 * 3600.0,
    "scale_out": 300.0,
    "scale_up": 60.0,
    "none": 0.0,
    "manual_failover": INF,
}
STEP_TEXT = {
    "restore": "restore from backups and provision the stack",
    "scale_out": "start compute from zero in the DR region (pilot light)",
    "scale_up": "scale the running standby up (warm standby)",
    "none": "none: every region already serves (active-active)",
}
ASYNC = 1.0
LOG_UPLOAD = 300.0
EFS_AUTOMATIC_BACKUP = 86400.0
HEALTH_CHECK_DEFAULTS = (3, 30)
ALIAS_TTL = 60.0
TARGET_HEALTH_DETECTION = 60.0
SCOPES = ("az", "region")
NO_STORES = "no stateful store in the workload"
SCOPE_TEXT = {"az": "an Availability Zone loss", "region": "a region loss"}


@dataclass(frozen=True)
class Evidence:
    """One link of an estimate's chain: which resource and attribute gave which number."""

    resource: str
    file: str
    line: int
    attribute: str
    contribution: str


@dataclass(frozen=True)
class Estimate:
    """Seconds (``math.inf``: unbounded), or None with ``unknown_reason``; and its evidence."""

    value_seconds: float | None
    unknown_reason: str | None = None
    evidence: tuple[Evidence, ...] = ()
    summary: str = ""

    @property
    def known(self) -> bool:
        return self.value_seconds is not None

    @property
    def text(self) -> str:
        if self.value_seconds is None:
            return f"unknown ({self.unknown_reason})"
        return format_duration(self.value_seconds)

    def exceeds(self, declared: float) -> bool:
        return self.value_seconds is not None and self.value_seconds > declared


def seconds(estimate: Estimate) -> float:
    """The seconds of an estimate known to be known (an unknown one sorts last, as unbounded)."""
    return INF if estimate.value_seconds is None else estimate.value_seconds


def evidence(resource: Resource | None, attribute: str, contribution: str) -> Evidence:
    if resource is None:
        return Evidence("", "", 0, attribute, contribution)
    return Evidence(resource.name, resource.location.file, resource.location.line, attribute,
                    contribution)


def known(value: float, resource: Resource | None, attribute: str, why: str) -> Estimate:
    text = f"{why}: {format_duration(value)}"
    return Estimate(value, None, (evidence(resource, attribute, text),), why)


def unknown(reason: str, resource: Resource | None = None, attribute: str = "") -> Estimate:
    return Estimate(None, reason, (evidence(resource, attribute, f"unknown: {reason}"),)
                    if resource is not None else ())


def steps(config: Any) -> dict[str, float]:
    """The recovery step times: defaults with ``recovery_steps:`` applied."""
    found = dict(RECOVERY_STEPS)
    for key, value in (getattr(config, "recovery_steps", None) or {}).items():
        found[key] = parse_duration(value)
    return found


# ----- which resources hold state -----------------------------------------------------------------
def stateful_stores(graph, resources: Iterable[Resource] | None = None,
                    primary_region: str | None = None, config: Any = None) -> list[Resource]:
    """The stores whose data a recovery must bring back, sorted by address: replicas, Aurora
    members, secondary clusters of a global database and replication destinations are copies,
    not stores of their own; logs, caches and artifacts are not workload data
    (``set_aside``)."""
    return [s for s in _primary_stores(graph, resources, primary_region, config)
            if store_class(graph, s, config) not in NOT_WORKLOAD]


def set_aside(graph, resources: Iterable[Resource] | None = None,
              primary_region: str | None = None, config: Any = None) -> list[Resource]:
    """The stores the objectives leave out: their class (logs, artifacts) is not workload
    data (hadr_lint.analysis.store_classes)."""
    return [s for s in _primary_stores(graph, resources, primary_region, config)
            if store_class(graph, s, config) in NOT_WORKLOAD]


def _primary_stores(graph, resources: Iterable[Resource] | None,
                    primary_region: str | None, config: Any) -> list[Resource]:
    wanted = {r.address for r in resources} if resources is not None else None
    secondaries = _global_secondaries(graph, primary_region)
    destinations = _replication_destinations(graph, config)
    found = []
    for store in graph.resources(*STORE_KINDS):
        if wanted is not None and store.address not in wanted:
            continue
        if store.address in secondaries or store.address in destinations:
            continue
        if is_copy(graph, store, config):
            continue
        found.append(store)
    return found


def _global_secondaries(graph, primary_region: str | None) -> set[str]:
    """Clusters of a global database (Aurora, DocumentDB, Neptune) other than its primary: the
    global cluster's source cluster, else the one in the declared primary region, else the first
    by address."""
    groups: dict[Any, list[Resource]] = {}
    for cluster in graph.resources(*GLOBAL_KINDS):
        key = global_group(graph, cluster)
        if key is not None and not isinstance(key, Unknown):
            groups.setdefault((cluster.kind, key), []).append(cluster)
    secondaries: set[str] = set()
    for (_, key), members in groups.items():
        primary = _global_primary(graph, key, members, primary_region)
        secondaries.update(m.address for m in members if m is not primary)
    return secondaries | _datastore_secondaries(graph)


def _datastore_secondaries(graph) -> set[str]:
    """ElastiCache groups that join a scanned Global Datastore whose primary is another group
    (its ``primary_replication_group_id`` / ``PRIMARY`` member): copies, not stores."""
    found = set()
    for group in graph.resources("cache_replication_group"):
        key = cache_global(graph, group)
        holder = graph.get(key) if isinstance(key, str) else None
        members = holder.get("members") if holder is not None else None
        primaries = [find_store(graph, m.get("group"), ("cache_replication_group",))
                     for m in members if isinstance(m, dict) and m.get("role") == "PRIMARY"
                     and not isinstance(m.get("group"), Unknown)] \
            if isinstance(members, list) else []
        if any(p is not None and p is not group for p in primaries):
            found.add(group.address)
    return found


def _global_primary(graph, key: Any, members: list[Resource], primary: str | None) -> Resource:
    source = global_source(graph, key)
    if source is not None and source in members:
        return source
    for member in members:
        if primary is not None and member.region == primary:
            return member
    return members[0]


def _replication_destinations(graph, config: Any) -> set[str]:
    """Buckets another scanned bucket replicates into and that replicate nowhere themselves."""
    found: dict[str, set[str]] = {}
    for bucket in graph.resources("s3_bucket"):
        found[bucket.address] = {c.target.address for c in store_copies(graph, bucket, config)
                                 if c.target is not None}
    return {t for targets in found.values() for t in targets if not found.get(t)}


# ----- regions ------------------------------------------------------------------------------------
def region(resource: Resource, config: Any) -> Any:
    return region_of(resource, config)


def value_region(graph, value: Any, config: Any) -> Any:
    return found_region(graph, value, config)


# ----- RPO ----------------------------------------------------------------------------------------
def store_rpo(graph, store: Resource, scope: str, config: Any) -> Estimate:
    """The RPO ``store`` can deliver when ``scope`` (``az`` or ``region``) is lost."""
    if scope == "az":
        synchronous = _synchronous(store)
        if synchronous is not None:
            return synchronous
    own = region(store, config)
    if isinstance(own, Unknown):
        return _no_region(graph, store, scope, own, config)
    candidates = list(_region_copies(graph, store, own, config))
    if scope == "az":
        candidates += list(_in_region_copies(graph, store, own, config))
    return best(candidates, store, scope)


def _no_region(graph, store: Resource, scope: str, own: Unknown, config: Any) -> Estimate:
    """A store whose region is unknown: with no copy of any kind (no replica, replication or
    backup copy; for a zone loss no backup either) nothing survives whatever its region is:
    unbounded. Any copy leaves it unknown (it may or may not be elsewhere)."""
    candidates = list(_region_copies(graph, store, None, config))
    if scope == "az":
        candidates += list(_in_region_copies(graph, store, None, config))
    if candidates:
        return unknown(own.reason, store, "region")
    if scope == "region":
        why = (f"no copy of {store.name} in another region, whatever its region (no replica, "
               "replication or backup copy)")
    else:
        why = (f"no copy of {store.name} outside its zone, whatever its region (no backup, "
               "replica or replication)")
    return Estimate(INF, None, (evidence(store, "", f"{why}: unbounded"),), why)


def best(candidates: list[Estimate], store: Resource, scope: str) -> Estimate:
    """The best copy decides; an unknown copy that might beat the best known one makes the
    result unknown (never better or worse than the evidence)."""
    known_ones = [c for c in candidates if c.known]
    unknown_ones = [c for c in candidates if not c.known]
    chain = tuple(e for c in candidates for e in c.evidence)
    top = min(known_ones, key=seconds, default=None)
    if top is not None and (not unknown_ones or seconds(top) <= ASYNC):
        rest = tuple(e for e in chain if e not in top.evidence)
        return Estimate(top.value_seconds, None, top.evidence + rest, top.summary)
    if unknown_ones:
        return Estimate(None, unknown_ones[0].unknown_reason, chain)
    why = f"no copy of {store.name} outside {'its zone' if scope == 'az' else 'its region'}"
    return Estimate(INF, None, chain + (evidence(store, "", f"{why}: unbounded"),), why)


def _synchronous(store: Resource) -> Estimate | None:
    """0 for data written synchronously to several zones; None for single-zone data."""
    found = zone_redundancy(store)
    if isinstance(found, Unknown):
        attribute = "multi_az" if store.kind == "db_instance" else "availability_zone"
        return unknown(found.reason, store, attribute)
    if found == "standby":
        return known(0, store, "multi_az", "synchronous Multi-AZ standby")
    if found == "cluster":
        return known(0, store, "engine", "cluster storage written synchronously across AZs")
    if found == "single":
        return None
    return known(0, store, "kind", f"{store.kind.replace('_', ' ')}: regional service, data "
                                   f"stored synchronously across AZs")


def _in_region_copies(graph, store: Resource, own: str | None, config: Any) -> Iterable[Estimate]:
    days = automated_backup_days(store)
    if isinstance(days, Unknown):
        yield unknown(days.reason, store, "backup_retention")
    elif days:
        yield known(LOG_UPLOAD, store, "backup_retention",
                    "automated backups, point-in-time restore (logs uploaded every 5 min)")
    automatic = efs_automatic_backups(graph, store)
    if isinstance(automatic, Unknown):
        yield unknown(automatic.reason, store, "backup_policy")
    elif automatic:
        yield known(EFS_AUTOMATIC_BACKUP, store, "backup_policy",
                    "EFS automatic backups (daily)")
    yield from _backup_copies(graph, store, own, config, same_region=True)


def _region_copies(graph, store: Resource, own: str | None, config: Any) -> Iterable[Estimate]:
    yield from replication_copies(graph, store, own, config)
    yield from backup_copies(graph, store, own, config)


def replication_copies(graph, store: Resource, own: str | None, config: Any) -> Iterable[Estimate]:
    """Live copies of ``store`` in another region (one estimate per copy)."""
    for copy in store_copies(graph, store, config):
        if copy.kind not in BACKUP_COPY_KINDS:
            yield from copy_estimate(copy, own)


def backup_copies(graph, store: Resource, own: str | None, config: Any) -> Iterable[Estimate]:
    """Backups of ``store`` copied to another region: RDS automated backups replication,
    Redshift snapshot copy (``analysis.copies``), AWS Backup copy actions."""
    for copy in store_copies(graph, store, config):
        if copy.kind in BACKUP_COPY_KINDS:
            yield from copy_estimate(copy, own)
    yield from _backup_copies(graph, store, own, config, same_region=False)


def copy_estimate(copy: Copy, own: str | None) -> Iterable[Estimate]:
    """The RPO one copy gives: its kind's typical lag (``analysis.copies.COPY_KINDS``) when it
    is in a region other than ``own``; unknown when its region or lag is."""
    where = copy.region
    if isinstance(where, Unknown):
        yield unknown(f"copy region unknown: {where.reason}", copy.resource, copy.attribute)
    elif not isinstance(where, str):
        yield unknown(f"copy region {where} known only after apply", copy.resource,
                      copy.attribute)
    elif where != own:
        if isinstance(copy.lag, Unknown):
            yield unknown(copy.lag.reason, copy.resource, copy.attribute)
        else:
            yield known(copy.lag, copy.resource, copy.attribute, copy.text)


def _backup_copies(graph, store, own, config, same_region: bool):
    """One estimate per AWS Backup rule that backs ``store`` up (same_region) or copies it to
    another region: the longest gap of the rule's schedule."""
    plans, covered = backup_plans(graph, store)
    if isinstance(covered, Unknown):
        yield unknown(f"backup selection unknown: {covered.reason}", store, "backup")
    for plan in plans:
        rules = plan.get("rules")
        if isinstance(rules, Unknown):
            yield unknown(f"backup rules unknown: {rules.reason}", plan, "rules")
            continue
        for rule in rules or []:
            if not isinstance(rule, dict):
                yield unknown("a backup rule is unknown", plan, "rules")
                continue
            yield from _rule_copy(graph, plan, rule, own, config, same_region)


def _rule_copy(graph, plan, rule: Mapping, own, config, same_region: bool):
    name = rule.get("name") if isinstance(rule.get("name"), str) else "?"
    schedule = rule.get("schedule")
    if same_region:
        where: Any = "its region"
    else:
        where = _copy_region(graph, plan, rule, own, config)
        if where is None:
            return
        if isinstance(where, Unknown):
            yield unknown(f"copy destination of rule {name} unknown: {where.reason}", plan,
                          f"rules[{name}].copy_actions")
            return
    if schedule is None:
        yield unknown(f"backup rule {name} sets no schedule", plan, f"rules[{name}].schedule")
        return
    gap = interval_seconds(schedule)
    if isinstance(gap, Unknown):
        yield unknown(gap.reason, plan, f"rules[{name}].schedule")
        return
    what = "AWS Backup" if same_region else f"AWS Backup copy to {where}"
    yield known(gap, plan, f"rules[{name}].schedule", f"{what}, rule {name} runs {schedule}")


def _copy_region(graph, plan, rule: Mapping, own, config) -> Any:
    """The other region a rule copies to, None when it copies nowhere else, or Unknown."""
    actions = rule.get("copy_actions")
    if isinstance(actions, Unknown):
        return actions
    pending = None
    for action in actions or []:
        vault = action.get("destination_vault") if isinstance(action, dict) else Unknown(
            "copy action unknown")
        where = value_region(graph, vault, config)
        if isinstance(where, Unknown):
            pending = pending or where
        elif where != own:
            return where
    return pending


def workload_rpo(estimates: Mapping[str, Estimate], stores: list[Resource]) -> Estimate:
    """The worst store decides; unknown when any store is unknown and no known one is
    unbounded."""
    if not stores:
        return Estimate(None, NO_STORES)
    pairs = [(store, estimates[store.address]) for store in stores]
    known_ones = [(s, e) for s, e in pairs if e.known]
    unknown_ones = [(s, e) for s, e in pairs if not e.known]
    worst = max(known_ones, key=lambda p: seconds(p[1]), default=None)
    if unknown_ones and (worst is None or seconds(worst[1]) != INF):
        store, est = unknown_ones[0]
        return Estimate(None, f"{store.name}: {est.unknown_reason}", est.evidence)
    assert worst is not None  # stores is not empty: each estimate is known or unknown
    store, est = worst
    return replace(est, summary=f"{store.name}: {est.summary}")


# ----- RTO ----------------------------------------------------------------------------------------
ROUTING_BETWEEN_REGIONS = ("failover", "latency", "weighted", "geolocation", "geoproximity")


def region_rto(graph, resources: Iterable[Resource] | None, strategy: str | None,
               config: Any, step: str | None = None) -> Estimate:
    """Detection + DNS TTL + the strategy's recovery step, for a region loss."""
    if strategy is None and step is None:
        return Estimate(None, "no strategy declared: the recovery step is not known")
    if step is None:
        assert strategy is not None  # checked above
        step = table(getattr(config, "strategies", None))[strategy].recovery_step
    times = steps(config)
    parts = [_detection(graph, resources, config, times), _ttl(graph, resources)]
    parts.append(Estimate(times[step], None, (evidence(None, f"recovery_steps.{step}",
                 f"recovery step: {STEP_TEXT[step]}: {format_duration(times[step])}"),),
                 STEP_TEXT[step]))
    return add(parts)


def add(parts: list[Estimate]) -> Estimate:
    chain = tuple(e for p in parts for e in p.evidence)
    missing = next((p for p in parts if not p.known), None)
    if missing is not None:
        return Estimate(None, missing.unknown_reason, chain)
    total = sum(seconds(p) for p in parts)
    return Estimate(total, None, chain, " + ".join(p.summary for p in parts if p.summary))


def routed_entries(graph, resources: Iterable[Resource] | None):
    """Health-checked DNS records that route between regions: the workload's own when it has
    some, else every such record in the scan."""
    entries = [e for e in dns_entries(graph) if e.get("routing") in ROUTING_BETWEEN_REGIONS]
    if resources is not None:
        wanted = {r.address for r in resources}
        own = [e for e in entries if e.resource.address in wanted]
        entries = own or entries
    return entries


def failing_entries(graph, resources) -> list:
    """The records whose health decides a region failover: with failover routing the PRIMARY
    records (the secondary only matters when it fails too), else every health-checked record
    (any region may be the one that fails)."""
    entries = [e for e in routed_entries(graph, resources) if e.watched is not False]
    primaries = [e for e in entries if e.get("failover") == "PRIMARY"]
    others = [e for e in entries if e.get("routing") != "failover"]
    return primaries + others if primaries else entries


def _detection(graph, resources, config, times) -> Estimate:
    entries = failing_entries(graph, resources)
    if not entries:
        value = times["manual_failover"]
        return Estimate(value, None, (evidence(None, "recovery_steps.manual_failover",
                        "no health-checked DNS routing between regions: failover is manual: "
                        f"{format_duration(value)}"),), "manual failover")
    found = [_entry_detection(graph, e) for e in entries]
    return _worst(found)


def _entry_detection(graph, entry) -> Estimate:
    check_id = entry.get("health_check")
    if isinstance(entry.watched, Unknown):
        return unknown(f"health check unknown: {entry.watched.reason}", entry.resource,
                       "health_check")
    check = graph.resolve(check_id) if check_id is not None else None
    if check is None and check_id is None:
        return known(TARGET_HEALTH_DETECTION, entry.resource, "evaluate_target_health",
                     "alias evaluates target health (about 1 min)")
    if check is None:
        return unknown(f"health check {check_id} is not among the scanned resources",
                       entry.resource, "health_check")
    return check_detection(graph, check)


def check_detection(graph, check: Resource, seen: frozenset = frozenset()) -> Estimate:
    """How long a Route 53 health check takes to report a failure: ``failure_threshold x
    request_interval`` for a check that polls an endpoint; a CALCULATED check follows the child
    that takes it below its health threshold; a CLOUDWATCH_METRIC check its alarm (``period x
    evaluation_periods``). Never a default for a threshold the check does not have: unknown
    instead."""
    kind = check.get("check_type")
    if isinstance(kind, Unknown):
        return unknown(f"health check type unknown (it may be CALCULATED or CLOUDWATCH_METRIC): "
                       f"{kind.reason}", check, "type")
    if kind == "CALCULATED":
        return _calculated_detection(graph, check, seen | {check.address})
    if kind == "CLOUDWATCH_METRIC":
        return _alarm_detection(graph, check)
    threshold = check.get("failure_threshold")
    interval = check.get("request_interval")
    threshold = HEALTH_CHECK_DEFAULTS[0] if threshold is None else threshold
    interval = HEALTH_CHECK_DEFAULTS[1] if interval is None else interval
    for name, value in (("failure_threshold", threshold), ("request_interval", interval)):
        if not isinstance(value, int):
            reason = value.reason if isinstance(value, Unknown) else f"{value!r}"
            return unknown(f"{name} unknown: {reason}", check, name)
    return known(threshold * interval, check, "failure_threshold, request_interval",
                 f"health check fails after {threshold} x {interval} s")


def _calculated_detection(graph, check: Resource, seen: frozenset) -> Estimate:
    """A CALCULATED check is healthy while at least ``child_threshold`` (T) of its n children
    are: when the region fails (all its children with it), it turns unhealthy once n - T + 1
    children have: the (n - T + 1)-th fastest child decides (T = 1, or no threshold set: the
    slowest; T = n: the fastest). T = 0: it never turns unhealthy (no automatic failover)."""
    children = check.get("child_checks")
    if isinstance(children, Unknown):
        return unknown(f"child health checks of calculated check {check.name} unknown: "
                       f"{children.reason}", check, "child_health_checks")
    if not children:
        return unknown(f"calculated health check {check.name} lists no child checks", check,
                       "child_health_checks")
    threshold = check.get("child_threshold")
    if isinstance(threshold, Unknown) or (threshold is not None and not isinstance(threshold,
                                                                                    int)):
        reason = threshold.reason if isinstance(threshold, Unknown) else repr(threshold)
        return unknown(f"health threshold of calculated check {check.name} unknown: {reason}",
                       check, "child_health_threshold")
    if threshold == 0:
        text = f"calculated health check {check.name} has health threshold 0: always healthy"
        return known(INF, check, "child_health_threshold", text)
    if threshold is not None and threshold > len(children):
        return unknown(f"calculated health check {check.name} needs {threshold} healthy children "
                       f"of {len(children)}", check, "child_health_threshold")
    found = []
    for child_id in children:
        child = graph.resolve(child_id, "health_check")
        if child is None:
            shown = child_id.reason if isinstance(child_id, Unknown) else child_id
            return unknown(f"child health check {shown} of calculated check {check.name} is "
                           "not among the scanned resources", check, "child_health_checks")
        if child.address in seen:
            return unknown(f"calculated health check {check.name} includes itself", check,
                           "child_health_checks")
        found.append(check_detection(graph, child, seen))
    missing = next((f for f in found if not f.known), None)
    if missing is not None:
        return _worst(found)
    ranked = sorted(found, key=seconds)
    rank = len(ranked) - (threshold or 1)  # 0-based: the (n - T + 1)-th fastest
    decides = ranked[rank]
    which = ("slowest child check" if rank == len(ranked) - 1 else "fastest child check"
             if rank == 0 else f"child check number {rank + 1} of {len(ranked)} to fail")
    needs = f", health threshold {threshold} of {len(ranked)}" if threshold else ""
    text = f"calculated health check follows its {which} ({decides.summary}){needs}"
    shown = f"{text}: {format_duration(decides.value_seconds)}"
    return Estimate(decides.value_seconds, None,
                    (*decides.evidence, evidence(check, "child_health_checks", shown)), text)


def _alarm_detection(graph, check: Resource) -> Estimate:
    """A CLOUDWATCH_METRIC check is unhealthy once its alarm is: ``period x
    evaluation_periods`` after the metric starts breaching."""
    name = check.get("alarm")
    if name is None:
        return unknown(f"CloudWatch metric health check {check.name} names no alarm", check,
                       "alarm")
    alarm = graph.resolve(name, "metric_alarm")
    if alarm is None:
        shown = name.reason if isinstance(name, Unknown) else name
        return unknown(f"alarm {shown} of health check {check.name} is not among the scanned "
                       "resources", check, "alarm")
    period, periods = alarm.get("period"), alarm.get("evaluation_periods")
    if alarm.get("metric_math"):
        return unknown(f"alarm {alarm.name} uses metric math: its period is per metric (not "
                       "read)", alarm, "period")
    for label, value in (("period", period), ("evaluation_periods", periods)):
        if not isinstance(value, int):
            reason = value.reason if isinstance(value, Unknown) else "not set"
            return unknown(f"{label} of alarm {alarm.name} unknown: {reason}", alarm, label)
    fires = known(period * periods, alarm, "period, evaluation_periods",
                  f"alarm {alarm.name} fires after {periods} x {period} s")
    shown = f"CloudWatch metric health check follows alarm {alarm.name}: " \
        f"{format_duration(period * periods)}"
    text = f"health check follows alarm {alarm.name}, which fires after {periods} x {period} s"
    return Estimate(fires.value_seconds, None, (*fires.evidence, evidence(check, "alarm", shown)),
                    text)


def check_text(graph, check_id: Any) -> str:
    """What a record's health check follows, in a few words (never a threshold it lacks)."""
    check = graph.resolve(check_id) if check_id is not None else None
    if check is None:
        return "a health check"
    kind = check.get("check_type")
    if kind == "CALCULATED":
        return f"calculated health check {check.name} (follows its child checks)"
    if kind == "CLOUDWATCH_METRIC":
        alarm = check.get("alarm")
        found = graph.resolve(alarm, "metric_alarm") if alarm is not None else None
        shown = found.name if found is not None else (alarm if isinstance(alarm, str) else
                                                      "its alarm")
        return f"CloudWatch metric health check {check.name} (follows alarm {shown})"
    if isinstance(kind, Unknown):
        return f"health check {check.name} (type unknown)"
    return f"health check {check.name}"


def _ttl(graph, resources) -> Estimate:
    entries = failing_entries(graph, resources)
    if not entries:
        return Estimate(0, None, (), "")
    found = []
    for entry in entries:
        ttl = entry.get("ttl")
        if entry.get("alias_target") is not None:
            found.append(known(ALIAS_TTL, entry.resource, "alias",
                               "alias record: the target's DNS TTL (60 s for load balancers)"))
        elif isinstance(ttl, int):
            found.append(known(ttl, entry.resource, "ttl", f"DNS TTL {ttl} s"))
        else:
            reason = ttl.reason if isinstance(ttl, Unknown) else "record without a TTL"
            found.append(unknown(f"ttl unknown: {reason}", entry.resource, "ttl"))
    return _worst(found)


def _worst(found: list[Estimate]) -> Estimate:
    chain = tuple(e for f in found for e in f.evidence)
    missing = next((f for f in found if not f.known), None)
    if missing is not None:
        return Estimate(None, missing.unknown_reason, chain)
    top = max(found, key=seconds)
    return Estimate(top.value_seconds, None, top.evidence, top.summary)


def az_rto(graph, stores: list[Resource], config: Any) -> Estimate:
    """The slowest store failover when an Availability Zone is lost."""
    if not stores:
        return Estimate(None, NO_STORES)
    return _worst([store_az_rto(graph, s, config) for s in stores])


def store_az_rto(graph, store: Resource, config: Any) -> Estimate:
    times = steps(config)
    if store.kind == "db_instance":
        multi_az = store.get("multi_az")
        if isinstance(multi_az, Unknown):
            return unknown(f"multi_az unknown: {multi_az.reason}", store, "multi_az")
        if multi_az is True:
            return known(120, store, "multi_az", "RDS Multi-AZ failover (typically 60-120 s)")
        return known(times["restore"], store, "multi_az",
                     "single-AZ instance: restore from backups")
    if store.kind == "db_cluster":
        return _cluster_az_rto(graph, store, times)
    if store.kind in AZ_RTO_NOT_ESTIMATED:
        return unknown(f"the AZ failover time of {AZ_RTO_NOT_ESTIMATED[store.kind]} {store.name} "
                       "is not estimated", store, "kind")
    if store.kind == "efs_file_system" and store.get("availability_zone") is not None:
        return known(times["restore"], store, "availability_zone",
                     "EFS One Zone: restore from backups")
    return known(0, store, "kind", "regional service: no failover needed")


# Stores whose failover after a zone loss the estimates do not model (unknown, never 0).
AZ_RTO_NOT_ESTIMATED = {"docdb_cluster": "DocumentDB cluster", "neptune_cluster": "Neptune cluster",
                        "redshift_cluster": "Redshift cluster",
                        "memorydb_cluster": "MemoryDB cluster"}


def _cluster_az_rto(graph, cluster: Resource, times) -> Estimate:
    members = graph.sources(cluster, "cluster", kind="db_instance")
    if any(m.get("count_unknown") for m in members):
        return unknown("the number of cluster instances is unknown", cluster, "instances")
    if len(members) >= 2:
        return known(30, cluster, "instances", f"Aurora promotes a replica ({len(members)} "
                                                "instances; typically under 30 s)")
    if len(members) == 1:
        return known(600, cluster, "instances",
                     "one instance: Aurora re-creates the writer (typically under 10 min)")
    if cluster.get("engine_mode") == "serverless":
        return known(600, cluster, "engine_mode", "Aurora Serverless v1: re-created in "
                                                  "another AZ (typically under 10 min)")
    return unknown("no cluster instance among the scanned resources", cluster, "instances")
