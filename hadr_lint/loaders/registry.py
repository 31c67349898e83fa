"""The loaders the engine asks. A new format adds one entry here.

Document loaders, in order: a plan is JSON that may also mention ``Resources``, so it is asked
first. Folder loaders: each gets what discovery found and loads its own roots.
"""

from __future__ import annotations

from hadr_lint.loaders import DocumentLoader, FolderLoader, cloudformation, plan
from hadr_lint.loaders.terraform import roots as terraform_roots

DOCUMENT_LOADERS = (
    DocumentLoader("terraform-plan", plan.claims, plan.load_document),
    DocumentLoader("cloudformation", cloudformation.claims, cloudformation.load_document),
)

FOLDER_LOADERS = (
    FolderLoader("terraform", terraform_roots.load_folders, terraform_roots.names_a_folder,
                 terraform_roots.stand_in, terraform_roots.finds_elsewhere),
)
