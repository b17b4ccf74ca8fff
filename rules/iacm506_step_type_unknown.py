"""IACM506 step-type-unknown."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Optional

from ..knowledge.step_types import KNOWN_STEP_TYPES
from ..model.pipeline import Pipeline, is_expression
from ..registry import Context, Violation, rule

# `IACM_TOFU_INIT` (the docs' example) and the like: engine and command in the name.
_MADE_UP = re.compile(r"IACM_(TOFU|OPENTOFU|TF|TERRAFORM|TERRAGRUNT)_([A-Z_]+)", re.IGNORECASE)
_PLUGIN = {"tofu": "IACMOpenTofuPlugin", "opentofu": "IACMOpenTofuPlugin", "tf": "IACMTerraformPlugin",
           "terraform": "IACMTerraformPlugin", "terragrunt": "IACMTerragruntPlugin"}
# `IACMTerragruntApply` and the like (TG-2): the plugin's name with a command instead of "Plugin".
_MADE_UP_CAMEL = re.compile(r"IACM(Terragrunt)(Init|Plan|Apply|Destroy)", re.IGNORECASE)
_BY_LOWER = {t.lower(): t for t in KNOWN_STEP_TYPES}


@rule("IACM506", "step-type-unknown", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="A step type is not a Harness step type")
def step_type_unknown(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a step `type` that is not a Harness step type, with the fix.
    Notably the `IACM_TOFU_INIT`, `IACM_TOFU_PLAN` and `IACM_TOFU_APPLY`
    types of the "Use Existing Remote State" example: the real step is
    `type: IACMOpenTofuPlugin` with `spec.command: init|plan|apply`. Near
    misses (`IACMOpentofuPlugin`) get a did-you-mean.

    ## Why is this bad?
    Harness validates step types when the pipeline is saved: a pipeline
    with an unknown type cannot be saved or run.

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
                      name: Init
                      type: IACM_TOFU_INIT
                      identifier: Init
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
                  - step:
                      name: Init
                      type: IACMOpenTofuPlugin
                      identifier: Init
                      spec:
                        command: init
    ```
    """
    for _, step in pipeline.steps():
        node = step.get("type")
        if node is None or node.kind != "scalar" or not isinstance(node.value, str):
            continue
        value = node.value.strip()
        if not value or value in KNOWN_STEP_TYPES or is_expression(value):
            continue
        yield Violation(node.span, _message(value))


def _message(value: str) -> str:
    made_up = _MADE_UP.fullmatch(value) or _MADE_UP_CAMEL.fullmatch(value)
    if made_up:
        plugin = _PLUGIN[made_up.group(1).lower()]
        command = made_up.group(2).lower().replace("_", "-")
        return (f'step type "{value}" does not exist in Harness; use type: {plugin} with '
                f"spec: {{command: {command}}}")
    guess = _did_you_mean(value)
    if guess:
        return f'step type "{value}" is not a Harness step type; did you mean "{guess}"?'
    return (f'step type "{value}" is not a Harness step type; use an IaCM plugin step such as IACMOpenTofuPlugin '
            f"or a Run step")


def _did_you_mean(value: str) -> Optional[str]:
    exact = _BY_LOWER.get(value.lower())
    if exact:
        return exact
    close = difflib.get_close_matches(value, list(KNOWN_STEP_TYPES), n=1, cutoff=0.8)
    return close[0] if close else None
