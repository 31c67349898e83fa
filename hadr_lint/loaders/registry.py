"""The loaders the engine asks. A new format adds one entry here.

Document loaders, in order: a plan is JSON that may also mention ``Resources``, so it is asked
first. Folder loaders: each gets what discovery found and loads its own roots.

A document loader's module is imported when a document is first offered to it: a scan of
Terraform files alone never imports the plan and CloudFormation loaders (4 ms of a pre-commit
run).
"""

from __future__ import annotations

from pathlib import Path

from hadr_lint.loaders import Document, DocumentLoader, FolderLoader
from hadr_lint.loaders.terraform import roots as terraform_roots
from hadr_lint.model import LoadResult


def _plan_claims(path: Path, text: str) -> bool:
    from hadr_lint.loaders import plan  # start-up: only when a document is offered

    return plan.claims(path, text)


def _plan_load(document: Document) -> LoadResult | None:
    from hadr_lint.loaders import plan  # start-up: only when a document is offered

    return plan.load_document(document)


def _cloudformation_claims(path: Path, text: str) -> bool:
    from hadr_lint.loaders import cloudformation  # start-up: only when a document is offered

    return cloudformation.claims(path, text)


def _cloudformation_load(document: Document) -> LoadResult | None:
    from hadr_lint.loaders import cloudformation  # start-up: only when a document is offered

    return cloudformation.load_document(document)


DOCUMENT_LOADERS = (
    DocumentLoader("terraform-plan", _plan_claims, _plan_load),
    DocumentLoader("cloudformation", _cloudformation_claims, _cloudformation_load),
)

FOLDER_LOADERS = (
    FolderLoader("terraform", terraform_roots.load_folders, terraform_roots.names_a_folder,
                 terraform_roots.stand_in, terraform_roots.finds_elsewhere),
)
