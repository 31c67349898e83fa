"""A template's resources and parameters: which entries are resources, each parameter's value,
and each resource as the model's ``Resource`` (its properties resolved, its lines, its meta)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hadr_lint.loaders.cloudformation.context import (
    MAX_DEPTH,
    NO_VALUE,
    REGION_UNKNOWN,
    Context,
    Joined,
    as_text,
    either,
    line_of,
    plain_data,
)
from hadr_lint.loaders.cloudformation.intrinsics import concat, resolve, undecided
from hadr_lint.model import REGION_FALLBACK, LoadError, Location, Resource, Unknown


def section_of(template: Mapping, name: str, path: str, errors: list[LoadError]) -> Mapping:
    value = template.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        line = next((line_of(k) for k in template if k == name), None)
        errors.append(LoadError(path, line, f"{name} must be a mapping"))
        return {}
    return value


def declared_resources(
    section: Mapping, path: str, errors: list[LoadError], notes: list[str]
) -> dict[str, tuple[str, Any, Mapping]]:
    """Logical id -> (type, key node, body) for every well-formed resource entry."""
    declared: dict[str, tuple[str, Any, Mapping]] = {}
    for key, body in section.items():
        name = str(key)
        if name.startswith("Fn::ForEach"):
            notes.append(f"{path}: {name} (AWS::LanguageExtensions) is not expanded")
            continue
        if not isinstance(body, Mapping):
            errors.append(LoadError(path, line_of(key), f"resource {name} must be a mapping"))
            continue
        rtype = body.get("Type")
        if isinstance(rtype, Mapping) and rtype:
            tag = next(iter(rtype))
            notes.append(f"{path}:{line_of(key)}: resource {name} has a {tag} type (a module "
                         "or macro of another tool): not expanded")
            continue
        if not isinstance(rtype, str) or not rtype:
            errors.append(LoadError(path, line_of(key), f"resource {name} has no Type"))
            continue
        declared[name] = (str(rtype), key, body)
    return declared


def parameter_values(
    section: Mapping, given: Mapping[str, str], path: str, notes: list[str],
    passed: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Each parameter's value: ``given`` on the command line (text), else ``passed`` by a
    parent stack (values), else its Default, else unknown."""
    values = _parameter_texts(section, given, path, notes)
    for name, value in (passed or {}).items():
        spec = section.get(name)
        if name in values and name not in given and isinstance(spec, Mapping):
            values[name] = _passed_value(value, str(spec.get("Type", "String")))
    return values


def _passed_value(value: Any, ptype: str) -> Any:
    """A value a parent stack passes: Fn::Join of ids, or a list, for a List parameter."""
    is_list = ptype == "CommaDelimitedList" or ptype.startswith("List<")
    if isinstance(value, Joined):
        return list(value.items) if is_list else concat(list(value.items), value.delimiter,
                                                         "Fn::Join")
    if is_list and isinstance(value, str):
        return [item.strip() for item in value.split(",")]
    return value


def _parameter_texts(
    section: Mapping, given: Mapping[str, str], path: str, notes: list[str]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, spec in section.items():
        name = str(key)
        spec = spec if isinstance(spec, Mapping) else {}
        ptype = str(spec.get("Type", "String"))
        if ptype.startswith("AWS::SSM::Parameter::Value"):
            values[name] = Unknown(
                f"parameter {name} is read from SSM Parameter Store at deploy time"
            )
        elif name in given:
            values[name] = _parameter_value(given[name], ptype)
        elif "Default" in spec:
            values[name] = _parameter_value(plain_data(spec["Default"]), ptype)
        else:
            values[name] = Unknown(f"parameter {name} has no value")
    for name in given:
        if name not in values:
            notes.append(f"{path}: parameter {name} is not declared in the template")
    return values


def _parameter_value(value: Any, ptype: str) -> Any:
    is_list = ptype == "CommaDelimitedList" or ptype.startswith("List<")
    if is_list and isinstance(value, str):
        return [item.strip() for item in value.split(",")]
    if is_list and isinstance(value, list):
        return [as_text(item) for item in value]
    return value


def condition_of(body: Mapping, ctx: Context) -> bool | None:
    """True when the resource has no condition or a true one, False/None when false/undecided."""
    name = body.get("Condition")
    if name is None:
        return True
    return ctx.conditions.get(str(name)) if isinstance(name, str) else None


def load_resource(
    name: str, key: Any, body: Mapping, ctx: Context, lines: list[str], errors: list[LoadError]
) -> Resource:
    raw = _properties(body.get("Properties", {}), ctx, 0)
    if not isinstance(raw, dict):
        errors.append(LoadError(ctx.path, line_of(key), _properties_error(name, raw)))
        raw = {}
    return Resource(
        address=f"{ctx.path}::{name}",
        name=name,
        type=str(body["Type"]),
        location=_location(ctx.path, key, body, lines),
        raw=raw,
        region=ctx.region or Unknown(REGION_UNKNOWN, kind=REGION_FALLBACK),
        source="cloudformation",
        meta=_resource_meta(body, ctx),
        may_not_exist=_existence(body, ctx),
    )


def _properties(value: Any, ctx: Context, depth: int) -> Any:
    """A resource's Properties. ``Ref AWS::NoValue`` there means no properties ({}), so an
    undecidable ``Fn::If`` between a mapping and nothing makes each of its keys unknown."""
    arg = _if_arg(value)
    if arg is None or depth > MAX_DEPTH:
        resolved = resolve(value, ctx, depth)
        return {} if resolved is NO_VALUE else resolved
    decided = ctx.conditions.get(arg[0])
    if decided is not None:
        return _properties(arg[1] if decided else arg[2], ctx, depth + 1)
    return either(_properties(arg[1], ctx, depth + 1), _properties(arg[2], ctx, depth + 1),
                   undecided(arg[0], ctx))


def _if_arg(value: Any) -> list | None:
    """The ``[condition, if true, if false]`` of an ``Fn::If``, else None."""
    if not (isinstance(value, Mapping) and len(value) == 1 and "Fn::If" in value):
        return None
    arg = value["Fn::If"]
    if isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
        return [str(arg[0]), arg[1], arg[2]]
    return None


def _existence(body: Mapping, ctx: Context) -> str:
    """Why the resource may not exist: its Condition cannot be decided ("" when it exists)."""
    if condition_of(body, ctx) is not None:
        return ""
    name = body.get("Condition")
    if not isinstance(name, str):
        return "its Condition is not a condition name"
    why = undecided(str(name), ctx).reason.removeprefix(f"condition {name} cannot be decided")
    return f"exists only if condition {name} is true{why}"


def _properties_error(name: str, raw: Any) -> str:
    if isinstance(raw, Unknown):
        return f"Properties of {name} cannot be resolved: {raw.reason}"
    return f"Properties of {name} must be a mapping"


def _resource_meta(body: Mapping, ctx: Context) -> dict[str, Any]:
    props = body.get("Properties")
    meta: dict[str, Any] = {
        "depends_on": _depends_on(body.get("DependsOn")),
        "metadata": plain_data(body.get("Metadata")) or {},
        "properties_lines": (
            {str(k): line_of(k) for k in props if line_of(k)} if isinstance(props, Mapping) else {}
        ),
    }
    for key, meta_key in (
        ("DeletionPolicy", "deletion_policy"),
        ("UpdateReplacePolicy", "update_replace_policy"),
        ("UpdatePolicy", "update_policy"),
        ("CreationPolicy", "creation_policy"),
    ):
        if key in body:
            meta[meta_key] = resolve(body[key], ctx, 0)
    if "Condition" in body:
        meta["condition"] = as_text(body["Condition"])
        meta["condition_unknown"] = condition_of(body, ctx) is None
    cdk_path = meta["metadata"].get("aws:cdk:path") if isinstance(meta["metadata"], dict) else None
    if isinstance(cdk_path, str):
        meta["cdk_path"] = cdk_path
    meta.update(_sam_globals(body, ctx))
    return meta


def _sam_globals(body: Mapping, ctx: Context) -> dict[str, Any]:
    """A SAM resource's ``Globals`` entry (``Function`` for ``AWS::Serverless::Function``),
    resolved, as ``sam_globals``: the Transform is not expanded, so the normaliser merges it."""
    rtype = body.get("Type")
    if not isinstance(rtype, str) or not rtype.startswith("AWS::Serverless::"):
        return {}
    section = ctx.sam_globals.get(rtype.removeprefix("AWS::Serverless::"))
    if section is None:
        return {}
    value = resolve(section, ctx, 0)
    if value is NO_VALUE:
        return {}
    return {"sam_globals": value if isinstance(value, (dict, Unknown)) else
            Unknown("the SAM Globals section is not a mapping")}


def _depends_on(value: Any) -> list[str]:
    if isinstance(value, str):
        return [str(value)]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, str)]
    return []


def _location(path: str, key: Any, body: Any, lines: list[str]) -> Location:
    """From the logical id's line to the resource mapping's last non-blank, non-comment line."""
    start = line_of(key) or line_of(body) or 0
    end_mark = getattr(body, "end_mark", None)
    if not start or end_mark is None:
        return Location(path, start, start)
    last = end_mark.line  # 0-based; the mark sits just after the mapping
    if last >= len(lines) or not lines[last][: end_mark.column].strip():
        last -= 1
    while last > start - 1 and _is_filler(lines[last] if last < len(lines) else ""):
        last -= 1
    return Location(path, start, max(start, last + 1))


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")
