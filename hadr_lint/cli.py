"""The ``hadr-lint`` command line. Heavy modules are imported inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hadr_lint import __version__, completion
from hadr_lint.report import FORMATS
from hadr_lint.report.escape import text_line
from hadr_lint.report.style import CHOICES, Style, wants_colour

EXIT_USAGE = 2


class Refused(click.ClickException):
    """A mistake in how hadr-lint is called (unknown rule id, missing path, unwritable output):
    one line on standard error and exit 2, never a silent pass."""

    exit_code = EXIT_USAGE


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}", param_hint=option)
        key, _, rest = value.partition("=")
        pairs[key.strip()] = rest
    return pairs


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


def _no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint import cache

    cache.disable(value)


def _stack_names(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    ctx.meta["stack_names"] = _pairs(value, "--stack-name")


def scan_options(command):
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
                     help="Configuration file (default: .hadr-lint.yaml found upwards)."),
        click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
                     help="Terraform variable value."),
        click.option("--var-file", "var_files", multiple=True,
                     type=click.Path(path_type=Path, dir_okay=False),
                     help="Terraform .tfvars file."),
        click.option("--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
                     help="CloudFormation parameter value."),
        click.option("--region", help="Region of CloudFormation stacks (AWS::Region)."),
        click.option("--stack-name", multiple=True, metavar="TEMPLATE=NAME", expose_value=False,
                     callback=_stack_names,
                     help="The stack a CloudFormation template is deployed as (AWS::StackName):"
                          " links its exports to Fn::ImportValue in other templates."),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching paths."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=None,
                     help="Largest file to read, in bytes (default 5000000)."),
        click.option("--no-cache", is_flag=True, expose_value=False, callback=_no_cache,
                     help="Neither read nor write the parse cache (also HADR_LINT_NO_CACHE=1)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def select_options(command):
    """``--select``, ``--ignore`` (rule ids or prefixes, checked against the known rules) and
    ``--rules-dir``."""
    command = click.option("--rules-dir", multiple=True,
                           type=click.Path(path_type=Path, file_okay=False),
                           help="Folder of extra rule modules.")(command)
    command = click.option("--ignore", multiple=True, shell_complete=completion.rule_ids,
                           help="Rule ids or prefixes to skip (comma-separated).")(command)
    return click.option("--select", multiple=True, shell_complete=completion.rule_ids,
                        help="Rule ids or prefixes to run (comma-separated).")(command)


def objective_options(command):
    """``--strategy``, ``--rpo``, ``--rto``: override every declared objective."""
    options = [
        click.option("--strategy", help="DR strategy for every workload: backup-restore, "
                     "pilot-light, warm-standby, active-active (overrides the declarations)."),
        click.option("--rpo", help="Recovery point objective, e.g. 0, 30s, 5m, 1h, 1d."),
        click.option("--rto", help="Recovery time objective, e.g. 30s, 5m, 4h."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def text_options(command):
    """How the text report looks: colour, statistics, quiet, verbose."""
    options = [
        click.option("--color", "--colour", "color", type=click.Choice(CHOICES), default="auto",
                     help="Colour the text report: auto (a terminal, unless NO_COLOR is set; "
                          "FORCE_COLOR forces it), always, never."),
        click.option("--statistics", is_flag=True,
                     help="Text: count the findings per rule instead of listing them."),
        click.option("-q", "--quiet", is_flag=True,
                     help="Text: print the findings only (no hints, notes or summary)."),
        click.option("-v", "--verbose", is_flag=True,
                     help="Text: list every note instead of counting them by kind."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _with_objectives(config, strategy, rpo, rto):
    from dataclasses import replace

    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.objectives.declare import ObjectivesError, validate

    given = {k: v for k, v in (("strategy", strategy), ("rpo", rpo), ("rto", rto)) if v}
    try:
        validate(given, "command line")
    except ObjectivesError as exc:
        raise Refused(str(exc).replace("command line.", "--")) from None
    return replace(config, objective_overrides=given) if given else config


def _prepare(paths, config_file, variables, var_files, parameters, region, exclude,
             max_file_size) -> list:
    """(ScanOptions, Config) per configuration group (``hadr_lint.prepare``); exit 2 for a
    missing path or --var-file and an invalid configuration."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.prepare import Given, prepare

    paths = paths or (Path("."),)
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise Refused(f"{path}: no such file or folder")
    for path in var_files:
        if not path.is_file():
            raise Refused(f"--var-file {path}: no such file")
    _avoid_cache_inside(paths)
    context = click.get_current_context(silent=True)
    names = context.meta.get("stack_names", {}) if context else {}
    given = Given(variables=_pairs(variables, "--var"), var_files=tuple(var_files),
                  parameters=_pairs(parameters, "--parameter"), region=region,
                  exclude=tuple(exclude), max_file_size=max_file_size,
                  stack_names={str(Path(k).resolve()): v for k, v in names.items()})
    return prepare(tuple(paths), config_file, _load_config, given)


def _avoid_cache_inside(paths) -> None:
    """A cache folder inside a scanned tree is never used: the repository could ship it."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint import cache
    from hadr_lint.tree import tree_of

    cache.avoid(tree_of(paths).roots)


def _one_group(prepared: list):
    """report and graph judge a whole picture under one configuration."""
    if len(prepared) > 1:
        # start-up: --help and completion import click only; this loads when the command runs
        from hadr_lint.engine import display_path

        names = ", ".join(display_path(Path(c.path)) if c.path else "(defaults)"
                          for _, c in prepared)
        raise Refused(f"the paths fall under different configurations ({names}): pass "
                      "--config FILE or run once per configuration")
    return prepared[0]


def _load_config(path: Path | None):
    """The configuration at ``path``; when it is invalid, every problem of the file with its
    line (``config --check``'s list) and exit 2."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.config import ConfigError, check_file, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        problems = check_file(path) if path is not None else []
        for problem in problems[:-1]:
            click.echo(problem, err=True)
        raise Refused(problems[-1] if problems else str(exc)) from None


def _rules(rules_dir, select, ignore, config, pseudo: bool = True) -> tuple[list, tuple]:
    """The rules to run, and every known rule id; exit 2 when an id or prefix of ``--select``,
    ``--ignore`` or the configuration's ``select``, ``ignore`` or ``severity`` names no rule."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.config import rule_id_problems
    from hadr_lint.rulebase import all_rules, unknown_ids
    from hadr_lint.rulebase import select as select_rules
    from hadr_lint.suppress import pseudo_rules

    rules = all_rules(_rule_folders(rules_dir))
    known = [r.id for r in rules + pseudo_rules()]
    for option, given in (("--select", select), ("--ignore", ignore)):
        if given and not _split(given):
            raise Refused(f"{option}: no rule id given")
    select, ignore = _split(select), _split(ignore)
    problems = ([f"--select: {p}" for p in unknown_ids(select, known)]
                + [f"--ignore: {p}" for p in unknown_ids(ignore, known)]
                + rule_id_problems(config, known))
    if problems:
        raise Refused("; ".join(problems))
    return select_rules(rules + (pseudo_rules() if pseudo else []), select or config.select,
                        ignore + config.ignore), tuple(known)


def _rule_folders(folders: tuple[Path, ...]) -> tuple[Path, ...]:
    """``--rules-dir`` folders; exit 2 for one that does not exist (its rules would silently
    not run)."""
    for folder in folders:
        if not folder.is_dir():
            raise Refused(f"--rules-dir {folder}: no such folder")
    return folders


def _readable_baseline(path: Path | None) -> None:
    """Exit 2 before scanning when ``--baseline`` cannot be read or is no baseline."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint import baseline

    if path is None:
        return
    try:
        baseline.read(path)
    except baseline.BaselineError as exc:
        raise Refused(f"--baseline {exc}") from None


def _writable(path: Path | None, option: str) -> None:
    """Exit 2 before scanning when ``path`` cannot be written: a folder, a missing folder."""
    import os

    if path is None:
        return
    if path.is_dir():
        raise Refused(f"{option} {path}: is a folder, not a file")
    folder = path.parent
    if not folder.is_dir():
        raise Refused(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise Refused(f"{option} {path}: permission denied")


def _found_nothing(paths: tuple[Path, ...], result) -> int:
    """Say so for each scanned folder without a Terraform or CloudFormation file; exit 2 when
    a folder was given (a CI job pointed at the wrong place must not pass), 0 when only files
    were (pre-commit hands over every changed YAML and JSON file)."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.tree import real as resolved

    code = 0
    scanned = [Path(f).resolve() for f in result.files]
    for path in paths or (Path("."),):
        real = resolved(path)
        if real is None:  # a link loop: already a file error
            continue
        if any(f == real or real in f.parents for f in scanned):
            continue
        if path.is_dir():
            click.echo(f"no Terraform or CloudFormation files found under {path}", err=True)
            code = EXIT_USAGE
    if not scanned and not result.errors and code == 0:
        shown = ", ".join(str(p) for p in paths)
        click.echo(f"no Terraform or CloudFormation files found under {shown}", err=True)
    return code


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hadr-lint")
def main() -> None:
    """High-availability and disaster-recovery linter for Terraform and CloudFormation."""
    import gc

    # Parse trees are millions of objects and almost no cycles: with the default thresholds the
    # cycle collector took a quarter of a scan (10,000 resources: 7.2 s -> 5.7 s CPU, same RSS).
    gc.set_threshold(100_000, 1000, 1000)


@main.command()
@scan_options
@click.option("--format", "output_format", default="text", type=click.Choice(list(FORMATS)),
              help="Report format: sarif for code scanning, gitlab for GitLab Code Quality, "
                   "junit for GitLab/Jenkins tests, github for workflow annotations.")
@click.option("--output", type=click.Path(path_type=Path),
              help="Write the report to a file instead of standard output.")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Hide the findings listed in this baseline; fail only on new ones.")
@click.option("--write-baseline", type=click.Path(path_type=Path),
              help="Record the current findings in this baseline file.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True,
              help="The date suppression expiry is compared with (for tests).")
@select_options
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]), default=None,
              help="Lowest severity that fails the run (default: warning).")
@click.option("--show-unknown", is_flag=True, help="List the checks unknown values kept open.")
@click.option("--with-checkov", is_flag=True,
              help="Also run checkov's HA/DR checks (a separate install, e.g. pipx install "
                   "checkov) and merge its results, without duplicates of hadr-lint's.")
@click.option("--checkov", "checkov_path", metavar="PATH",
              help="The checkov executable to run (implies --with-checkov; default: PATH).")
@click.option("--terragrunt-mock-outputs", is_flag=True,
              help="Take Terragrunt dependency outputs from their mock_outputs (placeholders;"
                   " without this flag they are unknown).")
@objective_options
@text_options
def scan(paths, config_file, variables, var_files, parameters, region, exclude, max_file_size,
         output_format, output, baseline_file, write_baseline, today, select, ignore, fail_on,
         show_unknown, rules_dir, with_checkov, checkov_path, terragrunt_mock_outputs,
         strategy, rpo, rto, color, statistics, quiet, verbose) -> None:
    """Scan Terraform and CloudFormation files for HA/DR problems."""
    from dataclasses import replace

    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint import baseline
    from hadr_lint.engine import exit_code, merge
    from hadr_lint.engine import scan as run_scan
    from hadr_lint.report import formatter

    _writable(output, "--output")
    _writable(write_baseline, "--write-baseline")
    _readable_baseline(baseline_file)
    runs = []
    for options, config in _prepare(paths, config_file, variables, var_files, parameters,
                                    region, exclude, max_file_size):
        config = _with_objectives(config, strategy, rpo, rto)
        rules, known = _rules(rules_dir, select, ignore, config)
        options = replace(options, baseline=baseline_file, known_rules=known,
                          today=today.date() if today else None,
                          terragrunt_mock_outputs=terragrunt_mock_outputs)
        runs.append((options, config, rules))
    checkov = _find_checkov(checkov_path) if with_checkov or checkov_path else None
    results = []
    for options, config, rules in runs:
        try:
            results.append(run_scan(options, config, rules))
        except baseline.BaselineError as exc:
            raise Refused(f"--baseline {exc}") from None
    codes = [exit_code(r, fail_on or c.fail_on) for r, (_, c, _) in zip(results, runs,
                                                                          strict=True)]
    result = merge(results)
    if checkov:
        # start-up: --help and completion import click only; this loads when the command runs
        from hadr_lint.integrations.checkov import scan_with_checkov

        before = result.errors
        result = scan_with_checkov(result, tuple(paths) or (Path("."),), result.rules, checkov)
        checkov_only = replace(result, findings=(), errors=result.errors[len(before):])
        codes.append(exit_code(checkov_only, fail_on or runs[0][1].fail_on))
    nothing = _found_nothing(paths, result)
    if write_baseline:
        _write_baseline(write_baseline, result, output_format, output, show_unknown)
    if output_format == "text":
        _emit_text(result, show_unknown, output, color, statistics, quiet, verbose)
    else:
        _emit(formatter(output_format)(result, show_unknown), output)
    sys.exit(max(nothing, *codes))


def _emit_text(result, show_unknown: bool, output: Path | None, color: str, statistics: bool,
               quiet: bool, verbose: bool) -> None:
    """The text report (report.findings.text) to ``output`` or standard output; its notes,
    condensed, to standard error; with ``--quiet`` only the findings (and, on standard error, the
    files that could not be read: never silent)."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.report.findings.text import View, error_line, note_lines, render

    on = wants_colour(color, sys.stdout) if output is None else color == "always"
    view = View(Style(on), statistics=statistics, quiet=quiet, verbose=verbose,
                notes_apart=True)
    _emit(render(result, show_unknown, view), output, colour=on)
    if quiet:
        for error in result.errors:
            click.echo(error_line(error), err=True)
        return
    for line in note_lines(result, view):
        click.echo(line, err=True)


def _write_baseline(path: Path, result, output_format: str, output: Path | None,
                    show_unknown: bool) -> None:
    """Record the findings, say so, and exit 0 (2 when a file could not be read): accepting
    today's findings is not a failure. The report goes only to ``--output``."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint import baseline
    from hadr_lint.report import formatter

    try:
        count = baseline.write(path, list(result.findings) + list(result.baselined))
    except OSError as exc:
        raise Refused(f"--write-baseline {path}: cannot write: {exc.strerror or exc}") from None
    if output is not None:
        _emit(formatter(output_format)(result, show_unknown), output)
    _echo_errors(result.errors)
    click.echo(f"wrote {count} finding{'' if count == 1 else 's'} to the baseline {path}", err=True)
    sys.exit(EXIT_USAGE if result.errors else 0)


@main.command()
@scan_options
@objective_options
@click.option("--format", "output_format", type=click.Choice(["markdown", "html", "json"]),
              default="markdown", help="markdown suits a pull-request comment; html is one "
              "self-contained page.")
@click.option("--output", type=click.Path(path_type=Path),
              help="Write the report to a file instead of standard output.")
@click.option("--max-length", type=click.IntRange(min=0), default=None, metavar="N",
              help="Markdown: stay under N characters (default 65000, under GitHub's comment "
                   "limit; 0: no limit), leaving out the diagram, evidence, then table rows.")
@select_options
def report(paths, config_file, variables, var_files, parameters, region, exclude, max_file_size,
           strategy, rpo, rto, output_format, output, max_length, select, ignore,
           rules_dir) -> None:
    """Write a recovery posture report: objectives, RPO/RTO estimates with evidence, stores."""
    from dataclasses import replace

    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.engine import scan as run_scan
    from hadr_lint.report.posture.report import render

    _writable(output, "--output")
    options, config = _one_group(_prepare(paths, config_file, variables, var_files, parameters,
                                          region, exclude, max_file_size))
    config = _with_objectives(config, strategy, rpo, rto)
    rules, known = _rules(rules_dir, select, ignore, config)
    result = run_scan(replace(options, known_rules=known), config, rules)
    nothing = _found_nothing(paths, result)
    _emit(render(result, output_format, max_length), output)
    _echo_errors(result.errors)
    sys.exit(EXIT_USAGE if result.errors else nothing)


def _find_checkov(path: str | None) -> str:
    """checkov's executable, or exit 2 saying how to install it."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.integrations.checkov import CheckovMissing, find_checkov

    try:
        return find_checkov(path)
    except CheckovMissing as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _echo_errors(errors) -> None:
    """File errors on standard error, as the text report writes them (``escape.text_line``:
    a file name cannot add lines or GitHub workflow commands to the CI log)."""
    for error in errors:
        where = f"{error.file}:{error.line}" if error.line else error.file
        click.echo(text_line(f"{where}: error: {error.message}"), err=True)


def _emit(text: str, output: Path | None, colour: bool = False) -> None:
    if output is None:
        try:
            click.echo(text, nl=False, color=True if colour else None)
        except OSError as exc:  # a full disk, /dev/full: exit 2 with one line, no traceback
            raise Refused(f"cannot write the report to standard output: "
                          f"{exc.strerror or exc}") from None
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Refused(f"--output {output}: cannot write: {exc.strerror or exc}") from None


@main.command()
@scan_options
@click.option("--format", "output_format", default="json",
              type=click.Choice(["json", "dot", "mermaid", "svg"]),
              help="json: the resource graph plus the picture's layout; dot, mermaid, svg: the "
                   "picture of regions, AZs and findings.")
@click.option("--output", type=click.Path(path_type=Path),
              help="Write the output to a file instead of standard output.")
@select_options
def graph(paths, config_file, variables, var_files, parameters, region, exclude, max_file_size,
          output_format, output, select, ignore, rules_dir) -> None:
    """Draw the architecture: regions, AZs, resources with their findings, replication."""
    from dataclasses import replace

    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.engine import scan as run_scan
    from hadr_lint.report.picture.graph_out import render

    _writable(output, "--output")
    options, config = _one_group(_prepare(paths, config_file, variables, var_files, parameters,
                                          region, exclude, max_file_size))
    rules, known = _rules(rules_dir, select, ignore, config, pseudo=False)
    result = run_scan(replace(options, known_rules=known), config, rules)
    nothing = _found_nothing(paths, result)
    assert result.graph is not None  # a scan always builds its graph
    _emit(render(result.graph, result.findings, result.config, output_format), output)
    errors = result.errors
    _echo_errors(errors)
    sys.exit(EXIT_USAGE if errors else nothing)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def list_rules(output_format) -> None:
    """List the rules with id, severity, scope and description."""
    import json

    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.rulebase import all_rules
    from hadr_lint.suppress import pseudo_rules

    rules = all_rules() + pseudo_rules()
    if output_format == "json":
        click.echo(json.dumps([{
            "id": r.id, "name": r.meta.name, "severity": r.meta.severity,
            "scope": r.meta.scope, "short": r.meta.short, "kinds": list(r.meta.kinds),
            "tags": list(r.meta.tags), "help_url": r.meta.help_url,
        } for r in rules], indent=2))
        return
    for rule in rules:
        click.echo(f"{rule.id}  {rule.meta.name:<28} {rule.meta.severity:<8} "
                   f"{rule.meta.scope:<10} {rule.meta.short}")


@main.command("config")
@click.option("--check", is_flag=True, help="Validate the file against the schema.")
@click.option("--rules-dir", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder of extra rule modules whose ids the configuration may name.")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
def config_command(check, rules_dir, file) -> None:
    """Check or show the configuration: FILE, else .hadr-lint.yaml found upwards."""
    import json

    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.config import ConfigError, check_file, find_config, load_config

    if file is not None and not file.exists():
        raise Refused(f"{file}: no such file")
    path = file or find_config(Path("."))
    if path is None:
        click.echo("no .hadr-lint.yaml found: the defaults apply")
        return
    if check:
        known = None
        if rules_dir:
            # start-up: --help and completion import click only; this loads when the command runs
            from hadr_lint.rulebase import all_rules
            from hadr_lint.suppress import pseudo_rules

            known = [r.id for r in all_rules(_rule_folders(rules_dir)) + pseudo_rules()]
        problems = check_file(path, known)
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{path}: {'invalid' if problems else 'valid'}")
        sys.exit(1 if problems else 0)
    try:
        config = load_config(path)
    except ConfigError as exc:
        raise Refused(str(exc)) from None
    click.echo(json.dumps({k: v for k, v in vars(config).items()}, indent=2, default=list))


@main.command()
@click.argument("rule_id", shell_complete=completion.rule_id)
def explain(rule_id) -> None:
    """Print a rule's documentation."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.rulebase import all_rules, unknown_ids
    from hadr_lint.suppress import pseudo_rules

    for rule in all_rules() + pseudo_rules():
        if rule.id.upper() == rule_id.upper():
            meta = rule.meta
            click.echo(f"{meta.id} {meta.name} ({meta.severity}, scope: {meta.scope})\n")
            click.echo(rule.doc)
            _echo_equivalents(meta)
            _echo_options_and_references(meta.id)
            click.echo(f"\n{meta.help_url}")
            return
    known = [r.id for r in all_rules() + pseudo_rules()]
    found = unknown_ids([rule_id], known, exact=True)
    raise Refused(found[0] if found else f"unknown rule id {rule_id}")


def _echo_options_and_references(rule_id: str) -> None:
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.docs import options_and_references

    lines = options_and_references(rule_id, "##")
    if lines:
        click.echo("\n" + "\n".join(lines).rstrip())


def _echo_equivalents(meta) -> None:
    """Other tools' checks of the same thing, and AWS's own after deployment (docs/coverage.md)."""
    # start-up: --help and completion import click only; this loads when the command runs
    from hadr_lint.docs import SOURCES, aws_checks_for

    aws = [(SOURCES[c.source], c.id + (f" (partly: {c.gap})" if c.gap else ""))
           for c in aws_checks_for(meta.id)]
    if meta.equivalents or aws:
        click.echo("\nEquivalent checks in other tools:")
    for tool, ids in sorted(meta.equivalents.items()):
        click.echo(f"  {tool}: {ids}")
    for source, text in aws:
        click.echo(f"  {source}: {text}")


def run() -> None:
    """The ``hadr-lint`` executable: ``main``, then exit without tearing the interpreter down.

    A scan leaves hundreds of thousands of objects behind, and freeing them one by one at exit
    took 50 ms of a 300 ms pre-commit run. Once the output is flushed there is nothing left to
    do: hadr-lint registers no atexit handlers and closes its worker pool before it reports.
    """
    try:
        main()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise
        quick_exit(exc.code or 0)


def quick_exit(code: int) -> None:
    """Flush the standard streams and end the process with ``code`` (120 when the output
    could not be written, as Python itself reports it)."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120
    os._exit(code)


if __name__ == "__main__":
    run()
