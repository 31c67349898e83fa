"""One loader per format, and what they share.

A document loader (a JSON or YAML file: a Terraform plan, a CloudFormation template) registers
in ``hadr_lint.loaders.registry.DOCUMENT_LOADERS`` with two functions:

* ``claims(path, text) -> bool``: cheap, from the file name and the text already read: whether
  the file looks like its format;
* ``load(document) -> LoadResult | None``: read it (None: not its format after all, and the
  next loader that claims the file is asked);
* optionally ``link(paths, results, reload, options, config)``: documents that depend on each
  other (CloudFormation exports and nested stacks), loaded again with what the others give
  them (``Document.exports`` and ``nesting``);
* optionally ``document_keys``: the ``LoadResult.metadata`` keys that describe the one document
  (its exports, say), kept out of the scan's metadata.

The engine reads each document once and asks the loaders in order; it knows no format.

A folder loader (a format whose unit is a folder, or that decides which discovered folders are
roots: Terraform, Terragrunt) registers in ``FOLDER_LOADERS`` of the same module with:

* ``load(found, options, config) -> list[LoadResult]``: everything it loads from what discovery
  found (``hadr_lint.discover.Discovered``: its files, ``found.files[name]``), with its own
  caching and its own error entries;
* ``claims_file(file, scanned) -> bool``: the files discovery gives it (``scanned``: the scan
  path the file was found under); a claimed file is never a document;
* ``names_a_folder(path) -> bool`` and ``stand_in(path) -> list[Path]``: a file given as a scan
  path that stands for its folder (a ``.tfvars`` file), and what to discover instead of it;
* ``finds_elsewhere(path) -> bool``: a file whose findings are on other files (a Terragrunt
  unit's are on its module's): given as a changed file, every finding is kept;
* optionally ``skip_dirs``: folder names discovery never enters (what the format's own tools
  write, such as ``.terraform``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint.model import (
    Encoded,
    FirewallEndpoint,
    LoadError,
    LoadResult,
    Prefixed,
    Ref,
    Undefined,
)


@dataclass(frozen=True)
class Document:
    """One JSON or YAML file, read, with what a loader may need from the scan."""

    path: Path
    shown: str  # the path as reports show it
    text: str
    options: Any  # engine.ScanOptions: --region, --parameter, stack names
    config: Any  # config.Config
    display: Callable[[Path], str]  # how reports show another path
    exports: Mapping[str, Any] = field(default_factory=dict)  # from other templates
    nesting: Any = None  # stack_links: what a parent stack passes


# (paths, their results, reload(path, exports, nesting), ScanOptions, Config) -> the results,
# some loaded again with what other documents give them, then any notes
Link = Callable[[list[Path], list[LoadResult], Callable[[Path, Mapping[str, Any], Any],
                                                         LoadResult], Any, Any],
                list[LoadResult]]


@dataclass(frozen=True)
class DocumentLoader:
    name: str
    claims: Callable[[Path, str], bool]
    load: Callable[[Document], LoadResult | None]
    link: Link | None = None
    document_keys: tuple[str, ...] = ()  # metadata of the one document, not of the scan


def _no_file(path: Path) -> bool:
    return False


def _itself(path: Path) -> list[Path]:
    return [path]


def _no_files(file: Path, scanned: Path) -> bool:
    return False


@dataclass(frozen=True)
class FolderLoader:
    name: str
    load: Callable[[Any, Any, Any], list[LoadResult]]  # (Discovered, ScanOptions, Config)
    names_a_folder: Callable[[Path], bool] = _no_file
    stand_in: Callable[[Path], list[Path]] = _itself
    finds_elsewhere: Callable[[Path], bool] = _no_file
    claims_file: Callable[[Path, Path], bool] = _no_files
    skip_dirs: tuple[str, ...] = ()  # folder names discovery never enters


def guarded(where: str, load: Callable[[], Any], many: bool = False) -> Any:
    """Run a loader; an unexpected exception becomes an error entry, never a traceback."""
    try:
        return load()
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - the scan must go on
        error = LoadResult(errors=(LoadError(where, None, f"internal error while loading: "
                                                          f"{type(exc).__name__}: {exc}"),))
        return [error] if many else error


def namespaced(result: LoadResult, root: str, keep: tuple[str, ...] = ()) -> LoadResult:
    """Prefix addresses (and the Refs to them) with their root, unique across a scan. A Ref
    whose address starts with one of ``keep`` already names another root's resource (a
    Terragrunt dependency's output) and stays as it is."""
    prefix = f"{root}::"
    done: dict[int, Any] = {}  # a list shared by many resources (a splat) stays shared

    def rename(value: Any) -> Any:
        if isinstance(value, Ref):
            if value.address.startswith(keep):
                return value
            return Ref(prefix + value.address, value.attribute)
        if isinstance(value, Prefixed):
            return dataclasses.replace(value, ref=rename(value.ref))
        if isinstance(value, Encoded):
            return dataclasses.replace(value, value=rename(value.value))
        if isinstance(value, FirewallEndpoint):
            firewall = value.firewall if value.firewall.startswith(keep) else \
                prefix + value.firewall
            return dataclasses.replace(value, firewall=firewall, subnet=rename(value.subnet))
        if isinstance(value, Undefined):
            if value.address.startswith(keep):
                return value
            return dataclasses.replace(value, address=prefix + value.address)
        if isinstance(value, (list, dict)):
            if id(value) not in done:  # holds the original: its id is not reused meanwhile
                done[id(value)] = (value, [rename(v) for v in value] if isinstance(value, list)
                                   else {k: rename(v) for k, v in value.items()})
            return done[id(value)][1]
        return value

    resources = tuple(
        dataclasses.replace(r, address=prefix + r.address, raw=rename(dict(r.raw)))
        for r in result.resources
    )
    return dataclasses.replace(result, resources=resources)
