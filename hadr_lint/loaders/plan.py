"""Terraform plan JSON, as ``terraform show -json PLANFILE`` writes it (format_version 1.x, and
0.1 / 0.2 from Terraform 0.12-0.15, which differ only in what newer fields they lack).

Resources come from ``planned_values`` (managed resources only, child modules recursively).
Values that ``resource_changes[].change.after_unknown`` marks as known only after apply become
``Unknown("known after apply")``, or a ``Ref`` to the resource they come from when the
configuration expression of that attribute references resources in the plan. Regions come from
the provider configuration each resource uses (``configuration.provider_config``), following
variables and module calls; an AWS provider v6 resource-level ``region`` value wins.

The output of ``terraform show -json`` for a state (``values`` instead of ``planned_values``) is
read the same way, without unknowns and, having no configuration, without regions.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hadr_lint.accounts import account_id
from hadr_lint.loaders import Document, namespaced
from hadr_lint.loaders.terraform.suppressions import folder_suppressions, inherit
from hadr_lint.model import (
    LoadError,
    LoadResult,
    Location,
    Ref,
    Resource,
    Unknown,
    without_instance_keys,
)

AFTER_APPLY = "known after apply"
MAX_DEPTH = 16

MAX_DATA_SOURCES = 100_000  # hostile plans: a bound on what prior_state may add
_NOT_RESOURCES = {"var", "local", "module", "data", "path", "terraform", "each", "count", "self"}
_KEY = r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]'
_MODULE_STEP = re.compile(rf"module\.([A-Za-z_][\w-]*)(?:{_KEY})?(?:\.|$)")
_RESOURCE_REF = re.compile(
    rf"^(?P<res>[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)(?P<key>{_KEY})?(?:\.(?P<attr>[A-Za-z_][\w-]*))?"
)
_VAR_REF = re.compile(r"^var\.([A-Za-z_][\w-]*)$")
_OUTPUT_REF = re.compile(
    rf"^module\.(?P<call>[A-Za-z_][\w-]*)(?P<key>{_KEY})?\.(?P<out>[A-Za-z_][\w-]*)$"
)
_ADDRESS_KEY = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')

Steps = tuple[str, ...]  # module instance steps, e.g. ("module.db[0]", "module.x")


def looks_like_plan(data: object) -> bool:
    """True for the output of ``terraform show -json`` (a plan, or a state)."""
    if not isinstance(data, dict) or "format_version" not in data:
        return False
    return any(key in data for key in ("planned_values", "resource_changes", "terraform_version"))


def claims(path: Path, text: str) -> bool:
    """A plan is JSON that names its ``format_version`` (``terraform show -json``)."""
    return path.suffix == ".json" and '"format_version"' in text


def load_document(document: Document) -> LoadResult | None:
    """A plan, its addresses prefixed with its file and the suppression comments of the
    Terraform files beside it applied; None for JSON that is not a plan; invalid JSON is an
    error on the file."""
    try:
        data = json.loads(document.text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        return LoadResult(errors=(LoadError(document.shown, line, f"invalid JSON: {exc}"),))
    if not looks_like_plan(data):
        return None
    plan = namespaced(load_plan(document.shown, data, document.text), document.shown)
    if not plan.resources:
        return plan
    resources = plan_suppressions(plan.resources, document.path.parent, document.display)
    return dataclasses.replace(plan, resources=tuple(resources))


def plan_suppressions(
    resources: Sequence[Resource], folder: Path, display: Callable[[Path], str]
) -> list[Resource]:
    """Plan resources with the suppression comments of the Terraform files beside the plan
    (its root module), matched by address without instance keys: ``resource "aws_s3_bucket"
    "logs"`` covers ``aws_s3_bucket.logs["a"]``, a ``module "db"`` call every
    ``module.db.…``. Comments inside a called module's own folder are not read."""
    by_address = folder_suppressions(folder, display)
    if not by_address:
        return list(resources)
    found = []
    for resource in resources:
        plain = without_instance_keys(resource.name)
        extra = [s for address, group in by_address.items() if _covers(address, plain)
                 for s in group]
        found += inherit([resource], extra)
    return found


def _covers(address: str, plain: str) -> bool:
    return plain == address or (address.startswith("module.") and plain.startswith(address + "."))


def load_plan(path: str, data: dict, text: str) -> LoadResult:
    """Resources of the plan ``data`` (parsed from ``text``, read from ``path``)."""
    version = data.get("format_version") if isinstance(data, dict) else None
    if not _supported(version):
        message = (f"unsupported plan format version {version} (expected 1.x, or 0.1 / 0.2 "
                   "from Terraform 0.12-0.15)")
        return LoadResult(errors=(LoadError(path, None, message),), files=(path,))
    reader = _PlanReader(path, data, text)
    resources = reader.resources()
    metadata = {"format_version": version, "terraform_version": data.get("terraform_version")}
    return LoadResult(
        resources=tuple(resources),
        errors=tuple(reader.errors),
        notes=tuple(_notes(path, data)),
        files=(path,),
        metadata=metadata,
    )


def _supported(version: Any) -> bool:
    """1.x (Terraform 1.0 on); 0.1 (0.12-0.14) and 0.2 (0.15) have the same structure."""
    if not isinstance(version, str):
        return False
    major, _, minor = version.partition(".")
    return major == "1" or (major == "0" and minor in ("1", "2"))


def _notes(path: str, data: dict) -> list[str]:
    notes = []
    if data.get("errored") is True:
        notes.append(f"{path}: the plan errored; its resources may be incomplete")
    elif data.get("complete") is False:
        notes.append(f"{path}: the plan is incomplete (deferred changes); resources may be missing")
    return notes


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _module_steps(address: str) -> Steps:
    """``module.a[0].module.b`` -> ("module.a[0]", "module.b"); an unparsable rest is dropped."""
    steps, pos = [], 0
    while pos < len(address):
        match = _MODULE_STEP.match(address, pos)
        if not match:
            break
        steps.append(match.group(0).rstrip("."))
        pos = match.end()
    return tuple(steps)


def _names(steps: Steps) -> tuple[str, ...]:
    return tuple(map(_name, steps))


def _name(step: str) -> str:
    """``module.db[0]`` -> ``db``; every step _module_steps made matches."""
    match = _MODULE_STEP.match(step)
    if match is None:
        raise ValueError(f"not a module step: {step}")
    return match.group(1)


def _prefixed(steps: Steps, relative: str) -> str:
    return ".".join(steps + (relative,))


def _is_expression(expr: Any) -> bool:
    return isinstance(expr, dict) and bool(expr) and set(expr) <= {"references", "constant_value"}


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, Ref))


def _plural(name: str) -> bool:
    return name.endswith("s") and not name.endswith(("ss", "us"))


def _default_attribute(name: str) -> str:
    return "arn" if name.endswith(("arn", "arns")) else "id"


class _PlanReader:
    """One plan being read: indexes built once, errors collected on the way."""

    def __init__(self, path: str, data: dict, text: str) -> None:
        self.path = path
        self.data = data
        self.text = text
        self.errors: list[LoadError] = []
        self.instances: list[tuple[Steps, dict]] = []
        self.values: dict[str, dict] = {}
        self.bases: dict[str, list[str]] = {}
        self.changes: dict[str, dict] = {}
        self.configuration = _dict(data.get("configuration"))
        if "configuration" in data and not isinstance(data["configuration"], dict):
            self.error("configuration is not an object: regions and references are unknown")
        self.module_configs: dict[tuple[str, ...], dict] = {}
        self.config_resources: dict[tuple[str, ...], dict[tuple, dict]] = {}
        self.lines = _Lines(text)

    def error(self, message: str, line: int | None = None) -> None:
        self.errors.append(LoadError(self.path, line, message))

    # -- collecting ---------------------------------------------------------------------------

    def resources(self) -> list[Resource]:
        root = self.data.get("planned_values", self.data.get("values"))
        if not isinstance(root, dict):
            self.error("no planned_values object in the plan")
            return []
        module = root.get("root_module", {})
        if not isinstance(module, dict):
            self.error("planned_values.root_module is not an object")
            return []
        self.collect_module(module, (), "planned_values.root_module")
        self.index_changes()
        managed = [self.resource(steps, item) for steps, item in self.instances]
        data = self.data_sources()
        return _with_accounts(managed, data) + data

    def data_sources(self) -> list[Resource]:
        """Data sources Terraform read while planning (``prior_state``), with their values:
        an existing subnet looked up with ``data "aws_subnet"`` gives its AZ. They are marked
        ``mode: data``: the graph resolves ids to them, rules never report them."""
        prior = _dict(_dict(self.data.get("prior_state")).get("values")).get("root_module")
        found: list[Resource] = []
        todo: list[tuple[dict, Steps]] = [(_dict(prior), ())]
        while todo and len(found) < MAX_DATA_SOURCES:
            module, steps = todo.pop()
            for item in map(_dict, _list(module.get("resources"))):
                if item.get("mode") == "data" and isinstance(item.get("address"), str) and \
                        isinstance(item.get("type"), str) and isinstance(item.get("values"), dict):
                    found.append(self.data_source(steps, item))
            for child in map(_dict, _list(module.get("child_modules"))):
                address = child.get("address")
                if isinstance(address, str) and _module_steps(address):
                    todo.append((child, _module_steps(address)))
        return found

    def data_source(self, steps: Steps, item: dict) -> Resource:
        config = self.config_data(_names(steps), item)
        key = config.get("provider_config_key")
        raw = dict(item["values"])
        line, end_line = self.lines.span(item["address"])
        return Resource(
            address=item["address"],
            name=item["address"],
            type=item["type"],
            location=Location(self.path, line, end_line),
            raw=raw,
            region=self.region(raw, key),
            source="plan",
            module=".".join(steps),
            meta={"mode": "data", "index": item.get("index"), "provider_config_key": key},
        )

    def config_data(self, names: tuple[str, ...], item: dict) -> dict:
        for entry in map(_dict, _list(self.module_config(names).get("resources"))):
            if entry.get("mode") == "data" and (entry.get("type"), entry.get("name")) == \
                    (item.get("type"), item.get("name")):
                return entry
        return {}

    def collect_module(self, module: dict, steps: Steps, where: str) -> None:
        resources = module.get("resources", [])
        if not isinstance(resources, list):
            self.error(f"{where}: resources is not a list")
            resources = []
        for item in resources:
            self.collect_resource(item, steps, where)
        children = module.get("child_modules", [])
        if not isinstance(children, list):
            self.error(f"{where}: child_modules is not a list")
            return
        for child in children:
            address = _dict(child).get("address")
            if not isinstance(address, str) or not _module_steps(address):
                self.error(f"{where}: a child module without a valid address")
                continue
            self.collect_module(child, _module_steps(address), f"planned_values {address}")

    def collect_resource(self, item: Any, steps: Steps, where: str) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("address"), str):
            self.error(f"{where}: a resource that is not an object with an address")
            return
        address = item["address"]
        if item.get("mode", "managed") != "managed":
            return
        if not isinstance(item.get("type"), str) or not isinstance(item.get("name"), str):
            self.error(f"{address}: resource without a type and name", self.lines.line(address))
            return
        if not isinstance(item.get("values", {}), dict):
            self.error(f"{address}: values is not an object", self.lines.line(address))
            return
        self.instances.append((steps, item))
        self.values[address] = item.get("values", {})
        base = _prefixed(steps, f"{item['type']}.{item['name']}")
        self.bases.setdefault(base, []).append(address)

    def index_changes(self) -> None:
        changes = self.data.get("resource_changes", [])
        if not isinstance(changes, list):
            self.error("resource_changes is not a list")
            return
        for entry in changes:
            address = _dict(entry).get("address")
            change = _dict(entry).get("change")
            if not isinstance(address, str) or not isinstance(change, dict):
                self.error("resource_changes: an entry without an address and a change")
                continue
            if entry.get("mode", "managed") == "managed":
                self.changes[address] = change

    # -- one resource -------------------------------------------------------------------------

    def resource(self, steps: Steps, item: dict) -> Resource:
        address = item["address"]
        config = self.config_resource(_names(steps), item)
        change = self.changes.get(address, {})
        raw = self.mark(item.get("values", {}), change.get("after_unknown"), config, steps)
        key = config.get("provider_config_key")
        line, end_line = self.lines.span(address)
        return Resource(
            address=address,
            name=address,
            type=item["type"],
            location=Location(self.path, line, end_line),
            raw=raw,
            region=self.region(raw, key),
            source="plan",
            module=".".join(steps),
            meta={
                "mode": "managed",
                "index": item.get("index"),
                "provider_config_key": key,
                "actions": tuple(_list(change.get("actions"))),
            },
        )

    def mark(self, values: dict, unknown: Any, config: dict, steps: Steps) -> dict:
        """The resource's values with its after_unknown markers applied."""
        if not isinstance(unknown, dict):
            return dict(values)
        expressions = _dict(config.get("expressions"))
        marked = dict(values)
        for key, marker in unknown.items():
            if key in values or marker is True:
                marked[key] = self.apply(values.get(key), marker, expressions.get(key), key, steps)
        return marked

    def apply(self, value: Any, marker: Any, expr: Any, name: str, steps: Steps) -> Any:
        """``value`` with the parts ``marker`` (its after_unknown) marks replaced."""
        if marker is True:
            return self.resolve(expr, name, steps)
        if isinstance(marker, dict) and isinstance(value, dict):
            exprs = expr if isinstance(expr, dict) and not _is_expression(expr) else {}
            out = dict(value)
            for key, sub in marker.items():
                if key in value or sub is True:
                    out[key] = self.apply(value.get(key), sub, exprs.get(key), key, steps)
            return out
        if isinstance(marker, list) and isinstance(value, list):
            if _is_expression(expr):
                return self.elementwise(value, marker, expr, name, steps)
            blocks = expr if isinstance(expr, list) and len(expr) == len(value) else []
            return [
                self.apply(item, marker[i] if i < len(marker) else False,
                           blocks[i] if blocks else None, name, steps)
                for i, item in enumerate(value)
            ]
        return value

    def elementwise(self, value: list, marker: list, expr: dict, name: str, steps: Steps) -> list:
        """A list attribute some of whose elements are unknown."""
        unknown = [i for i, m in enumerate(marker[: len(value)]) if m is True]
        out = [
            item if i >= len(marker) or marker[i] is True
            else self.apply(item, marker[i], None, name, steps)
            for i, item in enumerate(value)
        ]
        if not unknown:
            return out
        targets, _ = self.targets(_list(expr.get("references")), name, steps)
        pending = [t for t in targets if isinstance(t, Ref)]
        if len(pending) == len(unknown):
            for i, ref in zip(unknown, pending, strict=True):
                out[i] = ref
            return out
        known = [item for i, item in enumerate(out) if i not in unknown]
        if not pending:
            return known + [Unknown(AFTER_APPLY)] * len(unknown)
        return known + [t for t in targets if t not in known]

    def resolve(self, expr: Any, name: str, steps: Steps) -> Any:
        """A wholly unknown value: the Ref(s) its expression references, else Unknown."""
        if not _is_expression(expr):
            return Unknown(AFTER_APPLY)
        targets, expanded = self.targets(_list(expr.get("references")), name, steps)
        if not any(isinstance(t, Ref) for t in targets):
            return Unknown(AFTER_APPLY)
        if len(targets) == 1 and not expanded and not _plural(name):
            return targets[0]
        return targets

    # -- references ---------------------------------------------------------------------------

    def targets(self, refs: list, name: str, steps: Steps) -> tuple[list, bool]:
        """Values of the resource instances ``refs`` name: a Ref when pending, else the value.

        The boolean says whether a counted resource referenced as a whole was expanded.
        """
        found: dict[str, str] = {}
        expanded = False
        for target, attr in self.referenced(refs, name, steps, 0):
            instances = self.instances_of(target)
            expanded = expanded or instances != [target]
            for address in instances:
                found.setdefault(address, attr)
        out: list = []
        seen: set = set()
        for address, attr in found.items():
            value = self.target_value(address, attr)
            if _hashable(value) and value not in seen:
                seen.add(value)
                out.append(value)
        return out, expanded

    def referenced(self, refs: list, name: str, steps: Steps, depth: int) -> list[tuple[str, str]]:
        """(full address, attribute) of each resource the references name, in order.

        Terraform lists ``aws_subnet.a[0].id``, ``aws_subnet.a[0]`` and ``aws_subnet.a`` for one
        reference: the whole resource is dropped when one of its instances is named.
        """
        parsed: list[tuple[str, str | None, str | None]] = []  # (target, base, attribute)
        for ref in refs:
            if isinstance(ref, str):
                parsed.extend(self.parse_reference(ref, name, steps, depth))
        keyed = {base for target, base, _ in parsed if base and target != base}
        out: dict[str, str] = {}
        for target, base, attr in parsed:
            if target == base and base in keyed and not attr:
                continue
            if attr or target not in out:
                out[target] = attr or out.get(target) or _default_attribute(name)
        return list(out.items())

    def parse_reference(self, ref: str, name: str, steps: Steps, depth: int) -> list:
        var = _VAR_REF.match(ref)
        if var and steps and depth < MAX_DEPTH:
            call = self.module_call(_names(steps))
            expr = _dict(_dict(call.get("expressions")).get(var.group(1)))
            found = self.referenced(_list(expr.get("references")), name, steps[:-1], depth + 1)
            return [(target, None, attr) for target, attr in found]
        output = _OUTPUT_REF.match(ref)
        if output and depth < MAX_DEPTH:
            return self.output_reference(output, name, steps, depth)
        match = _RESOURCE_REF.match(ref)
        if not match or match.group("res").split(".")[0] in _NOT_RESOURCES:
            return []
        base = _prefixed(steps, match.group("res"))
        return [(base + (match.group("key") or ""), base, match.group("attr"))]

    def output_reference(self, output: re.Match, name: str, steps: Steps, depth: int) -> list:
        """``module.vpc.private_subnets``: follow the child module's output expression."""
        child = steps + (f"module.{output.group('call')}{output.group('key') or ''}",)
        outputs = _dict(self.module_config(_names(child)).get("outputs"))
        expr = _dict(_dict(outputs.get(output.group("out"))).get("expression"))
        found = self.referenced(_list(expr.get("references")), name, child, depth + 1)
        return [(target, None, attr) for target, attr in found]

    def instances_of(self, target: str) -> list[str]:
        if target in self.values:
            return [target]
        return self.bases.get(target, [])

    def target_value(self, address: str, attr: str) -> Any:
        unknown = _dict(_dict(self.changes.get(address)).get("after_unknown"))
        value = self.values.get(address, {}).get(attr)
        if unknown.get(attr) is True or value is None or isinstance(value, (dict, list)):
            return Ref(address, attr)
        return value

    # -- configuration ------------------------------------------------------------------------

    def module_config(self, names: tuple[str, ...]) -> dict:
        if names not in self.module_configs:
            if not names:
                config = _dict(self.configuration.get("root_module"))
            else:
                config = _dict(self.module_call(names).get("module"))
            self.module_configs[names] = config
        return self.module_configs[names]

    def module_call(self, names: tuple[str, ...]) -> dict:
        if not names:
            return {}
        calls = _dict(self.module_config(names[:-1]).get("module_calls"))
        return _dict(calls.get(names[-1]))

    def config_resource(self, names: tuple[str, ...], item: dict) -> dict:
        if names not in self.config_resources:
            self.config_resources[names] = {
                (c.get("type"), c.get("name")): c
                for c in map(_dict, _list(self.module_config(names).get("resources")))
                if c.get("mode", "managed") == "managed"
                and isinstance(c.get("type"), str) and isinstance(c.get("name"), str)
            }
        return self.config_resources[names].get((item["type"], item["name"]), {})

    # -- regions ------------------------------------------------------------------------------

    def region(self, raw: dict, key: Any) -> Any:
        own = raw.get("region")
        if isinstance(own, str) and own:
            return own
        if not isinstance(key, str):
            return Unknown("region unknown: no provider configuration for the resource in the plan")
        return self.provider_region(key, 0)

    def provider_region(self, key: str, depth: int) -> Any:
        names, provider = _split_key(key)
        configs = _dict(self.configuration.get("provider_config"))
        keys = (key, _provider_key(names, provider), _short_key(names, provider))
        entry = next((configs[k] for k in keys if k in configs), None)
        expressions = _dict(entry).get("expressions")
        if isinstance(expressions, dict):
            expr = expressions.get("region")
            value = self.evaluate(expr, names, 0) if isinstance(expr, dict) else None
            return value if isinstance(value, str) else Unknown(f"region of provider {key} unknown")
        if names and depth < MAX_DEPTH:
            mapping = _dict(self.module_call(names).get("providers"))
            parent = mapping.get(provider, provider)
            if isinstance(parent, str):
                return self.provider_region(_provider_key(names[:-1], parent), depth + 1)
        return Unknown(f"region of provider {key} unknown")

    def evaluate(self, expr: dict, names: tuple[str, ...], depth: int) -> Any:
        """A constant, or a variable followed up through module calls to the plan's values."""
        if "constant_value" in expr:
            return expr["constant_value"]
        refs = [r for r in _list(expr.get("references")) if isinstance(r, str)]
        variables = {m.group(1) for m in map(_VAR_REF.match, refs) if m}
        if len(refs) != 1 or len(variables) != 1 or depth >= MAX_DEPTH:
            return None
        var = variables.pop()
        if not names:
            return _dict(_dict(self.data.get("variables")).get(var)).get("value")
        given = _dict(_dict(self.module_call(names).get("expressions")).get(var))
        if given:
            return self.evaluate(given, names[:-1], depth + 1)
        declared = _dict(_dict(self.module_config(names).get("variables")).get(var))
        return declared.get("default")


def _with_accounts(managed: list[Resource], data: list[Resource]) -> list[Resource]:
    """Each managed resource with ``meta["account"]``: the ``account_id`` the plan read for a
    ``data "aws_caller_identity"`` of the same provider configuration (``provider_config_key``):
    that configuration's account, where every resource it manages is."""
    found: dict[str, set[str]] = {}
    for item in data:
        account = item.raw.get("account_id")
        key = item.meta.get("provider_config_key")
        if item.type == "aws_caller_identity" and isinstance(key, str) and account_id(account):
            found.setdefault(key, set()).add(str(account))
    accounts = {key: ids.pop() for key, ids in found.items() if len(ids) == 1}
    return [_with_account(r, accounts.get(r.meta.get("provider_config_key") or ""))
            for r in managed]


def _with_account(resource: Resource, account: str | None) -> Resource:
    if account is None:
        return resource
    return dataclasses.replace(resource, meta={**resource.meta, "account": account})


def _split_key(key: str) -> tuple[tuple[str, ...], str]:
    """"module.a.module.b:aws.dr" or "a.b:aws.dr" -> (("a", "b"), "aws.dr")."""
    if ":" not in key:
        return (), key
    module, provider = key.rsplit(":", 1)
    if module.startswith("module."):
        return _names(_module_steps(module)), provider
    return tuple(part for part in module.split(".") if part), provider


def _provider_key(names: tuple[str, ...], provider: str) -> str:
    if not names:
        return provider
    return ".".join(f"module.{n}" for n in names) + ":" + provider


def _short_key(names: tuple[str, ...], provider: str) -> str:
    return ".".join(names) + ":" + provider if names else provider


class _Lines:
    """Where each ``"address": "..."`` of planned_values is, as 1-based lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.offsets: dict[str, tuple[int, int]] | None = None

    def find(self, address: str) -> tuple[int, int] | None:
        if self.offsets is None:
            self.offsets = {}
            start = max(self.text.find('"planned_values"'), 0)
            for match in _ADDRESS_KEY.finditer(self.text, start):
                try:
                    found = json.loads(match.group(1))
                except ValueError:
                    continue
                if isinstance(found, str):
                    self.offsets.setdefault(found, (match.start(), match.end()))
        return self.offsets.get(address)

    def line_at(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1

    def line(self, address: str) -> int:
        found = self.find(address)
        return self.line_at(found[0]) if found else 1

    def span(self, address: str) -> tuple[int, int]:
        found = self.find(address)
        if not found:
            return 1, 1
        return self.line_at(found[0]), self.line_at(self.object_end(found[1]))

    def object_end(self, offset: int) -> int:
        """Offset of the ``}`` closing the object that contains ``offset``."""
        depth = 1
        for match in _BRACKETS.finditer(self.text, offset):
            token = match.group(0)
            if token in "{[":
                depth += 1
            elif token in "}]":
                depth -= 1
                if depth == 0:
                    return match.start()
        return offset
