"""Terraform and Terragrunt as a folder loader: which discovered folders are roots, and their
loading (see ``hadr_lint.loaders.registry.FOLDER_LOADERS``, which registers it through
``hadr_lint.loaders.terraform_claims``: what it claims, importable without this package).

A Terragrunt unit loads its module folder, which is then not a root of its own; a folder that
another scanned folder calls as a local module is loaded through the call. A ``.tfvars`` file
given as a scan path stands for the Terraform folder beside it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hadr_lint.discover import Discovered, roots_of
from hadr_lint.loaders import guarded, namespaced
from hadr_lint.loaders.terraform import FolderReader, load_root
from hadr_lint.loaders.terraform.cache_entry import TerraformEntry
from hadr_lint.loaders.terraform.files import TF_SUFFIXES, terraform_files
from hadr_lint.loaders.terraform_claims import (  # noqa: F401 (re-exported)
    SKIP_DIRS,
    TERRAGRUNT,
    VAR_FILES,
    claims_file,
    finds_elsewhere,
    names_a_folder,
)
from hadr_lint.model import LoadError, LoadResult
from hadr_lint.tree import display_path, real, tree_of


def terraform_folders(found: Discovered) -> list[Path]:
    """The folders of the Terraform files ``found``, in the order discovery met them."""
    files = found.files.get("terraform", [])
    return list(dict.fromkeys(f.parent for f in files if f.name.endswith(TF_SUFFIXES)))


def terragrunt_configs(found: Discovered) -> list[Path]:
    """Each Terragrunt unit's ``terragrunt.hcl`` ``found``."""
    return [f for f in found.files.get("terraform", []) if f.name == TERRAGRUNT]


def load_folders(found: Discovered, options: Any, config: Any) -> list[LoadResult]:
    """The Terraform roots and Terragrunt units ``found``; ``options``: engine.ScanOptions."""
    terragrunt, through_units = load_terragrunt(terragrunt_configs(found), found.paths, options,
                                                config)
    folders = [f for f in terraform_folders(found) if real(f) not in through_units]
    results = guarded("terraform", lambda: load_terraform(folders, found.paths, options, config),
                      many=True)
    results.extend(terragrunt)
    return results


def stand_in(path: Path) -> list[Path]:
    """What to discover for a variable file given as a scan path: one Terraform file of its
    folder (the folder alone, not the folders below it), or nothing."""
    return terraform_files(path.parent)[:1]


def load_terraform(folders: list[Path], paths: list[Path], options: Any,
                   config: Any) -> list[LoadResult]:
    """The Terraform roots among ``folders``; ``paths``: the scan paths discovery walked."""
    if not folders:
        return []
    reader = FolderReader(display=display_path, max_file_size=config.max_file_size,
                          roots=roots_of(paths), tree=tree_of(paths))
    cached = TerraformEntry(folders, options, reader)
    if cached.results is not None:
        return cached.results
    reader.prefetch(folders)
    called = called_folders(folders, reader)
    results = [
        guarded(display_path(folder), functools.partial(
            _root, folder, reader, options.var_files, options.variables))
        for folder in folders
        if real(folder) not in called
    ]
    results.append(LoadResult(errors=tuple(reader.errors.values()),
                              files=tuple(reader.parsed_files)))
    return cached.store(results)


def load_terragrunt(configs: list[Path], paths: list[Path], options: Any,
                    config: Any) -> tuple[list[LoadResult], set[Path]]:
    """Terragrunt units (``hadr_lint.loaders.terraform.terragrunt``), each namespaced by its
    folder; and the folders they load, which are not Terraform roots of their own."""
    if not configs:
        return [], set()
    # start-up: Terragrunt's loader (about 5 ms) only when a terragrunt.hcl was found
    from hadr_lint.loaders.terraform.terragrunt import read_units

    tree = tree_of(paths)
    reader = FolderReader(display=display_path, max_file_size=config.max_file_size,
                          roots=roots_of(paths), tree=tree)
    units = guarded("terragrunt", lambda: read_units(
        configs, tree, display_path, options.terragrunt_mock_outputs, config.max_file_size,
        reader))
    if isinstance(units, LoadResult):  # an internal error, reported
        return [units], set()
    results = [guarded(display_path(u.config), functools.partial(_unit, u, reader, units))
               for u in units.units]
    errors = tuple(LoadError(f, line, m) for f, line, m in units.errors)
    results.append(LoadResult(errors=errors + tuple(reader.errors.values()), notes=units.notes,
                              files=tuple(reader.parsed_files)))
    return results, units.module_folders()


def _root(folder: Path, reader: Any, var_files: Any, variables: Any) -> LoadResult:
    return namespaced(load_root(folder, reader, var_files=var_files, variables=variables),
                      display_path(folder))


def _unit(unit: Any, reader: Any, units: Any) -> LoadResult:
    """A unit's resources, namespaced by its folder; Refs to another unit's resources (its
    dependencies' outputs) are namespaced already."""
    # start-up: Terragrunt's loader only when a terragrunt.hcl was found
    from hadr_lint.loaders.terraform.terragrunt import load_unit

    others = tuple(f"{display_path(u.dir)}::" for u in units.units if u.dir != unit.dir)
    return namespaced(load_unit(unit, reader, units.scan), display_path(unit.dir), others)


def called_folders(folders: list[Path], reader: Callable[[Path], Any]) -> set[Path]:
    """Folders that another scanned folder calls as a local module: loaded through the call."""
    calls: dict[Path, set[Path]] = {}
    for folder in folders:
        files, own = reader(folder), real(folder)
        for call in files.of_type("module") if files and own is not None else []:
            attr = call.attributes.get("source")
            source = _literal_source(attr.expr) if attr else ""
            if not source.startswith(("./", "../")):
                continue
            target = real(folder / source)
            if target is not None and own is not None and target != own:
                calls.setdefault(own, set()).add(target)
    # folders that only call each other in a cycle have no root: they are loaded as roots
    # (and report the cycle) instead of silently not at all
    called = {target for targets in calls.values() for target in targets}
    reached: set[Path] = set()
    todo = [r for r in (real(f) for f in folders) if r is not None and r not in called]
    while todo:
        for target in calls.get(todo.pop(), ()):
            if target not in reached:
                reached.add(target)
                todo.append(target)
    return reached


def _literal_source(expr: Any) -> str:
    # start-up: a warm scan (roots from the cache) imports neither Lark nor the evaluator
    from hadr_lint.loaders.terraform.parse import Literal

    if isinstance(expr, Literal):
        return str(expr.value)
    return "".join(str(t) for t in expr.scan_values(lambda v: getattr(v, "type", "") ==
                                                    "STRING_CHARS"))
