"""DNS and edge: Route 53 records, record groups, health checks, zones; global front doors.

Canonical kinds and attributes:

* ``dns_record`` (``aws_route53_record``, ``AWS::Route53::RecordSet``): ``zone`` (zone id, a Ref
  or a string), ``zone_name`` (CloudFormation ``HostedZoneName``), and the record attributes
  ``record_name``, ``record_type`` (upper case), ``set_identifier``, ``routing`` (``simple``,
  ``failover``, ``latency``, ``weighted``, ``geolocation``, ``geoproximity``, ``multivalue``,
  ``cidr``), ``failover`` (``PRIMARY``/``SECONDARY``/None), ``health_check`` (health check id),
  ``alias_target`` (alias DNS name: a Ref to the target resource when it is one),
  ``evaluate_target_health`` (bool; None without an alias), ``values`` (plain record values),
  ``ttl`` (int; None for an alias).
* ``dns_record_group`` (``AWS::Route53::RecordSetGroup``): ``zone``, ``zone_name`` and
  ``records``: a list of dicts holding the record attributes above, one per record set.
  Use ``analysis.region_scope.dns_entries`` to iterate single records and group members alike.
* ``health_check``: ``fqdn``, ``check_type`` (upper case), ``failure_threshold`` (default 3),
  ``request_interval`` (seconds, default 30); both None for ``CALCULATED`` and
  ``CLOUDWATCH_METRIC`` checks, which poll nothing themselves: ``child_checks`` (the ids of the
  checks a CALCULATED check combines), ``child_threshold`` (how many must be healthy), ``alarm``
  (the name of the CloudWatch alarm a CLOUDWATCH_METRIC check follows), ``alarm_region``.
* ``metric_alarm`` (``aws_cloudwatch_metric_alarm``, ``AWS::CloudWatch::Alarm``): ``name``,
  ``period`` (seconds; None when the alarm uses metric math: periods are per metric),
  ``evaluation_periods``, ``datapoints_to_alarm``, ``metric_math`` (True when it does).
* ``dns_zone``: ``name``.
* ``cdn_distribution`` (CloudFront) and ``global_accelerator``: global front doors; they have no
  region of their own.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.fields import spec, to_bool, to_int, to_list, to_str, to_upper
from hadr_lint.normalise.front_doors import cfn_failover_origins, tf_failover_origins

TF_ROUTING = (
    ("failover_routing_policy", "failover"),
    ("latency_routing_policy", "latency"),
    ("weighted_routing_policy", "weighted"),
    ("geolocation_routing_policy", "geolocation"),
    ("geoproximity_routing_policy", "geoproximity"),
    ("cidr_routing_policy", "cidr"),
)

CFN_ROUTING = (
    ("Failover", "failover"),
    ("Region", "latency"),
    ("Weight", "weighted"),
    ("GeoLocation", "geolocation"),
    ("GeoProximityLocation", "geoproximity"),
    ("CidrRoutingConfig", "cidr"),
)


def _first(value: Any) -> Any:
    """A block given as a list of one dict (Terraform) or a dict."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _routing(raw: dict[str, Any], keys: tuple, multivalue: str) -> Any:
    for key, name in keys:
        if raw.get(key) not in (None, [], {}):
            return name
    flag = to_bool(raw.get(multivalue))
    if isinstance(flag, Unknown):
        return flag
    return "multivalue" if flag else "simple"


def _tf_record(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    alias = _first(raw.get("alias"))
    alias = alias if isinstance(alias, dict) else {}
    failover = _first(raw.get("failover_routing_policy"))
    return {
        "record_name": to_str(raw.get("name")),
        "record_type": to_upper(raw.get("type")),
        "set_identifier": to_str(raw.get("set_identifier")),
        "routing": _routing(raw, TF_ROUTING, "multivalue_answer_routing_policy"),
        "failover": to_upper(failover.get("type")) if isinstance(failover, dict) else None,
        "health_check": to_str(raw.get("health_check_id")),
        "alias_target": alias.get("name"),
        "evaluate_target_health": to_bool(alias.get("evaluate_target_health")) if alias else None,
        "values": to_list(raw.get("records")),
        "ttl": to_int(raw.get("ttl")),
    }


def cfn_record(raw: dict[str, Any]) -> dict[str, Any]:
    """The canonical record attributes of one CloudFormation record set."""
    if not isinstance(raw, dict):
        return {"record_name": Unknown("record set is not a mapping")}
    alias = raw.get("AliasTarget")
    alias = alias if isinstance(alias, dict) else {}
    return {
        "record_name": to_str(raw.get("Name")),
        "record_type": to_upper(raw.get("Type")),
        "set_identifier": to_str(raw.get("SetIdentifier")),
        "routing": _routing(raw, CFN_ROUTING, "MultiValueAnswer"),
        "failover": to_upper(raw.get("Failover")),
        "health_check": to_str(raw.get("HealthCheckId")),
        "alias_target": alias.get("DNSName"),
        "evaluate_target_health": to_bool(alias.get("EvaluateTargetHealth", False))
        if alias else None,
        "values": to_list(raw.get("ResourceRecords")),
        "ttl": to_int(raw.get("TTL")),
    }


def _cfn_record_set(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return cfn_record(raw)


def _cfn_record_group(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    sets = raw.get("RecordSets")
    if isinstance(sets, Unknown):
        return {"records": sets}
    if not isinstance(sets, list):
        return {"records": Unknown("RecordSets is not a list")}
    return {"records": [cfn_record(item) if not isinstance(item, Unknown)
                        else {"record_name": item} for item in sets]}


POLLING_NOTHING = ("CALCULATED", "CLOUDWATCH_METRIC")


def _own_polling(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """A CALCULATED or CLOUDWATCH_METRIC check has no threshold or interval of its own: no
    default stands in for them (its detection follows its children or its alarm)."""
    if out.get("check_type") in POLLING_NOTHING:
        return {"failure_threshold": None, "request_interval": None}
    return {}


def _metric_math(key: str):
    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        queries = raw.get(key)
        if isinstance(queries, Unknown) or queries:
            return {"metric_math": True, "period": None}
        return {"metric_math": False}

    return derive


_CFN_ZONE = dict(zone=("HostedZoneId", to_str), zone_name=("HostedZoneName", to_str))

TERRAFORM = {
    "aws_route53_record": spec("dns_record", _tf_record, zone=("zone_id", to_str)),
    "aws_route53_health_check": spec(
        "health_check",
        _own_polling,
        fqdn=("fqdn", to_str),
        check_type=("type", to_upper),
        failure_threshold=("failure_threshold", to_int, 3),
        request_interval=("request_interval", to_int, 30),
        child_checks=("child_healthchecks", to_list),
        child_threshold=("child_health_threshold", to_int),
        alarm=("cloudwatch_alarm_name", to_str),
        alarm_region=("cloudwatch_alarm_region", to_str),
    ),
    "aws_cloudwatch_metric_alarm": spec(
        "metric_alarm",
        _metric_math("metric_query"),
        name=("alarm_name", to_str),
        period=("period", to_int),
        evaluation_periods=("evaluation_periods", to_int),
        datapoints_to_alarm=("datapoints_to_alarm", to_int),
    ),
    "aws_route53_zone": spec("dns_zone", name=("name", to_str)),
    "aws_cloudfront_distribution": spec("cdn_distribution", tf_failover_origins),
    "aws_globalaccelerator_accelerator": spec("global_accelerator"),
}

CLOUDFORMATION = {
    "AWS::Route53::RecordSet": spec("dns_record", _cfn_record_set, **_CFN_ZONE),
    "AWS::Route53::RecordSetGroup": spec("dns_record_group", _cfn_record_group, **_CFN_ZONE),
    "AWS::Route53::HealthCheck": spec(
        "health_check",
        _own_polling,
        fqdn=("HealthCheckConfig.FullyQualifiedDomainName", to_str),
        check_type=("HealthCheckConfig.Type", to_upper),
        failure_threshold=("HealthCheckConfig.FailureThreshold", to_int, 3),
        request_interval=("HealthCheckConfig.RequestInterval", to_int, 30),
        child_checks=("HealthCheckConfig.ChildHealthChecks", to_list),
        child_threshold=("HealthCheckConfig.HealthThreshold", to_int),
        alarm=("HealthCheckConfig.AlarmIdentifier.Name", to_str),
        alarm_region=("HealthCheckConfig.AlarmIdentifier.Region", to_str),
    ),
    "AWS::CloudWatch::Alarm": spec(
        "metric_alarm",
        _metric_math("Metrics"),
        name=("AlarmName", to_str),
        period=("Period", to_int),
        evaluation_periods=("EvaluationPeriods", to_int),
        datapoints_to_alarm=("DatapointsToAlarm", to_int),
    ),
    "AWS::Route53::HostedZone": spec("dns_zone", name=("Name", to_str)),
    "AWS::CloudFront::Distribution": spec("cdn_distribution", cfn_failover_origins),
    "AWS::GlobalAccelerator::Accelerator": spec("global_accelerator"),
}
