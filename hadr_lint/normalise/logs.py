"""Log deliveries: the services that write their logs into an S3 bucket.

A bucket that only receives logs is not the data a disaster-recovery strategy restores; DR005 and
HE003 read these attributes to tell such buckets apart.

Canonical kinds and attributes (both formats):

* ``log_delivery``: one service writing into a bucket. ``what`` (the logs, as messages show them:
  ``CloudTrail logs``, ``VPC flow logs``, ``AWS Config history``, ``S3 inventory reports``),
  ``log_target`` (the bucket: a name, a bucket ARN or a Ref; an ARN's key prefix, as in
  ``arn:aws:s3:::acme-logs/vpc/``, is cut off so the bucket ARN remains; None when the resource
  delivers nothing to S3), ``log_enabled`` (True; Unknown when whether it delivers cannot be told,
  ``log_target`` then still names the bucket; None without ``log_target``), and for S3 inventory
  ``bucket`` (the inventoried bucket). From:

  - CloudTrail: ``aws_cloudtrail`` ``s3_bucket_name`` (``enable_logging``, default true),
    ``AWS::CloudTrail::Trail`` ``S3BucketName`` (``IsLogging``);
  - VPC flow logs: ``aws_flow_log`` / ``AWS::EC2::FlowLog`` with ``log_destination_type`` /
    ``LogDestinationType`` ``s3`` (the default is CloudWatch Logs: no ``log_target``), and
    ``log_destination`` / ``LogDestination``; an unknown destination type keeps the target with
    ``log_enabled`` Unknown;
  - AWS Config: ``aws_config_delivery_channel`` / ``AWS::Config::DeliveryChannel``
    ``s3_bucket_name`` / ``S3BucketName``;
  - S3 inventory: ``aws_s3_bucket_inventory`` ``destination { bucket { bucket_arn } }``
    (``enabled``, default true).

Attributes this module's functions add to kinds of other families:

* ``load_balancer`` (network.py): ``log_target`` (the access-log bucket, None when access logs
  are off) and ``log_enabled`` (as above). Terraform ``aws_lb``/``aws_alb`` ``access_logs { bucket,
  enabled }`` (``enabled`` defaults to false, even with a bucket), ``aws_elb`` ``access_logs {
  bucket, enabled }`` (``enabled`` defaults to true); CloudFormation
  ``AWS::ElasticLoadBalancingV2::LoadBalancer`` ``LoadBalancerAttributes``
  ``access_logs.s3.enabled`` (default false) / ``access_logs.s3.bucket``,
  ``AWS::ElasticLoadBalancing::LoadBalancer`` ``AccessLoggingPolicy: {Enabled, S3BucketName}``.
* ``s3_bucket`` (data_stores.py): ``inventory_targets``, the destination bucket ARNs (or Refs)
  of the bucket's enabled inline ``InventoryConfigurations`` (CloudFormation; an item is Unknown
  when its destination or its ``Enabled`` cannot be told; Terraform has no inline inventory).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hadr_lint.model import Prefixed, Ref, Unknown
from hadr_lint.normalise.fields import chain, spec, to_bool, to_lower, to_str

Derive = Callable[[dict, dict], dict]

CLOUDTRAIL = "CloudTrail logs"
FLOW_LOGS = "VPC flow logs"
CONFIG = "AWS Config history"
INVENTORY = "S3 inventory reports"


def bucket_of(value: Any) -> Any:
    """A bucket name or Ref as it is; an S3 ARN without its key prefix (``arn:aws:s3:::b/p/``
    becomes ``arn:aws:s3:::b``, ``"${aws_s3_bucket.b.arn}/p/"`` the Ref to that bucket)."""
    if isinstance(value, Prefixed) and isinstance(value.ref, Ref) and not value.prefix and \
            value.ref.attribute.lower() == "arn" and value.suffix.startswith("/"):
        return value.ref  # "${aws_s3_bucket.logs.arn}/vpc/": that bucket, under a key prefix
    value = to_str(value)
    if isinstance(value, str) and value.startswith("arn:"):
        parts = value.split(":", 5)
        if len(parts) == 6 and parts[2] == "s3":
            return ":".join(parts[:5] + [parts[5].split("/", 1)[0]])
    return value


def delivery(target: Any, enabled: Any) -> dict[str, Any]:
    """``log_target`` / ``log_enabled`` from a target and an ``enabled`` flag (bool, Unknown)."""
    target = bucket_of(target)
    if target is None or enabled is False:
        return {"log_target": None, "log_enabled": None}
    if isinstance(enabled, Unknown):
        return {"log_target": target, "log_enabled": Unknown(f"whether logs are delivered "
                                                             f"cannot be told: {enabled.reason}")}
    return {"log_target": target, "log_enabled": True}


def _block(value: Any) -> Any:
    """The first block of a block list (or the mapping itself); None when absent."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, (dict, Unknown)):
        return value
    return Unknown("expected a block")


def _flag(value: Any, default: bool) -> Any:
    value = to_bool(value)
    return default if value is None else value


def _unknown(value: Unknown) -> dict[str, Any]:
    return {"log_target": value, "log_enabled": value}


# ----- load balancers ----------------------------------------------------------------------------
def tf_access_logs(enabled_by_default: bool) -> Derive:
    """``access_logs { bucket, enabled }``; aws_lb defaults ``enabled`` to false, aws_elb to
    true."""

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        block = _block(raw.get("access_logs"))
        if isinstance(block, Unknown):
            return _unknown(block)
        if block is None:
            return delivery(None, None)
        return delivery(block.get("bucket"), _flag(block.get("enabled"), enabled_by_default))

    return derive


def cfn_lb_access_logs(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """``LoadBalancerAttributes`` ``access_logs.s3.enabled`` (default false) and ``.bucket``."""
    entries = raw.get("LoadBalancerAttributes")
    if isinstance(entries, Unknown):
        return _unknown(entries)
    found: dict[str, Any] = {}
    unknown = None
    for entry in entries if isinstance(entries, list) else []:
        key = entry.get("Key") if isinstance(entry, dict) else entry
        if isinstance(key, Unknown):
            unknown = Unknown(f"a load balancer attribute: {key.reason}")
        elif isinstance(key, str) and isinstance(entry, dict):
            found[key] = entry.get("Value")
    bucket = found.get("access_logs.s3.bucket")
    enabled = _flag(found.get("access_logs.s3.enabled"), False)
    if unknown is not None and enabled is not True:
        return delivery(bucket, unknown) if bucket is not None else _unknown(unknown)
    return delivery(bucket, enabled)


def cfn_elb_access_logs(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Classic load balancer ``AccessLoggingPolicy: {Enabled, S3BucketName}``."""
    policy = _block(raw.get("AccessLoggingPolicy"))
    if isinstance(policy, Unknown):
        return _unknown(policy)
    if policy is None:
        return delivery(None, None)
    return delivery(policy.get("S3BucketName"), _flag(policy.get("Enabled"), False))


# ----- S3 inventory (inline, CloudFormation) -----------------------------------------------------
def cfn_inventory_targets(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    configs = raw.get("InventoryConfigurations")
    if isinstance(configs, Unknown):
        return {"inventory_targets": [configs]}
    targets: list[Any] = []
    for config in configs if isinstance(configs, list) else []:
        if not isinstance(config, dict):
            targets.append(config if isinstance(config, Unknown) else Unknown(
                "an inventory configuration is not a mapping"))
            continue
        destination = _block(config.get("Destination"))
        target = destination.get("BucketArn") if isinstance(destination, dict) else destination
        found = delivery(target, _flag(config.get("Enabled"), False))
        if isinstance(found["log_enabled"], Unknown):
            targets.append(Unknown(f"inventory to {found['log_target']}: "
                                   f"{found['log_enabled'].reason}"))
        elif found["log_target"] is not None:
            targets.append(found["log_target"])
    return {"inventory_targets": targets}


# ----- log_delivery kinds ------------------------------------------------------------------------
def _what(text: str) -> Derive:
    return lambda raw, out: {"what": text}


def _send(target_key: str, enabled_key: str | None = None) -> Derive:
    """``log_target`` from ``target_key`` (a dotted path), ``log_enabled`` from ``enabled_key``
    (default true)."""

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        target = _read(raw, target_key)
        if isinstance(target, Unknown):
            return _unknown(target)
        enabled = _flag(raw.get(enabled_key), True) if enabled_key else True
        return delivery(target, enabled)

    return derive


def _read(raw: Any, path: str) -> Any:
    for part in path.split("."):
        raw = _block(raw)
        if not isinstance(raw, dict):
            return raw
        raw = raw.get(part)
    return raw


def _flow_log(type_key: str, destination_key: str) -> Derive:
    """Only a flow log whose destination type is ``s3`` delivers to a bucket."""

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        kind = to_lower(raw.get(type_key))
        kind = "cloud-watch-logs" if kind is None else kind
        if isinstance(kind, str) and kind != "s3":
            return delivery(None, None)
        destination = bucket_of(raw.get(destination_key))
        if isinstance(destination, Unknown):
            return _unknown(destination)
        if isinstance(kind, str):
            return delivery(destination, True)
        why = kind.reason if isinstance(kind, Unknown) else f"{kind} known only after apply"
        return delivery(destination, Unknown(f"destination type unknown: {why}"))

    return derive


TERRAFORM = {
    "aws_cloudtrail": spec(
        "log_delivery", chain(_what(CLOUDTRAIL), _send("s3_bucket_name", "enable_logging")),
    ),
    "aws_flow_log": spec(
        "log_delivery", chain(_what(FLOW_LOGS), _flow_log("log_destination_type",
                                                          "log_destination")),
    ),
    "aws_config_delivery_channel": spec(
        "log_delivery", chain(_what(CONFIG), _send("s3_bucket_name")),
    ),
    "aws_s3_bucket_inventory": spec(
        "log_delivery",
        chain(_what(INVENTORY), _send("destination.bucket.bucket_arn", "enabled")),
        bucket=("bucket", to_str),
    ),
}

CLOUDFORMATION = {
    "AWS::CloudTrail::Trail": spec(
        "log_delivery", chain(_what(CLOUDTRAIL), _send("S3BucketName", "IsLogging")),
    ),
    "AWS::EC2::FlowLog": spec(
        "log_delivery", chain(_what(FLOW_LOGS), _flow_log("LogDestinationType",
                                                          "LogDestination")),
    ),
    "AWS::Config::DeliveryChannel": spec(
        "log_delivery", chain(_what(CONFIG), _send("S3BucketName")),
    ),
}
