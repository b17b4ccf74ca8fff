"""Helpers shared by the IACM5xx pipeline rules."""

from __future__ import annotations

from collections.abc import Collection
from typing import Optional

from ..knowledge.step_types import COMMAND_PLUGINS
from ..model.pipeline import Stage, Step, is_expression, precedes

PLAN_COMMANDS = ("plan", "plan-destroy", "plan-refresh-only")


def plugin_steps(stage: Stage) -> list[Step]:
    """IaCM plugin steps with a literal command, in file order (rollback
    steps excluded: they run only when the stage fails)."""
    return [s for s in stage.steps
            if s.type in COMMAND_PLUGINS and s.command is not None and not is_expression(s.command)]


def earlier(stage_steps: list[Step], step: Step, commands: Collection[str], same_type: bool) -> Optional[Step]:
    """The first step of `commands` that finishes before `step` starts."""
    for other in stage_steps:
        if other is step or other.command not in commands:
            continue
        if same_type and other.type != step.type:
            continue
        if precedes(other.position, step.position):
            return other
    return None


# Stage.kind of a template body -> how messages name the template
_TEMPLATE_KINDS = {"stepgroup-template": "step group template", "step-template": "step template"}


def stage_name(stage: Stage) -> str:
    """How messages name a stage: `stage "deploy"`; the body of a template
    by its template (`stage template "provision_stage"`, `step group
    template "deploy_group"`), never `stage "?"`."""
    if stage.kind == "fragment":
        return "this fragment"
    if stage.kind in _TEMPLATE_KINDS:
        return f'{_TEMPLATE_KINDS[stage.kind]} "{stage.template}"' if stage.template else "this template"
    if stage.label == "?" and stage.template is not None:
        return f'stage template "{stage.template}"'
    return f'stage "{stage.label}"'
