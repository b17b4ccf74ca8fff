"""IACM506 step-type-unknown."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Optional

from ..fix import Fix, safe, unsafe
from ..knowledge.backend_schemas import edit_distance
from ..knowledge.step_types import KNOWN_STEP_TYPES, PLUGIN_COMMANDS, TERRAGRUNT_PLUGIN, seed_doc_step
from ..model.pipeline import Pipeline, Step, is_expression
from ..model.source import source_of
from ..model.syntax import YNode
from ..registry import Context, Violation, rule
from ._yaml_fixes import replace_scalar, set_command

# `IACMTerragruntApply` and the like (TG-2): the plugin's name with a command instead of "Plugin".
_MADE_UP_CAMEL = re.compile(r"IACMTerragrunt(Init|Plan|Apply|Destroy)", re.IGNORECASE)
_BY_LOWER = {t.lower(): t for t in KNOWN_STEP_TYPES}


@rule("IACM506", "step-type-unknown", level="error", scope="pipeline", checklist="pipeline", tags=("pipeline",),
      short="A step type is not a Harness step type", fix="safe or unsafe")
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

    ## Fix
    Safe: a made-up `IACM_<ENGINE>_<COMMAND>` type becomes the plugin type
    with `spec.command` set to the command its name gives (a `spec.command`
    the step already has is kept, and so are its other keys), and a near
    miss (another case, or at most two letters off) becomes the type it
    misspells. A pipeline with an unknown type cannot be saved, so neither
    can break a working pipeline. Unsafe: a farther guess
    (`TerraformRun` → `TerraformCloudRun`), which may not be the step meant.
    """
    for _, step in pipeline.steps():
        node = step.get("type")
        if node is None or node.kind != "scalar" or not isinstance(node.value, str):
            continue
        value = node.value.strip()
        if not value or value in KNOWN_STEP_TYPES or is_expression(value):
            continue
        yield Violation(node.span, _message(value), fix=_fix(ctx, pipeline, step, node, value))


def _message(value: str) -> str:
    made_up = seed_doc_step(value) or _camel_terragrunt_step(value)
    if made_up:
        plugin, command = made_up
        return (f'step type "{value}" does not exist in Harness; use type: {plugin} with '
                f"spec: {{command: {command}}}")
    guess = _did_you_mean(value)
    if guess:
        return f'step type "{value}" is not a Harness step type; did you mean "{guess}"?'
    return (f'step type "{value}" is not a Harness step type; use an IaCM plugin step such as IACMOpenTofuPlugin '
            f"or a Run step")


def _camel_terragrunt_step(value: str) -> Optional[tuple[str, str]]:
    found = _MADE_UP_CAMEL.fullmatch(value)
    return (TERRAGRUNT_PLUGIN, found.group(1).lower()) if found else None


def _did_you_mean(value: str) -> Optional[str]:
    exact = _BY_LOWER.get(value.lower())
    if exact:
        return exact
    close = difflib.get_close_matches(value, list(KNOWN_STEP_TYPES), n=1, cutoff=0.8)
    return close[0] if close else None


def _fix(ctx: Context, pipeline: Pipeline, step: Step, node: YNode, value: str) -> Optional[Fix]:
    source = source_of(ctx, pipeline.path)
    if source is None or node.value != value:  # blanks around the type: leave it to the user
        return None
    made_up = seed_doc_step(value)
    if made_up:
        plugin, command = made_up
        type_key = step.node.key_node("type")
        spec_edits = set_command(source, step.node, command, type_key) if type_key is not None else None
        type_edit = replace_scalar(source, node, plugin)
        if command not in PLUGIN_COMMANDS or spec_edits is None or type_edit is None:
            return None
        return safe(f"Use type {plugin} with spec.command {command}", type_edit, *spec_edits)
    guess = _did_you_mean(value)
    edit = replace_scalar(source, node, guess) if guess else None
    if guess is None or edit is None:
        return None
    near_miss = edit_distance(value.lower(), guess.lower()) <= 2
    return (safe if near_miss else unsafe)(f"Replace {value} with {guess}", edit)
