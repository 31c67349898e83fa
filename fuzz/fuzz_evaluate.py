"""Coverage-guided fuzzing of the Terraform expression evaluator and its functions.

    python fuzz/fuzz_evaluate.py -max_total_time=600 -timeout=20
"""


import atheris

with atheris.instrument_imports(include=["hadr_lint"]):
    from hadr_lint.loaders.terraform.evaluate import ChildScope, evaluate
    from hadr_lint.loaders.terraform.parse import parse_expression
    from hadr_lint.model import AZ, Ref, Unknown

import _common  # noqa: E402


class Names:
    values = {
        "var": {"n": 3, "s": "a,b", "l": ["x", "y"], "m": {"k": "v"}, "u": Unknown("var.u"),
                "b": True, "none": None},
        "local": {"azs": [AZ("us-east-1", 0), AZ("us-east-1", 1)], "id": Ref("aws_vpc.a", "id")},
        "aws_subnet": {"a": {"id": Ref("aws_subnet.a", "id")}},
    }

    def lookup(self, name):
        return self.values[name]


SCOPE = ChildScope(Names(), {})
SEEDS = {
    f"e{i}": text for i, text in enumerate([
        '[for s in var.l : upper(s) if s != "x"]',
        '{for k, v in var.m : k => v...}',
        'var.n > 2 ? local.azs[0] : null',
        'format("%s-%d", var.s, var.n)',
        'try(local.id.arn, lookup(var.m, "k", "d"))',
        '"${var.s}%{for x in var.l}${x}%{endfor}"',
        'cidrsubnet("10.0.0.0/16", 8, var.n)',
        'flatten([for s in aws_subnet : [s.id]])',
        'length(distinct(concat(var.l, ["z"]))) * -1 % 7',
        'jsondecode(jsonencode({a = [1, 2.5, true]}))',
        'element(split(",", var.s), 5)',
        'range(0, var.n, 1)',
        'merge(var.m, {b = var.u})',
        '<<-EOT\n  ${var.s}\n  EOT\n',
        # expansions (issue 22): budgets counted before the output is built
        'format("%99999999s", var.s)',
        'pow(10, 400) * pow(10, 400)',
        'join(",", [for i in range(100000) : format("%0100d", i)])',
        '"%{for i in range(1000)}%{for j in range(1000)}${var.s}%{endfor}%{endfor}"',
        'jsonencode([for i in range(1000) : [for j in range(1000) : var.m]])',
        'replace(join("", range(1000)), "1", join("", range(1000)))',
        'flatten([for s in aws_subnet : [for i in range(10000) : s[*].id]])',
    ])
}


def TestOneInput(data: bytes) -> None:
    text = _common.text_of(data)
    if text is None or "\x00" in text:
        return
    try:
        tree = parse_expression(text)
    except ValueError:
        return
    evaluate(tree, SCOPE)


if __name__ == "__main__":
    _common.seed_corpus("evaluate", (), SEEDS)
    _common.fuzz("evaluate", TestOneInput)
