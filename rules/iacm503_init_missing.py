"""IACM503 init-missing."""

from __future__ import annotations

from collections.abc import Iterator

from ..knowledge.step_types import seed_doc_step
from ..model.pipeline import Pipeline, precedes
from ..registry import Context, Violation, rule
from ._pipelines import earlier, plugin_steps, stage_name

NEEDS_INIT = ("plan", "apply", "destroy", "detect-drift", "plan-destroy", "plan-refresh-only", "apply-refresh-only")


@rule("IACM503", "init-missing", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="A plan, apply, destroy or drift step has no init step before it")
def init_missing(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    In an IaCM stage, reports a `plan`, `apply`, `destroy`, `detect-drift`,
    `plan-destroy`, `plan-refresh-only` or `apply-refresh-only` step that no
    `init` step precedes in execution order. A step typed as the seed
    document writes it (`type: IACM_TOFU_INIT`) counts as the init step:
    IACM506 reports its type, and its fix keeps it an init step.

    ## Why is this bad?
    Every IaCM stage starts from a fresh checkout: without `init` the
    backend is not configured and the providers and modules are not
    installed, so the step fails.

    ## Example
    ```yaml
    pipeline:
      name: drift
      identifier: drift
      stages:
        - stage:
            name: drift
            identifier: drift
            type: IACM
            spec:
              workspace: network_prod
              execution:
                steps:
                  - step: {type: IACMOpenTofuPlugin, name: drift, identifier: drift, spec: {command: detect-drift}}
    ```

    ## Use instead
    ```yaml
    pipeline:
      name: drift
      identifier: drift
      stages:
        - stage:
            name: drift
            identifier: drift
            type: IACM
            spec:
              workspace: network_prod
              execution:
                steps:
                  - step: {type: IACMOpenTofuPlugin, name: init, identifier: init, spec: {command: init}}
                  - step: {type: IACMOpenTofuPlugin, name: drift, identifier: drift, spec: {command: detect-drift}}
    ```
    """
    for stage in pipeline.stages:
        if not (stage.is_iacm and stage.ordered):
            continue
        steps = plugin_steps(stage)
        # `type: IACM_TOFU_INIT` is an init step with a wrong type: IACM506 reports the type, one mistake once
        seed_doc_inits = [s for s in stage.steps if (meant := seed_doc_step(s.type)) is not None and meant[1] == "init"]
        for step in steps:
            if step.command in NEEDS_INIT and earlier(steps, step, ("init",), same_type=False) is None \
                    and not any(precedes(init.position, step.position) for init in seed_doc_inits):
                yield Violation(step.key.span,
                                f'{step.command} step "{step.label}" has no init step before it in '
                                f"{stage_name(stage)}; add a step with spec.command: init first")
