"""`iacm-lint check` in-process (click's runner): files as arguments,
scans that find nothing, --statistics, --color, --max-size and the
top-level help."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gitrepo import isolate_git, make_repo, write
from iacm_lint.cli import main

BACKEND = ('terraform {\n  backend "s3" {\n    bucket = "b"\n    key    = "%s/terraform.tfstate"\n'
           '    region = "eu-west-1"\n  }\n}\n')
VERSIONS = 'terraform {\n  required_version = ">= 1.3"\n}\n'
PIPELINE = """\
pipeline:
  name: deploy
  identifier: deploy
  stages:
    - stage:
        name: provision
        identifier: provision
        type: IACM
        spec:
          workspace: dev
          execution:
            steps:
              - step:
                  type: Run
                  name: apply
                  identifier: apply
                  spec:
                    command: terraform apply -auto-approve
"""


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A git repository with two roots; envs/dev has its required_version in versions.tf."""
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CI"):
        monkeypatch.delenv(name, raising=False)
    return make_repo(tmp_path / "repo", {
        ".gitignore": ".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n",
        "envs/dev/main.tf": BACKEND % "dev",
        "envs/dev/versions.tf": VERSIONS,
        "envs/prod/main.tf": BACKEND % "prod",
        ".harness/deploy.yaml": PIPELINE,
    })


def check(*args: str, cwd: Path, env: dict | None = None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", *args], env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def gcc_lines(done) -> list[str]:
    return done.stdout.splitlines()


# ---- files as arguments -------------------------------------------------------------


def test_a_file_is_checked_in_its_module_and_only_its_findings_are_reported(repo):
    done = check("envs/dev/main.tf", "--engine", "terraform", "--format", "gcc", cwd=repo)
    # versions.tf beside it declares required_version: no IACM303 as a one-file module would have
    assert gcc_lines(done) == [
        'envs/dev/main.tf:2:3: error: backend "s3" has no state lock; set dynamodb_table [IACM110]',
        'envs/dev/main.tf:2:3: warning: backend "s3" does not encrypt state (encrypt defaults to false); '
        "set encrypt = true (or kms_key_id) [IACM112]",
    ]
    assert done.exit_code == 1
    text = check("envs/dev/main.tf", "--engine", "terraform", cwd=repo)
    assert text.stdout.splitlines()[-1] == "1 error, 1 warning, 0 notes in 1 file (engine: terraform, from --engine)"


def test_files_of_several_modules_in_one_call_with_their_real_root_names(repo):
    done = check("envs/dev/versions.tf", "envs/prod/main.tf", "--engine", "terraform", "--format", "json", cwd=repo)
    document = json.loads(done.stdout)
    assert [(f["rule"], f["path"]) for f in document["findings"]] == [
        ("IACM302", "envs/dev/versions.tf"), ("IACM303", "envs/prod/main.tf"), ("IACM110", "envs/prod/main.tf"),
        ("IACM112", "envs/prod/main.tf")]
    assert [root["path"] for root in document["roots"]] == ["envs/dev", "envs/prod"]
    # from a sub-directory, paths stay relative to the project (the repository here)
    inside = check("main.tf", "--engine", "terraform", "--format", "gcc", cwd=repo / "envs" / "prod")
    assert [line.split(":")[0] for line in gcc_lines(inside)] == ["envs/prod/main.tf"] * 3


def test_a_pipeline_file_as_argument(repo):
    done = check(".harness/deploy.yaml", "--format", "gcc", "--select", "IACM5", cwd=repo)
    assert gcc_lines(done) == [
        '.harness/deploy.yaml:18:30: error: Run step "apply" runs "terraform apply"; use '
        "IACMTerraformPlugin steps (spec.command: apply) instead of a script [IACM501]"]


def test_meta_findings_are_reported_only_in_the_named_files(repo):
    write(repo, {"envs/dev/main.tf": "# iacm-lint: ignore[IACM999] not a rule here\n" + BACKEND % "dev",
                 "envs/prod/main.tf": "# iacm-lint: ignore[IACM110] locked by the wrapper\n" + BACKEND % "prod"})
    dev = check("envs/dev/main.tf", "--format", "gcc", "--select", "IACM0,IACM110", cwd=repo)
    assert [line.rsplit(" ", 1)[-1] for line in gcc_lines(dev)] == ["[IACM001]", "[IACM110]"]
    prod = check("envs/prod/main.tf", "--format", "gcc", "--select", "IACM0,IACM110", cwd=repo)
    assert gcc_lines(prod) == []  # its suppression is used; dev's unused one is not in a named file


def test_the_nearest_config_marks_the_project(repo):
    write(repo, {"infra/.iacm-lint.yaml": "ignore: [IACM112]\n", "infra/envs/qa/main.tf": BACKEND % "qa"})
    done = check("infra/envs/qa/main.tf", "--engine", "terraform", "--format", "gcc", cwd=repo)
    # paths relative to the config's directory, as `iacm-lint check infra` names them; its ignore applies
    assert gcc_lines(done) == [
        "envs/qa/main.tf:1:1: note: root module envs/qa declares no required_version; add one such as "
        'required_version = "~> 1.5.0" so that every run uses a release Harness supports [IACM303]',
        'envs/qa/main.tf:2:3: error: backend "s3" has no state lock; set dynamodb_table [IACM110]']
    assert gcc_lines(done) == gcc_lines(check("infra", "--engine", "terraform", "--format", "gcc", cwd=repo))


def test_outside_git_a_file_is_checked_with_its_own_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path / "mod", {"main.tf": BACKEND % "x", "versions.tf": VERSIONS})
    done = check("mod/main.tf", "--engine", "terraform", "--format", "gcc", "--select", "IACM3,IACM110", cwd=tmp_path)
    assert gcc_lines(done) == ['main.tf:2:3: error: backend "s3" has no state lock; set dynamodb_table [IACM110]']


def test_the_result_cache_tells_the_named_files_apart(repo):
    first = check("envs/dev/main.tf", "--format", "gcc", "--select", "IACM110", cwd=repo)
    second = check("envs/prod/main.tf", "--format", "gcc", "--select", "IACM110", cwd=repo)
    again = check("envs/dev/main.tf", "--format", "gcc", "--select", "IACM110", cwd=repo)
    assert [line.split(":")[0] for line in gcc_lines(first)] == ["envs/dev/main.tf"]
    assert [line.split(":")[0] for line in gcc_lines(second)] == ["envs/prod/main.tf"]
    assert again.stdout == first.stdout


# ---- nothing to check ------------------------------------------------------------------


@pytest.mark.parametrize("fail_on", ["error", "never"])
def test_an_empty_scan_is_exit_2_with_a_message(tmp_path, monkeypatch, fail_on):
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path / "docs", {"README.md": "# nothing here\n", "values.yaml": "replicas: 2\n"})
    for target in ("docs", "docs/README.md"):
        done = check(target, "--fail-on", fail_on, cwd=tmp_path)
        assert done.exit_code == 2
        assert done.stderr == (f"iacm-lint: no Terraform, OpenTofu or pipeline files found under {target}; "
                               "nothing was checked\n")
        assert done.stdout == ""


def test_a_named_file_that_is_not_a_module_file_in_a_project_with_modules_is_not_empty(repo):
    """pre-commit with pass_filenames: true passes only what a commit touches."""
    write(repo, {"envs/dev/.terraform-version": "1.5.7\n"})
    for named in (".gitignore", "envs/dev/.terraform-version"):
        done = check(named, "--format", "gcc", cwd=repo)
        assert (done.exit_code, done.stdout, done.stderr) == (0, "", "")
    done = check(".gitignore", cwd=repo)
    assert done.stdout == "0 errors, 0 warnings, 0 notes in 0 files\n"


def test_a_scan_with_findings_but_no_module_is_not_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path, {"terraform.tfstate": '{"version": 4}\n'})  # a committed state file is a finding of its own
    done = check(".", "--format", "gcc", "--fail-on", "never", cwd=tmp_path)
    assert done.exit_code == 0 and "[IACM40" in done.stdout


# ---- --statistics, --color, --max-size ----------------------------------------------------


def test_statistics_counts_per_rule(repo):
    done = check(".", "--engine", "terraform", "--statistics", cwd=repo)
    assert done.stdout == ("IACM110  2  state-lock-missing\n"
                           "IACM112  2  state-encryption-disabled\n"
                           "IACM302  1  version-admits-bsl\n"
                           "IACM303  1  version-missing\n"
                           "IACM501  1  pipeline-script-step\n")
    assert done.exit_code == 1
    refused = check(".", "--statistics", "--format", "json", cwd=repo)
    assert refused.exit_code == 2 and "--statistics" in refused.stderr


COLORED = "\x1b[31m\x1b[1merror\x1b[0m"


@pytest.mark.parametrize("args, env, colored", [
    ((), {}, False),  # not a terminal
    (("--color", "always"), {}, True),
    (("--color", "always"), {"NO_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"CLICOLOR_FORCE": "1"}, True),
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    (("--no-color",), {"FORCE_COLOR": "1"}, False),
])
def test_color_choice(repo, args, env, colored):
    done = check("envs/prod/main.tf", "--select", "IACM110", *args, cwd=repo, env=env)
    assert (COLORED in done.stdout) is colored, done.stdout
    assert ("\x1b[" in done.stdout) is colored


def test_gcc_is_never_coloured_and_no_color_conflicts_with_always(repo):
    done = check("envs/prod/main.tf", "--select", "IACM110", "--format", "gcc", "--color", "always", cwd=repo)
    assert "\x1b" not in done.stdout and done.stdout.startswith("envs/prod/main.tf:2:3: error:")
    refused = check(".", "--no-color", "--color", "always", cwd=repo)
    assert refused.exit_code == 2 and "--no-color and --color always exclude each other" in refused.stderr


def test_max_size_caps_markdown_only(repo):
    done = check(".", "--engine", "terraform", "--format", "markdown", "--max-size", "600", cwd=repo)
    assert len(done.stdout) <= 600 and "more findings left out" in done.stdout.splitlines()[-1]
    refused = check(".", "--max-size", "600", cwd=repo)
    assert refused.exit_code == 2 and "applies to --format markdown only" in refused.stderr


# ---- help ------------------------------------------------------------------------------------


def test_top_level_help_gives_each_command_a_whole_summary():
    done = CliRunner().invoke(main, ["--help"], terminal_width=80)
    commands = done.stdout.split("Commands:\n", 1)[1]
    assert commands == ("  check    Check files or directories for what blocks onboarding.\n"
                        "  explain  Show the documentation of one rule.\n"
                        "  report   Write the migration readiness report.\n"
                        "  rules    List every rule: ID, name, level, summary.\n"
                        "  server   Run the language server for editors (LSP over stdio).\n"
                        "  survey   Survey the readiness of many repositories at once.\n")
