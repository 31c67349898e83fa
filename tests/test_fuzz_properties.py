"""Property-based tests: the loaders and the evaluator never raise, whatever they are given.

Bounded to run in CI in seconds; fuzz/ holds the coverage-guided harnesses for longer runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hadr_lint.loaders.cloudformation import load_file
from hadr_lint.loaders.plan import load_plan
from hadr_lint.loaders.terraform.evaluate import ChildScope, evaluate
from hadr_lint.loaders.terraform.module import LoadState, ModuleFiles, ModuleInstance
from hadr_lint.loaders.terraform.parse import (
    HclSyntaxError,
    parse_blocks,
    parse_expression,
    parse_json_blocks,
)
from hadr_lint.model import AZ, LoadResult, Ref, Unknown
from hadr_lint.text import nesting_bound

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# ---------------------------------------------------------------------------- values

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.text(max_size=12))
keys = st.one_of(st.sampled_from(["Type", "Properties", "Ref", "Fn::GetAtt", "Fn::If",
                                  "Fn::Select", "Fn::GetAZs", "Fn::Sub", "Fn::Join",
                                  "Condition", "Resources", "Parameters", "Conditions",
                                  "Mappings", "Fn::FindInMap", "AWS::Region", "Default",
                                  "Fn::Equals", "Fn::And", "Fn::Not", "Metadata",
                                  "DeletionPolicy", "AWSTemplateFormatVersion"]),
                 st.text(min_size=1, max_size=8))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=25)

resource_types = st.sampled_from(["AWS::RDS::DBInstance", "AWS::AutoScaling::AutoScalingGroup",
                                  "AWS::EC2::Subnet", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                                  "AWS::S3::Bucket", "AWS::SQS::Queue", "Custom::Thing"])
templates = st.fixed_dictionaries({
    "AWSTemplateFormatVersion": st.just("2010-09-09"),
    "Parameters": st.dictionaries(st.text(min_size=1, max_size=5), json_values, max_size=3),
    "Conditions": st.dictionaries(st.text(min_size=1, max_size=5), json_values, max_size=3),
    "Resources": st.dictionaries(
        st.from_regex(r"[A-Z][a-z]{0,6}", fullmatch=True),
        st.fixed_dictionaries({"Type": resource_types, "Properties": json_values},
                              optional={"Condition": st.text(max_size=5),
                                        "DependsOn": json_values}),
        max_size=5),
}, optional={
    "Outputs": st.dictionaries(st.from_regex(r"[A-Z][a-z]{0,6}", fullmatch=True), st.one_of(
        json_values,
        st.fixed_dictionaries({"Value": st.one_of(json_values, st.fixed_dictionaries({
            "Fn::ImportValue": st.sampled_from(["x", "y", "s-x"])}), st.fixed_dictionaries({
                "Fn::Join": st.tuples(st.sampled_from([",", ""]), json_values).map(list)})),
            "Export": st.one_of(json_values, st.fixed_dictionaries({"Name": st.one_of(
                st.sampled_from(["x", "y"]), json_values,
                st.just({"Fn::Sub": "${AWS::StackName}-x"}))}))})), max_size=3),
})


def _clean(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    for error in result.errors:
        assert isinstance(error.message, str) and error.message


@FAST
@given(templates, st.sampled_from(["json", "yaml"]), st.sampled_from([None, "us-east-1"]))
def test_cloudformation_loader_never_raises(template, form, region):
    text = json.dumps(template) if form == "json" else yaml.safe_dump(template)
    _clean(load_file(f"t.{form}", text, region=region))


@FAST
@given(templates, st.sampled_from([None, "s"]),
       st.dictionaries(st.sampled_from(["x", "y", "s-x"]), json_values, max_size=3))
def test_cloudformation_loader_with_stack_links_never_raises(template, stack, exports):
    result = load_file("t.json", json.dumps(template), stack_name=stack, exports=exports)
    _clean(result)
    assert all(isinstance(n, str) for n in result.metadata.get("imports", ()))


@FAST
@given(json_values)
def test_cloudformation_loader_on_any_document(document):
    _clean(load_file("t.json", json.dumps({"AWSTemplateFormatVersion": "x", "X": document})))
    _clean(load_file("t.yaml", yaml.safe_dump(document) + "\nAWSTemplateFormatVersion: x\n"))


@FAST
@given(st.text(alphabet="AWSTemplateFormatVersion:Resources -[]{}&*!\"'\n\t#|>,?", max_size=200))
def test_cloudformation_loader_on_yaml_ish_text(text):
    _clean(load_file("t.yaml", text))


plans = st.fixed_dictionaries({
    "format_version": st.sampled_from(["1.0", "1.2", "0.1", "2.0"]),
    "planned_values": st.one_of(json_values, st.fixed_dictionaries({
        "root_module": st.fixed_dictionaries({"resources": st.lists(st.fixed_dictionaries({
            "address": st.sampled_from(["aws_db_instance.a", "module.m.aws_subnet.s[0]", "x"]),
            "mode": st.sampled_from(["managed", "data", 3]),
            "type": st.sampled_from(["aws_db_instance", "aws_subnet", "aws_lb"]),
            "name": st.sampled_from(["a", "s"]),
            "values": json_values,
        }), max_size=3), "child_modules": json_values})})),
    "resource_changes": json_values,
    "configuration": json_values,
    "prior_state": st.one_of(json_values, st.fixed_dictionaries({"values": st.fixed_dictionaries({
        "root_module": st.fixed_dictionaries({"resources": st.lists(st.fixed_dictionaries({
            "address": st.sampled_from(["data.aws_subnet.a", "data.x", 5]),
            "mode": st.sampled_from(["data", "managed", None]),
            "type": st.sampled_from(["aws_subnet", "aws_availability_zones", 3]),
            "values": json_values,
        }), max_size=3), "child_modules": json_values})})})),
})


@FAST
@given(plans)
def test_plan_loader_never_raises(plan):
    text = json.dumps(plan)
    _clean(load_plan("plan.json", json.loads(text), text))


@FAST
@given(json_values)
def test_nesting_bound_is_an_upper_bound(value):
    def depth(v):
        if isinstance(v, dict):
            return 1 + max((depth(x) for x in v.values()), default=0)
        if isinstance(v, list):
            return 1 + max((depth(x) for x in v), default=0)
        return 0

    assert nesting_bound(json.dumps(value)) >= depth(value)
    assert nesting_bound(yaml.safe_dump(value, default_flow_style=False)) >= depth(value) - 1


# ---------------------------------------------------------------------------- HCL

HCL_PIECES = ['resource "aws_db_instance" "a" {', 'resource "aws_subnet" "s" {', "}", "{", "\n",
              "count = ", "for_each = ", "multi_az = ", "subnet_ids = ", "locals {", "x = ",
              'module "m" {', 'source = "./"', 'variable "v" {', "default = ", "local.x",
              "var.v", "aws_subnet.s[*].id", "aws_subnet.s", "[", "]", "(", ")", ",", "?", ":",
              "true", "1000000", "-1", '"text"', '"${local.x}"', "range(", "length(",
              "toset(", "for i in ", " : ", "=> ", "each.key", "count.index", "null",
              "dynamic \"d\" {", "content {", "try(", "can(", "lookup(", "element(", "+", "*",
              "/", "%", "==", "&&", "!", "...", "<<EOT\n", "EOT\n", "# c\n", "provider \"aws\" {",
              "region = ", "data \"aws_availability_zones\" \"z\" {", "data.aws_availability_zones"
              ".z.names", "type = ", "object({", "})", "optional(", "map(", "list(", "set(",
              "tuple([", "string", "number", "bool", "any", "var.v.a", "a = "]


def _load_hcl(text: str) -> None:
    try:
        blocks = parse_blocks(text, "/nowhere/main.tf")
    except HclSyntaxError as exc:
        assert str(exc)
        return
    files = ModuleFiles(Path("/nowhere"), tuple(blocks))
    state = LoadState(read_module=lambda folder: files, display=str, max_instances=20,
                      max_total=200)
    for resource in ModuleInstance(state, files, ("", ""), {}, {}, (files.dir,)).resources():
        assert resource.address


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(HCL_PIECES), max_size=40))
def test_terraform_loader_never_raises_on_hcl_ish_text(pieces):
    _load_hcl("".join(pieces))


@FAST
@given(st.text(max_size=300))
def test_terraform_loader_never_raises_on_any_text(text):
    _load_hcl(text)


@FAST
@given(json_values)
def test_terraform_json_loader_never_raises(value):
    for document in (value, {"resource": value}, {"resource": {"aws_db_instance": value}},
                     {"locals": value, "module": value}):
        try:
            blocks = parse_json_blocks(json.dumps(document), "/nowhere/main.tf.json")
        except HclSyntaxError:
            continue
        files = ModuleFiles(Path("/nowhere"), tuple(blocks))
        state = LoadState(read_module=lambda folder: None, display=str, max_instances=20)
        ModuleInstance(state, files, ("", ""), {}, {}, (files.dir,)).resources()


# ---------------------------------------------------------------------------- expressions

class _Names:
    values = {
        "var": {"n": 3, "s": "a,b", "l": ["x", "y"], "m": {"k": "v"}, "u": Unknown("var.u"),
                "b": True, "z": None},
        "local": {"azs": [AZ("us-east-1", 0), AZ(None, 1)], "id": Ref("aws_vpc.a", "id")},
    }

    def lookup(self, name):
        return self.values[name]


SCOPE = ChildScope(_Names(), {})
atoms = st.sampled_from(["1", "-2.5", "0", '"s"', '"a,b"', "true", "false", "null", "var.n",
                         "var.s", "var.l", "var.m", "var.u", "var.b", "var.z", "local.azs",
                         "local.id", "local.azs[0]", "var.l[5]", "var.m.k", "var.nope",
                         "[]", "{}", '"${var.s}-${var.n}"', '"%{ for x in var.l }${x}%{ endfor }"',
                         "local.id.arn", "var.l[*]"])
functions = st.sampled_from(["length", "upper", "lower", "join", "split", "concat", "flatten",
                             "distinct", "element", "lookup", "merge", "keys", "values", "toset",
                             "tolist", "tostring", "tonumber", "tobool", "min", "max", "range",
                             "format", "coalesce", "compact", "contains", "cidrsubnet", "zipmap",
                             "jsonencode", "jsondecode", "try", "can", "abs", "ceil", "floor",
                             "replace", "substr", "slice", "reverse", "sort", "sum", "one",
                             "file", "timestamp", "uuid", "nonexistent"])


def _expressions():
    def extend(inner):
        pair = st.tuples(inner, inner)
        return st.one_of(
            st.builds(lambda f, args: f"{f}({', '.join(args)})", functions,
                      st.lists(inner, max_size=3)),
            st.builds(lambda p, op: f"({p[0]} {op} {p[1]})", pair,
                      st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&",
                                       "||"])),
            st.builds(lambda c, p: f"{c} ? {p[0]} : {p[1]}", inner, pair),
            st.builds(lambda items: f"[{', '.join(items)}]", st.lists(inner, max_size=3)),
            st.builds(lambda p: f"{{ a = {p[0]}, b = {p[1]} }}", pair),
            st.builds(lambda c, b: f"[for x in {c} : {b}]", inner, inner),
            st.builds(lambda c, b: f"{{for k, v in {c} : k => {b}...}}", inner, inner),
            st.builds(lambda e, i: f"{e}[{i}]", inner, inner),
            st.builds(lambda e: f"!{e}", inner),
            st.builds(lambda e: f'"x${{{e}}}y"', inner),
        )

    return st.recursive(atoms, extend, max_leaves=12)


def _types():
    def extend(inner):
        attribute = st.one_of(inner, st.builds(lambda t: f"optional({t})", inner),
                              st.builds(lambda t: f'optional({t}, "1")', inner))
        return st.one_of(
            st.builds(lambda f, t: f"{f}({t})", st.sampled_from(["list", "set", "map"]), inner),
            st.builds(lambda ts: "object({" + ", ".join(f"a{i} = {t}" for i, t in enumerate(ts))
                      + "})", st.lists(attribute, max_size=3)),
            st.builds(lambda ts: f"tuple([{', '.join(ts)}])", st.lists(inner, max_size=3)),
        )

    return st.recursive(st.sampled_from(["string", "number", "bool", "any", "strng"]), extend,
                        max_leaves=8)


type_values = st.recursive(
    st.one_of(scalars, st.sampled_from(["1", "true", "x"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["a0", "a1", "a2", "b"]), inner,
                                            max_size=3)),
    max_leaves=10)


@FAST
@given(_types(), type_values)
def test_type_conversion_never_raises(text, value):
    from hadr_lint.loaders.terraform.types import convert, read_type

    kind = read_type(parse_expression(text))
    assert kind is not None or "strng" in text
    _check_value(convert(value, kind, lambda expr: evaluate(expr, SCOPE)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions())
def test_evaluate_never_raises(text):
    try:
        tree = parse_expression(text)
    except ValueError:
        return
    value = evaluate(tree, SCOPE)
    _check_value(value)


def _check_value(value, depth=0):
    assert depth < 300
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            _check_value(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_value(item, depth + 1)
    else:
        assert value is None or isinstance(value, (bool, int, float, str, Unknown, Ref, AZ)), value


_names = st.sampled_from(["a", "b", "c"])
_stack = st.fixed_dictionaries({
    "Resources": st.just({"P": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Type": "String", "Value": {"Fn::ImportValue": "a"}}}}),
    "Outputs": st.dictionaries(
        st.from_regex(r"O[a-z]{0,3}", fullmatch=True),
        st.fixed_dictionaries({
            "Value": st.one_of(_names.map(lambda n: {"Fn::ImportValue": n}), json_values),
            "Export": _names.map(lambda n: {"Name": n})}),
        max_size=3),
})


@FAST
@given(st.lists(_stack, min_size=1, max_size=4))
def test_linking_any_set_of_stacks_terminates_without_raising(stacks):
    """Exports that import each other in cycles, names declared twice: load_all still ends."""
    import tempfile

    from hadr_lint.config import Config
    from hadr_lint.engine import ScanOptions, load_all

    with tempfile.TemporaryDirectory() as folder:
        for index, stack in enumerate(stacks):
            (Path(folder) / f"s{index}.json").write_text(json.dumps(
                {"AWSTemplateFormatVersion": "2010-09-09", **stack}))
        results = load_all(ScanOptions(paths=(Path(folder),)), Config())
    assert all(isinstance(r, LoadResult) for r in results)
    assert not [e for r in results for e in r.errors if "internal error" in e.message]
