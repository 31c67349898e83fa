"""The document loaders the engine asks, in order: a plan is JSON that may also mention
``Resources``, so it is asked first. A new format adds one entry here."""

from __future__ import annotations

from hadr_lint.loaders import DocumentLoader, cloudformation, plan

DOCUMENT_LOADERS = (
    DocumentLoader("terraform-plan", plan.claims, plan.load_document),
    DocumentLoader("cloudformation", cloudformation.claims, cloudformation.load_document),
)
