"""The process pool (lint/scan/pool.py): worker processes and this process give
identical models and findings; small scans never start workers; a broken
pool loses no file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.scan import pool

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"


def finding_rows(result) -> list[tuple]:
    return [(f.rule_id, f.level, f.message, f.span, f.related, f.fingerprint) for f in result.findings]


@pytest.fixture()
def force_pool(monkeypatch):
    """testdata/ is small: lower the thresholds so that it is split over workers."""
    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(pool, "CHUNK_BYTES", 2048)


def test_pool_and_in_process_give_identical_findings_on_testdata(force_pool):
    alone = run([str(TESTDATA)], Options(jobs=1, cache=False))
    assert alone.repo.parse_stats.workers == 1
    pooled = run([str(TESTDATA)], Options(jobs=2, cache=False))
    assert pooled.repo.parse_stats.workers == 2 and pooled.repo.parse_stats.parsed > 100
    assert pooled.repo.hcl_files == alone.repo.hcl_files
    assert pooled.repo.yaml_files == alone.repo.yaml_files
    assert finding_rows(pooled) == finding_rows(alone)
    assert len(alone.findings) > 50
    assert pooled.internal_errors == alone.internal_errors == []


def test_every_rule_case_is_the_same_through_the_pool(force_pool):
    cases = sorted(p for p in (TESTDATA / "rules").glob("*/*") if p.is_dir())
    assert len(cases) > 50
    for case in cases:
        alone = run([str(case)], Options(jobs=1, cache=False))
        pooled = run([str(case)], Options(jobs=2, cache=False))
        assert finding_rows(pooled) == finding_rows(alone), case


def test_pool_results_fill_the_cache_for_an_in_process_warm_scan(force_pool, tmp_path, monkeypatch):
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    cold = run([str(TESTDATA / "examples")], Options(jobs=2))
    parsed = cold.repo.parse_stats.parsed
    assert cold.repo.parse_stats.workers == 2 and parsed > 10
    warm = run([str(TESTDATA / "examples")], Options(jobs=2))
    stats = warm.repo.parse_stats
    assert (stats.cache_hits, stats.parsed, stats.workers) == (parsed, 0, 1)
    assert finding_rows(warm) == finding_rows(cold)


def test_small_scans_stay_in_process():
    job = (0, "main.tf", "tf", b"x" * 1000, None)
    assert pool.worker_count(None, [job] * 5) == 1
    assert pool.worker_count(8, [job] * 5) == 1
    big = (0, "main.tf", "tf", b"x" * pool.CHUNK_BYTES, None)
    assert pool.worker_count(1, [big] * 40) == 1
    assert pool.worker_count(3, [big] * 40) == 3
    assert pool.worker_count(64, [big] * 5) == 5  # never more workers than chunks of work
    # one file: nothing to share
    assert pool.worker_count(2, [(0, "main.tf", "tf", b"x" * pool.POOL_MIN_BYTES, None)]) == 1


def test_chunks_go_out_largest_first_and_cover_every_job():
    jobs = [(i, f"f{i}.tf", "tf", b"x" * (100 * (i % 7 + 1)), None) for i in range(50)]
    chunks = pool._chunks(jobs, 2)
    assert sorted(j[0] for c in chunks for j in c) == list(range(50))
    sizes = [len(j[3]) for c in chunks for j in c]
    assert sizes == sorted(sizes, reverse=True)
    assert len(chunks) >= 8


def _dying_work(chunk):
    os._exit(3)


def test_a_broken_pool_loses_no_file(force_pool, monkeypatch):
    alone = run([str(TESTDATA / "examples")], Options(jobs=1, cache=False))
    monkeypatch.setattr(pool, "_work", _dying_work)  # forked workers inherit it and die at once
    pooled = run([str(TESTDATA / "examples")], Options(jobs=2, cache=False))
    assert pooled.repo.hcl_files == alone.repo.hcl_files
    assert finding_rows(pooled) == finding_rows(alone)
