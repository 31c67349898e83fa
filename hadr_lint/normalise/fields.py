"""Field specs and converters: how a canonical attribute is read from a format's attributes.

A converter keeps Unknown, Ref and AZ values as they are and turns a value of the wrong type into
an Unknown that says so: a rule then reports it as unverified, never as a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hadr_lint.model import AZ, Ref, Unknown

_SYMBOLIC = (Unknown, Ref, AZ)


def to_bool(value: Any) -> Any:
    if value is None or isinstance(value, (bool, Unknown)):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return Unknown(f"expected a boolean, got {_describe(value)}")


def to_int(value: Any) -> Any:
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return Unknown("expected a number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return Unknown(f"expected a whole number, got {_describe(value)}")


def to_str(value: Any) -> Any:
    if value is None or isinstance(value, (str, *_SYMBOLIC)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return Unknown(f"expected a string, got {_describe(value)}")


def to_list(value: Any) -> Any:
    """A list; a single scalar becomes a one-element list (CloudFormation allows both)."""
    if value is None:
        return []
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (str, Ref, AZ)):
        return [value]
    return Unknown(f"expected a list, got {_describe(value)}")


def to_upper(value: Any) -> Any:
    value = to_str(value)
    return value.upper() if isinstance(value, str) else value


def to_lower(value: Any) -> Any:
    value = to_str(value)
    return value.lower() if isinstance(value, str) else value


def as_is(value: Any) -> Any:
    return value


def _describe(value: Any) -> str:
    names = {dict: "a map", list: "a list", str: "a string", bool: "a boolean"}
    return names.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Field:
    """Where a canonical attribute lives: a dotted path (``a.0.b``), a converter, a default."""

    path: str
    convert: Callable[[Any], Any] = as_is
    default: Any = None


@dataclass(frozen=True)
class Spec:
    kind: str
    fields: dict[str, Field] = field(default_factory=dict)
    derive: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None


def spec(kind: str, derive=None, **fields: Any) -> Spec:
    """``spec("db_instance", multi_az=("multi_az", to_bool, False))``."""
    made = {}
    for name, value in fields.items():
        if isinstance(value, str):
            made[name] = Field(value)
        else:
            made[name] = Field(*value)
    return Spec(kind, made, derive)


def read_path(data: Any, path: str) -> Any:
    """Follow a dotted path; a mapping met where an index is asked stands for a 1-list."""
    current = data
    for part in path.split("."):
        if isinstance(current, Unknown):
            return current
        if part.isdigit():
            current = _index(current, int(part))
        elif isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and current and isinstance(current[0], dict):
            current = current[0].get(part)
        elif isinstance(current, list) and current and isinstance(current[0], Unknown):
            return current[0]
        else:
            return None
        if current is None:
            return None
    return current


def _index(value: Any, index: int) -> Any:
    if isinstance(value, dict):
        return value if index == 0 else None
    if isinstance(value, list):
        return value[index] if index < len(value) else None
    return None


def apply_spec(found: Spec, raw: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, item in found.fields.items():
        value = read_path(raw, item.path)
        if value is None:
            value = item.default
        out[name] = item.convert(value) if value is not None else None
    if found.derive is not None:
        out.update(found.derive(raw, dict(meta, **out)))
    return out


def chain(*derives: Callable[[dict, dict], dict]) -> Callable[[dict, dict], dict]:
    """Several derive functions run in order, each seeing what the previous ones found."""

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for one in derives:
            found.update(one(raw, dict(out, **found)))
        return found

    return derive
