"""IACM502 apply-without-plan."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.pipeline import Pipeline
from ..registry import Context, Violation, rule
from ._pipelines import PLAN_COMMANDS, earlier, plugin_steps, stage_name


@rule("IACM502", "apply-without-plan", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="An apply or destroy step has no plan step before it in its IaCM stage")
def apply_without_plan(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    In an IaCM stage, reports an `apply` step that no `plan`, `plan-destroy`
    or `plan-refresh-only` step of the same plugin type precedes in
    execution order, and a `destroy` step that no `plan*` step precedes.
    Steps inside one `parallel` block run concurrently, so they do not
    precede each other; step groups run in order. Only IaCM plugin steps
    count (script steps are IACM501's).

    ## Why is this bad?
    The IaCM apply step applies the plan that the stage's plan step
    produced; without one, the apply fails, or nobody has reviewed what it
    changes.

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
                  - step: {type: IACMApproval, name: approve, identifier: approve, spec: {autoApprove: false}}
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
    for stage in pipeline.stages:
        if not (stage.is_iacm and stage.ordered):
            continue
        steps = plugin_steps(stage)
        for step in steps:
            if step.command == "apply" and earlier(steps, step, PLAN_COMMANDS, same_type=True) is None:
                yield Violation(step.key.span,
                                f'apply step "{step.label}" has no {step.type} plan step before it in '
                                f"{stage_name(stage)}; add a step with spec.command: plan before it")
            elif step.command == "destroy" and earlier(steps, step, PLAN_COMMANDS, same_type=False) is None:
                yield Violation(step.key.span,
                                f'destroy step "{step.label}" has no plan step before it in '
                                f"{stage_name(stage)}; add a step with spec.command: plan-destroy before it")
