"""Module calls: find the called folder, bind its inputs and providers, instantiate it.

Local sources (``./``, ``../``) and modules already downloaded by ``terraform init`` are loaded;
anything else is never fetched: the call becomes a ``module`` resource carrying its inputs, so
rules that understand popular registry modules can still read them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hadr_lint.loaders.terraform.evaluate import ChildScope
from hadr_lint.loaders.terraform.expansion import (
    META_ARGS,
    ProviderConfig,
    ProviderSet,
    constant,
    eval_expr,
    existence_reason,
    expansion_keys,
    key_text,
    provider_mapping,
    provider_reference,
)
from hadr_lint.loaders.terraform.parse import Block, Literal, traversal_text
from hadr_lint.loaders.terraform.scope import ConstMapping, UnknownObject
from hadr_lint.model import Location, Resource, Unknown
from hadr_lint.normalise.registry_modules import registry_key
from hadr_lint.tree import real

if TYPE_CHECKING:  # annotations only: module.py imports this module
    from hadr_lint.loaders.terraform.module import ModuleInstance

MAX_MODULE_DEPTH = 16


def module_source(parent: ModuleInstance, call: Block) -> str:
    attr = call.attributes.get("source")
    value = eval_expr(attr.expr, parent) if attr else None
    return value if isinstance(value, str) else ""


def resolve_source(parent: ModuleInstance, call: Block) -> Path | None:
    """The folder a module call loads: its local source, or where ``terraform init`` put it.
    None when there is none, or it cannot be resolved (a link loop, a NUL character)."""
    given = source_path(parent, call)
    return real(given) if given is not None else None


def source_path(parent: ModuleInstance, call: Block) -> Path | None:
    """``resolve_source`` before links are resolved: what the module folder is read as (the
    parse cache checks where each such path leads)."""
    source = module_source(parent, call)
    if source.startswith(("./", "../")):
        return parent.files.dir / source
    return parent.state.modules_json.get(_child_key(parent, call))


def _outside(parent: ModuleInstance, folder: Path) -> bool:
    tree = parent.state.tree
    return tree is not None and not tree.inside(folder)


def _child_key(parent: ModuleInstance, call: Block) -> str:
    name = call.labels[0]
    return f"{parent.module_key}.{name}" if parent.module_key else name


def instantiate_child(parent: ModuleInstance, call: Block) -> Any:
    """A ModuleInstance, a list or dict of them (count / for_each), or an UnknownObject."""
    name = call.labels[0]
    folder = resolve_source(parent, call)
    state = parent.state
    where = (state.display(Path(call.file)), call.line)
    if folder is None and module_source(parent, call).startswith(("./", "../")):
        reason = (f"module.{name} ({module_source(parent, call)!r}) was not loaded: its folder "
                  "cannot be resolved (a symbolic link loop, or a NUL character)")
        state.notes.append(f"{where[0]}:{where[1]}: {reason}")
        return UnknownObject(reason)
    if folder is None:
        reason = f"module.{name} ({module_source(parent, call) or 'no source'}) was not loaded"
        state.notes.append(f"{where[0]}:{where[1]}: {reason}: remote modules are never fetched "
                           "(after terraform init, hadr-lint reads them from .terraform/modules)")
        return _not_loaded(parent, call, reason)
    if _outside(parent, folder):
        reason = (f"module.{name} ({module_source(parent, call)}) was not loaded: it lies or "
                  "links outside the repository (or the scanned folder)")
        state.notes.append(f"{where[0]}:{where[1]}: {reason}")
        return UnknownObject(reason)
    if folder in parent.chain or len(parent.chain) >= MAX_MODULE_DEPTH:
        cycle = " -> ".join(state.display(p) for p in (*parent.chain, folder))
        state.errors.append((where[0], where[1], f"module.{name} includes itself: {cycle}"))
        return UnknownObject(f"module.{name} is part of a module cycle")
    files = state.read_module(source_path(parent, call) or folder)
    if files is None:
        reason = f"module.{name}: no Terraform files in {state.display(folder)}"
        state.notes.append(f"{where[0]}:{where[1]}: {reason}")
        return UnknownObject(reason)
    keys = expansion_keys(call, parent, state.max_instances)
    if not state.spend(len(keys) if isinstance(keys, list) else 1):
        return UnknownObject(f"module.{name} not loaded: over {state.max_total} instances "
                             "in this root (expansion cap)")
    if isinstance(keys, Unknown):
        unknown = UnknownObject(keys.reason)
        scope = ChildScope(parent, {"count": unknown, "each": unknown})
        maybe = existence_reason(call, keys)
        return _instance(parent, call, files, scope, "", f"module.{name}: {keys.reason}",
                         f"module.{name} {maybe}" if maybe else "")
    if "count" not in call.attributes and "for_each" not in call.attributes:
        return _instance(parent, call, files, parent, "")
    made = {key: _instance(parent, call, files, _key_scope(parent, call, key, value),
                           key_text(key)) for key, value in keys}
    return list(made.values()) if "count" in call.attributes else made


def _key_scope(parent: ModuleInstance, call: Block, key: Any, value: Any) -> Any:
    if "count" in call.attributes:
        return ChildScope(parent, {"count": ConstMapping({"index": key})})
    return ChildScope(parent, {"each": ConstMapping({"key": key, "value": value})})


def _instance(parent: ModuleInstance, call: Block, files: Any, scope: Any, key: str,
              count_unknown: str | None = None, may_not_exist: str = "") -> Any:
    name = call.labels[0]
    inputs = {
        arg: _thunk(attr.expr, scope)
        for arg, attr in call.attributes.items()
        if arg not in META_ARGS
    }
    prefix = (
        f"{parent.address_prefix}module.{name}{key}.",
        f"{parent.name_prefix}module.{name}.",
    )
    return type(parent)(  # a ModuleInstance, as its parent
        parent.state, files, prefix, inputs, _child_providers(parent, call, scope),
        (*parent.chain, files.dir), _child_key(parent, call),
        count_unknown or parent.count_unknown, may_not_exist or parent.may_not_exist,
    )


def _thunk(expr: Any, scope: Any):
    cache: list[Any] = []

    def value() -> Any:
        if not cache:
            cache.append(eval_expr(expr, scope))
        return cache[0]

    return value


def _child_providers(parent: ModuleInstance, call: Block, scope: Any = None) -> dict[str, Any]:
    """The providers a module instance gets; ``aws = aws.by_region[each.key]`` picks one
    instance of a provider with ``for_each``, the key evaluated in ``scope`` (the call's)."""
    providers = {k: v for k, v in parent.providers.items() if "." not in k}
    for child_key, parent_key, index in _provider_pairs(call):
        found = parent.providers.get(parent_key)
        if found is None:
            providers[child_key] = constant(Unknown(f"provider {parent_key} is not configured"))
        elif isinstance(found, ProviderSet) and index is not None:
            key = eval_expr(index, scope or parent)
            providers[child_key] = ProviderConfig(functools.partial(found.region, key), None)
        else:
            providers[child_key] = found
    return providers


def _provider_pairs(call: Block) -> list[tuple[str, str, Any]]:
    """(child key, parent provider, instance key expression or None) of ``providers = {..}``."""
    attr = call.attributes.get("providers")
    if attr is None or isinstance(attr.expr, Literal):
        return [(k, v, None) for k, v in provider_mapping(call)]
    pairs = []
    for elem in attr.expr.find_data("object_elem"):
        base, index = provider_reference(elem.children[-1])
        pairs.append((traversal_text(elem.children[0]), traversal_text(base), index))
    return pairs


def _not_loaded(parent: ModuleInstance, call: Block, reason: str) -> UnknownObject:
    """A remote module that was not downloaded: its outputs are unknown, unless ``OUTPUTS``
    derives them from the call's inputs (then a ``DerivedModule``)."""
    # start-up: only when a registry module was not downloaded
    from hadr_lint.loaders.terraform.registry_outputs import OUTPUTS

    key = registry_key(module_source(parent, call))
    if key not in OUTPUTS or "count" in call.attributes or "for_each" in call.attributes:
        return UnknownObject(reason)
    return DerivedModule(parent, call, key, reason)


class DerivedModule(UnknownObject):
    """A module that was not loaded whose outputs ``registry_outputs`` derives from its inputs
    (evaluated in the caller's scope, on first use). Outputs not derived stay unknown."""

    def __init__(self, parent: ModuleInstance, call: Block, key: str, reason: str) -> None:
        super().__init__(reason)
        self._parent, self._call, self._key = parent, call, key
        self._inputs = {arg: _thunk(attr.expr, parent) for arg, attr in call.attributes.items()
                        if arg not in META_ARGS or arg == "version"}  # "version": constraint
        self._found: list[Any] = []

    def exposed(self) -> Any:
        """An ``Exposed``, or Unknown (a create flag false or unknown, or a cycle)."""
        # start-up: only when a registry module was not downloaded
        from hadr_lint.loaders.terraform.registry_outputs import exposed

        if not self._found:
            name = self._call.labels[0]
            self._found.append(Unknown(f"module.{name} outputs refer to themselves (cycle)"))
            found = exposed(self._key, self._input, f"module.{name} ({self._key})",
                            f"{self._parent.address_prefix}module.{name}.")
            self._found[0] = self._capped(found)
        return self._found[0]

    def _capped(self, found: Any) -> Any:
        """Derived resources count against the expansion caps, as instances do."""
        if isinstance(found, Unknown):
            return found
        state, made = self._parent.state, len(found.resources)
        if made > state.max_instances or not state.spend(made):
            return Unknown(f"module.{self._call.labels[0]} ({self._key}) would create {made} "
                           "resources: over the expansion cap")
        return found

    def _input(self, name: str) -> Any:
        thunk = self._inputs.get(name)
        return thunk() if thunk is not None else None

    def __getitem__(self, key: str) -> Any:
        found = self.exposed()
        if isinstance(found, Unknown):
            return Unknown(f"{self.reason}; {found.reason}")
        if key in found.outputs:
            return found.outputs[key]
        return Unknown(f"{self.reason}: its output {key} is not derived from its inputs")

    def resources(self) -> list[Resource]:
        """The plain resources the module creates (``module.vpc.aws_subnet.private[0]``...)."""
        found = self.exposed()
        if isinstance(found, Unknown):
            return []
        parent, call = self._parent, self._call
        module = f"{parent.address_prefix}module.{call.labels[0]}"
        region = self._input("region")
        if not isinstance(region, str):
            region = parent.region_for(dict(provider_mapping(call)).get("aws", "aws"))
        location = Location(parent.state.display(Path(call.file)), call.line, call.end_line)
        exists = _call_existence(parent, call)
        return [Resource(
            address=f"{_in(module, made.module)}.{made.type}.{made.name}{key_text(made.index)}",
            name=f"{parent.name_prefix}{_in(f'module.{call.labels[0]}', _unkeyed(made.module))}"
                 f".{made.type}.{made.name}",
            type=made.type,
            location=location,
            raw=dict(made.raw),
            region=region,
            source="terraform",
            module=_in(module, made.module),
            meta=_derived_meta(made, _child_key(parent, call), f"{module} ({self._key})"),
            may_not_exist="; ".join(r for r in (exists, made.may_not_exist) if r),
        ) for made in found.resources]


def _in(module: str, submodule: str) -> str:
    """The address of a derived resource's module: the call's, or a submodule of it."""
    return f"{module}.{submodule}" if submodule else module


def _unkeyed(submodule: str) -> str:
    """module.eks_managed_node_group["a"] -> module.eks_managed_node_group (a block's name)."""
    return submodule.split("[", 1)[0]


def _derived_meta(made: Any, module_key: Any, module: str) -> dict[str, Any]:
    """A derived resource's meta. None of the module blocks derived sets a lifecycle
    ``prevent_destroy`` (checked in each module's code), so it is known to be absent; its
    ``ignore_changes`` are the module code's."""
    lifecycle = {"ignore_changes": made.ignore_changes} if made.ignore_changes else {}
    meta = {"index": made.index, "module_key": module_key, "lifecycle": lifecycle,
            "derived_from": f"the inputs of {module}"}
    if made.may_not_exist:  # an unknown number of instances, as for an unknown count
        meta["count_unknown"] = made.may_not_exist
    return meta


def module_call_resource(parent: ModuleInstance, call: Block, child: Any) -> Resource:
    """A module that was not loaded, as a resource of type ``module`` with its inputs."""
    name = call.labels[0]
    raw = {
        arg: eval_expr(attr.expr, parent)
        for arg, attr in call.attributes.items()
        if arg not in META_ARGS
    }
    provider = dict(provider_mapping(call)).get("aws", "aws")
    return Resource(
        address=f"{parent.address_prefix}module.{name}",
        name=f"{parent.name_prefix}module.{name}",
        type="module",
        location=Location(parent.state.display(Path(call.file)), call.line, call.end_line),
        raw=raw,
        region=parent.region_for(provider),
        source="terraform",
        module=parent.address_prefix.rstrip("."),
        meta={
            "source": module_source(parent, call),
            "not_loaded": getattr(child, "reason", "not loaded"),
            "module_key": parent.module_key,
        },
        may_not_exist=_call_existence(parent, call),
    )


def _call_existence(parent: ModuleInstance, call: Block) -> str:
    """Why a module call that was not loaded may create nothing ("" when it certainly runs)."""
    keys = expansion_keys(call, parent, parent.state.max_instances)
    if isinstance(keys, Unknown):
        maybe = existence_reason(call, keys)
        return f"module.{call.labels[0]} {maybe}" if maybe else ""
    return parent.may_not_exist
