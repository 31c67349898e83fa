"""The common resource model every loader produces and every rule reads.

Values inside attributes are plain Python data (str, int, float, bool, None, list, dict) or one of
three symbolic values:

* ``Unknown``: a value that cannot be resolved statically, with the reason. Never guessed.
* ``Ref``: a known identity that is only computed at apply time, e.g. "the id of aws_subnet.a".
  Two refs to the same attribute of the same resource are equal, so they count once.
* ``AZ``: the i-th availability zone of a region, as ``data "aws_availability_zones"`` or
  ``Fn::GetAZs`` yield them: distinct indexes are distinct zones.

Some Unknowns still say what they are (subclasses, an Unknown wherever a plain value is needed):
``Prefixed``, ``Undefined``, ``ZoneList``, ``Unordered``, ``FirewallEndpoint``, ``Encoded``,
``MaybeAbsent`` and ``OneOf`` (a value behind an undecidable condition, and what it may be),
``DeployAccount`` and ``AccountArn`` (the account a template or provider
configuration deploys into).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hadr_lint.result import Suppression

SEVERITIES = ("note", "warning", "error")
# Unknown.kind: a marker a consumer may act on, where the reason is only text for people.
# The deployment region is not given (a CloudFormation template without --region): the
# configuration's declared primary_region may stand in (``analysis.region_scope.region_of``).
REGION_FALLBACK = "region_fallback"


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be resolved statically. ``reason`` says why, for people; ``kind``
    (empty, or a constant such as ``REGION_FALLBACK``) is what code tests, never the reason.
    It takes no part in equality: the reason alone identifies an unknown, as before."""

    reason: str
    kind: str = field(default="", compare=False, repr=False, kw_only=True)

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


@dataclass(frozen=True)
class Prefixed(Unknown):
    """A string built from a reference and literal text after it, such as
    ``"${aws_s3_bucket.logs.arn}/vpc/"`` or ``!Sub "${Logs.Arn}/vpc/"``: unknown as a string
    (an Unknown everywhere), but it still says which resource it starts from. An S3 key prefix
    after a bucket's ARN still designates that bucket (``hadr_lint.normalise.logs``).

    With ``prefix``, literal text before the reference (``"cluster:${aws_rds_cluster.main.
    cluster_identifier}"``), it no longer starts with the reference but still mentions it (a
    ``references`` edge). With neither, it is the referenced value itself (``whole``)."""

    ref: Any = None  # the Ref the text starts with (after ``prefix``)
    suffix: str = ""
    prefix: str = ""

    @property
    def whole(self) -> bool:
        """The value is the referenced attribute itself, no text around it."""
        return not self.prefix and not self.suffix


@dataclass(frozen=True)
class Undefined(Unknown):
    """A reference to an address that no scanned file defines, such as
    ``aws_s3_bucket.destination.arn`` without a ``resource "aws_s3_bucket" "destination"`` or
    ``!GetAtt Destination.Arn`` without a ``Destination``: unknown (an Unknown everywhere), but it
    designates none of the scanned resources either (``Graph.may_designate``)."""

    address: str = ""


@dataclass(frozen=True)
class ZoneList(Unknown):
    """The zone names (or ids) of a region whose AZ count is unknown, as
    ``data "aws_availability_zones"`` returns them when the provider's region has no value: a
    list of unknown length (an Unknown everywhere a whole list is needed), whose ``i``-th item,
    where Terraform can read one at all, is ``AZ(region, i)``: distinct indexes are distinct
    zones whatever the region (a region without that zone fails the plan)."""

    region: str | None = None
    form: str = "name"

    def item(self, index: int) -> AZ:
        return AZ(self.region, index, self.form)


@dataclass(frozen=True)
class Unordered(Unknown):
    """A set of two or more known elements whose order is only known after apply, such as a
    Network Firewall's ``firewall_status[0].sync_states``: unknown as a list (an Unknown
    everywhere a list is needed, and indexing it by position stays unknown), but a
    for-expression can still read its ``items``, and one whose filter keeps a single element is
    certain (``hadr_lint.loaders.terraform.evaluate``)."""

    items: tuple = field(default=(), compare=False)


@dataclass(frozen=True)
class FirewallEndpoint(Unknown):
    """The endpoint a Network Firewall has in one of its mapped subnets (the
    ``attachment[0].endpoint_id`` of a sync state): its id is known only after apply (an Unknown
    everywhere), but it is the endpoint of ``firewall`` (an address) in ``subnet`` (the subnet's
    id: a ``Ref``, a literal id, or an Unknown), so it lives in that subnet's zone
    (``hadr_lint.analysis.zonal_routes``)."""

    firewall: str = ""
    subnet: Any = None


@dataclass(frozen=True)
class MaybeAbsent(Unknown):
    """A value or nothing, by a condition that cannot be decided: CloudFormation's
    ``Fn::If [Cond, value, !Ref AWS::NoValue]``. Unknown (an Unknown everywhere), but ``value``
    keeps the present branch (None when not known): references in it still designate their
    resources (``iter_refs``), and ``hadr_lint.normalise`` reads the resource both with and
    without it (a ``OneOf`` where the two differ). As a list item, the items after it may sit
    one place earlier, and the list may be one shorter."""

    value: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class OneOf(Unknown):
    """One of ``options``, which one decided only at deploy time (a canonical attribute read
    from a ``MaybeAbsent`` property, with and without it): unknown (an Unknown everywhere one
    value is needed), but none of the values outside ``options``: a resource no option
    designates is not designated (``Graph.may_designate``), and references in the options are
    still references (``iter_refs``)."""

    options: tuple = field(default=(), compare=False)


@dataclass(frozen=True)
class Encoded(Unknown):
    """JSON text whose content is known only in part: Terraform's ``jsonencode`` of a value
    with unknown parts (an ECS task definition's ``container_definitions`` naming an image by
    ``aws_ecr_repository.app.repository_url``). Unknown as text (an Unknown everywhere), but
    ``value`` keeps the encoded structure: references in it still designate their resources
    (``iter_refs``), and a normaliser may read the structure (``decoded``)."""

    value: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class DeployAccount(Unknown):
    """The account one deployment unit is deployed into: CloudFormation's ``AWS::AccountId`` in
    one template, Terraform's ``data.aws_caller_identity`` (and every resource) of one provider
    configuration. Its id is not in the files (an Unknown everywhere an id is needed), but two
    values of the same ``unit`` are the same account (``hadr_lint.analysis.accounts``); against
    a literal id or another unit's account the answer stays unknown. Build it with
    ``deploy_account`` so that equal units are equal values."""

    unit: str = ""


def deploy_account(unit: str) -> DeployAccount:
    """The account ``unit`` (a template, a provider configuration of a root) is deployed to."""
    return DeployAccount(f"the account {unit} is deployed to, known only at deploy time",
                         unit=unit)


@dataclass(frozen=True)
class AccountArn(Unknown):
    """An ARN whose text is known only at deploy time but whose account field is ``account``
    (a ``DeployAccount``): ``!Sub arn:aws:backup:us-west-2:${AWS::AccountId}:backup-vault:dr``
    or ``"arn:aws:backup:${var.region}:${data.aws_caller_identity.current.account_id}:..."``.
    An Unknown everywhere a string is needed; ``arn_with_account`` builds it."""

    account: Any = None


_PLACEHOLDER, _OTHER = "\x00", "\x01"


def arn_with_account(parts: list, function: str) -> AccountArn | None:
    """The ``AccountArn`` a string built of ``parts`` (texts and symbolic values) is, when it is
    an ARN written as literal ``arn:`` text whose account field is exactly one
    ``DeployAccount`` and whose earlier fields are each literal text or exactly one value (an
    ARN field before the account holds no ``:``: a value that did would make an invalid ARN,
    which no deployment accepts); else None."""
    accounts = [p for p in parts if isinstance(p, DeployAccount)]
    if len(accounts) != 1:
        return None
    text = "".join(_PLACEHOLDER if isinstance(p, DeployAccount) else p if isinstance(p, str)
                   else _OTHER for p in parts)
    fields = text.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn" or fields[4] != _PLACEHOLDER:
        return None
    if any(_OTHER in f and f != _OTHER for f in fields[1:4]):
        return None
    return AccountArn(f"{function} builds an ARN in {accounts[0].reason}", account=accounts[0])


@dataclass(frozen=True)
class Ref:
    """A value computed at apply time: attribute ``attribute`` of resource ``address``."""

    address: str
    attribute: str = "id"

    def __str__(self) -> str:
        return f"{self.address}.{self.attribute}"


@dataclass(frozen=True)
class AZ:
    """The ``index``-th availability zone of ``region`` (region may be unknown: then None).

    ``form`` says whether the value stands for the zone's name (``us-east-1a``) or its zone id
    (``use1-az1``); it takes no part in equality: both designate the same zone.
    """

    region: str | None
    index: int
    form: str = field(default="name", compare=False)

    def __str__(self) -> str:
        return f"{self.region} AZ {self.index + 1}" if self.region else f"AZ {self.index + 1}"


def find_unknown(value: Any, skip: tuple[type, ...] = ()) -> Unknown | None:
    """The first Unknown inside ``value`` (itself, or nested in lists and dicts), else None;
    Unknowns of the types ``skip`` lists do not count (an identity, such as a
    ``DeployAccount``, where only the structure around it matters)."""
    if isinstance(value, Unknown):
        return None if skip and isinstance(value, skip) else value
    if isinstance(value, (list, tuple)):
        for item in value:
            found = find_unknown(item, skip)
            if found:
                return found
    if isinstance(value, dict):
        for item in value.values():
            found = find_unknown(item, skip)
            if found:
                return found
    return None


# Symbolic values that name one thing, as a Ref does: a collection holding them still has a
# known shape (a dynamic block or for_each over it expands).
IDENTITIES = (DeployAccount, AccountArn)


def iter_refs(value: Any):
    """Every Ref nested anywhere inside ``value`` (a Prefixed string's, a MaybeAbsent's present
    value's and a OneOf's options' included)."""
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, Prefixed) and isinstance(value.ref, Ref):
        yield value.ref
    elif isinstance(value, (MaybeAbsent, Encoded)):
        yield from iter_refs(value.value)
    elif isinstance(value, OneOf):
        yield from iter_refs(list(value.options))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from iter_refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_refs(item)


@dataclass(frozen=True)
class Location:
    file: str
    line: int = 0
    end_line: int = 0


# The type of the resource a workload-level finding is on (OB001, OB002...): the workload itself,
# located where it is declared (``objectives.declare.workload_anchor``).
WORKLOAD_TYPE = "hadr_lint_workload"


@dataclass(frozen=True)
class Resource:
    """One resource instance, in any IaC format.

    ``address`` is unique in a scan (Terraform instance address, or ``file::LogicalId`` for
    CloudFormation); ``name`` is the resource as its block declares it (Terraform address
    without instance keys in HCL mode, the full address in plan mode, the logical id in
    CloudFormation): what rules say in messages. ``label`` is what reports name: one instance.
    ``raw`` holds the attributes under the provider's own names; ``attributes`` holds the
    canonical ones (filled by ``hadr_lint.normalise``), the only ones rules may read.
    ``may_not_exist`` is empty when the resource certainly exists, else why it may not (a
    Terraform ``count``/``for_each`` that is unknown, a CloudFormation ``Condition`` that cannot
    be decided): "exists only if var.create_db is true". Such a resource also stands for an
    unknown number of instances (0 or more). See ``existence``.
    """

    address: str
    name: str
    type: str
    location: Location
    raw: Mapping[str, Any] = field(default_factory=dict)
    region: Any = None
    kind: str = "other"
    attributes: Mapping[str, Any] = field(default_factory=dict)
    source: str = "terraform"
    module: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    may_not_exist: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.attributes.get(key, default)

    @property
    def label(self) -> str:
        """The instance as reports name it: the Terraform address with its instance keys
        (``module.x["k"].aws_db_instance.db["a"]``) without the root it was loaded through, else
        ``name``. Two instances of one block are two resources, never one line."""
        _, found, local = self.address.partition("::")
        return local if found and self.source == "terraform" else self.name


_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]')


def without_instance_keys(address: str) -> str:
    """``module.x["k"].aws_s3_bucket.b[0]`` -> ``module.x.aws_s3_bucket.b``."""
    return _INSTANCE_KEY.sub("", address)


def existence(resource: Resource) -> Any:
    """True when ``resource`` certainly exists, else an Unknown saying why it may not: a resource
    that may not exist never proves that something is present (a backup, a copy, a partner)."""
    if not resource.may_not_exist:
        return True
    return Unknown(f"{resource.name} may not exist: {resource.may_not_exist}")


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int | None
    message: str


@dataclass(frozen=True)
class LoadResult:
    """What one loader produced from one input (a Terraform root folder, a plan, a template)."""

    resources: tuple[Resource, ...] = ()
    errors: tuple[LoadError, ...] = ()
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    # suppressions of the whole input (a template's own Metadata): on each of its resources and
    # on the input itself (hadr_lint.suppress.collect); a resource's own are in its meta
    suppressions: tuple[Suppression, ...] = ()


@dataclass(frozen=True)
class Problem:
    """What a rule's check yields: a finding on a resource."""

    resource: Resource
    message: str
    severity: str | None = None


@dataclass(frozen=True)
class Unverified:
    """What a rule's check yields when an unknown value kept it from deciding."""

    resource: Resource
    reason: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: str
    message: str
    resource: str
    resource_type: str
    file: str
    line: int
    end_line: int
    scope: str


@dataclass(frozen=True)
class UnknownNote:
    rule_id: str
    resource: str
    file: str
    line: int
    reason: str
