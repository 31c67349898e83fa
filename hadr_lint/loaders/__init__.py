"""One loader per format, and what they share.

A document loader (a JSON or YAML file: a Terraform plan, a CloudFormation template) registers
in ``hadr_lint.loaders.registry.DOCUMENT_LOADERS`` with two functions:

* ``claims(path, text) -> bool``: cheap, from the file name and the text already read: whether
  the file looks like its format;
* ``load(document) -> LoadResult | None``: read it (None: not its format after all, and the
  next loader that claims the file is asked).

The engine reads each document once and asks the loaders in order; it knows no format.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint.model import LoadResult, Prefixed, Ref, Undefined


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


@dataclass(frozen=True)
class DocumentLoader:
    name: str
    claims: Callable[[Path, str], bool]
    load: Callable[[Document], LoadResult | None]


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
