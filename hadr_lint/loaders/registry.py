"""The loaders the engine asks. A new format adds one entry here.

Document loaders, in order: a plan is JSON that may also mention ``Resources``, so it is asked
first. Folder loaders: each gets what discovery found and loads its own roots.
"""

from __future__ import annotations

from hadr_lint.loaders import DocumentLoader, FolderLoader, cloudformation, plan
from hadr_lint.loaders.cloudformation import exports, stack_links
from hadr_lint.loaders.terraform import roots as terraform_roots

DOCUMENT_LOADERS = (
    DocumentLoader("terraform-plan", plan.claims, plan.load_document),
    DocumentLoader("cloudformation", cloudformation.claims, cloudformation.load_document,
                   stack_links.link_documents, exports.LINK_KEYS),
)

FOLDER_LOADERS = (
    FolderLoader("terraform", terraform_roots.load_folders, terraform_roots.names_a_folder,
                 terraform_roots.stand_in, terraform_roots.finds_elsewhere,
                 terraform_roots.claims_file, terraform_roots.SKIP_DIRS),
)


def document_keys() -> frozenset[str]:
    """Metadata keys that describe one document: never merged into the scan's metadata."""
    return frozenset(key for loader in DOCUMENT_LOADERS for key in loader.document_keys)


def skip_dirs() -> frozenset[str]:
    """Folder names discovery never enters, besides ``discover.SKIP_DIRS`` (version control,
    caches): what the folder loaders' formats write."""
    return frozenset(name for loader in FOLDER_LOADERS for name in loader.skip_dirs)
