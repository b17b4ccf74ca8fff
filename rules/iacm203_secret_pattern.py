"""IACM203 secret-pattern."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Optional

from ..findings import Secret
from ..knowledge.secrets import PatternMatch, assess, find_aws_secret_keys, find_credentials, mask, may_hold_credential
from ..memo import per_file
from ..model.harness_config import heredoc_pipelines  # harness_platform_pipeline heredocs, read as YAML (issue 13)
from ..model.syntax import TERRAGRUNT_KINDS, Comment, HclFile, Repo, Span, YamlFile, YNode
from ..registry import Context, Violation, rule
from ._secret_scan import name_rule_value_spans

# An AWS secret access key counts when an access key id is this close.
_AWS_PAIR_LINES = 5

# The rules whose literals IACM203 leaves to them (each reports a secret
# under its argument or key name); tests/test_registry.py checks that every
# other rule that reports secrets is here.
DEFERS_TO = ("IACM201", "IACM202", "IACM204", "IACM205", "IACM206", "IACM207", "IACM603")


@rule("IACM203", "secret-pattern", level="error", scope="repo", checklist="credentials", tags=("security", "secrets"),
      defers_to=DEFERS_TO, security_severity="9.0", short="A string has the format of a live credential")
def secret_pattern(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports any string literal in `.tf`, `.tofu`, `.tf.json`, `.tfvars`,
    `.tfbackend` or pipeline YAML files that has a known credential format:
    AWS access key ids (`AKIA`/`ASIA`), an AWS secret key next to one,
    GitHub (`ghp_`, `gho_`, `ghs_`, `ghu_`, `github_pat_`), GitLab
    (`glpat-`) and Slack (`xox?-`) tokens, PEM private keys, Google API keys
    (`AIza`), Azure storage `AccountKey=`, URLs and connection strings with
    an inline password, Harness PAT/SAT tokens, Stripe `sk_live_` keys and
    JWTs, also in the raw text of a part of a file that could not be
    parsed. A credential inside a comment is a warning. Documentation example
    values and placeholders are ignored. Literals that IACM201, IACM202,
    IACM204, IACM205, IACM206 or IACM207 already report under their argument
    name are left to those rules.

    ## Why is this bad?
    These formats are what attackers scan public repositories for; a key
    that reaches git history must be rotated even after the line is deleted.

    ## Example
    ```hcl
    # locals.tf
    locals {
      registry_url = "https://ci-bot:Zx8Cv7Bn6Mm5@registry.acme.io/v2"
    }
    ```

    ## Use instead
    ```hcl
    # locals.tf
    locals {
      registry_url = "https://registry.acme.io/v2"
    }
    ```
    with the registry credentials taken from a Harness secret.
    """
    ignored = repo.ignored_paths
    for hcl_file in repo.hcl_files:
        if hcl_file.path not in ignored:
            yield from _hcl_findings(hcl_file, repo)
    for yaml_file in repo.yaml_files:
        if yaml_file.path not in ignored:
            yield from _yaml_findings(yaml_file)
    for yaml_file in heredoc_pipelines(repo):
        if yaml_file.error is None and yaml_file.path not in ignored:
            yield from _yaml_findings(yaml_file)


# ---- positions inside string fragments --------------------------------------------


def _position(span: Span, text: str, offset: int) -> tuple[int, int]:
    """Line and column of `text[offset]` in a fragment that starts at `span`.
    Exact for single-line fragments without escapes (quoted or not), for
    comments and for heredoc bodies (given as raw source lines); otherwise
    the fragment start."""
    newlines = text.count("\n", 0, offset)
    if newlines:
        return span.line + newlines, offset - text.rfind("\n", 0, offset)
    if "\n" in text or span.line != span.end_line:
        return span.line, span.col + offset
    width = span.end_col - span.col
    if width == len(text):
        return span.line, span.col + offset
    if width == len(text) + 2:
        return span.line, span.col + 1 + offset
    return span.line, span.col


def _match_span(span: Span, text: str, match: PatternMatch) -> Span:
    line, col = _position(span, text, match.start)
    end_line, end_col = _position(span, text, match.end)
    if (end_line, end_col) <= (line, col):
        end_line, end_col = span.end_line, span.end_col
    return Span(span.path, line, col, end_line, end_col)


def _secret(span: Span, text: str, match: PatternMatch, raw: bool = False) -> Secret:
    """What fingerprints hide: the match where its columns are exact (a
    one-line fragment as written, or `raw` source text from a line start),
    else the whole fragment (escapes, block scalars, heredocs, and a PEM key,
    whose body follows the matched header)."""
    one_line = span.line == span.end_line and span.end_col - span.col in (len(text), len(text) + 2)
    exact = raw or ("\n" not in text and one_line)
    if exact and match.kind != "private-key":
        return Secret(_match_span(span, text, match), match.kind)
    return Secret(span, match.kind)


_WHERE = {"string": "string", "comment": "comment", "unread": "text that could not be parsed"}


def _message(match: PatternMatch, where: str) -> str:
    return (f"{_WHERE[where]} holds {match.label} ({mask(match.value)}); remove it, rotate the credential and "
            f"reference a Harness secret instead")


# ---- HCL ----------------------------------------------------------------------------


def _fragments(hcl_file: HclFile) -> Iterator[tuple[Span, str]]:
    attributes = list(hcl_file.attributes)
    for block in hcl_file.walk():
        attributes.extend(block.attributes)
    for attribute in attributes:
        expr = attribute.expr
        if expr.kind == "heredoc" and len(expr.strings) == 1:
            # the raw body lines, so that columns survive `<<-` indentation trimming
            lines = expr.text.split("\n")[1:-1]
            yield expr.strings[0].span, "\n".join(line.rstrip("\r") for line in lines) + "\n"
            continue
        for part in expr.strings:
            yield part.span, part.text


def _contained(span: Span, outer: Iterable[Span]) -> bool:
    start, end = (span.line, span.col), (span.end_line, span.end_col)
    return any((o.line, o.col) <= start and end <= (o.end_line, o.end_col) for o in outer)


def _hcl_findings(hcl_file: HclFile, repo: Repo) -> Iterator[Violation]:
    # most files: skip working out which literals the name rules report (asked once per file model:
    # the language server's checks after an edit ask it of the edited file alone)
    if not per_file(hcl_file, "IACM203 may hold a credential", _file_may_hold_credential):
        return
    fragments = list(_fragments(hcl_file))
    unread = [(part.span, part.text) for part in hcl_file.unread]  # raw text of what did not parse
    reported = name_rule_value_spans(hcl_file, repo, DEFERS_TO)
    fragments = [(span, text) for span, text in fragments if not _contained(span, reported)]
    if hcl_file.kind in TERRAGRUNT_KINDS:  # generate contents: a name rule may report one line of a heredoc
        yield from (v for v in _scan(fragments, hcl_file.comments, unread) if not _contained(v.span, reported))
        return
    yield from _scan(fragments, hcl_file.comments, unread)


def _file_may_hold_credential(hcl_file: HclFile) -> bool:
    unread = [(part.span, part.text) for part in hcl_file.unread]
    return _may_hold_credential([*_fragments(hcl_file), *unread], hcl_file.comments)


def _may_hold_credential(fragments: list[tuple[Span, str]], comments: Iterable[Comment]) -> bool:
    """False when `_scan` would find nothing: every finding starts with a
    `find_credentials` match (an AWS secret key only counts next to an access
    key id), and one search over all the texts joined is as good as one per text."""
    texts = [text for _, text in fragments] + [comment.text for comment in comments]
    return may_hold_credential("\n".join(texts))


def _scan(fragments: list[tuple[Span, str]], comments: Iterable[Comment],
          unread: Sequence[tuple[Span, str]] = ()) -> Iterator[Violation]:
    """Findings in string `fragments`, `comments` and `unread` source text."""
    texts = [(span, text, "string") for span, text in fragments] + [(span, text, "unread") for span, text in unread]
    key_id_lines: list[int] = []
    found: list[tuple[Span, PatternMatch, str, Secret]] = []
    for span, text, where in texts:
        for match in find_credentials(text):
            match_span = _match_span(span, text, match)
            if match.kind == "aws-access-key-id":
                key_id_lines.append(match_span.line)
            found.append((match_span, match, where, _secret(span, text, match, raw=where == "unread")))
    for comment in comments:
        for match in find_credentials(comment.text):
            found.append((_match_span(comment.span, comment.text, match), match, "comment",
                          _secret(comment.span, comment.text, match)))
    if key_id_lines:  # secret keys in other strings next to an access key id
        seen = {f[0] for f in found}
        for span, text, where in texts:
            for match in find_aws_secret_keys(text):
                match_span = _match_span(span, text, match)
                if match_span not in seen and any(abs(match_span.line - key_line) <= _AWS_PAIR_LINES
                                                  for key_line in key_id_lines):
                    found.append((match_span, match, where, _secret(span, text, match, raw=where == "unread")))
    for span, match, where, secret in sorted(found, key=lambda f: (f[0], f[1].start)):
        yield Violation(span, _message(match, where), level="warning" if where == "comment" else None,
                        fingerprint_key=match.kind, secret=secret)


# ---- YAML ---------------------------------------------------------------------------


def _yaml_scalars(node: Optional[YNode], key: Optional[str]) -> Iterator[tuple[Span, str]]:
    if node is None:
        return
    if node.kind == "scalar":
        # a secret-named key with a literal secret is IACM206's finding
        if isinstance(node.value, str) and not (key and assess(key, node.value, deployed=True)):
            yield node.span, node.value
    elif node.kind == "seq":
        for item in node.items:
            yield from _yaml_scalars(item, key)
    else:
        for k, v in node.entries:
            name = k.value if isinstance(k.value, str) else None
            yield from _yaml_scalars(v, _env_name(node, name))


def _env_name(mapping: YNode, key: Optional[str]) -> Optional[str]:
    """`{name: DB_PASSWORD, value: …}` items judge `value` under the name."""
    if key == "value":
        name = mapping.get("name")
        if name is not None and isinstance(name.value, str):
            return name.value
    return key


def _yaml_findings(yaml_file: YamlFile) -> Iterator[Violation]:
    yield from _scan(list(_yaml_scalars(yaml_file.root, None)), yaml_file.comments)
