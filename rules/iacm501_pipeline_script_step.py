"""IACM501 pipeline-script-step."""

from __future__ import annotations

from collections.abc import Iterator

from ..knowledge.shell import IacCommand, find_iac_commands
from ..knowledge.step_types import SCRIPT_STEPS
from ..model.pipeline import Pipeline, text_span
from ..model.syntax import YNode
from ..registry import Context, Violation, rule

_PLUGIN_FOR = {"terraform": "IACMTerraformPlugin", "tofu": "IACMOpenTofuPlugin", "terragrunt": "IACMTerragruntPlugin"}


@rule("IACM501", "pipeline-script-step", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="A script step runs terraform/tofu/terragrunt instead of an IaCM plugin step")
def pipeline_script_step(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `Run`, `ShellScript` or `Plugin` step whose script runs
    `terraform`, `tofu` or `terragrunt` with `init`, `plan`, `apply`,
    `destroy`, `import`, `state` (and `refresh`, `taint`, `untaint`,
    `force-unlock`). The script is read like a shell: `&&`, `;`, pipes, line
    continuations, `cd dir && terraform -chdir=… apply`, `sh -c '…'` and
    `terragrunt run-all apply` are understood; `terraform fmt`/`validate`/
    `version`/`test`, `init -backend=false` (which sets up `validate` and
    `test` without touching state), `tflint`, comments and `echo` text are
    not reported. An error in an IaCM stage, a warning elsewhere.

    ## Why is this bad?
    "Use Existing Remote State" requires that pipelines use the Plan and
    Apply steps, not custom script steps. A script bypasses the workspace:
    its backend configuration, variables, connectors, plan review, cost and
    policy checks, and the approval step that reads the plan.

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
                  - step:
                      type: Run
                      name: apply
                      identifier: apply
                      spec:
                        shell: Sh
                        command: |
                          cd envs/prod
                          terraform init -input=false && terraform apply -auto-approve
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
                  - step: {type: IACMTerraformPlugin, name: init, identifier: init, spec: {command: init}}
                  - step: {type: IACMTerraformPlugin, name: plan, identifier: plan, spec: {command: plan}}
                  - step: {type: IACMApproval, name: approve, identifier: approve, spec: {autoApprove: false}}
                  - step: {type: IACMTerraformPlugin, name: apply, identifier: apply, spec: {command: apply}}
    ```
    """
    for stage, step in pipeline.steps():
        if step.type not in SCRIPT_STEPS:
            continue
        found: list[tuple[YNode, IacCommand]] = []
        for script in step.scripts():
            found.extend((script, command) for command in find_iac_commands(script.value))
        if not found:
            continue
        (script, first), others = found[0], found[1:]
        runs = ", ".join(dict.fromkeys(f'"{c.text}"' for _, c in found))
        plugin = _PLUGIN_FOR[first.tool]
        level = None if stage.is_iacm else "warning"
        commands = ", ".join(dict.fromkeys(c.subcommand for _, c in found))
        yield Violation(text_span(script, first.start, first.end),
                        f'{step.type} step "{step.label}" runs {runs}; use {plugin} steps '
                        f"(spec.command: {commands}) instead of a script",
                        level=level,
                        related=tuple((text_span(s, c.start, c.end), f'also runs "{c.text}"') for s, c in others))
