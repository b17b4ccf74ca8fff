"""IACM307 engine-mismatch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from iacm_lint.knowledge.engines import Engine
from iacm_lint.knowledge.step_types import PLUGIN_ENGINES, TERRAFORM_PLUGIN, TOFU_PLUGIN
from iacm_lint.model.engine_choice import DEFAULT, TERRAFORM_BINARY, TOFU_FILE
from iacm_lint.model.features import feature_uses
from iacm_lint.model.harness_config import Workspace, workspaces
from iacm_lint.model.pins import pins_for_root
from iacm_lint.model.pipeline import Pipeline, Stage, Step, text_of
from iacm_lint.model.syntax import Repo, RootModule
from iacm_lint.model.terragrunt import unit_model
from iacm_lint.registry import Context, Violation, rule

from ._pipelines import stage_name
from ._versions import from_files, from_pipeline_or_workspace, root_phrase, title

_PLUGIN_OF = {engine: plugin for plugin, engine in PLUGIN_ENGINES.items()}


@rule("IACM307", "engine-mismatch", level="warning", scope="repo", checklist="version", tags=("versions", "engine"),
      short="Engine signals disagree: pipeline, workspace, pin files or code point at different engines")
def engine_mismatch(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports engine signals that disagree:

    - a root whose selected engine (`--engine`/config, a Harness workspace,
      the pipeline's IaCM plugin type, or a pin file) is Terraform while the
      code uses OpenTofu-only features such as `.tofu` files or `encryption`
      (or the reverse), or whose pin file names the other engine than the
      pipeline or workspace that runs it (a pin file that contradicts an
      explicit `--engine` is IACM305's);
    - a pipeline stage with both `IACMOpenTofuPlugin` and
      `IACMTerraformPlugin` steps, at the first step of the second type;
    - a `harness_platform_workspace` whose literal `provisioner_type`
      contradicts the plugin type of a stage aimed at it, at
      `provisioner_type` with the stage as related location. A stage is
      aimed at the workspace when its `spec.workspace` is the workspace's
      literal `identifier`, or an expression written exactly as the
      workspace's `identifier` expression (`${var.workspace_id}` for
      `identifier = var.workspace_id`).

    ## Why is this bad?
    One of the two is wrong: either the workspace runs an engine the code was
    not written for, or local runs use a different engine than Harness.

    ## Example
    ```hcl engine=terraform
    # versions.tofu
    terraform {
      required_version = ">= 1.8.0"
    }
    ```

    ## Use instead
    ```hcl engine=opentofu
    # versions.tofu
    terraform {
      required_version = ">= 1.8.0"
    }
    ```
    """
    for root in repo.roots:
        yield from _root_signals(root, ctx)
    for pipeline in ctx.pipelines():
        for stage in pipeline.stages:
            yield from _mixed_stage(stage)
    yield from _workspace_against_stages(repo, ctx.pipelines())


def _root_signals(root: RootModule, ctx: Context) -> Iterator[Violation]:
    choice = ctx.engine_for(root)
    unit = unit_model(root)
    binary = Engine.named(unit.engine) if unit is not None else None
    if binary is not None and binary != choice.engine and unit is not None and unit.terraform_binary is not None:
        setting = unit.terraform_binary
        yield Violation(setting.attribute.span, f"terraform_binary in {setting.file.path} runs {title(binary)}, but "
                        f"{choice.reason} selects {title(choice.engine)} for unit \"{unit.directory}\"; "
                        "make them agree")
    if choice.source in (DEFAULT, TOFU_FILE):
        return
    other = Engine(choice.engine).other
    only_other = next((u for u in feature_uses(root, other) if u.first(other) and not u.first(choice.engine)), None)
    if only_other is not None:
        yield Violation(only_other.span, f"the engine for this root is {choice.engine} ({choice.reason}), but the code "
                        f"uses {only_other.title}, which only {title(other)} has; select engine {other} or remove it")
    if from_pipeline_or_workspace(choice) and not from_files(choice):
        pins = pins_for_root(ctx.repo, root)
        for pin in sorted(pins.values(), key=lambda p: (p.path, p.span)):
            if pin.tool != choice.engine and not any(p.tool == choice.engine and p.path == pin.path
                                                     for p in pins.values()):
                change = "terraform_binary" if choice.source == TERRAFORM_BINARY else "the plugin type"
                yield Violation(pin.span, f"{pin.path} pins {title(pin.tool)}, but {choice.reason} runs "
                                f"{root_phrase(root, pin.path)} with {title(choice.engine)}; "
                                f"pin {title(choice.engine)} or change {change}")


def _plugin_steps(stage: Stage) -> list[Step]:
    return [step for step in stage.all_steps() if step.type in PLUGIN_ENGINES]


def _mixed_stage(stage: Stage) -> Iterator[Violation]:
    steps = sorted(_plugin_steps(stage), key=lambda step: step.key.span)
    if not steps:
        return
    first = steps[0]
    second = next((step for step in steps if step.type != first.type), None)
    if second is not None:
        yield Violation(second.node.key_of("type").span,  # a plugin step: its type is there
                        f'{stage_name(stage)} mixes {TOFU_PLUGIN} and {TERRAFORM_PLUGIN} steps; a stage runs one '
                        f"workspace with one engine, so use {first.type} for step \"{second.label}\" too",
                        related=((first.key.span, f"the first {first.type} step"),))


def _stage_engine(stage: Stage) -> Optional[Engine]:
    engines = {PLUGIN_ENGINES[step.type] for step in _plugin_steps(stage) if step.type is not None}
    return engines.pop() if len(engines) == 1 else None


def _aims_at(stage: Stage, workspace: Workspace) -> bool:
    """Is `spec.workspace` of the stage the workspace's literal identifier,
    or the same expression text as its `identifier`?"""
    spec = stage.spec
    target = text_of(spec.get("workspace")) if spec is not None else None
    attribute = workspace.attr("identifier")
    if target is None or attribute is None:
        return False
    target = target.strip()
    literal = workspace.literal("identifier")
    if literal is not None:
        return target == literal
    written = attribute.expr.text.strip()
    return target in (written, f"${{{written}}}", written.strip('"'))


def _workspace_against_stages(repo: Repo, pipelines: list[Pipeline]) -> Iterator[Violation]:
    stages = [(pipeline, stage, engine) for pipeline in pipelines for stage in pipeline.stages
              if stage.is_iacm and (engine := _stage_engine(stage)) is not None]
    for workspace in workspaces(repo):
        engine = Engine.named(workspace.engine)
        provisioner = workspace.attr("provisioner_type")
        if engine is None or provisioner is None:
            continue
        for pipeline, stage, stage_engine in stages:
            if stage_engine != engine and _aims_at(stage, workspace):
                yield Violation(provisioner.span, f'workspace "{workspace.identifier}" sets provisioner_type '
                                f'"{engine}", but {stage_name(stage)} in {pipeline.path} runs it with '
                                f"{_PLUGIN_OF[stage_engine]} steps; use {_PLUGIN_OF[engine]} steps there or set "
                                f'provisioner_type = "{stage_engine}"',
                                related=((stage.key.span, f"{stage_name(stage)} uses {_PLUGIN_OF[stage_engine]}"),))
