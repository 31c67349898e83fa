"""Decoding a template: YAML or JSON text into cfn-lint's node values, once per file.

``fast_yaml`` decodes ordinary templates as cfn-lint's decoder does, without importing cfn-lint
(0.3 s); anything else goes to cfn-lint's decoder (short-form tags, line marks, duplicate keys,
alias-bomb guard). Errors name the file and line; decoding never raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from hadr_lint.model import LoadError
from hadr_lint.text import MAX_NESTING, nesting_bound

# CloudFormation's quota "template body size in an Amazon S3 object" is 1 MB (51,200 bytes
# inline); read as 1 MiB, so no template CloudFormation accepts is refused. A larger file cannot
# be deployed, and is not handed to cfn-lint's decoder (quadratic on wide mappings: a 4.7 MB
# template with one mapping of tens of thousands of keys took over a minute).
MAX_TEMPLATE_BYTES = 1_048_576
_TYPE_NAME = re.compile(r"^(AWS|Custom|Alexa)::[A-Za-z0-9_@-]+|^[A-Za-z0-9]+::[A-Za-z0-9]+::\w+")


def looks_like_cloudformation(data: object) -> bool:
    """True for a decoded mapping that is a CloudFormation template."""
    if not isinstance(data, Mapping):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    if not isinstance(resources, Mapping):
        return False
    for body in resources.values():
        if isinstance(body, Mapping) and isinstance(body.get("Type"), str):
            if _TYPE_NAME.match(body["Type"]):
                return True
    return False


def decode(text: str, path: str = "") -> tuple[object | None, tuple[LoadError, ...]]:
    """Decode YAML or JSON text once: (data, errors). Never raises."""
    if nesting_bound(text) > MAX_NESTING:  # libyaml would overflow the C stack: a segfault
        message = f"cannot decode template: nested more than {MAX_NESTING} levels deep"
        return None, (LoadError(path, None, message),)
    size = _utf8_size(text)
    if size > MAX_TEMPLATE_BYTES:
        message = (f"template is {size:,} bytes, over the 1 MB ({MAX_TEMPLATE_BYTES:,} bytes) "
                   "CloudFormation accepts: it cannot be deployed, and is not decoded")
        return None, (LoadError(path, None, message),)
    try:
        # start-up: PyYAML only when a template is decoded (a cached one needs neither)
        from hadr_lint.loaders.cloudformation.fast_yaml import loads_or_none

        fast = loads_or_none(text)  # without importing cfn-lint (0.3 s), when it can
        if fast is not None:
            return fast, ()
        import cfnlint.decode  # start-up: cfn-lint (0.3 s) only for what fast_yaml leaves to it

        data, matches = cfnlint.decode.decode_str(text)
    except Exception as exc:  # decoding must never surface a traceback
        return None, (LoadError(path, None, f"cannot decode template: {exception_text(exc)}"),)
    last = max(len(text.splitlines()), 1)  # an error at the end of the file is on its last line
    errors = _yaml_syntax(text, path, _match_errors(matches, path))
    errors = tuple(replace(e, line=min(e.line, last)) if e.line else e for e in errors)
    return (None, errors) if errors else (data, ())


def _utf8_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8 (the file was UTF-8, or UTF-16/32 with a BOM)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _yaml_syntax(text: str, path: str, errors: tuple[LoadError, ...]) -> tuple[LoadError, ...]:
    """cfn-lint's (libyaml's) words for a YAML syntax error drop the construct it is in: when
    YAML text fails to decode, PyYAML's parser says which (``loaders.syntax``)."""
    if not errors or text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):  # JSON: as is
        return errors
    # only when a YAML template fails to decode: PyYAML's pure-Python parser words the error
    from hadr_lint.loaders.syntax import yaml_error

    found = yaml_error(text)
    if found is None:
        return errors
    line, message = found
    return (LoadError(path, line, f"cannot parse template: {message}"),)


def _match_errors(matches: list, path: str) -> tuple[LoadError, ...]:
    errors: list[LoadError] = []
    for match in matches or ():
        line = getattr(match, "linenumber", None)
        line = line if isinstance(line, int) and line > 0 else None
        text = " ".join(str(getattr(match, "message", match)).split())  # one readable line
        error = LoadError(path, line, f"cannot parse template: {text}")
        if error not in errors:
            errors.append(error)
    return tuple(errors)


def exception_text(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def kind_of(data: object) -> str:
    if data is None:
        return "an empty document"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, str):
        return "a string"
    return type(data).__name__
