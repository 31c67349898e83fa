"""Walk the given paths and sort files by the loader that can read them.

Nothing outside the scanned tree is followed: symbolic links to folders are not descended and a
link to a file outside the tree is skipped (and said so).
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from hadr_lint.loaders.terraform.files import TF_SUFFIXES as TERRAFORM
from hadr_lint.tree import real

SKIP_DIRS = {".git", ".terraform", "node_modules", ".hg", ".svn", "__pycache__", ".venv",
             ".terragrunt-cache"}
TERRAGRUNT = "terragrunt.hcl"
DOCUMENTS = (".json", ".yaml", ".yml", ".template")


@dataclass
class Discovered:
    terraform_folders: list[Path] = field(default_factory=list)
    documents: list[Path] = field(default_factory=list)
    terragrunt_configs: list[Path] = field(default_factory=list)  # each a unit's terragrunt.hcl
    skipped: list[str] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # scan paths: file errors


def _excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, p) or fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(text, f"*/{p}")
        for p in patterns
    )


def _inside(path: Path, roots: list[Path]) -> bool:
    found = real(path)
    return found is not None and any(found == root or root in found.parents for root in roots)


def roots_of(paths: list[Path]) -> list[Path]:
    """The scanned trees: each folder given, or the folder of each file given (a path that
    cannot be resolved, such as a link loop, gives none)."""
    found = [(p, real(p)) for p in paths]
    return [r if p.is_dir() else r.parent for p, r in found if r is not None]


def escapes(path: Path, roots: list[Path]) -> bool:
    """True for a symbolic link whose target is outside every scanned tree (or a link loop)."""
    return path.is_symlink() and not _inside(path, roots)


def discover(paths: list[Path], exclude: tuple[str, ...] = (),
             prune: tuple[Path, ...] = ()) -> Discovered:
    """The files below ``paths``; ``prune``: folders not to enter (they hold a configuration of
    their own and are scanned under it)."""
    found = Discovered()
    roots = roots_of(paths)
    folders: dict[Path, None] = {}
    documents: dict[Path, None] = {}
    pruned = frozenset(p.resolve() for p in prune)
    for path in paths:
        for file in _walk(path, exclude, found, pruned):
            if escapes(file, roots):
                found.skipped.append(f"{file}: symbolic link to outside the scanned tree")
                continue
            if file.name.endswith(TERRAFORM):
                folders[file.parent] = None
            elif file.name == TERRAGRUNT and not _hidden(file, path):
                found.terragrunt_configs.append(file)
            elif file.name.endswith(DOCUMENTS) and not file.name.endswith(".tfvars.json"):
                documents[file] = None
    found.terraform_folders = list(folders)
    found.documents = list(documents)
    return found


def _hidden(file: Path, scanned: Path) -> bool:
    """A file in a hidden folder below the scanned path (``.boilerplate/``): Terragrunt's
    discovery skips those, so hadr-lint takes no unit from them either."""
    try:
        parts = file.relative_to(scanned).parts[:-1]
    except ValueError:
        return False
    return any(p.startswith(".") and p not in (".", "..") for p in parts)


def _walk(path: Path, exclude: tuple[str, ...], found: Discovered,
          pruned: frozenset[Path] = frozenset()):
    if real(path) is None:
        found.unreadable.append((path, "cannot read: symbolic link loop"))
        return
    if path.is_file() or (path.is_symlink() and not path.is_dir()):
        if not _excluded(path, exclude):
            yield path
        return
    if not path.is_dir():
        found.skipped.append(f"{path}: no such file or folder")
        return
    for folder, dirs, files in os.walk(path, followlinks=False):
        base = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and not _excluded(base / d, exclude)
            and not (pruned and (base / d).resolve() in pruned)
        )
        for name in sorted(files):
            file = base / name
            if not _excluded(file, exclude):
                yield file
