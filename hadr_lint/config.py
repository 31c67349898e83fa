"""``.hadr-lint.yaml``: found beside the scanned paths (up to the repository root) or given."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hadr_lint.analysis.store_classes import CLASSES
from hadr_lint.model import SEVERITIES
from hadr_lint.objectives.declare import ObjectivesError, validate, validate_workloads
from hadr_lint.objectives.durations import DurationError, parse_duration
from hadr_lint.objectives.estimate import RECOVERY_STEPS
from hadr_lint.objectives.strategies import NAMES
from hadr_lint.rulebase import all_rules, unknown_ids
from hadr_lint.suppress import pseudo_rules
from hadr_lint.text import FileTooLarge, read_source
from hadr_lint.tree import real

MAX_CONFIG_SIZE = 1_000_000

CONFIG_NAMES = (".hadr-lint.yaml", ".hadr-lint.yml")
FAIL_ON = ("error", "warning", "note", "never")
KEYS = {
    "min_azs", "select", "ignore", "severity", "exclude", "fail_on", "objectives",
    "workloads", "max_file_size", "strategies", "recovery_steps", "stack_names", "template_urls",
    "store_classes",
}


class ConfigError(Exception):
    """A bad configuration; ``keys``, when set, is the key path of the bad value (the file's
    line is found from it)."""

    def __init__(self, message: str, keys: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.keys = keys


@dataclass(frozen=True)
class Config:
    min_azs: int = 3
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    fail_on: str = "warning"
    objectives: Mapping[str, Any] = field(default_factory=dict)
    workloads: tuple[Mapping[str, Any], ...] = ()
    max_file_size: int = 5_000_000
    strategies: Mapping[str, Any] = field(default_factory=dict)
    recovery_steps: Mapping[str, Any] = field(default_factory=dict)
    stack_names: Mapping[str, str] = field(default_factory=dict)  # template path -> stack
    template_urls: Mapping[str, str] = field(default_factory=dict)  # URL prefix -> folder
    store_classes: Mapping[str, str] = field(default_factory=dict)  # resource -> class
    path: str | None = None
    # Key path -> the line it is written on in the file (``workloads`` entries, ``objectives``):
    # where workload-level findings point (hadr_lint.objectives.declare).
    key_lines: Mapping[tuple[Any, ...], int] = field(default_factory=dict)
    # Set by the scan, not read from the file: template Metadata HadrLint per file, and the
    # --strategy/--rpo/--rto values (hadr_lint.objectives.declare resolves them).
    template_objectives: Mapping[str, Any] = field(default_factory=dict)
    template_lines: Mapping[str, int] = field(default_factory=dict)  # file -> HadrLint line
    objective_overrides: Mapping[str, Any] = field(default_factory=dict)


def find_config(start: Path, stop: Path | None = None) -> Path | None:
    """The nearest config file from ``start`` up to ``stop`` (default: the repository root, a
    folder holding ``.git``), both included."""
    folder = real(start)
    if folder is None:  # a link loop
        return None
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        if (candidate / ".git").exists() or candidate == stop:
            return None
    return None


def search_boundary(path: Path) -> Path:
    """Where the search for ``path``'s configuration stops: the enclosing git work tree's root;
    without git, the current folder when ``path`` is below it, else the scanned folder (as
    given, for a path that cannot be resolved: a link loop, which the scan reports)."""
    where = real(path) or Path(os.path.abspath(path))
    folder = where if where.is_dir() else where.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    cwd = Path.cwd().resolve()
    return cwd if cwd == folder or cwd in folder.parents else folder


@dataclass(frozen=True)
class ConfigGroup:
    """Scan paths judged under one configuration file (None: the defaults); ``prune``: folders
    below them that have a configuration of their own (another group)."""

    config: Path | None
    paths: tuple[Path, ...]
    prune: tuple[Path, ...] = ()


def config_groups(paths: tuple[Path, ...], skip: frozenset[str] = frozenset()) -> list[ConfigGroup]:
    """Each file under the nearest configuration between its folder and the search boundary
    (``search_boundary``), as ruff does: a folder with a configuration of its own inside a
    scanned folder is scanned under it. The groups do not depend on the order of ``paths``."""
    groups: dict[Path | None, tuple[list[Path], list[Path]]] = {}

    def add(config: Path | None, path: Path, prune: list[Path]) -> None:
        found, pruned = groups.setdefault(config, ([], []))
        found.append(path)
        pruned.extend(prune)

    for path in paths:
        nested = _nested_configs(path, skip) if path.is_dir() else {}
        add(find_config(path, search_boundary(path)), path, list(nested))
        for folder, config in nested.items():
            add(config, folder, [f for f in nested if folder in f.parents])
    ordered = sorted(groups.items(), key=lambda item: str(item[0] or ""))
    return [ConfigGroup(config, tuple(found), tuple(dict.fromkeys(pruned)))
            for config, (found, pruned) in ordered]


def _nested_configs(folder: Path, skip: frozenset[str]) -> dict[Path, Path]:
    """Folder -> its configuration file, for the folders strictly below ``folder``."""
    import os

    found = {}
    for base, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        if Path(base) == folder:
            continue
        name = next((n for n in CONFIG_NAMES if n in files), None)
        if name:
            found[Path(base)] = Path(base) / name
    return found


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    import yaml  # start-up: only when a configuration file is read (yaml costs ~10 ms)

    try:
        text = _read(path)
        data = yaml.safe_load(text) or {}
        twice = duplicate_keys(text)
    except (OSError, yaml.YAMLError, RecursionError, UnicodeDecodeError, FileTooLarge) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if twice:
        keys, line, message = twice[0]
        raise ConfigError(f"{path}:{line}: {_key_text(keys)}: {message}")
    try:
        found = parse_config(data, str(path))
        return replace(found, key_lines=_declaration_lines(key_lines(text)))
    except ConfigError as exc:
        if not exc.keys:
            raise
        line = line_of(key_lines(text), exc.keys)
        message = str(exc).removeprefix(f"{path}: ")
        raise ConfigError(f"{path}:{line}: {message}", exc.keys) from None


def _declaration_lines(lines: Mapping[tuple[Any, ...], int]) -> dict[tuple[Any, ...], int]:
    """The lines of ``objectives`` and of each ``workloads`` entry: what findings point at."""
    return {k: v for k, v in lines.items()
            if k == ("objectives",) or (len(k) == 2 and k[0] == "workloads")}


def duplicate_keys(text: str) -> list[tuple[tuple[Any, ...], int, str]]:
    """(key path, line, message) for each key written twice in one mapping: YAML keeps only
    the last, so the first (a whole ``ignore:`` or ``severity:`` block) would silently not
    apply."""
    import yaml  # start-up: only when a configuration file is read

    found: list[tuple[tuple[Any, ...], int, str]] = []
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    todo: list[tuple[tuple[Any, ...], yaml.Node]] = [((), root)] if root is not None else []
    seen: set[int] = set()
    while todo:
        keys, node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key, value in node.value:
                name = getattr(key, "value", None)
                line = key.start_mark.line + 1
                if isinstance(name, str) and name != "<<" and name in first:
                    found.append((keys + (name,), line,
                                  f"duplicate key (also on line {first[name]}): only one "
                                  "would apply"))
                first.setdefault(name, line)
                todo.append((keys + (name,), value))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((keys + (index,), item) for index, item in enumerate(node.value))
    return sorted(found, key=lambda item: item[1])


def _read(path: Path) -> str:
    """A configuration file: a regular file of at most 1 MB (never a FIFO or a device)."""
    return read_source(path, MAX_CONFIG_SIZE)


def parse_config(data: Any, where: str = "configuration") -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the configuration must be a mapping")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(KEYS))}"
        )
    return Config(
        min_azs=_positive_int(data.get("min_azs", 3), "min_azs", where),
        select=_strings(data.get("select"), "select", where),
        ignore=_strings(data.get("ignore"), "ignore", where),
        severity=_severities(data.get("severity") or {}, where),
        exclude=_strings(data.get("exclude"), "exclude", where),
        fail_on=_choice(data.get("fail_on", "warning"), FAIL_ON, "fail_on", where),
        objectives=_objectives(data.get("objectives"), where),
        workloads=tuple(_workloads(data.get("workloads"), where)),
        max_file_size=_positive_int(data.get("max_file_size", 5_000_000), "max_file_size", where),
        strategies=_strategies(data.get("strategies"), where),
        recovery_steps=_recovery_steps(data.get("recovery_steps"), where),
        stack_names=_stack_names(data.get("stack_names"), where),
        template_urls=_template_urls(data.get("template_urls"), where),
        store_classes=_store_classes(data.get("store_classes"), where),
        path=where,
    )


def rule_id_problems(config: Config, known: list[str]) -> list[str]:
    """``unknown rule id ...`` for each entry of ``select``, ``ignore`` (ids or prefixes) and
    ``severity`` (exact ids) that names no rule in ``known``."""
    where = config.path or "configuration"
    found = rule_id_issues(config.select, config.ignore, config.severity, known)
    return [f"{where}: {path[0]}: {message}" for path, message in found]


def rule_id_issues(select: Any, ignore: Any, severity: Any,
                   known: list[str]) -> list[tuple[tuple[Any, ...], str]]:
    """(key path, message) for each rule id or prefix that names no rule in ``known``."""
    found: list[tuple[tuple[Any, ...], str]] = []
    for key, value in (("select", select), ("ignore", ignore)):
        items = [value] if isinstance(value, str) else list(value or ())
        for index, item in enumerate(items):
            if isinstance(item, str):
                found += [((key, index), m) for m in unknown_ids([item], known)]
    for rule_id in severity if isinstance(severity, Mapping) else ():
        found += [(("severity", rule_id), m)
                  for m in unknown_ids([str(rule_id)], known, exact=True)]
    return found


def schema() -> dict[str, Any]:
    """The JSON Schema of the configuration file (hadr_lint/data/config.schema.json)."""
    import json
    from importlib.resources import files

    text = files("hadr_lint").joinpath("data/config.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def check_file(path: Path, known: list[str] | None = None) -> list[str]:
    """Every problem of a configuration file, each as ``FILE:LINE: KEY: message``: the JSON
    Schema's (jsonschema, imported only here), the loader's own checks of each key the schema
    passed, and rule ids that name no rule in ``known`` (default: the installed rules)."""
    import yaml  # start-up: only when a configuration file is checked

    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text)
        lines = key_lines(text)
        twice = duplicate_keys(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        return [f"{where}: cannot read configuration: {exc}"]
    data = {} if data is None else data
    found = _schema_problems(data)
    if isinstance(data, dict):
        failed = {p[0] for p, _ in found if p}
        found += _loader_problems(data, failed, str(path))
        if known is None:
            known = _known_rule_ids()
        found += rule_id_issues(data.get("select"), data.get("ignore"), data.get("severity"),
                                known)
    listed = [(line_of(lines, keys), keys, message) for keys, message in found]
    listed += [(line, keys, message) for keys, line, message in twice]
    listed.sort(key=lambda item: item[0])
    return [f"{path}:{line}: {_key_text(keys)}: {message}" for line, keys, message in listed]


def _schema_problems(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    import jsonschema  # start-up: ~0.1 s, only when a configuration file is checked

    validator = jsonschema.Draft7Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    found = []
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = sorted(error.schema.get("properties", {}))
            found += [(path + (key,), _unknown_key(str(key), known))
                      for key in error.instance if key not in known]
        else:
            found.append((path, _message(error)))
    return found


def _unknown_key(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known keys: {', '.join(known)}"
    return f"unknown key {key} ({hint})"


def _message(error: Any) -> str:
    """jsonschema's message, or the schema's description where the message would only quote a
    regular expression or say "not valid under any of the given schemas"."""
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    if described and error.validator in ("pattern", "oneOf", "anyOf"):
        return f"{error.instance!r} is not {described}"
    return error.message


def _loader_problems(data: dict, failed: set, where: str) -> list[tuple[tuple[Any, ...], str]]:
    """The loader's checks (``parse_config``) of each known key on its own, so that one bad key
    does not hide the next; keys the schema already rejected are left out."""
    found = []
    for key, value in data.items():
        if key in failed or key not in KEYS:
            continue
        try:
            parse_config({key: value}, where)
        except ConfigError as exc:
            message = str(exc).removeprefix(f"{where}: ")
            found.append((exc.keys or (key,), message))
    return found


def _known_rule_ids() -> list[str]:
    return [r.id for r in all_rules() + pseudo_rules()]


def _key_text(keys: tuple[Any, ...]) -> str:
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else str(key)
    return text or "(top level)"


def key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Key path -> the line (1-based) it is written on, from the YAML node tree."""
    import yaml  # start-up: only when a configuration file is read

    lines: dict[tuple[Any, ...], int] = {}
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    todo: list[tuple[tuple[Any, ...], yaml.Node]] = [((), root)] if root is not None else []
    seen: set[int] = set()
    while todo:
        keys, node = todo.pop()
        lines.setdefault(keys, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = keys + (getattr(key, "value", None),)
                lines[here] = key.start_mark.line + 1
                todo.append((here, value))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((keys + (index,), item) for index, item in enumerate(node.value))
    return lines


def line_of(lines: Mapping[tuple[Any, ...], int], keys: tuple[Any, ...]) -> int:
    """The line of ``keys``, else of its longest prefix that has one (1 for the top level)."""
    for size in range(len(keys), 0, -1):
        if keys[:size] in lines:
            return lines[keys[:size]]
    return 1


def _objectives(value: Any, where: str) -> dict[str, Any]:
    try:
        validate(value, "objectives")
    except ObjectivesError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return dict(value or {})


def _workloads(value: Any, where: str) -> list[Any]:
    try:
        validate_workloads(value, "workloads")
    except ObjectivesError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return list(value or [])


def _strategies(value: Any, where: str) -> dict[str, Any]:
    """``{pilot-light: {rpo: 15m, rto: 30m}}``: bounds that replace the reference table's."""
    found = _mapping(value, "strategies", where)
    for name, bounds in found.items():
        if name not in NAMES:
            raise ConfigError(f"{where}: strategies.{name}: unknown strategy; use one of "
                              f"{', '.join(NAMES)}")
        if not isinstance(bounds, dict) or not bounds or set(bounds) - {"rpo", "rto"}:
            raise ConfigError(f"{where}: strategies.{name} must map rpo and/or rto to durations")
        for key, duration in bounds.items():
            try:
                parse_duration(duration)
            except DurationError as exc:
                raise ConfigError(f"{where}: strategies.{name}.{key}: {exc}") from None
    return found


def _recovery_steps(value: Any, where: str) -> dict[str, Any]:
    """``{restore: 4h, scale_out: 5m, scale_up: 1m, manual_failover: 30m}`` (durations)."""
    found = _mapping(value, "recovery_steps", where)
    for key, duration in found.items():
        if key not in RECOVERY_STEPS:
            raise ConfigError(f"{where}: recovery_steps.{key}: unknown step; known: "
                              f"{', '.join(RECOVERY_STEPS)}")
        try:
            parse_duration(duration)
        except DurationError as exc:
            raise ConfigError(f"{where}: recovery_steps.{key}: {exc}") from None
    return found


def _stack_names(value: Any, where: str) -> dict[str, str]:
    """``{network/vpc.yaml: prod-network}``: the stack each template is deployed as."""
    found = _mapping(value, "stack_names", where)
    for path, name in found.items():
        if not isinstance(path, str) or not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: stack_names maps template paths to stack names, "
                              f"not {path!r}: {name!r}")
        _no_nul(path, "stack_names", where)
    return dict(found)


def _no_nul(path: str, key: str, where: str) -> None:
    if "\x00" in path:
        raise ConfigError(f"{where}: {key}: a path cannot contain a NUL character: {path!r}")


def _template_urls(value: Any, where: str) -> dict[str, str]:
    """``{https://s3.amazonaws.com/bucket/templates/: templates/}``: where nested stacks'
    TemplateURLs are in the repository (folders relative to the configuration file)."""
    found = _mapping(value, "template_urls", where)
    for prefix, folder in found.items():
        if not isinstance(prefix, str) or not isinstance(folder, str) or not prefix:
            raise ConfigError(f"{where}: template_urls maps URL prefixes to folders, not "
                              f"{prefix!r}: {folder!r}")
        _no_nul(folder, "template_urls", where)
    return dict(found)


def _store_classes(value: Any, where: str) -> dict[str, str]:
    """``{aws_s3_bucket.alb_logs: logs}``: a store's class (analysis/store_classes.py) set by
    the team, keyed by the resource's name, label or address."""
    found = _mapping(value, "store_classes", where)
    for resource, name in found.items():
        if not isinstance(resource, str) or not resource.strip():
            raise ConfigError(f"{where}: store_classes maps resources to classes, not "
                              f"{resource!r}", ("store_classes",))
        if name not in CLASSES:
            raise ConfigError(f"{where}: store_classes.{resource}: unknown class {name!r}; use "
                              f"one of {', '.join(CLASSES)}", ("store_classes", resource))
    return dict(found)


def _positive_int(value: Any, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: {key} must be a whole number of at least 1, not {value!r}")
    return value


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _choice(value: Any, choices: tuple[str, ...], key: str, where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{where}: {key} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _severities(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: severity must map rule ids to error, warning or note")
    return {
        str(k).upper(): _choice(v, SEVERITIES, f"severity.{k}", where) for k, v in value.items()
    }


def _mapping(value: Any, key: str, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a mapping")
    return dict(value)


def _list(value: Any, key: str, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {key} must be a list")
    return value
