"""IACM206 pipeline-secret-literal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from ..findings import Secret
from ..knowledge.secrets import assess
from ..model.pipeline import Pipeline, is_expression
from ..model.syntax import YNode
from ..registry import Context, Violation, rule


@rule("IACM206", "pipeline-secret-literal", level="error", scope="pipeline", tags=("security", "secrets", "pipeline"),
      checklist="credentials", security_severity="8.0",
      short="A pipeline sets a secret-named variable or spec value to a literal")
def pipeline_secret_literal(pipeline: Pipeline, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a Harness pipeline value whose name says it holds a secret
    (`*_SECRET*`, `*_TOKEN`, `*PASSWORD*`, `*_KEY` except public ids,
    `ARM_CLIENT_SECRET`, `AWS_SECRET_ACCESS_KEY`, `GOOGLE_CREDENTIALS`,
    `TF_VAR_<secret name>`) and that is set to a literal: `envVariables`
    of Run steps, `environmentVariables` of ShellScript steps, stage and
    pipeline `variables` of `type: String`, and any spec value. Any `<+…>`
    expression, `<+input>`, empty values, structural placeholders
    (`changeme`, `<…>`, `REPLACE_ME`...) and `type: Secret` variables (which
    hold a secret reference) are fine; a dictionary word
    (`DB_PASSWORD: password`) is a weak literal password and is reported.
    Under a `*_SECRET`, `*_KEY` or `*_TOKEN` name an all-lowercase
    identifier slug (`JSON_SECRET: org_github_app_json`, the identifier of a
    secret a plugin writes) is a name, not a secret.

    ## Why is this bad?
    Pipeline YAML is stored in git (`.harness/`) and shown to everyone who
    can view the pipeline; the secret is leaked. The seed: backend
    credentials are configured via environment variables in the Harness
    Workspace, and secrets come from the secret manager.

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
                      name: smoke
                      identifier: smoke
                      spec:
                        command: ./smoke-test.sh
                        envVariables:
                          ARM_CLIENT_SECRET: q8R~v3KxN2mZp7LwT5yHj0BfUc9DsAe4GiKoQ1nX
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
                      type: Run
                      name: smoke
                      identifier: smoke
                      spec:
                        command: ./smoke-test.sh
                        envVariables:
                          ARM_CLIENT_SECRET: <+secrets.getValue("azure_client_secret")>
    ```
    """
    yield from _walk(pipeline.file.root, None, set())


def _walk(node: Optional[YNode], name: Optional[str], visited: set) -> Iterator[Violation]:
    if node is None or id(node) in visited:
        return
    visited.add(id(node))
    if node.kind == "scalar":
        if name and isinstance(node.value, str) and not is_expression(node.value):
            judgement = assess(name, node.value, deployed=True)
            if judgement is not None and judgement.verdict == "secret":
                yield Violation(node.span, f'"{name}" is set to {judgement.what} ({judgement.masked}) in the pipeline; '
                                           f'use <+secrets.getValue("…")> or a workspace secret instead',
                                fingerprint_key=name, secret=Secret(node.span, judgement.kind))
    elif node.kind == "seq":
        for item in node.items:
            yield from _walk(item, name, visited)
    else:
        if _is_secret_variable(node):
            return  # `{name, type: Secret, value: account.db_password}`: a reference
        for key, value in node.entries:
            key_name = key.value if isinstance(key.value, str) else None
            yield from _walk(value, _env_name(node, key_name), visited)


def _is_secret_variable(mapping: YNode) -> bool:
    kind = mapping.get("type")
    return kind is not None and isinstance(kind.value, str) and kind.value.lower() == "secret" \
        and mapping.get("value") is not None


def _env_name(mapping: YNode, key: Optional[str]) -> Optional[str]:
    """`{name: DB_PASSWORD, value: …}` items judge `value` under the name."""
    if key == "value":
        name = mapping.get("name")
        if name is not None and isinstance(name.value, str):
            return name.value
    return key
