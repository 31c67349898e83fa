"""Global front doors that route between regions without DNS: Global Accelerator endpoint groups
and CloudFront origin groups.

Canonical kinds and attributes (both formats):

* ``ga_endpoint_group`` (``aws_globalaccelerator_endpoint_group``,
  ``AWS::GlobalAccelerator::EndpointGroup``): ``group_region`` (the endpoint group's region),
  ``endpoints`` (endpoint ids: load balancers, instances, Elastic IPs). Global Accelerator health
  checks every endpoint group's endpoints; there is no way to turn it off.
* ``cdn_distribution`` (CloudFront, see dns.py) gets ``failover_origins``: for each origin group
  with failover criteria, the domain names of its member origins (a list of lists).
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.fields import spec, to_str


def _items(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else []


def _endpoints(key: str, id_key: str):
    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        items = _items(raw.get(key))
        if isinstance(items, Unknown):
            return {"endpoints": items}
        return {"endpoints": [i.get(id_key) if isinstance(i, dict) else i for i in items]}
    return derive


TERRAFORM = {
    "aws_globalaccelerator_endpoint_group": spec(
        "ga_endpoint_group",
        _endpoints("endpoint_configuration", "endpoint_id"),
        group_region=("endpoint_group_region", to_str),
        listener=("listener_arn", to_str),
    ),
}

CLOUDFORMATION = {
    "AWS::GlobalAccelerator::EndpointGroup": spec(
        "ga_endpoint_group",
        _endpoints("EndpointConfigurations", "EndpointId"),
        group_region=("EndpointGroupRegion", to_str),
        listener=("ListenerArn", to_str),
    ),
}


def _origin_domains(origins: Any, id_key: str, domain_key: str) -> dict[Any, Any]:
    return {o.get(id_key): o.get(domain_key) for o in _items(origins) or []
            if isinstance(o, dict) and isinstance(o.get(id_key), str)}


def tf_failover_origins(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Terraform ``origin_group { failover_criteria {...} member { origin_id } }``."""
    groups = _items(raw.get("origin_group"))
    if isinstance(groups, Unknown):
        return {"failover_origins": groups}
    domains = _origin_domains(raw.get("origin"), "origin_id", "domain_name")
    found = []
    for group in groups:
        if not isinstance(group, dict) or not group.get("failover_criteria"):
            continue
        members = [m.get("origin_id") for m in _items(group.get("member")) or []
                   if isinstance(m, dict)]
        found.append([domains.get(m, Unknown(f"origin {m} not found")) for m in members])
    return {"failover_origins": found}


def cfn_failover_origins(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation ``DistributionConfig.OriginGroups.Items[]``."""
    config = raw.get("DistributionConfig")
    if isinstance(config, Unknown):
        return {"failover_origins": config}
    config = config if isinstance(config, dict) else {}
    groups = config.get("OriginGroups")
    groups = _items(groups.get("Items") if isinstance(groups, dict) else groups)
    if isinstance(groups, Unknown):
        return {"failover_origins": groups}
    domains = _origin_domains(config.get("Origins"), "Id", "DomainName")
    found = []
    for group in groups:
        if not isinstance(group, dict) or not group.get("FailoverCriteria"):
            continue
        members = group.get("Members")
        items = _items(members.get("Items") if isinstance(members, dict) else members) or []
        ids = [m.get("OriginId") for m in items if isinstance(m, dict)]
        found.append([domains.get(i, Unknown(f"origin {i} not found")) for i in ids])
    return {"failover_origins": found}
