"""The declared recovery objectives of each workload, and which resources form each workload.

Where objectives come from, weakest first; each key (strategy, rpo, rto, primary_region,
dr_regions) is taken from the strongest source that sets it:

1. ``objectives:`` in ``.hadr-lint.yaml`` (the default workload);
2. the ``workloads:`` entry whose ``path`` (relative to the config file's folder) holds the
   resource's file; the longest matching path wins;
3. a CloudFormation template's ``Metadata: {HadrLint: {Strategy, RPO, RTO}}``, for the resources
   of that template (the template is then a workload of its own);
4. ``--strategy``, ``--rpo``, ``--rto`` on the command line, for every workload.

A workload is named by its most specific source: the template file, the workload path, or
``default``. Workload-level findings (OB001, OB002, building blocks no resource stands for) point
where the workload is declared (``Workload.declared_at``): the most specific declaration that is
written in a file (the template's ``Metadata: HadrLint`` line, the ``workloads:`` entry's line,
the ``objectives:`` line of the configuration), else (declared on the command line only, or not
at all) the workload's root folder: the deepest folder holding all its files. Values are
validated where they are read (``validate``): an invalid value is an error naming the key path,
never ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint.model import WORKLOAD_TYPE, Location, Resource
from hadr_lint.objectives.durations import DurationError, parse_duration
from hadr_lint.objectives.strategies import NAMES
from hadr_lint.text import FileTooLarge, read_source
from hadr_lint.tree import display_path

KEYS = ("strategy", "rpo", "rto", "primary_region", "dr_regions")
ALIASES = {"primaryregion": "primary_region", "drregions": "dr_regions"}
STRATEGY_ALIASES = {
    "backup-and-restore": "backup-restore", "backup-restore": "backup-restore",
    "pilot-light": "pilot-light", "warm-standby": "warm-standby",
    "active-active": "active-active", "multi-site": "active-active",
    "multi-site-active-active": "active-active",
}


class ObjectivesError(ValueError):
    """An invalid declared objective; the message names the key path."""


@dataclass(frozen=True)
class Declared:
    """Declared objectives; seconds for rpo/rto; ``sources`` says where each key came from."""

    strategy: str | None = None
    rpo: float | None = None
    rto: float | None = None
    primary_region: str | None = None
    dr_regions: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.strategy is None and self.rpo is None and self.rto is None

    def missing(self) -> list[str]:
        names = (("strategy", self.strategy), ("RPO", self.rpo), ("RTO", self.rto))
        return [name for name, value in names if value is None]


@dataclass(frozen=True)
class Workload:
    name: str
    declared: Declared
    resources: tuple[Resource, ...]
    declared_at: Location = Location("", 0)  # see the module docstring



def workload_anchor(workload: Workload) -> Resource:
    """The workload itself as what a finding is on: named ``workload NAME``, located where it is
    declared (line 1 for a folder or a file without a line: every output needs a line)."""
    where = workload.declared_at
    return Resource(address=f"workload:{workload.name}", name=f"workload {workload.name}",
                    type=WORKLOAD_TYPE, location=Location(where.file, where.line or 1,
                                                          where.line or 1),
                    source="hadr-lint")


def validate(data: Any, where: str) -> dict[str, Any]:
    """``data`` (an objectives mapping) checked and normalised: lower-case keys, durations in
    seconds, a canonical strategy name. ``where`` is the key path used in error messages."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ObjectivesError(f"{where} must be a mapping of strategy, rpo, rto, "
                              f"primary_region, dr_regions")
    out: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = str(raw_key).lower()
        key = ALIASES.get(key, key)
        if key not in KEYS:
            raise ObjectivesError(f"{where}.{raw_key}: unknown key; known: {', '.join(KEYS)}")
        out[key] = _value(key, value, f"{where}.{raw_key}")
    return out


def _value(key: str, value: Any, where: str) -> Any:
    if key == "strategy":
        name = str(value).lower().replace("_", "-").replace(" ", "-") \
            if isinstance(value, str) else None
        if name not in STRATEGY_ALIASES:
            raise ObjectivesError(f"{where}: {value!r} is not a strategy; use one of "
                                  f"{', '.join(NAMES)}")
        return STRATEGY_ALIASES[name]
    if key in ("rpo", "rto"):
        try:
            return parse_duration(value)
        except DurationError as exc:
            raise ObjectivesError(f"{where}: {exc}") from None
    if key == "primary_region":
        if not isinstance(value, str) or not value:
            raise ObjectivesError(f"{where}: expected a region name such as us-east-1")
        return value
    if isinstance(value, str):
        value = [value]
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ObjectivesError(f"{where}: expected a list of region names")
    return tuple(value)


def validate_workloads(data: Any, where: str = "workloads") -> list[dict[str, Any]]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ObjectivesError(f"{where} must be a list of {{path, objectives}}")
    out = []
    for index, item in enumerate(data):
        here = f"{where}[{index}]"
        if not isinstance(item, Mapping):
            raise ObjectivesError(f"{here} must be a mapping with path and objectives")
        extra = sorted(set(item) - {"path", "objectives", "name"})
        if extra:
            raise ObjectivesError(f"{here}.{extra[0]}: unknown key; known: path, objectives")
        path = item.get("path")
        if not isinstance(path, str) or not path.strip():
            raise ObjectivesError(f"{here}.path: expected a folder path relative to the "
                                  f"configuration file")
        out.append({"path": path.strip().rstrip("/") or ".",
                    "objectives": validate(item.get("objectives"), f"{here}.objectives")})
    return out


# ----- resolving --------------------------------------------------------------------------------

def config_folder(config: Any) -> Path:
    """The folder workload paths are relative to: the config file's, else the current one."""
    where = getattr(config, "path", None)
    if where and Path(where).is_file():
        return Path(where).resolve().parent
    return Path.cwd().resolve()


def workloads(resources: Iterable[Resource], config: Any) -> list[Workload]:
    """Resources grouped by workload, each with its declared objectives; sorted by name with
    ``default`` first. Resources of no kind (``other``) still belong to a workload."""
    base = config_folder(config)
    entries = [(e, (base / e["path"]).resolve()) for e in _workload_entries(config)]
    templates = dict(getattr(config, "template_objectives", {}) or {})
    groups: dict[str, list[Resource]] = {}
    declared: dict[str, Declared] = {}
    names: dict[str, str] = {}  # file -> workload name: resolve() each file once, not per resource
    for resource in resources:
        file = resource.location.file
        if file not in names:
            entry = _best_entry(Path(file).resolve(), entries)
            names[file] = file if file in templates else (entry["path"] if entry else "default")
            if names[file] not in declared:
                declared[names[file]] = _resolve(config, entry, templates.get(file), file)
        groups.setdefault(names[file], []).append(resource)
    ordered = sorted(groups, key=lambda n: (n != "default", n))
    return [Workload(n, declared[n], tuple(sorted(groups[n], key=lambda r: r.address)),
                     _declared_at(n, groups[n], config, templates))
            for n in ordered]


def _declared_at(name: str, resources: list[Resource], config: Any,
                 templates: Mapping[str, Any]) -> Location:
    """Where workload ``name`` is declared (see the module docstring)."""
    if name in templates:
        return Location(name, dict(getattr(config, "template_lines", {}) or {}).get(name, 1))
    lines = dict(getattr(config, "key_lines", {}) or {})
    where = getattr(config, "path", None)
    # the file as findings name files; None for a configuration given as data
    where = display_path(Path(where)) if where and Path(where).is_file() else None
    if where and name != "default":
        for index, entry in enumerate(_workload_entries(config)):
            if entry["path"] == name:
                return Location(where, lines.get(("workloads", index), 1))
    if where and getattr(config, "objectives", None):
        return Location(where, lines.get(("objectives",), 1))
    return Location(root_folder(resources), 0)


def root_folder(resources: Iterable[Resource]) -> str:
    """The deepest folder that holds every file of ``resources`` (as the files are written)."""
    import os.path

    folders = sorted({os.path.dirname(r.location.file) or "." for r in resources})
    if not folders:
        return "."
    try:
        return os.path.commonpath(folders) or "."
    except ValueError:  # absolute and relative paths mixed
        return folders[0]


def metadata_line(template: Path, max_size: int) -> int:
    """The line of a template's ``HadrLint`` metadata key (1 when it cannot be found)."""
    import re

    try:
        text = read_source(template, max_size)
    except (OSError, ValueError, FileTooLarge):
        return 1
    key = re.compile(r"""(^|[\s{,])["']?HadrLint["']?\s*:""")
    return next((n for n, line in enumerate(text.splitlines(), 1) if key.search(line)), 1)


def declared_for(file: Path, config: Any) -> Declared:
    """The objectives the configuration (and the command line) declares for ``file``, before
    any template is read: its ``Metadata: HadrLint`` is not taken into account."""
    base = config_folder(config)
    entries = [(e, (base / e["path"]).resolve()) for e in _workload_entries(config)]
    return _resolve(config, _best_entry(file.resolve(), entries), None, str(file))


def _workload_entries(config: Any) -> list[dict[str, Any]]:
    return validate_workloads(list(getattr(config, "workloads", ()) or ()) or None)


def _best_entry(file: Path, entries: list[tuple[dict, Path]]) -> dict | None:
    best = None
    for entry, folder in entries:
        if file == folder or folder in file.parents:
            if best is None or len(folder.parts) > len(best[1].parts):
                best = (entry, folder)
    return best[0] if best else None


def _resolve(config: Any, entry: dict | None, template: Any, file: str) -> Declared:
    layers = [(validate(getattr(config, "objectives", None) or None, "objectives"),
               "objectives in the configuration")]
    if entry is not None:
        layers.append((entry["objectives"], f"workload {entry['path']} in the configuration"))
    if template:
        layers.append((validate(template, f"{file}: Metadata.HadrLint"),
                       f"{file} Metadata HadrLint"))
    overrides = getattr(config, "objective_overrides", None) or {}
    layers.append((validate(overrides or None, "command line"), "command line"))
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer, source in layers:
        for key, value in layer.items():
            values[key] = value
            sources[key] = source
    return Declared(
        strategy=values.get("strategy"), rpo=values.get("rpo"), rto=values.get("rto"),
        primary_region=values.get("primary_region"),
        dr_regions=tuple(values.get("dr_regions") or ()), sources=sources,
    )
