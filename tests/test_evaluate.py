"""The Terraform expression evaluator and its function library, on real HCL snippets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from lark import Token, Tree

from hadr_lint.loaders.terraform.evaluate import (
    MAX_ELEMENTS,
    ChildScope,
    evaluate,
)
from hadr_lint.loaders.terraform.functions import FUNCTIONS
from hadr_lint.loaders.terraform.parse import parse_expression
from hadr_lint.model import AZ, Encoded, Ref, Unknown, ZoneList


class Resource(Mapping):
    """A resource instance: configured arguments, anything else a Ref to this resource."""

    def __init__(self, address: str, **configured: Any) -> None:
        self.address = address
        self.configured = configured

    def __getitem__(self, key: str) -> Any:
        return self.configured.get(key, Ref(self.address, key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)

    def __iter__(self) -> Iterator[str]:
        return iter(self.configured)

    def __len__(self) -> int:
        return len(self.configured)


class DictScope:
    def __init__(self, names: dict[str, Any]) -> None:
        self.names = names

    def lookup(self, name: str) -> Any:
        return self.names[name]


AZS = [AZ("us-east-1", i) for i in range(4)]
SCOPE = DictScope(
    {
        "var": {
            "env": "prod",
            "ha": True,
            "count": 3,
            "cidr": "10.0.0.0/16",
            "names": ["a", "b", "c"],
            "tags": {"team": "core", "env": "prod"},
            "nested": [[1, 2], [3, [4]]],
            "unknown": Unknown("var.unknown has no value"),
            "maybe": None,
            "nums": [5, 1, 3],
        },
        "local": {"prefix": "app", "zones": ["us-east-1a", "us-east-1b"]},
        "count": {"index": 1},
        "each": {"key": "k1", "value": "v1"},
        "path": {"module": "."},
        "aws_subnet": {
            "private": [
                Resource(f"aws_subnet.private[{i}]", availability_zone=AZS[i]) for i in range(3)
            ],
            "single": Resource("aws_subnet.single", cidr_block="10.0.1.0/24"),
        },
        "data": {"aws_availability_zones": {"available": {"names": AZS}}},
        "module": {"vpc": Unknown("module vpc was not loaded")},
    }
)


def ev(text: str, scope: Any = SCOPE) -> Any:
    return evaluate(parse_expression(text), scope)


def unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


# ---------------------------------------------------------------- literals and names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("1.5", 1.5),
        ("2.0", 2),
        ("1e3", 1000),
        ("true", True),
        ("null", None),
        ('"plain"', "plain"),
        ('[1, "two", null]', [1, "two", None]),
        ("[\n  1,\n  2,\n]", [1, 2]),
        ('{a = 1, "b" : 2}', {"a": 1, "b": 2}),
        ("{\n  in = 1\n  for = 2\n}", {"in": 1, "for": 2}),
        ("{(var.env) = 1}", {"prod": 1}),
        ("{ env = var.env }", {"env": "prod"}),
    ],
)
def test_literals(text: str, expected: Any) -> None:
    assert ev(text) == expected


def test_variables_and_locals() -> None:
    assert ev("var.env") == "prod"
    assert ev("var.tags.team") == "core"
    assert ev('var.tags["env"]') == "prod"
    assert ev("var.names[1]") == "b"
    assert ev("var.names.2") == "c"
    assert ev("local.zones[count.index]") == "us-east-1b"
    assert ev("each.value") == "v1"
    assert ev("path.module") == "."


def test_missing_names_give_unknown() -> None:
    assert unknown(ev("var.missing"))
    assert "not defined" in ev("nothing_here.x").reason
    assert unknown(ev("var.names[7]"))
    assert unknown(ev('var.tags["nope"]'))
    assert unknown(ev("var.env.attr"))


def test_unknown_propagates_with_first_reason() -> None:
    assert ev("var.unknown") == Unknown("var.unknown has no value")
    assert ev("var.unknown + 1") == Unknown("var.unknown has no value")
    assert ev("var.unknown.attr[0]") == Unknown("var.unknown has no value")
    assert ev("module.vpc.subnet_ids") == Unknown("module vpc was not loaded")
    assert ev("var.names[var.unknown]") == Unknown("var.unknown has no value")
    assert ev("upper(var.unknown)") == Unknown("var.unknown has no value")
    assert ev("-var.unknown") == Unknown("var.unknown has no value")


# ---------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 / 4", 2.5),
        ("10 / 5", 2),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ('"3" + 4', 7),
        ("-var.count", -3),
        ("!var.ha", False),
        ("var.count > 2", True),
        ("var.count <= 2", False),
        ('var.env == "prod"', True),
        ('var.env != "prod"', False),
        ('1 == "1"', False),
        ("[1, 2] == [1, 2]", True),
        ("{a = 1} == {a = 2}", False),
        ("var.maybe == null", True),
        ("true && false || true", True),
    ],
)
def test_operators(text: str, expected: Any) -> None:
    result = ev(text)
    assert result == expected and type(result) is type(expected)


def test_short_circuit() -> None:
    assert ev("false && var.unknown") is False
    assert ev("var.unknown && false") is False
    assert ev("true || var.unknown") is True
    assert ev("var.unknown || true") is True
    assert unknown(ev("true && var.unknown"))
    assert ev("var.maybe != null && var.maybe.x") is False


def test_conditionals() -> None:
    assert ev('var.ha ? "multi" : "single"') == "multi"
    assert ev("var.count > 5 ? 1 : 2") == 2
    assert ev('var.unknown ? "same" : "same"') == "same"
    assert ev('var.unknown ? "a" : "b"') == Unknown("var.unknown has no value")
    assert unknown(ev('"maybe" ? 1 : 2'))


def test_ref_and_az_comparisons() -> None:
    assert ev("aws_subnet.single.id == aws_subnet.single.id") is True
    assert ev("aws_subnet.single.id == aws_subnet.private[0].id") is False
    assert unknown(ev('aws_subnet.single.id == "subnet-123"'))
    first_zone = "data.aws_availability_zones.available.names[0]"
    assert ev(f"{first_zone} == aws_subnet.private[0].availability_zone") is True
    assert ev(f"{first_zone} != aws_subnet.private[2].availability_zone") is True
    assert unknown(ev(f'{first_zone} == "us-east-1a"'))


def test_division_by_zero_is_unknown() -> None:
    assert ev("1 / 0") == Unknown("division by zero")
    assert unknown(ev("5 % 0"))


# ---------------------------------------------------------------- resources, splats, indexes


def test_resource_attributes_are_refs() -> None:
    assert ev("aws_subnet.single.id") == Ref("aws_subnet.single", "id")
    assert ev("aws_subnet.single.cidr_block") == "10.0.1.0/24"
    assert ev("aws_subnet.private[2].arn") == Ref("aws_subnet.private[2]", "arn")
    assert ev("aws_subnet.single.tags.Name") == Ref("aws_subnet.single", "tags.Name")
    assert ev("aws_subnet.single.ipv6[0]") == Ref("aws_subnet.single", "ipv6[0]")


def test_splats_over_counted_resources() -> None:
    refs = [Ref(f"aws_subnet.private[{i}]", "id") for i in range(3)]
    assert ev("aws_subnet.private[*].id") == refs
    assert ev("aws_subnet.private.*.id") == refs
    assert ev("aws_subnet.private[*].availability_zone") == AZS[:3]
    assert ev("aws_subnet.private.*.id[0]") == refs[0]
    assert ev("aws_subnet.single[*].id") == [Ref("aws_subnet.single", "id")]
    assert ev("var.maybe[*]") == []
    assert ev("var.names[*]") == ["a", "b", "c"]
    assert ev("length(aws_subnet.private)") == 3
    assert unknown(ev("var.unknown[*].id"))


def test_availability_zone_indexing() -> None:
    scope = ChildScope(SCOPE, {"count": {"index": 2}})
    assert ev("data.aws_availability_zones.available.names[count.index]", scope) == AZS[2]
    assert ev("slice(data.aws_availability_zones.available.names, 0, 3)") == AZS[:3]
    names = "data.aws_availability_zones.available.names"
    assert ev(f"element({names}, 5)") == AZS[1]
    assert ev("length(distinct([for s in aws_subnet.private : s.availability_zone]))") == 3


def test_partially_known_collections() -> None:
    value = ev("[aws_subnet.single.id, var.unknown]")
    assert value == [Ref("aws_subnet.single", "id"), Unknown("var.unknown has no value")]
    assert ev("length([aws_subnet.single.id, var.unknown])") == 2
    assert ev("concat([var.unknown], [1])") == [Unknown("var.unknown has no value"), 1]
    assert ev('{a = var.unknown, b = "x"}.b') == "x"


def test_slice_of_an_unknown_list_has_a_known_length() -> None:
    """A shorter list fails the plan, so slice(x, a, b) has b - a items even when x is unknown;
    a literal list has as many items as it is written with."""
    reason = Unknown("module vpc was not loaded")
    assert ev("slice(module.vpc, 0, 1)") == [reason]
    assert ev("slice(module.vpc, 1, 3)") == [reason, reason]
    assert ev("length(slice(module.vpc, 0, 2))") == 2
    assert ev("[module.vpc[1]]") == [reason]
    assert ev("slice(aws_subnet.single.ids, 0, 1)") == [
        Unknown("aws_subnet.single.ids is only known after apply")]
    assert unknown(ev("slice(module.vpc, 0, var.unknown)"))
    assert unknown(ev("module.vpc"))  # the whole list: its length stays unknown
    assert unknown(ev("slice(module.vpc, 2, 1)"))  # Terraform rejects it
    assert unknown(ev('slice("text", 0, 1)'))


def test_zones_of_a_region_without_value() -> None:
    """names[i] of a region whose AZ count is unknown: the i-th zone of that region, distinct
    from names[j]; the list itself, its length and anything iterating it stay unknown."""
    scope = ChildScope(SCOPE, {
        "data": {"aws_availability_zones": {"available": {
            "names": ZoneList("region unknown"), "zone_ids": ZoneList("region unknown", None, "id")
        }}},
        "count": {"index": 1},
    })
    names = "data.aws_availability_zones.available.names"
    assert ev(f"{names}[0]", scope) == AZ(None, 0)
    assert ev(f"{names}[count.index]", scope) == AZ(None, 1)
    assert ev(f"{names}[0]", scope) != ev(f"{names}[1]", scope)
    assert ev(f"slice({names}, 0, 3)", scope) == [AZ(None, 0), AZ(None, 1), AZ(None, 2)]
    assert ev(f"element({names}, 1)", scope) == AZ(None, 1)
    assert ev("data.aws_availability_zones.available.zone_ids[2]", scope).form == "id"
    for text in (f"element({names}, 2)", f"length({names})", f"[for n in {names} : n]",
                 f"{names}[-1]", f"sort({names})"):
        assert unknown(ev(text, scope)), text
        assert not isinstance(ev(text, scope), ZoneList), text


# ---------------------------------------------------------------- for expressions


def test_for_expressions() -> None:
    assert ev("[for n in var.names : upper(n)]") == ["A", "B", "C"]
    assert ev('[for i, n in var.names : i if n != "b"]') == [0, 2]
    assert ev("[for v in var.tags : v]") == ["prod", "core"]
    assert ev("{for k, v in var.tags : v => k}") == {"core": "team", "prod": "env"}
    assert ev('{for n in var.names : n => 1 if n != "a"}') == {"b": 1, "c": 1}
    assert unknown(ev('[for n in var.names : n if n > "a"]'))
    grouped = ev('{for n in ["a", "b", "a"] : n => n...}')
    assert grouped == {"a": ["a", "a"], "b": ["b"]}
    assert ev("[for s in aws_subnet.private : s.id][1]") == Ref("aws_subnet.private[1]", "id")


def test_for_expression_unknowns_and_errors() -> None:
    assert ev("[for x in var.unknown : x]") == Unknown("var.unknown has no value")
    assert unknown(ev("[for x in var.names : x if var.unknown]"))
    assert unknown(ev('{for n in ["a", "a"] : n => 1}'))
    assert unknown(ev("{for x in var.names : var.unknown => x}"))
    assert ev("[for x in range(3) : x * x]") == [0, 1, 4]


def test_child_scope_binds_and_delegates() -> None:
    scope = ChildScope(SCOPE, {"item": {"name": "x"}})
    assert ev("item.name", scope) == "x"
    assert ev("var.env", scope) == "prod"
    with pytest.raises(KeyError):
        scope.lookup("nope")


# ---------------------------------------------------------------- templates and heredocs


def test_templates() -> None:
    assert ev('"${local.prefix}-${var.env}-${var.count}"') == "app-prod-3"
    assert ev('"${var.names}"') == ["a", "b", "c"]
    assert ev('"${aws_subnet.single.id}"') == Ref("aws_subnet.single", "id")
    assert ev('"ha=${var.ha} half=${1 / 2} n=${2.0}"') == "ha=true half=0.5 n=2"
    assert unknown(ev('"id-${aws_subnet.single.id}"'))
    assert unknown(ev('"x-${var.unknown}"'))
    assert unknown(ev('"x-${var.names}"'))
    assert ev('"a\\nb\\t\\"q\\" \\\\ \\u00e9 $${literal}"') == 'a\nb\t"q" \\ é ${literal}'
    assert ev('""') == ""


def test_template_directives() -> None:
    assert ev('"%{ if var.ha }multi%{ else }single%{ endif }"') == "multi"
    assert ev('"%{for n in var.names}${n},%{endfor}"') == "a,b,c,"
    assert ev('"x %{~ if var.count > 1 ~} many %{~ endif ~} y"') == "xmanyy"
    assert unknown(ev('"%{ if var.unknown }a%{ endif }"'))


def test_heredocs() -> None:
    plain = ev("<<EOT\nline one\n  line two\nEOT\n")
    assert plain == "line one\n  line two\n"
    trimmed = ev("<<-EOT\n    ${var.env}:\n      - ${local.prefix}\n    EOT\n")
    assert trimmed == "prod:\n  - app\n"
    assert ev('<<EOT\n{"Version": "$${v}"}\nEOT\n') == '{"Version": "${v}"}\n'
    assert ev("<<EOT\nEOT\n") == ""
    assert unknown(ev("<<EOT\nid = ${aws_subnet.single.id}\nEOT\n"))


def test_json_with_unknown_parts_keeps_its_structure() -> None:
    """jsonencode() of a value with unknown parts, and a heredoc that is JSON around unknown
    interpolations, are unknown text (an Encoded) whose structure still names what it uses."""
    encoded = ev('jsonencode([{image = "${aws_subnet.single.id}:1", n = var.unknown}])')
    assert isinstance(encoded, Encoded) and unknown(encoded)
    (item,) = encoded.value
    assert item["image"].ref == Ref("aws_subnet.single", "id") and item["image"].suffix == ":1"
    assert item["n"] == Unknown("var.unknown has no value")
    assert ev('jsonencode({a = "b"})') == '{"a":"b"}'
    assert unknown(ev("jsonencode(var.unknown)")) and \
        not isinstance(ev("jsonencode(var.unknown)"), Encoded)
    heredoc = ev('<<EOT\n[{"image": "${aws_subnet.single.id}:2", "env": "${var.env}",\n'
                 '  "id": "${aws_subnet.single.id}", "x": "a-${var.unknown}-b"}]\nEOT\n')
    assert isinstance(heredoc, Encoded)
    (item,) = heredoc.value
    assert item["image"].ref == Ref("aws_subnet.single", "id") and item["image"].suffix == ":2"
    assert item["env"] == "prod" and item["id"] == Ref("aws_subnet.single", "id")
    assert item["x"] == Unknown("var.unknown has no value")
    not_json = ev("<<EOT\nid = ${aws_subnet.single.id}\nEOT\n")
    assert unknown(not_json) and not isinstance(not_json, Encoded)


# ---------------------------------------------------------------- functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("concat([1], [2, 3], [])", [1, 2, 3]),
        ("element(var.names, 4)", "b"),
        ("slice(var.names, 1, 3)", ["b", "c"]),
        ("length(var.tags)", 2),
        ('length("héllo")', 5),
        ('lookup(var.tags, "team", "x")', "core"),
        ('lookup(var.tags, "nope", "x")', "x"),
        ('merge(var.tags, {team = "edge"}, null)', {"team": "edge", "env": "prod"}),
        ("keys(var.tags)", ["env", "team"]),
        ("values(var.tags)", ["prod", "core"]),
        ('toset(["b", "a", "b"])', ["b", "a"]),
        ("tolist(var.names)", ["a", "b", "c"]),
        ("tomap(var.tags)", {"team": "core", "env": "prod"}),
        ("tostring(5)", "5"),
        ("tostring(null)", None),
        ('tonumber("2.5")', 2.5),
        ('tobool("true")', True),
        ('format("%s-%03d-%q-%v-%t-%%", "a", 7, "q", [1], true)', 'a-007-"q"-[1]-true-%'),
        ('format("%-4s|%.2f", "ab", 3.14159)', "ab  |3.14"),
        ('formatlist("%s-%s", var.names, "x")', ["a-x", "b-x", "c-x"]),
        ('join(",", var.names)', "a,b,c"),
        ('split(",", "a,b,,c")', ["a", "b", "", "c"]),
        ('replace("a-b-c", "-", "_")', "a_b_c"),
        ('lower("ABC")', "abc"),
        ('upper("abc")', "ABC"),
        ('title("hello wORLD-x")', "Hello WORLD-X"),
        ('trimspace("  x \\n")', "x"),
        ('trim("?!x!?", "!?")', "x"),
        ('trimprefix("prod-app", "prod-")', "app"),
        ('trimsuffix("app.tf", ".tf")', "app"),
        ('startswith("prod-app", "prod")', True),
        ('endswith("prod-app", "prod")', False),
        ('substr("hello world", 1, 4)', "ello"),
        ('substr("hello", -3, -1)', "llo"),
        ('contains(var.names, "b")', True),
        ("contains(var.names, 1)", False),
        ('coalesce(var.maybe, "", "x")', "x"),
        ("coalescelist([], var.names)", ["a", "b", "c"]),
        ('compact(["a", "", null, "b"])', ["a", "b"]),
        ("flatten(var.nested)", [1, 2, 3, 4]),
        ("distinct([1, 2, 1, 2.0])", [1, 2]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ("range(3)", [0, 1, 2]),
        ("range(1, 7, 2)", [1, 3, 5]),
        ("range(3, 0)", [3, 2, 1]),
        ("min(3, 1, 2)", 1),
        ("max(var.nums...)", 5),
        ("abs(-4)", 4),
        ("ceil(1.2)", 2),
        ("floor(1.8)", 1),
        ("one([])", None),
        ('one(["x"])', "x"),
        ("alltrue([true, true])", True),
        ("anytrue([false, true])", True),
        (
            'jsonencode({b = [1, true, null], a = "<x>"})',
            '{"a":"\\u003cx\\u003e","b":[1,true,null]}',
        ),
        ("setunion([1, 2], [2, 3])", [1, 2, 3]),
        ("setintersection([1, 2, 3], [3, 2])", [2, 3]),
        ("setsubtract([1, 2, 3], [2])", [1, 3]),
        ('setproduct(["a", "b"], [1, 2])', [["a", 1], ["a", 2], ["b", 1], ["b", 2]]),
        ("reverse(var.names)", ["c", "b", "a"]),
        ('sort(["b", "c", "a"])', ["a", "b", "c"]),
        ('index(var.names, "c")', 2),
        ("chunklist(var.nums, 2)", [[5, 1], [3]]),
        ("sum(var.nums)", 9),
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ('cidrsubnet("fd00::/56", 8, 1)', "fd00:0:0:1::/64"),
        ('cidrsubnets("10.0.0.0/16", 4, 4, 8)', ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/24"]),
        ('cidrhost("10.0.1.0/24", 5)', "10.0.1.5"),
        ('cidrhost("10.0.1.0/24", -2)', "10.0.1.254"),
        ('base64encode("hi")', "aGk="),
        ('base64decode("aGk=")', "hi"),
        ('jsondecode("{\\"a\\": [1]}")', {"a": [1]}),
        ('chomp("x\\n\\n")', "x"),
        ('strrev("abc")', "cba"),
        ("signum(-3)", -1),
        ('sensitive("s")', "s"),
    ],
)
def test_functions(text: str, expected: Any) -> None:
    assert ev(text) == expected


def test_function_table_covers_the_brief() -> None:
    wanted = (
        "concat element slice length lookup merge keys values toset tolist tomap tostring "
        "tonumber tobool format formatlist join split replace lower upper title trimspace trim "
        "trimprefix trimsuffix startswith endswith substr contains coalesce coalescelist compact "
        "flatten distinct zipmap range min max abs ceil floor one alltrue anytrue jsonencode "
        "setunion setintersection setproduct reverse sort index chunklist sum cidrsubnet "
        "cidrhost base64encode"
    ).split()
    assert [name for name in wanted if name not in FUNCTIONS] == []


def test_functions_with_unknowns() -> None:
    assert ev("length(var.unknown)") == Unknown("var.unknown has no value")
    assert ev('coalesce("first", var.unknown)') == "first"
    assert unknown(ev('coalesce(var.unknown, "x")'))
    assert ev('contains([var.unknown, "b"], "b")') is True
    assert unknown(ev('contains([var.unknown], "b")'))
    assert unknown(ev("toset([var.unknown, 1])"))
    assert ev("alltrue([var.unknown, false])") is False
    assert unknown(ev("alltrue([var.unknown, true])"))
    assert unknown(ev('join(",", [aws_subnet.single.id])'))
    assert unknown(ev("jsonencode({id = aws_subnet.single.id})"))
    assert ev("distinct(aws_subnet.private[*].availability_zone)") == AZS[:3]
    assert ev("length(toset(concat(aws_subnet.private[*].id, aws_subnet.private[*].id)))") == 3
    assert unknown(ev('toset([aws_subnet.single.id, "subnet-1"])'))
    assert unknown(ev("concat(var.unknown...)"))


def test_unsupported_functions_are_unknown() -> None:
    assert ev('file("secret.txt")') == Unknown("function file is not supported")
    assert ev("timestamp()") == Unknown("function timestamp is not supported")
    assert ev('templatefile("x.tpl", {})') == Unknown("function templatefile is not supported")
    assert ev("uuid()") == Unknown("function uuid is not supported")
    assert ev('provider::aws::arn_parse("x")') == Unknown(
        "function provider::aws::arn_parse is not supported"
    )
    assert unknown(ev('replace("abc", "/b/", "x")'))


def test_function_errors_are_unknown() -> None:
    assert unknown(ev("element([], 0)"))
    assert unknown(ev('lookup(var.tags, "nope")'))
    assert unknown(ev("upper()"))
    assert unknown(ev("slice(var.names, 2, 1)"))
    assert unknown(ev('cidrsubnet("10.0.0.0/30", 8, 1)'))
    assert unknown(ev('cidrsubnet("not-a-cidr", 8, 1)'))
    assert unknown(ev('one(["a", "b"])'))
    assert unknown(ev('index(var.names, "z")'))
    assert unknown(ev('tonumber("abc")'))


def test_try_and_can() -> None:
    assert ev('try(var.missing, "fallback")') == "fallback"
    assert ev('try(var.tags.nope, var.tags.team, "x")') == "core"
    assert ev('try(var.unknown, "x")') == Unknown("var.unknown has no value")
    assert ev('try(lookup(var.tags, "nope"), element([], 0), 7)') == 7
    assert unknown(ev("try(var.missing, var.also_missing)"))
    assert ev("can(var.tags.team)") is True
    assert ev("can(var.tags.nope)") is False
    assert ev('can(tonumber("x"))') is False
    assert ev("can(var.unknown)") == Unknown("var.unknown has no value")
    assert ev("try(1 / 0, 0)") == 0


# ---------------------------------------------------------------- hostile input


def test_deep_nesting_is_unknown() -> None:
    node: Any = Tree("int_lit", [Token("INT_LITERAL", "1")])
    for _ in range(100_000):
        node = Tree("expr_term", [Token("LPAR", "("), node, Token("RPAR", ")")])
    assert ev_tree(node) == Unknown("expression nested too deeply")
    assert unknown(ev("[" * 3000 + "]" * 3000))
    assert ev("((((1))))") == 1


def ev_tree(node: Any) -> Any:
    return evaluate(node, SCOPE)


def test_expansion_is_capped() -> None:
    assert ev("range(1000000)") == Unknown("expansion capped")
    assert ev(f"length(range({MAX_ELEMENTS}))") == MAX_ELEMENTS
    assert unknown(ev("setproduct(range(1000), range(1000))"))
    assert unknown(ev("[for x in range(9000) : [for y in range(9000) : y]]"))
    assert unknown(ev('"%{for x in range(100000)}x%{endfor}"'))


def test_never_raises_on_odd_trees() -> None:
    assert unknown(ev_tree(Tree("no_such_rule", [])))
    assert unknown(ev_tree(Tree("expr_term", [])))
    assert unknown(ev_tree(Token("COMMA", ",")))
    assert ev_tree(Token("INT_LITERAL", "12")) == 12
    assert unknown(ev('"%{ if true }unterminated"'))


def test_parse_expression_rejects_non_expressions() -> None:
    with pytest.raises(ValueError):
        parse_expression("1 +")
    with pytest.raises(ValueError):
        parse_expression("1\ny = 2")


def test_basename_and_dirname_are_pure_string_functions():
    assert ev('basename("arn:aws:autoscaling:x/groups/web-asg")') == "web-asg"
    assert ev('basename("a/b/")') == "b"
    assert ev('dirname("modules/vpc/main.tf")') == "modules/vpc"
    assert ev('dirname("main.tf")') == "."


def test_regex_and_regexall():
    assert ev('regexall("^[a-z]{2}-", "us-east-1a")') == ["us-"]
    assert ev('regexall("^[a-z]{2}-", "use1-az1")') == []
    assert ev('regex("(?P<num>[0-9]+)-(?P<tier>[a-z]+)", "12-web")') == {"num": "12", "tier": "web"}
    assert ev('regex("([a-z]+)([0-9]+)", "ab12")') == ["ab", "12"]
    assert ev('try(regex("z", "abc"), "no match")') == "no match"
    assert isinstance(ev('regex("(", "a")'), Unknown)


def test_regex_on_a_symbolic_zone_name_is_decided_only_when_every_name_agrees():
    scope = ChildScope(SCOPE, {
        "name": AZ("eu-west-1", 1),
        "zone_id": AZ("eu-west-1", 1, "id"),
    })
    # terraform-aws-modules/vpc tells names from zone ids this way
    assert ev('length(regexall("^[a-z]{2}-", name)) > 0', scope) is True
    assert isinstance(ev('length(regexall("c$", name)) > 0', scope), Unknown)
    assert isinstance(ev('length(regexall("^[a-z]{2}-", zone_id)) > 0', scope), Unknown)


def test_a_pathological_pattern_times_out_as_unknown():
    text = "x" * 3000
    result = ev(f'regexall("(x+x+)+y", "{text}")')
    assert result == [] or isinstance(result, Unknown)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('upper("a", "b")', "wrong number of arguments to upper()"),
        ("cidrsubnet(\"10.0.0.0/16\", 8)", "wrong number of arguments to cidrsubnet()"),
        ("max()", None),  # variadic: its own rule (at least one), not the arity check
        ("concat()", []),
        ('coalesce("", "x", "y")', "x"),
        ('lookup({a = 1}, "b", 2)', 2),  # optional third argument
        ('lookup({a = 1}, "a")', 1),
    ],
)
def test_function_arity(text, expected):
    value = ev(text)
    if isinstance(expected, str) and expected.startswith("wrong number"):
        assert value == Unknown(expected)
    elif expected is None:
        assert unknown(value)
    else:
        assert value == expected


def test_a_reference_followed_by_text_is_unknown_but_keeps_its_reference():
    from hadr_lint.model import Prefixed, iter_refs

    value = ev('"${aws_subnet.single.arn}/vpc/"')
    assert isinstance(value, Prefixed) and unknown(value)
    assert value.ref == Ref("aws_subnet.single", "arn") and value.suffix == "/vpc/"
    assert list(iter_refs({"x": [value]})) == [Ref("aws_subnet.single", "arn")]
    assert type(ev('upper("${aws_subnet.single.arn}/vpc/")')) is Unknown  # an operation on it
    mentioned = ev('"vpc/${aws_subnet.single.arn}"')  # text first: mentions it, not prefixed
    assert isinstance(mentioned, Prefixed) and mentioned.prefix == "vpc/" and not mentioned.whole
    assert type(ev('"vpc/${aws_subnet.single.arn}/x"')) is Unknown  # text on both sides
    assert ev('"${var.env}/vpc/"') == "prod/vpc/"
