"""Scan state lives in the scan (issue 26): one process runs scan after scan
— a language server will — and each gives what a fresh process gives,
and nothing of a finished scan stays reachable from a module global."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

from click.testing import CliRunner

from iacm_lint import cli as cli_module
from iacm_lint.engine import run
from iacm_lint.model.syntax import HclFile, YamlFile
from iacm_lint.options import Options
from iacm_lint.report.readiness import model as readiness

PIPELINE_RESOURCE = '''resource "harness_platform_pipeline" "deploy" {{
  identifier = "deploy"
  yaml = <<-EOT
    pipeline:
      name: deploy
      identifier: deploy
      stages:
        - stage:
            name: provision
            identifier: provision
            type: IACM
            spec:
              workspace: {workspace}
              execution:
                steps:
                  - step: {{type: {plugin}, name: init, identifier: init, spec: {{command: init}}}}
                  - step: {{type: {plugin}, name: apply, identifier: apply, spec: {{command: apply}}}}
  EOT
}}

resource "harness_platform_workspace" "{workspace}" {{
  identifier        = "{workspace}"
  provisioner_type  = "{engine}"
  provisioner_version = "{version}"
  repository      = "infra"
  repository_path = "envs/prod"
}}
'''


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _repository(root: Path, *, engine: str, version: str, required: str, lock: str, plugin: str) -> None:
    """A repository that exercises every per-scan memo: version constraints
    and features per root (compat, features), pin files, backends, Harness
    workspaces and a pipeline heredoc (harness_config, pipeline), and the
    disk facts of the hygiene rules."""
    _write(root, {
        "envs/prod/main.tf": (f'terraform {{\n  required_version = "{required}"\n'
                              f'  backend "s3" {{\n    bucket = "acme"\n    key = "prod.tfstate"\n'
                              f'    region = "eu-west-1"\n'
                              f'{lock}  }}\n}}\n\nmodule "net" {{\n  source = "../../modules/net"\n}}\n'),
        "envs/dev/main.tf": (f'terraform {{\n  required_version = "{required}"\n}}\n\n'
                             'resource "null_resource" "a" {}\n'),
        "modules/net/main.tf": ('variable "cidr" {\n  type = string\n}\n\n'
                                'output "id" {\n  value = terraform_data.x.id\n}\n'),
        "harness/main.tf": PIPELINE_RESOURCE.format(workspace="prod_" + engine, engine=engine, version=version,
                                                    plugin=plugin),
        "envs/prod/.opentofu-version" if engine == "opentofu" else "envs/prod/.terraform-version": version + "\n",
        "envs/dev/.terraform/terraform.tfstate": "{}\n",
        "envs/dev/plan.out": b"PK\x03\x04 not a zip archive",
    })


def _first(root: Path) -> None:
    _repository(root, engine="opentofu", version="1.8.0", required=">= 1.6.0", lock="",
                plugin="IACMOpenTofuPlugin")


def _second(root: Path) -> None:
    """The same paths with other content: other engine, versions, lock, pin file."""
    (root / "envs/prod/.opentofu-version").unlink(missing_ok=True)
    _repository(root, engine="terraform", version="1.5.7", required="~> 1.5.0",
                lock='    dynamodb_table = "locks"\n', plugin="IACMTerraformPlugin")


def _other(root: Path) -> None:
    _write(root, {
        "main.tf": 'terraform {\n  required_version = ">= 1.12.0"\n  backend "consul" {\n    lock = false\n  }\n}\n',
        ".tool-versions": "terraform 1.3.0\n",
        ".gitignore": ".terraform/\n",
    })


COMMANDS = (["check", ".", "--no-cache", "--format", "json", "--fail-on", "never"],
            ["check", ".", "--no-cache", "--format", "sarif", "--fail-on", "never"],
            ["report", "."])


def _in_this_process(root: Path, monkeypatch) -> list[str]:
    monkeypatch.chdir(root)
    outputs = []
    for command in COMMANDS:
        outcome = CliRunner().invoke(cli_module.main, command)
        assert outcome.exit_code == 0, outcome.output
        outputs.append(outcome.output)
    return outputs


def _in_a_fresh_process(root: Path) -> list[str]:
    return [subprocess.run([sys.executable, "-m", "iacm_lint", *command], cwd=root, capture_output=True, text=True,
                           check=True).stdout for command in COMMANDS]


def test_scan_after_scan_in_one_process_gives_what_a_fresh_process_gives(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the report's header names the scan time
    first, other = tmp_path / "infra", tmp_path / "other"
    _first(first)
    _other(other)
    before = _in_this_process(first, monkeypatch)
    assert before == _in_a_fresh_process(first)
    _second(first)  # the same path, other content
    changed = _in_this_process(first, monkeypatch)
    assert changed != before
    assert changed == _in_a_fresh_process(first)
    expected_other = _in_a_fresh_process(other)
    for _ in range(2):  # two repositories, alternating
        assert _in_this_process(other, monkeypatch) == expected_other
        assert _in_this_process(first, monkeypatch) == changed


def test_nothing_of_a_scan_outlives_its_result(tmp_path):
    """Once its Result (and the report built from it) is dropped, the scan's
    model is garbage: no module-level cache holds a Repo, a root or a file."""
    marker = "leak-probe-7f3a"
    _first(tmp_path / marker)
    result = run([str(tmp_path)], Options(cache=False))
    readiness.build(result)
    assert len(result.repo.roots) == 3 and result.findings
    watched = [weakref.ref(result.repo), *(weakref.ref(root) for root in result.repo.roots)]
    del result
    gc.collect()
    assert [ref() for ref in watched] == [None] * len(watched)
    # files and modules are slotted (no weak references): look for any that is still alive
    alive = [o for o in gc.get_objects() if isinstance(o, (HclFile, YamlFile)) and marker in o.path]
    assert alive == []
