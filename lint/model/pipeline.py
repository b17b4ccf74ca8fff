"""The Harness pipeline model, on top of the YAML node tree.

A `Pipeline` is one pipeline file (a pipeline, a template or a `.harness/`
fragment) with its stages; a `Stage` holds its steps in execution order.
Rules read these views and point their findings at the `YNode`s they carry,
so every finding has the exact span of a key or value.

Execution order: `steps[]` run in sequence, the items of a `parallel:` run
concurrently, a `stepGroup:` runs its own `steps[]` in sequence. A step's
`position` records that path, and `precedes(a, b)` answers "does `a`
finish before `b` starts".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Optional

from ..knowledge.engines import Engine
from ..knowledge.step_types import COMMAND_PLUGINS, IACM_STAGE, PIPELINE_TEMPLATE_TYPES, PLUGIN_ENGINES
from .harness_config import cached_per_repo, heredoc_pipelines
from .syntax import Repo, RootModule, Span, YamlFile, YNode

_EXPRESSION = re.compile(r"<\+.*?>", re.DOTALL)


def is_expression(value: object) -> bool:
    """A Harness expression (`<+input>`, `<+pipeline.variables.x>`) or a
    `${…}` interpolation of a heredoc pipeline: a value, never a literal."""
    return isinstance(value, str) and ("<+" in value or "${" in value)


def text_of(node: Optional[YNode]) -> Optional[str]:
    """The scalar's value as text (numbers and booleans too), else None."""
    if node is None or node.kind != "scalar" or node.value is None:
        return None
    value = node.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# Position frames: ("seq", index) for an item of a sequence that runs in
# order, ("par", index) for a branch of a `parallel:` block.
Position = tuple[tuple[str, int], ...]


def precedes(a: Position, b: Position) -> bool:
    """True when the item at `a` finishes before the item at `b` starts."""
    for fa, fb in zip(a, b, strict=False):  # up to the shorter one's end
        if fa == fb:
            continue
        return fa[0] == "seq" and fb[0] == "seq" and fa[1] < fb[1]
    return False


class _MappingView:
    """What steps and stages share: field access on the mapping they hold."""

    node: YNode

    def get(self, name: str) -> Optional[YNode]:
        return self.node.get(name) if self.node.kind == "map" else None

    @property
    def identifier(self) -> Optional[str]:
        return text_of(self.get("identifier"))

    @property
    def spec(self) -> Optional[YNode]:
        spec = self.get("spec")
        return spec if spec is not None and spec.kind == "map" else None

    @property
    def uses_template(self) -> bool:
        return self.get("template") is not None


@dataclass(frozen=True)
class Step(_MappingView):
    """One `step:` (also a step template's body)."""

    key: YNode  # the `step:` key (a template's `spec:` key)
    node: YNode  # the mapping it holds
    position: Position
    groups: tuple[YNode, ...] = ()  # enclosing `stepGroup:` mappings, outermost first
    rollback: bool = False

    @property
    def type(self) -> Optional[str]:
        value = self.get("type")
        return value.value if value is not None and isinstance(value.value, str) else None

    @property
    def name(self) -> Optional[str]:
        return text_of(self.get("name"))

    @property
    def label(self) -> str:
        """How messages name the step: its identifier, else its name."""
        return self.identifier or self.name or "?"

    @property
    def command_node(self) -> Optional[YNode]:
        """`spec.command` of a plugin or Run step."""
        return self.spec.get("command") if self.spec is not None else None

    @property
    def command(self) -> Optional[str]:
        """The IaC plugin command (`init`, `plan`, `apply`...), lower-cased."""
        if self.type not in COMMAND_PLUGINS:
            return None
        text = text_of(self.command_node)
        return text.strip().lower() if text is not None else None

    def scripts(self) -> Iterator[YNode]:
        """The shell text a script step runs: Run `spec.command`, ShellScript
        `spec.source.spec.script`, Plugin `spec.entrypoint` and script-like
        `spec.settings`."""
        spec = self.spec
        if spec is None:
            return
        step_type = self.type
        if step_type == "Run":
            node = spec.get("command")
            if node is not None and node.kind == "scalar":
                yield node
        elif step_type == "ShellScript":
            source = spec.get("source")
            inner = source.get("spec") if source is not None else None
            node = inner.get("script") if inner is not None else None
            if node is not None and node.kind == "scalar":
                yield node
        elif step_type == "Plugin":
            for name in ("entrypoint", "command", "args"):
                yield from _scalars(spec.get(name))
            settings = spec.get("settings")
            if settings is not None and settings.kind == "map":
                for key, value in settings.entries:
                    if str(key.value).lower() in ("command", "commands", "script", "run", "entrypoint", "args"):
                        yield from _scalars(value)


def _scalars(node: Optional[YNode]) -> Iterator[YNode]:
    if node is None:
        return
    if node.kind == "scalar":
        if isinstance(node.value, str):
            yield node
    elif node.kind == "seq":
        for item in node.items:
            yield from _scalars(item)


@dataclass(frozen=True)
class StepGroup:
    key: YNode
    node: YNode


@dataclass(frozen=True)
class Stage(_MappingView):
    """A `stage:` (or a Stage template's body, or a pseudo-stage for a step
    group / step template or a `.harness/` fragment).

    `ordered`: the steps are a whole stage, so ordering rules (init before
    plan before apply, approval before apply) apply. False for step and
    step-group templates, whose surrounding stage is unknown."""

    key: YNode
    node: YNode
    position: Position
    steps: tuple[Step, ...] = ()
    rollback_steps: tuple[Step, ...] = ()
    step_groups: tuple[StepGroup, ...] = ()
    step_lists: tuple[tuple[YNode, YNode], ...] = ()  # every (`steps:` key, value) in the stage
    kind: str = "stage"  # stage | fragment | stepgroup-template | step-template
    ordered: bool = True
    template: Optional[str] = None  # the identifier (else name) of the template that holds it

    @property
    def type(self) -> Optional[str]:
        if self.kind == "fragment":
            return IACM_STAGE
        value = self.get("type")
        return value.value if value is not None and isinstance(value.value, str) else None

    @property
    def is_iacm(self) -> bool:
        return self.type == IACM_STAGE

    @property
    def label(self) -> str:
        return self.identifier or text_of(self.get("name")) or "?"

    def all_steps(self) -> tuple[Step, ...]:
        return self.steps + self.rollback_steps


@dataclass(frozen=True)
class Pipeline:
    file: YamlFile
    kind: str  # pipeline | template | fragment
    root: YNode  # the `pipeline:` mapping, the template's `spec`, or the fragment's root
    stages: tuple[Stage, ...] = ()
    template_type: Optional[str] = None  # Pipeline | Stage | StepGroup | Step
    stage_lists: tuple[tuple[YNode, YNode], ...] = ()  # every (`stages:` key, value)

    @property
    def path(self) -> str:
        return self.file.path

    def steps(self) -> Iterator[tuple[Stage, Step]]:
        for stage in self.stages:
            for step in stage.all_steps():
                yield stage, step


# ---- which YAML is a pipeline ----------------------------------------------

def under_harness(path: str) -> bool:
    return ".harness" in path.split("/")[:-1]


def pipeline_kind(yaml_file: YamlFile) -> Optional[str]:
    """"pipeline", "template" or "fragment" for a parsed pipeline file; None
    for input sets, triggers and any other YAML."""
    root = yaml_file.root
    if root is None or root.kind != "map":
        return None
    pipeline = root.get("pipeline")
    if pipeline is not None and pipeline.kind == "map":
        return "pipeline"
    template = root.get("template")
    if template is not None and template.kind == "map":
        type_node = template.get("type")
        if type_node is not None and type_node.value in PIPELINE_TEMPLATE_TYPES:
            return "template"
        return None
    if under_harness(yaml_file.path) and (root.get("steps") is not None or root.get("execution") is not None):
        return "fragment"
    return None


# ---- building ---------------------------------------------------------------


def build_pipeline(yaml_file: YamlFile) -> Optional[Pipeline]:
    """The pipeline model of a parsed pipeline file, or None when the file
    is not a pipeline (input sets, triggers, other YAML, parse errors)."""
    kind = pipeline_kind(yaml_file)
    if kind is None:
        return None
    top = yaml_file.root
    assert top is not None
    if kind == "pipeline":
        body = top.get("pipeline")
        assert body is not None  # pipeline_kind saw it
        stages, lists = _stages(body)
        return Pipeline(yaml_file, kind, body, stages, None, lists)
    if kind == "fragment":
        return Pipeline(yaml_file, kind, top, (_stage_of_execution(top, top, top, "fragment", True),))
    template = top.get("template")
    type_node = template.get("type") if template is not None else None
    assert template is not None and type_node is not None  # pipeline_kind saw them
    template_type = type_node.value
    spec_key = template.key_node("spec") or template.key_of("type")
    body = template.get("spec")
    if body is None or body.kind != "map":
        return Pipeline(yaml_file, kind, template, (), template_type)
    if template_type == "Pipeline":
        stages, lists = _stages(body)
        return Pipeline(yaml_file, kind, body, stages, template_type, lists)
    name = text_of(template.get("identifier")) or text_of(template.get("name"))
    if template_type == "Stage":
        stage = replace(_stage(spec_key, body, (("seq", 0),)), template=name)
        return Pipeline(yaml_file, kind, body, (stage,), template_type)
    if template_type == "StepGroup":
        stage = replace(_stage_of_execution(spec_key, body, body, "stepgroup-template", False), template=name)
        return Pipeline(yaml_file, kind, body, (stage,), template_type)
    step = Step(spec_key, body, (("seq", 0),))
    stage = Stage(spec_key, body, (("seq", 0),), (step,), kind="step-template", ordered=False, template=name)
    return Pipeline(yaml_file, kind, body, (stage,), template_type)


def _stages(body: Optional[YNode]) -> tuple[tuple[Stage, ...], tuple[tuple[YNode, YNode], ...]]:
    if body is None or body.kind != "map":
        return (), ()
    stages_node = body.get("stages")
    if stages_node is None:
        return (), ()
    found: list[Stage] = []
    _collect_stages(stages_node, (), found)
    return tuple(found), ((body.key_of("stages"), stages_node),)


def _collect_stages(seq: YNode, prefix: Position, found: list[Stage]) -> None:
    if seq.kind != "seq":
        return
    for index, item in enumerate(seq.items):
        if item.kind != "map":
            continue
        here = prefix + (("seq", index),)
        stage = item.get("stage")
        if stage is not None and stage.kind == "map":
            found.append(_stage(item.key_of("stage"), stage, here))
        parallel = item.get("parallel")
        if parallel is not None and parallel.kind == "seq":
            for branch, sub in enumerate(parallel.items):
                wrapper = YNode("seq", sub.span, items=(sub,))
                _collect_stages(wrapper, here + (("par", branch),), found)


def _stage(key: YNode, node: YNode, position: Position) -> Stage:
    spec = node.get("spec")
    execution = spec.get("execution") if spec is not None and spec.kind == "map" else None
    return _stage_of_execution(key, node, execution, "stage", True, position)


def _stage_of_execution(key: YNode, node: YNode, execution: Optional[YNode], kind: str, ordered: bool,
                        position: Position = (("seq", 0),)) -> Stage:
    """A stage whose steps are `execution.steps` (also `steps` directly,
    for fragments and step-group templates)."""
    steps: list[Step] = []
    rollback: list[Step] = []
    groups: list[StepGroup] = []
    lists: list[tuple[YNode, YNode]] = []
    if execution is not None and execution.kind == "map":
        inner = execution.get("execution")  # a fragment may hold `execution:` at the top
        if inner is not None and inner.kind == "map" and execution.get("steps") is None:
            execution = inner
        for name, target, is_rollback in (("steps", steps, False), ("rollbackSteps", rollback, True)):
            seq = execution.get(name)
            if seq is not None:
                lists.append((execution.key_of(name), seq))
                _collect_steps(seq, (), (), target, groups, lists, is_rollback)
    return Stage(key, node, position, tuple(steps), tuple(rollback), tuple(groups), tuple(lists), kind, ordered)


def _collect_steps(seq: YNode, prefix: Position, enclosing: tuple[YNode, ...], found: list[Step],
                   groups: list[StepGroup], lists: list[tuple[YNode, YNode]], rollback: bool) -> None:
    if seq.kind != "seq":
        return
    for index, item in enumerate(seq.items):
        if item.kind != "map":
            continue
        here = prefix + (("seq", index),)
        step = item.get("step")
        if step is not None and step.kind == "map":
            found.append(Step(item.key_of("step"), step, here, enclosing, rollback))
        parallel = item.get("parallel")
        if parallel is not None and parallel.kind == "seq":
            for branch, sub in enumerate(parallel.items):
                wrapper = YNode("seq", sub.span, items=(sub,))
                _collect_steps(wrapper, here + (("par", branch),), enclosing, found, groups, lists, rollback)
        for container in ("stepGroup", "insert"):
            group = item.get(container)
            if group is not None and group.kind == "map":
                if container == "stepGroup":
                    groups.append(StepGroup(item.key_of(container), group))
                inner = group.get("steps")
                if inner is not None:
                    lists.append((group.key_of("steps"), inner))
                    _collect_steps(inner, here, enclosing + (group,), found, groups, lists, rollback)
                elif container == "insert" and group.get("type") is not None:
                    found.append(Step(item.key_of(container), group, here, enclosing, rollback))


def build_pipelines(repo: Repo) -> list[Pipeline]:
    """Every pipeline of the scan, in path order (git-ignored files skipped)."""
    ignored: frozenset[str] = getattr(repo, "ignored_paths", frozenset())
    result = []
    yaml_files = list(repo.yaml_files)
    if hasattr(repo, "hcl_files"):  # pipelines in harness_platform_pipeline `yaml` heredocs (issue 13)
        yaml_files = sorted((*yaml_files, *heredoc_pipelines(repo)), key=lambda f: f.path)
    for yaml_file in yaml_files:
        if yaml_file.path in ignored:
            continue
        pipeline = build_pipeline(yaml_file)
        if pipeline is not None:
            result.append(pipeline)
    return result


# ---- spans inside scalars ---------------------------------------------------


def text_span(node: YNode, start: int, end: int) -> Span:
    """The source span of `node.value[start:end]`: exact for single-line
    plain and quoted scalars (without escapes) and for literal block
    scalars (`|`); the whole scalar otherwise."""
    value = node.value if isinstance(node.value, str) else ""
    s = node.span
    if s.line == s.end_line:
        width = s.end_col - s.col
        if width == len(value) and "\n" not in value:  # plain
            return Span(s.path, s.line, s.col + start, s.line, s.col + end)
        if width == len(value) + 2 and "\n" not in value:  # quoted, no escapes
            return Span(s.path, s.line, s.col + 1 + start, s.line, s.col + 1 + end)
        return s
    if node.tag != "tag:yaml.org,2002:str" and node.tag:
        return s
    content_lines = len(value.rstrip("\n").split("\n"))
    # a literal block scalar: header line, then one source line per value line
    if s.end_line - s.line != content_lines:
        return s
    last = value.rstrip("\n").split("\n")[-1].rstrip(" \t")
    indent = s.end_col - 1 - len(last)
    if indent < 0:
        return s
    first_line = value.count("\n", 0, start)
    last_line = value.count("\n", 0, max(start, end - 1))
    col_start = start - (value.rfind("\n", 0, start) + 1)
    col_end = end - (value.rfind("\n", 0, end) + 1) if end > start else col_start
    return Span(s.path, s.line + 1 + first_line, indent + 1 + col_start, s.line + 1 + last_line, indent + 1 + col_end)


# ---- engine signal ----------------------------------------------------------

def pipeline_engine_signal(repo: Repo) -> tuple[Optional[Engine], str]:
    """What the scan's pipelines say about the engine: ("opentofu", "pipeline
    .harness/deploy.yaml") when IaCM stages use IACMOpenTofuPlugin steps only,
    ("terraform", …) for IACMTerraformPlugin only, (None, reason) when they
    mix both types or use neither."""
    return cached_per_repo(repo, "pipeline_engine_signal", _engine_signal)


def _engine_signal(repo: Repo) -> tuple[Optional[Engine], str]:
    first: dict[Engine, str] = {}
    for pipeline in build_pipelines(repo):
        for _stage, step in pipeline.steps():
            engine = PLUGIN_ENGINES.get(step.type or "")
            if engine is not None and engine not in first:
                first[engine] = pipeline.path
    if len(first) == 1:
        engine, path = next(iter(first.items()))
        return engine, f"pipeline {path}"
    if first:
        return None, "pipelines use both IACMOpenTofuPlugin and IACMTerraformPlugin steps"
    return None, "no pipeline uses an IaCM OpenTofu or Terraform plugin step"


def pipeline_signal(repo: Repo, root: RootModule) -> Optional[tuple[Engine, str]]:
    """The `--engine auto` signal of the scan's pipelines (model/engine_choice.py):
    (engine, reason) when they use one plugin type only, else None."""
    engine, reason = pipeline_engine_signal(repo)
    return (engine, reason) if engine is not None else None
