"""IACM504 apply-without-approval."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from ..knowledge.step_types import APPROVAL_STEPS
from ..model.pipeline import Pipeline, Stage, Step, precedes
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
    `autoApprove: true` does not count.

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
            if any(not _auto_approves(g) for g in gates):
                continue
            if gates:
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
