"""Which files are Terraform's: the configuration files of a folder and the variable files
Terraform reads by itself. Standard library only: the cache's Terraform entry (``cache.py``)
asks too, without loading the Terraform loader."""

from __future__ import annotations

from pathlib import Path

TF_SUFFIXES = (".tf", ".tf.json")


def is_terraform_file(path: Path) -> bool:
    return path.name.endswith(TF_SUFFIXES)


def auto_var_files(folder: Path) -> list[Path]:
    """The variable files Terraform loads from a root folder without being told, in its order:
    terraform.tfvars(.json), then *.auto.tfvars(.json) by name."""
    found = [folder / "terraform.tfvars", folder / "terraform.tfvars.json"]
    found += sorted(folder.glob("*.auto.tfvars")) + sorted(folder.glob("*.auto.tfvars.json"))
    return [p for p in found if p.is_file()]
