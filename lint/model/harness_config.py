"""Harness configuration as code: `harness_platform_workspace` and
`harness_platform_pipeline` resources read from the parsed HCL model.

- `workspaces(repo)`: every workspace resource of the scan, with its literal
  provisioner, repository, path and variables.
- `target(repo, workspace)`: does the workspace run a folder of the scanned
  repository, and which root is it (IACM602, IACM604, the engine signal)?
- `heredoc_pipelines(repo)`: the pipeline YAML in `harness_platform_pipeline`
  `yaml = <<EOT` heredocs (parsed by the scan stage, parse/heredoc.py, with
  positions inside the `.tf` file), so that every 5xx rule can check them
  like pipeline files.
- the strongest `--engine auto` signal (model/engine_choice.py): a workspace
  whose `repository_path` is the root names its `provisioner_type`.

Which repository a workspace targets is decided conservatively:

1. with git remotes on a git host (the scan stage reads them: gitinfo.py),
   a literal `repository` (URL in https/ssh/scp form, or a bare repository
   name) that matches a remote is this repository, one that does not is
   another repository (remotes that are local paths, as in a clone of a
   clone, do not count);
2. without remotes, a `repository` whose last segment is the name of the git
   work tree or the scan root is this repository;
3. otherwise, when some workspace with the same `repository` value (literal
   or the same expression text) has a `repository_path` that is a root of the
   scan — one that holds no workspace resources itself, so a Harness config
   folder that mirrors the target repository's layout does not count — all
   workspaces with that value are taken to target this repository;
4. anything else is unknown, and no rule judges its path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar

from ..knowledge.engines import Engine
from ..knowledge.secrets import (
    Judgement,
    find_credentials,
    is_identifier_slug,
    is_weak_password,
    judge,
    mask,
    secret_name_kind,
)
from ..memo import per_object
from .syntax import (
    NOT_LITERAL,
    TF,
    TF_JSON,
    Attribute,
    Block,
    Expr,
    HclFile,
    Repo,
    RootModule,
    Span,
    YamlFile,
    normalise_dir,
)

WORKSPACE = "harness_platform_workspace"
PIPELINE = "harness_platform_pipeline"
VARIABLE_BLOCKS = ("environment_variable", "terraform_variable")

THIS, OTHER, UNKNOWN = "this", "other", "unknown"

T = TypeVar("T")


def _literal_text(attribute: Optional[Attribute]) -> Optional[str]:
    if attribute is None:
        return None
    value = attribute.value
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Variable:
    """One `environment_variable {}` / `terraform_variable {}` block."""

    kind: str  # environment_variable | terraform_variable
    block: Block

    @property
    def key(self) -> Optional[str]:
        return _literal_text(self.block.attr("key"))

    @property
    def value(self) -> Optional[Attribute]:
        return self.block.attr("value")

    @property
    def value_type(self) -> Optional[str]:
        text = _literal_text(self.block.attr("value_type"))
        return text.strip().lower() if text is not None else None


@dataclass(frozen=True)
class Workspace:
    file: HclFile
    block: Block
    # `locals` of the declaring module, so that `local.repo` and
    # `local.roots.network` read as the literals they are
    locals: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def attr(self, name: str) -> Optional[Attribute]:
        return self.block.attr(name)

    def literal(self, name: str) -> Optional[str]:
        """The attribute's string value: a literal, or a `local.…` reference
        to a literal local value (object keys followed); else None."""
        attribute = self.block.attr(name)
        if attribute is None:
            return None
        value = resolve_local(attribute.expr, self.locals)
        return value if isinstance(value, str) else None

    @property
    def name(self) -> str:
        return self.block.labels[1] if len(self.block.labels) > 1 else "?"

    @property
    def address(self) -> str:
        return f"{WORKSPACE}.{self.name}"

    @property
    def identifier(self) -> str:
        return self.literal("identifier") or self.name

    @property
    def engine(self) -> Optional[str]:
        """The literal `provisioner_type`, lower-cased (any value, not only
        the known engines), or None for an expression or when absent."""
        text = self.literal("provisioner_type")
        return text.strip().lower() if text is not None else None

    @property
    def version(self) -> Optional[str]:
        return self.literal("provisioner_version")

    def flag(self, name: str) -> bool:
        """A literal true boolean attribute (`terragrunt_provider`, `run_all`)."""
        attribute = self.block.attr(name)
        if attribute is None:
            return False
        value = resolve_local(attribute.expr, self.locals)
        return value is True or (isinstance(value, str) and value.strip().lower() == "true")

    @property
    def terragrunt(self) -> bool:
        """A Terragrunt workspace (`terragrunt_provider = true`, TG-3)."""
        return self.flag("terragrunt_provider")

    @property
    def run_all(self) -> bool:
        return self.terragrunt and self.flag("run_all")

    @property
    def terragrunt_version(self) -> Optional[str]:
        return self.literal("terragrunt_version")

    @property
    def repository_key(self) -> tuple[str, str]:
        """What tells workspaces of one repository apart: the normalised
        literal, or the expression's source text."""
        attribute = self.attr("repository")
        if attribute is None:
            return ("missing", "")
        value = self.literal("repository")
        if value is not None:
            return ("literal", normalise_repository_url(value))
        return ("expression", attribute.expr.text.strip())

    @property
    def path_value(self) -> Optional[str]:
        """The literal `repository_path`, normalised to a "/" separated
        relative directory ("." for the repository root)."""
        text = self.literal("repository_path")
        return normalise_repository_path(text) if text is not None else None

    def variables(self) -> Iterator[Variable]:
        for block in self.block.blocks:
            if block.type in VARIABLE_BLOCKS:
                yield Variable(block.type, block)


_LOCAL_REF = re.compile(r"local((?:\.[A-Za-z_][\w\-]*|\[\s*\"[^\"]*\"\s*\])+)")
_STEP = re.compile(r"\.([A-Za-z_][\w\-]*)|\[\s*\"([^\"]*)\"\s*\]")


def resolve_local(expr: Expr, local_values: dict) -> Any:
    """The literal value of `expr`, following one `local.a.b` / `local.a["b"]`
    reference into a literal local; NOT_LITERAL otherwise."""
    if expr.is_literal:
        return expr.value
    if expr.kind != "reference" or not local_values:
        return NOT_LITERAL
    match = _LOCAL_REF.fullmatch(expr.text.strip())
    if match is None:
        return NOT_LITERAL
    keys = [a or b for a, b in _STEP.findall(match.group(1))]
    target = local_values.get(keys[0])
    if target is None or not target.is_literal:
        return NOT_LITERAL
    value = target.value
    for key in keys[1:]:
        if not isinstance(value, dict) or key not in value:
            return NOT_LITERAL
        value = value[key]
    return value


def _module_locals(repo: Repo, directory: str) -> dict:
    module = repo.modules.get(directory)
    found: dict = {}
    for block in module.blocks("locals") if module is not None else ():
        for attribute in block.attributes:
            found.setdefault(attribute.name, attribute.expr)
    return found


def normalise_repository_path(path: str) -> str:
    """`./infra/network/`, `/infra/network`, `infra\\network` -> `infra/network`;
    "" and "/" -> "."."""
    path = path.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    path = path.strip("/")
    return normalise_dir(".", path) if path else "."


_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_SCP = re.compile(r"^(?:[^@/\s]+@)?([^:/\s]+):(?!//)(.+)$")


def normalise_repository_url(value: str) -> str:
    """`https://github.com/Acme/Infra.git`, `git@github.com:acme/infra`,
    `ssh://git@github.com:22/acme/infra` -> `github.com/acme/infra`; a bare
    name stays a name (lower-cased, `.git` dropped)."""
    text = value.strip().lower()
    if _SCHEME.match(text):
        text = _SCHEME.sub("", text, count=1)
        host, _, rest = text.partition("/")
        host = host.rsplit("@", 1)[-1].split(":", 1)[0]
        text = f"{host}/{rest}"
    else:
        scp = _SCP.match(text)
        if scp and "/" not in scp.group(1):
            text = f"{scp.group(1)}/{scp.group(2)}"
    text = text.rstrip("/")
    if text.endswith(".git"):
        text = text[:-4]
    return text.rstrip("/")


def repository_name(normalised: str) -> str:
    return normalised.rsplit("/", 1)[-1]


# ---- collection -------------------------------------------------------------------

def cached_per_repo(repo: Repo, what: str, build: Callable[[Repo], T]) -> T:
    """`build(repo)`, computed once per scan (the scan's memo, memo.py) and `what`."""
    return per_object(repo, what, build)


def _module_files(repo: Repo) -> Iterator[HclFile]:
    ignored: frozenset[str] = getattr(repo, "ignored_paths", frozenset())
    for hcl_file in repo.hcl_files:
        if hcl_file.kind in (TF, TF_JSON) and hcl_file.path not in ignored:
            yield hcl_file


def workspaces(repo: Repo) -> list[Workspace]:
    """Every `harness_platform_workspace` resource of the scan, in path order."""
    def build(r: Repo) -> list[Workspace]:
        found = []
        local_values: dict[str, dict] = {}
        for hcl_file in _module_files(r):
            for block in hcl_file.top("resource"):
                if block.labels[:1] == (WORKSPACE,):
                    if hcl_file.directory not in local_values:
                        local_values[hcl_file.directory] = _module_locals(r, hcl_file.directory)
                    found.append(Workspace(hcl_file, block, local_values[hcl_file.directory]))
        return found

    return cached_per_repo(repo, "workspaces", build)


def pipeline_resources(repo: Repo) -> list[tuple[HclFile, Block]]:
    # memoised: IACM203 asks once per file (parsed_heredoc_spans), which made it O(files^2)
    return cached_per_repo(repo, "pipeline_resources",
                           lambda r: [(f, block) for f in _module_files(r) for block in f.top("resource")
                                      if block.labels[:1] == (PIPELINE,)])


# ---- pipelines in heredocs -----------------------------------------------------------


def heredoc_pipelines(repo: Repo) -> list[YamlFile]:
    """The parsed YAML of every `harness_platform_pipeline` `yaml` heredoc in
    the scan (parse failures included, with `error` set), path order; the
    scan stage parsed them (scan/repository.py)."""
    return list(repo.heredoc_yaml.values())


# ---- which repository a workspace targets --------------------------------------------


@dataclass
class _RepoFacts:
    toplevel: Optional[str]
    prefix: str  # scan root relative to the work tree ("." when equal, "" when outside git)
    remotes: tuple[str, ...]  # normalised
    names: frozenset[str]  # repository names without remotes (work tree / scan root directory names)
    roots: dict[str, RootModule] = field(default_factory=dict)
    config_roots: frozenset[str] = frozenset()  # roots declaring workspace resources


def _facts(repo: Repo) -> _RepoFacts:
    def build(r: Repo) -> _RepoFacts:
        toplevel = r.git_toplevel
        prefix = ""
        if toplevel is not None:
            relative = os.path.relpath(r.root, toplevel).replace(os.sep, "/")
            prefix = "." if relative == "." else relative
        remotes = tuple(dict.fromkeys(normalise_repository_url(u) for u in r.git_remotes))
        names = {os.path.basename(os.path.normpath(r.root)).lower()}
        if toplevel is not None:
            names.add(os.path.basename(os.path.normpath(toplevel)).lower())
        roots = {root.directory: root for root in r.roots}
        declaring = {w.file.directory for w in workspaces(r)}
        return _RepoFacts(toplevel, prefix, remotes, frozenset(names), roots, frozenset(declaring & set(roots)))

    return cached_per_repo(repo, "facts", build)


@dataclass(frozen=True)
class Target:
    """What a workspace's `repository_path` means in this scan.

    status: "this" (the scanned repository), "other" or "unknown".
    directory: the path relative to the scan root, when the workspace targets
    this repository and the path lies inside the scanned tree (else None).
    root: the root module at `directory`, when there is one.
    why: how the repository was recognised (for messages and reasons)."""

    status: str
    directory: Optional[str] = None
    root: Optional[RootModule] = None
    why: str = ""
    prefix: str = "."  # the scan root relative to the repository the path is read in

    def in_repository(self, directory: str) -> str:
        """A scan-relative directory as the workspace's repository sees it."""
        if self.prefix in (".", ""):
            return directory
        return self.prefix if directory == "." else f"{self.prefix}/{directory}"


def _identity(repo: Repo, workspace: Workspace) -> tuple[str, str]:
    """(status, how) from the `repository` value alone (rules 1 and 2)."""
    facts = _facts(repo)
    kind, value = workspace.repository_key
    if kind != "literal" or not value:
        return UNKNOWN, ""
    bare = "/" not in value
    if facts.remotes:
        matched = any(repository_name(remote) == value for remote in facts.remotes) if bare else value in facts.remotes
        return (THIS, "git remote") if matched else (OTHER, "git remote")
    if repository_name(value) in facts.names:
        return THIS, "repository name"
    return UNKNOWN, ""


def _in_scan(facts: _RepoFacts, path: str, base: str) -> Optional[str]:
    """`path` (relative to the repository) relative to the scan root, for a
    repository rooted at the scan root ("scan") or at the git work tree
    ("git"); None when it lies outside the scanned tree."""
    if base == "scan" or facts.prefix in (".", ""):
        return path
    if path == facts.prefix:
        return "."
    if path.startswith(facts.prefix + "/"):
        return path[len(facts.prefix) + 1:]
    return None


def _bases(facts: _RepoFacts) -> tuple[str, ...]:
    return ("scan", "git") if facts.prefix not in (".", "") else ("scan",)


def _group_base(repo: Repo, key: tuple[str, str]) -> Optional[str]:
    """Rule 3: the base on which some workspace with this repository value
    resolves to an infrastructure root of the scan."""
    facts = _facts(repo)
    if key[0] == "missing":
        return None
    for base in _bases(facts):
        for other in workspaces(repo):
            if other.repository_key != key or other.path_value is None:
                continue
            directory = _in_scan(facts, other.path_value, base)
            if directory in facts.roots and directory not in facts.config_roots:
                return base
    return None


def target(repo: Repo, workspace: Workspace) -> Target:
    return cached_per_repo(repo, f"target:{workspace.file.path}:{workspace.block.header_span}",
                           lambda r: _target(r, workspace))


def _target(repo: Repo, workspace: Workspace) -> Target:
    facts = _facts(repo)
    status, why = _identity(repo, workspace)
    if status == OTHER:
        return Target(OTHER, why=why)
    base: Optional[str]
    if status == THIS:
        base = "git" if facts.toplevel is not None else "scan"
        if facts.prefix not in (".", "") and _group_base(repo, workspace.repository_key) == "scan":
            base = "scan"
    else:
        base = _group_base(repo, workspace.repository_key)
        if base is None:
            return Target(UNKNOWN)
        why = "another workspace of this repository"
    path = workspace.path_value
    directory = _in_scan(facts, path, base) if path is not None else None
    root = facts.roots.get(directory) if directory is not None else None
    return Target(THIS, directory, root, why, facts.prefix if base == "git" else ".")


@dataclass(frozen=True)
class PathProblem:
    """Why a workspace folder is not a root module: `what` completes
    "repository_path "x" …" ("does not exist", "holds no Terraform files",
    "is a module called by infra/network, not a root module"); `root` is the
    root directory that runs the module, when it is a called module."""

    what: str
    root: Optional[str] = None
    below: Optional[str] = None  # the first root below a folder that holds no Terraform files
    hint: str = ""  # "terragrunt": `what` already says what to do


def path_problem(repo: Repo, directory: str) -> Optional[PathProblem]:
    """Why `directory` (scan relative) is not a root module, or None when it
    is one or cannot be judged (its module files were excluded or ignored)."""
    if directory in _facts(repo).roots:
        return None
    if directory == ".." or directory.startswith("../"):
        return PathProblem("leaves the repository")
    module = repo.modules.get(directory)
    if module is not None:
        if not module.declares_anything:
            return PathProblem("holds no Terraform configuration")
        runs = [r.directory for r in repo.roots if any(m.directory == directory for m in r.called)]
        callers = sorted(m.directory for m in repo.modules.values()
                         for _, called in m.local_sources() if called == directory)
        if callers:
            return PathProblem(f"is a module called by {callers[0]}, not a root module", runs[0] if runs else None)
        return PathProblem("is not a root module of the scan")
    absolute = os.path.join(repo.root, *directory.split("/")) if directory != "." else repo.root
    if not os.path.isdir(absolute):
        return PathProblem("does not exist")
    try:
        names = os.listdir(absolute)
    except OSError:
        return None
    if any(name.endswith((".tf", ".tofu", ".tf.json", ".tofu.json")) for name in names):
        return None  # module files the scan left out (exclude, .gitignore): cannot judge
    below = next((d for d in sorted(_facts(repo).roots) if directory == "." or d.startswith(directory + "/")), None)
    return PathProblem("holds no Terraform files", below=below)


def closest_root(repo: Repo, directory: str) -> Optional[str]:
    """The root directory whose path is nearest `directory` (for did-you-mean)."""
    import difflib

    facts = _facts(repo)
    candidates = [d for d in facts.roots if d not in facts.config_roots] or list(facts.roots)
    matches = difflib.get_close_matches(directory, candidates, n=1, cutoff=0.8)
    return matches[0] if matches else None


def workspaces_for_root(repo: Repo, root: RootModule) -> list[Workspace]:
    """The workspaces of the scan that run `root`: those whose path is it,
    and for a Terragrunt unit those with "run all" at a folder above it."""
    found = []
    for workspace in workspaces(repo):
        found_target = target(repo, workspace)
        targets_root = found_target.root is not None and found_target.root.directory == root.directory
        runs_all_above = (root.terragrunt is not None and workspace.run_all and found_target.directory is not None
                          and _below(root.directory, found_target.directory))
        if targets_root or runs_all_above:
            found.append(workspace)
    return found


def _below(directory: str, ancestor: str) -> bool:
    return ancestor == "." or directory == ancestor or directory.startswith(ancestor + "/")


def units_run_by(repo: Repo, workspace: Workspace, directory: str) -> list[RootModule]:
    """The Terragrunt units a workspace at `directory` runs: the unit there,
    and with "run all" every unit below it (TG-3)."""
    units = [r for r in repo.roots if r.terragrunt is not None]
    if workspace.run_all:
        return [u for u in units if _below(u.directory, directory)]
    return [u for u in units if u.directory == directory]


def terragrunt_path_problem(repo: Repo, directory: str, workspace: Workspace) -> Optional[PathProblem]:
    """IACM602 for Terragrunt (TG-3): a Terragrunt workspace must point at a
    unit (with "run all", also at a folder with units or stack files below
    it); any other workspace at a unit without module files needs
    `terragrunt_provider = true`. None when the path is fine, or when
    neither applies (path_problem judges it)."""
    model = repo.terragrunt
    units = [r for r in repo.roots if r.terragrunt is not None]
    unit = next((u for u in units if u.directory == directory), None)
    if not workspace.terragrunt:
        if unit is not None and not (repo.modules.get(directory) and repo.modules[directory].declares_anything):
            return PathProblem("is a Terragrunt unit, but the workspace is not a Terragrunt workspace "
                               "(set terragrunt_provider = true)", hint="terragrunt")
        return None
    if unit is not None:
        return None
    if directory == ".." or directory.startswith("../"):
        return PathProblem("leaves the repository")
    if workspace.run_all:
        stacks = model.stacks if model is not None else ()
        if any(_below(u.directory, directory) for u in units) or \
                any(_below(stack.rsplit("/", 1)[0] if "/" in stack else ".", directory) for stack in stacks):
            return None
        return PathProblem("holds no Terragrunt unit or stack file (terragrunt.hcl, terragrunt.stack.hcl) below it",
                           hint="terragrunt")
    below = next((u.directory for u in sorted(units, key=lambda r: r.directory) if _below(u.directory, directory)),
                 None)
    stacks_below = model is not None and any(_below(s.rsplit("/", 1)[0] if "/" in s else ".", directory)
                                             for s in model.stacks)
    if below is not None or stacks_below:
        return PathProblem("is not a Terragrunt unit (no terragrunt.hcl there), but has units below it; set "
                           "run_all = true to run them all", hint="terragrunt")
    absolute = os.path.join(repo.root, *directory.split("/")) if directory != "." else repo.root
    if not os.path.isdir(absolute):
        return PathProblem("does not exist")
    return PathProblem("is not a Terragrunt unit (no terragrunt.hcl there)", hint="terragrunt")


# ---- secrets in workspace variables (IACM603) ---------------------------------------------


def variable_secret(variable: Variable) -> Optional[Judgement]:
    """The secret a `value_type = "string"` variable holds as a literal
    (`what`: "a literal password", "a GitHub token"), judged by the shared
    detector: a secret-like key with a literal that is not a structural
    placeholder (a dictionary word is a weak password; under a `*_SECRET`,
    `*_KEY`, `*_TOKEN` key an identifier slug names a secret and is not
    one), or any literal with a credential format. None otherwise (and for
    `value_type = "secret"`)."""
    attribute = variable.value
    if variable.value_type != "string" or attribute is None or not isinstance(attribute.value, str):
        return None
    key = variable.key
    value = attribute.value
    kind = secret_name_kind(key) if key else None
    if kind == "key" and is_identifier_slug(value.strip()) and not is_weak_password(value):
        kind = None  # `GITHUB_APP_SECRET = "org_github_app_pem"` names a secret; a credential format still counts
    if kind is not None:
        judgement = judge(value, "credential" if kind == "key" else kind, deployed=True)
        if judgement is not None and judgement.verdict == "secret":
            return judgement
    matches = find_credentials(value)
    return Judgement("secret", matches[0].label, mask(value), matches[0].kind) if matches else None


def workspace_secret_spans(hcl_file: HclFile, repo: Repo) -> list[Span]:
    """The values of workspace variables in `hcl_file` that hold a literal
    secret (IACM603's findings; IACM203 leaves them to it)."""
    return [v.value.span for w in workspaces(repo) if w.file is hcl_file
            for v in w.variables() if v.value is not None and variable_secret(v) is not None]


def parsed_heredoc_spans(hcl_file: HclFile, repo: Repo) -> list[Span]:
    """The bodies of the pipeline heredocs in `hcl_file` that parsed: IACM203
    reads those as YAML, like pipeline files, so that IACM206 keeps the
    secret-named keys."""
    spans: list[Span] = []
    parsed = repo.heredoc_yaml
    for file, block in pipeline_resources(repo):
        attribute = block.attr("yaml")
        if file is hcl_file and attribute is not None:
            yaml_file = parsed.get((file.path, attribute.expr.span))
            if yaml_file is not None and yaml_file.error is None:
                spans.extend(part.span for part in attribute.expr.strings)
    return spans


# ---- engine signal --------------------------------------------------------------------


def workspace_engine_signal(repo: Repo, root: RootModule) -> Optional[tuple[Engine, str]]:
    """`provisioner_type` of the workspaces whose `repository_path` is this
    root (for a Terragrunt unit, also a "run all" workspace above it: its
    provisioner is the binary), as (engine, reason); None when they
    disagree or there is none."""
    chosen: dict[Engine, Workspace] = {}
    for workspace in workspaces_for_root(repo, root):
        engine = Engine.named(workspace.engine)
        if engine is not None:
            chosen.setdefault(engine, workspace)
    if len(chosen) != 1:
        return None
    engine, workspace = next(iter(chosen.items()))
    return engine, f"workspace {workspace.address} in {workspace.file.path}"
