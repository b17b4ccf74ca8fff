"""IACM505 workspace-missing."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.pipeline import Pipeline
from ..registry import Context, Violation, rule
from ._pipelines import stage_name


@rule("IACM505", "workspace-missing", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="An IaCM stage names no workspace")
def workspace_missing(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an IaCM stage (`type: IACM`) without `spec.workspace`, or with
    an empty one. A literal workspace identifier, `<+input>` and any other
    `<+…>` expression are fine. A stage that uses a stage template is not
    checked.

    ## Why is this bad?
    The workspace is what connects the stage to the repository folder, the
    backend, the engine version, variables and connectors. Harness rejects
    the pipeline, or asks at every run when the value is missing.

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
              execution:
                steps:
                  - step: {type: IACMOpenTofuPlugin, name: init, identifier: init, spec: {command: init}}
                  - step: {type: IACMOpenTofuPlugin, name: plan, identifier: plan, spec: {command: plan}}
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
              workspace: <+input>
              execution:
                steps:
                  - step: {type: IACMOpenTofuPlugin, name: init, identifier: init, spec: {command: init}}
                  - step: {type: IACMOpenTofuPlugin, name: plan, identifier: plan, spec: {command: plan}}
    ```
    """
    for stage in pipeline.stages:
        if stage.kind != "stage" or not stage.is_iacm or stage.uses_template:
            continue
        spec_node = stage.get("spec")
        if spec_node is None:
            yield Violation(stage.key.span, f"IACM {stage_name(stage)} has no spec.workspace; add spec.workspace "
                                            f"with the workspace identifier or <+input>")
            continue
        if spec_node.kind != "map":
            continue  # a wrong type is IACM508's
        workspace = spec_node.get("workspace")
        if workspace is None:
            yield Violation(stage.node.key_of("spec").span,
                            f"IACM {stage_name(stage)} has no spec.workspace; add spec.workspace with the "
                            f"workspace identifier or <+input>")
        elif workspace.kind == "scalar" and (workspace.value is None or str(workspace.value).strip() == ""):
            yield Violation(spec_node.key_of("workspace").span,
                            f"IACM {stage_name(stage)} has an empty spec.workspace; set it to the workspace "
                            f"identifier or <+input>")
