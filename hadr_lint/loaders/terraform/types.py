"""Terraform type constraints: a variable's value converted to its declared ``type``.

Terraform converts every variable value to the variable's type constraint before a module sees
it. An ``object({...})`` keeps only the attributes it declares and adds each missing
``optional(type)`` attribute as null, or as the optional's default (``optional(number, 3)``,
Terraform 1.3+); a null optional attribute takes the default too. Primitives convert: ``"3"``
becomes a number, ``"true"`` a bool, a number or bool a string. Modules written for Terraform
1.3+ rely on it: terraform-aws-modules/eks reads ``each.value.subnet_ids`` from a
``map(object({subnet_ids = optional(list(string))}))`` whose callers usually leave it out.

A type that cannot be read (a typo, an unknown type function, hostile nesting) converts
nothing: the value is kept as given. A value that does not fit its type is kept as well, since
Terraform would reject the configuration and that is not this linter's finding to make.
Unknown, Ref and AZ values pass through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lark import Token, Tree

from hadr_lint.loaders.terraform.functions import (
    EvaluationError,
    distinct_values,
    is_list,
    is_map,
    is_number,
    parse_number,
    render_number,
)
from hadr_lint.model import AZ, Ref, Unknown

PRIMITIVES = ("string", "number", "bool", "any")
MAX_TYPE_DEPTH = 32
_SYMBOLIC = (Unknown, Ref, AZ)


@dataclass(frozen=True)
class Attribute:
    """One attribute of an object type: its type, whether it is optional, and the expression
    of its default (None when it has none)."""

    type: Any
    optional: bool = False
    default: Any = None


@dataclass(frozen=True)
class Type:
    """``name`` is a primitive, ``list``/``set``/``map`` (``element``), ``tuple``
    (``elements``) or ``object`` (``attributes``)."""

    name: str
    element: Any = None
    elements: tuple = ()
    attributes: tuple[tuple[str, Attribute], ...] = ()


def read_type(node: Any, depth: int = 0) -> Type | None:
    """The type constraint written as expression ``node``; None when it cannot be read."""
    if depth > MAX_TYPE_DEPTH:
        return None
    node = _unwrap(node)
    if isinstance(node, Tree) and node.data == "identifier":
        name = _text(node)
        return Type(name) if name in PRIMITIVES else None
    if not (isinstance(node, Tree) and node.data == "function_call"):
        return None
    name, args = _call(node)
    if name in ("list", "set", "map") and len(args) == 1:
        element = read_type(args[0], depth + 1)
        return Type(name, element=element) if element else None
    if name == "tuple" and len(args) == 1:
        return _tuple_type(args[0], depth)
    if name == "object" and len(args) == 1:
        return _object_type(args[0], depth)
    return None


def _tuple_type(node: Any, depth: int) -> Type | None:
    node = _unwrap(node)
    if not (isinstance(node, Tree) and node.data == "tuple"):
        return None
    elements = tuple(read_type(child, depth + 1) for child in _trees(node))
    return Type("tuple", elements=elements) if all(elements) else None


def _object_type(node: Any, depth: int) -> Type | None:
    node = _unwrap(node)
    if not (isinstance(node, Tree) and node.data == "object"):
        return None
    attributes = []
    for element in _trees(node):
        parts = _trees(element)
        if len(parts) != 2:
            return None
        key = _text(parts[0])
        attribute = _attribute(parts[1], depth)
        if not key or attribute is None:
            return None
        attributes.append((key, attribute))
    return Type("object", attributes=tuple(attributes))


def _attribute(node: Any, depth: int) -> Attribute | None:
    inner = _unwrap(node)
    if isinstance(inner, Tree) and inner.data == "function_call":
        name, args = _call(inner)
        if name == "optional" and len(args) in (1, 2):
            kind = read_type(args[0], depth + 1)
            default = args[1] if len(args) == 2 else None
            return Attribute(kind, True, default) if kind else None
    kind = read_type(node, depth + 1)
    return Attribute(kind) if kind else None


def convert(value: Any, kind: Type | None, evaluate: Any) -> Any:
    """``value`` converted to ``kind``; ``evaluate(expr)`` gives an optional's default."""
    if kind is None or value is None or isinstance(value, _SYMBOLIC) or kind.name == "any":
        return value
    if kind.name in ("string", "number", "bool"):
        return _primitive(value, kind.name)
    if kind.name in ("list", "set") and is_list(value):
        items = [convert(item, kind.element, evaluate) for item in value]
        return _distinct(items) if kind.name == "set" else items
    if kind.name == "map" and is_map(value):
        return {key: convert(item, kind.element, evaluate) for key, item in value.items()}
    if kind.name == "tuple" and is_list(value) and len(value) == len(kind.elements):
        pairs = zip(value, kind.elements, strict=True)
        return [convert(item, element, evaluate) for item, element in pairs]
    if kind.name == "object" and is_map(value):
        return _object(value, kind, evaluate)
    return value


def _object(value: Any, kind: Type, evaluate: Any) -> Any:
    declared = dict(kind.attributes)
    if any(name not in value and not a.optional for name, a in declared.items()):
        return value  # Terraform would reject it: keep what was given
    out = {}
    for name, attribute in declared.items():
        item = value.get(name)
        if item is None and attribute.default is not None:
            item = evaluate(attribute.default)
        out[name] = convert(item, attribute.type, evaluate)
    return out


def _primitive(value: Any, name: str) -> Any:
    if name == "string" and (is_number(value) or isinstance(value, bool)):
        return render_number(value) if is_number(value) else ("true" if value else "false")
    if name == "number" and isinstance(value, str):
        try:
            return parse_number(value)
        except EvaluationError:  # not a number: Terraform's error to report, not ours
            return value
    if name == "bool" and isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return value


def _distinct(items: list) -> Any:
    try:
        return distinct_values(items)
    except EvaluationError as exc:  # elements that cannot be compared (unknowns)
        return Unknown(f"set elements: {exc}")


# ----- reading the expression tree -------------------------------------------------------------

def _unwrap(node: Any) -> Any:
    while isinstance(node, Tree) and node.data == "expr_term" and len(_trees(node)) == 1:
        node = _trees(node)[0]
    return node


def _trees(node: Tree) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _text(node: Any) -> str:
    node = _unwrap(node)
    if isinstance(node, Tree) and node.data == "object_elem_key":
        node = _unwrap(_trees(node)[0]) if _trees(node) else node
    if isinstance(node, Tree) and node.data == "identifier":
        return "".join(str(t) for t in node.children if isinstance(t, Token))
    return ""


def _call(node: Tree) -> tuple[str, list[Tree]]:
    names = [_text(c) for c in _trees(node) if c.data == "identifier"]
    arguments = [c for c in _trees(node) if c.data == "arguments"]
    return "::".join(names), _trees(arguments[0]) if arguments else []
