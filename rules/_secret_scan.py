"""What the 2xx secret rules share: walking HCL arguments for secret-named
literals, the argument tables from data/credentials.json, and where each
name-based rule looks (so that IACM203 leaves those literals to them).

The judging itself is lint/knowledge/secrets.py; this module only knows the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Optional

from ..findings import Secret
from ..knowledge.backend_schemas import backend_types, credential_backend_types, credentials
from ..knowledge.secrets import Judgement, assess, credential_data, judge, secret_name_kind
from ..model.harness_config import parsed_heredoc_spans, workspace_secret_spans
from ..model.syntax import (
    MODULE_KINDS,
    TERRAGRUNT_KINDS,
    TFBACKEND,
    TFVARS,
    TFVARS_JSON,
    Attribute,
    Block,
    Expr,
    HclFile,
    Repo,
    Span,
)
from ..model.terragrunt import value_attribute

# Object-valued arguments that never hold secrets (their keys are labels).
_LABEL_MAPS = frozenset({"tags", "tags_all", "labels", "default_tags", "annotations", "metadata_labels"})


@dataclass(frozen=True, slots=True)
class SecretArg:
    """A literal secret found under an argument name. `span` points at the
    argument (name through value) or the object entry; `value_span` at the
    literal itself. `path` names nested arguments and entries with dots
    ("os_profile.admin_password", "environment.variables.DB_PASSWORD")."""

    name: str
    path: str
    span: Span
    value_span: Span
    judgement: Judgement

    @property
    def secret(self) -> Secret:
        """For `Violation.secret`: the literal, which fingerprints never hash."""
        return Secret(self.value_span, self.judgement.kind)


def literal_string(expr: Expr) -> Optional[str]:
    """The value of a plain string or heredoc literal, else None (references,
    templates with interpolation, function calls, numbers...)."""
    if expr.kind in ("string", "heredoc") and isinstance(expr.value, str):
        return expr.value
    return None


def _kind_for(name: str, path: str, known: dict) -> Optional[str]:
    kind = secret_name_kind(name)
    if path in known:
        return "connection" if kind == "connection" else "credential"
    return kind


def scan_arguments(attributes: Iterable[Attribute], blocks: Iterable[Block] = (), *, known: Optional[dict] = None,
                   prefix: str = "", entries: bool = True, default_kind: Optional[str] = None,
                   deployed: bool = True) -> Iterator[SecretArg]:
    """Secret-named (or `known`) arguments with literal secret values, in
    attributes, object entries (when `entries`) and nested blocks. `known`
    maps argument paths ("token", "registry.password") to anything; those are
    judged as credentials whatever their names. `default_kind` judges every
    other argument that way too (a `sensitive = true` variable's default).
    `deployed`: see `judge` (False only for variable defaults)."""
    known = known or {}
    for attribute in attributes:
        path = prefix + attribute.name
        kind = _kind_for(attribute.name, path, known) or default_kind
        yield from judge_expr(attribute.name, path, attribute.span, attribute.expr, kind, known=known,
                              entries=entries, default_kind=default_kind, deployed=deployed)
    for block in blocks:
        yield from scan_arguments(block.attributes, block.blocks, known=known, prefix=f"{prefix}{block.type}.",
                                  entries=entries, default_kind=default_kind, deployed=deployed)


def judge_expr(name: str, path: str, span: Span, expr: Expr, kind: Optional[str], *, known: Optional[dict] = None,
               entries: bool = True, default_kind: Optional[str] = None, deployed: bool = True) -> Iterator[SecretArg]:
    """Judge one argument's expression: a literal string with `kind`, or the
    entries of an object by their own names."""
    text = literal_string(expr)
    if text is not None:
        judgement = judge(text, kind, deployed=deployed) if kind else None
        if judgement is not None:
            yield SecretArg(name, path, span, expr.span, judgement)
        return
    if entries and expr.kind == "object" and name not in _LABEL_MAPS:
        known = known or {}
        for key, key_span, value in expr.entries:
            entry_path = f"{path}.{key}"
            entry_span = Span(key_span.path, key_span.line, key_span.col, value.span.end_line, value.span.end_col)
            yield from judge_expr(key, entry_path, entry_span, value, _kind_for(key, entry_path, known) or default_kind,
                                  known=known, entries=entries, default_kind=default_kind, deployed=deployed)


# ---- the places each name-based rule judges -------------------------------------


def backend_and_cloud_blocks(hcl_file: HclFile) -> Iterator[tuple[str, Block]]:
    """(backend type, block) for `backend "TYPE"` and `cloud` blocks of a module file."""
    if hcl_file.kind not in MODULE_KINDS:
        return
    for terraform in hcl_file.top("terraform"):
        for block in terraform.blocks:
            if block.type == "backend" and block.labels:
                yield block.labels[0], block
            elif block.type == "cloud":
                yield "cloud", block


def backend_credentials(backend_type: Optional[str]) -> dict:
    """Credential attributes of a backend type -> env var (or None). With no
    type (a `.tfbackend` whose backend is unknown) the union over all types,
    naming an env var only where every type with that attribute reads the
    same one (`sas_token` -> ARM_SAS_TOKEN, but `access_key` -> None)."""
    if backend_type is not None:
        return credentials(backend_type)
    envs: dict[str, set] = {}
    for attrs in map(credentials, credential_backend_types()):
        for name, env in attrs.items():
            envs.setdefault(name, set()).add(env)
    return {name: next(iter(found)) if len(found) == 1 else None for name, found in envs.items()}


def tfbackend_type(hcl_file: HclFile, repo: Optional[Repo]) -> Optional[str]:
    """The backend type a `.tfbackend` file configures: that of the module it
    is merged into (the module in its directory, or the enclosing one that
    adopted it) when that declares exactly one, else the type its name
    gives by convention (`prod.s3.tfbackend`), else None."""
    module = None
    if repo is not None:
        module = next((m for m in repo.modules.values() if any(f.path == hcl_file.path for f in m.tfbackends)),
                      repo.modules.get(hcl_file.directory))
    types = {backend_type for f in module.files for backend_type, _ in backend_and_cloud_blocks(f)} if module else set()
    if len(types) == 1:
        return types.pop()
    parts = hcl_file.name.split(".")
    named = parts[-2] if len(parts) >= 3 else None
    return named if named in credential_backend_types() or named in backend_types() else None


def backend_args(hcl_file: HclFile, repo: Optional[Repo]) -> Iterator[tuple[str, SecretArg, dict]]:
    """(backend type or "", finding, credential table) for IACM201."""
    if hcl_file.kind == TFBACKEND:
        backend_type = tfbackend_type(hcl_file, repo)
        known = backend_credentials(backend_type)
        for arg in scan_arguments(hcl_file.attributes, known=known):
            yield backend_type or "", arg, known
        return
    for backend_type, block in backend_and_cloud_blocks(hcl_file):
        known = backend_credentials(backend_type)
        for arg in scan_arguments(block.attributes, block.blocks, known=known):
            yield backend_type, arg, known


def provider_credentials(provider: str) -> dict:
    return credential_data()["providers"].get(provider, {})


def provider_args(hcl_file: HclFile) -> Iterator[tuple[Block, SecretArg, dict]]:
    if hcl_file.kind not in MODULE_KINDS:
        return
    for block in hcl_file.top("provider"):
        if not block.labels:
            continue
        known = provider_credentials(block.labels[0])
        for arg in scan_arguments(block.attributes, block.blocks, known=known):
            yield block, arg, known


def variable_args(hcl_file: HclFile) -> Iterator[tuple[Block, SecretArg]]:
    """Literal secret defaults of secret-named or `sensitive = true` variables."""
    if hcl_file.kind not in MODULE_KINDS:
        return
    for block in hcl_file.top("variable"):
        default = block.attr("default")
        if default is None or not block.labels:
            continue
        sensitive = getattr(block.attr("sensitive"), "value", None) is True
        kind = secret_name_kind(block.labels[0]) or ("credential" if sensitive else None)
        text = literal_string(default.expr)
        if text is not None:
            judgement = judge(text, kind) if kind else None
            if judgement is not None:
                yield block, SecretArg("default", "default", default.span, default.expr.span, judgement)
        elif default.expr.kind == "object":
            for arg in judge_expr("default", "default", default.span, default.expr, None,
                                  default_kind="credential" if sensitive else None, deployed=False):
                yield block, arg


def sensitive_variables(repo: Optional[Repo], directory: str) -> frozenset[str]:
    """Names of `sensitive = true` variables declared by the module in `directory`."""
    module = repo.modules.get(directory) if repo is not None else None
    if module is None:
        return frozenset()
    return frozenset(b.labels[0] for b in module.blocks("variable")
                     if b.labels and getattr(b.attr("sensitive"), "value", None) is True)


def committed(hcl_file: HclFile, repo: Optional[Repo]) -> bool:
    """False for files a git repository does not track (ignored ones never
    reach file-scope rules); True outside git."""
    if repo is None or not repo.in_git or repo.tracked is None:
        return True
    return hcl_file.path in repo.tracked


def tfvars_args(hcl_file: HclFile, repo: Optional[Repo]) -> Iterator[SecretArg]:
    """Literal secrets a committed tfvars file assigns: to a secret-named or
    `sensitive = true` variable, and to the secret-named entries of such a
    variable's object value. In the object of any other variable only
    password entries with a literal value are judged (`SMTP_PASSWORD`,
    `administrator_login_password`): its `*_key`, `*_secret` and `*_token`
    entries are module inputs whose meaning the module defines
    (`storage_account_key = "logs"` picks a map key)."""
    if hcl_file.kind not in (TFVARS, TFVARS_JSON) or not committed(hcl_file, repo):
        return
    sensitive = sensitive_variables(repo, hcl_file.directory)
    for attribute in hcl_file.attributes:
        kind = "credential" if attribute.name in sensitive else secret_name_kind(attribute.name)
        if kind is not None:
            yield from judge_expr(attribute.name, attribute.name, attribute.span, attribute.expr, kind)
        else:
            yield from _password_entries(attribute.name, attribute.expr)


def _password_entries(path: str, expr: Expr) -> Iterator[SecretArg]:
    labels = path.rsplit(".", 1)[-1] in _LABEL_MAPS
    for key, key_span, value in expr.entries if expr.kind == "object" and not labels else ():
        entry_path = f"{path}.{key}"
        kind = secret_name_kind(key)
        if kind in ("password", "connection") and value.kind != "object":
            span = Span(key_span.path, key_span.line, key_span.col, value.span.end_line, value.span.end_col)
            yield from judge_expr(key, entry_path, span, value, kind)
        else:
            yield from _password_entries(entry_path, value)


def _condition_holds(block: Block, when: dict) -> bool:
    for name, expected in when.items():
        attribute = block.attr(name)
        if attribute is None or attribute.value != expected:
            return False
    return True


def resource_args(hcl_file: HclFile) -> Iterator[tuple[Block, SecretArg]]:
    """IACM207: secret-named arguments of resource/data blocks (nested blocks
    included) and the value arguments of secret-holding resources."""
    if hcl_file.kind not in MODULE_KINDS:
        return
    table = credential_data()["resources"]
    for block in hcl_file.blocks:
        if block.type not in ("resource", "data") or not block.labels:
            continue
        special: dict = {}
        map_args: set = set()
        for entry in table.get(block.labels[0], ()) if block.type == "resource" else ():
            if not _condition_holds(block, entry.get("when", {})):
                continue
            if entry.get("values"):
                map_args.add(entry["argument"])
            else:
                special[entry["argument"]] = None
        plain = [a for a in block.attributes if a.name not in map_args]
        yield from ((block, arg) for arg in scan_arguments(plain, block.blocks, known=special))
        for attribute in block.attributes:
            if attribute.name in map_args and attribute.expr.kind == "object":
                for key, key_span, value in attribute.expr.entries:
                    span = Span(key_span.path, key_span.line, key_span.col, value.span.end_line, value.span.end_col)
                    # an entry whose name says nothing keeps the default's word list: `{foo = "bar"}` is a fixture
                    kind = secret_name_kind(key)
                    for arg in judge_expr(key, f"{attribute.name}.{key}", span, value, kind or "key", entries=False,
                                          deployed=kind is not None):
                        yield block, arg


# ---- Terragrunt (shared/spec/terragrunt.md TG-2 2xx) -----------------------------------------

# Key material of `remote_state.encryption` (OpenTofu state encryption key providers).
_ENCRYPTION_SECRETS = {"passphrase": None, "key": None, "token": None, "secret_key": None, "access_key": None}


def terragrunt_backend_args(hcl_file: HclFile, repo: Optional[Repo]) -> Iterator[tuple[str, SecretArg, dict]]:
    """(backend type, finding, credential table) for IACM201: literal
    credentials in the `remote_state` that `hcl_file` declares (its `config`
    and its `encryption` key material), judged on the evaluated values."""
    if hcl_file.kind not in TERRAGRUNT_KINDS or repo is None or repo.terragrunt is None:
        return
    seen: set[Span] = set()
    for unit in repo.terragrunt.models():
        remote = unit.remote_state
        if remote is None or remote.file is not hcl_file or remote.backend is None:
            continue
        known = backend_credentials(remote.backend)
        config = [value_attribute(k, s, v) for k, s, v in remote.config.entries] if remote.config.kind == "map" else []
        found = [(arg, known) for arg in scan_arguments(config, known=known)]
        encryption = remote.encryption
        if encryption is not None and encryption.kind == "map":
            attributes = [value_attribute(k, s, v) for k, s, v in encryption.entries]
            found += [(arg, _ENCRYPTION_SECRETS) for arg in scan_arguments(attributes, known=_ENCRYPTION_SECRETS,
                                                                          prefix="encryption.")]
        for arg, table in found:
            if arg.value_span not in seen:
                seen.add(arg.value_span)
                yield remote.backend, arg, table


def terragrunt_input_args(hcl_file: HclFile, repo: Optional[Repo]) -> Iterator[tuple[str, SecretArg]]:
    """("inputs" or "env_vars", finding) for IACM205: literal secrets under
    secret names in the Terragrunt `inputs` (each becomes TF_VAR_<key>) and
    `extra_arguments` `env_vars` that `hcl_file` declares."""
    if hcl_file.kind not in TERRAGRUNT_KINDS or repo is None or repo.terragrunt is None:
        return
    seen: set[Span] = set()
    for unit in repo.terragrunt.models():
        for entry in unit.inputs:
            if entry.file is not hcl_file:
                continue
            for arg in scan_arguments([value_attribute(entry.key, entry.key_span, entry.value)]):
                if arg.value_span not in seen:
                    seen.add(arg.value_span)
                    yield "inputs", arg
        for entry in unit.env_vars:
            attribute = value_attribute(entry.key, entry.key_span, entry.value)
            text = literal_string(attribute.expr)
            judgement = assess(entry.key, text) if entry.file is hcl_file and text is not None else None
            if judgement is not None and judgement.verdict == "secret" and attribute.expr.span not in seen:
                seen.add(attribute.expr.span)
                yield "env_vars", SecretArg(entry.key, entry.key, attribute.span, attribute.expr.span, judgement)


def generated_value_spans(hcl_file: HclFile, repo: Optional[Repo],
                          judged: Callable[[HclFile], Iterable[Span]]) -> list[Span]:
    """Spans in a Terragrunt file of the literals a name-based rule (`judged`)
    finds in the files its `generate` blocks write."""
    if hcl_file.kind not in TERRAGRUNT_KINDS or repo is None or repo.terragrunt is None:
        return []
    return [span for generated, _ in repo.terragrunt.generated_files() for span in judged(generated)
            if span.path == hcl_file.path]


def _provider_spans(hcl_file: HclFile) -> Iterator[Span]:
    return (arg.value_span for _, arg, _ in provider_args(hcl_file))


def _variable_spans(hcl_file: HclFile) -> Iterator[Span]:
    return (arg.value_span for _, arg in variable_args(hcl_file))


def _resource_spans(hcl_file: HclFile) -> Iterator[Span]:
    return (arg.value_span for _, arg in resource_args(hcl_file))


# What each rule that IACM203 defers to (its `defers_to`) judges in a `.tf`
# file or Terragrunt configuration: the spans of the literals it reports as
# secrets. IACM206 judges the pipeline heredocs, which IACM203 reads as YAML
# instead, as pipeline files.
VALUES_JUDGED_BY: dict[str, Callable[[HclFile, Optional[Repo]], Iterable[Span]]] = {
    "IACM201": lambda hcl_file, repo: [*(arg.value_span for _, arg, _ in backend_args(hcl_file, repo)),
                                       *(arg.value_span for _, arg, _ in terragrunt_backend_args(hcl_file, repo))],
    "IACM202": lambda hcl_file, repo: [*_provider_spans(hcl_file),
                                       *generated_value_spans(hcl_file, repo, _provider_spans)],
    "IACM204": lambda hcl_file, repo: [*_variable_spans(hcl_file),
                                       *generated_value_spans(hcl_file, repo, _variable_spans)],
    "IACM205": lambda hcl_file, repo: [*(arg.value_span for arg in tfvars_args(hcl_file, repo)),
                                       *(arg.value_span for _, arg in terragrunt_input_args(hcl_file, repo))],
    "IACM206": lambda hcl_file, repo: parsed_heredoc_spans(hcl_file, repo) if repo is not None else (),
    "IACM207": lambda hcl_file, repo: [*_resource_spans(hcl_file),
                                       *generated_value_spans(hcl_file, repo, _resource_spans)],
    "IACM603": lambda hcl_file, repo: workspace_secret_spans(hcl_file, repo) if repo is not None else (),
}


def name_rule_value_spans(hcl_file: HclFile, repo: Optional[Repo], rule_ids: Iterable[str]) -> frozenset[Span]:
    """Spans of the literals that the rules `rule_ids` judge as secrets in
    this file (VALUES_JUDGED_BY); IACM203 leaves them to those rules."""
    return frozenset(span for rule_id in rule_ids for span in VALUES_JUDGED_BY[rule_id](hcl_file, repo))


def env_hint(env: Optional[str], fallback: str) -> str:
    return f"set {env} in the Harness workspace instead" if env else fallback
