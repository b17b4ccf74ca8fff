"""IACM000 parse-error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Union

from iacm_lint.model.backends import backend_blocks
from iacm_lint.model.compat import own_declarations
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
    finding points at the position of the error (for a heredoc, bracket or
    string never closed: where it opens); the rest of the scan goes on.
    Also reported, as Terraform does, are files python-hcl2 would read but
    Terraform rejects: an argument set twice in a block, a `}` or another
    item on the line of an argument, an unquoted `10.0.0.0/16`, an invalid
    escape such as `"\\/"`, a quoted string over several lines.

    Of a file that does not parse, the top-level blocks that parse on their
    own are still checked; the message names the lines that could not be
    read, and when its root module seems to lack a backend or a
    `required_version`, says that they were not checked there (IACM101 and
    IACM303 stay silent: the block may be in those lines).

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
    unchecked = _unchecked_by_file(repo)
    parsed_files: list[Union[HclFile, YamlFile]] = [*repo.hcl_files, *repo.yaml_files]
    for parsed in parsed_files:
        if parsed.error is not None and parsed.path not in repo.ignored_paths:
            message = f"cannot parse {parsed.path.rsplit('/', 1)[-1]}: {parsed.error.message}"
            if isinstance(parsed, HclFile):
                message += _what_was_not_read(parsed, unchecked.get(parsed.path, ()))
            yield Violation(parsed.error.span, message, related=parsed.error.related)
    for heredoc in heredoc_pipelines(repo):  # `harness_platform_pipeline` yaml: Harness rejects it at apply time
        if heredoc.error is not None and heredoc.path not in repo.ignored_paths:
            yield Violation(heredoc.error.span, f"cannot parse the pipeline YAML in {heredoc.path.rsplit('/', 1)[-1]}: "
                            f"{heredoc.error.message}")


def _unchecked_by_file(repo: Repo) -> dict[str, tuple[str, ...]]:
    """Per module file not wholly read, what its root module lacks and so
    could not be checked (IACM101 and IACM303 stay silent for such a root:
    the missing block may be in what was not read)."""
    unchecked: dict[str, tuple[str, ...]] = {}
    for root in repo.roots:
        if root.module.fully_read:
            continue
        missing = tuple(what for what, present in (("a backend block", backend_blocks(root)),
                                                   ("required_version", own_declarations(root))) if not present)
        for hcl_file in root.files:
            if not hcl_file.fully_read:
                unchecked[hcl_file.path] = missing
    return unchecked


def _what_was_not_read(hcl_file: HclFile, missing: tuple[str, ...]) -> str:
    """`; lines 12-40 could not be read, so a backend block there was not checked`."""
    if hcl_file.fully_read:
        return ""
    unchecked = " or ".join(missing)
    if not (hcl_file.blocks or hcl_file.attributes):  # nothing of it was read
        return f"; {unchecked} in it was not checked" if missing else ""
    ranges = [str(p.span.line) if p.span.line == p.span.end_line else f"{p.span.line}-{p.span.end_line}"
              for p in hcl_file.unread]
    one_line = len(ranges) == 1 and "-" not in ranges[0]
    where = ("line " if one_line else "lines ") + (ranges[0] if len(ranges) == 1
                                                   else f"{', '.join(ranges[:-1])} and {ranges[-1]}")
    return f"; {where} could not be read" + (f", so {unchecked} there was not checked" if missing else "")
