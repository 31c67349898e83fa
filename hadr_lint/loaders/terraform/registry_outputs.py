"""Outputs of registry modules that were not downloaded, derived from the call's inputs.

A remote module that ``terraform init`` did not download is never fetched, so its outputs are
unknown. For a few popular modules, what an output holds follows from the inputs alone, as the
module's own code computes it: terraform-aws-modules/vpc creates one ``aws_subnet.private[i]``
per element of ``private_subnets``, in ``element(azs, i)``, and its ``private_subnets`` output is
their ids. ``OUTPUTS`` maps a registry source (as ``registry_key`` spells it) onto a builder
that returns those outputs and the plain resources behind them; the loader adds the resources
to the scan (``module.vpc.aws_subnet.private[0]``...) so that references resolve to them.

Only outputs listed here are derived; any other output of the module stays unknown, and so does
a derived one whose inputs are unknown (with the reason). A call whose create flag is false
creates nothing and exposes nothing. Module calls with ``count`` / ``for_each`` are not derived.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hadr_lint.model import AZ, Ref, Unknown

Inputs = Callable[[str], Any]  # input name -> its value (None when the call does not set it)


@dataclass(frozen=True)
class Synthetic:
    """A resource the module creates, as the module's code would declare it."""

    type: str  # aws_subnet
    name: str  # private (the block label inside the module)
    index: int | None  # count index, None without count
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Exposed:
    """What a module call exposes: outputs by name (values or Unknown) and its resources."""

    outputs: Mapping[str, Any]
    resources: tuple[Synthetic, ...] = ()


@dataclass(frozen=True)
class SubnetSet:
    """One family of subnets of terraform-aws-modules/vpc (``private``, ``public``...)."""

    name: str  # block label and input prefix: aws_subnet.<name>, var.<name>_subnets

    @property
    def cidrs(self) -> str:
        return f"{self.name}_subnets"

    @property
    def ipv6_prefixes(self) -> str:
        return f"{self.name}_subnet_ipv6_prefixes"

    @property
    def ipv6_native(self) -> str:
        return f"{self.name}_subnet_ipv6_native"


# Subnet families whose ids (``<name>_subnets``) and CIDRs (``<name>_subnets_cidr_blocks``)
# are derived. Every family counts max(length(<name>_subnets), length(<name>_subnet_ipv6_
# prefixes)) subnets, in element(azs, count.index) (main.tf of terraform-aws-vpc 3.x to 6.x).
VPC_SUBNETS = tuple(SubnetSet(n) for n in (
    "private", "public", "database", "intra", "elasticache", "redshift"))

# ``availability_zone`` when the element looks like a zone name, ``availability_zone_id``
# otherwise: the module's own test, ``length(regexall("^[a-z]{2}-", element(var.azs, i))) > 0``.
_ZONE_NAME = re.compile(r"[a-z]{2}-")


def _length(inputs: Inputs, name: str, where: str) -> int | Unknown:
    value = inputs(name)
    if value is None:
        return 0
    if isinstance(value, Unknown):
        return Unknown(f"{where} input {name} is unknown: {value.reason}")
    if isinstance(value, (list, tuple)):
        return len(value)
    return Unknown(f"{where} input {name} is not a list")


def _subnet_count(inputs: Inputs, family: SubnetSet, where: str) -> int | Unknown:
    cidrs = _length(inputs, family.cidrs, where)
    prefixes = _length(inputs, family.ipv6_prefixes, where)
    if isinstance(cidrs, Unknown):
        return cidrs
    if isinstance(prefixes, Unknown):
        return prefixes
    total = max(cidrs, prefixes)
    if family.name == "public" and total:
        return _public_count(inputs, total, where)
    return total


def _public_count(inputs: Inputs, total: int, where: str) -> int | Unknown:
    """Public subnets are not created when one_nat_gateway_per_az has fewer than one per AZ."""
    per_az = inputs("one_nat_gateway_per_az")
    if per_az is None or per_az is False:
        return total
    azs = _length(inputs, "azs", where)
    if isinstance(azs, Unknown):
        return azs
    if isinstance(per_az, Unknown):
        return total if total >= azs else Unknown(
            f"{where} creates its public subnets only if one_nat_gateway_per_az is false "
            f"({per_az.reason})")
    return total if total >= azs else 0


def _zone(azs: Any, index: int, where: str) -> dict[str, Any]:
    """``availability_zone`` / ``availability_zone_id`` of subnet ``index``: element(azs, i)."""
    if isinstance(azs, Unknown):
        unknown = Unknown(f"{where} input azs is unknown: {azs.reason}")
        return {"availability_zone": unknown}
    if not isinstance(azs, (list, tuple)) or not azs:
        return {"availability_zone": Unknown(f"{where} input azs is not a non-empty list")}
    zone = azs[index % len(azs)]
    if isinstance(zone, Unknown):
        return {"availability_zone": Unknown(f"{where} azs[{index % len(azs)}] is unknown: "
                                             f"{zone.reason}")}
    if isinstance(zone, AZ):  # data.aws_availability_zones names / zone_ids
        return {"availability_zone" if zone.form == "name" else "availability_zone_id": zone}
    if not isinstance(zone, str):
        return {"availability_zone": Unknown(f"{where} azs[{index % len(azs)}] is not a string")}
    key = "availability_zone" if _ZONE_NAME.match(zone) else "availability_zone_id"
    return {key: zone}


def _cidr(inputs: Inputs, family: SubnetSet, index: int) -> Any:
    native = inputs(family.ipv6_native)
    if native is True:
        return None
    if isinstance(native, Unknown):
        return native
    cidrs = inputs(family.cidrs) or []
    return cidrs[index] if index < len(cidrs) else ""


def _cidr_blocks(subnets: list[Synthetic]) -> Any:
    """compact(aws_subnet.<name>[*].cidr_block)."""
    cidrs = [s.raw.get("cidr_block") for s in subnets]
    for cidr in cidrs:
        if isinstance(cidr, Unknown):
            return cidr
        if cidr is not None and not isinstance(cidr, str):
            return Unknown("a subnet CIDR is not a string")
    return [c for c in cidrs if c]


def vpc_module(inputs: Inputs, where: str, prefix: str) -> Exposed:
    """terraform-aws-modules/vpc/aws: the VPC, its subnets by family, and their ids.
    ``prefix`` is the call's address with a dot (``module.vpc.``)."""
    vpc = Synthetic("aws_vpc", "this", 0, {"cidr_block": inputs("cidr")})
    vpc_ref = Ref(f"{prefix}aws_vpc.this[0]", "id")
    outputs: dict[str, Any] = {"vpc_id": vpc_ref, "azs": inputs("azs")}
    resources = [vpc]
    azs = inputs("azs")
    for family in VPC_SUBNETS:
        count = _subnet_count(inputs, family, where)
        if isinstance(count, Unknown):
            outputs[family.cidrs] = outputs[f"{family.cidrs}_cidr_blocks"] = count
            continue
        made = [Synthetic("aws_subnet", family.name, i, {
            **_zone(azs, i, where), "cidr_block": _cidr(inputs, family, i), "vpc_id": vpc_ref,
        }) for i in range(count)]
        resources.extend(made)
        outputs[family.cidrs] = [Ref(f"{prefix}aws_subnet.{s.name}[{s.index}]", "id") for s in made]
        outputs[f"{family.cidrs}_cidr_blocks"] = _cidr_blocks(made)
    return Exposed(outputs, tuple(resources))


# registry source -> (create flags that must not be false, builder)
OUTPUTS: dict[str, tuple[tuple[str, ...], Callable[[Inputs, str, str], Exposed]]] = {
    "terraform-aws-modules/vpc/aws": (("create_vpc", "putin_khuylo"), vpc_module),
}


def exposed(source_key: str, inputs: Inputs, where: str,
            prefix: str) -> Exposed | Unknown | None:
    """What a call of ``source_key`` exposes; None when its outputs are not derived here,
    Unknown when a create flag is unknown or false (then it exposes nothing)."""
    found = OUTPUTS.get(source_key)
    if found is None:
        return None
    flags, build = found
    for flag in flags:
        value = inputs(flag)
        if value is False:
            return Unknown(f"{where} creates nothing ({flag} = false)")
        if isinstance(value, Unknown):
            return Unknown(f"{where} creates its resources only if {flag} is true "
                           f"({value.reason})")
    return build(inputs, where, prefix)
