"""docs/survey.md: the GitHub Actions workflow and the Harness CI pipeline
that fan the survey out over a matrix, run here as far as a test can: each
matrix job's commands in bash against local checkouts of the examples, the
artifacts merged as the download step merges them, then the survey job's
commands; the result is the survey of the checkouts. The Harness pipeline
is also a valid pipeline to iacm-lint itself."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gitrepo import git, isolate_git, make_repo

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "survey.md"
EXAMPLES = ROOT / "testdata" / "examples"
BIN = Path(sys.executable).parent


def yaml_blocks(section: str) -> list:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^#{2,3} (.+)$", text, flags=re.M)
    body = dict(zip(parts[1::2], parts[2::2], strict=True))[section]
    return [yaml.safe_load(block) for block in re.findall(r"^```yaml\n(.*?)^```", body, re.S | re.M)]


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict[str, str]:
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):  # two checkouts of one example: one commit
        monkeypatch.setenv(name, "2023-11-14T22:13:20Z")
    return dict(os.environ)


def checkout(directory: Path, example: str) -> Path:
    shutil.copytree(EXAMPLES / example, directory)
    make_repo(directory, tracked={})
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "-m", "example")
    return directory


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def survey_of_checkouts(directory: Path, env: dict[str, str]) -> list[dict]:
    done = subprocess.run(["iacm-lint", "survey", "--repos-in", str(directory), "--format", "json", "-q"], env=env,
                          capture_output=True, text=True, timeout=120)
    return [{k: v for k, v in r.items() if k != "path"} for r in json.loads(done.stdout)["repositories"]]


EXAMPLE_OF = {"network": "report-blocked", "payments": "report-needs-work", "data-platform": "onboarding-ready"}


def test_github_actions_matrix_then_survey(tmp_path, env):
    (workflow,) = yaml_blocks("GitHub Actions")
    report, survey = workflow["jobs"]["report"], workflow["jobs"]["survey"]
    assert report["strategy"]["fail-fast"] is False
    repositories = report["strategy"]["matrix"]["repository"]
    assert [r.split("/")[1] for r in repositories] == list(EXAMPLE_OF)
    assert survey["needs"] == "report" and survey["if"] == "${{ !cancelled() }}"
    assert workflow["permissions"] == {"contents": "read"}
    steps = report["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["path"] == "repos/${{ matrix.repository }}"
    assert steps[0]["with"]["persist-credentials"] is False
    (document_step,) = [s for s in steps if "iacm-lint report" in s.get("run", "")]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"] == {"name": "${{ env.ARTIFACT }}", "path": "readiness/"}
    (download,) = [s for s in survey["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["merge-multiple"] is True
    pattern = download["with"]["pattern"]
    (survey_step,) = [s for s in survey["steps"] if "iacm-lint survey" in s.get("run", "")]
    (published,) = [s for s in survey["steps"][survey["steps"].index(survey_step):]
                    if s.get("uses", "").startswith("actions/upload-artifact@")]

    # each matrix job, in a workspace of its own; its artifact is the readiness folder
    artifacts = tmp_path / "artifacts"
    checkouts = tmp_path / "checkouts"
    for repository in repositories:
        workspace = tmp_path / "jobs" / repository.replace("/", "--")
        checkout(workspace / steps[0]["with"]["path"].replace("${{ matrix.repository }}", repository),
                 EXAMPLE_OF[repository.split("/")[1]])
        checkout(checkouts / repository.split("/")[1], EXAMPLE_OF[repository.split("/")[1]])
        github_env = tmp_path / f"{repository.replace('/', '--')}.env"
        bash(document_step["run"], workspace, {**env, **{k: v.replace("${{ matrix.repository }}", repository)
                                                         for k, v in document_step["env"].items()},
                                               "GITHUB_ENV": str(github_env)})
        artifact = github_env.read_text(encoding="utf-8").strip().removeprefix("ARTIFACT=")
        assert re.fullmatch(pattern.replace("*", ".+"), artifact)
        shutil.copytree(workspace / upload["with"]["path"], artifacts / artifact)

    # the survey job: the artifacts merged into one folder, then its commands
    survey_workspace = tmp_path / "survey"
    merged = survey_workspace / download["with"]["path"]
    merged.mkdir(parents=True)
    for artifact in artifacts.iterdir():
        for document in artifact.iterdir():
            shutil.copy(document, merged / document.name)
    assert sorted(p.name for p in merged.iterdir()) == ["acme--data-platform.json", "acme--network.json",
                                                          "acme--payments.json"]
    done = bash(survey_step["run"], survey_workspace, env)
    assert done.stderr.splitlines()[-1] == "iacm-lint survey: [3/3] payments: needs work"
    for name in published["with"]["path"].split():
        assert (survey_workspace / name).is_file()
    rows = (survey_workspace / "survey.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[:3] for row in rows[1:]] == [
        ["data-platform", "readiness/acme--data-platform.json", "ready"],
        ["network", "readiness/acme--network.json", "blocked"],
        ["payments", "readiness/acme--payments.json", "needs work"]]

    # the survey of the artifacts is the survey of the checkouts
    done = subprocess.run(["iacm-lint", "survey", *sorted(str(p) for p in merged.iterdir()), "--format", "json",
                           "-q"], env=env, capture_output=True, text=True, timeout=120)
    from_artifacts = [{k: v for k, v in r.items() if k != "path"} for r in json.loads(done.stdout)["repositories"]]
    assert from_artifacts == survey_of_checkouts(checkouts, env)


def test_harness_matrix_stage_then_survey_stage(tmp_path, env):
    (pipeline,) = yaml_blocks("Harness CI")
    report, survey = (s["stage"] for s in pipeline["pipeline"]["stages"])
    assert report["type"] == survey["type"] == "CI"
    matrix = report["strategy"]["matrix"]
    assert matrix["repository"] == list(EXAMPLE_OF) and matrix["maxConcurrency"] == 20
    assert survey["when"]["pipelineStatus"] == "All"
    clone, document_step, upload = (s["step"] for s in report["spec"]["execution"]["steps"])
    assert clone["type"] == "GitClone" and clone["spec"]["repoName"] == "<+matrix.repository>"
    assert upload["type"] == "S3Upload"
    download, survey_step, publish = (s["step"] for s in survey["spec"]["execution"]["steps"])
    assert publish["type"] == "S3Upload"
    bucket = upload["spec"]["bucket"]
    assert publish["spec"]["bucket"] == bucket and upload["spec"]["target"] == "<+pipeline.sequenceId>"
    assert download["spec"]["command"].startswith(f"aws s3 cp --recursive s3://{bucket}/<+pipeline.sequenceId>/ ")

    # each matrix stage: clone, document, "upload" into the bucket folder of this run
    harness, run_bucket = tmp_path / "harness", tmp_path / "bucket"
    run_bucket.mkdir()
    for repository, example in EXAMPLE_OF.items():
        def resolved(text: str, repository: str = repository) -> str:
            return text.replace("<+matrix.repository>", repository).replace("/harness", str(harness))

        checkout(Path(resolved(clone["spec"]["cloneDirectory"])), example)
        bash(resolved(document_step["spec"]["command"]), tmp_path, env)
        (source,) = upload["spec"]["sourcePaths"]
        shutil.copy(resolved(source), run_bucket)

    # the survey stage: "download" the folder, then its commands
    survey_root = tmp_path / "survey-stage"
    assert survey["spec"]["sharedPaths"] == ["/survey"]

    def in_stage(text: str) -> str:
        return text.replace("/survey/", f"{survey_root}/")

    shutil.copytree(run_bucket, in_stage(download["spec"]["command"].split()[-1]))
    bash(in_stage(survey_step["spec"]["command"]), tmp_path, env)
    (page,) = publish["spec"]["sourcePaths"]
    html = Path(in_stage(page)).read_text(encoding="utf-8")
    assert '<div class="card"><div class="n">3</div>repositories</div>' in html
    assert html.count('<tr data-verdict="') == 3

    # iacm-lint reads Harness pipelines too: the example is a valid pipeline without findings
    repository = make_repo(tmp_path / "pipelines", tracked={".harness/readiness-survey.yaml":
                                                           DOC.read_text(encoding="utf-8").split("```yaml\n")[2]
                                                           .split("```")[0]})
    done = subprocess.run(["iacm-lint", "check", str(repository)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout
    assert "0 errors, 0 warnings, 0 notes" in done.stdout
