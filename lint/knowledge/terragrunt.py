"""Facts about Terragrunt (shared/spec/terragrunt.md), with no model of a
repository: its file names, the top-level keys that make an `*.hcl` file
Terragrunt configuration, the keys of `remote_state.config` that Terragrunt
keeps for itself, and how a `terraform.source` names a remote module."""

from __future__ import annotations

import re

UNIT_FILE = "terragrunt.hcl"
UNIT_JSON_FILE = "terragrunt.hcl.json"
STACK_FILE = "terragrunt.stack.hcl"
LOCK_FILE = ".terraform.lock.hcl"
CACHE_DIR = ".terragrunt-cache"
STACK_DIR = ".terragrunt-stack"

# `*.hcl` files of other tools: never Terragrunt configuration (TG-1.1).
OTHER_TOOLS_SUFFIXES = (".pkr.hcl", ".nomad.hcl", ".tftest.hcl", ".tfmock.hcl", ".tfcomponent.hcl", ".tfdeploy.hcl",
                        ".tfstack.hcl")

# A file no unit reaches is Terragrunt configuration when its top level has one of these (TG-1.1);
# `locals` alone is not enough (Packer and other HCL tools use it too).
CONFIGURATION_KEYS = frozenset({
    "remote_state", "generate", "include", "inputs", "dependency", "dependencies", "terraform_binary",
    "terraform_version_constraint", "terragrunt_version_constraint",
})

# Keys of remote_state.config that configure the bucket Terragrunt bootstraps and never reach the
# backend (TG-1.5, [T16]); any other backend type passes every key through.
TERRAGRUNT_ONLY_KEYS: dict[str, frozenset[str]] = {
    "s3": frozenset({
        "s3_bucket_tags", "dynamodb_table_tags", "accesslogging_bucket_tags", "skip_bucket_versioning",
        "skip_bucket_ssencryption", "skip_bucket_accesslogging", "skip_bucket_root_access",
        "skip_bucket_enforced_tls", "skip_bucket_public_access_blocking", "disable_bucket_update",
        "enable_lock_table_ssencryption", "disable_aws_client_checksums", "accesslogging_bucket_name",
        "accesslogging_target_object_partition_date_source", "accesslogging_target_prefix",
        "skip_accesslogging_bucket_acl", "skip_accesslogging_bucket_enforced_tls",
        "skip_accesslogging_bucket_public_access_blocking", "skip_accesslogging_bucket_ssencryption",
        "bucket_sse_algorithm", "bucket_sse_kms_key_id",
    }),
    "gcs": frozenset({"project", "location", "gcs_bucket_labels", "skip_bucket_versioning", "skip_bucket_creation",
                      "enable_bucket_policy_only"}),
    "azurerm": frozenset({
        "location", "account_tier", "account_replication_type", "account_kind", "access_tier", "tags",
        "skip_resource_group_creation", "skip_storage_account_creation", "skip_container_creation",
        "skip_versioning", "enable_soft_delete", "soft_delete_retention_days", "allow_blob_public_access",
        "msi_resource_id",
    }),
}

# Deprecated aliases Terragrunt rewrites before writing the backend block.
CONFIG_ALIASES: dict[str, dict[str, str]] = {"s3": {"lock_table": "dynamodb_table"}}

# The module file suffixes a `generate` block may write into the working module (TG-1.5).
MODULE_SUFFIXES = (".tf", ".tofu", ".tf.json", ".tofu.json")

# `if_exists` values: the later writer wins / an existing file stays / Terragrunt fails.
OVERWRITE = ("overwrite", "overwrite_terragrunt")
SKIP = "skip"

# `terraform_binary` -> engine (TG-1.7): tofu -> opentofu, terraform -> terraform, else the path's basename.
BINARIES = {"tofu": "opentofu", "opentofu": "opentofu", "terraform": "terraform"}

_REMOTE_SOURCE = re.compile(
    r"^(?:[a-z0-9]+::|[a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/"
    r"|[a-z0-9.-]+\.[a-z]{2,}/[^/]+/[^/]+)", re.IGNORECASE)


def is_remote_source(source: str) -> bool:
    """`git::…`, `github.com/…`, `tfr:///…`, `s3::…`, `https://…`: code Terragrunt downloads."""
    return bool(_REMOTE_SOURCE.match(source.strip()))


def engine_of_binary(binary: str) -> str:
    """The engine a `terraform_binary` names (its basename; `tofu` -> opentofu)."""
    name = binary.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if name.endswith(".exe"):
        name = name[:-4]
    return BINARIES.get(name, name)


def is_candidate_name(name: str) -> bool:
    """A file name that may hold Terragrunt configuration (TG-1.1): any
    visible `*.hcl` but lock files and other tools' files, and
    `terragrunt.hcl.json`."""
    if name == UNIT_JSON_FILE:
        return True
    if not name.endswith(".hcl") or name.startswith((".", "#")) or len(name) <= len(".hcl"):
        return False
    return not name.endswith(OTHER_TOOLS_SUFFIXES)
