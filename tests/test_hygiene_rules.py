"""IACM401–IACM405 on real temporary git repositories (tracked, untracked
and ignored files) and on plain directories outside git, with exact
findings. These cases cannot live under testdata/rules: files there are
tracked by this project's own repository."""

from __future__ import annotations

import pytest

from gitrepo import count_subprocesses, git_command, isolate_git, make_repo, write, zip_bytes
from iacm_lint.engine import run
from iacm_lint.options import Options

PROVIDERS_TF = '''terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}
'''
FULL_GITIGNORE = ".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n"
ON_DISK = "not a git repository, so files on disk were judged"
PLAN = zip_bytes({"tfplan": b"\x00plan", "tfstate": b"{}", "tfconfig/m-/main.tf": b""})


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    isolate_git(monkeypatch, tmp_path / "home")


def findings(path, rule_id, **options):
    result = run([str(path)], Options(select=(rule_id,), **options))
    assert not result.internal_errors
    return [f"{f.span.path}:{f.span.line}:{f.span.col}: {f.level} {f.rule_id} {f.message}"
            for f in result.findings if f.rule_id == rule_id]


# ---- IACM401 state-file-committed ------------------------------------------


def test_ignored_state_file_yields_nothing(tmp_path):
    root = make_repo(tmp_path / "r", tracked={".gitignore": "*.tfstate\n", "main.tf": ""},
                     untracked={"terraform.tfstate": "{}"})
    assert findings(root, "IACM401") == []


def test_untracked_state_file_yields_nothing(tmp_path):
    root = make_repo(tmp_path / "r", tracked={"main.tf": ""}, untracked={"terraform.tfstate": "{}"})
    assert findings(root, "IACM401") == []


def test_tracked_state_files_are_reported_at_1_1(tmp_path):
    root = make_repo(tmp_path / "r", tracked={
        "main.tf": "",
        "terraform.tfstate": "{}",
        "envs/prod/terraform.tfstate.backup": "{}",
        "envs/prod/terraform.tfstate.1700000000.backup": "{}",
        "terraform.tfstate.d/dev/terraform.tfstate": "{}",
        "terraform.tfstate.d/dev/notes.txt": "",
        "docs/tfstate.md": "",
        "envs/prod/.terraform/terraform.tfstate": "{}",  # IACM402's
    })
    assert findings(root, "IACM401") == [
        'envs/prod/terraform.tfstate.1700000000.backup:1:1: error IACM401 state file '
        '"terraform.tfstate.1700000000.backup" is committed and holds secrets in plain text; remove it with '
        '"git rm --cached envs/prod/terraform.tfstate.1700000000.backup", add "*.tfstate" and "*.tfstate.*" to '
        '.gitignore and keep state in the remote backend',
        'envs/prod/terraform.tfstate.backup:1:1: error IACM401 state file "terraform.tfstate.backup" is committed '
        'and holds secrets in plain text; remove it with "git rm --cached envs/prod/terraform.tfstate.backup", '
        'add "*.tfstate" and "*.tfstate.*" to .gitignore and keep state in the remote backend',
        'terraform.tfstate:1:1: error IACM401 state file "terraform.tfstate" is committed and holds secrets in plain '
        'text; remove it with "git rm --cached terraform.tfstate", add "*.tfstate" and "*.tfstate.*" to .gitignore '
        'and keep state in the remote backend',
        'terraform.tfstate.d/dev/notes.txt:1:1: error IACM401 state file "notes.txt" is committed and holds secrets '
        'in plain text; remove it with "git rm --cached terraform.tfstate.d/dev/notes.txt", add "*.tfstate" and '
        '"*.tfstate.*" to .gitignore and keep state in the remote backend',
        'terraform.tfstate.d/dev/terraform.tfstate:1:1: error IACM401 state file "terraform.tfstate" is committed '
        'and holds secrets in plain text; remove it with "git rm --cached terraform.tfstate.d/dev/terraform.tfstate",'
        ' add "*.tfstate" and "*.tfstate.*" to .gitignore and keep state in the remote backend',
    ]


def test_state_file_committed_then_ignored_is_still_reported(tmp_path):
    root = make_repo(tmp_path / "r", tracked={"main.tf": "", "terraform.tfstate": "{}"})
    write(root, {".gitignore": "*.tfstate\n"})  # ignoring does not untrack it
    assert [line.split(" IACM401 ")[0] for line in findings(root, "IACM401")] == ["terraform.tfstate:1:1: error"]


def test_state_file_outside_git_is_judged_on_disk(tmp_path):
    write(tmp_path / "plain", {"main.tf": "", "prod.tfstate": "{}"})
    assert findings(tmp_path / "plain", "IACM401") == [
        f'prod.tfstate:1:1: error IACM401 state file "prod.tfstate" holds secrets in plain text ({ON_DISK}); keep it '
        'out of the repository with "*.tfstate" and "*.tfstate.*" in .gitignore and keep state in the remote backend']


def test_scan_of_a_subdirectory_reports_paths_relative_to_it(tmp_path):
    root = make_repo(tmp_path / "r", tracked={"envs/prod/main.tf": "", "envs/prod/terraform.tfstate": "{}",
                                              "other/terraform.tfstate": "{}"})
    assert [line.split(" IACM401 ")[0] for line in findings(root / "envs" / "prod", "IACM401")] == [
        "terraform.tfstate:1:1: error"]


# ---- IACM402 terraform-dir-committed ---------------------------------------


def test_tracked_terraform_dirs_are_reported_once_each_at_their_first_file(tmp_path):
    root = make_repo(tmp_path / "r", tracked={
        ".gitignore": ".terraform/\n",
        "main.tf": "",
        ".terraform/terraform.tfstate": "{}",
        ".terraform/modules/modules.json": "{}",
        "envs/prod/main.tf": "",
        "envs/prod/.terraform/providers/registry.opentofu.org/hashicorp/aws/5.0.0/linux_amd64/p": "bin",
    }, force=[".terraform/terraform.tfstate", ".terraform/modules/modules.json",
              "envs/prod/.terraform/providers/registry.opentofu.org/hashicorp/aws/5.0.0/linux_amd64/p"])
    write(root, {"envs/dev/main.tf": "", "envs/dev/.terraform/terraform.tfstate": "{}"})  # ignored, on disk
    assert findings(root, "IACM402") == [
        '.terraform/modules/modules.json:1:1: error IACM402 directory ".terraform/" is committed (2 tracked files) '
        'although init recreates it with provider binaries, modules and backend settings; remove it with '
        '"git rm -r --cached .terraform" and add ".terraform/" to .gitignore',
        'envs/prod/.terraform/providers/registry.opentofu.org/hashicorp/aws/5.0.0/linux_amd64/p:1:1: error IACM402 '
        'directory "envs/prod/.terraform/" is committed (1 tracked file) although init recreates it with provider '
        'binaries, modules and backend settings; remove it with "git rm -r --cached envs/prod/.terraform" and add '
        '".terraform/" to .gitignore',
    ]


def test_ignored_terraform_dir_yields_nothing(tmp_path):
    root = make_repo(tmp_path / "r", tracked={".gitignore": ".terraform/\n", "main.tf": ""},
                     untracked={".terraform/terraform.tfstate": "{}"})
    assert findings(root, "IACM402") == []


def test_terraform_dir_outside_git_is_judged_on_disk(tmp_path):
    write(tmp_path / "plain", {"envs/prod/main.tf": "", "envs/prod/.terraform/terraform.tfstate": "{}",
                               "envs/prod/.terraform/modules/modules.json": "{}"})
    assert findings(tmp_path / "plain", "IACM402") == [
        f'envs/prod/.terraform/modules/modules.json:1:1: error IACM402 directory "envs/prod/.terraform/" holds files '
        f'that init recreates ({ON_DISK}); keep it out of the repository with ".terraform/" in .gitignore']


# ---- IACM403 lockfile-missing ----------------------------------------------


def test_committed_lock_file_yields_nothing(tmp_path):
    root = make_repo(tmp_path / "r", tracked={"main.tf": PROVIDERS_TF, ".terraform.lock.hcl": "# lock\n"})
    assert findings(root, "IACM403") == []


def test_missing_untracked_and_ignored_lock_files(tmp_path):
    root = make_repo(
        tmp_path / "r",
        tracked={".gitignore": "envs/c/.terraform.lock.hcl\n", "envs/a/main.tf": PROVIDERS_TF,
                 "envs/b/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
                 "envs/c/main.tf": 'module "m" {\n  source = "../../modules/m"\n}\n',
                 "modules/m/main.tf": 'resource "null_resource" "x" {}\n',
                 "envs/d/main.tf": 'output "x" {\n  value = 1\n}\n'},
        untracked={"envs/b/.terraform.lock.hcl": "# lock\n", "envs/c/.terraform.lock.hcl": "# lock\n"})
    assert findings(root, "IACM403", engine="terraform") == [
        'envs/a/main.tf:2:3: note IACM403 root module "envs/a" has no committed .terraform.lock.hcl, so provider '
        'versions can differ between plan and apply; run "terraform init" and commit envs/a/.terraform.lock.hcl',
        'envs/b/main.tf:1:1: note IACM403 root module "envs/b" has a .terraform.lock.hcl that is not committed, so '
        'provider versions can differ between plan and apply; commit envs/b/.terraform.lock.hcl',
        'envs/c/main.tf:1:1: note IACM403 root module "envs/c" has a .terraform.lock.hcl that is git-ignored, so '
        'provider versions can differ between plan and apply; remove the ignore pattern and commit '
        'envs/c/.terraform.lock.hcl',
    ]


def test_lock_file_outside_git_is_judged_on_disk(tmp_path):
    write(tmp_path / "plain", {"a/main.tf": PROVIDERS_TF, "b/main.tf": PROVIDERS_TF, "b/.terraform.lock.hcl": ""})
    assert findings(tmp_path / "plain", "IACM403", engine="opentofu") == [
        f'a/main.tf:2:3: note IACM403 root module "a" has no .terraform.lock.hcl ({ON_DISK}), so provider versions '
        'can differ between plan and apply; run "tofu init" and commit a/.terraform.lock.hcl']


# ---- IACM404 gitignore-incomplete ------------------------------------------


def test_complete_gitignore_yields_nothing(tmp_path):
    root = make_repo(tmp_path / "r", tracked={".gitignore": FULL_GITIGNORE, "envs/prod/main.tf": PROVIDERS_TF})
    assert findings(root, "IACM404") == []


def test_equivalent_patterns_and_nested_gitignore_files_count(tmp_path):
    root = make_repo(tmp_path / "r", tracked={
        ".gitignore": "**/.terraform/*\n*.tfstate*\n",
        "envs/prod/.gitignore": "crash.log\n",
        "envs/prod/main.tf": PROVIDERS_TF,
    })
    assert findings(root, "IACM404") == []


def test_missing_patterns_are_listed_at_the_top_level_gitignore(tmp_path):
    root = make_repo(tmp_path / "r", tracked={
        ".gitignore": ".terraform\n*.tfstate\n!prod.tfstate\n*.tfstate.backup\n",
        "envs/prod/main.tf": PROVIDERS_TF,
        "envs/dev/main.tf": PROVIDERS_TF,
        "envs/dev/.gitignore": "*.tfstate.*\ncrash.log\n",
    })
    (root / ".git" / "info" / "exclude").write_text("crash.log\n")  # machine-local: does not count
    assert findings(root, "IACM404") == [
        '.gitignore:1:1: note IACM404 the .gitignore files do not ignore "*.tfstate.*", "crash.log" for "envs/prod"; '
        'add these patterns to .gitignore']


def test_a_negation_that_reincludes_state_is_reported(tmp_path):
    root = make_repo(tmp_path / "r", tracked={".gitignore": FULL_GITIGNORE + "!terraform.tfstate\n",
                                              "main.tf": PROVIDERS_TF})
    assert findings(root, "IACM404") == [
        '.gitignore:1:1: note IACM404 the .gitignore files do not ignore "*.tfstate"; add these patterns to .gitignore']


def test_no_gitignore_points_at_the_first_file_of_the_first_root(tmp_path):
    root = make_repo(tmp_path / "r", tracked={"b/main.tf": PROVIDERS_TF, "a/versions.tf": PROVIDERS_TF,
                                              "a/main.tf": PROVIDERS_TF})
    assert findings(root, "IACM404") == [
        'a/main.tf:1:1: note IACM404 no .gitignore ignores ".terraform/", "*.tfstate", "*.tfstate.*", "crash.log"; '
        'add a .gitignore with these patterns']


def test_gitignore_outside_git_is_judged_on_disk(tmp_path):
    write(tmp_path / "plain", {".gitignore": ".terraform/\n*.tfstate\n", "main.tf": PROVIDERS_TF})
    assert findings(tmp_path / "plain", "IACM404") == [
        '.gitignore:1:1: note IACM404 the .gitignore files do not ignore "*.tfstate.*", "crash.log" (not a git '
        'repository, so the .gitignore files on disk were judged); add these patterns to .gitignore']


def test_no_root_module_no_gitignore_finding(tmp_path):
    root = make_repo(tmp_path / "r", tracked={"README.md": "docs only"})
    assert findings(root, "IACM404") == []


# ---- IACM405 plan-file-committed -------------------------------------------


def test_saved_plans_are_found_by_name_and_by_content(tmp_path):
    root = make_repo(tmp_path / "r", tracked={
        "main.tf": "",
        "plans/prod.tfplan": "not even a zip",
        "plans/plan": PLAN,
        "plans/plan.out": PLAN,
        "artifacts/bundle.zip": zip_bytes({"main.tf": b""}),  # a zip, but no tfplan member
        "artifacts/fake.bin": b"PK\x03\x04 truncated",
    })
    assert findings(root, "IACM405") == [
        'plans/plan:1:1: error IACM405 saved plan "plan" (a zip archive with a "tfplan" member) is committed with '
        'secret values in plain text; remove it with "git rm --cached plans/plan" and add it to .gitignore',
        'plans/plan.out:1:1: error IACM405 saved plan "plan.out" (a zip archive with a "tfplan" member) is committed '
        'with secret values in plain text; remove it with "git rm --cached plans/plan.out" and add it to .gitignore',
        'plans/prod.tfplan:1:1: error IACM405 saved plan "prod.tfplan" is committed with secret values in plain text; '
        'remove it with "git rm --cached plans/prod.tfplan" and add it to .gitignore',
    ]


def test_ignored_and_untracked_plans_yield_nothing(tmp_path):
    root = make_repo(tmp_path / "r", tracked={".gitignore": "*.tfplan\nplan.out\n", "main.tf": ""},
                     untracked={"prod.tfplan": PLAN, "plan.out": PLAN, "tfplan": PLAN})
    assert findings(root, "IACM405") == []


def test_plan_outside_git_is_judged_on_disk(tmp_path):
    write(tmp_path / "plain", {"main.tf": "", "out/tfplan": PLAN})
    assert findings(tmp_path / "plain", "IACM405") == [
        f'out/tfplan:1:1: error IACM405 saved plan "tfplan" (a zip archive with a "tfplan" member) holds secret '
        f'values in plain text ({ON_DISK}); keep plan files out of the repository with .gitignore']


# ---- the whole rule group, subprocess count ----------------------------------


def test_all_rules_cost_one_git_subprocess_per_repository(tmp_path, monkeypatch):
    files = {f"stacks/s{i // 50}/f{i}.tf": f'resource "null_resource" "x{i}" {{}}\n' for i in range(1000)}
    files.update({".gitignore": ".terraform/\n", "stacks/s0/terraform.tfstate": "{}", "plan": PLAN})
    root = make_repo(tmp_path / "r", tracked=files, untracked={"stacks/s1/.terraform/x": "ignored"})
    calls = count_subprocesses(monkeypatch)
    result = run([str(root)], Options(jobs=1))
    assert not result.internal_errors
    assert sorted({f.rule_id for f in result.findings if f.rule_id.startswith("IACM4")}) == [
        "IACM401", "IACM403", "IACM404", "IACM405"]
    git_calls = [c for c in calls if c[0] == "git"]
    assert [git_command(c)[1:3] for c in git_calls] == [["ls-files", "-z"]]


@pytest.mark.parametrize("gitignore", ["terraform.tfstate\nterraform.tfstate.backup\n", "./*.tfstate\n./*.tfstate.*\n"])
def test_patterns_for_the_default_names_only_do_not_cover_other_state_files(tmp_path, gitignore):
    root = make_repo(tmp_path / "r", tracked={".gitignore": ".terraform/\ncrash.log\n" + gitignore,
                                              "main.tf": PROVIDERS_TF})
    assert findings(root, "IACM404") == [
        '.gitignore:1:1: note IACM404 the .gitignore files do not ignore "*.tfstate", "*.tfstate.*"; '
        'add these patterns to .gitignore']
