"""The shipped integrations: .pre-commit-hooks.yaml, action.yml (the
composite GitHub Action), the Dockerfile, and every YAML example in
docs/integrations.md.

Examples are not only parsed: the `iacm-lint` command lines they hold run
against a temporary repository, the composite action's shell steps run under
a small runner that evaluates their `${{ }}` expressions, and the GitLab job
script runs as GitLab would run it. `pre-commit try-repo` runs when
pre-commit is installed (it is not a test dependency: its hook environment
installs iacm-lint with pip, which needs the package index).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gitrepo import git, isolate_git, make_repo

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "integrations.md"
EXAMPLES = ROOT / "testdata" / "examples"
BIN = Path(sys.executable).parent  # where this environment's `iacm-lint` and `python` live
SRCROOT = "%SRCROOT%"


# ---- helpers ----------------------------------------------------------------


def example_files(name: str) -> dict[str, str]:
    base = EXAMPLES / name
    return {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(base.rglob("*")) if p.is_file()}


@pytest.fixture
def env(tmp_path, monkeypatch):
    """An environment for subprocesses: isolated git, this environment's
    iacm-lint first on PATH, a throwaway parse cache."""
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return dict(os.environ)


def repo_with(tmp_path: Path, example: str, prefix: str = "", name: str = "work") -> Path:
    files = {f"{prefix}{path}": text for path, text in example_files(example).items()}
    return make_repo(tmp_path / name, files)


def run_iacm_lint(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    words = shlex.split(command)
    assert words[0] == "iacm-lint", command
    return subprocess.run([str(BIN / "iacm-lint"), *words[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def sarif_uris(path: Path) -> list[str]:
    log = json.loads(path.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    return [loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in log["runs"][0]["results"] for loc in result["locations"]]


def doc_sections() -> dict[str, str]:
    """`## Title` -> the section's text."""
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def yaml_blocks(section: str) -> list:
    body = doc_sections()[section]
    blocks = re.findall(r"^```yaml\n(.*?)^```", body, re.S | re.M)
    assert blocks, f"no yaml block in section {section!r}"
    return [yaml.safe_load(block) for block in blocks]


def steps_of(workflow: dict) -> list[dict]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


def sarif_target(command: str) -> str:
    """The file a `check` command writes SARIF to (`--format sarif:FILE`)."""
    targets = [w.split(":", 1)[1] for w in shlex.split(command) if w.startswith("sarif:")]
    assert len(targets) == 1, command
    return targets[0]


# ---- .pre-commit-hooks.yaml -------------------------------------------------

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def hook() -> dict:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    return hooks[0]


def test_pre_commit_hook_structure():
    h = hook()
    assert h["id"] == "iacm-lint"
    assert h["language"] == "python"
    assert h["entry"] == "iacm-lint check"
    assert h["pass_filenames"] is False  # module- and repository-level rules need the whole tree
    assert h["require_serial"] is True
    assert set(h) <= {"id", "name", "description", "entry", "language", "pass_filenames", "require_serial", "files",
                      "minimum_pre_commit_version", "types", "types_or", "exclude", "always_run", "args", "stages"}
    # the entry names the console script pyproject.toml installs
    assert re.search(r'^iacm-lint = "iacm_lint\.cli:main"$', (ROOT / "pyproject.toml").read_text(), re.M)


@pytest.mark.parametrize("path", [
    "main.tf", "envs/prod/backend.tf", "envs/prod/versions.tofu", "stack/main.tf.json", "stack/main.tofu.json",
    "envs/prod/terraform.tfvars", "prod.auto.tfvars.json", "config/prod.s3.tfbackend",
    ".harness/deploy.yaml", "svc/.harness/pipelines/plan.yml", ".iacm-lint.yaml", "envs/dev/.terraform.lock.hcl",
    ".terraform-version", "envs/.opentofu-version", ".tool-versions", ".gitignore", "envs/dev/.gitignore",
    "terraform.tfstate", "envs/dev/terraform.tfstate.backup", "terraform.tfstate.1700000000.backup",
    "tfplan", "envs/prod/prod.tfplan",
])
def test_pre_commit_hook_runs_for(path):
    assert re.search(hook()["files"], path), path


@pytest.mark.parametrize("path", [
    "README.md", "src/app.py", "k8s/deployment.yaml", ".github/workflows/ci.yml", "docs/terraform.md",
    "main.tf.bak", "harness/deploy.yaml", "my.harness/x.yaml", "tfplan.txt", "notes.tfvars.txt",
])
def test_pre_commit_hook_skips(path):
    assert not re.search(hook()["files"], path), path


def pre_commit_command() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


def test_pre_commit_try_repo(tmp_path, env):
    command = pre_commit_command()
    if command is None:
        pytest.skip("pre-commit is not installed "
                    "(`pip install pre-commit` to run this test; it needs the package index)")
    # The hook repository: this project's files, committed (try-repo reads a git repository)
    source = tmp_path / "hook-repo"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis",
        ".iacm-lint-cache", ".mypy_cache", ".ruff_cache", "tests", "testdata", "benchmarks", "docs", "_*_tmp.py"))
    make_repo(source, {})
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "hook")
    target = repo_with(tmp_path, "local-backend", name="target")
    env = {**env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}

    def try_repo(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([*command, "try-repo", str(source), "iacm-lint", *extra], cwd=target, env=env,
                              capture_output=True, text=True, timeout=540)

    failed = try_repo("--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^iacm-lint\.+Failed$", failed.stdout, re.M), failed.stdout
    assert ("backend.tf:4:3: error IACM106 backend \"local\" in backend.tf is committed and overrides the workspace's "
            "backend during remote execution; remove it or git-ignore backend.tf [backend-local]") in failed.stdout

    # Only a file the pattern does not cover: the hook does not run
    (target / "README.md").write_text("# infra\n")
    skipped = try_repo("--files", "README.md")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert re.search(r"^iacm-lint\.+\(no files to check\)Skipped$", skipped.stdout, re.M), skipped.stdout

    # Fixed: the hook passes (the environment installed above is reused)
    (target / "backend.tf").unlink()
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "remove the local backend")
    passed = try_repo("--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^iacm-lint\.+Passed$", passed.stdout, re.M), passed.stdout


# ---- action.yml ---------------------------------------------------------------

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
REFERENCE = re.compile(r"\b(inputs\.[\w-]+|steps\.[\w-]+\.outputs\.[\w-]+)")
# outputs that the `uses:` steps of the action provide
USES_OUTPUTS = {"actions/setup-python": {"python-version", "cache-hit", "python-path"},
                "actions/cache": {"cache-hit", "cache-primary-key", "cache-matched-key"}}
GITHUB_CONTEXT = {"github.run_id": "4242", "github.run_attempt": "1"}  # what the action reads of the `github` context


def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def written_outputs(step: dict) -> set[str]:
    if "uses" in step:
        return USES_OUTPUTS.get(step["uses"].split("@")[0], set())
    return set(re.findall(r'echo "([\w-]+)=[^"]*" >> "\$GITHUB_OUTPUT"', step["run"]))


def test_action_structure():
    a = action()
    assert a["runs"]["using"] == "composite"
    assert a["name"] and a["description"]
    inputs = a["inputs"]
    assert {"paths", "format", "fail-on", "args", "sarif-file", "upload-sarif"} <= set(inputs)
    for name, spec in inputs.items():
        assert spec["description"], name
        assert isinstance(spec.get("default", ""), str), name  # inputs are strings
    assert inputs["upload-sarif"]["default"] == "true"
    assert inputs["paths"]["default"] == "."

    text = ACTION.read_text(encoding="utf-8")
    for reference in REFERENCE.findall(text):
        if reference.startswith("inputs."):
            assert reference.split(".", 1)[1] in inputs, reference

    steps = a["runs"]["steps"]
    seen: dict[str, dict] = {}
    for step in steps:
        assert step.get("name"), step
        assert ("uses" in step) != ("run" in step), step
        if "run" in step:
            assert step["shell"] == "bash", step["name"]  # composite run steps must name their shell
            assert "${{" not in step["run"], f"{step['name']}: pass inputs through env, not into the script"
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), step["uses"]
        # every steps.X.outputs.Y it reads comes from an earlier step that writes Y
        for value in [step.get("if", ""), *map(str, (step.get("env") or {}).values()),
                      *map(str, (step.get("with") or {}).values())]:
            for reference in REFERENCE.findall(value):
                if reference.startswith("steps."):
                    _, step_id, _, output = reference.split(".")
                    assert step_id in seen, f"{step['name']} reads {reference} before step {step_id} ran"
                    assert output in written_outputs(seen[step_id]), reference
        if "id" in step:
            assert step["id"] not in seen
            seen[step["id"]] = step
    for name, spec in a["outputs"].items():
        (reference,) = REFERENCE.findall(spec["value"])
        _, step_id, _, output = reference.split(".")
        assert output in written_outputs(seen[step_id]), name

    uploads = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert len(uploads) == 1
    assert "inputs.upload-sarif == 'true'" in uploads[0]["if"]
    assert uploads[0]["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    setup = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup and setup[0]["with"]["update-environment"] is False  # leaves the job's Python alone
    # the files the action runs from its own checkout exist
    for relative in re.findall(r'\$GITHUB_ACTION_PATH/([\w./-]+)', text):
        assert (ROOT / relative).is_file(), relative


class ActionRunner:
    """Runs action.yml's steps the way the runner does, for the parts that
    can run here: `${{ }}` expressions on inputs and step outputs, `if:`,
    `env:`, run steps under `bash --noprofile --norc -eo pipefail`, and
    $GITHUB_OUTPUT. `uses:` steps and the install step (pip from the index)
    are stubbed; upload-sarif records its inputs."""

    def __init__(self, workspace: Path, tmp: Path, env: dict, inputs: dict[str, str]):
        self.workspace, self.tmp, self.env = workspace, tmp, env
        spec = action()
        self.inputs = {name: s.get("default", "") for name, s in spec["inputs"].items()}
        assert set(inputs) <= set(self.inputs), inputs
        self.inputs.update(inputs)
        self.steps = spec["runs"]["steps"]
        self.outputs: dict[str, dict[str, str]] = {}
        self.uploads: list[dict] = []
        self.caches: list[dict] = []
        self.log: list[str] = []

    def value(self, reference: str) -> str:
        if reference in GITHUB_CONTEXT:
            return GITHUB_CONTEXT[reference]
        parts = reference.split(".")
        if parts[0] == "inputs":
            return self.inputs[parts[1]]
        return self.outputs.get(parts[1], {}).get(parts[3], "")

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), str(text))

    def condition(self, text: str) -> bool:
        inner = EXPRESSION.fullmatch(text.strip()).group(1)
        python = REFERENCE.sub(lambda m: repr(self.value(m.group(1))), inner)
        python = python.replace("&&", " and ").replace("||", " or ")
        assert re.fullmatch(r"[\s'\w.:/ -]*(?:(?:==|!=|and|or)[\s'\w.:/ -]*)*", python), python
        return bool(eval(python, {"__builtins__": {}}))

    def run(self) -> int:
        """The job's result: the exit code of the first failing step, else 0."""
        for step in self.steps:
            if "if" in step and not self.condition(step["if"]):
                continue
            outputs: dict[str, str] = {}
            if "uses" in step:
                action_name = step["uses"].split("@")[0]
                with_ = {k: self.substitute(v) for k, v in (step.get("with") or {}).items()}
                if action_name == "actions/setup-python":
                    outputs["python-path"] = sys.executable
                elif action_name == "actions/cache":  # restores nothing here; the post step would save `path`
                    self.caches.append(with_)
                    outputs["cache-hit"] = "false"
                elif action_name == "github/codeql-action/upload-sarif":
                    assert (self.workspace / with_["sarif_file"]).is_file()
                    self.uploads.append(with_)
                else:
                    raise AssertionError(f"unexpected action {action_name}")
            elif step.get("id") == "install":  # pip install from the index is not for a unit test
                from iacm_lint import __version__

                outputs.update({"bin": str(BIN), "version": __version__,
                                "cache-dir": str(self.tmp / "iacm-lint-cache")})
            else:
                status, outputs = self.run_script(step)
                if status != 0:
                    return status
            if "id" in step:
                self.outputs[step["id"]] = outputs
        return 0

    def run_script(self, step: dict) -> tuple[int, dict[str, str]]:
        output_file = self.tmp / f"output-{len(self.log)}"
        output_file.write_text("")
        script = self.tmp / f"step-{len(self.log)}.sh"
        script.write_text(step["run"])
        env = {**self.env, **{k: self.substitute(v) for k, v in (step.get("env") or {}).items()},
               "GITHUB_OUTPUT": str(output_file), "GITHUB_ACTION_PATH": str(ROOT),
               "GITHUB_WORKSPACE": str(self.workspace), "RUNNER_TEMP": str(self.tmp)}
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=self.workspace,
                              env=env, capture_output=True, text=True, timeout=120)
        self.log.append(done.stdout + done.stderr)
        outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if line)
        return done.returncode, outputs


def test_action_scans_a_subdirectory_uploads_repository_relative_sarif_and_fails(tmp_path, env):
    workspace = repo_with(tmp_path, "local-backend", prefix="infra/")
    runner = ActionRunner(workspace, tmp_path, env, {"paths": "infra", "sarif-file": "reports/iacm.sarif"})
    assert runner.run() == 1
    assert runner.outputs["check"] == {"exit-code": "1", "sarif-file": "reports/iacm.sarif"}
    check_log = runner.log[0]
    assert ("::error file=infra/backend.tf,line=4,col=3,endLine=4,endColumn=17,title=IACM106 backend-local::"
            'backend "local" in backend.tf is committed') in check_log
    # iacm-lint itself names the file relative to the repository, as GitHub reads it: no rebasing step
    sarif = workspace / "reports" / "iacm.sarif"
    assert sarif_uris(sarif) == ["infra/backend.tf"]
    base = json.loads(sarif.read_text())["runs"][0]["originalUriBaseIds"][SRCROOT]["uri"]
    assert base == Path(os.path.realpath(workspace)).as_uri() + "/"
    log = json.loads(sarif.read_text(encoding="utf-8"))  # the fix's artifactChange too (issue 22)
    assert [change["artifactLocation"]["uri"] for result in log["runs"][0]["results"] for fix in result["fixes"]
            for change in fix["artifactChanges"]] == ["infra/backend.tf"]
    assert runner.uploads == [{"sarif_file": "reports/iacm.sarif", "category": "iacm-lint"}]
    assert "iacm-lint check exited with 1" in runner.log[-1]


def test_action_keeps_the_cache_outside_the_workspace_keyed_on_the_version(tmp_path, env):
    from iacm_lint import __version__

    workspace = repo_with(tmp_path, "local-backend")
    runner = ActionRunner(workspace, tmp_path, env, {})
    assert runner.run() == 1
    cache_dir = tmp_path / "iacm-lint-cache"  # $RUNNER_TEMP/iacm-lint-cache
    prefix = f"iacm-lint-{__version__}-py3.12-"
    assert runner.caches == [{"path": str(cache_dir), "key": prefix + "4242-1", "restore-keys": prefix}]
    assert (cache_dir / "key").is_file() and list(cache_dir.glob("models-*.sqlite"))  # the check step used it
    assert not cache_dir.is_relative_to(workspace)
    without = ActionRunner(workspace, tmp_path, env, {"cache": "false"})
    assert without.run() == 1 and without.caches == []


def test_action_passes_on_a_clean_repository_with_inputs_and_args(tmp_path, env):
    workspace = repo_with(tmp_path, "onboarding-ready", prefix="envs/prod/")
    runner = ActionRunner(workspace, tmp_path, env, {
        "paths": "envs/prod\nenvs", "format": "gcc", "fail-on": "warning", "args": "--engine opentofu  --quiet",
        "upload-sarif": "false"})
    assert runner.run() == 0
    assert runner.outputs["check"] == {"exit-code": "0", "sarif-file": "iacm-lint.sarif"}
    assert runner.uploads == []  # upload-sarif: false
    assert sarif_uris(workspace / "iacm-lint.sarif") == []
    assert len(runner.log) == 1  # the failing step did not run


def test_action_usage_error_fails_without_upload(tmp_path, env):
    workspace = repo_with(tmp_path, "onboarding-ready")
    runner = ActionRunner(workspace, tmp_path, env, {"args": "--engine nonsense"})
    assert runner.run() == 2
    assert runner.outputs["check"] == {"exit-code": "2"}
    assert runner.uploads == []
    assert "iacm-lint check exited with 2" in runner.log[-1]


# ---- Dockerfile ------------------------------------------------------------------


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, argument = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), argument.strip()))
    return stages


def test_dockerfile_key_instructions():
    stages = dockerfile_stages()
    final = stages[-1]
    assert re.fullmatch(r"python:3\.\d+-slim", final[0][1]), final[0]
    for stage in stages:
        assert re.match(r"python:3\.\d+-slim\b", stage[0][1]), stage[0]
    instructions = [name for name, _ in final]
    last = {name: argument for name, argument in final}
    assert json.loads(last["ENTRYPOINT"]) == ["iacm-lint"]  # exec form
    assert last["WORKDIR"] == "/src"
    user = last["USER"]
    assert user.split(":")[0] not in {"root", "0"}
    assert instructions.index("USER") < instructions.index("ENTRYPOINT")
    # nothing runs as root after
    assert instructions.index("USER") > max(i for i, (name, arg) in enumerate(final) if name == "RUN")
    assert json.loads(last["CMD"]) == ["check", "."]
    assert any("pip install" in arg for name, arg in final if name == "RUN")
    assert any("safe.directory" in arg for name, arg in final if name == "RUN")  # git accepts the mounted repository


def dockerignore_allows(path: str) -> bool:
    """Docker's rule: the last matching pattern decides (only the patterns
    this .dockerignore uses: `*`, `!name`, `!dir/`, `**/name`, `**/*.ext`)."""
    allowed = True
    for pattern in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = pattern.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
        regex = regex.replace(r"\[", "[").replace(r"\]", "]")
        if re.fullmatch(rf"{regex}(?:/.*)?", path):
            allowed = negate
    return allowed


def test_dockerfile_build_context_holds_what_the_wheel_needs():
    copies = [arg.split() for stage in dockerfile_stages() for name, arg in stage
              if name == "COPY" and not arg.startswith("--from")]
    sources = {source.rstrip("/") for words in copies for source in words[:-1]}
    pyproject = (ROOT / "pyproject.toml").read_text()
    package_dir = pyproject.split("package-dir")[1].split("\n")[0]
    needed = {"pyproject.toml", "README.md"} | set(re.findall(r'= "(\w+)"', package_dir))
    assert {"lint", "rules"} <= needed
    assert needed <= sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert dockerignore_allows(source), source
    assert dockerignore_allows("lint/report/sarif.py") and dockerignore_allows("lint/knowledge/data/releases.json")
    for kept_out in (".git/config", "tests/test_cli.py", "testdata/examples/local-backend/main.tf", ".venv/bin/python",
                     "lint/__pycache__/cli.cpython-311.pyc"):
        assert not dockerignore_allows(kept_out), kept_out


# ---- docs/integrations.md ----------------------------------------------------------


def test_integrations_doc_has_every_section_and_only_valid_yaml():
    sections = doc_sections()
    for title in ("VS Code problem matcher", "GitHub Actions (SARIF upload)", "Harness CI Run step", "GitLab CI",
                  "pre-commit"):
        assert title in sections, title
    text = DOCS.read_text(encoding="utf-8")
    assert len(re.findall(r"^```yaml\n", text, re.M)) == 5
    for block in re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M):
        assert isinstance(yaml.safe_load(block), dict)


def test_readme_links_the_integrations():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sections = doc_sections()
    for anchor in re.findall(r"\(docs/integrations\.md#([\w-]+)\)", readme):
        titles = {re.sub(r"[^\w\- ]", "", t).strip().lower().replace(" ", "-") for t in sections}
        assert anchor in titles, anchor
    assert "pipx install ." in readme and "pip install ." in readme
    assert "pip install -e . && iacm-lint check testdata/examples/onboarding-ready" in readme


def test_github_workflow_uploads_the_sarif_file_the_check_writes(tmp_path, env):
    workflow, with_action = yaml_blocks("GitHub Actions (SARIF upload)")
    assert workflow["permissions"]["security-events"] == "write"
    steps = steps_of(workflow)
    assert steps[0]["uses"].startswith("actions/checkout@")
    (check,) = [s for s in steps if s.get("run", "").startswith("iacm-lint check")]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert steps.index(check) < steps.index(upload)
    target = sarif_target(check["run"])
    assert upload["with"]["sarif_file"] == target
    assert f"hashFiles('{target}')" in upload["if"] and "!cancelled()" in upload["if"]
    (install,) = [s for s in steps[:steps.index(check)] if s.get("run", "").startswith("pipx install ")]

    # the install step names the version and the cache folder; the cache step keeps that folder
    from iacm_lint import __version__

    runner_temp, github_env = tmp_path / "runner-temp", tmp_path / "github-env"
    runner_temp.mkdir()
    after_pipx = install["run"].split("\n", 1)[1]  # pipx from the index is not for a unit test
    subprocess.run(["bash", "-eo", "pipefail", "-c", after_pipx], env={**env, "GITHUB_ENV": str(github_env),
                   "RUNNER_TEMP": str(runner_temp)}, check=True, timeout=60)
    job_env = dict(line.split("=", 1) for line in github_env.read_text().splitlines())
    assert job_env == {"IACM_LINT_VERSION": __version__, "IACM_LINT_CACHE_DIR": f"{runner_temp}/iacm-lint-cache"}
    (keep,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert steps.index(install) < steps.index(keep) < steps.index(check)
    assert keep["with"]["path"] == "${{ runner.temp }}/iacm-lint-cache"
    assert keep["with"]["key"].startswith(keep["with"]["restore-keys"])
    assert keep["with"]["restore-keys"] == "iacm-lint-${{ env.IACM_LINT_VERSION }}-"

    workspace = repo_with(tmp_path, "local-backend")
    done = run_iacm_lint(check["run"], workspace, {**env, **job_env})
    assert done.returncode == 1, done.stderr  # the job fails on the error
    assert done.stdout.startswith("::error file=backend.tf,line=4,col=3,")
    assert sarif_uris(workspace / target) == ["backend.tf"]
    assert (runner_temp / "iacm-lint-cache" / "key").is_file()  # what the cache step saves

    # the composite action example passes only inputs the action declares
    (uses,) = [s for s in steps_of(with_action) if s.get("uses", "").startswith("iacm-lint/iacm-lint@")]
    assert set(uses["with"]) <= set(action()["inputs"])
    assert with_action["permissions"]["security-events"] == "write"
    runner = ActionRunner(workspace, tmp_path, env, {k: str(v) for k, v in uses["with"].items()})
    assert runner.run() == 1
    assert runner.uploads == [{"sarif_file": "iacm-lint.sarif", "category": "iacm-lint"}]


def test_harness_run_step_fails_the_stage_and_is_a_valid_pipeline(tmp_path, env):
    (pipeline,) = yaml_blocks("Harness CI Run step")
    (stage,) = [s["stage"] for s in pipeline["pipeline"]["stages"]]
    assert stage["type"] == "CI" and stage["spec"]["cloneCodebase"] is True
    (step,) = [s["step"] for s in stage["spec"]["execution"]["steps"]]
    assert step["type"] == "Run"
    spec = step["spec"]
    assert spec["shell"] in {"Sh", "Bash"} and spec["image"] and spec["connectorRef"]
    command = spec["command"]
    assert command.startswith("iacm-lint check ") and "||" not in command and ";" not in command  # exit code kept
    assert "failureStrategies" not in stage  # the default strategy fails the stage on a failed step
    # the cache folder is a subfolder (iacm-lint creates it 0700) of a cached path shared outside /harness
    cache_dir = Path(spec["envVariables"]["IACM_LINT_CACHE_DIR"])
    caching = stage["spec"]["caching"]
    assert caching["enabled"] is True and caching["key"].startswith("iacm-lint-")
    assert str(cache_dir.parent) in caching["paths"] and str(cache_dir.parent) in stage["spec"]["sharedPaths"]
    assert not cache_dir.is_relative_to("/harness")  # the codebase is cloned there

    reports = step["spec"]["reports"]
    assert reports["type"] == "JUnit"
    (junit,) = reports["spec"]["paths"]
    assert f"junit:{junit}" in shlex.split(command)

    failing = repo_with(tmp_path, "local-backend", name="failing")
    assert run_iacm_lint(command, failing, env).returncode == 1
    assert sarif_uris(failing / sarif_target(command)) == ["backend.tf"]
    assert '<testcase classname="IACM106" name="backend.tf">' in (failing / junit).read_text()

    # iacm-lint reads Harness pipelines too: the example itself is a clean pipeline
    clean = repo_with(tmp_path, "onboarding-ready", name="clean")
    (clean / ".harness").mkdir()
    (clean / ".harness" / "iacm-lint.yaml").write_text(doc_sections()["Harness CI Run step"].split("```yaml\n")[1]
                                                       .split("```")[0])
    done = run_iacm_lint(command, clean, env)
    assert done.returncode == 0, done.stdout
    assert "0 errors, 0 warnings, 0 notes" in done.stdout


def test_gitlab_job_writes_a_code_quality_report_and_keeps_the_exit_code(tmp_path, env):
    (config,) = yaml_blocks("GitLab CI")
    job = config["iacm-lint"]
    assert job["image"]["entrypoint"] == [""]
    assert job["artifacts"]["when"] == "always"
    report = job["artifacts"]["reports"]["codequality"]
    junit = job["artifacts"]["reports"]["junit"]
    (check,) = [line for line in job["script"] if "iacm-lint check" in line]
    assert check.endswith("|| status=$?") and job["script"][-1] == "exit $status"
    assert job["artifacts"]["paths"] == [sarif_target(check.split("||")[0])]
    assert f"gitlab:{report}" in shlex.split(check) and f"junit:{junit}" in shlex.split(check)

    def run_job(workspace: Path) -> subprocess.CompletedProcess:
        # GitLab expands the job's variables, runs before_script and script in one shell that stops at the
        # first failing line, then after_script in another shell whatever happened
        job_env = {**env, "CI_PROJECT_DIR": str(workspace)}
        job_env.update({name: os.path.expandvars(value.replace("$CI_PROJECT_DIR", str(workspace)))
                        for name, value in job["variables"].items()})
        shell = ["bash", "-eo", "pipefail", "-c"]
        done = subprocess.run(shell + ["\n".join(job["before_script"] + job["script"])], cwd=workspace, env=job_env,
                              capture_output=True, text=True, timeout=120)
        after = subprocess.run(shell + ["\n".join(job["after_script"])], cwd=workspace, env=job_env, timeout=60)
        assert after.returncode == 0
        return done

    failing = repo_with(tmp_path, "local-backend", name="failing")
    done = run_job(failing)
    assert done.returncode == 1, done.stderr
    (finding,) = json.loads(run_iacm_lint("iacm-lint check . --format json", failing, env).stdout)["findings"]
    assert json.loads((failing / report).read_text()) == [{
        "type": "issue",
        "check_name": "IACM106",
        "description": "IACM106 backend \"local\" in backend.tf is committed and overrides the workspace's backend "
                       "during remote execution; remove it or git-ignore backend.tf",
        "fingerprint": f"IACM106:{finding['fingerprint']}",  # as the Python snippet this job used to run wrote it
        "severity": "major",
        "location": {"path": "backend.tf", "lines": {"begin": 4, "end": 4}},
    }]
    assert '<testcase classname="IACM106" name="backend.tf">' in (failing / junit).read_text()
    assert sarif_uris(failing / "iacm-lint.sarif") == ["backend.tf"]

    # a suppressed finding stays out of the report (and out of the exit code)
    backend = failing / "backend.tf"
    backend.write_text(backend.read_text().replace(
        '  backend "local" {', '  # iacm-lint: ignore[IACM106] laptop-only state\n  backend "local" {'))
    done = run_job(failing)
    assert done.returncode == 0, done.stderr
    assert json.loads((failing / report).read_text()) == []

    clean = repo_with(tmp_path, "onboarding-ready", name="clean")
    done = run_job(clean)
    assert done.returncode == 0, done.stderr
    assert json.loads((clean / report).read_text()) == []

    # the cache GitLab saves (inside the checkout) is moved out of the scanned tree for the scan, then back
    assert job["cache"]["paths"] == [".iacm-lint-cache/"] and job["cache"]["key"].startswith("iacm-lint-")
    saved = clean / ".iacm-lint-cache"
    key = (saved / "key").read_bytes()
    assert list(saved.glob("models-*.sqlite")) and not (tmp_path / "iacm-lint-cache").exists()
    assert run_job(clean).returncode == 0 and (saved / "key").read_bytes() == key  # restored, used, saved again
    assert "cache directory" not in done.stderr

    # a folder of that name that the repository tracks is the repository's: never moved into place
    planted = repo_with(tmp_path, "onboarding-ready", name="planted")
    (planted / ".iacm-lint-cache").mkdir()
    (planted / ".iacm-lint-cache" / "key").write_bytes(b"k" * 32)
    # as a checkout under umask 077 leaves it: iacm-lint would take it
    (planted / ".iacm-lint-cache" / "key").chmod(0o600)
    git(planted, "add", "-f", ".iacm-lint-cache/key")
    git(planted, "commit", "-q", "-m", "plant a cache key")
    (tmp_path / "iacm-lint-cache").mkdir(mode=0o700)
    assert run_job(planted).returncode == 0
    assert (planted / ".iacm-lint-cache" / "key").read_bytes() != b"k" * 32  # replaced by the job's own cache


def test_pre_commit_config_example_uses_the_shipped_hook(tmp_path, env):
    (config,) = yaml_blocks("pre-commit")
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/iacm-lint/iacm-lint" and repo["rev"]
    (used,) = repo["hooks"]
    assert used["id"] == hook()["id"]
    # the args are valid `iacm-lint check` options: the hook runs `entry + args`
    workspace = repo_with(tmp_path, "onboarding-ready")
    done = run_iacm_lint(" ".join([hook()["entry"], *map(shlex.quote, used["args"])]), workspace, env)
    assert done.returncode == 0, done.stderr
    assert "iacm-lint try-repo" not in DOCS.read_text() and "pre-commit try-repo" in doc_sections()["pre-commit"]
