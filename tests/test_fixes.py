"""Fixes (issue 22): the fix model, the edits each rule's fix makes (exact
text: alignment, line ends, BOM, final newline, YAML style), what the fix
passes refuse to touch, and the bad-input cases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gitrepo import git, isolate_git
from iacm_lint.engine import run
from iacm_lint.engine.fixes import MAX_PASSES, fix_scan, unified_diff, write_fixes
from iacm_lint.fix import SAFE, UNSAFE, Edit, EditError, Fix, Position, apply_edits, conflicts, safe
from iacm_lint.options import Options


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def fixed(root: Path, unsafe: bool = False, **options) -> dict[str, bytes]:
    """Run --fix (in-process) and return every file below root afterwards."""
    state = fix_scan([str(root)], Options(cache=False, unsafe_fixes=unsafe, **options))
    assert not state.errors, state.errors
    assert write_fixes(state) == {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fixes_of(root: Path, rule_id: str, **options) -> list[Fix]:
    result = run([str(root)], Options(cache=False, **options))
    return [f.fix for f in result.findings if f.rule_id == rule_id and f.fix is not None]


GITIGNORE = ".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n"  # keeps IACM404 quiet


# ---- the model ---------------------------------------------------------------------------


def test_edits_apply_at_character_positions_end_exclusive():
    text = "a = \"é\"\r\nb = 2\n"
    edits = [Edit("x", Position(1, 6), Position(1, 7), "e"), Edit("x", Position(2, 5), Position(2, 6), "3"),
             Edit("x", Position(3, 1), Position(3, 1), "c = 4\n")]
    assert apply_edits(text, edits) == "a = \"e\"\r\nb = 3\nc = 4\n"


def test_insertions_at_one_place_apply_in_order_and_replacements_there_conflict():
    first, second = Edit("x", Position(1, 1), Position(1, 1), "A"), Edit("x", Position(1, 1), Position(1, 1), "B")
    assert not conflicts(first, second)
    assert apply_edits("z", [first, second]) == "ABz"
    replace = Edit("x", Position(1, 1), Position(1, 2), "y")
    assert conflicts(first, replace) and conflicts(replace, Edit("x", Position(1, 1), Position(1, 2), "w"))
    assert not conflicts(replace, Edit("x", Position(1, 2), Position(1, 2), "!"))  # touching at the end
    with pytest.raises(EditError):
        apply_edits("z", [first, replace])


def test_positions_past_a_line_or_the_text_are_refused():
    with pytest.raises(EditError):
        apply_edits("ab\n", [Edit("x", Position(1, 4), Position(1, 4), "!")])  # the line has 2 characters (+ its \n)
    with pytest.raises(EditError):
        apply_edits("ab\n", [Edit("x", Position(3, 1), Position(3, 1), "!")])
    assert apply_edits("ab\n", [Edit("x", Position(1, 3), Position(2, 1), "")]) == "ab"


def test_a_fix_needs_edits_and_a_known_applicability():
    with pytest.raises(ValueError):
        Fix("maybe", "x", (Edit("x", Position(1, 1), Position(1, 1), "y"),))
    with pytest.raises(ValueError):
        safe("x")
    assert safe("x", Edit("b", Position(1, 1), Position(1, 1), ""), Edit("a", Position(1, 1), Position(1, 1), ""),
                Edit("b", Position(2, 1), Position(2, 1), "")).paths == ("b", "a")


# ---- HCL: terraform fmt alignment, line ends, BOM, final newline ------------------------------

BACKEND = """terraform {
  required_version = ">= 1.10.0"
  backend "s3" {
    bucket = "acme"
    key    = "app.tfstate"
    region = "us-east-1"
  }
}
"""


def test_a_new_attribute_aligns_its_run_as_terraform_fmt_does(tmp_path):
    root = write(tmp_path, {"backend.tf": BACKEND, ".gitignore": GITIGNORE})
    assert fixed(root, unsafe=True, engine="opentofu")["backend.tf"].decode() == """terraform {
  required_version = ">= 1.10.0"
  backend "s3" {
    bucket       = "acme"
    key          = "app.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
"""


def test_an_unaligned_run_stays_as_it_is_and_the_new_line_gets_one_space(tmp_path):
    text = BACKEND.replace('key    = "app.tfstate"', 'key = "app.tfstate"')
    root = write(tmp_path, {"backend.tf": text, ".gitignore": GITIGNORE})
    assert fixed(root, engine="opentofu")["backend.tf"].decode() == text.replace(
        '    region = "us-east-1"\n', '    region = "us-east-1"\n    encrypt = true\n')


def test_crlf_bom_tabs_and_a_missing_final_newline_stay(tmp_path):
    text = '\ufeffbucket\t= "acme"\r\nkey    = "app.tfstate"\r\nencrypt = false'
    root = write(tmp_path, {"main.tf": 'terraform {\r\n  backend "s3" {}\r\n}\r\n', "prod.tfbackend": text,
                            ".gitignore": GITIGNORE})
    after = fixed(root, engine="opentofu")
    assert after["prod.tfbackend"] == text.replace("encrypt = false", "encrypt = true").encode("utf-8")
    assert after["main.tf"] == b'terraform {\r\n  backend "s3" {}\r\n}\r\n'


def test_a_line_added_to_a_tfbackend_file_without_final_newline_keeps_it_missing(tmp_path):
    root = write(tmp_path, {"main.tf": 'terraform {\n  backend "s3" {}\n}\n',
                            "dev.tfbackend": 'bucket = "a"\nkey = "k"', ".gitignore": GITIGNORE})
    assert fixed(root, engine="opentofu")["dev.tfbackend"] == b'bucket = "a"\nkey = "k"\nencrypt = true'


def test_a_block_on_one_line_gets_no_fix(tmp_path):
    root = write(tmp_path, {"main.tf": 'terraform {\n  backend "s3" { bucket = "a" }\n}\n'})
    assert fixes_of(root, "IACM112") == []


def test_encrypt_false_becomes_true_and_is_safe(tmp_path):
    root = write(tmp_path, {"main.tf": BACKEND.replace('region = "us-east-1"', 'encrypt = false')})
    (fix,) = fixes_of(root, "IACM112")
    assert fix == Fix(SAFE, "Set encrypt = true", (Edit("main.tf", Position(6, 15), Position(6, 20), "true"),))


def test_a_misspelt_attribute_is_renamed_keeping_the_equals_column(tmp_path):
    text = BACKEND.replace('key    = "app.tfstate"', 'key    = "app.tfstate"\n    dynamodb_tabel = "locks"')
    root = write(tmp_path, {"main.tf": text})
    (fix,) = fixes_of(root, "IACM104", engine="terraform")
    assert fix.applicability == UNSAFE and fix.message == "Rename dynamodb_tabel to dynamodb_table"
    assert apply_edits(text, fix.edits) == text.replace("dynamodb_tabel", "dynamodb_table")


def test_a_rename_that_shortens_an_aligned_run_keeps_its_equals(tmp_path):
    text = BACKEND.replace('bucket = "acme"', 'buckett        = "acme"\n    dynamodb_table = "locks"')
    text = text.replace('key    =', 'key            =').replace('region =', 'region         =')
    root = write(tmp_path, {"main.tf": text})
    (fix,) = fixes_of(root, "IACM104", engine="terraform")
    assert apply_edits(text, fix.edits) == text.replace('buckett        =', 'bucket         =')


def test_no_rename_onto_a_name_that_is_set_already(tmp_path):
    root = write(tmp_path, {"main.tf": BACKEND.replace('bucket = "acme"', 'bucket = "acme"\n    buckett = "x"')})
    assert fixes_of(root, "IACM104", engine="terraform") == []


def test_version_fixes(tmp_path):
    root = write(tmp_path, {"versions.tf": 'terraform {\n  required_version = ">= 1.3"\n}\n', ".gitignore": GITIGNORE})
    assert fixed(root, unsafe=True, engine="terraform")["versions.tf"] == \
        b'terraform {\n  required_version = ">= 1.3, < 1.6.0"\n}\n'
    other = write(tmp_path / "b", {"main.tf": 'terraform {\n  backend "s3" {\n    bucket = "x"\n  }\n}\n'})
    (fix,) = fixes_of(other, "IACM303", engine="opentofu")
    assert apply_edits((other / "main.tf").read_text(), fix.edits) == \
        'terraform {\n  required_version = ">= 1.6.0"\n  backend "s3" {\n    bucket = "x"\n  }\n}\n'
    bare = write(tmp_path / "c", {"main.tf": 'resource "null_resource" "x" {}\n', "versions.tf": "# pins\n"})
    (fix,) = fixes_of(bare, "IACM303", engine="terraform")
    assert [(e.path, e.content) for e in fix.edits] == [
        ("versions.tf", '\nterraform {\n  required_version = "<= 1.5.7"\n}\n')]


def test_a_committed_local_backend_is_deleted_with_its_lines(tmp_path):
    text = 'terraform {\n  required_version = ">= 1.6.0"\n\n  backend "local" {\n    path = "x"\n  }\n}\n'
    root = write(tmp_path, {"backend_override.tf": text})
    fixes = {f.fix for f in run([str(root)], Options(cache=False)).findings if f.rule_id in ("IACM106", "IACM107")}
    (fix,) = fixes  # both rules offer the same fix; it applies once
    assert apply_edits(text, fix.edits) == 'terraform {\n  required_version = ">= 1.6.0"\n\n}\n'


# ---- secrets ------------------------------------------------------------------------------------

PROVIDER = 'provider "github" {\n  owner = "acme"\n  token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"\n}\n'


def test_a_provider_secret_moves_into_a_new_sensitive_variable_without_default(tmp_path):
    root = write(tmp_path, {"providers.tf": PROVIDER, "variables.tf": 'variable "github_token" {}\n',
                            ".gitignore": GITIGNORE})
    after = fixed(root, unsafe=True, engine="opentofu")
    assert after["providers.tf"] == b'provider "github" {\n  owner = "acme"\n  token = var.github_token_2\n}\n'
    assert after["variables.tf"] == (b'variable "github_token" {}\n\nvariable "github_token_2" {\n'
                                     b'  type      = string\n  sensitive = true\n}\n')


def test_the_diff_never_shows_the_secret_and_the_unmasked_diff_applies(tmp_path):
    root = write(tmp_path, {"providers.tf": PROVIDER})
    state = fix_scan([str(root)], Options(cache=False, unsafe_fixes=True, select=("IACM202",)))
    masked = unified_diff(state)
    assert "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A" not in masked
    assert '-  token = "ghp_…"\n+  token = var.github_token\n' in masked
    assert "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A" in unified_diff(state, masked=False)
    assert all("ghp_aB3" not in edit.content for f in state.fixed for edit in f.fix.edits)


def test_a_backend_credential_is_deleted_and_the_default_of_a_secret_variable_too(tmp_path):
    backend = BACKEND.replace('region = "us-east-1"',
                              'region = "us-east-1"\n    secret_key = "kW9x/2LmQp7vRt+Zs4Hn8Jd6Fb3Gc1Ye5Ua0Xi7O"')
    variables = ('variable "db_password" {\n  type      = string\n  sensitive = true\n'
                 '  default   = "Pr0d-Db-Passw0rd!"\n}\n')
    root = write(tmp_path, {"main.tf": backend, "variables.tf": variables})
    after = fixed(root, unsafe=True, select=("IACM201", "IACM204"))
    assert after["main.tf"].decode() == BACKEND
    assert after["variables.tf"] == b'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'


# ---- pipelines -----------------------------------------------------------------------------------

PIPELINE = """pipeline:
  name: deploy
  identifier: deploy
  stages:
    - stage:
        name: provision
        identifier: provision
        type: IACM
        spec:
          workspace: network
          execution:
            steps:
              - step:
                  name: init
                  identifier: init
                  type: "IACM_TOFU_INIT"   # from the docs
              - step: {name: plan, identifier: plan, type: IACM_TOFU_PLAN, spec: {}}
              - step: {name: aprove, identifier: aprove, type: IACMAproval, spec: {autoApprove: false}}
              - step: {name: apply, identifier: apply, type: IACMOpenTofuPlugin, spec: {command: 'aply'}}
"""


def test_pipeline_fixes_keep_quotes_flow_style_and_indentation(tmp_path):
    root = write(tmp_path, {".harness/deploy.yaml": PIPELINE})
    assert fixed(root, unsafe=True)[".harness/deploy.yaml"].decode() == PIPELINE.replace(
        '                  type: "IACM_TOFU_INIT"   # from the docs\n',
        '                  type: "IACMOpenTofuPlugin"   # from the docs\n'
        "                  spec:\n                    command: init\n").replace(
        "type: IACM_TOFU_PLAN, spec: {}", "type: IACMOpenTofuPlugin, spec: {command: plan}").replace(
        "IACMAproval", "IACMApproval").replace("'aply'", "'apply'")


def test_which_pipeline_fixes_are_safe(tmp_path):
    root = write(tmp_path, {".harness/deploy.yaml": PIPELINE.replace("IACMAproval", "TerraformRun")})
    result = run([str(root)], Options(cache=False, select=("IACM506", "IACM507")))
    assert [(f.rule_id, f.fix.applicability, f.fix.message) for f in result.findings] == [
        ("IACM506", SAFE, "Use type IACMOpenTofuPlugin with spec.command init"),
        ("IACM506", SAFE, "Use type IACMOpenTofuPlugin with spec.command plan"),
        ("IACM506", UNSAFE, "Replace TerraformRun with TerraformCloudRun"),
        ("IACM507", UNSAFE, "Replace the command with apply"),
    ]


def test_a_step_type_in_a_heredoc_pipeline_is_fixed_inside_the_tf_file(tmp_path):
    text = ('resource "harness_platform_pipeline" "p" {\n  identifier = "p"\n  yaml = <<-EOT\n    pipeline:\n'
            '      name: p\n      identifier: p\n      stages:\n        - stage:\n            name: s\n'
            '            identifier: s\n            type: IACM\n            spec:\n              workspace: w\n'
            '              execution:\n                steps:\n                  - step:\n'
            '                      type: IACM_TOFU_INIT\n                      name: init\n'
            '                      identifier: init\n  EOT\n}\n')
    root = write(tmp_path, {"pipelines.tf": text})
    (fix,) = fixes_of(root, "IACM506")
    assert apply_edits(text, fix.edits) == text.replace(
        "                      type: IACM_TOFU_INIT\n",
        "                      type: IACMOpenTofuPlugin\n                      spec:\n"
        "                        command: init\n")


# ---- IACM001 -------------------------------------------------------------------------------------


def test_unused_suppressions_lose_their_unused_ids_or_go_with_their_line(tmp_path):
    text = ('# iacm-lint: ignore[IACM114] the bucket is versioned elsewhere\n'
            'terraform { # iacm-lint: ignore[IACM112, IACM999, IACM303] why\n'
            '  backend "s3" {\n    bucket  = "a"\n    key     = "k"\n    encrypt = true\n  }\n}\n')
    root = write(tmp_path, {"main.tf": text, ".gitignore": GITIGNORE})
    after = fixed(root, select=("IACM001", "IACM114", "IACM112", "IACM303"), engine="terraform")
    unused_line = "# iacm-lint: ignore[IACM114] the bucket is versioned elsewhere\n"
    assert after["main.tf"].decode() == text.replace(unused_line, "").replace("[IACM112, IACM999, IACM303]",
                                                                              "[IACM303]")
    only = write(tmp_path / "b", {"main.tf": 'locals { # iacm-lint: ignore[IACM112]\n  a = 1\n}\n'})
    assert fixed(only, select=("IACM001", "IACM112"))["main.tf"] == b"locals {\n  a = 1\n}\n"


def test_a_suppression_naming_no_rule_gets_no_fix(tmp_path):
    root = write(tmp_path, {"main.tf": 'locals { # iacm-lint: ignore state lock elsewhere\n  a = 1\n}\n'})
    assert [f.fix for f in run([str(root)], Options(cache=False, select=("IACM001",))).findings] == [None]


# ---- what fixes never touch -------------------------------------------------------------------------


def test_suppressed_and_baselined_findings_are_not_fixed(tmp_path):
    text = BACKEND.replace('region = "us-east-1"', 'encrypt = false # iacm-lint: ignore[IACM112] legacy bucket')
    root = write(tmp_path, {"main.tf": text, ".gitignore": GITIGNORE})
    assert fixed(root, select=("IACM112",))["main.tf"].decode() == text


def test_unfixable_and_fixable_drop_the_fixes_of_those_rules(tmp_path):
    root = write(tmp_path, {"main.tf": BACKEND.replace('region = "us-east-1"', 'encrypt = false')})
    assert fixes_of(root, "IACM112", unfixable=("IACM1",)) == []
    assert fixes_of(root, "IACM112", fixable=("IACM2",)) == []
    assert len(fixes_of(root, "IACM112", fixable=("IACM11",))) == 1


def test_links_ignored_files_and_files_that_do_not_parse_are_left_alone(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    text = BACKEND.replace('region = "us-east-1"', 'encrypt = false')
    root = write(tmp_path / "repo", {
        "ok/main.tf": text, "real/backend.tf": text,
        "new/main.tf": 'resource "null_resource" "x" {}\n',  # IACM303 would create new/versions.tf: ignored
        "broken/providers.tf": PROVIDER, "broken/variables.tf": "variable {\n",  # the secret's variable goes there
        ".gitignore": GITIGNORE + "versions.tf\n"})
    (root / "link").mkdir()
    os.symlink("../real/backend.tf", root / "link" / "main.tf")
    git(root, "init", "-q")
    state = fix_scan([str(root)], Options(cache=False, unsafe_fixes=True, engine="terraform",
                                          select=("IACM112", "IACM202", "IACM303")))
    assert [c.path for c in state.changed_files] == ["ok/main.tf", "real/backend.tf"]
    assert {f.rule_id for f in run([str(root)], Options(cache=False, engine="terraform",
                                                        select=("IACM202", "IACM303"))).findings if f.fix} == \
        {"IACM202", "IACM303"}  # offered, but not applied there
    assert os.path.relpath(os.path.realpath(root / "link" / "main.tf"), root) == "real/backend.tf"


def test_a_file_changed_between_parse_and_write_is_left_alone(tmp_path):
    root = write(tmp_path, {"main.tf": BACKEND.replace('region = "us-east-1"', 'encrypt = false')})
    state = fix_scan([str(root)], Options(cache=False, select=("IACM112",)))
    (root / "main.tf").write_text("# edited meanwhile\n")
    assert write_fixes(state) == {"main.tf": "main.tf changed on disk while it was being fixed; left alone"}
    assert (root / "main.tf").read_text() == "# edited meanwhile\n"


def test_writes_keep_the_mode_and_refuse_a_link_put_in_place_meanwhile(tmp_path):
    root = write(tmp_path, {"main.tf": BACKEND.replace('region = "us-east-1"', 'encrypt = false'), "other.txt": "x"})
    os.chmod(root / "main.tf", 0o640)
    state = fix_scan([str(root)], Options(cache=False, select=("IACM112",)))
    assert write_fixes(state) == {}
    assert (root / "main.tf").stat().st_mode & 0o777 == 0o640
    again = write(tmp_path / "b", {"main.tf": BACKEND.replace('region = "us-east-1"', 'encrypt = false')})
    state = fix_scan([str(again)], Options(cache=False, select=("IACM112",)))
    os.rename(again / "main.tf", again / "real.tf")
    os.symlink("real.tf", again / "main.tf")
    assert list(write_fixes(state)) == ["main.tf"]
    assert (again / "real.tf").read_text() == BACKEND.replace('region = "us-east-1"', 'encrypt = false')


def test_a_fix_that_would_break_its_file_is_dropped_as_an_internal_error(tmp_path, monkeypatch):
    import iacm_lint.rules.iacm112_state_encryption_disabled as rule_module

    def broken(ctx, value, content, make, message):
        return make(message, Edit(value.file.path, Position(value.span.line, value.span.col),
                                  Position(value.span.line, value.span.col), "{{"))

    monkeypatch.setattr(rule_module, "set_value", broken)
    text = BACKEND.replace('region = "us-east-1"', 'encrypt = false')
    root = write(tmp_path, {"main.tf": text})
    state = fix_scan([str(root)], Options(cache=False, select=("IACM112",)))
    assert state.errors == ["the fix of IACM112 for main.tf:6:5 would leave main.tf unparsable; it was not applied "
                            "(a bug in iacm-lint: please report it)"]
    assert state.changed_files == [] and state.fixed == []


def test_a_fix_that_raises_a_new_error_is_not_applied(tmp_path):
    text = PIPELINE.replace("type: IACMAproval, spec: {autoApprove: false}", "type: IACMApproval, spec: {}")
    text = text.replace("type: IACM_TOFU_PLAN, spec: {}", "type: IACMOpenTofuPlugin, spec: {command: plan}")
    text = text.replace('type: "IACM_TOFU_INIT"   # from the docs', "type: IACMOpenTofuPlugin")
    root = write(tmp_path, {".harness/deploy.yaml": text})  # init has no command: the apply is unordered
    state = fix_scan([str(root)], Options(cache=False, unsafe_fixes=True, select=("IACM5",)))
    assert state.changed_files == []
    assert state.notes == ["the fix of IACM507 for .harness/deploy.yaml:19:98 was not applied: "
                           "it would raise new errors (IACM503)"]


def test_passes_stop_at_the_limit(tmp_path, monkeypatch):
    """A fix that keeps producing fixes (a bug) ends after MAX_PASSES passes."""
    root = write(tmp_path, {"versions.tf": 'terraform {\n  required_version = ">= 1.3"\n}\n'})
    import iacm_lint.rules.iacm302_version_admits_bsl as rule_module

    monkeypatch.setattr(rule_module, "UPPER_BOUND", "< 1.7.0")  # still admits 1.6: fires again every pass
    state = fix_scan([str(root)], Options(cache=False, unsafe_fixes=True, select=("IACM302",), engine="terraform"))
    assert len(state.fixed) == MAX_PASSES
