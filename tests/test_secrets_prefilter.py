"""IACM203 skips a file when `may_hold_credential` says no for all its texts
joined with newlines: that is only safe while it says yes wherever
`find_credentials` finds something, in a text alone or joined with others.
All values are made up; none is a live credential."""

import random
from pathlib import Path

from iacm_lint.knowledge import secrets

CATALOG = Path(__file__).resolve().parent.parent / "testdata" / "secrets"

# Built from pieces so that no scanner mistakes this test file for a leak.
CREDENTIALS = [
    "AKIA" + "Z3MHKQ7TJ5XW4R2Y",
    "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A",
    "github_pat_" + "11ABCDEFG0aZ3x9QwErTyU_Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd8Ss7Aa6Pp5Oo4Ii3Uu2Yy1Tt0Rr9Ee8Ww7Qq",
    "glpat-" + "Zx8Cv7Bn6Mm5Ll4Kk3Jj",
    "xoxb-" + "2048-9183-Zx8Cv7Bn6Mm5Ll4Kk3Jj",
    "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAxq8Zb3Jv1Vb5nK3lQm9sT2wY7uR4pE6aD8fG0hJ2kL5mN7oP\n"
    "-----END RSA PRIVATE KEY-----\n",
    "AIza" + "SyB7xQ2mK9pL4vN6rT8wZ1cF3hJ5gD0sE2u",
    "AccountName=st;AccountKey=" + "Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd8Ss7Aa6Pp5Oo==",
    "postgres://app:" + "Sx9kq2Lm@db.internal:5432/app",
    "pat." + "Kx7Zq2Lm9Pv4Rt6Ws1Yb.6543fe21ab9c8d7e0f1a2b3c.Qw8Er7Ty6Ui5Op4As3Df",
    "sk_live_" + "51Hx8Zq2Lm9Pv4Rt6Ws1Yb3Nc",
    "eyJhbGciOiJSUzI1NiJ9." + "eyJzdWIiOiJjaS1ib3QiLCJleHAiOjE3MDAwMDB9.Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1",
]


def _catalog_texts() -> list[str]:
    texts = []
    for path in sorted(CATALOG.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            texts.append(text)
            texts.extend(text.splitlines())
    return texts


def test_every_credential_found_is_let_through():
    found = 0
    for text in CREDENTIALS + _catalog_texts():
        if secrets.find_credentials(text):
            found += 1
            assert secrets.may_hold_credential(text), text
    assert found >= len(CREDENTIALS)


def test_joined_texts_are_let_through():
    rng = random.Random(10)
    # credentials, their neighbours and pieces of URLs, so that parts both do and do not hold credentials
    pieces = CREDENTIALS + ["x", "pat", ".", "https://", "example.com", "user", ":", "@", "/", " ", "\n", "-", "_", "="]
    found = 0
    for _ in range(5000):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(3)]
        if any(secrets.find_credentials(text) for text in texts):
            found += 1
            assert secrets.may_hold_credential("\n".join(texts)), texts
    assert found > 1000


def test_plain_text_is_ruled_out():
    for text in ("var.db_password", "https://github.com/org/repo", "see https://example.com/docs#x", "1.2.3", ""):
        assert not secrets.may_hold_credential(text), text
        assert secrets.find_credentials(text) == []


def test_every_pattern_has_a_sample_here():
    """A pattern added to secrets._PATTERNS without a sample above could be
    one that may_hold_credential does not let through."""
    sampled = {(match.kind, match.label) for text in CREDENTIALS for match in secrets.find_credentials(text)}
    assert sampled == {(kind, label) for kind, label, _, _ in secrets._PATTERNS}
