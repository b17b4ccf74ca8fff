"""Planted secrets never appear in any output, log, written file, cache
entry or exception message: an AWS key pair in a provider, a password in a
backend connection string and in tfvars, secrets next to syntax errors (the
parse error must not quote them), in a pipeline, in a crashing rule's
exception. Every output is searched for any 8-character piece of each
secret (masking shows at most 4 characters)."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from iacm_lint.parse.file import parse_source

ACCESS_KEY = "AKIAQ3EGRZ7T4XBN5LMW"
SECRET_KEY = "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"
DB_PASSWORD = "Vb7#kQ2!mZ9$wX4pL8rT"
TFVARS_PASSWORD = "Tr0ub4dor3-Horse-Battery-9Q"
BROKEN_SECRET = "hJ8sK2mN5pQ9rT3vW6yZ1bD4"
PIPELINE_TOKEN = "ghp_R4nd0mT0k3nV4lu3Xy9Zq8Wp7Lm6Kn5Jb4Hc3"
SECRETS = (ACCESS_KEY, SECRET_KEY, DB_PASSWORD, TFVARS_PASSWORD, BROKEN_SECRET, PIPELINE_TOKEN)

FILES = {
    "providers.tf": f'''provider "aws" {{
  region     = "eu-west-1"
  access_key = "{ACCESS_KEY}"
  secret_key = "{SECRET_KEY}"
}}
''',
    "backend.tf": f'''terraform {{
  backend "pg" {{
    conn_str = "postgres://admin:{DB_PASSWORD}@db.internal:5432/terraform"
  }}
}}
''',
    "prod.tfvars": f'db_password = "{TFVARS_PASSWORD}"\n',
    "broken.tf": f'locals {{\n  password = "{BROKEN_SECRET}" "{BROKEN_SECRET}"\n}}\n',
    "broken_name.tf": f"locals {{\n  password {BROKEN_SECRET}\n}}\n",
    "broken.tf.json": f'{{"locals": {{"password": "{BROKEN_SECRET}" "x"}}}}',
    "broken.tfvars": f'token = {BROKEN_SECRET} {BROKEN_SECRET}\n',
    ".harness/deploy.yaml": f'''pipeline:
  name: deploy
  identifier: deploy
  variables:
    - name: token
      type: String
      value: {PIPELINE_TOKEN}
  stages: [
''',
}


def pieces(secret: str) -> set[str]:
    return {secret[i:i + 8] for i in range(len(secret) - 7)}


def leaks(text: str) -> list[str]:
    """Secrets (masked) any of whose 8-character pieces occur in text."""
    return [secret[:4] + "…" for secret in SECRETS if any(p in text for p in pieces(secret))]


@pytest.fixture
def planted(tmp_path) -> Path:
    root = tmp_path / "repo"
    for name, content in FILES.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    assert leaks("".join(FILES.values())) == [s[:4] + "…" for s in SECRETS]  # the search itself works
    return root


def cli(args, cwd, cache_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "IACM_LINT_CACHE_DIR": str(cache_dir), "XDG_CACHE_HOME": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "iacm_lint", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=180)


def test_the_planted_secrets_are_found_and_broken_files_reported(planted, tmp_path):
    out = cli(["check", str(planted), "--format", "gcc", "--no-cache"], tmp_path, tmp_path / "cache")
    assert out.returncode == 1
    rules = {line.rsplit("[", 1)[1].rstrip("]") for line in out.stdout.splitlines()}
    assert {"IACM000", "IACM201"} <= rules  # parse errors and the AWS key pair
    for name in ("broken.tf", "broken_name.tf", "broken.tf.json", "broken.tfvars", ".harness/deploy.yaml"):
        assert any(line.startswith(f"{name}:") and line.endswith("[IACM000]") for line in out.stdout.splitlines()), name


def test_no_output_format_log_or_written_file_shows_a_secret(planted, tmp_path):
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    cache = tmp_path / "cache"
    runs = [["check", str(planted), "--format", fmt, "--verbose", "--stats"]
            for fmt in ("text", "json", "sarif", "gcc", "github", "markdown")]
    runs.append(["check", str(planted), "--format", "sarif:" + str(outputs / "out.sarif"),
                 "--format", "json:" + str(outputs / "out.json"), "--format", "markdown:" + str(outputs / "out.md")])
    runs.append(["check", str(planted), "--write-baseline", str(outputs / "baseline.json")])
    runs.append(["check", str(planted), "--no-cache", "--jobs", "2", "--format", "text", "-v"])
    runs.append(["report", str(planted), "--format", "markdown", "-o", str(outputs / "report.md")])
    runs.append(["report", str(planted), "--format", "html", "-o", str(outputs / "report.html")])
    for args in runs:
        out = cli(args, tmp_path, cache)
        assert out.returncode in (0, 1), (args, out.stderr[-500:])
        assert leaks(out.stdout) == [], (args, "stdout")
        assert leaks(out.stderr) == [], (args, "stderr")
    written = sorted(p.name for p in outputs.iterdir())
    assert written == ["baseline.json", "out.json", "out.md", "out.sarif", "report.html", "report.md"]
    for path in outputs.iterdir():
        assert leaks(path.read_text(encoding="utf-8")) == [], path.name
    # the scanned tree is left as it was: no cache or output inside the repository
    assert sorted(str(p.relative_to(planted)) for p in planted.rglob("*") if p.is_file()) == sorted(FILES)


def test_the_parse_cache_holds_no_secret(planted, tmp_path):
    cache = tmp_path / "cache"
    out = cli(["check", str(planted), "--format", "gcc"], tmp_path, cache)
    assert out.returncode == 1
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert entries, "the run wrote no cache entries"
    found = [p.name for p in entries if leaks(p.read_bytes().decode("latin-1"))]
    assert found == []


def test_a_crashing_rule_does_not_quote_its_exception(planted, monkeypatch):
    """Internal errors reach SARIF (uploaded by CI) and stderr: they name the
    exception type and where it was raised, never its text."""
    from click.testing import CliRunner

    from iacm_lint import cli as cli_module
    from iacm_lint.cli import check as check_cli
    from iacm_lint.engine import check
    from iacm_lint.registry import get_rule

    def boom(subject, ctx):
        raise ValueError(f"bad credentials {SECRET_KEY}")
        yield  # pragma: no cover

    crashing = dataclasses.replace(get_rule("IACM000"), func=boom)
    monkeypatch.setattr(check, "active_rules", lambda options: [crashing])
    result = CliRunner().invoke(cli_module.main, ["check", str(planted), "--no-cache", "--format", "sarif"])
    assert result.exit_code == 2
    # the scan root named as paths are, relative: SARIF of CI runs names no machine path
    assert re.findall(r'"text": "(IACM000 crashed on [^:]*):', result.output) == ["IACM000 crashed on ."]
    # named by the innermost frame of the package, the same in a checkout and an installed wheel:
    # where the engine calls the rule
    assert f"ValueError at {check.check_repo.__module__.replace('.', '/')}.py:" in result.output
    assert "test_no_secret_leaks.py" not in result.output
    assert leaks(result.output) == []

    def explode(paths, options):
        raise KeyError(DB_PASSWORD)

    monkeypatch.setattr(check_cli, "run", explode)
    crashed = CliRunner().invoke(cli_module.main, ["check", str(planted), "--no-cache"])
    assert crashed.exit_code == 2
    where = check_cli.__name__.replace(".", "/")
    assert crashed.output.startswith(f"iacm-lint: internal error: KeyError at {where}.py:")
    assert leaks(crashed.output) == []


def test_an_exception_is_placed_by_the_packages_modules_not_by_its_folder():
    """The same description from a checkout (lint/, rules/) and an installed
    wheel; the folder holding the package holds other code too (the tests of
    a checkout, every other installed package), and that code is not ours."""
    import iacm_lint
    from iacm_lint.redact import describe_exception
    from iacm_lint.registry import get_rule

    rule = get_rule("IACM110").func
    with pytest.raises(AttributeError) as raised:
        next(iter(rule(None, None)))
    where = f"{rule.__module__.replace('.', '/')}.py"
    assert where == "iacm_lint/rules/iacm110_state_lock_missing.py"
    assert describe_exception(raised.value) == f"AttributeError at {where}:{raised.traceback[-1].lineno + 1}"

    beside = os.path.join(os.path.dirname(os.path.dirname(iacm_lint.__file__)), "neighbour", "code.py")
    namespace: dict = {}
    exec(compile("def fail(value):\n    raise KeyError(value)\n", beside, "exec"), namespace)  # noqa: S102 - our code
    with pytest.raises(KeyError) as raised:
        namespace["fail"](SECRET_KEY)
    assert describe_exception(raised.value) == "KeyError at code.py:2"  # no package frame: the innermost's file name


SECRET = "Sk9dQ2vLx7Pw4Zr8Tn6Ym3Hb"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([
    'x = "{s}" "{s}"', 'x = {s} {s}', "{s} {s} = 1", 'x = [{s} {s}]', 'x = "{s}" }}', "{s}", 'a "{s}" {s} {{}}',
    'x = <<EOF\n{s}\nEOF {s}', 'x = "${{{s} {s}}}"', 'x = {{ {s} = {s} {s} }}', 'x = 1{s}', 'x = {s}.{s}..{s}',
    "x = \"{s}\n", "x = '{s}'", "x = `{s}`", 'x = f({s} {s})', "{s} = ", "{{ {s} }}",
]), st.sampled_from(["", "\n", "\r\n", "locals {\n"]), st.sampled_from(["tf", "tf.json", "yaml"]))
def test_parse_errors_never_quote_a_secret(template, prefix, kind):
    text = prefix + template.format(s=SECRET) + "\n"
    if kind == "tf.json":
        text = '{"locals": {"x": ' + template.format(s=SECRET) + "}}"
    if kind == "yaml":
        text = "pipeline:\n  " + template.format(s=SECRET).replace("\n", "\n  ") + "\n  x: [\n"
    path = {"tf": "m.tf", "tf.json": "m.tf.json", "yaml": ".harness/p.yaml"}[kind]
    model = parse_source(text, None, path, kind)
    if model is not None and model.error is not None:
        assert not any(p in model.error.message for p in pieces(SECRET)), model.error.message
