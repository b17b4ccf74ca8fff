"""The progress bar: on stderr only when stderr is a terminal (wherever
stdout goes), never in CI or with -q, only after the delay, with the time
left, through both phases of a scan (files, then rules), erased at the end."""

from __future__ import annotations

import io
import sys

from click.testing import CliRunner

from iacm_lint.cli import check as check_command, main, progress
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


def test_bar_waits_for_the_delay_then_draws_with_time_left_and_erases():
    now = [0.0]
    stream = Terminal()
    bar = progress.ProgressBar(stream, delay=2.0, clock=lambda: now[0])
    bar(0, 4, "files")
    now[0] = 1.0
    bar(1, 4, "files")
    assert stream.getvalue() == ""
    now[0] = 2.5
    bar(2, 4, "files")  # 2 files in 2.5 s: 2 more take 2.5 s
    assert stream.getvalue() == "\r[" + "#" * 15 + "." * 15 + "] 2/4 files, 0:02 left"
    bar(3, 4, "files")  # within the redraw interval: skipped
    assert stream.getvalue().endswith("] 2/4 files, 0:02 left")
    now[0] = 2.55
    bar(4, 4, "files")  # the last one is always drawn, padded over the longer line before it
    assert stream.getvalue().endswith("\r[" + "#" * 30 + "] 4/4 files" + " " * 11)
    bar.close()
    assert stream.getvalue().endswith("\r" + " " * 53 + "\r")


def test_bar_follows_the_rules_phase_with_its_own_pace():
    now = [10.0]
    stream = Terminal()
    bar = progress.ProgressBar(stream, delay=0.0, clock=lambda: now[0])
    bar(5, 5, "files")
    now[0] = 60.0
    bar(0, 60, "rules")
    assert stream.getvalue().endswith("] 5/5 files\r[" + "." * 30 + "] 0/60 rules")  # nothing done yet: no estimate
    now[0] = 75.0
    bar(30, 60, "rules")  # 30 rules in 15 s: 15 s left (the files phase's pace does not count)
    assert stream.getvalue().endswith("\r[" + "#" * 15 + "." * 15 + "] 30/60 rules, 0:15 left")


def test_time_left():
    assert progress.time_left(10.0, 0, 5) == ""
    assert progress.time_left(10.0, 5, 0) == ""
    assert progress.time_left(30.0, 10, 250) == "12:30"


def test_engine_reports_every_parsed_file_then_every_rule(tmp_path):
    for index in range(5):
        (tmp_path / f"f{index}.tf").write_text(f'locals {{\n  a{index} = {index}\n}}\n')
    calls = []
    run([str(tmp_path)], Options(cache=False, jobs=1, progress=lambda *call: calls.append(call)))
    files = [call for call in calls if call[2] == "files"]
    rules = [call for call in calls if call[2] == "rules"]
    assert files[0] == (0, 5, "files") and files[-1] == (5, 5, "files")
    assert [done for done, _, _ in files] == sorted(done for done, _, _ in files)
    assert calls.index(files[-1]) < calls.index(rules[0])  # rules after files
    total = rules[0][1]
    assert total > 40 and rules[0] == (0, total, "rules") and rules[-1] == (total, total, "rules")
    assert [done for done, _, _ in rules] == list(range(total + 1))


def test_pool_reports_every_parsed_file(tmp_path):
    body = "".join(f'  v{i} = "{i:06d}"\n' for i in range(800))
    for index in range(20):
        (tmp_path / f"f{index}.tf").write_text("locals {\n" + body + "}\n")
    calls = []
    run([str(tmp_path)], Options(cache=False, jobs=2, progress=lambda *call: calls.append(call)))
    files = [call for call in calls if call[2] == "files"]
    assert files[-1] == (20, 20, "files")
    assert [done for done, _, _ in files] == sorted(done for done, _, _ in files)


def _scan(tmp_path, monkeypatch, stderr, stdout, show_bar=True) -> str:
    (tmp_path / "main.tf").write_text('locals {\n  a = 1\n}\n')
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(sys, "stdout", stdout)
    check_command._run_with_progress([str(tmp_path)], Options(cache=False, jobs=1), show_bar=show_bar)
    return stderr.getvalue()


def test_drawn_on_a_terminal_stderr_even_when_stdout_is_piped(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    drawn = _scan(tmp_path, monkeypatch, Terminal(), io.StringIO())
    assert "] 1/1 files" in drawn and " rules" in drawn and drawn.endswith("\r")


def test_not_drawn_when_stderr_is_not_a_terminal_or_with_quiet(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert _scan(tmp_path, monkeypatch, io.StringIO(), Terminal()) == ""
    assert _scan(tmp_path, monkeypatch, Terminal(), Terminal(), show_bar=False) == ""


def test_quiet_asks_for_no_bar(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text('locals {\n  a = 1\n}\n')
    asked = []
    monkeypatch.setattr(check_command, "_run_with_progress",
                        lambda paths, options, show_bar: asked.append(show_bar) or run(paths, options))
    runner = CliRunner()
    runner.invoke(main, ["check", str(tmp_path), "--no-cache", "-q"])
    runner.invoke(main, ["check", str(tmp_path), "--no-cache"])
    assert asked == [False, True]
