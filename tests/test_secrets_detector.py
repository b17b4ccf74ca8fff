"""Unit tests of the secret detector (lint/knowledge/secrets.py). All values are
made up for these tests; none is a live credential."""

import pytest

from iacm_lint.knowledge import secrets as s

# Built from pieces so that no scanner mistakes this test file for a leak.
GHP = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
AKIA = "AKIA" + "Z3MHKQ7TJ5XW4R2Y"
AWS_SECRET = "kW9x/2LmQp7vRt+Zs4Hn8Jd6Fb3Gc1Ye5Ua0Xi7O"
PEM = ("-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAxq8Zb3Jv1Vb5nK3lQm9sT2wY7uR4pE6aD8fG0hJ2kL5mN7oP\n"
       "-----END RSA PRIVATE KEY-----\n")


@pytest.mark.parametrize("text, kind, value", [
    (f"key={AKIA}", "aws-access-key-id", AKIA),
    (GHP, "github-token", GHP),
    ("github_pat_" + "11ABCDEFG0" + "aZ3x9QwErTyU_" + "q" * 0
     + "Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd8Ss7Aa6Pp5Oo4Ii3Uu2Yy1Tt0Rr9Ee8Ww7Qq",
     "github-token", None),
    ("glpat-" + "Zx8Cv7Bn6Mm5Ll4Kk3Jj", "gitlab-token", None),
    ("xoxb-" + "2048-9183-Zx8Cv7Bn6Mm5Ll4Kk3Jj", "slack-token", None),
    (PEM, "private-key", "-----BEGIN RSA PRIVATE KEY-----"),
    ("AIza" + "SyB7xQ2mK9pL4vN6rT8wZ1cF3hJ5gD0sE2u", "google-api-key", None),
    ("DefaultEndpointsProtocol=https;AccountName=st;AccountKey=" + "Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd8Ss7Aa6Pp5Oo==",
     "azure-storage-key", None),
    ("postgres://app:Sx9kq2Lm@db.internal:5432/app", "url-password", "postgres://app:Sx9kq2Lm@db.internal:5432/app"),
    ("pat." + "Kx7Zq2Lm9Pv4Rt6Ws1Yb.6543fe21ab9c8d7e0f1a2b3c.Qw8Er7Ty6Ui5Op4As3Df", "harness-token", None),
    ("sk_live_" + "51Hx8Zq2Lm9Pv4Rt6Ws1Yb3Nc", "stripe-key", None),
    ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaS1ib3QiLCJleHAiOjE3MDAwMDB9.Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1", "jwt", None),
])
def test_each_format_is_found(text, kind, value):
    found = s.find_credentials(text)
    assert [f.kind for f in found] == [kind]
    if value is not None:
        assert found[0].value == value
        assert text[found[0].start:found[0].end] == value


@pytest.mark.parametrize("text", [
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AKIAIOSFODNN7EXAMPLE",
    "ghp_" + "x" * 36,
    "ghp_" + "1234567890abcdefghijklmnopqrstuvwxyz",
    "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "postgres://user:${var.db_password}@db:5432/app",
    "postgres://user:password@db:5432/app",
    "https://user:<password>@example.org",
    "git::https://github.com/org/repo.git?ref=v1.2.0",
    "3f786850e387550fdab836ed7e6dc881de23001b",  # a SHA-1
    "arn:aws:iam::123456789012:role/deploy",
    "8f14e45f-ceea-467f-a0e6-1b4e2c7c9e9d",
    "account.gh_pat",
])
def test_look_alikes_are_not_credentials(text):
    assert s.find_credentials(text) == []


def test_aws_secret_key_only_next_to_a_key_id():
    assert s.find_credentials(AWS_SECRET) == []
    found = s.find_credentials(f"{AKIA} {AWS_SECRET}")
    assert [f.kind for f in found] == ["aws-access-key-id", "aws-secret-key"]
    assert [f.kind for f in s.find_aws_secret_keys(AWS_SECRET)] == ["aws-secret-key"]


@pytest.mark.parametrize("name, kind", [
    ("db_password", "password"), ("admin_password_wo", "password"), ("TF_VAR_db_password", "password"),
    ("passphrase", "password"), ("api_key", "key"), ("AWS_SECRET_ACCESS_KEY", "key"), ("clientSecret", "key"),
    ("secret_string", "key"), ("private_key_pem", "key"), ("credentials", "key"), ("auth_token", "key"),
    ("oidc_request_token", "key"), ("sse_customer_key", "key"), ("conn_str", "connection"),
    ("primary_connection_string", "connection"),
    ("password_length", None), ("token_ttl", None), ("secret_name", None), ("password_ref", None), ("key", None),
    ("kms_key_id", None), ("public_key", None), ("ssh_key", None), ("use_token", None), ("token_policies", None),
    ("password_wo_version", None), ("client_request_token", None), ("partition_key", None),
    ("manage_master_user_password", None), ("access_token_validity", None), ("secret_arn", None),
])
def test_secret_name_kind(name, kind):
    assert s.secret_name_kind(name) == kind


def test_configures_secret():
    assert s.configures_secret("password_length") and s.configures_secret("token_ttl")
    assert not s.configures_secret("db_password") and not s.configures_secret("region")


@pytest.mark.parametrize("value", ["", "  ", "changeme", "CHANGE_ME", "REPLACE_ME", "<your-token>", "${var.x}",
                                   "xxxxxxxx",
                                   "********", "example-password", "DB_PASSWORD", '<+secrets.getValue("db")>',
                                   "{{ .token }}", "aaaaaaa", "your_api_key_here", "[REDACTED]", "..."])
def test_placeholders(value):
    assert s.is_placeholder(value)
    assert s.judge(value, "password") is None


@pytest.mark.parametrize("value, kind, verdict", [
    ("hunter2", "password", "secret"),
    ("Sx9kq2Lm!", "credential", "secret"),
    ("1h", "key", None), ("disabled", "key", None), ("read-only", "key", None), ("us-east-1", "key", None),
    ("arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "key", None), ("account.gh_pat", "key", None),
    ("./sa-key.json", "credential", "path"), ("~/.aws/credentials", "key", "path"),
    ('{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE"}', "key", "secret"),
    ("mySup3rS3cret!", "key", "secret"), ("short", "key", None),
    ("Server=db;Database=app;User Id=sa;Password=Sx9kq2Lm;", "connection", "secret"),
    ("Server=db;Database=app;Integrated Security=true;", "connection", None),
    (16, "password", None), (True, "key", None),
    ("@Microsoft.KeyVault(SecretUri=https://kv-api.vault.azure.net/secrets/db-password/)", "password", None),
    ("@Microsoft.KeyVault(VaultName=kv-api;SecretName=stripe-key)", "key", None),
    ("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf:password::", "password", None),
    ("arn:aws:ssm:us-east-1:111122223333:parameter/worker/db-password", "password", None),
    ("ENC[AES256_GCM,data:Qm9vbQ==,iv:3kLq0P8m=,tag:abcdEF==,type:str]", "password", None),
    ("@Microsoft.KeyVault(SecretUri=x) hunter2", "password", "secret"), ("ENC[hunter2]", "password", "secret"),
    ("prod/orders/db-password", "password", None), ("stripe-secret-key", "key", None),
    ("ghcr-token", "credential", None),
    ("correct-horse-battery-staple", "password", "secret"), ("Prod/Db-Password", "password", "secret"),
    ("password", "password", None), ("db-password1", "password", "secret"), ("keys/sa.json", "credential", "path"),
])
def test_judge(value, kind, verdict):
    result = s.judge(value, kind)
    assert (result.verdict if result else None) == verdict


def test_judgement_never_holds_the_value():
    result = s.assess("db_password", "Sx9kq2Lm-very-long")
    assert result.masked == "…" and "Sx9k" not in repr(result)
    assert (result.verdict, result.what, result.kind) == ("secret", "a literal password", "password")


def test_mask_shows_a_credential_format_prefix_and_never_a_character_of_the_secret():
    assert s.mask(AKIA) == "AKIA…"
    assert s.mask("ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A") == "ghp_…"
    assert s.mask("https://ci-bot:Zx8Cv7Bn6Mm5@registry.acme.io/v2") == "https://…"
    assert s.mask("Winter2024!") == "…"  # was "Wi…": with the length, a guess away
    assert s.mask("hunter2") == "…"
    assert s.mask("ASIAtrip2024!") == "…"  # looks like a prefix, is not a credential format: a password
    assert s.mask("abc") == "…"


def test_entropy():
    assert s.entropy("") == 0.0
    assert s.entropy("aaaa") == 0.0
    assert round(s.entropy("abcd"), 3) == 2.0


@pytest.mark.parametrize("value, slug", [
    ("aadapp-payments-api-level0", True), ("diaglogs_region1", True), ("org_github_app_json", True),
    ("org_github_app_jwt", True), ("pleasesetthisvalue", True), ("k8s-prod.eu/ingest-v2", True), ("2fa", True),
    ("a" * 200, True), ("sql_region1", True),
    ("9c4e1b7a2f3d8e6c0b5a4f9e8d7c6b5a4f3e2d1c", False),  # 40 lowercase hex: a key or a digest
    ("deadbeef-1234-cafe", False),  # hex once the separators go
    ("3f2b8c1e-9d4a-4e7b-b6c5-0a1d2e3f4a5b", False),  # a UUID
    ("x7fk2m9qpl3vz8w4", False),  # letters and digits alternating
    ("Diaglogs_region1", False), ("abc+def/ghi=", False), ("", False), ("a--b", False),
])
def test_identifier_slug(value, slug):
    assert s.is_identifier_slug(value) is slug


@pytest.mark.parametrize("value, kind, deployed, what", [
    ("diaglogs_region1", "key", True, None), ("aadapp-payments-api-level0", "key", False, None),
    ("9c4e1b7a2f3d8e6c0b5a4f9e8d7c6b5a4f3e2d1c", "key", False, "a literal secret"),
    ("password", "password", False, None), ("password", "password", True, "a weak literal password"),
    ("secret", "credential", True, "a weak literal password"), ("secret", "key", True, "a weak literal password"),
    ("test", "password", True, "a weak literal password"), ("changeme", "password", True, None),
    ("<db-password>", "password", True, None), ("REPLACE_ME", "credential", True, None),
    ("xxxxxxxx", "password", True, None), ("your_password", "password", True, None),
    ("pleasesetthisvalue", "password", False, None), ("requiredbutmissing", "password", False, None),
    ("CiQAzW1dX9rHn3pTq8vK2mLs5BfJ7yGc4NeVa6Ou0ZiEtRgS1xWJQkDnTPl3m8vC", "password", True, None),
])
def test_judge_deployed_and_slugs(value, kind, deployed, what):
    result = s.judge(value, kind, deployed=deployed)
    assert (result.what if result else None) == what


@pytest.mark.parametrize("value, verdict", [
    ("/argocd/github/api_key", None), ("/grafana/%s/api_key", None), ("/github/token", None),
    ("keys/sa.json", "path"), ("/etc/ssl/private/server.key", "path"), ("~/.ssh/id_rsa", "path"),
])
def test_names_of_stored_secrets_and_key_file_paths_under_key_names(value, verdict):
    result = s.judge(value, "key")
    assert (result.verdict if result else None) == verdict
