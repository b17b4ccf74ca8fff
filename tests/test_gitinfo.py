"""The git layer on real temporary repositories: tracked, untracked and
ignored files, scan roots below the top level, nested repositories and
submodules, symlinked directories, odd file names, no git at all — and the
number of git subprocesses."""

from __future__ import annotations

import os
import subprocess

import pytest

from gitrepo import count_subprocesses, git, git_command, isolate_git, make_repo, write
from iacm_lint.scan import gitinfo
from iacm_lint.scan.gitinfo import GitignoreMatcher, find_toplevel, git_view


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    isolate_git(monkeypatch, tmp_path / "home")


@pytest.fixture
def popen_calls(monkeypatch):
    return count_subprocesses(monkeypatch)


def _basic_repo(root):
    return make_repo(
        root,
        tracked={
            ".gitignore": "*.log\n.terraform/\nbuild/\n",
            "envs/prod/main.tf": 'resource "null_resource" "a" {}\n',
            "envs/prod/.gitignore": "secret.auto.tfvars\n!keep.log\n",
            "envs/prod/.terraform/terraform.tfstate": "{}\n",
            "modules/net/main.tf": "",
        },
        force=["envs/prod/.terraform/terraform.tfstate"],
        untracked={
            "notes.txt": "u",
            "crash.log": "c",
            "envs/prod/keep.log": "k",
            "envs/prod/secret.auto.tfvars": 'password = "x"\n',
            "envs/prod/.terraform/providers/p": "binary",
            "build/out/plan.json": "{}",
        },
    )


def test_one_listing_answers_tracked_untracked_and_ignored(tmp_path, popen_calls):
    root = _basic_repo(tmp_path / "repo")
    popen_calls.clear()
    notes: list[str] = []
    view = git_view(str(root), notes)
    assert view is not None
    assert view.toplevel == str(root)
    assert view.tracked == frozenset({
        ".gitignore", "envs/prod/main.tf", "envs/prod/.gitignore", "envs/prod/.terraform/terraform.tfstate",
        "modules/net/main.tf",
    })
    assert view.untracked == frozenset({"notes.txt", "envs/prod/keep.log"})
    asked = ["notes.txt", "crash.log", "envs/prod/keep.log", "envs/prod/secret.auto.tfvars",
             "envs/prod/.terraform/providers/p", "envs/prod/.terraform/terraform.tfstate", "build/out/plan.json",
             "build", "build/out", "envs", "envs/prod/.terraform", "envs/prod/main.tf"]
    assert view.is_ignored(asked) == {"crash.log", "envs/prod/secret.auto.tfvars", "envs/prod/.terraform/providers/p",
                                      "build/out/plan.json", "build", "build/out"}
    assert view.is_tracked("envs/prod/main.tf") is True
    assert view.is_tracked("notes.txt") is False
    assert notes == ["git: 1 repository listed with one git ls-files each (5 tracked files)"]
    assert [git_command(c) for c in popen_calls] == [
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "-t", "--stage"]]


def test_scan_root_below_the_top_level_lists_only_its_subtree_relative_to_it(tmp_path):
    root = _basic_repo(tmp_path / "repo")
    view = git_view(str(root / "envs" / "prod"))
    assert view is not None
    assert view.toplevel == str(root)
    assert view.tracked == frozenset({"main.tf", ".gitignore", ".terraform/terraform.tfstate"})
    assert view.untracked == frozenset({"keep.log"})
    assert view.is_ignored(["secret.auto.tfvars", "keep.log", ".terraform/providers/p"]) == {
        "secret.auto.tfvars", ".terraform/providers/p"}
    assert find_toplevel(str(root / "envs" / "prod")) == str(root)


def test_submodules_are_listed_once_each_and_untracked_nested_repositories_not_at_all(tmp_path, popen_calls):
    library = make_repo(tmp_path / "library", tracked={"main.tf": "", "README.md": "r"})
    root = make_repo(tmp_path / "repo", tracked={".gitignore": "*.log\n", "main.tf": ""})
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library), "vendor/library")
    git(root, "commit", "-q", "-m", "submodule")
    make_repo(root / "clones" / "other", tracked={".gitignore": "*.tmp\n", "x.tf": ""}, untracked={"a.tmp": "t"})
    write(root, {"vendor/library/debug.log": "d"})
    popen_calls.clear()
    notes: list[str] = []
    view = git_view(str(root), notes)
    assert view is not None
    assert [(r.prefix, r.toplevel) for r in view.repositories] == [
        (".", str(root)), ("vendor/library", str(root / "vendor" / "library"))]
    assert notes[0] == ("git: clones/other is a repository that is not a submodule; git is not run in it "
                        "(its configuration is nobody's to trust), its files count as untracked")
    assert view.tracked == frozenset({".gitignore", ".gitmodules", "main.tf", "vendor/library/main.tf",
                                      "vendor/library/README.md"})
    # a submodule's own ignore rules judge its files; a repository git does not know (an untracked
    # clone: its config is nobody's to trust) is, as for the outer git, untracked and not ignored
    assert view.is_ignored(["clones/other/a.tmp", "vendor/library/debug.log", "clones/other/x.tf"]) == set()
    assert view.is_tracked("clones/other/x.tf") is False
    assert len(popen_calls) == 2
    assert all(git_command(call)[:2] == ["git", "ls-files"] for call in popen_calls)


def test_repositories_below_a_scan_root_outside_git(tmp_path):
    make_repo(tmp_path / "work" / "a", tracked={".gitignore": "*.tfstate\n", "main.tf": ""},
              untracked={"terraform.tfstate": "{}"})
    write(tmp_path / "work", {"loose/main.tf": ""})
    view = git_view(str(tmp_path / "work"))
    assert view is not None
    assert view.toplevel is None
    assert view.tracked == frozenset({"a/.gitignore", "a/main.tf"})
    assert view.is_tracked("loose/main.tf") is None
    assert view.is_ignored(["a/terraform.tfstate", "loose/main.tf"]) == {"a/terraform.tfstate"}


def test_paths_through_a_symlinked_directory_are_judged_by_their_target(tmp_path):
    root = make_repo(tmp_path / "repo", tracked={"modules/net/main.tf": "", ".gitignore": "*.log\n"},
                     untracked={"modules/net/x.log": "l"})
    os.symlink("modules/net", root / "net")
    view = git_view(str(root))
    assert view.is_tracked("net/main.tf") is True
    assert view.is_ignored(["net/main.tf", "net/x.log"]) == {"net/x.log"}


def test_file_names_with_spaces_tabs_and_unicode(tmp_path):
    names = ["dir with space/main.tf", "tab\there.tf", "ünïcode/ß.tf", 'quote"d.tf']
    root = make_repo(tmp_path / "repo", tracked={name: "" for name in names})
    assert git_view(str(root)).tracked == frozenset(names)


def test_not_a_repository_gives_none_and_a_note(tmp_path, popen_calls):
    write(tmp_path / "plain", {"main.tf": ""})
    notes: list[str] = []
    assert git_view(str(tmp_path / "plain"), notes) is None
    assert notes == [f"git: {tmp_path / 'plain'} is not in a git repository; files are judged as they are on disk"]
    assert popen_calls == []


def test_git_not_installed_gives_none_and_a_note(tmp_path, monkeypatch):
    root = _basic_repo(tmp_path / "repo")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    notes: list[str] = []
    assert git_view(str(root), notes) is None
    assert notes == ["git: not installed (not on PATH); files are judged as they are on disk, "
                     "tracked and ignored status unknown"]


def test_a_broken_repository_gives_none_and_a_note(tmp_path):
    write(tmp_path / "broken", {".git": "gitdir: /nonexistent/modules/x\n", "main.tf": ""})
    notes: list[str] = []
    assert git_view(str(tmp_path / "broken"), notes) is None
    assert len(notes) == 1
    assert notes[0].startswith(f"git: could not list {tmp_path / 'broken'}: fatal: not a git repository")
    assert notes[0].endswith("; its files are judged as they are on disk")


def test_two_thousand_tracked_files_cost_one_git_subprocess(tmp_path, popen_calls):
    files = {f"m{i // 100}/f{i}.tf": "" for i in range(2000)}
    root = make_repo(tmp_path / "repo", tracked=files)
    popen_calls.clear()
    view = git_view(str(root))
    assert len(view.tracked) == 2000
    assert view.is_ignored(list(files)) == set()
    assert len(popen_calls) == 1


# ---- GitignoreMatcher against git itself --------------------------------------

_PATTERNS = {
    ".gitignore": "*.tfstate\n!keep.tfstate\n/top-only.log\nbuild/\n**/cache/**\n.terraform\ndocs/*.md\n"
                  "!docs/README.md\n",
    "envs/.gitignore": "*.tfvars\n!public.tfvars\ncrash.log\n",
    "envs/prod/.gitignore": "!prod.tfstate\n/.terraform/\n*.tfstate.*\n",
    "vendor/.gitignore": "*\n!*.tf\n",
}

_PROBES = [
    ("terraform.tfstate", False), ("keep.tfstate", False), ("envs/prod/prod.tfstate", False),
    ("envs/prod/terraform.tfstate.backup", False), ("envs/terraform.tfstate.backup", False),
    ("top-only.log", False), ("envs/top-only.log", False), ("build", True), ("other/build", False),
    ("envs/build/x", False), ("a/cache/b", False), ("cache", True), ("envs/prod/.terraform", True),
    (".terraform", True), ("x/.terraform", False), ("envs/x.tfvars", False), ("envs/public.tfvars", False),
    ("envs/prod/crash.log", False), ("crash.log", False), ("docs/a.md", False), ("docs/README.md", False),
    ("docs/sub/a.md", False), ("vendor/main.tf", False), ("vendor/notes.txt", False), ("vendor/sub/x.tf", False),
    ("build/keep.tfstate", False),
]


def test_gitignore_matcher_agrees_with_git_check_ignore(tmp_path):
    root = make_repo(tmp_path / "repo", tracked=_PATTERNS, force=["vendor/.gitignore"])
    for probe, is_dir in _PROBES:
        if is_dir:
            (root / probe).mkdir(parents=True, exist_ok=True)
    matcher = GitignoreMatcher(str(root))
    completed = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin", "-z"], cwd=root, capture_output=True,
        input=b"".join(p.encode() + (b"/" if d else b"") + b"\0" for p, d in _PROBES), check=False)
    by_git = {p.decode() for p in completed.stdout.split(b"\0") if p}
    ours = {probe + ("/" if is_dir else "") for probe, is_dir in _PROBES if matcher.is_ignored(probe, is_dir)}
    assert ours == by_git
    assert ours == {
        ".terraform/", "x/.terraform", "a/cache/b", "build/", "build/keep.tfstate", "cache/", "docs/a.md",
        "envs/build/x", "envs/prod/.terraform/", "envs/prod/crash.log", "envs/prod/terraform.tfstate.backup",
        "envs/x.tfvars", "terraform.tfstate", "top-only.log", "vendor/notes.txt", "vendor/sub/x.tf"}
    assert "envs/prod/prod.tfstate" not in ours and "docs/README.md" not in ours  # re-includes work
    assert "build/keep.tfstate" in ours  # nothing is re-included inside an excluded directory
    assert matcher.gitignore_files("envs/prod/x") == [".gitignore", "envs/.gitignore", "envs/prod/.gitignore"]


# ---- the revision a report names (readiness report header) ---------------------------------


def test_head_revision_names_the_commit_and_the_branch(tmp_path, popen_calls):
    root = make_repo(tmp_path / "repo", tracked={"main.tf": ""})
    git(root, "checkout", "-q", "-b", "feature/one")
    commit = git(root, "rev-parse", "HEAD").strip()
    popen_calls.clear()
    assert gitinfo.head_revision(str(root)) == (commit, "feature/one")
    assert [git_command(c)[1:] for c in popen_calls] == [
        ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], ["symbolic-ref", "--short", "--quiet", "HEAD"]]
    git(root, "checkout", "-q", "--detach")
    assert gitinfo.head_revision(str(root)) == (commit, "")  # CI checks out a commit: no branch
    assert gitinfo.head_revision(None) == ("", "")


def test_head_revision_of_a_repository_without_commits(tmp_path):
    root = make_repo(tmp_path / "repo", tracked={})
    git(root, "checkout", "-q", "-b", "main")
    notes: list[str] = []
    assert gitinfo.head_revision(str(root), notes) == ("", "main")
    assert len(notes) == 1 and notes[0].startswith("git: no commit at HEAD in ")


def test_head_revision_runs_nothing_the_repository_configures(tmp_path):
    root = make_repo(tmp_path / "repo", tracked={"main.tf": ""})
    marker = tmp_path / "pwned"
    git(root, "config", "core.fsmonitor", f"touch {marker}")
    git(root, "config", "core.pager", f"touch {marker}")
    commit, _ = gitinfo.head_revision(str(root))
    assert len(commit) == 40
    assert not marker.exists()


def test_display_remote_prefers_origin_and_strips_credentials(tmp_path):
    root = make_repo(tmp_path / "repo", tracked={"main.tf": ""})
    git(root, "remote", "add", "upstream", "https://gitlab.com/acme/live.git")
    assert gitinfo.display_remote(str(root)) == "https://gitlab.com/acme/live.git"
    git(root, "remote", "add", "origin", "https://x-access-token:ghs_Secret123@github.com/acme/live.git?t=1#f")
    git(root, "remote", "add", "local", "/srv/git/live.git")
    assert gitinfo.display_remote(str(root)) == "https://github.com/acme/live.git"
    # git writes a URL holding `#` in quotes: read as git reads it
    assert gitinfo.remote_urls(str(root)) == ("https://gitlab.com/acme/live.git",
                                              "https://x-access-token:ghs_Secret123@github.com/acme/live.git?t=1#f")
    assert gitinfo.display_remote(None) == ""


@pytest.mark.parametrize("url, shown", [
    ("https://ghp_Token@github.com/acme/live.git", "https://github.com/acme/live.git"),
    ("https://user:pass@word@host.example/acme/live", "https://host.example/acme/live"),
    ("ssh://git@host.example:2222/acme/live.git", "ssh://host.example:2222/acme/live.git"),
    ("https://host.example?private_token=abc", "https://host.example"),
    ("https://host.example/acme/live.git", "https://host.example/acme/live.git"),
    ("git@github.com:acme/live.git", "github.com:acme/live.git"),
    ("user:password@host.example:acme/live.git", "host.example:acme/live.git"),
])
def test_without_credentials(url, shown):
    assert gitinfo.without_credentials(url) == shown
