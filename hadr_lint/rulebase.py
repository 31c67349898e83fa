"""What a rule is, and where rules come from.

A rule is a module with a docstring (its user documentation), a ``RULE`` metadata object and a
``check(graph, config)`` generator of ``Problem`` and ``Unverified``. Built-in rules live in the
``rules/`` folder (installed as ``hadr_lint.rules``); third-party packages register modules under
the entry-point group ``hadr_lint.rules``; ``--rules-dir`` adds a local folder.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeAlias

from hadr_lint import cache
from hadr_lint.model import SEVERITIES, Problem, Resource, Unverified

if TYPE_CHECKING:  # annotations only: a rule module imports these itself
    from hadr_lint.config import Config
    from hadr_lint.graph import Graph

DOCS_URL = "https://github.com/hadr-lint/hadr-lint/blob/main/docs/rules.md"
SCOPES = ("az", "region", "human", "objectives", "suppression")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    scope: str
    kinds: tuple[str, ...]
    short: str
    description: str = ""
    tags: tuple[str, ...] = ()
    equivalents: Mapping[str, str] = field(default_factory=dict)

    @property
    def help_url(self) -> str:
        return f"{DOCS_URL}#{self.id.lower()}-{self.name}"


Check: TypeAlias = "Callable[[Graph, Config], Iterator[Problem | Unverified]]"
"""A rule's ``check(graph, config)``: one ``Problem`` per finding, one ``Unverified`` per resource
it could not judge; a resource it passes yields nothing."""


@dataclass(frozen=True)
class LoadedRule:
    meta: Rule
    check: Check
    doc: str

    @property
    def id(self) -> str:
        return self.meta.id


class RuleError(Exception):
    pass


def from_module(module: ModuleType) -> LoadedRule:
    meta = getattr(module, "RULE", None)
    check = getattr(module, "check", None)
    if not isinstance(meta, Rule) or not callable(check):
        raise RuleError(f"{module.__name__} has no RULE metadata and check() function")
    if meta.severity not in SEVERITIES or meta.scope not in SCOPES:
        raise RuleError(f"{meta.id}: severity or scope out of range")
    return LoadedRule(meta, check, (module.__doc__ or "").strip())


def builtin_rules() -> list[LoadedRule]:
    package = rules_package()
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        found.append(from_module(importlib.import_module(f"hadr_lint.rules.{info.name}")))
    return found


def rules_package() -> ModuleType:
    """``hadr_lint.rules``: the ``rules/`` folder, which the build (or an editable install)
    maps to that name. From a source checkout without an install (``python -m hadr_lint`` in
    its root) nothing maps it, so it is loaded from ``rules/`` beside ``hadr_lint/``."""
    import sys

    try:  # by name: type checkers do not follow pyproject's package-dir mapping
        return importlib.import_module("hadr_lint.rules")
    except ModuleNotFoundError as exc:
        folder = Path(__file__).resolve().parent.parent / "rules"
        if exc.name != "hadr_lint.rules" or not (folder / "__init__.py").is_file():
            raise
    spec = importlib.util.spec_from_file_location(
        "hadr_lint.rules", folder / "__init__.py", submodule_search_locations=[str(folder)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hadr_lint.rules"] = module
    spec.loader.exec_module(module)
    return module


ENTRY_POINT_GROUP = "hadr_lint.rules"


def entry_point_rules() -> list[LoadedRule]:
    return [from_module(load_entry_point(value)) for value in entry_point_values()]


def load_entry_point(value: str) -> Any:
    """``package.module`` or ``package.module:attribute``, as importlib.metadata loads it."""
    module_name, _, attribute = value.partition(":")
    found: Any = importlib.import_module(module_name.strip())
    for part in filter(None, attribute.strip().split(".")):
        found = getattr(found, part)
    return found


def entry_point_values() -> list[str]:
    """The values registered under ENTRY_POINT_GROUP by the installed distributions.

    importlib.metadata costs 10 to 25 ms to import, a tenth of a pre-commit run, so its answer
    is cached under a key that changes whenever a distribution is installed, removed or
    rewritten on sys.path (see ``installed_stamp``).
    """
    return cache.memo(cache.key("entry-points", ENTRY_POINT_GROUP, installed_stamp()),
                      _entry_point_values)


def _entry_point_values() -> list[str]:
    from importlib.metadata import entry_points

    return [ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)]


def installed_stamp() -> tuple:
    """sys.path, each folder's modification time, and each ``*.dist-info``/``*.egg-info``
    entry's with its ``entry_points.txt``: what importlib.metadata reads entry points from."""
    import os
    import sys

    stamp: list[Any] = []
    for folder in sys.path:
        try:
            stamp.append((folder, os.stat(folder or ".").st_mtime_ns))
            entries = sorted(os.scandir(folder or "."), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".dist-info", ".egg-info")):
                stamp.append((entry.name, _mtime(entry.path),
                              _mtime(os.path.join(entry.path, "entry_points.txt"))))
    return tuple(stamp)


def _mtime(path: str) -> int:
    import os

    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def directory_rules(folder: Path) -> list[LoadedRule]:
    """Rules from a local folder of rule modules (the user's own code, run by the user's choice)."""
    found = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"hadr_lint_local_rules.{path.stem}", path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.append(from_module(module))
    return found


def all_rules(rule_dirs: Iterable[Path] = ()) -> list[LoadedRule]:
    rules = {r.id: r for r in builtin_rules()}
    for rule in entry_point_rules():
        rules.setdefault(rule.id, rule)
    for folder in rule_dirs:
        for rule in directory_rules(folder):
            rules[rule.id] = rule
    return sorted(rules.values(), key=lambda r: r.id)


def matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """``--select HA`` selects every HA rule; ``HA001`` just that one."""
    return any(rule_id.upper().startswith(p.strip().upper()) for p in patterns if p.strip())


def unknown_ids(patterns: Iterable[str], known: Iterable[str], exact: bool = False) -> list[str]:
    """One message per pattern that names no known rule: ``unknown rule id XX999 (did you mean
    …?)``. A pattern is a rule id or a prefix (``HA``) unless ``exact``."""
    known = sorted({k.upper() for k in known})
    problems = []
    for pattern in dict.fromkeys(p.strip() for p in patterns if p.strip()):
        wanted = pattern.upper()
        if wanted in known or (not exact and any(k.startswith(wanted) for k in known)):
            continue
        import difflib  # only when a pattern names no rule (2 ms of every run otherwise)

        close = _same_number(wanted, known) + difflib.get_close_matches(wanted, known, n=3,
                                                                        cutoff=0.6)
        close = list(dict.fromkeys(close))[:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else "; `hadr-lint rules` lists them"
        problems.append(f"unknown rule id {pattern}{hint}")
    return problems


def _same_number(wanted: str, known: list[str]) -> list[str]:
    """Known ids with the same letters and number as ``wanted`` (``HA05``, ``ha5`` -> ``HA005``):
    a dropped or extra zero is the likeliest typo, so it is suggested first."""
    import re

    def split(rule_id: str) -> tuple[str, int] | None:
        found = re.fullmatch(r"([A-Z]+)0*(\d+)", rule_id)
        return (found.group(1), int(found.group(2))) if found else None

    key = split(wanted)
    return [k for k in known if key is not None and split(k) == key]


def select(rules: list[LoadedRule], selected: Iterable[str], ignored: Iterable[str]):
    selected, ignored = list(selected), list(ignored)
    return [
        r for r in rules
        if (not selected or matches(r.id, selected)) and not matches(r.id, ignored)
    ]


def problem(resource: Resource, message: str, severity: str | None = None) -> Problem:
    return Problem(resource, message, severity)


def unverified(resource: Resource, reason: str) -> Unverified:
    return Unverified(resource, reason)


def sections(doc: str) -> dict[str, Any]:
    """The ``## Heading`` sections of a rule docstring (What it does, Why, Example, Fix)."""
    found: dict[str, list[str]] = {"": []}
    current = ""
    for line in doc.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        else:
            found[current].append(line)
    return {k: "\n".join(v).strip() for k, v in found.items()}
