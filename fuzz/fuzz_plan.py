"""Coverage-guided fuzzing of the plan JSON loader: JSON, plan reader, normalise, rules.

    python fuzz/fuzz_plan.py -max_total_time=600 -timeout=20
"""

import json

import atheris

with atheris.instrument_imports(include=["hadr_lint"]):
    from hadr_lint.loaders.plan import load_plan, looks_like_plan

import _common  # noqa: E402


def TestOneInput(data: bytes) -> None:
    text = _common.text_of(data)
    if text is None:
        return
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return
    if not looks_like_plan(parsed):
        return
    result = load_plan("plan.json", parsed, text)
    _common.check_everything(result.resources)


if __name__ == "__main__":
    _common.seed_corpus("plan", ("plan.json", "*.json"))
    _common.fuzz("plan", TestOneInput)
