"""Terragrunt units as onboarding roots (shared/spec/terragrunt.md TG-1).

`build_terragrunt` turns the Terragrunt files of a scan into:

- units (TG-1.2): a directory with `terragrunt.hcl` (or `.hcl.json`) that no
  other configuration includes; each becomes a `RootModule` whose `module`
  is its working module after generation and whose `terragrunt` is its
  `UnitModel`: the include chain, the merged configuration (TG-1.3), the
  files Terragrunt generates, and the effective backend (TG-1.5);
- standalone configurations (TG-1.6): `*.hcl` with a Terragrunt key that no
  unit reaches, judged once as written;
- which `*.hcl` files are Terragrunt configuration at all (TG-1.1), and the
  included `terragrunt.hcl` files (the old root pattern, IACM703).

Values are evaluated statically (terragrunt_eval.py). Nothing here reads
the disk: the scan stage hands in the files (`Inputs`) and a parser for the
files Terragrunt generates (`parse_generated`).
"""

from __future__ import annotations

import dataclasses
import functools
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Optional

from ..knowledge.terragrunt import (
    CONFIG_ALIASES,
    CONFIGURATION_KEYS,
    MODULE_SUFFIXES,
    OVERWRITE,
    SKIP,
    STACK_FILE,
    TERRAGRUNT_ONLY_KEYS,
    UNIT_FILE,
    UNIT_JSON_FILE,
    engine_of_binary,
    is_remote_source,
)
from . import expressions as ex
from .backends import BackendValue, EffectiveBackend, effective_backends
from .syntax import (
    NOT_LITERAL,
    TERRAGRUNT_KINDS,
    TF,
    TF_JSON,
    Attribute,
    Block,
    Expr,
    HclFile,
    Module,
    RootModule,
    Span,
    StringPart,
    called_modules,
)
from .terragrunt_eval import (
    BOOL,
    DIRECTORY,
    FILE,
    LIST,
    MAP,
    NULL,
    NUMBER,
    STANDALONE,
    STRING,
    UNIT,
    Evaluator,
    IncludeRef,
    Inputs,
    Problem,
    Scope,
    Value,
    absolute,
    directory_of,
    join_path,
    merged_map,
    relative,
    unknown,
)

ParseGenerated = Callable[[str, str], HclFile]  # (text, virtual path) -> its model

UNKNOWN_PLACEHOLDER = "__terragrunt_unknown__"  # stands for an unknown `${…}` in generated code; never a reference

LOCAL_SOURCE, REMOTE_SOURCE, NO_SOURCE, UNKNOWN_SOURCE = "local", "remote", "none", "unknown"


# ---- what a unit is made of -----------------------------------------------------------------


@dataclass(frozen=True)
class Include:
    """One `include` block of a unit."""

    label: str
    block: Block
    path: Optional[str]  # the included file (scan-relative), None when it cannot be resolved
    target: Optional[HclFile]
    expose: bool
    merge_strategy: str  # no_merge | shallow | deep

    @property
    def path_span(self) -> Span:
        attribute = self.block.attr("path")
        return attribute.span if attribute is not None else self.block.header_span


@dataclass(frozen=True)
class Setting:
    """An attribute of the merged configuration, evaluated, with the file declaring it."""

    name: str
    attribute: Attribute
    file: HclFile
    value: Value

    @property
    def literal(self) -> Any:
        return self.value.python()


@dataclass(frozen=True)
class RemoteState:
    """The effective `remote_state` (block or attribute) of a unit or a standalone configuration."""

    file: HclFile
    header_span: Span  # the `remote_state` block header, or the attribute's name
    value: Value  # the evaluated map (unknown for an attribute that cannot be resolved)
    block: Optional[Block] = None

    @property
    def is_known(self) -> bool:
        return self.value.kind == MAP and self.backend is not None

    @property
    def backend(self) -> Optional[str]:
        found = self.value.get("backend") if self.value.kind == MAP else None
        return found.data if found is not None and found.kind == STRING else None

    def _span(self, name: str) -> Span:
        if self.block is not None:
            attribute = self.block.attr(name)
            if attribute is not None:
                return attribute.span
        found = self.value.key_span(name) if self.value.kind == MAP else None
        return found if found is not None else self.header_span

    def _name_span(self, name: str) -> Optional[Span]:
        if self.block is not None:
            attribute = self.block.attr(name)
            if attribute is not None:
                return attribute.name_span
        return self.value.key_span(name) if self.value.kind == MAP else None

    @property
    def backend_span(self) -> Span:
        return self._span("backend")

    @property
    def config_anchor(self) -> Span:
        """Where a finding about a missing config attribute points: the `config` name, else the header."""
        return self._name_span("config") or self.header_span

    @property
    def generate_span(self) -> Span:
        return self._span("generate")

    @property
    def config(self) -> Value:
        found = self.value.get("config") if self.value.kind == MAP else None
        return found if found is not None else Value(MAP, self.header_span)

    @property
    def generate(self) -> Optional[Value]:
        found = self.value.get("generate") if self.value.kind == MAP else None
        return found if found is not None and found.kind != NULL else None

    @property
    def encryption(self) -> Optional[Value]:
        found = self.value.get("encryption") if self.value.kind == MAP else None
        return found if found is not None and found.kind != NULL else None

    @property
    def label(self) -> str:
        return f'remote_state "{self.backend}"' if self.backend else "remote_state"


@dataclass(frozen=True)
class Generator:
    """An effective `generate` block."""

    name: str
    block: Block
    file: HclFile
    path: Optional[str]  # the file name it writes (literal), None when unknown
    if_exists: str
    contents: Optional[Attribute]
    disabled: bool


@dataclass(frozen=True)
class GeneratedFile:
    """A file Terragrunt writes into the working module, parsed, its spans
    pointing back into the configuration that declares it."""

    file: HclFile  # path: the unit directory + the generated name
    writer_span: Span  # the `generate` block header, or `remote_state`'s `generate` attribute
    writer: str  # 'generate "provider"' or 'remote_state'
    if_exists: str
    path_span: Span  # the `path` it is written to
    from_remote_state: bool = False
    complete: bool = True  # False when its contents could not be fully known


@dataclass(frozen=True)
class Input:
    """One top-level key of the merged `inputs`, as declared."""

    key: str
    key_span: Span
    value: Value
    file: HclFile


@dataclass(frozen=True)
class Dependency:
    name: str
    block: Block
    file: HclFile
    config_path: Optional[Value]


@dataclass
class UnitModel:
    """A unit (or a standalone configuration) as the rules read it."""

    path: str  # its configuration file (terragrunt.hcl; any *.hcl when standalone)
    file: HclFile
    standalone: bool = False
    includes: tuple[Include, ...] = ()
    complete: bool = True  # False when an include could not be read: what it supplies is unknown
    remote_state: Optional[RemoteState] = None
    generators: tuple[Generator, ...] = ()
    generated: tuple[GeneratedFile, ...] = ()
    source: Optional[Setting] = None
    source_kind: str = NO_SOURCE
    source_text: str = ""  # the literal source, for messages
    source_dir: Optional[str] = None  # a local source's directory (scan-relative)
    terraform_binary: Optional[Setting] = None
    terraform_version_constraint: Optional[Setting] = None
    terragrunt_version_constraint: Optional[Setting] = None
    copy_lock_file: bool = True
    inputs: tuple[Input, ...] = ()
    env_vars: tuple[Input, ...] = ()  # terraform.extra_arguments.*.env_vars entries
    backend_arguments: tuple[Attribute, ...] = ()  # -backend-config=KEY=VALUE of init extra_arguments
    dependencies: tuple[Dependency, ...] = ()
    problems: tuple[Problem, ...] = ()
    backends: tuple[EffectiveBackend, ...] = ()
    files: tuple[str, ...] = ()  # configuration files the unit reads (its include graph and read files)
    module_backend_types: tuple[str, ...] = ()  # backend types its working module's own files declare

    @property
    def directory(self) -> str:
        return directory_of(self.path)

    @property
    def has_remote_state(self) -> bool:
        return self.remote_state is not None

    @property
    def engine(self) -> Optional[str]:
        """The engine its `terraform_binary` names, when literal."""
        binary = self.terraform_binary.literal if self.terraform_binary is not None else None
        return engine_of_binary(binary) if isinstance(binary, str) and binary.strip() else None

    @property
    def version_constraint_attribute(self) -> Optional[Attribute]:
        """`terraform_version_constraint` as a model attribute: a literal where
        its evaluated value is one (version checks read it, IACM304 too)."""
        setting = self.terraform_version_constraint
        if setting is None:
            return None
        return setting_attribute(setting)

    @property
    def backend_unknown(self) -> bool:
        """Whether something that may supply a backend could not be read: an
        include, a remote_state of unknown content, generated contents."""
        if not self.complete or (self.remote_state is not None and not self.remote_state.is_known):
            return True
        if any(not g.complete for g in self.generated):
            return True
        return any(g.path is None and not g.disabled for g in self.generators)

    @property
    def include_chain(self) -> tuple[str, ...]:
        return tuple(i.path for i in self.includes if i.path is not None)


@dataclass
class TerragruntModel:
    """Every Terragrunt unit and configuration of a scan."""

    units: list[RootModule] = field(default_factory=list)
    standalone: list[RootModule] = field(default_factory=list)
    configuration: frozenset[str] = frozenset()  # paths of the *.hcl files that are Terragrunt configuration
    parents: dict[str, list[str]] = field(default_factory=dict)  # included terragrunt.hcl -> unit files including it
    stacks: tuple[str, ...] = ()  # terragrunt.stack.hcl files
    source_dirs: frozenset[str] = frozenset()  # directories units use as a local terraform.source
    notes: list[str] = field(default_factory=list)
    # what the scan stage handed the evaluator: a Repo with edited files (fixes, editor buffers) builds again from it
    inputs: Optional[Inputs] = field(default=None, repr=False, compare=False)

    def unit_for(self, directory: str) -> Optional[RootModule]:
        return next((u for u in self.units if u.directory == directory), None)

    def models(self) -> Iterable[UnitModel]:
        for root in (*self.units, *self.standalone):
            yield root.terragrunt

    def generated_files(self) -> list[tuple[HclFile, UnitModel]]:
        """The files `generate` blocks write (remote_state's backend files
        aside: the backend rules judge those), each with its unit."""
        return [(g.file, unit) for unit in self.models() for g in unit.generated if not g.from_remote_state]


def written_by_terragrunt(hcl_file: HclFile) -> bool:
    """A file Terragrunt generates (remote_state's backend file, a `generate`
    block's contents): its spans point into the configuration that declares
    it, and it is not on disk, so no fix may edit it."""
    spans = [block.span for block in hcl_file.blocks] + [attribute.span for attribute in hcl_file.attributes]
    return any(span.path != hcl_file.path for span in spans)


def unit_model(root: Any) -> Optional[UnitModel]:
    """The unit model of a root (None for a Terraform root module)."""
    found = getattr(root, "terragrunt", None)
    return found if isinstance(found, UnitModel) else None


# ---- which files are what (TG-1.1) -------------------------------------------------------------


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def is_unit_file_name(path: str) -> bool:
    return _name(path) in (UNIT_FILE, UNIT_JSON_FILE)


def declares_configuration(hcl_file: HclFile) -> bool:
    """A top-level Terragrunt key (TG-1.1): `locals` alone does not count."""
    names = {a.name for a in hcl_file.attributes} | {b.type for b in hcl_file.blocks}
    return bool(names & CONFIGURATION_KEYS)


# ---- building -------------------------------------------------------------------------------------


def build_terragrunt(files: list[HclFile], inputs: Inputs, modules: dict[str, Module],
                     parse_generated: ParseGenerated,
                     evaluator: Optional[Evaluator] = None) -> Optional[TerragruntModel]:
    """The Terragrunt model of a scan, or None when it has no Terragrunt
    file at all. `files` are the parsed Terragrunt candidates (TG-1.1) that
    git does not ignore; `modules` the scan's module directories."""
    candidates = {f.path: f for f in files if f.kind in TERRAGRUNT_KINDS}
    if not candidates:
        return None
    evaluator = evaluator or Evaluator(inputs)
    builder = _Builder(evaluator, inputs, modules, parse_generated)
    unit_files = _unit_files(candidates)
    stacks = tuple(sorted(p for p in candidates if _name(p) == STACK_FILE))
    # which terragrunt.hcl files another configuration includes: those are parents, not units
    included_by: dict[str, list[str]] = {}
    for path in unit_files:
        for include in builder.includes(candidates[path], path):
            if include.path is not None:
                included_by.setdefault(include.path, []).append(path)
    evaluator.take_problems()  # the real run below reports them, per unit
    model = TerragruntModel(stacks=stacks)
    model.parents = {p: sorted(by) for p, by in included_by.items() if is_unit_file_name(p) and p in candidates}
    for path in unit_files:
        if path not in model.parents:
            model.units.append(builder.unit(candidates[path], path))
    reached = set(evaluator.reached) | set(unit_files) | set(stacks)
    for path, hcl_file in sorted(candidates.items()):
        if path in reached or hcl_file.error is not None or not declares_configuration(hcl_file):
            continue
        model.standalone.append(builder.unit(hcl_file, path, standalone=True))
        reached.add(path)
    reached |= evaluator.reached
    model.configuration = frozenset(p for p in reached if p in candidates)
    model.source_dirs = frozenset(d for u in model.units if (d := u.terragrunt.source_dir) is not None)
    model.notes = list(evaluator.notes)
    return model


def _unit_files(candidates: dict[str, HclFile]) -> list[str]:
    """terragrunt.hcl files, and terragrunt.hcl.json where the directory has no terragrunt.hcl."""
    found = []
    for path in sorted(candidates):
        name = _name(path)
        beside = posixpath.join(directory_of(path), UNIT_FILE).lstrip("./")
        if name == UNIT_FILE or (name == UNIT_JSON_FILE and beside not in candidates
                                 and (directory_of(path) != "." or UNIT_FILE not in candidates)):
            found.append(path)
    return found


class _Builder:
    def __init__(self, evaluator: Evaluator, inputs: Inputs, modules: dict[str, Module],
                 parse_generated: ParseGenerated):
        self.evaluator = evaluator
        self.inputs = inputs
        self.modules = modules
        self.parse_generated = parse_generated

    # ---- includes ---------------------------------------------------------------------------

    def includes(self, hcl_file: HclFile, path: str) -> list[Include]:
        """The include blocks of a unit file, their paths evaluated (in unit
        context, before any local: Terragrunt parses includes first)."""
        scope = Scope(hcl_file, UNIT, path, local_nodes={})
        scope.local_nodes.clear()
        found = []
        for block in hcl_file.top("include"):
            label = block.labels[0] if block.labels else ""
            target_path: Optional[str] = None
            target: Optional[HclFile] = None
            path_attribute = block.attr("path")
            value = self.evaluator.attribute(path_attribute, scope)
            if value is None:
                self.evaluator.fail(scope, block.header_span, f'include "{label}" has no path' if label
                                    else "include has no path")
            elif value.kind == STRING:
                absolute_path = join_path(absolute(directory_of(path)), value.data)
                rel = relative(absolute_path)
                if rel is None or self.inputs.status(rel) != FILE:
                    self.evaluator.missing(scope, value.span if path_attribute is None else path_attribute.span,
                                           "include path", absolute_path)
                else:
                    target_path, target = rel, self.inputs.config(rel)
                    self.evaluator.reached.add(rel)
            found.append(Include(label, block, target_path, target, _literal_bool(block.attr("expose"), scope, self),
                                 _literal_text(block.attr("merge_strategy"), scope, self) or "shallow"))
        return found

    # ---- a unit ------------------------------------------------------------------------------

    def unit(self, hcl_file: HclFile, path: str, standalone: bool = False) -> RootModule:
        evaluator = self.evaluator
        evaluator.touched.clear()
        directory = directory_of(path)
        model = UnitModel(path, hcl_file, standalone=standalone)
        context = STANDALONE if standalone else UNIT
        config_path = None if standalone else path
        includes = [] if standalone else self.includes(hcl_file, path)
        model.includes = tuple(includes)
        include_scopes: list[tuple[Include, Scope]] = []
        refs: dict[str, IncludeRef] = {}
        for include in includes:
            if include.target is None:
                if include.path is None or self.inputs.status(include.path) != FILE:
                    model.complete = False
                continue
            if include.target.error is not None:
                model.complete = False  # judged on what could be read (IACM000 reports the file)
            nested = next(include.target.top("include"), None)
            if nested is not None:
                evaluator.fail(Scope(include.target, UNIT, path), nested.header_span,
                               f"{include.path} is included by {path} and has its own include, but Terragrunt "
                               "allows only one level of includes")
            ref = IncludeRef(include.label, include.path or "")
            include_scope = Scope(include.target, UNIT, path, original=ref)
            if include.expose:
                ref.exposed = _memo(functools.partial(evaluator.config_value, include_scope))
            refs[include.label] = ref
            include_scopes.append((include, include_scope))
        unit_scope = Scope(hcl_file, context, config_path, includes=refs)
        layers: list[tuple[Scope, str]] = [(s, i.merge_strategy) for i, s in include_scopes
                                           if i.merge_strategy != "no_merge"]
        layers.append((unit_scope, "shallow"))
        values = {}
        for scope in [s for _, s in include_scopes] + [unit_scope]:
            for name in scope.local_nodes:  # Terragrunt evaluates every local, used or not
                evaluator.local(scope, name, scope.local_nodes[name][0].name_span)
            values.update(self._evaluate_file(scope))
        self._merge(model, layers, values)
        model.files = tuple(dict.fromkeys([path] + [i.path for i in includes if i.path is not None]
                                          + sorted(evaluator.touched)))
        if not standalone:
            self._dependencies(model, unit_scope)
        module = self._working_module(model, directory, unit_scope)
        model.problems = tuple(evaluator.take_problems())
        root_module = dataclasses.replace(module, generated=model.generated)
        model.backends = tuple(self._backends(model, root_module))
        called = called_modules(self.modules, [m for m in self._own_modules(model, directory)])
        return RootModule(root_module, called, terragrunt=model)

    def _evaluate_file(self, scope: Scope) -> dict[int, Value]:
        """Every attribute of the file outside `locals` and `include`, by the attribute's id."""
        found: dict[int, Value] = {}
        for attribute in scope.file.attributes:
            found[id(attribute)] = self.evaluator.attribute(attribute, scope) or unknown(attribute.span, "")
        for block in scope.file.blocks:
            if block.type in ("locals", "include"):
                continue
            for nested in block.walk():
                for attribute in nested.attributes:
                    found[id(attribute)] = self.evaluator.attribute(attribute, scope) or unknown(attribute.span, "")
        return found

    # ---- merging (TG-1.3) ---------------------------------------------------------------------

    def _merge(self, model: UnitModel, layers: list[tuple[Scope, str]], values: dict[int, Value]) -> None:
        settings: dict[str, Setting] = {}
        generators: dict[str, Generator] = {}
        inputs: dict[str, Input] = {}
        env_vars: dict[tuple[str, str], Input] = {}
        backend_arguments: dict[str, Attribute] = {}
        for scope, strategy in layers:
            hcl_file = scope.file
            for attribute in hcl_file.attributes:
                value = values.get(id(attribute), unknown(attribute.span, ""))
                if attribute.name == "remote_state":
                    model.remote_state = RemoteState(hcl_file, attribute.name_span, value)
                elif attribute.name == "inputs":
                    for key, key_span, entry in (value.entries if value.kind == MAP else ()):
                        previous = inputs.get(key)
                        if strategy == "deep" and previous is not None and previous.value.kind == MAP == entry.kind:
                            entry = _deep_merge(previous.value, entry)
                        inputs[key] = Input(key, key_span, entry, hcl_file)
                elif attribute.name == "generate" and value.kind == MAP:
                    for name, _, entry in value.entries:
                        generators[name] = _generator_from_value(name, entry, hcl_file, attribute)
                else:
                    settings[attribute.name] = Setting(attribute.name, attribute, hcl_file, value)
            for block in hcl_file.blocks:
                if block.type == "remote_state":
                    model.remote_state = RemoteState(hcl_file, block.header_span, self._block_map(block, values), block)
                elif block.type == "generate" and block.labels:
                    generators[block.labels[0]] = self._generator(block, hcl_file, values)
                elif block.type == "terraform":
                    for attribute in block.attributes:
                        value = values.get(id(attribute), unknown(attribute.span, ""))
                        settings[f"terraform.{attribute.name}"] = Setting(attribute.name, attribute, hcl_file, value)
                    for extra in block.children("extra_arguments"):
                        self._extra_arguments(extra, hcl_file, values, env_vars, backend_arguments)
        model.generators = tuple(generators.values())
        model.inputs = tuple(inputs.values())
        model.env_vars = tuple(env_vars.values())
        model.backend_arguments = tuple(backend_arguments.values())
        model.source = settings.get("terraform.source")
        model.terraform_binary = settings.get("terraform_binary")
        model.terraform_version_constraint = settings.get("terraform_version_constraint")
        model.terragrunt_version_constraint = settings.get("terragrunt_version_constraint")
        copy = settings.get("terraform.copy_terraform_lock_file")
        model.copy_lock_file = not (copy is not None and copy.value.kind == BOOL and copy.value.data is False)

    def _block_map(self, block: Block, values: dict[int, Value]) -> Value:
        entries = [(a.name, a.name_span, values.get(id(a), unknown(a.span, ""))) for a in block.attributes]
        for child in block.blocks:
            entries.append((child.type, child.header_span, self._block_map(child, values)))
        return Value(MAP, block.header_span, entries=tuple(entries))

    def _generator(self, block: Block, hcl_file: HclFile, values: dict[int, Value]) -> Generator:
        def text(name: str) -> Optional[str]:
            attribute = block.attr(name)
            value = values.get(id(attribute)) if attribute is not None else None
            return value.data if value is not None and value.kind == STRING and value.is_literal else None

        disable = block.attr("disable")
        disabled_value = values.get(id(disable)) if disable is not None else None
        disabled = disabled_value is not None and disabled_value.kind == BOOL and disabled_value.data is True
        return Generator(block.labels[0], block, hcl_file, text("path"), text("if_exists") or "overwrite_terragrunt",
                         block.attr("contents"), disabled)

    def _extra_arguments(self, block: Block, hcl_file: HclFile, values: dict[int, Value],
                         env_vars: dict[tuple[str, str], Input], backend_arguments: dict[str, Attribute]) -> None:
        label = block.labels[0] if block.labels else ""
        env = block.attr("env_vars")
        env_value = values.get(id(env)) if env is not None else None
        if env_value is not None and env_value.kind == MAP:
            for key, key_span, entry in env_value.entries:
                env_vars[(label, key)] = Input(key, key_span, entry, hcl_file)
        commands = values.get(id(block.attr("commands"))) if block.attr("commands") is not None else None
        runs_init = commands is None or commands.kind != LIST or any(i.data == "init" for i in commands.items)
        arguments = block.attr("arguments")
        listed = values.get(id(arguments)) if arguments is not None else None
        if not runs_init or listed is None or listed.kind != LIST:
            return
        for item in listed.items:
            text = item.data if item.kind == STRING and item.is_literal else None
            if text is None or not text.startswith("-backend-config=") or "=" not in text[len("-backend-config="):]:
                continue
            key, _, literal = text[len("-backend-config="):].partition("=")
            expr = Expr("string", f'"{literal}"', item.span, literal, strings=(StringPart(literal, item.span),))
            backend_arguments[key] = Attribute(key, item.span, expr, item.span)

    # ---- dependencies (IACM701 c) ------------------------------------------------------------

    def _dependencies(self, model: UnitModel, scope: Scope) -> None:
        found = []
        for hcl_file in [model.file] + [i.target for i in model.includes if i.target is not None]:
            for block in hcl_file.top("dependency"):
                name = block.labels[0] if block.labels else ""
                attribute = block.attr("config_path")
                value = self.evaluator.attribute(attribute, Scope(hcl_file, UNIT, model.path, includes=scope.includes))
                found.append(Dependency(name, block, hcl_file, value))
                if value is None or value.kind != STRING or attribute is None:
                    continue
                skip = block.attr("skip_outputs")
                if block.attr("mock_outputs") is not None or (skip is not None and skip.value is True):
                    continue
                target = relative(join_path(absolute(model.directory), value.data))
                if target is None or not any(self.inputs.status(_join(target, n)) == FILE
                                             for n in (UNIT_FILE, UNIT_JSON_FILE, STACK_FILE)):
                    shown = target if target is not None else value.data
                    self.evaluator.fail(scope, attribute.span, f'dependency "{name}" has config_path {shown}, which is '
                                                               "not a unit or stack directory of the repository; set "
                                                               "mock_outputs or skip_outputs, or fix the path")
        model.dependencies = tuple(found)

    # ---- the working module (TG-1.5) --------------------------------------------------------

    def _own_modules(self, model: UnitModel, directory: str) -> list[Module]:
        found = []
        if model.source_dir is not None and model.source_dir in self.modules:
            found.append(self.modules[model.source_dir])
        if not model.standalone and directory in self.modules and directory != model.source_dir:
            found.append(self.modules[directory])
        return found

    def _working_module(self, model: UnitModel, directory: str, scope: Scope) -> Module:
        self._source(model, directory, scope)
        own = self.modules.get(directory) if not model.standalone else None
        files: dict[str, HclFile] = {}
        if model.source_dir is not None and model.source_dir in self.modules:
            for hcl_file in self.modules[model.source_dir].files:
                files[hcl_file.name] = hcl_file
        if own is not None:
            for hcl_file in own.files:  # the unit's own files are copied on top
                files[hcl_file.name] = hcl_file
        model.module_backend_types = tuple(dict.fromkeys(
            block.labels[0] for f in files.values() for t in f.top("terraform") for block in t.children("backend")
            if block.labels))
        generated: dict[str, GeneratedFile] = {}
        for generator in model.generators:
            if generator.disabled or generator.path is None or not generator.path.endswith(MODULE_SUFFIXES):
                continue
            made = self._generate(generator, directory, scope_for(model, generator.file, scope))
            _write(generated, files, made)
        remote = self._remote_state_file(model, directory)
        if remote is not None:
            _write(generated, files, remote)
        model.generated = tuple(generated.values())
        ordered = sorted(files.values(), key=lambda f: f.path)
        tfvars = own.tfvars if own is not None else ()
        tfbackends = own.tfbackends if own is not None else ()
        return Module(directory, tuple(ordered), tfvars, tfbackends)

    def _source(self, model: UnitModel, directory: str, scope: Scope) -> None:
        source = model.source
        if source is None or model.standalone:
            model.source_kind = NO_SOURCE if source is None else UNKNOWN_SOURCE
            return
        value = source.value
        if value.kind != STRING:
            model.source_kind = UNKNOWN_SOURCE
            return
        text = value.data
        model.source_text = text if not value.checkout else source.attribute.expr.text
        if not value.checkout and is_remote_source(text):
            model.source_kind = REMOTE_SOURCE
            return
        base, _, subdirectory = text.partition("//") if not text.startswith("/") or "//" in text[1:] else (text, "", "")
        if text.startswith("/") and "//" in text[1:]:
            head, _, subdirectory = text[1:].partition("//")
            base = "/" + head
        target = join_path(join_path(absolute(directory), base), subdirectory or ".")
        rel = relative(target)
        model.source_kind = LOCAL_SOURCE
        if rel is None or self.inputs.status(rel) != DIRECTORY:
            self.evaluator.missing(scope if source.file is model.file else scope_for(model, source.file, scope),
                                   source.attribute.span, "terraform.source", target)
            return
        model.source_dir = rel

    def _generate(self, generator: Generator, directory: str, scope: Scope) -> GeneratedFile:
        virtual = _join(directory, generator.path or "generated.tf")
        writer = f'generate "{generator.name}"'
        path_attribute = generator.block.attr("path")
        path_span = path_attribute.span if path_attribute is not None else generator.block.header_span
        kind = TF_JSON if virtual.endswith(".json") else TF
        contents = generator.contents
        tree = contents.expr.tree if contents is not None else None
        rendered = _Renderer(self.evaluator, scope).render(tree) if tree is not None else None
        if rendered is None:
            return GeneratedFile(HclFile(virtual, kind), generator.block.header_span, writer, generator.if_exists,
                                 path_span, complete=False)
        text, pieces, complete = rendered
        parsed = self.parse_generated(text, virtual)
        mapped = _remap(parsed, _SourceMap(text, pieces))
        return GeneratedFile(mapped, generator.block.header_span, writer, generator.if_exists, path_span,
                             complete=complete and parsed.error is None)

    def _remote_state_file(self, model: UnitModel, directory: str) -> Optional[GeneratedFile]:
        """`remote_state { generate = {…} }`: the backend block Terragrunt writes."""
        remote = model.remote_state
        if remote is None or not remote.is_known or remote.generate is None:
            return None
        generate = remote.generate
        name_value = generate.get("path") if generate.kind == MAP else None
        name = name_value.data if name_value is not None and name_value.kind == STRING and name_value.is_literal \
            else "backend.tf"
        if_exists_value = generate.get("if_exists") if generate.kind == MAP else None
        if_exists = if_exists_value.data if if_exists_value is not None and if_exists_value.kind == STRING \
            else "overwrite_terragrunt"
        hcl_file = HclFile(_join(directory, name), TF_JSON if name.endswith(".json") else TF,
                           blocks=(self._terraform_block(remote),))
        path_span = generate.key_span("path") or remote.generate_span
        return GeneratedFile(hcl_file, remote.generate_span, "remote_state", if_exists, path_span,
                             from_remote_state=True)

    def _terraform_block(self, remote: RemoteState) -> Block:
        backend = remote.backend or ""
        attributes = tuple(_config_attributes(remote, backend))
        backend_block = Block("backend", (backend,), remote.backend_span, remote.backend_span, attributes,
                              label_spans=(remote.backend_span,))
        nested = [backend_block]
        encryption = remote.encryption
        if encryption is not None:
            span = remote.value.key_span("encryption") or remote.header_span
            nested.append(Block("encryption", (), span, span, tuple(_attributes_of(encryption))))
        return Block("terraform", (), remote.header_span, remote.header_span, (), tuple(nested))

    # ---- the effective backend (TG-1.5) -----------------------------------------------------

    def _backends(self, model: UnitModel, module: Module) -> list[EffectiveBackend]:
        remote = model.remote_state
        if remote is None:
            return effective_backends(module)
        if not remote.is_known:
            return []
        label = remote.label
        if remote.generate is not None or model.standalone:
            if model.standalone and remote.generate is None:
                generated = self._terraform_block(remote)
                backend_file = HclFile(model.path, TF, blocks=(generated,))
            else:
                found = next((g for g in model.generated if g.from_remote_state), None)
                if found is None:
                    return []
                backend_file = found.file
            terraform = backend_file.blocks[0]
            block = terraform.blocks[0]
            values = tuple(BackendValue(a, backend_file, label) for a in block.attributes) + \
                _argument_values(model, backend_file, label)
            return [EffectiveBackend(model.directory, block.labels[0], block, backend_file, terraform,
                                     anchor_span=remote.config_anchor, source_label=label, extra=values,
                                     own_values=False, terragrunt=True)]
        # without generate: `config` works like a .tfbackend merged into the module's backend block
        for backend in effective_backends(module):
            if backend.type != remote.backend:
                continue
            config_file = HclFile(remote.file.path, remote.file.kind,
                                  attributes=tuple(_config_attributes(remote, remote.backend or "")))
            values = tuple(BackendValue(a, config_file, label) for a in config_file.attributes) + \
                _argument_values(model, config_file, label)
            return [dataclasses.replace(backend, anchor_span=remote.config_anchor if values else None,
                                        source_label=label if values else "", extra=values, terragrunt=bool(values))]
        return []


def scope_for(model: UnitModel, hcl_file: HclFile, unit_scope: Scope) -> Scope:
    """The scope a unit evaluates `hcl_file` of its include graph in."""
    if hcl_file is model.file:
        return unit_scope
    include = next((i for i in model.includes if i.target is hcl_file), None)
    ref = unit_scope.includes.get(include.label) if include is not None else None
    return Scope(hcl_file, unit_scope.context, unit_scope.config_path, original=ref)


def _write(generated: dict[str, GeneratedFile], files: dict[str, HclFile], made: GeneratedFile) -> None:
    """A generated file joins the working module; at a path already taken,
    `overwrite`/`overwrite_terragrunt` replace the earlier file, `skip`
    keeps it (TG-1.5)."""
    name = made.file.name
    if name in files and made.if_exists not in OVERWRITE and (made.if_exists == SKIP or name not in generated):
        return
    files[name] = made.file
    generated[name] = made


def _argument_values(model: UnitModel, hcl_file: HclFile, label: str) -> tuple[BackendValue, ...]:
    return tuple(BackendValue(a, hcl_file, label) for a in model.backend_arguments)


def _config_attributes(remote: RemoteState, backend: str) -> list[Attribute]:
    """`remote_state.config` as backend attributes: Terragrunt-only keys
    dropped, aliases renamed (TG-1.5)."""
    config = remote.config
    if config.kind != MAP:
        return []
    only = TERRAGRUNT_ONLY_KEYS.get(backend, frozenset())
    aliases = CONFIG_ALIASES.get(backend, {})
    out = []
    for key, key_span, value in config.entries:
        if key in only:
            continue
        out.append(value_attribute(aliases.get(key, key), key_span, value))
    return out


def _attributes_of(value: Value) -> list[Attribute]:
    if value.kind != MAP:
        return []
    return [value_attribute(key, key_span, entry) for key, key_span, entry in value.entries]


def value_attribute(name: str, name_span: Span, value: Value) -> Attribute:
    """An evaluated value as a model attribute: literal where it is one,
    at the span of the literal it came from."""
    expr = value_expr(value)
    start = name_span if name_span.path == expr.span.path and name_span <= expr.span else expr.span
    span = Span(start.path, start.line, start.col, expr.span.end_line, expr.span.end_col)
    return Attribute(name, name_span, expr, span)


def value_expr(value: Value) -> Expr:
    literal = value.python()
    if value.kind == LIST:
        return Expr.collection("tuple", "", value.span, tuple(value_expr(i) for i in value.items))
    if value.kind == MAP:
        return Expr.collection("object", "", value.span, (), tuple((k, s, value_expr(v)) for k, s, v in value.entries))
    if literal is NOT_LITERAL:
        return Expr("other", "", value.span, NOT_LITERAL)
    kind = {STRING: "string", NUMBER: "number", BOOL: "bool", NULL: "null"}.get(value.kind, "other")
    text = literal if isinstance(literal, str) else ("null" if literal is None else str(literal).lower()
                                                      if isinstance(literal, bool) else str(literal))
    strings = (StringPart(literal, value.span),) if isinstance(literal, str) and literal else ()
    return Expr(kind, text, value.span, literal, strings=strings)


def setting_attribute(setting: Setting) -> Attribute:
    """A setting as written, its value replaced by the evaluated literal
    (non-literal values keep their expression, for IACM304's message)."""
    literal = setting.value.python()
    expr = setting.attribute.expr
    if literal is not NOT_LITERAL and not setting.value.is_unknown:
        expr = value_expr(setting.value)
        expr = Expr(expr.kind, setting.attribute.expr.text, expr.span, expr.value, strings=expr.strings)
    return Attribute(setting.attribute.name, setting.attribute.name_span, expr, setting.attribute.span)


def _generator_from_value(name: str, value: Value, hcl_file: HclFile, attribute: Attribute) -> Generator:
    """`generate = local.common.generate`: a generator whose contents are a value."""
    def text(key: str) -> Optional[str]:
        found = value.get(key) if value.kind == MAP else None
        return found.data if found is not None and found.kind == STRING and found.is_literal else None

    contents = value.get("contents") if value.kind == MAP else None
    block = Block("generate", (name,), attribute.name_span, attribute.span)
    contents_attribute = None
    if contents is not None:
        literal = contents.python()
        tree = ex.Node(ex.LITERAL, contents.span, literal) if isinstance(literal, str) else \
            ex.Node(ex.OTHER, contents.span, name="unknown contents")
        contents_attribute = Attribute("contents", contents.span, Expr("string", "", contents.span, literal, tree=tree),
                                       contents.span)
    return Generator(name, block, hcl_file, text("path"), text("if_exists") or "overwrite_terragrunt",
                     contents_attribute, False)


def _deep_merge(base: Value, override: Value) -> Value:
    return merged_map(base, override, deep=True)


def _literal_bool(attribute: Optional[Attribute], scope: Scope, builder: _Builder) -> bool:
    value = builder.evaluator.attribute(attribute, scope)
    return value is not None and value.kind == BOOL and value.data is True


def _literal_text(attribute: Optional[Attribute], scope: Scope, builder: _Builder) -> Optional[str]:
    value = builder.evaluator.attribute(attribute, scope)
    return value.data if value is not None and value.kind == STRING else None


def _memo(compute: Callable[[], Value]) -> Callable[[], Value]:
    cell: list[Value] = []

    def get() -> Value:
        if not cell:
            cell.append(compute())
        return cell[0]

    return get


def _join(directory: str, name: str) -> str:
    return posixpath.normpath(name if directory == "." else f"{directory}/{name}")


# ---- generated contents: rendering and positions -------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """A stretch of generated text and where it came from: `exact` text is
    a copy of one line fragment of the configuration (offsets map one to
    one); anything else (an interpolated value, a placeholder) maps to its
    expression as a whole."""

    start: int
    end: int
    origin: Span
    exact: bool


class _Renderer:
    """Generate contents as OpenTofu source with a map back to the configuration."""

    def __init__(self, evaluator: Evaluator, scope: Scope):
        self.evaluator = evaluator
        self.scope = scope

    def render(self, tree: ex.Node) -> Optional[tuple[str, list[_Piece], bool]]:
        parts = tree.children if tree.kind == ex.TEMPLATE else (tree,)
        out: list[str] = []
        pieces: list[_Piece] = []
        complete = True
        length = 0
        for part in parts:
            if part.kind == ex.TEXT:
                text, exact = part.value, True
            else:
                value = self.evaluator.evaluate(part, self.scope)
                text = value.data if value.kind == STRING and value.is_literal else None
                if text is None and value.kind in (NUMBER, BOOL) and value.is_literal:
                    text = str(value.data).lower() if value.kind == BOOL else str(value.data)
                exact = part.kind == ex.LITERAL and "\n" not in (text or "") and tree.kind != ex.TEMPLATE
                if text is None:
                    if tree.kind != ex.TEMPLATE:
                        return None  # the whole contents are unknown
                    complete = False
                    inside = _inside_string("".join(out))
                    text = f"${{{UNKNOWN_PLACEHOLDER}}}" if inside else UNKNOWN_PLACEHOLDER
            out.append(text)
            pieces.append(_Piece(length, length + len(text), part.span, exact))
            length += len(text)
        return "".join(out), pieces, complete


def _inside_string(text: str) -> bool:
    """Whether the end of `text` lies inside a quoted string of its last line."""
    line = text[text.rfind("\n") + 1:]
    quotes = 0
    escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quotes += 1
    return quotes % 2 == 1


class _SourceMap:
    def __init__(self, text: str, pieces: list[_Piece]):
        self.pieces = pieces
        self.line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_starts.append(index + 1)

    def offset(self, line: int, col: int) -> int:
        line = max(1, min(line, len(self.line_starts)))
        return self.line_starts[line - 1] + col - 1

    def position(self, offset: int, end: bool) -> tuple[str, int, int]:
        for piece in self.pieces:
            if piece.start <= offset < piece.end or (end and piece.start < offset <= piece.end):
                origin = piece.origin
                if piece.exact:
                    return origin.path, origin.line, origin.col + offset - piece.start
                return (origin.path, origin.end_line, origin.end_col) if end else (origin.path, origin.line, origin.col)
        last = self.pieces[-1].origin if self.pieces else Span("", 1, 1, 1, 1)
        return last.path, last.end_line, last.end_col

    def span(self, span: Span) -> Span:
        path, line, col = self.position(self.offset(span.line, span.col), False)
        _, end_line, end_col = self.position(self.offset(span.end_line, span.end_col), True)
        if (end_line, end_col) < (line, col):
            end_line, end_col = line, col
        return Span(path, line, col, end_line, end_col)


def _remap(hcl_file: HclFile, source_map: _SourceMap) -> HclFile:
    """`hcl_file` (parsed generated text) with every span moved back into
    the configuration, and the unknown placeholder removed from references."""
    def walk(obj: Any) -> Any:
        if isinstance(obj, Span):
            return source_map.span(obj)
        if isinstance(obj, tuple):
            return tuple(walk(item) for item in obj)
        if isinstance(obj, Expr):
            mapped = {f.name: walk(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                      if f.name not in ("value", "kind", "text", "tree")}
            mapped["references"] = tuple(r for r in obj.references if r.split(".")[0] != UNKNOWN_PLACEHOLDER)
            return dataclasses.replace(obj, **mapped)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.replace(obj, **{f.name: walk(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                                                if f.name not in ("path", "kind", "name", "type", "labels", "message",
                                                                  "text")})
        return obj

    return HclFile(hcl_file.path, hcl_file.kind, walk(hcl_file.blocks), walk(hcl_file.attributes),
                   walk(hcl_file.comments), walk(hcl_file.error) if hcl_file.error is not None else None)
