"""The CloudFormation loader (see ``template``), with its decoder and the links between stacks.

The names other modules use are importable from here.
"""

from __future__ import annotations

from hadr_lint.loaders.cloudformation.template import (
    Joined,
    Nesting,
    claims,
    decode,
    load_document,
    load_file,
    load_template,
    looks_like_cloudformation,
)

__all__ = ["Joined", "Nesting", "claims", "decode", "load_document", "load_file",
           "load_template", "looks_like_cloudformation"]
