"""What a workload runs from rather than the data it keeps: container images (ECR) and secrets
(Secrets Manager), and the resources that copy them to other regions.

Canonical kinds and attributes (both formats):

* ``ecr_repository`` (``aws_ecr_repository``, ``AWS::ECR::Repository``): ``name`` (None when
  CloudFormation generates it), ``tags``.
* ``ecr_replication`` (``aws_ecr_replication_configuration``,
  ``AWS::ECR::ReplicationConfiguration``): the registry's replication, for every repository of
  the registry (the account and region of the resource) that a rule's filters match:
  ``rules``, a list of ``{regions, prefixes}`` (``regions`` the destination regions, each a name
  or Unknown; ``prefixes`` the ``PREFIX_MATCH`` repository filters, ``[]`` for every
  repository), or an Unknown.
* ``secret`` (``aws_secretsmanager_secret``, ``AWS::SecretsManager::Secret``): ``name``,
  ``tags``, ``replica_regions`` (``replica { region }``, ``ReplicaRegions[].Region``),
  ``recovery_window`` (days a deleted secret can be restored: ``recovery_window_in_days``,
  default 30, 0 deletes at once; None for CloudFormation, whose template does not say).
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.data_stores import as_blocks, block_items, cfn_tags, tf_tags
from hadr_lint.normalise.fields import chain, spec, to_int, to_str


def _rules(rules: Any, keys: tuple[str, str, str, str, str]) -> Any:
    """``[{regions, prefixes}]`` per replication rule; an Unknown where a rule cannot be read."""
    destinations, region, filters, text, kind = keys

    def read(rule: dict) -> list:
        regions = block_items(as_blocks(rule.get(destinations)), lambda d: [to_str(d.get(region))])
        prefixes = block_items(as_blocks(rule.get(filters)), lambda f: [_prefix(f, text, kind)])
        if isinstance(regions, Unknown):
            return [regions]
        if isinstance(prefixes, Unknown):
            return [prefixes]
        return [{"regions": regions, "prefixes": prefixes}]

    return block_items(as_blocks(rules), read)


def _prefix(block: dict, text: str, kind: str) -> Any:
    filter_type = block.get(kind, "PREFIX_MATCH")
    if filter_type != "PREFIX_MATCH":
        return Unknown(f"repository filter type {filter_type} is not understood")
    return to_str(block.get(text))


def _tf_ecr_rules(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    configuration = as_blocks(raw.get("replication_configuration"))
    if isinstance(configuration, Unknown):
        return {"rules": configuration}
    rules = [r for block in configuration if isinstance(block, dict)
             for r in _listed(as_blocks(block.get("rule")))]
    return {"rules": _rules(rules, ("destination", "region", "repository_filter", "filter",
                                    "filter_type"))}


def _listed(value: Any) -> list:
    return [value] if isinstance(value, Unknown) else list(value)


def _cfn_ecr_rules(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    configuration = raw.get("ReplicationConfiguration")
    if isinstance(configuration, Unknown):
        return {"rules": configuration}
    rules = configuration.get("Rules") if isinstance(configuration, dict) else None
    return {"rules": _rules(rules, ("Destinations", "Region", "RepositoryFilters", "Filter",
                                    "FilterType"))}


def _tf_secret_replicas(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return {"replica_regions": block_items(as_blocks(raw.get("replica")),
                                      lambda b: [to_str(b.get("region"))])}


def _cfn_secret_replicas(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return {"replica_regions": block_items(as_blocks(raw.get("ReplicaRegions")),
                                      lambda b: [to_str(b.get("Region"))])}


TERRAFORM = {
    "aws_ecr_repository": spec("ecr_repository", tf_tags, name=("name", to_str)),
    "aws_ecr_replication_configuration": spec("ecr_replication", _tf_ecr_rules),
    "aws_secretsmanager_secret": spec(
        "secret", chain(tf_tags, _tf_secret_replicas), name=("name", to_str),
        recovery_window=("recovery_window_in_days", to_int, 30)),
}

CLOUDFORMATION = {
    "AWS::ECR::Repository": spec("ecr_repository", cfn_tags, name=("RepositoryName", to_str)),
    "AWS::ECR::ReplicationConfiguration": spec("ecr_replication", _cfn_ecr_rules),
    "AWS::SecretsManager::Secret": spec(
        "secret", chain(cfn_tags, _cfn_secret_replicas), name=("Name", to_str)),
}
