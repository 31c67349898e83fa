"""What the parts of the CloudFormation loader share: the limits, a template's ``Context``
(its parameters, mappings, conditions and links as resolved so far), the values that cross a
stack boundary (``Joined``, ``Nesting``) or an undecidable condition (``MaybeAbsent``,
``either``), and template nodes as plain data.

Zone counts: ``Fn::GetAZs`` returns as many zones as ``AZ_COUNTS`` lists for the region (the zones
a new account sees); for a region that is unknown or missing from the table it returns
``DEFAULT_AZ_COUNT`` (3) zones, of which only the first 2 are guaranteed to exist in every region.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hadr_lint.model import MaybeAbsent, Unknown

DEFAULT_AZ_COUNT = 3
MAX_DEPTH = 100
MAX_STRING = 1_000_000  # a CloudFormation template is at most 1 MB: so is any string in it
MAX_OUTPUT = 20 * MAX_STRING  # what all of one template's Fn::Sub and Fn::Join build
REGION_UNKNOWN = "template region unknown: pass --region"
TOO_DEEP = f"value nested deeper than {MAX_DEPTH} levels"
NESTED_STACK_TYPES = frozenset({"AWS::CloudFormation::Stack", "AWS::Serverless::Application"})
DEPLOY_TIME_PSEUDO = frozenset(
    {
        "AWS::AccountId",
        "AWS::StackName",
        "AWS::StackId",
        "AWS::URLSuffix",
        "AWS::NotificationARNs",
    }
)
NO_VALUE = object()  # what Ref AWS::NoValue resolves to: the enclosing key or item is removed


@dataclass(frozen=True)
class Context:
    path: str
    region: str | None
    params: Mapping[str, Any] = field(default_factory=dict)
    mappings: Mapping[str, Any] = field(default_factory=dict)
    resources: Mapping[str, str] = field(default_factory=dict)  # logical id -> type
    omitted: frozenset[str] = frozenset()
    conditions: Mapping[str, bool | None] = field(default_factory=dict)
    stack_name: str | None = None
    exports: Mapping[str, Any] = field(default_factory=dict)  # other templates' Outputs
    nested_outputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by stack id
    sam_globals: Mapping[str, Any] = field(default_factory=dict)  # SAM ``Globals`` section
    condition_section: Mapping[str, Any] = field(default_factory=dict)  # as written
    # characters Fn::Sub / Fn::Join may still build in this template (one list, shared by the
    # copies ``replace`` makes): nested Fn::Sub doubles its text at each level
    budget: list[int] = field(default_factory=lambda: [MAX_OUTPUT])


@dataclass(frozen=True)
class Joined:
    """An export whose value is ``Fn::Join`` of items not all known as text (subnet ids, say):
    ``Fn::Split`` on the same delimiter in the importing template gives the items back."""

    delimiter: str
    items: tuple


@dataclass(frozen=True)
class Nesting:
    """Values that cross a nested-stack boundary. ``parameters``: what the parent's
    ``AWS::CloudFormation::Stack`` passes to this template (values, not text: Refs to the
    parent's resources, lists of subnets); ``outputs``: {nested stack logical id: that child's
    Outputs}, for ``Fn::GetAtt Child.Outputs.Name`` in this template."""

    parameters: Mapping[str, Any] = field(default_factory=dict)
    outputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def either(a: Any, b: Any, unknown: Unknown) -> Any:
    """One of two values (an undecidable ``Fn::If``): what both agree on, ``unknown`` where
    they differ. Mappings merge key by key (a key only one side sets is unknown), lists of one
    length item by item; a value against no value (``AWS::NoValue``) is unknown."""
    if a is b:
        return a
    if a is NO_VALUE or b is NO_VALUE:  # keeps the present branch (model.MaybeAbsent)
        return MaybeAbsent(unknown.reason, value=b if a is NO_VALUE else a)
    if isinstance(a, dict) and isinstance(b, dict):
        keys = dict.fromkeys([*a, *b])
        return {k: either(a.get(k, NO_VALUE), b.get(k, NO_VALUE), unknown) for k in keys}
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [either(x, y, unknown) for x, y in zip(a, b, strict=True)]
    if type(a) is type(b) and a == b:
        return a
    if _same_scalar(a, b):  # MultiAZ: true in one branch, "true" in the other
        return b if isinstance(a, str) else a
    return unknown


def _same_scalar(a: Any, b: Any) -> bool:
    """Two scalars CloudFormation reads as the same text (true and "true", 3 and "3")."""
    scalars = (str, bool, int, float)
    return isinstance(a, scalars) and isinstance(b, scalars) and as_text(a) == as_text(b)


def plain_data(value: Any, depth: int = 0) -> Any:
    """cfn-lint nodes to plain Python data, intrinsics left as written."""
    if depth > MAX_DEPTH:
        return Unknown(TOO_DEEP)
    if isinstance(value, Mapping):
        return {as_text(k): plain_data(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(item, depth + 1) for item in value]
    return scalar(value)


def scalar(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def as_text(value: Any) -> str:
    """A scalar as CloudFormation would see it as a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(scalar(value))


def line_of(node: object) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def mapping_or_empty(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}
