"""What the Terraform folder loader claims: its files, the scan paths that stand for a folder
or whose findings are elsewhere, the folders it keeps discovery out of. Standard library only,
and outside the ``hadr_lint.loaders.terraform`` package, whose ``__init__`` imports Lark and
python-hcl2 (30 to 40 ms): discovery asks these of every file, and a scan without Terraform
files (one CloudFormation template given to the pre-commit hook) never imports the loader
(``hadr_lint.loaders.registry``). The loading itself is ``terraform.roots``.
"""

from __future__ import annotations

from pathlib import Path

# OpenTofu's .tofu / .tofu.json files are Terraform files too (terraform/files.py).
TF_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
TERRAGRUNT = "terragrunt.hcl"
VAR_FILES = (".tfvars", ".tfvars.json")
# Folders ``terraform init`` and Terragrunt write (copies of modules): never walked; a module
# copied there is read through the call that names it.
SKIP_DIRS = (".terraform", ".terragrunt-cache")


def claims_file(file: Path, scanned: Path) -> bool:
    """Terraform files, variable files (read with their folder, never documents), and each
    Terragrunt unit's ``terragrunt.hcl`` outside hidden folders."""
    if file.name == TERRAGRUNT:
        return not _hidden(file, scanned)
    return file.name.endswith(TF_SUFFIXES + VAR_FILES)


def _hidden(file: Path, scanned: Path) -> bool:
    """A file in a hidden folder below the scanned path (``.boilerplate/``): Terragrunt's
    discovery skips those, so hadr-lint takes no unit from them either."""
    try:
        parts = file.relative_to(scanned).parts[:-1]
    except ValueError:
        return False
    return any(p.startswith(".") and p not in (".", "..") for p in parts)


def names_a_folder(path: Path) -> bool:
    """A variable file: given as a scan path, it stands for the Terraform folder beside it."""
    return path.name.endswith(VAR_FILES)


def finds_elsewhere(path: Path) -> bool:
    """A Terragrunt unit's findings are on its module's files."""
    return path.name == TERRAGRUNT

