"""IACM504 apply-without-approval."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

from ..knowledge.step_types import APPROVAL_STEPS
from ..model.pipeline import Pipeline, Stage, Step, precedes, text_of
from ..registry import Context, Violation, rule
from ._pipelines import plugin_steps, stage_name


@rule("IACM504", "apply-without-approval", level="warning", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="An apply or destroy step runs without an approval before it")
def apply_without_approval(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an IaCM `apply` or `destroy` step that no approval precedes: an
    `IACMApproval` or `HarnessApproval` step earlier in the same stage, or
    an `Approval` stage earlier in the pipeline. An `IACMApproval` step with
    `autoApprove: true` does not count, and neither does an approval whose
    `when` condition excludes the step's (or its step group's): with
    `<+pipeline.variables.action> == "apply"` on the approval and
    `… == "destroy"` on the destroy step, no approval ever runs before the
    destroy, and the message says so.

    ## Why is this bad?
    The approval step is where a person reads the plan before it changes
    infrastructure; without it every merge applies whatever the plan
    contains, deletions included.

    ## Example
    ```yaml
    pipeline:
      name: deploy
      identifier: deploy
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
                  - step: {type: IACMApproval, name: approve, identifier: approve, spec: {autoApprove: true}}
                  - step: {type: IACMOpenTofuPlugin, name: apply, identifier: apply, spec: {command: apply}}
    ```

    ## Use instead
    ```yaml
    pipeline:
      name: deploy
      identifier: deploy
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
                  - step: {type: IACMApproval, name: approve, identifier: approve, spec: {autoApprove: false}}
                  - step: {type: IACMOpenTofuPlugin, name: apply, identifier: apply, spec: {command: apply}}
    ```
    """
    if pipeline.template_type == "Stage":
        return  # the pipeline that uses the template may hold an Approval stage before it
    for stage in pipeline.stages:
        if not (stage.is_iacm and stage.ordered) or _approval_stage_before(pipeline, stage):
            continue
        for step in plugin_steps(stage):
            if step.command not in ("apply", "destroy"):
                continue
            gates = [s for s in stage.steps if s.type in APPROVAL_STEPS and precedes(s.position, step.position)]
            manual = [g for g in gates if not _auto_approves(g)]
            excluded = [(g, reason) for g in manual if (reason := _excluded(g, step)) is not None]
            if len(excluded) < len(manual):
                continue
            if excluded:
                gate, (subject, theirs, mine) = excluded[-1]
                yield Violation(step.key.span,
                                f'{step.command} step "{step.label}" in {stage_name(stage)} runs without an '
                                f'approval: approval step "{gate.label}" runs only when {subject} is "{theirs}" and '
                                f'this step only when it is "{mine}"; add an approval that runs with this step')
            elif gates:
                auto = gates[-1]
                yield Violation(step.key.span,
                                f'{step.command} step "{step.label}" is gated only by IACMApproval step '
                                f'"{auto.label}" with autoApprove: true; set autoApprove: false')
            else:
                yield Violation(step.key.span,
                                f'{step.command} step "{step.label}" in {stage_name(stage)} runs without an '
                                f"approval; add an IACMApproval step (autoApprove: false) or a HarnessApproval "
                                f"step before it")


def _auto_approves(step: Step) -> bool:
    if step.type != "IACMApproval" or step.spec is None:
        return False
    value: Optional[object] = getattr(step.spec.get("autoApprove"), "value", None)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _approval_stage_before(pipeline: Pipeline, stage: Stage) -> bool:
    return any(other.type == "Approval" and precedes(other.position, stage.position) for other in pipeline.stages)


# `<+pipeline.variables.action> == "destroy"` or `<+pipeline.variables.action == "destroy">`
_EQUALS = re.compile(r"""<\+\s*([\w.\[\]"'-]+?)\s*>\s*==\s*(["'])(.*?)\2"""
                     r"""|<\+\s*([\w.\[\]"'-]+?)\s*==\s*(["'])(.*?)\5\s*>""")


def _equalities(step: Step) -> dict[str, str]:
    """What the `when.condition`s of a step and its step groups require,
    as expression -> value, from the conjuncts `<+x> == "v"` they hold."""
    required: dict[str, str] = {}
    for mapping in (*step.groups, step.node):
        when = mapping.get("when") if mapping.kind == "map" else None
        condition = text_of(when.get("condition")) if when is not None and when.kind == "map" else None
        for conjunct in (condition or "").split("&&"):
            found = _EQUALS.fullmatch(conjunct.strip())
            if found:
                subject = found.group(1) or found.group(4)
                required[subject] = found.group(3) if found.group(1) else found.group(6)
    return required


def _excluded(gate: Step, step: Step) -> Optional[tuple[str, str, str]]:
    """(expression, the gate's value, the step's value) when their `when`
    conditions cannot both hold, else None."""
    theirs, mine = _equalities(gate), _equalities(step)
    return next(((f"<+{k}>", theirs[k], mine[k]) for k in theirs if k in mine and theirs[k] != mine[k]), None)
