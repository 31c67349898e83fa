"""The loaders the engine asks. A new format adds one entry here.

Document loaders, in order: a plan is JSON that may also mention ``Resources``, so it is asked
first. Folder loaders: each gets what discovery found and loads its own roots.

Each loader's module is imported when it first has something to do (``lazy``; the Terraform
folder loader's claims come from ``terraform_claims``, which imports no parser): a scan of
Terraform files alone imports neither the plan nor the CloudFormation loader, and a scan of
templates alone imports no Terraform loader, Lark or python-hcl2 (30 to 40 ms of a pre-commit
run).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hadr_lint.loaders import DocumentLoader, FolderLoader, terraform_claims
from hadr_lint.model import LoadResult

PLAN = "hadr_lint.loaders.plan"
CLOUDFORMATION = "hadr_lint.loaders.cloudformation"
STACK_LINKS = "hadr_lint.loaders.cloudformation.stack_links"
TERRAFORM = "hadr_lint.loaders.terraform.roots"
# cloudformation.exports.LINK_KEYS, named here so that the keys need no import of the loader
# (tests/test_document_loaders.py checks that they are the same)
CLOUDFORMATION_KEYS = ("exports", "imports", "unnamed_exports", "outputs", "nests")


def lazy(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported on the first call."""

    def call(*args: Any) -> Any:
        # start-up: a loader's module loads when the scan first needs it
        return getattr(importlib.import_module(module), name)(*args)

    call.__qualname__ = call.__name__ = f"{module}.{name}"
    return call


def _plan_claims(path: Path, text: str) -> bool:
    """``plan.claims``, asked of JSON files only (``terraform show -json`` writes JSON): a YAML
    template never imports the plan loader."""
    return path.suffix == ".json" and bool(lazy(PLAN, "claims")(path, text))


def _link_templates(paths: list[Path], loaded: list[LoadResult], *rest: Any) -> list[LoadResult]:
    """``stack_links.link_documents``; without documents there is nothing to link."""
    if not paths:
        return list(loaded)
    return lazy(STACK_LINKS, "link_documents")(paths, loaded, *rest)


def _load_terraform(found: Any, options: Any, config: Any) -> list[LoadResult]:
    """``terraform.roots.load_folders``; without Terraform files discovered (``found``:
    ``discover.Discovered``) there is nothing to load."""
    if not found.files.get("terraform"):
        return []
    return lazy(TERRAFORM, "load_folders")(found, options, config)


DOCUMENT_LOADERS = (
    DocumentLoader("terraform-plan", _plan_claims, lazy(PLAN, "load_document")),
    DocumentLoader("cloudformation", lazy(CLOUDFORMATION, "claims"),
                   lazy(CLOUDFORMATION, "load_document"), _link_templates, CLOUDFORMATION_KEYS),
)

FOLDER_LOADERS = (
    FolderLoader("terraform", _load_terraform, terraform_claims.names_a_folder,
                 lazy(TERRAFORM, "stand_in"), terraform_claims.finds_elsewhere,
                 terraform_claims.claims_file, terraform_claims.SKIP_DIRS),
)


def document_keys() -> frozenset[str]:
    """Metadata keys that describe one document: never merged into the scan's metadata."""
    return frozenset(key for loader in DOCUMENT_LOADERS for key in loader.document_keys)


def skip_dirs() -> frozenset[str]:
    """Folder names discovery never enters, besides ``discover.SKIP_DIRS`` (version control,
    caches): what the folder loaders' formats write."""
    return frozenset(name for loader in FOLDER_LOADERS for name in loader.skip_dirs)
