"""``.hadr-lint.yaml``: found beside the scanned paths (up to the repository root) or given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint.model import SEVERITIES

CONFIG_NAMES = (".hadr-lint.yaml", ".hadr-lint.yml")
FAIL_ON = ("error", "warning", "note", "never")
KEYS = {
    "min_azs", "select", "ignore", "severity", "exclude", "fail_on", "objectives",
    "workloads", "max_file_size", "strategies", "recovery_steps",
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
    path: str | None = None


def find_config(start: Path) -> Path | None:
    """The nearest config file from ``start`` up to the repository root (a ``.git`` folder)."""
    folder = start.resolve()
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
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    return parse_config(data, str(path))


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
        objectives=_mapping(data.get("objectives"), "objectives", where),
        workloads=tuple(_list(data.get("workloads"), "workloads", where)),
        max_file_size=_positive_int(data.get("max_file_size", 5_000_000), "max_file_size", where),
        strategies=_mapping(data.get("strategies"), "strategies", where),
        recovery_steps=_mapping(data.get("recovery_steps"), "recovery_steps", where),
        path=where,
    )


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
