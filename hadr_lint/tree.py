"""The scanned tree: the only files a scanned repository can make hadr-lint read.

The tree is the enclosing repository of each scanned path (the nearest folder upwards holding a
``.git`` entry, folder or file), or, outside any repository, the scanned path itself (a file's
folder). A file the scanned files point to (a variable file, ``.hadr-lint.yaml``, a module source,
a ``modules.json`` ``Dir``, a nested stack's ``TemplateURL``) is read only when its real path,
links and ``..`` resolved, is inside the tree: a repository cannot make hadr-lint read
``~/.aws/credentials`` through a link and print it in a finding. Finding the repository costs a
few ``lstat`` calls, no ``git`` process.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def real(path: Path) -> Path | None:
    """``path`` with links and ``..`` resolved; None for a link loop, a NUL character or any
    other error (such a path is never read)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a link loop before Python 3.13
        return None


def repository_root(start: Path) -> Path | None:
    """The nearest folder from ``start`` (resolved) upwards that holds a ``.git`` entry."""
    folder = real(start)
    if folder is None:
        return None
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


@dataclass(frozen=True)
class Tree:
    """Folders (resolved) inside which scanned files may point to other files."""

    roots: tuple[Path, ...]

    def inside(self, path: Path) -> bool:
        """True when the real path of ``path`` is one of the roots or below one."""
        found = real(path)
        if found is None:
            return False
        return any(found == root or found.is_relative_to(root) for root in self.roots)


def tree_of(paths: Iterable[Path]) -> Tree:
    """The tree of a scan of ``paths``: each one's repository, or the path itself (a file's
    folder) when it is in none."""
    roots: dict[Path, None] = {}
    for path in paths:
        found = real(Path(path))
        if found is None:
            continue
        folder = found if found.is_dir() else found.parent
        roots[repository_root(folder) or folder] = None
    return Tree(tuple(roots))


def display_path(path: Path) -> str:
    """Relative to the current folder when below it, else absolute; always with slashes."""
    return _display_path(path, os.getcwd())


@functools.lru_cache(maxsize=8192)
def _display_path(path: Path, cwd: str) -> str:  # every resource asks: resolve() costs 50 us
    found = real(path)
    if found is None:  # a link loop: shown as given
        return path.as_posix()
    try:
        return Path(os.path.relpath(found, Path.cwd())).as_posix() if _below_cwd(
            found) else found.as_posix()
    except ValueError:
        return path.as_posix()


def _below_cwd(real: Path) -> bool:
    cwd = Path.cwd().resolve()
    return real == cwd or cwd in real.parents
