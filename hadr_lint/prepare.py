"""Preparing a scan, for the command line and the Python API (``hadr_lint.api``): each path
under its configuration (the nearest ``.hadr-lint.yaml``, or the one given), one
``(ScanOptions, Config)`` per configuration group."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from hadr_lint.config import Config, ConfigGroup, config_groups, search_boundary
from hadr_lint.discover import SKIP_DIRS
from hadr_lint.engine import ScanOptions
from hadr_lint.loaders.registry import skip_dirs
from hadr_lint.objectives.declare import config_folder
from hadr_lint.tree import tree_of


@dataclass(frozen=True)
class Given:
    """What the caller gives besides paths and configuration file, the same for every group."""

    variables: Mapping[str, str] = field(default_factory=dict)
    var_files: tuple[Path, ...] = ()
    parameters: Mapping[str, str] = field(default_factory=dict)
    region: str | None = None
    exclude: tuple[str, ...] = ()
    stack_names: Mapping[str, str] = field(default_factory=dict)  # resolved path: they win
    max_file_size: int | None = None  # None: the configuration's


def prepare(paths: tuple[Path, ...], config_file: Path | None,
            load: Callable[[Path | None], Config], given: Given,
            outside_note: bool = True) -> list[tuple[ScanOptions, Config]]:
    """(ScanOptions, Config) per configuration group: each path under the nearest
    ``.hadr-lint.yaml`` (``hadr_lint.config.config_groups``), or all under ``config_file``.
    ``load`` reads a configuration (and refuses an invalid one, as the caller words it);
    ``outside_note``: a configuration found outside the scanned tree is not read (a note)."""
    groups = ([ConfigGroup(config_file, paths)] if config_file
              else config_groups(paths, SKIP_DIRS | skip_dirs()))
    prepared = []
    for group in groups:
        found, notes = group.config, tuple[str, ...]()
        if not config_file and outside_note:
            found, notes = config_inside(found, group.paths)
        config = load(found)
        if given.max_file_size:
            config = replace(config, max_file_size=given.max_file_size)
        options = ScanOptions(
            paths=group.paths, var_files=given.var_files, variables=dict(given.variables),
            parameters=dict(given.parameters), region=given.region, exclude=given.exclude,
            stack_names={**stack_names(config), **given.stack_names}, prune=group.prune,
            notes=notes,
        )
        prepared.append((options, config))
    return prepared


def config_inside(found: Path | None, paths: tuple[Path, ...]) -> tuple[Path | None,
                                                                        tuple[str, ...]]:
    """The configuration file found, unless it lies (or links) outside the scanned tree
    (``hadr_lint.tree``) and outside the folders its search covers (``search_boundary``: the
    current folder the user chose, without git): then none, and a note naming it."""
    covered = (*paths, *(search_boundary(Path(p)) for p in paths))
    if found is None or tree_of(covered).inside(found):
        return found, ()
    return None, (f"{found}: not read: the configuration file lies or links outside the "
                  "repository (or the scanned folder)",)


def stack_names(config: Config) -> dict[str, str]:
    """Resolved template path -> stack name, from the configuration's ``stack_names``
    (relative to its folder)."""
    return {str((config_folder(config) / k).resolve()): v for k, v in config.stack_names.items()}
