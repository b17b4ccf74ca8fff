"""The migration readiness model behind `iacm-lint report`.

`build(result)` turns the SAME engine `Result` that `check` prints into a
per-root readiness model: a verdict (ready / needs work / blocked), the
engine and the supported releases that accept the root, a backend summary,
the secrets found (the 2xx findings, whose messages are masked by the rules
and masked again here), the pipelines that target the root with their step
sequence, a to-do list ordered by severity, and the seed's prerequisite
checklist ("Use Existing Remote State"). There is no second analysis path:
everything judged comes from `result.findings`; the model only adds facts
read from the repository model (backend values, workspaces, pipeline steps)
for display.

`markdown.py` and `html.py` render this model; neither knows HCL.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Optional

from ... import __version__
from ...findings import Finding
from ...knowledge.backend_schemas import schema
from ...knowledge.engines import Engine
from ...knowledge.secrets import is_format_prefix
from ...memo import ScanMemo
from ...model import harness_config
from ...model.backends import active_backend, effective_backends
from ...model.pipeline import build_pipelines, pipeline_engine_signal, text_of
from ...model.syntax import RootModule
from ...registry import CHECKLIST_ITEMS, all_rules, get_rule
from ...sanitise import file_link, source_link
from .. import choice_field, plural, visible_findings

READY, NEEDS_WORK, BLOCKED = "ready", "needs work", "blocked"
VERDICTS = (BLOCKED, NEEDS_WORK, READY)
LEVELS = ("error", "warning", "note")
LEVEL_RANK = {"error": 0, "warning": 1, "note": 2}

# Finding categories by rule ID group (the chart, the filters).
CATEGORIES = (
    ("IACM0", "0xx tool"),
    ("IACM1", "1xx state"),
    ("IACM2", "2xx secrets"),
    ("IACM3", "3xx versions"),
    ("IACM4", "4xx hygiene"),
    ("IACM5", "5xx pipelines"),
    ("IACM6", "6xx harness config"),
)
# Shown only when a scan has such findings (a Terragrunt-free report stays as it was).
EXTRA_CATEGORIES = (("IACM7", "7xx terragrunt"),)

# The seed's prerequisites ("Use Existing Remote State"), in the order of
# registry.CHECKLIST_ITEMS, each judged from the findings of the rules that
# name it in their metadata (`@rule(..., checklist="state")`) and, where no
# finding speaks, from what the code shows (`_unflagged`). Each title says
# only what the code can show: whether Harness can reach the state, and
# whether a bucket the scan does not declare is versioned, cannot be seen in
# code and are not claimed.
CHECKLIST_TITLES = {
    "backend": "Valid backends.tf (a remote backend Harness can use)",
    "state": "Remote state is shared and locked (and versioned, where the scan declares its bucket)",
    "credentials": "No credentials in the code (they belong in workspace environment variables)",
    "pipeline": "Pipelines use the Plan and Apply steps, not custom script steps",
    "version": "Supported Terraform (≤ 1.5.x) or OpenTofu version",
}
CHECK_LABELS = {"backend": "backends.tf", "state": "Remote state", "credentials": "Credentials",
                "pipeline": "Plan/Apply steps", "version": "Version"}

# A checklist state. PASS only for what the code shows to hold; UNVERIFIED
# when no finding speaks against it but the code does not show it either.
PASS, WARN, FAIL, NOT_APPLICABLE, UNVERIFIED = "pass", "warn", "fail", "n/a", "unverified"
STATUSES = (PASS, WARN, FAIL, UNVERIFIED, NOT_APPLICABLE)
STATUS_TEXT = {PASS: "met", WARN: "needs work", FAIL: "blocked", NOT_APPLICABLE: "n/a", UNVERIFIED: "not verified"}
STATUS_MEANINGS = {PASS: "shown by the code", WARN: "warnings", FAIL: "errors", UNVERIFIED: "the code does not show it",
                   NOT_APPLICABLE: "not applicable"}

# Notes that say the code does not show what a check asks: a backend value the
# workspace environment must supply, no required_version at all.
UNVERIFYING_NOTES = {"IACM103": "backend", "IACM303": "version"}

# Plugin commands that are a Plan or an Apply step (model/pipeline.py lower-cases them).
PLAN_APPLY_COMMANDS = ("plan", "apply", "destroy")

# Backend attributes shown in the summary (never credentials).
LOCATION_ATTRIBUTES = ("bucket", "storage_account_name", "container_name", "resource_group_name", "region",
                       "address", "organization", "hostname", "database", "namespace", "schema_name", "tenancy")
KEY_ATTRIBUTES = ("key", "prefix", "workspace_key_prefix", "path", "key_name")

# Rules show a secret as `(AKIA…)` or `(…)`; the report keeps only a format
# prefix in any such fragment whatever a rule wrote (a last line of defence).
_MASKED = re.compile(r"\(([^()\s…]*)…\)")


@dataclass(frozen=True)
class Item:
    """A finding as the report shows it."""

    level: str
    rule_id: str
    rule_name: str
    message: str
    path: str
    line: int
    col: int
    doc_url: str
    category: str

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class BackendSummary:
    type: str
    location: str  # bucket / container / address, "" when not set
    key: str  # key / prefix / path
    locking: str
    encryption: str
    configured_in: tuple[str, ...]  # "path:line" of the block and of a .tfbackend file
    label: str  # `backend "s3"` or `backend "s3" with prod.s3.tfbackend`
    lock_mode: str = "none"  # the backend type's locking (EffectiveBackend.state_lock().mode): always,
    #                          optional, local, remote, or none for a type not known
    partial: bool = False  # `backend "TYPE" {}` with no .tfbackend: the values come at init


@dataclass(frozen=True)
class Step:
    name: str
    type: str
    command: str = ""  # plugin command (init/plan/apply...), "" for other steps

    @property
    def text(self) -> str:
        label = self.command or self.name or self.type
        return f"{label} ({self.type})" if self.type else label


@dataclass(frozen=True)
class PipelineTarget:
    path: str
    line: int
    pipeline: str  # pipeline identifier or name ("" for fragments)
    stage: str
    workspace: str
    matched_by: str  # how the stage was tied to the root
    steps: tuple[Step, ...]
    end_line: int = 0  # last line of the stage (findings inside it concern the roots it targets)


@dataclass(frozen=True)
class Workspace:
    identifier: str
    path: str
    line: int
    provisioner: str  # "opentofu 1.8.0" ...
    address: str = ""  # harness_platform_workspace.NAME


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    status: str  # pass | warn | fail | unverified | n/a
    detail: str  # rule IDs that failed it, or why it is not verified or n/a

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.key, self.key)

    @property
    def text(self) -> str:
        """`met`, `needs work`, `blocked`, `not verified` or `n/a`."""
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class UnitCard:
    """What a Terragrunt unit's card adds: where its configuration comes from."""

    config: str  # the unit's terragrunt.hcl
    includes: tuple[str, ...]  # the included files, in order
    backend_from: str  # "remote_state in root.hcl:18 (generate backend.tf)", "backend block in the module", …
    source: str  # terraform.source as written, "" for the unit's own files
    binary: str  # "tofu (terraform_binary in root.hcl)" or "not set (the workspace's binary)"
    version_constraint: str  # terraform_version_constraint, "" when not set
    terragrunt_version_constraint: str


@dataclass(frozen=True)
class RootReport:
    directory: str
    verdict: str
    engine: str
    engine_reason: str
    versions: tuple[tuple[str, str], ...]  # (engine title, "1.8.0–1.12.6" or "none")
    backends: tuple[BackendSummary, ...]
    backend_note: str  # "no backend block", "cloud block", ...
    secrets: tuple[Item, ...]
    pipelines: tuple[PipelineTarget, ...]
    workspaces: tuple[Workspace, ...]
    todo: tuple[Item, ...]
    checklist: tuple[Check, ...]
    unit: Optional[UnitCard] = None  # a Terragrunt unit's card

    def count(self, level: str) -> int:
        return sum(1 for item in self.todo if item.level == level)


@dataclass(frozen=True)
class Revision:
    """What was scanned, for an auditable verdict: the repository (its remote,
    credentials stripped), HEAD's commit and branch, the scanned directory
    inside the repository, and when. Empty strings for what is unknown (not
    a git repository, no remote, a detached HEAD, no scan time given)."""

    in_git: bool = False
    remote: str = ""
    commit: str = ""  # full object name
    branch: str = ""
    directory: str = ""  # the scan root relative to the repository's top level ("" for the top level itself)
    scanned_at: Optional[datetime] = None  # UTC

    @property
    def short_commit(self) -> str:
        return self.commit[:12]

    @property
    def scan_time(self) -> str:
        """`2024-05-01 12:00:00 UTC`, or ""."""
        return self.scanned_at.strftime("%Y-%m-%d %H:%M:%S UTC") if self.scanned_at else ""

    @property
    def scan_time_iso(self) -> str:
        return self.scanned_at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.scanned_at else ""


@dataclass(frozen=True)
class Readiness:
    name: str  # the scan root's directory name
    tool_version: str
    state: str
    roots: tuple[RootReport, ...]
    repository_items: tuple[Item, ...]  # findings outside every root (e.g. a pipeline no root claims)
    items: tuple[Item, ...]  # every visible finding, sorted by path
    suppressed: int  # findings hidden by suppressions or a baseline
    unresolved_pipelines: tuple[PipelineTarget, ...] = ()
    link_base: str = ""  # prefix turning scan-root-relative paths into links from the report's location
    revision: Revision = Revision()
    source_url: str = ""  # a validated http(s) base for repository-relative paths (`--source-url`), "" for none

    @property
    def verdict_counts(self) -> dict[str, int]:
        return {verdict: sum(1 for r in self.roots if r.verdict == verdict) for verdict in VERDICTS}

    @property
    def repository_verdict(self) -> str:
        return verdict_of(self.repository_items)

    @property
    def level_counts(self) -> dict[str, int]:
        return {level: sum(1 for i in self.items if i.level == level) for level in LEVELS}

    @property
    def categories(self) -> list[str]:
        """The category labels, with the extra ones only when findings have them."""
        present = {i.category for i in self.items}
        return [label for _, label in CATEGORIES] + [label for _, label in EXTRA_CATEGORIES if label in present]

    @property
    def category_counts(self) -> list[tuple[str, dict[str, int]]]:
        """(category label, {level: count}) for every category, in order."""
        out = []
        for label in self.categories:
            counts = {level: sum(1 for i in self.items if i.category == label and i.level == level) for level in LEVELS}
            out.append((label, counts))
        return out

    def link(self, path: str, line: int = 0) -> str:
        """With `source_url`: that base + the percent-encoded repository-relative
        path + `#L<line>`, a link that works wherever the report is moved.
        Else `./` + the percent-encoded path (a file named `javascript:…` is
        no link to run), from `link_base`, then `#L<line>`."""
        if self.source_url:
            return source_link(self.source_url, self.repository_path(path), line)
        return file_link(self.link_base, path, line)

    def repository_path(self, path: str) -> str:
        """A scan-root-relative path relative to the repository's top level."""
        return posixpath.join(self.revision.directory, path) if self.revision.directory else path


# ---- building -----------------------------------------------------------------


def build(result: Any, link_base: str = "", tool_version: Optional[str] = None,
          scanned_at: Optional[datetime] = None, source_url: str = "") -> Readiness:
    """The readiness model of an engine `Result` (the one `check` reports).
    `scanned_at` is shown as the scan time (the caller decides it: the
    command line takes SOURCE_DATE_EPOCH when set); `source_url` must be
    validated already (cli/report.py)."""
    with ScanMemo().active():  # the model views it asks (workspaces, targets) memoise for this report only
        return _build(result, link_base, tool_version, scanned_at, source_url)


def _build(result: Any, link_base: str, tool_version: Optional[str], scanned_at: Optional[datetime],
           source_url: str) -> Readiness:
    repo = result.repo
    visible = visible_findings(result)
    hidden = len(result.findings) - len(visible)
    roots = sorted(repo.roots, key=lambda r: r.directory)
    workspaces = _workspaces(repo, roots)
    targets, unresolved = _pipeline_targets(result, roots, workspaces)
    owners = _owners(roots)
    per_root: dict[str, list[Finding]] = {r.directory: [] for r in roots}
    repository: list[Finding] = []
    for finding in visible:
        owned = _owning_roots(finding.span, owners, targets)
        for directory in owned:
            per_root[directory].append(finding)
        if not owned:
            repository.append(finding)
    properties = getattr(result, "properties", None) or {}
    switched_off = _switched_off(result)
    reports = tuple(_root_report(repo, root, per_root[root.directory], properties, targets.get(root.directory, ()),
                                 workspaces.get(root.directory, ()), len(unresolved), switched_off)
                    for root in roots)
    return Readiness(
        name=posixpath.basename(str(result.root).replace("\\", "/").rstrip("/")) or str(result.root),
        tool_version=tool_version or str(properties.get("tool_version") or __version__),
        state=str(properties.get("state") or ""),
        roots=reports,
        repository_items=tuple(_item(f) for f in _by_severity(repository)),
        items=tuple(_item(f) for f in visible),
        suppressed=hidden,
        unresolved_pipelines=tuple(unresolved),
        link_base=link_base,
        revision=_revision(result, repo, scanned_at),
        source_url=source_url,
    )


def _revision(result: Any, repo: Any, scanned_at: Optional[datetime]) -> Revision:
    toplevel = getattr(repo, "git_toplevel", None)
    directory = ""
    if toplevel:
        relative = os.path.relpath(os.path.abspath(str(result.root)), toplevel).replace(os.sep, "/")
        directory = "" if relative == "." or relative.startswith("../") else relative
    return Revision(in_git=bool(toplevel), remote=getattr(repo, "git_remote", ""),
                    commit=getattr(repo, "git_commit", ""), branch=getattr(repo, "git_branch", ""), directory=directory,
                    scanned_at=scanned_at.astimezone(timezone.utc) if scanned_at else None)


def verdict_of(items: Iterable[Any]) -> str:
    levels = {i.level for i in items}
    if "error" in levels:
        return BLOCKED
    if "warning" in levels:
        return NEEDS_WORK
    return READY


def _by_severity(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (LEVEL_RANK.get(f.level, 9), f.sort_key))


def category_of(rule_id: str) -> str:
    for prefix, label in CATEGORIES + EXTRA_CATEGORIES:
        if rule_id.startswith(prefix):
            return label
    return CATEGORIES[0][1]


def _item(finding: Finding) -> Item:
    found = get_rule(finding.rule_id)
    span = finding.span
    return Item(finding.level, finding.rule_id, finding.rule_name, mask_message(finding.message), span.path,
                span.line, span.col, found.help_uri if found else "", category_of(finding.rule_id))


def mask_message(message: str) -> str:
    """Rules already mask secrets (`(AKIA…)`, `(…)`); this keeps nothing but
    a credential format's fixed prefix in a parenthesised masked fragment,
    whatever a rule wrote."""
    return _MASKED.sub(lambda m: f"({m.group(1) if is_format_prefix(m.group(1)) else ''}…)", message)


# ---- which root a finding belongs to ------------------------------------------


def _owners(roots: list[RootModule]) -> dict[str, set[str]]:
    """module directory -> root directories that run it (itself or calling it);
    for a Terragrunt unit also its source module and, by file path, every
    configuration file it reads (root.hcl, account.hcl, …)."""
    owners: dict[str, set[str]] = {}
    for root in roots:
        owners.setdefault(root.directory, set()).add(root.directory)
        for called in root.called:
            owners.setdefault(called.directory, set()).add(root.directory)
        unit = root.terragrunt
        if unit is not None:
            if unit.source_dir is not None:
                owners.setdefault(unit.source_dir, set()).add(root.directory)
            for path in unit.files:
                owners.setdefault(FILE_KEY + path, set()).add(root.directory)
    return owners


FILE_KEY = "file:"  # owners keyed by a file's path rather than its directory


def _owning_roots(span: Any, owners: dict[str, set[str]], targets: dict[str, tuple]) -> list[str]:
    """The roots a finding concerns: those running the module of its
    directory, plus those a pipeline stage holding it targets (a stage in a
    harness_platform_pipeline heredoc concerns its workspace's root too);
    else, for a pipeline file, the roots its stages target."""
    path = span.path
    directory = posixpath.dirname(path) or "."
    owned = set(owners.get(directory, ())) | set(owners.get(FILE_KEY + path, ()))
    owned.update(root for root, stages in targets.items()
                 for stage in stages if stage.path == path and stage.line <= span.line <= stage.end_line)
    if owned:
        return sorted(owned)
    by_pipeline = sorted(root for root, stages in targets.items() if any(s.path == path for s in stages))
    if by_pipeline:
        return by_pipeline
    # A file below a module directory (root/.terraform/..., root/terraform.tfstate.d/...):
    # the nearest enclosing module's roots. The scan root "." encloses everything.
    candidate = directory
    while candidate not in ("", "."):
        candidate = posixpath.dirname(candidate) or "."
        if candidate in owners:
            return sorted(owners[candidate])
    return []


# ---- per root -------------------------------------------------------------------


def _switched_off(result: Any) -> dict[str, tuple[str, ...]]:
    """checklist key -> its rules that did not run (`select`, `ignore`, severity `off`)."""
    ran = {rule.id for rule in getattr(result, "rules", None) or ()}
    if not ran:
        return {}
    return {key: tuple(rule.id for rule in all_rules() if rule.checklist == key and rule.id not in ran)
            for key in CHECKLIST_ITEMS}


def _root_report(repo: Any, root: RootModule, findings: list[Finding], properties: dict, pipelines: tuple,
                 workspaces: tuple, unresolved: int, switched_off: dict[str, tuple[str, ...]]) -> RootReport:
    engines = properties.get("engines") or {}
    choice = engines.get(root.directory) or {}
    named = choice_field(choice, "engine")
    known = Engine.named(named)
    engine = known.display_name if known is not None else named
    reason = _engine_reason(repo, choice_field(choice, "reason"), pipelines)
    todo = tuple(_item(f) for f in _by_severity(findings))
    secrets = tuple(i for i in todo if i.rule_id.startswith("IACM2") or i.rule_id == "IACM603")
    backends, backend_note = _backend_summaries(root)
    if root.terragrunt is not None and not backends:
        backend_note = _unit_backend_note(root.terragrunt)
    facts = _Facts(backends, backend_note, pipelines, str(properties.get("state") or ""), unresolved, switched_off)
    return RootReport(
        directory=root.directory,
        verdict=verdict_of(todo),
        engine=engine,
        engine_reason=reason,
        versions=_versions(properties, root.directory),
        backends=backends,
        backend_note=backend_note,
        secrets=secrets,
        pipelines=pipelines,
        workspaces=workspaces,
        todo=todo,
        checklist=_checklist(todo, facts),
        unit=_unit_card(root.terragrunt) if root.terragrunt is not None else None,
    )


def _unit_card(unit: Any) -> UnitCard:
    remote = unit.remote_state
    if remote is not None:
        where = f"{remote.file.path}:{remote.header_span.line}"
        generate = next((g.file.name for g in unit.generated if g.from_remote_state), None)
        how = f"generate {generate}" if generate else "passed to init as -backend-config; the module declares the block"
        backend_from = f"remote_state in {where} ({how if remote.is_known else 'not known statically'})"
    else:
        writer = next((g for g in unit.generated if any(b.type == "terraform" for b in g.file.blocks)
                       and any(t.child("backend") or t.child("cloud") for t in g.file.top("terraform"))), None)
        backend_from = (f"{writer.writer} writes {writer.file.name} "
                        f"({writer.writer_span.path}:{writer.writer_span.line})"
                        if writer is not None else "the working module's own files")
    binary = unit.terraform_binary
    binary_text = (f"{binary.value.python()} (terraform_binary in {binary.file.path})"
                   if binary is not None and binary.value.is_literal else "not set: the workspace's binary")
    def constraint(setting: Any) -> str:
        if setting is None:
            return ""
        value = setting.value.python()
        shown = value if isinstance(value, str) else setting.attribute.expr.text
        return f"{shown} ({setting.file.path})"
    # a local source is shown as the folder it resolves to; a checkout-dependent text would show `${get_repo_root()}`
    source = f"{unit.source_dir} (local)" if unit.source_dir is not None else unit.source_text
    return UnitCard(unit.path, unit.include_chain, backend_from, source, binary_text,
                    constraint(unit.terraform_version_constraint), constraint(unit.terragrunt_version_constraint))


def _unit_backend_note(unit: Any) -> str:
    remote = unit.remote_state
    if remote is not None and not remote.is_known:
        return f"remote_state in {remote.file.path} whose content is not known statically"
    if not unit.complete:
        return "an include could not be read"
    return "no remote_state and no backend block"


def _engine_reason(repo: Any, reason: str, pipelines: tuple) -> str:
    """The engine choice's reason, said so that it agrees with the root's
    Pipelines section: the pipeline signal is the scan's, not the root's
    (`model/pipeline.pipeline_engine_signal`: every IaCM plugin step of the
    scan is of one engine), so a pipeline that does not target the root is
    named as the scan's."""
    engine, signal_reason = pipeline_engine_signal(repo) if repo is not None else (None, "")
    if engine is None or reason != signal_reason:
        return reason
    path = reason.removeprefix("pipeline ")
    if any(stage.path == path for stage in pipelines):
        return reason
    said = f"the scan's pipelines use {engine.display_name} plugin steps only, as in {path}"
    return said if pipelines else said + ", which does not target this root"


def _versions(properties: dict, directory: str) -> tuple[tuple[str, str], ...]:
    accepted = ((properties.get("versions") or {}).get(directory) or {}).get("accepted") or {}
    out = []
    for engine in (Engine.OPENTOFU, Engine.TERRAFORM):
        runs = accepted.get(engine) or []
        text = ", ".join(r["from"] if r["from"] == r["to"] else f"{r['from']}–{r['to']}" for r in runs)
        out.append((engine.display_name, text or "none"))
    return tuple(out)


@dataclass(frozen=True)
class _Facts:
    """What the code shows about a root beyond its findings (for the checklist)."""

    backends: tuple[BackendSummary, ...]
    backend_note: str
    pipelines: tuple[PipelineTarget, ...]
    state: str  # the state mode: auto | existing | managed
    unresolved: int  # IaCM stages of the scan tied to no root
    switched_off: dict[str, tuple[str, ...]]  # checklist key -> its rules that did not run


def _checklist(todo: tuple[Item, ...], facts: _Facts) -> tuple[Check, ...]:
    """Each prerequisite: FAIL on an error of its rules, WARN on a warning,
    else UNVERIFIED on a note saying the code does not show it, else what
    the code shows (`_unflagged`)."""
    checks = []
    for key in CHECKLIST_ITEMS:
        title = CHECKLIST_TITLES[key]
        hits = [i for i in todo if _checklist_item(i.rule_id) == key and i.level in ("error", "warning")]
        unverifying = sorted({i.rule_id for i in todo if i.level == "note" and UNVERIFYING_NOTES.get(i.rule_id) == key})
        if any(i.level == "error" for i in hits):
            status, detail = FAIL, ", ".join(sorted({i.rule_id for i in hits}))
        elif hits:
            status, detail = WARN, ", ".join(sorted({i.rule_id for i in hits}))
        elif unverifying:
            status, detail = UNVERIFIED, ", ".join(f"{rule_id} ({_NOTE_MEANS[rule_id]})" for rule_id in unverifying)
        else:
            status, detail = _unflagged(key, facts)
        checks.append(Check(key, title, status, detail))
    return tuple(checks)


_NOTE_MEANS = {"IACM103": "the workspace environment must supply a backend value",
               "IACM303": "no required_version"}


def _unflagged(key: str, facts: _Facts) -> tuple[str, str]:
    """A prerequisite no finding speaks against: met only when the code
    shows it, and every rule judging it ran."""
    if facts.switched_off.get(key):
        return UNVERIFIED, f"not checked: {', '.join(facts.switched_off[key])} switched off"
    if key == "backend":
        if not facts.backends:
            if facts.state == "managed":
                return NOT_APPLICABLE, "Harness-managed state"
            return UNVERIFIED, facts.backend_note or "no remote backend"
        if any(b.partial for b in facts.backends):
            return UNVERIFIED, "partial configuration: the workspace supplies the backend's values at init"
    if key == "state":
        if not facts.backends:
            return NOT_APPLICABLE, "no remote backend"
        if any(b.lock_mode in ("local",) for b in facts.backends):
            return FAIL, "local state is not shared with Harness"
        unknown = next((b for b in facts.backends if b.lock_mode not in ("always", "optional")), None)
        if unknown is not None:
            held = "HCP Terraform holds the state" if unknown.lock_mode == "remote" else "an unknown backend type"
            return UNVERIFIED, f'{unknown.label}: {held}, its locking cannot be judged'
        if any(b.partial and b.lock_mode == "optional" for b in facts.backends):
            return UNVERIFIED, "partial configuration: the workspace supplies the lock settings at init"
    if key == "pipeline":
        if not facts.pipelines:
            if facts.unresolved:
                return UNVERIFIED, (f"{plural(facts.unresolved, 'IaCM stage')} of the scan could not be tied "
                                    "to a root, no other pipeline targets this root")
            return NOT_APPLICABLE, "no pipeline in the scan targets this root"
        without = [stage for stage in facts.pipelines
                   if not any(step.command in PLAN_APPLY_COMMANDS for step in stage.steps)]
        if without:
            stage = without[0]
            return UNVERIFIED, f"stage {stage.stage} ({stage.path}:{stage.line}) runs no Plan or Apply step"
    return PASS, ""


def _checklist_item(rule_id: str) -> Optional[str]:
    found = get_rule(rule_id)
    return found.checklist if found is not None else None


# ---- backend summary ------------------------------------------------------------


def _backend_summaries(root: RootModule) -> tuple[tuple[BackendSummary, ...], str]:
    active = active_backend(root)
    if active is None:
        return (), "no backend block"
    hcl_file, _, block = active
    if block.type == "cloud":
        return (), f"cloud block in {hcl_file.path}:{block.header_span.line} (HCP Terraform; not usable by Harness)"
    if not block.labels:
        return (), f"backend block without a type in {hcl_file.path}:{block.header_span.line}"
    out = []
    for effective in effective_backends(root):
        note_local = "local state (not shared)" if effective.type == "local" else ""
        configured = [f"{effective.file.path}:{effective.block.header_span.line}"]
        if effective.terragrunt:  # where the generated or completed block is declared
            remote = root.terragrunt.remote_state
            configured = [f"{remote.file.path}:{remote.header_span.line}"] + (
                [f"{effective.file.path}:{effective.block.header_span.line}"] if effective.own_values else [])
        if effective.tfbackend is not None:
            configured.append(effective.tfbackend.path)
        out.append(BackendSummary(
            type=effective.type,
            location=_joined(effective, LOCATION_ATTRIBUTES),
            key=_joined(effective, KEY_ATTRIBUTES),
            locking=note_local or _locking(effective),
            encryption=note_local or _encryption(effective),
            configured_in=tuple(configured),
            label=effective.label,
            lock_mode=effective.state_lock().mode,
            partial=effective.is_empty_partial,
        ))
    if not out:
        return (), f'backend "{block.labels[0]}" without a usable configuration'
    return tuple(out), ""


def _display(value: Any) -> str:
    """A backend value for display: a literal as is, an expression as written."""
    if value.is_literal:
        literal = value.value
        return str(literal).lower() if isinstance(literal, bool) else str(literal)
    return value.expr.text


def _joined(effective: Any, names: tuple[str, ...]) -> str:
    parts = []
    for name in names:
        value = effective.get(name)
        if value is not None:
            parts.append(f"{name} = {_display(value)}")
    return ", ".join(parts)


UNKNOWN_TYPE = "unknown (not a backend type the engines have)"


def _locking(effective: Any) -> str:
    """How the backend locks the state, as IACM110 judges it (`state_lock()`)."""
    if schema(effective.type) is None:
        return UNKNOWN_TYPE  # IACM109's: no schema says how it locks
    lock = effective.state_lock()
    if lock.disabled_by is not None:
        return f"disabled ({lock.disabled_by.name} = {_display(lock.disabled_by)})"
    if lock.by:
        return ", ".join(f"{value.name} = {_display(value)}" for value in lock.by)
    if lock.locked:
        return "built in"
    if lock.mode == "none":
        return "not supported by this backend"
    if lock.locked is None and lock.mode == "optional":
        return "set at init (partial configuration)"
    return "none"


def _encryption(effective: Any) -> str:
    """How the backend encrypts the state, as IACM112 judges it (`state_encryption()`)."""
    if schema(effective.type) is None:
        return UNKNOWN_TYPE
    encryption = effective.state_encryption()
    if encryption.by:
        return ", ".join(f"{value.name} = {_display(value)}" if switch else value.name
                         for value, switch in encryption.by)
    if encryption.encrypted is None:
        return "set at init (partial configuration)"
    if encryption.default == "at-rest":
        return "at rest (storage default)"
    if encryption.default == "on":
        return "on (backend default)"
    if encryption.default == "off":
        return "off"
    return "none"


# ---- Harness workspaces (harness_platform_workspace resources) -------------------


def _workspaces(repo: Any, roots: list[RootModule]) -> dict[str, tuple[Workspace, ...]]:
    """root directory -> the workspaces declared in the scan whose
    `repository_path` resolves to that root (`harness_config.workspaces_for_root`,
    as IACM602/IACM604 and the engine signal decide)."""
    found: dict[str, tuple[Workspace, ...]] = {}
    for root in roots:
        shown = [Workspace(w.identifier, w.file.path, w.block.header_span.line,
                           " ".join(p for p in (w.engine, w.version) if p), w.address)
                 for w in harness_config.workspaces_for_root(repo, root)]
        if shown:
            found[root.directory] = tuple(sorted(shown, key=lambda w: (w.identifier, w.path, w.line)))
    return found


# ---- pipelines ---------------------------------------------------------------------


def _pipeline_targets(result: Any, roots: list[RootModule], workspaces: dict[str, tuple[Workspace, ...]]
                      ) -> tuple[dict[str, tuple[PipelineTarget, ...]], list[PipelineTarget]]:
    """root directory -> IaCM stages that run against it, and the stages no
    root could be tied to. A stage targets a root when its literal workspace
    is the identifier of a workspace resource whose repository_path is that
    root; when the scan has a single root, every IaCM stage targets it."""
    by_identifier = {w.identifier: (directory, w) for directory, ws in workspaces.items() for w in ws}
    # a pipeline heredoc may name the workspace resource: ${harness_platform_workspace.NAME.identifier}
    by_identifier.update({f"${{{w.address}.identifier}}": (directory, w)
                          for directory, ws in workspaces.items() for w in ws if w.address})
    single = roots[0].directory if len(roots) == 1 else None
    targets: dict[str, list[PipelineTarget]] = {}
    unresolved = []
    for stage in iacm_stages(result):
        directory, workspace = by_identifier.get(re.sub(r"\s+", "", stage.workspace), (None, None))
        if workspace is not None:
            stage = replace(stage, matched_by=f"workspace resource at {workspace.path}:{workspace.line}")
        elif single is not None:
            directory = single
            stage = replace(stage, matched_by="the only root in the scan")
        if directory is None:
            unresolved.append(stage)
        else:
            targets.setdefault(directory, []).append(stage)
    return {d: tuple(ts) for d, ts in targets.items()}, unresolved


def iacm_stages(result: Any) -> list[PipelineTarget]:
    """Every IaCM stage of every pipeline in the scan, with its steps in
    execution order, read from the pipeline model (`model/pipeline.py`)."""
    out = []
    for pipeline in build_pipelines(result.repo):
        name = "" if pipeline.kind == "fragment" else (
            text_of(pipeline.root.get("identifier")) or text_of(pipeline.root.get("name")) or "")
        for stage in pipeline.stages:
            if not stage.is_iacm:
                continue
            spec = stage.spec
            workspace = (text_of(spec.get("workspace")) if spec is not None else None) or ""
            steps = tuple(Step(step.name or step.identifier or "", step.type or "?", step.command or "")
                          for step in stage.steps)
            label = stage.label if stage.kind != "fragment" else "fragment"
            out.append(PipelineTarget(pipeline.path, stage.key.span.line, name, label, workspace.strip(), "", steps,
                                      max(stage.node.span.end_line, stage.key.span.line)))
    return out
