"""Terraform HCL: a folder of ``.tf`` / ``.tf.json`` files is one module.

OpenTofu's ``.tofu`` / ``.tofu.json`` files are Terraform files too; where ``main.tofu`` and
``main.tf`` are both in a folder only the ``.tofu`` one is read (OpenTofu's rule).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint import cache
from hadr_lint.discover import escapes
from hadr_lint.loaders.terraform.files import (  # noqa: F401 (re-exported)
    TF_SUFFIXES,
    auto_var_files,
    is_terraform_file,
    terraform_files,
)
from hadr_lint.model import LoadError, LoadResult
from hadr_lint.suppress import mentions
from hadr_lint.text import FileTooLarge, read_problem, read_source
from hadr_lint.tree import real


@dataclass
class FolderReader:
    """Parses each folder once per scan and remembers the parse errors of its files."""

    display: Callable[[Path], str]
    max_file_size: int = 5_000_000
    read_text: Callable[[Path, int], str] | None = None
    roots: list[Path] = field(default_factory=list)  # scanned trees: links out are not followed
    tree: Any = None  # hadr_lint.tree.Tree: what module sources and tfvars may point into
    folders: dict[Path, Any] = field(default_factory=dict)
    parsed_files: list[str] = field(default_factory=list)
    errors: dict[str, LoadError] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)  # files with suppression comments
    prefetched: dict[str, Any] = field(default_factory=dict)  # parsed ahead, maybe in workers
    digests: dict[str, str] = field(default_factory=dict)  # file -> digest of the text parsed
    asked: dict[str, str] = field(default_factory=dict)  # folder as asked -> its real path

    def __call__(self, folder: Path) -> Any:
        given, found = folder, real(folder)
        self.asked[str(given)] = str(found)  # a relinked module folder is another module
        if found is None:  # a link loop, a NUL character
            return None
        folder = found
        if folder not in self.folders:
            self.folders[folder] = self._parse(folder)
        return self.folders[folder]

    def _parse(self, folder: Path) -> Any:
        from hadr_lint.loaders.terraform.module import ModuleFiles  # start-up: hcl2, lark

        try:
            files = [p for p in terraform_files(folder) if not self._escapes(p)]
        except OSError:
            return None
        if not files:
            return None
        blocks = []
        for path in files:
            blocks.extend(self._parse_file(path))
        lines = {str(p): self.lines[str(p)] for p in files if str(p) in self.lines}
        return ModuleFiles(folder, tuple(blocks), lines)

    def _escapes(self, path: Path) -> bool:
        """A link to outside the tree (the scanned trees without one, and outside this
        folder): never read."""
        if self.tree is not None:
            return path.is_symlink() and not self.tree.inside(path)
        return bool(self.roots) and escapes(path, [*self.roots, path.parent.resolve()])

    def _parse_file(self, path: Path) -> list:
        # start-up: a warm scan (roots from the cache) imports neither Lark nor the evaluator
        from hadr_lint.loaders.terraform.parse import (
            HclSyntaxError,
            parse_blocks,
            parse_json_blocks,
        )

        shown = self.display(path)
        self.parsed_files.append(shown)
        try:
            text = read_source(path, self.max_file_size)
            parse = parse_json_blocks if path.name.endswith(".json") else parse_blocks
            if parse is parse_blocks and mentions(text):
                self.lines[str(path)] = text.splitlines()
            return self._cached(parse, text, str(path))
        except HclSyntaxError as exc:
            self.errors[shown] = LoadError(shown, exc.line, f"HCL syntax error: {exc}")
        except (FileTooLarge, UnicodeDecodeError, OSError) as exc:
            self.errors[shown] = LoadError(shown, None, read_problem(exc))
        return []

    def _cached(self, parse: Callable[[str, str], list], text: str, file: str) -> list:
        """``parse(text, file)``, from the parse cache when it holds that content."""
        self.digests[file] = cache.digest(text)
        entry = cache.key("hcl", parse.__name__, file, self.digests[file])
        value = self.prefetched.pop(entry, cache.MISS)
        if isinstance(value, bytes):  # parsed in a worker process
            value = cache.from_bytes(entry, value)
        if value is not cache.MISS:
            return value
        return _parse_text(parse, text, file, entry)

    def prefetch(self, folders: list[Path]) -> None:
        """Parse ahead the ``.tf`` / ``.tofu`` files not in the cache when there are many: in worker
        processes when cores are idle, with progress on a terminal."""
        jobs = {}
        for folder in folders:
            try:
                files = [p for p in terraform_files(folder.resolve())
                         if not p.name.endswith(".json") and not self._escapes(p)]
                texts = [(str(p), read_source(p, self.max_file_size)) for p in files]
            except (FileTooLarge, UnicodeDecodeError, OSError):
                continue  # read again, and reported, when the folder is loaded
            for file, text in texts:
                jobs[cache.key("hcl", "parse_blocks", file, cache.digest(text))] = (file, text)
        todo = [(k, *jobs[k]) for k in cache.missing(jobs)]
        if len(todo) > 1:
            # the grammar is compiled (or loaded from the cache) here, once: the worker
            # processes are forked from this one and inherit it, instead of each compiling it
            # on a first run (7.3 s instead of 1.6-3.1 s on a large repository)
            from hadr_lint.loaders.terraform.parse import hcl_parser  # start-up: only parsing

            hcl_parser()
        self.prefetched.update(cache.parse_many(todo, _prefetch_parser(), "parsing Terraform"))


def _parse_text(parse: Callable[[str, str], list], text: str, file: str, entry: str) -> list:
    """``parse(text, file)`` from the parse cache, or parsed and stored; a ``.tf`` file block by
    block, re-parsing only changed blocks (it stores what its next version needs)."""
    from hadr_lint.loaders.fast import fast_paths  # start-up: only when a file is parsed
    from hadr_lint.loaders.terraform.parse import parse_blocks  # start-up: only when parsed

    if parse is parse_blocks and fast_paths():
        # start-up: only when a file is parsed (a warm scan reads the cache, never this)
        from hadr_lint.loaders.terraform.blocks import parse_changed

        value = cache.load(entry)
        return parse_changed(text, file, entry) if value is cache.MISS else value
    return cache.memo(entry, lambda: parse(text, file))


def _prefetch_parser() -> Callable[[str, str], list]:
    """What the prefetch parses a ``.tf`` file with: block by block from the earlier versions
    of the file when fast paths are on (as ``_parse_text``), else whole."""
    # start-up: only when many files are parsed ahead (a warm scan never is)
    from hadr_lint.loaders.fast import fast_paths
    from hadr_lint.loaders.terraform.blocks import parse_file_changed
    from hadr_lint.loaders.terraform.parse import parse_blocks

    return parse_file_changed if fast_paths() else parse_blocks


def load_root(
    folder: Path,
    reader: FolderReader,
    *,
    var_files: tuple[Path, ...] = (),
    variables: Mapping[str, str] | None = None,
    max_instances: int = 1000,
) -> LoadResult:
    """Evaluate the root module in ``folder`` and every module it loads."""
    # start-up: the evaluator loads python-hcl2 and lark (~0.2 s), only when Terraform is read
    from hadr_lint.loaders.terraform.module import LoadState, ModuleInstance, read_modules_json

    files = reader(folder)
    if files is None:
        return LoadResult()
    state = LoadState(read_module=reader, display=reader.display, max_instances=max_instances,
                      tree=reader.tree, unit=f"root {reader.display(files.dir)}")
    state.modules_json = read_modules_json(files.dir, reader.tree, state.notes)
    inputs = root_inputs(folder, reader, var_files, variables or {}, state)
    root = ModuleInstance(state, files, ("", ""), inputs, {}, (files.dir,))
    resources = tuple(root.resources())
    errors = tuple(LoadError(f, line, m) for f, line, m in state.errors)
    shown = tuple(sorted({r.location.file for r in resources}))
    return LoadResult(resources=resources, errors=errors, notes=tuple(state.notes), files=shown)


def root_inputs(
    folder: Path,
    reader: FolderReader,
    var_files: tuple[Path, ...],
    variables: Mapping[str, str],
    state: Any,
) -> dict[str, Callable[[], Any]]:
    """Variable values in Terraform's order: tfvars, auto.tfvars, --var-file, --var."""
    # start-up: a warm scan (roots from the cache) imports neither Lark nor the evaluator
    from hadr_lint.loaders.terraform.expansion import constant

    values: dict[str, Any] = {}
    for path in auto_var_files(folder):
        if reader.tree is None or reader.tree.inside(path):
            values.update(_read_var_file(path, reader, state))
        else:
            # named by the link in the repository (display() would resolve it to its target)
            shown = (Path(reader.display(path.parent)) / path.name).as_posix()
            state.notes.append(f"{shown}: variables not read: the file links outside the "
                               "repository (or the scanned folder)")
    for path in var_files:  # given on the command line: read wherever they are
        values.update(_read_var_file(path, reader, state))
    for name, text in variables.items():
        values[name] = _cli_value(text)
    return {name: constant(value) for name, value in values.items()}


def _read_var_file(path: Path, reader: FolderReader, state: Any) -> dict[str, Any]:
    # start-up: a warm scan (roots from the cache) imports neither Lark nor the evaluator
    from hadr_lint.loaders.terraform.evaluate import evaluate
    from hadr_lint.loaders.terraform.parse import HclSyntaxError, parse_attributes

    shown = reader.display(path)
    try:
        text = read_source(path, reader.max_file_size)
        if path.name.endswith(".json"):
            data = json.loads(text)
            return dict(data) if isinstance(data, dict) else {}
        attrs = parse_attributes(text, str(path))
    except HclSyntaxError as exc:
        state.errors.append((shown, exc.line, f"HCL syntax error: {exc}"))
        return {}
    except (ValueError, OSError, FileTooLarge, RecursionError) as exc:
        state.errors.append((shown, None, f"cannot read variables: {read_problem(exc)}"))
        return {}
    return {name: evaluate(a.expr, _EMPTY_SCOPE) for name, a in attrs.items()}


class _EmptyScope:
    def lookup(self, name: str) -> Any:
        raise KeyError(name)


_EMPTY_SCOPE = _EmptyScope()


def _cli_value(text: str) -> Any:
    """``--var k=v``: a list or map literal is parsed as HCL, anything else is a string."""
    # start-up: a warm scan (roots from the cache) imports neither Lark nor the evaluator
    from hadr_lint.loaders.terraform.evaluate import evaluate
    from hadr_lint.loaders.terraform.parse import parse_expression

    stripped = text.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return evaluate(parse_expression(stripped), _EMPTY_SCOPE)
        except Exception:  # noqa: BLE001 - an unparsable value stays the string given
            return text
    return text
