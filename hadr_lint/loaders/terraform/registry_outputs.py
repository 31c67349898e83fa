"""Outputs of registry modules that were not downloaded, derived from the call's inputs.

A remote module that ``terraform init`` did not download is never fetched, so its outputs are
unknown. For a few popular modules, what an output holds follows from the inputs alone, as the
module's own code computes it: terraform-aws-modules/vpc creates one ``aws_subnet.private[i]``
per element of ``private_subnets``, in ``element(azs, i)``, and its ``private_subnets`` output
is their ids. Also derived: terraform-aws-modules/efs (the file system, one mount target per
``mount_targets`` entry, its backup policy and replication), ec2-instance (the one instance,
spot request or ``ignore_ami`` instance the flags pick), eks's submodules
``eks-managed-node-group`` / ``self-managed-node-group`` / ``fargate-profile`` (the node group,
the Auto Scaling group, the profile) and the eks root (those submodules, one per entry of its
``eks_managed_node_groups`` / ``self_managed_node_groups`` / ``fargate_profiles``, addressed
``module.eks.module.eks_managed_node_group["a"].aws_eks_node_group.this[0]``). ``OUTPUTS`` maps
a registry source (as ``registry_key`` spells it) onto a builder that returns those outputs and
the plain resources behind them; the loader adds the resources to the scan
(``module.vpc.aws_subnet.private[0]``...) so that references resolve to them. A derived resource
whose existence depends on an unknown input (``create_spot_instance``,
``create_backup_policy``...) is added as one that may not exist.

Only outputs listed here are derived; any other output of the module stays unknown, and so does
a derived one whose inputs are unknown (with the reason). A call whose create flag is false
creates nothing and exposes nothing. Module calls with ``count`` / ``for_each`` are not derived.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hadr_lint.loaders.terraform.expansion import key_text
from hadr_lint.loaders.terraform.scope import ResourceObject
from hadr_lint.model import AZ, Ref, Unknown

# input name -> its value (None when the call does not set it); "version" is the call's
# version constraint (a meta-argument: no module has an input of that name).
Inputs = Callable[[str], Any]


@dataclass(frozen=True)
class Synthetic:
    """A resource the module creates, as the module's code would declare it."""

    type: str  # aws_subnet
    name: str  # private (the block label inside the module)
    index: int | str | None  # count index or for_each key, None without either
    raw: Mapping[str, Any] = field(default_factory=dict)
    may_not_exist: str = ""  # why it may not exist (a flag or collection that is unknown)
    module: str = ""  # a submodule of the call it is in: module.eks_managed_node_group["a"]
    ignore_changes: tuple[str, ...] = ()  # its lifecycle's, as the module's code lists them


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


def _flag(inputs: Inputs, name: str, default: bool, where: str) -> bool | Unknown:
    """A bool input, its default when not set; Unknown (with the reason) when unknown."""
    value = inputs(name)
    if value is None:
        return default
    if isinstance(value, Unknown):
        return Unknown(f"{where} input {name} is unknown: {value.reason}")
    if isinstance(value, bool):
        return value
    return Unknown(f"{where} input {name} is not a bool")


def _unless(flag: bool | Unknown, what: str) -> str:
    """``may_not_exist`` of a block whose count is ``flag ? 1 : 0``."""
    return f"exists only if {what}; {flag.reason}" if isinstance(flag, Unknown) else ""


# ----- terraform-aws-modules/efs (main.tf of 1.x and 2.x) ---------------------------------------
def efs_module(inputs: Inputs, where: str, prefix: str) -> Exposed:
    """The file system, ``aws_efs_mount_target.this[key]`` per ``mount_targets`` entry (its
    ``subnet_id``), the backup policy (``create_backup_policy``, default true; ``ENABLED``
    unless ``enable_backup_policy`` is false) and the replication configuration
    (``create_replication_configuration``, default false) to ``replication_configuration_
    destination``. The module's file system takes no ``region`` (2.x sets it on mount targets
    only): all of them are placed with the call's region."""
    fs = Synthetic("aws_efs_file_system", "this", 0, {
        "availability_zone_name": inputs("availability_zone_name"),
        "creation_token": inputs("creation_token"),
        "tags": _name_tags(inputs("tags"), inputs("name") or ""),
    })
    fs_id = Ref(f"{prefix}aws_efs_file_system.this[0]", "id")
    targets = _mount_targets(inputs, where, fs_id)
    made = [fs, *targets, *_backup_policy(inputs, where, fs_id),
            *_replication(inputs, where, fs_id)]
    outputs: dict[str, Any] = {
        attr: Ref(f"{prefix}aws_efs_file_system.this[0]", attr)
        for attr in ("id", "arn", "dns_name", "size_in_bytes")}
    outputs["mount_targets"] = _by_key(prefix, targets)
    return Exposed(outputs, tuple(made))


def _name_tags(tags: Any, name: Any) -> Any:
    """merge(var.tags, { Name = var.name })."""
    if tags is None:
        tags = {}
    if isinstance(tags, Unknown) or not isinstance(tags, dict):
        return tags if isinstance(tags, Unknown) else Unknown("input tags is not a map")
    return {**tags, "Name": name}


def _mount_targets(inputs: Inputs, where: str, fs_id: Ref) -> list[Synthetic]:
    """``for_each = { for k, v in var.mount_targets : k => v }``, ``subnet_id = each.value.
    subnet_id``. Unknown entries: one mount target standing for an unknown number of them."""
    value = inputs("mount_targets")
    if value is None:
        return []
    if isinstance(value, Unknown):
        reason = f"{where} input mount_targets is unknown: {value.reason}"
        return [Synthetic("aws_efs_mount_target", "this", None, {
            "file_system_id": fs_id, "subnet_id": Unknown(reason)}, reason)]
    if isinstance(value, (list, tuple)):
        value = {str(i): v for i, v in enumerate(value)}
    if not isinstance(value, dict):
        reason = f"{where} input mount_targets is not a map"
        return [Synthetic("aws_efs_mount_target", "this", None, {
            "file_system_id": fs_id, "subnet_id": Unknown(reason)}, reason)]
    return [Synthetic("aws_efs_mount_target", "this", str(key), {
        "file_system_id": fs_id, "subnet_id": _field(target, "subnet_id", where, key),
    }) for key, target in value.items()]


def _field(item: Any, name: str, where: str, key: Any) -> Any:
    if isinstance(item, Unknown):
        return Unknown(f"{where} mount_targets[{key!r}] is unknown: {item.reason}")
    if isinstance(item, dict):
        return item.get(name)
    return Unknown(f"{where} mount_targets[{key!r}] is not an object")


def _by_key(prefix: str, made: list[Synthetic]) -> Any:
    """A map output of for_each instances (``aws_efs_mount_target.this``), each one as an
    expression sees a resource: its arguments, and Refs for the attributes known after apply."""
    if len(made) == 1 and made[0].index is None:  # keys unknown
        return made[0].raw["subnet_id"]
    return {m.index: ResourceObject(f"{prefix}{m.type}.{m.name}{key_text(m.index)}",
                                    list(m.raw), m.raw.__getitem__) for m in made}


def _backup_policy(inputs: Inputs, where: str, fs_id: Ref) -> list[Synthetic]:
    create = _flag(inputs, "create_backup_policy", True, where)
    if create is False:
        return []
    enabled = _flag(inputs, "enable_backup_policy", True, where)
    status = enabled if isinstance(enabled, Unknown) else ("ENABLED" if enabled else "DISABLED")
    return [Synthetic("aws_efs_backup_policy", "this", 0, {
        "file_system_id": fs_id, "backup_policy": [{"status": status}],
    }, _unless(create, "create_backup_policy is true"))]


def _replication(inputs: Inputs, where: str, fs_id: Ref) -> list[Synthetic]:
    """``destination`` is the input object; left unset (1.x default ``{}``) its region is the
    provider's."""
    create = _flag(inputs, "create_replication_configuration", False, where)
    if create is False:
        return []
    dest = inputs("replication_configuration_destination")
    if isinstance(dest, Unknown):
        dest = Unknown(f"{where} input replication_configuration_destination is unknown: "
                       f"{dest.reason}")
    elif dest is None or isinstance(dest, dict):
        dest = [{k: (dest or {}).get(k) for k in (
            "availability_zone_name", "file_system_id", "kms_key_id", "region")}]
    else:
        dest = Unknown(f"{where} input replication_configuration_destination is not an object")
    return [Synthetic("aws_efs_replication_configuration", "this", 0, {
        "source_file_system_id": fs_id, "destination": dest,
    }, _unless(create, "create_replication_configuration is true"))]


# ----- terraform-aws-modules/ec2-instance (main.tf of 3.x to 6.x) -------------------------------
# The block each flag combination creates: (create_spot_instance, ignore_ami_changes) -> block,
# and the attribute of that block the ``id`` output reads (local.instance_id).
EC2_BLOCKS = (
    ("aws_instance", "this", False, False, "id"),
    ("aws_instance", "ignore_ami", False, True, "id"),
    ("aws_spot_instance_request", "this", True, None, "spot_instance_id"),
)


def ec2_instance_module(inputs: Inputs, where: str, prefix: str) -> Exposed | Unknown:
    """The one instance: ``aws_instance.this`` by default, ``aws_instance.ignore_ami`` with
    ``ignore_ami_changes``, ``aws_spot_instance_request.this`` with ``create_spot_instance``;
    each in ``subnet_id`` / ``availability_zone``. An unknown flag leaves every block it may
    pick, each of which may not exist, and the outputs that depend on the choice unknown."""
    if inputs("instance_count") is not None:  # 2.x: count = var.instance_count
        return Unknown(f"{where} sets instance_count (ec2-instance 2.x): not derived")
    spot = _flag(inputs, "create_spot_instance", False, where)
    ignore = _flag(inputs, "ignore_ami_changes", False, where)
    raw = _instance_raw(inputs, where)
    picked = [(b, why) for b in EC2_BLOCKS if isinstance(why := _picked(b, spot, ignore), str)]
    made = [Synthetic(b[0], b[1], 0, raw, why) for b, why in picked]
    outputs: dict[str, Any] = {"availability_zone": _instance_zone(raw, where, prefix, picked)}
    if len(picked) == 1:
        (rtype, name, _, _, id_attr), _ = picked[0]
        address = f"{prefix}{rtype}.{name}[0]"
        outputs.update({attr: Ref(address, attr) for attr in (
            "arn", "private_ip", "public_ip", "instance_state", "primary_network_interface_id")})
        outputs["id"] = Ref(address, id_attr)
    else:
        unknown = next(f for f in (spot, ignore) if isinstance(f, Unknown))
        for attr in ("id", "arn", "private_ip", "public_ip", "instance_state",
                     "primary_network_interface_id"):
            outputs[attr] = Unknown(f"{where} output {attr} depends on which block its flags "
                                    f"create ({unknown.reason.removeprefix(where + ' ')})")
    return Exposed(outputs, tuple(made))


def _picked(block: tuple, spot: bool | Unknown, ignore: bool | Unknown) -> str | bool:
    """"" when the flags certainly create ``block``, False when they certainly do not, else
    why it may not exist."""
    wants_spot, wants_ignore = block[2], block[3]
    doubts = []
    for flag, wanted, name in ((spot, wants_spot, "create_spot_instance"),
                               (ignore, wants_ignore, "ignore_ami_changes")):
        if wanted is None:
            continue
        if isinstance(flag, Unknown):
            doubts.append(f"exists only if {name} is {str(wanted).lower()}; {flag.reason}")
        elif flag is not wanted:
            return False
    return "; ".join(doubts)


def _instance_raw(inputs: Inputs, where: str) -> dict[str, Any]:
    """The arguments rules read. With ``network_interface`` and no ``subnet_id``, the
    instance lives in the subnet of its primary interface, which is not among the inputs."""
    subnet = inputs("subnet_id")
    interfaces = inputs("network_interface")
    if subnet is None and interfaces:
        subnet = Unknown(f"{where} attaches network_interface: the instance's subnet is that "
                         "of its primary interface")
    return {"subnet_id": subnet, "availability_zone": inputs("availability_zone"),
            "instance_type": inputs("instance_type"), "placement_group": inputs("placement_group")}


def _instance_zone(raw: dict[str, Any], where: str, prefix: str, picked: list) -> Any:
    """``availability_zone`` as given, else the zone of its subnet, known after apply."""
    zone = raw.get("availability_zone")
    if zone is not None:
        return zone
    if len(picked) == 1:
        (rtype, name, *_), _ = picked[0]
        return Ref(f"{prefix}{rtype}.{name}[0]", "availability_zone")
    return Unknown(f"{where} output availability_zone: no availability_zone input, and which "
                   "instance block is created is unknown")


# ----- terraform-aws-modules/eks (18.x to 21.x): which major a call gets -------------------------
_CLAUSE = re.compile(r"\s*(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def _majors(constraint: Any) -> tuple[int, float]:
    """The lowest and highest major version a ``version`` constraint allows ((0, inf) when it
    is not a known string). ``~> 20.0`` -> (20, 20), ``< 21.0`` -> (0, 20), ``~> 21`` -> (21,
    inf)."""
    low, high = 0, float("inf")
    if not isinstance(constraint, str):
        return low, high
    for clause in constraint.split(","):
        found = _CLAUSE.fullmatch(clause.strip())
        if not found:
            return 0, float("inf")
        op, major = found[1] or "=", int(found[2])
        rest = [int(p) for p in found.groups()[2:] if p is not None]
        if op in ("=", ">=", ">", "~>"):
            low = max(low, major)
        if op == "=" or op == "<=" or (op == "~>" and rest):
            high = min(high, major)
        elif op == "<":
            high = min(high, major if any(rest) else major - 1)
    return low, high


def _since_v21(inputs: Inputs, legacy: tuple[str, ...] = (),
               new: tuple[str, ...] = ()) -> bool | None:
    """True when the call gets eks 21.x or later, False when 20.x or earlier, None when its
    ``version`` does not say. An input that only the older (``legacy``: ``cluster_name``,
    ``*_defaults``) or only the newer majors have (``new``: ``name``) decides too: Terraform
    rejects an argument the module does not declare."""
    low, high = _majors(inputs("version"))
    if low >= 21 or any(inputs(n) is not None for n in new):
        return True
    if high < 21 or any(inputs(n) is not None for n in legacy):
        return False
    return None


def _by_version(since: bool | None, before: Any, after: Any, what: str, where: str) -> Any:
    """``before`` (20.x and earlier) or ``after`` (21.x): Unknown when they differ and the
    call's version does not decide."""
    if since is None and before != after:
        return Unknown(f"{where} {what} is {before!r} before v21 and {after!r} from v21; the "
                       "call's version constraint does not decide")
    return after if since else before


def _placement_subnets(inputs: Inputs, since: bool | None, where: str) -> Any:
    """``subnet_ids``, or the subnets of the placement group's AZ (a data source) when 20.x
    places an EFA or placement-group node group (21.x uses ``subnet_ids`` as given)."""
    subnets = inputs("subnet_ids")
    if since is True:
        return subnets
    for flag in ("enable_efa_support", "create_placement_group"):
        value = _flag(inputs, flag, False, where)
        if value is not False:
            why = value.reason if isinstance(value, Unknown) else f"{where} sets {flag}"
            return Unknown(f"{why}: before v21 its subnets are those of the placement group's "
                           "AZ (data.aws_subnets.placement_group), not subnet_ids")
    return subnets


# ----- terraform-aws-modules/eks modules/eks-managed-node-group (main.tf of 18.x to 21.x) -------
def eks_node_group_module(inputs: Inputs, where: str, prefix: str) -> Exposed:
    """``aws_eks_node_group.this`` in ``subnet_ids``, ``scaling_config`` from ``min_size`` /
    ``max_size`` / ``desired_size``. ``min_size`` defaults to 0 before 21.0 and to 1 from
    21.0: not set, it is unknown unless the call's version decides; ``max_size`` (3) and
    ``desired_size`` (1) default alike."""
    since = _since_v21(inputs)
    minimum = inputs("min_size")
    if minimum is None:
        minimum = _by_version(since, 0, 1, "min_size (not set, the module's default)", where)
    name = inputs("name")
    prefixed = _flag(inputs, "use_name_prefix", True, where)
    group = Synthetic("aws_eks_node_group", "this", 0, {
        "cluster_name": inputs("cluster_name"),
        "node_group_name": None if prefixed is True else (
            prefixed if isinstance(prefixed, Unknown) else name),
        "subnet_ids": _placement_subnets(inputs, since, where),
        "capacity_type": inputs("capacity_type"),
        "scaling_config": [{"min_size": minimum, "max_size": _or(inputs("max_size"), 3),
                            "desired_size": _or(inputs("desired_size"), 1)}],
    }, ignore_changes=("scaling_config.desired_size",))  # 18.0 to 21.x: left to scaling
    address = f"{prefix}aws_eks_node_group.this[0]"
    outputs = {f"node_group_{attr}": Ref(address, attr)
               for attr in ("arn", "id", "status", "resources")}
    return Exposed(outputs, (group,))


# ----- eks modules/self-managed-node-group and modules/fargate-profile (18.x to 21.x) ----------
def self_managed_node_group_module(inputs: Inputs, where: str, prefix: str) -> Exposed:
    """``aws_autoscaling_group.this`` (``create_autoscaling_group``, default true) with
    ``vpc_zone_identifier = subnet_ids`` (20.x: the placement group's subnets with EFA) and
    its sizes; ``min_size`` defaults to 0 before 21.0 and to 1 from 21.0."""
    since = _since_v21(inputs)
    create = _flag(inputs, "create_autoscaling_group", True, where)
    if create is False:
        return Exposed({})
    minimum = inputs("min_size")
    if minimum is None:
        minimum = _by_version(since, 0, 1, "min_size (not set, the module's default)", where)
    subnets = inputs("subnet_ids")
    if since is not True and _flag(inputs, "enable_efa_support", False, where) is not False:
        subnets = Unknown(f"{where} enable_efa_support is not false: before v21 its subnets "
                          "are those of the placement group's AZ, not subnet_ids")
    group = Synthetic("aws_autoscaling_group", "this", 0, {
        "vpc_zone_identifier": subnets,
        "availability_zones": inputs("availability_zones"),
        "min_size": minimum, "max_size": _or(inputs("max_size"), 3),
        "desired_capacity": _or(inputs("desired_size"), 1),
        "health_check_type": inputs("health_check_type"),
        "target_group_arns": inputs("target_group_arns"),
    }, _unless(create, "create_autoscaling_group is true"),
        ignore_changes=("desired_capacity",))  # 18.0 to 21.x: left to scaling
    address = f"{prefix}aws_autoscaling_group.this[0]"
    outputs = {f"autoscaling_group_{attr}": Ref(address, attr) for attr in ("arn", "id", "name")}
    return Exposed(outputs, (group,))


def fargate_profile_module(inputs: Inputs, where: str, prefix: str) -> Exposed:
    """``aws_eks_fargate_profile.this`` named ``name`` in ``subnet_ids``."""
    profile = Synthetic("aws_eks_fargate_profile", "this", 0, {
        "cluster_name": inputs("cluster_name"), "fargate_profile_name": inputs("name"),
        "subnet_ids": _or(inputs("subnet_ids"), []), "selector": inputs("selectors"),
    })
    address = f"{prefix}aws_eks_fargate_profile.this[0]"
    outputs = {f"fargate_profile_{attr}": Ref(address, attr) for attr in ("arn", "id", "status")}
    return Exposed(outputs, (profile,))


# ----- terraform-aws-modules/eks root (node_groups.tf of 18.x to 21.x) --------------------------
@dataclass(frozen=True)
class NodeFamily:
    """One for_each of submodules in the eks root's node_groups.tf."""

    collection: str  # eks_managed_node_groups: the input map, and the output's name
    submodule: str  # eks_managed_node_group: the module block's label
    build: Callable[[Inputs, str, str], Exposed]
    min_size: tuple[int, int] | None  # default min_size before v21 (root's try()) and from v21
    on_outposts: bool  # false: not created on an Outposts local cluster

    @property
    def defaults(self) -> str:  # 20.x and earlier: the shared fallback map
        singular = self.collection.removesuffix("s")
        return f"{singular}_defaults"


EKS_FAMILIES = (
    NodeFamily("eks_managed_node_groups", "eks_managed_node_group", eks_node_group_module,
               (1, 1), False),
    NodeFamily("self_managed_node_groups", "self_managed_node_group",
               self_managed_node_group_module, (0, 1), True),
    NodeFamily("fargate_profiles", "fargate_profile", fargate_profile_module, None, False),
)
# Entry fields handed to the submodule as try(entry.x, defaults.x, <default>) (20.x) or
# coalesce(entry.x, <default>) (21.x): subnet_ids falls back to the root's subnet_ids.
_ENTRY_FIELDS = ("subnet_ids", "max_size", "desired_size", "use_name_prefix", "capacity_type",
                 "enable_efa_support", "create_placement_group", "create_autoscaling_group",
                 "availability_zones", "health_check_type", "target_group_arns", "selectors")


def eks_module(inputs: Inputs, where: str, prefix: str) -> Exposed | Unknown:
    """terraform-aws-modules/eks/aws: one submodule per entry of ``eks_managed_node_groups``
    / ``self_managed_node_groups`` / ``fargate_profiles``, each built as a direct call of that
    submodule would be, from the entry's fields, else (20.x and earlier) ``<family>_defaults``,
    else the root's ``subnet_ids`` and the submodule's defaults. The cluster itself and every
    other output are not derived."""
    if inputs("create_eks") is not None or _majors(inputs("version"))[1] < 18:
        return Unknown(f"{where} is eks 17.x or earlier (worker groups): not derived")
    since = _since_v21(inputs, legacy=("cluster_name", *(f.defaults for f in EKS_FAMILIES)),
                       new=("name",))
    outposts = _outposts(inputs, since, where)
    outputs: dict[str, Any] = {}
    made: list[Synthetic] = []
    for family in EKS_FAMILIES:
        exposed_, resources = _family(inputs, family, since, where, prefix, outposts)
        outputs[family.collection] = exposed_
        made.extend(resources)
    return Exposed(outputs, tuple(made))


def _outposts(inputs: Inputs, since: bool | None, where: str) -> bool | Unknown:
    """local.create_outposts_local_cluster: length(outpost_config) > 0 (20.x), != null (21.x)."""
    config = inputs("outpost_config")
    if config is None:
        return False
    if isinstance(config, Unknown):
        return Unknown(f"{where} input outpost_config is unknown: {config.reason}")
    return _by_version(since, bool(config), True, "an Outposts cluster (outpost_config)", where)


def _family(inputs: Inputs, family: NodeFamily, since: bool | None, where: str, prefix: str,
            outposts: bool | Unknown) -> tuple[Any, list[Synthetic]]:
    """The output map of one family and the resources of its submodules."""
    entries = inputs(family.collection)
    if entries is None or (outposts is True and not family.on_outposts):
        return {}, []
    doubt = "" if family.on_outposts else _unless(outposts, "outpost_config is not set")
    if isinstance(entries, Unknown) or not isinstance(entries, dict):
        why = (f"{where} input {family.collection} is unknown: {entries.reason}"
               if isinstance(entries, Unknown) else f"{where} input {family.collection} is "
               "not a map")
        _, made = _member(inputs, family, since, where, prefix, None, Unknown(why))
        return Unknown(why), [replace(r, may_not_exist=_join(why, doubt)) for r in made]
    outputs, made = {}, []
    for key, entry in entries.items():
        found, resources = _member(inputs, family, since, where, prefix, str(key), entry)
        if found is None:
            continue
        outputs[str(key)] = Unknown(doubt) if doubt else found
        made.extend(replace(r, may_not_exist=_join(doubt, r.may_not_exist)) for r in resources)
    return outputs, made


def _member(inputs: Inputs, family: NodeFamily, since: bool | None, where: str, prefix: str,
            key: str | None, entry: Any) -> tuple[Any, list[Synthetic]]:
    """One submodule: its outputs (None when its ``create`` is false) and resources."""
    module = f"module.{family.submodule}{key_text(key)}"
    at = f"{where} {family.collection}{key_text(key)}" if key is not None else where
    pick = _entry_reader(inputs, family, since, at, key, entry)
    create = _flag(pick, "create", True, at)
    if create is False:
        return None, []
    built = family.build(pick, at, f"{prefix}{module}.")
    doubt = _unless(create, "create is true")
    outputs = built.outputs if not doubt else {
        name: Unknown(f"{at} {doubt}") for name in built.outputs}
    return outputs, [replace(r, module=module, may_not_exist=_join(doubt, r.may_not_exist))
                     for r in built.resources]


def _entry_reader(inputs: Inputs, family: NodeFamily, since: bool | None, where: str,
                  key: str | None, entry: Any) -> Inputs:
    """The submodule's inputs as the root hands them over."""
    cluster = inputs("name") if since else inputs("cluster_name")
    if since is None:
        cluster = _or(inputs("cluster_name"), inputs("name"))
    defaults = inputs(family.defaults)

    def read(name: str) -> Any:
        if name == "version":  # as the root's inputs decide it
            return inputs("version") if since is None else (">= 21.0" if since else "< 21.0")
        if name == "cluster_name":
            return cluster
        if isinstance(entry, Unknown) or not isinstance(entry, dict):
            return entry if isinstance(entry, Unknown) else Unknown(f"{where} is not an object")
        if name == "create":  # try(each.value.create, true): no defaults
            return entry.get("create")
        if name == "name":
            return _or(entry.get("name"), key if key is not None else Unknown(
                f"{where}: the entries' keys are unknown"))
        if name == "min_size" and family.min_size is not None:
            return _entry_field(entry, defaults, name, _by_version(
                since, *family.min_size, "min_size (not set, the root's default)", where))
        if name not in _ENTRY_FIELDS:
            return None
        fallback = inputs("subnet_ids") if name == "subnet_ids" else None
        return _entry_field(entry, defaults, name, fallback)
    return read


def _entry_field(entry: dict, defaults: Any, name: str, fallback: Any) -> Any:
    """try(entry.<name>, defaults.<name>, fallback): set in the entry, else in the defaults
    map (only 20.x and earlier have it; set, the call is one of them), else the fallback."""
    if entry.get(name) is not None:
        return entry[name]
    if isinstance(defaults, Unknown):
        return Unknown(f"{name} comes from an unknown defaults map: {defaults.reason}")
    if isinstance(defaults, dict) and defaults.get(name) is not None:
        return defaults[name]
    return fallback


def _join(*reasons: str) -> str:
    return "; ".join(r for r in reasons if r)


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


# registry source -> (create flags that must not be false, builder)
Builder = Callable[[Inputs, str, str], "Exposed | Unknown"]
OUTPUTS: dict[str, tuple[tuple[str, ...], Builder]] = {
    "terraform-aws-modules/vpc/aws": (("create_vpc", "putin_khuylo"), vpc_module),
    "terraform-aws-modules/efs/aws": (("create",), efs_module),
    "terraform-aws-modules/ec2-instance/aws": (("create", "putin_khuylo"), ec2_instance_module),
    "terraform-aws-modules/eks/aws//modules/eks-managed-node-group": (
        ("create",), eks_node_group_module),
    "terraform-aws-modules/eks/aws//modules/self-managed-node-group": (
        ("create",), self_managed_node_group_module),
    "terraform-aws-modules/eks/aws//modules/fargate-profile": (
        ("create",), fargate_profile_module),
    "terraform-aws-modules/eks/aws": (("create",), eks_module),
}


def exposed(source_key: str, inputs: Inputs, where: str,
            prefix: str) -> Exposed | Unknown | None:
    """What a call of ``source_key`` exposes; None when its outputs are not derived here,
    Unknown when a create flag is false (then it exposes nothing). When a create flag is
    unknown, its resources may not exist (checks on them are unverified) and every output is
    unknown."""
    found = OUTPUTS.get(source_key)
    if found is None:
        return None
    flags, build = found
    doubts: list[tuple[str, str]] = []
    for flag in flags:
        value = inputs(flag)
        if value is False:
            return Unknown(f"{where} creates nothing ({flag} = false)")
        if isinstance(value, Unknown):
            doubts.append((flag, value.reason))
    made = build(inputs, where, prefix)
    if not doubts or isinstance(made, Unknown):
        return made
    return _may_not_exist(made, doubts, where)


def _may_not_exist(made: Exposed, doubts: list[tuple[str, str]], where: str) -> Exposed:
    """``made`` when unknown create flags decide whether it exists at all."""
    flags = " and ".join(flag for flag, _ in doubts)
    reasons = "; ".join(reason for _, reason in doubts)
    unknown = Unknown(f"{where} creates its resources only if {flags} is true ({reasons})")
    doubt = f"exists only if {flags} is true; {reasons}"
    return Exposed({name: unknown for name in made.outputs}, tuple(
        replace(r, may_not_exist="; ".join(d for d in (doubt, r.may_not_exist) if d))
        for r in made.resources))
