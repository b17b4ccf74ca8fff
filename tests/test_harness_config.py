"""Harness configuration as code (issue 13): the workspace/pipeline model in
lint/model/harness_config.py, which repository a workspace targets, pipelines in
heredocs with positions inside the .tf file, and the workspace engine signal."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from gitrepo import git, isolate_git, make_repo, write
from iacm_lint.engine import run
from iacm_lint.engine.context import Context
from iacm_lint.model.harness_config import (
    OTHER,
    THIS,
    UNKNOWN,
    normalise_repository_path,
    normalise_repository_url,
    target,
    workspaces,
)
from iacm_lint.model.syntax import TF
from iacm_lint.options import Options
from iacm_lint.parse.hcl import parse_hcl
from iacm_lint.parse.heredoc import heredoc_yaml, mask_interpolations

ROOT_TF = '''terraform {
  required_version = ">= 1.6.0"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
'''


def workspace(name: str, path: str, repository: str = '"platform-live"', engine: str = "opentofu",
              version: str = "1.8.8") -> str:
    return f'''
resource "harness_platform_workspace" "{name}" {{
  identifier          = "{name}"
  repository          = {repository}
  repository_path     = {path}
  provisioner_type    = "{engine}"
  provisioner_version = "{version}"
}}
'''


def findings(path: Path, select: str, **options) -> list[str]:
    result = run([str(path)], Options(select=(select,), **options))
    assert not result.internal_errors
    return [f"{f.span.path}:{f.span.line}:{f.span.col}: {f.rule_id} {f.message}" for f in result.findings]


# ---- repository values and paths ----------------------------------------------------


@pytest.mark.parametrize("value", [
    "https://github.com/acme/platform-live",
    "https://github.com/Acme/platform-live.git",
    "https://user@github.com/acme/platform-live/",
    "git@github.com:acme/platform-live.git",
    "ssh://git@github.com:22/acme/platform-live.git",
    "github.com/acme/platform-live",
])
def test_repository_urls_normalise_to_host_and_path(value):
    assert normalise_repository_url(value) == "github.com/acme/platform-live"


def test_bare_repository_names_stay_names():
    assert normalise_repository_url("Platform-Live.git") == "platform-live"


@pytest.mark.parametrize("value, expected", [
    ("infra/network", "infra/network"), ("./infra/network/", "infra/network"), ("/infra/network", "infra/network"),
    ("infra\\network", "infra/network"), ("", "."), ("/", "."), ("infra/../dns", "dns"),
])
def test_repository_paths_normalise(value, expected):
    assert normalise_repository_path(value) == expected


# ---- heredoc pipelines ----------------------------------------------------------------


PIPELINE_TF = '''resource "harness_platform_pipeline" "p" {
  identifier = "p"
  yaml       = <<-EOT
    pipeline:
      name: p
      identifier: ${var.id}
      stages:
        - stage:
            type: IACM
  EOT
}
'''


def _heredoc(text: str, path: str = "harness/pipelines.tf"):
    hcl_file = parse_hcl(text, path, TF)
    attribute = next(hcl_file.top("resource")).attr("yaml")
    return text.split("\n"), heredoc_yaml(path, attribute.expr)


def test_indented_heredoc_spans_point_into_the_tf_file():
    lines, parsed = _heredoc(PIPELINE_TF)
    assert parsed.error is None
    pipeline = parsed.root.get("pipeline")
    identifier = pipeline.get("identifier")
    assert identifier.value == "${var.id}"
    span = identifier.span
    assert (span.line, span.col, span.end_line, span.end_col) == (6, 19, 6, 28)
    assert lines[span.line - 1][span.col - 1:span.end_col - 1] == "${var.id}"
    key = pipeline.get("stages").items[0].key_node("stage")
    assert lines[key.span.line - 1][key.span.col - 1:key.span.end_col - 1] == "stage"


def test_plain_heredoc_has_no_column_offset():
    text = PIPELINE_TF.replace("<<-EOT", "<<EOT").replace("\n    ", "\n").replace("  EOT", "EOT")
    lines, parsed = _heredoc(text)
    span = parsed.root.get("pipeline").get("name").span
    assert (span.line, span.col) == (5, 9)
    assert lines[span.line - 1][span.col - 1:span.end_col - 1] == "p"


def test_heredoc_with_template_directives_is_not_read():
    text = PIPELINE_TF.replace("      name: p\n", "      %{ if var.named }name: p%{ endif }\n")
    _, parsed = _heredoc(text)
    assert parsed is None


def test_interpolation_that_breaks_yaml_is_masked_with_the_same_length():
    text = PIPELINE_TF.replace("${var.id}", '${var.prod ? "a: b" : "c"}')
    lines, parsed = _heredoc(text)
    assert parsed.error is None
    node = parsed.root.get("pipeline").get("identifier")
    assert node.value == "${" + "x" * len('var.prod ? "a: b" : "c"') + "}"
    assert lines[node.span.line - 1][node.span.col - 1:node.span.end_col - 1] == '${var.prod ? "a: b" : "c"}'


def test_mask_interpolations_keeps_escapes_and_lengths():
    text = 'a: ${x}\nb: $${y}\nc: ${f({k = "}"})}\n'
    masked = mask_interpolations(text)
    assert len(masked) == len(text)
    assert masked == 'a: ${x}\nb: $${y}\nc: ${' + 'x' * len('f({k = "}"})') + '}\n'


def test_heredoc_pipeline_findings_land_in_the_tf_file(tmp_path):
    write(tmp_path, {"main.tf": PIPELINE_TF.replace("type: IACM", "type: IACM\n            spec:\n"
                                                   "              workspace: \"\"")})
    assert findings(tmp_path, "IACM505") == [
        'main.tf:11:15: IACM505 IACM stage "?" has an empty spec.workspace; set it to the workspace identifier '
        'or <+input>']


def test_heredoc_pipeline_is_an_engine_signal(tmp_path):
    pipeline = PIPELINE_TF.replace("type: IACM", "type: IACM\n            spec:\n              execution:\n"
                                                 "                steps:\n                  - step:\n"
                                                 "                      type: IACMTerraformPlugin")
    write(tmp_path, {"harness/pipelines.tf": pipeline, "infra/network/main.tf": ROOT_TF})
    engines = run([str(tmp_path)], Options(select=("IACM000",))).properties["engines"]
    assert engines["infra/network"] == {"engine": "terraform", "reason": "pipeline harness/pipelines.tf"}


def test_a_secret_in_a_heredoc_pipeline_is_reported_once(tmp_path):
    token = "ghp_" + "R7mK2pQ9xW4vL8nT3yB6cF1hJ5dG0sA2eZ4u"
    text = PIPELINE_TF.replace("      stages:", f"      variables:\n        - name: registry_token\n"
                                              f"          type: String\n          value: {token}\n      stages:")
    write(tmp_path, {"main.tf": text})
    found = findings(tmp_path, "IACM2")
    assert [f.split(" ", 2)[:2] for f in found] == [["main.tf:10:18:", "IACM206"]]
    assert token not in found[0] and token[4:] not in found[0]


# ---- which repository a workspace targets ------------------------------------------------


def _targets(path: Path, scan: Optional[Path] = None) -> dict[str, tuple]:
    result = run([str(scan or path)], Options(select=("IACM602",)))
    return {w.identifier: (t.status, t.directory) for w in workspaces(result.repo)
            for t in [target(result.repo, w)]}


def test_sibling_workspaces_that_resolve_identify_this_repository(tmp_path):
    write(tmp_path, {"infra/network/main.tf": ROOT_TF,
                     "harness/workspaces.tf": workspace("network", '"infra/network"')
                     + workspace("dns", '"infra/dsn"')
                     + workspace("payments", '"terraform/prod"', '"https://github.com/acme/payments"')})
    assert _targets(tmp_path) == {"network": (THIS, "infra/network"), "dns": (THIS, "infra/dsn"),
                                  "payments": (UNKNOWN, None)}
    assert findings(tmp_path, "IACM602") == [
        'harness/workspaces.tf:13:3: IACM602 repository_path "infra/dsn" of workspace "dns" does not exist in this '
        'repository; point it at the folder of a root module']


def test_a_single_unresolved_workspace_is_not_judged(tmp_path):
    write(tmp_path, {"infra/network/main.tf": ROOT_TF,
                     "harness/workspaces.tf": workspace("dns", '"infra/dns"')})
    assert _targets(tmp_path) == {"dns": (UNKNOWN, None)}
    assert findings(tmp_path, "IACM602") == []


def test_a_config_folder_mirroring_the_target_layout_is_no_evidence(tmp_path):
    # envs/dev and envs/prod are Harness config roots that manage workspaces of
    # another repository with the same layout: their paths prove nothing here.
    write(tmp_path, {"envs/dev/workspaces.tf": workspace("dev", '"envs/dev"'),
                     "envs/prod/workspaces.tf": workspace("prod", '"envs/prod"') + workspace("qa", '"envs/qa"')})
    assert findings(tmp_path, "IACM602") == []


@pytest.fixture
def git_env(monkeypatch, tmp_path):
    isolate_git(monkeypatch, tmp_path / "home")


@pytest.mark.parametrize("repository", ['"https://github.com/Acme/platform-live.git"', '"platform-live"',
                                        '"ssh://git@github.com/acme/platform-live"'])
def test_a_matching_git_remote_identifies_this_repository(git_env, tmp_path, repository):
    repo = make_repo(tmp_path / "checkout", {
        "infra/network/main.tf": ROOT_TF,
        "harness/workspaces.tf": workspace("dns", '"infra/dns"', repository)})
    git(repo, "remote", "add", "origin", "git@github.com:acme/platform-live.git")
    assert _targets(repo) == {"dns": (THIS, "infra/dns")}
    assert findings(repo, "IACM602") == [
        'harness/workspaces.tf:5:3: IACM602 repository_path "infra/dns" of workspace "dns" does not exist in this '
        'repository; point it at the folder of a root module']


def test_another_remote_means_another_repository(git_env, tmp_path):
    repo = make_repo(tmp_path / "checkout", {
        "infra/network/main.tf": ROOT_TF,
        "harness/workspaces.tf": workspace("network", '"infra/network"', '"https://github.com/acme/other"')
        + workspace("dns", '"infra/dns"', '"https://github.com/acme/other"')})
    git(repo, "remote", "add", "origin", "https://github.com/acme/platform-live")
    assert _targets(repo) == {"network": (OTHER, None), "dns": (OTHER, None)}
    assert findings(repo, "IACM602") == []


@pytest.mark.parametrize("url", ["/srv/git/platform-live", "../upstream", "file:///srv/git/upstream.git"])
def test_a_remote_that_is_a_local_path_is_no_evidence(git_env, tmp_path, url):
    # a clone of a clone (CI checkouts, mirrors on disk): the remote names no hosted repository
    repo = make_repo(tmp_path / "checkout", {
        "infra/network/main.tf": ROOT_TF,
        "harness/workspaces.tf": workspace("network", '"infra/network"', '"acme/platform-live"')
        + workspace("dns", '"infra/dns"', '"acme/platform-live"')})
    git(repo, "remote", "add", "origin", url)
    assert _targets(repo) == {"network": (THIS, "infra/network"), "dns": (THIS, "infra/dns")}


def test_without_remotes_the_work_tree_name_identifies_this_repository(git_env, tmp_path):
    repo = make_repo(tmp_path / "platform-live", {
        "infra/network/main.tf": ROOT_TF,
        "harness/workspaces.tf": workspace("network", '"infra/netwrok"')})
    assert _targets(repo) == {"network": (THIS, "infra/netwrok")}
    assert findings(repo, "IACM602") == [
        'harness/workspaces.tf:5:3: IACM602 repository_path "infra/netwrok" of workspace "network" does not exist '
        'in this repository; did you mean "infra/network"?']


def test_paths_are_read_from_the_work_tree_when_a_subdirectory_is_scanned(git_env, tmp_path):
    repo = make_repo(tmp_path / "checkout", {
        "platform/infra/network/main.tf": ROOT_TF,
        "platform/harness/workspaces.tf": workspace("network", '"platform/infra/network"')
        + workspace("dns", '"platform/infra/dsn"') + workspace("edge", '"edge/cdn"')
        + workspace("cdn", '"platform/infra/netwrk"'),
        "edge/cdn/main.tf": ROOT_TF})
    git(repo, "remote", "add", "origin", "git@github.com:acme/platform-live.git")
    scan = repo / "platform"
    assert _targets(repo, scan) == {"network": (THIS, "infra/network"), "dns": (THIS, "infra/dsn"),
                                    "edge": (THIS, None),  # outside the scanned tree: not judged
                                    "cdn": (THIS, "infra/netwrk")}
    assert findings(scan, "IACM602") == [
        'harness/workspaces.tf:13:3: IACM602 repository_path "platform/infra/dsn" of workspace "dns" does not '
        'exist in this repository; point it at the folder of a root module',
        'harness/workspaces.tf:29:3: IACM602 repository_path "platform/infra/netwrk" of workspace "cdn" does not '
        'exist in this repository; did you mean "platform/infra/network"?']


# ---- engine signal ----------------------------------------------------------------------


def _engine(path: Path, root: str):
    result = run([str(path)], Options(select=("IACM000",)))
    return result.properties["engines"][root]


def test_the_workspace_is_the_strongest_engine_signal(tmp_path):
    write(tmp_path, {
        "infra/network/main.tf": ROOT_TF,
        "infra/network/.opentofu-version": "1.8.8\n",
        ".harness/deploy.yaml": "pipeline:\n  name: d\n  identifier: d\n  stages:\n    - stage:\n"
                                "        type: IACM\n        spec:\n          execution:\n            steps:\n"
                                "              - step:\n                  type: IACMOpenTofuPlugin\n",
        "harness/workspaces.tf": workspace("network", '"infra/network"', engine="terraform", version="1.5.7")
        + workspace("dns", '"infra/dns"')})
    assert _engine(tmp_path, "infra/network") == {
        "engine": "terraform", "reason": "workspace harness_platform_workspace.network in harness/workspaces.tf"}


def test_workspaces_that_disagree_give_no_signal(tmp_path):
    write(tmp_path, {
        "infra/network/main.tf": ROOT_TF,
        "harness/workspaces.tf": workspace("network_tf", '"infra/network"', engine="terraform", version="1.5.7")
        + workspace("network_tofu", '"infra/network"')})
    assert _engine(tmp_path, "infra/network")["reason"].startswith("default")


def test_workspaces_for_root_and_context_agree(tmp_path):
    write(tmp_path, {"infra/network/main.tf": ROOT_TF,
                     "harness/workspaces.tf": workspace("network", '"./infra/network/"')})
    result = run([str(tmp_path)], Options(select=("IACM000",)))
    from iacm_lint.model.harness_config import workspaces_for_root

    root = Context(result.repo, Options()).root_for_directory("infra/network")
    assert [w.identifier for w in workspaces_for_root(result.repo, root)] == ["network"]


# ---- IACM603 never shows the value ------------------------------------------------------


def test_iacm603_message_never_echoes_the_value(tmp_path):
    secret = "Qh7~vR2pX9.kLm4TzW8yNc3Bf6Gd1Js5"
    write(tmp_path, {"workspaces.tf": f'''
resource "harness_platform_workspace" "network" {{
  identifier = "network"

  environment_variable {{
    key        = "ARM_CLIENT_SECRET"
    value      = "{secret}"
    value_type = "string"
  }}

  environment_variable {{
    key        = "ARM_CLIENT_SECRET_2"
    value      = "{secret}"
    value_type = "secret"
  }}
}}
'''})
    found = findings(tmp_path, "IACM603")
    assert found == ['workspaces.tf:7:5: IACM603 environment_variable "ARM_CLIENT_SECRET" of workspace "network" '
                     'holds a literal credential with value_type "string"; store it as a Harness secret and set '
                     'value_type = "secret" with the secret\'s reference as value']
    assert secret[:4] not in found[0]
