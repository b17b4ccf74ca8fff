"""Test-session settings shared by every test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def session_cache_directory(tmp_path_factory):
    """One parse/result cache for the session, not the developer's
    ~/.cache/iacm-lint: a session starts cold, and no result stored by an
    earlier run (or another checkout) can answer a test's scan."""
    previous = os.environ.get("IACM_LINT_CACHE_DIR")
    os.environ["IACM_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("iacm-lint-cache"))
    yield
    if previous is None:
        os.environ.pop("IACM_LINT_CACHE_DIR", None)
    else:
        os.environ["IACM_LINT_CACHE_DIR"] = previous


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A cache directory of the test's own (parse entries, results, grammar tables)."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(directory))
    return directory
