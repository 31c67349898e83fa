"""Decode a CloudFormation template as cfn-lint's decoder does, without importing cfn-lint.

``import cfnlint.decode`` imports the whole linter (sympy, networkx: about 0.3 s), four fifths of
a pre-commit run on one changed template. This module builds the same values on PyYAML's C
loader: mappings, sequences and strings carry ``start_mark`` / ``end_mark`` (0-based ``line``
and ``column``), short-form tags become long form (``!GetAtt A.B`` is ``{"Fn::GetAtt": ["A",
"B"]}``), an empty document is an empty mapping. Its classes are defined here, so a loaded
template can be pickled into the parse cache (cfn-lint's are local classes, which cannot).

It only decodes templates cfn-lint would decode without a complaint, the same way
(cfnlint/decode/cfn_yaml.py, MIT-0, is the reference; ``tests/test_fast_paths.py`` compares both on
every template of the fixtures and pins the cfn-lint versions checked). Anything else raises
``Fallback`` and the caller asks cfn-lint, for its exact values and error messages: YAML errors
(JSON with tabs included), duplicate or null keys, merge keys, anchors and aliases, more nodes
than cfn-lint accepts, unusual ``!GetAtt`` forms.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from hadr_lint.loaders.cloudformation.nodes import DictNode, ListNode, Mark, StrNode
from hadr_lint.loaders.fast import fast_paths

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml: same values, slower
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 250_000  # cfn-lint rejects more once aliases are expanded (checked when "&" occurs)
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s,\[\]{}]", re.MULTILINE)
_UNCONVERTED = ("Ref", "Condition")


class Fallback(Exception):
    """Not decoded here: cfn-lint's decoder gives the answer (values or errors)."""


def _mark(mark: Any) -> Mark:
    return Mark(mark.line, mark.column)


class _Constructor(SafeConstructor):
    """cfn-lint's NodeConstructor, where each of its error cases is a Fallback instead."""

    def flatten_mapping(self, node: MappingNode) -> None:
        if any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value):
            raise Fallback("merge key")
        super().flatten_mapping(node)

    def construct_cfn_map(self, node: MappingNode) -> Any:
        self.flatten_mapping(node)
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, False)
            self.construct_object(value_node, False)
            if key is None:
                raise Fallback("null key")
            try:
                if key in mapping:
                    raise Fallback("duplicate key")
                mapping[key] = None
            except TypeError:
                raise Fallback("unhashable key") from None
        (obj,) = SafeConstructor.construct_yaml_map(self, node)
        return DictNode(obj, _mark(node.start_mark), _mark(node.end_mark))

    def construct_cfn_str(self, node: ScalarNode) -> StrNode:
        value = SafeConstructor.construct_yaml_str(self, node)
        return StrNode(value, _mark(node.start_mark), _mark(node.end_mark))

    def construct_cfn_seq(self, node: SequenceNode) -> ListNode:
        (obj,) = SafeConstructor.construct_yaml_seq(self, node)
        return ListNode(obj, _mark(node.start_mark), _mark(node.end_mark))

    def construct_getatt(self, node: Any) -> ListNode:
        start, end = _mark(node.start_mark), _mark(node.end_mark)
        if isinstance(node.value, str):
            return ListNode(node.value.split(".", 1), start, end)
        if isinstance(node.value, list) and not any(isinstance(v, tuple) for v in node.value):
            return ListNode([self.construct_object(child, deep=True) for child in node.value],
                            start, end)
        raise Fallback("unusual !GetAtt")


def _intrinsic(loader: Any, suffix: str, node: Any) -> DictNode:
    """``!Name value``: ``{"Fn::Name": value}`` (``Ref`` and ``Condition`` keep their name)."""
    name = suffix if suffix in _UNCONVERTED else f"Fn::{suffix}"
    start, end = _mark(node.start_mark), _mark(node.end_mark)
    if name == "Fn::GetAtt":
        return DictNode({name: loader.construct_getatt(node)}, start, end)
    if isinstance(node, ScalarNode):
        return DictNode({name: loader.construct_scalar(node)}, start, end)
    if isinstance(node, SequenceNode):
        return DictNode({name: loader.construct_sequence(node, True)}, start, end)
    if isinstance(node, MappingNode):
        return DictNode({name: loader.construct_mapping(node, True)}, start, end)
    raise Fallback("bad tag")


class _TemplateLoader(_Loader, _Constructor):
    def __init__(self, stream: str) -> None:
        _Loader.__init__(self, stream)
        _Constructor.__init__(self)


# Registered under their own names: PyYAML's construct_yaml_* are generators (two-step
# construction) the node classes do not need.
def _map(loader: Any, node: Any) -> Any:
    return loader.construct_cfn_map(node)


def _str(loader: Any, node: Any) -> Any:
    return loader.construct_cfn_str(node)


def _seq(loader: Any, node: Any) -> Any:
    return loader.construct_cfn_seq(node)


_TemplateLoader.add_constructor("tag:yaml.org,2002:map", _map)
_TemplateLoader.add_constructor("tag:yaml.org,2002:str", _str)
_TemplateLoader.add_constructor("tag:yaml.org,2002:seq", _seq)
_TemplateLoader.add_multi_constructor("!", _intrinsic)


def loads(text: str) -> Any:
    """The template in ``text`` as cfn-lint's ``decode_str`` returns it; raises Fallback."""
    if "&" in text and _has_anchor(text):
        raise Fallback("anchor")
    loader = _TemplateLoader(text)
    try:
        data = loader.get_single_data()
    except Fallback:
        raise
    except Exception as exc:  # noqa: BLE001 - cfn-lint words every other problem itself
        raise Fallback(type(exc).__name__) from None
    finally:
        loader.dispose()
    if data is None:
        return DictNode({}, Mark(0, 0), Mark(0, 0))
    if "&" in text and _count(data) > MAX_NODES:
        raise Fallback("too many nodes")
    return data


def loads_or_none(text: str) -> Any | None:
    """``loads(text)``, or None when cfn-lint must decode it (``Fallback``) or fast paths are
    off (``HADR_LINT_FAST_PATHS=0``)."""
    if not fast_paths():
        return None
    try:
        return loads(text)
    except Fallback:
        return None


def _has_anchor(text: str) -> bool:
    """True when the text may hold a YAML anchor (and so aliases): a cheap pattern first, the
    scanner's tokens when it matches (``&&`` in a shell script matches the pattern)."""
    if not _ANCHOR.search(text):
        return False
    try:
        return any(isinstance(token, (yaml.AnchorToken, yaml.AliasToken))
                   for token in yaml.scan(text, Loader=_Loader))
    except yaml.YAMLError:
        return True


def _count(data: Any) -> int:
    """Nodes in ``data``, as cfn-lint counts them (no aliases here, so no sharing)."""
    total = 0
    todo = [data]
    while todo:
        node = todo.pop()
        total += 1
        if isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return total
