"""IACM508 pipeline-invalid."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

from ..knowledge.step_types import seed_doc_step
from ..model.pipeline import Pipeline, Stage, Step, is_expression, text_of
from ..model.syntax import YNode
from ..registry import Context, Violation, rule
from ._pipelines import stage_name

IDENTIFIER = re.compile(r"[a-zA-Z_][0-9a-zA-Z_]{0,127}")
_STR = "tag:yaml.org,2002:str"


@rule("IACM508", "pipeline-invalid", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="The pipeline has structural errors that Harness rejects on save")
def pipeline_invalid(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports what a pipeline save would reject: a step, stage or pipeline
    without `identifier`, `name`, `type` or `spec`; an identifier that does
    not match `^[a-zA-Z_][0-9a-zA-Z_]{0,127}$`; the same identifier twice
    among siblings — the items of one `steps:` list with the members of its
    `parallel:` blocks, or the stages of a pipeline (a step inside a
    `stepGroup` may reuse the group's identifier: Harness addresses it as
    `deploy.steps.deploy`); an IaCM stage
    without `spec.execution.steps`; values of the wrong type (a list where a
    mapping belongs, a number as an identifier); and a key written twice in
    one mapping (YAML silently keeps only the last one). A step or stage
    that uses a template (`template: {templateRef: …}`) needs only its
    `identifier` and `name`. A step typed as the seed document writes it
    (`type: IACM_TOFU_INIT`) is not reported for its missing `spec`:
    IACM506's fix adds it. The body of a Stage template is named after the
    template (`stage template "provision_stage"`).

    ## Why is this bad?
    Harness validates the YAML when the pipeline is saved or imported from
    git; an invalid pipeline cannot run, and a duplicated key silently drops
    the configuration written first.

    ## Example
    ```yaml
    pipeline:
      name: deploy
      identifier: deploy-network
      stages:
        - stage:
            name: provision
            identifier: provision
            type: IACM
            spec:
              workspace: network_prod
              execution:
                steps:
                  - step: {type: IACMOpenTofuPlugin, name: init, identifier: init, spec: {command: init}}
                  - step: {type: IACMOpenTofuPlugin, name: plan, identifier: init, spec: {command: plan}}
    ```

    ## Use instead
    ```yaml
    pipeline:
      name: deploy
      identifier: deploy_network
      stages:
        - stage:
            name: provision
            identifier: provision
            type: IACM
            spec:
              workspace: network_prod
              execution:
                steps:
                  - step: {type: IACMOpenTofuPlugin, name: init, identifier: init, spec: {command: init}}
                  - step: {type: IACMOpenTofuPlugin, name: plan, identifier: plan, spec: {command: plan}}
    ```
    """
    found: list[Violation] = []
    found.extend(_duplicate_keys(pipeline.file.root))
    if pipeline.kind == "pipeline":
        file_root = pipeline.file.root
        assert file_root is not None  # it holds `pipeline:`
        top = file_root.key_of("pipeline")
        found.extend(_required(pipeline.root, top, "pipeline", ("name", "identifier")))
        if pipeline.root.get("stages") is None:
            found.append(Violation(top.span, "pipeline has no stages; add stages with at least one stage"))
    for key, value in pipeline.stage_lists:
        if value.kind != "seq":
            found.append(_wrong_type(key, value, "a list of stages"))
    for stage in pipeline.stages:
        found.extend(_stage(pipeline, stage))
    found.extend(_duplicates([("stage", s.node) for s in pipeline.stages if s.kind == "stage"], "the pipeline"))
    seen = set()
    for violation in sorted(found, key=lambda v: (v.span, v.message)):
        if (violation.span, violation.message) not in seen:
            seen.add((violation.span, violation.message))
            yield violation


def _stage(pipeline: Pipeline, stage: Stage) -> Iterator[Violation]:
    label = stage_name(stage)
    if stage.kind == "stage":
        if stage.uses_template:
            yield from _required(stage.node, stage.key, label, ("name", "identifier"))
        else:
            template_body = pipeline.template_type == "Stage"
            names = ("type", "spec") if template_body else ("name", "identifier", "type", "spec")
            yield from _required(stage.node, stage.key, label, names)
            if stage.is_iacm:
                yield from _iacm_execution(stage)
    elif stage.kind == "stepgroup-template" and stage.node.get("steps") is None:
        yield Violation(stage.key.span, "step group template has no steps; add spec.steps")
    for key, value in stage.step_lists:
        if value.kind != "seq":
            yield _wrong_type(key, value, "a list of steps")
    for step in stage.all_steps():
        yield from _step(stage, step)
    yield from _sibling_duplicates(stage)


def _iacm_execution(stage: Stage) -> Iterator[Violation]:
    spec = stage.get("spec")
    if spec is None or spec.kind != "map":
        return
    execution = spec.get("execution")
    steps = execution.get("steps") if execution is not None and execution.kind == "map" else None
    if execution is None:
        yield Violation(stage.node.key_of("spec").span,
                        f'IACM stage "{stage.label}" has no spec.execution.steps; add the IaCM steps under '
                        f"spec.execution.steps")
    elif execution.kind != "map":
        yield _wrong_type(spec.key_node("execution"), execution, "a mapping with steps")
    elif steps is None or (steps.kind == "seq" and not steps.items) or (steps.kind == "scalar" and steps.value is None):
        yield Violation(spec.key_of("execution").span,
                        f'IACM stage "{stage.label}" has no steps in spec.execution.steps; add the IaCM steps')


def _step(stage: Stage, step: Step) -> Iterator[Violation]:
    label = f'step "{step.label}"'
    if step.node.kind != "map":
        return
    names: tuple[str, ...]
    if step.uses_template:
        names = ("name", "identifier")
    elif stage.kind == "step-template":
        names = ("type", "spec")
    else:
        names = ("name", "identifier", "type", "spec")
    if seed_doc_step(step.type) is not None:  # IACM506's fix for `type: IACM_TOFU_INIT` adds the spec
        names = tuple(name for name in names if name != "spec")
    yield from _required(step.node, step.key, label, names)
    spec = step.get("spec")
    if spec is not None and spec.kind != "map" and not _is_expr(spec):
        yield _wrong_type(step.node.key_node("spec"), spec, "a mapping")
    timeout = step.get("timeout")
    if timeout is not None and not (timeout.kind == "scalar" and (timeout.tag == _STR or timeout.value is None)):
        yield _wrong_type(step.node.key_node("timeout"), timeout, 'a duration string such as "10m"')
    if step.type == "IACMApproval" and spec is not None and spec.kind == "map":
        auto = spec.get("autoApprove")
        if auto is not None and not (auto.kind == "scalar" and (isinstance(auto.value, bool) or _is_expr(auto))):
            yield _wrong_type(spec.key_node("autoApprove"), auto, "true or false")


def _required(node: YNode, key: YNode, label: str, names: tuple[str, ...]) -> Iterator[Violation]:
    if node.kind != "map":
        yield _wrong_type(key, node, "a mapping")
        return
    missing = [n for n in names if node.get(n) is None]
    if missing:
        what = ", ".join(missing)
        yield Violation(key.span, f"{label} is missing {what}; add {what}")
    for name in ("name", "identifier", "type"):
        value = node.get(name)
        if value is None:
            continue
        if value.kind != "scalar" or (value.tag != _STR and value.value is not None) or value.value is None:
            yield _wrong_type(node.key_node(name), value, "a string")
        elif name == "identifier" and not _is_expr(value) and not IDENTIFIER.fullmatch(value.value):
            yield Violation(value.span, f'{label} has identifier "{value.value}", which Harness rejects; use '
                                        "letters, digits and _ only, not starting with a digit "
                                        f'("{_suggest(value.value)}")')


def _suggest(identifier: str) -> str:
    fixed = re.sub(r"[^0-9a-zA-Z_]", "_", identifier)
    return ("_" + fixed if not fixed or fixed[0].isdigit() else fixed)[:128]


def _wrong_type(key: Optional[YNode], value: YNode, expected: str) -> Violation:
    where = key if key is not None else value
    name = key.value if key is not None else "value"
    got = {"map": "a mapping", "seq": "a list"}.get(value.kind) or _scalar_kind(value)
    return Violation(where.span, f'"{name}" must be {expected}, not {got}')


def _scalar_kind(value: YNode) -> str:
    if value.value is None:
        return "empty"
    if isinstance(value.value, bool):
        return "a boolean"
    if isinstance(value.value, (int, float)):
        return "a number"
    return "a string"


def _is_expr(node: YNode) -> bool:
    return node.kind == "scalar" and is_expression(node.value)


def _sibling_duplicates(stage: Stage) -> Iterator[Violation]:
    """Identifiers are unique among siblings: the items of one `steps:` list
    (with the members of its `parallel:` blocks); a step group's own steps
    are a list of their own (Harness addresses `deploy.steps.deploy`)."""
    owners = {id(group.node.get("steps")): f'step group "{text_of(group.node.get("identifier")) or "?"}"'
              for group in stage.step_groups}
    for _, seq in stage.step_lists:
        yield from _duplicates(_siblings(seq), owners.get(id(seq), stage_name(stage)))


def _siblings(seq: YNode) -> list[tuple[str, YNode]]:
    found: list[tuple[str, YNode]] = []
    for item in seq.items if seq.kind == "seq" else ():
        if item.kind != "map":
            continue
        for key, kind in (("step", "step"), ("stepGroup", "step group")):
            node = item.get(key)
            if node is not None:
                found.append((kind, node))
        parallel = item.get("parallel")
        if parallel is not None:
            found.extend(_siblings(parallel))
    return found


def _duplicates(nodes: list[tuple[str, YNode]], where: str) -> Iterator[Violation]:
    seen: dict[str, YNode] = {}
    for kind, node in sorted(nodes, key=lambda n: (n[1].span.line, n[1].span.col)):
        if node.kind != "map":
            continue
        ident = node.get("identifier")
        if ident is None or not isinstance(ident.value, str) or is_expression(ident.value):
            continue
        first = seen.get(ident.value)
        if first is None:
            seen[ident.value] = ident
            continue
        yield Violation(ident.span, f'{kind} identifier "{ident.value}" is used twice in {where} (first on line '
                                    f"{first.span.line}); give each {kind} a unique identifier",
                        related=((first.span, "first used here"),))


def _duplicate_keys(root: Optional[YNode]) -> Iterator[Violation]:
    if root is None:
        return
    stack = [root]
    visited: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if node.kind == "map":
            seen: dict = {}
            own = [(k, v) for k, v in node.entries
                   if (k.span.line, k.span.col) >= (node.span.line, node.span.col)]  # merged keys are elsewhere
            for key, value in own:
                if key.kind == "scalar" and isinstance(key.value, (str, int, float, bool)):
                    if key.value in seen:
                        yield Violation(key.span, f'key "{key.value}" appears twice in this mapping (first on line '
                                                  f"{seen[key.value].span.line}); YAML keeps only the last value, so "
                                                  f"remove one",
                                        related=((seen[key.value].span, "first written here"),))
                    else:
                        seen[key.value] = key
                stack.append(value)
        elif node.kind == "seq":
            stack.extend(node.items)
