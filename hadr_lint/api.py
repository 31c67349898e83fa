"""The Python API for tools that embed hadr-lint (``import hadr_lint; hadr_lint.scan(...)``).

``scan`` runs what ``hadr-lint scan`` runs: the nearest ``.hadr-lint.yaml`` of each path (or the
one given), every rule (or those selected), and returns one ``ScanResult`` with ``findings``,
``unknowns`` (checks left unverified, with their reason), ``errors`` (files that could not be
read, with their line) and ``notes``. Nothing is printed and nothing exits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from hadr_lint.config import ConfigError, load_config, rule_id_problems
from hadr_lint.engine import ScanResult, merge
from hadr_lint.engine import exit_code as engine_exit_code
from hadr_lint.engine import scan as run_scan
from hadr_lint.prepare import Given, prepare
from hadr_lint.rulebase import all_rules, unknown_ids
from hadr_lint.rulebase import select as select_rules
from hadr_lint.suppress import pseudo_rules


class ScanRefused(ValueError):
    """A calling mistake: a path that does not exist, an unknown rule id, an invalid
    configuration file (the CLI exits 2 for these)."""


def scan(paths: str | Path | Iterable[str | Path] = ".", *, config: str | Path | None = None,
         select: Iterable[str] = (), ignore: Iterable[str] = (),
         variables: Mapping[str, str] | None = None, var_files: Iterable[str | Path] = (),
         parameters: Mapping[str, str] | None = None, region: str | None = None,
         exclude: Iterable[str] = (), rules_dir: Iterable[str | Path] = ()) -> ScanResult:
    """Scan Terraform and CloudFormation files and return the result.

    ``paths``: files or folders; ``config``: a configuration file instead of the nearest
    ``.hadr-lint.yaml`` (one found that lies or links outside the scanned tree is not read, as on
    the command line: a note says so); ``select``/``ignore``: rule ids or prefixes (``"HA"``);
    ``variables`` and ``var_files``: Terraform values; ``parameters`` and ``region``:
    CloudFormation values. Raises ``ScanRefused`` for a calling mistake. ``exit_code(result)``
    gives the CLI's verdict.
    """
    paths = (paths,) if isinstance(paths, (str, Path)) else tuple(paths)
    found = tuple(Path(p) for p in paths) or (Path("."),)
    missing = [str(p) for p in found if not p.exists() and not p.is_symlink()]
    if missing:
        raise ScanRefused(f"{missing[0]}: no such file or folder")
    given = Given(variables=dict(variables or {}), var_files=tuple(Path(f) for f in var_files),
                  parameters=dict(parameters or {}), region=region, exclude=tuple(exclude))
    results = []
    for options, loaded in prepare(found, Path(config) if config else None, _load_config, given):
        rules, known = _rules(tuple(Path(d) for d in rules_dir), select, ignore, loaded)
        results.append(run_scan(replace(options, known_rules=known), loaded, rules))
    return merge(results)


def exit_code(result: ScanResult, fail_on: str | None = None) -> int:
    """0, 1 (a finding at or above ``fail_on``, default: the configuration's) or 2 (a file
    error), as ``hadr-lint scan`` exits."""
    return engine_exit_code(result, fail_on or getattr(result.config, "fail_on", None) or "warning")


def _load_config(path: Path | None):
    """The configuration at ``path``; an invalid one is a calling mistake."""
    try:
        return load_config(path)
    except ConfigError as exc:
        raise ScanRefused(str(exc)) from None


def _rules(rules_dir: tuple[Path, ...], select: Iterable[str], ignore: Iterable[str],
           config) -> tuple[list, tuple[str, ...]]:
    rules = all_rules(rules_dir) + pseudo_rules()
    known = [r.id for r in rules]
    select, ignore = tuple(select), tuple(ignore)
    problems = unknown_ids(select + ignore, known) + rule_id_problems(config, known)
    if problems:
        raise ScanRefused("; ".join(problems))
    return select_rules(rules, select or config.select, ignore + config.ignore), tuple(known)
