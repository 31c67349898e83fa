"""Whether the quicker routes that give the same result are on: block-by-block HCL parsing
(terraform/blocks.py) and hadr-lint's own YAML decoder for CloudFormation
(cloudformation/fast_yaml.py).
``HADR_LINT_FAST_PATHS=0`` turns them off, to compare (tests/test_fast_paths.py)."""

from __future__ import annotations

import os

ENV_FAST_PATHS = "HADR_LINT_FAST_PATHS"


def fast_paths() -> bool:
    return os.environ.get(ENV_FAST_PATHS, "1") != "0"
