"""IACM000 parse-error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Union

from iacm_lint.model.harness_config import heredoc_pipelines
from iacm_lint.model.syntax import HclFile, Repo, YamlFile
from iacm_lint.registry import Context, Violation, rule


@rule("IACM000", "parse-error", level="error", scope="repo", tags=("tool",),
      short="A Terraform, OpenTofu or pipeline file cannot be read or parsed")
def parse_error(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `.tf`, `.tofu`, `.tf.json`, `.tfvars`, `.tfvars.json`,
    `.tfbackend` or Harness pipeline YAML file (also the pipeline YAML in a
    `harness_platform_pipeline` heredoc) that cannot be read or parsed:
    a syntax error, invalid UTF-8, binary content, an unreadable file. The
    finding points at the position of the error; the rest of the scan goes on.

    ## Why is this bad?
    `tofu init` and `terraform init` stop at the first file they cannot
    parse, and Harness rejects a pipeline it cannot read, so the workspace
    cannot run at all. Other rules also see less of the module.

    ## Example
    ```hcl
    # main.tf
    resource "aws_s3_bucket" "state" {
      bucket = "acme-tf-state"
    ```

    ## Use instead
    ```hcl
    # main.tf
    resource "aws_s3_bucket" "state" {
      bucket = "acme-tf-state"
    }
    ```
    """
    parsed_files: list[Union[HclFile, YamlFile]] = [*repo.hcl_files, *repo.yaml_files]
    for parsed in parsed_files:
        if parsed.error is not None and parsed.path not in repo.ignored_paths:
            yield Violation(parsed.error.span, f"cannot parse {parsed.path.rsplit('/', 1)[-1]}: {parsed.error.message}")
    for heredoc in heredoc_pipelines(repo):  # `harness_platform_pipeline` yaml: Harness rejects it at apply time
        if heredoc.error is not None and heredoc.path not in repo.ignored_paths:
            yield Violation(heredoc.error.span, f"cannot parse the pipeline YAML in {heredoc.path.rsplit('/', 1)[-1]}: "
                            f"{heredoc.error.message}")
