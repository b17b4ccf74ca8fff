"""Regenerate lint/knowledge/data/backends.json from the research file
shared/spec/backend-schemas.json (see backend-schemas.md).

    python scripts/make_backends_json.py ../shared/spec/backend-schemas.json > lint/knowledge/data/backends.json

The research file is verbose (free-text notes per attribute); the linter
needs a compact, machine-checkable form. What this script adds by hand is
marked CURATED below and comes from the prose of backend-schemas.md: the
lock and encryption facts, per-engine deprecations, the attributes that
name a state object (for IACM113), and for the credential attributes
(IACM201) the environment variables the research file does not list per
attribute and the credentials of removed backends.

Format (format 1):
  backends.TYPE.engines      {"terraform": RANGE, "opentofu": RANGE}; a missing engine = the
                             backend does not exist there.
  backends.TYPE.attributes   NAME -> {"terraform": RANGE, "opentofu": RANGE (missing = never),
                             "kind": "attribute" | "object" (NAME = { ... }) | "block" (NAME { ... }),
                             "required": true | [engines], "env": [VAR...], "sensitive": true (a credential),
                             "credential_env": VAR or null (the variable IACM201 names instead of env[0]),
                             "deprecated": {ENGINE: RANGE}, "use": "replacement",
                             "attributes": {...nested, same shape}}  (false/empty fields omitted)
  backends.TYPE.lock         {"mode": "always"|"optional"|"local"|"remote"|"none",
                             "any_of": [[NAME, VALUE or null (= any value)]], "disabled_by": [NAME, VALUE]}
  backends.TYPE.encryption   {"default": "off"|"at-rest"|"on"|"none", "any_of": [[NAME, VALUE or null]]}
  backends.TYPE.identity     {"attrs": [NAME...], "defaults": {NAME: VALUE}}: what names the state object
  removed.TYPE               {ENGINE: error text}: backends that init rejects with a specific message
  removed_credentials.TYPE   {NAME: VAR or null}: credential attributes of removed backends (IACM201)
  RANGE                      "*" (every scanned release), ">=X", "<Y", ">=X,<Y"
"""

from __future__ import annotations

import json
import re
import sys

ENGINES = ("terraform", "opentofu")

# CURATED: deprecations per engine ("*" = every scanned release of that engine).
DEPRECATED = {
    "s3": {
        "dynamodb_endpoint": ({"terraform": ">=1.6.0", "opentofu": "*"}, "endpoints.dynamodb"),
        "endpoint": ({"terraform": ">=1.6.0", "opentofu": "*"}, "endpoints.s3"),
        "iam_endpoint": ({"terraform": ">=1.6.0", "opentofu": "*"}, "endpoints.iam"),
        "sts_endpoint": ({"terraform": ">=1.6.0", "opentofu": "*"}, "endpoints.sts"),
        "shared_credentials_file": ({"terraform": ">=1.6.0", "opentofu": "*"}, "shared_credentials_files"),
        "force_path_style": ({"terraform": ">=1.6.0", "opentofu": "*"}, "use_path_style"),
        "dynamodb_table": ({"terraform": ">=1.11.0"}, "use_lockfile"),
        "role_arn": ({"terraform": ">=1.6.0", "opentofu": "*"}, "assume_role.role_arn"),
        "session_name": ({"terraform": ">=1.6.0", "opentofu": "*"}, "assume_role.session_name"),
        "external_id": ({"terraform": ">=1.6.0", "opentofu": "*"}, "assume_role.external_id"),
        "assume_role_duration_seconds": ({"terraform": ">=1.6.0", "opentofu": "*"}, "assume_role.duration"),
        "assume_role_policy": ({"terraform": ">=1.6.0", "opentofu": "*"}, "assume_role.policy"),
        "assume_role_policy_arns": ({"terraform": ">=1.6.0", "opentofu": "*"}, "assume_role.policy_arns"),
        "assume_role_tags": ({"terraform": ">=1.6.0", "opentofu": "*"}, "assume_role.tags"),
        "assume_role_transitive_tag_keys": ({"terraform": ">=1.6.0", "opentofu": "*"},
                                            "assume_role.transitive_tag_keys"),
        "use_legacy_workflow": ({"terraform": ">=1.7.0", "opentofu": ">=1.7.0"}, ""),
        "endpoints.dynamodb": ({"terraform": ">=1.11.0"}, "use_lockfile"),
    },
    "azurerm": {
        "endpoint": ({"terraform": ">=1.11.0", "opentofu": ">=1.11.0"}, "metadata_host"),
        "msi_endpoint": ({"opentofu": ">=1.11.0"}, "the MSI_ENDPOINT environment variable"),
    },
}

# CURATED: required only in one engine, beyond the research file's flag.
REQUIRED_OVERRIDES = {
    ("remote", "hostname"): ["opentofu"],  # OpenTofu has no default hostname
    ("s3", "assume_role_with_web_identity.role_arn"): ["terraform"],  # OpenTofu: optional (AWS_ROLE_ARN)
}

# CURATED: locking (backend-schemas.md "locking" texts).
LOCK = {
    "s3": {"mode": "optional", "any_of": [["use_lockfile", True], ["dynamodb_table", None]]},
    "http": {"mode": "optional", "any_of": [["lock_address", None]]},
    "oss": {"mode": "optional", "any_of": [["tablestore_table", None]]},
    "consul": {"mode": "always", "disabled_by": ["lock", False]},
    "azurerm": {"mode": "always"}, "gcs": {"mode": "always"}, "pg": {"mode": "always"},
    "kubernetes": {"mode": "always"}, "cos": {"mode": "always"}, "oci": {"mode": "always"},
    "local": {"mode": "local"}, "inmem": {"mode": "local"}, "remote": {"mode": "remote"}, "cloud": {"mode": "remote"},
}

# CURATED: state encryption. "off" = plain unless an attribute enables it.
ENCRYPTION = {
    "s3": {"default": "off", "any_of": [["encrypt", True], ["kms_key_id", None], ["sse_customer_key", None]]},
    "gcs": {"default": "at-rest", "any_of": [["encryption_key", None], ["kms_encryption_key", None]]},
    "azurerm": {"default": "at-rest", "any_of": [["customer_provided_key", None], ["encryption_scope", None]]},
    "oss": {"default": "at-rest", "any_of": [["encrypt", True]]},
    "cos": {"default": "on", "any_of": [["encrypt", True]]},
    "oci": {"default": "at-rest", "any_of": [["kms_key_id", None], ["sse_customer_key", None]]},
    "remote": {"default": "at-rest"}, "cloud": {"default": "at-rest"},
    "pg": {"default": "none"}, "consul": {"default": "none"}, "kubernetes": {"default": "none"},
    "http": {"default": "none"}, "local": {"default": "none"}, "inmem": {"default": "none"},
}

# CURATED: the environment variable IACM201 names for a credential attribute where it is not the
# attribute's first `env` fallback: library-level fallbacks the research file does not list per
# attribute (backend-schemas.md: the AWS SDK chain, consul's CONSUL_HTTP_*, OCI_<name>, the
# TF_TOKEN_<host> of HCP Terraform), or None where none is to be named (AWS_WEB_IDENTITY_TOKEN
# was read in OpenTofu's code only).
CREDENTIAL_ENV = {
    ("s3", "access_key"): "AWS_ACCESS_KEY_ID",
    ("s3", "secret_key"): "AWS_SECRET_ACCESS_KEY",
    ("s3", "token"): "AWS_SESSION_TOKEN",
    ("s3", "assume_role_with_web_identity.web_identity_token"): None,
    ("consul", "access_token"): "CONSUL_HTTP_TOKEN",
    ("consul", "http_auth"): "CONSUL_HTTP_AUTH",
    ("oci", "private_key"): "OCI_private_key",
    ("oci", "private_key_password"): "OCI_private_key_password",
    ("oci", "sse_customer_key"): "OCI_sse_customer_key",
    ("remote", "token"): "TF_TOKEN_app_terraform_io",
    ("cloud", "token"): "TF_TOKEN_app_terraform_io",
}

# CURATED: credential attributes of the removed backends (the research file lists none for them):
# a state migration still finds them in old code, and IACM201 reports their literals. A name
# instead of a table: the backend it became, whose credentials it shares.
REMOVED_CREDENTIALS: dict[str, dict | str] = {
    "artifactory": {"password": "ARTIFACTORY_PASSWORD"},
    "azure": "azurerm",
    "etcd": {"password": None},
    "etcdv3": {"password": None},
    "manta": {"key_material": "SDC_KEY_MATERIAL"},
    "swift": {"password": "OS_PASSWORD", "application_credential_secret": "OS_APPLICATION_CREDENTIAL_SECRET"},
}

# CURATED: which attributes name the state object (IACM113), with defaults.
IDENTITY = {
    "s3": {"attrs": ["bucket", "key"]},
    "gcs": {"attrs": ["bucket", "prefix"], "defaults": {"prefix": ""}},
    "azurerm": {"attrs": ["storage_account_name", "container_name", "key"]},
    "oss": {"attrs": ["bucket", "prefix", "key"], "defaults": {"prefix": "env:", "key": "terraform.tfstate"}},
    "cos": {"attrs": ["bucket", "prefix", "key"], "defaults": {"prefix": "env:", "key": "terraform.tfstate"}},
    "oci": {"attrs": ["namespace", "bucket", "key"], "defaults": {"key": "terraform.tfstate"}},
    "consul": {"attrs": ["address", "path"], "defaults": {"address": ""}},
    "http": {"attrs": ["address"]},
    "pg": {"attrs": ["conn_str", "schema_name"], "defaults": {"schema_name": "terraform_remote_state"}},
}


def version_range(text: str | None) -> str | None:
    """"all" -> "*", "since X" -> ">=X", "removed in Y" -> "<Y", "no"/None -> None."""
    if text is None or text == "no":
        return None
    if text == "all":
        return "*"
    parts = []
    since = re.search(r"since (\d+\.\d+\.\d+)", text)
    removed = re.search(r"removed in (\d+\.\d+\.\d+)", text)
    if since:
        parts.append(">=" + since.group(1))
    if removed:
        parts.append("<" + removed.group(1))
    if not parts:
        raise ValueError(f"unknown availability {text!r}")
    return ",".join(parts)


def env_names(values) -> list[str]:
    return [v.split(" ", 1)[0] for v in values or () if v[:1].isalpha()]


def attribute(backend: str, path: str, raw: dict, env: dict, kind: str = "attribute") -> dict:
    out: dict = {}
    for engine in ENGINES:
        rng = version_range(raw.get(engine))
        if rng:
            out[engine] = rng
    if kind != "attribute":
        out["kind"] = kind
    required = REQUIRED_OVERRIDES.get((backend, path), bool(raw.get("required")))
    if required:
        out["required"] = required
    if env.get(path):
        out["env"] = env_names(env[path])
    if raw.get("sensitive"):
        out["sensitive"] = True
        if (backend, path) in CREDENTIAL_ENV:
            out["credential_env"] = CREDENTIAL_ENV[backend, path]
    deprecated = DEPRECATED.get(backend, {}).get(path)
    if deprecated:
        out["deprecated"] = deprecated[0]
        if deprecated[1]:
            out["use"] = deprecated[1]
    elif raw.get("deprecated"):
        raise ValueError(f"{backend}.{path}: deprecation not curated: {raw['deprecated']}")
    return out


def engines_of(raw: dict) -> dict:
    out = {}
    for engine in ENGINES:
        info = raw.get("engines", {}).get(engine)
        if not info or not info.get("from"):
            continue
        since = re.match(r"(\d+\.\d+\.\d+)", info["from"]).group(1)
        removed = info.get("removed_in")
        # the scan covers terraform >= 1.5.7 and opentofu >= 1.6.0: earlier "since" means every release
        floor = "1.5.7" if engine == "terraform" else "1.6.0"
        key = tuple(int(p) for p in since.split("."))
        parts = [] if key <= tuple(int(p) for p in floor.split(".")) else [">=" + since]
        if removed:
            parts.append("<" + removed)
        out[engine] = ",".join(parts) or "*"
    return out


def convert(schema: dict) -> dict:
    backends: dict = {}
    removed: dict = {}
    for name, raw in sorted(schema["backends"].items()):
        if raw.get("removed"):
            removed[name] = {e: raw["error"][e].removeprefix("generic: ") for e in ENGINES}
            continue
        env = raw.get("env_fallbacks", {})
        attrs = {a: attribute(name, a, spec, env) for a, spec in raw.get("attributes", {}).items()}
        for block_name, block in raw.get("blocks", {}).items():
            kind = "object" if block["kind"].startswith("nested_attribute") else "block"
            entry = attribute(name, block_name, block, env, kind)
            entry["attributes"] = {
                a["name"]: attribute(name, f"{block_name}.{a['name']}", a, env) for a in block["attributes"]
            }
            attrs[block_name] = entry
        entry = {"engines": engines_of(raw), "attributes": attrs}
        if name == "cloud":
            entry["not_a_backend"] = ("There is no explicit backend type named \"cloud\"; declare a "
                                      "terraform { cloud { ... } } block instead.")
            entry["attributes"] = {
                "hostname": {"terraform": "*", "opentofu": "*", "env": ["TF_CLOUD_HOSTNAME"]},
                "organization": {"terraform": "*", "opentofu": "*", "env": ["TF_CLOUD_ORGANIZATION"]},
                "token": {"terraform": "*", "opentofu": "*", "sensitive": True,
                          "credential_env": CREDENTIAL_ENV["cloud", "token"]},
                "workspaces": {"terraform": "*", "opentofu": "*", "kind": "block", "attributes": {
                    "name": {"terraform": "*", "opentofu": "*", "env": ["TF_WORKSPACE"]},
                    "project": {"terraform": ">=1.6.0", "opentofu": "*", "env": ["TF_CLOUD_PROJECT"]},
                    "tags": {"terraform": "*", "opentofu": "*"},
                }},
            }
        for key, table in (("lock", LOCK), ("encryption", ENCRYPTION), ("identity", IDENTITY)):
            if name in table:
                entry[key] = table[name]
        backends[name] = entry
    return {
        "format": 1,
        "source": "shared/spec/backend-schemas.json: " + "; ".join(schema["sources"].values()),
        "scanned": {"terraform": ["1.5.7", "1.15.9"], "opentofu": ["1.6.0", "1.12.6"]},
        "backends": backends,
        "removed": removed,
        "removed_credentials": {name: _removed_credentials(name, backends) for name in sorted(removed)
                                if name in REMOVED_CREDENTIALS},
    }


def credentials(entry: dict) -> dict:
    """Credential attribute (dotted when nested) -> the environment variable
    IACM201 names, or None: `credential_env`, else the first `env` fallback.
    lint/knowledge/backend_schemas.py `credentials` reads them the same way."""
    found = {}
    for name, spec in entry["attributes"].items():
        for path, attribute in [(name, spec), *((f"{name}.{n}", s) for n, s in spec.get("attributes", {}).items())]:
            if attribute.get("sensitive"):
                found[path] = attribute["credential_env"] if "credential_env" in attribute else \
                    (attribute.get("env") or [None])[0]
    return found


def _removed_credentials(name: str, backends: dict) -> dict:
    table = REMOVED_CREDENTIALS[name]
    return credentials(backends[table]) if isinstance(table, str) else table


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        data = convert(json.load(handle))
    json.dump(data, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")
