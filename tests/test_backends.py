"""Backend knowledge (lint/knowledge/data/backends.json via lint/knowledge/backend_schemas.py), the
effective backend configuration, and the 1xx rules where the rule-case mini
repositories cannot reach: git-ignored files, the example repositories, and
exact spans of merged values."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gitrepo import isolate_git, make_repo, write
from iacm_lint.cli import main
from iacm_lint.engine import run
from iacm_lint.knowledge import backend_schemas
from iacm_lint.model import backends
from iacm_lint.model.syntax import Span
from iacm_lint.options import Options

EXAMPLES = Path(__file__).resolve().parent.parent / "testdata" / "examples"

S3 = '''terraform {
  backend "s3" {
    bucket         = "acme-tfstate"
    region         = "us-east-1"
    encrypt        = true
    dynamodb_table = "tf-locks"
  }
}
'''


def _lines(result, prefix="IACM1"):
    return [f"{f.span.path}:{f.span.line}:{f.span.col}: {f.level} {f.rule_id} {f.message}"
            for f in result.findings if f.rule_id.startswith(prefix)]


# ---- data ---------------------------------------------------------------------


def test_required_attributes_with_env_fallbacks():
    assert backend_schemas.required_attributes("s3", "opentofu") == [
        ("bucket", ()), ("key", ()), ("region", ("AWS_REGION", "AWS_DEFAULT_REGION"))]
    assert [n for n, _ in backend_schemas.required_attributes("azurerm", "terraform")] == [
        "storage_account_name", "container_name", "key"]
    assert backend_schemas.required_attributes("gcs", "terraform") == [("bucket", ())]
    # OpenTofu has no default hostname for the remote backend; Terraform does.
    assert "hostname" in [n for n, _ in backend_schemas.required_attributes("remote", "opentofu")]
    assert "hostname" not in [n for n, _ in backend_schemas.required_attributes("remote", "terraform")]


def test_versions_and_engines():
    use_lockfile = backend_schemas.attribute_spec("s3", "use_lockfile")
    assert use_lockfile["terraform"] == ">=1.10.0" and use_lockfile["opentofu"] == ">=1.10.0"
    assert backend_schemas.in_range(use_lockfile["opentofu"], "1.10.0")
    assert not backend_schemas.in_range(use_lockfile["opentofu"], "1.9.4")
    assert backend_schemas.attribute_spec("s3", "role_arn")["terraform"] == "<1.10.0"
    assert "terraform" not in backend_schemas.attribute_spec("s3", "state_tags")
    assert backend_schemas.attribute_spec("s3", "assume_role")["kind"] == "object"
    assert backend_schemas.attribute_spec("kubernetes", "exec")["kind"] == "block"
    assert backend_schemas.attribute_spec("s3", "assume_role.role_arn")["required"] is True
    assert backend_schemas.schema("oci")["engines"] == {"terraform": ">=1.12.0"}
    assert "oci" not in backend_schemas.backend_types("opentofu")
    assert "oci" in backend_schemas.backend_types("terraform")
    assert "cloud" not in backend_schemas.backend_types()
    assert backend_schemas.range_text(">=1.6.0,<1.8.0", "opentofu") == "OpenTofu ≥ 1.6.0 and < 1.8.0"


def test_removed_backends_and_errors():
    assert backend_schemas.removed_error("swift", "opentofu") == \
        'The "swift" backend is not supported in OpenTofu v1.3 or later.'
    assert backend_schemas.removed_error("azure", "terraform") == \
        'The "azure" backend name has been removed, please use "azurerm".'
    assert backend_schemas.removed_error("s3", "terraform") is None
    assert backend_schemas.schema("etcdv3") is None


def test_lock_encryption_and_secrets_facts():
    assert backend_schemas.lock_info("s3") == {"mode": "optional",
                                               "any_of": [["use_lockfile", True], ["dynamodb_table", None]]}
    assert backend_schemas.lock_info("gcs")["mode"] == "always"
    assert backend_schemas.lock_info("consul")["disabled_by"] == ["lock", False]
    assert backend_schemas.encryption_info("s3")["default"] == "off"
    assert backend_schemas.credentials("s3") == {
        "access_key": "AWS_ACCESS_KEY_ID", "secret_key": "AWS_SECRET_ACCESS_KEY", "token": "AWS_SESSION_TOKEN",
        "sse_customer_key": "AWS_SSE_CUSTOMER_KEY", "assume_role_with_web_identity.web_identity_token": None}
    assert backend_schemas.credentials("azurerm")["client_secret"] == "ARM_CLIENT_SECRET"
    assert backend_schemas.credentials("azure") == backend_schemas.credentials("azurerm")  # removed, renamed
    assert backend_schemas.credentials("swift") == {"password": "OS_PASSWORD",
                                                    "application_credential_secret": "OS_APPLICATION_CREDENTIAL_SECRET"}
    assert backend_schemas.credentials("local") == {} and backend_schemas.credentials("no-such-type") == {}
    assert backend_schemas.deprecation(backend_schemas.attribute_spec("s3", "dynamodb_table"), "terraform", ["1.11.0"])
    dynamodb_table = backend_schemas.attribute_spec("s3", "dynamodb_table")
    assert not backend_schemas.deprecation(dynamodb_table, "opentofu", ["1.12.6"])


@pytest.mark.parametrize("name,expected", [
    ("dynamodb_tabel", "dynamodb_table"), ("bukcet", "bucket"), ("kms_master_key", None), ("regoin", "region")])
def test_closest_name(name, expected):
    names = backend_schemas.names_for(backend_schemas.attributes("s3"), "opentofu")
    assert backend_schemas.closest(name, names) == expected


def test_edit_distance_counts_a_swap_as_one():
    assert backend_schemas.edit_distance("gsc", "gcs") == 1
    assert backend_schemas.edit_distance("tabel", "table") == 1
    assert backend_schemas.edit_distance("s3", "s3") == 0
    assert backend_schemas.edit_distance("", "abc") == 3


# ---- effective backends -------------------------------------------------------


def test_effective_backend_merges_each_tfbackend_file(tmp_path):
    write(tmp_path, {"backends.tf": S3, "main.tf": 'resource "null_resource" "x" {}\n',
                     "dev.tfbackend": 'key = "app/dev.tfstate"\n',
                     "prod.tfbackend": '# prod\nkey     = "app/prod.tfstate"\nencrypt = false\n'})
    repo = run([str(tmp_path)], Options(select=("IACM101",))).repo
    combos = backends.effective_backends(repo.roots[0])
    assert [c.tfbackend.name for c in combos] == ["dev.tfbackend", "prod.tfbackend"]
    dev, prod = combos
    assert dev.type == "s3" and dev.label == 'backend "s3" with dev.tfbackend'
    assert dev.anchor == Span("dev.tfbackend", 1, 1, 1, 1)
    assert dev.literal("key") == "app/dev.tfstate" and dev.literal("encrypt") is True
    assert dev.get("bucket").span == Span("backends.tf", 3, 5, 3, 36) and not dev.get("bucket").from_tfbackend
    assert prod.literal("encrypt") is False and prod.get("encrypt").span == Span("prod.tfbackend", 3, 1, 3, 16)
    assert prod.label_for(prod.get("encrypt")) == 'backend "s3" with prod.tfbackend'
    assert prod.label_for(prod.get("bucket")) == 'backend "s3"'
    assert [v.name for v in prod.written] == ["bucket", "region", "encrypt", "dynamodb_table", "key", "encrypt"]
    assert not dev.is_empty_partial


def test_tfbackend_files_in_a_subdirectory_without_module_files_belong_to_the_root(tmp_path):
    write(tmp_path, {"backends.tf": 'terraform {\n  backend "azurerm" {}\n}\n',
                     "envs/prod.tfbackend": 'storage_account_name = "sttfstate"\ncontainer_name = "tfstate"\n',
                     "envs/dev.tfbackend": 'storage_account_name = "sttfstate"\ncontainer_name = "tfstate"\n'
                                           'key = "dev.tfstate"\n',
                     "stacks/app/main.tf": 'terraform {\n  backend "s3" {}\n}\n',
                     "stacks/app/config/app.tfbackend": 'bucket = "acme"\nkey = "app.tfstate"\nregion = "us-east-1"\n',
                     "shared/other.tfbackend": 'key = "x"\n'})
    result = run([str(tmp_path)], Options(select=("IACM103",)))
    top, app = sorted(result.repo.roots, key=lambda r: r.directory)
    assert [f.path for f in top.module.tfbackends] == ["envs/dev.tfbackend", "envs/prod.tfbackend",
                                                        "shared/other.tfbackend"]
    assert [f.path for f in app.module.tfbackends] == ["stacks/app/config/app.tfbackend"]
    assert _lines(result) == [
        'envs/prod.tfbackend:1:1: error IACM103 backend "azurerm" with prod.tfbackend is missing "key"; set it in the '
        "backend block or a .tfbackend file",
        'shared/other.tfbackend:1:1: error IACM103 backend "azurerm" with other.tfbackend is missing "container_name"; '
        "set it in the backend block or a .tfbackend file",
        'shared/other.tfbackend:1:1: error IACM103 backend "azurerm" with other.tfbackend is missing '
        '"storage_account_name"; set it in the backend block or a .tfbackend file']


def test_effective_backend_without_tfbackend_and_override(tmp_path):
    write(tmp_path, {"backends.tf": S3, "backend_override.tf": 'terraform {\n  backend "local" {}\n}\n'})
    repo = run([str(tmp_path)], Options(select=("IACM101",))).repo
    (only,) = backends.effective_backends(repo.roots[0])
    assert only.type == "local" and only.file.name == "backend_override.tf" and only.is_empty_partial
    assert only.anchor == Span("backend_override.tf", 2, 3, 2, 18)
    assert len(backends.backend_blocks(repo.roots[0])) == 2


def test_cloud_block_has_no_effective_backend(tmp_path):
    write(tmp_path, {"main.tf": 'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n'})
    repo = run([str(tmp_path)], Options(select=("IACM101",))).repo
    assert backends.effective_backends(repo.roots[0]) == []
    assert [backends.describe(b) for _, _, b in backends.backend_blocks(repo.roots[0])] == ["cloud block"]


# ---- rules in git repositories ------------------------------------------------

LOCAL = 'terraform {\n  backend "local" {\n    path = "dev.tfstate"\n  }\n}\n'


def test_local_backend_in_gitignored_file_is_not_reported(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    repo = make_repo(tmp_path / "repo", {"backends.tf": S3.replace("region", 'key = "a"\n    region'),
                                         ".gitignore": "*_override.tf\n"},
                     untracked={"backend_override.tf": LOCAL})
    assert _lines(run([str(repo)], Options(select=("IACM106", "IACM107")))) == []


def test_local_backend_committed_or_untracked_is_reported(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    repo = make_repo(tmp_path / "repo", {"backend.tf": LOCAL}, untracked={"dev/backend.tf": LOCAL})
    assert _lines(run([str(repo)], Options(select=("IACM106",)))) == [
        "backend.tf:2:3: error IACM106 backend \"local\" in backend.tf is committed and overrides the workspace's "
        "backend during remote execution; remove it or git-ignore backend.tf",
        "dev/backend.tf:2:3: error IACM106 backend \"local\" in backend.tf is committed and overrides the workspace's "
        "backend during remote execution; remove it or git-ignore backend.tf",
    ]


def test_state_existing_from_another_root_makes_iacm101_an_error(tmp_path):
    write(tmp_path, {"a/backends.tf": S3, "b/main.tf": 'resource "null_resource" "x" {}\n'})
    assert _lines(run([str(tmp_path)], Options(select=("IACM101",)))) == [
        'b/main.tf:1:1: error IACM101 root module "b" has no backend or cloud block; add a backend block '
        '(e.g. backend "s3" in backends.tf) that points at its remote state']
    assert _lines(run([str(tmp_path)], Options(select=("IACM101",), state="managed"))) == []


def test_iacm113_related_location_names_the_first_root(tmp_path):
    backend = S3.replace("region", 'key            = "shared.tfstate"\n    region')
    write(tmp_path, {"one/backends.tf": backend, "two/backends.tf": backend})
    (finding,) = run([str(tmp_path)], Options(select=("IACM113",))).findings
    assert finding.span.path == "two/backends.tf"
    assert finding.related == ((Span("one/backends.tf", 2, 3, 2, 15), 'backend "s3" of root "one"'),)


def test_iacm105_in_tfbackend_file_with_terraform(tmp_path):
    write(tmp_path, {"backends.tf": S3, "dev.tfbackend": 'key = "${var.env}/terraform.tfstate"\n'})
    assert _lines(run([str(tmp_path)], Options(select=("IACM105",), engine="terraform"))) == [
        'dev.tfbackend:1:1: error IACM105 "key" of backend "s3" with dev.tfbackend uses var.env, but Terraform reads '
        "backend settings before evaluating anything; write a literal or pass it in a .tfbackend file"]


# ---- the README examples ------------------------------------------------------


def test_onboarding_ready_example_has_no_finding_at_all():
    result = CliRunner().invoke(main, ["check", str(EXAMPLES / "onboarding-ready"), "--format", "gcc"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ""
    assert run([str(EXAMPLES / "onboarding-ready")]).findings == []


def test_local_backend_example_reports_iacm106_at_the_block_header():
    result = CliRunner().invoke(main, ["check", str(EXAMPLES / "local-backend"), "--format", "gcc"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "backend.tf:4:3: error: backend \"local\" in backend.tf is committed and overrides the workspace's backend "
        "during remote execution; remove it or git-ignore backend.tf [IACM106]"]
    (finding,) = run([str(EXAMPLES / "local-backend")]).findings
    assert finding.span == Span("backend.tf", 4, 3, 4, 18)


def test_iacm109_backend_cloud_and_terraform_only_oci(tmp_path):
    write(tmp_path, {"a/main.tf": 'terraform {\n  backend "cloud" {\n    organization = "acme"\n  }\n}\n',
                     "b/main.tf": 'terraform {\n  backend "oci" {\n    bucket    = "tfstate"\n'
                                  '    namespace = "acme"\n  }\n}\n'})
    assert _lines(run([str(tmp_path)], Options(select=("IACM109",), engine="terraform"))) == [
        'a/main.tf:2:3: error IACM109 backend "cloud" is not a backend type (init fails with "Unsupported backend '
        'type"); HCP Terraform is configured with a cloud { … } block, which Harness IaCM does not use either, so '
        'declare a direct backend such as backend "s3"',
        'b/main.tf:2:3: error IACM109 backend "oci" needs Terraform ≥ 1.12.0, but no Terraform release that Harness '
        "runs for this root has it; use a backend such as s3, gcs or azurerm"]
