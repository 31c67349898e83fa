"""Coverage-guided fuzzing of the Terraform HCL loader: parse, evaluate, normalise, rules.

    python fuzz/fuzz_hcl.py -max_total_time=600 -timeout=20
"""

from pathlib import Path

import atheris

with atheris.instrument_imports(include=["hadr_lint"]):
    from hadr_lint.loaders.terraform.module import LoadState, ModuleFiles, ModuleInstance
    from hadr_lint.loaders.terraform.parse import HclSyntaxError, parse_blocks

import _common  # noqa: E402

FOLDER = Path("/nonexistent/fuzz")


def TestOneInput(data: bytes) -> None:
    text = _common.text_of(data)
    if text is None:
        return
    try:
        blocks = parse_blocks(text, str(FOLDER / "main.tf"))
    except HclSyntaxError:
        return
    files = ModuleFiles(FOLDER, tuple(blocks))
    # a module call reads the same folder again: exercises the cycle guard
    state = LoadState(read_module=lambda folder: files, display=str, max_instances=50,
                      max_total=300)
    root = ModuleInstance(state, files, ("", ""), {}, {}, (files.dir,))
    _common.check_everything(root.resources())


if __name__ == "__main__":
    _common.seed_corpus("hcl", ("*.tf",), _common.HCL_EXPANSIONS)
    _common.fuzz("hcl", TestOneInput)
