"""The ``Conditions`` section, evaluated to True, False or None (undecided)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hadr_lint.loaders.cloudformation.context import MAX_DEPTH, NO_VALUE, Context, as_text
from hadr_lint.loaders.cloudformation.intrinsics import resolve
from hadr_lint.model import AZ, Ref, Unknown


class Conditions:
    """Evaluates the Conditions section to True, False or None (undecided), each name once."""

    def __init__(self, section: Mapping, ctx: Context) -> None:
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
        left, right = (_comparable(resolve(v, self.ctx, depth + 1)) for v in arg)
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
    if value is None or value is NO_VALUE or isinstance(value, (Unknown, Ref, AZ, dict)):
        return None
    return as_text(value)
