"""IACM307 engine-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge.engines import Engine
from iacm_lint.model.engine_choice import DEFAULT, TERRAFORM_BINARY, TOFU_FILE
from iacm_lint.model.features import feature_uses
from iacm_lint.model.pins import pins_for_root
from iacm_lint.model.syntax import RootModule
from iacm_lint.model.terragrunt import unit_model
from iacm_lint.registry import Context, Violation, rule

from ._versions import from_files, from_pipeline_or_workspace, root_phrase, title


@rule("IACM307", "engine-mismatch", level="warning", scope="root", checklist="version", tags=("versions", "engine"),
      short="Engine signals disagree: pipeline, workspace, pin files or code point at different engines")
def engine_mismatch(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a root whose engine signals disagree: the selected engine
    (`--engine`/config, a Harness workspace, the pipeline's IaCM plugin
    type, or a pin file) is Terraform while the code uses OpenTofu-only
    features such as `.tofu` files or `encryption` (or the reverse), or a pin
    file names the other engine than the pipeline or workspace that runs the
    root. A pin file that contradicts an explicit `--engine` is IACM305's.

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
