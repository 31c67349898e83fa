"""Evaluate a Terraform module folder (and the local modules it calls) into resources.

One ``ModuleInstance`` is one instance of a module: its variables, locals, resources, data
sources, providers and child modules, each resolved lazily through the scope mappings.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from hadr_lint.accounts import account_id, arn_account
from hadr_lint.loaders.terraform.computed import computed
from hadr_lint.loaders.terraform.evaluate import ChildScope
from hadr_lint.loaders.terraform.expansion import (
    META_ARGS,
    Capped,
    ProviderConfig,
    ProviderSet,
    eval_expr,
    existence_reason,
    expansion_keys,
    for_each_keys,
    key_text,
    provider_reference,
)
from hadr_lint.loaders.terraform.functions import symbolic_unknown
from hadr_lint.loaders.terraform.modules import (
    DerivedModule,
    instantiate_child,
    module_call_resource,
)
from hadr_lint.loaders.terraform.parse import Block, Literal, traversal_text
from hadr_lint.loaders.terraform.scope import (
    ConstMapping,
    LazyMapping,
    ResourceObject,
    ResourceType,
    UnknownObject,
)
from hadr_lint.loaders.terraform.suppressions import inherit
from hadr_lint.loaders.terraform.types import convert, read_type
from hadr_lint.model import (
    AZ,
    IDENTITIES,
    DeployAccount,
    Location,
    Ref,
    Resource,
    Unknown,
    ZoneList,
    deploy_account,
    find_unknown,
)
from hadr_lint.regions import az_count
from hadr_lint.suppress import comment_suppressions
from hadr_lint.text import FileTooLarge, read_source

# A root name that is none of var, local, module, data, path, terraform, count, each, self: a
# resource type (provider prefix, underscore, name), declared in this module or not.
RESOURCE_TYPE = re.compile(r"[a-z][a-z0-9]*_[a-z0-9_]+")
# A resource instance's address inside its module: type, name, then a count or for_each key.
_LOCAL_ADDRESS = re.compile(r'([a-z][a-z0-9]*_[a-z0-9_]+)\.([^.\[]+)(?:\[(\d+)\]|\["(.*)"\])?')
SKIPPED_BLOCKS = {"lifecycle", "provisioner", "connection", "precondition", "postcondition"}


@dataclass(frozen=True)
class ModuleFiles:
    """The parsed ``.tf`` files of one folder."""

    dir: Path
    blocks: tuple[Block, ...]
    lines: dict[str, list[str]] = field(default_factory=dict, compare=False, hash=False)

    def of_type(self, kind: str) -> list[Block]:
        return list(self._by_type.get(kind, ()))

    @cached_property
    def _by_type(self) -> dict[str, list[Block]]:
        index: dict[str, list[Block]] = {}
        for block in self.blocks:
            index.setdefault(block.type, []).append(block)
        return index

    @cached_property
    def labelled(self) -> dict[tuple[str, str], dict[str, Block]]:
        """(kind, type) -> name -> block, for resource and data blocks with two labels; the
        first of duplicates (the others are reported and ignored)."""
        index: dict[tuple[str, str], dict[str, Block]] = {}
        for block in self.blocks:
            if len(block.labels) == 2:
                index.setdefault((block.type, block.labels[0]), {}).setdefault(
                    block.labels[1], block)
        return index

    @cached_property
    def named(self) -> dict[tuple[str, str], Block]:
        """(kind, first label) -> the first such block: variables and module calls by name."""
        index: dict[tuple[str, str], Block] = {}
        for block in self.blocks:
            if block.labels:
                index.setdefault((block.type, block.labels[0]), block)
        return index

    @cached_property
    def local_exprs(self) -> dict[str, Any]:
        """Local name -> its expression (the first definition)."""
        index: dict[str, Any] = {}
        for block in self.of_type("locals"):
            for name, attr in block.attributes.items():
                index.setdefault(name, attr.expr)
        return index


@dataclass
class LoadState:
    """What one root load collects while modules are evaluated (internal, not shared)."""

    read_module: Callable[[Path], ModuleFiles | None]
    display: Callable[[Path], str]
    max_instances: int = 1000
    modules_json: dict[str, Path] = field(default_factory=dict)
    tree: Any = None  # hadr_lint.tree.Tree: module sources outside it are not read
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit: str = ""  # the root (or Terragrunt unit) as reports show it: one deployment
    max_total: int = 50_000  # instances per root: nested module counts multiply
    expanded: int = 0

    def spend(self, count: int) -> bool:
        """Count ``count`` more instances; False once the root's total is over ``max_total``."""
        self.expanded += count
        if self.expanded > self.max_total and self.expanded - count <= self.max_total:
            self.notes.append(f"stopped expanding count, for_each and modules after "
                              f"{self.max_total} instances: the rest is unknown")
        return self.expanded <= self.max_total


@dataclass(frozen=True)
class Instance:
    key: Any
    obj: Any
    scope: Any
    unknown: Unknown | None = None


class ModuleInstance:
    """One instance of a module, and the Scope its expressions are evaluated in."""

    def __init__(
        self,
        state: LoadState,
        files: ModuleFiles,
        prefix: tuple[str, str],
        inputs: dict[str, Callable[[], Any]],
        providers: dict[str, Callable[[], Any]],
        chain: tuple[Path, ...],
        module_key: str = "",
        count_unknown: str | None = None,
        may_not_exist: str = "",
    ) -> None:
        self.state = state
        # set when this instance stands for an unknown number of module instances (count or
        # for_each unknown): each of its resources then stands for an unknown number too, and
        # may not exist at all (``may_not_exist``, unless the number is only over the cap)
        self.count_unknown = count_unknown
        self.may_not_exist = may_not_exist
        self.files = files
        self.address_prefix, self.name_prefix = prefix
        self.inputs = inputs
        self.chain = chain
        self.module_key = module_key
        self.providers = dict(providers)
        self.providers.update(self._own_providers())
        self._names = self._build_names()
        self._instances: dict[tuple[str, str, str], list[Instance] | Unknown] = {}
        self._children: dict[str, Any] = {}
        self._warming = False
        self.splats: dict[tuple, tuple] = {}  # evaluate: splat results shared by references

    # ----- scope -----
    def lookup(self, name: str) -> Any:
        if name not in self._names and RESOURCE_TYPE.fullmatch(name):
            return self._resource_type(name)  # a type no block declares: every name undefined
        return self._names[name]

    def _build_names(self) -> dict[str, Any]:
        names: dict[str, Any] = {
            "var": LazyMapping(self._variable_names(), self._variable, "var"),
            "local": LazyMapping(self._local_names(), self._local, "local"),
            "module": LazyMapping(
                [b.labels[0] for b in self.files.of_type("module") if b.labels],
                self._module_value,
                "module",
            ),
            "data": LazyMapping(self._types("data"), self._data_type, "data"),
            "path": ConstMapping({
                "module": str(self.files.dir), "root": ".",
                "cwd": Unknown("path.cwd: the folder terraform runs in is known only at run time"),
            }),
            "terraform": ConstMapping({"workspace": Unknown(
                "terraform.workspace: the workspace is chosen at run time")}),
        }
        for rtype in dict.fromkeys(self._types("resource")):
            if rtype not in names:
                names[rtype] = self._resource_type(rtype)
        return names

    def _types(self, kind: str) -> list[str]:
        return [b.labels[0] for b in self.files.of_type(kind) if len(b.labels) == 2]

    def _blocks(self, kind: str, rtype: str) -> dict[str, Block]:
        return self.files.labelled.get((kind, rtype), {})

    # ----- variables and locals -----
    def _variable_names(self) -> list[str]:
        return [b.labels[0] for b in self.files.of_type("variable") if b.labels]

    def _variable(self, name: str) -> Any:
        block = self.files.named[("variable", name)]
        value = self.inputs[name]() if name in self.inputs else None
        if value is None and (name not in self.inputs or not _nullable(block, self)):
            # no value, or null given to a variable declared nullable = false: its default
            # (Terraform >= 1.1); without a default, Terraform would refuse the call
            if "default" not in block.attributes:
                return Unknown(f"variable {name} has no value")
            value = eval_expr(block.attributes["default"].expr, self)
        return _convert_variable(value, block, self)

    def _local_names(self) -> list[str]:
        return [name for b in self.files.of_type("locals") for name in b.attributes]

    def _local(self, name: str) -> Any:
        expr = self.files.local_exprs[name]
        if not self._warming:
            self._warming = True
            try:
                self._warm_locals(name)
            finally:
                self._warming = False
        return eval_expr(expr, self)

    def _warm_locals(self, name: str) -> None:
        """Evaluate the locals ``name`` needs first, deepest first: a chain of 2,000 locals then
        never recurses deeper than one local (Python's stack holds about 100)."""
        values = self._names["local"]
        exprs = self.files.local_exprs
        order: list[str] = []
        seen = {name}
        stack = [(name, iter(local_references(exprs[name])))]
        while stack:
            current, refs = stack[-1]
            ref = next(refs, None)
            if ref is None:
                order.append(stack.pop()[0])
            elif ref not in seen and ref in exprs and not values.known(ref):
                seen.add(ref)
                stack.append((ref, iter(local_references(exprs[ref]))))
        for ref in order[:-1]:
            values[ref]

    # ----- providers and regions -----
    def _own_providers(self) -> dict[str, Callable[[], Any]]:
        own: dict[str, Callable[[], Any]] = {}
        for block in self.files.of_type("provider"):
            if not block.labels:
                continue
            alias = block.attributes.get("alias")
            key = block.labels[0]
            if alias is not None:
                key = f"{key}.{eval_expr(alias.expr, self)}"
            if "for_each" in block.attributes:  # OpenTofu 1.9: one configuration per key
                own[key] = ProviderSet(key, functools.partial(self._provider_instances, block))
                continue
            own[key] = ProviderConfig(self._region_thunk(block, self), self._default_tags(block),
                                      self._account_thunk(block), self._provider_identity(key))
        return own

    def _provider_instances(self, block: Block) -> dict[Any, ProviderConfig] | Unknown:
        """The configurations of a provider block with ``for_each``, by key."""
        keys = expansion_keys(block, self, self.state.max_instances)
        if isinstance(keys, Unknown):
            return keys
        return {key: ProviderConfig(self._region_thunk(block, ChildScope(self, {
            "each": ConstMapping({"key": key, "value": value})})), self._default_tags(block))
            for key, value in keys}

    def _default_tags(self, block: Block) -> Any:
        """``default_tags { tags = {...} }``, evaluated on first use; None without the block."""
        found = next((b for b in block.blocks if b.type == "default_tags"), None)
        attr = found.attributes.get("tags") if found is not None else None
        if attr is None:
            return None
        cache: list[Any] = []

        def tags() -> Any:
            if not cache:
                cache.append(eval_expr(attr.expr, self))
            return cache[0]

        return tags

    def _account_thunk(self, block: Block) -> Callable[[], Any]:
        """The account id the provider block names, evaluated on first use (None if none)."""
        cache: list[Any] = []

        def account() -> Any:
            if not cache:
                cache.append(provider_account(block, self))
            return cache[0]

        return account

    def _region_thunk(self, block: Block, scope: Any) -> Callable[[], Any]:
        attr = block.attributes.get("region")
        if attr is None:
            return lambda: Unknown(f"provider {block.labels[0]} sets no region")
        cache: list[Any] = []

        def region() -> Any:
            if not cache:
                cache.append(eval_expr(attr.expr, scope))
            return cache[0]

        return region

    def region_for(self, provider_key: str, index: Any = None) -> Any:
        """The region of provider ``provider_key`` (``index``: the instance key of a provider
        with ``for_each``, an expression evaluated by the caller)."""
        thunk = self.providers.get(provider_key)
        if thunk is None:
            return Unknown(f"no region configured for provider {provider_key}")
        if isinstance(thunk, ProviderSet):
            return thunk.region(index)
        return thunk()

    def _tags_all(self, block: Block, raw: dict) -> dict[str, Any]:
        """``tags_all`` as the AWS provider computes it: its default_tags under the resource's."""
        tags = getattr(self.providers.get(self._provider_key(block)), "default_tags", None)
        if tags is None:
            return {}
        default, own = tags(), raw.get("tags")
        for value in (default, own):
            if isinstance(value, Unknown):
                return {"tags_all": value}
        if not isinstance(default, dict) or not isinstance(own, (dict, type(None))):
            return {}
        return {"tags_all": {**default, **(own or {})}}

    def _provider_key(self, block: Block) -> str:
        attr = block.attributes.get("provider")
        if attr is not None:
            return traversal_text(provider_reference(attr.expr)[0])
        return block.labels[0].split("_", 1)[0] if block.labels else "aws"

    def _provider_identity(self, key: str) -> str:
        """The name of this module instance's own provider configuration ``key``, unique in
        the scan; empty when the root's unit is not known."""
        if not self.state.unit:
            return ""
        where = f" of {self.address_prefix.rstrip('.')}" if self.address_prefix else ""
        return f"provider {key}{where} in {self.state.unit}"

    def _block_account(self, block: Block) -> dict[str, Any]:
        """``{"account": id}`` when the resource's provider names its account, else the
        provider configuration's deploying account when it is known which configuration
        that is; else empty."""
        account = self.provider_account_of(block)
        return {} if isinstance(account, Unknown) and not isinstance(
            account, DeployAccount) else {"account": account}

    def provider_account_of(self, block: Block) -> Any:
        """The account of the provider configuration ``block`` (a resource or data block)
        uses: the id it names, else its ``DeployAccount``, else an Unknown."""
        key = self._provider_key(block)
        config = self.providers.get(key)
        thunk = getattr(config, "account", None)
        found = thunk() if thunk is not None else None
        if isinstance(found, str):
            return found
        identity = getattr(config, "identity", "")
        if config is None and "." not in key and self.state.unit:  # the implicit default
            identity = f"provider {key} in {self.state.unit}"
        if identity and isinstance(config, (ProviderConfig, type(None))):
            return deploy_account(identity)
        return Unknown(f"the account of provider {key} is not known")

    def _block_region(self, block: Block, scope: Any) -> Any:
        if "region" in block.attributes and block.labels[0].startswith("aws_"):
            value = eval_expr(block.attributes["region"].expr, scope)
            if isinstance(value, str):
                return value
        attr = block.attributes.get("provider")
        index = provider_reference(attr.expr)[1] if attr is not None else None
        key = None if index is None else eval_expr(index, scope)
        return self.region_for(self._provider_key(block), key)

    # ----- resources and data sources -----
    def _resource_type(self, rtype: str) -> Any:
        blocks = self._blocks("resource", rtype)  # the module's index, shared, not copied
        return ResourceType(blocks, lambda name: self._value("resource", rtype, name),
                            rtype, self.address_prefix)

    def _data_type(self, dtype: str) -> Any:
        blocks = self._blocks("data", dtype)
        return LazyMapping(blocks, lambda name: self._value("data", dtype, name), f"data.{dtype}")

    def _value(self, kind: str, rtype: str, name: str) -> Any:
        block = self._blocks(kind, rtype)[name]
        instances = self.instances(kind, block)
        if isinstance(instances, Unknown):
            return instances
        if "count" in block.attributes:
            return [i.obj for i in instances]
        if "for_each" in block.attributes:
            return {i.key: i.obj for i in instances}
        return instances[0].obj

    def instances(self, kind: str, block: Block) -> list[Instance] | Unknown:
        key = (kind, block.labels[0], block.labels[1])
        if key not in self._instances:
            self._instances[key] = Unknown(f"{'.'.join(key[1:])} refers to itself (cycle)")
            self._instances[key] = self._expand(kind, block)
        return self._instances[key]

    def _expand(self, kind: str, block: Block) -> list[Instance] | Unknown:
        keys = self._expansion_keys(block)
        if isinstance(keys, Unknown):
            return keys
        if not self.state.spend(len(keys)):
            return Capped(f"over {self.state.max_total} instances in this root (expansion cap)")
        return [self._instance(kind, block, key, value) for key, value in keys]

    def _expansion_keys(self, block: Block) -> list[tuple[Any, Any]] | Unknown:
        return expansion_keys(block, self, self.state.max_instances)

    def _instance(self, kind: str, block: Block, key: Any, value: Any) -> Instance:
        names: dict[str, Any] = {}
        if "count" in block.attributes:
            names["count"] = ConstMapping({"index": key})
        if "for_each" in block.attributes:
            names["each"] = ConstMapping({"key": key, "value": value})
        scope = ChildScope(self, names) if names else self
        address = self._address(kind, block) + key_text(key)
        account = self.provider_account_of(block) \
            if kind == "data" and block.labels[0] == "aws_caller_identity" else None
        if isinstance(account, (str, DeployAccount)):  # else a data source read at apply time
            return Instance(key, _caller_identity(account), scope)
        if kind == "data" and block.labels[0] in DATA_SOURCES:
            obj = DATA_SOURCES[block.labels[0]](self._block_region(block, scope))
            return Instance(key, obj, scope)
        obj = ResourceObject(address, body_keys(block), lambda k: body_value(block, k, scope),
                             computed(block.labels[0], address, lambda k: obj[k],
                                      self.subnet_zone))
        return Instance(key, obj, scope)

    def subnet_zone(self, subnet: Any) -> Any:
        """The availability zone of the subnet whose id is ``subnet``, as an expression reads
        it: its configured value when a block of this module declares it, else a Ref."""
        if not isinstance(subnet, Ref):
            return symbolic_unknown(subnet) if isinstance(subnet, Unknown) else Unknown(
                f"the availability zone of subnet {subnet} is not in the scanned files")
        local = subnet.address.removeprefix(self.address_prefix)
        found = _LOCAL_ADDRESS.fullmatch(local) if subnet.attribute == "id" else None
        if found is None or local == subnet.address and self.address_prefix:
            return Ref(subnet.address, "availability_zone")
        rtype, name, index, key = found.groups()
        try:
            value = self.lookup(rtype)[name]
            value = value[int(index)] if index is not None else value if key is None else value[key]
            return value["availability_zone"]
        except (KeyError, IndexError, TypeError):
            return Ref(subnet.address, "availability_zone")

    def _address(self, kind: str, block: Block) -> str:
        local = ".".join(block.labels)
        local = f"data.{local}" if kind == "data" else local
        return self.address_prefix + local

    def resources(self) -> list[Resource]:
        found: list[Resource] = []
        first: dict[tuple[str, ...], Block] = {}
        for block in self.files.of_type("resource"):
            if len(block.labels) != 2:
                continue
            if block.labels in first:
                self._duplicate(block, first[block.labels])
                continue
            first[block.labels] = block
            found.extend(self._resources_of(block))
        for call in self.files.of_type("module"):
            if len(call.labels) != 1:
                continue
            key = ("module", *call.labels)
            if key in first:
                self._duplicate(call, first[key])
                continue
            first[key] = call
            found.extend(self._module_resources(call))
        return found

    def _duplicate(self, block: Block, first: Block) -> None:
        shown = self.state.display(Path(first.file))
        what = " ".join(f'"{label}"' for label in block.labels)
        message = (f"duplicate {block.type} {what}: first declared at {shown}:{first.line}; "
                   "this one is ignored")
        self.state.errors.append((self.state.display(Path(block.file)), block.line, message))

    def _resources_of(self, block: Block) -> list[Resource]:
        instances = self.instances("resource", block)
        if isinstance(instances, Unknown):
            unknown = UnknownObject(instances.reason)
            scope = ChildScope(self, {"count": unknown, "each": unknown})
            address = self._address("resource", block)
            obj = ResourceObject(address, body_keys(block), lambda k: body_value(block, k, scope))
            return [self._resource(block, obj, scope, {"count_unknown": instances.reason},
                                   existence_reason(block, instances))]
        return [self._resource(block, i.obj, i.scope, {"index": i.key}) for i in instances]

    def _resource(self, block: Block, obj: Any, scope: Any, meta: dict,
                  may_not_exist: str = "") -> Resource:
        if self.count_unknown and "count_unknown" not in meta:
            meta = dict(meta, count_unknown=self.count_unknown)
        raw = {k: obj.own(k) for k in body_keys(block)}  # not a reference to itself
        if block.labels[0].startswith("aws_"):
            raw.update(self._tags_all(block, raw))
        meta = dict(meta, lifecycle=_lifecycle(block, scope), module_key=self.module_key,
                    suppressions=self._suppressions(block, self.name_prefix + ".".join(
                        block.labels)), **self._block_account(block))
        return Resource(
            address=obj.address,
            name=self.name_prefix + ".".join(block.labels),
            type=block.labels[0],
            location=Location(self.state.display(Path(block.file)), block.line, block.end_line),
            raw=raw,
            region=self._block_region(block, scope),
            source="terraform",
            module=self.address_prefix.rstrip("."),
            meta=meta,
            may_not_exist=may_not_exist or self.may_not_exist,
        )

    # ----- child modules -----
    def _module_value(self, name: str) -> Any:
        child = self._child(name)
        if isinstance(child, list):
            return [c.outputs() for c in child]
        if isinstance(child, dict):
            return {k: c.outputs() for k, c in child.items()}
        if isinstance(child, ModuleInstance):
            return child.outputs()
        return child

    def _child(self, name: str) -> Any:
        if name not in self._children:
            call = self.files.named[("module", name)]
            self._children[name] = instantiate_child(self, call)
        return self._children[name]

    def _module_resources(self, call: Block) -> list[Resource]:
        child = self._child(call.labels[0])
        if isinstance(child, list):
            children = child
        elif isinstance(child, dict):
            children = list(child.values())
        elif isinstance(child, ModuleInstance):
            children = [child]
        else:
            derived = child.resources() if isinstance(child, DerivedModule) else []
            return inherit([module_call_resource(self, call, child), *derived],
                            self._suppressions(call, f"{self.name_prefix}module.{call.labels[0]}"))
        return inherit([r for c in children for r in c.resources()], self._suppressions(
            call, f"{self.name_prefix}module.{call.labels[0]}"))

    def _suppressions(self, block: Block, target: str) -> list[Any]:
        """``# hadr-lint:ignore`` comments inside ``block`` or directly above it."""
        lines = self.files.lines.get(block.file)
        if not lines:
            return []
        shown = self.state.display(Path(block.file))
        return comment_suppressions(lines, block.line, block.end_line, shown, target)

    def outputs(self) -> Any:
        blocks = {b.labels[0]: b for b in self.files.of_type("output") if b.labels}

        def output(name: str) -> Any:
            attr = blocks[name].attributes.get("value")
            return eval_expr(attr.expr, self) if attr else None

        return LazyMapping(list(blocks), output, "output")


def local_references(expr: Any) -> list[str]:
    """Names ``x`` of the ``local.x`` references in an expression tree (found without recursion)."""
    if isinstance(expr, Literal) or not hasattr(expr, "iter_subtrees"):
        return []
    found = []
    for tree in expr.iter_subtrees_topdown():
        if tree.data != "get_attr_expr_term" or len(tree.children) != 2:
            continue
        base, attr = tree.children
        if traversal_text(base) == "local" and getattr(attr, "data", "") == "get_attr":
            found.append(traversal_text(attr))
    return list(dict.fromkeys(found))


def body_keys(block: Block) -> list[str]:
    keys = [k for k in block.attributes if k not in META_ARGS]
    for nested in block.blocks:
        if nested.type == "dynamic" and nested.labels:
            keys.append(nested.labels[0])
        elif nested.type not in SKIPPED_BLOCKS:
            keys.append(nested.type)
    return list(dict.fromkeys(keys))


def body_value(block: Block, key: str, scope: Any) -> Any:
    """The value of argument or nested block ``key``: nested blocks are lists of dicts."""
    if key in block.attributes:
        return eval_expr(block.attributes[key].expr, scope)
    items: list[Any] = []
    for nested in block.blocks:
        if nested.type == key:
            items.append(nested_body(nested, scope))
        elif nested.type == "dynamic" and nested.labels[:1] == (key,):
            expanded = _dynamic(nested, scope)
            if isinstance(expanded, Unknown):
                return expanded
            items.extend(expanded)
    return items


def nested_body(block: Block, scope: Any) -> dict[str, Any]:
    return {k: body_value(block, k, scope) for k in body_keys(block)}


def _dynamic(block: Block, scope: Any) -> list[Any] | Unknown:
    keys = _dynamic_keys(block, scope)
    if isinstance(keys, Unknown):
        return keys
    iterator = block.attributes.get("iterator")
    name = traversal_text(iterator.expr) if iterator else block.labels[0]
    content = next((b for b in block.blocks if b.type == "content"), None)
    if content is None:
        return []
    return [
        nested_body(content, ChildScope(scope, {name: ConstMapping({"key": k, "value": v})}))
        for k, v in keys
    ]


def _dynamic_keys(block: Block, scope: Any) -> list[tuple[Any, Any]] | Unknown:
    """A dynamic block iterates any collection: lists by index, maps and sets by key."""
    if "for_each" not in block.attributes:
        return Unknown("dynamic block without for_each")
    value = eval_expr(block.attributes["for_each"].expr, scope)
    if isinstance(value, (list, tuple)) and not isinstance(find_unknown(value, IDENTITIES),
                                                           Unknown):
        if len(value) > 1000:
            return Unknown("dynamic block expansion over the cap")
        return list(enumerate(value))
    return for_each_keys(value, 1000)


def _lifecycle(block: Block, scope: Any) -> dict[str, Any]:
    """``prevent_destroy`` (evaluated) and ``ignore_changes`` (the top-level attribute names it
    lists, ``("all",)`` for ``all``: they are names, not values) of the lifecycle block."""
    for nested in block.blocks:
        if nested.type == "lifecycle":
            found: dict[str, Any] = {k: eval_expr(a.expr, scope)
                                     for k, a in nested.attributes.items()
                                     if k == "prevent_destroy"}
            ignored = nested.attributes.get("ignore_changes")
            if ignored is not None:
                found["ignore_changes"] = _ignored_names(ignored.expr)
            return found
    return {}


def _ignored_names(expr: Any) -> tuple[str, ...]:
    """``[desired_capacity, tags["x"], scaling_config[0].desired_size]`` ->
    ``("desired_capacity", "tags", "scaling_config.desired_size")`` (attribute names, indices
    left out); ``("all",)``; a quoted name is Terraform 0.11's spelling."""
    if isinstance(expr, Literal):  # .tf.json: ["desired_capacity"] or "all"
        items = expr.value if isinstance(expr.value, list) else [expr.value]
        return tuple(re.sub(r"\[[^\]]*\]", "", str(i)) for i in items)
    tuples = list(expr.find_data("tuple")) if hasattr(expr, "find_data") else []
    elements = [c for c in tuples[0].children if hasattr(c, "data")] if tuples else [expr]
    names = []
    for element in elements:
        tokens = list(element.scan_values(
            lambda v: getattr(v, "type", None) in ("NAME", "STRING_CHARS")))
        if tokens and tokens[0].type == "STRING_CHARS":
            names.append(re.sub(r"\[[^\]]*\]", "", str(tokens[0])))
        elif tokens:
            names.append(".".join(str(t) for t in tokens if t.type == "NAME"))
    return tuple(dict.fromkeys(names))


def _nullable(block: Block, scope: Any) -> Any:
    """``nullable`` of a variable block: True unless it says ``false`` (unknown counts as true)."""
    attr = block.attributes.get("nullable")
    return attr is None or eval_expr(attr.expr, scope) is not False


def _convert_variable(value: Any, block: Block, scope: Any) -> Any:
    """``value`` converted to the variable's ``type`` (see ``types``), as Terraform does."""
    declared = block.attributes.get("type")
    if declared is None:
        return value
    return convert(value, read_type(declared.expr), lambda expr: eval_expr(expr, scope))


def provider_account(block: Block, scope: Any) -> str | None:
    """The account a provider block is pinned to: its one ``allowed_account_ids`` entry, else the
    account of ``assume_role { role_arn }``; None when neither names one certainly."""
    attr = block.attributes.get("allowed_account_ids")
    if attr is not None:
        ids = eval_expr(attr.expr, scope)
        if isinstance(ids, list) and len(ids) == 1 and account_id(ids[0]):
            return ids[0]
        return None
    role = next((b for b in block.blocks if b.type == "assume_role"), None)
    arn = role.attributes.get("role_arn") if role is not None else None
    if arn is None:
        return None
    return arn_account(eval_expr(arn.expr, scope))


def _availability_zones(region: Any) -> Any:
    count = az_count(region)
    if count is None:
        reason = f"availability zones of region {region} unknown"
        named = region if isinstance(region, str) else None
        zones: Any = ZoneList(reason, named)
        ids: Any = ZoneList(reason, named, "id")
    else:
        zones = [AZ(region, i) for i in range(count)]
        ids = [AZ(z.region, z.index, "id") for z in zones]
    return ConstMapping({"names": zones, "zone_ids": ids, "id": region})


def _caller_identity(account: Any) -> Any:
    """``data "aws_caller_identity"``: the account of its provider configuration (an id the
    provider names, else that configuration's deploying account); who the caller is, is
    known only with credentials."""
    caller = Unknown("the caller of data.aws_caller_identity is known only with credentials")
    return ConstMapping({"account_id": account, "id": account, "arn": caller,
                         "user_id": caller})


def _region_data(region: Any) -> Any:
    return ConstMapping({"name": region, "id": region, "region": region})


DATA_SOURCES: dict[str, Callable[[Any], Any]] = {
    "aws_availability_zones": _availability_zones,
    "aws_region": _region_data,
}


MAX_MODULES_JSON_SIZE = 5_000_000


def read_modules_json(root: Path, tree: Any = None,
                      notes: list[str] | None = None) -> dict[str, Path]:
    """Modules already downloaded by ``terraform init``: key -> folder. A ``Dir`` that lies
    or links outside ``tree`` (a ``hadr_lint.tree.Tree``) is left out, with a note."""
    path = root / ".terraform" / "modules" / "modules.json"
    try:
        entries = json.loads(read_source(path, MAX_MODULES_JSON_SIZE)).get("Modules", [])
    except (OSError, ValueError, AttributeError, RecursionError, FileTooLarge):
        return {}
    found = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("Key") and isinstance(entry.get("Dir"), str):
            folder = root / entry["Dir"]
            if tree is not None and not tree.inside(folder):
                if notes is not None:
                    notes.append(f"{path}: module {entry['Key']}: Dir {entry['Dir']!r} not "
                                 "read: it lies or links outside the repository")
                continue
            found[str(entry["Key"])] = folder
    return found
