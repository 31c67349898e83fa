"""Terragrunt units: a folder with ``terragrunt.hcl`` is a root whose module is its
``terraform { source = ... }`` and whose variable values are its ``inputs``.

The configuration is read with python-hcl2 and evaluated statically like any Terraform
expression; terragrunt itself is never run. What Terragrunt adds is evaluated here:

- ``include`` blocks merge the included file's ``inputs`` (shallow: the unit's keys win),
  ``terraform``, ``generate`` and ``dependency`` blocks; ``expose = true`` gives
  ``include.NAME.locals`` / ``inputs``. The included file is evaluated in the unit's context
  (``get_terragrunt_dir()`` and ``find_in_parent_folders()`` start from the unit), as
  Terragrunt does.
- ``read_terragrunt_config(path)`` reads ``locals`` and ``inputs`` of a file inside the scanned
  tree, never outside; ``find_in_parent_folders(name)`` searches upwards inside the tree.
- ``get_env(name, default)`` gives its default (never the real environment: a scan is
  reproducible), ``get_terragrunt_dir()``, ``get_parent_terragrunt_dir()``,
  ``path_relative_to_include()`` and ``path_relative_from_include()`` are evaluated;
  ``run_cmd`` and every other Terragrunt function are unknown, with a reason, and never run.
- ``dependency.NAME.outputs``: when ``config_path`` is a unit of the same scan, its module's
  ``output`` blocks evaluated in that unit's own module instance (units are read dependencies
  first; a Ref in an output keeps naming the dependency's resource, namespaced like that unit's
  resources). Otherwise unknown (naming the dependency) unless the scan opts in to
  ``mock_outputs`` (``--terragrunt-mock-outputs``): real outputs beat mocks; a unit whose
  module is not loaded has no real outputs. Units that depend on each other in a cycle get
  unknown outputs from each other, with the cycle as reason.
- Regions come from the provider blocks of ``generate`` blocks' ``contents`` (or from the
  module's own providers), never guessed from an ``inputs.region``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hadr_lint import cache
from hadr_lint.loaders.terraform.evaluate import evaluate
from hadr_lint.loaders.terraform.expansion import ProviderConfig, constant
from hadr_lint.loaders.terraform.parse import (
    HclSyntaxError,
    Literal,
    expression_text,
    parse_blocks,
    parse_body,
)
from hadr_lint.loaders.terraform.scope import (
    ConstMapping,
    LazyMapping,
    ResourceObject,
    UnknownObject,
)
from hadr_lint.loaders.terraform.suppressions import inherit
from hadr_lint.model import (
    FirewallEndpoint,
    LoadError,
    LoadResult,
    Location,
    Prefixed,
    Ref,
    Resource,
    Undefined,
    Unknown,
    Unordered,
)
from hadr_lint.suppress import comment_suppressions, mentions
from hadr_lint.text import FileTooLarge, read_source
from hadr_lint.tree import real

CONFIG_NAME = "terragrunt.hcl"
MAX_DEPTH = 8  # include / read_terragrunt_config nesting
REMOTE_PREFIXES = ("git::", "git@", "tfr://", "http://", "https://", "s3::", "gcs::",
                   "hg::", "github.com/", "bitbucket.org/")


@dataclass
class Context:
    """What every file of one unit is evaluated against."""

    unit_dir: Path  # get_terragrunt_dir(): the unit's folder, resolved
    tree: Any  # hadr_lint.tree.Tree: files outside it are never read
    display: Callable[[Path], str]
    mock_outputs: bool = False
    max_file_size: int = 5_000_000
    notes: list[str] = field(default_factory=list)
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)
    parsed: dict[str, Any] = field(default_factory=dict)  # shared by the units of a scan
    scan: Scan | None = None  # the units of the scan: what dependency blocks follow


@dataclass(frozen=True)
class Unit:
    """One Terragrunt unit, evaluated."""

    dir: Path
    config: Path
    included: tuple[Path, ...]  # the files its include blocks read
    module: Path | None  # the module folder to load; None: not loadable (see ``why``)
    source: str
    why: str
    inputs: dict[str, Any]
    providers: dict[str, Any]  # key (aws, aws.dr) -> ProviderConfig from generate blocks
    suppressions: tuple[Any, ...] = ()
    line: int = 0  # of its terraform block (source), in ``config``; 0: none there
    end_line: int = 0


class ConfigFile:
    """One evaluated HCL file of Terragrunt: the scope its expressions see."""

    def __init__(self, path: Path, context: Context, chain: tuple[Path, ...] = (),
                 include_dir: Path | None = None) -> None:
        self.path = path
        self.context = context
        self.chain = (*chain, path)
        self.include_dir = include_dir  # set while evaluated as an included file
        self.attributes, self.blocks = _parse(path, context)
        exprs = {n: a.expr for b in self.of_type("locals") for n, a in b.attributes.items()}
        self.locals = LazyMapping(list(exprs), lambda n: self.eval(exprs[n]), "local")
        self.exposed = False  # an included file whose include block says expose = true
        self.merge: Any = "shallow"  # its include block's merge_strategy
        self._includes: dict[str, ConfigFile | Unknown] | None = None

    def of_type(self, kind: str) -> list[Any]:
        return [b for b in self.blocks if b.type == kind]

    def eval(self, expr: Any) -> Any:
        return expr.value if isinstance(expr, Literal) else evaluate(expr, self)

    # ----- scope -----
    def lookup(self, name: str) -> Any:
        if name == "local":
            return self.locals
        if name == "include":
            return ConstMapping({k: _exposed(v) for k, v in self.includes().items()})
        if name == "dependency":
            return ConstMapping({b.labels[0]: self.dependency(b) for b in self.of_type(
                "dependency") if b.labels})
        raise KeyError(name)

    def function(self, name: str) -> Callable[..., Any] | None:
        functions: dict[str, Callable[..., Any]] = {
            "find_in_parent_folders": self.find_in_parent_folders,
            "get_terragrunt_dir": lambda: str(self.context.unit_dir),
            "get_parent_terragrunt_dir": self.parent_dir,
            "path_relative_to_include": self.relative_to_include,
            "path_relative_from_include": self.relative_from_include,
            "read_terragrunt_config": self.read_config,
            "get_env": _get_env,
            "get_original_terragrunt_dir": lambda: str(self.context.unit_dir),
        }
        if name in functions:
            return functions[name]
        if name in TERRAGRUNT_ONLY:
            return lambda *args: Unknown(f"{name}() is not evaluated: {TERRAGRUNT_ONLY[name]}")
        return None

    # ----- Terragrunt functions -----
    def find_in_parent_folders(self, name: Any = CONFIG_NAME, fallback: Any = None) -> Any:
        if not isinstance(name, str):
            return Unknown("find_in_parent_folders() of an unknown name")
        folder = self.context.unit_dir.parent
        while self.context.tree.inside(folder):
            if (folder / name).is_file():
                return str(folder / name)
            if folder.parent == folder:
                break
            folder = folder.parent
        if fallback is not None:
            return fallback
        return Unknown(f"find_in_parent_folders({name!r}): no such file above "
                       f"{self.context.display(self.context.unit_dir)} inside the scanned tree")

    def parent_dir(self) -> Any:
        return str(self.include_dir or self.path.parent)

    def relative_to_include(self, name: Any = None) -> str:
        return Path(os.path.relpath(self.context.unit_dir, self._include_base(name))).as_posix()

    def relative_from_include(self, name: Any = None) -> str:
        return Path(os.path.relpath(self._include_base(name), self.context.unit_dir)).as_posix()

    def _include_base(self, name: Any) -> Path:
        """The folder of the include in question: this file's own when it is included, else
        the unit's include named ``name`` (or its first), else the unit's folder."""
        if self.include_dir is not None:
            return self.include_dir
        found = [f for n, f in self.includes().items() if isinstance(f, ConfigFile)
                 and (name is None or n == name)]
        return found[0].path.parent if found else self.context.unit_dir

    def read_config(self, path: Any, default: Any = None) -> Any:
        target = self.file(path, "read_terragrunt_config")
        if isinstance(target, Unknown):
            return default if default is not None else target
        if target in self.chain or len(self.chain) > MAX_DEPTH:
            return Unknown(f"read_terragrunt_config({self.context.display(target)}) reads "
                           "itself (cycle)")
        other = ConfigFile(target, self.context, self.chain)
        return ConstMapping({"locals": other.locals, "inputs": other.inputs(),
                             **{k: other.eval(a.expr) for k, a in other.attributes.items()
                                if k != "inputs"}})

    def file(self, path: Any, what: str) -> Path | Unknown:
        """The file ``path`` names (relative: to this file's folder), when it is inside the
        scanned tree and readable."""
        if isinstance(path, Unknown):
            return Unknown(f"{what}: path unknown ({path.reason})")
        if not isinstance(path, str):
            return Unknown(f"{what}: path is not a string")
        target = Path(path) if os.path.isabs(path) else self.path.parent / path
        if not self.context.tree.inside(target):
            return Unknown(f"{what}({path!r}) not read: it lies outside the scanned tree")
        if not target.is_file():
            return Unknown(f"{what}({path!r}): no such file")
        return target.resolve()

    # ----- includes and dependencies -----
    def includes(self) -> dict[str, ConfigFile | Unknown]:
        if self._includes is None:
            self._includes = {}
            for block in self.of_type("include"):
                name = block.labels[0] if block.labels else ""
                self._includes[name] = self._include(block)
        return self._includes

    def _include(self, block: Any) -> ConfigFile | Unknown:
        attr = block.attributes.get("path")
        if attr is None:
            return Unknown("include without a path")
        target = self.file(self.eval(attr.expr), "include")
        if isinstance(target, Unknown) or target in self.chain or len(self.chain) > MAX_DEPTH:
            reason = target.reason if isinstance(target, Unknown) else "include cycle"
            self.context.notes.append(f"{self.context.display(self.path)}:{block.line}: "
                                      f"include not read: {reason}")
            return Unknown(reason)
        found = ConfigFile(target, self.context, self.chain, include_dir=target.parent)
        found.exposed = _bool(block.attributes.get("expose"), self)
        strategy = block.attributes.get("merge_strategy")
        found.merge = self.eval(strategy.expr) if strategy is not None else "shallow"
        if found.merge not in ("shallow", "no_merge"):
            self.context.notes.append(f"{self.context.display(self.path)}:{block.line}: include "
                                      f"merge_strategy {found.merge!r} read as shallow")
        return found

    def dependency(self, block: Any) -> Any:
        name = block.labels[0]
        path = block.attributes.get("config_path")
        where = f" ({self.eval(path.expr)})" if path is not None else ""
        followed = None
        if self.context.scan is not None:  # real outputs beat mocks
            followed = self.context.scan.outputs(self.dependency_folder(block),
                                                 f"dependency {name}{where}")
            if isinstance(followed, Mapping):
                return ConstMapping({"outputs": followed})
        mocks = block.attributes.get("mock_outputs")
        if self.context.mock_outputs and mocks is not None:
            value = self.eval(mocks.expr)
            if isinstance(value, Mapping):
                return ConstMapping({"outputs": value})
        why = (f"dependency {name}{where}: its outputs are known only after it is applied"
               + (f" ({followed.reason})" if isinstance(followed, Unknown) else "")
               + ("; --terragrunt-mock-outputs would use its mock_outputs"
                  if mocks is not None else ""))
        return ConstMapping({"outputs": UnknownObject(why)})

    def dependency_folder(self, block: Any) -> Path | None:
        """The folder (resolved) ``block``'s ``config_path`` names, relative to the unit, when
        it is known and inside the scanned tree."""
        attr = block.attributes.get("config_path")
        path = self.eval(attr.expr) if attr is not None else None
        if not isinstance(path, str):
            return None
        target = Path(path) if os.path.isabs(path) else self.context.unit_dir / path
        return real(target) if self.context.tree.inside(target) else None

    def inputs(self) -> Any:
        attr = self.attributes.get("inputs")
        return self.eval(attr.expr) if attr is not None else {}


TERRAGRUNT_ONLY = {
    "run_cmd": "hadr-lint never runs a command",
    "sops_decrypt_file": "secrets are never decrypted",
    "get_aws_account_id": "known only with AWS credentials",
    "get_aws_caller_identity_arn": "known only with AWS credentials",
    "get_aws_caller_identity_user_id": "known only with AWS credentials",
    "get_terraform_command": "known only when terragrunt runs",
    "get_terraform_cli_args": "known only when terragrunt runs",
    "get_platform": "known only when terragrunt runs",
    "get_repo_root": "not supported",
    "get_path_from_repo_root": "not supported",
    "get_path_to_repo_root": "not supported",
    "get_working_dir": "known only when terragrunt runs",
    "mark_as_read": "not supported",
    "read_tfvars_file": "not supported",
}


def _get_env(name: Any = None, default: Any = None) -> Any:
    if default is not None:
        return default
    return Unknown(f"get_env({name!r}) has no default: the environment is never read "
                   "(a scan must not depend on it)")


def _bool(attr: Any, scope: ConfigFile) -> bool:
    return attr is not None and scope.eval(attr.expr) is True


def _exposed(found: Any) -> Any:
    if isinstance(found, Unknown):
        return UnknownObject(found.reason)
    if not getattr(found, "exposed", False):
        return UnknownObject("the include is not exposed (expose = true)")
    return ConstMapping({"locals": found.locals, "inputs": found.inputs()})


def _parse(path: Path, context: Context) -> tuple[dict, list]:
    """Attributes and blocks of ``path``, parsed once per scan (a root.hcl every unit
    includes) and kept in the parse cache."""
    if str(path) not in context.parsed:
        context.parsed[str(path)] = _parse_file(path, context)
    found, lines, error = context.parsed[str(path)]
    if lines is not None:
        context.lines[str(path)] = lines
    if error is not None:
        context.errors.append(error)
        return {}, []
    return found


def _parse_file(path: Path, context: Context) -> tuple[Any, list[str] | None, Any]:
    shown = context.display(path)
    try:
        text = read_source(path, context.max_file_size)
        lines = text.splitlines() if mentions(text) else None
        entry = cache.key("hcl", "parse_body", str(path), cache.digest(text))
        return cache.memo(entry, lambda: parse_body(text, str(path))), lines, None
    except HclSyntaxError as exc:
        return None, None, (shown, exc.line, f"HCL syntax error: {exc}")
    except (FileTooLarge, UnicodeDecodeError, OSError) as exc:
        return None, None, (shown, None, f"cannot read: {exc}")


# ----- a unit: its config merged with its includes ----------------------------------------------

def read_unit(config: Path, context: Context) -> Unit:
    """The unit of ``config`` (a ``terragrunt.hcl``): module folder, inputs and providers."""
    unit = ConfigFile(config.resolve(), context)
    included = [f for f in unit.includes().values() if isinstance(f, ConfigFile)]
    layers = [f for f in included if f.merge != "no_merge"] + [unit]
    inputs: dict[str, Any] = {}
    source_attr, source_of, where = None, unit, None
    generates: dict[str, tuple[Any, ConfigFile]] = {}
    for layer in layers:  # includes first: the unit's own settings win (shallow merge)
        value = layer.inputs()
        if isinstance(value, Mapping):
            inputs.update(value)
        elif isinstance(value, Unknown):
            context.notes.append(f"{context.display(layer.path)}: inputs unknown: "
                                 f"{value.reason}")
        for block in layer.of_type("terraform"):
            if "source" in block.attributes:
                source_attr, source_of, where = block.attributes["source"], layer, block
        for block in layer.of_type("generate"):
            generates[block.labels[0] if block.labels else ""] = (block, layer)
    source = source_of.eval(source_attr.expr) if source_attr is not None else None
    module, text, why = _module_folder(source, unit)
    return Unit(dir=unit.path.parent, config=unit.path,
                included=tuple(f.path for f in included), module=module, source=text, why=why,
                inputs=inputs, providers=_generated_providers(generates.values(), context),
                suppressions=tuple(_suppressions(unit, context)), **_lines(where, unit))


def _lines(block: Any, unit: ConfigFile) -> dict[str, int]:
    """Where the unit's module is named: its terraform block, or the unit's first line when
    the block is in an included file."""
    if block is None:
        return {}
    if block.file == str(unit.path):
        return {"line": block.line, "end_line": block.end_line}
    return {"line": 1, "end_line": 1}


def _module_folder(source: Any, unit: ConfigFile) -> tuple[Path | None, str, str]:
    """(module folder or None, source text, why it is not loaded)."""
    context = unit.context
    if source is None:  # no source: the unit's own .tf files are the module
        return unit.path.parent, ".", ""
    if isinstance(source, Unknown):
        return None, "?", f"its terraform source is unknown ({source.reason})"
    if not isinstance(source, str):
        return None, "?", "its terraform source is not a string"
    if source.startswith(REMOTE_PREFIXES) or "::" in source or "://" in source:
        cached = _from_cache(source, unit.path.parent)
        if cached is not None and context.tree.inside(cached):
            return cached, source, ""
        return None, source, ("remote sources are never fetched (after terragrunt init, "
                              "hadr-lint reads them from .terragrunt-cache)")
    base, _, sub = source.partition("?")[0].partition("//")  # modules//app: app below modules
    folder = Path(base) if os.path.isabs(base) else unit.path.parent / base
    folder = folder / sub if sub else folder
    if not context.tree.inside(folder):
        return None, source, "it lies or links outside the repository (or the scanned folder)"
    if not folder.is_dir():
        return None, source, "no such folder"
    return folder.resolve(), source, ""


def _from_cache(source: str, unit_dir: Path) -> Path | None:
    """The one copy of a remote source in ``.terragrunt-cache/<hash>/<hash>/``, if there is
    exactly one; its ``//subdir`` followed."""
    rest = source.split("://", 1)[-1].split("::", 1)[-1]
    sub = rest.split("?", 1)[0].partition("//")[2]
    copies = [p for p in sorted((unit_dir / ".terragrunt-cache").glob("*/*")) if p.is_dir()]
    if len(copies) != 1:
        return None
    folder = copies[0] / sub if sub else copies[0]
    return folder if folder.is_dir() else None


def _generated_providers(generates: Any, context: Context) -> dict[str, Any]:
    """Provider configurations from ``generate`` blocks' ``contents``: regions as written (a
    literal, or an interpolation evaluated above), unknown with a reason otherwise."""
    found: dict[str, Any] = {}
    for block, layer in generates:
        attr = block.attributes.get("contents")
        if attr is None:
            continue
        shown = f"{context.display(layer.path)}:{block.line}"
        text = layer.eval(attr.expr)
        if isinstance(text, Unknown):
            if '"aws"' in _source_text(attr.expr):
                reason = f"generated provider ({shown}) unknown: {text.reason}"
                found["aws"] = ProviderConfig(constant(Unknown(reason)), None)
            continue
        if not isinstance(text, str) or "provider" not in text:
            continue
        try:
            blocks = _parse_generated(text, str(layer.path))
        except HclSyntaxError:
            context.notes.append(f"{shown}: generated contents are not HCL: not read")
            continue
        for provider in (b for b in blocks if b.type == "provider" and b.labels):
            found[_provider_key(provider)] = ProviderConfig(_region(provider, shown), None)
    return found


def _parse_generated(text: str, file: str) -> list[Any]:
    entry = cache.key("hcl", "parse_blocks", file, cache.digest(text))
    return cache.memo(entry, lambda: parse_blocks(text, file))


def _source_text(expr: Any) -> str:
    return expression_text(expr, 100_000)


def _provider_key(block: Any) -> str:
    alias = block.attributes.get("alias")
    if alias is not None and isinstance(alias.expr, Literal):
        return f"{block.labels[0]}.{alias.expr.value}"
    if alias is not None:
        return f"{block.labels[0]}.{evaluate(alias.expr, _NoNames())}"
    return block.labels[0]


def _region(block: Any, shown: str) -> Callable[[], Any]:
    attr = block.attributes.get("region")
    if attr is None:
        return lambda: Unknown(f"generated provider {block.labels[0]} ({shown}) sets no region")
    value = evaluate(attr.expr, _NoNames())
    if isinstance(value, Unknown):
        value = Unknown(f"generated provider {block.labels[0]} ({shown}): region "
                        f"unknown ({value.reason})")
    return lambda: value


class _NoNames:
    def lookup(self, name: str) -> Any:
        raise KeyError(name)


def _suppressions(unit: ConfigFile, context: Context) -> list[Any]:
    """``# hadr-lint:ignore`` comments above (or inside) the unit's ``terraform`` block or an
    attribute (``inputs``): they apply to every resource of the unit."""
    lines = context.lines.get(str(unit.path))
    if not lines:
        return []
    shown = context.display(unit.path)
    target = context.display(unit.path.parent)
    found = []
    for block in unit.of_type("terraform"):
        found += comment_suppressions(lines, block.line, block.end_line, shown, target)
    for attr in unit.attributes.values():
        found += comment_suppressions(lines, attr.line, attr.line, shown, target)
    return [replace(s, via=target) for s in dict.fromkeys(found)]


# ----- loading ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Units:
    """The units of a scan and what reading their configurations said."""

    units: tuple[Unit, ...]
    notes: tuple[str, ...]
    errors: tuple[tuple[str, int | None, str], ...]
    scan: Scan | None = field(default=None, compare=False)  # their module instances

    def module_folders(self) -> set[Path]:
        """Folders loaded through a unit: not loaded again as Terraform roots."""
        return {u.module for u in self.units if u.module is not None} | {
            u.dir for u in self.units}


@dataclass
class Loaded:
    """A unit's module instance, built once: for its resources and for its outputs."""

    root: Any  # ModuleInstance
    state: Any  # LoadState


@dataclass
class Scan:
    """The units of one scan (built per scan, never shared): the units read so far and their
    module instances, which the ``dependency`` blocks of later units follow."""

    display: Callable[[Path], str]
    reader: Any = None  # FolderReader; None: dependency outputs are not followed
    folders: set[Path] = field(default_factory=set)  # every unit of the scan, resolved
    cyclic: dict[Path, str] = field(default_factory=dict)  # a unit in a cycle -> the cycle
    units: dict[Path, Unit] = field(default_factory=dict)  # read so far
    loaded: dict[Path, Loaded | Unknown] = field(default_factory=dict)

    def outputs(self, folder: Path | None, label: str) -> Mapping | Unknown | None:
        """The outputs of the unit in ``folder`` for ``dependency`` block ``label``; None
        when no unit of the scan is there, Unknown when its module is not loaded (then
        mocks, or unknown)."""
        if folder is None or folder not in self.folders or self.reader is None:
            return None
        unit = self.units.get(folder)
        if folder in self.cyclic or unit is None:
            cycle = self.cyclic.get(folder, self.display(folder))
            return UnknownObject(f"{label}: its outputs are not followed: the units depend on "
                                 f"each other in a cycle ({cycle})")
        loaded = self.instance(unit)
        if isinstance(loaded, Unknown):
            return loaded
        return DependencyOutputs(loaded.root.outputs(), f"{self.display(unit.dir)}::", label)

    def instance(self, unit: Unit) -> Loaded | Unknown:
        if unit.dir not in self.loaded:
            self.loaded[unit.dir] = _instantiate(unit, self.reader)
        return self.loaded[unit.dir]


def _instantiate(unit: Unit, reader: Any) -> Loaded | Unknown:
    """``unit``'s module instance, given its inputs and generated providers."""
    # start-up: module.py loads hcl2 (~20 ms), only when a unit is evaluated (not from cache)
    from hadr_lint.loaders.terraform.module import LoadState, ModuleInstance

    if unit.module is None:
        return Unknown(f"its module {unit.source} is not loaded: {unit.why}")
    files = reader(unit.module)
    if files is None:
        return Unknown(f"its module {unit.source} is not loaded: no Terraform files in "
                       f"{reader.display(unit.module)}")
    state = LoadState(read_module=reader, display=reader.display, tree=reader.tree)
    inputs = {name: constant(value) for name, value in unit.inputs.items()}
    root = ModuleInstance(state, files, ("", ""), inputs, dict(unit.providers), (files.dir,))
    return Loaded(root, state)


class DependencyOutputs(Mapping):
    """``dependency.NAME.outputs`` of a unit in the scan: each output evaluated (on first use)
    in the dependency's module instance, its Refs namespaced like the dependency's resources."""

    def __init__(self, outputs: Mapping, prefix: str, label: str) -> None:
        self.label = label
        self._values = LazyMapping(list(outputs), lambda k: _foreign(
            outputs[k], prefix, f"{label}: output {k}"), "outputs")

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def missing(self, name: str) -> Unknown:
        return Unknown(f"{self.label}: its module declares no output {name!r}")


def _foreign(value: Any, prefix: str, label: str) -> Any:
    """``value`` as another unit sees it: Refs (and undefined addresses) carry the unit's
    namespace ``prefix``; an unknown says which output it is."""
    if isinstance(value, Ref):
        return Ref(prefix + value.address, value.attribute)
    if isinstance(value, Prefixed):
        return replace(value, ref=_foreign(value.ref, prefix, label))
    if isinstance(value, FirewallEndpoint):
        return replace(value, firewall=prefix + value.firewall,
                       subnet=_foreign(value.subnet, prefix, label))
    if isinstance(value, Unordered):
        return Unknown(f"{label}: {value.reason}")
    if isinstance(value, Undefined):
        return replace(value, address=prefix + value.address)
    if type(value) is Unknown:
        return Unknown(f"{label}: {value.reason}", kind=value.kind)
    if isinstance(value, list):
        return [_foreign(v, prefix, label) for v in value]
    if isinstance(value, ResourceObject):
        return ResourceObject(prefix + value.address, list(value),
                              lambda k: _foreign(value[k], prefix, label))
    if isinstance(value, Mapping) and not isinstance(value, UnknownObject):
        return {k: _foreign(v, prefix, label) for k, v in value.items()}
    return value


def read_units(configs: list[Path], tree: Any, display: Callable[[Path], str],
               mock_outputs: bool = False, max_file_size: int = 5_000_000,
               reader: Any = None) -> Units:
    """The units of the ``terragrunt.hcl`` files ``configs``; a file another one includes
    (a root ``terragrunt.hcl``) is configuration, not a unit. Units are read dependencies
    first; with a ``reader`` (FolderReader), a dependency on a unit of the scan follows its
    outputs."""
    parsed: dict[str, Any] = {}
    scan = Scan(display, reader)
    files = {c.resolve().parent: c.resolve() for c in configs}
    contexts = {f: Context(f, tree, display, mock_outputs, max_file_size, parsed=parsed,
                           scan=scan) for f in files}
    scan.folders = set(contexts)
    needs = {f: _dependency_folders(files[f], ctx) for f, ctx in contexts.items()}
    order, scan.cyclic = _order(needs, display)
    found: dict[Path, tuple[Unit, Context]] = {}
    for folder in order:
        unit = read_unit(files[folder], contexts[folder])
        scan.units[folder] = unit
        found[folder] = (unit, contexts[folder])
    ordered = [found[c.resolve().parent] for c in configs]  # as discovered
    included = {p for u, _ in ordered for p in u.included}
    kept = [(u, c) for u, c in ordered if u.config not in included]
    notes = [n for _, c in kept for n in c.notes]
    errors = [e for _, c in ordered for e in c.errors]  # syntax errors of every file
    return Units(tuple(u for u, _ in kept), tuple(dict.fromkeys(notes)),
                 tuple(dict.fromkeys(errors)), scan)


def _dependency_folders(config: Path, context: Context) -> list[Path]:
    """The folders the unit's ``dependency`` blocks (its own and its includes') name."""
    unit = ConfigFile(config, context)
    files = [unit, *(f for f in unit.includes().values() if isinstance(f, ConfigFile))]
    found = [f.dependency_folder(b) for f in files for b in f.of_type("dependency")]
    return [p for p in found if p is not None]


def _order(needs: dict[Path, list[Path]], display: Callable[[Path], str]
           ) -> tuple[list[Path], dict[Path, str]]:
    """Unit folders, each after the units it depends on; and the units in a cycle, each
    with the cycle shown."""
    # start-up: networkx (0.1 s) only when units depend on each other
    import networkx as nx

    graph: nx.DiGraph[Path] = nx.DiGraph()
    graph.add_nodes_from(needs)
    graph.add_edges_from((f, d) for f, folders in needs.items() for d in folders if d in needs)
    cyclic: dict[Path, str] = {}
    for group in nx.strongly_connected_components(graph):
        if len(group) > 1 or any(graph.has_edge(n, n) for n in group):
            shown = ", ".join(sorted(display(n) for n in group))
            cyclic.update(dict.fromkeys(group, shown))
    return list(nx.dfs_postorder_nodes(graph)), cyclic


def module_resource(unit: Unit, shown: str) -> Any:
    """A unit whose module was not loaded, as a resource of type ``module`` with its inputs,
    like a Terraform module call that was not loaded: popular registry modules are then
    mapped by ``hadr_lint.normalise.registry_modules`` (``tfr:///ns/name/aws`` as
    ``ns/name/aws``)."""
    provider = unit.providers.get("aws")
    region = provider() if provider is not None else Unknown(
        "no region configured for provider aws")
    source = unit.source
    if source.startswith("tfr://"):
        source = source.removeprefix("tfr://").lstrip("/")
    return Resource(
        address=f"module.{unit.dir.name}", name=f"module.{unit.dir.name}", type="module",
        location=Location(shown, unit.line, unit.end_line), raw=dict(unit.inputs),
        region=region, source="terraform", module="",
        meta={"source": source, "not_loaded": unit.why, "module_key": "",
              "suppressions": list(unit.suppressions)})


def load_unit(unit: Unit, reader: Any, scan: Scan | None = None) -> Any:
    """The resources of ``unit``'s module, given its inputs and generated providers (its
    module instance built once per scan: ``scan``)."""
    shown = reader.display(unit.config)
    if unit.module is None:  # the unit's file was read: it counts as scanned
        found = (module_resource(unit, shown),) if unit.line else ()
        return LoadResult(resources=found, files=(shown,),
                          notes=(f"{shown}: module {unit.source} not loaded: {unit.why}",))
    loaded = scan.instance(unit) if scan is not None and scan.reader is reader else \
        _instantiate(unit, reader)
    if isinstance(loaded, Unknown):
        return LoadResult(notes=(f"{shown}: module {unit.source} not loaded: no Terraform "
                                 f"files in {reader.display(unit.module)}",), files=(shown,))
    resources = tuple(loaded.root.resources())
    if unit.suppressions:
        resources = tuple(inherit(list(resources), list(unit.suppressions)))
    state = loaded.state
    errors = tuple(LoadError(f, line, m) for f, line, m in state.errors)
    files_shown = tuple(sorted({r.location.file for r in resources} | {shown}))
    return LoadResult(resources=resources, errors=errors, notes=tuple(state.notes),
                      files=files_shown)
