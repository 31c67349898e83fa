"""Helpers the AZ-scope rules (HA002-HA013) share: spread checks, following LB attachments."""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Ref, Unknown, find_unknown
from hadr_lint.rulebase import problem, unverified
from hadr_lint.ruleutil import certain_required, plural, region_of, required_azs, zone_names


def spread(graph, config, resource, what: str, verb: str = "spans"):
    """HA001-style check: ``resource`` spans at least min_azs distinct AZs (capped by region);
    the message reads "<what> <verb> N AZs (...)".

    Certain by counting: N subnets span at most N AZs whatever their zones, so a spread whose
    upper bound (``ZoneSet.most``) is below the threshold is a finding even when zones are
    unknown. Where the region's AZ count is unknown, only a spread below the fewest AZs any
    region has is certain (``certain_required``); between that and min_azs it is unverified."""
    zones = graph.zones(resource)
    region = region_of(resource, zones)
    required, capped = required_azs(config.min_azs, region)
    if len(zones.zones) >= required:
        return
    certain, why = certain_required(config.min_azs, region)
    most = zones.most
    if zones.unknown:
        if most is not None and most < certain:
            yield problem(resource, f"{what} {verb} at most {plural(most, 'AZ')} "
                                    f"({_counted(zones)}); needs at least {certain}{why}")
        else:
            yield unverified(resource, "AZ spread unknown: " + "; ".join(zones.unknown))
        return
    if len(zones.zones) >= certain:
        yield unverified(resource, f"{what} {verb} {plural(len(zones.zones), 'AZ')} "
                                   f"({zone_names(zones)}): enough only if its region has "
                                   f"no more; the region is unknown")
        return
    yield problem(
        resource,
        f"{what} {verb} {plural(len(zones.zones), 'AZ')} ({zone_names(zones)}); "
        f"needs at least {certain}{why}",
    )


def one_per_zone(graph, config, resource, what: str):
    """``spread`` for subnets AWS requires in distinct AZs (MSK client subnets): N distinct
    subnets, each certainly one subnet, are exactly N AZs even when their zones are unknown."""
    zones = graph.zones(resource)
    count = _distinct_subnets(graph, resource.get("subnets"))
    if zones.known or count is None:
        yield from spread(graph, config, resource, what, verb="span")
        return
    region = region_of(resource, zones)
    required, _ = required_azs(config.min_azs, region)
    if count >= required:
        return
    certain, why = certain_required(config.min_azs, region)
    counted = f"{plural(count, 'subnet')}, one per AZ"
    if count >= certain:
        yield unverified(resource, f"{what} span {plural(count, 'AZ')} ({counted}): enough only "
                                   "if its region has no more; the region is unknown")
    else:
        yield problem(resource, f"{what} span {plural(count, 'AZ')} ({counted}); needs at least "
                                f"{certain}{why}")


def _distinct_subnets(graph, subnets: Any) -> int | None:
    """How many distinct subnets the list names, when each item is certainly one subnet (an id,
    a subnet's ``id``, a scanned subnet); None otherwise."""
    if not isinstance(subnets, list) or not subnets:
        return None
    for item in subnets:
        one = isinstance(item, str) or (isinstance(item, Ref) and item.attribute == "id")
        if not one and graph.resolve(item, "subnet") is None:
            return None
    return len({str(item) for item in subnets})


def _counted(zones) -> str:
    """Why the bound holds: "1 subnet: at most 1 AZ, its AZ unknown: ..."."""
    count = zones.unlocated
    unknown = f"{'its' if count == 1 else 'their'} AZ unknown: {zones.unknown[0]}"
    if not zones.zones:
        return f"{plural(count, zones.unit)}: at most {plural(count, 'AZ')}, {unknown}"
    return f"{zone_names(zones)}, and {plural(count, zones.unit)} adding at most " \
           f"{plural(count, 'AZ')}, {unknown}"


def first_unknown(*values: Any) -> Unknown | None:
    return next((v for v in values if isinstance(v, Unknown)), None)


def list_state(value: Any) -> str:
    """``set`` (a non-empty list, even with unknown items), ``empty``, or ``unknown``."""
    if isinstance(value, Unknown):
        return "unknown"
    if isinstance(value, list):
        return "set" if value else "empty"
    return "empty" if value in (None, "") else "set"


# ----- Auto Scaling group -> load balancers ------------------------------------------------------
def asg_targets(graph, group) -> list:
    """Target groups and Classic ELBs the group registers with, where the graph resolves them."""
    found = []
    for relation in ("target_groups", "load_balancers", "traffic_sources"):
        found.extend(graph.targets(group, relation))
    for attachment in graph.sources(group, relation="group", kind="autoscaling_attachment"):
        found.extend(graph.targets(attachment, "target"))
    return _unique(found)


def load_balancers_of(graph, target) -> list:
    """The load balancers that send traffic to ``target`` (a target group, or an LB itself)."""
    if target.kind == "load_balancer":
        return [target]
    if target.kind != "target_group":
        return []
    found = []
    for listener in graph.sources(target, relation="target_groups", kind="lb_listener"):
        found.extend(graph.targets(listener, "load_balancer"))
    for rule in graph.sources(target, relation="target_groups", kind="lb_listener_rule"):
        for listener in graph.targets(rule, "listener"):
            found.extend(graph.targets(listener, "load_balancer"))
    return _unique(r for r in found if r.kind == "load_balancer")


def asg_fed(graph) -> set[str]:
    """Addresses of the target groups and Classic ELBs an Auto Scaling group registers with (an
    attachment counts even when its group is not among the scanned resources)."""
    found: set[str] = set()
    for group in graph.resources("autoscaling_group"):
        found.update(t.address for t in asg_targets(graph, group))
    for attachment in graph.resources("autoscaling_attachment"):
        found.update(t.address for t in graph.targets(attachment, "target"))
    return found


# ----- load balancer <- EC2 instances registered by hand ------------------------------------------
REGISTRATIONS = {
    "autoscaling_group": ("target_groups", "load_balancers", "traffic_sources"),
    "autoscaling_attachment": ("target",),
    "target_group_attachment": ("target",),
}


def registered_instances(graph, target) -> Any:
    """What is registered with a target group (``targets``, attachments) or a Classic ELB
    (``instances``, attachments): ids, Refs and Unknowns as written, or one Unknown."""
    own = target.get("targets" if target.kind == "target_group" else "instances")
    if isinstance(own, Unknown):
        return own
    found = list(own or [])
    for attachment in graph.sources(target, relation="target", kind="target_group_attachment"):
        found.append(attachment.get("instance"))
    return found


def unseen_registration(graph, target) -> str | None:
    """Why something in ``target``'s configuration may register with it unseen: an Auto Scaling
    group or attachment of the same Terraform root or template whose target is unknown."""
    for kind, keys in REGISTRATIONS.items():
        for other in graph.resources(kind):
            if not same_unit(other, target):
                continue
            for key in keys:
                found = find_unknown(other.get(key))
                if found is not None:
                    return f"{other.name} may register with it: its target is unknown " \
                           f"({found.reason})"
    return None


def _unique(resources) -> list:
    seen: dict[str, Any] = {}
    for resource in resources:
        seen.setdefault(resource.address, resource)
    return list(seen.values())


def same_unit(first, second) -> bool:
    """Both resources come from the same Terraform root, plan or template (``unit::address``)."""
    return first.address.split("::", 1)[0] == second.address.split("::", 1)[0]
