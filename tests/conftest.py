"""Test session settings: the parse cache is off for every test except tests/test_cache.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ["HADR_LINT_NO_CACHE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
IAC_SUFFIXES = (".tf", ".yaml", ".yml", ".json", ".template")


def iac_folders(*roots: str) -> list[Path]:
    """Every folder below ``roots`` (relative to the repository) that holds an IaC file."""
    found = []
    for top in roots:
        for folder in sorted((ROOT / top).rglob("*")):
            if folder.is_dir() and any(p.suffix in IAC_SUFFIXES
                                       for p in folder.iterdir() if p.is_file()):
                found.append(folder)
    return found


@pytest.fixture
def fixture_folders() -> Callable[..., list[Path]]:
    """``fixture_folders("fixtures/rules", ...)``: the fixture folders that hold IaC files."""
    return iac_folders
