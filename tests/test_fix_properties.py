"""Property tests (hypothesis) for the fixes: generated backend blocks
(attribute sets and orders, alignment, CRLF, BOM, final newline, comments,
`.tfbackend` files, version constraints, secrets) and generated pipelines
(made-up and misspelt step types and commands, block and flow style,
quoting), each through the five checks of test_fix_scenarios.py."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from test_fix_scenarios import assert_fixes_hold

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ATTRIBUTES = {
    "bucket": '"acme-tfstate"',
    "key": '"app/terraform.tfstate"',
    "region": '"us-east-1"',
    "encrypt": st.sampled_from(["true", "false", '"false"']),
    "dynamodb_table": '"locks"',
    "dynamodb_tabel": '"locks"',
    "use_lockfile": st.sampled_from(["true", "false"]),
    "kms_key_id": '"alias/state"',
    "secret_key": '"kW9x/2LmQp7vRt+Zs4Hn8Jd6Fb3Gc1Ye5Ua0Xi7O"',
}


@st.composite
def attribute_lines(draw, names) -> list[tuple[str, str]]:
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    lines = []
    for name in chosen:
        value = ATTRIBUTES[name]
        lines.append((name, draw(value) if not isinstance(value, str) else value))
    return lines


def body(lines: list[tuple[str, str]], indent: str, aligned: bool, comments: list[bool]) -> list[str]:
    width = max((len(name) for name, _ in lines), default=0)
    out = []
    for (name, value), comment in zip(lines, comments + [False] * len(lines), strict=False):
        if comment:
            out.append(f"{indent}# about {name}")
        gap = " " * (width - len(name) + 1) if aligned else " "
        out.append(f"{indent}{name}{gap}= {value}")
    return out


@st.composite
def repositories(draw) -> tuple[dict[str, bytes], str]:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    final = draw(st.booleans())
    indent = draw(st.sampled_from(["  ", "    ", "\t"]))
    aligned = draw(st.booleans())
    lines = draw(attribute_lines(list(ATTRIBUTES)))
    comments = draw(st.lists(st.booleans(), max_size=len(lines)))
    version = draw(st.sampled_from([None, ">= 1.3", ">= 1.10.0", "~> 1.5.0", ">= 1.6.0"]))
    terraform = ["terraform {"]
    if version is not None:
        terraform.append(f'{indent}required_version = "{version}"')
    terraform += [f'{indent}backend "s3" {{', *body(lines, indent * 2, aligned, comments), f"{indent}}}", "}"]
    files = {"backends.tf": bom + newline.join(terraform) + (newline if final else "")}
    if draw(st.booleans()):
        tfbackend = draw(attribute_lines(["bucket", "key", "encrypt", "dynamodb_table", "use_lockfile"]))
        files["prod.tfbackend"] = newline.join(body(tfbackend, "", draw(st.booleans()), [])) + newline
    if draw(st.booleans()):
        files["providers.tf"] = 'provider "github" {\n  token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"\n}\n'
    if draw(st.booleans()):
        files[".gitignore"] = draw(st.sampled_from([".terraform/\n", "", "*.tfstate"]))
    if draw(st.booleans()):
        files["main.tf"] = 'resource "null_resource" "x" {} # iacm-lint: ignore[IACM112, IACM207] old\n'
    engine = draw(st.sampled_from(["opentofu", "terraform"]))
    return {name: text.encode("utf-8") for name, text in files.items()}, engine


STEP_TYPES = ["IACM_TOFU_INIT", "IACM_TOFU_PLAN", "IACM_TF_APPLY", "IACMOpenTofuPlugin", "IACMOpentofuPlugin",
              "IACMTerraformPlugn", "IACMApproval", "Run"]
COMMANDS = [None, "init", "plan", "apply", "aply", "destory", "terraform plan"]


@st.composite
def step(draw, index: int) -> list[str]:
    kind = draw(st.sampled_from(STEP_TYPES))
    command = draw(st.sampled_from(COMMANDS))
    quote = draw(st.sampled_from(["", '"', "'"]))
    spec = f"{{command: {quote}{command}{quote}}}" if command is not None else draw(st.sampled_from([None, "{}"]))
    if draw(st.booleans()):  # flow style
        extra = f", spec: {spec}" if spec is not None else ""
        return [f"              - step: {{name: s{index}, identifier: s{index}, type: {quote}{kind}{quote}{extra}}}"]
    lines = ["              - step:", f"                  name: s{index}",
             f"                  type: {quote}{kind}{quote}", f"                  identifier: s{index}"]
    if command is not None and draw(st.booleans()):
        lines += ["                  spec:", f"                    command: {quote}{command}{quote}"]
    elif spec is not None:
        lines.append(f"                  spec: {spec}")
    return lines


@st.composite
def pipelines(draw) -> dict[str, bytes]:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    count = draw(st.integers(min_value=1, max_value=5))
    steps = [line for index in range(count) for line in draw(step(index))]
    text = newline.join(["pipeline:", "  name: deploy", "  identifier: deploy", "  stages:", "    - stage:",
                         "        name: provision", "        identifier: provision", "        type: IACM",
                         "        spec:", "          workspace: network", "          execution:", "            steps:",
                         *steps]) + newline
    return {".harness/deploy.yaml": text.encode("utf-8"), "main.tf": b'resource "null_resource" "x" {}\n',
            ".gitignore": b".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n"}


def check(files: dict[str, bytes], engine: str = "auto") -> None:
    with tempfile.TemporaryDirectory() as directory:
        work, pristine = Path(directory) / "work", Path(directory) / "pristine"
        for name, data in files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(data)
        shutil.copytree(work, pristine)
        assert_fixes_hold(work, pristine, engine=engine)


@EXAMPLES
@given(repositories())
def test_fixes_hold_on_generated_backends(repository):
    files, engine = repository
    check(files, engine)


@EXAMPLES
@given(pipelines())
def test_fixes_hold_on_generated_pipelines(files):
    check(files)
