"""Map each format's resource types and attribute names onto canonical kinds and attributes.

This is the only place that knows Terraform and CloudFormation name the same thing differently;
rules read ``Resource.kind`` and ``Resource.attributes`` and never branch on the format. Each
module of this package holds one family of kinds with both formats side by side.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

from hadr_lint.model import Resource, Unknown
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
    attributes = apply_spec(found, dict(resource.raw), meta)
    return dataclasses.replace(resource, kind=found.kind,
                               attributes=_left_to_scaling(attributes, meta))


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
