"""CloudFormation templates that depend on each other, linked across the scanned files.

Two links, both resolved by loading a template again with what the others give it:

* an export: ``Outputs: {X: {Export: {Name}}}`` in one template, ``Fn::ImportValue`` of that name
  in another. An export name declared by two templates links nothing (which one is deployed is
  not known).
* a nested stack: ``AWS::CloudFormation::Stack`` whose ``TemplateURL`` is a scanned template (a
  path relative to the parent, or a URL under a prefix the configuration's ``template_urls`` maps
  to a folder). The child gets the ``Parameters`` the parent passes, as values (Refs to the
  parent's resources, a sibling's subnets); the parent gets the child's ``Outputs`` for
  ``Fn::GetAtt Child.Outputs.Name``. A template nested by two parents, or twice, is loaded on its
  own: its instances would differ, and they share one file.

Values flow in rounds, a template reloaded when what it receives changes, until nothing changes
or ``MAX_ROUNDS`` (re-exports, a VPC stack's outputs passed through a parent to a service stack).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint.loaders.cloudformation.context import Nesting
from hadr_lint.model import LoadResult
from hadr_lint.objectives.declare import config_folder
from hadr_lint.tree import Tree, real, tree_of

MAX_ROUNDS = 5


@dataclass(frozen=True)
class Links:
    """What one template receives: other templates' exports it imports, and nesting values
    (None: no parent passes parameters and no child gives outputs)."""

    exports: Mapping[str, Any] = field(default_factory=dict)
    nesting: Nesting | None = None


Load = Callable[[Path, Links], LoadResult]
Locate = Callable[[Path, str], Path | None]  # (parent file, TemplateURL) -> child file


def link(paths: list[Path], loaded: list[LoadResult], load: Load,
         locate: Locate) -> list[LoadResult]:
    """``loaded`` (the results of ``paths``) with linked templates loaded again, and notes."""
    current = list(loaded)
    used = [Links() for _ in current]
    for _ in range(MAX_ROUNDS):
        wanted = _wanted(paths, current, locate)
        changed = [i for i, want in enumerate(wanted) if want != used[i]]
        for index in changed:
            current[index] = load(paths[index], wanted[index])
            used[index] = wanted[index]
        if not changed:
            break
    return current + _notes(paths, current, locate)


def link_documents(paths: list[Path], loaded: list[LoadResult],
                   reload: Callable[[Path, Mapping[str, Any], Any], LoadResult], options: Any,
                   config: Any) -> list[LoadResult]:
    """The document loader's ``link`` (``hadr_lint.loaders.DocumentLoader``): templates linked
    by exports and nested stacks (``TemplateURL`` under the scanned trees, or under a prefix
    of the configuration's ``template_urls``), loaded again with what they receive."""
    tree = tree_of(options.paths)

    def load(path: Path, links: Links) -> LoadResult:
        return reload(path, links.exports, links.nesting)

    def locate(parent: Path, url: str) -> Path | None:
        return nested_file(parent, url, config.template_urls, config_folder(config), tree)

    return link(paths, loaded, load, locate)


def _wanted(paths: list[Path], results: list[LoadResult], locate: Locate) -> list[Links]:
    exports, shared = _exports(results)
    parents, shared_children = _nesting(paths, results, locate)
    wanted = []
    for index, result in enumerate(results):
        names = [n for n in result.metadata.get("imports", ()) if n in exports and n not in shared]
        nesting = _nesting_of(index, results, parents, shared_children)
        wanted.append(Links({n: exports[n] for n in names}, nesting))
    return wanted


def _exports(results: list[LoadResult]) -> tuple[dict[str, Any], set[str]]:
    exports: dict[str, Any] = {}
    owners: dict[str, int] = {}
    for result in results:
        for name, value in result.metadata.get("exports", {}).items():
            exports[name] = value
            owners[name] = owners.get(name, 0) + 1
    return exports, {n for n, count in owners.items() if count > 1}


def _nesting(paths: list[Path], results: list[LoadResult],
             locate: Locate) -> tuple[dict[int, tuple[int, str]], set[int]]:
    """child index -> (parent index, the parent's logical id for it), for children nested
    exactly once; and the children nested more than once."""
    index = {real(path): i for i, path in enumerate(paths)}
    calls: dict[int, list[tuple[int, str]]] = {}
    for parent, result in enumerate(results):
        for logical, nest in result.metadata.get("nests", {}).items():
            child = locate(paths[parent], nest["template_url"])
            if child is not None and index.get(child) not in (None, parent):
                calls.setdefault(index[child], []).append((parent, logical))
    once = {child: found[0] for child, found in calls.items() if len(found) == 1}
    return once, {child for child, found in calls.items() if len(found) > 1}


def _nesting_of(index: int, results: list[LoadResult], parents: dict[int, tuple[int, str]],
                shared: set[int]) -> Nesting | None:
    parameters: Mapping[str, Any] = {}
    if index in parents:
        parent, logical = parents[index]
        parameters = results[parent].metadata.get("nests", {}).get(logical, {}).get(
            "parameters", {})
    outputs = {logical: results[child].metadata.get("outputs", {})
               for child, (parent, logical) in sorted(parents.items()) if parent == index}
    if not parameters and not outputs:
        return None
    return Nesting(parameters=dict(parameters), outputs=outputs)


def _notes(paths: list[Path], results: list[LoadResult], locate: Locate) -> list[LoadResult]:
    exports, shared = _exports(results)
    owners = {n: sorted(r.files[0] for r in results if n in r.metadata.get("exports", {}))
              for n in shared}
    notes = [f"export {n} is declared by {' and '.join(owners[n])}: Fn::ImportValue of it "
             f"stays unknown" for n in sorted(shared)]
    unnamed = sorted(r.files[0] for r in results if r.metadata.get("unnamed_exports"))
    missing = {n for r in results for n in r.metadata.get("imports", ()) if n not in exports}
    if unnamed and missing:
        notes.append(f"{len(missing)} Fn::ImportValue name(s) match no export of known name; "
                     f"{', '.join(unnamed)} export names built from AWS::StackName: pass "
                     f"--stack-name TEMPLATE=NAME to link them")
    _, nested_twice = _nesting(paths, results, locate)
    notes += [f"{results[i].files[0] if results[i].files else paths[i]} is nested by several "
              f"stacks: loaded on its own, without the parameters they pass (--exclude all "
              f"parents but one to link it)"
              for i in sorted(nested_twice)]
    return [LoadResult(notes=tuple(notes))] if notes else []


def nested_file(parent: Path, url: str, template_urls: Mapping[str, str],
                base: Path, tree: Tree | None = None) -> Path | None:
    """The local file a ``TemplateURL`` names: a path relative to the parent template, or a URL
    under a ``template_urls`` prefix (its folder relative to ``base``, the configuration's).
    None when it cannot be resolved (a NUL character, a link loop) or lies outside ``tree``."""
    if "://" not in url and not url.startswith("s3:"):
        folder = real(parent)
        candidate = real(folder.parent / url) if folder is not None else None
    else:
        prefix = max((p for p in template_urls if url.startswith(p)), key=len, default=None)
        if prefix is None:
            return None
        candidate = real(base / template_urls[prefix] / url[len(prefix):].lstrip("/"))
    if candidate is None or (tree is not None and not tree.inside(candidate)):
        return None
    return candidate if candidate.is_file() else None
