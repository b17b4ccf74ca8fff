"""IACM507 command-unknown."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..fix import unsafe
from ..knowledge.step_types import PLUGIN_COMMANDS, TERRAFORM_PLUGIN, TERRAGRUNT_PLUGIN, TOFU_PLUGIN
from ..model.pipeline import Pipeline, is_expression, text_of
from ..model.source import source_of
from ..registry import Context, Violation, rule
from ._yaml_fixes import replace_scalar


@rule("IACM507", "command-unknown", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="An IaCM Terraform/OpenTofu plugin step has no or an unknown spec.command", fix="unsafe")
def command_unknown(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an `IACMTerraformPlugin` or `IACMOpenTofuPlugin` step without
    `spec.command`, or with a command the plugin does not know. Known:
    `init`, `plan`, `apply`, `destroy`, `plan-destroy`, `plan-refresh-only`,
    `apply-refresh-only`, `detect-drift`, `validate`, `fmt`, `import`,
    `removed`, `migrate-state`; a `<+…>` expression is accepted.

    ## Why is this bad?
    The command is what the plugin runs; without a known one the step fails
    at run time (or the pipeline cannot be saved).

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
                  - step: {type: IACMOpenTofuPlugin, name: init, identifier: init, spec: {command: initialize}}
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
    ```

    ## Fix
    Unsafe: an unknown command with a close known one (`aply`, or a known
    command inside it such as `terraform apply`) becomes that command. It is
    a guess: `destory` could mean `destroy` or `plan-destroy`, and which
    command runs is the one thing the step decides. A missing command gets
    no fix.
    """
    for _, step in pipeline.steps():
        if step.type not in (TOFU_PLUGIN, TERRAFORM_PLUGIN, TERRAGRUNT_PLUGIN) or step.uses_template:
            continue
        spec = step.get("spec")
        if spec is not None and spec.kind != "map":
            continue  # IACM508 reports the wrong type
        node = spec.get("command") if spec is not None else None
        text = text_of(node)
        if node is None or text is None or not text.strip():
            where = step.node.key_of("spec") if spec is not None else step.key
            yield Violation(where.span, f'{step.type} step "{step.label}" has no spec.command; set one of '
                                        f"init, plan, apply, destroy, plan-destroy, detect-drift")
            continue
        if is_expression(text) or text.strip() in PLUGIN_COMMANDS:
            continue
        words = [w for w in text.lower().split() if w in PLUGIN_COMMANDS]  # "terraform apply"
        close = words[-1:] or difflib.get_close_matches(text.strip().lower(), PLUGIN_COMMANDS, n=1, cutoff=0.6)
        hint = (f'did you mean "{close[0]}"?' if close
                else "use one of init, plan, apply, destroy, plan-destroy, detect-drift")
        if step.type == TERRAGRUNT_PLUGIN and _RUN_ALL.search(text):
            hint += (' running every unit is the Terragrunt workspace\'s "Run all" setting (run_all = true), '
                     "not a command")
        source = source_of(ctx, pipeline.path) if close else None
        edit = replace_scalar(source, node, close[0]) if source is not None else None
        yield Violation(node.span, f'{step.type} step "{step.label}" has unknown command "{text}"; {hint}',
                        fix=unsafe(f"Replace the command with {close[0]}", edit) if edit is not None else None)


# `run-all plan`, `run --all plan`, `terragrunt run-all apply`: running all units is a workspace setting (TG-2)
_RUN_ALL = re.compile(r"\brun-all\b|--all\b", re.IGNORECASE)
