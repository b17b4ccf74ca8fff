"""IACM305 version-pin-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge import releases as rel
from iacm_lint.model.compat import accepting_releases, rejecting
from iacm_lint.model.pins import nearest_pins, pins_for_root, resolve
from iacm_lint.model.syntax import RootModule
from iacm_lint.registry import Context, Violation, rule

from ._versions import from_pipeline_or_workspace, is_explicit, root_phrase, supported_ranges, title


@rule("IACM305", "version-pin-mismatch", level="error", scope="root", checklist="version", tags=("versions", "engine"),
      short="A pin file names a version Harness does not run or that rejects the root")
def version_pin_mismatch(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Checks the pin files that apply to a root (`.terraform-version`,
    `.opentofu-version`, `.tool-versions`, `.tfswitchrc`, `[tools]` in
    `mise.toml`/`.mise.toml`, in the root's directory or above it; for each
    tool the nearest one wins) and reports a pin that names a version Harness
    does not support for that tool (Terraform 1.6.0 and later, releases that
    do not exist), a release that does not accept the root, or a different
    engine than the one selected. Tool keywords (`latest`, `latest:^1.5`,
    `min-required`, `latest-allowed`, `~> 1.5`, fuzzy `1.5`) are resolved
    against the release table. `.tfswitch.toml` is not read: tfswitch reads
    it only from the home directory.

    ## Why is this bad?
    The version everybody runs locally is not one the Harness workspace can
    run, or it refuses the code, so local plans and workspace plans disagree.

    ## Example
    ```text
    # .terraform-version
    1.6.2
    ```
    ```hcl
    # versions.tf
    terraform {
      required_version = ">= 1.5.0"
    }
    ```

    ## Use instead
    ```text
    # .terraform-version
    1.5.7
    ```
    ```hcl
    # versions.tf
    terraform {
      required_version = ">= 1.5.0"
    }
    ```
    """
    choice = ctx.engine_for(root)
    pins = pins_for_root(ctx.repo, root)
    deciding = {pin.path for pin in nearest_pins(ctx.repo, root)}
    for pin in sorted(pins.values(), key=lambda p: (p.path, p.span)):
        tool = title(pin.tool)
        resolved = resolve(pin, root)
        if resolved.problem:
            continue  # IACM304
        if resolved.version is None:
            if resolved.how:
                yield Violation(pin.span, f'{pin.path} pins "{pin.value}", but {resolved.how}; pin a released version')
            continue
        named = (f"{tool} {resolved.version}" if not resolved.how
                 else f'"{pin.value}", which is {tool} {resolved.version}')
        release = rel.find_release(pin.tool, resolved.version)
        newest = rel.newest_supported(pin.tool).version
        if release is None:
            yield Violation(pin.span, f"{pin.path} pins {named}, which is not a {tool} release; pin a released "
                            f"version such as {newest}")
            continue
        if not rel.is_supported(pin.tool, release.version):
            yield Violation(pin.span, f"{pin.path} pins {named}, which Harness does not run (it supports {tool} "
                            f"{supported_ranges(pin.tool)}); pin {newest} or use OpenTofu")
            continue
        refusing = rejecting(root, pin.tool, release)
        if refusing:
            fitting = accepting_releases(root, pin.tool)
            fix = f"pin {fitting[-1].version}" if fitting else "change the version constraint"
            yield Violation(pin.span, f"{pin.path} pins {named}, which rejects {root_phrase(root, pin.path)}: "
                            f"{refusing[0].label} does not hold for it; {fix}")
            continue
        mismatch = pin.tool != choice.engine and not any(p.tool == choice.engine and p.path == pin.path
                                                        for p in pins.values())
        if mismatch and not from_pipeline_or_workspace(choice) and (is_explicit(choice) or pin.path in deciding):
            yield Violation(pin.span, f"{pin.path} pins {tool}, but the engine for {root_phrase(root, pin.path)} is "
                            f"{choice.engine} ({choice.reason}); remove the pin or pin {title(choice.engine)} instead")
