"""Terraform's suppressions: ``# hadr-lint:ignore`` (or ``//``) comments in ``.tf`` / ``.tofu``
files, read by the module evaluator (resource and module blocks), the Terragrunt loader (a unit's
``terraform`` block and attributes) and the plan loader (the Terraform files beside a plan).

Reading the comments on a run of lines is format-neutral (``hadr_lint.suppress``:
``comment_suppressions``); what is Terraform's is which lines a block covers and which
resources a suppression reaches: here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from hadr_lint.loaders.terraform.files import terraform_files
from hadr_lint.loaders.terraform.parse import HclSyntaxError, parse_blocks
from hadr_lint.model import Resource
from hadr_lint.result import Suppression
from hadr_lint.suppress import comment_suppressions, mentions
from hadr_lint.text import FileTooLarge, read_source


def inherit(resources: list[Resource], suppressions: Sequence[Suppression]) -> list[Resource]:
    """``resources`` with ``suppressions`` added to their own: those of a module call (or of a
    Terragrunt unit) apply to every resource inside the module, every instance."""
    if not suppressions:
        return resources
    return [replace(r, meta={**r.meta, "suppressions": [
        *r.meta.get("suppressions", ()), *suppressions]}) for r in resources]


def folder_suppressions(
    folder: Path, display: Callable[[Path], str]
) -> dict[str, list[Suppression]]:
    """Block address (``aws_s3_bucket.logs``, ``module.db``) -> its suppression comments, from
    the ``*.tf`` / ``*.tofu`` files of ``folder``; files that cannot be read or parsed are
    left out (a scan of the folder reports them)."""
    found: dict[str, list[Suppression]] = {}
    try:
        files = [p for p in terraform_files(folder) if not p.name.endswith(".json")]
    except OSError:
        files = []
    for file in files:
        try:
            text = read_source(file)
            if not mentions(text):
                continue
            blocks = parse_blocks(text, str(file))
        except (FileTooLarge, OSError, UnicodeDecodeError, HclSyntaxError):
            continue
        lines = text.splitlines()
        for block in blocks:
            if block.type == "resource" and len(block.labels) == 2:
                address = ".".join(block.labels)
            elif block.type == "module" and len(block.labels) == 1:
                address = f"module.{block.labels[0]}"
            else:
                continue
            group = comment_suppressions(lines, block.line, block.end_line, display(file), address)
            if group:
                found.setdefault(address, []).extend(group)
    return found
