"""`iacm-lint report`: the readiness model, the Markdown report (syrupy
snapshots of three example repositories), the self-contained HTML page, and
the page in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from iacm_lint import __version__
from iacm_lint.cli import main
from iacm_lint.cli.report import link_base
from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.registry import get_rule
from iacm_lint.report.readiness import html as report_html, markdown as report_md, model as readiness
from iacm_lint.sanitise import shown

EXAMPLES = Path(__file__).resolve().parent.parent / "testdata" / "examples"
VERSION = "0.0.0-test"  # the footer names the tool version; fixed so snapshots survive releases

# The literal secrets written into testdata/examples/report-blocked (fake values).
BLOCKED_SECRETS = ("AKIAZ7QH3KX2M4PLNW5R", "q8Vt2LmR9xWc4KpZ7nJd3HsY6fBg1TaE5uXo0QiN", "Wq7#pLz2!vR9kT4m")


class MarkdownSnapshot(SingleFileSnapshotExtension):
    """One readable .md file per snapshot."""

    _write_mode = WriteMode.TEXT
    _file_extension = "md"
    file_extension = "md"


@pytest.fixture
def md_snapshot(snapshot):
    return snapshot.use_extension(MarkdownSnapshot)


def model(name: str, **kwargs) -> readiness.Readiness:
    """The report of an example, with the revision of a scan outside git: the
    examples lie in this repository, whose remote, commit and directory
    differ from one checkout to the next (the header has tests of its own)."""
    report = readiness.build(run([str(EXAMPLES / name)], Options(jobs=1)), tool_version=VERSION, **kwargs)
    return replace(report, revision=readiness.Revision())


def verdicts(report: readiness.Readiness) -> dict[str, str]:
    return {root.directory: root.verdict for root in report.roots}


# ---- the model ------------------------------------------------------------------


def test_verdicts_of_the_three_examples():
    assert verdicts(model("onboarding-ready")) == {".": "ready"}
    assert verdicts(model("report-needs-work")) == {".": "needs work"}
    assert verdicts(model("report-blocked")) == {"app": "blocked", "harness": "needs work", "network": "ready"}


def test_model_uses_the_findings_of_check():
    """No second analysis path: every visible finding of `check` is in the
    report, each root's to-do list holds exactly the findings under it, in
    severity order."""
    result = run([str(EXAMPLES / "report-blocked")], Options(jobs=1))
    report = readiness.build(result)
    assert [(i.rule_id, i.path, i.line, i.col) for i in report.items] == [
        (f.rule_id, f.span.path, f.span.line, f.span.col) for f in sorted(result.findings, key=lambda f: f.sort_key)]
    app = next(r for r in report.roots if r.directory == "app")
    ranks = [readiness.LEVEL_RANK[i.level] for i in app.todo]
    assert ranks == sorted(ranks)
    assert {i.path.split("/")[0] for i in app.todo} == {"app", ".harness"}
    assert all(i.path == ".harness/app.yaml" for i in app.todo if i.category == "5xx pipelines")
    assert not report.repository_items


def test_backend_summary_and_versions():
    root = model("onboarding-ready").roots[0]
    assert root.engine == "OpenTofu"
    assert root.versions == (("OpenTofu", "1.8.0–1.12.6"), ("Terraform", "1.5.0–1.5.7"))
    (backend,) = root.backends
    assert backend == readiness.BackendSummary(
        type="s3", location="bucket = acme-platform-tfstate, region = us-east-1",
        key="key = network/prod/terraform.tfstate", locking="dynamodb_table = acme-platform-tf-locks",
        encryption="encrypt = true", configured_in=("backends.tf:5",), label='backend "s3"', lock_mode="optional")
    blocked = {r.directory: r for r in model("report-blocked").roots}
    assert blocked["app"].backends[0].locking == "none"
    assert blocked["network"].backends[0].locking == "built in"
    assert blocked["network"].backends[0].encryption == "at rest (storage default)"
    assert blocked["network"].backends[0].key == "prefix = network/prod"


# Backends on which the report once said something else than IACM110/IACM112
# judge: (backend block body, findings of the two rules, locking, encryption).
LOCK_AND_ENCRYPTION_CASES = {
    "consul lock = false": ('backend "consul" {\n    path = "app"\n    lock = false\n  }',
                            ["IACM110"], "disabled (lock = false)", "none"),
    "use_lockfile TRUE is no lock": ('backend "s3" {\n    bucket = "b"\n    key = "k"\n    region = "r"\n'
                                     '    use_lockfile = "TRUE"\n    encrypt = true\n  }',
                                     ["IACM110"], "none", "encrypt = true"),
    "encrypt = false wins over a key": ('backend "s3" {\n    bucket = "b"\n    key = "k"\n    region = "r"\n'
                                        '    dynamodb_table = "t"\n    encrypt = false\n'
                                        '    kms_key_id = "alias/k"\n  }',
                                        ["IACM112"], "dynamodb_table = t", "off"),
    "an empty partial configuration": ('backend "s3" {}', [], "set at init (partial configuration)",
                                       "set at init (partial configuration)"),
    "remote locks": ('backend "remote" {\n    organization = "acme"\n    workspaces {\n      name = "app"\n    }\n  }',
                     [], "built in", "at rest (storage default)"),
}


@pytest.mark.parametrize("case", sorted(LOCK_AND_ENCRYPTION_CASES))
def test_the_backend_summary_says_what_the_lock_and_encryption_rules_judge(tmp_path, case):
    body, findings, locking, encryption = LOCK_AND_ENCRYPTION_CASES[case]
    (tmp_path / "main.tf").write_text(f"terraform {{\n  {body}\n}}\n")
    result = run([str(tmp_path)], Options(jobs=1, cache=False, select=("IACM110", "IACM112")))
    assert [f.rule_id for f in result.findings] == findings
    (backend,) = readiness.build(result).roots[0].backends
    assert (backend.locking, backend.encryption) == (locking, encryption)


def test_pipelines_are_tied_to_roots_by_workspace_resource():
    blocked = {r.directory: r for r in model("report-blocked").roots}
    (network_stage,) = blocked["network"].pipelines
    assert (network_stage.path, network_stage.line, network_stage.workspace) == (".harness/network.yaml", 7,
                                                                                 "retail_network")
    assert network_stage.matched_by == "workspace resource at harness/workspaces.tf:1"
    assert [s.text for s in network_stage.steps] == [
        "init (IACMOpenTofuPlugin)", "plan (IACMOpenTofuPlugin)", "approve (IACMApproval)",
        "apply (IACMOpenTofuPlugin)"]
    (app_stage,) = blocked["app"].pipelines
    assert [s.text for s in app_stage.steps] == ["Init (IACM_TOFU_INIT)", "Plan (IACM_TOFU_PLAN)", "apply (Run)"]
    assert [w.identifier for w in blocked["app"].workspaces] == ["retail_app"]
    assert blocked["harness"].pipelines == ()
    single = model("report-needs-work").roots[0]
    assert [p.matched_by for p in single.pipelines] == ["the only root in the scan"]


def test_heredoc_pipeline_naming_the_workspace_resource_targets_its_root():
    """`workspace: ${harness_platform_workspace.network.identifier}` in a
    harness_platform_pipeline heredoc ties the stage to that workspace's root."""
    case = EXAMPLES.parent / "rules" / "IACM506" / "fail-heredoc-pipeline"
    report = readiness.build(run([str(case)], Options(jobs=1)))
    roots = {r.directory: r for r in report.roots}
    assert set(roots) == {"harness", "infra/network"}
    (stage,) = roots["infra/network"].pipelines
    assert (stage.path, stage.line, stage.pipeline, stage.stage) == ("harness/pipelines.tf", 15, "network_plan_apply",
                                                                     "provision")
    assert stage.matched_by == "workspace resource at harness/workspaces.tf:1"
    assert [s.text for s in stage.steps] == ["init (IACMOpenTofuPlugin)", "plan (IACM_TOFU_PLAN)",
                                             "approve (IACMApproval)", "apply (IACMOpenTofuPlugin)"]
    assert [(w.identifier, w.provisioner) for w in roots["infra/network"].workspaces] == [("network", "opentofu 1.8.8")]
    assert report.unresolved_pipelines == ()
    # the heredoc's findings concern the root the stage targets as well as the file's own root
    pipeline_findings = [(i.rule_id, i.location) for i in roots["infra/network"].todo if i.category == "5xx pipelines"]
    assert pipeline_findings == [("IACM506", "harness/pipelines.tf:37:29"), ("IACM502", "harness/pipelines.tf:50:21")]
    assert [i for i in roots["harness"].todo if i.category == "5xx pipelines"] == list(
        i for i in roots["infra/network"].todo if i.category == "5xx pipelines")
    assert {c.key: c.status for c in roots["infra/network"].checklist}["pipeline"] == "fail"


def test_checklist_per_root():
    blocked = {r.directory: r for r in model("report-blocked").roots}
    status = {d: {c.key: c.status for c in r.checklist} for d, r in blocked.items()}
    assert status["app"] == {"backend": "pass", "state": "fail", "credentials": "fail", "pipeline": "fail",
                             "version": "pass"}
    assert status["harness"] == {"backend": "pass", "state": "warn", "credentials": "pass", "pipeline": "n/a",
                                 "version": "pass"}
    assert set(status["network"].values()) == {"pass"}
    credentials = next(c for c in blocked["app"].checklist if c.key == "credentials")
    assert credentials.detail == "IACM201, IACM204"


def _two_roots_and_an_unresolved_stage(tmp_path) -> readiness.Readiness:
    (tmp_path / "envs" / "dev").mkdir(parents=True)
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    for env in ("dev", "prod"):
        (tmp_path / "envs" / env / "main.tf").write_text('terraform {\n  backend "gcs" {\n    bucket = "b"\n'
                                                         f'    prefix = "{env}"\n  }}\n}}\n')
    (tmp_path / "deploy.yaml").write_text(
        "pipeline:\n  name: p\n  identifier: p\n  stages:\n    - stage:\n        name: s\n        identifier: s\n"
        "        type: IACM\n        spec:\n          workspace: somewhere\n          execution:\n            steps:\n"
        "              - step:\n                  type: IACM_TOFU_INIT\n                  name: Init\n"
        "                  identifier: Init\n")
    return readiness.build(run([str(tmp_path)], Options(jobs=1)))


def test_findings_outside_every_root_are_repository_wide(tmp_path):
    report = _two_roots_and_an_unresolved_stage(tmp_path)
    assert sorted(verdicts(report).values()) == ["ready", "ready"]
    assert [(s.path, s.workspace) for s in report.unresolved_pipelines] == [("deploy.yaml", "somewhere")]
    assert report.repository_verdict == "blocked"
    assert {i.path for i in report.repository_items} == {"deploy.yaml"}
    text = report_md.render(report)
    assert "### Repository-wide" in text and "#### Pipelines without a resolvable root" in text


def test_mask_message_keeps_only_a_credential_format_prefix():
    assert readiness.mask_message('sets "x" to a literal credential (abcdefgh…); remove it') == \
        'sets "x" to a literal credential (…); remove it'
    assert readiness.mask_message("a short one (h…) goes") == "a short one (…) goes"
    assert readiness.mask_message("a token (xoxb-…), a URL (https://…), (…)") == \
        "a token (xoxb-…), a URL (https://…), (…)"


def test_link_base_points_from_the_report_to_the_scan_root(tmp_path):
    assert link_base(str(tmp_path), None) == ""
    assert link_base(str(tmp_path), str(tmp_path / "report.md")) == ""
    assert link_base(str(tmp_path / "repo"), str(tmp_path / "out" / "report.html")) == "../repo"
    report = model("onboarding-ready", link_base="../repo")
    assert report.link("backends.tf", 5) == "../repo/backends.tf#L5"


# ---- Markdown -------------------------------------------------------------------


@pytest.mark.parametrize("example", ["onboarding-ready", "report-needs-work", "report-blocked"])
def test_markdown_report(example, md_snapshot):
    text = report_md.render(model(example))
    assert str(EXAMPLES) not in text  # no absolute paths: the snapshot is the same on every machine
    assert text == md_snapshot


def test_cli_report_markdown_and_html(tmp_path):
    runner = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"})
    path = str(EXAMPLES / "report-blocked")
    result = runner.invoke(main, ["report", path])
    assert result.exit_code == 0, result.output
    scanned_at = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    expected = report_md.render(readiness.build(run([path], Options(jobs=1, revision=True)), scanned_at=scanned_at))
    assert result.output == expected
    assert "**Scanned:** 2023-11-14 22:13:20 UTC" in result.output
    target = tmp_path / "readiness.html"
    result = runner.invoke(main, ["report", path, "--format", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    relative = os.path.relpath(path, tmp_path).replace(os.sep, "/")
    assert f'href="{relative}/app/backends.tf#L7"' in page


def test_cli_report_rejects_a_missing_path():
    result = CliRunner().invoke(main, ["report", "does-not-exist"])
    assert result.exit_code == 2
    assert "path does not exist: does-not-exist" in result.output


# ---- secrets never leave the report unmasked --------------------------------------


@pytest.mark.parametrize("render", [report_md.render, report_html.render], ids=["markdown", "html"])
def test_secrets_are_masked(render):
    report = model("report-blocked")
    text = render(report)
    for secret in BLOCKED_SECRETS:
        assert secret[:5] not in text and secret[1:5] not in text
    assert "(AKIA…)" in text  # a credential format's fixed prefix, nothing of the secret
    assert "literal credential (…)" in text and "literal password as its default (…)" in text
    app = next(r for r in report.roots if r.directory == "app")
    assert [(s.rule_id, s.line) for s in app.secrets] == [("IACM201", 7), ("IACM201", 8), ("IACM204", 8)]


# ---- HTML: self-contained -------------------------------------------------------------


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.tags: list[str] = []
        self.scripts_with_src = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "action", "xlink:href") and value is not None:
                self.urls.append((tag, name, value))
        if tag == "script" and any(name == "src" for name, _ in attrs):
            self.scripts_with_src += 1


@pytest.mark.parametrize("example", ["onboarding-ready", "report-blocked"])
def test_html_is_self_contained(example):
    page = report_html.render(model(example))
    parser = _Resources()
    parser.feed(page)
    assert parser.scripts_with_src == 0
    assert not {"link", "img", "iframe", "object", "embed", "video", "audio", "source"} & set(parser.tags)
    for tag, attribute, value in parser.urls:
        if re.match(r"(?i)^[a-z][a-z0-9+.-]*:", value):
            # only plain links to the rule documentation may leave the page
            assert (tag, attribute) == ("a", "href"), value
            assert re.fullmatch(r"https://github\.com/iacm-lint/iacm-lint/blob/main/docs/rules/IACM\d{3}\.md", value)
        else:
            assert not value.startswith("//"), value
    assert not re.search(r"(?i)@import|@font-face|url\(", page)
    assert "<svg" in page and "<style>" in page and "@media print" in page
    assert page.count("<script>") == 1


def test_html_chart_counts_findings_by_category():
    report = model("report-blocked")
    counts = dict(report.category_counts)
    assert counts["2xx secrets"] == {"error": 3, "warning": 0, "note": 0}
    svg = report_html.category_chart(report)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>2xx secrets: 3 errors</title>" in svg
    for _, label in readiness.CATEGORIES:
        assert f">{label}</text>" in svg


# ---- HTML in headless Chromium ---------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed "
                                    "(Debian: apt-get install -y chromium; .ci/run installs it)")


def _chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--disable-extensions", f"--user-data-dir={cwd / 'profile'}",
               "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: the page must need no network
               "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def _console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def blocked_page(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("html")
    page = directory / "readiness.html"
    page.write_text(report_html.render(model("report-blocked")), encoding="utf-8")
    return page


@needs_chromium
def test_html_in_chromium_shows_every_verdict_without_console_errors(blocked_page):
    done = _chromium("--dump-dom", blocked_page.as_uri(), cwd=blocked_page.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_messages(done.stderr) == []
    dom = done.stdout
    assert 'data-interactive="yes"' in dom  # the inline script ran to its end
    for directory, verdict in (("app", "blocked"), ("harness", "needs work"), ("network", "ready")):
        assert re.search(rf'<span class="verdict [a-z-]+" data-root="{directory}">{verdict}</span>', dom), directory
    assert "8 of 8" in dom


@needs_chromium
def test_html_in_chromium_filters_and_sorts(blocked_page):
    done = _chromium("--dump-dom", blocked_page.as_uri() + "#filter=IACM201&sort=1", cwd=blocked_page.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_messages(done.stderr) == []
    dom = done.stdout
    assert "2 of 8" in dom
    rows = re.findall(r'<tr data-level="(\w+)"[^>]*?( hidden="")?>\s*<td[^>]*>.*?</td>\s*<td data-sort="(IACM\d+)"',
                      dom, re.S)
    shown = [rule for _, hidden, rule in rows if not hidden]
    assert shown == ["IACM201", "IACM201"]
    assert [rule for _, _, rule in rows] == sorted(rule for _, _, rule in rows)  # sorted by the Rule column
    assert 'aria-sort="ascending"' in dom


@needs_chromium
def test_html_in_chromium_screenshot_shows_the_verdict_colours(blocked_page):
    shot = blocked_page.parent / "shot.png"
    done = _chromium(f"--screenshot={shot}", "--window-size=1000,700", "--hide-scrollbars", blocked_page.as_uri(),
                     cwd=blocked_page.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_messages(done.stderr) == []
    width, height, pixels = _read_png(shot.read_bytes())
    assert (width, height) == (1000, 700)
    colours = set(pixels)
    # the summary table's verdict badges: blocked (red), needs work (orange), ready (green)
    for name, rgb in (("blocked", (0xC6, 0x28, 0x28)), ("needs work", (0xEF, 0x6C, 0x00)),
                      ("ready", (0x2E, 0x7D, 0x32))):
        assert rgb in colours, f"no {name} badge colour in the screenshot"


def _read_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) into RGB pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", None
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    pixels = []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                upper_left = previous[i - channels] if i >= channels else 0
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
                line[i] = (line[i] + predictor) & 0xFF
        pixels.extend(tuple(line[i:i + 3]) for i in range(0, stride, channels))
        previous = line
    return width, height, pixels


# ---- the checklist shows "met" only for what the code shows -------------------------------

UNVERIFIABLE = {
    # no required_version: IACM303 is a note, the version is not known to be supported
    "noversion/main.tf": ('terraform {\n  backend "gcs" {\n    bucket = "acme-tfstate"\n'
                          '    prefix = "noversion"\n  }\n}\n'),
    # a backend type no engine has (IACM109): its locking cannot be judged
    "unknown/main.tf": 'terraform {\n  required_version = ">= 1.6.0"\n  backend "etcdv4" {\n'
                       '    endpoints = ["etcd-1:2379"]\n  }\n}\n',
    # an empty s3 block: bucket, key and the lock settings come from the workspace at init
    "partial-s3/main.tf": 'terraform {\n  required_version = ">= 1.6.0"\n  backend "s3" {}\n}\n',
    # an empty gcs block: gcs always locks, so the state is judged; its values come at init
    "partial-gcs/main.tf": 'terraform {\n  required_version = ">= 1.6.0"\n  backend "gcs" {}\n}\n',
}


def checklists(report: readiness.Readiness) -> dict[str, dict[str, tuple[str, str]]]:
    return {root.directory: {c.key: (c.status, c.detail) for c in root.checklist} for root in report.roots}


def test_checklist_shows_met_only_for_what_the_code_shows(tmp_path):
    from gitrepo import write

    write(tmp_path, UNVERIFIABLE)
    report = readiness.build(run([str(tmp_path)], Options(jobs=1)))
    checks = checklists(report)
    assert checks["noversion"]["version"] == ("unverified", "IACM303 (no required_version)")
    assert checks["noversion"]["backend"] == ("pass", "")
    assert checks["unknown"]["backend"] == ("fail", "IACM109")
    assert checks["unknown"]["state"] == ("unverified",
                                          'backend "etcdv4": an unknown backend type, its locking cannot be judged')
    unknown = next(r for r in report.roots if r.directory == "unknown").backends[0]
    assert (unknown.locking, unknown.encryption) == ("unknown (not a backend type the engines have)",) * 2
    assert checks["partial-s3"]["backend"] == ("warn", "IACM103")
    assert checks["partial-s3"]["state"] == ("unverified",
                                             "partial configuration: the workspace supplies the lock settings at init")
    assert checks["partial-gcs"]["state"] == ("pass", "")
    assert {c["credentials"] for c in checks.values()} == {("pass", "")}
    assert {c["pipeline"] for c in checks.values()} == {("n/a", "no pipeline in the scan targets this root")}
    assert verdicts(report) == {"noversion": "ready", "partial-gcs": "needs work", "partial-s3": "needs work",
                                "unknown": "blocked"}


def test_markdown_checklist_cells_name_their_state(tmp_path):
    from gitrepo import write

    write(tmp_path, UNVERIFIABLE)
    report = replace(readiness.build(run([str(tmp_path)], Options(jobs=1))), revision=readiness.Revision())
    text = report_md.render(report)
    assert "| [`noversion`](#root-noversion) | ✅ ready | OpenTofu | ✅ met | ✅ met | ✅ met | ➖ n/a "\
           "| ❔ not verified |\n" in text
    assert "| [`unknown`](#root-unknown) | ⛔ blocked | OpenTofu | ❌ blocked | ❔ not verified | ✅ met | ➖ n/a "\
           "| ✅ met |\n" in text
    assert "| [`partial-s3`](#root-partial-s3) | ⚠️ needs work | OpenTofu | ⚠️ needs work | ❔ not verified "\
           "| ✅ met | ➖ n/a | ✅ met |\n" in text
    assert ("\n✅ met (shown by the code) · ⚠️ needs work (warnings) · ❌ blocked (errors) · ❔ not verified "
            "(the code does not show it) · ➖ n/a (not applicable). The columns are") in text
    assert ("- [ ] ❔ not verified: Supported Terraform (≤ 1.5.x) or OpenTofu version — IACM303 "
            "(no required\\_version)\n") in text  # `_` escaped: it renders as itself
    assert "- [x] ➖ n/a: Pipelines use the Plan and Apply steps, not custom script steps — no pipeline in the "\
           "scan targets this root\n" in text


def test_a_check_whose_rules_were_switched_off_is_not_verified():
    path = str(EXAMPLES / "report-blocked")
    report = readiness.build(run([path], Options(jobs=1, ignore=("IACM203",))))
    checks = checklists(report)
    assert checks["network"]["credentials"] == ("unverified", "not checked: IACM203 switched off")
    assert checks["app"]["credentials"] == ("fail", "IACM201, IACM204")  # a finding still speaks
    assert checks["network"]["backend"] == ("pass", "")


def test_engine_reason_from_the_scans_pipelines_agrees_with_the_pipelines_section():
    roots = {r.directory: r for r in model("report-blocked").roots}
    assert roots["harness"].pipelines == () and roots["harness"].workspaces == ()
    assert roots["harness"].engine_reason == ("the scan's pipelines use OpenTofu plugin steps only, as in "
                                              ".harness/network.yaml, which does not target this root")
    assert roots["app"].engine_reason == "workspace harness_platform_workspace.app in harness/workspaces.tf"
    single = model("report-needs-work").roots[0]  # a pipeline that targets the root: named as the engine said
    assert [stage.path for stage in single.pipelines] == [".harness/deploy.yaml"]
    assert single.engine_reason == "pipeline .harness/deploy.yaml"


STAGE = ("pipeline:\n  name: p\n  identifier: p\n  stages:\n    - stage:\n        name: s\n        identifier: s\n"
         "        type: IACM\n        spec:\n          workspace: {workspace}\n          execution:\n"
         "            steps:\n"
         "{steps}")
STEP = ("              - step:\n                  type: {type}\n                  name: {name}\n"
        "                  identifier: {name}\n                  spec:\n                    command: {command}\n")


def test_a_stage_without_plan_or_apply_steps_is_not_verified(tmp_path):
    from gitrepo import write

    init = STEP.format(type="IACMOpenTofuPlugin", name="init", command="init")
    write(tmp_path, {"main.tf": 'terraform {\n  required_version = ">= 1.6.0"\n  backend "gcs" {\n'
                                '    bucket = "b"\n    prefix = "p"\n  }\n}\n',
                     ".harness/init-only.yaml": STAGE.format(workspace="w", steps=init)})
    (root,) = readiness.build(run([str(tmp_path)], Options(jobs=1))).roots
    assert {c.key: (c.status, c.detail) for c in root.checklist}["pipeline"] == (
        "unverified", "stage s (.harness/init-only.yaml:5) runs no Plan or Apply step")
    plan = STEP.format(type="IACMOpenTofuPlugin", name="plan", command="plan")
    write(tmp_path, {".harness/init-only.yaml": STAGE.format(workspace="w", steps=init + plan)})
    (root,) = readiness.build(run([str(tmp_path)], Options(jobs=1))).roots
    assert {c.key: (c.status, c.detail) for c in root.checklist}["pipeline"] == ("pass", "")


def test_stages_tied_to_no_root_leave_the_pipeline_check_unverified(tmp_path):
    """Two roots and a stage whose workspace names neither: it may run either."""
    report = _two_roots_and_an_unresolved_stage(tmp_path)
    assert {c["pipeline"] for c in checklists(report).values()} == {
        ("unverified", "1 IaCM stage of the scan could not be tied to a root, no other pipeline targets this root")}


def test_checklist_states_agree_with_the_findings():
    """FAIL exactly when an error of a check's rules is in the root's to-do
    list, WARN exactly for a warning: a cell never contradicts the verdict."""
    for name in ("onboarding-ready", "report-needs-work", "report-blocked", "local-backend",
                 "harness-platform-config"):
        for root in model(name).roots:
            for check in root.checklist:
                levels = {i.level for i in root.todo if get_rule(i.rule_id).checklist == check.key}
                expected = "fail" if "error" in levels else "warn" if "warning" in levels else None
                if expected or check.status in ("fail", "warn"):
                    assert check.status == expected or (check.key, check.detail) == (
                        "state", "local state is not shared with Harness"), (name, root.directory, check)


# ---- the header: what was scanned, when --------------------------------------------------------

TOKEN = "ghs_Secret123"


@pytest.fixture
def live_repo(tmp_path, monkeypatch) -> Path:
    """A git repository with a remote whose URL carries a token, its roots in infra/."""
    from gitrepo import git, isolate_git, make_repo

    isolate_git(monkeypatch, tmp_path / "home")
    root = make_repo(tmp_path / "live", tracked={
        "infra/app stack/main.tf": 'terraform {\n  required_version = ">= 1.6.0"\n  backend "s3" {\n'
                                   '    bucket = "b"\n    key    = "app"\n    region = "eu-west-1"\n  }\n}\n',
        "README.md": "live\n"})
    git(root, "checkout", "-q", "-b", "release/2024")
    git(root, "remote", "add", "origin", f"https://x-access-token:{TOKEN}@github.com/acme/live.git")
    return root


def test_report_header_names_remote_commit_branch_directory_and_time(live_repo):
    from gitrepo import git

    commit = git(live_repo, "rev-parse", "HEAD").strip()
    runner = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"})
    result = runner.invoke(main, ["report", str(live_repo / "infra")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2] == (
        f"**Repository:** `https://github.com/acme/live.git` · **Directory:** `infra` · **Commit:** `{commit[:12]}` · "
        f"**Branch:** `release/2024` · **Scanned:** 2023-11-14 22:13:20 UTC · **iacm-lint:** {__version__}")
    page = runner.invoke(main, ["report", str(live_repo / "infra"), "--format", "html"]).output
    assert (f'<dt>Commit</dt><dd><code title="{commit}">{commit[:12]}</code></dd>' in page)
    assert '<dt>Scanned</dt><dd><time datetime="2023-11-14T22:13:20Z">2023-11-14 22:13:20 UTC</time></dd>' in page
    assert "<dt>Repository</dt><dd><code class=\"path\">https:/<wbr>/<wbr>github.com/<wbr>acme/<wbr>live.git</code>" \
        in page
    for text in (result.output, page):
        assert TOKEN not in text and "x-access-token" not in text


def test_only_the_report_asks_git_for_head(live_repo, monkeypatch):
    from gitrepo import count_subprocesses, git_command

    calls = count_subprocesses(monkeypatch)
    assert run([str(live_repo)], Options(jobs=1, cache=False)).repo.git_commit == ""
    assert [git_command(call)[:2] for call in calls] == [["git", "ls-files"]]
    calls.clear()
    repo = run([str(live_repo)], Options(jobs=1, cache=False, revision=True)).repo
    assert (len(repo.git_commit), repo.git_branch) == (40, "release/2024")
    assert [git_command(call)[:2] for call in calls] == [["git", "ls-files"], ["git", "rev-parse"],
                                                         ["git", "symbolic-ref"]]


def test_outside_git_the_header_says_so_and_the_time_is_now(tmp_path):
    (tmp_path / "main.tf").write_text('terraform {\n  required_version = ">= 1.6.0"\n}\n')
    before = datetime.now(timezone.utc).replace(microsecond=0)
    result = CliRunner(env={"SOURCE_DATE_EPOCH": None}).invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[2]
    assert line.startswith("**Repository:** not a git repository · **Scanned:** ")
    scanned = datetime.strptime(line.split("**Scanned:** ")[1].split(" UTC")[0], "%Y-%m-%d %H:%M:%S")
    assert before <= scanned.replace(tzinfo=timezone.utc) <= datetime.now(timezone.utc)


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "17000000000000"])
def test_a_bad_source_date_epoch_is_an_error(tmp_path, value):
    result = CliRunner(env={"SOURCE_DATE_EPOCH": value}).invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (f"iacm-lint: SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01 UTC, "
                             f"not {value!r}\n")


# ---- links that survive moving the report -------------------------------------------------------


def test_source_url_links_repository_relative_percent_encoded_paths(live_repo, tmp_path):
    base = "https://github.com/acme/live/blob/0123abc"  # the missing / is added
    out = tmp_path / "elsewhere" / "report.md"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["report", str(live_repo / "infra"), "--source-url", base, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "](https://github.com/acme/live/blob/0123abc/infra/app%20stack/main.tf#L3)" in text
    assert "](../" not in text and "](./" not in text
    page = CliRunner().invoke(main, ["report", str(live_repo / "infra"), "--format", "html", "--source-url",
                                     base + "/"]).output
    assert 'href="https://github.com/acme/live/blob/0123abc/infra/app%20stack/main.tf#L3"' in page


def test_without_source_url_links_are_relative_to_the_report(live_repo, tmp_path):
    out = tmp_path / "elsewhere" / "report.md"
    out.parent.mkdir()
    assert CliRunner().invoke(main, ["report", str(live_repo / "infra"), "-o", str(out)]).exit_code == 0
    assert "](../live/infra/app%20stack/main.tf#L3)" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("value, why", [
    ("javascript:alert(1)//", "must start with https:// or http://"),
    ("ftp://host.example/repo/", "must start with https:// or http://"),
    ("https://user:pw@github.com/acme/live/blob/x/", "needs a host and no user name or password"),
    ("https://github.com/acme/live/blob/x/?plain=1",
     "must not have a query or fragment: file paths are appended to it"),
    ('https://github.com/a"onmouseover="x', "must be a URL without spaces, quotes or other characters URLs escape"),
    ("https:///path", "needs a host and no user name or password"),
])
def test_source_url_must_be_a_plain_http_url(tmp_path, value, why):
    result = CliRunner().invoke(main, ["report", str(tmp_path), "--source-url", value])
    assert result.exit_code == 2
    assert f"Invalid value for '--source-url': {shown(value, 80)} {why}" in result.output
