"""Intrinsic functions, resolved statically and purely: nothing is executed and nothing raises.

What cannot be known before deployment becomes ``Unknown(reason)``; identities of resources become
``Ref(address, attribute)``; ``Fn::GetAZs`` yields ``AZ(region, index)`` values. ``Fn::Sub`` and
``Fn::Join`` build at most ``MAX_STRING`` characters each, ``MAX_OUTPUT`` per template.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

from hadr_lint.loaders.cloudformation.context import (
    DEFAULT_AZ_COUNT,
    DEPLOY_TIME_PSEUDO,
    MAX_DEPTH,
    MAX_OUTPUT,
    MAX_STRING,
    NESTED_STACK_TYPES,
    NO_VALUE,
    REGION_UNKNOWN,
    TOO_DEEP,
    Context,
    Joined,
    MaybeAbsent,
    as_text,
    either,
    scalar,
)
from hadr_lint.model import (
    AZ,
    REGION_FALLBACK,
    AccountArn,
    DeployAccount,
    Prefixed,
    Ref,
    Undefined,
    Unknown,
    arn_with_account,
    deploy_account,
)
from hadr_lint.regions import AZ_COUNTS

_SUB_VARIABLE = re.compile(r"\$\{(!?)([^}]*)\}")


def resolve(value: Any, ctx: Context, depth: int) -> Any:
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
        resolved = {as_text(k): resolve(v, ctx, depth + 1) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
    if isinstance(value, list):
        items = [resolve(item, ctx, depth + 1) for item in value]
        return [item for item in items if item is not NO_VALUE]
    return scalar(value)


def ref(arg: Any, ctx: Context, depth: int) -> Any:
    if not isinstance(arg, str):
        return Unknown("Ref needs a name")
    name = str(arg)
    if name == "AWS::NoValue":
        return NO_VALUE
    if name == "AWS::Region":
        return ctx.region or Unknown(REGION_UNKNOWN, kind=REGION_FALLBACK)
    if name == "AWS::Partition":
        return _partition(ctx.region)
    if name == "AWS::StackName" and ctx.stack_name:
        return ctx.stack_name
    if name == "AWS::AccountId":  # unknown, but the same account as every resource here
        return deploy_account(f"template {ctx.path}")
    if name.startswith("AWS::"):
        if name in DEPLOY_TIME_PSEUDO:
            return Unknown(f"pseudo parameter {name} is known only at deploy time")
        return Unknown(f"pseudo parameter {name} is not supported")
    if name in ctx.params:
        return ctx.params[name]
    return _resource_ref(name, "id", ctx)


def _resource_ref(name: str, attribute: str, ctx: Context) -> Any:
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


def _get_att(arg: Any, ctx: Context, depth: int) -> Any:
    if isinstance(arg, str):
        name, _, attribute = str(arg).partition(".")
    elif isinstance(arg, list) and len(arg) == 2:
        name, attribute = arg[0], resolve(arg[1], ctx, depth + 1)
    else:
        return Unknown("Fn::GetAtt needs [resource, attribute]")
    if isinstance(attribute, Unknown):
        return attribute
    if not isinstance(name, str) or not isinstance(attribute, str) or not attribute:
        return Unknown("Fn::GetAtt needs a resource name and an attribute name")
    return _resource_ref(str(name), str(attribute), ctx)


def _get_azs(arg: Any, ctx: Context, depth: int) -> Any:
    region = resolve(arg, ctx, depth + 1)
    if region in ("", None) or isinstance(region, Unknown):
        region = ctx.region
    elif not isinstance(region, str):
        return Unknown("Fn::GetAZs needs a region name")
    count = AZ_COUNTS.get(region, DEFAULT_AZ_COUNT) if region else DEFAULT_AZ_COUNT
    return [AZ(region or None, index) for index in range(count)]


def _select(arg: Any, ctx: Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Select needs [index, list]")
    index = resolve(arg[0], ctx, depth + 1)
    items = resolve(arg[1], ctx, depth + 1)
    for value in (index, items):
        if isinstance(value, Unknown):
            return value
    position = _as_int(index)
    if position is None:
        return Unknown(f"Fn::Select index {index} is not a number")
    if not isinstance(items, list):
        return Unknown(f"Fn::Select from {items}, a list known only at deploy time")
    absent = next((i for i in items[: position + 1] if isinstance(i, MaybeAbsent)), None)
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


def _join(arg: Any, ctx: Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
        return Unknown("Fn::Join needs [delimiter, list]")
    items = resolve(arg[1], ctx, depth + 1)
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list):
        return Unknown(f"Fn::Join of {items}, a list known only at deploy time")
    return concat(items, str(arg[0]), "Fn::Join", ctx)


def concat(parts: list, delimiter: str, function: str, ctx: Context | None = None) -> Any:
    refs = [i for i, part in enumerate(parts) if isinstance(part, Ref)]
    if len(parts) > 1 and len(refs) == 1 and refs[0] in (0, len(parts) - 1) and all(
            isinstance(p, str) for i, p in enumerate(parts) if i != refs[0]):
        at = refs[0]  # "${Logs.Arn}/vpc/": still the bucket's; "cluster:${Db}" mentions Db
        # (text on both sides is a plain unknown, as in Terraform)
        prefix = "".join(f"{p}{delimiter}" for p in parts[:at])
        suffix = "".join(f"{delimiter}{p}" for p in parts[at + 1:])
        return Prefixed(f"{function} includes {parts[at]}, known only at deploy time", parts[at],
                        suffix, prefix=prefix)
    spaced = [x for i, p in enumerate(parts) for x in ((delimiter, p) if i else (p,))]
    arn = arn_with_account(spaced, function)  # ${AWS::AccountId} in an ARN's account field
    if arn is not None:
        return arn
    texts = []
    for part in parts:
        if isinstance(part, Unknown):
            symbolic = isinstance(part, (Prefixed, DeployAccount, AccountArn))
            return Unknown(part.reason) if symbolic else part
        if isinstance(part, (Ref, AZ)):
            return Unknown(f"{function} includes {part}, known only at deploy time")
        if part is None or part is NO_VALUE or isinstance(part, (list, dict)):
            return Unknown(f"{function} of a value that is not a string")
        texts.append(as_text(part))
    return _joined(texts, delimiter, function, ctx)


def _joined(texts: list[str], delimiter: str, function: str, ctx: Context | None) -> Any:
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


def _sub(arg: Any, ctx: Context, depth: int) -> Any:
    template, variables = (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 else (arg, {})
    if not isinstance(template, str) or not isinstance(variables, Mapping):
        return Unknown("Fn::Sub needs a string, or [string, variables]")
    values = {as_text(k): resolve(v, ctx, depth + 1) for k, v in variables.items()}
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
    return concat(parts, "", "Fn::Sub", ctx)


def _sub_variable(name: str, values: Mapping[str, Any], ctx: Context) -> Any:
    if name in values:
        return values[name]
    if "." in name and not name.startswith("AWS::"):
        resource, _, attribute = name.partition(".")
        return _resource_ref(resource, attribute, ctx)
    return ref(name, ctx, 0)


def _find_in_map(arg: Any, ctx: Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) in (3, 4)):
        return Unknown("Fn::FindInMap needs [map, key, key]")
    keys = [resolve(item, ctx, depth + 1) for item in arg[:3]]
    for key in keys:
        if isinstance(key, Unknown):
            return key
        if not isinstance(key, (str, int, float)):
            return Unknown(f"Fn::FindInMap key {key} is known only at deploy time")
    found: Any = ctx.mappings
    for key in keys:
        found = found.get(as_text(key), NO_VALUE) if isinstance(found, dict) else NO_VALUE
    if found is not NO_VALUE:
        return resolve(found, ctx, depth + 1)
    default = arg[3] if len(arg) == 4 else None
    if isinstance(default, Mapping) and "DefaultValue" in default:
        return resolve(default["DefaultValue"], ctx, depth + 1)
    return Unknown(f"Fn::FindInMap: {'/'.join(as_text(k) for k in keys)} is not in the mappings")


def _split(arg: Any, ctx: Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
        return Unknown("Fn::Split needs [delimiter, string]")
    imported = arg[1].get("Fn::ImportValue") if isinstance(arg[1], Mapping) else None
    if imported is not None and len(arg[1]) == 1:
        source = _imported(imported, ctx, depth + 1)
        if isinstance(source, Joined) and source.delimiter == arg[0]:
            return list(source.items)
    source = resolve(arg[1], ctx, depth + 1)
    if isinstance(source, Unknown):
        return source
    if not isinstance(source, str):
        return Unknown(f"Fn::Split of {source}, known only at deploy time")
    return source.split(str(arg[0]))


def _if(arg: Any, ctx: Context, depth: int) -> Any:
    if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
        return Unknown("Fn::If needs [condition, value if true, value if false]")
    name = str(arg[0])
    decided = ctx.conditions.get(name)
    if decided is True:
        return resolve(arg[1], ctx, depth + 1)
    if decided is False:
        return resolve(arg[2], ctx, depth + 1)
    when_true = resolve(arg[1], ctx, depth + 1)
    when_false = resolve(arg[2], ctx, depth + 1)
    return either(when_true, when_false, undecided(name, ctx))


def undecided(name: str, ctx: Context) -> Unknown:
    """The Unknown of a condition that cannot be decided, with what it depends on."""
    if name not in ctx.condition_section:
        return Unknown(f"condition {name} cannot be decided (it is not declared)")
    unknown = [v.reason for v in _condition_inputs(name, ctx, set()) if isinstance(v, Unknown)]
    why = f" ({'; '.join(dict.fromkeys(unknown))})" if unknown else ""
    return Unknown(f"condition {name} cannot be decided{why}")


def _condition_inputs(name: str, ctx: Context, seen: set[str]) -> list[Any]:
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
                    found += [resolve(operand, ctx, 0) for operand in value]
                elif key == "Ref" and isinstance(value, str):
                    found.append(ref(str(value), ctx, 0))
                elif key == "Condition" and isinstance(value, str):
                    found += _condition_inputs(str(value), ctx, seen)
                else:
                    todo.append(value)
        elif isinstance(item, list):
            todo.extend(item)
    return found


def _base64(arg: Any, ctx: Context, depth: int) -> Any:
    value = resolve(arg, ctx, depth + 1)
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, str):
        return Unknown(f"Fn::Base64 of {value}, known only at deploy time")
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def _length(arg: Any, ctx: Context, depth: int) -> Any:
    value = resolve(arg, ctx, depth + 1)
    absent = next((i for i in value if isinstance(i, MaybeAbsent)), None) \
        if isinstance(value, list) else None
    if absent is not None:
        return Unknown(f"Fn::Length: an item may be absent ({absent.reason})")
    if isinstance(value, list):
        return len(value)
    return value if isinstance(value, Unknown) else Unknown("Fn::Length of a non-list")


def _import_value(arg: Any, ctx: Context, depth: int) -> Any:
    value = _imported(arg, ctx, depth)
    if isinstance(value, Joined):
        return concat(list(value.items), value.delimiter, "Fn::Join", ctx)
    return value


def _imported(arg: Any, ctx: Context, depth: int) -> Any:
    """The export ``Fn::ImportValue`` names, as the exporting template declared it."""
    name = resolve(arg, ctx, depth + 1)
    if isinstance(name, str) and name in ctx.exports:
        return ctx.exports[name]
    shown = name if isinstance(name, str) else "a computed name"
    return Unknown(f"Fn::ImportValue {shown}: exported by another stack")


def _unsupported(reason: str):
    def handler(arg: Any, ctx: Context, depth: int) -> Unknown:
        return Unknown(reason)

    return handler


_INTRINSICS = {
    "Ref": ref,
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
