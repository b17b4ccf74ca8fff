"""IACM203 skips a file when `may_hold_credential` says no for all its texts
joined: that is only safe while the quick trigger matches wherever the exact
one does, including inside joined text."""

import random

from iacm_lint import secrets

# One instance of each `_TRIGGER` alternative, at the start, middle and end of a string.
TRIGGERS = ["AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxa-", "xoxb-", "xoxp-",
            "xoxr-", "xoxs-", "PRIVATE KEY", "AIza", "AccountKey=", "SharedAccessKey=", "://", "pat.", "sat.", "_live_", "eyJ"]


def test_quick_trigger_matches_every_trigger():
    for trigger in TRIGGERS:
        for text in (trigger, f"x {trigger} y", f"abc\n{trigger}"):
            assert secrets._TRIGGER.search(text), text
            assert secrets.may_hold_credential(text), text


def test_quick_trigger_is_never_stricter_on_random_text():
    rng = random.Random(10)
    # triggers, their pieces and neighbours (word characters before `pat.`), so that many texts trigger
    pieces = TRIGGERS + [t[:2] for t in TRIGGERS] + [t[1:] for t in TRIGGERS] + list("aZ9_ .:/\n")
    triggered = 0
    for _ in range(20000):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(3)]
        if any(secrets._TRIGGER.search(text) for text in texts):
            triggered += 1
            assert secrets.may_hold_credential("\n".join(texts)), texts
    assert triggered > 5000


def test_no_trigger_no_credentials():
    assert not secrets.may_hold_credential("https-free text, var.db_password, 1.2.3")
    assert secrets.find_credentials("https-free text, var.db_password, 1.2.3") == []
