"""Hostile names and values against the outputs (issue 25, items 4, 10, 14).

The repository under review is the attacker and its readers are the target:
a file name or a value must not become a GitHub workflow command in a CI log,
a terminal escape sequence (OSC 52 clipboard write, OSC 8 hyperlink), a
heading, image or link in Markdown, or script in the HTML report; and no
published fingerprint may depend on a secret (a hash of the line holding it
let `Winter2024!`, shown as `(Wi…)`, be recovered in 341 guesses)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.registry import all_rules
from iacm_lint.report.readiness import html as report_html, markdown as report_md
from iacm_lint.report.readiness.model import build
from test_readiness import _chromium, _console_messages, needs_chromium

ESC, BEL = "\x1b", "\x07"
OSC_CLIPBOARD = f"{ESC}]52;c;cm0gLXJmIH4K{BEL}"  # OSC 52: writes "rm -rf ~" to the clipboard
OSC_LINK = f"{ESC}]8;;https://evil.example/{ESC}\\click me{ESC}]8;;{ESC}\\"  # OSC 8: a disguised hyperlink
UNCLOSED = "locals {\n"  # an IACM000 finding at its "{" (1:8) in every file that holds it
FORMATS = ("text", "gcc", "github", "markdown")


def write(root: Path, files: dict) -> Path:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="")
    return root


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "iacm_lint", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def check(root: Path, fmt: str, *args: str) -> subprocess.CompletedProcess:
    done = cli("check", str(root), "--no-cache", "--format", fmt, *args)
    assert done.returncode in (0, 1), done.stderr
    return done


def unescaped(markdown: str) -> str:
    """Markdown's backslash escapes undone: the text a reader sees."""
    return re.sub(r"\\([\\`*_~\[\]|#])", r"\1", markdown)


def readiness(root: Path):
    return build(run([str(root)], Options(jobs=1, cache=False, result_cache=False)))


def command_lines(text: str) -> list[str]:
    """Lines a GitHub (or Azure) runner would execute as a workflow command."""
    return [line for line in text.splitlines() if line.lstrip().startswith(("::", "##["))]


# ---- item 10: workflow commands in the text and gcc formats ------------------------------

COMMAND_NAMES = (
    "::error file=.github%2Fworkflows%2Fci.yml,line=1::Fake annotation.tf",
    "::add-mask::hide-the-real-findings.tf",
    "::stop-commands::t0k3n.tf",
    "  ::warning::indented.tf",
    "##[error]old syntax/main.tf",  # Terraform skips files named #…, not directories
)


@pytest.mark.parametrize("fmt", ["text", "gcc"])
def test_a_file_named_like_a_workflow_command_starts_no_line(tmp_path, fmt):
    root = write(tmp_path / "repo", {name: UNCLOSED for name in COMMAND_NAMES})
    out = check(root, fmt, "--select", "IACM000").stdout
    assert command_lines(out) == []
    assert "./::error file=.github%2Fworkflows%2Fci.yml,line=1::Fake annotation.tf:1:8:" in out
    assert "./::add-mask::hide-the-real-findings.tf:1:8:" in out
    assert "./::stop-commands::t0k3n.tf:1:8:" in out
    assert "./  ::warning::indented.tf:1:8:" in out
    assert "./##[error]old syntax/main.tf:1:8:" in out


# ---- item 10: terminal escapes -----------------------------------------------------------


def test_escape_sequences_in_file_names_reach_no_output_raw(tmp_path):
    names = (f"clip{OSC_CLIPBOARD}.tf", f"link{OSC_LINK}.tf", "bidi\u202eft.exe.tf", "bell\x07del\x7fnel\x85.tf")
    root = write(tmp_path / "repo", {name: UNCLOSED for name in names})
    for fmt in FORMATS:
        out = check(root, fmt, "--select", "IACM000").stdout
        for raw in (ESC, BEL, "\x7f", "\x85", "\u202e"):
            assert raw not in out, (fmt, repr(raw))
        assert "clip\\x1b]52;c;cm0gLXJmIH4K\\x07.tf" in unescaped(out), fmt
        assert "bidi\\u202eft.exe.tf" in unescaped(out), fmt
    text = check(root, "text", "--select", "IACM000").stdout
    assert "bell\\x07del\\x7fnel\\x85.tf:1:8: error IACM000" in text


def test_osc_sequences_from_a_pin_file_reach_no_output_raw(tmp_path):
    root = write(tmp_path / "repo", {"main.tf": 'terraform {\n  required_version = ">= 1.5.0"\n}\n',
                                     ".terraform-version": f"1.5.7{OSC_CLIPBOARD}{OSC_LINK}\n"})
    for fmt in FORMATS:
        out = check(root, fmt).stdout
        assert ESC not in out and BEL not in out, fmt
    text = check(root, "text").stdout
    assert '.terraform-version:1:1: error IACM304 .terraform-version pins "1.5.7\\x1b]52;c;cm0gLXJmIH4K\\x07' in text
    for render in (report_md.render, report_html.render):
        page = render(readiness(root))
        assert ESC not in page and BEL not in page, render
        assert "1.5.7\\x1b]52;c;cm0gLXJmIH4K\\x07" in unescaped(page), render


def test_verbose_notes_and_config_errors_are_printable(tmp_path):
    root = write(tmp_path / "repo", {"main.tf": "terraform {}\n"})
    loop = root / f"d{OSC_CLIPBOARD}"
    loop.mkdir()
    (loop / "up").symlink_to("..")
    done = cli("check", str(root), "--no-cache", "--verbose")
    assert ESC not in done.stderr and BEL not in done.stderr
    assert "iacm-lint: skipped symbolic link loop at d\\x1b]52;c;cm0gLXJmIH4K\\x07/up" in done.stderr.splitlines()

    write(root, {".iacm-lint.yaml": '"bad\\n::error::forged\\e]52;c;eA==\\a": 1\n'})
    done = cli("check", ".", "--no-cache", cwd=root)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()  # the key's line break does not start a second line
    assert line.startswith("iacm-lint: .iacm-lint.yaml:1: ") and ESC not in line and BEL not in line
    assert "unknown key" in line and ("bad\\n::error::forged\\x1b]52;c;eA==\\x07" in line or "::error" not in line)


# ---- item 10: Markdown ----------------------------------------------------------------------


def test_markdown_table_cannot_be_broken_out_of(tmp_path):
    names = ("x\n# Injected heading\n![pixel](pixel.png)\n.tf", "tick` ![pixel](pixel.png) `.tf",
             "many``` ``fences`.tf", "pipe|cell.tf")
    root = write(tmp_path / "repo", {name: UNCLOSED for name in names})
    out = check(root, "markdown", "--select", "IACM000").stdout
    lines = out.splitlines()
    assert lines[:4] == ["### iacm-lint", "", "**4 errors, 0 warnings, 0 notes in 4 files**", ""]
    rows = lines[6:]
    assert len(rows) == 4 and all(row.startswith("| error | [IACM000](") and row.endswith(" |") for row in rows)
    locations = {}
    for row in rows:
        cell = re.split(r"(?<!\\)\|", row)[3].strip()
        fence = re.match(r"`+", cell).group(0)
        body = cell[len(fence):-len(fence)]
        assert cell.endswith(fence) and fence not in body, cell  # one code span: nothing escapes it
        assert max((len(run) for run in re.findall(r"`+", body)), default=0) < len(fence)
        locations[body.strip()] = cell
    assert set(locations) == {"x\\n# Injected heading\\n![pixel](pixel.png)\\n.tf:1:8",
                              "tick` ![pixel](pixel.png) `.tf:1:8", "many``` ``fences`.tf:1:8", "pipe\\|cell.tf:1:8"}
    assert "cannot parse tick\\` !\\[pixel\\](pixel.png) \\`.tf" in out


def test_markdown_report_headings_come_only_from_the_report(tmp_path):
    root = write(tmp_path / "repo", {"x\n# Injected\n![p](p.png)/main.tf": 'terraform {\n  backend "s3" {}\n}\n'})
    page = report_md.render(readiness(root))
    headings = [line for line in page.splitlines() if line.startswith("#")]
    assert "# Injected" not in headings and all(not line.startswith("![") for line in page.splitlines())
    assert "### Root x \\# Injected !\\[p\\](p.png)" in headings  # line breaks in text become spaces
    assert "[`x\\n# Injected\\n![p](p.png)/main.tf:1:1`](./x%0A%23%20Injected%0A%21%5Bp%5D%28p.png%29/main.tf#L1)" \
        in page


# ---- item 10: the HTML report ------------------------------------------------------------------

JAVASCRIPT_NAME = "javascript:alert(document.domain)<!--.tf"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.meta: dict[str, str] = {}
        self.inline: dict[str, str] = {}
        self._open = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "meta" and attrs.get("http-equiv"):
            self.meta[attrs["http-equiv"]] = attrs["content"]
        if tag in ("style", "script"):
            self._open = tag

    def handle_data(self, data):
        if self._open:
            self.inline[self._open] = self.inline.get(self._open, "") + data

    def handle_endtag(self, tag):
        self._open = ""


@pytest.fixture
def javascript_repo(tmp_path) -> Path:
    return write(tmp_path / "repo", {JAVASCRIPT_NAME: UNCLOSED, "main.tf": 'terraform {\n  backend "s3" {}\n}\n'})


def _html(root: Path) -> str:
    return report_html.render(readiness(root))


def test_html_links_to_files_cannot_form_a_scheme(javascript_repo):
    page = _Page()
    page.feed(_html(javascript_repo))
    files = [h for h in page.hrefs if not h.startswith(("#", "https://github.com/iacm-lint/iacm-lint/blob/main/"))]
    assert "./javascript%3Aalert%28document.domain%29%3C%21--.tf#L1" in files
    assert all(h.startswith("./") and not re.match(r"[a-z][a-z0-9+.-]*:", h[2:], re.I) for h in files), files
    markdown = report_md.render(readiness(javascript_repo))
    assert "](./javascript%3Aalert%28document.domain%29%3C%21--.tf#L1)" in markdown
    assert "](javascript:" not in markdown


def test_html_content_security_policy_allows_only_its_own_style_and_script(javascript_repo):
    page = _Page()
    page.feed(_html(javascript_repo))
    policy = page.meta["Content-Security-Policy"]

    def source(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    assert policy == (f"default-src 'none'; style-src {source(page.inline['style'])}; "
                      f"script-src {source(page.inline['script'])}; base-uri 'none'; form-action 'none'")


@needs_chromium
def test_html_report_works_under_its_policy_and_blocks_anything_else(javascript_repo, tmp_path):
    html = _html(javascript_repo)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "report.html").write_text(html, encoding="utf-8")
    done = _chromium("--dump-dom", (pages / "report.html").as_uri() + "#filter=javascript&sort=4", cwd=pages)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_messages(done.stderr) == []  # no CSP violation: the page's own style and script are allowed
    assert 'data-interactive="yes"' in done.stdout
    shown, total = map(int, re.search(r'id="filter-count" class="muted">(\d+) of (\d+)<', done.stdout).groups())
    assert 0 < shown < total  # it filtered
    assert 'aria-sort="ascending"' in done.stdout  # and sorted
    # Were a value to slip through the escaping, the policy would still stop it.
    injected = html.replace("<footer", '<script>document.body.setAttribute("data-pwned", "yes")</script><footer', 1)
    (pages / "injected.html").write_text(injected, encoding="utf-8")
    done = _chromium("--dump-dom", (pages / "injected.html").as_uri(), cwd=pages)
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'data-pwned="yes"' not in done.stdout  # the injected script did not run
    assert any("Content Security Policy" in line for line in _console_messages(done.stderr))


# ---- item 4: fingerprints never depend on a secret -----------------------------------------------

WORKSPACE = '''resource "harness_platform_workspace" "db" {
  identifier          = "db"
  name                = "db"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "opentofu"
  provisioner_version = "1.8.8"
  repository          = "platform-live"
  repository_path     = "infra/db"

  terraform_variable {
    key        = "db_password"
    value      = "{secret}"
    value_type = "string"
  }
}
'''

PIPELINE = '''pipeline:
  name: Deploy
  identifier: deploy
  stages:
    - stage:
        name: Provision
        identifier: provision
        type: IACM
        spec:
          workspace: db
          execution:
            steps:
              - step:
                  type: Run
                  name: smoke
                  identifier: smoke
                  spec:
                    shell: Bash
                    command: ./smoke.sh
                    envVariables:
                      DB_PASSWORD: {secret}
'''

# rule -> (files with a `{secret}` slot, how a secret of the kind is drawn)
PLANTED = {
    "IACM201": ({"backends.tf": 'terraform {\n  backend "s3" {\n    bucket = "b"\n    key = "k"\n    region = "r"\n'
                                "    secret_key = \"{secret}\"\n  }\n}\n"}, "key40"),
    "IACM202": ({"providers.tf": 'provider "aws" {\n  region     = "us-east-1"\n  secret_key = "{secret}"\n}\n'},
                "key40"),
    "IACM203": ({"main.tf": 'locals {\n  registry = "https://ci-bot:{secret}@registry.acme.io/v2"\n}\n'}, "password"),
    "IACM204": ({"variables.tf": 'variable "db_password" {\n  type    = string\n  default = "{secret}"\n}\n'},
                "password"),
    "IACM205": ({"prod.tfvars": 'db_password = "{secret}"\n'}, "password"),
    "IACM206": ({".harness/deploy.yaml": PIPELINE}, "password"),
    "IACM207": ({"main.tf": 'resource "aws_db_instance" "db" {\n  identifier = "orders"\n'
                            '  password   = "{secret}"\n}\n'},
                "password"),
    "IACM603": ({"harness/workspaces.tf": WORKSPACE}, "password"),
}


def draw(shape: str, rng: random.Random) -> str:
    if shape == "key40":
        return "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))
    return rng.choice(string.ascii_letters) + "".join(rng.choice(string.ascii_letters + string.digits)
                                                      for _ in range(13))


def plant(root: Path, files: dict, secret: str) -> Path:
    return write(root, {name: text.replace("{secret}", secret) for name, text in files.items()})


def findings_of(root: Path, **options) -> list:
    result = run([str(root)], Options(jobs=1, cache=False, result_cache=False, **options))
    assert result.internal_errors == []
    return result.findings


def fingerprints(findings) -> dict:
    return {(f.rule_id, f.span.line, f.span.col): f.fingerprint for f in findings}


def test_every_rule_that_reports_secrets_is_planted_here():
    """A new rule tagged security+secrets must be added to PLANTED, so that the
    test below proves its fingerprints hide the secret."""
    assert sorted(r.id for r in all_rules() if r.reports_secrets) == sorted(PLANTED)


@pytest.mark.parametrize("rule_id", sorted(PLANTED))
def test_two_secrets_of_one_kind_at_one_place_have_one_fingerprint(tmp_path, rule_id):
    files, shape = PLANTED[rule_id]
    rng = random.Random(rule_id)
    seen, reported = [], []
    for number in range(2):
        findings = findings_of(plant(tmp_path / f"repo{number}", files, draw(shape, rng)))
        reported += [f for f in findings if f.rule_id == rule_id]
        seen.append(fingerprints(findings))
    assert len(reported) == 2, [f.message for f in reported]
    assert seen[0] == seen[1]
    assert all(f.secret.span.path == f.span.path for f in reported)  # the rule says where its secret is


def test_published_outputs_do_not_change_with_the_secret(tmp_path):
    """SARIF, JSON and the written baseline are byte-identical for two
    passwords: nothing in them tells one from the other."""
    root = tmp_path / "repo"
    outputs = []
    for password in ("Winter2024!", "Summer1999?"):
        plant(root, PLANTED["IACM207"][0], password)
        baseline = tmp_path / f"baseline-{password[0]}.json"
        sarif = cli("check", str(root), "--no-cache", "--format", "sarif", "--write-baseline", str(baseline)).stdout
        as_json = check(root, "json").stdout
        outputs.append((sarif, as_json, baseline.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0][0])["runs"][0]["results"]


def test_brute_force_finds_nothing_to_match(tmp_path):
    """The attack of issue 25: guesses of a password's characters, one
    position at a time, all give the fingerprints of the real one."""
    files = PLANTED["IACM207"][0]
    real = fingerprints(findings_of(plant(tmp_path / "real", files, "Winter2024!")))
    assert ("IACM207", 3, 3) in real
    guesses = {"Winter2024!"[:i] + c + "Winter2024!"[i + 1:] for i in range(11) for c in "aZ7#"}
    guesses |= {"Winter2023!", "Winter2025!", "Summer2024!", "winter2024!", "Winter2024"}
    for number, guess in enumerate(sorted(guesses)):
        assert fingerprints(findings_of(plant(tmp_path / f"guess{number}", files, guess))) == real, guess


def test_a_secret_on_a_line_another_rule_points_at_hides_from_that_rule_too(tmp_path):
    """IACM403 points at the provider block's line, which holds the secret:
    its fingerprint hides it too, also when the secret rules are not selected."""
    seen = {}
    for options in ({}, {"select": ("IACM4",)}, {"ignore": ("IACM2",)}):
        for secret in ("kW9x/2LmQp7vRt+Zs4Hn8Jd6Fb3Gc1Ye5Ua0Xi7O", "Qm3/Zx8Cv7Bn6Mm5Lk4Jh3Gf2Ds1Aq0Wp9Oi8Uy7"):
            files = {"providers.tf": f'provider "aws" {{ secret_key = "{secret}" }}\n'}
            found = findings_of(write(tmp_path / "repo", files), **options)
            assert ("IACM202" in {f.rule_id for f in found}) == (not options)
            lock = [f.fingerprint for f in found if f.rule_id == "IACM403"]
            assert len(lock) == 1
            seen.setdefault(repr(options), set()).update(lock)
    assert [len(fingerprints) for fingerprints in seen.values()] == [1, 1, 1]


def test_masks_show_no_character_of_a_secret(tmp_path):
    findings = findings_of(plant(tmp_path / "repo", PLANTED["IACM207"][0], "Winter2024!"))
    message = next(f.message for f in findings if f.rule_id == "IACM207")
    assert message == ('resource "aws_db_instance" "db" sets "password" to a literal password (…); use random_password '
                       "or a variable fed by a Harness secret instead")


# ---- item 14: a .tfbackend file's own backend variables ---------------------------------------------

S3_TFBACKEND = 'bucket = "b"\nkey = "k"\nregion = "r"\nsecret_key = "kW9x/2LmQp7vRt+Zs4Hn8Jd6Fb3Gc1Ye5Ua0Xi7O"\n'


@pytest.mark.parametrize("files", [
    {"prod.s3.tfbackend": S3_TFBACKEND},  # named by convention, no module
    {"main.tf": 'terraform {\n  backend "s3" {}\n}\n', "envs/prod.tfbackend": S3_TFBACKEND},  # merged into s3
], ids=["named", "merged"])
def test_tfbackend_secret_suggests_the_backends_own_variable(tmp_path, files):
    findings = findings_of(write(tmp_path / "repo", files), select=("IACM201",))
    assert [f.message.rsplit("; ", 1)[1] for f in findings] == [
        "remove it, rotate it and set AWS_SECRET_ACCESS_KEY in the Harness workspace instead"]
