"""``.hadr-lint.yaml``: found beside the scanned paths (up to the repository root) or given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint.model import SEVERITIES
from hadr_lint.text import FileTooLarge, read_source

MAX_CONFIG_SIZE = 1_000_000

CONFIG_NAMES = (".hadr-lint.yaml", ".hadr-lint.yml")
FAIL_ON = ("error", "warning", "note", "never")
KEYS = {
    "min_azs", "select", "ignore", "severity", "exclude", "fail_on", "objectives",
    "workloads", "max_file_size", "strategies", "recovery_steps", "stack_names", "template_urls",
}


class ConfigError(Exception):
    pass


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
    path: str | None = None
    # Set by the scan, not read from the file: template Metadata HadrLint per file, and the
    # --strategy/--rpo/--rto values (hadr_lint.objectives.declare resolves them).
    template_objectives: Mapping[str, Any] = field(default_factory=dict)
    objective_overrides: Mapping[str, Any] = field(default_factory=dict)


def find_config(start: Path) -> Path | None:
    """The nearest config file from ``start`` up to the repository root (a ``.git`` folder)."""
    from hadr_lint.tree import real

    folder = real(start)
    if folder is None:  # a link loop
        return None
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        if (candidate / ".git").exists():
            return None
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    import yaml

    try:
        data = yaml.safe_load(_read(path)) or {}
    except (OSError, yaml.YAMLError, RecursionError, UnicodeDecodeError, FileTooLarge) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    return parse_config(data, str(path))


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
        path=where,
    )


def schema() -> dict[str, Any]:
    """The JSON Schema of the configuration file (hadr_lint/data/config.schema.json)."""
    import json
    from importlib.resources import files

    text = files("hadr_lint").joinpath("data/config.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def check_file(path: Path) -> list[str]:
    """Every problem of a configuration file: the JSON Schema's (when jsonschema is installed),
    then the loader's own checks. An empty list means valid."""
    import yaml

    try:
        data = yaml.safe_load(_read(path)) or {}
    except (OSError, yaml.YAMLError, RecursionError, UnicodeDecodeError, FileTooLarge) as exc:
        return [f"{path}: cannot read configuration: {exc}"]
    problems = []
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    if jsonschema is not None:
        validator = jsonschema.Draft7Validator(schema())
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
            where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
            problems.append(f"{path}: {where}: {error.message}")
    if not problems:
        try:
            parse_config(data, str(path))
        except ConfigError as exc:
            problems.append(str(exc))
    return problems


def _objectives(value: Any, where: str) -> dict[str, Any]:
    from hadr_lint.objectives.declare import ObjectivesError, validate

    try:
        validate(value, "objectives")
    except ObjectivesError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return dict(value or {})


def _workloads(value: Any, where: str) -> list[Any]:
    from hadr_lint.objectives.declare import ObjectivesError, validate_workloads

    try:
        validate_workloads(value, "workloads")
    except ObjectivesError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return list(value or [])


def _strategies(value: Any, where: str) -> dict[str, Any]:
    """``{pilot-light: {rpo: 15m, rto: 30m}}``: bounds that replace the reference table's."""
    from hadr_lint.objectives.durations import DurationError, parse_duration
    from hadr_lint.objectives.strategies import NAMES

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
    from hadr_lint.objectives.durations import DurationError, parse_duration
    from hadr_lint.objectives.estimate import RECOVERY_STEPS

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
