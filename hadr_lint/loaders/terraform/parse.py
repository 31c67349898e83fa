"""The one adapter to python-hcl2: text to blocks with expression trees and line numbers.

python-hcl2's raw Lark tree keeps positions and every expression as a tree, so the loader
evaluates those trees itself instead of re-parsing the ``"${...}"`` strings of ``hcl2.loads``.
"""

from __future__ import annotations

import functools
import gc
import importlib
import io
import pickle
import sys
import types
from dataclasses import dataclass, field
from typing import Any

from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from hadr_lint import cache
from hadr_lint.loaders.syntax import hcl_message


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Any
    line: int


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    line: int
    end_line: int
    file: str = ""
    comments: tuple[tuple[int, str], ...] = field(default=(), compare=False)


class Node(Tree):
    """An expression tree node without positions; ``data`` is a plain string.

    The loader needs positions only for blocks and attributes (taken while parsing), so
    expressions drop them: a cached file unpickles three times faster.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple:
        return (Node, (self.data, self.children))


class Leaf(Token):
    """A token without positions (see Node)."""

    __slots__ = ()

    def __reduce__(self) -> tuple:
        return (Leaf, (self.type, str(self)))


def slim(node: Any) -> Any:
    """``node`` rebuilt from Node and Leaf: same shape, same text, no positions.

    Without recursion: hostile input nests expressions deeper than Python's stack.
    """
    if isinstance(node, Token):
        return Leaf(node.type, str(node))
    if not isinstance(node, Tree):
        return node
    top = Node(sys.intern(str(node.data)), [])
    todo = [(node, top)]
    while todo:
        source, target = todo.pop()
        for child in source.children:
            if isinstance(child, Tree):
                copy = Node(sys.intern(str(child.data)), [])
                todo.append((child, copy))
                target.children.append(copy)
            else:
                target.children.append(Leaf(child.type, str(child)) if isinstance(child, Token)
                                        else child)
    return top


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


PARSER_FILE = "hcl2-grammar.bin"  # the built parser, kept beside the cache entries


@functools.cache
def hcl_parser() -> Any:
    """python-hcl2's Lark parser, built as ``hcl2.parser.parser()`` builds it.

    Compiling the grammar takes about a second, so the built parser is kept in the user's cache
    (``hadr_lint.cache.keep``: owner-checked folder, HMAC verified before it is
    unpickled), pickled whole as it was built: unpickling it takes 10 ms, where lark's own
    ``memo_serialize`` form took 13 ms to unpickle and 40 ms more to rebuild (``_load_from_dict``),
    in every run that parses a changed file. python-hcl2's own cache file (lark's ``cache=``) is
    never read: lark would unpickle whatever lies at that path.
    """
    # A scan whose files are all in the parse cache never needs python-hcl2:
    # start-up: python-hcl2 costs 50 ms to import, only when the grammar is built or loaded
    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    entry = cache.key("hcl2-grammar")
    parser = _saved_parser(cache.load_kept(PARSER_FILE, entry))
    if not isinstance(parser, Lark):
        parser = Lark.open("hcl2.lark", rel_to=hcl2.parser.__file__, parser="lalr",
                           propagate_positions=True, postlex=PostLexer())
        try:
            cache.keep(PARSER_FILE, entry, dump_parser(parser))
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass  # another lark whose parser does not pickle: compiled on every run, as before
    # The parser lives as long as the process and its 40,000 objects hold no garbage: moved
    # out of the cycle collector's sight, they are never walked again (a pre-commit run spent
    # 20-25 ms in one collection of the youngest generation, mostly on them).
    gc.freeze()
    return parser


def _saved_parser(saved: Any) -> Any:
    """The parser pickled in ``saved`` (bytes that passed the cache's HMAC check: written by
    hadr-lint), None when there is none or it does not load. The cycle collector is held off
    while its objects are made: they are frozen right after (see ``hcl_parser``)."""
    if not isinstance(saved, bytes):
        return None
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(saved)
    except Exception:  # noqa: BLE001 - saved by another lark: compile it again
        return None
    finally:
        if collecting:
            gc.enable()


def dump_parser(parser: Any) -> bytes:
    """``parser`` (a Lark object not yet used: its lexers' regular expressions are compiled
    when first needed, never pickled) as a pickle.

    A Lark object pickles as it is but for two things: it keeps the ``re`` module, and its
    LALR table tells shifts from reductions by identity (``action is Shift``), so both are
    pickled by name and come back as the very objects lark compares with.
    """
    from lark.parsers import lalr_analysis  # lazy: lark, only when the grammar was compiled

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, types.ModuleType):
                return importlib.import_module, (obj.__name__,)
            if obj is lalr_analysis.Shift:
                return getattr, (lalr_analysis, "Shift")
            if obj is lalr_analysis.Reduce:
                return getattr, (lalr_analysis, "Reduce")
            return NotImplemented

    out = io.BytesIO()
    Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(parser)
    return out.getvalue()


def parse_raw(text: str) -> Tree:
    """python-hcl2's raw Lark tree of ``text`` (``hcl2.parses_to_tree``); lark's errors."""
    return hcl_parser().parse(text + "\n")


def parse_tree(text: str) -> Tree:
    """Parse HCL text into python-hcl2's raw Lark tree, raising HclSyntaxError."""
    if not text.endswith("\n"):
        text += "\n"
    try:
        return parse_raw(text)
    except UnexpectedInput as exc:
        raise HclSyntaxError(hcl_message(exc), getattr(exc, "line", None)) from None
    except (LarkError, RecursionError, ValueError) as exc:
        raise HclSyntaxError(f"cannot parse: {type(exc).__name__}", None) from None


def parse_blocks(text: str, file: str = "") -> list[Block]:
    """Top-level blocks of one HCL file."""
    tree = parse_tree(text)
    body = tree.children[0]
    return [_block(child, file) for child in _children(body, "block")]


def parse_body(text: str, file: str = "") -> tuple[dict[str, Attribute], list[Block]]:
    """Top-level attributes and blocks of one HCL file (a ``terragrunt.hcl``)."""
    body = parse_tree(text).children[0]
    attributes = {a.name: a for a in (_attribute(c) for c in _children(body, "attribute"))}
    return attributes, [_block(child, file) for child in _children(body, "block")]


def _children(tree: Tree, name: str) -> list[Tree]:
    return [c for c in tree.children if isinstance(c, Tree) and c.data == name]


def _name(node: Any) -> str:
    """Text of an identifier, keyword, literal_value or plain string label."""
    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(_string_text(p) for p in node.children if isinstance(p, Tree))
    return "".join(str(t) for t in node.scan_values(lambda v: isinstance(v, Token)))


def _string_text(part: Tree) -> str:
    return "".join(str(t) for t in part.children if isinstance(t, Token))


def _line(node: Any, default: int = 0) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not meta.empty:
        return meta.line
    return getattr(node, "line", default) or default


def _end_line(node: Any, default: int = 0) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not meta.empty:
        return meta.end_line
    return default


def _block(node: Tree, file: str) -> Block:
    head = []
    body = None
    for child in node.children:
        if isinstance(child, Tree) and child.data == "body":
            body = child
            break
        if isinstance(child, Tree) and child.data == "new_line_or_comment":
            continue
        if isinstance(child, Token):
            continue
        head.append(_name(child))
    line = _line(node)
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    comments: list[tuple[int, str]] = []
    if body is not None:
        for child in body.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                attr = _attribute(child)
                if attr.name in attributes:
                    first = attributes[attr.name].line
                    raise HclSyntaxError(f'argument "{attr.name}" is set twice (lines {first} '
                                         f"and {attr.line})", attr.line)
                attributes[attr.name] = attr
            elif child.data == "block":
                blocks.append(_block(child, file))
            elif child.data == "new_line_or_comment":
                comments.extend(_comments(child))
    return Block(
        type=head[0] if head else "",
        labels=tuple(head[1:]),
        attributes=attributes,
        blocks=tuple(blocks),
        line=line,
        end_line=_end_line(node, line),
        file=file,
        comments=tuple(comments),
    )


def _attribute(node: Tree) -> Attribute:
    name = _name(node.children[0])
    expr = node.children[-1]
    return Attribute(name=name, expr=slim(expr), line=_line(node) or _line(expr))


def _comments(node: Tree) -> list[tuple[int, str]]:
    found = []
    for token in node.children:
        if not isinstance(token, Token):
            continue
        text = str(token).strip()
        if text.startswith(("#", "//", "/*")):
            found.append((token.line or 0, text))
    return found


@dataclass(frozen=True)
class Literal:
    """A value written as plain JSON in a ``.tf.json`` file: no expression to evaluate."""

    value: Any


def traversal_text(node: Any) -> str:
    """``aws.dr`` for the expression ``aws.dr``: provider references are names, not values."""
    if isinstance(node, Literal):
        return str(node.value)
    if isinstance(node, Token):
        return str(node)
    parts = [str(t) for t in node.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME")]
    return ".".join(parts)


_PADDED = {"QMARK", "COLON", "EQ", "FOR_OBJECT_ARROW", "IN", "IF", "ELLIPSIS"}


def expression_text(node: Any, limit: int = 120) -> str:
    """An expression's source text, rebuilt from its tokens (``var.create ? 1 : 0``); cut at
    ``limit`` characters. Without recursion (see ``slim``)."""
    if isinstance(node, Literal):
        return str(node.value)[:limit]
    parts: list[str] = []
    todo: list[tuple[Any, str]] = [(node, "")]
    while todo and sum(len(p) for p in parts) <= limit:
        item, parent = todo.pop()
        if isinstance(item, Tree):
            todo.extend((child, str(item.data)) for child in reversed(item.children))
        elif isinstance(item, Token):
            text = str(item).strip()
            padded = parent == "binary_operator" or item.type in _PADDED
            after = item.type in ("COMMA", "FOR")
            parts.append(f" {text} " if padded else f"{text} " if after else text)
    text = "".join(parts).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def object_pairs(node: Any) -> list[tuple[str, str]]:
    """Key and value traversals of an object expression such as ``{ aws = aws.dr }``."""
    if isinstance(node, Literal):
        value = node.value if isinstance(node.value, dict) else {}
        return [(str(k), str(v)) for k, v in value.items()]
    pairs = []
    for elem in node.find_data("object_elem"):
        key = elem.children[0]
        value = elem.children[-1]
        pairs.append((traversal_text(key), traversal_text(value)))
    return pairs


_LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1}


def parse_json_blocks(text: str, file: str = "") -> list[Block]:
    """Top-level blocks of a ``.tf.json`` file (Terraform's JSON syntax)."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise HclSyntaxError(f"invalid JSON: {exc}", getattr(exc, "lineno", None)) from None
    if not isinstance(data, dict):
        raise HclSyntaxError("a .tf.json file must hold a JSON object", 1)
    blocks: list[Block] = []
    for block_type, content in data.items():
        for labels, body in _json_bodies(content, _LABELS.get(block_type, 0)):
            line = _json_line(text, labels[-1] if labels else block_type)
            blocks.append(_json_block(block_type, labels, body, line, file))
    return blocks


def _json_bodies(content: Any, depth: int, labels: tuple[str, ...] = ()):
    if depth == 0:
        for body in content if isinstance(content, list) else [content]:
            if isinstance(body, dict):
                yield labels, body
        return
    if isinstance(content, dict):
        for key, value in content.items():
            yield from _json_bodies(value, depth - 1, labels + (key,))


def _json_line(text: str, label: str) -> int:
    index = text.find(f'"{label}"')
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _json_block(kind: str, labels: tuple, body: dict, line: int, file: str) -> Block:
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for key, value in body.items():
        if key in ("lifecycle", "dynamic") or _is_block_list(value):
            for item in value if isinstance(value, list) else [value]:
                blocks.append(_json_block(key, (), item, line, file))
        else:
            attributes[key] = Attribute(key, _json_expr(value), line)
    return Block(kind, tuple(labels), attributes, tuple(blocks), line, line, file)


def _is_block_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _json_expr(value: Any) -> Any:
    import json

    if isinstance(value, str) and "${" in value:
        try:
            return parse_expression(json.dumps(value))
        except Exception:  # noqa: BLE001 - a template we cannot parse is an unknown value
            return Literal(value)
    return Literal(value)


def parse_expression(text: str) -> Tree:
    """Parse one HCL expression; ValueError when ``text`` is not exactly one expression."""
    try:
        tree = parse_raw(f"x = {text}")
    except Exception as exc:  # noqa: BLE001 - lark raises many error types
        raise ValueError(f"invalid expression: {exc}") from None
    body = _subtrees(tree)[0]
    attributes = [c for c in _subtrees(body) if c.data == "attribute"]
    if len(attributes) != 1 or len(_subtrees(body)) != 1:
        raise ValueError("invalid expression: more than one expression")
    return slim(attributes[0].children[-1])


def _subtrees(node: Tree) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def parse_attributes(text: str, file: str = "") -> dict[str, Attribute]:
    """Top-level ``name = value`` lines of a ``.tfvars`` file."""
    body = parse_tree(text).children[0]
    return {a.name: a for a in (_attribute(c) for c in _children(body, "attribute"))}
