"""Test session settings: the parse cache is off for every test except tests/test_cache.py."""

from __future__ import annotations

import os

os.environ["HADR_LINT_NO_CACHE"] = "1"
