"""CloudFormation loader: one template (YAML or JSON, CDK output included) into Resources.

Decoding gives what cfn-lint's decoder gives (short-form tags, line marks, duplicate keys,
alias-bomb guard): ``cfn_yaml`` decodes ordinary templates the same way without importing
cfn-lint (0.3 s); anything else goes to cfn-lint's decoder. A file is decoded once: discovery calls
``decode`` and ``looks_like_cloudformation``, then passes the result to ``load_template`` as
``decoded=``.

Intrinsic functions are resolved statically and purely: nothing is executed and nothing raises.
What cannot be known before deployment becomes ``Unknown(reason)``; identities of resources become
``Ref(address, attribute)``; ``Fn::GetAZs`` yields ``AZ(region, index)`` values.

Zone counts: ``Fn::GetAZs`` returns as many zones as ``AZ_COUNTS`` lists for the region (the zones
a new account sees); for a region that is unknown or missing from the table it returns
``DEFAULT_AZ_COUNT`` (3) zones, of which only the first 2 are guaranteed to exist in every region.
"""

from __future__ import annotations

import base64
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hadr_lint import cache
from hadr_lint.loaders import Document
from hadr_lint.model import (
    AZ,
    REGION_FALLBACK,
    LoadError,
    LoadResult,
    Location,
    Prefixed,
    Ref,
    Resource,
    Undefined,
    Unknown,
)
from hadr_lint.objectives.declare import ObjectivesError, declared_for
from hadr_lint.regions import AZ_COUNTS
from hadr_lint.tree import real

DEFAULT_AZ_COUNT = 3
MAX_DEPTH = 100
MAX_STRING = 1_000_000  # a CloudFormation template is at most 1 MB: so is any string in it
MAX_OUTPUT = 20 * MAX_STRING  # what all of one template's Fn::Sub and Fn::Join build
# CloudFormation's quota "template body size in an Amazon S3 object" is 1 MB (51,200 bytes
# inline); read as 1 MiB, so no template CloudFormation accepts is refused. A larger file cannot
# be deployed, and is not handed to cfn-lint's decoder (quadratic on wide mappings: a 4.7 MB
# template with one mapping of tens of thousands of keys took over a minute).
MAX_TEMPLATE_BYTES = 1_048_576
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
_TYPE_NAME = re.compile(r"^(AWS|Custom|Alexa)::[A-Za-z0-9_@-]+|^[A-Za-z0-9]+::[A-Za-z0-9]+::\w+")
_SUB_VARIABLE = re.compile(r"\$\{(!?)([^}]*)\}")
_NO_VALUE = object()  # what Ref AWS::NoValue resolves to: the enclosing key or item is removed


@dataclass(frozen=True)
class _Context:
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


# ---------------------------------------------------------------------------------------------
# Public API


def looks_like_cloudformation(data: object) -> bool:
    """True for a decoded mapping that is a CloudFormation template."""
    if not isinstance(data, Mapping):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    if not isinstance(resources, Mapping):
        return False
    for body in resources.values():
        if isinstance(body, Mapping) and isinstance(body.get("Type"), str):
            if _TYPE_NAME.match(body["Type"]):
                return True
    return False


def decode(text: str, path: str = "") -> tuple[object | None, tuple[LoadError, ...]]:
    """Decode YAML or JSON text once: (data, errors). Never raises."""
    from hadr_lint.text import MAX_NESTING, nesting_bound

    if nesting_bound(text) > MAX_NESTING:  # libyaml would overflow the C stack: a segfault
        message = f"cannot decode template: nested more than {MAX_NESTING} levels deep"
        return None, (LoadError(path, None, message),)
    size = _utf8_size(text)
    if size > MAX_TEMPLATE_BYTES:
        message = (f"template is {size:,} bytes, over the 1 MB ({MAX_TEMPLATE_BYTES:,} bytes) "
                   "CloudFormation accepts: it cannot be deployed, and is not decoded")
        return None, (LoadError(path, None, message),)
    try:
        from hadr_lint.loaders.cloudformation.fast_yaml import loads_or_none

        fast = loads_or_none(text)  # without importing cfn-lint (0.3 s), when it can
        if fast is not None:
            return fast, ()
        import cfnlint.decode

        data, matches = cfnlint.decode.decode_str(text)
    except Exception as exc:  # decoding must never surface a traceback
        return None, (LoadError(path, None, f"cannot decode template: {_exception_text(exc)}"),)
    last = max(len(text.splitlines()), 1)  # an error at the end of the file is on its last line
    errors = _yaml_syntax(text, path, _match_errors(matches, path))
    errors = tuple(replace(e, line=min(e.line, last)) if e.line else e for e in errors)
    return (None, errors) if errors else (data, ())


def _utf8_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8 (the file was UTF-8, or UTF-16/32 with a BOM)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def load_template(
    path: str,
    text: str,
    *,
    parameters: dict[str, str] | None = None,
    region: str | None = None,
    decoded: tuple[object | None, tuple[LoadError, ...]] | None = None,
    stack_name: str | None = None,
    exports: Mapping[str, Any] | None = None,
    nesting: Nesting | None = None,
) -> LoadResult:
    """Load one CloudFormation template; ``decoded`` is what ``decode(text)`` returned, if known.

    ``stack_name`` is what ``AWS::StackName`` resolves to (else unknown); ``exports`` maps export
    names of other templates to their values, for ``Fn::ImportValue``; ``nesting`` links nested
    stacks (see ``Nesting``). The result's metadata lists the template's own ``exports``, the
    names it ``imports``, its ``outputs`` and the stacks it ``nests``.
    """
    data, errors = decoded if decoded is not None else decode(text, path)
    if errors:
        return LoadResult(errors=tuple(replace(e, file=path) for e in errors), files=(path,))
    if not isinstance(data, Mapping):
        message = f"template is not a mapping (found {_kind(data)})"
        return LoadResult(errors=(LoadError(path, 1, message),), files=(path,))
    if not looks_like_cloudformation(data):
        return LoadResult()
    try:
        stack = _Stack(stack_name, dict(exports or {}), nesting or Nesting())
        return _load(path, text, data, dict(parameters or {}), region, stack)
    except Exception as exc:  # an unforeseen shape must be an error, never a traceback
        message = f"cannot load template: {_exception_text(exc)}"
        return LoadResult(errors=(LoadError(path, None, message),), files=(path,))


# ---------------------------------------------------------------------------------------------
# Decoding helpers


def _yaml_syntax(text: str, path: str, errors: tuple[LoadError, ...]) -> tuple[LoadError, ...]:
    """cfn-lint's (libyaml's) words for a YAML syntax error drop the construct it is in: when
    YAML text fails to decode, PyYAML's parser says which (``loaders.syntax``)."""
    if not errors or text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):  # JSON: as is
        return errors
    from hadr_lint.loaders.syntax import yaml_error

    found = yaml_error(text)
    if found is None:
        return errors
    line, message = found
    return (LoadError(path, line, f"cannot parse template: {message}"),)


def _match_errors(matches: list, path: str) -> tuple[LoadError, ...]:
    errors: list[LoadError] = []
    for match in matches or ():
        line = getattr(match, "linenumber", None)
        line = line if isinstance(line, int) and line > 0 else None
        text = " ".join(str(getattr(match, "message", match)).split())  # one readable line
        error = LoadError(path, line, f"cannot parse template: {text}")
        if error not in errors:
            errors.append(error)
    return tuple(errors)


def _exception_text(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _kind(data: object) -> str:
    if data is None:
        return "an empty document"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, str):
        return "a string"
    return type(data).__name__


def _line(node: object) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


# ---------------------------------------------------------------------------------------------
# Loading


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


@dataclass(frozen=True)
class _Stack:
    """What links a template to the others: its stack name, the exports it can import, and
    what crosses nested-stack boundaries."""

    name: str | None = None
    exports: Mapping[str, Any] = field(default_factory=dict)
    nesting: Nesting = field(default_factory=Nesting)


def _load(
    path: str, text: str, template: Mapping, parameters: dict[str, str], region: str | None,
    stack: _Stack,
) -> LoadResult:
    errors: list[LoadError] = []
    notes: list[str] = []
    sections = {
        name: _section(template, name, path, errors)
        for name in ("Parameters", "Mappings", "Conditions", "Resources")
    }
    declared = _declared_resources(sections["Resources"], path, errors, notes)
    ctx = _Context(
        path=path,
        region=region,
        params=_parameter_values(sections["Parameters"], parameters, path, notes,
                                 stack.nesting.parameters),
        mappings=_plain(sections["Mappings"]),
        resources={name: rtype for name, (rtype, _, _) in declared.items()},
        stack_name=stack.name,
        exports=stack.exports,
        nested_outputs=stack.nesting.outputs,
        sam_globals=_mapping(template.get("Globals")),
    )
    ctx = replace(ctx, conditions=_Conditions(sections["Conditions"], ctx).evaluate_all(),
                  condition_section={str(k): v for k, v in sections["Conditions"].items()})
    omitted = frozenset(
        n for n, (_, _, body) in declared.items() if _condition_of(body, ctx) is False
    )
    ctx = replace(
        ctx,
        omitted=omitted,
        resources={n: t for n, t in ctx.resources.items() if n not in omitted},
    )
    lines = text.splitlines()
    resources = []
    for name, (_, key, body) in declared.items():
        if name in omitted:
            notes.append(f"{path}: {name} omitted: condition {body['Condition']} is false")
        else:
            resources.append(_resource(name, key, body, ctx, lines, errors))
    notes.extend(_transform_notes(template, path))
    return LoadResult(
        resources=tuple(resources),
        errors=tuple(errors),
        notes=tuple(notes),
        files=(path,),
        metadata={**_template_metadata(template, path, errors), **_links(template, ctx)},
    )


def _links(template: Mapping, ctx: _Context) -> dict[str, Any]:
    """``exports``: {export name: value} of the template's Outputs whose name is known;
    ``imports``: the known names it imports; ``unnamed_exports``: how many export names are
    unknown (built from ``AWS::StackName`` without ``--stack-name``, for instance)."""
    exports: dict[str, Any] = {}
    unnamed = 0
    outputs = template.get("Outputs")
    for output in outputs.values() if isinstance(outputs, Mapping) else ():
        export = output.get("Export") if isinstance(output, Mapping) else None
        if not isinstance(export, Mapping) or "Name" not in export:
            continue
        if output.get("Condition") is not None and \
                ctx.conditions.get(_text(output["Condition"])) is not True:
            continue
        name = _resolve(export["Name"], ctx, 0)
        if isinstance(name, str):
            exports[name] = _export_value(output.get("Value"), ctx)
        else:
            unnamed += 1
    links: dict[str, Any] = {}
    if exports:
        links["exports"] = exports
    if unnamed:
        links["unnamed_exports"] = unnamed
    imports = sorted(_imported_names([template.get("Resources"), outputs], ctx, 0))
    if imports:
        links["imports"] = imports
    links.update(_nesting_links(template, outputs, ctx))
    return links


def _nesting_links(template: Mapping, outputs: Any, ctx: _Context) -> dict[str, Any]:
    """``outputs``: {name: value} of every output (a parent reads them); ``nests``: {logical
    id: {template_url, parameters}} of the nested stacks this template creates."""
    links: dict[str, Any] = {}
    found = {str(k): _export_value(o.get("Value"), ctx) for k, o in outputs.items()
             if isinstance(o, Mapping)} if isinstance(outputs, Mapping) else {}
    if found:
        links["outputs"] = found
    nests = {}
    resources = template.get("Resources")
    for name, body in resources.items() if isinstance(resources, Mapping) else ():
        if not isinstance(body, Mapping) or body.get("Type") != "AWS::CloudFormation::Stack" \
                or str(name) in ctx.omitted:
            continue
        properties = body.get("Properties")
        properties = properties if isinstance(properties, Mapping) else {}
        url = _resolve(properties.get("TemplateURL"), ctx, 0)
        given = properties.get("Parameters") or {}
        if isinstance(url, str) and isinstance(given, Mapping):
            passed = {_text(k): _export_value(v, ctx) for k, v in given.items()}
            nests[str(name)] = {"template_url": url, "parameters": {
                k: v for k, v in passed.items() if v is not _NO_VALUE}}
    if nests:
        links["nests"] = nests
    return links


def _export_value(value: Any, ctx: _Context) -> Any:
    joined = value.get("Fn::Join") if isinstance(value, Mapping) and len(value) == 1 else None
    if isinstance(joined, list) and len(joined) == 2 and isinstance(joined[0], str):
        items = _resolve(joined[1], ctx, 1)
        if isinstance(items, list) and not all(isinstance(i, str) for i in items):
            return Joined(joined[0], tuple(items))
    return _resolve(value, ctx, 0)


def _imported_names(value: Any, ctx: _Context, depth: int) -> set[str]:
    if depth > MAX_DEPTH:
        return set()
    if isinstance(value, Mapping):
        if len(value) == 1 and "Fn::ImportValue" in value:
            name = _resolve(value["Fn::ImportValue"], ctx, depth + 1)
            return {name} if isinstance(name, str) else set()
        return {n for item in value.values() for n in _imported_names(item, ctx, depth + 1)}
    if isinstance(value, list):
        return {n for item in value for n in _imported_names(item, ctx, depth + 1)}
    return set()


def _section(template: Mapping, name: str, path: str, errors: list[LoadError]) -> Mapping:
    value = template.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        line = next((_line(k) for k in template if k == name), None)
        errors.append(LoadError(path, line, f"{name} must be a mapping"))
        return {}
    return value


def _declared_resources(
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
            errors.append(LoadError(path, _line(key), f"resource {name} must be a mapping"))
            continue
        rtype = body.get("Type")
        if isinstance(rtype, Mapping) and rtype:
            tag = next(iter(rtype))
            notes.append(f"{path}:{_line(key)}: resource {name} has a {tag} type (a module "
                         "or macro of another tool): not expanded")
            continue
        if not isinstance(rtype, str) or not rtype:
            errors.append(LoadError(path, _line(key), f"resource {name} has no Type"))
            continue
        declared[name] = (str(rtype), key, body)
    return declared


def _parameter_values(
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
        return list(value.items) if is_list else _concat(list(value.items), value.delimiter,
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
            values[name] = _parameter_value(_plain(spec["Default"]), ptype)
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
        return [_text(item) for item in value]
    return value


def _condition_of(body: Mapping, ctx: _Context) -> bool | None:
    """True when the resource has no condition or a true one, False/None when false/undecided."""
    name = body.get("Condition")
    if name is None:
        return True
    return ctx.conditions.get(str(name)) if isinstance(name, str) else None


def _resource(
    name: str, key: Any, body: Mapping, ctx: _Context, lines: list[str], errors: list[LoadError]
) -> Resource:
    raw = _properties(body.get("Properties", {}), ctx, 0)
    if not isinstance(raw, dict):
        errors.append(LoadError(ctx.path, _line(key), _properties_error(name, raw)))
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


def _properties(value: Any, ctx: _Context, depth: int) -> Any:
    """A resource's Properties. ``Ref AWS::NoValue`` there means no properties ({}), so an
    undecidable ``Fn::If`` between a mapping and nothing makes each of its keys unknown."""
    arg = _if_arg(value)
    if arg is None or depth > MAX_DEPTH:
        resolved = _resolve(value, ctx, depth)
        return {} if resolved is _NO_VALUE else resolved
    decided = ctx.conditions.get(arg[0])
    if decided is not None:
        return _properties(arg[1] if decided else arg[2], ctx, depth + 1)
    return _either(_properties(arg[1], ctx, depth + 1), _properties(arg[2], ctx, depth + 1),
                   _undecided(arg[0], ctx))


def _if_arg(value: Any) -> list | None:
    """The ``[condition, if true, if false]`` of an ``Fn::If``, else None."""
    if not (isinstance(value, Mapping) and len(value) == 1 and "Fn::If" in value):
        return None
    arg = value["Fn::If"]
    if isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
        return [str(arg[0]), arg[1], arg[2]]
    return None


def _existence(body: Mapping, ctx: _Context) -> str:
    """Why the resource may not exist: its Condition cannot be decided ("" when it exists)."""
    if _condition_of(body, ctx) is not None:
        return ""
    name = body.get("Condition")
    if not isinstance(name, str):
        return "its Condition is not a condition name"
    why = _undecided(str(name), ctx).reason.removeprefix(f"condition {name} cannot be decided")
    return f"exists only if condition {name} is true{why}"


def _properties_error(name: str, raw: Any) -> str:
    if isinstance(raw, Unknown):
        return f"Properties of {name} cannot be resolved: {raw.reason}"
    return f"Properties of {name} must be a mapping"


def _resource_meta(body: Mapping, ctx: _Context) -> dict[str, Any]:
    props = body.get("Properties")
    meta: dict[str, Any] = {
        "depends_on": _depends_on(body.get("DependsOn")),
        "metadata": _plain(body.get("Metadata")) or {},
        "properties_lines": (
            {str(k): _line(k) for k in props if _line(k)} if isinstance(props, Mapping) else {}
        ),
    }
    for key, meta_key in (
        ("DeletionPolicy", "deletion_policy"),
        ("UpdateReplacePolicy", "update_replace_policy"),
        ("UpdatePolicy", "update_policy"),
        ("CreationPolicy", "creation_policy"),
    ):
        if key in body:
            meta[meta_key] = _resolve(body[key], ctx, 0)
    if "Condition" in body:
        meta["condition"] = _text(body["Condition"])
        meta["condition_unknown"] = _condition_of(body, ctx) is None
    cdk_path = meta["metadata"].get("aws:cdk:path") if isinstance(meta["metadata"], dict) else None
    if isinstance(cdk_path, str):
        meta["cdk_path"] = cdk_path
    meta.update(_sam_globals(body, ctx))
    return meta


def _mapping(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _sam_globals(body: Mapping, ctx: _Context) -> dict[str, Any]:
    """A SAM resource's ``Globals`` entry (``Function`` for ``AWS::Serverless::Function``),
    resolved, as ``sam_globals``: the Transform is not expanded, so the normaliser merges it."""
    rtype = body.get("Type")
    if not isinstance(rtype, str) or not rtype.startswith("AWS::Serverless::"):
        return {}
    section = ctx.sam_globals.get(rtype.removeprefix("AWS::Serverless::"))
    if section is None:
        return {}
    value = _resolve(section, ctx, 0)
    if value is _NO_VALUE:
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
    start = _line(key) or _line(body) or 0
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


def _transform_notes(template: Mapping, path: str) -> list[str]:
    transform = template.get("Transform")
    if transform is None:
        return []
    names = transform if isinstance(transform, list) else [transform]
    shown = ", ".join(str(n) if isinstance(n, str) else "a macro" for n in names)
    return [f"{path}: Transform {shown} is not expanded; resources are read as written"]


def _template_metadata(template: Mapping, path: str, errors: list[LoadError]) -> dict[str, Any]:
    section = template.get("Metadata")
    if not isinstance(section, Mapping):
        return {}
    metadata: dict[str, Any] = {}
    if "HadrLint" in section:
        metadata["objectives"] = _plain(section["HadrLint"])
    own = section.get("hadr-lint")
    if isinstance(own, Mapping) and "ignore" in own:
        metadata["ignore"] = _ignore_entries(own, path, errors)
    problems = _near_misses(section)
    if problems:
        metadata["ignore_problems"] = problems
    return metadata


def _near_misses(section: Mapping) -> list[tuple[int, str]]:
    """(line, what) for template Metadata keys that look like ``hadr-lint`` but are not read as
    suppressions (see ``hadr_lint.suppress.metadata_near_misses``)."""
    from hadr_lint.suppress import metadata_near_misses

    plain = {str(k): _plain(v) for k, v in section.items()}
    lines = {str(k): _line(k) or 1 for k in section}
    return [(problem.line, problem.problem or "") for key, value in plain.items()
            for problem in metadata_near_misses({key: value}, "", lines[key], "template")]


def _ignore_entries(own: Mapping, path: str, errors: list[LoadError]) -> list[dict[str, Any]]:
    """Each entry as a dict ({"rule": id} for a plain string) plus the "line" it is on."""
    key = next(k for k in own if k == "ignore")
    entries = own["ignore"]
    if not isinstance(entries, list):
        errors.append(LoadError(path, _line(key), "Metadata hadr-lint ignore must be a list"))
        return []
    result = []
    for entry in entries:
        plain = _plain(entry)
        item = dict(plain) if isinstance(plain, dict) else {"rule": _text(plain)}
        item["line"] = _line(entry) or _line(key)
        result.append(item)
    return result


# ---------------------------------------------------------------------------------------------
# Plain data


def _plain(value: Any, depth: int = 0) -> Any:
    """cfn-lint nodes to plain Python data, intrinsics left as written."""
    if depth > MAX_DEPTH:
        return Unknown(TOO_DEEP)
    if isinstance(value, Mapping):
        return {_text(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(item, depth + 1) for item in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    """A scalar as CloudFormation would see it as a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_scalar(value))


# ---------------------------------------------------------------------------------------------
# Intrinsic functions


def _resolve(value: Any, ctx: _Context, depth: int) -> Any:
    if depth > MAX_DEPTH:
        return Unknown(TOO_DEEP)
    if isinstance(value, Mapping):
        if len(value) == 1:
            key, arg = next(iter(value.items()))
            handler = _INTRINSICS.get(key) if isinstance(key, str) else None
            if handler is not None:
                return handler(arg, ctx, depth + 1)
            if isinstance(key, str) and key.startswith("Fn::"):
                return Unknown(f"intrinsic function {key} is not supported")
        resolved = {_text(k): _resolve(v, ctx, depth + 1) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}
    if isinstance(value, list):
        items = [_resolve(item, ctx, depth + 1) for item in value]
        return [item for item in items if item is not _NO_VALUE]
    return _scalar(value)


def _ref(arg: Any, ctx: _Context, depth: int) -> Any:
    if not isinstance(arg, str):
        return Unknown("Ref needs a name")
    name = str(arg)
    if name == "AWS::NoValue":
        return _NO_VALUE
    if name == "AWS::Region":
        return ctx.region or Unknown(REGION_UNKNOWN, kind=REGION_FALLBACK)
    if name == "AWS::Partition":
        return _partition(ctx.region)
    if name == "AWS::StackName" and ctx.stack_name:
        return ctx.stack_name
    if name.startswith("AWS::"):
        if name in DEPLOY_TIME_PSEUDO:
            return Unknown(f"pseudo parameter {name} is known only at deploy time")
        return Unknown(f"pseudo parameter {name} is not supported")
    if name in ctx.params:
        return ctx.params[name]
    return _resource_ref(name, "id", ctx)


def _resource_ref(name: str, attribute: str, ctx: _Context) -> Any:
    if name in ctx.omitted:
        return Unknown(f"{name} is not created: its condition is false")
    rtype = ctx.resources.get(name)
    if rtype is None:
        return Undefined(f"{name} is neither a parameter nor a resource of this template",
                         address=f"{ctx.path}::{name}")
    if attribute != "id" and rtype in NESTED_STACK_TYPES:
        output = attribute.removeprefix("Outputs.")
        known = ctx.nested_outputs.get(name, {})
        if attribute.startswith("Outputs.") and output in known:
            return known[output]
        return Unknown(f"{name}.{attribute} is an output of nested stack {name}")
    return Ref(f"{ctx.path}::{name}", attribute)


def _partition(region: str | None) -> Any:
    if not region:
        return Unknown(REGION_UNKNOWN, kind=REGION_FALLBACK)
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith(("us-iso", "eu-isoe")):
        return Unknown(f"partition of region {region} is not known")
    return "aws"


def _get_att(arg: Any, ctx: _Context, depth: int) -> Any:
    if isinstance(arg, str):
        name, _, attribute = str(arg).partition(".")
    elif isinstance(arg, list) and len(arg) == 2:
        name, attribute = arg[0], _resolve(arg[1], ctx, depth + 1)
    else:
        return Unknown("Fn::GetAtt needs [resource, attribute]")
    if isinstance(attribute, Unknown):
        return attribute
    if not isinstance(name, str) or not isinstance(attribute, str) or not attribute:
        return Unknown("Fn::GetAtt needs a resource name and an attribute name")
    return _resource_ref(str(name), str(attribute), ctx)


def _get_azs(arg: Any, ctx: _Context, depth: int) -> Any:
    region = _resolve(arg, ctx, depth + 1)
    if region in ("", None) or isinstance(region, Unknown):
        region = ctx.region
    elif not isinstance(region, str):
        return Unknown("Fn::GetAZs needs a region name")
    count = AZ_COUNTS.get(region, DEFAULT_AZ_COUNT) if region else DEFAULT_AZ_COUNT
    return [AZ(region or None, index) for index in range(count)]


def _select(arg: Any, ctx: _Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Select needs [index, list]")
    index = _resolve(arg[0], ctx, depth + 1)
    items = _resolve(arg[1], ctx, depth + 1)
    for value in (index, items):
        if isinstance(value, Unknown):
            return value
    position = _as_int(index)
    if position is None:
        return Unknown(f"Fn::Select index {index} is not a number")
    if not isinstance(items, list):
        return Unknown(f"Fn::Select from {items}, a list known only at deploy time")
    absent = next((i for i in items[: position + 1] if isinstance(i, _MaybeAbsent)), None)
    if absent is not None:
        return Unknown(f"Fn::Select index {position}: an item before it may be absent "
                       f"({absent.reason})")
    if 0 <= position < len(items):
        return items[position]
    if items and all(isinstance(i, AZ) and i.region is None for i in items):
        return Unknown(
            f"Fn::Select zone {position}: region unknown, only {len(items)} zones assumed"
        )
    return Unknown(f"Fn::Select index {position} is out of range (list of {len(items)})")


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _join(arg: Any, ctx: _Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
        return Unknown("Fn::Join needs [delimiter, list]")
    items = _resolve(arg[1], ctx, depth + 1)
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list):
        return Unknown(f"Fn::Join of {items}, a list known only at deploy time")
    return _concat(items, str(arg[0]), "Fn::Join", ctx)


def _concat(parts: list, delimiter: str, function: str, ctx: _Context | None = None) -> Any:
    if len(parts) > 1 and isinstance(parts[0], Ref) and all(isinstance(p, str) for p in parts[1:]):
        suffix = delimiter + delimiter.join(parts[1:])  # "${Logs.Arn}/vpc/": still the bucket's
        return Prefixed(f"{function} includes {parts[0]}, known only at deploy time", parts[0],
                        suffix)
    texts = []
    for part in parts:
        if isinstance(part, Unknown):
            return Unknown(part.reason) if isinstance(part, Prefixed) else part
        if isinstance(part, (Ref, AZ)):
            return Unknown(f"{function} includes {part}, known only at deploy time")
        if part is None or part is _NO_VALUE or isinstance(part, (list, dict)):
            return Unknown(f"{function} of a value that is not a string")
        texts.append(_text(part))
    return _joined(texts, delimiter, function, ctx)


def _joined(texts: list[str], delimiter: str, function: str, ctx: _Context | None) -> Any:
    """``delimiter.join(texts)``, unknown when longer than MAX_STRING or than what is left of
    the template's budget: counted before the text is built."""
    size = sum(map(len, texts)) + len(delimiter) * max(len(texts) - 1, 0)
    if size > MAX_STRING:
        return Unknown(f"{function} builds a string of {size} characters, over the limit of "
                       f"{MAX_STRING} (expansion cap)")
    if ctx is not None:
        if size > ctx.budget[0]:
            return Unknown(f"{function}: the template's expansions are over {MAX_OUTPUT} "
                           "characters in all (expansion cap)")
        ctx.budget[0] -= size
    return delimiter.join(texts)


def _sub(arg: Any, ctx: _Context, depth: int) -> Any:
    template, variables = (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 else (arg, {})
    if not isinstance(template, str) or not isinstance(variables, Mapping):
        return Unknown("Fn::Sub needs a string, or [string, variables]")
    values = {_text(k): _resolve(v, ctx, depth + 1) for k, v in variables.items()}
    template = str(template)
    parts: list[Any] = []
    position = 0
    for match in _SUB_VARIABLE.finditer(template):
        parts.append(template[position : match.start()])
        if match.group(1):
            parts.append("${" + match.group(2) + "}")
        else:
            parts.append(_sub_variable(match.group(2).strip(), values, ctx))
        position = match.end()
    parts.append(template[position:])
    parts = [part for part in parts if part != ""]
    if len(parts) == 1 and isinstance(parts[0], (Ref, AZ, Unknown)):
        return parts[0]
    return _concat(parts, "", "Fn::Sub", ctx)


def _sub_variable(name: str, values: Mapping[str, Any], ctx: _Context) -> Any:
    if name in values:
        return values[name]
    if "." in name and not name.startswith("AWS::"):
        resource, _, attribute = name.partition(".")
        return _resource_ref(resource, attribute, ctx)
    return _ref(name, ctx, 0)


def _find_in_map(arg: Any, ctx: _Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) in (3, 4)):
        return Unknown("Fn::FindInMap needs [map, key, key]")
    keys = [_resolve(item, ctx, depth + 1) for item in arg[:3]]
    for key in keys:
        if isinstance(key, Unknown):
            return key
        if not isinstance(key, (str, int, float)):
            return Unknown(f"Fn::FindInMap key {key} is known only at deploy time")
    found: Any = ctx.mappings
    for key in keys:
        found = found.get(_text(key), _NO_VALUE) if isinstance(found, dict) else _NO_VALUE
    if found is not _NO_VALUE:
        return _resolve(found, ctx, depth + 1)
    default = arg[3] if len(arg) == 4 else None
    if isinstance(default, Mapping) and "DefaultValue" in default:
        return _resolve(default["DefaultValue"], ctx, depth + 1)
    return Unknown(f"Fn::FindInMap: {'/'.join(_text(k) for k in keys)} is not in the mappings")


def _split(arg: Any, ctx: _Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
        return Unknown("Fn::Split needs [delimiter, string]")
    imported = arg[1].get("Fn::ImportValue") if isinstance(arg[1], Mapping) else None
    if imported is not None and len(arg[1]) == 1:
        source = _imported(imported, ctx, depth + 1)
        if isinstance(source, Joined) and source.delimiter == arg[0]:
            return list(source.items)
    source = _resolve(arg[1], ctx, depth + 1)
    if isinstance(source, Unknown):
        return source
    if not isinstance(source, str):
        return Unknown(f"Fn::Split of {source}, known only at deploy time")
    return source.split(str(arg[0]))


def _if(arg: Any, ctx: _Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
        return Unknown("Fn::If needs [condition, value if true, value if false]")
    name = str(arg[0])
    decided = ctx.conditions.get(name)
    if decided is True:
        return _resolve(arg[1], ctx, depth + 1)
    if decided is False:
        return _resolve(arg[2], ctx, depth + 1)
    when_true = _resolve(arg[1], ctx, depth + 1)
    when_false = _resolve(arg[2], ctx, depth + 1)
    return _either(when_true, when_false, _undecided(name, ctx))


def _either(a: Any, b: Any, unknown: Unknown) -> Any:
    """One of two values (an undecidable ``Fn::If``): what both agree on, ``unknown`` where
    they differ. Mappings merge key by key (a key only one side sets is unknown), lists of one
    length item by item; a value against no value (``AWS::NoValue``) is unknown."""
    if a is b:
        return a
    if a is _NO_VALUE or b is _NO_VALUE:
        return _MaybeAbsent(unknown.reason)
    if isinstance(a, dict) and isinstance(b, dict):
        keys = dict.fromkeys([*a, *b])
        return {k: _either(a.get(k, _NO_VALUE), b.get(k, _NO_VALUE), unknown) for k in keys}
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_either(x, y, unknown) for x, y in zip(a, b, strict=True)]
    if type(a) is type(b) and a == b:
        return a
    if _same_scalar(a, b):  # MultiAZ: true in one branch, "true" in the other
        return b if isinstance(a, str) else a
    return unknown


def _same_scalar(a: Any, b: Any) -> bool:
    """Two scalars CloudFormation reads as the same text (true and "true", 3 and "3")."""
    scalars = (str, bool, int, float)
    return isinstance(a, scalars) and isinstance(b, scalars) and _text(a) == _text(b)


@dataclass(frozen=True)
class _MaybeAbsent(Unknown):
    """A value or ``AWS::NoValue``, by a condition that cannot be decided: as a list item, the
    items after it may sit one place earlier, and the list may be one shorter."""


def _undecided(name: str, ctx: _Context) -> Unknown:
    """The Unknown of a condition that cannot be decided, with what it depends on."""
    if name not in ctx.condition_section:
        return Unknown(f"condition {name} cannot be decided (it is not declared)")
    unknown = [v.reason for v in _condition_inputs(name, ctx, set()) if isinstance(v, Unknown)]
    why = f" ({'; '.join(dict.fromkeys(unknown))})" if unknown else ""
    return Unknown(f"condition {name} cannot be decided{why}")


def _condition_inputs(name: str, ctx: _Context, seen: set[str]) -> list[Any]:
    """The values condition ``name`` compares (each ``Fn::Equals`` operand, resolved), and
    those of the conditions it names."""
    if name in seen or len(seen) > MAX_DEPTH:
        return []
    seen.add(name)
    found: list[Any] = []
    todo = [ctx.condition_section.get(name)]
    while todo:
        item = todo.pop()
        if isinstance(item, Mapping):
            for key, value in item.items():
                if key == "Fn::Equals" and isinstance(value, list):
                    found += [_resolve(operand, ctx, 0) for operand in value]
                elif key == "Ref" and isinstance(value, str):
                    found.append(_ref(str(value), ctx, 0))
                elif key == "Condition" and isinstance(value, str):
                    found += _condition_inputs(str(value), ctx, seen)
                else:
                    todo.append(value)
        elif isinstance(item, list):
            todo.extend(item)
    return found


def _base64(arg: Any, ctx: _Context, depth: int) -> Any:
    value = _resolve(arg, ctx, depth + 1)
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, str):
        return Unknown(f"Fn::Base64 of {value}, known only at deploy time")
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def _length(arg: Any, ctx: _Context, depth: int) -> Any:
    value = _resolve(arg, ctx, depth + 1)
    absent = next((i for i in value if isinstance(i, _MaybeAbsent)), None) \
        if isinstance(value, list) else None
    if absent is not None:
        return Unknown(f"Fn::Length: an item may be absent ({absent.reason})")
    if isinstance(value, list):
        return len(value)
    return value if isinstance(value, Unknown) else Unknown("Fn::Length of a non-list")


def _import_value(arg: Any, ctx: _Context, depth: int) -> Any:
    value = _imported(arg, ctx, depth)
    if isinstance(value, Joined):
        return _concat(list(value.items), value.delimiter, "Fn::Join", ctx)
    return value


def _imported(arg: Any, ctx: _Context, depth: int) -> Any:
    """The export ``Fn::ImportValue`` names, as the exporting template declared it."""
    name = _resolve(arg, ctx, depth + 1)
    if isinstance(name, str) and name in ctx.exports:
        return ctx.exports[name]
    shown = name if isinstance(name, str) else "a computed name"
    return Unknown(f"Fn::ImportValue {shown}: exported by another stack")


def _unsupported(reason: str):
    def handler(arg: Any, ctx: _Context, depth: int) -> Unknown:
        return Unknown(reason)

    return handler


_INTRINSICS = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::GetAZs": _get_azs,
    "Fn::Select": _select,
    "Fn::Join": _join,
    "Fn::Sub": _sub,
    "Fn::FindInMap": _find_in_map,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::Base64": _base64,
    "Fn::Length": _length,
    "Fn::ImportValue": _import_value,
    "Fn::Cidr": _unsupported("Fn::Cidr is not computed"),
    "Fn::Transform": _unsupported("Fn::Transform runs a macro at deploy time"),
    "Fn::ToJsonString": _unsupported("Fn::ToJsonString is not computed"),
}


# ---------------------------------------------------------------------------------------------
# Conditions


class _Conditions:
    """Evaluates the Conditions section to True, False or None (undecided), each name once."""

    def __init__(self, section: Mapping, ctx: _Context) -> None:
        self.section = {str(k): v for k, v in section.items()}
        self.ctx = ctx
        self.results: dict[str, bool | None] = {}

    def evaluate_all(self) -> dict[str, bool | None]:
        for name in self.section:
            self.value(name, ())
        return dict(self.results)

    def value(self, name: str, stack: tuple[str, ...]) -> bool | None:
        if name in self.results:
            return self.results[name]
        if name in stack or name not in self.section or len(stack) > MAX_DEPTH:
            return None
        result = self.expression(self.section[name], stack + (name,), 0)
        self.results[name] = result
        return result

    def expression(self, expr: Any, stack: tuple[str, ...], depth: int) -> bool | None:
        if depth > MAX_DEPTH or not (isinstance(expr, Mapping) and len(expr) == 1):
            return None
        key, arg = next(iter(expr.items()))
        if key == "Condition":
            return self.value(str(arg), stack) if isinstance(arg, str) else None
        if key == "Fn::Equals":
            return self.equals(arg, depth)
        if not isinstance(arg, list):
            return None
        values = [self.expression(item, stack, depth + 1) for item in arg]
        return _logic(str(key), values)

    def equals(self, arg: Any, depth: int) -> bool | None:
        if not (isinstance(arg, list) and len(arg) == 2):
            return None
        left, right = (_comparable(_resolve(v, self.ctx, depth + 1)) for v in arg)
        if left is None or right is None:
            return None
        return left == right


def _logic(function: str, values: list[bool | None]) -> bool | None:
    if function == "Fn::Not":
        return None if len(values) != 1 or values[0] is None else not values[0]
    if function == "Fn::And":
        return False if False in values else (None if None in values else True)
    if function == "Fn::Or":
        return True if True in values else (None if None in values else False)
    return None


def _comparable(value: Any) -> Any:
    """A value as text for Fn::Equals, or None when part of it is not known statically."""
    if isinstance(value, list):
        items = [_comparable(item) for item in value]
        return None if any(item is None for item in items) else items
    if value is None or value is _NO_VALUE or isinstance(value, (Unknown, Ref, AZ, dict)):
        return None
    return _text(value)


def load_file(
    path: str, text: str, *, parameters: dict[str, str] | None = None, region: str | None = None,
    stack_name: str | None = None, exports: Mapping[str, Any] | None = None,
    nesting: Nesting | None = None,
) -> LoadResult:
    """Decode once; a document that is not a template is skipped silently, unless it clearly
    meant to be one (it names AWSTemplateFormatVersion or AWS:: types) and cannot be decoded."""
    decoded = decode(text, path)
    data, errors = decoded
    if looks_like_cloudformation(data):
        return load_template(path, text, parameters=parameters, region=region, decoded=decoded,
                             stack_name=stack_name, exports=exports, nesting=nesting)
    if errors and ("AWSTemplateFormatVersion" in text or "AWS::" in text):
        return LoadResult(errors=tuple(replace(e, file=path) for e in errors), files=(path,))
    if data is not None and not isinstance(data, Mapping) and "AWSTemplateFormatVersion" in text:
        return load_template(path, text, parameters=parameters, region=region, decoded=decoded,
                             stack_name=stack_name, exports=exports, nesting=nesting)
    return LoadResult()


# ---------------------------------------------------------------------------------------------
# The engine's entry (hadr_lint.loaders.registry)


def claims(path: Path, text: str) -> bool:
    """A template names its ``Resources`` or its format version (``load_file`` decides)."""
    return "Resources" in text or "AWSTemplateFormatVersion" in text


def load_document(document: Document) -> LoadResult:
    """A template, from the parse cache when the same text was loaded with the same parameters,
    region, stack name and links. Its region: ``--region``, else the ``primary_region`` declared
    for its workload (``AWS::Region`` and the conditions on it)."""
    options = document.options
    stack = options.stack_names.get(str(real(document.path)))
    region = options.region or primary_region(document.path, document.config)
    parameters = dict(options.parameters)
    exports, nesting = document.exports, document.nesting
    entry = cache.key("cloudformation", document.shown, cache.digest(document.text),
                      sorted(parameters.items()), region, stack, sorted(exports.items()), nesting)
    return cache.memo(entry, lambda: load_file(
        document.shown, document.text, parameters=parameters, region=region, stack_name=stack,
        exports=exports, nesting=nesting))


def primary_region(path: Path, config: Any) -> str | None:
    """The ``primary_region`` the configuration declares for a template's workload: where the
    template is deployed when ``--region`` does not say (``AWS::Region`` and its conditions)."""
    try:
        return declared_for(path, config).primary_region
    except ObjectivesError:  # reported where objectives are checked
        return None
