"""The progress bar: only on a terminal outside CI, only after the delay,
erased at the end; the engine reports every parsed file to it."""

from __future__ import annotations

import io

from iacm_lint.cli import progress
from iacm_lint.engine import run
from iacm_lint.options import Options


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_outside_ci():
    assert progress.wanted(Terminal(), environ={})
    assert not progress.wanted(Terminal(), environ={"CI": "true"})
    assert not progress.wanted(Terminal(), environ={"TERM": "dumb"})
    assert not progress.wanted(io.StringIO(), environ={})


def test_bar_waits_for_the_delay_then_draws_and_erases():
    now = [0.0]
    stream = Terminal()
    bar = progress.ProgressBar(stream, delay=2.0, clock=lambda: now[0])
    bar(1, 4)
    assert stream.getvalue() == ""
    now[0] = 2.5
    bar(2, 4)
    assert stream.getvalue() == "\r[" + "#" * 15 + "." * 15 + "] 2/4 files"
    bar(3, 4)  # within the redraw interval: skipped
    assert stream.getvalue().endswith("] 2/4 files")
    bar(4, 4)  # the last one is always drawn
    assert stream.getvalue().endswith("] 4/4 files")
    bar.close()
    assert stream.getvalue().endswith("\r" + " " * 70 + "\r")


def test_engine_reports_every_parsed_file(tmp_path):
    for index in range(5):
        (tmp_path / f"f{index}.tf").write_text(f'locals {{\n  a{index} = {index}\n}}\n')
    calls = []
    run([str(tmp_path)], Options(cache=False, jobs=1, progress=lambda done, total: calls.append((done, total))))
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_pool_reports_every_parsed_file(tmp_path):
    body = "".join(f'  v{i} = "{i:06d}"\n' for i in range(800))
    for index in range(20):
        (tmp_path / f"f{index}.tf").write_text("locals {\n" + body + "}\n")
    calls = []
    run([str(tmp_path)], Options(cache=False, jobs=2, progress=lambda done, total: calls.append((done, total))))
    assert calls[-1] == (20, 20)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
