"""The pipeline: discover -> load -> normalise -> graph -> rules -> one ScanResult."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadr_lint import baseline, cache, suppress
from hadr_lint.analysis.store_classes import unmatched_overrides
from hadr_lint.config import CONFIG_NAMES, Config
from hadr_lint.discover import DOCUMENTS, discover
from hadr_lint.graph import Graph
from hadr_lint.loaders import Document, guarded
from hadr_lint.model import (
    Finding,
    LoadError,
    LoadResult,
    Problem,
    Resource,
    UnknownNote,
    Unverified,
)
from hadr_lint.normalise import normalise
from hadr_lint.objectives.declare import (
    ObjectivesError,
    metadata_line,
    validate,
)
from hadr_lint.result import ScanResult
from hadr_lint.rulebase import LoadedRule
from hadr_lint.text import FileTooLarge, read_problem, read_source
from hadr_lint.tree import display_path, tree_of

SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class ScanOptions:
    paths: tuple[Path, ...]
    var_files: tuple[Path, ...] = ()
    variables: Mapping[str, str] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    region: str | None = None
    exclude: tuple[str, ...] = ()
    today: Any = None  # datetime.date for suppression expiry; None: the real date
    baseline: Path | None = None
    stack_names: Mapping[str, str] = field(default_factory=dict)  # resolved template path
    known_rules: tuple[str, ...] = ()  # every rule id that exists, selected or not
    prune: tuple[Path, ...] = ()  # folders with a configuration of their own: not entered
    notes: tuple[str, ...] = ()  # from preparing the scan (a configuration not read)
    terragrunt_mock_outputs: bool = False  # dependency outputs from mock_outputs


def load_all(options: ScanOptions, config: Config) -> list[LoadResult]:
    # start-up: loaders load when used
    from hadr_lint.loaders.registry import FOLDER_LOADERS, skip_dirs

    paths = scan_paths(options.paths)
    cache.avoid(tree_of(paths).roots)  # the command line did it already
    found = discover(paths, tuple(options.exclude) + tuple(config.exclude), options.prune,
                     {loader.name: loader.claims_file for loader in FOLDER_LOADERS}, skip_dirs())
    results: list[LoadResult] = []
    for loader in FOLDER_LOADERS:
        results.extend(guarded(loader.name, functools.partial(loader.load, found, options,
                                                              config), many=True))
    documents = [guarded(display_path(document),
                         functools.partial(load_document, document, options, config))
                 for document in found.documents]
    results.extend(link_documents(found.documents, documents, options, config))
    notes = tuple(found.skipped) + tuple(options.notes)
    errors = tuple(LoadError(display_path(p), None, why) for p, why in found.unreadable)
    if notes or errors:
        results.append(LoadResult(notes=notes, errors=errors))
    return results


def link_documents(paths: list[Path], loaded: list[LoadResult], options: ScanOptions,
                   config: Config) -> list[LoadResult]:
    """Documents that depend on each other, loaded again with what the others give them, by
    each document loader that links (``DocumentLoader.link``); notes where a link cannot be
    made come after the results of ``paths``."""
    from hadr_lint.loaders.registry import DOCUMENT_LOADERS  # start-up: loaders load when used

    def reload(path: Path, exports: Mapping[str, Any], nesting: Any) -> LoadResult:
        return guarded(display_path(path), lambda: load_document(
            path, options, config, exports, nesting))

    results, extra = list(loaded), list[LoadResult]()
    for loader in DOCUMENT_LOADERS:
        if loader.link is not None:
            linked = loader.link(paths, results, reload, options, config)
            results, extra = linked[:len(paths)], extra + linked[len(paths):]
    return results + extra


def load_document(path: Path, options: ScanOptions, config: Config,
                  exports: Mapping[str, Any] | None = None, nesting: Any = None) -> LoadResult:
    """A JSON or YAML file, read by the first registered loader that claims it (see
    ``hadr_lint.loaders``), or skipped silently. ``exports`` and ``nesting``: what other
    documents give this one (``link_documents``)."""
    from hadr_lint.loaders.registry import DOCUMENT_LOADERS  # start-up: loaders load when used

    shown = display_path(path)
    try:
        text = read_source(path, config.max_file_size)
    except (FileTooLarge, OSError, UnicodeDecodeError) as exc:
        if path.suffix not in DOCUMENTS:
            return LoadResult()
        return LoadResult(errors=(LoadError(shown, None, read_problem(exc)),))
    document = Document(path, shown, text, options, config, display_path, exports or {}, nesting)
    for loader in DOCUMENT_LOADERS:
        if loader.claims(path, text):
            result = loader.load(document)
            if result is not None:
                return result
    return LoadResult()


def normalise_all(results: list[LoadResult]) -> list[Resource]:

    return [normalise(r) for result in results for r in result.resources]


def run_rules(rules: list[LoadedRule], graph: Any, config: Config):
    findings: dict[tuple, Finding] = {}
    unknowns: dict[tuple, UnknownNote] = {}
    crashes: list[LoadError] = []
    for rule in rules:
        for outcome in checked(rule, graph, config):
            if isinstance(outcome, RuleCrash):
                crashes.append(LoadError(f"rule {outcome.rule_id}", None,
                                         f"rule crashed: {outcome.message}"))
            elif isinstance(outcome, Problem) and outcome.resource.may_not_exist:
                note = to_unknown(rule, maybe_absent(outcome))
                unknowns.setdefault(note_key(note), note)
            elif isinstance(outcome, Problem):
                finding = to_finding(rule, outcome, config)
                findings.setdefault(
                    (finding.rule_id, finding.resource, finding.file, finding.message), finding)
            elif isinstance(outcome, Unverified):
                note = to_unknown(rule, outcome)
                unknowns.setdefault(note_key(note), note)
    ordered = sorted(findings.values(), key=lambda f: (f.file, f.line, f.rule_id, f.resource))
    notes = sorted(unknowns.values(), key=lambda u: (u.file, u.line, u.rule_id, u.resource))
    return tuple(ordered), tuple(notes), tuple(crashes)


def note_key(note: UnknownNote) -> tuple:
    """Unverified lines are keyed like findings: rule, file, resource label (with its instance
    keys) and reason (with the root it was loaded through): only the very same check of the
    very same instance counts once."""
    return (note.rule_id, note.file, note.resource, note.reason)


def maybe_absent(problem: Problem) -> Unverified:
    """A finding on a resource that may not exist is not certain: unverified, with why."""
    resource = problem.resource
    return Unverified(resource, f"{resource.may_not_exist}; if it exists: {problem.message}")


def checked(rule: LoadedRule, graph: Any, config: Config):
    """A rule's outcomes; a rule that crashes becomes a RuleCrash, and the other rules run on."""
    try:
        yield from rule.check(graph, config)
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - one broken rule must not stop all
        yield RuleCrash(rule.id, f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class RuleCrash:
    rule_id: str
    message: str


def to_finding(rule: LoadedRule, problem: Problem, config: Config) -> Finding:
    resource = problem.resource
    severity = config.severity.get(rule.id) or problem.severity or rule.meta.severity
    return Finding(
        rule_id=rule.id,
        rule_name=rule.meta.name,
        severity=severity,
        message=problem.message + caller_note(resource),
        resource=resource.label,
        resource_type=resource.type,
        file=resource.location.file,
        line=resource.location.line,
        end_line=resource.location.end_line or resource.location.line,
        scope=rule.meta.scope,
    )


def caller_note(resource: Resource) -> str:
    """`` (via ROOT)`` when the resource is defined in a module shared from outside the root that
    loaded it (examples/a and examples/b both calling ../../), so findings say which caller."""
    root, found, _ = resource.address.partition("::")
    file = resource.location.file
    if not found or not root or file == root:
        return ""
    if root == "." and not file.startswith("../"):
        return ""
    if file.startswith(root.rstrip("/") + "/"):
        return ""
    return f" (via {root})"


def to_unknown(rule: LoadedRule, outcome: Unverified) -> UnknownNote:
    resource = outcome.resource
    return UnknownNote(
        rule_id=rule.id,
        resource=resource.label,
        file=resource.location.file,
        line=resource.location.line,
        reason=outcome.reason + caller_note(resource),  # one line per root, never merged
    )


def scan(options: ScanOptions, config: Config, rules: list[LoadedRule]) -> ScanResult:
    from hadr_lint.loaders.registry import document_keys  # start-up: loaders load when used

    results = load_all(options, config)
    config, objective_errors = with_objectives(config, results)
    resources = normalise_all(results)
    graph = Graph(resources)
    findings, unknowns, crashes = run_rules(rules, graph, config)
    errors = sorted({e for r in results for e in r.errors} | set(crashes) | set(objective_errors),
                    key=lambda e: (e.file, e.line or 0, e.message))
    metadata: dict[str, Any] = {}
    own = document_keys()
    for result in results:
        for key, value in result.metadata.items():
            if key not in own:
                metadata.setdefault(key, value)
    # Objectives are per template: {file: its Metadata HadrLint}, never one file's for all.
    metadata["objectives"] = dict(sorted(config.template_objectives.items()))
    scanned = ScanResult(
        findings=findings,
        unknowns=unknowns,
        errors=tuple(errors),
        notes=tuple(dict.fromkeys([*(n for r in results for n in r.notes),
                                   *unmatched_overrides(graph, config)])),
        files=tuple(sorted({f for r in results for f in r.files})),
        resources=tuple(sorted(graph.resources(), key=lambda r: r.address)),
        rules=tuple(rules),
        metadata=metadata,
        graph=graph,
        config=config,
        configs=(display_path(Path(config.path)),) if config.path else (),
    )
    return gate(scanned, results, options, config)


def merge(results: list[ScanResult]) -> ScanResult:
    """One result from the scans of several configuration groups (see
    ``hadr_lint.config.config_groups``); its graph holds every group's resources, its ``config``
    is the first group's."""
    if len(results) == 1:
        return results[0]

    def joined(name: str) -> tuple:
        return tuple(item for r in results for item in getattr(r, name))

    resources = tuple(sorted(joined("resources"), key=lambda r: r.address))
    metadata: dict[str, Any] = {}
    for result in results:
        for key, value in result.metadata.items():
            if key == "objectives":
                metadata.setdefault(key, {}).update(value)
            else:
                metadata.setdefault(key, value)
    return dataclasses.replace(
        results[0],
        findings=tuple(sorted(joined("findings"),
                              key=lambda f: (f.file, f.line, f.rule_id, f.resource))),
        unknowns=tuple(sorted(joined("unknowns"),
                              key=lambda u: (u.file, u.line, u.rule_id, u.resource))),
        errors=tuple(sorted(set(joined("errors")), key=lambda e: (e.file, e.line or 0,
                                                                  e.message))),
        notes=tuple(dict.fromkeys(joined("notes"))),
        files=tuple(sorted(set(joined("files")))),
        resources=resources,
        rules=tuple({r.id: r for r in joined("rules")}.values()),
        metadata=metadata,
        graph=Graph(list(resources)),
        suppressed=joined("suppressed"),
        baselined=joined("baselined"),
        fixed=joined("fixed"),
        external=joined("external"),
        configs=tuple(dict.fromkeys(joined("configs"))),
    )


def with_objectives(config: Config, results: list[LoadResult]) -> tuple[Config, list[LoadError]]:
    """The config with each template's ``Metadata: {HadrLint: ...}`` keyed by its file (see
    ``hadr_lint.objectives.declare``); an invalid declaration is an error on its file."""

    found: dict[str, Any] = {}
    lines: dict[str, int] = {}
    errors: list[LoadError] = []
    for result in results:
        declared = result.metadata.get("objectives")
        if declared is None or not result.files:
            continue
        line = metadata_line(Path(result.files[0]), config.max_file_size)
        try:
            validate(declared, "Metadata.HadrLint")
        except ObjectivesError as exc:
            errors.append(LoadError(result.files[0], line, str(exc)))
            continue
        found[result.files[0]] = declared
        lines[result.files[0]] = line
    return dataclasses.replace(config, template_objectives=found, template_lines=lines), errors


def gate(result: ScanResult, results: list[LoadResult], options: ScanOptions,
         config: Config) -> ScanResult:
    """After the rules: suppressions, then the changed-files filter, then the baseline."""
    import datetime


    outcome = suppress.apply(result.findings, suppress.collect(results), result.rules,
                             config.severity, options.today or datetime.date.today(),
                             options.known_rules or None)
    keep = changed_only(options.paths)
    findings = sorted((f for f in outcome.findings if keep(f.file)),
                      key=lambda f: (f.file, f.line, f.rule_id, f.resource))
    suppressed = tuple(s for s in outcome.suppressed if keep(s.finding.file))
    new, known, fixed = baseline.apply(findings, options.baseline, result, keep,
                                       [s.finding for s in suppressed])
    return dataclasses.replace(
        result, findings=tuple(new), baselined=tuple(known), fixed=tuple(fixed),
        unknowns=tuple(u for u in result.unknowns if keep(u.file)),
        suppressed=suppressed, notes=result.notes + tuple(outcome.notes),
    )


def scan_paths(paths: tuple[Path, ...]) -> list[Path]:
    """The paths to discover: a file that stands for its folder (a loader's ``names_a_folder``)
    replaced by what that loader discovers instead (``stand_in``)."""
    found: list[Path] = []
    for path in paths:
        loader = _naming_a_folder(path) if path.is_file() else None
        found.extend(loader.stand_in(path) if loader else [path])
    return found


def _naming_a_folder(path: Path) -> Any:
    from hadr_lint.loaders.registry import FOLDER_LOADERS  # start-up: loaders load when used

    return next((loader for loader in FOLDER_LOADERS if loader.names_a_folder(path)), None)


def _finds_elsewhere(path: Path) -> bool:
    from hadr_lint.loaders.registry import FOLDER_LOADERS  # start-up: loaders load when used

    return any(loader.finds_elsewhere(path) for loader in FOLDER_LOADERS)


def changed_only(paths: tuple[Path, ...]) -> Callable[[str], bool]:
    """Files given as scan paths (pre-commit's changed files) load their whole folder for
    context, but only findings on those files are kept; folders, and files that stand for their
    folder (a loader's ``names_a_folder``), keep all below. A file whose findings are on other
    files (a loader's ``finds_elsewhere``) keeps all. A workload-level finding on a folder is
    kept when a given file is below it; one on the configuration file that declares the
    workload is kept."""
    files = {p.resolve() for p in paths if p.is_file() and not _naming_a_folder(p)}
    if not files or any(_finds_elsewhere(p) for p in files):
        return lambda file: True
    folders = [(p if p.is_dir() else p.parent).resolve() for p in paths
               if p.is_dir() or _naming_a_folder(p)]

    @functools.cache  # asked once per finding, resolve() costs 40 us
    def keep(file: str) -> bool:
        real = Path(file).resolve()
        if real.name in CONFIG_NAMES or real.is_dir():  # a workload's declaration or folder
            return real.name in CONFIG_NAMES or any(real in f.parents for f in files)
        return real in files or any(f == real.parent or f in real.parents for f in folders)

    return keep


def exit_code(result: ScanResult, fail_on: str) -> int:
    if result.errors:
        return 2
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)
    failing = failing or any(SEVERITY_RANK[f.severity] >= threshold
                             for run in result.external for f in run.findings)
    return 1 if failing else 0
