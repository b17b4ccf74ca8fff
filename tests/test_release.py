"""What a release and a new user's first minutes rest on: the README's set-up
commands (and `.ci/run`, which must run the same test command), the sample
output in the README, the release workflow (.github/workflows/release.yml),
the licence, the changelog, and the release the documentation points at.

The built distributions themselves (licence file, metadata as `twine check`
reads it) are checked in tests/test_packaging.py, which builds them once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from test_integrations import dockerfile_stages, dockerignore_allows
from test_packaging import _project_version as project_version

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
CHANGELOG = ROOT / "CHANGELOG.md"

VENV = ["python3 -m venv .venv", ". .venv/bin/activate"]


def markdown_section(text: str, heading: str) -> str:
    """The body of the `## heading` section, up to the next heading of level 2."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section ## {heading}"
    return match.group(1)


def fenced_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```$", text, re.S | re.M)


def setup_commands() -> tuple[str, str]:
    """The README's two set-up blocks: (try it on an example, run the tests)."""
    blocks = fenced_blocks(markdown_section(README.read_text(encoding="utf-8"), "Set-up"))
    assert len(blocks) == 2, blocks
    assert all(block.count("\n") == 1 for block in blocks), "each set-up block is one line to copy"
    return blocks[0].strip(), blocks[1].strip()


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env["NO_COLOR"] = "1"
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, env=env, **kwargs)


# ---- README set-up and .ci/run -----------------------------------------------------


def test_readme_setup_blocks_make_their_own_venv_and_only_the_tests_need_the_test_extras():
    try_it, run_tests = setup_commands()
    try_parts, test_parts = try_it.split(" && "), run_tests.split(" && ")
    # PEP 668 systems refuse a bare pip: each block makes and activates a venv first
    assert try_parts[:2] == VENV and test_parts[:2] == VENV
    assert try_parts[2] == "pip install -e ."  # trying the tool needs no test extras
    assert test_parts[2:] == ["pip install -e '.[test]'", "pytest"]
    assert len(try_parts) == 4 and try_parts[3].startswith("iacm-lint check testdata/examples/"), try_parts


def test_readme_example_command_passes_on_its_example():
    try_it, _ = setup_commands()
    args = try_it.split(" && ")[-1].split()[1:]
    example = ROOT / args[-1]
    assert example.is_dir() and sorted(example.glob("*.tf")), example
    done = run([sys.executable, "-m", "iacm_lint", *args, "--no-cache"], cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.fullmatch(r"0 errors, 0 warnings, 0 notes in \d+ files \(engine: [^\n]+\)\n", done.stdout), done.stdout


def ci_run_commands() -> list[str]:
    """The lines .ci/run executes (comments and blank lines left out)."""
    return [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_ci_run_runs_exactly_the_readme_test_command():
    _, run_tests = setup_commands()
    lines = ci_run_commands()
    assert lines.count(run_tests) == 1, "\n".join(lines)
    at = lines.index(run_tests)
    # nothing else runs pytest or installs the project
    others = lines[:at] + lines[at + 1:]
    assert not [line for line in others if re.search(r"^[^#\"]*(\bpytest\b|pip install -e|pip install .*\.\[)", line)]
    # Chromium is installed before, the exit status is taken right after, and 5 (no tests) fails
    assert any("apt-get install" in line and "chromium" in line for line in lines[:at])
    assert lines[at + 1] == "status=$?"
    assert lines[at + 2:at + 5] == ['if [ "$status" -eq 5 ]; then', 'echo "pytest collected no tests: failing"',
                                    "exit 1"]
    assert lines[-1] == 'exit "$status"'


def test_ci_run_keeps_pips_upgrade_quiet_and_non_fatal():
    (upgrade,) = [line for line in ci_run_commands() if "--upgrade pip" in line]
    assert " -q " in upgrade and upgrade.endswith(">/dev/null 2>&1 || true")


# ---- README sample output ----------------------------------------------------------


def test_readme_sample_output_is_what_the_tool_prints():
    """The outputs in the README (at the top, and the Terragrunt example of
    the tour) are real: rerun them and compare. When a message changes on
    purpose, paste the new output into the README."""
    text = README.read_text(encoding="utf-8")
    samples = [block for block in fenced_blocks(text) if block.startswith("$ iacm-lint check ")]
    assert [s.partition("\n")[0] for s in samples] == ["$ iacm-lint check testdata/examples/report-blocked",
                                                       "$ iacm-lint check testdata/examples/terragrunt-live"]
    for sample in samples:
        command, _, shown = sample.partition("\n")
        args = command.removeprefix("$ iacm-lint ").split()
        assert ROOT.joinpath(args[-1]).is_dir(), args
        done = run([sys.executable, "-m", "iacm_lint", *args, "--no-cache"], cwd=ROOT)
        assert done.returncode == 1, done.stderr
        assert done.stdout == shown
        assert re.search(r"^\S+:\d+:\d+: error IACM2\d\d .*\(…\)", shown, re.M)  # a secret, shown masked


def test_readme_configuration_example_is_a_valid_configuration(tmp_path):
    (config,) = re.findall(r"^```yaml\n(.*?)^```$", README.read_text(encoding="utf-8"), re.S | re.M)
    (tmp_path / ".iacm-lint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "main.tf").write_text('terraform {\n  required_version = ">= 1.6"\n}\n', encoding="utf-8")
    baseline = yaml.safe_load(config)["baseline"]
    written = run([sys.executable, "-m", "iacm_lint", "check", ".", "--no-cache", "--write-baseline", baseline],
                  cwd=tmp_path)
    assert written.returncode == 0 and written.stderr.startswith("iacm-lint: wrote "), written.stderr
    done = run([sys.executable, "-m", "iacm_lint", "check", ".", "--no-cache"], cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert "(engine: opentofu, " in done.stdout, done.stdout  # the file's engine: opentofu was read


# ---- the release workflow ----------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step_index(steps_: list[dict], predicate) -> int:
    found = [i for i, step in enumerate(steps_) if predicate(step)]
    assert len(found) == 1, (found, steps_)
    return found[0]


def uses(prefix: str):
    return lambda step: step.get("uses", "").startswith(prefix + "@")


def runs(pattern: str):
    return lambda step: re.search(pattern, step.get("run", ""), re.M) is not None


def test_release_workflow_runs_on_version_tags_only(workflow):
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert trigger == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}  # jobs ask for more only where they need it


def test_release_workflow_jobs_publish_only_after_the_wheel_passed_the_tests(workflow):
    jobs = workflow["jobs"]
    assert set(jobs) == {"build", "test", "pypi", "docker"}
    needs = {name: set([job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", []))
             for name, job in jobs.items()}
    assert needs == {"build": set(), "test": {"build"}, "pypi": {"build", "test"}, "docker": {"test"}}


def test_release_workflow_builds_and_checks_before_uploading(workflow):
    build = steps(workflow, "build")
    order = [
        step_index(build, uses("actions/checkout")),
        step_index(build, uses("actions/setup-python")),
        step_index(build, lambda s: "GITHUB_REF_NAME" in str(s) or "github.ref_name" in str(s)),
        step_index(build, runs(r"^python -m build$")),
        step_index(build, runs(r"^twine check --strict dist/\*$")),
        step_index(build, uses("actions/upload-artifact")),
    ]
    assert order == sorted(order), order
    assert build[order[-1]]["with"]["path"] == "dist/"


def test_release_workflow_tests_the_installed_wheel_not_the_checkout(workflow):
    job = workflow["jobs"]["test"]
    # every Python the package claims (pyproject's classifiers)
    claimed = re.findall(r'"Programming Language :: Python :: (3\.\d+)"',
                         (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert job["strategy"]["matrix"]["python"] == claimed and len(claimed) >= 4
    test = job["steps"]
    download = step_index(test, uses("actions/download-artifact"))
    install = step_index(test, runs(r'-m venv "\$RUNNER_TEMP/wheel-venv"'))
    pytest_run = step_index(test, runs(r"^pytest\b"))
    assert download < install < pytest_run
    install_script = test[install]["run"]
    assert re.search(r'wheel-venv/bin/python" -m pip install "\$\(ls dist/\*\.whl\)\[test\]"', install_script), \
        install_script
    script = test[pytest_run]["run"].splitlines()
    assert script[0] == '. "$RUNNER_TEMP/wheel-venv/bin/activate"'
    assert "iacm_lint.__file__.startswith(sys.prefix)" in script[1]  # imported from the venv, not the checkout
    everything = "\n".join(step.get("run", "") for step in test)
    assert not re.search(r"pip install (-e|\.|'\.|\"\.)|python -m build|setup\.py", everything), everything
    assert any("chromium" in step.get("run", "") for step in test[:pytest_run])  # the HTML report tests run


def test_release_workflow_publishes_to_pypi_with_trusted_publishing(workflow):
    job = workflow["jobs"]["pypi"]
    assert job["environment"]["name"] == "pypi"
    assert job["permissions"] == {"id-token": "write"}
    publish = job["steps"]
    assert step_index(publish, uses("actions/download-artifact")) < \
        step_index(publish, uses("pypa/gh-action-pypi-publish"))
    (action,) = [step for step in publish if uses("pypa/gh-action-pypi-publish")(step)]
    assert "with" not in action  # no password or token: PyPI trusts the workflow's OIDC identity
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8").split("\n  pypi:")[1].split("\n  docker:")[0]


def test_release_workflow_pushes_the_image_to_ghcr_tagged_from_the_git_tag(workflow):
    job = workflow["jobs"]["docker"]
    assert job["permissions"] == {"contents": "read", "packages": "write"}
    docker = job["steps"]
    meta = docker[step_index(docker, uses("docker/metadata-action"))]
    assert meta["with"]["images"] == "ghcr.io/${{ github.repository }}"
    assert meta["with"]["tags"].split() == ["type=semver,pattern={{version}}",
                                            "type=semver,pattern={{major}}.{{minor}}"]
    login = step_index(docker, uses("docker/login-action"))
    assert docker[login]["with"] == {"registry": "ghcr.io", "username": "${{ github.actor }}",
                                     "password": "${{ secrets.GITHUB_TOKEN }}"}
    builds = [i for i, step in enumerate(docker) if uses("docker/build-push-action")(step)]
    smoke = step_index(docker, runs(r"docker run --rm iacm-lint:release-test --version"))
    assert len(builds) == 2 and builds[0] < smoke < login < builds[1]
    assert docker[builds[0]]["with"].get("load") is True and "push" not in docker[builds[0]]["with"]
    assert docker[builds[1]]["with"]["push"] is True
    assert docker[builds[1]]["with"]["tags"] == "${{ steps.meta.outputs.tags }}"


def test_release_workflow_pins_every_action_to_a_release(workflow):
    used = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert len(used) >= 10
    for ref in used:
        assert re.fullmatch(r"[\w-]+/[\w-]+@(v\d+(\.\d+)*|release/v\d+|[0-9a-f]{40})", ref), ref


def test_release_workflow_scripts_are_bash_and_take_expressions_only_through_env(workflow, tmp_path):
    """A `${{ … }}` spliced into a script is a script-injection hole (the tag
    name is text someone pushed): values reach the scripts as environment
    variables."""
    scripts = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert len(scripts) >= 8
    for script in scripts:
        assert "${{" not in script, script
        done = subprocess.run(["bash", "-n", "-c", script], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr


def tag_check_script(workflow: dict) -> str:
    build = steps(workflow, "build")
    step = build[step_index(build, lambda s: s.get("env", {}).get("TAG") == "${{ github.ref_name }}")]
    return step["run"]


def test_release_workflow_refuses_a_tag_that_is_not_the_version(workflow, tmp_path):
    script = tag_check_script(workflow)
    version = project_version()

    def check(tag: str, tree: Path) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-e", "-c", script], cwd=tree, env={**os.environ, "TAG": tag},
                              capture_output=True, text=True, timeout=30)

    assert check(f"v{version}", ROOT).returncode == 0
    wrong = check(f"v{version}.1", ROOT)
    assert (wrong.returncode, wrong.stdout) == \
        (1, f"::error::the tag is not v{version}, the version in lint/__init__.py\n")
    # the right tag but no changelog section for it
    (tmp_path / "lint").mkdir()
    shutil.copy(ROOT / "lint" / "__init__.py", tmp_path / "lint" / "__init__.py")
    changelog = CHANGELOG.read_text(encoding="utf-8").replace(f"## [{version}]", "## [0.0.0]")
    (tmp_path / "CHANGELOG.md").write_text(changelog)
    missing = check(f"v{version}", tmp_path)
    assert (missing.returncode, missing.stdout) == \
        (1, f'::error::CHANGELOG.md has no section "## [{version}] - DATE"\n')


# ---- licence, changelog and the documented release ---------------------------------


def test_licence_is_the_apache_2_text_that_pyproject_declares_and_the_image_build_copies():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text.splitlines()) == 202
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "Apache-2.0"$', pyproject, re.M)
    assert re.search(r'^license-files = \["LICENSE"\]', pyproject, re.M)
    # the Docker build makes the wheel from its own context: the licence must be in it
    copied = {source.rstrip("/") for stage in dockerfile_stages() for name, argument in stage
              if name == "COPY" and not argument.startswith("--from") for source in argument.split()[:-1]}
    assert "LICENSE" in copied and dockerignore_allows("LICENSE")


def changelog_releases() -> list[str]:
    return re.findall(r"^## \[([^\]]+)\]", CHANGELOG.read_text(encoding="utf-8"), re.M)


def test_changelog_has_unreleased_on_top_then_the_current_version():
    text = CHANGELOG.read_text(encoding="utf-8")
    releases = changelog_releases()
    assert releases[:2] == ["Unreleased", project_version()], releases
    assert re.search(rf"^## \[{re.escape(project_version())}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)
    for release in releases:  # Keep a Changelog: every heading links its diff or tag
        assert re.search(rf"^\[{re.escape(release)}\]: https://\S+$", text, re.M), release
    assert f"[{project_version()}]: https://github.com/iacm-lint/iacm-lint/releases/tag/v{project_version()}" in text


DOCUMENTED_RELEASE = [  # how the docs name a release of iacm-lint, and the part that is the version
    re.compile(r"^\s*rev: v(\S+)", re.M),                          # pre-commit
    re.compile(r"iacm-lint/iacm-lint@v?([^\s`)]+)"),                # the action, pipx install git+...@
    re.compile(r"/iacm-lint:(\d[^\s`]*)"),                          # container images
    re.compile(r"\biacm-lint==(\S+)"),                              # pip pins
]


def test_documented_release_is_the_current_version():
    """A release the docs tell users to install must exist: it is the version
    being released (CONTRIBUTING.md, "Releasing"), never a branch."""
    version = project_version()
    found = []
    for doc in [README, ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for pattern in DOCUMENTED_RELEASE:
            found += [(doc.relative_to(ROOT).as_posix(), match) for match in pattern.findall(text)]
    wrong = [(doc, named) for doc, named in found if named != version and "X.Y.Z" not in named]
    assert wrong == []
    docs_found = {doc for doc, _ in found}
    assert {"README.md", "docs/integrations.md"} <= docs_found
    assert len([1 for doc, _ in found if doc == "docs/integrations.md"]) >= 4  # pre-commit, pipx, action, images
