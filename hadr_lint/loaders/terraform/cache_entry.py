"""The parse cache's entry for Terraform roots: the loaded resources, valid while every file
they were read from is unchanged (``hadr_lint.cache`` keeps the entry, generic)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from hadr_lint import cache
from hadr_lint.loaders.terraform.files import auto_var_files, terraform_files
from hadr_lint.text import read_source
from hadr_lint.tree import real


class TerraformEntry:
    """The results of loading Terraform ``roots``, cached with the state of what they read.

    A Terraform root reads files beyond its folder (local modules, modules that ``terraform init``
    downloaded, tfvars), so the entry records every folder the FolderReader was asked for and the
    digest of each file in it, plus each root's tfvars and modules.json and the --var-file files.
    The entry is used only when all of them are unchanged.
    """

    def __init__(self, roots: list[Path], options: Any, reader: Any) -> None:
        self.roots = [Path(r) for r in roots]
        self.var_files = [Path(v) for v in options.var_files]
        self.reader = reader
        self.results = None
        if cache.enabled():
            self.key = cache.key("terraform-roots", os.getcwd(), [(str(r), str(r.resolve()))
                                 for r in self.roots], [str(v) for v in self.var_files],
                                 sorted(options.variables.items()), reader.max_file_size,
                                 [str(r) for r in getattr(reader, "roots", ())])  # links followed
            self.results = self._valid(cache.load(self.key))

    def _valid(self, entry: Any) -> Any:
        if not (isinstance(entry, tuple) and len(entry) == 3):
            return None
        inputs, state, results = entry  # results pickled apart: unpickled only when valid
        try:
            return pickle.loads(results) if self._state(*inputs) == state else None
        except Exception:  # noqa: BLE001 - any surprise is a miss
            return None

    def store(self, results: Any) -> Any:
        """Cache ``results`` unless a file changed while it was being read; return them."""
        if not cache.enabled():
            return results
        folders = sorted(str(f) for f in self.reader.folders)
        asked = sorted(getattr(self.reader, "asked", {}))
        state = self._state(folders, asked)
        read = getattr(self.reader, "digests", {})
        seen = {str(Path(folder, name)): value for folder, listing in state[0]
                for name, value in listing or ()}
        if all(seen.get(file) == value for file, value in read.items()):
            try:
                blob = cache.dumps(results)
            except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
                return results
            cache.store(self.key, ((folders, asked), state, blob))
        return results

    def _state(self, folders: list[str], asked: list[str]) -> tuple:
        """What the results depend on: each folder read (its Terraform files' digests), where
        each folder asked for leads (``m -> x`` relinked to ``m -> y`` is another module), each
        root's variable files and modules.json, the --var-file files."""
        size = self.reader.max_file_size
        listings = tuple((folder, _listing(Path(folder), size)) for folder in folders)
        targets = tuple((path, str(real(Path(path)))) for path in asked)
        roots = tuple((str(root), _root_inputs(root, size)) for root in self.roots)
        var_files = tuple(_file_state(path, size) for path in self.var_files)
        return listings, targets, roots, var_files


def _listing(folder: Path, size: int) -> tuple | None:
    """Name and digest of the Terraform files in ``folder``, as FolderReader lists them."""
    try:
        files = terraform_files(folder)
    except OSError:
        return None
    return tuple((p.name, _file_state(p, size)) for p in files)


def _root_inputs(root: Path, size: int) -> tuple:
    modules = root.resolve() / ".terraform" / "modules" / "modules.json"
    try:
        modules_state = cache.digest(modules.read_bytes())
    except OSError as exc:
        modules_state = f"{type(exc).__name__}"
    return tuple((str(p), _file_state(p, size)) for p in auto_var_files(root)), modules_state


def _file_state(path: Path, size: int) -> str:
    """The digest of the text as the loaders read it (same size limit, same decoding)."""
    try:
        return cache.digest(read_source(path, size))
    except Exception as exc:  # noqa: BLE001 - the kind of failure is the state
        return f"{type(exc).__name__}:{exc}"
