"""The CloudFormation loader, one module per step:

- ``template``: the engine's entry and the order of the steps, one template into Resources;
- ``decode``: YAML or JSON text into node values, with ``fast_yaml`` (hadr-lint's own decoder,
  no cfn-lint import) and ``nodes`` (its values, picklable for the parse cache);
- ``context``: limits, a template's ``Context`` and the values shared by the steps;
- ``resources``: parameters and resources; ``intrinsics`` and ``conditions``: resolved statically;
- ``exports`` (what one template offers and imports) and ``stack_links`` (templates linked across
  the scan: exports and nested stacks).

The names other modules use are importable from here.
"""

from __future__ import annotations

from hadr_lint.loaders.cloudformation.context import Joined, Nesting
from hadr_lint.loaders.cloudformation.decode import decode, looks_like_cloudformation
from hadr_lint.loaders.cloudformation.template import (
    claims,
    load_document,
    load_file,
    load_template,
)

__all__ = ["Joined", "Nesting", "claims", "decode", "load_document", "load_file",
           "load_template", "looks_like_cloudformation"]
