"""Static evaluation of Terraform expressions, straight from python-hcl2's raw Lark tree.

``evaluate(node, scope)`` never raises: what cannot be decided statically becomes an
``Unknown`` with a reason, apply-time identities stay ``Ref``/``AZ`` values. Inside the
evaluator, expressions Terraform itself would reject raise ``EvaluationError`` so that
``try()`` and ``can()`` behave as in Terraform; at the top they turn into an Unknown.

Nothing from the input is ever executed or imported.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, Protocol

from lark import Token, Tree

from hadr_lint.loaders.terraform.functions import (
    MAX_ELEMENTS,
    MAX_STRING,
    EvaluationError,
    Undecidable,
    as_bool,
    as_int,
    as_num,
    as_str,
    call_function,
    equal,
    is_list,
    is_map,
    kind,
    need,
    normalise_number,
    symbolic_unknown,
)
from hadr_lint.loaders.terraform.parse import parse_expression
from hadr_lint.model import (
    AZ,
    DeployAccount,
    Encoded,
    FirewallEndpoint,
    Prefixed,
    Ref,
    Unknown,
    Unordered,
    ZoneList,
    arn_with_account,
    find_unknown,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "ChildScope",
    "EvaluationError",
    "Scope",
    "evaluate",
]

MAX_DEPTH = 200
MAX_STEPS = 10 * MAX_ELEMENTS
LAZY_FUNCTIONS = ("try", "can")


class Scope(Protocol):
    def lookup(self, name: str) -> Any:
        """The value of root name ``name``; KeyError when it is not defined."""


class ChildScope:
    """A scope binding extra names (for-iterators), delegating the rest to a parent."""

    def __init__(self, parent: Scope, names: dict[str, Any]) -> None:
        self.parent = parent
        self.names = names

    def lookup(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        return self.parent.lookup(name)

    def function(self, name: str) -> Any:
        """A function the scope adds to Terraform's (Terragrunt's), None when it adds none."""
        return scope_function(self.parent, name)


def scope_function(scope: Any, name: str) -> Any:
    """``scope.function(name)`` for a scope that defines extra functions, else None."""
    found = getattr(scope, "function", None)
    return found(name) if found is not None else None


class _TooDeep(Exception):
    pass


class _Capped(Exception):
    pass


def evaluate(node: Tree | Token, scope: Scope) -> Any:
    """The value of expression ``node`` in ``scope``; an Unknown instead of any error."""
    try:
        return _Evaluator(scope, [0]).eval(node, 0)
    except EvaluationError as exc:
        return Unknown(str(exc) or "evaluation error")
    except (_TooDeep, RecursionError):
        return Unknown("expression nested too deeply")
    except _Capped:
        return Unknown("expansion capped")
    except Exception as exc:  # noqa: BLE001 - evaluate must never raise
        return Unknown(f"cannot evaluate expression ({type(exc).__name__})")


def _splat_memo(scope: Any) -> dict | None:
    """The splat results of the module instance ``scope`` belongs to (``splats``): the value
    of ``aws_subnet.s[*].id`` is one list shared by 8,000 load balancers, not 8,000 copies."""
    while isinstance(scope, ChildScope):
        scope = scope.parent
    return getattr(scope, "splats", None)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _has_unknown(value: Any) -> bool:
    """Results holding an Unknown (maybe a cycle seen from inside) are not shared."""
    try:
        return find_unknown(value) is not None
    except RecursionError:
        return True


def _trees(node: Tree) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _tokens(node: Tree) -> list[str]:
    return [str(c) for c in node.children if isinstance(c, Token)]


def _name(node: Tree | Token) -> str:
    """The text of an identifier/keyword/literal_value node."""
    while isinstance(node, Tree):
        node = node.children[0]
    return str(node)


def _bare_identifier(node: Tree) -> str | None:
    """``name`` when ``node`` is just an identifier (an object key written without quotes)."""
    while isinstance(node, Tree) and node.data in ("object_elem_key", "expr_term"):
        children = _trees(node)
        if len(children) != 1 or len(node.children) != 1:
            break
        node = children[0]
    if isinstance(node, Tree) and node.data in ("identifier", "keyword"):
        return _name(node)
    return None


_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, match.group(0))

    return _ESCAPE.sub(replace, text)


def _template_text(value: Any) -> str | Unknown:
    """How a value renders inside a string template."""
    if isinstance(value, (Unknown, Ref, AZ)):
        return symbolic_unknown(value)
    if value is None:
        raise EvaluationError("cannot include null in a string template")
    if isinstance(value, str) or kind(value) in ("bool", "number"):
        return as_str(value)
    raise EvaluationError(f"cannot include a {kind(value)} in a string template")


class _Evaluator:
    def __init__(self, scope: Scope, steps: list[int]) -> None:
        self.scope = scope
        self.steps = steps

    def child(self, names: dict[str, Any]) -> _Evaluator:
        return _Evaluator(ChildScope(self.scope, names), self.steps)

    def step(self, count: int = 1) -> None:
        self.steps[0] += count
        if self.steps[0] > MAX_STEPS:
            raise _Capped()

    def eval(self, node: Tree | Token, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep()
        if isinstance(node, Token):
            return self.token(node, depth)
        handler = getattr(self, f"on_{node.data}", None)
        if handler is None:
            raise EvaluationError(f"unsupported expression {node.data}")
        try:
            return handler(node, depth + 1)
        except Undecidable as exc:
            return exc.unknown

    # ------------------------------------------------------------ literals and names

    def token(self, token: Any, depth: int) -> Any:
        kinds = {
            "NAME": lambda: self.lookup(str(token)),
            "INT_LITERAL": lambda: int(token),
            "FLOAT_LITERAL": lambda: normalise_number(float(token)),
            "STRING_CHARS": lambda: _unescape(str(token)),
            "HEREDOC_TEMPLATE": lambda: self.heredoc(str(token), False, depth),
            "HEREDOC_TEMPLATE_TRIM": lambda: self.heredoc(str(token), True, depth),
            "TEMPLATE_STRING": lambda: _unescape(str(token)[2:-2]),
        }
        if token.type in ("TRUE", "FALSE", "NULL"):
            return {"true": True, "false": False, "null": None}[str(token)]
        if token.type not in kinds:
            raise EvaluationError(f"unexpected token {token.type}")
        return kinds[token.type]()

    def lookup(self, name: str) -> Any:
        try:
            return self.scope.lookup(name)
        except KeyError:
            raise EvaluationError(f"{name} is not defined") from None

    def on_expr_term(self, node: Tree, depth: int) -> Any:
        children = _trees(node)
        if len(children) != 1:
            raise EvaluationError("malformed expression")
        return self.eval(children[0], depth)

    def on_identifier(self, node: Tree, depth: int) -> Any:
        return self.lookup(_name(node))

    def on_literal_value(self, node: Tree, depth: int) -> Any:
        return {"true": True, "false": False, "null": None}[_name(node)]

    def on_int_lit(self, node: Tree, depth: int) -> Any:
        return int(_name(node))

    def on_float_lit(self, node: Tree, depth: int) -> Any:
        return normalise_number(float(_name(node)))

    def on_template_string(self, node: Tree, depth: int) -> Any:
        return self.token(node.children[0], depth)

    def on_heredoc_template(self, node: Tree, depth: int) -> Any:
        return self.heredoc(str(node.children[0]), False, depth)

    def on_heredoc_template_trim(self, node: Tree, depth: int) -> Any:
        return self.heredoc(str(node.children[0]), True, depth)

    # ------------------------------------------------------------ collections

    def on_tuple(self, node: Tree, depth: int) -> Any:
        children = _trees(node)
        self.step(len(children))
        return [self.eval(child, depth) for child in children]

    def on_object(self, node: Tree, depth: int) -> Any:
        out: dict[str, Any] = {}
        for element in _trees(node):
            key_node, value_node = _trees(element)
            key = self.object_key(key_node, depth)
            if isinstance(key, Unknown):
                return key
            out[key] = self.eval(value_node, depth)
            self.step()
        return out

    def object_key(self, node: Tree, depth: int) -> str | Unknown:
        bare = _bare_identifier(node)
        if bare is not None:
            return bare
        children = _trees(node)
        key = self.eval(children[0], depth) if children else _name(node)
        return self.key_text(key)

    def key_text(self, key: Any) -> str | Unknown:
        if isinstance(key, (Unknown, Ref, AZ)):
            return symbolic_unknown(key)
        if key is None:
            raise EvaluationError("an object key must not be null")
        return as_str(key)

    # ------------------------------------------------------------ operators

    def on_conditional(self, node: Tree, depth: int) -> Any:
        condition_node, yes_node, no_node = _trees(node)
        condition = self.eval(condition_node, depth)
        if not isinstance(condition, (Unknown, Ref, AZ)):
            return self.eval(yes_node if as_bool(condition) else no_node, depth)
        reason = symbolic_unknown(condition)
        try:
            yes, no = self.eval(yes_node, depth), self.eval(no_node, depth)
        except EvaluationError:
            return reason
        return yes if equal(yes, no) is True else reason

    def on_unary_op(self, node: Tree, depth: int) -> Any:
        operator = _tokens(node)[0]
        value = self.eval(_trees(node)[0], depth)
        if operator == "!":
            return not as_bool(value)
        return normalise_number(-as_num(value))

    def on_binary_op(self, node: Tree, depth: int) -> Any:
        left_node, term = _trees(node)[:2]
        operator_node, right_node = _trees(term)[:2]
        operator = _name(operator_node)
        left = self.eval(left_node, depth)
        if operator in ("&&", "||"):
            return self.logical(operator, left, right_node, depth)
        right = self.eval(right_node, depth)
        if operator in ("==", "!="):
            result = equal(left, right)
            return result if isinstance(result, Unknown) or operator == "==" else not result
        return self.arithmetic(operator, left, right)

    def logical(self, operator: str, left: Any, right_node: Tree, depth: int) -> Any:
        decisive = operator == "||"
        left_bool = self.truth(left)
        if left_bool is decisive:
            return decisive
        right_bool = self.truth(self.eval(right_node, depth))
        if right_bool is decisive:
            return decisive
        for value in (left_bool, right_bool):
            if isinstance(value, Unknown):
                return value
        return not decisive

    def truth(self, value: Any) -> bool | Unknown:
        try:
            return as_bool(value)
        except Undecidable as exc:
            return exc.unknown

    def arithmetic(self, operator: str, left: Any, right: Any) -> Any:
        for value in (left, right):
            need(value)
        a, b = as_num(left), as_num(right)
        comparisons = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}
        if operator in comparisons:
            return comparisons[operator]
        if operator in ("/", "%") and b == 0:
            raise EvaluationError("division by zero")
        if operator == "+":
            return normalise_number(a + b)
        if operator == "-":
            return normalise_number(a - b)
        if operator == "*":
            return normalise_number(a * b)
        if operator == "/":
            return normalise_number(a / b)
        if operator == "%":
            return normalise_number(_remainder(a, b))
        raise EvaluationError(f"unsupported operator {operator}")

    # ------------------------------------------------------------ traversals

    def on_get_attr_expr_term(self, node: Tree, depth: int) -> Any:
        base_node, attr = _trees(node)
        return self.get_attr(self.eval(base_node, depth), _name(_trees(attr)[0]))

    def on_index_expr_term(self, node: Tree, depth: int) -> Any:
        base_node, index = _trees(node)
        base = self.eval(base_node, depth)
        return self.index(base, self.index_key(index, depth))

    def index_key(self, index: Tree, depth: int) -> Any:
        if index.data == "short_index":
            return int(_tokens(index)[-1])
        return self.eval(_trees(index)[0], depth)

    def get_attr(self, value: Any, name: str) -> Any:
        if isinstance(value, (Unordered, FirewallEndpoint, Prefixed)):
            return symbolic_unknown(value)
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Ref):
            return Ref(value.address, f"{value.attribute}.{name}")
        if is_map(value):
            if name in value:
                return value[name]
            missing = getattr(value, "missing", None)  # a resource name no block declares
            if missing is not None:
                return missing(name)
            raise EvaluationError(f"object has no attribute {name!r}")
        raise EvaluationError(f"cannot read attribute {name!r} of a {kind(value)} value")

    def index(self, value: Any, key: Any) -> Any:
        if isinstance(value, ZoneList):
            return self.zone(value, key)
        if isinstance(value, (Unordered, FirewallEndpoint, Prefixed)):
            return symbolic_unknown(value)  # a set's n-th element, a part of a string or value
        if isinstance(value, Unknown):
            return value
        if isinstance(key, (Unknown, Ref, AZ)):
            return symbolic_unknown(key)
        if isinstance(value, Ref):
            shown = f"[{key}]" if isinstance(key, int) else f'["{as_str(key)}"]'
            return Ref(value.address, value.attribute + shown)
        if is_list(value):
            position = as_int(key)
            if not 0 <= position < len(value):
                raise EvaluationError(f"index {position} out of range for {len(value)} items")
            return value[position]
        if is_map(value):
            name = as_str(key)
            if name in value:
                return value[name]
            raise EvaluationError(f"no element with key {name!r}")
        raise EvaluationError(f"cannot index a {kind(value)} value")

    def zone(self, zones: ZoneList, key: Any) -> Any:
        """``names[i]`` of a region whose AZ count is unknown: its i-th zone."""
        if isinstance(key, (Unknown, Ref, AZ)):
            return symbolic_unknown(key)
        position = as_int(key)
        if position < 0:
            raise EvaluationError(f"index {position} out of range")
        return zones.item(position)

    def on_full_splat_expr_term(self, node: Tree, depth: int) -> Any:
        base_node, splat = _trees(node)
        steps = [self.traversal(t, depth) for t in _trees(splat)]
        return self.splat(self.eval(base_node, depth), steps)

    def on_attr_splat_expr_term(self, node: Tree, depth: int) -> Any:
        base_node, splat = _trees(node)
        steps = [self.traversal(t, depth) for t in _trees(splat)]
        cut = next((i for i, t in enumerate(_trees(splat)) if t.data == "braces_index"), None)
        cut = len(steps) if cut is None else cut
        result = self.splat(self.eval(base_node, depth), steps[:cut])
        return self.apply(result, steps[cut:])

    def traversal(self, node: Tree, depth: int) -> tuple[str, Any]:
        if node.data == "get_attr":
            return ("attr", _name(_trees(node)[0]))
        return ("index", self.index_key(node, depth))

    def apply(self, value: Any, steps: list[tuple[str, Any]]) -> Any:
        for how, what in steps:
            value = self.get_attr(value, what) if how == "attr" else self.index(value, what)
        return value

    def splat(self, value: Any, steps: list[tuple[str, Any]]) -> Any:
        if isinstance(value, Unordered):
            return _unordered([self.apply(item, steps) for item in value.items], value.reason)
        if isinstance(value, (Unknown, Ref)):
            return symbolic_unknown(value)
        if value is None:
            return []
        memo, memo_key = _splat_memo(self.scope), (id(value), tuple(steps))
        found = memo.get(memo_key) if memo is not None and _hashable(memo_key) else None
        if found is not None and found[0] is value:
            return found[1]  # the same list read the same way: share the result
        items = list(value) if is_list(value) else [value]
        if len(items) > MAX_ELEMENTS:
            return Unknown("expansion capped")
        self.step(len(items))
        result = [self.apply(item, steps) for item in items]
        if memo is not None and _hashable(memo_key) and not _has_unknown(result):
            memo[memo_key] = (value, result)  # holds ``value``: its id is not reused
        return result

    # ------------------------------------------------------------ functions

    def on_function_call(self, node: Tree, depth: int) -> Any:
        names = [_name(c) for c in _trees(node) if c.data == "identifier"]
        name = "::".join(names)
        arguments = [c for c in _trees(node) if c.data == "arguments"]
        arg_nodes = _trees(arguments[0]) if arguments else []
        expand = bool(arguments) and "..." in _tokens(arguments[0])
        if name in LAZY_FUNCTIONS and not expand:
            return self.lazy_call(name, arg_nodes, depth)
        if "::" in name or name in LAZY_FUNCTIONS:
            return Unknown(f"function {name} is not supported")
        args = [self.eval(a, depth) for a in arg_nodes]
        if expand:
            need(args[-1])
            args = args[:-1] + list(_as_list_value(args[-1]))
        extra = scope_function(self.scope, name)
        return extra(*args) if extra is not None else call_function(name, args)

    def lazy_call(self, name: str, arg_nodes: list[Tree], depth: int) -> Any:
        if name == "can":
            if len(arg_nodes) != 1:
                raise EvaluationError("can() takes one argument")
            try:
                value = self.eval(arg_nodes[0], depth)
            except EvaluationError:
                return False
            return find_unknown(value) or True
        for arg in arg_nodes:
            try:
                return self.eval(arg, depth)
            except EvaluationError:
                continue
        raise EvaluationError("no argument of try() could be evaluated")

    # ------------------------------------------------------------ for expressions

    def iterate(self, collection: Any, unordered: bool = False) -> list[tuple[Any, Any]] | Unknown:
        """(key, value) pairs; ``unordered``: a set of unknown order (``Unordered``) may be
        iterated too, its keys (positions) unknown: for-expressions, never templates."""
        if unordered and isinstance(collection, Unordered):
            self.step(len(collection.items))
            position = Unknown(f"a position in it is unknown: {collection.reason}")
            return [(position, item) for item in collection.items]
        if isinstance(collection, (Unknown, Ref, AZ)):
            return symbolic_unknown(collection)
        if is_list(collection):
            pairs = list(enumerate(collection))
        elif is_map(collection):
            pairs = [(k, collection[k]) for k in sorted(collection.keys())]
        else:
            raise EvaluationError(f"cannot iterate over a {kind(collection)} value")
        if len(pairs) > MAX_ELEMENTS:
            return Unknown("expansion capped")
        self.step(len(pairs))
        return pairs

    def for_bindings(self, intro: Tree, depth: int) -> tuple[list[dict[str, Any]] | Unknown,
                                                            Unordered | None]:
        """The names each iteration binds, and the ``Unordered`` set iterated (else None)."""
        parts = _trees(intro)
        names = [_name(p) for p in parts[:-1]]
        collection = self.eval(parts[-1], depth)
        pairs = self.iterate(collection, unordered=True)
        if isinstance(pairs, Unknown):
            return pairs, None
        order = collection if isinstance(collection, Unordered) else None
        if len(names) == 1:
            return [{names[0]: value} for _, value in pairs], order
        return [{names[0]: key, names[1]: value} for key, value in pairs], order

    def selected(self, node: Tree, depth: int) -> tuple[list[_Evaluator] | Unknown,
                                                        Unordered | None]:
        """One evaluator per iteration that passes the ``if`` clause, and the ``Unordered`` set
        iterated (else None): their order is then unknown."""
        parts = _trees(node)
        bindings, order = self.for_bindings(parts[0], depth)
        if isinstance(bindings, Unknown):
            return bindings, None
        return self.kept(bindings, parts, depth), order

    def kept(self, bindings: list[dict[str, Any]], parts: list[Tree],
             depth: int) -> list[_Evaluator] | Unknown:
        """The iterations that pass the ``if`` clause; an Unknown when one cannot be decided."""
        condition = parts[-1] if parts[-1].data == "for_cond" else None
        out = []
        for names in bindings:
            inner = self.child(names)
            if condition is not None:
                keep = self.truth(inner.eval(_trees(condition)[0], depth))
                if isinstance(keep, Unknown):
                    return keep
                if not keep:
                    continue
            out.append(inner)
        return out

    def on_for_tuple_expr(self, node: Tree, depth: int) -> Any:
        evaluators, order = self.selected(node, depth)
        if isinstance(evaluators, Unknown):
            return evaluators
        body = _trees(node)[1]
        values = [inner.eval(body, depth) for inner in evaluators]
        return values if order is None else _unordered(values, order.reason)

    def on_for_object_expr(self, node: Tree, depth: int) -> Any:
        evaluators, order = self.selected(node, depth)
        if isinstance(evaluators, Unknown):
            return evaluators
        key_node, value_node = _trees(node)[1:3]
        grouping = "..." in _tokens(node)
        out: dict[str, Any] = {}
        for inner in evaluators:
            key = self.key_text(inner.eval(key_node, depth))
            if isinstance(key, Unknown):
                return key
            value = inner.eval(value_node, depth)
            if grouping:
                out.setdefault(key, []).append(value)
            elif key in out:
                raise EvaluationError(f"duplicate key {key!r} in for expression")
            else:
                out[key] = value
        if grouping and order is not None:  # a group's order is the set's: unknown
            return {key: _unordered(group, order.reason) for key, group in out.items()}
        return out

    # ------------------------------------------------------------ templates

    def on_string(self, node: Tree, depth: int) -> Any:
        items = [self.template_item(part) for part in _trees(node)]
        if len(items) == 1 and items[0][0] == "interp":
            return self.eval(items[0][1], depth)
        if len(items) == 2 and items[0][0] == "interp" and items[1][0] == "text":
            first = self.eval(items[0][1], depth)  # "${aws_s3_bucket.logs.arn}/vpc/"
            if isinstance(first, Ref):
                return Prefixed(symbolic_unknown(first).reason, first, items[1][1])
        if len(items) == 2 and items[0][0] == "text" and items[1][0] == "interp":
            last = self.eval(items[1][1], depth)  # "cluster:${aws_rds_cluster.main.id}"
            if isinstance(last, Ref) or isinstance(last, Prefixed) and last.whole:
                ref = last if isinstance(last, Ref) else last.ref
                return Prefixed(symbolic_unknown(last).reason, ref, prefix=items[0][1])
        segments = _build_template(_strip_markers(items))
        return self.render(segments, depth)

    def template_item(self, part: Tree) -> tuple:
        child = part.children[0]
        if isinstance(child, Token):
            text = str(child)
            if child.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                return ("text", text[1:])
            return ("text", _unescape(text))
        tokens = _tokens(child)
        strip = (len(tokens) > 1 and tokens[1] == "~", len(tokens) > 1 and tokens[-2] == "~")
        trees = _trees(child)
        if child.data == "interpolation":
            return ("interp", trees[0])
        if child.data == "template_if_start":
            return ("if", trees[0], *strip)
        if child.data == "template_for_start":
            return ("for", [_name(t) for t in trees[:-1]], trees[-1], *strip)
        return (child.data.replace("template_", ""), None, *strip)

    def render(self, segments: list[tuple], depth: int) -> str | Unknown:
        pieces: list[Any] = []
        for segment in segments:
            piece = self.render_segment(segment, depth)
            if isinstance(piece, Unknown):
                if segment[0] == "interp" and _arn_so_far(pieces):
                    return self.render_arn(pieces, piece, segments[len(pieces) + 1:], depth)
                return _plain(piece)
            pieces.append(piece)
            if sum(len(p) for p in pieces) > MAX_STRING:
                return Unknown("string too long")
        return "".join(pieces)

    def render_arn(self, pieces: list, unknown: Unknown, rest: list[tuple],
                   depth: int) -> Unknown:
        """The rest of an ARN template after its first unknown piece: an ``AccountArn`` when
        its account field is the caller identity's account (``arn_with_account``), else the
        first unknown, as any template with one."""
        parts = [*pieces, unknown]
        for segment in rest:
            try:
                piece = self.render_segment(segment, depth)
            except EvaluationError:
                return _plain(unknown)
            if isinstance(piece, Unknown) and segment[0] != "interp":
                return _plain(unknown)
            parts.append(piece)
        return arn_with_account(parts, "a string template") or _plain(unknown)

    def render_segment(self, segment: tuple, depth: int) -> str | Unknown:
        what = segment[0]
        if what == "text":
            return segment[1]
        if what == "interp":
            value = self.eval(segment[1], depth)
            return value if isinstance(value, DeployAccount) else _template_text(value)
        if what == "if":
            condition = self.truth(self.eval(segment[1], depth))
            if isinstance(condition, Unknown):
                return condition
            return self.render(segment[2] if condition else segment[3], depth)
        return self.render_for(segment, depth)

    def render_for(self, segment: tuple, depth: int) -> str | Unknown:
        _, names, collection_node, body = segment
        pairs = self.iterate(self.eval(collection_node, depth))
        if isinstance(pairs, Unknown):
            return pairs
        pieces = []
        for key, value in pairs:
            bound = {names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
            piece = self.child(bound).render(body, depth)
            if isinstance(piece, Unknown):
                return piece
            pieces.append(piece)
            if sum(len(p) for p in pieces) > MAX_STRING:
                return Unknown("string too long")
        return "".join(pieces)

    def heredoc(self, text: str, trim: bool, depth: int) -> Any:
        body = _heredoc_body(text, trim)
        if "${" not in body and "%{" not in body:
            return body.replace("$${", "${").replace("%%{", "%{")
        tree = _heredoc_tree(body)
        if tree is None:
            return Unknown("heredoc template could not be parsed")
        value = self.eval(tree, depth)
        if isinstance(value, str):
            return value
        encoded = self.json_with_holes(tree, depth) if isinstance(value, Unknown) else None
        return encoded if encoded is not None else _template_text(value)

    def json_with_holes(self, tree: Tree, depth: int) -> Encoded | None:
        """A heredoc that is JSON around unknown interpolations (container definitions naming
        ``${aws_ecr_repository.app.repository_url}``): an ``Encoded`` keeping the structure, a
        hole in a string its value (alone) or a ``Prefixed`` (a reference and text after it);
        None when the heredoc has directives or is not JSON."""
        while tree.data != "string" and len(_trees(tree)) == 1:
            tree = _trees(tree)[0]
        if tree.data != "string":
            return None
        items = [self.template_item(part) for part in _trees(tree)]
        if any(item[0] not in ("text", "interp") for item in items):
            return None
        holes: list[Any] = []
        text = []
        for item in items:
            if item[0] == "text":
                text.append(item[1])
                continue
            value = self.eval(item[1], depth)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                text.append(str(value))
                continue
            text.append(f"{HOLE}{len(holes)}{HOLE}")
            holes.append(value)
        try:
            decoded = json.loads("".join(text))
        except ValueError:
            return None
        first = next((h for h in holes if isinstance(h, (Unknown, Ref))), None)
        if first is None:
            return None
        reason = f"JSON text with unknown parts: {symbolic_unknown(first).reason}"
        return Encoded(reason, value=_filled(decoded, holes))


HOLE = "\u2063hole\u2063"  # invisible separators: allowed in JSON strings, unlikely text
HOLE_TEXT = re.compile(HOLE + r"(\d+)" + HOLE)


def _filled(value: Any, holes: list[Any]) -> Any:
    """A decoded JSON value with each hole's placeholder replaced by the hole's value."""
    if isinstance(value, list):
        return [_filled(v, holes) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, holes) for k, v in value.items()}
    if not isinstance(value, str) or HOLE not in value:
        return value
    parts = HOLE_TEXT.split(value)  # text, hole index, text, ...
    if parts[0] == "" and len(parts) == 3 and parts[2] == "":
        return holes[int(parts[1])]
    hole = holes[int(parts[1])]
    if parts[0] == "" and len(parts) == 3 and isinstance(hole, Ref):
        return Prefixed(symbolic_unknown(hole).reason, hole, parts[2])
    unknown = next(holes[int(i)] for i in parts[1::2])
    return Unknown(symbolic_unknown(unknown).reason)


def _arn_so_far(pieces: list) -> bool:
    """Whether a template's text before its first unknown piece starts an ARN."""
    return "".join(pieces).startswith("arn:")


def _plain(piece: Unknown) -> Unknown:
    """A template's unknown piece as the template's value: a deploying account inside a longer
    string is no longer that account."""
    return Unknown(piece.reason) if isinstance(piece, DeployAccount) else piece


@functools.lru_cache(maxsize=256)
def _heredoc_tree(body: str) -> Tree | None:
    """The parsed template of a heredoc body, None when it cannot be parsed; parsed once per
    text (every Terragrunt unit evaluates its root's generate block again)."""
    try:
        return parse_expression(_heredoc_as_string(body))
    except ValueError:
        return None


def _unordered(values: list, reason: str) -> Any:
    """Values read from a set in its unknown order: a list when there is at most one (its order
    is then known), else an ``Unordered`` set."""
    return list(values) if len(values) <= 1 else Unordered(reason, items=tuple(values))


def _as_list_value(value: Any) -> list:
    if is_list(value):
        return list(value)
    raise EvaluationError(f"cannot expand a {kind(value)} value into arguments")


def _remainder(a: int | float, b: int | float) -> int | float:
    """Terraform's %: the result has the sign of the dividend."""
    result = abs(a) % abs(b)
    return -result if a < 0 else result


def _strip_markers(items: list[tuple]) -> list[tuple]:
    """Apply ``%{~ ...}`` / ``%{... ~}`` whitespace stripping to neighbouring text."""
    items = list(items)
    for position, item in enumerate(items):
        if item[0] in ("text", "interp"):
            continue
        left, right = item[-2], item[-1]
        before = items[position - 1] if position else None
        after = items[position + 1] if position + 1 < len(items) else None
        if left and before and before[0] == "text":
            items[position - 1] = ("text", before[1].rstrip())
        if right and after and after[0] == "text":
            items[position + 1] = ("text", after[1].lstrip())
    return items


def _build_template(items: list[tuple]) -> list[tuple]:
    segments, position = _build_block(items, 0, ())
    if position != len(items):
        raise EvaluationError("malformed template directives")
    return segments


def _build_block(items: list[tuple], position: int, stops: tuple) -> tuple[list, int]:
    """Segments from ``position`` up to (not including) a directive named in ``stops``."""
    segments: list[tuple] = []
    while position < len(items):
        item = items[position]
        what = item[0]
        if what in stops:
            return segments, position
        if what in ("text", "interp"):
            segments.append(item[:2])
            position += 1
        elif what == "if":
            yes, position = _build_block(items, position + 1, ("else", "endif"))
            no: list = []
            if position < len(items) and items[position][0] == "else":
                no, position = _build_block(items, position + 1, ("endif",))
            _expect(items, position, "endif")
            segments.append(("if", item[1], yes, no))
            position += 1
        elif what == "for":
            body, position = _build_block(items, position + 1, ("endfor",))
            _expect(items, position, "endfor")
            segments.append(("for", item[1], item[2], body))
            position += 1
        else:
            raise EvaluationError(f"unexpected template directive {what}")
    return segments, position


def _expect(items: list[tuple], position: int, what: str) -> None:
    if position >= len(items) or items[position][0] != what:
        raise EvaluationError(f"template directive is missing its {what}")


def _heredoc_body(text: str, trim: bool) -> str:
    lines = [line.removesuffix("\r") for line in text.split("\n")[1:]]
    lines = lines[:-2] if lines and lines[-1] == "" else lines[:-1]
    if trim:
        widths = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip(" \t")]
        cut = min(widths, default=0)
        lines = [line[cut:] for line in lines]
    return "".join(line + "\n" for line in lines)


_QUOTE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _heredoc_as_string(body: str) -> str:
    """The heredoc body as an equivalent quoted-string template."""
    out, position = [], 0
    while position < len(body):
        if body.startswith(("$${", "%%{"), position):
            out.append(body[position : position + 3])
            position += 3
            continue
        end = _closing_brace(body, position + 2) if body.startswith(("${", "%{"), position) else -1
        if end >= 0:
            out.append(body[position : end + 1])
            position = end + 1
            continue
        out.append(_QUOTE_ESCAPES.get(body[position], body[position]))
        position += 1
    return '"' + "".join(out) + '"'


def _closing_brace(text: str, start: int) -> int:
    level = 1
    for position in range(start, len(text)):
        level += {"{": 1, "}": -1}.get(text[position], 0)
        if level == 0:
            return position
    return -1
