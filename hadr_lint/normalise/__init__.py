"""Map each format's resource types and attribute names onto canonical kinds and attributes.

This is the only place that knows Terraform and CloudFormation name the same thing differently;
rules read ``Resource.kind`` and ``Resource.attributes`` and never branch on the format. Each
module of this package holds one family of kinds with both formats side by side.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import Any

from hadr_lint.model import MaybeAbsent, OneOf, Resource, Unknown
from hadr_lint.normalise.fields import Spec, apply_spec
from hadr_lint.normalise.registry_modules import MODULES, module_spec


def _families() -> list:
    """Every module of this package that holds TERRAFORM / CLOUDFORMATION tables."""
    names = sorted(i.name for i in pkgutil.iter_modules(__path__) if i.name != "fields")
    return [importlib.import_module(f"hadr_lint.normalise.{name}") for name in names]


FAMILIES = tuple(_families())


def _merge(attribute: str) -> dict[str, Spec]:
    table: dict[str, Spec] = {}
    for family in FAMILIES:
        table.update(getattr(family, attribute, {}))
    return table


TABLES = {
    "terraform": _merge("TERRAFORM"),
    "plan": _merge("TERRAFORM"),
    "cloudformation": _merge("CLOUDFORMATION"),
}


def normalise(resource: Resource) -> Resource:
    """The resource with its canonical kind and attributes filled in."""
    if resource.type == "module":
        found = module_spec(resource)
    else:
        found = TABLES.get(resource.source, {}).get(resource.type)
    if found is None:
        return resource
    meta = dict(resource.meta)
    if resource.may_not_exist:  # a resource that may not exist: 0 or more instances
        meta.setdefault("count_unknown", resource.may_not_exist)
    attributes = _apply(found, dict(resource.raw), meta, resource.source == "cloudformation")
    return dataclasses.replace(resource, kind=found.kind,
                               attributes=_left_to_scaling(attributes, meta))


# Properties present or absent by an undecidable condition read both ways, per resource: 2 ** 3
# readings at most; a further one stays unknown inside each reading.
MAX_CONDITIONAL_SITES = 3


def _apply(found: Spec, raw: dict, meta: dict, conditional: bool) -> dict:
    """The canonical attributes of ``raw``. A property (or list item) that is present or absent
    by a condition that cannot be decided (a ``MaybeAbsent`` with its present value) is read
    both ways: an attribute every reading agrees on is known, one they differ on is a
    ``OneOf`` of the readings (unknown, but only one of them: a replication destination in
    one reading is this bucket's possible destination, and no other bucket's). Only
    CloudFormation's undecidable ``Fn::If`` makes them (``conditional``)."""
    sites = _sites(raw, ())[:MAX_CONDITIONAL_SITES] if conditional else []
    if not sites:
        return apply_spec(found, raw, meta)
    readings: list[dict] = [raw]
    for path, site in reversed(sites):  # later list items first: earlier paths stay valid
        readings = [r for reading in readings for r in (_put(reading, path, site.value),
                                                        _put(reading, path, _ABSENT))]
    outs = [apply_spec(found, reading, dict(meta)) for reading in readings]
    reason = "; ".join(dict.fromkeys(site.reason for _, site in sites))
    merged = {}
    for key in dict.fromkeys(k for out in outs for k in out):
        values = [out.get(key) for out in outs]
        same = all(_same(v, values[0]) for v in values[1:])
        merged[key] = values[0] if same else OneOf(reason, options=tuple(values))
    return merged


_ABSENT = object()


def _sites(value: Any, path: tuple) -> list[tuple[tuple, MaybeAbsent]]:
    """The paths of the MaybeAbsent values with a present value inside ``value``, in order."""
    if isinstance(value, MaybeAbsent):
        return [(path, value)] if value.value is not None and path else []
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    found: list = []
    for key, item in items:
        if len(path) < 8 and len(found) < MAX_CONDITIONAL_SITES:
            found += _sites(item, (*path, key))
    return found


def _put(value: Any, path: tuple, new: Any) -> Any:
    """A copy of ``value`` with the item at ``path`` replaced by ``new``, or removed when
    ``new`` is ``_ABSENT``."""
    key, rest = path[0], path[1:]
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    if rest:
        copy[key] = _put(copy[key], rest, new)
    elif new is _ABSENT:
        del copy[key]
    else:
        copy[key] = new
    return copy


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # noqa: BLE001 - values of any kind: not comparable is not the same
        return False


# Sizes a scaling mechanism drives once the resource exists, and the Terraform attribute names
# ``lifecycle { ignore_changes }`` hands them over with. Then the configured value is the size at
# creation only, never what the resource keeps: unknown (a min_size beside it stays the floor).
LEFT_TO_SCALING = {
    "desired_capacity": ("desired_capacity",),
    "desired_size": ("scaling_config", "scaling_config.desired_size"),
    "desired_count": ("desired_count",),
}


def _left_to_scaling(attributes: dict, meta: dict) -> dict:
    lifecycle = meta.get("lifecycle")
    ignored = lifecycle.get("ignore_changes", ()) if isinstance(lifecycle, dict) else ()
    for field, names in LEFT_TO_SCALING.items():
        if field in attributes and ("all" in ignored or set(names) & set(ignored)):
            attributes[field] = Unknown(f"{field} is the size at creation only: lifecycle "
                                        "ignore_changes leaves it to scaling afterwards")
    return attributes


def known_kinds() -> list[str]:
    modules = {found.kind for _, found in MODULES.values()}
    return sorted({s.kind for table in TABLES.values() for s in table.values()} | modules)
