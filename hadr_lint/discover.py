"""Walk the given paths and sort files by the loader that can read them.

A folder loader claims its files (``claims``: loader name -> ``claims_file(file, scanned path)``,
from ``hadr_lint.loaders.registry.FOLDER_LOADERS``); the JSON and YAML files no folder loader
claims are documents, for the document loaders. Nothing outside the scanned tree is followed:
symbolic links to folders are not descended and a link to a file outside the tree is skipped
(and said so).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hadr_lint.tree import real

# Folders of no format: version control, package managers, caches. Folder loaders add what
# their formats' tools write (``FolderLoader.skip_dirs``); the caller passes them.
SKIP_DIRS = frozenset({".git", "node_modules", ".hg", ".svn", "__pycache__", ".venv"})
DOCUMENTS = (".json", ".yaml", ".yml", ".template")


@dataclass
class Discovered:
    files: dict[str, list[Path]] = field(default_factory=dict)  # folder loader name -> its files
    documents: list[Path] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # the scan paths walked
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
             prune: tuple[Path, ...] = (),
             claims: Mapping[str, Callable[[Path, Path], bool]] | None = None,
             skip_dirs: frozenset[str] = frozenset()) -> Discovered:
    """The files below ``paths``; ``prune``: folders not to enter (they hold a configuration of
    their own and are scanned under it); ``claims``: each folder loader's ``claims_file``;
    ``skip_dirs``: folder names not to enter besides ``SKIP_DIRS`` (the folder loaders')."""
    found = Discovered(files={name: [] for name in claims or {}}, paths=list(paths))
    roots = roots_of(paths)
    documents: dict[Path, None] = {}
    pruned = frozenset(p.resolve() for p in prune)
    for path in paths:
        for file in _walk(path, exclude, found, pruned, SKIP_DIRS | skip_dirs):
            if escapes(file, roots):
                found.skipped.append(f"{file}: symbolic link to outside the scanned tree")
                continue
            owner = next((name for name, claim in (claims or {}).items() if claim(file, path)),
                         None)
            if owner is not None:
                found.files[owner].append(file)
            elif file.name.endswith(DOCUMENTS):
                documents[file] = None
    found.documents = list(documents)
    return found


def _walk(path: Path, exclude: tuple[str, ...], found: Discovered,
          pruned: frozenset[Path] = frozenset(), skip: frozenset[str] = SKIP_DIRS):
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
            d for d in dirs if d not in skip and not _excluded(base / d, exclude)
            and not (pruned and (base / d).resolve() in pruned)
        )
        for name in sorted(files):
            file = base / name
            if not _excluded(file, exclude):
                yield file
