"""Which files are Terraform's: the configuration files of a folder and the variable files
Terraform reads by itself. Standard library only (its suffixes: ``terraform_claims``)."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.loaders.terraform_claims import TF_SUFFIXES

# OpenTofu's .tofu / .tofu.json files are Terraform files too (TF_SUFFIXES); where main.tofu and
# main.tf are both in a folder, only the .tofu one is read (OpenTofu's rule).
_TOFU_TWINS = ((".tf", ".tofu"), (".tf.json", ".tofu.json"))


def is_terraform_file(path: Path) -> bool:
    return path.name.endswith(TF_SUFFIXES)


def terraform_files(folder: Path) -> list[Path]:
    """The Terraform files of ``folder`` that are read, sorted: ``x.tf`` is left out when
    ``x.tofu`` is there (and ``x.tf.json`` when ``x.tofu.json`` is). A FIFO or device named like
    one is listed: reading it is a file error (``hadr_lint.text``), not a file silently missing
    from the module. Raises OSError."""
    files = sorted(p for p in folder.iterdir() if is_terraform_file(p)
                   and (p.is_file() or not (p.is_dir() or p.is_symlink())))
    names = {p.name for p in files}
    return [p for p in files if not _overridden(p.name, names)]


def _overridden(name: str, names: set[str]) -> bool:
    return any(name.endswith(tf) and name[: -len(tf)] + tofu in names
               for tf, tofu in _TOFU_TWINS)


def auto_var_files(folder: Path) -> list[Path]:
    """The variable files Terraform loads from a root folder without being told, in its order:
    terraform.tfvars(.json), then *.auto.tfvars(.json) by name."""
    found = [folder / "terraform.tfvars", folder / "terraform.tfvars.json"]
    found += sorted(folder.glob("*.auto.tfvars")) + sorted(folder.glob("*.auto.tfvars.json"))
    return [p for p in found if p.is_file()]
