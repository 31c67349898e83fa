"""Coverage-guided fuzzing of the CloudFormation loader: decode, intrinsics, normalise, rules.

    python fuzz/fuzz_cloudformation.py -max_total_time=600 -timeout=20
"""


import atheris

with atheris.instrument_imports(include=["hadr_lint"]):
    from hadr_lint.loaders.cloudformation import load_file

import _common  # noqa: E402


def TestOneInput(data: bytes) -> None:
    text = _common.text_of(data)
    if text is None:
        return
    result = load_file("template.yaml", text, region="us-east-1")
    _common.check_everything(result.resources)


if __name__ == "__main__":
    _common.seed_corpus("cloudformation", ("template.yaml", "*.template.json"),
                        {"alias.yaml": "a: &a [1, 2]\nb: [*a, *a]\nResources: {}\n",
                         **_common.CFN_EXPANSIONS})
    for path in sorted((_common.ROOT / "fixtures" / "cloudformation").rglob("*.yaml")):
        target = _common.CORPUS / "cloudformation" / f"cfn-{path.name}"
        if not target.exists():
            target.write_bytes(path.read_bytes())
    _common.fuzz("cloudformation", TestOneInput)
