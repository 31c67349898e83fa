"""What every Terraform block with ``count`` or ``for_each`` shares, resource or module call:
its instance keys, why it may not exist, the meta-arguments that are not inputs, and the
evaluation of one attribute. ``module.py`` (one module instance) and ``modules.py`` (module
calls) both build on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hadr_lint.loaders.terraform.evaluate import evaluate
from hadr_lint.loaders.terraform.parse import Block, Literal, expression_text, object_pairs
from hadr_lint.model import IDENTITIES, Unknown, find_unknown

META_ARGS = {"count", "for_each", "provider", "depends_on", "providers", "source", "version"}


def eval_expr(expr: Any, scope: Any) -> Any:
    """The value of an attribute's expression in ``scope`` (a literal needs no evaluator)."""
    if isinstance(expr, Literal):
        return expr.value
    return evaluate(expr, scope)


def key_text(key: Any) -> str:
    """An instance key as it appears in an address: ``[0]``, ``["a"]``, "" without one."""
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f'["{key}"]'


@dataclass(frozen=True)
class Capped(Unknown):
    """More instances than the expansion cap: how many is unknown, but there are some."""


def existence_reason(block: Block, keys: Unknown) -> str:
    """Why a block whose instance keys are ``keys`` (unknown) may not exist, "" when it does:
    ``exists only if var.create is true`` for ``count = var.create ? 1 : 0``."""
    if isinstance(keys, Capped):
        return ""
    name = "count" if "count" in block.attributes else "for_each"
    attr = block.attributes.get(name)
    if attr is None:
        return keys.reason
    switch = _switch(attr.expr)
    if switch is not None:
        return f"exists only if {switch}; {keys.reason}"
    return f"{name} = {expression_text(attr.expr)} may be empty; {keys.reason}"


def _switch(expr: Any) -> str | None:
    """``var.create is true`` for ``var.create ? 1 : 0`` (``is false`` for ``? 0 : 1``)."""
    if getattr(expr, "data", "") == "expr_term" and len(expr.children) == 1:
        expr = expr.children[0]
    parts = [c for c in getattr(expr, "children", ()) if hasattr(c, "data")]
    if getattr(expr, "data", "") != "conditional" or len(parts) != 3:
        return None
    condition, yes, no = (expression_text(p) for p in parts)
    empty = ("0", "[]", "{}", "toset([])")
    if no in empty and yes not in empty:
        return f"{condition} is true"
    if yes in empty and no not in empty:
        return f"{condition} is false"
    return None


def expansion_keys(block: Block, scope: Any, cap: int) -> list[tuple[Any, Any]] | Unknown:
    """The instance keys of a block with ``count`` or ``for_each`` ([(None, None)] without)."""
    if "count" in block.attributes:
        count = eval_expr(block.attributes["count"].expr, scope)
        return _count_keys(count, cap)
    if "for_each" in block.attributes:
        value = eval_expr(block.attributes["for_each"].expr, scope)
        return for_each_keys(value, cap)
    return [(None, None)]


def _count_keys(count: Any, cap: int) -> list[tuple[Any, Any]] | Unknown:
    if isinstance(count, str) and count.strip().isdigit():
        count = int(count)
    if isinstance(count, float) and count.is_integer():
        count = int(count)
    if isinstance(count, Unknown):
        return Unknown(f"count is unknown ({count.reason})")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return Unknown("count is not a whole number")
    if count > cap:
        return Capped(f"count {count} exceeds the expansion cap of {cap}")
    return [(i, None) for i in range(count)]


def for_each_keys(value: Any, cap: int) -> list[tuple[Any, Any]] | Unknown:
    unknown = find_unknown(value if isinstance(value, dict) else value, IDENTITIES)
    if isinstance(value, dict):
        if isinstance(unknown, Unknown) and any(isinstance(k, Unknown) for k in value):
            return Unknown(f"for_each keys are unknown ({unknown.reason})")
        pairs = list(value.items())
    elif isinstance(value, (list, tuple)):
        if unknown is not None:
            return Unknown(f"for_each set is unknown ({unknown.reason})")
        if not all(isinstance(v, str) for v in value):
            return Unknown("for_each over a set that is not of strings")
        pairs = [(v, v) for v in dict.fromkeys(value)]
    elif isinstance(value, Unknown):
        return Unknown(f"for_each is unknown ({value.reason})")
    else:
        return Unknown("for_each is not a map or a set")
    if len(pairs) > cap:
        return Capped(f"for_each of {len(pairs)} exceeds the expansion cap of {cap}")
    return pairs


def provider_mapping(call: Block) -> list[tuple[str, str]]:
    attr = call.attributes.get("providers")
    return object_pairs(attr.expr) if attr else []


# ----- providers (module.py configures them, modules.py passes them to child modules) -----
class ProviderConfig:
    """A provider configuration: calling it gives its region; ``default_tags`` its tags thunk;
    ``account`` a thunk giving the account id its files name (``allowed_account_ids`` with one
    entry, or the account of ``assume_role``'s ``role_arn``), or None when they name none;
    ``identity`` names the configuration (its unit, key and module instance; empty when not
    known): every resource and caller identity of it is in one account, that configuration's
    deploying account (``model.DeployAccount``)."""

    def __init__(self, region: Callable[[], Any], default_tags: Any,
                 account: Callable[[], Any] | None = None, identity: str = "") -> None:
        self.region = region
        self.default_tags = default_tags
        self.account = account
        self.identity = identity

    def __call__(self) -> Any:
        return self.region()


class ProviderSet:
    """A provider block with ``for_each`` (OpenTofu 1.9+): one configuration per key, chosen
    by ``provider = aws.by_region[each.key]``. ``instances`` computes them on first use."""

    def __init__(self, name: str, instances: Callable[[], Any]) -> None:
        self.name = name
        self._instances = instances
        self._cache: list[Any] = []
        self.default_tags = None

    def region(self, key: Any) -> Any:
        if not self._cache:
            self._cache.append(self._instances())
        found = self._cache[0]
        if isinstance(found, Unknown):
            return Unknown(f"provider {self.name}: {found.reason}")
        if key is None:
            return Unknown(f"provider {self.name} has for_each: no instance key given")
        if isinstance(key, Unknown):
            return Unknown(f"provider {self.name}: instance key unknown ({key.reason})")
        if not isinstance(key, (str, int)) or key not in found:
            return Unknown(f"provider {self.name} has no instance {key!r}")
        return found[key]()

    def __call__(self) -> Any:
        return self.region(None)


def provider_reference(expr: Any) -> tuple[Any, Any]:
    """``(aws.by_region, each.key)`` for ``provider = aws.by_region[each.key]``; the index is
    None for a plain ``aws.dr``."""
    node = expr
    while getattr(node, "data", "") == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    if getattr(node, "data", "") != "index_expr_term" or len(node.children) != 2:
        return expr, None
    base, index = node.children
    inner = [c for c in getattr(index, "children", ()) if hasattr(c, "data")]
    return base, inner[0] if getattr(index, "data", "") == "braces_index" and inner else None


def constant(value: Any) -> Callable[[], Any]:
    """A thunk that gives ``value`` (variable values and provider regions are thunks)."""
    return lambda: value
